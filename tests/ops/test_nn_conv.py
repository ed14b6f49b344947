"""tf.nn convolution and pooling ops, checked against direct NumPy loops."""

import numpy as np
import pytest
import torch

import tork as tf

RNG = np.random.default_rng(0)


def _np_conv2d(x, w, stride, pads, dilation=(1, 1)):
    """Naive NHWC cross-correlation with explicit ((top, bottom), (left, right)) zero padding."""
    x = np.pad(x, ((0, 0), pads[0], pads[1], (0, 0)))
    n, h, wd, _ = x.shape
    kh, kw, _, co = w.shape
    sh, sw = stride
    dh, dw = dilation
    oh = (h - dh * (kh - 1) - 1) // sh + 1
    ow = (wd - dw * (kw - 1) - 1) // sw + 1
    out = np.zeros((n, oh, ow, co))
    for i in range(oh):
        for j in range(ow):
            for a in range(kh):
                for b in range(kw):
                    out[:, i, j, :] += x[:, i * sh + a * dh, j * sw + b * dw, :] @ w[a, b]
    return out


def _np_pool2d(x, k, s, pads, kind):
    """Naive NHWC pooling over in-bounds cells only (TF's SAME rule)."""
    n, h, wd, c = x.shape
    oh = (h + sum(pads[0]) - k) // s + 1
    ow = (wd + sum(pads[1]) - k) // s + 1
    out = np.zeros((n, oh, ow, c))
    for i in range(oh):
        for j in range(ow):
            r0, c0 = i * s - pads[0][0], j * s - pads[1][0]
            win = x[:, max(r0, 0) : min(r0 + k, h), max(c0, 0) : min(c0 + k, wd), :]
            out[:, i, j, :] = win.max(axis=(1, 2)) if kind == "max" else win.mean(axis=(1, 2))
    return out


# ---------------------------------------------------------------- conv


@pytest.mark.parametrize(
    ("size", "kernel", "stride", "dilation", "padding", "pads"),
    [
        (5, 2, 2, 1, "SAME", ((0, 1), (0, 1))),  # hand-computed: pad (0, 1)
        (5, 3, 1, 1, "SAME", ((1, 1), (1, 1))),
        (6, 3, 2, 1, "SAME", ((0, 1), (0, 1))),
        (7, 3, 1, 2, "SAME", ((2, 2), (2, 2))),
        (5, 3, 2, 1, "VALID", ((0, 0), (0, 0))),
        (5, 3, 1, 1, [[0, 0], [2, 0], [1, 3], [0, 0]], ((2, 0), (1, 3))),
    ],
)
def test_conv2d_matches_numpy(size, kernel, stride, dilation, padding, pads):
    x = RNG.normal(size=(2, size, size, 3)).astype("float32")
    w = RNG.normal(size=(kernel, kernel, 3, 4)).astype("float32")
    y = tf.nn.conv2d(x, w, stride, padding, dilations=dilation)
    ref = _np_conv2d(x, w, (stride, stride), pads, (dilation, dilation))
    assert y.shape == ref.shape
    np.testing.assert_allclose(y.numpy(), ref, rtol=1e-4, atol=1e-4)


def test_conv2d_nchw_and_four_int_strides():
    x = RNG.normal(size=(1, 5, 6, 2)).astype("float32")
    w = RNG.normal(size=(2, 3, 2, 3)).astype("float32")
    ref = _np_conv2d(x, w, (2, 1), ((0, 1), (1, 1)))
    y = tf.nn.conv2d(x.transpose(0, 3, 1, 2), w, [1, 1, 2, 1], "SAME", data_format="NCHW")
    np.testing.assert_allclose(y.numpy().transpose(0, 2, 3, 1), ref, rtol=1e-4, atol=1e-4)
    y = tf.nn.conv2d(x, w, [1, 2, 1, 1], "SAME")
    np.testing.assert_allclose(y.numpy(), ref, rtol=1e-4, atol=1e-4)


def test_conv1d_conv3d_convolution():
    x = RNG.normal(size=(2, 7, 3)).astype("float32")
    w = RNG.normal(size=(3, 3, 2)).astype("float32")
    # 1D as 2D with a unit height axis.
    ref = _np_conv2d(x[:, None], w[None], (1, 2), ((0, 0), (1, 1)))[:, 0]
    np.testing.assert_allclose(tf.nn.conv1d(x, w, 2, "SAME").numpy(), ref, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(
        tf.nn.convolution(x, w, 2, "SAME").numpy(), ref, rtol=1e-4, atol=1e-4
    )
    y = tf.nn.conv1d(x.transpose(0, 2, 1), w, 2, "SAME", data_format="NCW")
    np.testing.assert_allclose(y.numpy().transpose(0, 2, 1), ref, rtol=1e-4, atol=1e-4)
    x3 = RNG.normal(size=(1, 3, 4, 4, 2)).astype("float32")
    w3 = RNG.normal(size=(1, 2, 2, 2, 3)).astype("float32")
    ref3 = np.stack(
        [_np_conv2d(x3[:, d], w3[0], (1, 1), ((0, 0), (0, 0))) for d in range(3)], axis=1
    )
    np.testing.assert_allclose(tf.nn.conv3d(x3, w3, 1, "VALID").numpy(), ref3, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(tf.nn.convolution(x3, w3).numpy(), ref3, rtol=1e-4, atol=1e-4)


def test_conv2d_grouped():
    x = RNG.normal(size=(1, 4, 4, 4)).astype("float32")
    w = RNG.normal(size=(3, 3, 2, 4)).astype("float32")
    y = tf.nn.conv2d(x, w, 1, "SAME").numpy()
    ref0 = _np_conv2d(x[..., :2], w[..., :2], (1, 1), ((1, 1), (1, 1)))
    ref1 = _np_conv2d(x[..., 2:], w[..., 2:], (1, 1), ((1, 1), (1, 1)))
    np.testing.assert_allclose(y, np.concatenate([ref0, ref1], -1), rtol=1e-4, atol=1e-4)


def test_conv2d_gradcheck():
    x = torch.randn(1, 5, 5, 2, dtype=torch.float64, requires_grad=True)
    w = torch.randn(2, 2, 2, 3, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda a, b: tf.nn.conv2d(a, b, 2, "SAME"), (x, w))


def test_conv_errors():
    x = np.zeros((1, 5, 5, 3), "float32")
    with pytest.raises(ValueError, match=r"input channels \(3.*\(1, 5, 5, 3\).*\(2, 2, 2, 4\)"):
        tf.nn.conv2d(x, np.zeros((2, 2, 2, 4), "float32"), 1, "SAME")
    w = np.zeros((2, 2, 3, 4), "float32")
    with pytest.raises(ValueError, match=r"padding must be 'SAME', 'VALID'.*'FULL'"):
        tf.nn.conv2d(x, w, 1, "FULL")
    with pytest.raises(ValueError, match=r"strides must be an int or a list of 1, 2 or 4"):
        tf.nn.conv2d(x, w, [1, 1, 1], "SAME")
    with pytest.raises(ValueError, match=r"strides for the batch and channel.*must be 1"):
        tf.nn.conv2d(x, w, [2, 1, 1, 1], "SAME")
    with pytest.raises(ValueError, match=r"data_format must be 'NHWC' or 'NCHW'.*'NWHC'"):
        tf.nn.conv2d(x, w, 1, "SAME", data_format="NWHC")
    with pytest.raises(ValueError, match=r"explicit padding of the batch and channel"):
        tf.nn.conv2d(x, w, 1, [[1, 0], [0, 0], [0, 0], [0, 0]])
    with pytest.raises(ValueError, match=r"input must be 4D, got shape \(5, 5, 3\)"):
        tf.nn.conv2d(x[0], w, 1, "SAME")
    with pytest.raises(ValueError, match=r"input must be 3D, 4D or 5D"):
        tf.nn.convolution(np.zeros((2, 3), "float32"), w)


# ---------------------------------------------------------------- pooling


@pytest.mark.parametrize("kind", ["max", "avg"])
@pytest.mark.parametrize(
    ("size", "k", "s", "padding", "pads"),
    [
        (5, 2, 2, "SAME", ((0, 1), (0, 1))),
        (5, 3, 1, "SAME", ((1, 1), (1, 1))),
        (6, 3, 2, "SAME", ((0, 1), (0, 1))),
        (5, 3, 2, "VALID", ((0, 0), (0, 0))),
    ],
)
def test_pool2d_matches_numpy(kind, size, k, s, padding, pads):
    x = RNG.normal(size=(2, size, size, 3)).astype("float32")
    fn = tf.nn.max_pool2d if kind == "max" else tf.nn.avg_pool2d
    ref = _np_pool2d(x, k, s, pads, kind)
    np.testing.assert_allclose(fn(x, k, s, padding).numpy(), ref, rtol=1e-5, atol=1e-6)
    generic = tf.nn.max_pool if kind == "max" else tf.nn.avg_pool
    np.testing.assert_allclose(generic(x, k, s, padding).numpy(), ref, rtol=1e-5, atol=1e-6)
    y = tf.nn.pool(x, [k, k], kind.upper(), strides=[s, s], padding=padding)
    np.testing.assert_allclose(y.numpy(), ref, rtol=1e-5, atol=1e-6)
    y = fn(x.transpose(0, 3, 1, 2), [1, 1, k, k], [1, 1, s, s], padding, data_format="NCHW")
    np.testing.assert_allclose(y.numpy().transpose(0, 2, 3, 1), ref, rtol=1e-5, atol=1e-6)


def test_avg_pool_same_edge_average_by_hand():
    # 1x3 row [1, 2, 3], window 2, stride 2, SAME: pads (0, 1) -> [(1+2)/2, 3/1].
    x = np.array([1.0, 2.0, 3.0], "float32").reshape(1, 3, 1)
    np.testing.assert_allclose(tf.nn.avg_pool1d(x, 2, 2, "SAME").numpy().ravel(), [1.5, 3.0])
    x = np.array([-1.0, -2.0, -3.0], "float32").reshape(1, 3, 1)
    np.testing.assert_allclose(tf.nn.max_pool1d(x, 2, 2, "SAME").numpy().ravel(), [-1.0, -3.0])


def test_pool1d_3d_against_numpy():
    x = RNG.normal(size=(2, 7, 3)).astype("float32")
    # window 3, stride 2, SAME on length 7: pads (1, 1), windows [0:2], [1:4], [3:6], [5:7].
    windows = [(0, 2), (1, 4), (3, 6), (5, 7)]
    for fn, reduce in ((tf.nn.max_pool1d, np.max), (tf.nn.avg_pool1d, np.mean)):
        ref = np.stack([reduce(x[:, a:b], axis=1) for a, b in windows], axis=1)
        np.testing.assert_allclose(fn(x, 3, 2, "SAME").numpy(), ref, rtol=1e-5, atol=1e-6)
    x3 = RNG.normal(size=(1, 4, 4, 4, 2)).astype("float32")
    y = tf.nn.max_pool3d(x3, 2, 2, "VALID").numpy()
    ref = x3.reshape(1, 2, 2, 2, 2, 2, 2, 2).max(axis=(2, 4, 6))
    np.testing.assert_allclose(y, ref)
    y = tf.nn.avg_pool3d(x3, 2, 2, "VALID").numpy()
    np.testing.assert_allclose(
        y, x3.reshape(1, 2, 2, 2, 2, 2, 2, 2).mean(axis=(2, 4, 6)), atol=1e-6
    )


def test_pool_dilated_max():
    x = np.arange(7, dtype="float32").reshape(1, 7, 1)
    y = tf.nn.pool(x, [2], "MAX", padding="VALID", dilations=[3])
    np.testing.assert_allclose(y.numpy().ravel(), [3, 4, 5, 6])


def test_pool_errors():
    x = np.zeros((1, 4, 4, 1), "float32")
    with pytest.raises(ValueError, match=r"padding must be 'SAME', 'VALID', got 'same_ish'"):
        tf.nn.max_pool2d(x, 2, 2, "same_ish")
    with pytest.raises(ValueError, match=r"ksize must be an int or a list of 1, 2 or 4"):
        tf.nn.avg_pool2d(x, [2, 2, 2], 2, "SAME")
    with pytest.raises(ValueError, match=r"pooling_type must be 'MAX' or 'AVG', got 'MIN'"):
        tf.nn.pool(x, [2, 2], "MIN")
    with pytest.raises(ValueError, match=r"data_format must be 'NHWC' or 'NCHW'"):
        tf.nn.max_pool2d(x, 2, 2, "SAME", data_format="NCW")


# ---------------------------------------------------------------- depthwise, separable, transpose


def _np_depthwise(x, w, stride, pads):
    """Naive depthwise conv: output channel k * mult + q from input channel k and w[..., k, q]."""
    cin, mult = w.shape[2:]
    outs = []
    for k in range(cin):
        for q in range(mult):
            outs.append(_np_conv2d(x[..., k : k + 1], w[:, :, k : k + 1, q : q + 1], stride, pads))
    return np.concatenate(outs, axis=-1)


def test_depthwise_and_separable_conv2d():
    x = RNG.normal(size=(2, 5, 5, 3)).astype("float32")
    w = RNG.normal(size=(2, 2, 3, 2)).astype("float32")
    ref = _np_depthwise(x, w, (2, 2), ((0, 1), (0, 1)))
    y = tf.nn.depthwise_conv2d(x, w, [1, 2, 2, 1], "SAME")
    np.testing.assert_allclose(y.numpy(), ref, rtol=1e-4, atol=1e-4)
    y = tf.nn.depthwise_conv2d(x.transpose(0, 3, 1, 2), w, 2, "SAME", data_format="NCHW")
    np.testing.assert_allclose(y.numpy().transpose(0, 2, 3, 1), ref, rtol=1e-4, atol=1e-4)
    p = RNG.normal(size=(1, 1, 6, 4)).astype("float32")
    y = tf.nn.separable_conv2d(x, w, p, 2, "SAME")
    np.testing.assert_allclose(y.numpy(), ref @ p[0, 0], rtol=1e-4, atol=1e-4)
    with pytest.raises(ValueError, match=r"input channels \(3.*in_channels \(4.*\(2, 2, 4, 2\)"):
        tf.nn.depthwise_conv2d(x, np.zeros((2, 2, 4, 2), "float32"), 1, "SAME")
    with pytest.raises(ValueError, match=r"pointwise_filter must be \(1, 1"):
        tf.nn.separable_conv2d(x, w, np.zeros((2, 2, 6, 4), "float32"), 1, "SAME")


def _np_conv_transpose2d(x, w, stride, pads, out_hw):
    """Naive scatter: each input pixel adds w[a, b] @ x into the padded output, then crop."""
    n, h, wd, _ = x.shape
    kh, kw, co, _ = w.shape
    full = np.zeros((n, out_hw[0] + sum(pads[0]) + kh, out_hw[1] + sum(pads[1]) + kw, co))
    for i in range(h):
        for j in range(wd):
            for a in range(kh):
                for b in range(kw):
                    full[:, i * stride + a, j * stride + b, :] += x[:, i, j, :] @ w[a, b].T
    top, left = pads[0][0], pads[1][0]
    return full[:, top : top + out_hw[0], left : left + out_hw[1]]


@pytest.mark.parametrize(
    ("in_hw", "out_hw", "k", "s", "padding", "pads"),
    [
        (3, 5, 2, 2, "SAME", ((0, 1), (0, 1))),
        (3, 6, 3, 2, "SAME", ((0, 1), (0, 1))),
        (2, 6, 3, 2, "VALID", ((0, 0), (0, 0))),  # last output row gets no contribution
        (3, 3, 3, 1, "SAME", ((1, 1), (1, 1))),
    ],
)
def test_conv2d_transpose_matches_numpy(in_hw, out_hw, k, s, padding, pads):
    x = RNG.normal(size=(2, in_hw, in_hw, 3)).astype("float32")
    w = RNG.normal(size=(k, k, 4, 3)).astype("float32")
    ref = _np_conv_transpose2d(x, w, s, pads, (out_hw, out_hw))
    y = tf.nn.conv2d_transpose(x, w, [2, out_hw, out_hw, 4], s, padding)
    assert tuple(y.shape) == (2, out_hw, out_hw, 4)
    np.testing.assert_allclose(y.numpy(), ref, rtol=1e-4, atol=1e-4)
    y = tf.nn.conv2d_transpose(
        x.transpose(0, 3, 1, 2), w, [2, 4, out_hw, out_hw], s, padding, data_format="NCHW"
    )
    np.testing.assert_allclose(y.numpy().transpose(0, 2, 3, 1), ref, rtol=1e-4, atol=1e-4)


def test_conv1d_3d_transpose_shapes_and_values():
    x = RNG.normal(size=(1, 3, 2)).astype("float32")
    w = RNG.normal(size=(2, 4, 2)).astype("float32")
    ref = _np_conv_transpose2d(x[:, None], w[None], 2, ((0, 0), (0, 1)), (1, 5))[:, 0]
    y = tf.nn.conv1d_transpose(x, w, [1, 5, 4], 2)
    np.testing.assert_allclose(y.numpy(), ref, rtol=1e-4, atol=1e-4)
    y = tf.nn.conv3d_transpose(
        np.ones((1, 2, 2, 2, 1), "float32"), np.ones((2, 2, 2, 3, 1), "float32"), [1, 4, 4, 4, 3], 2
    )
    np.testing.assert_allclose(y.numpy(), np.ones((1, 4, 4, 4, 3)))


def test_conv2d_transpose_errors():
    x = np.zeros((1, 3, 3, 2), "float32")
    w = np.zeros((2, 2, 4, 2), "float32")
    with pytest.raises(ValueError, match=r"output_shape \[1, 9, 9, 4\] does not match"):
        tf.nn.conv2d_transpose(x, w, [1, 9, 9, 4], 2)
    with pytest.raises(ValueError, match=r"has 5 channels but the filters"):
        tf.nn.conv2d_transpose(x, w, [1, 6, 6, 5], 2)
    with pytest.raises(ValueError, match=r"input channels \(2.*last axis \(3"):
        tf.nn.conv2d_transpose(x, np.zeros((2, 2, 4, 3), "float32"), [1, 6, 6, 4], 2)


# ---------------------------------------------------------------- space/depth, LRN


def test_space_to_depth_and_back():
    x = np.arange(2 * 4 * 6 * 3, dtype="float32").reshape(2, 4, 6, 3)
    y = tf.nn.space_to_depth(x, 2).numpy()
    assert y.shape == (2, 2, 3, 12)
    for i in range(2):
        for j in range(3):
            for bi in range(2):
                for bj in range(2):
                    np.testing.assert_array_equal(
                        y[:, i, j, (bi * 2 + bj) * 3 : (bi * 2 + bj + 1) * 3],
                        x[:, 2 * i + bi, 2 * j + bj, :],
                    )
    np.testing.assert_array_equal(tf.nn.depth_to_space(y, 2).numpy(), x)
    y_nchw = tf.nn.space_to_depth(x.transpose(0, 3, 1, 2), 2, data_format="NCHW").numpy()
    np.testing.assert_array_equal(y_nchw.transpose(0, 2, 3, 1), y)
    with pytest.raises(ValueError, match=r"height \(4\) and width \(6\) must be divisible by"):
        tf.nn.space_to_depth(x, 4)
    with pytest.raises(ValueError, match=r"channels \(3\) must be divisible by block_size\*\*2"):
        tf.nn.depth_to_space(x, 2)
    with pytest.raises(ValueError, match=r"block_size must be at least 2"):
        tf.nn.space_to_depth(x, 1)


def test_local_response_normalization():
    x = RNG.normal(size=(2, 3, 3, 7)).astype("float64")
    r, bias, alpha, beta = 2, 0.5, 0.3, 0.75
    ref = np.empty_like(x)
    for d in range(7):
        sq = (x[..., max(d - r, 0) : d + r + 1] ** 2).sum(-1)
        ref[..., d] = x[..., d] / (bias + alpha * sq) ** beta
    y = tf.nn.local_response_normalization(x, r, bias, alpha, beta)
    np.testing.assert_allclose(y.numpy(), ref, rtol=1e-10)
    np.testing.assert_allclose(tf.nn.lrn(x, r, bias, alpha, beta).numpy(), ref, rtol=1e-10)
    with pytest.raises(ValueError, match=r"input must be 4D \(NHWC\), got shape \(3, 7\)"):
        tf.nn.lrn(x[0, 0])


def test_gradients_flow_through_pool_depthwise_and_transpose():
    x = torch.randn(1, 5, 5, 2, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda a: tf.nn.avg_pool2d(a, 2, 2, "SAME"), (x,))
    assert torch.autograd.gradcheck(lambda a: tf.nn.avg_pool2d(a, 3, 1, "SAME"), (x,))
    w = torch.randn(2, 2, 2, 2, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda a, b: tf.nn.depthwise_conv2d(a, b, 2, "SAME"), (x, w))
    t = torch.randn(1, 3, 3, 2, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(
        lambda a, b: tf.nn.conv2d_transpose(a, b, [1, 5, 5, 2], 2), (t, w)
    )


def test_atrous_conv2d_is_dilated_conv():
    x = RNG.normal(size=(1, 7, 7, 2)).astype("float32")
    w = RNG.normal(size=(3, 3, 2, 2)).astype("float32")
    ref = _np_conv2d(x, w, (1, 1), ((2, 2), (2, 2)), (2, 2))
    np.testing.assert_allclose(
        tf.nn.atrous_conv2d(x, w, 2, "SAME").numpy(), ref, rtol=1e-4, atol=1e-4
    )
    with pytest.raises(ValueError, match=r"rate must be a positive int, got 0"):
        tf.nn.atrous_conv2d(x, w, 0, "SAME")


# ---------------------------------------------------------------- TF 2.21 sweep (numbers from TF)

_ARGMAX_X = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3]
_ARGMAX_X += [8, 4, 6, 2, 6, 4, 3, 3, 8, 3, 2, 7, 9, 5, 0, 2, 8, 8]


def test_max_pool_with_argmax_matches_tf():
    x = tf.reshape(tf.constant(_ARGMAX_X, tf.float32), (2, 3, 3, 2))
    out, idx = tf.nn.max_pool_with_argmax(x, 2, 2, "SAME", include_batch_in_index=True)
    assert out.tolist() == [
        [[[5.0, 6.0], [5.0, 9.0]], [[9.0, 7.0], [2.0, 3.0]]],
        [[[8.0, 4.0], [6.0, 7.0]], [[9.0, 5.0], [8.0, 8.0]]],
    ]
    assert idx.dtype == torch.int64
    assert idx.tolist() == [
        [[[8, 7], [4, 5]], [[12, 13], [16, 17]]],
        [[[18, 19], [22, 29]], [[30, 31], [34, 35]]],
    ]
    _, idx = tf.nn.max_pool_with_argmax(x, 2, 2, "SAME", output_dtype=tf.int32)
    assert idx.dtype == torch.int32
    assert idx[1].tolist() == [[[0, 1], [4, 11]], [[12, 13], [16, 17]]]


def test_conv_kernel_larger_than_valid_input_is_invalid_argument():
    x = tf.zeros((2, 7, 6, 3))
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"conv2d: the filters \(shape \(3, 3, 3, 4\), dilations \(3, 3\)\) cover 7 cells, "
        r"more than the 6 of the padded input",
    ):
        tf.nn.conv2d(x, tf.ones((3, 3, 3, 4)), 1, "VALID", dilations=3)
    assert tuple(tf.nn.conv2d(x, tf.ones((3, 3, 3, 4)), 1, "SAME", dilations=3).shape) == (
        2,
        7,
        6,
        4,
    )
