"""Time salnb's Grad-CAM, Integrated Gradients and SmoothGrad on a torchvision ResNet-50 (random weights, 224²)
against their floors and, where installed, against Captum and pytorch-grad-cam — all in the same run.

Floors: Grad-CAM ≥ one forward + an input-gradient backward of the batch is what gradient tools pay; IG and
SmoothGrad with n evaluations per image ≥ n × (forward + input-gradient) per image.

    python bench/bench_attr.py              # batch 16 for Grad-CAM; IG/SmoothGrad on 2 images × 50 steps
    python bench/bench_attr.py --quick      # batch 4, IG/SmoothGrad 2 images × 10 steps (a smoke run)
Prints one line per measurement and the ratios; medians of `--repeats` timed runs after one warm-up.
"""
import argparse, statistics, time, warnings
import torch, torchvision

ap = argparse.ArgumentParser()
ap.add_argument('--quick', action='store_true'); ap.add_argument('--repeats', type=int, default=3)
ap.add_argument('--threads', type=int, default=torch.get_num_threads())
a = ap.parse_args()
torch.set_num_threads(a.threads)
B, NI, STEPS = (4, 2, 10) if a.quick else (16, 2, 50)
torch.manual_seed(0)
model = torchvision.models.resnet50(weights=None).eval()
x = torch.rand(B, 3, 224, 224, generator=torch.Generator().manual_seed(0))
t = torch.randint(0, 1000, (B,), generator=torch.Generator().manual_seed(1))

def timeit(f):
    f()
    ts = []
    for _ in range(a.repeats):
        t0 = time.perf_counter(); f(); ts.append(time.perf_counter() - t0)
    return statistics.median(ts)

def timepair(f, g):
    "Median times of `f` and `g` run alternately (f, g, f, g, ...): drift and load from other jobs hit both alike."
    f(); g()
    tf, tg = [], []
    for _ in range(a.repeats):
        t0 = time.perf_counter(); f(); tf.append(time.perf_counter() - t0)
        t0 = time.perf_counter(); g(); tg.append(time.perf_counter() - t0)
    return statistics.median(tf), statistics.median(tg)

def floor_fwd_inputgrad(xb, tb):
    xg = xb.clone().requires_grad_()
    for p in model.parameters(): p.requires_grad_(False)
    try: torch.autograd.grad(model(xg).gather(1, tb[:, None]).sum(), xg)
    finally:
        for p in model.parameters(): p.requires_grad_(True)

def floor_fwd_backward(xb, tb):   # what .backward()-based tools pay: weight gradients too
    model.zero_grad(); model(xb).gather(1, tb[:, None]).sum().backward(); model.zero_grad()

from salnb.attr.cam import GradCAM
from salnb.attr.gradient import IntegratedGradients, SmoothGrad
rows = []
def report(name, sec, floor, floor_name):
    rows.append((name, sec, floor)); print(f"{name:<42} {sec:8.3f} s   {sec/floor:5.2f}× {floor_name}", flush=True)

print(f"torch {torch.__version__}, {a.threads} threads, ResNet-50 random weights, Grad-CAM batch {B}, IG/SmoothGrad {NI} images × {STEPS}")
f_in = timeit(lambda: floor_fwd_inputgrad(x, t)); print(f"{'floor: forward + input-gradient, batch':<42} {f_in:8.3f} s")
f_bw = timeit(lambda: floor_fwd_backward(x, t)); print(f"{'floor: forward + .backward(), batch':<42} {f_bw:8.3f} s")
with torch.no_grad(): f_fw = timeit(lambda: model(x))
print(f"{'floor: forward only, batch':<42} {f_fw:8.3f} s")
gc = GradCAM(model, 'layer4')
report('salnb GradCAM (layer4, upsampled)', timeit(lambda: gc(x, t)), f_in, 'fwd+input-grad')
report('salnb GradCAM (layer4) vs forward-only', rows[-1][1], f_fw, 'forward')

xi, ti = x[:NI], t[:NI]
fb = 16                                            # floor measured at the batch size the methods use
xf, tf = xi.repeat(fb // NI, 1, 1, 1), ti.repeat(fb // NI)
per_eval = timeit(lambda: floor_fwd_inputgrad(xf, tf)) / len(xf)
f_ig = per_eval * NI * STEPS
print(f"{'floor: IG/SG = n × fwd+input-grad per image':<42} {f_ig:8.3f} s  ({per_eval*1000:.1f} ms per evaluation at batch {fb})")
ig = IntegratedGradients(model, steps=STEPS, batch_size=fb)
sg = SmoothGrad(model, n=STEPS, sigma=0.15, batch_size=fb)
try:
    import captum.attr as ca
    warnings.filterwarnings('ignore')
    cig = ca.IntegratedGradients(model)
    cnt = ca.NoiseTunnel(ca.Saliency(model))
    s_ig, c_ig = timepair(lambda: ig(xi, ti), lambda: cig.attribute(xi, target=ti, n_steps=STEPS, internal_batch_size=fb))
    report('salnb IntegratedGradients', s_ig, f_ig, 'floor')
    report('captum IntegratedGradients (interleaved)', c_ig, f_ig, 'floor'); print(f"   salnb IG is {c_ig/s_ig:.2f}× faster than Captum")
    s_sg, c_sg = timepair(lambda: sg(xi, ti), lambda: cnt.attribute(xi, target=ti, nt_type='smoothgrad', nt_samples=STEPS,
                                                                   nt_samples_batch_size=fb // NI, stdevs=0.15, abs=False))
    report('salnb SmoothGrad', s_sg, f_ig, 'floor')
    report('captum NoiseTunnel(Saliency) (interleaved)', c_sg, f_ig, 'floor'); print(f"   salnb SmoothGrad is {c_sg/s_sg:.2f}× faster than Captum")
    # what a user gets without tuning: salnb's default batch (16) vs Captum's default (all B × steps rows at once)
    igd = IntegratedGradients(model, steps=STEPS)
    s_d, c_d = timepair(lambda: igd(xi, ti), lambda: cig.attribute(xi, target=ti, n_steps=STEPS))
    report('salnb IG, default batch_size', s_d, f_ig, 'floor')
    report(f'captum IG, default (one batch of {NI*STEPS})', c_d, f_ig, 'floor'); print(f"   at defaults salnb IG is {c_d/s_d:.2f}× faster than Captum")
    clg = ca.LayerGradCam(model, model.layer4)
    c_gc = timeit(lambda: ca.LayerAttribution.interpolate(clg.attribute(x, target=t, relu_attributions=True), (224, 224)))
    report('captum LayerGradCam + interpolate', c_gc, f_in, 'fwd+input-grad')
except ImportError:
    print('captum not installed: Captum rows skipped (pip install captum)')
    report('salnb IntegratedGradients', timeit(lambda: ig(xi, ti)), f_ig, 'floor')
    report('salnb SmoothGrad', timeit(lambda: sg(xi, ti)), f_ig, 'floor')
try:
    from pytorch_grad_cam import GradCAM as PGC
    from pytorch_grad_cam.utils.model_targets import ClassifierOutputTarget
    with PGC(model=model, target_layers=[model.layer4[-1]]) as pg:
        tg = [ClassifierOutputTarget(int(c)) for c in t]
        p_gc = timeit(lambda: pg(input_tensor=x, targets=tg))
    report('pytorch-grad-cam GradCAM', p_gc, f_in, 'fwd+input-grad')
    print(f"   salnb GradCAM is {p_gc/rows[0][1]:.2f}× faster than pytorch-grad-cam")
except ImportError: print('pytorch-grad-cam not installed: skipped (pip install grad-cam)')
