"""Run or resume the GC paper's main campaign (salnb.papers.gc.run_main): one result file per (variant, seed).

Baselines (ResNet-20, 5 epochs from scratch) first, then the fine-tunes from each seed's baseline, then the
from-scratch GC run. Finished runs are skipped, an interrupted run resumes from its checkpoint (OUT/.ckpt, git-ignored,
so lost with the session), so the same command continues the campaign in a later session. A finished baseline writes
its weights next to its result (baseline/seed<k>.safetensors, sha256 in the result JSON); fine-tunes start from that
committed file, never from .ckpt, so they can run in a later session. With --commit each result file (and a baseline's
weights file) is committed as it lands.

One-off step at start: a baseline result written before weights were saved (seed 0 of the first session) gets its
weights from its final checkpoint in .ckpt when that is still present (recorded as `recovered_from` in its result and
committed); without the checkpoint it stays without weights, and its fine-tunes wait until it is rerun.

    OMP_NUM_THREADS=1 nohup .venv/bin/python scripts/campaign_gc.py --commit > /tmp/gc_campaign.log 2>&1 &
    # two single-thread processes side by side: add --shard 0 2 to one and --shard 1 2 to the other
    # the plateau check (the baseline recipe for 10 and 15 epochs, seed 0; results in OUT_schedule/):
    OMP_NUM_THREADS=1 nohup .venv/bin/python scripts/campaign_gc.py --schedule --commit --shard 0 2 > /tmp/gc_sched0.log 2>&1 &
    OMP_NUM_THREADS=1 nohup .venv/bin/python scripts/campaign_gc.py --schedule --commit --shard 1 2 > /tmp/gc_sched1.log 2>&1 &
"""
import argparse, os, platform, subprocess, sys, time, warnings
from pathlib import Path
import torch
import salnb
from salnb.train.loop import load_checkpoint
from salnb.papers.gc import run_main, run_schedule, MAIN_CONFIGS, recover_baseline_weights, result_path, baseline_weights_path, Job
from salnb.papers.common import commit_paths

p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument('--config', default='main', choices=list(MAIN_CONFIGS))
p.add_argument('--out', default='nbs/papers/results/gc_main', help='result folder (one JSON per variant/seed)')
p.add_argument('--ckpt-root', default=None, help='checkpoints (default OUT/.ckpt, git-ignored)')
p.add_argument('--commit', action='store_true', help='git-commit each result file as it lands (only that path)')
p.add_argument('--no-scratch', action='store_true', help='leave the from-scratch runs (the last, longest phase) for a later call')
p.add_argument('--variants', nargs='+', default=None, help='only these variants in this call (default: all), e.g. baseline_ft gc')
p.add_argument('--schedule', action='store_true', help='run the plateau check instead (run_schedule: the baseline recipe for longer one-cycle schedules) into OUT_schedule')
p.add_argument('--shard', nargs=2, type=int, default=(0, 1), metavar=('I', 'K'), help='run jobs I, I+K, ... of the campaign order')
a = p.parse_args()

def say(*xs): print(time.strftime('%H:%M:%S'), *xs, flush=True)

def commit(job, paths, note=''):
    if not a.commit: return
    msg = f"GC main campaign: {job.variant} seed {job.seed}{note} ({MAIN_CONFIGS[a.config]['epochs']}-epoch ResNet-20 baseline config)"
    commit_paths(paths, msg, say)

warnings.simplefilter('ignore')
say(f"salnb {salnb.__version__}, torch {torch.__version__}, python {platform.python_version()}, threads {torch.get_num_threads()} "
    f"(OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS')}), load {os.getloadavg()[0]:.2f}, config {a.config}, out {a.out}, shard {a.shard[0]}/{a.shard[1]}")
if a.schedule and (a.variants or a.no_scratch): p.error('--schedule runs the plateau check only: drop --variants / --no-scratch')
if a.schedule:
    out = a.out.rstrip('/') + '_schedule'
    def commit_s(job, paths):
        if a.commit: commit_paths(paths, f"GC plateau check: {job.variant} seed {job.seed} (the {MAIN_CONFIGS[a.config]['epochs']}-epoch baseline's recipe, longer one-cycle schedule)", say)
    t0 = time.time()
    r = run_schedule(a.config, out_dir=out, ckpt_root=a.ckpt_root, on_result=commit_s, shard=tuple(a.shard), progress=True)
    say(f"plateau check done: {len(r['ran'])} run now, {len(r['skipped'])} were finished, {len(r['busy'])} running elsewhere; {(time.time() - t0) / 3600:.2f} h")
    sys.exit(0)
ckpt_root = Path(a.ckpt_root) if a.ckpt_root else Path(a.out)/'.ckpt'
for ck in sorted(ckpt_root.glob('*/seed*/last.pt')):          # say where interrupted runs resume (checkpoints die with the session)
    job = Job(ck.parent.parent.name, int(ck.parent.name[4:]))
    if not result_path(a.out, job).exists():
        st = load_checkpoint(ck); say(f"{job.variant} seed {job.seed}: resumes from {ck} (epoch {st['epoch']} done, step {st['step']})")
for seed in recover_baseline_weights(a.out, a.ckpt_root):    # one-off: results written before weights were saved
    say(f"baseline seed {seed}: weights recovered from its final checkpoint")
    commit(Job('baseline', seed), [result_path(a.out, Job('baseline', seed)), baseline_weights_path(seed, a.out)], ' weights (recovered from checkpoint)')
t0 = time.time()
r = run_main(a.config, out_dir=a.out, ckpt_root=a.ckpt_root, on_result=commit, shard=tuple(a.shard), scratch=not a.no_scratch, variants=a.variants, progress=True)
say(f"done: {len(r['ran'])} run now, {len(r['skipped'])} were finished, {len(r['waiting'])} waiting for a baseline, {len(r['busy'])} running elsewhere; "
    f"{(time.time() - t0) / 3600:.2f} h")
