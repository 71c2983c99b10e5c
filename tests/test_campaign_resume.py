"""A campaign process is SIGKILLed after two of four runs finished and while the third is mid-training; rerunning the same
campaign runs only the two missing runs, resumes the interrupted one from its last checkpoint (ending with the same
weights as an uninterrupted campaign), and no half-written result file is ever seen."""
import json, os, signal, subprocess, sys, textwrap
from pathlib import Path
import pytest

SCRIPT = textwrap.dedent('''
    import sys, time, hashlib, torch
    from salnb.train.loop import fit
    from salnb.train.methods import Regular
    from salnb.papers.common import job_grid, run_campaign, TensorSamples
    out, pause = sys.argv[1], sys.argv[2]           # pause: 'variant/seed' to stop in its second epoch, or '-'
    g = torch.Generator().manual_seed(0)
    ds = TensorSamples(dict(image=torch.rand(48, 1, 6, 6, generator=g), label=torch.randint(0, 3, (48,), generator=g)))
    cfg = dict(epochs=3, batch_size=16, lr=1e-2)
    def fn(job, ckpt_dir):
        print('start', job.variant, job.seed, flush=True)
        torch.manual_seed(job.seed)
        m = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(36, 3))
        opt = torch.optim.SGD(m.parameters(), cfg['lr'], momentum=0.9)
        steps = []
        def on_step(info):
            steps.append(info['step'])
            if f'{job.variant}/{job.seed}' == pause and info['epoch'] == 1:
                print('paused', flush=True); time.sleep(600)     # the parent's SIGKILL lands here: no race
        hist = fit(m, Regular(), ds, cfg['epochs'], opt, batch_size=cfg['batch_size'], seed=job.seed, ckpt_dir=ckpt_dir,
                   progress=False, on_step=on_step)
        w = torch.cat([p.detach().flatten() for p in m.parameters()])
        return dict(loss=hist[-1]['train_loss'], steps_here=len(steps), epochs_in_history=len(hist),
                    weights=hashlib.sha256(w.numpy().tobytes()).hexdigest())
    r = run_campaign(job_grid(['a', 'b'], [0, 1]), fn, out, cfg=cfg, progress=False)
    print('ran', ' '.join(f'{j.variant}/{j.seed}' for j in r['ran']), flush=True)
''')

def _start(tmp, out, pause='-'):
    return subprocess.Popen([sys.executable, str(tmp/'campaign.py'), str(out), pause], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, 'OMP_NUM_THREADS': '1'})

def _results(out): return sorted(str(p.relative_to(out)) for p in Path(out).rglob('*') if p.is_file() and '.ckpt' not in p.parts)

def test_killed_campaign_resumes_only_missing_runs(tmp_path):
    import torch
    (tmp_path/'campaign.py').write_text(SCRIPT)
    ref = _start(tmp_path, tmp_path/'ref'); out_ref, _ = ref.communicate(timeout=300); assert ref.returncode == 0, out_ref
    assert out_ref.strip().splitlines()[-1] == 'ran a/0 a/1 b/0 b/1'

    out = tmp_path/'camp'
    p = _start(tmp_path, out, pause='b/0')
    seen = []
    for line in p.stdout:
        seen.append(line.strip())
        if line.strip() == 'paused': p.send_signal(signal.SIGKILL); break
    p.wait(60); assert p.returncode == -signal.SIGKILL
    assert seen == ['start a 0', 'start a 1', 'start b 0', 'paused']
    assert _results(out) == ['a/seed0.json', 'a/seed1.json']             # whole files only; nothing for b/0 yet
    for f in _results(out): json.loads((out/f).read_text())
    st = torch.load(out/'.ckpt'/'b'/'seed0'/'last.pt', weights_only=True)
    assert (st['epoch'], st['batch']) == (1, 0)                            # epoch 1 of 3 done, checkpointed

    r = _start(tmp_path, out); text, _ = r.communicate(timeout=300); assert r.returncode == 0, text
    lines = text.strip().splitlines()
    assert lines == ['start b 0', 'start b 1', 'ran b/0 b/1']              # finished runs skipped
    assert _results(out) == ['a/seed0.json', 'a/seed1.json', 'b/seed0.json', 'b/seed1.json']
    res = {f: json.loads((out/f).read_text()) for f in _results(out)}
    ref_res = {f: json.loads((tmp_path/'ref'/f).read_text()) for f in _results(out)}
    b0 = res['b/seed0.json']['result']
    assert (b0['steps_here'], b0['epochs_in_history']) == (6, 3)            # 2 epochs × 3 steps here, epoch 1 from the checkpoint
    assert ref_res['b/seed0.json']['result']['steps_here'] == 9
    for f in res:                                                           # the resumed run ends where the uninterrupted one does
        assert res[f]['result']['weights'] == ref_res[f]['result']['weights'], f
        assert res[f]['provenance']['config'] == dict(epochs=3, batch_size=16, lr=1e-2)

def test_kill_while_writing_leaves_no_result(tmp_path):
    "A kill between writing the temporary file and os.replace leaves no result file; the rerun redoes the run and removes the temporary."
    code = textwrap.dedent(f'''
        import os
        from salnb.papers import common
        from salnb.papers.common import job_grid, run_campaign
        def dying_replace(src, dst): os.kill(os.getpid(), 9)
        common.os.replace = dying_replace
        run_campaign(job_grid(['a'], [0]), lambda job, d: dict(x=1.0), {str(tmp_path/'c')!r}, progress=False)
    ''')
    p = subprocess.run([sys.executable, '-c', code]); assert p.returncode == -9
    left = [f.name for f in (tmp_path/'c'/'a').iterdir()]
    assert len(left) == 1 and left[0].startswith('.seed0.json.') and left[0].endswith('.tmp')
    from salnb.papers.common import job_grid, run_campaign, load_campaign
    assert load_campaign(tmp_path/'c') == []
    r = run_campaign(job_grid(['a'], [0]), lambda job, d: dict(x=2.0), tmp_path/'c', progress=False)
    assert [j.variant for j in r['ran']] == ['a']
    assert [f.name for f in (tmp_path/'c'/'a').iterdir()] == ['seed0.json']
    assert load_campaign(tmp_path/'c')[0]['result'] == dict(x=2.0)
