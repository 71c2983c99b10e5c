"""Time salnb's per-sample IBA on a torchvision ResNet-50 (random weights, 224², bottleneck after `layer2`) against
its floor and against the official algorithm's structure, all in the same run.

Floor per image = 10 × (layers after the bottleneck, forward + backward to the bottleneck activations, batch 10)
                 + 1 × (layers up to the bottleneck, forward, batch 1)
— what 10 steps on 10 noisy copies cannot avoid. Reference = the official package's `analyze` structure written out
here: one image at a time, every step runs the WHOLE network on the 10 copies with a hook replacing `layer2`'s
output, then `loss.backward()`; once with the parameters left trainable (the package's README usage: weight
gradients are computed and never used) and once with them frozen. Same noise draws as salnb, so the maps agree.

The machine these run on is shared, and its speed changed by up to 20× within one run, so every comparison is made
in rounds, each measuring both sides back to back; the ratios printed are medians over rounds (each round's ratio
is printed too). Wall and CPU (process) time are both reported.

    python bench/bench_iba.py              # 16 images, 3 rounds
    python bench/bench_iba.py --quick      # 4 images, 2 rounds (~5 min each with 2 or 1 threads on a quiet 2-core machine)
    python bench/bench_iba.py --quick --threads 1   # steadier when other jobs share the cores
"""
import argparse, math, resource, statistics, time, warnings
import torch, torchvision
import torch.nn.functional as F
from torch import nn

ap = argparse.ArgumentParser()
ap.add_argument('--quick', action='store_true'); ap.add_argument('--rounds', type=int, default=None)
ap.add_argument('--threads', type=int, default=2); ap.add_argument('--images', type=int, default=None)
ap.add_argument('--chunk', type=int, default=4, help='images salnb optimises together (IBA batch_size)')
a = ap.parse_args()
torch.set_num_threads(a.threads)
N = a.images or (4 if a.quick else 16)
ROUNDS = a.rounds or (2 if a.quick else 3)
STEPS, COPIES, BETA = 10, 10, 10.

from salnb.attr.iba import IBA, Estimator, bottleneck_lambda, bottleneck_noise, kl_capacity

torch.manual_seed(0)
model = torchvision.models.resnet50(weights=None).eval()
x = torch.rand(N, 3, 224, 224, generator=torch.Generator().manual_seed(0))
t = torch.randint(0, 1000, (N,), generator=torch.Generator().manual_seed(1))
def rss_gb(): return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20

def clock(f):
    w, c = time.perf_counter(), time.process_time(); f()
    return time.perf_counter() - w, time.process_time() - c
def med(xs): return statistics.median(xs)

print(f"torch {torch.__version__}, {a.threads} threads, ResNet-50 random weights @224, bottleneck layer2 (512×28×28), "
      f"{STEPS} steps × {COPIES} copies, {N} images, salnb chunk {a.chunk}, {ROUNDS} rounds", flush=True)

with warnings.catch_warnings():
    warnings.simplefilter('ignore')
    data = torch.rand(32, 3, 224, 224, generator=torch.Generator().manual_seed(2)).split(16)
    w0, c0 = time.perf_counter(), time.process_time()
    est = Estimator().fit(model, data, 'layer2')
    w_est, c_est = time.perf_counter() - w0, time.process_time() - c0
print(f"{'Estimator.fit, 32 images (stops at layer2)':<52} {w_est:7.2f} s wall {c_est:7.2f} s cpu", flush=True)

# ---- the floor
head = nn.Sequential(model.conv1, model.bn1, model.relu, model.maxpool, model.layer1, model.layer2)
tail = nn.Sequential(model.layer3, model.layer4, model.avgpool, nn.Flatten(), model.fc)
def floor(batch):
    "Per image: 10 × tail fwd+bwd to the bottleneck (at `batch` copies, scaled to 10) + head fwd at batch 1."
    with torch.no_grad(): Rb = head(x[:1]).expand(batch, -1, -1, -1).contiguous()
    for p in model.parameters(): p.requires_grad_(False)
    try:
        def step():
            r = Rb.clone().requires_grad_()
            torch.autograd.grad(F.cross_entropy(tail(r), t[:1].expand(batch)), r)
        def head1():
            with torch.no_grad(): head(x[:1])
        step()
        ws, cs = zip(*[clock(step) for _ in range(3)])                   # median of 3 steps, ×10
        hw, hc = clock(head1)
        return STEPS * med(ws) * COPIES / batch + hw, STEPS * med(cs) * COPIES / batch + hc
    finally:
        for p in model.parameters(): p.requires_grad_(True)

# ---- the reference: the official analyze() structure, one image at a time, full forward every step
def reference(xi, ti, trainable):
    mean, std, active = est.mean, est.std, est.active(0.01)
    alpha = torch.full((1, *est.shape), 5.0, requires_grad=True)
    opt = torch.optim.Adam([alpha], lr=1.)
    g = torch.Generator().manual_seed(0)
    state = {}
    def hook(m, inp, out):
        lam, rest = bottleneck_lambda(alpha.expand(out.shape[0], -1, -1, -1), 1.)
        state['cap'] = kl_capacity(out, lam, mean, std, rest, active)
        return bottleneck_noise(out, lam, mean, std, state['eps'], rest, active)
    for p in model.parameters(): p.requires_grad_(trainable)
    h = model.layer2.register_forward_hook(hook)
    try:
        batch = xi.expand(COPIES, -1, -1, -1)
        for _ in range(STEPS):
            opt.zero_grad()
            state['eps'] = torch.randn((COPIES, *est.shape), generator=g)
            loss = F.cross_entropy(model(batch), ti.expand(COPIES)) + BETA * state['cap'].mean()
            loss.backward()
            opt.step()
    finally:
        h.remove(); model.zero_grad(set_to_none=True)
        for p in model.parameters(): p.requires_grad_(True)
    return alpha.detach()

def ref_capacity(xi, alpha):   # capacity at the final alpha, as salnb reports it (not timed)
    with torch.no_grad():
        lam, rest = bottleneck_lambda(alpha, 1.)
        return kl_capacity(head(xi), lam, est.mean, est.std, rest, est.active(0.01)) / math.log(2)

def salnb(xs, ts, chunk): return IBA(model, 'layer2', estimator=est, beta=BETA, steps=STEPS, n_noise=COPIES, batch_size=chunk, seed=0).capacity(xs, ts)

salnb(x[:1], t[:1], 1); reference(x[:1], t[:1], False)       # warm-up
print(f"{'after warm-up':<52} peak RSS {rss_gb():.2f} GB", flush=True)

# ---- 1. salnb per image against the floor at the same batch (1 image × 10 copies; and chunk images × 10 copies)
print("\n1. salnb per image vs the floor, side by side per round")
r1 = {1: [], a.chunk: []}
for r in range(ROUNDS):
    for chunk in r1:
        xs, ts = x[:chunk], t[:chunk]
        fw, fc = floor(chunk * COPIES)
        sw, sc = clock(lambda: salnb(xs, ts, chunk))
        sw, sc = sw / chunk, sc / chunk
        r1[chunk].append((sw / fw, sc / fc))
        print(f"   round {r + 1}, {chunk} image(s) × {COPIES} copies: floor {fw:6.2f} s wall {fc:6.2f} s cpu | salnb {sw:6.2f} s wall "
              f"{sc:6.2f} s cpu per image | ratio {sw / fw:.2f}× wall {sc / fc:.2f}× cpu", flush=True)
s_rss = rss_gb()

# ---- 2. a batch of N images in one salnb call vs N single-image runs of the official structure
print(f"\n2. {N} images: salnb in one call vs {N} single-image runs of the official structure, side by side per round")
r2 = {False: [], True: []}
for r in range(ROUNDS):
    res = {}
    def run_salnb(): res['salnb'] = salnb(x, t, a.chunk)
    sw, sc = clock(run_salnb)
    line = f"   round {r + 1}: salnb {sw:7.2f} s wall {sc:7.2f} s cpu"
    for trainable in (False, True):
        alphas = []
        w, c = clock(lambda: alphas.extend(reference(x[i:i+1], t[i:i+1], trainable) for i in range(N)))
        res[trainable] = torch.cat([ref_capacity(x[i:i+1], al) for i, al in enumerate(alphas)])
        r2[trainable].append((w / sw, c / sc))
        line += f" | ref {'trainable' if trainable else 'frozen'} {w:7.2f} s wall {c:7.2f} s cpu ({w / sw:.2f}× / {c / sc:.2f}×)"
    print(line, flush=True)

diff = max(float((res[k] - res['salnb']).abs().max() / res['salnb'].abs().max()) for k in (False, True))
tot = res['salnb'].sum((1, 2, 3))
print(f"\nmaps: official structure vs salnb, max |diff| / max = {diff:.1e}; total information per image {tot.min():.0f}-{tot.max():.0f} bits")
for chunk, v in r1.items():
    print(f"salnb / floor per image, {chunk} image(s) per call (batch {chunk * COPIES}): median {med([w for w, _ in v]):.2f}× wall, "
          f"{med([c for _, c in v]):.2f}× cpu   (goal ≤ 1.2×)")
for trainable, name in [(True, 'params trainable, the README usage'), (False, 'params frozen')]:
    v = r2[trainable]
    print(f"salnb batch of {N} vs {N} single-image official-structure runs ({name}): salnb {med([w for w, _ in v]):.2f}× faster wall, "
          f"{med([c for _, c in v]):.2f}× cpu   (goal ≥ 3×)")
print(f"peak RSS (getrusage, process-wide, monotone): after part 1 (salnb + floors) {s_rss:.2f} GB; whole run {rss_gb():.2f} GB")
