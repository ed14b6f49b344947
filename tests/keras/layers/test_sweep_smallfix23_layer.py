"""Layer.compute_mask on layers without masking support, and the string `_compute_dtype`.

Expected values come from tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) in the reference env.
"""

import numpy as np
import pytest

import tork as tf
from tork import keras


class _Plain(keras.layers.Layer):
    def call(self, x):
        return x * 2


class _OverriddenOff(keras.layers.Layer):
    """Overrides compute_mask but turns masking off: Keras 2 never calls it then."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = False

    def call(self, x):
        return x * 2

    def compute_mask(self, inputs, mask=None):
        return tf.ones(tf.shape(inputs)[:2]) > 0


_MASK = np.array([[True, False, True]] * 2)


@pytest.mark.parametrize(
    "layer",
    [
        _Plain(name="plain"),
        keras.layers.Flatten(name="fl"),
        keras.layers.Conv1D(2, 1, name="c"),
        keras.layers.Reshape((3, 1), name="r"),
    ],
)
def test_compute_mask_without_masking_support_raises_for_a_mask(layer):
    # tf_keras: TypeError "Layer plain does not support masking, but was passed an
    # input_mask: ..." for a mask or a list holding one; None for None or [None, None].
    x = tf.ones((2, 3))
    mask = tf.constant(_MASK)
    pattern = f"Layer {layer.name} does not support masking, but was passed an input_mask"
    with pytest.raises(TypeError, match=pattern):
        layer.compute_mask(x, mask)
    with pytest.raises(TypeError, match=pattern + r": \[mask of shape \(2, 3\) and dtype bool"):
        layer.compute_mask(x, [mask, None])
    assert layer.compute_mask(x, None) is None
    assert layer.compute_mask(x, [None, None]) is None


def test_compute_mask_message_names_the_fix():
    with pytest.raises(TypeError, match=r"Set `supports_masking = True` on _Plain"):
        _Plain(name="p2").compute_mask(tf.ones((2, 3)), tf.constant(_MASK))


def test_masking_layers_pass_the_mask_on():
    # tf_keras: Dense supports masking and returns the mask unchanged.
    mask = tf.constant(_MASK)
    out = keras.layers.Dense(3).compute_mask(tf.ones((2, 3, 5)), mask)
    np.testing.assert_array_equal(np.asarray(out), _MASK)


@pytest.mark.parametrize(
    "make, has_mask, out_shape",
    [
        # tf_keras: the mask is dropped silently at layers without masking support, and
        # kept by Dense; shapes of model(np.array([[1, 0, 2]])).
        (_OverriddenOff, False, (1, 3, 4)),
        (_Plain, False, (1, 3, 4)),
        (keras.layers.Flatten, False, (1, 12)),
        (lambda: keras.layers.Dense(2), True, (1, 3, 2)),
    ],
)
def test_models_drop_masks_at_layers_without_masking_support(make, has_mask, out_shape):
    inp = keras.Input((3,))
    emb = keras.layers.Embedding(5, 4, mask_zero=True)(inp)
    out = make()(emb)
    assert (getattr(out, "_keras_mask", None) is not None) is has_mask
    model = keras.Model(inp, out)
    assert tuple(model(np.array([[1, 0, 2]])).shape) == out_shape
    eager = make()(keras.layers.Embedding(5, 4, mask_zero=True)(np.array([[1, 0, 2]])))
    assert (getattr(eager, "_keras_mask", None) is not None) is has_mask


def test_sequential_drops_the_mask_at_a_plain_layer():
    model = keras.Sequential(
        [keras.layers.Embedding(5, 4, mask_zero=True), _Plain(), keras.layers.Dense(1)]
    )
    assert tuple(model(np.array([[1, 0, 2]])).shape) == (1, 3, 1)


def test_overridden_compute_mask_is_not_used_when_masking_is_off():
    # tf_keras: no output mask (symbolic or eager) when supports_masking is False.
    assert getattr(_OverriddenOff()(keras.Input((3,))), "_keras_mask", None) is None
    assert getattr(_OverriddenOff()(tf.ones((2, 3))), "_keras_mask", None) is None


def test_time_distributed_drops_the_mask_at_an_inner_layer_without_masking():
    # tf_keras raises TypeError from Conv1D.compute_mask here; tork keeps the model working
    # and keeps a timestep's mask when any of its entries was kept.
    x = np.ones((2, 3, 4, 5), "float32")
    x[:, 1] = 0
    inp = keras.Input((3, 4, 5))
    out = keras.layers.TimeDistributed(keras.layers.Conv1D(2, 1))(keras.layers.Masking()(inp))
    assert tuple(keras.Model(inp, out)(x).shape) == (2, 3, 4, 2)


class _CastsToComputeDtype(keras.layers.Layer):
    def call(self, x):
        if self._compute_dtype == "float16":
            return tf.cast(x, self._compute_dtype) * 2
        return tf.cast(x, self._compute_dtype) + 1


@pytest.mark.parametrize(
    "dtype, compute, variable",
    # tf_keras: repr(layer._compute_dtype), repr(layer._dtype).
    [
        (None, "float32", "float32"),
        ("mixed_float16", "float16", "float32"),
        ("float64", "float64", "float64"),
        ("mixed_bfloat16", "bfloat16", "float32"),
    ],
)
def test_private_dtype_attributes_are_names(dtype, compute, variable):
    layer = keras.layers.Dense(2, dtype=dtype)
    assert isinstance(layer._compute_dtype, str) and layer._compute_dtype == compute
    assert isinstance(layer._dtype, str) and layer._dtype == variable
    assert layer._compute_dtype == getattr(tf, compute)  # TF's dtypes equal their names


def test_user_layer_compares_compute_dtype_with_a_name():
    # tf_keras: float32 -> x + 1 (float32); mixed_float16 -> x * 2 (float16), [[2, 2]].
    plain = _CastsToComputeDtype()(tf.ones((1, 2)))
    assert plain.dtype == tf.float32
    np.testing.assert_array_equal(np.asarray(plain), [[2.0, 2.0]])
    half = _CastsToComputeDtype(dtype="mixed_float16")(tf.ones((1, 2)) * 3)
    assert half.dtype == tf.float16
    np.testing.assert_array_equal(np.asarray(half, dtype="float32"), [[6.0, 6.0]])


def test_compute_dtype_is_read_only_as_in_keras2():
    # tf_keras: AttributeError 'Can't set the attribute "_compute_dtype" ...'.
    with pytest.raises(AttributeError, match="_compute_dtype"):
        _CastsToComputeDtype()._compute_dtype = "float64"


def test_compute_dtype_follows_torch_casts():
    layer = keras.layers.Dense(2)
    layer(tf.ones((1, 3)))
    layer.double()
    assert layer._compute_dtype == "float64"
    assert layer(tf.ones((1, 3))).dtype == tf.float64
