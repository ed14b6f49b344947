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
        # TF 2.21: ints outside int32 make the value int64.
        (2**40, torch.int64),
        ([1, 2**31], torch.int64),
        ([1, -(2**31)], torch.int32),
        ([1.5, 2**40], torch.float32),
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
    with pytest.raises(NotImplementedError, match="tork does not implement `tf.raw_ops.MatMul`"):
        tf.raw_ops.MatMul  # noqa: B018
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


def test_convert_to_tensor_keeps_large_ints_exact():
    # tf.constant(2**40) in TF 2.21: <tf.Tensor: shape=(), dtype=int64, numpy=1099511627776>
    assert int(tf.constant(2**40)) == 1099511627776
    assert tf.constant([[1], [2**35]]).numpy().tolist() == [[1], [2**35]]


@pytest.mark.parametrize(
    "key",
    [
        np.s_[::-1],
        np.s_[..., ::-1],
        np.s_[:, ::-2, 1],
        np.s_[None, 2:0:-1, ..., ::-3],
        np.s_[1, ::-1, None],
        np.s_[5:2:-1],
        np.s_[::-1, ::-1, ::-1],
        np.s_[-1:-4:-1, 0],
        np.s_[0:2:-1],  # empty
    ],
)
def test_negative_step_slicing_matches_numpy(key):
    # TensorFlow's strided slices take negative steps like NumPy (`x[::-1]` reverses).
    a = np.arange(60).reshape(3, 4, 5)
    result = tf.constant(a)[key]
    assert result.shape == a[key].shape
    np.testing.assert_array_equal(result.numpy(), a[key])


def test_negative_step_slicing_has_gradients():
    v = tf.Variable([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(v[::-1] * tf.constant([1.0, 2.0, 3.0]))
    np.testing.assert_allclose(tape.gradient(y, v).numpy(), [3.0, 2.0, 1.0])


def test_negative_step_with_advanced_index_still_raises_torch_error():
    with pytest.raises(ValueError, match="step must be greater than zero"):
        tf.constant(np.arange(6).reshape(2, 3))[[0, 1], ::-1]


def test_list_or_numpy_on_the_left_of_an_operator_converts_to_the_tensor_dtype():
    # The gradients guide: x = [[1., 2., 3.]]; y = x @ w + b.
    w = tf.Variable(np.arange(6, dtype="float32").reshape(3, 2))
    y = [[1.0, 2.0, 3.0]] @ w
    np.testing.assert_allclose(y.numpy(), [[16.0, 22.0]])
    # TF 2.21 gives float32 here: the array is converted to the tensor's dtype.
    r = np.ones(2) + tf.constant(1.0)
    assert r.dtype == torch.float32
    np.testing.assert_allclose(r.numpy(), [2.0, 2.0])
    np.testing.assert_allclose((np.ones(2) - tf.constant(3.0)).numpy(), [-2.0, -2.0])
    np.testing.assert_allclose(([2.0, 3.0] * tf.Variable(2.0)).numpy(), [4.0, 6.0])
    np.testing.assert_allclose((np.full(2, 3.0) / tf.constant(2.0)).numpy(), [1.5, 1.5])
    r = [1, 2] - tf.constant(3)
    assert r.dtype == torch.int32 and r.numpy().tolist() == [-2, -1]


def test_float_list_on_the_left_of_an_int_tensor_is_refused_as_in_tensorflow():
    with pytest.raises(TypeError, match="unsupported operand"):
        [1.5] - tf.constant([1])
    with pytest.raises(TypeError):
        ["a"] + tf.constant([1])


def test_ref_and_deref_key_dicts_and_sets_by_identity():
    v = tf.Variable([1.0])
    w = tf.Variable([1.0])
    t = tf.constant([1.0])
    refs = {v.ref(), w.ref(), t.ref(), v.ref()}
    assert len(refs) == 3
    assert v.ref() == v.ref() and v.ref() != w.ref()
    assert v.ref().deref() is v and t.experimental_ref().deref() is t
    weights = {v.ref(): "v"}
    assert weights[v.ref()] == "v"


def test_patched_tensor_methods_compile_in_one_graph():
    # tork patches __getitem__ and the reflected operators; torch.compile must still
    # capture them without graph breaks (fullgraph=True raises on a break).
    def f(a):
        return (2 * a[:, 1:]).sum() + (1 - a[:, ::-1]).sum() + ([1.0, 2.0, 3.0] + a).sum()

    x = torch.arange(6, dtype=torch.float32).reshape(2, 3)
    torch._dynamo.reset()
    compiled = torch.compile(f, fullgraph=True, backend="eager")
    assert float(compiled(x)) == pytest.approx(float(f(x)))


def test_dtypes_cast_is_tf_cast():
    import tork as tf

    out = tf.dtypes.cast([1.7, -1.7, 2.5], tf.int32)
    assert out.dtype == torch.int32 and out.tolist() == [1, -1, 2]  # truncates, as TF


def test_numpy_arrays_in_tensor_arithmetic_keep_gradients():
    # TF: tape.gradient of reduce_sum(w - y_numpy) is ones; NumPy must not detach w.
    import tork as tf

    w = tf.Variable([1.0, 2.0])
    y32 = np.array([0.5, 0.5], "float32")
    y64 = np.array([0.5, 0.5])
    with tf.GradientTape(persistent=True) as tape:
        minus = tf.reduce_sum(w * 1.0 - y32)
        reflected = tf.reduce_sum(y32 - w)
        times = tf.reduce_sum(w * y64)
        divided = tf.reduce_sum(y32 / w)
    np.testing.assert_allclose(tape.gradient(minus, w).numpy(), [1.0, 1.0])
    np.testing.assert_allclose(tape.gradient(reflected, w).numpy(), [-1.0, -1.0])
    np.testing.assert_allclose(tape.gradient(times, w).numpy(), [0.5, 0.5])
    np.testing.assert_allclose(tape.gradient(divided, w).numpy(), [-0.5, -0.125])
    assert (w * y64).dtype == torch.float32  # the array takes the tensor's dtype, as in TF
    assert (w > y32).tolist() == [True, True] and (y32 < w).tolist() == [True, True]
    # Other uses keep NumPy's behaviour on the values.
    assert np.add(torch.tensor([1.0]), 1.0, out=np.zeros(1)).tolist() == [2.0]


def test_convert_to_tensor_takes_reversed_numpy_views():
    # A negative-stride view (arr[::-1]) is what NumPy slicing gives; torch alone refuses it.
    arr = np.arange(6.0).reshape(2, 3)
    assert tf.constant(np.arange(3)[::-1]).tolist() == [2, 1, 0]
    assert tf.convert_to_tensor(arr[:, ::-1]).tolist() == [[2.0, 1.0, 0.0], [5.0, 4.0, 3.0]]
    assert float(tf.reduce_sum(arr[::-1, ::2])) == 0.0 + 2.0 + 3.0 + 5.0


def test_numpy_argmax_cumsum_take_of_tensors_return_numpy():
    # keras.io's greedy decoders index dicts by np.argmax(tensor): TF returns np.int64.
    probs = tf.constant([[0.1, 0.7, 0.2]])
    index = np.argmax(probs[0])
    assert isinstance(index, np.integer) and {1: "b"}[index] == "b"
    assert isinstance(np.argmin(tf.constant([3, 1, 2])), np.integer)
    np.testing.assert_array_equal(np.cumsum(tf.constant([1, 2, 3])), [1, 3, 6])
    assert isinstance(np.cumprod(tf.constant([1.0, 2.0]), axis=0), np.ndarray)
    np.testing.assert_array_equal(np.take(tf.constant([5, 6, 7]), [0, 2]), [5, 7])
    # torch's own methods are untouched.
    t = torch.tensor([[1.0, 3.0], [2.0, 0.0]])
    assert isinstance(t.argmax(), torch.Tensor) and t.argmax(dim=1).tolist() == [1, 0]
    assert t.cumsum(0).tolist() == [[1.0, 3.0], [3.0, 3.0]]
