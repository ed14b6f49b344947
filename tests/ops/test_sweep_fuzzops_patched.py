"""Regression tests for /work/notes/fuzzops_array.patch and fuzzops_math.patch (fuzzops).

Move to tests/ops/test_sweep_fuzzops_patched.py once both patches are applied.
Expected numbers come from TensorFlow 2.21 (CPU, /tmp/tfenv) running the same calls
(/tmp/fuzzops/probe_bc.py and the fuzz cases named in each test).
"""

import numpy as np

import tork as tf


def test_bincount_maxlength_sizes_from_all_values():
    # Silent wrong shape before: tork sized the output after dropping values >= maxlength.
    x = tf.constant([0, 1, 1, 4, 2], tf.int32)
    assert tf.math.bincount(x, maxlength=3).tolist() == [1, 2, 1]
    assert tf.math.bincount(x, maxlength=2, minlength=1).tolist() == [1, 2]
    assert tf.math.bincount(tf.constant([0, 1], tf.int32), maxlength=4).tolist() == [1, 1]
    rows = tf.constant([[0, 1], [4, 4]], tf.int32)
    assert tf.math.bincount(rows, maxlength=3, axis=-1).tolist() == [[1, 1, 0], [0, 0, 0]]
    two = tf.constant([0, 5], tf.int32)
    assert tf.math.bincount(two, maxlength=3, binary_output=True).tolist() == [1, 0, 0]


def test_confusion_matrix_casts_weights_to_dtype_first():
    # TF casts each weight to int32 before summing: 0.6 + 0.5 on one cell counts 0.
    labels, preds = [1, 1, 0], [2, 2, 0]
    out = tf.math.confusion_matrix(labels, preds, weights=np.array([0.6, 0.5, 2.7]))
    assert out.dtype == tf.int32
    assert out.tolist() == [[2, 0, 0], [0, 0, 0], [0, 0, 0]]
    out = tf.math.confusion_matrix(labels, preds, weights=[0.6, 0.5, 2.0], dtype=tf.float32)
    np.testing.assert_allclose(out.numpy(), [[2.0, 0, 0], [0, 0, 1.1], [0, 0, 0]], rtol=1e-6)


def test_gather_negative_batch_dims_defaults_axis_from_the_end():
    # Silent wrong result before: TF's axis defaults to batch_dims as given (-1 -> last).
    params = tf.reshape(tf.range(24), [2, 3, 4])
    out = tf.gather(params, [[0, 2], [1, 2]], batch_dims=-1)
    assert out.tolist() == [[[0, 2], [4, 6], [8, 10]], [[13, 14], [17, 18], [21, 22]]]
    assert tf.gather(params, [[0, 2], [1, 2]], batch_dims=1).shape == (2, 2, 4)


def test_concat_of_a_single_tensor_is_that_tensor():
    # TF: tf.concat(x, axis) wraps x in a list -> identity (tork joined its rows before).
    x = tf.reshape(tf.range(6.0), [2, 3])
    assert tf.concat(x, 0).tolist() == x.tolist()
    assert tf.concat(tf.ones([2, 3, 4]), -1).shape == (2, 3, 4)


def test_unique_of_strings():
    # TF 2.21: y=[b'b', b'a'], idx=[0, 1, 0], count=[2, 1].
    y, idx = tf.unique(tf.constant(["b", "a", "b"]))
    assert y.numpy().tolist() == [b"b", b"a"]
    assert idx.dtype == tf.int32 and idx.tolist() == [0, 1, 0]
    out = tf.unique_with_counts(tf.constant(["b", "a", "b"]), out_idx=tf.int64)
    assert out.idx.dtype == tf.int64 and out.count.tolist() == [2, 1]


def test_count_nonzero_of_strings_counts_non_empty():
    # TF 2.21: count_nonzero(['a', '', 'b']) = 2; [['a', ''], ['', '']] axis=1 -> [1, 0].
    assert tf.math.count_nonzero(tf.constant(["a", "", "b"])).item() == 2
    grid = tf.constant([["a", ""], ["", ""]])
    assert tf.math.count_nonzero(grid, axis=1).tolist() == [1, 0]
    assert tf.math.count_nonzero(grid, axis=0, keepdims=True).tolist() == [[1, 0]]


def test_clip_by_global_norm_infinite_norm_gives_nan_everywhere():
    # TF 2.21: clip_by_global_norm([[inf, 1.]], 1.) -> [[nan, nan]] (tork gave [nan, 0.]).
    (clipped,), norm = tf.clip_by_global_norm([tf.constant([np.inf, 1.0])], 1.0)
    assert np.isinf(norm.item())
    assert np.isnan(clipped.numpy()).all()
    (clipped,), _ = tf.clip_by_global_norm([tf.constant([3.0, 4.0])], 1.0)
    np.testing.assert_allclose(clipped.numpy(), [0.6, 0.8], rtol=1e-6)


def test_boolean_mask_with_a_zero_sized_trailing_dim():
    # Crashed with torch's "cannot reshape tensor of 0 elements into shape [-1, 0]".
    # TF 2.21 shapes: (0, 0), (1, 0), (6, 0), (2, 0).
    assert tf.boolean_mask(tf.zeros([2, 0]), tf.zeros([2], tf.bool)).shape == (0, 0)
    assert tf.boolean_mask(tf.zeros([2, 0]), tf.constant([True, False])).shape == (1, 0)
    assert tf.boolean_mask(tf.zeros([2, 3, 0]), tf.ones([2, 3], tf.bool)).shape == (6, 0)
    assert tf.boolean_mask(tf.zeros([2, 3, 0]), tf.ones([3, 0], tf.bool), axis=1).shape == (2, 0)
