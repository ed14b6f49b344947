"""keras.utils.pad_sequences against hand-written expectations."""

import numpy as np
import pytest

from tork import keras


def test_pre_and_post_padding_and_truncation():
    seqs = [[1, 2, 3], [4], []]
    np.testing.assert_array_equal(
        keras.utils.pad_sequences(seqs), [[1, 2, 3], [0, 0, 4], [0, 0, 0]]
    )
    np.testing.assert_array_equal(
        keras.utils.pad_sequences(seqs, padding="post", value=9), [[1, 2, 3], [4, 9, 9], [9, 9, 9]]
    )
    np.testing.assert_array_equal(
        keras.utils.pad_sequences(seqs, maxlen=2), [[2, 3], [0, 4], [0, 0]]
    )
    np.testing.assert_array_equal(
        keras.utils.pad_sequences(seqs, maxlen=2, truncating="post"), [[1, 2], [0, 4], [0, 0]]
    )
    assert keras.utils.pad_sequences(seqs).dtype == np.int32


def test_bad_padding_argument():
    with pytest.raises(ValueError, match="padding must be 'pre' or 'post'"):
        keras.utils.pad_sequences([[1]], padding="middle")


def test_each_sequence_is_converted_to_dtype_as_in_keras():
    # tf_keras 2.21: values out of range for `dtype` raise instead of wrapping around.
    with pytest.raises(OverflowError):
        keras.utils.pad_sequences([[300, 2]], dtype="int8")
    out = keras.utils.pad_sequences([["a", "b"], ["c"]], dtype=object, value="x")
    assert out.dtype == object and out.tolist() == [["a", "b"], ["x", "c"]]
    out = keras.utils.pad_sequences([["a", "b"], ["c"]], dtype="str", value="x")
    assert out.dtype.kind == "U" and out.tolist() == [["a", "b"], ["x", "c"]]
    np.testing.assert_array_equal(keras.utils.pad_sequences([[1.5, 2.5], [3.7]]), [[1, 2], [0, 3]])
    assert keras.utils.pad_sequences([[], []]).shape == (2, 0)
    np.testing.assert_array_equal(
        keras.utils.pad_sequences([np.array([[1, 2], [3, 4]]), np.array([[5, 6]])]),
        [[[1, 2], [3, 4]], [[0, 0], [5, 6]]],
    )


def test_keras_error_messages():
    with pytest.raises(ValueError, match=r"`dtype` int32 is not compatible with `value`'s type"):
        keras.utils.pad_sequences([["a"]], value="x")
    with pytest.raises(ValueError, match="You should set `dtype=object`"):
        keras.utils.pad_sequences([["a"]], value="x")
    with pytest.raises(
        ValueError,
        match=r"Shape of sample \(3,\) of sequence at position 1 is different from expected "
        r"shape \(2,\)",
    ):
        keras.utils.pad_sequences([np.zeros((2, 2)), np.zeros((1, 3))])
    with pytest.raises(
        ValueError, match="`sequences` must be a list of iterables. Found non-iterable: 1"
    ):
        keras.utils.pad_sequences([1, 2, 3])
    with pytest.raises(ValueError, match="`sequences` must be iterable"):
        keras.utils.pad_sequences(x for x in [[1]])
