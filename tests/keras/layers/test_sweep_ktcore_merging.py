"""Merging layers against Keras 2's own merging tests (tf_keras/layers/merging/merging_test.py).

Expected values come from tf_keras 2.x (TF_USE_LEGACY_KERAS=1) run on the same inputs, or are
hand-computed where noted.
"""

import numpy as np
import pytest

import tork as tf
from tork import keras

L = keras.layers


def test_merge_compute_mask_ands_float_masks_as_booleans():
    # tf_keras: Add().compute_mask([a, b], [float 0/1 masks]) -> boolean AND of the masks.
    m1 = np.array([[1.0, 0.0, 1.0], [1.0, 1.0, 0.0]], "float32")
    m2 = np.array([[1.0, 1.0, 0.0], [1.0, 1.0, 1.0]], "float32")
    x = tf.ones((2, 3, 4))
    out = L.Add().compute_mask([x, x], [tf.constant(m1), tf.constant(m2)])
    assert out.dtype == tf.bool
    np.testing.assert_array_equal(out.numpy(), [[True, False, False], [True, True, False]])
    assert L.Add().compute_mask([x, x], [None, None]) is None
    assert L.Add().compute_mask([x, x], None) is None


@pytest.mark.parametrize("layer", [L.Add, L.Multiply, L.Concatenate])
def test_merge_compute_mask_checks_its_arguments(layer):
    x = L.Input(shape=(4, 5))
    with pytest.raises(ValueError, match="`mask` should be a list"):
        layer().compute_mask([x, x], np.ones((2, 4)))
    with pytest.raises(ValueError, match="`inputs` should be a list"):
        layer().compute_mask(x, [None, None])
    with pytest.raises(ValueError, match="should have the same length, got 3 inputs and 2"):
        layer().compute_mask([x, x, x], [None, None])


def test_merge_compute_output_shape_needs_a_list_of_shapes():
    with pytest.raises(ValueError, match="expects a list of input shapes"):
        L.Dot(1).compute_output_shape(1)
    assert tuple(L.Dot(axes=-1).compute_output_shape([(4, 5), (4, 5)])) == (4, 1)


@pytest.mark.parametrize(
    "layer, expected",
    [
        # tf_keras on rows [[1, 2, 3], [4, 5]] merged with themselves.
        (L.Add, [[2.0, 4.0, 6.0], [8.0, 10.0]]),
        (L.Subtract, [[0.0, 0.0, 0.0], [0.0, 0.0]]),
        (L.Multiply, [[1.0, 4.0, 9.0], [16.0, 25.0]]),
        (L.Minimum, [[1.0, 2.0, 3.0], [4.0, 5.0]]),
        (L.Maximum, [[1.0, 2.0, 3.0], [4.0, 5.0]]),
        (L.Average, [[1.0, 2.0, 3.0], [4.0, 5.0]]),
    ],
)
def test_elementwise_merge_of_ragged_inputs(layer, expected):
    i1 = L.Input(shape=(None,), ragged=True)
    i2 = L.Input(shape=(None,), ragged=True)
    model = keras.Model([i1, i2], layer()([i1, i2]))
    r = tf.ragged.constant([[1.0, 2.0, 3.0], [4.0, 5.0]], ragged_rank=1)
    assert model.predict([r, r], steps=1, verbose=0).to_list() == expected
    # Eager too.
    assert layer()([r, r]).to_list() == expected


def test_elementwise_merge_of_ragged_inputs_with_other_rows_is_refused():
    a = tf.ragged.constant([[1.0, 2.0], [3.0]])
    b = tf.ragged.constant([[1.0], [2.0, 3.0]])
    with pytest.raises(ValueError, match="Add layer .*rows differ in length"):
        L.Add()([a, b])
    with pytest.raises(ValueError, match="mix of ragged, sparse and dense"):
        L.Add()([a, tf.ones((2, 2))])


def test_concatenate_ragged_inputs():
    # tf_keras's test_concatenate_with_ragged_input.
    r1 = tf.ragged.constant([[1.0, 1.0], [1.0], [1.0, 1.0, 1.0]], ragged_rank=1)
    r2 = tf.ragged.constant([[2.0, 2.0, 2.0], [2.0], [2.0, 2.0]], ragged_rank=1)
    i1 = L.Input(shape=(None,), ragged=True)
    i2 = L.Input(shape=(None,), ragged=True)
    model = keras.Model([i1, i2], L.Concatenate(axis=1)([i1, i2]))
    out = model.predict([r1, r2], steps=1, verbose=0)
    assert out.to_list() == [[1.0, 1.0, 2.0, 2.0, 2.0], [1.0, 2.0], [1.0, 1.0, 1.0, 2.0, 2.0]]


def test_concatenate_sparse_inputs():
    # tf_keras: shapes (2, 3) and (None, 3) for sparse Inputs of 1 and 2 columns.
    i1 = L.Input(shape=(1,), batch_size=2, sparse=True)
    i2 = L.Input(shape=(2,), batch_size=2, sparse=True)
    assert tuple(L.Concatenate(axis=1)([i1, i2]).shape) == (2, 3)
    j1 = L.Input(shape=(1,), sparse=True)
    j2 = L.Input(shape=(2,), sparse=True)
    assert tuple(L.Concatenate(axis=1)([j1, j2]).shape) == (None, 3)
    a = tf.SparseTensor(indices=[[0, 0]], values=[1.0], dense_shape=[2, 1])
    b = tf.SparseTensor(indices=[[1, 1]], values=[2.0], dense_shape=[2, 2])
    out = L.Concatenate(axis=1)([a, b])
    assert isinstance(out, tf.SparseTensor)
    np.testing.assert_array_equal(
        tf.sparse.to_dense(out).numpy(), [[1.0, 0.0, 0.0], [0.0, 0.0, 2.0]]
    )
    # A sparse and a dense input: densified, as tf.keras's backend.concatenate.
    mixed = L.Concatenate(axis=1)([a, tf.ones((2, 1))])
    np.testing.assert_array_equal(mixed.numpy(), [[1.0, 1.0], [0.0, 1.0]])


def test_add_of_unknown_and_known_size():
    # tf_keras: Add of Input(batch_shape=(4, None)) and Input(batch_shape=(4, 5)) -> (4, 5).
    i1 = keras.Input(batch_shape=(4, None))
    i2 = keras.Input(batch_shape=(4, 5))
    out = L.Add()([i1, i2])
    assert tuple(out.shape) == (4, 5)
    model = keras.Model([i1, i2], out)
    np.testing.assert_allclose(model([np.ones((4, 5)), np.ones((4, 5))]).numpy(), 2.0)


def test_concatenate_with_partial_shapes():
    # tf_keras's test_concatenate_with_partial_shape: result shapes and refusals.
    i1 = L.Input(shape=(5,), batch_size=32)
    i2 = L.Input(shape=(5,))
    i3 = L.Input(shape=(4, 5), batch_size=32)
    i4 = L.Input(shape=(None,), batch_size=64)
    i5 = L.Input(shape=(7,))
    assert tuple(L.concatenate([i1, i2], axis=-1).shape) == (32, 10)
    assert tuple(L.concatenate([i1, i4], axis=0).shape) == (96, 5)
    assert tuple(L.concatenate([i2, i4], axis=0).shape) == (None, 5)
    assert tuple(L.concatenate([i2, i4], axis=1).shape) == (64, None)
    assert tuple(L.concatenate([i1, i2, i4], axis=0).shape) == (None, 5)
    assert tuple(L.concatenate([i1, i5], axis=1).shape) == (32, 12)
    with pytest.raises(ValueError, match="ranks differ"):
        L.concatenate([i1, i3], axis=-1)
    with pytest.raises(ValueError, match="axis 0 differs \\(32 vs 64\\)"):
        L.concatenate([i1, i4], axis=-1)
    with pytest.raises(ValueError, match="axis 0 differs \\(32 vs 64\\)"):
        L.concatenate([i1, i2, i4], axis=-1)


def test_merges_refuse_different_batch_sizes():
    # tf_keras: "Cannot merge tensors with different batch sizes", also in eager calls.
    with pytest.raises(ValueError, match="Add layer .*different batch sizes"):
        L.Add()([np.ones((2, 3)), np.ones((1, 3))])
    with pytest.raises(ValueError, match="Multiply layer .*different batch sizes"):
        L.Multiply()([L.Input((3,), batch_size=2), L.Input((3,), batch_size=1)])
    with pytest.raises(ValueError, match="Dot layer .*different batch sizes"):
        L.Dot(1)([np.ones((2, 3)), np.ones((1, 3))])


def test_dot_of_an_empty_batch():
    # tf_keras: Dot(axes=-1) of two (0, 5, 3) inputs -> shape (0, 5, 5).
    z = np.zeros((0, 5, 3), "float32")
    assert tuple(L.Dot(axes=-1)([z, z]).shape) == (0, 5, 5)
