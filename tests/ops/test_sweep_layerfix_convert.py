"""tf.cast of strings and the public tf.convert_to_tensor's dtype rules (TF 2.21 values)."""

import numpy as np
import pytest
import torch

import tork as tf


def test_cast_between_strings_and_numbers_is_unimplemented():
    # TF 2.21: UnimplementedError "Cast string to float is not supported".
    with pytest.raises(
        tf.errors.UnimplementedError,
        match=r"^Cast string to float is not "
        r"supported\. Parse numbers with tf\.strings\.to_number",
    ):
        tf.cast(tf.constant(["1.5"]), tf.float32)
    with pytest.raises(tf.errors.UnimplementedError, match="Cast string to int32 is not supported"):
        tf.cast(["1"], tf.int32)
    with pytest.raises(tf.errors.UnimplementedError, match="Cast string to bool is not supported"):
        tf.cast(np.array(["1"]), tf.bool)
    with pytest.raises(
        tf.errors.UnimplementedError,
        match=r"^Cast float to string is not "
        r"supported\. Format numbers as strings with tf\.strings\.as_string",
    ):
        tf.cast(tf.constant([1.5]), tf.string)
    with pytest.raises(tf.errors.UnimplementedError, match="Cast double to string"):
        tf.cast(tf.constant([1.5], tf.float64), tf.string)
    assert tf.cast(tf.constant(["1"]), tf.string).numpy().tolist() == [b"1"]
    np.testing.assert_array_equal(tf.strings.to_number(tf.constant(["1.5"])).numpy(), [1.5])


def test_convert_to_tensor_of_none_or_objects_is_a_value_error():
    message = (
        "Attempt to convert a value (None) with an unsupported type (<class 'NoneType'>) to a "
        "Tensor."
    )
    with pytest.raises(ValueError) as info:
        tf.convert_to_tensor(None)
    assert str(info.value) == message
    with pytest.raises(ValueError, match=r"unsupported type \(<class 'object'>\)"):
        tf.convert_to_tensor(object(), dtype=tf.float32)
    with pytest.raises(ValueError, match=r"value \(None\) with an unsupported type"):
        tf.constant(None)


def test_public_convert_to_tensor_does_not_cast_tensors():
    # TF 2.21's messages start with these words.
    with pytest.raises(
        ValueError,
        match=r"^Tensor conversion requested dtype float32 for Tensor with dtype int32: .*"
        r"Cast it with tf\.cast\(x, 'float32'\)\.$",
    ):
        tf.convert_to_tensor(tf.constant([1, 2]), dtype=tf.float32)
    with pytest.raises(ValueError, match="requested dtype int32 for Tensor with dtype int64"):
        tf.convert_to_tensor(tf.constant([1, 2], tf.int64), dtype=tf.int32)
    with pytest.raises(ValueError, match="requested dtype float64 for Tensor with dtype float32"):
        tf.convert_to_tensor(torch.ones(2), dtype="float64")
    with pytest.raises(
        ValueError,
        match=r"^Incompatible type conversion requested to type float32 for `tf\.Variable of "
        r"type int32\.",
    ):
        tf.convert_to_tensor(tf.Variable([1, 2]), dtype=tf.float32)
    with pytest.raises(
        ValueError,
        match=r"dtype float32 for Tensor with dtype string.*"
        r"tf\.strings\.to_number",
    ):
        tf.convert_to_tensor(tf.constant(["a"]), dtype=tf.float32)
    # What converts, as in TF: same dtype, NumPy arrays, Python values, dtype_hint.
    t = tf.constant([1, 2])
    assert tf.convert_to_tensor(t, dtype=tf.int32) is t
    assert tf.convert_to_tensor(t, dtype=np.int32) is t
    assert tf.convert_to_tensor(np.array([1, 2]), dtype=tf.float32).dtype == torch.float32
    assert tf.convert_to_tensor(1, dtype=tf.float32).dtype == torch.float32
    assert tf.convert_to_tensor(t, dtype_hint=tf.float32).dtype == torch.int32
    np.testing.assert_array_equal(
        tf.convert_to_tensor(np.array([1.5]), dtype=tf.int32).numpy(), [1]
    )


def test_public_convert_to_tensor_does_not_truncate_python_floats():
    # TF 2.21: TypeError "Cannot convert [1.5] to EagerTensor of dtype int32".
    with pytest.raises(TypeError, match=r"Cannot convert \[1\.5\] to EagerTensor of dtype int32"):
        tf.convert_to_tensor([1.5], dtype=tf.int32)
    with pytest.raises(TypeError, match="Cannot convert 1 to EagerTensor of dtype bool"):
        tf.convert_to_tensor(1, dtype=tf.bool)


def test_cast_of_a_sparse_tensor_casts_its_values():
    # TF 2.21: a SparseTensor with float32 values and the same indices and dense shape.
    sparse = tf.sparse.SparseTensor([[0, 0], [1, 2]], [1, 2], [2, 3])
    out = tf.cast(sparse, tf.float32)
    assert isinstance(out, tf.sparse.SparseTensor)
    assert out.values.dtype == torch.float32
    np.testing.assert_array_equal(out.indices.numpy(), [[0, 0], [1, 2]])
    np.testing.assert_array_equal(tf.sparse.to_dense(out).numpy(), [[1, 0, 0], [0, 0, 2]])
