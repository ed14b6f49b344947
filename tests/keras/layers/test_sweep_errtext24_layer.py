"""Error texts of Layer and InputSpec checks start with tf_keras 2.21's sentence.

The expected sentences were printed by tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) for the same
calls; tork's own hint (layer, shapes, fix) must follow them.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras


def test_count_params_unbuilt_layer_keras_sentence_then_hint():
    layer = keras.layers.Dense(3, name="subx")
    with pytest.raises(ValueError) as info:
        layer.count_params()
    text = str(info.value)
    # tf_keras 2.21, verbatim.
    assert text.startswith(
        "You tried to call `count_params` on layer subx, but the layer isn't built. You can "
        "build it manually via: `subx.build(batch_input_shape)`."
    )
    assert "Build layer 'subx' first with layer.build(input_shape) or by calling it" in text


def test_dense_min_ndim_keras_sentence_then_hint():
    with pytest.raises(
        ValueError,
        match=r'^Input 0 of layer "d" is incompatible with the layer: expected min_ndim=2, '
        r"found ndim=1\. Full shape received: \(3,\)\. Dense layer 'd': .*The input lacks "
        r"one axis: if it is a single sample, add the batch axis",
    ):
        keras.layers.Dense(2, name="d")(np.zeros((3,), "float32"))


def test_built_dense_other_last_dim_keras_sentence_then_hint():
    layer = keras.layers.Dense(2, name="d3")
    layer(np.zeros((2, 4), "float32"))
    with pytest.raises(
        ValueError,
        match=r'^Input 0 of layer "d3" is incompatible with the layer: expected axis -1 of '
        r"input shape to have value 4, but received input with shape \(2, 3\)\. Dense layer "
        r"'d3': .*A built layer keeps the input size it first saw",
    ):
        layer(np.zeros((2, 3), "float32"))


def test_built_dense_other_last_dim_symbolic_shows_none_batch():
    layer = keras.layers.Dense(2, name="d2")
    layer(keras.Input((4,)))
    # tf_keras raises a graph MatMul error here; tork gives the eager sentence with None.
    with pytest.raises(
        ValueError,
        match=r'^Input 0 of layer "d2" is incompatible with the layer: expected axis -1 of '
        r"input shape to have value 4, but received input with shape \(None, 3\)\.",
    ):
        layer(keras.Input((3,)))


def test_input_spec_ndim_keras_sentence_then_hint():
    class Images(keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.input_spec = keras.layers.InputSpec(ndim=4)

        def call(self, x):
            return x

    # tf_keras 2.21: the same sentence for a custom layer's InputSpec(ndim=4).
    with pytest.raises(
        ValueError,
        match=r'^Input 0 of layer "img24" is incompatible with the layer: expected ndim=4, '
        r"found ndim=2\. Full shape received: \(2, 3\)\. Images layer 'img24': expected rank "
        r"4, but received input of rank 2",
    ):
        Images(name="img24")(np.zeros((2, 3), "float32"))


def test_input_spec_max_ndim_keras_sentence():
    class Flat(keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.input_spec = keras.layers.InputSpec(max_ndim=2)

        def call(self, x):
            return x

    with pytest.raises(
        ValueError,
        match=r'^Input 0 of layer "flat24" is incompatible with the layer: expected '
        r"max_ndim=2, found ndim=3\. Flat layer 'flat24': expected rank <= 2",
    ):
        Flat(name="flat24")(np.zeros((2, 3, 4), "float32"))


def test_batch_normalization_other_channels_keras_sentence():
    layer = keras.layers.BatchNormalization(name="b24")
    layer(np.zeros((2, 4), "float32"))
    with pytest.raises(
        ValueError,
        match=r'^Input 0 of layer "b24" is incompatible with the layer: expected axis 1 of '
        r"input shape to have value 4, but received input with shape \(2, 3\)\. "
        r"BatchNormalization layer 'b24'",
    ):
        layer(np.zeros((2, 3), "float32"))
