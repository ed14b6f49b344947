"""Rank errors of convolution, pooling and spatial layers start with tf_keras 2.21's sentence.

Each expected sentence was printed by tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) for the same
call: convolutions have InputSpec(min_ndim=rank + 2), pooling/padding/upsampling layers
InputSpec(ndim=rank + 2). tork's hint (layout, channel axis fix) must follow.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras
L = keras.layers

CASES = [
    (
        lambda: L.Conv1D(2, 3, name="c1"),
        (8,),
        'layer "c1"',
        "min_ndim=3, found ndim=2",
        "(None, 8)",
    ),
    (
        lambda: L.Conv2D(2, 3, name="c"),
        (8, 8),
        'layer "c"',
        "min_ndim=4, found ndim=3",
        "(None, 8, 8)",
    ),
    (
        lambda: L.Conv3D(2, 3, name="c3"),
        (8, 8, 8),
        'layer "c3"',
        "min_ndim=5, found ndim=4",
        "(None, 8, 8, 8)",
    ),
    (
        lambda: L.Conv2DTranspose(2, 3, name="ct"),
        (8, 8),
        'layer "ct"',
        "min_ndim=4, found ndim=3",
        "(None, 8, 8)",
    ),
    (
        lambda: L.SeparableConv2D(2, 3, name="sc"),
        (8, 8),
        'layer "sc"',
        "min_ndim=4, found ndim=3",
        "(None, 8, 8)",
    ),
    (
        lambda: L.DepthwiseConv2D(3, name="dw"),
        (8, 8),
        'layer "dw"',
        "min_ndim=4, found ndim=3",
        "(None, 8, 8)",
    ),
    (
        lambda: L.MaxPooling2D(name="mp"),
        (8, 8),
        'layer "mp"',
        "ndim=4, found ndim=3",
        "(None, 8, 8)",
    ),
    (lambda: L.MaxPooling1D(name="mp1"), (8,), 'layer "mp1"', "ndim=3, found ndim=2", "(None, 8)"),
    (
        lambda: L.AveragePooling2D(name="ap"),
        (8, 8),
        'layer "ap"',
        "ndim=4, found ndim=3",
        "(None, 8, 8)",
    ),
    (
        lambda: L.GlobalAveragePooling2D(name="gap"),
        (8, 8),
        'layer "gap"',
        "ndim=4, found ndim=3",
        "(None, 8, 8)",
    ),
    (
        lambda: L.GlobalMaxPooling1D(name="gmp"),
        (8,),
        'layer "gmp"',
        "ndim=3, found ndim=2",
        "(None, 8)",
    ),
    (
        lambda: L.UpSampling2D(name="up"),
        (8, 8),
        'layer "up"',
        "ndim=4, found ndim=3",
        "(None, 8, 8)",
    ),
    (
        lambda: L.ZeroPadding2D(name="zp"),
        (8, 8),
        'layer "zp"',
        "ndim=4, found ndim=3",
        "(None, 8, 8)",
    ),
]


@pytest.mark.parametrize("make, sample, layer_text, ndims, shape", CASES)
def test_symbolic_rank_error_keras_sentence_then_hint(make, sample, layer_text, ndims, shape):
    layer = make()
    with pytest.raises(ValueError) as info:
        layer(keras.Input(sample))
    text = str(info.value)
    keras_sentence = (
        f"Input 0 of {layer_text} is incompatible with the layer: expected {ndims}. "
        f"Full shape received: {shape}"
    )
    assert text.startswith(keras_sentence + ". ")
    # tork's hint follows: the layer, the layout it expects and how to add the channel axis.
    assert f"{type(layer).__name__} layer '{layer.name}'" in text
    assert "add a channel axis" in text


def test_eager_conv2d_rank_error_shows_real_batch():
    with pytest.raises(
        ValueError,
        match=r'^Input 0 of layer "ce" is incompatible with the layer: expected min_ndim=4, '
        r"found ndim=3\. Full shape received: \(2, 8, 8\)\. Conv2D layer 'ce': expects 4D input",
    ):
        L.Conv2D(2, 3, name="ce")(np.zeros((2, 8, 8), "float32"))


def test_sequential_input_shape_shows_none_batch():
    with pytest.raises(
        ValueError,
        match=r'^Input 0 of layer "q2" is incompatible with the layer: expected min_ndim=4, '
        r"found ndim=3\. Full shape received: \(None, 8, 8\)\.",
    ):
        keras.Sequential([L.Conv2D(2, 3, input_shape=(8, 8), name="q2")])


def test_conv_extra_leading_axis_is_accepted_as_in_tf_keras():
    # min_ndim layers take extra leading axes: tf_keras 2.21 gives shape (2, 3, 6, 2) here,
    # so no rank error (and no min_ndim sentence) may be raised.
    out = L.Conv1D(2, 3, name="c1x")(np.zeros((2, 3, 8, 4), "float32"))
    assert tuple(out.shape) == (2, 3, 6, 2)
