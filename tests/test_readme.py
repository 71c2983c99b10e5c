"""README.md is generated from nbs/index.ipynb, carries the two set-up-and-run commands, and every snippet in it runs.

What runs how (the README's commands, as a reader pastes them, in a temporary folder):
- every ```python block, in order, in one fresh interpreter (the README says they run in one session);
- every `salnb ...` command of a ```sh block, and every `salnb ...` in inline code, through this environment's console
  script. Commands that take seconds (demo with the shipped weights, explain) run in full and must write what they
  say. Commands that take minutes to hours (`reproduce --full`/`--paper-size`, `demo --train`) are checked without the
  computation: the real parser must accept them and every name in them must resolve (the paper's run function, its
  optional packages), which is what a typo in the README would break; their runs are tested by the paper notebooks.
- install lines (`pip install ...`) are checked for form only: from the clone (`-e`), never from PyPI by name.
"""
import ast, os, re, shlex, shutil, subprocess, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
TEXT = (ROOT/'README.md').read_text()
SALNB = shutil.which('salnb', path=str(Path(sys.executable).parent)) or shutil.which('salnb')


def test_readme_in_sync(tmp_path, monkeypatch):
    import docs_fallback
    committed = (ROOT/'README.md').read_text()
    try:
        new = docs_fallback.build_readme().read_text()
    finally:
        (ROOT/'README.md').write_text(committed)
    assert new == committed, "README.md is stale: run `python tools/docs_fallback.py --readme`"


def test_two_commands():
    blocks = re.findall(r'```sh\n(.*?)\n```', TEXT, re.S)
    assert len(blocks) >= 2 and all('\n' not in b for b in blocks[:2]), blocks
    assert 'salnb demo' in blocks[0] and 'nbdev-test' in blocks[1] and 'pytest' in blocks[1]
    ci = (ROOT/'.ci'/'run').read_text()   # CI reads the test command out of README.md and runs it as written
    assert "open('README.md')" in ci and 'eval "$TEST_CMD"' in ci, 'CI must run the README test command'


def salnb_commands() -> list[str]:
    "Every `salnb ...` command of the README: in ```sh blocks (after a venv prefix) and in inline code."
    cmds = []
    for block in re.findall(r'```sh\n(.*?)\n```', TEXT, re.S):
        for part in re.split(r'\s*&&\s*', block.replace('\\\n', ' ')):
            part = part.strip()
            if re.match(r'(\.venv/bin/)?salnb\s', part): cmds.append(re.sub(r'^\.venv/bin/', '', part))
    # inline code: a command has options; `salnb explain` alone names the command in prose
    cmds += [' '.join(c.split()) for c in re.findall(r'(?<!`)`(salnb [^`]+)`', TEXT) if len(c.split()) >= 3]
    return list(dict.fromkeys(cmds))


def test_install_lines_are_from_the_clone():
    pips = re.findall(r'pip install ([^`\n&]+)', TEXT)
    assert pips, 'the README shows how to install'
    for p in pips:
        args = shlex.split(p)
        assert '-e' in args or 'torch' in args, f"`pip install {p}`: salnb is not on PyPI; install it from the clone with -e"
    assert 'pip install torch torchvision --index-url https://download.pytorch.org/whl/cpu' in TEXT
    assert '-e ".[pretrained]"' in TEXT


def test_readme_commands_are_found():
    cmds = salnb_commands()
    kinds = {c.split()[1] for c in cmds}
    assert {'demo', 'explain', 'reproduce'} <= kinds, cmds


def _long(argv):   # minutes or more: parsed and resolved, not run
    return argv[0] == 'reproduce' and any(a in argv for a in ('--full', '--paper-size', '--main')) or '--train' in argv


@pytest.mark.parametrize('cmd', salnb_commands())
def test_readme_salnb_command(cmd, tmp_path):
    argv = shlex.split(cmd)[1:]
    if _long(argv):
        from salnb.cli import _parser, paper_runner, paper_requirements
        a = _parser().parse_args(argv)
        if a.cmd == 'reproduce':
            assert callable(paper_runner(a.paper))
            paper_requirements(a.paper, a.config or 'small')
        return
    if argv[0] == 'reproduce':   # `--small` (the default) is a smoke test of about a minute per paper: run one
        if 'gc' not in argv: pytest.skip('one --small reproduction (gc) runs here; each paper notebook runs its own')
    if argv[0] == 'explain' and 'efficientnet_lite0' in argv: pytest.importorskip('efficientnet_lite_pytorch')
    assert SALNB, 'the salnb console script is not installed'
    r = subprocess.run([SALNB, *argv], cwd=tmp_path, capture_output=True, text=True, timeout=900,
                       env=dict(os.environ, OMP_NUM_THREADS='1'))
    assert r.returncode == 0, f"`{cmd}` failed:\n{r.stderr[-3000:]}"
    assert 'Traceback' not in r.stderr
    for out in re.findall(r'--out (\S+)', cmd):
        p = tmp_path/out
        assert p.exists(), f"`{cmd}` did not write {out}"
        if p.is_dir(): assert (p/'explanations.png').stat().st_size > 10_000 and (p/'metrics.json').is_file()
        else: assert p.stat().st_size > 10_000


def _echo_last(snippet:str) -> str:
    "The snippet with its last expression printed (repr), as the notebook the README comes from shows it."
    tree = ast.parse(snippet)
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        v = tree.body[-1].value
        tree.body[-1] = ast.Expr(ast.Call(ast.Name('print', ast.Load()), [ast.Call(ast.Name('repr', ast.Load()), [v], [])], []))
    return ast.unparse(ast.fix_missing_locations(tree))


def test_readme_python_snippets(tmp_path):
    blocks = re.findall(r'```python\n((?:(?!```)[\s\S])*?)\n```\n\n?((?:    [^\n]*\n)*)', TEXT)
    assert blocks and len(blocks) == TEXT.count('```python'), 'every Python snippet is found'
    code = '\n'.join(_echo_last(b) for b, _ in blocks)   # pasted in order into one session, as the README says
    r = subprocess.run([sys.executable, '-c', code], cwd=tmp_path, capture_output=True, text=True, timeout=600,
                       env=dict(os.environ, OMP_NUM_THREADS='1'))
    assert r.returncode == 0, r.stderr[-3000:]
    shown = [l.strip() for _, out in blocks for l in out.splitlines() if l.strip()]
    assert r.stdout.split('\n')[:len(shown)] == shown and len(r.stdout.strip().splitlines()) == len(shown), (r.stdout, shown)
