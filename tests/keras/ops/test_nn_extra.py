"""keras.ops.nn additions (conv, pools, attention, normalisation...): values printed by
Keras 3.15 (TensorFlow 2.21) on the same inputs, and NumPy references."""

import numpy as np
import pytest
import torch

from tork import keras

ops = keras.ops
X = np.arange(1 * 5 * 5 * 2, dtype="float32").reshape(1, 5, 5, 2) / 10
K = np.arange(3 * 3 * 2 * 3, dtype="float32").reshape(3, 3, 2, 3) / 20
X3 = np.arange(1 * 3 * 3 * 2, dtype="float32").reshape(1, 3, 3, 2)
Q = np.arange(1 * 3 * 2 * 4, dtype="float32").reshape(1, 3, 2, 4)


def _np(t):
    return t.detach().cpu().numpy() if isinstance(t, torch.Tensor) else np.asarray(t)


def _close(out, expected, atol=2e-3):
    np.testing.assert_allclose(_np(out), np.asarray(expected), atol=atol, rtol=1e-4)


def test_conv_matches_keras():
    _close(
        ops.conv(X, K)[0, :, :, 0],
        [[40.275, 44.865, 49.455], [63.225, 67.815, 72.405], [86.175, 90.765, 95.355]],
    )
    _close(
        ops.conv(X, K, strides=2, padding="same")[0, :, :, 1],
        [[11.96, 23.46, 18.2], [45.48, 70.02, 46.2], [31.88, 44.7, 26.6]],
    )
    x6 = np.arange(72, dtype="float32").reshape(1, 6, 6, 2) / 10
    k2 = np.arange(8, dtype="float32").reshape(2, 2, 2, 1)
    out = ops.conv(x6, k2, padding="same", dilation_rate=2)
    _close(out[0, 0, :, 0], [18.9, 32.8, 37.2, 41.6, 46.0, 18.5])
    _close(out[0, 5, :, 0], [25.3, 31.2, 32.4, 33.6, 34.8, 5.7])
    x1 = np.arange(28, dtype="float32").reshape(1, 7, 4)
    k1 = np.arange(12, dtype="float32").reshape(3, 2, 2)  # 2 input channels: 2 groups
    _close(ops.conv(x1, k1)[0], [[202, 301], [322, 445], [442, 589], [562, 733], [682, 877]])
    cf = ops.conv(np.moveaxis(X, -1, 1), K, data_format="channels_first")
    _close(np.moveaxis(_np(cf), 1, -1), ops.conv(X, K))
    out3 = ops.conv(
        np.arange(64, dtype="float32").reshape(1, 4, 4, 4, 1), np.ones((2, 2, 2, 1, 1)), 2
    )
    _close(out3[0, ..., 0], [[[84, 100], [148, 164]], [[340, 356], [404, 420]]])


def test_conv_errors():
    with pytest.raises(ValueError, match="the input has 2 channels, which is not a multiple"):
        ops.conv(X, np.ones((3, 3, 3, 1), "float32"))
    with pytest.raises(ValueError, match="`padding` must be 'valid' or 'same'"):
        ops.conv(X, K, padding="full")
    with pytest.raises(ValueError, match="needs inputs of rank 3, 4 or 5"):
        ops.conv(np.ones((2, 3)), K)


def test_conv_transpose_matches_keras():
    k = np.arange(3 * 3 * 4 * 2, dtype="float32").reshape(3, 3, 4, 2) / 10
    out = ops.conv_transpose(X3, k, strides=2)
    assert tuple(out.shape) == (1, 7, 7, 4)
    _close(out[0, 0, :, 1], [0.3, 1.1, 3.2, 5.3, 11.6, 9.5, 16.7])
    _close(out[0, 6, :, 1], [126.3, 146.3, 312.8, 169.7, 359.6, 193.1, 219.5])
    k = np.arange(3 * 3 * 1 * 2, dtype="float32").reshape(3, 3, 1, 2) / 10
    out = ops.conv_transpose(X3, k, strides=2, padding="same")
    assert tuple(out.shape) == (1, 6, 6, 1)
    _close(out[0, 0, :, 0], [0.1, 0.3, 0.8, 1.3, 2.8, 2.3])
    _close(out[0, 5, :, 0], [16.3, 21.3, 45.2, 24.7, 52.0, 28.1])
    k = np.arange(8, dtype="float32").reshape(2, 2, 1, 2) / 10
    out = ops.conv_transpose(X3, k, strides=2, padding="same", output_padding=1)
    assert tuple(out.shape) == (1, 5, 5, 1)
    _close(out[0, 1, :, 0], [0.5, 0.7, 2.3, 3.3, 4.1])
    x1 = np.arange(8, dtype="float32").reshape(1, 4, 2)
    k1 = np.arange(6, dtype="float32").reshape(3, 1, 2) / 10
    _close(
        ops.conv_transpose(x1, k1, strides=3)[0, :, 0],
        [0.1, 0.3, 0.5, 0.3, 1.3, 2.3, 0.5, 2.3, 4.1, 0.7, 3.3, 5.9],
    )
    _close(
        ops.conv_transpose(x1, k1, strides=1, padding="same", dilation_rate=2)[0, :, 0],
        [0.8, 2.0, 2.8, 5.6],
    )
    with pytest.raises(ValueError, match="the kernel's last dimension \\(3\\) must equal"):
        ops.conv_transpose(X3, np.ones((3, 3, 1, 3), "float32"))


def test_depthwise_and_separable_conv_match_keras():
    dk = np.arange(36, dtype="float32").reshape(3, 3, 2, 2) / 10
    _close(
        ops.depthwise_conv(X, dk)[0, 0],
        [[24.96, 26.04, 28.74, 29.91], [27.84, 29.1, 31.98, 33.33], [30.72, 32.16, 35.22, 36.75]],
    )
    dk1 = np.arange(18, dtype="float32").reshape(3, 3, 2, 1) / 10
    _close(
        ops.depthwise_conv(X, dk1, strides=2, padding="same")[0, :, :, 1],
        [[4.28, 8.26, 6.36], [15.66, 24.09, 15.9], [11.0, 15.46, 9.24]],
    )
    pk = np.arange(12, dtype="float32").reshape(1, 1, 4, 3) / 10
    _close(
        ops.separable_conv(X, dk, pk, padding="same")[0, 0],
        [
            [15.276, 18.448, 21.62],
            [24.426, 29.516, 34.606],
            [29.682, 35.9, 42.118],
            [34.938, 42.284, 49.63],
            [22.956, 27.776, 32.596],
        ],
    )
    with pytest.raises(ValueError, match="the kernel's input channels \\(3\\) must equal"):
        ops.depthwise_conv(X, np.ones((3, 3, 3, 1), "float32"))


def test_pools_match_keras():
    x = np.arange(25, dtype="float32").reshape(1, 5, 5, 1)
    _close(ops.max_pool(x, 2)[0, ..., 0], [[6, 8], [16, 18]])
    _close(ops.max_pool(x, 2, padding="same")[0, ..., 0], [[6, 8, 9], [16, 18, 19], [21, 23, 24]])
    _close(
        ops.max_pool(x - 30, 3, strides=2, padding="same")[0, ..., 0],
        [[-24, -22, -21], [-14, -12, -11], [-9, -7, -6]],
    )
    _close(ops.average_pool(x, 2)[0, ..., 0], [[3, 5], [13, 15]])
    _close(
        ops.average_pool(x, 2, padding="same")[0, ..., 0],
        [[3, 5, 6.5], [13, 15, 16.5], [20.5, 22.5, 24]],
    )
    _close(
        ops.average_pool(x, (3, 2), strides=(2, 1), padding="same")[0, 0, :, 0],
        [3, 4, 5, 6, 6.5],
    )
    _close(
        ops.average_pool(x.reshape(1, 1, 5, 5), 2, data_format="channels_first")[0, 0],
        [[3, 5], [13, 15]],
    )
    x3 = np.arange(128, dtype="float32").reshape(2, 4, 4, 4, 1)
    _close(ops.average_pool(x3, 2)[0, 0, :, :, 0], [[10.5, 12.5], [18.5, 20.5]])
    _close(
        ops.max_pool(np.arange(14, dtype="float32").reshape(1, 7, 2), 3, 1)[0, :, 0],
        [4, 6, 8, 10, 12],
    )
    assert ops.max_pool(x.astype("int32"), 2).dtype == torch.float32  # Keras 3.15


def test_adaptive_pools():
    x = np.arange(35, dtype="float32").reshape(1, 5, 7, 1)
    _close(ops.adaptive_average_pool(x, (2, 3))[0, ..., 0], [[8, 10, 12], [22, 24, 26]])
    _close(
        ops.adaptive_average_pool(x.reshape(1, 1, 5, 7), (2, 3), data_format="channels_first")[
            0, 0
        ],
        [[8, 10, 12], [22, 24, 26]],
    )
    _close(ops.adaptive_max_pool(x, 3)[0, ..., 0], [[9, 11, 13], [23, 25, 27], [30, 32, 34]])
    _close(
        ops.adaptive_average_pool(np.arange(14, dtype="float32").reshape(1, 7, 2), 3)[0, :, 0],
        [2, 6, 10],
    )


def test_depth_to_space_and_back():
    x = np.arange(32, dtype="float32").reshape(1, 2, 2, 8)
    out = ops.depth_to_space(x, 2)
    assert tuple(out.shape) == (1, 4, 4, 2)
    _close(out[0, 0], [[0, 1], [2, 3], [8, 9], [10, 11]])  # Keras 3.15 (TF order)
    _close(ops.space_to_depth(out, 2), x)
    xc = np.arange(32, dtype="float32").reshape(1, 8, 2, 2)
    out = ops.depth_to_space(xc, 2, data_format="channels_first")
    _close(out[0, 0, 0], [0, 8, 1, 9])
    _close(ops.space_to_depth(out, 2, data_format="channels_first"), xc)
    with pytest.raises(ValueError, match="the depth \\(6\\) must be divisible by block_size"):
        ops.depth_to_space(np.ones((1, 2, 2, 6)), 2)
    with pytest.raises(ValueError, match="must be divisible by block_size \\(2\\)"):
        ops.space_to_depth(np.ones((1, 3, 4, 1)), 2)


def test_dot_product_attention_matches_keras():
    k5 = np.arange(40, dtype="float32").reshape(1, 5, 2, 4)
    _close(
        ops.dot_product_attention(Q / 10, k5 / 20, k5 / 7)[0, :, 1],
        [
            [3.7872, 3.93, 4.0729, 4.2157],
            [4.5811, 4.724, 4.8668, 5.0097],
            [4.8946, 5.0375, 5.1803, 5.3232],
        ],
    )
    out = ops.dot_product_attention(
        Q / 10,
        Q / 20,
        Q / 7,
        bias=np.arange(9, dtype="float32").reshape(3, 3) / 5,
        mask=np.array([[True, False, True]] * 3),
    )
    _close(
        out[0, :, 0],
        [
            [1.4966, 1.6394, 1.7823, 1.9252],
            [1.9935, 2.1363, 2.2792, 2.422],
            [2.1962, 2.339, 2.4819, 2.6248],
        ],
    )
    _close(
        ops.dot_product_attention(Q / 10, Q / 20, Q / 7, is_causal=True, scale=0.3)[0, :, 1],
        [
            [0.5714, 0.7143, 0.8571, 1.0],
            [1.3218, 1.4646, 1.6075, 1.7504],
            [2.387, 2.5298, 2.6727, 2.8156],
        ],
    )
    # Grouped-query attention equals repeating the key/value heads.
    q4 = np.random.default_rng(0).normal(size=(2, 3, 4, 8)).astype("float32")
    kv = np.random.default_rng(1).normal(size=(2, 5, 2, 8)).astype("float32")
    grouped = ops.dot_product_attention(q4, kv, kv)
    full = ops.dot_product_attention(q4, np.repeat(kv, 2, axis=2), np.repeat(kv, 2, axis=2))
    _close(grouped, full, atol=1e-5)
    with pytest.raises(ValueError, match="`dot_product_attention` only supports 4D inputs"):
        ops.dot_product_attention(Q[0], Q[0], Q[0])
    with pytest.raises(ValueError, match="the query's 3 heads must be a multiple of the key's 2"):
        ops.dot_product_attention(np.ones((1, 3, 3, 4)), Q, Q)


def test_normalizations_match_keras():
    _close(
        ops.layer_normalization(np.arange(5, dtype="float32")),
        [-1.4142, -0.7071, 0, 0.7071, 1.4142],
    )
    x = np.arange(6, dtype="float32").reshape(2, 3)
    out = ops.layer_normalization(
        x,
        gamma=np.array([1.0, 2, 3], "float32"),
        beta=np.array([0.5, 0, -1], "float32"),
        epsilon=0.1,
    )
    _close(out, [[-0.6421, 0.0, 2.4262]] * 2)
    _close(ops.layer_normalization(x, axis=0), [[-1, -1, -1], [1, 1, 1]])
    out = ops.layer_normalization(x.astype("int32"))
    assert out.dtype == torch.int32
    np.testing.assert_array_equal(_np(out), [[-1, 0, 1], [-1, 0, 1]])
    _close(ops.rms_normalization(x), [[0.0, 0.7746, 1.5492], [0.7348, 0.9798, 1.2247]])
    _close(
        ops.rms_normalization(x, scale=np.array([1.0, 2, 3], "float32"), epsilon=0.5),
        [[0.0, 1.3587, 4.0762], [0.7241, 1.9308, 3.6203]],
    )


def test_fold_unfold_match_torch_layout():
    x = np.arange(32, dtype="float32").reshape(1, 2, 4, 4)
    patches = ops.unfold(x, kernel_size=2, stride=2)
    assert tuple(patches.shape) == (1, 8, 4)
    _close(patches[0, :2], [[0, 2, 8, 10], [1, 3, 9, 11]])
    _close(ops.fold(patches, (4, 4), kernel_size=2, stride=2), x)
    ones = ops.fold(np.ones((1, 4, 9), "float32"), 4, kernel_size=2, stride=1)
    _close(ones[0, 0], [[1, 2, 2, 1], [2, 4, 4, 2], [2, 4, 4, 2], [1, 2, 2, 1]])


def test_polar_psnr_sparse_sigmoid():
    z = ops.polar(np.array([1.0, 2.0], "float32"), np.array([0.0, np.pi / 2], "float32"))
    assert z.dtype == torch.complex64
    np.testing.assert_allclose(_np(z), [1 + 0j, 2j], atol=1e-6)
    a = np.arange(6, dtype="float32") / 6
    _close(ops.psnr(a, a[::-1].copy(), 1.0), 4.8936, atol=1e-4)
    _close(
        ops.psnr(np.arange(6, dtype="float32").reshape(2, 3), np.ones((2, 3), "float32"), 255.0),
        40.9987,
    )
    with pytest.raises(
        ValueError, match="Input shapes \\(2, 3\\) and \\(3, 2\\) must match for PSNR"
    ):
        ops.psnr(np.ones((2, 3)), np.ones((3, 2)), 1.0)
    _close(
        ops.sparse_sigmoid(np.array([-2.0, -1, -0.5, 0, 0.5, 1, 3], "float32")),
        [0, 0, 0.25, 0.5, 0.75, 1, 1],
    )


def test_nn_namespace_and_functional_model():
    assert ops.nn.conv is ops.conv and ops.nn.max_pool is ops.max_pool
    inp = keras.Input((8, 8, 2))
    y = ops.conv(inp, K, padding="same")
    y = ops.max_pool(y, 2)
    model = keras.Model(inp, ops.depth_to_space(ops.conv(y, np.ones((1, 1, 3, 4), "float32")), 2))
    x = np.random.default_rng(2).random((2, 8, 8, 2)).astype("float32")
    out = model(x)
    assert tuple(out.shape) == (2, 8, 8, 1)
    ref = ops.depth_to_space(
        ops.conv(ops.max_pool(ops.conv(x, K, padding="same"), 2), np.ones((1, 1, 3, 4))), 2
    )
    _close(out, ref, atol=1e-5)
