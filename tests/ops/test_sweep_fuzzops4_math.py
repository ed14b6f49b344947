"""tf.math differences found by differential fuzzing, round 4 (helper fuzzops4).

Expected values printed by TF 2.21 (CPU) for the same calls (/tmp/fuzzops4/p4/probe1.py).
"""

import numpy as np
import pytest

import tork as tf


def test_add_n_of_a_tensor_sums_its_rows():
    # TF iterates a tensor given as `inputs`: add_n([[1, 2], [3, 4]]) -> [4, 6] int32,
    # add_n([1, 2, 3]) -> 6 (was the input itself)
    out = tf.math.add_n(tf.constant([[1, 2], [3, 4]]))
    assert out.dtype == tf.int32
    np.testing.assert_array_equal(out.numpy(), [4, 6])
    out = tf.add_n(tf.constant([1, 2, 3]))
    assert out.shape == () and int(out) == 6


def test_add_n_of_a_list_is_unchanged():
    out = tf.add_n([tf.constant([1.0, 2.0]), tf.constant([3.0, 4.0])])
    np.testing.assert_allclose(out.numpy(), [4.0, 6.0])
    np.testing.assert_array_equal(tf.add_n([tf.constant([1, 2])]).numpy(), [1, 2])


def test_add_n_of_a_scalar_tensor_raises():
    # TF: TypeError "Cannot iterate over a scalar tensor."
    with pytest.raises(TypeError, match="scalar tensor"):
        tf.add_n(tf.constant(1.0))


@pytest.mark.parametrize(
    "dtype, expected",
    [
        ("uint8", "float32"),
        ("uint16", "float32"),
        ("int16", "float32"),
        ("uint32", "float64"),
        ("uint64", "float64"),
        ("int32", "float64"),
        ("int64", "float64"),
    ],
)
def test_truediv_of_integers_has_tf_result_dtype(dtype, expected):
    # TF: truediv/divide of uint32 and uint64 give float64 (as int32/int64), the
    # narrower integers float32 (uint32 gave float32)
    x = tf.constant([1, 2, 3], getattr(tf, dtype))
    for out in (tf.math.truediv(x, x), tf.divide(x, x), tf.math.divide(x, 2)):
        assert out.dtype == getattr(tf, expected)
    np.testing.assert_allclose(tf.math.divide(x, 2).numpy(), [0.5, 1.0, 1.5])


def test_atan2_keywords_are_y_then_x():
    # TF: tf.math.atan2(y=1.0, x=0.0) -> 1.5707964 (tork named them x, y: gave 0.0)
    out = tf.math.atan2(y=tf.constant(1.0), x=tf.constant(0.0))
    np.testing.assert_allclose(float(out), 1.5707964, rtol=1e-6)
    out = tf.atan2(x=tf.constant([1.0, -1.0]), y=tf.constant([0.0, 1.0]))
    np.testing.assert_allclose(out.numpy(), [0.0, 2.3561945], rtol=1e-6)
    np.testing.assert_allclose(float(tf.math.atan2(1.0, 0.0)), 1.5707964, rtol=1e-6)


def test_real_takes_the_input_keyword():
    # TF: tf.math.real(input=[1+2j]) -> [1.0] float64
    out = tf.math.real(input=tf.constant([1 + 2j]))
    assert out.dtype == tf.float64
    np.testing.assert_allclose(out.numpy(), [1.0])


_SPECIAL = np.array([np.nan, np.inf, -np.inf, -0.0, 1.5, 65504.0, 70000.0, 1e39, -3e38])


@pytest.mark.parametrize(
    "src, dst, expected",
    [
        # TF 2.21 (/tmp/fuzzops4/p4/probe7.py): every float -> float saturate_cast clamps,
        # infinities included, to the narrower type's largest finite value (as a value of
        # the input dtype); tork kept inf for same-size or wider targets
        (
            "float32",
            "float32",
            [
                np.nan,
                3.4028235e38,
                -3.4028235e38,
                -0.0,
                1.5,
                65504.0,
                70000.0,
                3.4028235e38,
                -3.0e38,
            ],
        ),
        (
            "float32",
            "float64",
            [
                np.nan,
                3.4028234663852886e38,
                -3.4028234663852886e38,
                -0.0,
                1.5,
                65504.0,
                70000.0,
                3.4028234663852886e38,
                -2.9999999521443642e38,
            ],
        ),
        (
            "float16",
            "float32",
            [np.nan, 65504.0, -65504.0, -0.0, 1.5, 65504.0, 65504.0, 65504.0, -65504.0],
        ),
        (
            "bfloat16",
            "float16",
            [np.nan, 65280.0, -65280.0, -0.0, 1.5, 65280.0, 65280.0, 65280.0, -65280.0],
        ),
        (
            "float64",
            "float16",
            [np.nan, 65504.0, -65504.0, -0.0, 1.5, 65504.0, 65504.0, 65504.0, -65504.0],
        ),
    ],
)
def test_saturate_cast_between_floats_clamps_infinities(src, dst, expected):
    x = tf.cast(tf.constant(_SPECIAL), getattr(tf, src))
    out = tf.saturate_cast(x, getattr(tf, dst))
    assert out.dtype == getattr(tf, dst)
    np.testing.assert_allclose(tf.cast(out, tf.float64).numpy(), expected, rtol=1e-6)
    assert np.signbit(tf.cast(out, tf.float64).numpy()[3])


@pytest.mark.parametrize(
    "dtype, expected_dtype",
    [
        ("int8", "float32"),
        ("uint8", "float32"),
        ("int16", "float32"),
        ("uint16", "float32"),
        ("int32", "float64"),
        ("int64", "float64"),
        ("uint32", "float64"),
    ],
)
def test_unsorted_segment_mean_of_integers_divides_as_truediv(dtype, expected_dtype):
    # TF 2.21 (/tmp/fuzzops4/p4/probe8.py): [1.5, 5.5, 0.0, 100.0, 0.0], float32 for
    # 8/16-bit ints, float64 for 32/64-bit ones (tork gave float64 for all)
    x = tf.constant(np.array([1, 2, 4, 7, 100], dtype))
    out = tf.math.unsorted_segment_mean(x, [0, 0, 1, 1, 3], 5)
    assert out.dtype == getattr(tf, expected_dtype)
    np.testing.assert_allclose(out.numpy(), [1.5, 5.5, 0.0, 100.0, 0.0])


def test_unsorted_segment_mean_of_int8_sums_in_int8():
    # TF: the int8 segment sum wraps (120 + 100 -> -36) before the division: [-18.0, 3.0]
    x = tf.constant(np.array([120, 100, 3], "int8"))
    out = tf.math.unsorted_segment_mean(x, [0, 0, 1], 2)
    np.testing.assert_allclose(out.numpy(), [-18.0, 3.0])
