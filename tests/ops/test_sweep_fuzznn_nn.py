"""tf.nn differences found by differential fuzzing against TensorFlow (helper fuzznn).

Reference numbers come from TensorFlow 2.21 (CPU) in the reference env: the script is
/tmp/fuzznn/ref_numbers.py of the fuzzing session (each value is quoted below).
"""

import numpy as np
import pytest

import tork as tf
from tork.ops.debugging import InvalidArgumentError


def test_avg_pool3d_same_window_larger_than_input():
    # torch's avg_pool3d refuses a window larger than the unpadded input; TF pads (SAME)
    # and averages the in-bounds cells. TF: tf.nn.avg_pool3d(x, 3, 1, "SAME").
    x = np.arange(24, dtype=np.float32).reshape(1, 2, 2, 3, 2) / 7.0
    tf_values = [1.4285714626312256, 1.5714285373687744, 1.5714284181594849]
    tf_values += [1.7142858505249023, 1.7142856121063232, 1.8571428060531616]
    y = tf.nn.avg_pool3d(x, 3, 1, "SAME")
    assert tuple(y.shape) == (1, 2, 2, 3, 2)
    np.testing.assert_allclose(y.numpy().ravel(), tf_values * 4, rtol=1e-6)


def test_dilated_average_pool_valid():
    # tork used to refuse dilated average pooling. TF: tf.nn.pool(x, [2, 2], "AVG",
    # padding="VALID", dilations=[2, 1]).
    x = np.arange(20, dtype=np.float32).reshape(1, 5, 4, 1) ** 1.5
    y = tf.nn.pool(x, [2, 2], "AVG", padding="VALID", dilations=[2, 1])
    tf_values = [12.656854629516602, 15.612800598144531, 19.032556533813477]
    tf_values += [26.905431747436523, 31.283161163330078, 35.923789978027344]
    tf_values += [45.9300537109375, 51.270774841308594, 56.823062896728516]
    assert tuple(y.shape) == (1, 3, 3, 1)
    np.testing.assert_allclose(y.numpy().ravel(), tf_values, rtol=1e-6)


def test_dilated_average_pool_same_is_refused_clearly():
    with pytest.raises(ValueError, match="'SAME' padding is not implemented for dilations"):
        tf.nn.pool(np.ones((1, 5, 5, 1), np.float32), [2, 2], "AVG", padding="SAME", dilations=2)


@pytest.mark.parametrize(
    "call",
    [
        lambda x: tf.nn.max_pool2d(x, 3, 1, "VALID"),
        lambda x: tf.nn.avg_pool2d(x, [1, 3], 1, "VALID"),
        lambda x: tf.nn.pool(x, [1, 3], "MAX", padding="VALID"),
        lambda x: tf.nn.max_pool_with_argmax(x, 3, 2, "VALID"),
    ],
)
def test_pool_window_larger_than_valid_input_raises_clearly(call):
    # TF returns an empty tensor (or, on CPU, dies with SIGFPE for max_pool2d); tork used
    # to raise torch's bare "Output size is too small".
    x = np.ones((1, 4, 2, 1), np.float32)
    with pytest.raises(InvalidArgumentError, match="pooling window .* covers 3 cells, more than"):
        call(x)


def test_avg_pool3d_valid_window_larger_than_input_raises_clearly():
    with pytest.raises(InvalidArgumentError, match="use padding='SAME'|Use padding='SAME'"):
        tf.nn.avg_pool3d(np.ones((1, 2, 4, 4, 1), np.float32), 3, 1, "VALID")


P = np.arange(14, dtype=np.float32).reshape(7, 2)
IDS = np.array([[0, 6, 3], [5, 1, 2]])
# TF: tf.nn.embedding_lookup([P[:3], P[3:5], P[5:]], IDS) ("div") and
# tf.compat.v1.nn.embedding_lookup([P[0::3], P[1::3], P[2::3]], IDS) ("mod"): both give P[IDS].
TF_ROWS = [[[0.0, 1.0], [12.0, 13.0], [6.0, 7.0]], [[10.0, 11.0], [2.0, 3.0], [4.0, 5.0]]]


def test_embedding_lookup_partitioned_params_tf2_div():
    out = tf.nn.embedding_lookup([P[:3], P[3:5], P[5:]], IDS)
    np.testing.assert_array_equal(out.numpy(), TF_ROWS)


def test_embedding_lookup_partitioned_params_v1_mod_default():
    out = tf.compat.v1.nn.embedding_lookup([P[0::3], P[1::3], P[2::3]], IDS)
    np.testing.assert_array_equal(out.numpy(), TF_ROWS)


def test_embedding_lookup_v1_div_with_max_norm():
    # TF: [[2.0, 3.0], [3.3633639812469482, 3.699700355529785]].
    out = tf.compat.v1.nn.embedding_lookup(
        [P[:4], P[4:]], [1, 5], partition_strategy="div", max_norm=5.0
    )
    np.testing.assert_allclose(out.numpy(), [[2.0, 3.0], [3.3633639812, 3.6997003555]], rtol=1e-6)


def test_embedding_lookup_partitioned_gradient_reaches_shards():
    shards = [tf.Variable(P[:4]), tf.Variable(P[4:])]
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.nn.embedding_lookup(shards, [1, 5, 5]))
    g = tape.gradient(loss, shards)
    np.testing.assert_array_equal(np.asarray(g[0]).sum(1), [0, 2, 0, 0])
    np.testing.assert_array_equal(np.asarray(g[1]).sum(1), [0, 4, 0])


def test_embedding_lookup_partition_errors():
    with pytest.raises(ValueError, match=r"3 shards of 7 rows must have \[3, 2, 2\] rows"):
        tf.nn.embedding_lookup([P[:2], P[2:5], P[5:]], [0])
    with pytest.raises(ValueError, match="partition_strategy must be 'mod' or 'div'"):
        tf.compat.v1.nn.embedding_lookup([P[:4], P[4:]], [0], partition_strategy="range")


@pytest.mark.parametrize("ignore_longer", [False, True])
def test_ctc_loss_v1_null_label_before_real_label_raises_first(ignore_longer):
    # TF 1's CTC op checks the null-label order before the length check, also with
    # ignore_longer_outputs_than_inputs=True (tork returned a loss, or 0 for a long row).
    labels = tf.sparse.SparseTensor([[0, 0], [0, 1], [0, 2]], np.array([3, 1, 3], np.int32), [1, 3])
    with pytest.raises(InvalidArgumentError, match="Saw a non-null label .* labels: 3,1,3"):
        tf.compat.v1.nn.ctc_loss(
            labels,
            np.zeros((5, 1, 4), np.float32),
            [2],
            ignore_longer_outputs_than_inputs=ignore_longer,
        )


def test_integer_inputs_get_clear_errors_not_torch_kernel_names():
    # TF refuses these dtypes too; tork raised torch's '"avg_pool2d" not implemented for
    # 'Int'' (and the like).
    ints = np.ones((1, 2, 2, 1), np.int32)
    with pytest.raises(TypeError, match="average pooling needs a floating point input, got int32"):
        tf.nn.avg_pool2d(ints, 2, 2, "SAME")
    with pytest.raises(TypeError, match="local_response_normalization expects a floating point"):
        tf.nn.local_response_normalization(ints)
    with pytest.raises(
        TypeError, match="transposed convolutions in floating point only, got uint8"
    ):
        tf.nn.conv2d_transpose(
            ints.astype(np.uint8), np.ones((2, 2, 1, 1), np.uint8), [1, 4, 4, 1], 2
        )
    # Max pooling of integers works, in TF too.
    assert tf.nn.max_pool2d(ints, 2, 2, "SAME").dtype == tf.int32


# Missing tf.nn ops added in tork/ops/_nn_more.py; TF 2.21 values quoted from the fuzzing
# session (probe in /tmp/fuzznn).
XM = np.arange(2 * 4 * 4 * 2, dtype=np.float32).reshape(2, 4, 4, 2) % 7
KM = np.array([[[0.5, 1.0], [0.0, 2.0]], [[1.5, 0.0], [0.2, 0.3]]], np.float32)


def test_collapse_repeated_and_ctc_unique_labels():
    labels = np.array([[1, 1, 2, 2, 3], [4, 4, 4, 0, 0], [5, 6, 6, 7, 7]])
    out, n = tf.nn.collapse_repeated(labels, np.array([5, 3, 3]))
    # TF: [[1, 2, 3], [4, 0, 0], [5, 6, 0]] and [3, 1, 2]
    assert out.numpy().tolist() == [[1, 2, 3], [4, 0, 0], [5, 6, 0]]
    assert n.numpy().tolist() == [3, 1, 2]
    u, i = tf.nn.ctc_unique_labels(np.array([[3, 4, 4, 3], [1, 1, 2, 0]]))
    # TF: [[3, 4, 0, 0], [1, 2, 0, 0]] and int32 [[0, 1, 1, 0], [0, 0, 1, 2]]
    assert u.numpy().tolist() == [[3, 4, 0, 0], [1, 2, 0, 0]]
    assert i.dtype == tf.int32 and i.numpy().tolist() == [[0, 1, 1, 0], [0, 0, 1, 2]]


def test_erosion2d():
    same = tf.nn.erosion2d(XM, KM, [1, 1, 1, 1], "SAME", "NHWC", [1, 1, 1, 1])
    tf_same = [-0.2, -0.0, 1.8, 2.0, -0.5, -0.0, -0.0, -1.0, 0.8, 1.0, 2.8, -1.0]
    np.testing.assert_allclose(same.numpy().ravel()[:12], tf_same, atol=1e-6)
    valid = tf.nn.erosion2d(XM, KM, [1, 2, 2, 1], "VALID", "NHWC", [1, 1, 1, 1])
    tf_valid = [-0.2, -0.0, -0.5, -0.0, 1.8, 2.0, -0.5, -1.0]
    tf_valid += [-0.5, -0.0, 0.8, 1.0, -0.5, -1.0, 2.8, -1.0]
    np.testing.assert_allclose(valid.numpy().ravel(), tf_valid, atol=1e-6)


def test_batch_norm_with_global_normalization():
    args = [np.array(v, np.float32) for v in ([1.0, 2.0], [4.0, 9.0], [0.5, -0.5], [2.0, 3.0])]
    out = tf.nn.batch_norm_with_global_normalization(XM, *args, 1e-3, True)
    tf_scaled = [-0.499875, -1.4999444, 1.499875, 0.4999444, 3.4996252, 2.4998336]
    np.testing.assert_allclose(out.numpy().ravel()[:6], tf_scaled, rtol=1e-5)
    out = tf.nn.batch_norm_with_global_normalization(XM, *args, 1e-3, False)
    tf_plain = [6.2466e-05, -0.8333148, 0.9999375, -0.1666851, 1.9998126, 0.4999444]
    np.testing.assert_allclose(out.numpy().ravel()[:6], tf_plain, rtol=1e-4, atol=1e-6)


def test_conv_transpose_dispatches_on_output_rank():
    w = np.arange(12, dtype=np.float32).reshape(3, 2, 2) / 10
    out = tf.nn.conv_transpose(XM[:, :, 0, :], w, [2, 8, 2], 2, "SAME")
    # TF: first 8 values
    np.testing.assert_allclose(
        out.numpy().ravel()[:8], [0.1, 0.3, 0.5, 0.7, 1.1, 1.9, 1.4, 2.0], rtol=1e-5
    )
    with pytest.raises(ValueError, match="output_shape must have 3, 4 or 5 values"):
        tf.nn.conv_transpose(XM, w, [2, 8], 2)
