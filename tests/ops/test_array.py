"""tork.ops.array against NumPy references."""

import numpy as np
import pytest
import torch
from torch.autograd import gradcheck

import tork as tf
from tork.ops.debugging import InvalidArgumentError


def np_(t):
    return t.detach().cpu().numpy()


# ---------------------------------------------------------------- creation and dtype rules


@pytest.mark.parametrize(
    "value, dtype",
    [
        (1.5, torch.float32),
        (3, torch.int32),
        (True, torch.bool),
        ([1.0, 2], torch.float32),
        ([[1, 2], [3, 4]], torch.int32),
        (np.array([1.0, 2.0]), torch.float64),
        (np.array([1, 2], dtype=np.int64), torch.int64),
        (np.float32(2.0), torch.float32),
    ],
)
def test_constant_dtype_rules(value, dtype):
    t = tf.constant(value)
    assert t.dtype == dtype
    np.testing.assert_array_equal(np_(t), np.asarray(value))


def test_constant_copies_and_casts():
    src = np.array([1.0, 2.0])
    t = tf.constant(src)
    src[0] = 99.0
    assert t.tolist() == [1.0, 2.0]
    base = torch.tensor([1.0, 2.0], requires_grad=True)
    c = tf.constant(base, dtype=tf.float32)
    assert c.dtype == torch.float32 and not c.requires_grad
    # TF 2.21: tf.constant does not cast a tensor to another dtype (tf.cast does).
    with pytest.raises(TypeError, match="with dtype tf.float64, but got dtype tf.float32"):
        tf.constant(base, dtype=tf.float64)
    c2 = tf.constant(base)
    c2 += 1
    assert base.tolist() == [1.0, 2.0]
    assert tf.constant([1, 2], dtype=tf.float32).dtype == torch.float32


def test_constant_shape_fill_and_reshape():
    np.testing.assert_array_equal(np_(tf.constant(7, shape=(2, 3))), np.full((2, 3), 7))
    np.testing.assert_array_equal(np_(tf.constant([5.0], shape=[2])), [5.0, 5.0])
    np.testing.assert_array_equal(
        np_(tf.constant([1, 2, 3, 4, 5, 6], shape=(2, 3))), np.arange(1, 7).reshape(2, 3)
    )
    with pytest.raises(TypeError, match=r"shape \(4,\) \(4 elements\).*shape \(3,\)"):
        tf.constant([1, 2, 3], shape=(4,))


def test_zeros_ones_fill_eye():
    assert tf.zeros((2, 3)).dtype == torch.float32
    np.testing.assert_array_equal(np_(tf.ones([2], dtype=tf.int64)), [1, 1])
    assert tf.ones([2], dtype=tf.int64).dtype == torch.int64
    assert tf.zeros(tf.TensorShape([3, 1])).shape == (3, 1)
    assert tf.zeros(tf.constant([2, 2])).shape == (2, 2)
    f = tf.fill([2, 2], 7)
    assert f.dtype == torch.int32 and f.tolist() == [[7, 7], [7, 7]]
    assert tf.fill([3], 0.5).dtype == torch.float32
    np.testing.assert_array_equal(np_(tf.eye(2, 3)), np.eye(2, 3))
    assert tf.eye(2, batch_shape=[4]).shape == (4, 2, 2)
    with pytest.raises(ValueError, match="unknown"):
        tf.zeros([None, 3])


def test_zeros_like_ones_like():
    x = tf.constant([[1, 2]])
    assert tf.zeros_like(x).dtype == torch.int32
    assert tf.ones_like(x, dtype=tf.float32).tolist() == [[1.0, 1.0]]
    assert tf.zeros_like([1.5]).dtype == torch.float32


def test_range():
    r = tf.range(5)
    assert r.dtype == torch.int32
    np.testing.assert_array_equal(np_(r), np.arange(5))
    np.testing.assert_array_equal(np_(tf.range(3, 18, 3)), np.arange(3, 18, 3))
    np.testing.assert_array_equal(np_(tf.range(5, 0, -2)), np.arange(5, 0, -2))
    f = tf.range(0.0, 1.0, 0.25)
    assert f.dtype == torch.float32
    np.testing.assert_allclose(np_(f), np.arange(0, 1, 0.25))
    assert tf.range(3, dtype=tf.float64).dtype == torch.float64
    assert tf.range(tf.constant(4, dtype=tf.int64)).dtype == torch.int64
    with pytest.raises(ValueError, match="delta != 0"):
        tf.range(0, 5, 0)


def test_linspace():
    np.testing.assert_allclose(np_(tf.linspace(0.0, 1.0, 5)), np.linspace(0, 1, 5))
    assert tf.linspace(0.0, 1.0, 5).dtype == torch.float32
    start, stop = np.array([0.0, 10.0]), np.array([1.0, 20.0])
    out = tf.linspace(start, stop, 3)
    np.testing.assert_allclose(np_(out), np.linspace(start, stop, 3))
    out1 = tf.linspace(start, stop, 3, axis=1)
    np.testing.assert_allclose(np_(out1), np.linspace(start, stop, 3, axis=1))


def test_identity_and_stop_gradient():
    v = tf.Variable([1.0, 2.0])
    snap = tf.identity(v)
    v.assign([5.0, 5.0])
    assert snap.tolist() == [1.0, 2.0]
    assert type(snap) is torch.Tensor
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = tf.stop_gradient(x)
    assert not y.requires_grad
    assert tf.is_tensor(x) and not tf.is_tensor([1.0])


# ---------------------------------------------------------------- shapes


def test_shape_rank_size():
    x = tf.zeros((2, 3, 4))
    s = tf.shape(x)
    assert s.dtype == torch.int32 and s.tolist() == [2, 3, 4]
    assert tf.shape(x, out_type=tf.int64).dtype == torch.int64
    assert int(tf.rank(x)) == 3 and tf.rank(x).dtype == torch.int32
    assert int(tf.size(x)) == 24 and tf.size(x).dtype == torch.int32
    assert tf.shape([[1, 2]]).tolist() == [1, 2]


def test_reshape():
    a = np.arange(24).reshape(2, 3, 4)
    x = tf.constant(a)
    np.testing.assert_array_equal(np_(tf.reshape(x, [6, -1])), a.reshape(6, -1))
    np.testing.assert_array_equal(np_(tf.reshape(x, tf.constant([4, 6]))), a.reshape(4, 6))
    np.testing.assert_array_equal(np_(tf.reshape(x, tf.TensorShape([24]))), a.reshape(24))
    with pytest.raises(InvalidArgumentError, match=r"shape \(2, 3, 4\) \(24 elements\).*\(5, 5\)"):
        tf.reshape(x, [5, 5])
    with pytest.raises(ValueError, match="number of elements must stay the same"):
        tf.reshape(x, [5, -1])


def test_transpose():
    a = np.arange(24).reshape(2, 3, 4)
    np.testing.assert_array_equal(np_(tf.transpose(a)), a.T)
    np.testing.assert_array_equal(np_(tf.transpose(a, [1, 0, 2])), a.transpose(1, 0, 2))
    c = tf.constant(np.array([[1 + 2j, 3j]]))
    np.testing.assert_array_equal(
        np_(tf.transpose(c, conjugate=True)), np.array([[1 + 2j, 3j]]).conj().T
    )
    with pytest.raises(ValueError, match=r"not a permutation of the 3 dimensions"):
        tf.transpose(a, [0, 1])


def test_expand_dims_squeeze():
    x = tf.zeros((2, 3))
    assert tf.expand_dims(x, 0).shape == (1, 2, 3)
    assert tf.expand_dims(x, -1).shape == (2, 3, 1)
    assert tf.expand_dims(x, 2).shape == (2, 3, 1)
    with pytest.raises(ValueError, match=r"axis=3 is out of range.*\[-3, 2\]"):
        tf.expand_dims(x, 3)
    y = tf.zeros((1, 2, 1, 3))
    assert tf.squeeze(y).shape == (2, 3)
    assert tf.squeeze(y, axis=[0, 2]).shape == (2, 3)
    assert tf.squeeze(y, axis=-2).shape == (1, 2, 3)
    with pytest.raises(ValueError, match=r"Can not squeeze dim\[1\].*got 2"):
        tf.squeeze(y, axis=1)


def test_concat_stack_unstack():
    a, b = np.ones((2, 3)), np.zeros((2, 1))
    np.testing.assert_array_equal(np_(tf.concat([a, b], axis=1)), np.concatenate([a, b], 1))
    np.testing.assert_array_equal(np_(tf.concat([a, a], -2)), np.concatenate([a, a], 0))
    with pytest.raises(ValueError, match=r"shapes \(2, 3\) \(input 0\) and \(2, 1\) \(input 1\)"):
        tf.concat([a, b], axis=0)
    with pytest.raises(ValueError, match="same rank"):
        tf.concat([a, np.ones(3)], axis=0)
    np.testing.assert_array_equal(np_(tf.stack([a, a], axis=1)), np.stack([a, a], 1))
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(2, 1\)"):
        tf.stack([a, b])
    parts = tf.unstack(tf.constant(np.arange(6).reshape(2, 3)), axis=1)
    assert len(parts) == 3
    np.testing.assert_array_equal(np_(parts[1]), [1, 4])
    with pytest.raises(ValueError, match="num=2 does not match"):
        tf.unstack(tf.zeros((3, 2)), num=2)


def test_concat_with_python_lists_uses_tensor_dtype():
    out = tf.concat([tf.shape(tf.zeros((2, 5)))[:1], [-1]], 0)
    assert out.dtype == torch.int32 and out.tolist() == [2, -1]


def test_split():
    a = np.arange(20).reshape(2, 10)
    parts = tf.split(a, 5, axis=1)
    for got, want in zip(parts, np.split(a, 5, axis=1)):
        np.testing.assert_array_equal(np_(got), want)
    sizes = [p.shape[1] for p in tf.split(a, [2, -1, 3], axis=1)]
    assert sizes == [2, 5, 3]
    with pytest.raises(ValueError, match=r"size 10\) into 3 equal pieces"):
        tf.split(a, 3, axis=1)
    with pytest.raises(ValueError, match="do not add up"):
        tf.split(a, [2, 3], axis=1)


def test_tile_pad():
    a = np.arange(12).reshape(3, 4)
    np.testing.assert_array_equal(np_(tf.tile(a, [2, 3])), np.tile(a, (2, 3)))
    with pytest.raises(ValueError, match="one entry per dimension"):
        tf.tile(a, [2])
    p = [[1, 2], [2, 1]]
    for mode in ("constant", "reflect", "symmetric"):
        want = np.pad(a, p, mode=mode)
        np.testing.assert_array_equal(np_(tf.pad(a, p, mode=mode.upper())), want)
    np.testing.assert_array_equal(
        np_(tf.pad(a, p, constant_values=9)), np.pad(a, p, constant_values=9)
    )
    b = np.arange(24.0).reshape(2, 3, 4)
    pb = [[1, 1], [2, 0], [0, 3]]
    np.testing.assert_array_equal(np_(tf.pad(b, pb, "REFLECT")), np.pad(b, pb, mode="reflect"))
    with pytest.raises(ValueError, match="too large"):
        tf.pad(a, [[3, 0], [0, 0]], "REFLECT")
    with pytest.raises(ValueError, match="unknown mode"):
        tf.pad(a, p, "WRAP")


def test_broadcast_reverse_roll_repeat_slice():
    np.testing.assert_array_equal(
        np_(tf.broadcast_to([1, 2], (3, 2))), np.broadcast_to([1, 2], (3, 2))
    )
    with pytest.raises(ValueError, match=r"cannot broadcast shape \(3,\) to \(2, 4\)"):
        tf.broadcast_to([1, 2, 3], (2, 4))
    a = np.arange(6).reshape(2, 3)
    np.testing.assert_array_equal(np_(tf.reverse(a, [1])), a[:, ::-1])
    np.testing.assert_array_equal(np_(tf.roll(a, 1, 1)), np.roll(a, 1, 1))
    np.testing.assert_array_equal(np_(tf.repeat(a, 2, axis=0)), np.repeat(a, 2, axis=0))
    np.testing.assert_array_equal(
        np_(tf.repeat(a, [1, 2, 0], axis=1)), np.repeat(a, [1, 2, 0], axis=1)
    )
    np.testing.assert_array_equal(np_(tf.slice(a, [1, 0], [1, -1])), a[1:2, 0:])
    with pytest.raises(ValueError, match="out of bounds"):
        tf.slice(a, [1, 0], [2, 1])


def test_meshgrid_sequence_mask():
    x, y = tf.meshgrid([1, 2, 3], [4, 5])
    wx, wy = np.meshgrid([1, 2, 3], [4, 5])
    np.testing.assert_array_equal(np_(x), wx)
    np.testing.assert_array_equal(np_(y), wy)
    m = tf.sequence_mask([1, 3, 0], 4)
    np.testing.assert_array_equal(np_(m), np.arange(4)[None, :] < np.array([1, 3, 0])[:, None])
    assert tf.sequence_mask([2, 1]).shape == (2, 2)
    assert tf.sequence_mask([2], 3, dtype=tf.float32).dtype == torch.float32


def test_ensure_shape():
    x = tf.zeros((4, 3))
    assert tf.ensure_shape(x, (None, 3)) is x
    with pytest.raises(
        ValueError, match=r"\(4, 3\) is not compatible with expected shape \(None, 2\)"
    ):
        tf.ensure_shape(x, (None, 2))


# ---------------------------------------------------------------- indexing


@pytest.mark.parametrize("index_dtype", [np.int32, np.int64])
def test_gather(index_dtype):
    p = np.arange(24.0).reshape(2, 3, 4)
    idx = np.array([[2, 0], [1, 1]], dtype=index_dtype)
    np.testing.assert_array_equal(np_(tf.gather(p, idx, axis=1)), np.take(p, idx, axis=1))
    np.testing.assert_array_equal(np_(tf.gather(p, 1)), p[1])
    np.testing.assert_array_equal(np_(tf.gather(p, tf.constant([3, 0]), axis=-1)), p[..., [3, 0]])


def test_gather_batch_dims():
    p = np.arange(24.0).reshape(2, 3, 4)
    idx = np.array([[0, 2], [1, 1]])
    got = np_(tf.gather(p, idx, axis=1, batch_dims=1))
    want = np.stack([np.take(p[b], idx[b], axis=0) for b in range(2)])
    np.testing.assert_array_equal(got, want)
    idx2 = np.array([[3, 0, 1], [2, 2, 0]])
    got2 = np_(tf.gather(p, idx2, axis=2, batch_dims=1))
    want2 = np.stack([np.take(p[b], idx2[b], axis=1) for b in range(2)])
    np.testing.assert_array_equal(got2, want2)


def test_gather_errors():
    with pytest.raises(InvalidArgumentError, match=r"indices\[1\] = 5 is not in \[0, 3\)"):
        tf.gather([1, 2, 3], [0, 5])
    with pytest.raises(TypeError, match="integer tensor.*float32"):
        tf.gather([1, 2, 3], [0.0])


def test_gather_nd():
    p = np.arange(24).reshape(2, 3, 4)
    idx = np.array([[0, 1], [1, 2]])
    np.testing.assert_array_equal(np_(tf.gather_nd(p, idx)), p[idx[:, 0], idx[:, 1]])
    idx3 = np.array([[[1, 2, 3]], [[0, 0, 0]]], dtype=np.int32)
    np.testing.assert_array_equal(
        np_(tf.gather_nd(p, idx3)), p[idx3[..., 0], idx3[..., 1], idx3[..., 2]]
    )
    bidx = np.array([[1], [2]])
    got = np_(tf.gather_nd(p, bidx, batch_dims=1))
    np.testing.assert_array_equal(got, np.stack([p[0, 1], p[1, 2]]))
    with pytest.raises(InvalidArgumentError, match="does not index into params"):
        tf.gather_nd(p, [[2, 0]])
    with pytest.raises(ValueError, match="index depth 4"):
        tf.gather_nd(p, [[0, 0, 0, 0]])


def test_boolean_mask():
    a = np.arange(12).reshape(3, 4)
    m = np.array([True, False, True])
    np.testing.assert_array_equal(np_(tf.boolean_mask(a, m)), a[m])
    m2 = a % 3 == 0
    np.testing.assert_array_equal(np_(tf.boolean_mask(a, m2)), a[m2])
    mc = np.array([False, True, True, False])
    np.testing.assert_array_equal(np_(tf.boolean_mask(a, mc, axis=1)), a[:, mc])
    with pytest.raises(ValueError, match=r"mask of shape \(4,\) does not match.*\(3, 4\)"):
        tf.boolean_mask(a, mc)


def test_where():
    c = np.array([[True, False], [False, True]])
    np.testing.assert_array_equal(np_(tf.where(c, 1, 0)), np.where(c, 1, 0))
    coords = tf.where(c)
    assert coords.dtype == torch.int64
    np.testing.assert_array_equal(np_(coords), np.argwhere(c))
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    out = tf.where(c, x, 0.0)
    assert out.dtype == torch.float32
    np.testing.assert_array_equal(np_(out), np.where(c, np_(x), 0.0))
    assert tf.where(c, tf.constant(1.0, dtype=tf.float64), 0.0).dtype == torch.float64
    np.testing.assert_array_equal(np_(tf.where([True, False], [1, 2], [3, 4])), [1, 4])
    with pytest.raises(ValueError, match="both be given"):
        tf.where(c, x)
    with pytest.raises(ValueError, match=r"condition \(2, 2\), x \(3,\)"):
        tf.where(c, tf.zeros(3), tf.zeros(3))


def test_one_hot():
    idx = np.array([0, 2, -1, 3])
    want = (idx[:, None] == np.arange(3)[None, :]).astype(np.float32)
    got = tf.one_hot(idx, 3)
    assert got.dtype == torch.float32
    np.testing.assert_array_equal(np_(got), want)
    np.testing.assert_array_equal(np_(tf.one_hot(idx, 3, axis=0)), want.T)
    oo = tf.one_hot(tf.constant([1], dtype=tf.int32), 3, on_value=5, off_value=-1)
    assert oo.dtype == torch.int32 and oo.tolist() == [[-1, 5, -1]]
    assert tf.one_hot([1], 2, dtype=tf.int64).dtype == torch.int64
    small = tf.one_hot(torch.tensor([5], dtype=torch.uint8), 300)
    assert small.sum().item() == 1.0 and small[0, 5].item() == 1.0
    with pytest.raises(TypeError, match="integer indices.*got float32.*tf.cast"):
        tf.one_hot([0.0, 1.0], 3)


def test_scatter_ops_unique_searchsorted():
    np.testing.assert_array_equal(
        np_(tf.scatter_nd([[1], [3], [1]], [9, 7, 1], [5])), [0, 10, 0, 7, 0]
    )
    np.testing.assert_array_equal(
        np_(tf.tensor_scatter_nd_update([1, 2, 3], [[0], [2]], [9, 8])), [9, 2, 8]
    )
    np.testing.assert_array_equal(
        np_(tf.tensor_scatter_nd_add([1, 2, 3], [[0], [0]], [5, 5])), [11, 2, 3]
    )
    y, idx = tf.unique([4, 1, 4, 2, 1])
    assert y.tolist() == [4, 1, 2] and idx.tolist() == [0, 1, 0, 2, 1]
    assert idx.dtype == torch.int32
    seq = np.array([1.0, 2.0, 3.0])
    vals = np.array([0.5, 2.0, 9.0])
    np.testing.assert_array_equal(np_(tf.searchsorted(seq, vals)), np.searchsorted(seq, vals))
    np.testing.assert_array_equal(
        np_(tf.searchsorted(seq, vals, side="right")), np.searchsorted(seq, vals, side="right")
    )


# ---------------------------------------------------------------- gradients against finite differences


def test_gather_gradient():
    p = torch.randn(4, 3, dtype=torch.float64, requires_grad=True)
    idx = torch.tensor([2, 0, 2], dtype=torch.int32)
    assert gradcheck(lambda t: tf.gather(t, idx), (p,))
    assert gradcheck(
        lambda t: tf.gather(t, tf.constant([[1], [0], [2], [1]]), axis=1, batch_dims=1), (p,)
    )


def test_pad_and_boolean_mask_gradient():
    x = torch.randn(3, 4, dtype=torch.float64, requires_grad=True)
    assert gradcheck(lambda t: tf.pad(t, [[1, 1], [2, 1]], "REFLECT"), (x,))
    assert gradcheck(lambda t: tf.boolean_mask(t, [True, False, True]), (x,))


def test_unknown_name():
    import tork.ops.array as array_ops

    with pytest.raises(NotImplementedError, match=r"`tf\.not_a_thing`"):
        array_ops.not_a_thing  # noqa: B018


def test_tensor_scatter_nd_sub_max_min_match_numpy():
    base = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], dtype=np.float32)
    t = tf.constant(base)
    expected = base.copy()
    expected[1] -= 1.0
    np.testing.assert_array_equal(
        tf.tensor_scatter_nd_sub(t, [[1]], [[1.0, 1.0, 1.0]]).numpy(), expected
    )
    # Duplicate indices keep the extreme of all updates and the original value.
    got = tf.tensor_scatter_nd_max(t, [[0, 1], [0, 1], [1, 2]], [7.0, 9.0, 0.0]).numpy()
    np.testing.assert_array_equal(got, [[1.0, 9.0, 3.0], [4.0, 5.0, 6.0]])
    got = tf.tensor_scatter_nd_min(t, [[1]], [[0.0, 9.0, 0.0]]).numpy()
    np.testing.assert_array_equal(got, [[1.0, 2.0, 3.0], [0.0, 5.0, 0.0]])
    assert tf.tensor_scatter_nd_min([1, 5, 3], [[0], [1]], [4, 2]).tolist() == [1, 2, 3]
    with pytest.raises(InvalidArgumentError):
        tf.tensor_scatter_nd_max(t, [[5]], [[0.0, 0.0, 0.0]])


@pytest.mark.parametrize(
    "call",
    [
        lambda: tf.squeeze(tf.ones([2, 3]), 0),
        lambda: tf.split(tf.range(8), 3),
        lambda: tf.stack([tf.range(8), tf.ones([2, 3], tf.int32)]),
        lambda: tf.concat([tf.ones([2]), tf.ones([2, 2])], 0),
        lambda: tf.expand_dims(tf.ones([2]), 5),
        lambda: tf.ensure_shape(tf.ones([2, 3]), [None, 4]),
    ],
)
def test_bad_arguments_raise_invalid_argument_error_as_tensorflow_eager(call):
    # TF 2.21 raises tf.errors.InvalidArgumentError for these; tork's is also a ValueError.
    with pytest.raises(tf.errors.InvalidArgumentError):
        call()
    with pytest.raises(ValueError):
        call()
