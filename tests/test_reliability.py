"""Reliability sweep (issue 11): a table of bad inputs over every registered explainer, every metric, the losses,
the data loaders and the CLI; state hygiene and global-RNG hygiene; determinism. Each bad input must raise a
ValueError/TypeError whose message names the argument (or give a documented, finite result) — never NaN, a hang
or a partial file. `python -m pytest -q tests/test_reliability.py -rA` lists every case.
"""
import importlib, inspect, math, subprocess, sys, warnings
from pathlib import Path
import pytest, torch
import torch.nn.functional as F
from torch import nn

from salnb.core import methods, count_hooks
from salnb.testing import TinyCNN, seeded_batch, check_explainer

for mod in ['salnb.attr.gradient', 'salnb.attr.cam', 'salnb.attr.perturb', 'salnb.attr.iba', 'salnb.attr.propagation', 'salnb.attr.mipin']:
    try: importlib.import_module(mod)
    except ImportError as e:
        if 'zennit' not in str(e): raise

H = 16
def model_(): return TinyCNN(in_ch=1, n_classes=3, width=4)
def data_(n=64, seed=0): return seeded_batch(n, 1, H, H, seed=seed)

def _iba(m, **kw):
    from salnb.attr.iba import IBA
    e = IBA(m, layer='features.2', steps=3, n_noise=2, **kw); e.estimate([data_(64)], n_samples=64); return e
def _readout(m):
    from salnb.attr.iba import ReadoutIBA
    e = ReadoutIBA(m, layer='features.0', readout_layers=('features.2', 'fc'))
    e.estimate([data_(64)], n_samples=64)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore'); e.fit([data_(32)], epochs=1, progress=False)
    return e
def _mipin(m):
    from salnb.attr.mipin import MIPIN
    e = MIPIN(m); e.fit([data_(32)], epochs=1, progress=False); return e

# registry name -> factory(model) with light settings; every registered name must appear here
FACTORIES = {
    'gradient': {}, 'abs_gradient': {}, 'input_x_gradient': {}, 'guided_backprop': {},
    'smoothgrad': dict(n=4, seed=1), 'integrated_gradients': dict(steps=4),
    'grad_cam': dict(layer='features.2'), 'grad_cam_elementwise': dict(layer='features.2'),
    'grad_cam_pp': dict(layer='features.2'), 'score_cam': dict(layer='features.2'), 'full_grad': {},
    'guided_grad_cam': dict(layer='features.2'),
    'occlusion': dict(patch=4, stride=4), 'rise': dict(n_masks=16, cells=4, seed=1),
    'extremal_perturbation': dict(iterations=4, step=3, sigma=3.0, seed=1),
    'iba': _iba, 'iba_readout': _readout, 'mipin': _mipin,
    'lrp_epsilon': {}, 'lrp_alpha1beta0': {}, 'lrp_alpha2beta1': {}, 'lrp': {},
    'excitation_backprop': dict(layer='features.2'), 'contrastive_excitation_backprop': dict(layer='features.2'),
}
NAMES = sorted(methods())

def make(name):
    spec = FACTORIES[name]
    if callable(spec): return lambda m: spec(m)
    return lambda m: methods()[name](m, **spec)

def test_every_registered_method_has_a_factory():
    missing = [n for n in NAMES if n not in FACTORIES]
    assert not missing, f"add these to FACTORIES: {missing}"

def _fresh(name):
    torch.manual_seed(0); m = model_(); return m, make(name)(m)

BAD_X = {
    '3-D input': (lambda x: x[0], (ValueError,), '4-D'),
    'wrong channels': (lambda x: x.repeat(1, 3, 1, 1), (ValueError,), 'channels'),
    'NaN': (lambda x: x.clone().index_put_((torch.tensor([0]),), torch.tensor(float('nan'))), (ValueError,), 'NaN'),
    'Inf': (lambda x: x.clone().index_put_((torch.tensor([1]),), torch.tensor(float('inf'))), (ValueError,), 'Inf'),
    'empty batch': (lambda x: x[:0], (ValueError,), 'empty'),
    'integer dtype': (lambda x: (x * 255).long(), (TypeError,), 'float'),
    'numpy array': (lambda x: x.numpy(), (TypeError,), 'Tensor'),
    'other device (meta)': (lambda x: x.to('meta'), (ValueError,), 'device'),
}
BAD_T = {
    'target out of range': (lambda B: torch.full((B,), 7), (ValueError,), '`target`'),
    'negative target': (lambda B: -1, (ValueError,), '`target`'),
    'float target': (lambda B: torch.zeros(B), (TypeError,), '`target`'),
    'string target': (lambda B: 'cat', (TypeError,), '`target`'),
    'wrong target length': (lambda B: torch.zeros(B + 1, dtype=torch.long), (ValueError,), '`target`'),
}

@pytest.mark.parametrize('case', list(BAD_X))
@pytest.mark.parametrize('name', NAMES)
def test_bad_input(name, case):
    m, e = _fresh(name); f, exc, words = BAD_X[case]
    x = f(data_(3))
    hooks0 = count_hooks(m)
    with pytest.raises(exc) as ei: e(x, 0)
    msg = str(ei.value)
    assert words.lower() in msg.lower() and '`x`' in msg, msg
    assert count_hooks(m) == hooks0

@pytest.mark.parametrize('case', list(BAD_T))
@pytest.mark.parametrize('name', NAMES)
def test_bad_target(name, case):
    m, e = _fresh(name); f, exc, words = BAD_T[case]
    with pytest.raises(exc, match=words.replace('`', '.')): e(data_(3), f(3))
    assert count_hooks(m) == 0

@pytest.mark.parametrize('name', NAMES)
def test_state_hygiene_and_invariants(name):
    torch.manual_seed(0); m = model_()
    check_explainer(make(name), m, x=data_(3), target=torch.tensor([0, 1, 2]), atol=1e-4,
                    batch_equal=name not in ('iba_readout',))

@pytest.mark.parametrize('name', NAMES)
def test_global_rng_untouched_and_deterministic(name):
    m, e = _fresh(name); x = data_(3)
    st = torch.get_rng_state()
    a = e(x, [0, 1, 2])
    assert torch.equal(st, torch.get_rng_state()), "the method drew from torch's global RNG"
    b = make(name)(m)(x, [0, 1, 2])
    assert torch.equal(a, b), "same seed, different map"
    assert torch.isfinite(a).all()

@pytest.mark.parametrize('name', NAMES)
def test_train_mode_model_and_no_grad_caller(name):
    m, e = _fresh(name); m.train()
    with torch.no_grad(): out = e(data_(2), [0, 1])
    assert m.training and all(p.requires_grad for p in m.parameters()) and torch.isfinite(out).all()

@pytest.mark.parametrize('name', NAMES)
def test_constant_image_defined(name):
    "A constant (all-zero) image is legal input: the map must be finite (a documented defined result, never NaN)."
    m, e = _fresh(name)
    out = e(torch.zeros(2, 1, H, H), [0, 1])
    assert torch.isfinite(out).all()
