"""tape.gradient with None targets/sources, and lists on the left of `** % //` (TF 2.21)."""

import numpy as np
import pytest

import tork as tf

_TF_TEXT = "Cannot convert the argument `type_value`: None to a TensorFlow DType."


def _tape():
    x = tf.Variable(2.0)
    with tf.GradientTape(persistent=True) as tape:
        y = x * x
    return tape, x, y


def test_gradient_with_none_sources_raises_like_tf():
    tape, x, y = _tape()
    with pytest.raises(TypeError) as info:
        tape.gradient(y, None)
    assert str(info.value).startswith(_TF_TEXT)
    assert "`sources` contains None" in str(info.value)
    with pytest.raises(TypeError, match="`sources` contains None"):
        tape.gradient(y, [x, None])


def test_gradient_with_none_in_target_list_raises_like_tf():
    tape, x, y = _tape()
    with pytest.raises(TypeError) as info:
        tape.gradient([y, None], x)
    assert str(info.value).startswith(_TF_TEXT)
    assert "`target` contains None" in str(info.value)
    # The tape is still usable afterwards.
    assert float(tape.gradient(y, x)) == 4.0


@pytest.mark.parametrize(
    "make, dtype, expected",
    [
        # TF 2.21 values.
        (lambda: [16.0, 100.0] ** tf.Variable(0.5), "float32", [4.0, 10.0]),
        (lambda: (2.0, 3.0) ** tf.constant([2.0, 4.0]), "float32", [4.0, 81.0]),
        (lambda: [7.0, 9.0] % tf.constant([2.0, 4.0]), "float32", [1.0, 1.0]),
        (lambda: [4.0, 9.0] // tf.constant([2.0, 4.0]), "float32", [2.0, 2.0]),
        (lambda: [4.0, 9.0] // tf.Variable(0.5), "float32", [8.0, 18.0]),
        (lambda: [2, 3] ** tf.constant([2, 3]), "int32", [4, 27]),
        (lambda: [7, 8] % tf.constant([2, 3]), "int32", [1, 2]),
        (lambda: [7, 8] // tf.constant([2, 3]), "int32", [3, 2]),
    ],
)
def test_list_on_the_left_of_pow_mod_floordiv(make, dtype, expected):
    result = make()
    array = np.asarray(result)
    assert array.dtype == np.dtype(dtype)
    assert array.tolist() == expected


def test_list_on_the_left_refuses_what_tf_refuses():
    with pytest.raises(TypeError):
        [7.5, 8.0] % tf.constant([2, 3])  # floats never truncate into int32
    with pytest.raises(TypeError):
        ["a"] ** tf.constant([2.0])


def test_gradient_flows_through_list_pow():
    x = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum([2.0, 3.0] ** x)
    # TF 2.21: d/dx b**x = b**x * ln(b).
    expected = [2.0 * np.log(2.0), 9.0 * np.log(3.0)]
    np.testing.assert_allclose(np.asarray(tape.gradient(y, x)), expected, rtol=1e-6)
