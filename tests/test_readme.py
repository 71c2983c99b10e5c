"""README.md is generated from nbs/index.ipynb and carries exactly the two set-up-and-run commands."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_readme_in_sync(tmp_path, monkeypatch):
    import docs_fallback
    committed = (ROOT/'README.md').read_text()
    try:
        new = docs_fallback.build_readme().read_text()
    finally:
        (ROOT/'README.md').write_text(committed)
    assert new == committed, "README.md is stale: run `python tools/docs_fallback.py --readme`"


def test_two_commands():
    text = (ROOT/'README.md').read_text()
    blocks = re.findall(r'```sh\n(.*?)\n```', text, re.S)
    assert len(blocks) == 2 and all('\n' not in b for b in blocks), blocks
    assert 'salnb demo' in blocks[0] and 'nbdev-test' in blocks[1] and 'pytest' in blocks[1]
    ci = (ROOT/'.ci'/'run').read_text()   # CI reads the test command out of README.md and runs it as written
    assert "open('README.md')" in ci and 'eval "$TEST_CMD"' in ci, 'CI must run the README test command'
