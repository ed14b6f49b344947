"""Dot refuses to contract the batch axis (as Keras 2 and Keras 3 do).

Seen in Gulli et al., "Deep Learning with TensorFlow 2 and Keras", chapter 7
(skip-gram model with `Dot(axes=0)`): tork used to contract the batch axis and
return a (features, 1) tensor, mixing samples silently.
"""

import numpy as np
import pytest

import tork as tf

A = np.arange(6, dtype="float32").reshape(3, 2)
B = np.ones((3, 2), dtype="float32")


@pytest.mark.parametrize("axes", [0, (0, 0), (1, 0), -2])
def test_batch_axis_raises_eagerly(axes):
    layer = tf.keras.layers.Dot(axes=axes)
    with pytest.raises(ValueError) as info:
        layer([A, B])
    assert str(info.value) == (
        f"Dot layer '{layer.name}': cannot take the dot product over axis 0, the batch axis "
        f"(axes={axes!r}, inputs of rank 2 and 2). Dot contracts the features of each "
        "sample: use axes=1 (or -1) for 2-D inputs. If your inputs are not batched, add a "
        "batch axis with tf.expand_dims(x, 0)."
    )


def test_batch_axis_raises_symbolically():
    x = tf.keras.Input((2,))
    y = tf.keras.Input((2,))
    with pytest.raises(ValueError, match="over axis 0, the batch axis"):
        tf.keras.layers.Dot(axes=0)([x, y])


@pytest.mark.parametrize("axes", [1, -1, (1, 1)])
def test_feature_axes_still_work(axes):
    out = tf.keras.layers.Dot(axes=axes)([A, B])
    np.testing.assert_allclose(np.asarray(out), (A * B).sum(axis=1, keepdims=True))
