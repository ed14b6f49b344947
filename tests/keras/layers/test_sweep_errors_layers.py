"""Layer errors for common input mistakes (sweep 'errors')."""

import numpy as np
import pytest

import tork as tf
from tork import keras


def test_mha_query_value_batch_mismatch():
    layer = keras.layers.MultiHeadAttention(num_heads=2, key_dim=4, name="mha")
    query = np.zeros((2, 5, 8), "float32")
    value = np.zeros((3, 5, 8), "float32")
    with pytest.raises(
        ValueError,
        match=r"MultiHeadAttention layer 'mha': the query and the value/key must have the same "
        r"batch dimensions; got query \(2, 5, 8\) and value \(3, 5, 8\)",
    ):
        layer(query, value)


def test_mha_same_batch_still_works():
    layer = keras.layers.MultiHeadAttention(num_heads=2, key_dim=4)
    out = layer(np.zeros((2, 5, 8), "float32"), np.zeros((2, 7, 8), "float32"))
    assert tuple(out.shape) == (2, 5, 8)


def test_softmax_axis_out_of_range():
    layer = keras.layers.Softmax(axis=2, name="probs")
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"Softmax layer 'probs': axis=2 is out of range for an input of rank 2 "
        r"\(shape \(8, 3\)\); valid axes are -2\.\.1",
    ):
        layer(np.zeros((8, 3), "float32"))


def test_softmax_axis_in_range_value():
    x = np.array([[1.0, 2.0], [3.0, 5.0]], "float32")
    got = keras.layers.Softmax(axis=0)(x).numpy()
    e = np.exp(x - x.max(0))
    np.testing.assert_allclose(got, e / e.sum(0), rtol=1e-6)


def test_single_sample_without_batch_axis_hint():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, name="hidden")])
    with pytest.raises(
        ValueError,
        match=r"Dense layer 'hidden'.*expected rank >= 2, but received input of rank 1 "
        r"\(shape \(3,\)\)\. The input lacks one axis: if it is a single sample, add the "
        r"batch axis, e\.g\. np\.expand_dims\(x, 0\)",
    ):
        model.predict(np.zeros(3, "float32"), verbose=0)


def test_built_size_hint_kept_for_axis_mismatch():
    layer = keras.layers.Dense(4, name="d")
    layer(np.zeros((2, 3), "float32"))
    with pytest.raises(ValueError, match=r"A built layer keeps the input size it first saw"):
        layer(np.zeros((2, 5), "float32"))


def test_rank_far_off_gets_reshape_hint():
    class Images(keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.input_spec = keras.layers.InputSpec(ndim=4)

        def call(self, x):
            return x

    with pytest.raises(
        ValueError,
        # tf_keras 2.21's sentence first, then tork's layer name and fix.
        match=r'Input 0 of layer "img" is incompatible with the layer: expected ndim=4, '
        r"found ndim=2\. Full shape received: \(2, 3\)\. Images layer 'img': expected rank 4, "
        r"but received input of rank 2 \(shape \(2, 3\)\)\. Reshape the input, or check which",
    ):
        Images(name="img")(np.zeros((2, 3), "float32"))


def test_concatenate_axis_out_of_range():
    layer = keras.layers.Concatenate(axis=3, name="cat")
    with pytest.raises(
        ValueError,
        match=r"Concatenate layer 'cat': axis=3 is out of range for inputs of rank 2 "
        r"\(shapes \(2, 3\), \(2, 3\)\); valid axes are -2\.\.1",
    ):
        layer([np.ones((2, 3), "float32"), np.ones((2, 3), "float32")])


def test_concatenate_negative_axis_in_range():
    out = keras.layers.Concatenate(axis=-2)([np.ones((2, 1, 3)), np.zeros((2, 2, 3))])
    assert tuple(out.shape) == (2, 3, 3)
    np.testing.assert_allclose(out.numpy()[:, 0], 1.0)
    np.testing.assert_allclose(out.numpy()[:, 1:], 0.0)


def test_dot_axes_out_of_range_is_not_wrapped():
    # Before: axes=3 wrapped to axis 1 modulo the rank and silently gave a result.
    layer = keras.layers.Dot(axes=3, name="dot3")
    with pytest.raises(
        ValueError, match=r"Dot layer 'dot3': axes=3 is out of range for inputs of rank 2 and 2"
    ):
        layer([np.ones((2, 3), "float32"), np.ones((2, 3), "float32")])


def test_dot_negative_axes_value():
    a = np.arange(6, dtype="float32").reshape(2, 3)
    b = np.ones((2, 3), "float32")
    out = keras.layers.Dot(axes=-1)([a, b]).numpy()
    np.testing.assert_allclose(out, a.sum(-1, keepdims=True))


def test_integer_lookup_on_strings():
    layer = keras.layers.IntegerLookup(vocabulary=[1, 2], name="ids")
    with pytest.raises(
        ValueError,
        match=r"IntegerLookup layer 'ids': expected integer inputs, got dtype string\. For "
        r"string terms use keras\.layers\.StringLookup",
    ):
        layer(np.array(["a"]))


def test_conv_build_without_batch_axis_hint():
    model = keras.Sequential([keras.layers.Conv2D(2, 3, name="c2")])
    with pytest.raises(
        ValueError,
        match=r"Conv2D layer 'c2'.*got input of shape \(28, 28, 1\) \(3D\)\. If it is a single "
        r"sample, add the batch axis: x\[None\] or np\.expand_dims\(x, 0\) \(model\.build\(\) "
        r"takes it too: build\(\(None, 28, 28, 1\)\)\)",
    ):
        model.build((28, 28, 1))


def test_conv_grayscale_batch_keeps_channel_hint():
    with pytest.raises(ValueError, match=r"add a channel axis, e\.g\. x\[\.\.\., None\]") as info:
        keras.layers.Conv2D(2, 3)(np.zeros((2, 28, 28), "float32"))
    assert "batch axis" not in str(info.value)
