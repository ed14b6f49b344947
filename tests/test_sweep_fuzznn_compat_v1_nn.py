"""tf.compat.v1.nn / tf.compat.v1.image with TF 1's argument orders and names (fuzznn).

Found by comparing signatures and calls against TensorFlow 2.21's tf.compat.v1 (CPU): the
reference values were printed by the fuzzing session's /tmp/fuzznn/probe.py and
probe2.py (rounded to 4 decimals there) and are quoted next to each assertion.
"""

import numpy as np
import pytest

import tork as tf

v1 = tf.compat.v1
X = np.arange(2 * 5 * 5 * 2, dtype=np.float32).reshape(2, 5, 5, 2) / 10
K = np.linspace(-1, 1, 3 * 3 * 2 * 2, dtype=np.float32).reshape(3, 3, 2, 2)


def first6(t):
    return np.asarray(t).ravel()[:6]


def test_in_top_k_takes_predictions_first():
    # TF 1 (and tf.compat.v1.nn): in_top_k(predictions, targets, k) -> [True, False].
    out = v1.nn.in_top_k(np.array([[0.1, 0.9], [0.8, 0.2]], np.float32), np.array([1, 1]), 1)
    assert np.asarray(out).tolist() == [True, False]


@pytest.mark.parametrize(
    ("call", "tf_first6", "shape"),
    [
        # pool(input, window_shape, pooling_type, padding, dilation_rate, strides)
        (
            lambda: v1.nn.pool(X, [2, 2], "MAX", "SAME", None, [2, 2]),
            [1.2, 1.3, 1.6, 1.7, 1.8, 1.9],
            (2, 3, 3, 2),
        ),
        # convolution(input, filter, padding, strides)
        (
            lambda: v1.nn.convolution(X, K, "SAME", [2, 2]),
            [3.7143, 4.0114, 6.04, 6.6914, 3.4857, 4.0571],
            (2, 3, 3, 2),
        ),
        # depthwise_conv2d(input, filter, strides, padding, rate)
        (
            lambda: v1.nn.depthwise_conv2d(X, K, [1, 1, 1, 1], "VALID", [2, 2]),
            [6.9257, 8.16, 9.42, 10.7057, 3.0686, 6.8743],
            (2, 1, 1, 4),
        ),
        # separable_conv2d(input, depthwise_filter, pointwise_filter, strides, padding, rate)
        (
            lambda: v1.nn.separable_conv2d(
                X, K, np.ones((1, 1, 4, 3), np.float32), [1, 1, 1, 1], "VALID", [2, 2]
            ),
            [35.2114] * 6,
            (2, 1, 1, 3),
        ),
        # conv2d(input, filter, strides, padding, use_cudnn_on_gpu)
        (
            lambda: v1.nn.conv2d(X, K, [1, 1, 1, 1], "SAME", True),
            [3.7143, 4.0114, 5.2857, 5.8, 6.04, 6.6914],
            (2, 5, 5, 2),
        ),
        (
            lambda: v1.nn.conv1d(value=X[:, 0], filters=K[0], stride=1, padding="SAME"),
            [-0.3029, -0.2686, -0.8714, -0.7857, -1.7286, -1.5743],
            (2, 5, 2),
        ),
        (
            lambda: v1.nn.max_pool(
                value=X, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME"
            ),
            [1.2, 1.3, 1.6, 1.7, 1.8, 1.9],
            (2, 3, 3, 2),
        ),
        (
            lambda: v1.nn.dilation2d(
                X, np.zeros((2, 2, 2), np.float32), [1, 1, 1, 1], [1, 1, 1, 1], "SAME"
            ),
            [1.2, 1.3, 1.4, 1.5, 1.6, 1.7],
            (2, 5, 5, 2),
        ),
        (
            lambda: v1.nn.depthwise_conv2d_native(X, K, [1, 1, 1, 1], "SAME"),
            [1.6229, 1.76, 2.0914, 2.2514, 2.2914, 2.5314],
            (2, 5, 5, 4),
        ),
        (
            lambda: v1.nn.weighted_cross_entropy_with_logits(
                targets=np.ones(2, np.float32),
                logits=np.array([0.5, -1.0], np.float32),
                pos_weight=2.0,
            ),
            [0.9482, 2.6265],
            (2,),
        ),
        (
            lambda: v1.image.crop_and_resize(
                X, np.array([[0, 0, 1, 1]], np.float32), box_ind=[1], crop_size=[2, 2]
            ),
            [5.0, 5.1, 5.8, 5.9, 9.0, 9.1],
            (1, 2, 2, 2),
        ),
        (
            lambda: v1.image.extract_image_patches(
                X, [1, 2, 2, 1], [1, 1, 1, 1], [1, 1, 1, 1], "VALID"
            ),
            [0.0, 0.1, 0.2, 0.3, 1.0, 1.1],
            (2, 4, 4, 8),
        ),
        (
            lambda: v1.image.resize_image_with_pad(X, 6, 7),
            [0.0, 0.1, 0.1667, 0.2667, 0.3333, 0.4333],
            (2, 6, 7, 2),
        ),
        (
            lambda: v1.nn.relu_layer(
                X[:, 0, 0], np.ones((2, 3), np.float32), np.ones(3, np.float32)
            ),
            [1.1, 1.1, 1.1, 11.1, 11.1, 11.1],
            (2, 3),
        ),
    ],
)
def test_tf1_argument_orders_and_names(call, tf_first6, shape):
    out = call()
    if isinstance(out, (tuple, list)):
        out = out[0]
    assert tuple(out.shape) == shape
    np.testing.assert_allclose(first6(out), tf_first6, atol=1e-4)


def test_embedding_lookup_sparse_partition_strategy_fourth():
    ids = tf.sparse.SparseTensor([[0, 0], [0, 1]], np.array([0, 2], np.int64), [1, 2])
    # TF: [[1.0, 0.0, 1.0]]
    out = v1.nn.embedding_lookup_sparse(np.eye(3, dtype=np.float32), ids, None, "mod", None, "sum")
    np.testing.assert_array_equal(np.asarray(out), [[1.0, 0.0, 1.0]])
    shards = [np.eye(3, dtype=np.float32)[0::2], np.eye(3, dtype=np.float32)[1::2]]
    out = v1.nn.embedding_lookup_sparse(shards, ids, None, combiner="sum")
    np.testing.assert_array_equal(np.asarray(out), [[1.0, 0.0, 1.0]])


def test_softmax_cross_entropy_v1_stops_label_gradient_v2_does_not():
    lab = tf.Variable(np.array([[0.2, 0.8], [0.6, 0.4]], np.float32))
    lg = tf.Variable(np.array([[1.0, 2.0], [0.5, -1.0]], np.float32))
    # TF: loss 1.3146750926971436, logits gradient [[0.06894, -0.06894], [0.21757, -0.21757]],
    # labels gradient None (v1) or [[1.31326, 0.31326], [0.20141, 1.70141]] (_v2).
    with tf.GradientTape(persistent=True) as tape:
        l1 = tf.reduce_sum(v1.nn.softmax_cross_entropy_with_logits(labels=lab, logits=lg))
        l2 = tf.reduce_sum(v1.nn.softmax_cross_entropy_with_logits_v2(labels=lab, logits=lg))
    np.testing.assert_allclose(float(l1), 1.3146750926971436, rtol=1e-6)
    g_lab, g_lg = tape.gradient(l1, [lab, lg])
    assert g_lab is None or not np.any(np.asarray(g_lab))
    np.testing.assert_allclose(
        np.asarray(g_lg), [[0.06894, -0.06894], [0.21757, -0.21757]], atol=1e-5
    )
    g_lab = tape.gradient(l2, lab)
    np.testing.assert_allclose(
        np.asarray(g_lab), [[1.31326, 0.31326], [0.20141, 1.70141]], atol=1e-5
    )


def test_fused_batch_norm_training_and_inference():
    x = (np.arange(36, dtype=np.float32).reshape(2, 3, 3, 2) / 10) ** 2
    sc = np.array([1.5, 0.5], np.float32)
    off = np.array([0.1, -0.2], np.float32)
    y, m, v = v1.nn.fused_batch_norm(x, sc, off)
    # TF: y[:4] [-1.52748, -0.75835, -1.51107, -0.74798], mean [3.96667, 4.31667],
    # variance (unbiased) [14.1512, 15.7472].
    np.testing.assert_allclose(first6(y)[:4], [-1.52748, -0.75835, -1.51107, -0.74798], atol=1e-5)
    np.testing.assert_allclose(np.asarray(m), [3.9666667, 4.3166667], rtol=1e-6)
    np.testing.assert_allclose(np.asarray(v), [14.151201, 15.747201], rtol=1e-6)
    running = dict(mean=np.array([0.5, 0.2], np.float32), variance=np.array([0.3, 0.9], np.float32))
    _, m, v = v1.nn.fused_batch_norm(x, sc, off, exponential_avg_factor=0.25, **running)
    # TF: [1.3666667, 1.2291667] and [3.7628002, 4.6118002].
    np.testing.assert_allclose(np.asarray(m), [1.3666667, 1.2291667], rtol=1e-6)
    np.testing.assert_allclose(np.asarray(v), [3.7628002, 4.6118002], rtol=1e-6)
    y, _, _ = v1.nn.fused_batch_norm(x, sc, off, epsilon=0.01, is_training=False, **running)
    # TF: [-1.24704, -0.29959, -1.13928, -0.25766]
    np.testing.assert_allclose(first6(y)[:4], [-1.24704, -0.29959, -1.13928, -0.25766], atol=1e-5)
    with pytest.raises(ValueError, match="is_training=False needs mean and variance"):
        v1.nn.fused_batch_norm(x, sc, off, is_training=False)


def test_xw_plus_b_and_tf1_image_names():
    lab = np.array([[0.2, 0.8], [0.6, 0.4]], np.float32)
    lg = np.array([[1.0, 2.0], [0.5, -1.0]], np.float32)
    # TF: [[1.6, -5.4], [1.8, -4.2]]
    out = v1.nn.xw_plus_b(lab, lg, np.array([1.0, -5.0], np.float32))
    np.testing.assert_allclose(np.asarray(out), [[1.6, -5.4], [1.8, -4.2]], rtol=1e-6)
    np.testing.assert_array_equal(v1.image.transpose_image(X).numpy(), np.swapaxes(X, 1, 2))
    out = v1.image.resize_image_with_crop_or_pad(X, 6, 3)
    np.testing.assert_array_equal(out.numpy(), tf.image.resize_with_crop_or_pad(X, 6, 3).numpy())


def test_weighted_moments_tf1_keep_dims_fifth():
    m, v = v1.nn.weighted_moments(X, [0], np.ones_like(X), None, True)
    assert tuple(m.shape) == tuple(v.shape) == (1, 5, 5, 2)


def test_tf1_argument_errors():
    with pytest.raises(ValueError, match="give `value` or `input`, not both"):
        v1.nn.max_pool(value=X, input=X, ksize=2, strides=2, padding="SAME")
    with pytest.raises(ValueError, match="give `box_ind`"):
        v1.image.crop_and_resize(X, np.zeros((1, 4), np.float32), crop_size=[2, 2])
