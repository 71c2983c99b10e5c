"""Run or resume the IB-SGL paper's main campaign (salnb.papers.ibsgl.run_main): one result file per (variant, seed).

Every run starts from the GC campaign's 5-epoch ResNet-20 baseline of its seed (the committed weights
nbs/papers/results/gc_main/baseline/seed<s>.safetensors, sha256 and config checked against that campaign's result file), so
start this after (or beside) scripts/campaign_gc.py: runs whose baseline is not finished are reported as waiting and
picked up by the next call. Finished runs are skipped and an interrupted fine-tune resumes from its checkpoint.

    OMP_NUM_THREADS=1 nohup .venv/bin/python scripts/campaign_ibsgl.py --commit > /tmp/ibsgl_campaign.log 2>&1 &
    # two single-thread processes side by side: add --shard 0 2 and --shard 1 2

--demo writes the fine-tune demonstration (map losses and maps on 16 fixed test canvases) to
nbs/papers/results/ibsgl_demo.json; --cost times the fine-tune steps of every variant (one batch, a few steps each).
"""
import argparse, copy, json, os, platform, subprocess, sys, time, warnings
from pathlib import Path
import torch
import salnb
from salnb.papers.common import resolve_config, write_json_atomic, provenance
from salnb.papers.common import commit_paths
from salnb.papers.ibsgl import run_main, MAIN_CONFIGS, MAIN_VARIANTS, main_sets, main_model, main_method, main_optimizer, demonstrate, load_baseline
from salnb.train.loop import load_checkpoint

p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument('--config', default='main', choices=list(MAIN_CONFIGS))
p.add_argument('--out', default='nbs/papers/results/ibsgl_main', help='result folder (one JSON per variant/seed)')
p.add_argument('--ckpt-root', default=None, help='checkpoints of the fine-tunes (default OUT/.ckpt, git-ignored)')
p.add_argument('--shard', nargs=2, type=int, default=(0, 1), metavar=('I', 'K'), help='run jobs I, I+K, ... of the grid')
p.add_argument('--commit', action='store_true', help='git-commit each result file as it lands (only that path)')
p.add_argument('--demo', action='store_true', help='write the fine-tune demonstration instead of running the campaign')
p.add_argument('--demo-start', default=None, help='checkpoint the demonstration starts from (default: GC baseline seed 0)')
p.add_argument('--demo-steps', type=int, default=128, help='fine-tune steps of each demonstration run (default: the campaign\'s 128)')
p.add_argument('--demo-probe', type=int, default=64, help='fixed test canvases the demonstration probes (losses, EBPG, accuracy, map change)')
p.add_argument('--demo-out', default='nbs/papers/results/ibsgl_demo.json')
p.add_argument('--demo-set', nargs='*', default=[], metavar='NAME:KEY=VALUE', help='extra demonstration runs, e.g. ibsgl:mu=10,eta=1.0')
p.add_argument('--demo-only', nargs='*', default=None, help='run only these demonstration names')
p.add_argument('--cost', action='store_true', help='time the fine-tune steps of every variant and exit')
p.add_argument('--cost-out', default='nbs/papers/results/ibsgl_cost.json')
a = p.parse_args()

def say(*xs): print(time.strftime('%H:%M:%S'), *xs, flush=True)
warnings.simplefilter('ignore')
say(f"salnb {salnb.__version__}, torch {torch.__version__}, python {platform.python_version()}, threads {torch.get_num_threads()} "
    f"(OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS')}), load {os.getloadavg()[0]:.2f}, config {a.config}")

def _value(x):
    if x in ('True', 'False'): return x == 'True'
    try: return float(x)
    except ValueError: return x

def start_model(cfg):
    if a.demo_start is None:                # the GC campaign's finished seed-0 baseline (committed weights)
        return load_baseline(cfg, None, 0), dict(path=f"{cfg['gc_dir']}/baseline/seed0.safetensors", epoch=cfg['epochs'], step=None)
    st = load_checkpoint(a.demo_start); m = main_model(cfg, 0); m.load_state_dict(st['model'])
    return m.eval(), dict(path=str(a.demo_start), epoch=st['epoch'], step=st['step'])

# demonstration runs: (name, main variant, config overrides)
DEMO = [('baseline_ft', 'baseline_ft', {}), ('ibsgl', 'ibsgl', {}), ('ibsgl_mu1', 'ibsgl', dict(mu=1.0)),
        ('ibsgl_absolute_step', 'ibsgl', dict(step='absolute', eta=1.0)), ('ibsgl_bn_train', 'ibsgl', dict(bn_eval=False)),
        ('ibsgl_official', 'ibsgl_official', {}), ('ibsgl_official_lam1', 'ibsgl_official', dict(lam=1.0)),
        ('ibsgl_official_opt', 'ibsgl_official_opt', {})]

if a.cost:
    cfg = resolve_config(MAIN_CONFIGS, a.config, dict(n_ft=256, n_test_acc=64, n_test=16, n_estimate=256), resolve_device=False)
    sets = main_sets(cfg); m0, info = start_model(cfg)
    b = next(iter(torch.utils.data.DataLoader(sets['ft'], batch_size=cfg['batch_size'])))
    out = {}
    for v in [v for v in MAIN_VARIANTS if v != 'baseline']:
        m = copy.deepcopy(m0); meth, opt = main_method(v, m, cfg, sets, 0), main_optimizer(v, m, cfg); ts = []
        for k in range(9):
            t = time.time(); m.train(); opt.zero_grad(); meth(m, b | dict(iteration=k))['loss'].backward(); opt.step(); ts.append(time.time() - t)
        out[v] = sorted(ts[1:])[len(ts[1:]) // 2]; say(f"{v}: median {out[v]:.3f} s/step of {cfg['batch_size']} ({[round(t, 3) for t in ts]})")
    ratio = {v: round(t / out['baseline_ft'], 2) for v, t in out.items()}; say('× regular:', ratio)
    from salnb.papers.ibsgl import evaluate_model
    from torch.utils.data import Subset
    from salnb.papers.ibsgl import EXPENSIVE
    cheap_names = tuple(e for e in cfg['explainers'] if e not in EXPENSIVE); dear_names = tuple(e for e in cfg['explainers'] if e in EXPENSIVE)
    t = time.time(); evaluate_model(m0, Subset(sets['test'], range(50)), cfg | dict(explainers=cheap_names)); cheap = (time.time() - t) / 50
    t = time.time(); evaluate_model(m0, Subset(sets['test'], range(10)), cfg | dict(explainers=dear_names, n_expensive=10)); dear = (time.time() - t) / 10
    full_cfg = MAIN_CONFIGS[a.config]
    eval_run = cheap * full_cfg['n_test'] + dear * full_cfg['n_expensive']
    say(f"evaluation: {cheap:.3f} s/image (cheap explainers), {dear:.2f} s/image (EP, RISE, Score-CAM): ≈ {eval_run / 60:.1f} min per run")
    write_json_atomic(dict(seconds_per_step=out, ratio_to_regular=ratio, eval_seconds_per_image=dict(cheap=cheap, expensive=dear),
                           eval_seconds_per_run=eval_run, batch_size=cfg['batch_size'], load=os.getloadavg()[0],
                           provenance=provenance(cfg)), a.cost_out)
    say(f"wrote {a.cost_out}"); sys.exit(0)

if a.demo:
    if a.demo_steps < 1 or a.demo_probe < 1: p.error(f'--demo-steps and --demo-probe must be ≥ 1, got {a.demo_steps} and {a.demo_probe}')
    cfg = resolve_config(MAIN_CONFIGS, a.config, dict(n_ft=a.demo_steps * MAIN_CONFIGS[a.config]['batch_size'], n_test_acc=a.demo_probe, n_test=a.demo_probe,
                                                      n_estimate=512), resolve_device=False)
    sets = main_sets(cfg); m0, info = start_model(cfg); t0 = time.time(); runs = {}
    extra = []
    for spec in a.demo_set:                  # 'variant:key=value,key=value' -> a run named variant[key=value,...]
        v, kv = spec.split(':', 1)
        over = {k: _value(x) for k, x in (t.split('=') for t in kv.split(','))}
        extra.append((f'{v}[{kv}]', v, over))
    for name, v, over in [d for d in DEMO + extra if a.demo_only is None or d[0] in a.demo_only]:
        r = demonstrate(m0, v, sets, cfg | over, steps=a.demo_steps, every=max(1, a.demo_steps // 4), n_fixed=a.demo_probe)
        runs[name] = r | dict(overrides=over); c0, c1 = r['curve'][0], r['curve'][-1]
        say(f"{name:22s} {r['seconds']:6.1f}s  L_SS paper {c0['lss_paper']:.4f}->{c1['lss_paper']:.4f}  map CE paper {c0['map_ce_paper']:.3f}->{c1['map_ce_paper']:.3f}  "
            f"L_SS off {c0['lss_official']:.4f}->{c1['lss_official']:.4f}  map CE off {c0['map_ce_official']:.3f}->{c1['map_ce_official']:.3f}  "
            f"EBPG {c0['ebpg_gcam']:.1f}->{c1['ebpg_gcam']:.1f}  map change {c1['map_change']:.3f}  weight change {c1['weight_change']:.2e}  acc {c0['acc']:.0f}->{c1['acc']:.0f}")
    write_json_atomic(dict(start=info, steps=a.demo_steps, runs=runs, seconds=round(time.time() - t0, 1),
                           provenance=provenance(cfg)), a.demo_out)
    say(f"wrote {a.demo_out}"); sys.exit(0)

def commit(job, path):
    if not a.commit: return
    commit_paths([path], f"IB-SGL main campaign: {job.variant} seed {job.seed} (fine-tune of the GC campaign's 5-epoch ResNet-20 baseline)", say)

t0 = time.time()
r = run_main(a.config, out_dir=a.out, ckpt_root=a.ckpt_root, on_result=commit, shard=tuple(a.shard), progress=True)
say(f"done: {len(r['ran'])} run now, {len(r['skipped'])} were finished, {len(r['waiting'])} waiting for a GC baseline; "
    f"{(time.time() - t0) / 3600:.2f} h")
