"""Seconds per epoch of each training method against regular training and against its floor, in one run.

Model and data: salnb's SmallCNN (global max pooling) on cluttered Fashion-MNIST canvases (64×64, batch 64),
materialised in memory so that data generation is not timed. A "step" is what `fit` does per batch:
`method(model, batch)`, `zero_grad`, `backward`, `optimizer.step`.

Floors (the passes each algorithm cannot avoid, timed as plain passes alternately with the method's steps, so that a
shared machine's changing speed hits both sides alike):
  regular  = fwd+bwd(B)                                  (the step itself)
  SCAAT    = (k+1) × fwd+input-grad(B) + fwd(B) + fwd+bwd(2B)
             (saliency, k attack steps, the clean target, then clean+adversarial training forwards)
  FGSM     = the same with k = 1
  SGT      = fwd+input-grad(B) + fwd+bwd(2B)
  GC       = fwd+bwd(B) + fwd+bwd(B composites at 4× the pixels)   (no double backprop counted: the ratio shows it)
  IB-SGL   = IBA at `features` + fwd+bwd(B), where IBA's part = head fwd(B) once + 10 steps of the bare algorithm on
             B×10 noisy copies, written out plainly here: λ = blur(sigmoid(α)) (σ_s = 1, as two small matrices),
             Z = λR + (1−λ)(μ + σε), the tail (pool, fc), CE + β·capacity, gradient to α, one Adam step. SmallCNN's
             tail is only pooling and a linear layer, so almost all of IBA's cost is the bottleneck on the 10 copies;
             the first version of this script counted tail passes alone, which left that out and is not a floor.
             What the bare steps leave out is salnb's own: 1 − λ computed accurately, inactive elements masked, the
             per-step history and the split check. The maps' double backprop (tail only) is not counted.
"""
import argparse, statistics, time
import torch, torch.nn.functional as F

ap = argparse.ArgumentParser()
ap.add_argument('--quick', action='store_true'); ap.add_argument('--steps', type=int, default=None)
ap.add_argument('--threads', type=int, default=torch.get_num_threads()); ap.add_argument('--batch', type=int, default=64)
a = ap.parse_args()
torch.set_num_threads(a.threads)
N = a.steps or (5 if a.quick else 20); B = a.batch

from salnb.data import ClutteredFashionMNIST, load_embedded_fashion_mnist, make_composites
from salnb.models import SmallCNN
from salnb.train.methods import Regular, SCAAT, GC, SaliencyGuided

xt, yt = load_embedded_fashion_mnist('train')
ds = ClutteredFashionMNIST(xt, yt, n=B * N, canvas=64, seed=0)
samples = [ds[i] for i in range(len(ds))]
batches = [{'image': torch.stack([s['image'] for s in samples[i:i + B]]), 'label': torch.stack([s['label'] for s in samples[i:i + B]]),
            'index': torch.arange(i, i + B), 'iteration': i // B} for i in range(0, len(samples), B)]

def new_model():
    torch.manual_seed(0); return SmallCNN(width=16, pool='max')

def time_steps(make_method, floor):
    "Median step time, median floor time and median per-round ratio; each round times the floor, then one step."
    model = new_model(); model.train(); opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    method = make_method(model)
    def step(b):
        losses = method(model, b); opt.zero_grad(); losses['loss'].backward(); opt.step()
    step(batches[0]); floor()                           # warm-up
    ts, fs = [], []
    for b in batches:
        t0 = time.perf_counter(); floor(); fs.append(time.perf_counter() - t0)
        t0 = time.perf_counter(); step(b); ts.append(time.perf_counter() - t0)
    return statistics.median(ts), statistics.median(fs), statistics.median(t / f for t, f in zip(ts, fs))

model = new_model(); model.train()
x, y = batches[0]['image'], batches[0]['label']
def fwdbwd(xx, yy):
    model.zero_grad(); F.cross_entropy(model(xx), yy).backward()
def fwd_inputgrad(xx, yy):
    xg = xx.clone().requires_grad_()
    for p in model.parameters(): p.requires_grad_(False)
    try: torch.autograd.grad(model(xg).gather(1, yy[:, None]).sum(), xg)
    finally:
        for p in model.parameters(): p.requires_grad_(True)
def fwd(xx):
    with torch.no_grad(): model(xx)
comp = make_composites(x, y, generator=torch.Generator().manual_seed(0))['image']
x2, y2 = torch.cat([x, x]), torch.cat([y, y])
def seq(*fs): return lambda: [f() for f in fs]
floors = {'regular': lambda: fwdbwd(x, y),
          'scaat_pgd4': seq(*[lambda: fwd_inputgrad(x, y)] * 5, lambda: fwd(x), lambda: fwdbwd(x2, y2)),
          'scaat_fgsm': seq(*[lambda: fwd_inputgrad(x, y)] * 2, lambda: fwd(x), lambda: fwdbwd(x2, y2)),
          'sgt': seq(lambda: fwd_inputgrad(x, y), lambda: fwdbwd(x2, y2)),
          'gc': seq(lambda: fwdbwd(x, y), lambda: fwdbwd(comp, y))}
methods = {'regular': lambda m: Regular(),
           'scaat_pgd4': lambda m: SCAAT(B * N, eps=8 / 255, steps=4),
           'scaat_fgsm': lambda m: SCAAT(B * N, eps=8 / 255, attack='fgsm'),
           'sgt': lambda m: SaliencyGuided(frac=0.5),
           'gc': lambda m: GC('features', lam=1.0),
           'ib_sgl': lambda m: IBSGL(IBA(m, layer='features', batch_size=B).estimate(est_data, len(est_data) * B))}
from salnb.train.methods import IBSGL
from salnb.attr.iba import IBA
est_data = [b['image'] for b in batches]
feats = model.features(x).detach()
mu, sd = feats.mean(0), feats.std(0).clamp_min(0.01)
def blur_mat(n, r=2, sigma=1.):   # reflected-border Gaussian blur as an n×n matrix (σ_s = 1: kernel 5)
    k = torch.exp(-torch.arange(-r, r + 1.) ** 2 / (2 * sigma ** 2)); k /= k.sum()
    M = torch.zeros(n, n)
    for i in range(n):
        for j in range(-r, r + 1):
            src = abs(i + j); src = 2 * (n - 1) - src if src > n - 1 else src
            M[i, src] += k[j + r]
    return M
Mh, Mw = blur_mat(feats.shape[2]), blur_mat(feats.shape[3])
def iba_floor():         # IBA's unavoidable work per step: 10 bare steps of the algorithm on B × 10 noisy copies
    alpha = torch.full_like(feats, 5.).requires_grad_(); yN = y.repeat_interleave(10)
    opt = torch.optim.Adam([alpha], lr=1.)
    for p in model.parameters(): p.requires_grad_(False)
    try:
        for _ in range(10):
            lam = Mh @ torch.sigmoid(alpha) @ Mw.T
            Z = torch.addcmul((lam * feats + (1 - lam) * mu)[:, None], ((1 - lam) * sd)[:, None], torch.randn(1, 10, *feats.shape[1:]))
            cap = -0.5 * (1 + 2 * torch.log(1 - lam) - (lam * (feats - mu) / sd) ** 2 - (1 - lam) ** 2)
            loss = F.cross_entropy(model.fc(model.pool(Z.flatten(0, 1))), yN) + cap.mean()
            alpha.grad, = torch.autograd.grad(loss, alpha); opt.step()
    finally:
        for p in model.parameters(): p.requires_grad_(True)
floors['ib_sgl'] = seq(lambda: fwd(x), iba_floor, lambda: fwdbwd(x, y))
print(f"torch {torch.__version__}, {a.threads} threads, SmallCNN(width 16, GMP) on 64×64 cluttered Fashion-MNIST, batch {B}, "
      f"{N} rounds per method (each round: the floor's passes, then one step; medians)")
import warnings; warnings.filterwarnings('ignore')   # the estimator's "few samples" warning
res = {name: time_steps(make, floors[name]) for name, make in methods.items()}
reg = res['regular'][0]
steps_per_epoch = 60000 // B
print(f"{'method':<12} {'ms/step':>8} {'s/epoch*':>9} {'× regular':>10} {'floor ms':>9} {'× floor':>8}")
for name, (t, f, r) in res.items():
    print(f"{name:<12} {t*1e3:8.1f} {t*steps_per_epoch:9.1f} {t/reg:10.2f} {f*1e3:9.1f} {r:8.2f}")
print(f"* an epoch of 60 000 canvases at this batch size ({steps_per_epoch} steps). × floor is the median of the per-round "
      f"ratios. Paper (SCAAT, ResNet-18): PGD-4 2.5×, FGSM 1.4× regular.")
