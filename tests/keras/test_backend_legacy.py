"""Keras 2 backend math (`from tensorflow.keras import backend as K`).

Reference numbers come from NumPy formulas, or were computed with tf_keras 2.21
(`TF_USE_LEGACY_KERAS=1`, TensorFlow 2.21) and written here as constants.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import tork as tf
from tork import keras
from tork.keras import backend as K

P = np.array([[0.2, 0.3, 0.5], [0.0, 1.0, 0.0], [0.6, 0.6, 0.3]], "float32")
T = np.array([[0, 0, 1], [0, 1, 0], [1, 0, 0]], "float32")
Z = np.array([[-1.0, 0.5, 2.0], [3.0, -2.0, 0.0], [0.1, 0.2, -0.3]], "float32")
X8 = np.array([-2.0, -0.5, -0.2, 0.0, 0.2, 0.4, 1.5, 8.0], "float32")
RNG = np.random.RandomState(0)
A = RNG.randn(2, 3, 4).astype("float32")


def _np(x):
    return x.detach().cpu().numpy() if isinstance(x, torch.Tensor) else np.asarray(x)


def close(x, ref, atol=1e-5):
    np.testing.assert_allclose(_np(x), np.asarray(ref), rtol=1e-5, atol=atol)


# ----------------------------------------------------------------- losses (tf_keras constants)


def test_categorical_crossentropy_rescales_and_clips_like_keras2():
    close(K.categorical_crossentropy(tf.constant(T), tf.constant(P)), [0.693147, 0.0, 0.916291])
    # Row 3 sums to 1.5: Keras 2 divides by the sum before the log.
    close(
        K.categorical_crossentropy(tf.constant(T), tf.constant(Z), from_logits=True),
        [0.241311, 5.054985, 1.020828],
    )


def test_categorical_crossentropy_axis():
    ref = -np.sum(T * np.log(np.clip(P / P.sum(0, keepdims=True), 1e-7, 1 - 1e-7)), axis=0)
    close(K.categorical_crossentropy(tf.constant(T), tf.constant(P), axis=0), ref)


def test_sparse_categorical_crossentropy():
    # The zero probability is clipped to epsilon: -log(1e-7) after renormalizing.
    close(
        K.sparse_categorical_crossentropy(tf.constant([2, 0, 0]), tf.constant(P)),
        [0.693147, 16.118095, 0.916291],
    )
    close(
        K.sparse_categorical_crossentropy(tf.constant([[2], [0], [0]]), tf.constant(P)),
        [0.693147, 16.118095, 0.916291],
    )
    close(
        K.sparse_categorical_crossentropy(tf.constant([2, 1, 0]), tf.constant(P), ignore_class=1),
        [0.693147, 0.0, 0.916291],
    )
    logits = RNG.randn(2, 3, 5).astype("float32")
    labels = np.array([[1, 2, 3], [0, 4, 1]])
    logp = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
    ref = -np.take_along_axis(logp, labels[..., None], -1)[..., 0]
    out = K.sparse_categorical_crossentropy(
        tf.constant(labels), tf.constant(logits), from_logits=True
    )
    assert tuple(out.shape) == (2, 3)
    close(out, ref)
    # axis=1: classes on the middle axis.
    out = K.sparse_categorical_crossentropy(
        tf.constant(labels[:, :2] % 3),
        tf.constant(logits.transpose(0, 2, 1)[:, :3, :2]),
        from_logits=True,
        axis=1,
    )
    sub = logits.transpose(0, 2, 1)[:, :3, :2]
    lp = sub - np.log(np.exp(sub).sum(1, keepdims=True))
    ref = -np.take_along_axis(lp, (labels[:, :2] % 3)[:, None, :], 1)[:, 0]
    close(out, ref)


def test_binary_crossentropy_adds_epsilon_inside_the_logs():
    close(
        K.binary_crossentropy(tf.constant(T), tf.constant(P)),
        [[0.223143, 0.356675, 0.693147], [0.0, 0.0, 0.0], [0.510825, 0.916291, 0.356675]],
    )
    close(
        K.binary_crossentropy(tf.constant(T), tf.constant(Z), from_logits=True),
        [
            [0.313262, 0.974077, 0.126928],
            [3.048587, 2.126928, 0.693147],
            [0.644397, 0.798139, 0.554355],
        ],
    )


def test_focal_crossentropies():
    close(
        K.binary_focal_crossentropy(tf.constant(T), tf.constant(P)),
        [[0.008926, 0.032101, 0.173287], [0.0, 0.0, 0.0], [0.081732, 0.329865, 0.032101]],
    )
    close(
        K.binary_focal_crossentropy(
            tf.constant(T), tf.constant(Z), apply_class_balancing=True, from_logits=True
        ),
        [
            [0.016994, 0.283059, 0.000451],
            [2.07471, 0.41252, 0.129965],
            [0.036351, 0.180968, 0.075295],
        ],
    )
    close(
        K.categorical_focal_crossentropy(tf.constant(T), tf.constant(P)), [0.043322, 0.0, 0.082466]
    )
    close(
        K.categorical_focal_crossentropy(tf.constant(T), tf.constant(Z), from_logits=True),
        [0.002773, 1.247679, 0.104436],
    )


def test_crossentropy_shape_error_names_function_and_shapes():
    with pytest.raises(
        ValueError,
        match=r"categorical_crossentropy: target shape \(3, 3\) and "
        r"output shape \(3, 2\) are incompatible",
    ):
        K.categorical_crossentropy(tf.constant(T), tf.constant(P[:, :2]))
    with pytest.raises(
        ValueError,
        match=r"sparse_categorical_crossentropy: target values must "
        r"be in \[0, 3\)",
    ):
        K.sparse_categorical_crossentropy(tf.constant([0, 3, 1]), tf.constant(P))


# ----------------------------------------------------------------- activations


def test_relu_variants_match_keras2():
    x = tf.constant(X8)
    close(K.relu(x), np.maximum(X8, 0))
    close(K.relu(x, alpha=0.1), np.where(X8 > 0, X8, 0.1 * X8))
    close(K.relu(x, max_value=6), np.clip(X8, 0, 6))
    close(
        K.relu(x, alpha=0.2, max_value=1.0, threshold=0.3),
        [-0.46, -0.16, -0.1, -0.06, -0.02, 0.4, 1.0, 1.0],
    )
    close(
        K.relu(x, alpha=0.2, max_value=1.0, threshold=-0.3),
        [-0.34, -0.04, 0.0, 0.0, 0.2, 0.4, 1.0, 1.0],
    )
    close(K.relu(x, threshold=-0.3), [0.0, 0.0, -0.2, 0.0, 0.2, 0.4, 1.5, 8.0])


def test_activations():
    x = tf.constant(X8)
    close(K.hard_sigmoid(x), [0.1, 0.4, 0.46, 0.5, 0.54, 0.58, 0.8, 1.0])  # slope 0.2, not 1/6
    close(K.elu(x, 0.5), np.where(X8 > 0, X8, 0.5 * np.expm1(X8)))
    close(K.elu(x), np.where(X8 > 0, X8, np.expm1(X8)))
    close(K.sigmoid(x), 1 / (1 + np.exp(-X8)))
    close(K.tanh(x), np.tanh(X8))
    close(K.softplus(x), np.log1p(np.exp(X8)))
    close(K.softsign(x), X8 / (1 + np.abs(X8)))
    e = np.exp(A - A.max(0, keepdims=True))
    close(K.softmax(tf.constant(A), axis=0), e / e.sum(0, keepdims=True))
    # Python lists of ints become floatx, as tf.keras.
    assert K.sigmoid([0, 1]).dtype == torch.float32


def test_dropout_scales_kept_values():
    y = _np(K.dropout(tf.ones([2000]), 0.75, seed=3))
    assert set(np.unique(y).round(4).tolist()) <= {0.0, 4.0}
    assert 0.15 < (y > 0).mean() < 0.35
    y = _np(K.dropout(tf.ones([50, 4]), 0.5, noise_shape=(50, 1)))
    assert (y == y[:, :1]).all()  # one decision per row


# ----------------------------------------------------------------- math


def test_elementwise_math():
    x = tf.constant(A)
    close(K.abs(x), np.abs(A))
    close(K.square(x), A**2)
    close(K.exp(x), np.exp(A))
    close(K.log(K.abs(x)), np.log(np.abs(A)))
    close(K.sign(x), np.sign(A))
    close(K.sin(x), np.sin(A))
    close(K.cos(x), np.cos(A))
    close(K.pow(x, 2), A**2)
    close(K.pow(K.abs(x), 0.5), np.abs(A) ** 0.5)
    close(K.maximum(x, 0.1), np.maximum(A, 0.1))
    close(K.minimum(x, x[0]), np.minimum(A, A[0]))
    # Keras 2 clips negatives to 0 before sqrt (no NaN).
    close(K.sqrt(tf.constant(X8)), np.sqrt(np.maximum(X8, 0)))
    close(K.round(tf.constant([0.5, 1.5, 2.5, -0.5, 2.4])), [0.0, 2.0, 2.0, -0.0, 2.0])


def test_clip():
    x = tf.constant(A)
    close(K.clip(x, -0.5, 0.5), np.clip(A, -0.5, 0.5))
    close(K.clip(x, None, 0.5), np.minimum(A, 0.5))
    close(K.clip(x, -0.5, None), np.maximum(A, -0.5))
    # A max below the min is raised to the min (Keras 2), so everything becomes 0.5.
    close(K.clip(x, 0.5, -0.5), np.full_like(A, 0.5))


def test_comparisons_and_logic():
    x, y = tf.constant(A), tf.constant(A[0])
    for name, op in [
        ("equal", np.equal),
        ("not_equal", np.not_equal),
        ("greater", np.greater),
        ("greater_equal", np.greater_equal),
        ("less", np.less),
        ("less_equal", np.less_equal),
    ]:
        out = getattr(K, name)(x, y)
        assert out.dtype == torch.bool
        np.testing.assert_array_equal(_np(out), op(A, A[0]))
    assert bool(K.all(x > -5)) and not bool(K.all(tf.constant([1.0, 0.0])))
    np.testing.assert_array_equal(_np(K.any(x > 1, axis=1)), (A > 1).any(1))
    np.testing.assert_array_equal(
        _np(K.all(x > -1, axis=[0, 2], keepdims=True)), (A > -1).all((0, 2), keepdims=True)
    )


def test_reductions_and_scans():
    x = tf.constant(A)
    close(K.prod(x, axis=1), A.prod(1))
    close(K.prod(x, axis=[0, 2], keepdims=True), A.prod((0, 2), keepdims=True))
    close(K.cumsum(x), np.cumsum(A, 0))  # Keras 2's default axis is 0
    close(K.cumsum(x, axis=1), np.cumsum(A, 1))
    close(K.cumprod(x, axis=-1), np.cumprod(A, -1))
    np.testing.assert_array_equal(_np(K.argmax(x)), A.argmax(-1))
    np.testing.assert_array_equal(_np(K.argmin(x, 0)), A.argmin(0))
    close(K.std(x, axis=1), A.std(1))


def test_mean_std_var_of_bools_are_floats():
    eq = K.equal(tf.constant([1, 2, 3, 4]), tf.constant([1, 3, 3, 4]))
    m = K.mean(eq)
    assert m.dtype == torch.float32
    close(m, 0.75)
    close(K.std(eq), np.std([1.0, 0.0, 1.0, 1.0]))
    close(K.var(eq), np.var([1.0, 0.0, 1.0, 1.0]))
    assert K.mean(tf.constant([1, 2])).dtype == torch.int32  # ints stay ints, as TF


def test_set_epsilon_changes_the_clipping():
    before = K.epsilon()
    try:
        K.set_epsilon(1e-3)
        close(K.binary_crossentropy(tf.constant([1.0]), tf.constant([0.0])), [-np.log(2e-3)])
        close(
            K.categorical_crossentropy(tf.constant([[1.0, 0.0]]), tf.constant([[0.0, 1.0]])),
            [-np.log(1e-3)],
        )
    finally:
        K.set_epsilon(before)


def test_l2_normalize_and_one_hot_and_gather():
    close(K.l2_normalize(tf.constant([[3.0, 4.0], [0.0, 0.0]]), axis=-1), [[0.6, 0.8], [0, 0]])
    close(K.l2_normalize(tf.constant(A)), A / np.sqrt((A**2).sum()))
    oh = K.one_hot(tf.constant([0, 2]), 3)
    assert oh.dtype == torch.float32
    close(oh, [[1, 0, 0], [0, 0, 1]])
    close(K.gather(tf.constant(A), tf.constant([1, 0, 1])), A[[1, 0, 1]])


def test_in_top_k_counts_ties():
    out = K.in_top_k(tf.constant(P), tf.constant([0, 0, 1]), 1)
    np.testing.assert_array_equal(_np(out), [False, False, True])


# ----------------------------------------------------------------- dot products


def test_dot_is_numpy_dot():
    a2, b2 = RNG.randn(3, 4).astype("float32"), RNG.randn(4, 5).astype("float32")
    close(K.dot(tf.constant(a2), tf.constant(b2)), a2 @ b2)
    b3 = RNG.randn(6, 4, 2).astype("float32")
    out = K.dot(tf.constant(A), tf.constant(b3))
    assert tuple(out.shape) == (2, 3, 6, 2)
    close(out, np.dot(A, b3), atol=1e-4)
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"keras.backend.dot: cannot contract shapes \(2, 3, 4\) "
        r"and \(2, 3, 4\)",
    ):
        K.dot(tf.constant(A), tf.constant(A))


@pytest.mark.parametrize(
    "xs, ys, axes, out_shape, spec",
    [
        ((2, 3, 4), (2, 4, 5), None, (2, 3, 5), "bij,bjk->bik"),
        ((2, 3), (2, 3), None, (2, 1), "bi,bi->b"),
        ((2, 3), (2, 3), 1, (2, 1), "bi,bi->b"),
        ((2, 3), (2, 3, 5), (1, 1), (2, 5), "bi,bik->bk"),
        ((2, 3, 4), (2, 4), None, (2, 3), "bij,bj->bi"),
        ((2, 3, 4), (2, 3, 4), (1, 1), (2, 4, 4), "bji,bjk->bik"),
        ((2, 3, 4, 5), (2, 5, 2, 6), (3, 1), (2, 3, 4, 2, 6), "bijk,bkmn->bijmn"),
        ((2, 3, 4), (2, 5, 4), (-1, -1), (2, 3, 5), "bij,bkj->bik"),
    ],
)
def test_batch_dot_axes(xs, ys, axes, out_shape, spec):
    x = RNG.randn(*xs).astype("float32")
    y = RNG.randn(*ys).astype("float32")
    out = K.batch_dot(tf.constant(x), tf.constant(y), axes=axes)
    assert tuple(out.shape) == out_shape
    close(out, np.einsum(spec, x, y).reshape(out_shape), atol=1e-4)


def test_batch_dot_errors():
    x = tf.constant(A)
    with pytest.raises(ValueError, match=r"batch_dot: cannot contract over the batch axis 0"):
        K.batch_dot(x, x, axes=(0, 0))
    with pytest.raises(
        ValueError,
        match=r"batch_dot: cannot contract axis 2 of x \(size 4\) with "
        r"axis 1 of y \(size 3\): shapes \(2, 3, 4\) and \(2, 3, 4\)",
    ):
        K.batch_dot(x, x)
    with pytest.raises(ValueError, match=r"batch_dot: batch sizes differ"):
        K.batch_dot(x, x[:1], axes=(1, 1))


# ----------------------------------------------------------------- shapes


def test_shape_functions():
    x = tf.constant(A)
    close(K.permute_dimensions(x, (2, 0, 1)), A.transpose(2, 0, 1))
    close(K.repeat_elements(x, 2, 1), np.repeat(A, 2, axis=1))
    close(K.batch_flatten(x), A.reshape(2, -1))
    close(K.flatten(x), A.ravel())
    close(K.concatenate([x, x]), np.concatenate([A, A], -1))
    close(K.concatenate([x, x], axis=1), np.concatenate([A, A], 1))
    close(K.reshape(x, (4, -1)), A.reshape(4, -1))
    close(K.transpose(x), A.T)
    assert tuple(K.expand_dims(x).shape) == (2, 3, 4, 1)
    assert tuple(K.expand_dims(x, 0).shape) == (1, 2, 3, 4)
    close(K.squeeze(K.expand_dims(x, 1), 1), A)
    close(K.stack([x, x], axis=1), np.stack([A, A], 1))
    close(K.reverse(x, 1), A[:, ::-1])
    close(K.reverse(x, [0, 2]), A[::-1, :, ::-1])
    close(K.tile(x[0], (2, 1)), np.tile(A[0], (2, 1)))
    close(K.tile(tf.constant([1, 2]), 2), [1, 2, 1, 2])
    close(K.repeat(x[0], 2), np.repeat(A[0][:, None], 2, 1))
    np.testing.assert_array_equal(_np(K.shape(x)), [2, 3, 4])
    assert K.shape(x).dtype == torch.int32
    assert K.ndim(x) == 3 and K.dtype(x) == "float32" and K.int_shape(x) == (2, 3, 4)
    assert K.count_params(K.zeros((3, 4))) == 12


def test_arange():
    a = K.arange(5)
    assert a.dtype == torch.int32
    close(a, np.arange(5))
    close(K.arange(1, 7, 2), [1, 3, 5])
    assert tuple(K.arange(-3).shape) == (0,)  # a lone negative start gives []
    f = K.arange(0, 2, 0.5, dtype="float32")
    assert f.dtype == torch.float32
    close(f, [0, 0.5, 1, 1.5])


def test_shape_errors_name_function_and_shapes():
    x = tf.constant(A)
    with pytest.raises(
        tf.errors.InvalidArgumentError, match=r"concatenate: shapes \[\(2, 3, 4\), \(2, 2, 2\)\]"
    ):
        K.concatenate([x, x[:, :2, :2]])
    with pytest.raises(ValueError, match=r"squeeze: cannot squeeze axis 1 of shape \(2, 3, 4\)"):
        K.squeeze(x, 1)
    with pytest.raises(
        ValueError,
        match=r"permute_dimensions: pattern \(0, 1\) is not a "
        r"permutation of the 3 axes of shape \(2, 3, 4\)",
    ):
        K.permute_dimensions(x, (0, 1))
    with pytest.raises(ValueError, match=r"repeat: expected x of rank 2, got shape \(2, 3, 4\)"):
        K.repeat(x, 2)


def test_paddings():
    x = tf.constant(A)
    close(K.temporal_padding(x, (1, 2)), np.pad(A, ((0, 0), (1, 2), (0, 0))))
    img = RNG.randn(1, 4, 5, 2).astype("float32")
    close(
        K.spatial_2d_padding(tf.constant(img), ((1, 0), (0, 2))),
        np.pad(img, ((0, 0), (1, 0), (0, 2), (0, 0))),
    )
    close(
        K.spatial_2d_padding(tf.constant(img), ((1, 0), (0, 2)), data_format="channels_first"),
        np.pad(img, ((0, 0), (0, 0), (1, 0), (0, 2))),
    )
    assert tuple(K.spatial_3d_padding(tf.ones([1, 2, 2, 2, 1])).shape) == (1, 4, 4, 4, 1)


def test_resize_images_and_volumes():
    img = np.arange(12, dtype="float32").reshape(1, 3, 4, 1)
    close(K.resize_images(tf.constant(img), 2, 3, "channels_last"), img.repeat(2, 1).repeat(3, 2))
    close(K.resize_images(tf.constant(img), 2, 1, "channels_first"), img.repeat(2, 2))
    bil = K.resize_images(tf.constant(img), 2, 2, "channels_last", interpolation="bilinear")
    close(
        bil[0, :, :, 0],
        [
            [0.0, 0.25, 0.75, 1.25, 1.75, 2.25, 2.75, 3.0],
            [1.0, 1.25, 1.75, 2.25, 2.75, 3.25, 3.75, 4.0],
            [3.0, 3.25, 3.75, 4.25, 4.75, 5.25, 5.75, 6.0],
            [5.0, 5.25, 5.75, 6.25, 6.75, 7.25, 7.75, 8.0],
            [7.0, 7.25, 7.75, 8.25, 8.75, 9.25, 9.75, 10.0],
            [8.0, 8.25, 8.75, 9.25, 9.75, 10.25, 10.75, 11.0],
        ],
    )
    vol = RNG.randn(1, 1, 2, 1, 2).astype("float32")
    close(
        K.resize_volumes(tf.constant(vol), 2, 1, 3, "channels_last"), vol.repeat(2, 1).repeat(3, 3)
    )


# ----------------------------------------------------------------- control flow


def test_switch():
    x = tf.constant(A)
    close(K.switch(tf.constant(True), x[0], x[1]), A[0])
    close(K.switch(tf.constant(0), lambda: x[0], lambda: x[1]), A[1])
    close(K.switch(x > 0, x, tf.zeros_like(x)), np.where(A > 0, A, 0))
    # rank >= 2: aligned on the first axes (Keras 2 reshapes, then tiles).
    mask = np.array([[True, False, True], [False, True, True]])
    close(K.switch(tf.constant(mask), x, -x), np.where(mask[..., None], A, -A))
    # rank 1: NumPy broadcasting against the last axis.
    m4 = np.array([1.0, 0.0, 0.0, 1.0], "float32")
    close(K.switch(tf.constant(m4), x, -x), np.where(m4 > 0, A, -A))
    with pytest.raises(
        ValueError,
        match=r"switch: the rank of condition must be <= the rank of "
        r"the expressions; got condition shape \(2, 3, 4\) and expression shape "
        r"\(3, 4\)",
    ):
        K.switch(x > 0, x[0], x[1])
    with pytest.raises(
        ValueError,
        match=r"switch: condition shape \(2,\) does not broadcast with "
        r"expression shapes \(2, 3, 4\)",
    ):
        K.switch(tf.constant([True, False]), x, -x)


def test_map_and_folds():
    close(K.map_fn(lambda v: v * 2, tf.constant(A)), A * 2)
    close(K.foldl(lambda a, v: a * 2 + v, tf.constant([1.0, 2.0, 3.0])), 11.0)
    close(K.foldr(lambda a, v: a * 2 + v, tf.constant([1.0, 2.0, 3.0])), 17.0)
    close(K.foldl(lambda a, v: a - v, tf.constant([1.0, 2.0]), initializer=tf.constant(10.0)), 7.0)


def _np_rnn(x, w, u, mask=None, backwards=False, zero_output=False):
    h = np.zeros((x.shape[0], w.shape[1]), "float32")
    prev = np.zeros_like(h)
    outs = []
    steps = range(x.shape[1] - 1, -1, -1) if backwards else range(x.shape[1])
    for t in steps:
        new_h = np.tanh(x[:, t] @ w + h @ u + 0.1)
        out = 2 * new_h
        if mask is not None:
            m = mask[:, t][:, None]
            out = np.where(m, out, 0 if zero_output else prev)
            new_h = np.where(m, new_h, h)
        prev, h = out, new_h
        outs.append(out)
    return np.stack(outs, 1), h


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"go_backwards": True},
        {"mask": True},
        {"mask": True, "zero_output_for_mask": True},
        {"mask": True, "go_backwards": True},
        {"return_all_outputs": False},
    ],
)
def test_rnn(kwargs):
    x = RNG.randn(2, 4, 3).astype("float32")
    w, u = RNG.randn(3, 2).astype("float32"), RNG.randn(2, 2).astype("float32")
    mask = np.array([[1, 1, 0, 1], [0, 1, 1, 0]], bool)
    kwargs = dict(kwargs)
    use_mask = kwargs.pop("mask", False)

    def step(inp, states):
        h = K.tanh(K.dot(inp, tf.constant(w)) + K.dot(states[0], tf.constant(u)) + states[1])
        return 2 * h, [h]

    last, outs, states = K.rnn(
        step,
        tf.constant(x),
        [tf.zeros([2, 2])],
        constants=[tf.constant(0.1)],
        mask=tf.constant(mask) if use_mask else None,
        **kwargs,
    )
    ref_outs, ref_h = _np_rnn(
        x,
        w,
        u,
        mask if use_mask else None,
        kwargs.get("go_backwards", False),
        kwargs.get("zero_output_for_mask", False),
    )
    close(last, ref_outs[:, -1])
    close(outs, ref_outs if kwargs.get("return_all_outputs", True) else ref_outs[:, -1:])
    assert isinstance(states, tuple) and len(states) == 1
    close(states[0], ref_h)


def test_rnn_errors():
    with pytest.raises(
        ValueError,
        match=r"rnn: inputs must have rank >= 3 \(samples, time, "
        r"features\), got shape \(2, 3\)",
    ):
        K.rnn(lambda x, s: (x, s), tf.ones([2, 3]), [])
    with pytest.raises(
        ValueError,
        match=r"rnn: mask of shape \(2, 5\) does not match inputs "
        r"of shape \(2, 3, 1\)",
    ):
        K.rnn(lambda x, s: (x, s), tf.ones([2, 3, 1]), [tf.zeros([2, 1])], mask=tf.ones([2, 5]))


def test_learning_phase():
    assert K.learning_phase() == 0
    x = tf.constant(A)
    close(K.in_train_phase(x[0], x[1]), A[1])
    close(K.in_train_phase(lambda: x[0], x[1], training=True), A[0])
    close(K.in_test_phase(x[0], x[1], training=False), A[0])
    with pytest.raises(ValueError, match="expected 0 or 1, got 2"):
        K.set_learning_phase(2)


def test_set_learning_phase_drives_calls_without_training():
    # tf_keras: after set_learning_phase(1), model(x) runs Dropout in training mode
    # (values 0 or 1/(1-rate)); an explicit training= still wins; clear_session unsets it.
    from tork import keras

    model = keras.Sequential([keras.Input((64,)), keras.layers.Dropout(0.5)])
    x = np.ones((2, 64), "float32")
    try:
        with pytest.warns(UserWarning, match="set_learning_phase` is deprecated"):
            K.set_learning_phase(1)
        assert K.learning_phase() == 1
        out = model(x).numpy()
        assert set(np.unique(out)) <= {0.0, 2.0} and 0.0 in out and 2.0 in out
        np.testing.assert_array_equal(model(x, training=False).numpy(), x)
        close(K.in_train_phase(x[0], x[1]), x[0])
        with pytest.warns(UserWarning):
            K.set_learning_phase(0)
        np.testing.assert_array_equal(model(x).numpy(), x)
        with pytest.warns(UserWarning):
            K.set_learning_phase(1)
    finally:
        keras.backend.clear_session()
    assert K.learning_phase() == 0
    np.testing.assert_array_equal(model(x).numpy(), x)


def test_uids_and_name_scope():
    K.reset_uids()
    assert [K.get_uid("q"), K.get_uid("q"), K.get_uid("r"), K.get_uid()] == [1, 2, 1, 1]
    K.reset_uids()
    assert K.get_uid("q") == 1
    with K.name_scope("block"):
        assert tf.get_current_name_scope() == "block"


# ----------------------------------------------------------------- variables and constants


def test_variables_and_constants():
    v = K.variable([[1, 2], [3, 4]])
    assert isinstance(v, tf.Variable) and v.dtype == torch.float32
    assert K.dtype(K.variable([1], dtype="float64")) == "float64"
    c = K.constant(2, shape=(2, 2))
    assert not isinstance(c, tf.Variable) and c.dtype == torch.float32
    close(c, np.full((2, 2), 2.0))
    assert K.constant([1, 2]).dtype == torch.float32
    z = K.zeros((2, 3))
    assert isinstance(z, tf.Variable) and z.dtype == torch.float32
    close(z, np.zeros((2, 3)))
    assert not isinstance(K.zeros((0, 3)), tf.Variable)  # Keras 2: tensor when a dim is 0
    o = K.ones((2,), dtype="int32")
    assert isinstance(o, tf.Variable) and o.dtype == torch.int32
    e = K.eye(3)
    assert isinstance(e, tf.Variable)
    close(e, np.eye(3))
    close(K.eye((2, 3)), np.eye(2, 3))
    zl = K.zeros_like(tf.constant([1, 2]))
    assert zl.dtype == torch.int32 and _np(zl).tolist() == [0, 0]
    assert K.ones_like(tf.zeros([2]), dtype="float64").dtype == torch.float64
    ctf = K.cast_to_floatx([1, 2])
    assert isinstance(ctf, np.ndarray) and ctf.dtype == np.float32
    assert K.cast_to_floatx(tf.constant([1, 2])).dtype == torch.float32
    assert K.cast(tf.constant([1.7, -1.7]), "int32").tolist() == [1, -1]
    assert K.eval(K.variable(2.0)) == 2.0
    assert not K.is_sparse(c) and K.to_dense(c) is c
    sparse = tf.SparseTensor(indices=[[0, 1], [1, 0]], values=[3.0, 4.0], dense_shape=[2, 2])
    assert K.is_sparse(sparse)
    assert _np(K.to_dense(sparse)).tolist() == [[0.0, 3.0], [4.0, 0.0]]
    close(K.identity(c), _np(c))


def test_variable_updates():
    v = K.variable([1.0, 2.0])
    K.update(v, [3.0, 4.0])
    K.update_add(v, [1.0, 1.0])
    K.update_sub(v, [0.5, 0.5])
    close(v, [3.5, 4.5])
    m = K.variable([1.0, 2.0])
    K.moving_average_update(m, tf.constant([3.0, 0.0]), 0.9)
    close(m, [1.2, 1.8])
    w = K.variable(0.0)
    K.batch_set_value([(v, np.array([5.0, 6.0])), (w, 3)])
    got = K.batch_get_value([v, w])
    assert isinstance(got[0], np.ndarray)
    close(got[0], [5, 6])
    close(got[1], 3)
    with pytest.raises(TypeError, match=r"keras.backend.update: expected a variable"):
        K.update(tf.constant([1.0]), [2.0])


def test_stop_gradient():
    v = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        y = K.sum(K.stop_gradient(v) * v)
    close(tape.gradient(y, v), [1.0, 2.0])
    assert len(K.stop_gradient([v, v])) == 2


def test_random():
    n = K.random_normal((4000,), 1.0, 2.0, seed=1)
    assert n.dtype == torch.float32 and tuple(n.shape) == (4000,)
    assert abs(float(n.mean()) - 1.0) < 0.15 and abs(float(n.std()) - 2.0) < 0.15
    tf.random.set_seed(5)
    first = _np(K.random_normal((5,), seed=7))
    tf.random.set_seed(5)  # as TF: the same global and op seeds repeat the draw
    close(K.random_normal((5,), seed=7), first)
    u = _np(K.random_uniform((1000,), -2.0, -1.0))
    assert u.min() >= -2 and u.max() < -1
    b = _np(K.random_bernoulli((1000,), p=0.3))
    assert set(np.unique(b).tolist()) <= {0.0, 1.0} and 0.2 < b.mean() < 0.4
    close(K.random_bernoulli((3,), p=1.0), [1, 1, 1])
    close(K.random_binomial((3,), p=0.0), [0, 0, 0])
    t = _np(K.truncated_normal((2000,), 0.0, 1.0))
    assert np.abs(t).max() <= 2.0
    assert K.random_normal((2,), dtype="float64").dtype == torch.float64
    rv = K.random_uniform_variable((2, 3), 0, 1)
    assert isinstance(rv, tf.Variable) and tuple(rv.shape) == (2, 3)
    assert isinstance(K.random_normal_variable((2,), 0, 1), tf.Variable)


# ----------------------------------------------------------------- nn


def test_bias_add():
    x = tf.constant(A)
    close(K.bias_add(x, tf.constant([1.0, 2.0, 3.0, 4.0])), A + [1, 2, 3, 4])
    close(
        K.bias_add(x, tf.constant([1.0, 2.0, 3.0]), data_format="channels_first"),
        A + np.array([1, 2, 3])[None, :, None],
    )
    close(K.bias_add(x, tf.constant(A[0])), A + A[0])
    # Keras 2 reshapes (not transposes) a full channels-last bias for channels_first.
    bias = np.arange(12.0, dtype="float32").reshape(3, 2, 2)
    close(
        K.bias_add(tf.zeros([1, 2, 3, 2]), tf.constant(bias), data_format="channels_first"),
        bias.reshape(1, 2, 3, 2),
    )
    with pytest.raises(
        ValueError,
        match=r"bias_add: bias of shape \(2,\) does not match the 4 "
        r"channels of x of shape \(2, 3, 4\)",
    ):
        K.bias_add(x, tf.constant([1.0, 2.0]))


def test_batch_normalization_functions():
    x = tf.constant(A)
    mean, var = np.array([0.1, 0.2, 0.3, 0.4]), np.array([1.0, 2.0, 3.0, 4.0])
    beta, gamma = np.array([0.0, 1.0, 0.0, 1.0]), np.array([1.0, 1.0, 2.0, 2.0])
    out = K.batch_normalization(
        x, tf.constant(mean), tf.constant(var), tf.constant(beta), tf.constant(gamma), epsilon=0.01
    )
    close(out, (A - mean) / np.sqrt(var + 0.01) * gamma + beta)
    y, m, v = K.normalize_batch_in_training(
        tf.constant([[1.0, 2.0], [3.0, 6.0]]), tf.constant([1.0, 2.0]), tf.constant([0.0, 1.0]), [0]
    )
    close(y, [[-0.9995, -0.99975], [0.9995, 2.99975]])
    close(m, [2.0, 4.0])
    close(v, [1.0, 4.0])


def _np_conv2d_valid(x, w):
    n, h, wd, _ = x.shape
    kh, kw, _, o = w.shape
    out = np.zeros((n, h - kh + 1, wd - kw + 1, o), "float64")
    for i in range(out.shape[1]):
        for j in range(out.shape[2]):
            out[:, i, j] = np.einsum("nhwc,hwco->no", x[:, i : i + kh, j : j + kw], w)
    return out


def test_conv_and_pool():
    img = RNG.randn(1, 4, 5, 2).astype("float32")
    w = RNG.randn(3, 3, 2, 3).astype("float32")
    ref = _np_conv2d_valid(img, w)
    close(K.conv2d(tf.constant(img), tf.constant(w)), ref, atol=1e-4)
    out = K.conv2d(
        tf.constant(img.transpose(0, 3, 1, 2)), tf.constant(w), data_format="channels_first"
    )
    close(out, ref.transpose(0, 3, 1, 2), atol=1e-4)
    assert tuple(
        K.conv2d(tf.constant(img), tf.constant(w), strides=(2, 2), padding="same").shape
    ) == (1, 2, 3, 3)
    seq = np.arange(6, dtype="float32").reshape(1, 6, 1)
    kern = np.array([1.0, 10.0, 100.0], "float32").reshape(3, 1, 1)
    out = K.conv1d(tf.constant(seq), tf.constant(kern), padding="causal", dilation_rate=2)
    close(out[0, :, 0], [0.0, 100.0, 200.0, 310.0, 420.0, 531.0])
    grid = np.arange(12, dtype="float32").reshape(1, 3, 4, 1)
    close(K.pool2d(tf.constant(grid), (2, 2))[0, :, :, 0], [[5, 6, 7], [9, 10, 11]])
    avg = K.pool2d(tf.constant(grid), (2, 2), strides=(2, 2), padding="same", pool_mode="avg")
    close(avg[0, :, :, 0], [[2.5, 4.5], [8.5, 10.5]])
    assert tuple(K.pool3d(tf.ones([1, 3, 3, 3, 2]), (2, 2, 2)).shape) == (1, 2, 2, 2, 2)
    dk = RNG.randn(2, 2, 2, 1).astype("float32")
    dw = K.depthwise_conv2d(tf.constant(img), tf.constant(dk))
    ref = np.stack(
        [_np_conv2d_valid(img[..., c : c + 1], dk[:, :, c : c + 1])[..., 0] for c in range(2)], -1
    )
    close(dw, ref, atol=1e-4)
    pk = RNG.randn(1, 1, 2, 3).astype("float32")
    close(
        K.separable_conv2d(tf.constant(img), tf.constant(dk), tf.constant(pk)),
        np.einsum("nhwc,co->nhwo", ref, pk[0, 0]),
        atol=1e-4,
    )
    up = K.conv2d_transpose(
        tf.constant(img),
        tf.constant(RNG.randn(3, 3, 4, 2).astype("float32")),
        (1, 8, 10, 4),
        strides=(2, 2),
        padding="same",
    )
    assert tuple(up.shape) == (1, 8, 10, 4)
    assert tuple(K.conv3d(tf.ones([1, 3, 3, 3, 2]), tf.ones([2, 2, 2, 2, 1])).shape) == (
        1,
        2,
        2,
        2,
        1,
    )


def test_conv_errors():
    img, w = tf.ones([1, 4, 4, 1]), tf.ones([2, 2, 1, 1])
    with pytest.raises(ValueError, match=r"conv2d: invalid padding 'full'"):
        K.conv2d(img, w, padding="full")
    with pytest.raises(ValueError, match=r"conv2d: unknown data_format 'nhwc'"):
        K.conv2d(img, w, data_format="nhwc")
    with pytest.raises(ValueError, match=r"pool2d: invalid pool_mode 'mean'"):
        K.pool2d(img, (2, 2), pool_mode="mean")
    with pytest.raises(ValueError, match=r"conv2d: expected x of rank 4, got shape \(4, 4\)"):
        K.conv2d(tf.ones([4, 4]), w)


def test_placeholder_is_a_model_input_as_in_eager_tf_keras():
    x = K.placeholder(shape=(None, 3))
    assert tuple(x.shape) == (None, 3) and x.dtype == tf.float32
    ids = K.placeholder(ndim=2, dtype="int32", name="ids")
    assert tuple(ids.shape) == (None, None) and ids.dtype == tf.int32 and ids.name == "ids"
    dense = keras.layers.Dense(2)
    model = keras.Model(x, dense(x))
    data = np.arange(6, dtype="float32").reshape(2, 3)
    kernel, bias = dense.get_weights()
    out = K.function([x], [model.output])([data])[0]
    np.testing.assert_allclose(out, data @ kernel + bias, rtol=1e-6)
    with pytest.raises(ValueError, match="give `shape`"):
        K.placeholder()


# ----------------------------------------------------------------- Keras 2 code in fit


def f1(y_true, y_pred):
    # The Keras 2 f1 metric that circulated in blog posts and Stack Overflow.
    true_positives = K.sum(K.round(K.clip(y_true * y_pred, 0, 1)))
    possible_positives = K.sum(K.round(K.clip(y_true, 0, 1)))
    predicted_positives = K.sum(K.round(K.clip(y_pred, 0, 1)))
    precision = true_positives / (predicted_positives + K.epsilon())
    recall = true_positives / (possible_positives + K.epsilon())
    return 2 * ((precision * recall) / (precision + recall + K.epsilon()))


def dice_loss(y_true, y_pred, smooth=1.0):
    y_true_f = K.flatten(y_true)
    y_pred_f = K.flatten(y_pred)
    intersection = K.sum(y_true_f * y_pred_f)
    return 1 - (2.0 * intersection + smooth) / (K.sum(y_true_f) + K.sum(y_pred_f) + smooth)


def test_f1_metric_value():
    y_true = tf.constant([[1.0], [0.0], [1.0], [1.0]])
    y_pred = tf.constant([[0.9], [0.6], [0.2], [0.7]])
    # tp = 2, predicted = 3, actual = 3 -> precision = recall = 2/3, f1 = 2/3.
    close(f1(y_true, y_pred), 2 / 3, atol=1e-5)


def bce_dice_loss(y_true, y_pred):
    # The usual Keras 2 segmentation loss: binary cross-entropy plus dice.
    return K.mean(K.binary_crossentropy(y_true, y_pred)) + dice_loss(y_true, y_pred)


def test_keras2_loss_and_metric_train_with_fit():
    tf.random.set_seed(0)
    rng = np.random.RandomState(1)
    x = rng.rand(256, 8, 8, 1).astype("float32")
    y = (x > 0.5).astype("float32")  # the mask is a threshold of the input
    model = keras.Sequential(
        [keras.Input((8, 8, 1)), keras.layers.Conv2D(1, 1, activation="sigmoid")]
    )
    model.compile(optimizer=keras.optimizers.Adam(0.1), loss=bce_dice_loss, metrics=[f1])
    hist = model.fit(x, y, epochs=8, batch_size=32, verbose=0)
    losses = hist.history["loss"]
    assert losses[-1] < losses[0] * 0.6
    assert hist.history["f1"][-1] > 0.8
    # The losses on the final weights agree with NumPy formulas.
    pred = model.predict(x[:32], verbose=0)
    yt = y[:32]
    inter = (yt * pred).sum()
    close(
        dice_loss(tf.constant(yt), tf.constant(pred)),
        1 - (2 * inter + 1) / (yt.sum() + pred.sum() + 1),
        atol=1e-4,
    )
    p = np.clip(pred, 1e-7, 1 - 1e-7)
    bce = -(yt * np.log(p + 1e-7) + (1 - yt) * np.log(1 - p + 1e-7)).mean()
    close(K.mean(K.binary_crossentropy(tf.constant(yt), tf.constant(pred))), bce, atol=1e-4)


def test_function_reads_intermediate_activations():
    inp = keras.Input((3,))
    hidden = keras.layers.Dense(4, name="h")(inp)
    out = keras.layers.Dense(2)(hidden)
    model = keras.Model(inp, out)
    w, b = RNG.randn(3, 4).astype("float32"), RNG.randn(4).astype("float32")
    model.get_layer("h").set_weights([w, b])
    x = RNG.randn(5, 3).astype("float32")
    f = K.function([model.input], [model.get_layer("h").output])
    got = f([x])
    assert isinstance(got, list) and isinstance(got[0], np.ndarray)
    close(got[0], x @ w + b)
    both = K.function([inp], [hidden, out])([x])
    close(both[1], model.predict(x, verbose=0))
    with pytest.raises(ValueError, match=r"function: `updates` is not supported during eager"):
        K.function([inp], [out], updates=[1])


def test_lambda_layer_with_backend_functions():
    inp = keras.Input((3, 4))
    out = keras.layers.Lambda(lambda t: K.l2_normalize(K.sum(t, axis=1), axis=-1))(inp)
    model = keras.Model(inp, out)
    got = model.predict(A, verbose=0)
    s = A.sum(1)
    close(got, s / np.linalg.norm(s, axis=-1, keepdims=True))


def test_set_value_casts_to_the_variable_dtype_as_keras2():
    # tf_keras 2.21: set_value converts through NumPy with the variable's dtype.
    K = keras.backend
    v = K.variable(1.0)
    K.set_value(v, tf.constant(2.0, tf.float64))
    assert v.dtype == tf.float32 and float(v.numpy()) == 2.0
    K.set_value(v, np.float64(3.5))
    assert float(v.numpy()) == 3.5
    counter = tf.Variable(1)
    K.set_value(counter, 2.7)
    assert int(counter.numpy()) == 2
