"""Write salnb/assets/fashion_mnist_subset.npz: a stratified, seeded subset of real Fashion-MNIST
(300 train + 100 test images per class) read from the Debian package `dataset-fashion-mnist`.
Fashion-MNIST is MIT-licensed (c) 2017 Zalando SE; the subset keeps that licence (see salnb/assets/LICENSE-fashion-mnist)."""
import sys
from pathlib import Path
import numpy as np
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from salnb.data import load_fashion_mnist

def subset(split, per_class, seed):
    x, y = load_fashion_mnist(split)
    rng = np.random.default_rng(seed)
    idx = np.sort(np.concatenate([rng.choice(np.flatnonzero(y.numpy() == c), per_class, replace=False) for c in range(10)]))
    return x.numpy()[idx], y.numpy()[idx].astype(np.uint8), idx

xtr, ytr, itr = subset('train', 300, 0)
xte, yte, ite = subset('test', 100, 1)
out = Path(__file__).resolve().parents[1]/'salnb'/'assets'/'fashion_mnist_subset.npz'
np.savez_compressed(out, train_images=xtr, train_labels=ytr, train_index=itr.astype(np.int32),
                    test_images=xte, test_labels=yte, test_index=ite.astype(np.int32))
print(out, out.stat().st_size, 'bytes')
