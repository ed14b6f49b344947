"""`tf.shape` of symbolic ragged/sparse tensors, checked against tf_keras 2.21.

tf_keras: `tf.shape(keras.Input(shape=(None,), ragged=True))` raises ValueError (a
DynamicRaggedShape cannot be a KerasTensor); `x.row_lengths()`, `x.nrows()` and
`x.bounding_shape()` work. `tf.shape` of `keras.Input(shape=(5,), sparse=True)` is an int32
(2,) tensor: a model returning it gives [3, 5] for a (3, 5) SparseTensor, and
`tf.shape(x)[0]` gives 3.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras

_RAGGED_HINT = "Use x.nrows() for the number of rows, x.row_lengths() for the length"


def _ragged_input():
    return keras.Input(shape=(None,), ragged=True, dtype="int32")


def test_ragged_input_shape():
    assert tuple(_ragged_input().shape) == (None, None)


@pytest.mark.parametrize("pick", [lambda s: s, lambda s: s[0]])
def test_tf_shape_of_symbolic_ragged_raises(pick):
    inp = _ragged_input()
    with pytest.raises(ValueError, match="DynamicRaggedShape") as info:
        pick(tf.shape(inp))
    assert _RAGGED_HINT in str(info.value)
    assert "tf.shape of a symbolic RaggedTensor" in str(info.value)


def test_suggested_replacements_work():
    inp = _ragged_input()
    data = tf.ragged.constant([[1, 2], [3], [4, 5, 6], [7]])
    assert keras.Model(inp, inp.row_lengths())(data).tolist() == [2, 1, 3, 1]
    assert keras.Model(inp, inp.bounding_shape())(data).tolist() == [4, 3]
    assert int(keras.Model(inp, inp.nrows())(data)) == 4


def test_tf_shape_of_ragged_is_still_eager():
    shape = tf.shape(tf.ragged.constant([[1, 2], [3]]))
    assert type(shape).__name__ == "DynamicRaggedShape"
    assert int(shape[0]) == 2


def test_tf_shape_of_sparse():
    sp = tf.sparse.SparseTensor([[0, 1], [2, 3]], [1.0, 2.0], [3, 5])
    shape = tf.shape(sp)
    assert shape.dtype == tf.int32
    assert shape.tolist() == [3, 5]
    assert tf.shape(sp, out_type=tf.int64).dtype == tf.int64
    inp = keras.Input(shape=(5,), sparse=True)
    assert np.asarray(keras.Model(inp, tf.shape(inp))(sp)).tolist() == [3, 5]
    assert int(keras.Model(inp, tf.shape(inp)[0])(sp)) == 3
