import os, shutil, subprocess, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT/'tools'))

CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                  '--disable-background-networking', '--disable-component-update', '--disable-sync']


def chromium():
    "Path of a Chromium binary; skip (or fail, where SALNB_REQUIRE_CHROMIUM=1) when there is none."
    for name in ('chromium', 'chromium-browser', 'google-chrome'):
        if p := shutil.which(name): return p
    if os.environ.get('SALNB_REQUIRE_CHROMIUM') == '1': pytest.fail('Chromium is required (SALNB_REQUIRE_CHROMIUM=1) but not installed')
    pytest.skip('no Chromium on this machine (Debian: apt-get install chromium)')


@pytest.fixture(scope='session')
def dump_dom(tmp_path_factory):
    exe = chromium()
    profile = tmp_path_factory.mktemp('chromium-profile')
    def _dump(url, budget_ms=3000):
        r = subprocess.run([exe, *CHROMIUM_FLAGS, f'--user-data-dir={profile}', f'--virtual-time-budget={budget_ms}',
                            '--dump-dom', url], capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr[-2000:]
        return r.stdout
    return _dump


@pytest.fixture(scope='session')
def site(tmp_path_factory):
    "Build the docs site with the Quarto-free fallback into a temporary folder."
    import docs_fallback
    out = tmp_path_factory.mktemp('site')
    return docs_fallback.build_site(out).parent
