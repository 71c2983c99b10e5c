"""Time salnb's faithfulness metrics and the cascading randomisation test on a torchvision ResNet-50 (random weights,
224²) against Quantus at equal settings and against the floor — the model forwards (or forward + input-gradient
passes) a metric cannot avoid, timed as plain passes of the same sizes — all in the same run, on the same model,
images, targets and maps (|gradient| summed over channels).

    python bench/bench_metrics.py --quick   # 2 images (1 for the randomisation test), degradation on 56×56 tiles
    python bench/bench_metrics.py           # 16 images (4), degradation on 28×28 tiles, 3 rounds

Equal settings, per metric (images pushed through the model are counted per run):
  AOPC MoRF     salnb aopc(region=14, 20 steps of one tile, uniform random pixels, 1 repeat)
                Quantus RegionPerturbation(patch_size=14, regions_evaluation=20, order='morf', perturb_baseline='uniform')
  degradation   salnb degradation(tile=T, one tile per step, mean baseline) = MoRF + LeRF curves
                Quantus RegionPerturbation(patch_size=T, regions_evaluation=all tiles, 'mean') run for 'morf' and 'lerf'
  deletion      salnb deletion(pixels_per_step=1046, baseline 0): 48 steps
                Quantus PixelFlipping(features_in_step=3136, 'black'): 48 steps (it counts the attribution broadcast
                to 3 channels: 3136 elements ≈ 1045 pixels; it requires the step to divide H·W)
  sensitivity-n salnb sensitivity_n(12 values of n, 4 random sets each = 48 perturbed images per sample, logits)
                Quantus SensitivityN(features_in_step=3136, logits): 48 perturbed images per sample (a different
                definition — cumulative MoRF removal correlated across samples — so only the work is equal)
  sens-n, 4 maps the same sensitivity-n for four methods' maps: salnb one call with a dict of maps (the perturbed
                images do not depend on the map, so they are scored once), Quantus one call per map; the floor is
                the forwards each library needs (salnb 49, Quantus 4 × 49 images per sample)
  randomisation salnb cascading_randomization, Quantus MPRT(top_down, ssim): every layer with parameters, top-down,
                |gradient| maps after each layer (salnb AbsGradient vs quantus.explain Saliency)
The machine may be shared: salnb, Quantus and the floor passes run interleaved, round by round, and the medians
over --rounds are reported, as wall-clock and as process CPU time. On a loaded machine run with --threads 1: a
single-threaded process's CPU time is not inflated by threads spinning while they wait for a core.
The randomisation test runs one round.
"""
import argparse, math, os, time, warnings
import numpy as np, torch, torchvision

ap = argparse.ArgumentParser()
ap.add_argument('--quick', action='store_true'); ap.add_argument('--rounds', type=int, default=None)
ap.add_argument('--threads', type=int, default=2)
ap.add_argument('--only', nargs='*', default=None, help='subset of: aopc degradation deletion sensitivity sensitivity4 randomisation')
a = ap.parse_args()
want = lambda k: a.only is None or k in a.only
ROUNDS = a.rounds or (2 if a.quick else 3)
torch.set_num_threads(a.threads)
warnings.filterwarnings('ignore')
B, MB, DT = (2, 1, 56) if a.quick else (16, 4, 28)
BS = B                                                     # salnb's batch_size: the same images per forward as Quantus
print(f"{time.strftime('%Y-%m-%d %H:%M:%S')}  load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}  "
      f"torch {torch.__version__}, {a.threads} threads, {'quick' if a.quick else 'full'} mode")
print(f"ResNet-50 (random weights) @224, {B} images ({MB} for the randomisation test), salnb batch_size {BS}")

model = torchvision.models.resnet50(weights=None).eval()
g = torch.Generator().manual_seed(0)
x = torch.rand(B, 3, 224, 224, generator=g)
t = torch.randint(0, 1000, (B,), generator=torch.Generator().manual_seed(1))
from salnb.attr.gradient import AbsGradient
from salnb.metrics.faithfulness import aopc, degradation, deletion, sensitivity_n
from salnb.metrics.sanity import cascading_randomization, randomizable_layers
maps = AbsGradient(model)(x, t)


def clock(f):
    w, c = time.perf_counter(), time.process_time(); f()
    return np.array([time.perf_counter() - w, time.process_time() - c])

xbig = x.repeat(math.ceil(16 / B), 1, 1, 1)               # up to 16 images for the forward timings
def fwd(n):
    with torch.no_grad(): model(xbig[:n])
def floor_fn(n_images, chunk):                             # the plain no_grad forwards: n_images in chunks of `chunk`
    full, rem = divmod(n_images, chunk)
    sizes = sorted({chunk} | ({rem} if rem else set()))
    return (lambda times: full * times[chunk] + (times[rem] if rem else 0.)), sizes

def run(name, salnb_f, salnb_floor, quantus_f=None, quantus_floor=None, rounds=ROUNDS, note=''):
    "Interleave salnb, Quantus and the forward passes the floors are made of; medians over rounds of (wall, cpu)."
    sizes = sorted(set(salnb_floor[1]) | (set(quantus_floor[1]) if quantus_f else set()))
    S, Q, FS, FQ = [], [], [], []
    for _ in range(rounds):
        times = {n: clock(lambda: fwd(n)) for n in sizes}
        S.append(clock(salnb_f)); FS.append(salnb_floor[0](times))
        if quantus_f: Q.append(clock(quantus_f)); FQ.append(quantus_floor[0](times))
    med = lambda v: np.median(np.stack(v), 0)
    s, fs = med(S), med(FS)
    line = f"{name:<15} salnb {s[0]:7.2f} s {s[0] / fs[0]:5.2f}× floor (cpu {s[1] / fs[1]:4.2f}×)"
    if quantus_f:
        q, fq = med(Q), med(FQ)
        line += f" | Quantus {q[0]:7.2f} s {q[0] / fq[0]:5.2f}× floor (cpu {q[1] / fq[1]:4.2f}×) | salnb {q[0] / s[0]:5.2f}× faster (cpu {q[1] / s[1]:4.2f}×)"
    print(line + (f"  {note}" if note else ''), flush=True)

with torch.no_grad(): [model(xbig[:n]) for n in (BS, B)]           # warm-up
try:
    import quantus
    xn, yn, an = x.numpy(), t.numpy(), maps.numpy()
    Qk = dict(model=model, x_batch=xn, y_batch=yn, a_batch=an, device='cpu', batch_size=B)
except ImportError:
    quantus = None; print('quantus not installed: peer timings skipped (pip install quantus)')
q = lambda m, **kw: (lambda: m(**Qk, **kw)) if quantus else None

def plus(*fl):                                            # sum of floors
    return (lambda times: sum(f[0](times) for f in fl)), sorted(set().union(*[f[1] for f in fl]))

# ---- AOPC MoRF: 14×14 regions, 20 steps of one region, uniform random pixels
if want('aopc'):
    nt = (224 // 14) ** 2
    run('AOPC MoRF', lambda: aopc(model, x, maps, t, 'morf', region=14, fraction=20 / nt, steps=20, repeats=1, batch_size=BS),
        plus(floor_fn(B, BS), floor_fn(20 * B, BS)),
        q(quantus and quantus.RegionPerturbation(patch_size=14, regions_evaluation=20, order='morf', perturb_baseline='uniform', disable_warnings=True)),
        floor_fn(21 * B, B), note=f"[{21 * B} images each]")

# ---- degradation: MoRF + LeRF over all DT×DT tiles, one tile per step, mean baseline
if want('degradation'):
    nt = (224 // DT) ** 2
    if quantus:
        qms = [quantus.RegionPerturbation(patch_size=DT, regions_evaluation=nt, order=o, perturb_baseline='mean', disable_warnings=True) for o in ('morf', 'lerf')]
    run(f'degradation {DT}', lambda: degradation(model, x, maps, t, tile=DT, steps=nt, baseline='mean', batch_size=BS, t1=1., b=0.),
        plus(floor_fn(B, BS), floor_fn(nt * B, BS), floor_fn(nt * B, BS)),
        (lambda: [m(**Qk) for m in qms]) if quantus else None, floor_fn(2 * (nt + 1) * B, B),
        note=f"[{nt} tiles; salnb {(2 * nt + 1) * B}, Quantus {2 * (nt + 1) * B} images]")

# ---- deletion: 48 steps
if want('deletion'):
    run('deletion', lambda: deletion(model, x, maps, t, pixels_per_step=1046, baseline=0., batch_size=BS),
        plus(floor_fn(B, BS), floor_fn(48 * B, BS)),
        q(quantus and quantus.PixelFlipping(features_in_step=3136, perturb_baseline='black', disable_warnings=True)),
        floor_fn(48 * B, B), note=f"[salnb {49 * B}, Quantus {48 * B} images]")

# ---- sensitivity-n: 48 perturbed images per sample
ns = sorted({max(1, round(v)) for v in np.logspace(0, math.log10(0.8 * 224 * 224), 12)})   # 12 values of n (both cases)
if want('sensitivity'):
    run('sensitivity-n', lambda: sensitivity_n(model, x, maps, t, n=ns, tile=1, n_sets=4, batch_size=BS),
        plus(floor_fn(B, BS), floor_fn(len(ns) * 4 * B, BS)),
        q(quantus and quantus.SensitivityN(features_in_step=3136, n_max_percentage=0.8, disable_warnings=True), softmax=False),
        floor_fn(49 * B, B), note=f"[salnb {(1 + 4 * len(ns)) * B}, Quantus {49 * B} images]")

# ---- sensitivity-n of four methods: salnb scores the perturbed images once (a dict of maps), Quantus once per method
if want('sensitivity4'):
    from salnb.attr.gradient import Gradient, InputXGradient
    four = {'abs_grad': maps, 'grad': Gradient(model)(x, t), 'ixg': InputXGradient(model)(x, t),
            'random': torch.rand(maps.shape, generator=torch.Generator().manual_seed(2))}
    def quantus_four():
        for m in four.values():
            quantus.SensitivityN(features_in_step=3136, n_max_percentage=0.8, disable_warnings=True)(**{**Qk, 'a_batch': m.numpy()}, softmax=False)
    run('sens-n, 4 maps', lambda: sensitivity_n(model, x, four, t, n=ns, tile=1, n_sets=4, batch_size=BS),
        plus(floor_fn(B, BS), floor_fn(len(ns) * 4 * B, BS)),
        quantus_four if quantus else None, floor_fn(4 * 49 * B, B),
        note=f"[salnb {(1 + 4 * len(ns)) * B} images for all four maps, Quantus {4 * 49 * B}]")

# ---- cascading randomisation, layer by layer, one round
if want('randomisation'):
    L = len(randomizable_layers(model))
    xm, tm = x[:MB], t[:MB]
    def fwd_inputgrad():
        xs = xm.clone().requires_grad_()
        for p in model.parameters(): p.requires_grad_(False)
        try: torch.autograd.grad(model(xs).gather(1, tm[:, None]).sum(), xs)
        finally:
            for p in model.parameters(): p.requires_grad_(True)
    def salnb_mprt():
        r = cascading_randomization(model, xm, target=tm, make_explainer=lambda mm: AbsGradient(mm))
        assert r.scores.shape == (MB, L)
    def quantus_mprt():
        # quantus.similarity_func.ssim returns a list where MPRT (0.6.0) expects an array: wrap it
        ssim_q = lambda a_, b_, batched=False, **kw: np.asarray(quantus.similarity_func.ssim(a_, b_, batched=batched, **kw))
        m = quantus.MPRT(layer_order='top_down', similarity_func=ssim_q, disable_warnings=True)
        m(model=model, x_batch=xn[:MB], y_batch=yn[:MB], a_batch=an[:MB], device='cpu', batch_size=MB,
          explain_func=quantus.explain, explain_func_kwargs={'method': 'Saliency'})
        assert len(m.evaluation_scores) == L + 1
    def run_mprt():
        fb = [clock(fwd_inputgrad) for _ in range(2)]
        s = clock(salnb_mprt); fb.append(clock(fwd_inputgrad))
        qq = clock(quantus_mprt) if quantus else None; fb.append(clock(fwd_inputgrad))
        f = (L + 1) * np.median(np.stack(fb), 0)
        line = f"{'randomisation':<15} salnb {s[0]:7.2f} s {s[0] / f[0]:5.2f}× floor (cpu {s[1] / f[1]:4.2f}×)"
        if qq is not None:
            line += f" | Quantus {qq[0]:7.2f} s {qq[0] / f[0]:5.2f}× floor (cpu {qq[1] / f[1]:4.2f}×) | salnb {qq[0] / s[0]:5.2f}× faster (cpu {qq[1] / s[1]:4.2f}×)"
        print(line + f"  [{L} layers; floor = {L + 1} fwd+input-grad passes of {MB} images]", flush=True)
    run_mprt()
print('no_grad forward per image: ' + ', '.join(f"batch {n}: {1000 * np.median([clock(lambda: fwd(n))[0] for _ in range(3)]) / n:.0f} ms"
                                               for n in sorted({1, B, 16})))
print(f"{time.strftime('%Y-%m-%d %H:%M:%S')}  load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
