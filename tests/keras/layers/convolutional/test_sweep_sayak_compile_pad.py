"""Padding layers compile into one graph (sayakpaul/keras-xla-benchmarks sweep).

`tf.function(model, jit_compile=True)` on Keras applications (MobileNetV3's ZeroPadding2D)
fell back to eager at every padding: the F.pad argument was kept as a list attribute, which
layer tracking turns into a tracked list that torch.compile cannot pass to F.pad. Causal
Conv1D and 'same' convolutions/poolings with an odd extra cell had the same graph break.
"""

import numpy as np
import pytest
import torch

import tork as tf

L = tf.keras.layers


@pytest.mark.parametrize(
    ("make", "shape"),
    [
        (lambda: L.ZeroPadding2D(((1, 2), (0, 1))), (2, 5, 5, 3)),
        (lambda: L.ZeroPadding1D((2, 1)), (2, 5, 3)),
        (lambda: L.Conv1D(2, 3, padding="causal"), (2, 6, 3)),
        (lambda: L.Conv2D(2, 3, strides=2, padding="same"), (2, 6, 6, 3)),
    ],
)
def test_padding_layers_compile_fullgraph(make, shape):
    layer = make()
    x = torch.rand(*shape)
    want = layer(x)  # builds the layer (eager)
    torch._dynamo.reset()
    got = torch.compile(layer, fullgraph=True, backend="eager")(x)
    np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-6)


def test_zero_padding_values():
    # Independent reference: numpy's pad with the same (before, after) pairs.
    x = np.arange(2 * 3 * 3 * 1, dtype="float32").reshape(2, 3, 3, 1)
    got = L.ZeroPadding2D(((1, 2), (0, 1)))(x).numpy()
    np.testing.assert_array_equal(got, np.pad(x, ((0, 0), (1, 2), (0, 1), (0, 0))))
