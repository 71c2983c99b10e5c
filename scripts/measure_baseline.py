"""Measure the competent baseline of issue 20: ResNet-20 (batch norm, width 16) on textured Fashion-MNIST canvases.

AdamW + one-cycle (stepped per batch), batch 128, all 60 000 training images, 10 000 test canvases; trained with
`salnb.train.loop.fit`, checkpointing each epoch (rerun the same command to resume). Prints per-epoch test accuracy
and wall time. With `--budget-min` the number of epochs is chosen up front from a timed probe of a few steps (the
one-cycle schedule needs its length in advance).

    OMP_NUM_THREADS=1 python scripts/measure_baseline.py --budget-min 35 > log.txt
"""
import argparse, copy, math, os, platform, sys, time
import torch
import salnb
from salnb.data import TexturedFashionMNIST, precompute
from salnb.models import ResNet20
from salnb.train.loop import accuracy, evaluate, fit
from salnb.train.methods import Regular

p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument('--epochs', type=int, default=None, help='epochs (default: as many as fit in --budget-min)')
p.add_argument('--budget-min', type=float, default=35.0, help='wall-clock budget used to choose --epochs')
p.add_argument('--canvas', type=int, default=40)
p.add_argument('--n-clutter', type=int, default=4)
p.add_argument('--batch', type=int, default=128)
p.add_argument('--lr', type=float, default=5e-3, help='one-cycle peak learning rate')
p.add_argument('--wd', type=float, default=0.05, help='AdamW weight decay')
p.add_argument('--seed', type=int, default=0)
p.add_argument('--n-train', type=int, default=None, help='training canvases (default: all 60 000)')
p.add_argument('--probe-every', type=float, default=0.25, help='also test on --probe-n test canvases every this fraction of an epoch (0: off)')
p.add_argument('--probe-n', type=int, default=2000)
p.add_argument('--ckpt-dir', default='/tmp/salnb_baseline_ckpt')
a = p.parse_args()
if a.epochs is not None and a.epochs < 1: p.error('--epochs must be ≥ 1')

def say(*xs): print(*xs, flush=True)
T0 = time.time()
say(f"# salnb {salnb.__version__}, torch {torch.__version__}, python {platform.python_version()}, "
    f"threads {torch.get_num_threads()} (OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS')}), cpus {os.cpu_count()}, "
    f"load avg at start {os.getloadavg()[0]:.2f}")
say(f"# config: {vars(a)}")

t = time.time()
train = precompute(TexturedFashionMNIST('train', n=a.n_train, canvas=a.canvas, n_clutter=a.n_clutter, seed=a.seed), keys=('image', 'label'))
test = precompute(TexturedFashionMNIST('test', canvas=a.canvas, n_clutter=a.n_clutter, seed=a.seed), keys=('image', 'label'))
say(f"# precomputed {len(train)} train + {len(test)} test canvases in {time.time()-t:.1f} s")

torch.manual_seed(a.seed)
model = ResNet20(in_ch=1, n_classes=10, width=16)
steps = math.ceil(len(train) / a.batch)
if a.epochs is None:                                   # probe: time a few steps on a throwaway copy
    m, n_probe = copy.deepcopy(model), 12
    opt = torch.optim.AdamW(m.parameters(), lr=1e-3)
    xb, yb = train.tensors['image'][:a.batch], train.tensors['label'][:a.batch]
    m.train()
    for k in range(n_probe + 2):
        if k == 2: tp = time.time()
        loss = torch.nn.functional.cross_entropy(m(xb), yb); opt.zero_grad(); loss.backward(); opt.step()
    step_s = (time.time() - tp) / n_probe
    est = step_s * steps * 1.10                        # + ~10 % for evaluation and data handling
    left = a.budget_min * 60 - (time.time() - T0)
    a.epochs = max(1, int(left // est))
    say(f"# probe: {step_s*1e3:.0f} ms/step -> about {est/60:.1f} min/epoch; {a.epochs} epochs fit in {left/60:.1f} min")

opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=a.wd)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=a.lr, total_steps=a.epochs * steps)
every = max(1, round(a.probe_every * steps)) if a.probe_every > 0 else None
probe = torch.utils.data.Subset(test, range(min(a.probe_n, len(test))))
def on_step(info):                                     # a learning curve inside the epoch (first --probe-n test canvases)
    if every and info['step'] % every == 0 and info['step'] % steps != 0:
        acc = evaluate(model, probe, {'acc': accuracy})['val_acc']
        say(f"  step {info['step']:5d} (epoch {info['step']/steps:.2f}): test acc on first {len(probe)} = {100*acc:.2f}%  total {(time.time()-T0)/60:.2f} min")
say("epoch  train_loss  test_acc  epoch_min  total_min")
for e in range(1, a.epochs + 1):
    hist = fit(model, Regular(), train, epochs=e, optimizer=opt, batch_size=a.batch, scheduler=sched, sched_every='step',
               val_ds=test, ckpt_dir=a.ckpt_dir, resume=True, seed=a.seed, progress=False, on_step=on_step)
    r = hist[-1]
    say(f"{r['epoch']:5d}  {r['train_loss']:10.4f}  {100*r['val_acc']:7.2f}%  {r['seconds']/60:9.2f}  {(time.time()-T0)/60:9.2f}")
say(f"# done in {(time.time()-T0)/60:.1f} min; load avg at end {os.getloadavg()[0]:.2f}")
