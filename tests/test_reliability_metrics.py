"""Reliability sweep, part 2 (issue 11): bad inputs over every metric, the losses, the data loaders and the CLI;
defined (finite) results for all-zero and constant maps; RNG hygiene and determinism of the stochastic metrics;
property-based tests (hypothesis) of ranges, scale invariance and monotone responses."""
import subprocess, sys, warnings
import pytest, torch
from hypothesis import given, settings, strategies as st, HealthCheck
from salnb.testing import TinyCNN, seeded_batch
from salnb.metrics import localization as L, sparsity as S, faithfulness as Fm, sanity as San
from salnb import losses
from salnb.attr.gradient import AbsGradient

H = 16
def model_(): torch.manual_seed(0); return TinyCNN(in_ch=1, n_classes=3, width=4).eval()
X = seeded_batch(2, 1, H, H, seed=3)
MAPS = seeded_batch(2, 1, H, H, seed=4)
BOXES = torch.tensor([[2, 2, 8, 8], [4, 6, 12, 14]])
T = torch.tensor([0, 2])

# name -> (call(maps, x, boxes) -> Tensor[B] or tuple, range (lo, hi) or None)
FAST = dict(steps=4, repeats=1, batch_size=32)
METRICS = {
    'pointing_game': (lambda m, x, b: L.pointing_game(m, boxes=b), (0, 1)),
    'stochastic_pointing_game': (lambda m, x, b: L.stochastic_pointing_game(m, boxes=b, n_samples=20), (0, 1)),
    'content_heatmap': (lambda m, x, b: L.content_heatmap(m, boxes=b), (0, 1)),
    'energy_pointing_game': (lambda m, x, b: L.energy_pointing_game(m, boxes=b), (0, 1)),
    'negative_quadrants': (lambda m, x, b: L.negative_quadrants(m, cell=torch.tensor([0, 3])), (0, 1)),
    'box_ratio': (lambda m, x, b: L.box_ratio(m, boxes=b), (0, 1)),
    'miou': (lambda m, x, b: L.miou(m, boxes=b), (0, 1)),
    'entropy': (lambda m, x, b: S.entropy(m), (0, None)),
    'compressed_size': (lambda m, x, b: S.compressed_size(m), (0, None)),
    'gini': (lambda m, x, b: S.gini(m), (0, 1)),
    'aopc_morf': (lambda m, x, b: Fm.aopc(model_(), x, m, T, **FAST), None),
    'aopc_rel': (lambda m, x, b: Fm.aopc_rel(model_(), x, m, T, **FAST), None),
    'degradation': (lambda m, x, b: Fm.degradation(model_(), x, m, T, tile=4, steps=8, rescale=False), None),
    'deletion': (lambda m, x, b: Fm.deletion(model_(), x, m, T, pixels_per_step=32), (0, 1)),
    'insertion': (lambda m, x, b: Fm.insertion(model_(), x, m, T, pixels_per_step=32), (0, 1)),
    'average_drop': (lambda m, x, b: Fm.average_drop(model_(), x, m, T), (0, 1)),
    'average_increase': (lambda m, x, b: Fm.average_increase(model_(), x, m, T), (0, 1)),
    'sensitivity_n': (lambda m, x, b: Fm.sensitivity_n(model_(), x, m, T, n=8, n_sets=10), (-1, 1)),
}
NAMES = sorted(METRICS)

def _vals(out):
    if isinstance(out, tuple): out = out[0]
    if hasattr(out, 'scores'): out = out.scores
    return out

BAD_MAPS = {
    'size mismatch': (lambda m: m[..., :H - 4, :H - 4], (ValueError,)),
    'NaN map': (lambda m: m.clone().index_put_((torch.tensor([0]),), torch.tensor(float('nan'))), (ValueError,)),
    'Inf map': (lambda m: m.clone().index_put_((torch.tensor([1]),), torch.tensor(float('inf'))), (ValueError,)),
    'multi-channel map': (lambda m: m.repeat(1, 3, 1, 1), (ValueError,)),
    '5-D map': (lambda m: m[None], (ValueError,)),
    'numpy map': (lambda m: m.numpy(), (TypeError, ValueError)),
    'batch mismatch': (lambda m: m[:1], (ValueError,)),
}
NEEDS_SIZE = {'entropy', 'compressed_size', 'gini'}        # sparsity metrics take no image: no size to mismatch

@pytest.mark.parametrize('case', list(BAD_MAPS))
@pytest.mark.parametrize('name', NAMES)
def test_metric_bad_maps(name, case):
    if name in NEEDS_SIZE and case in ('size mismatch', 'batch mismatch'): pytest.skip('no reference image/box to mismatch')
    if name == 'negative_quadrants' and case == 'size mismatch': pytest.skip('any even-sized composite map is valid')
    call, _ = METRICS[name]; f, exc = BAD_MAPS[case]
    with pytest.raises(exc) as ei: call(f(MAPS), X, BOXES)
    assert '`' in str(ei.value), f"the message should name the argument: {ei.value}"

@pytest.mark.parametrize('special', ['all-zero', 'constant', 'negative'])
@pytest.mark.parametrize('name', NAMES)
def test_metric_defined_for_degenerate_maps(name, special):
    m = {'all-zero': torch.zeros_like(MAPS), 'constant': torch.full_like(MAPS, 0.3), 'negative': -MAPS}[special]
    out = _vals(METRICS[name][0](m, X, BOXES))
    assert torch.isfinite(out).all(), f"{name} on a {special} map gave {out}"

@pytest.mark.parametrize('name', NAMES)
def test_metric_range_rng_and_determinism(name):
    call, rng = METRICS[name]
    st0 = torch.get_rng_state()
    a = _vals(call(MAPS, X, BOXES)); b = _vals(call(MAPS, X, BOXES))
    assert torch.equal(st0, torch.get_rng_state()), "drew from torch's global RNG"
    assert torch.equal(a, b) and a.shape[0] == 2
    if rng is not None:
        lo, hi = rng
        assert (a >= lo - 1e-6).all() and (hi is None or (a <= hi + 1e-6).all()), a

BAD_BOXES = {'empty box': torch.tensor([[2, 2, 2, 8], [4, 6, 12, 14]]), 'outside': torch.tensor([[2, 2, 8, 8], [4, 6, 12, 40]]),
             'negative': torch.tensor([[-3, 2, 8, 8], [4, 6, 12, 14]]), 'N×3': torch.tensor([[2, 2, 8], [4, 6, 12]]),
             'wrong count': torch.tensor([[2, 2, 8, 8]])}
@pytest.mark.parametrize('case', list(BAD_BOXES))
@pytest.mark.parametrize('name', ['pointing_game', 'stochastic_pointing_game', 'content_heatmap', 'energy_pointing_game', 'box_ratio', 'miou'])
def test_metric_bad_boxes(name, case):
    with pytest.raises((ValueError, TypeError), match='box'): METRICS[name][0](MAPS, X, BAD_BOXES[case])

def test_metric_bad_model_inputs():
    m = model_()
    for f in (lambda: Fm.aopc(m, X[:, :, :, :4], MAPS), lambda: Fm.deletion(m, X.repeat(1, 3, 1, 1), MAPS),
              lambda: Fm.aopc(m, X, MAPS, steps=0), lambda: Fm.aopc(m, X, MAPS, fraction=1.5), lambda: Fm.sensitivity_n(m, X, MAPS, n=0),
              lambda: San.fgsm_accuracy(m, X, T, eps=-1.0), lambda: Fm.aopc(m, X, MAPS, target=[0, 5])):
        with pytest.raises((ValueError, TypeError)) as ei: f()
        assert '`' in str(ei.value), ei.value

# --- losses -----------------------------------------------------------------------------------------------------
LOSS_BAD = [
    ('js shape', lambda: losses.js_divergence(torch.zeros(2, 3), torch.zeros(2, 4)), '`logits_q`'),
    ('js rank', lambda: losses.js_divergence(torch.zeros(3), torch.zeros(3)), '`logits_p`'),
    ('js form', lambda: losses.js_divergence(torch.zeros(2, 3), torch.zeros(2, 3), form='x'), '`form`'),
    ('lss shapes', lambda: losses.saliency_suppression_loss(MAPS, MAPS[..., :8]), '`Lp`'),
    ('lss mask', lambda: losses.saliency_suppression_loss(MAPS, MAPS, MAPS[:1]), '`mask`'),
    ('map ce form', lambda: losses.map_cross_entropy(MAPS, MAPS, form='kl'), '`form`'),
    ('feature kl', lambda: losses.feature_kl(torch.zeros(1, 2, 3, 3), torch.zeros(1, 3, 3, 3)), '`A2`'),
    ('gc target', lambda: losses.gc_consistency_loss(MAPS, MAPS[..., :8, :8]), '`target`'),
    ('region r', lambda: losses.region_mask(MAPS, r=-1), '`r`'),
]
@pytest.mark.parametrize('case', LOSS_BAD, ids=[c[0] for c in LOSS_BAD])
def test_loss_bad_input(case):
    _, f, word = case
    with pytest.raises((ValueError, TypeError), match=word.replace('`', '.')): f()

def test_losses_defined_on_zero_maps():
    z = torch.zeros(2, 1, 4, 4)
    for v in (losses.saliency_suppression_loss(z, z), losses.map_cross_entropy(z, z), losses.gc_consistency_loss(losses.gc_normalize(z), z),
              losses.js_divergence(torch.zeros(2, 3), torch.zeros(2, 3)), losses.feature_kl(torch.zeros(1, 2, 3, 3), torch.zeros(1, 2, 3, 3))):
        assert torch.isfinite(v).all()

# --- data loaders -------------------------------------------------------------------------------------------------
def test_data_bad_input(tmp_path):
    from salnb import data as D
    x, y = D.load_embedded_fashion_mnist('test')
    cases = [lambda: D.load_fashion_mnist('valid'), lambda: D.load_fashion_mnist('train', root=tmp_path/'nothing', source='files'),
             lambda: D.ClutteredFashionMNIST(x[:5], y[:4]), lambda: D.ClutteredFashionMNIST(x[:5, 0], y[:5]),
             lambda: D.ClutteredFashionMNIST(x[:5], y[:5], canvas=20), lambda: D.make_composites(x[:4, None].float(), y[:3]),
             lambda: D.place_in_cell(torch.zeros(2, 1, 3, 3), torch.tensor([0, 4])), lambda: D.parse_voc_xml(tmp_path/'none.xml')]
    for f in cases:
        with pytest.raises((ValueError, TypeError, FileNotFoundError, OSError)) as ei: f()
        assert str(ei.value), 'empty message'

# --- CLI ------------------------------------------------------------------------------------------------------------
CLI_BAD = [['frobnicate'], ['demo', '--epochs', '0']]
@pytest.mark.parametrize('args', CLI_BAD, ids=[' '.join(a) for a in CLI_BAD])
def test_cli_bad_input(args, tmp_path):
    p = subprocess.run([sys.executable, '-c', 'import sys; from salnb.cli import main; sys.exit(main())', *args, *(['--out', str(tmp_path/'o')] if args[0] == 'demo' else [])],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode != 0 and 'Traceback' not in p.stderr, p.stderr[-2000:]
    assert not (tmp_path/'o'/'metrics.json').exists()                 # no partial output

# --- properties ---------------------------------------------------------------------------------------------------
maps_st = st.lists(st.floats(0, 1e3, allow_nan=False, width=32), min_size=64, max_size=64).map(lambda v: torch.tensor(v).view(1, 1, 8, 8))
SET = settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
B8 = torch.tensor([[1, 2, 5, 7]])

@SET
@given(maps_st, st.floats(1e-3, 1e3))
def test_property_ranges_and_scale_invariance(m, c):
    for f in (lambda q: L.content_heatmap(q, boxes=B8), lambda q: L.box_ratio(q, boxes=B8), lambda q: L.pointing_game(q, boxes=B8),
              lambda q: L.miou(q, boxes=B8), lambda q: S.gini(q), lambda q: S.entropy(q)):
        a, b = f(m), f(m * c)
        assert torch.isfinite(a).all()
        assert torch.allclose(a, b, atol=1e-4, rtol=1e-4), (a, b)     # positive scaling never changes these metrics
    assert 0 <= float(S.gini(m)) <= 1 and 0 <= float(L.content_heatmap(m, boxes=B8)) <= 1
    assert 0 <= float(S.entropy(m)) <= 6 + 1e-5                         # ≤ log2(64)

@SET
@given(maps_st, st.floats(0.0, 5.0))
def test_property_monotone_mass_inside(m, extra):
    "Adding mass inside the box never lowers the content heatmap."
    inside = L.region_masks(boxes=B8, size=(8, 8), batch=1).float().view(1, 1, 8, 8)
    m2 = m + inside * extra * (m.max() + 1)
    assert float(L.content_heatmap(m2, boxes=B8)) >= float(L.content_heatmap(m, boxes=B8)) - 1e-6

@SET
@given(maps_st)
def test_property_ssim_bounds_and_identity(m):
    m = m / (m.max() + 1e-6)
    s = San.ssim(m, m); assert torch.allclose(s, torch.ones_like(s), atol=1e-4)
    o = San.ssim(m, 1 - m); assert ((o >= -1 - 1e-5) & (o <= 1 + 1e-5)).all()
