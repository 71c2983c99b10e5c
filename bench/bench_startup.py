"""Start-up time of the `salnb` console script against `import torch`, in one run.

Each round starts, as fresh processes and in turn (so that a shared machine's changing speed hits all alike):
  python    = `python -c pass`                (the interpreter alone: the floor)
  torch     = `python -c "import torch"`      (the reference: issue 18 asks `salnb --help` ≤ 1.2 × this)
  help      = `salnb --help`                  (the console script of this environment)
  import    = `python -c "import salnb"`      (the package with its lazy names)
  demo help = `salnb demo --help`
Medians over the rounds; ratios are median / median of `import torch`.

    python bench/bench_startup.py [--rounds 9] [--out bench/results/startup.txt]
"""
import argparse, os, platform, shutil, statistics, subprocess, sys, time
from pathlib import Path

ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ap.add_argument('--rounds', type=int, default=9, help='rounds (each starts every command once)')
ap.add_argument('--out', default=None, help='also write the table to this file')
a = ap.parse_args()
if a.rounds < 1: ap.error('--rounds must be ≥ 1')

py = sys.executable
script = shutil.which('salnb', path=str(Path(py).parent)) or shutil.which('salnb')
if script is None: sys.exit('bench_startup: no `salnb` console script found; pip install -e . first')
cmds = {'python': [py, '-c', 'pass'], 'torch': [py, '-c', 'import torch'], 'help': [script, '--help'],
        'import': [py, '-c', 'import salnb'], 'demo help': [script, 'demo', '--help']}
env = dict(os.environ, OMP_NUM_THREADS='1')


def once(cmd):
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - t


for cmd in cmds.values(): once(cmd)       # warm the file cache once
times = {k: [] for k in cmds}
for r in range(a.rounds):
    for k, cmd in (cmds.items() if r % 2 == 0 else reversed(cmds.items())):
        times[k].append(once(cmd))

med = {k: statistics.median(v) for k, v in times.items()}
import torch  # noqa: E402  (after timing: only for the version line)
lines = [f"# {time.strftime('%a %b %d %H:%M:%S UTC %Y', time.gmtime())} load average: "
         + ', '.join(f'{x:.2f}' for x in os.getloadavg()) + f" ({os.cpu_count()} CPUs)",
         f"python {platform.python_version()}, torch {torch.__version__}, {a.rounds} rounds, each command as a fresh process, "
         "in alternating order; medians",
         f"{'command':12s} {'median s':>9s} {'min s':>7s} {'max s':>7s} {'× import torch':>15s}"]
for k in cmds:
    lines.append(f"{k:12s} {med[k]:9.3f} {min(times[k]):7.3f} {max(times[k]):7.3f} {med[k] / med['torch']:15.2f}")
lines.append(f"salnb --help / import torch = {med['help'] / med['torch']:.2f} (target ≤ 1.2)")
text = '\n'.join(lines)
print(text)
if a.out: Path(a.out).write_text(text + '\n')
