"""Run or resume the GC paper's main campaign (salnb.papers.gc.run_main): one result file per (variant, seed).

Baselines (ResNet-20, 5 epochs from scratch) first, then the fine-tunes from each seed's baseline checkpoint, then
the from-scratch GC run. Finished runs are skipped, an interrupted run resumes from its checkpoint, so the same
command continues the campaign in a later session. With --commit each result file is committed as it lands.

    OMP_NUM_THREADS=1 nohup .venv/bin/python scripts/campaign_gc.py --commit > /tmp/gc_campaign.log 2>&1 &
"""
import argparse, os, platform, subprocess, sys, time, warnings
from pathlib import Path
import torch
import salnb
from salnb.papers.gc import run_main, MAIN_CONFIGS

p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument('--config', default='main', choices=list(MAIN_CONFIGS))
p.add_argument('--out', default='nbs/papers/results/gc_main', help='result folder (one JSON per variant/seed)')
p.add_argument('--ckpt-root', default=None, help='checkpoints (default OUT/.ckpt, git-ignored)')
p.add_argument('--commit', action='store_true', help='git-commit each result file as it lands (only that path)')
a = p.parse_args()

def say(*xs): print(time.strftime('%H:%M:%S'), *xs, flush=True)

def commit(job, path):
    if not a.commit: return
    msg = f"GC main campaign: {job.variant} seed {job.seed} ({MAIN_CONFIGS[a.config]['epochs']}-epoch ResNet-20 baseline config)"
    for k in range(20):                     # other helpers commit in the same tree: retry on index.lock
        r = subprocess.run(['git', 'add', str(path)], capture_output=True, text=True)
        if r.returncode == 0:
            r = subprocess.run(['git', 'commit', '-m', msg, '--', str(path)], capture_output=True, text=True)
            if r.returncode == 0: say(f"committed {path}"); return
        if 'index.lock' not in r.stderr: say(f"commit of {path} failed: {r.stderr.strip()[:300]}"); return
        time.sleep(3 + k)
    say(f"commit of {path} gave up (index.lock)")

warnings.simplefilter('ignore')
say(f"salnb {salnb.__version__}, torch {torch.__version__}, python {platform.python_version()}, threads {torch.get_num_threads()} "
    f"(OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS')}), load {os.getloadavg()[0]:.2f}, config {a.config}, out {a.out}")
t0 = time.time()
r = run_main(a.config, out_dir=a.out, ckpt_root=a.ckpt_root, on_result=commit, progress=True)
say(f"done: {len(r['ran'])} run now, {len(r['skipped'])} were finished, {len(r['waiting'])} waiting for a baseline; "
    f"{(time.time() - t0) / 3600:.2f} h")
