"""tf.image.resize / tf.signal.dct inside functional-API models (sayakpaul/maxim-tf sweep).

Resize and DCT matrices are cached per size. A functional-API call runs its ops on fake
tensors, so a matrix first built there was a fake tensor; the cache then handed it to later
real calls, whose outputs were fake tensors of uninitialised memory (silently wrong values).
Reference numbers: TensorFlow 2.21 (tf_keras), `tf.image.resize` / `tf.signal.dct` on the
same input.
"""

import numpy as np
import pytest
import torch
from torch._subclasses.fake_tensor import is_fake

import tork as tf

# Values of 0.1 * arange(16) ** 1.5 as a (1, 4, 4, 1) image, resized to (3, 2) in TF 2.21.
_TF_RESIZE = {
    ("bilinear", True): [0.36787558, 0.72573149, 1.80530715, 2.44392061, 3.95066714, 4.77441931],
    ("area", False): [0.27725428, 0.71613675, 1.72019410, 2.53307152, 3.93689489, 4.99424362],
    ("lanczos3", False): [0.08827470, 0.52414167, 1.52078903, 2.46579218, 4.17518091, 5.40246582],
    ("bicubic", True): [0.20175309, 0.58914620, 1.71730506, 2.46514678, 4.07435703, 5.05198765],
}


def _image():
    return (np.arange(16, dtype="float32") ** 1.5).reshape(1, 4, 4, 1) / 10


@pytest.mark.parametrize(("method", "antialias"), list(_TF_RESIZE))
def test_resize_in_functional_model_gives_real_values(method, antialias):
    # A fresh size, so the cached matrix is first built by the symbolic call below.
    size = (3, 2)
    inp = tf.keras.Input((4, 4, 1))
    out = tf.keras.layers.Lambda(
        lambda t: tf.image.resize(t, size, method=method, antialias=antialias)
    )(inp)
    model = tf.keras.Model(inp, out)
    got = model(_image())
    assert type(got) is torch.Tensor and not is_fake(got)
    np.testing.assert_allclose(got.numpy().ravel(), _TF_RESIZE[(method, antialias)], rtol=1e-5)
    # Eager calls after the symbolic one see the same (real) matrix.
    eager = tf.image.resize(_image(), size, method=method, antialias=antialias)
    np.testing.assert_allclose(eager.numpy().ravel(), _TF_RESIZE[(method, antialias)], rtol=1e-5)


def test_resize_layer_subclass_with_dynamic_size_in_functional_model():
    # maxim-tf's Resizing layer: the size comes from tf.shape at call time.
    class Down(tf.keras.layers.Layer):
        def call(self, img):
            h, w = tf.shape(img)[1], tf.shape(img)[2]
            return tf.image.resize(img, (h - 1, w // 2), method="bilinear", antialias=True)

    inp = tf.keras.Input((4, 5, 1))
    model = tf.keras.Model(inp, Down()(inp))
    x = np.arange(20, dtype="float32").reshape(1, 4, 5, 1)
    got = model.predict(x, verbose=0)
    want = tf.image.resize(x, (3, 2), method="bilinear", antialias=True).numpy()
    assert np.isfinite(got).all()
    np.testing.assert_allclose(got, want, rtol=1e-6)


def test_dct_in_functional_model_gives_real_values():
    inp = tf.keras.Input((7,))
    out = tf.keras.layers.Lambda(lambda t: tf.signal.dct(t, type=2, norm="ortho"))(inp)
    model = tf.keras.Model(inp, out)
    x = np.arange(7, dtype="float32")[None] ** 2
    got = model(x)
    assert not is_fake(got)
    # scipy.fft.dct(x, type=2, norm="ortho") (also TF's value) as an independent formula.
    n = np.arange(7)
    basis = np.cos(np.pi * (2 * n[None, :] + 1) * n[:, None] / 14)
    scale = np.where(n == 0, np.sqrt(1 / 28), np.sqrt(1 / 14)) * 2
    want = (basis * x).sum(axis=1) * scale
    np.testing.assert_allclose(got.numpy()[0], want, rtol=1e-5, atol=1e-5)


def test_resize_still_compiles_into_one_graph():
    # torch.compile traces the matrix builders itself (the fake-mode guard must not break it).
    x = torch.from_numpy(_image())
    for method, antialias in [("bilinear", True), ("area", False)]:
        torch._dynamo.reset()
        fn = torch.compile(
            lambda t, m=method, a=antialias: tf.image.resize(t, (3, 2), method=m, antialias=a),
            fullgraph=True,
            backend="eager",
        )
        got = fn(x)
        np.testing.assert_allclose(got.numpy().ravel(), _TF_RESIZE[(method, antialias)], rtol=1e-5)
