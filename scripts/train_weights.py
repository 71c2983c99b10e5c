"""Train the small models salnb ships and write them to salnb/assets/<name>.safetensors.

Every entry of `salnb.pretrained.SHIPPED` is trained with `salnb.pretrained.train_shipped` (seeded: canvases,
initialisation and batch order), on one CPU thread with deterministic algorithms, so re-running this script on the
same software gives the same weights. Usage: python scripts/train_weights.py [NAME ...] [--quiet]
"""
import argparse, sys
from pathlib import Path
import torch
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from salnb.pretrained import SHIPPED, train_shipped, save_weights

p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument('names', nargs='*', help=f"which models (default: all of {', '.join(SHIPPED)})")
p.add_argument('--quiet', action='store_true', help='no progress bars')
a = p.parse_args()
unknown = [n for n in a.names if n not in SHIPPED]
if unknown: p.error(f"unknown model(s) {', '.join(unknown)}; known: {', '.join(SHIPPED)}")
torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)
assets = Path(__file__).resolve().parents[1]/'salnb'/'assets'
for name in a.names or list(SHIPPED):
    model, meta = train_shipped(name, progress=not a.quiet)
    cfg = SHIPPED[name]
    out = save_weights(model, assets/f'{name}.safetensors', cfg['arch'], cfg['kwargs'], **meta)
    print(f"{name}: test accuracy {meta['test_accuracy']:.4f}; wrote {out} ({out.stat().st_size:,} bytes)")
