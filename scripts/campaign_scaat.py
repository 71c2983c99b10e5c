"""Run or resume the SCAAT paper's main campaign (salnb.papers.scaat.run_main): one result file per (variant, seed).

Seed by seed: the shared GC baseline (evaluated), then regular, SGT, SCAAT fixed q, SCAAT adaptive q and SCAAT FGSM, each
fine-tuned from that seed's baseline checkpoint. Finished runs are skipped and an interrupted run resumes from its
checkpoint, so the same command continues the campaign in a later session; a seed whose GC baseline is not finished
waits (rerun later). With --commit each result file is committed as it lands. --shard i/k runs every k-th seed
(k single-thread processes). --scratch then also runs the one SCAAT model trained from scratch (seed 0, 5 epochs on all
60 000 canvases, about 2 h on one thread; a second process finds it busy). --measure times one step of each variant instead.

    OMP_NUM_THREADS=1 nohup .venv/bin/python scripts/campaign_scaat.py --commit --wait 10 > /tmp/scaat_campaign.log 2>&1 &
"""
import argparse, os, platform, statistics, subprocess, sys, time, warnings
from pathlib import Path
import torch
import salnb
from salnb.papers.scaat import run_main, run_scratch, MAIN_CONFIGS, get_main_config, main_method, _resnet, main_sets, explainers, map_metrics, summarize
from salnb.metrics.runner import evaluate
from salnb.papers.common import commit_paths

p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument('--config', default='main', choices=list(MAIN_CONFIGS))
p.add_argument('--out', default='nbs/papers/results/scaat_main', help='result folder (one JSON per variant/seed)')
p.add_argument('--ckpt-root', default=None, help='checkpoints (default OUT/.ckpt, git-ignored)')
p.add_argument('--commit', action='store_true', help='git-commit each result file as it lands (only that path)')
p.add_argument('--shard', default='0/1', help='i/k: run seeds whose position %% k == i')
p.add_argument('--wait', type=float, default=0, help='while seeds wait for their shared baseline, retry every this many minutes (0: exit)')
p.add_argument('--scratch', action='store_true', help='after the fine-tunes, run (or resume) the from-scratch SCAAT run')
p.add_argument('--measure', type=int, default=0, help='time this many rounds of one step per variant (and the evaluation), then exit')
a = p.parse_args()

def say(*xs): print(time.strftime('%H:%M:%S'), *xs, flush=True)

def commit(job, path):
    if not a.commit: return
    how = 'trained from scratch, 5 epochs on all 60 000 canvases' if job.variant == 'scaat_scratch' else 'fine-tune of the shared 5-epoch ResNet-20 baseline'
    commit_paths([path], f"SCAAT main campaign: {job.variant} seed {job.seed} ({how})", say)

def measure(rounds):
    "Median seconds of one training step (forward, backward, AdamW) per variant, interleaved; and one run's evaluation."
    cfg = get_main_config(a.config, n_eval=10); n = cfg['batch_size']
    from salnb.data import TexturedFashionMNIST
    from torch.utils.data import default_collate
    ds = TexturedFashionMNIST('train', n=n, seed=0, canvas=cfg['canvas'], scale=tuple(cfg['scale']), n_clutter=cfg['n_clutter'],
                              clutter_size=cfg['clutter_size'], source=cfg['source'])
    b = default_collate([ds[i] for i in range(n)])
    batch = dict(image=b['image'], label=b['label'], index=torch.arange(n), iteration=10**6)   # past warm-up: q moves
    model = _resnet(cfg, 0).train(); opt = torch.optim.AdamW(model.parameters(), 1e-3)
    meths = {v: main_method(v, cfg, n, 1, 0) for v in ('regular', 'sgt', 'scaat_fixed', 'scaat_adaptive', 'scaat_fgsm')}
    ts = {v: [] for v in meths}
    for r in range(rounds + 1):                                   # round 0 warms up
        for v, m in meths.items():
            t0 = time.perf_counter(); out = m(model, batch); opt.zero_grad(); out['loss'].backward(); opt.step()
            if r: ts[v].append(time.perf_counter() - t0)
    med = {v: statistics.median(x) for v, x in ts.items()}
    for v, s in med.items(): say(f"{v}: {s:.2f} s/step, {s / med['regular']:.2f}× regular ({rounds} rounds)")
    model.eval(); sets = main_sets(get_main_config(a.config, n_eval=10, n_test_acc=200), 0)
    t0 = time.perf_counter(); ecfg = cfg | dict(seed=0)
    evaluate(explainers(model, ecfg, cfg['main_explainers']), map_metrics(ecfg), sets['eval'], model=model, target='predicted', batch_size=10, progress=False)
    te = time.perf_counter() - t0
    t0 = time.perf_counter()
    x200 = torch.stack([sets['test'][i]['image'] for i in range(200)])
    t0 = time.perf_counter()
    with torch.no_grad(): model(x200)
    ta = time.perf_counter() - t0
    say(f"evaluation: {te / 10:.2f} s per map-metric image (3 explainers, AOPC 20 steps × 5 repeats), {ta / 200 * 1e3:.1f} ms per accuracy image")
    spe = -(-get_main_config(a.config)['ft_n'] // n) * get_main_config(a.config)['ft_epochs']
    ev = te / 10 * get_main_config(a.config)['n_eval'] + ta / 200 * 10_000
    per_seed = sum(med[v] * spe for v in med) + 6 * ev
    say(f"plan: {spe} fine-tune steps per run; per seed {per_seed / 3600:.2f} h CPU (train {sum(med[v] * spe for v in med) / 3600:.2f} h + "
        f"6 evaluations {6 * ev / 3600:.2f} h); {len(get_main_config(a.config)['seeds'])} seeds: {len(get_main_config(a.config)['seeds']) * per_seed / 3600:.1f} h")

warnings.simplefilter('ignore')
say(f"salnb {salnb.__version__}, torch {torch.__version__}, python {platform.python_version()}, threads {torch.get_num_threads()} "
    f"(OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS')}), load {os.getloadavg()[0]:.2f}, config {a.config}, out {a.out}")
if a.measure: measure(a.measure); sys.exit(0)
i, k = (int(x) for x in a.shard.split('/'))
t0 = time.time()
while True:
    r = run_main(a.config, out_dir=a.out, ckpt_root=a.ckpt_root, on_result=commit, shard=(i, k), progress=True)
    if not (a.wait and r['waiting']): break
    say(f"{len(r['waiting'])} runs wait for a shared baseline; retrying in {a.wait:g} min"); time.sleep(60 * a.wait)
say(f"done: {len(r['ran'])} run now, {len(r['skipped'])} were finished, {len(r['waiting'])} waiting for a baseline; "
    f"{(time.time() - t0) / 3600:.2f} h")
if a.scratch:
    s = run_scratch(a.config, out_dir=a.out, ckpt_root=a.ckpt_root, on_result=commit, progress=True)
    say(f"from scratch: {len(s['ran'])} run now, {len(s['skipped'])} were finished, {len(s['busy'])} running elsewhere; {(time.time() - t0) / 3600:.2f} h")
