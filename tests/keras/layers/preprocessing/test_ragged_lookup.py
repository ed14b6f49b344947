"""Keras preprocessing and Embedding layers on tf.RaggedTensor inputs.

Expected values and error texts were printed by tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) on the
same inputs.
"""

import numpy as np
import pytest
import torch

import tork as tf
from tork._backend.string_tensor import StringTensor

keras = tf.keras
VOCAB = ["a", "b", "c"]


def _strings():
    return tf.ragged.constant([["a", "b", "z"], ["c"], []])


def test_string_lookup_int_keeps_rows_ragged():
    out = keras.layers.StringLookup(vocabulary=VOCAB)(_strings())
    assert isinstance(out, tf.RaggedTensor)
    assert out.to_list() == [[1, 2, 0], [3], []]
    assert out.dtype == torch.int64
    masked = keras.layers.StringLookup(vocabulary=VOCAB, mask_token="")
    assert masked(tf.ragged.constant([["a", ""], ["c"]])).to_list() == [[2, 0], [4]]


@pytest.mark.parametrize("mode", ["multi_hot", "count"])
def test_string_lookup_bag_modes_give_dense(mode):
    out = keras.layers.StringLookup(vocabulary=VOCAB, output_mode=mode)(_strings())
    assert isinstance(out, torch.Tensor)
    np.testing.assert_array_equal(
        out.numpy(), [[1.0, 1.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0], [0.0, 0.0, 0.0, 0.0]]
    )


def test_string_lookup_tf_idf_on_ragged():
    layer = keras.layers.StringLookup(
        vocabulary=VOCAB, idf_weights=[0.5, 1.0, 2.0], output_mode="tf_idf"
    )
    np.testing.assert_allclose(
        layer(_strings()).numpy(),
        [[1.1666666, 0.5, 1.0, 0.0], [0.0, 0.0, 0.0, 2.0], [0.0, 0.0, 0.0, 0.0]],
        rtol=1e-6,
    )


def test_string_lookup_one_hot_on_ragged_raises():
    layer = keras.layers.StringLookup(vocabulary=VOCAB, output_mode="one_hot")
    with pytest.raises(
        ValueError,
        match=r"when output_mode is not 'int', the maximum supported output rank is 2\. "
        r"Received output_mode 'one_hot' and a RaggedTensor of shape \(3, None\), which would "
        r"give an output of rank 3",
    ):
        layer(_strings())


def test_string_lookup_invert_ragged_and_dense():
    inverse = keras.layers.StringLookup(vocabulary=VOCAB, invert=True)
    ids = tf.ragged.constant([[1, 2, 0], [3], []], dtype=tf.int64)
    out = inverse(ids)
    assert isinstance(out, tf.RaggedTensor)
    assert out.to_list() == [[b"a", b"b", b"[UNK]"], [b"c"], []]
    dense = inverse(tf.constant([[1, 2], [3, 0]], dtype=tf.int64))
    assert isinstance(dense, StringTensor)
    assert dense.tolist() == [[b"a", b"b"], [b"c", b"[UNK]"]]
    joined = tf.strings.reduce_join(out, axis=-1)
    assert joined.tolist() == [b"ab[UNK]", b"c", b""]


def test_integer_lookup_on_ragged():
    values = tf.ragged.constant([[10, 20, 99], [30], []], dtype=tf.int64)
    out = keras.layers.IntegerLookup(vocabulary=[10, 20, 30])(values)
    assert isinstance(out, tf.RaggedTensor) and out.to_list() == [[1, 2, 0], [3], []]
    hot = keras.layers.IntegerLookup(vocabulary=[10, 20, 30], output_mode="multi_hot")(values)
    np.testing.assert_array_equal(
        hot.numpy(), [[1.0, 1.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0], [0.0, 0.0, 0.0, 0.0]]
    )
    inverse = keras.layers.IntegerLookup(vocabulary=[10, 20, 30], invert=True)
    back = inverse(tf.ragged.constant([[1, 2], [0]], dtype=tf.int64))
    assert isinstance(back, tf.RaggedTensor) and back.to_list() == [[10, 20], [-1]]


def test_text_vectorization_ragged():
    layer = keras.layers.TextVectorization(ragged=True)
    layer.adapt(["the cat sat", "the dog", "a cat"])
    assert layer.get_vocabulary() == ["", "[UNK]", "the", "cat", "sat", "dog", "a"]
    out = layer(["the cat sat on", "dog", ""])
    assert isinstance(out, tf.RaggedTensor)
    assert out.to_list() == [[2, 3, 4, 1], [5], []]
    assert layer.get_config()["ragged"] is True


def test_text_vectorization_ragged_errors():
    with pytest.raises(
        ValueError,
        match="`output_sequence_length` must not be set if ragged is True. Received: "
        "ragged=True and output_sequence_length=2",
    ):
        keras.layers.TextVectorization(ragged=True, output_sequence_length=2)
    with pytest.raises(
        ValueError,
        match="`ragged` must not be true if `output_mode` is not 'int'. Received: "
        "ragged=True and output_mode=multi_hot",
    ):
        keras.layers.TextVectorization(ragged=True, output_mode="multi_hot")


def test_embedding_on_ragged_ids():
    layer = keras.layers.Embedding(5, 2)
    layer.build(None)
    table = np.arange(10, dtype=np.float32).reshape(5, 2)
    layer.set_weights([table])
    out = layer(tf.ragged.constant([[1, 2, 3], [4]]))
    assert isinstance(out, tf.RaggedTensor)
    assert out.shape.as_list() == [2, None, 2]
    assert out.to_list() == [
        [table[1].tolist(), table[2].tolist(), table[3].tolist()],
        [table[4].tolist()],
    ]


def test_input_ragged_feeds_lookup_layers():
    # Functional models with ragged inputs: tests/keras/models/test_functional_ragged.py.
    inputs = keras.Input(shape=(None,), ragged=True, dtype="string")
    layer = keras.layers.StringLookup(vocabulary=["a", "b"])
    ids = layer(inputs)
    assert ids.ragged and ids.shape == (None, None)
    out = keras.Model(inputs, ids)(tf.ragged.constant([["a", "b", "c"], ["b"]]))
    assert out.to_list() == [[1, 2, 0], [2]]
    # ragged=False (as in saved Keras 2 configs) is accepted.
    assert keras.Input(shape=(None,), ragged=False, dtype="int64").shape == (None, None)
