"""The console script as a user meets it (a real process): bad outputs and missing extras fail before any work in one
line, Ctrl-C exits quietly with 130, and `salnb --help` imports nothing heavy (its speed is measured by
bench/bench_startup.py, not here)."""
import os, shutil, signal, subprocess, sys, time
from pathlib import Path
import pytest

SALNB = shutil.which('salnb', path=str(Path(sys.executable).parent)) or shutil.which('salnb')
ENV = dict(os.environ, OMP_NUM_THREADS='1')
pytestmark = pytest.mark.skipif(SALNB is None, reason='the salnb console script is not installed')


def run(*argv, env=ENV, timeout=120, cwd=None):
    t = time.time()
    r = subprocess.run([SALNB, *argv], capture_output=True, text=True, timeout=timeout, env=env, cwd=cwd)
    return r, time.time() - t


def one_line_error(r):
    assert r.returncode != 0, r.stdout
    assert 'Traceback' not in r.stderr, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    return lines[0]


def test_help_imports_nothing_heavy():
    code = ("import sys; from salnb.cli import main\n"
            "try: main(['--help'])\nexcept SystemExit: pass\n"
            "heavy = sorted(m for m in ('torch', 'matplotlib', 'pandas', 'seaborn', 'scipy', 'PIL') if m in sys.modules)\n"
            "assert not heavy, heavy")
    r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, env=ENV)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([sys.executable, '-c', "import sys, salnb; assert 'torch' not in sys.modules; salnb.GradCAM"],
                       capture_output=True, text=True, env=ENV)
    assert r.returncode == 0, r.stderr   # `import salnb` is light, and its names resolve on use


@pytest.mark.parametrize('argv', [
    ['demo', '--out', '{bad}'],
    ['demo', '--train', '--epochs', '1', '--out', '{bad}'],
    ['explain', 'skimage:coins', '--method', 'grad_cam', '--model', 'smallcnn_cluttered_fmnist', '--out', '{bad}.png'],
    ['reproduce', 'gc', '--out', '{bad}.json'],
    ['reproduce', 'iba', '--full', '--out', '{bad}.json'],
    ['reproduce', 'gc', '--main', '--out', '{bad}'],
    ['reproduce', 'ibsgl', '--main', '--out', '{bad}'],
])
def test_unwritable_out_fails_fast(argv, tmp_path):
    (tmp_path/'file').write_text('')
    bad = str(tmp_path/'file'/'out')            # under a file: nobody, root included, can create it
    r, secs = run(*[a.format(bad=bad) for a in argv])
    line = one_line_error(r)
    assert r.returncode == 2 and 'cannot be written' in line and '--out' in line, line
    assert secs < 20, secs                      # before any work (generous: a loaded 2-core machine)
    assert sorted(p.name for p in tmp_path.iterdir()) == ['file']


def test_read_only_filesystem(tmp_path):
    r, _ = run('demo', '--out', '/proc/salnb_demo_out')
    assert 'cannot be written' in one_line_error(r)


def test_missing_extra_named_before_work(tmp_path):
    "zennit hidden from the import system: IBA (it compares LRP baselines) names the extra in one line, exit 1, writes nothing."
    for paper in ('iba',):
        code = ("import sys; sys.modules['zennit'] = None\nfrom salnb.cli import main\n"
                f"sys.exit(main(['reproduce', '{paper}', '--out', 'r.json']))")
        t = time.time()
        r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, env=ENV, cwd=tmp_path, timeout=120)
        line = one_line_error(r)
        assert r.returncode == 1 and 'pip install -e ".[lrp]"' in line, line
        assert time.time() - t < 60 and not (tmp_path/'r.json').exists()


def test_bad_arguments_one_line():
    for argv in (['explode'], ['explain', 'skimage:coins'], ['reproduce', 'resnet'], ['demo', '--epochs', '3'],
                 ['explain', 'skimage:coins', '--method', 'gradient', '--model', 'resnet18', '--out', 'x.png', '--alpha', '3']):
        r, _ = run(*argv)
        assert r.returncode == 2, (argv, r.stderr)
        one_line_error(r)


@pytest.mark.skipif(sys.platform == 'win32', reason='SIGINT')
def test_ctrl_c_exits_quietly(tmp_path):
    # a shell without job control starts background commands with SIGINT ignored, and Python keeps an inherited
    # SIG_IGN (no KeyboardInterrupt): give the child the default disposition a terminal user has
    p = subprocess.Popen([SALNB, 'reproduce', 'gc', '--out', str(tmp_path/'gc.json')], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=ENV,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    first = p.stderr.readline()                 # the --small note: the command is past its checks and working
    assert 'smoke test' in first, first
    time.sleep(1)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=120)
    assert p.returncode == 130, (p.returncode, err[-2000:])
    assert 'Traceback' not in err and err.strip().splitlines()[-1].startswith('salnb reproduce: interrupted'), err[-2000:]
    assert not (tmp_path/'gc.json').exists()


def test_main_campaign_smoke_resumes(tmp_path):
    "`salnb reproduce gc --main` runs `run_main`: here its smoke config (tiny, ~20 s), then the same call resumes: nothing reruns."
    from salnb.cli import reproduce_main
    r, folder = reproduce_main('gc', tmp_path/'gc_main', config='smoke', progress=False)
    assert folder == tmp_path/'gc_main' and len(r['ran']) == len(r['done']) > 0 and not r['waiting'], r
    files = sorted(p.relative_to(folder).as_posix() for p in folder.glob('*/seed*.json'))
    assert 'baseline/seed0.json' in files and len(files) == len(r['done']), files
    r2, _ = reproduce_main('gc', folder, config='smoke', progress=False)
    assert not r2['ran'] and len(r2['skipped']) == len(r['done'])


def test_main_help_and_exclusive():
    r, _ = run('reproduce', '--help')
    text = ' '.join(r.stdout.split())
    assert r.returncode == 0 and '--main' in text and 'iba_photos' in text and 'mipin_mnist' in text and 'kept as ablations' in text, text
    r, _ = run('reproduce', 'gc', '--main', '--small')
    assert r.returncode == 2
    one_line_error(r)
