"""Security and offline use (issue 11): no code path opens a network connection at import or run time, and the
shipped weights and checkpoints load without pickled code."""
import subprocess, sys, textwrap
import pytest

BLOCK = textwrap.dedent('''
    import socket
    def _refuse(*a, **k): raise OSError('network access attempted: ' + repr(a[:2]))
    socket.socket.connect = _refuse; socket.socket.connect_ex = _refuse; socket.create_connection = _refuse
    socket.getaddrinfo = _refuse
''')

CODE = textwrap.dedent('''
    import importlib, pkgutil, salnb, sys, torch
    mods = [m.name for m in pkgutil.walk_packages(salnb.__path__, 'salnb.')]
    for m in mods: importlib.import_module(m)
    from salnb.cli import main
    assert main(['demo', '--out', sys.argv[1]]) == 0
    from salnb.pretrained import load_pretrained, load_weights
    try: model = load_pretrained('efficientnet_lite0')
    except ImportError: model = None                  # the optional extra is not installed
    if model is not None:
        x = torch.rand(1, 3, 224, 224); assert model(x).shape == (1, 1000)
    print('imported', len(mods), 'modules offline')
''')

def test_no_network_at_import_or_run(tmp_path):
    (tmp_path/'sitecustomize.py').write_text(BLOCK)
    import os
    env = {**os.environ, 'PYTHONPATH': str(tmp_path) + os.pathsep + os.environ.get('PYTHONPATH', ''), 'OMP_NUM_THREADS': '1'}
    p = subprocess.run([sys.executable, '-c', CODE, str(tmp_path/'demo')], capture_output=True, text=True, env=env, timeout=300)
    assert p.returncode == 0, p.stderr[-3000:]
    assert 'imported' in p.stdout and (tmp_path/'demo'/'metrics.json').exists()
    # the block itself works: a connection attempt fails under it
    q = subprocess.run([sys.executable, '-c', 'import urllib.request; urllib.request.urlopen("http://example.com", timeout=2)'],
                       capture_output=True, text=True, env=env, timeout=60)
    assert q.returncode != 0 and 'network access attempted' in q.stderr

def test_shipped_weights_are_safetensors():
    from pathlib import Path
    import salnb
    assets = Path(salnb.__file__).parent/'assets'
    weights = [p for p in assets.iterdir() if p.suffix in ('.pt', '.pth', '.pkl', '.safetensors')]
    assert weights and all(p.suffix == '.safetensors' for p in weights), weights
