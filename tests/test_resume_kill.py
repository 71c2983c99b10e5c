"""A real training process is killed with SIGKILL mid-epoch and resumed: weights, optimiser state, scheduler and
SCAAT's q values equal an uninterrupted run; a half-written checkpoint is never loaded."""
import os, signal, subprocess, sys, time, textwrap
from pathlib import Path
import pytest, torch

SCRIPT = textwrap.dedent('''
    import sys, time, torch
    from salnb.train.loop import fit
    from salnb.train.methods import SCAAT
    from salnb.models import SmallCNN
    from salnb.data import ClutteredFashionMNIST, load_embedded_fashion_mnist
    out, ckpt, pause = sys.argv[1], (sys.argv[2] if sys.argv[2] != '-' else None), int(sys.argv[3])
    x, y = load_embedded_fashion_mnist('train')
    ds = ClutteredFashionMNIST(x[:160], y[:160], canvas=32, scale=(0.8, 1.0), n_clutter=2, seed=0)
    torch.manual_seed(0); m = SmallCNN(width=4, pool='max')
    opt = torch.optim.Adam(m.parameters(), 3e-3); sch = torch.optim.lr_scheduler.StepLR(opt, 1, 0.5)
    meth = SCAAT(len(ds), eps=0.05, steps=2, gamma=0.1, seed=0)
    def on_step(info):
        print('step', info['step'], flush=True)
        if info['step'] == pause: time.sleep(600)     # wait here for the parent's SIGKILL: no race with later steps
    fit(m, meth, ds, 3, opt, batch_size=16, scheduler=sch, ckpt_dir=ckpt, ckpt_every=1, progress=False, on_step=on_step)
    torch.save({'model': m.state_dict(), 'opt': opt.state_dict(), 'sched': sch.state_dict(), 'q': meth.q}, out)
''')

def _run(tmp, out, ckpt, pause=-1):
    return subprocess.Popen([sys.executable, str(tmp/'train.py'), str(out), str(ckpt) if ckpt else '-', str(pause)],
                            stdout=subprocess.PIPE, text=True, env={**os.environ, 'OMP_NUM_THREADS': '1'})

def test_sigkill_mid_epoch_then_resume(tmp_path):
    (tmp_path/'train.py').write_text(SCRIPT)
    ref = _run(tmp_path, tmp_path/'ref.pt', None); assert ref.wait(300) == 0
    ckpt = tmp_path/'ckpt'
    p = _run(tmp_path, tmp_path/'never.pt', ckpt, pause=14)
    for line in p.stdout:                        # epoch 2 of 3 has 10 steps: kill in its middle (global step 14)
        if line.strip() == 'step 14': p.send_signal(signal.SIGKILL); break
    p.wait(60); assert p.returncode == -signal.SIGKILL
    st = torch.load(ckpt/'last.pt', weights_only=True)
    assert (st['epoch'], st['batch']) == (1, 3)   # mid-epoch: steps 11-20 are epoch 1; step 13 checkpointed batch 3 next
    assert not (tmp_path/'never.pt').exists()
    r = _run(tmp_path, tmp_path/'resumed.pt', ckpt); assert r.wait(300) == 0
    a, b = torch.load(tmp_path/'ref.pt', weights_only=True), torch.load(tmp_path/'resumed.pt', weights_only=True)
    for k in a['model']: assert torch.equal(a['model'][k], b['model'][k]), k
    assert torch.equal(a['q'], b['q']) and (a['q'] != 0.5).any()
    assert a['sched'] == b['sched']
    for s, t in zip(a['opt']['state'].values(), b['opt']['state'].values()):
        assert all(torch.equal(s[k], t[k]) for k in s)
    assert [f.name for f in ckpt.iterdir()] == ['last.pt']    # no temporary files left

def test_half_written_checkpoint_is_never_loaded(tmp_path):
    "A crash while writing leaves the temporary file, never a truncated last.pt; the loader only reads last.pt."
    from salnb.train.loop import save_checkpoint, load_checkpoint
    save_checkpoint({'step': 1, 'w': torch.ones(3)}, tmp_path/'last.pt')
    code = textwrap.dedent(f'''
        import os, torch
        from salnb.train import loop
        real = torch.save
        def dying_save(obj, f):
            f.write(b'PK\\x03\\x04 partial'); f.flush(); os.kill(os.getpid(), 9)
        loop.torch.save = dying_save
        loop.save_checkpoint({{'step': 2}}, {str(tmp_path/'last.pt')!r})
    ''')
    p = subprocess.run([sys.executable, '-c', code]); assert p.returncode == -9
    assert load_checkpoint(tmp_path/'last.pt')['step'] == 1
