"""salnb: explain image classifiers, train classifiers whose explanations are better, and measure explanations.

The names a newcomer needs are importable from the package (`from salnb import GradCAM, SmallCNN, ...`); each is
imported from its module on first use, so `import salnb` (and the `salnb` console script) stays fast.
"""
__version__ = "0.1.0"

_LAZY = {  # name -> module that defines it
    **dict.fromkeys(('FMNIST_CLASSES', 'load_embedded_fashion_mnist', 'load_fashion_mnist', 'ClutteredFashionMNIST'), 'salnb.data'),
    **dict.fromkeys(('SmallCNN', 'ResNet20'), 'salnb.models'),
    **dict.fromkeys(('get_explainer', 'Explainer'), 'salnb.core'),
    **dict.fromkeys(('Gradient', 'AbsGradient', 'InputXGradient', 'SmoothGrad', 'IntegratedGradients', 'GuidedBackprop'),
                    'salnb.attr.gradient'),
    **dict.fromkeys(('GradCAM', 'GradCAMPlusPlus', 'ScoreCAM', 'FullGrad'), 'salnb.attr.cam'),
    **dict.fromkeys(('Occlusion', 'RISE'), 'salnb.attr.perturb'),
    **dict.fromkeys(('load_weights', 'load_pretrained', 'load_image', 'shipped_weights'), 'salnb.pretrained'),
    **dict.fromkeys(('overlay', 'method_grid'), 'salnb.viz'),
}
__all__ = ['__version__', *_LAZY]


def __getattr__(name):
    "Import a newcomer's name from its module on first access (PEP 562)."
    if name in _LAZY:
        import importlib
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'salnb' has no attribute {name!r}")


def __dir__(): return sorted(set(globals()) | set(_LAZY))
