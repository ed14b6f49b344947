"""tf.experimental (tnp, Optional, DynamicRaggedShape), against TF 2.21 (tfcore2 sweep).

Expected dtypes and values are TF 2.21's from the same code (the "NumPy API on
TensorFlow" guide and common calls), or NumPy's own results.
"""

import numpy as np
import pytest
import torch

import tork as tf
import tork.experimental.numpy as tnp


@pytest.fixture(autouse=True)
def numpy_behavior():
    tnp.experimental_enable_numpy_behavior()
    yield
    tnp.experimental_enable_numpy_behavior(prefer_float32=False)


def test_namespace_and_import():
    assert tf.experimental.numpy is tnp
    assert tnp.ndarray is torch.Tensor and tnp.newaxis is None
    assert tnp.pi == np.pi and tnp.e == np.e and tnp.inf == np.inf
    assert tnp.float32 == tf.float32 and tnp.int64 == tf.int64 and tnp.bool_ == tf.bool


def test_ndarray_basics():
    x = tnp.ones([5, 3], dtype=tnp.float32)
    assert tuple(x.shape) == (5, 3) and x.ndim == 2 and x.dtype == tnp.float32
    assert tf.is_tensor(x) and isinstance(x, tf.Tensor) and isinstance(x, tnp.ndarray)


def test_creation_dtypes_follow_numpy():
    # TF 2.21: asarray(1) int64, asarray(1.) float64, ones float64, arange(24) int64.
    assert tnp.asarray(1).dtype == torch.int64
    assert tnp.asarray(1.0).dtype == torch.float64
    assert tnp.asarray([1, 2, 3]).dtype == torch.int64
    assert tnp.asarray(np.float32(2)).dtype == torch.float32
    assert tnp.ones([2, 3]).dtype == torch.float64
    assert tnp.zeros((2,)).dtype == torch.float64
    assert tnp.full((2,), 3).dtype == torch.int64
    assert tnp.eye(2).dtype == torch.float64
    assert tnp.arange(24).dtype == torch.int64
    assert tnp.arange(3.0).dtype == torch.float64
    assert tnp.arange(0, 1, 0.25).numpy().tolist() == [0.0, 0.25, 0.5, 0.75]
    assert tnp.linspace(0, 1, 5).dtype == torch.float64
    assert tnp.array([[1.0, 2.0], [3.0, 4.0]]).dtype == torch.float64


def test_prefer_float32():
    tnp.experimental_enable_numpy_behavior(prefer_float32=True)
    assert tnp.asarray(1.0).dtype == torch.float32
    assert tnp.add(1.0, 2.0).dtype == torch.float32
    tnp.experimental_enable_numpy_behavior(prefer_float32=False)
    assert tnp.asarray(1.0).dtype == torch.float64
    assert tnp.add(1.0, 2.0).dtype == torch.float64


def test_function_promotion_follows_numpy():
    # TF 2.21 values (the same as np.result_type with weak Python scalars).
    f32 = tnp.ones(2, dtype=tnp.float32)
    i32 = tnp.ones(2, dtype=tnp.int32)
    i64 = tnp.ones(2, dtype=tnp.int64)
    cases = {
        "f32+1.": (tnp.add(f32, 1.0), torch.float32),
        "i32+1": (tnp.add(i32, 1), torch.int32),
        "i32+1.": (tnp.add(i32, 1.0), torch.float64),
        "i32*f32": (tnp.multiply(i32, f32), torch.float64),
        "i32/i32": (tnp.divide(i32, i32), torch.float64),
        "sqrt i32": (tnp.sqrt(i32), torch.float64),
        "mean i32": (tnp.mean(i32), torch.float64),
        "sum i32": (tnp.sum(i32), torch.int64),
        "maximum i32 0": (tnp.maximum(i32, 0), torch.int32),
        "maximum f32 0": (tnp.maximum(f32, 0), torch.float32),
        "f32 * np f64": (tnp.multiply(f32, np.ones(2)), torch.float64),
        "i32 + i64": (tnp.add(i32, i64), torch.int64),
        "exp f32": (tnp.exp(f32), torch.float32),
        "power i32 2": (tnp.power(i32, 2), torch.int32),
        "where": (tnp.where(f32 > 0, f32, 0), torch.float32),
        "concat i32 f32": (tnp.concatenate([i32, f32]), torch.float64),
        "argmax": (tnp.argmax(f32), torch.int64),
        "prod i32": (tnp.prod(i32), torch.int64),
        "cumsum i32": (tnp.cumsum(i32), torch.int64),
    }
    for name, (result, dtype) in cases.items():
        assert result.dtype == dtype, name
    assert tnp.result_type(tnp.int32, tnp.float32) == torch.float64
    assert tnp.promote_types(tnp.int32, tnp.int64) == torch.int64


def test_indexing_examples():
    x = tnp.arange(24).reshape(2, 3, 4)
    assert x[1, tnp.newaxis, 1:3, ...].numpy().tolist() == [[[16, 17, 18, 19], [20, 21, 22, 23]]]
    assert x[:, (True, False, True)].numpy().tolist() == [
        [[0, 1, 2, 3], [8, 9, 10, 11]],
        [[12, 13, 14, 15], [20, 21, 22, 23]],
    ]
    assert x[1, (0, 0, 1), tnp.asarray([0, 1, 1])].numpy().tolist() == [12, 13, 17]


def test_astype_and_guide_model():
    size = 32
    stddev = tnp.sqrt(size).astype(tnp.float32)
    assert stddev.dtype == torch.float32 and abs(float(stddev) - np.sqrt(32)) < 1e-6
    w1 = tnp.random.randn(size, 64).astype(tnp.float32) / stddev
    bias = tnp.random.randn(64).astype(tnp.float32)
    w2 = tnp.random.randn(64, 2).astype(tnp.float32) / 8
    inputs = tnp.ones([2, 32], dtype=tnp.float32)
    with tf.GradientTape() as tape:
        tape.watch((w1, bias, w2))
        y = tnp.maximum(tnp.matmul(inputs, w1) + bias, 0)
        loss = tnp.sum(tnp.square(tnp.matmul(y, w2)))
    grads = tape.gradient(loss, (w1, bias, w2))
    assert [tuple(g.shape) for g in grads] == [(32, 64), (64,), (64, 2)]
    assert isinstance(grads[0], tnp.ndarray)
    # NumPy reference for the forward pass.
    ref = np.maximum(np.ones((2, 32)) @ w1.numpy() + bias.numpy(), 0) @ w2.numpy()
    np.testing.assert_allclose(float(loss), float((ref**2).sum()), rtol=1e-4)


def test_numpy_interop():
    np_sum = np.sum(tnp.ones([2, 3]))
    assert float(np_sum) == 6.0 and isinstance(np_sum, np.float64)
    tnp_sum = tnp.sum(np.ones([2, 3]))
    assert float(tnp_sum) == 6.0 and tnp_sum.dtype == torch.float64
    assert isinstance(tnp_sum, tnp.ndarray)
    x = tnp.ones([2]) + np.ones([2])
    assert x.numpy().tolist() == [2.0, 2.0] and isinstance(x, tnp.ndarray)
    t = tf.constant([1, 2])
    assert tnp.asarray(t) is t
    assert float(tf.reduce_sum(tnp.ones([4]) * 2)) == 8.0
    np.testing.assert_allclose(tf.nn.softmax(tnp.ones([2, 2])).numpy(), np.full((2, 2), 0.5))


def test_common_functions_match_numpy():
    a_np = np.array([[1.0, 2.0], [3.0, 4.0]])
    a = tnp.array(a_np)
    np.testing.assert_allclose(tnp.mean(a).numpy(), a_np.mean())
    np.testing.assert_allclose(tnp.std(a, axis=0).numpy(), a_np.std(axis=0))
    assert tuple(tnp.concatenate([a, a], axis=0).shape) == (4, 2)
    assert tuple(tnp.stack([a, a]).shape) == (2, 2, 2)
    assert tnp.where(a > 2, a, 0).numpy().tolist() == [[0.0, 0.0], [3.0, 4.0]]
    assert tnp.dot(a, a).numpy().tolist() == (a_np @ a_np).tolist()
    assert tnp.transpose(a).numpy().tolist() == a_np.T.tolist()
    assert tnp.cumsum(tnp.arange(4)).numpy().tolist() == [0, 1, 3, 6]
    assert int(tnp.argmax(a)) == 3
    assert tnp.max(a, axis=1).numpy().tolist() == [2.0, 4.0]
    assert tnp.clip(a, 1.5, 3).numpy().tolist() == [[1.5, 2.0], [3.0, 3.0]]
    assert tnp.isclose(a, a).numpy().all()
    assert float(tnp.sqrt(4)) == 2.0 and tnp.exp(1).dtype == torch.float64
    assert tnp.log(tnp.asarray([1.0, 2.0], dtype=tnp.float32)).dtype == torch.float32
    assert tnp.finfo(tnp.float32).eps == np.finfo(np.float32).eps
    assert tnp.iinfo(tnp.int32).max == 2**31 - 1
    assert tnp.shape(a) == (2, 2) and tnp.copy(a) is not a
    assert tnp.nonzero(tnp.asarray([0, 3, 0, 4]))[0].numpy().tolist() == [1, 3]
    assert bool(tnp.array_equal(a, a_np))


def test_more_numpy_functions():
    np.testing.assert_array_equal(tnp.fix([-1.5, 2.5]).numpy(), np.fix([-1.5, 2.5]))
    assert tnp.fix(3).dtype == torch.float64
    quotient, remainder = tnp.divmod([7, -7], 2)
    assert quotient.numpy().tolist() == [3, -4] and remainder.numpy().tolist() == [1, 1]
    np.testing.assert_allclose(float(tnp.angle(1j)), np.angle(1j))
    assert tnp.diff([1, 4, 9]).numpy().tolist() == [3, 5]
    with pytest.raises(NotImplementedError, match="tf.experimental.numpy.flatten"):
        tnp.flatten  # noqa: B018


def test_random_functions():
    tnp.random.seed(1)
    first = tnp.random.randn(3)
    tnp.random.seed(1)
    assert tnp.random.randn(3).numpy().tolist() == first.numpy().tolist()
    assert tnp.random.uniform(size=(2,)).dtype == torch.float64
    assert tnp.random.rand(2).dtype == torch.float64
    ints = tnp.random.randint(0, 5, size=(100,))
    assert ints.dtype == torch.int64 and int(ints.min()) >= 0 and int(ints.max()) < 5
    assert tnp.random.standard_normal(size=(2,)).dtype == torch.float64
    u = tnp.random.uniform(2.0, 3.0, size=(100,))
    assert float(u.min()) >= 2.0 and float(u.max()) < 3.0


def test_optional():
    opt = tf.experimental.Optional.from_value(tf.constant([1, 2]))
    assert bool(opt.has_value()) and opt.get_value().numpy().tolist() == [1, 2]
    assert opt.element_spec == tf.TensorSpec(shape=(2,), dtype=tf.int32)
    empty = tf.experimental.Optional.empty(tf.TensorSpec(shape=(), dtype=tf.int32))
    assert not bool(empty.has_value())
    with pytest.raises(tf.errors.InvalidArgumentError):
        empty.get_value()
    got = iter(tf.data.Dataset.range(1)).get_next_as_optional()
    assert isinstance(got, tf.experimental.Optional)


def test_dynamic_ragged_shape_and_async_scope():
    shape = tf.shape(tf.ragged.constant([[1], [2, 3]]))
    assert isinstance(shape, tf.experimental.DynamicRaggedShape)
    assert shape.static_lengths() == [2, (1, 2)]
    with tf.experimental.async_scope():
        assert float(tf.constant(1.0) + 1.0) == 2.0
    tf.experimental.async_clear_error()


def test_missing_names_raise_not_implemented():
    with pytest.raises(NotImplementedError, match="tf.experimental.dtensor"):
        tf.experimental.dtensor  # noqa: B018
