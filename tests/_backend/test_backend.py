"""dtypes, conversion rules, TensorShape, devices, and unknown-name errors."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import tork as tf
from tork._backend.tensor_shape import TensorShape


@pytest.mark.parametrize(
    "value,dtype",
    [
        (1.0, torch.float32),
        (1, torch.int32),
        (True, torch.bool),
        ([1, 2.5], torch.float32),
        ([[1, 2], [3, 4]], torch.int32),
        (np.float64(1.0), torch.float64),
        (np.zeros(3), torch.float64),
        (np.zeros(3, "float32"), torch.float32),
        (np.zeros(3, "int64"), torch.int64),
    ],
)
def test_convert_to_tensor_follows_tensorflow_dtype_rules(value, dtype):
    assert tf.convert_to_tensor(value).dtype == dtype


def test_convert_to_tensor_copies_numpy_and_casts_with_dtype():
    arr = np.ones(3, "float32")
    t = tf.convert_to_tensor(arr)
    arr[0] = 5
    assert float(t[0]) == 1.0
    assert tf.convert_to_tensor([1, 2], dtype=tf.float64).dtype == torch.float64
    assert tf.convert_to_tensor([1, 2], dtype_hint=tf.float32).dtype == torch.float32


def test_tensors_pass_through_unchanged():
    t = torch.ones(2)
    assert tf.convert_to_tensor(t) is t


def test_dtype_names_and_as_dtype():
    assert tf.float32 is torch.float32 and tf.int64 is torch.int64
    assert tf.dtypes.as_dtype("float16") == tf.float16
    assert tf.dtypes.as_dtype(np.int32) == tf.int32
    assert tf.dtypes.as_dtype(float) == tf.float32
    with pytest.raises(TypeError, match="Cannot convert 'flaot32' to a dtype. Valid names"):
        tf.dtypes.as_dtype("flaot32")
    assert tf.dtypes.as_dtype("string") is tf.string


def test_tensor_shape_api():
    s = TensorShape([None, 3])
    assert s.rank == 2 and s.as_list() == [None, 3]
    assert s == (None, 3) and s[1] == 3 and s[1:] == TensorShape([3])
    assert not s.is_fully_defined() and s.num_elements() is None
    assert s.is_compatible_with([5, 3]) and not s.is_compatible_with([5, 4])
    assert s.merge_with([7, None]).as_list() == [7, 3]
    assert (s + [2]).as_list() == [None, 3, 2]
    assert str(TensorShape([2, 3])) == "(2, 3)"
    assert TensorShape(None).rank is None
    with pytest.raises(ValueError, match="not compatible"):
        s.merge_with([1, 4])


def test_device_scope_and_physical_devices():
    with tf.device("/CPU:0"):
        assert tf.zeros((2,)).device.type == "cpu"
    cpus = tf.config.list_physical_devices("CPU")
    assert cpus and cpus[0].device_type == "CPU"
    gpus = tf.config.list_physical_devices("GPU")
    assert len(gpus) == torch.cuda.device_count()
    with pytest.raises(ValueError, match="Unknown device type .potato."):
        with tf.device("potato"):
            pass


def test_unknown_names_raise_clear_not_implemented():
    with pytest.raises(NotImplementedError, match="tork does not implement `tf.raw_ops` yet"):
        tf.raw_ops  # noqa: B018
    with pytest.raises(NotImplementedError, match="`tf.keras.layers.NotALayer`"):
        tf.keras.layers.NotALayer  # noqa: B018
    assert not hasattr(tf, "definitely_missing")


def test_executing_eagerly_and_numpy_on_tensors():
    assert tf.executing_eagerly()
    x = torch.ones(2, requires_grad=True)
    assert (x * 2).numpy().tolist() == [2.0, 2.0]


def test_get_shape_and_set_shape_as_in_tensorflow():
    x = tf.zeros((2, 3))
    assert x.get_shape().as_list() == [2, 3]
    assert x.get_shape() == tf.TensorShape([2, 3])
    x.set_shape([None, 3])  # a hint that fits: nothing to do
    x.set_shape(tf.TensorShape([2, None]))
    x.set_shape(None)
    with pytest.raises(
        ValueError, match=r"shape \(2, 3\) is not compatible with supplied shape \(2, 4\)"
    ):
        x.set_shape([2, 4])
    with pytest.raises(ValueError, match=r"not compatible with supplied shape \(3,\)"):
        x.set_shape([3])


def test_top_level_keras_aliases_of_tensorflow_2():
    assert tf.optimizers.Adam is tf.keras.optimizers.Adam
    assert tf.losses.MeanSquaredError is tf.keras.losses.MeanSquaredError
    assert tf.metrics.MeanAbsoluteError is tf.keras.metrics.MeanAbsoluteError
    assert tf.initializers.zeros is tf.keras.initializers.zeros


@pytest.mark.parametrize("name", ["min", "max", "sum", "mean", "std", "var", "prod"])
def test_numpy_reductions_on_tensors_give_numpy_results(name):
    values = np.array([[1.0, 4.0, 2.0], [3.0, 0.5, 6.0]], dtype=np.float32)
    t = tf.constant(values)
    f = getattr(np, name)
    np.testing.assert_allclose(f(t), f(values), rtol=1e-6)
    np.testing.assert_allclose(f(t, axis=0), f(values, axis=0), rtol=1e-6)
    np.testing.assert_allclose(
        f(t, axis=1, keepdims=True), f(values, axis=1, keepdims=True), rtol=1e-6
    )
    assert isinstance(f(t), np.floating)


def test_torch_reduction_methods_are_unchanged():
    t = torch.tensor([[1.0, 5.0], [3.0, 2.0]], requires_grad=True)
    assert torch.equal(t.sum(dim=0), torch.tensor([4.0, 7.0]))
    values, indices = t.max(0)
    assert indices.tolist() == [1, 0] and values.tolist() == [3.0, 5.0]
    t.mean().backward()
    assert torch.equal(t.grad, torch.full((2, 2), 0.25))
    assert bool(np.any(tf.constant([0.0, 2.0]) > 1)) and not bool(np.all(tf.constant([0, 1])))


def test_wide_unsigned_dtypes_are_exported():
    import torch

    import tork as tf

    assert (tf.uint16, tf.uint32, tf.uint64) == (torch.uint16, torch.uint32, torch.uint64)
    assert tf.as_dtype("uint16") is torch.uint16
    assert tf.dtypes.as_dtype("uint64") is torch.uint64
