#!/usr/bin/env bash
# Continue every paper campaign that trains models (GC, SCAAT, IB-SGL) as two single-thread processes, one per core.
#
#   scripts/campaigns.sh            # start both shards in the background (logs: /tmp/campaign_shard{0,1}.log)
#   scripts/campaigns.sh 1          # run shard 1 in the foreground
#
# Each shard runs, in order: its share of GC's baselines (the other two campaigns fine-tune them) and of the runs GC's
# headline claims need (baseline_ft, gc), then the rest of GC without the from-scratch run (a second pass runs fine-tunes
# that waited for the other shard's baseline), then all of GC with the from-scratch run (hours; one shard takes it, the
# other finds it busy or not in its share and goes on), its share of SCAAT, of IB-SGL, then SCAAT again with its from-scratch run (about 2 h; one shard takes it, the other
# finds it busy) and IB-SGL once more. A run another process is training is skipped (a lock in its checkpoint folder). Every script skips finished
# runs, resumes an interrupted run from its checkpoint and commits each result file as it lands, so the same command
# continues the campaigns in a later session. Stop with: pkill -f 'scripts/campaign_'
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
if [ $# -eq 0 ]; then
  for i in 0 1; do setsid nohup "$0" "$i" > "/tmp/campaign_shard$i.log" 2>&1 & done
  echo "started shards 0 and 1: tail -f /tmp/campaign_shard0.log /tmp/campaign_shard1.log"; exit 0
fi
i=$1
case "$i" in 0|1) ;; *) echo "usage: $0 [0|1]  (the shard to run; no argument starts both)" >&2; exit 2;; esac
$PY scripts/campaign_gc.py --commit --shard "$i" 2 --no-scratch --variants baseline baseline_ft gc
$PY scripts/campaign_gc.py --commit --shard "$i" 2 --no-scratch
$PY scripts/campaign_gc.py --commit --shard "$i" 2
$PY scripts/campaign_scaat.py --commit --shard "$i/2"
$PY scripts/campaign_ibsgl.py --commit --shard "$i" 2
$PY scripts/campaign_scaat.py --commit --shard "$i/2" --scratch
$PY scripts/campaign_ibsgl.py --commit --shard "$i" 2
