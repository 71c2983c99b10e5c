"""Time salnb's Occlusion, RISE and extremal perturbation on a torchvision ResNet-50 (random weights, 224²) against
their floors and, where installed, against Captum's Occlusion with the same windows — all in the same run.

Floors: occlusion and RISE are a fixed number of masked forward passes (occlusion: one per window and image; RISE: one
per mask and image), so their floor is that many plain `no_grad` forwards at the batch size the methods use, run back
to back on a fixed batch (occlusion also runs one forward of the clean images, which its floor does not count).
Extremal perturbation's floor is one forward + input-gradient backward of the batch per iteration.

The machine may be shared, so the measurements are interleaved: each round times every floor and every method once,
and the medians over rounds are compared (a slow spell then hits all of them alike). Both wall-clock time and the
process's CPU time are reported; on a loaded machine the CPU-time ratios are the steadier ones (and `--threads 1`
suffers far less from other processes than 2 threads do).

    python bench/bench_perturb.py           # occlusion 2 images × 196 windows (16×16, stride 16); RISE 1 × 512 masks; EP 2 × 20 steps
    python bench/bench_perturb.py --quick   # occlusion 2 images × 49 windows (32×32, stride 32); RISE 1 × 96 masks; EP 2 × 5 steps
"""
import argparse, statistics, time, warnings
import torch, torchvision

ap = argparse.ArgumentParser()
ap.add_argument('--quick', action='store_true'); ap.add_argument('--rounds', type=int, default=3)
ap.add_argument('--threads', type=int, default=2); ap.add_argument('--batch', type=int, default=16)
a = ap.parse_args()
torch.set_num_threads(a.threads)
NI, WIN, NMASK, NIT = (2, 32, 96, 5) if a.quick else (2, 16, 512, 20)
BS = a.batch
model = torchvision.models.resnet50(weights=None).eval()
for p in model.parameters(): p.requires_grad_(False)
x = torch.rand(NI, 3, 224, 224, generator=torch.Generator().manual_seed(0))
t = torch.randint(0, 1000, (NI,), generator=torch.Generator().manual_seed(1))
P = (224 // WIN) ** 2

from salnb.attr.perturb import Occlusion, RISE, ExtremalPerturbation
xb = torch.rand(BS, 3, 224, 224, generator=torch.Generator().manual_seed(2))
def forwards(rows):                       # the floor: `rows` masked images in batches of BS, plain no_grad forwards
    with torch.no_grad():
        for s in range(0, rows, BS): model(xb[:min(BS, rows - s)])
xg = x.clone().requires_grad_()
def ep_floor():
    for _ in range(NIT): torch.autograd.grad(model(xg).gather(1, t[:, None]).sum(), xg)

occ = Occlusion(model, patch=WIN, stride=WIN, baseline=0., batch_size=BS)
rise = RISE(model, n_masks=NMASK, cells=7, p=0.5, batch_size=BS, seed=0)
ep = ExtremalPerturbation(model, area=0.1, iterations=NIT)
jobs = {'floor: occlusion': lambda: forwards(NI * P), 'salnb Occlusion': lambda: occ(x, t)}
try:
    import captum.attr as ca
    warnings.filterwarnings('ignore')
    cocc = ca.Occlusion(model)
    run_captum = lambda: cocc.attribute(x, sliding_window_shapes=(3, WIN, WIN), strides=(3, WIN, WIN), baselines=0.,
                                        target=t, perturbations_per_eval=BS // NI)
    jobs['captum Occlusion'] = run_captum
except ImportError: run_captum = None
jobs.update({'floor: RISE': lambda: forwards(NMASK), 'salnb RISE': lambda: rise(x[:1], t[:1]),
             'floor: extremal perturbation': ep_floor, 'salnb ExtremalPerturbation': lambda: ep(x, t)})

print(f"torch {torch.__version__}, {a.threads} threads, ResNet-50 random weights, 224², forward batch {BS}, "
      f"median of {a.rounds} interleaved rounds")
print(f"occlusion: {NI} images × {P} windows of {WIN}×{WIN}, stride {WIN} ({NI * P} masked forwards); "
      f"RISE: 1 image × {NMASK} masks, 7×7 cells, p=½ ({NMASK} masked forwards); "
      f"extremal perturbation: {NI} images × {NIT} steps")
forwards(BS + BS // 2)                    # warm-up: both batch shapes the runs use
times = {k: [] for k in jobs}; cpu = {k: [] for k in jobs}
for r in range(a.rounds):
    for k, f in jobs.items():
        t0, c0 = time.perf_counter(), time.process_time(); f()
        times[k].append(time.perf_counter() - t0); cpu[k].append(time.process_time() - c0)
    print(f"round {r + 1} (wall / cpu s): " + ', '.join(f"{k} {times[k][-1]:.1f} / {cpu[k][-1]:.1f}" for k in jobs), flush=True)
med = {k: statistics.median(v) for k, v in times.items()}
cmed = {k: statistics.median(v) for k, v in cpu.items()}

def line(name, floor, extra=''):
    print(f"{name:<32} {med[name]:8.2f} s wall {med[name] / med[floor]:5.2f}× floor | {cmed[name]:8.2f} s cpu "
          f"{cmed[name] / cmed[floor]:5.2f}× floor{extra}")
print()
def floor_line(name, extra=''): print(f"{name:<32} {med[name]:8.2f} s wall              | {cmed[name]:8.2f} s cpu{extra}")
floor_line('floor: occlusion', f"   ({med['floor: occlusion'] / (NI * P) * 1000:.0f} ms wall per masked forward)")
line('salnb Occlusion', 'floor: occlusion')
if run_captum is not None:
    line('captum Occlusion', 'floor: occlusion', '  (same windows, baseline and forward batch)')
    print(f"   salnb Occlusion is {med['captum Occlusion'] / med['salnb Occlusion']:.2f}× (wall) / "
          f"{cmed['captum Occlusion'] / cmed['salnb Occlusion']:.2f}× (cpu) faster than Captum; "
          f"max |salnb − captum| on the maps: {(occ(x, t) - run_captum().mean(1, keepdim=True)).abs().max().item():.1e}")
else: print('captum not installed: skipped (pip install captum)')
floor_line('floor: RISE')
line('salnb RISE', 'floor: RISE')
floor_line('floor: extremal perturbation')
line('salnb ExtremalPerturbation', 'floor: extremal perturbation')
