"""Functional models with ragged and sparse inputs: `keras.Input(ragged=True / sparse=True)`.

Expected values come from tf_keras 2.21 (TF 2.21) running the same models with the same
weights (set from the NumPy arrays below), or from NumPy formulas.
"""

import numpy as np
import pytest

import tork as tf
from tork import keras

EMB = (np.arange(15, dtype=np.float32).reshape(5, 3) - 7) / 10
KERNEL = (np.arange(24, dtype=np.float32).reshape(3, 8) % 5 - 2) / 10
RECURRENT = (np.arange(16, dtype=np.float32).reshape(2, 8) % 3 - 1) / 10
BIAS = np.linspace(-0.2, 0.3, 8).astype(np.float32)


def _ids():
    return tf.ragged.constant([[1, 2, 3], [4], [0, 2]], dtype=tf.int64)


def _lstm_pool_model():
    inp = keras.Input(shape=(None,), dtype="int64", ragged=True)
    emb = keras.layers.Embedding(5, 3)
    x = emb(inp)
    lstm = keras.layers.LSTM(2)
    pooled = keras.layers.GlobalAveragePooling1D()(x)
    dense = keras.layers.Dense(1)
    out = dense(keras.layers.Concatenate()([lstm(x), pooled]))
    model = keras.Model(inp, out)
    emb.set_weights([EMB])
    lstm.set_weights([KERNEL, RECURRENT, BIAS])
    dense.set_weights(
        [np.array([[0.5], [-0.4], [0.3], [0.2], [-0.1]], np.float32), np.array([0.05], np.float32)]
    )
    return model


@pytest.mark.parametrize(
    "shape, spec",
    [
        ((None,), "RaggedTensorSpec(TensorShape([None, None]), tf.float32, 1, tf.int64)"),
        ((None, 3), "RaggedTensorSpec(TensorShape([None, None, 3]), tf.float32, 1, tf.int64)"),
        (
            (None, None),
            "RaggedTensorSpec(TensorShape([None, None, None]), tf.float32, 2, tf.int64)",
        ),
        ((3, None), "RaggedTensorSpec(TensorShape([None, 3, None]), tf.float32, 2, tf.int64)"),
    ],
)
def test_input_ragged_type_spec_as_tf_keras(shape, spec):
    inp = keras.Input(shape=shape, ragged=True)
    assert repr(inp.type_spec) == spec
    assert inp.shape == (None, *shape)
    assert inp.ragged and not inp.sparse
    # tf_keras 2.21: `<KerasTensor: type_spec=... (created by layer 'input_1')>`.
    assert repr(inp) == f"<KerasTensor: type_spec={spec} (created by layer '{inp.name}')>"


def test_input_ragged_without_unknown_axis_is_dense():
    # tf_keras: ragged_rank 0, i.e. an ordinary dense (None, 4) tensor.
    inp = keras.Input(shape=(4,), ragged=True)
    assert inp.shape == (None, 4) and not inp.ragged
    assert inp.type_spec.shape.as_list() == [None, 4]


def test_input_sparse_type_spec():
    inp = keras.Input(shape=(5,), sparse=True)
    assert repr(inp.type_spec) == "SparseTensorSpec(TensorShape([None, 5]), tf.float32)"
    assert inp.sparse and not inp.ragged


def test_input_ragged_and_sparse_together_is_an_error():
    with pytest.raises(ValueError, match="`sparse` and `ragged` cannot both be True"):
        keras.Input(shape=(None,), ragged=True, sparse=True)


def test_layer_outputs_on_ragged_inputs_are_typed_as_tf_keras():
    inp = keras.Input(shape=(None,), dtype="int64", ragged=True)
    x = keras.layers.Embedding(10, 4)(inp)
    assert repr(x.type_spec) == (
        "RaggedTensorSpec(TensorShape([None, None, 4]), tf.float32, 1, tf.int64)"
    )
    assert keras.layers.LSTM(3)(x).shape == (None, 3)
    assert not keras.layers.LSTM(3)(x).ragged
    assert keras.layers.GlobalAveragePooling1D()(x).shape == (None, 4)
    seq = keras.layers.LSTM(2, return_sequences=True)(x)
    assert seq.ragged and seq.shape == (None, None, 2)
    bidi = keras.layers.Bidirectional(keras.layers.LSTM(4, return_sequences=True))(x)
    assert bidi.ragged and bidi.shape == (None, None, 8)


def test_ragged_model_matches_tf_keras():
    model = _lstm_pool_model()
    expected = np.array([[-0.008424], [0.250407], [-0.1347327]], np.float32)
    np.testing.assert_allclose(np.asarray(model(_ids())), expected, atol=1e-6)
    np.testing.assert_allclose(model.predict(_ids(), verbose=0), expected, atol=1e-6)


def test_ragged_pooling_matches_numpy():
    inp = keras.Input(shape=(None,), dtype="int64", ragged=True)
    emb = keras.layers.Embedding(5, 3)
    model = keras.Model(inp, keras.layers.GlobalAveragePooling1D()(emb(inp)))
    emb.set_weights([EMB])
    rows = [[1, 2, 3], [4], [0, 2]]
    expected = np.stack([EMB[r].mean(axis=0) for r in rows])
    np.testing.assert_allclose(np.asarray(model(_ids())), expected, rtol=1e-6)


def test_ragged_sequence_output_matches_tf_keras():
    inp = keras.Input(shape=(None,), dtype="int64", ragged=True)
    emb, lstm = keras.layers.Embedding(5, 3), keras.layers.LSTM(2, return_sequences=True)
    model = keras.Model(inp, lstm(emb(inp)))
    emb.set_weights([EMB])
    lstm.set_weights([KERNEL, RECURRENT, BIAS])
    out = model(_ids())
    assert isinstance(out, tf.RaggedTensor)
    assert out.shape.as_list() == [3, None, 2]
    expected = [
        [[0.011787, 0.060178], [0.015938, 0.074742], [0.017309, 0.067696]],
        [[0.011095, 0.012852]],
        [[0.012001, 0.074893], [0.015769, 0.081543]],
    ]
    for row, want in zip(out.to_list(), expected):
        np.testing.assert_allclose(np.array(row), np.array(want), atol=2e-6)


def test_ragged_fit_evaluate_predict_and_datasets():
    model = _lstm_pool_model()
    model.compile("adam", "mse")
    y = np.array([[1.0], [0.0], [1.0]], np.float32)
    history = model.fit(_ids(), y, epochs=3, batch_size=2, verbose=0)
    assert len(history.history["loss"]) == 3
    assert model.evaluate(_ids(), y, verbose=0) > 0
    ds = tf.data.Dataset.from_tensor_slices((_ids(), y)).batch(2)
    assert list(model.fit(ds, epochs=1, verbose=0).history) == ["loss"]
    batches = tf.data.Dataset.from_tensor_slices(_ids()).batch(2)
    assert model.predict(batches, verbose=0).shape == (3, 1)


def test_ragged_sequential_from_tf_ragged_guide():
    model = keras.Sequential(
        [
            keras.layers.Input(shape=[None], dtype=tf.int64, ragged=True),
            keras.layers.Embedding(100, 16),
            keras.layers.LSTM(8, use_bias=False),
            keras.layers.Dense(1),
        ]
    )
    model.compile(loss="binary_crossentropy", optimizer="rmsprop")
    ids = tf.ragged.constant([[1, 2, 3, 4], [5], [6, 7, 8, 9, 10]], dtype=tf.int64)
    model.fit(ids, tf.constant([True, False, True]), epochs=2, verbose=0)
    assert model.predict(ids, verbose=0).shape == (3, 1)
    assert model.count_params() == 100 * 16 + 16 * 32 + 8 * 32 + 9


def test_ragged_summary_shapes_as_tf_keras(capsys):
    _lstm_pool_model().summary()
    text = capsys.readouterr().out
    assert "[(None, None)]" in text  # the input layer
    assert "(None, None, 3)" in text  # the ragged embeddings
    assert "(None, 2)" in text and "(None, 5)" in text


def test_ragged_model_save_load_config_and_clone(tmp_path):
    model = _lstm_pool_model()
    expected = np.asarray(model(_ids()))
    path = str(tmp_path / "ragged.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    assert loaded.inputs[0].ragged
    np.testing.assert_allclose(np.asarray(loaded(_ids())), expected, atol=1e-6)
    config = loaded.layers[0].get_config()
    assert config["ragged"] is True and config["sparse"] is False
    rebuilt = keras.Model.from_config(model.get_config())
    rebuilt.set_weights(model.get_weights())
    np.testing.assert_allclose(np.asarray(rebuilt(_ids())), expected, atol=1e-6)
    clone = keras.models.clone_model(model)
    assert clone.inputs[0].ragged


def test_ops_and_methods_on_symbolic_ragged_tensors():
    inp = keras.Input(shape=(None,), ragged=True, dtype="int32")
    rt = tf.ragged.constant([[1, 2, 3], [4]], dtype=tf.int32)
    plus = inp + 1
    assert plus.ragged and plus.dtype == tf.int32
    assert keras.Model(inp, plus)(rt).to_list() == [[2, 3, 4], [5]]
    assert keras.Model(inp, inp * 2)(rt).to_list() == [[2, 4, 6], [8]]
    lengths = inp.row_lengths()
    assert not lengths.ragged and lengths.shape == (None,)
    assert keras.Model(inp, lengths)(rt).tolist() == [3, 1]
    dense = inp.to_tensor()
    assert dense.shape == (None, None)
    assert keras.Model(inp, dense)(rt).tolist() == [[1, 2, 3], [4, 0, 0]]
    assert keras.Model(inp, inp.flat_values)(rt).tolist() == [1, 2, 3, 4]


def test_sparse_input_dense_matches_tf_keras():
    inp = keras.Input(shape=(4,), sparse=True)
    dense = keras.layers.Dense(2, activation="relu")
    out = dense(inp)
    assert out.shape == (None, 2) and not out.sparse
    model = keras.Model(inp, out)
    kernel = np.arange(8, dtype=np.float32).reshape(4, 2) / 10 - 0.3
    dense.set_weights([kernel, np.array([0.1, -0.1], np.float32)])
    st = tf.sparse.SparseTensor([[0, 1], [1, 0], [1, 3]], [2.0, -1.0, 3.0], [2, 4])
    np.testing.assert_allclose(np.asarray(model(st)), [[0.0, 0.0], [1.3, 1.3]], atol=1e-6)
    # The same as the dense product (NumPy).
    x = np.array([[0, 2, 0, 0], [-1, 0, 0, 3]], np.float32)
    np.testing.assert_allclose(
        np.asarray(model(st)), np.maximum(x @ kernel + [0.1, -0.1], 0), atol=1e-6
    )
    model.compile("sgd", "mse")
    model.fit(st, np.zeros((2, 2), np.float32), verbose=0)
    assert model.predict(st, verbose=0).shape == (2, 2)
    assert model.layers[0].get_config()["sparse"] is True
    assert keras.models.clone_model(model).inputs[0].sparse


def test_text_vectorization_ragged_inside_functional_model():
    tv = keras.layers.TextVectorization(ragged=True, vocabulary=["a", "b", "c"])
    inp = keras.Input(shape=(1,), dtype="string")
    ids = tv(inp)
    assert repr(ids.type_spec) == (
        "RaggedTensorSpec(TensorShape([None, None]), tf.int64, 1, tf.int64)"
    )
    x = keras.layers.Embedding(5, 3)(ids)
    model = keras.Model(inp, keras.layers.Dense(1)(keras.layers.GlobalAveragePooling1D()(x)))
    data = np.array([["a b c"], ["b"], ["c a"]])
    assert model.predict(data, verbose=0).shape == (3, 1)
    model.compile("adam", "mse")
    assert len(model.fit(data, np.zeros((3, 1)), epochs=2, verbose=0).history["loss"]) == 2
    assert keras.Model(inp, ids)(tf.constant(data)).to_list() == [[2, 3, 4], [3], [4, 2]]
    scalar_inp = keras.Input(shape=(), dtype="string")
    out = keras.Model(scalar_inp, tv(scalar_inp))(tf.constant(["a b", "c"]))
    assert out.to_list() == [[2, 3], [4]]


def test_symbolic_ragged_tensor_pickles_with_the_model():
    import copy

    model = _lstm_pool_model()
    twin = copy.deepcopy(model)
    assert twin.inputs[0].ragged
    np.testing.assert_allclose(np.asarray(twin(_ids())), np.asarray(model(_ids())), atol=1e-6)


def test_dense_on_ragged_values_as_tf_keras():
    rt = tf.ragged.constant([[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0]]], ragged_rank=1)
    dense = keras.layers.Dense(3)
    out = dense(rt)
    assert isinstance(out, tf.RaggedTensor) and out.shape.as_list() == [2, None, 3]
    kernel, bias = (np.asarray(w) for w in dense.get_weights())
    flat = np.array([[1, 2], [3, 4], [5, 6]], np.float32)
    np.testing.assert_allclose(np.asarray(out.flat_values), flat @ kernel + bias, rtol=1e-6)
    inp = keras.Input(shape=(None, 2), ragged=True)
    sym = keras.layers.Dense(3)(inp)
    assert repr(sym.type_spec) == (
        "RaggedTensorSpec(TensorShape([None, None, 3]), tf.float32, 1, tf.int64)"
    )


def test_dense_rejects_other_inputs_with_a_message():
    dense = keras.layers.Dense(2)
    dense.build((None, 1))
    with pytest.raises(ValueError, match="last dimension of a RaggedTensor input to be uniform"):
        dense.call(tf.ragged.constant([[1.0, 2.0], [3.0]]))
    with pytest.raises(TypeError, match="takes a tensor, a tf.SparseTensor or a tf.RaggedTensor"):
        dense.call("text")


def test_sparse_input_batches_match_tf_keras():
    inp = keras.Input(shape=(6,), sparse=True)
    dense = keras.layers.Dense(1)
    model = keras.Model(inp, dense(inp))
    dense.set_weights([np.arange(6, dtype=np.float32).reshape(6, 1) / 10, np.zeros(1, np.float32)])
    indices = [[0, 1], [1, 2], [2, 3], [3, 4], [4, 0], [4, 5]]
    st = tf.sparse.SparseTensor(indices, [1.0, 2, 3, 4, 6, 5], [5, 6])
    out = model.predict(st, batch_size=2, verbose=0)
    np.testing.assert_allclose(out.ravel(), [0.1, 0.4, 0.9, 1.6, 2.5], rtol=1e-6)
    model.compile("sgd", "mse")
    ds = tf.data.Dataset.from_tensor_slices((st, np.zeros((5, 1), np.float32))).batch(2)
    assert len(model.fit(ds, epochs=2, verbose=0).history["loss"]) == 2


def test_text_vectorization_ragged_model_saves(tmp_path):
    tv = keras.layers.TextVectorization(ragged=True, vocabulary=["a", "b", "c"])
    inp = keras.Input(shape=(1,), dtype="string")
    x = keras.layers.Embedding(5, 3)(tv(inp))
    model = keras.Model(inp, keras.layers.GlobalAveragePooling1D()(x))
    data = np.array([["a b c"], ["b"], ["c a"]])
    path = str(tmp_path / "tv.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(
        loaded.predict(data, verbose=0), model.predict(data, verbose=0), rtol=1e-6
    )


def test_symbolic_ragged_tensor_has_no_values():
    inp = keras.Input(shape=(None,), ragged=True)
    with pytest.raises(TypeError, match="A symbolic KerasTensor has no value"):
        inp.to_list()
