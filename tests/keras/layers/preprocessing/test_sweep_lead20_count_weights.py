"""CategoryEncoding refuses count_weights outside output_mode='count' (dense and sparse ids)."""

import numpy as np
import pytest

import tork as tf

keras = tf.keras


@pytest.mark.parametrize("sparse", [False, True], ids=["dense", "sparse"])
def test_count_weights_need_count_mode(sparse):
    layer = keras.layers.CategoryEncoding(num_tokens=4, output_mode="multi_hot")
    ids = np.array([[0, 1], [2, 3]], "int64")
    weights = np.ones((2, 2), "float32")
    if sparse:
        ids = tf.sparse.from_dense(tf.constant(ids + 1))  # no stored zeros: ids 1..4 -> 0..3
        ids = tf.SparseTensor(ids.indices, ids.values - 1, ids.dense_shape)
    with pytest.raises(
        ValueError, match="`count_weights` is not used when `output_mode` is not 'count'"
    ):
        layer(ids, count_weights=weights)
