"""Paper modules share code only through the experiment layer (salnb.papers.common) or each other's public names."""
import ast
from pathlib import Path
import salnb

PAPERS = Path(salnb.__file__).parent/'papers'


def cross_imports(path:Path):
    "(module imported, name) for every name a paper module imports from another paper module (common excluded)."
    out = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.ImportFrom) or node.module is None: continue
        if node.level == 1: mod = node.module                                  # from .gc import …
        elif node.level == 0 and node.module.startswith('salnb.papers.'): mod = node.module.split('.')[-1]
        else: mod = None                                                         # another package: ..data, salnb.core, torch
        if mod is None or mod in ('common', path.stem): continue
        out += [(mod, a.name) for a in node.names]
    return out


def test_no_private_names_across_paper_modules():
    bad = [(p.name, m, n) for p in sorted(PAPERS.glob('*.py')) for m, n in cross_imports(p) if n.startswith('_')]
    assert not bad, f"paper modules import private names from other paper modules: {bad}"


def test_the_check_sees_cross_imports(tmp_path):
    f = tmp_path/'x.py'
    f.write_text("from .gc import _loader, run\nfrom salnb.papers.iba import scaled\nfrom .common import _flat\nfrom salnb.core import _x\nfrom ..data import _y\n")
    assert cross_imports(f) == [('gc', '_loader'), ('gc', 'run'), ('iba', 'scaled')]
