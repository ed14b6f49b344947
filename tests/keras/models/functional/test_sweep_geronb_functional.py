"""Sweep of Geron's "Hands-On ML" (2nd ed.) notebooks: functional-model differences."""

import numpy as np
import torch

import tork as tf
from tork import keras


def _dense_model(outputs_as_list: bool, inputs_as_list: bool):
    inp = keras.layers.Input(shape=[3])
    dense = keras.layers.Dense(1, kernel_initializer="ones", bias_initializer="zeros")
    out = dense(inp)
    return keras.models.Model(
        inputs=[inp] if inputs_as_list else inp, outputs=[out] if outputs_as_list else out
    )


def test_one_item_output_list_is_unwrapped_as_keras2():
    # tf_keras 2.21: Model(inputs=[i], outputs=[o]) returns a tensor from call and an
    # array from predict; model.outputs stays a list and model.output is the tensor.
    model = _dense_model(outputs_as_list=True, inputs_as_list=True)
    x = np.arange(6, dtype="float32").reshape(2, 3)
    y = model(x)
    assert isinstance(y, torch.Tensor)
    np.testing.assert_allclose(y.detach().numpy(), [[3.0], [12.0]])
    pred = model.predict(x, verbose=0)
    assert isinstance(pred, np.ndarray) and pred.shape == (2, 1)
    assert isinstance(model.outputs, list) and len(model.outputs) == 1
    assert not isinstance(model.output, (list, tuple))
    assert not isinstance(model.input, (list, tuple))
    assert model.output_shape == (None, 1)
    model.compile(loss="mse", optimizer="sgd")
    assert isinstance(model.predict_on_batch(x), np.ndarray)
    # A list input still works.
    np.testing.assert_allclose(model([x]).detach().numpy(), [[3.0], [12.0]])


def test_one_item_tuple_output_is_kept():
    # tf_keras keeps a tuple of one output as a tuple.
    inp = keras.layers.Input(shape=[3])
    out = keras.layers.Dense(1)(inp)
    model = keras.models.Model(inputs=inp, outputs=(out,))
    y = model(np.ones((2, 3), "float32"))
    assert isinstance(y, tuple) and len(y) == 1


def test_lambda_table_lookup_on_string_input():
    # Geron ch. 13: a StaticVocabularyTable lookup in a Lambda on a string Input used to
    # fail on fake tensors (torch.nonzero has a data-dependent size).
    vocab = ["<1H OCEAN", "INLAND", "NEAR OCEAN", "NEAR BAY", "ISLAND"]
    init = tf.lookup.KeyValueTensorInitializer(vocab, tf.range(len(vocab), dtype=tf.int64))
    table = tf.lookup.StaticVocabularyTable(init, 2)
    regular_inputs = keras.layers.Input(shape=[8])
    categories = keras.layers.Input(shape=[], dtype=tf.string)
    cat_indices = keras.layers.Lambda(lambda cats: table.lookup(cats))(categories)
    assert tuple(cat_indices.shape) == (None,)
    cat_embed = keras.layers.Embedding(input_dim=7, output_dim=2)(cat_indices)
    encoded = keras.layers.concatenate([regular_inputs, cat_embed])
    outputs = keras.layers.Dense(1)(encoded)
    model = keras.models.Model(inputs=[regular_inputs, categories], outputs=[outputs])
    assert tuple(encoded.shape) == (None, 10)
    indices = keras.models.Model(categories, cat_indices)
    got = indices.predict(np.array(["NEAR BAY", "DESERT", "INLAND"]), verbose=0)
    # vocabulary ids 3 and 1; the OOV id is 5 + hash bucket (TF gives 5 for "DESERT").
    np.testing.assert_array_equal(got, [3, 5, 1])
    model.compile(loss="mse", optimizer="sgd")
    xr = np.ones((4, 8), "float32")
    xc = np.array(["INLAND", "NEAR BAY", "ISLAND", "CITY"])
    model.fit([xr, xc], np.ones((4, 1)), epochs=1, verbose=0)
    assert model.predict([xr, xc], verbose=0).shape == (4, 1)


class _PositionalEncoding(keras.layers.Layer):
    # Geron ch. 16: a fixed table of `max_steps` rows sliced to the input's length.
    def __init__(self, max_steps, max_dims, dtype=tf.float32, **kwargs):
        super().__init__(dtype=dtype, **kwargs)
        p, i = np.meshgrid(np.arange(max_steps), np.arange(max_dims // 2))
        pos_emb = np.empty((1, max_steps, max_dims))
        pos_emb[0, :, ::2] = np.sin(p / 10000 ** (2 * i / max_dims)).T
        pos_emb[0, :, 1::2] = np.cos(p / 10000 ** (2 * i / max_dims)).T
        self.positional_embedding = tf.constant(pos_emb.astype(self.dtype))

    def call(self, inputs):
        shape = tf.shape(inputs)
        return inputs + self.positional_embedding[:, : shape[-2], : shape[-1]]


def test_short_table_sliced_to_unknown_length():
    # The unknown length's stand-ins (61, 331...) were longer than the 50-row table, so
    # building the model failed; tf_keras builds it with output shape (None, None, 8).
    inputs = keras.layers.Input(shape=[None], dtype=np.int32)
    emb = keras.layers.Embedding(100, 8)(inputs)
    out = _PositionalEncoding(50, 8)(emb)
    assert tuple(out.shape) == (None, None, 8)
    model = keras.models.Model(inputs=[inputs], outputs=[out])
    x = np.array([[1, 2, 3], [4, 5, 6]])
    table = model.layers[1].get_weights()[0]
    pe = np.empty((3, 8))
    pos, dim = np.meshgrid(np.arange(3), np.arange(4))
    pe[:, ::2] = np.sin(pos / 10000 ** (2 * dim / 8)).T
    pe[:, 1::2] = np.cos(pos / 10000 ** (2 * dim / 8)).T
    np.testing.assert_allclose(model.predict(x, verbose=0), table[x] + pe, rtol=1e-5, atol=1e-6)
