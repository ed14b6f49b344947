"""Keras 2 backend patterns from philipperemy's libraries (keract, keras-mode-normalization).

keract evaluates intermediate layer outputs with
`K.function(model._feed_inputs, OrderedDict(...).values())(x)`, where a layer with
several outputs (an LSTM with return_state) is one nested list entry. Mode
normalization reads the batch variance of `K.normalize_batch_in_training` for its
moving variance; Keras 2 takes TF's fused kernel for 4-D NHWC statistics, whose
variance is Bessel-corrected.
"""

from collections import OrderedDict

import numpy as np

from tork import keras
from tork.keras import backend as K


def _two_dense():
    inp = keras.Input((3,), name="a")
    h = keras.layers.Dense(2, name="d")(inp)
    out = keras.layers.Dense(1, name="e")(h)
    model = keras.Model(inp, out)
    model.get_layer("d").set_weights([np.arange(6, dtype="float32").reshape(3, 2) / 10, np.ones(2)])
    model.get_layer("e").set_weights([np.array([[1.0], [-1.0]], "float32"), np.zeros(1)])
    return model, inp, h, out


def test_function_takes_dict_values_as_a_list_of_outputs():
    model, inp, h, out = _two_dense()
    nodes = OrderedDict([("d", h), ("e", out)])
    x = np.ones((1, 3), "float32")
    # Numbers by hand: h = [0+0.2+0.4, 0.1+0.3+0.5] + 1 = [1.6, 1.9]; e = 1.6 - 1.9.
    result = K.function(model._feed_inputs, nodes.values())(x)
    assert isinstance(result, list) and len(result) == 2
    np.testing.assert_allclose(result[0], [[1.6, 1.9]], rtol=1e-6)
    np.testing.assert_allclose(result[1], [[-0.3]], rtol=1e-5)
    # One entry: still a list of one array (keract zips it with its keys).
    (only,) = K.function(model._feed_inputs, OrderedDict([("e", out)]).values())(x)
    np.testing.assert_allclose(only, [[-0.3]], rtol=1e-5)


def test_function_keeps_nested_and_tuple_outputs_structured():
    # Types checked against tf_keras 2.21's K.function.
    model, inp, h, out = _two_dense()
    x = np.ones((1, 3), "float32")
    as_tuple = K.function([inp], (h, out))(x)
    assert isinstance(as_tuple, tuple) and [type(v) for v in as_tuple] == [np.ndarray] * 2
    nested = K.function([inp], [[h, out]])(x)
    assert isinstance(nested, list) and isinstance(nested[0], list)
    np.testing.assert_allclose(nested[0][0], [[1.6, 1.9]], rtol=1e-6)
    np.testing.assert_allclose(nested[0][1], [[-0.3]], rtol=1e-5)
    mixed = K.function([inp], [h, (h, out)])(x)
    assert isinstance(mixed[0], np.ndarray) and isinstance(mixed[1], tuple)


def test_lstm_state_outputs_as_one_nested_entry():
    inp = keras.Input((None,), name="tokens")
    emb = keras.layers.Embedding(10, 3, name="emb")(inp)
    seq, state_h, state_c = keras.layers.LSTM(2, return_sequences=True, return_state=True)(emb)
    model = keras.Model(inp, keras.layers.Dense(1)(state_h))
    x = np.ones((4, 5))
    nodes = OrderedDict(lstm=[seq, state_h, state_c])
    (lstm_outputs,) = K.function(model.inputs, nodes.values())(x)
    assert [a.shape for a in lstm_outputs] == [(4, 5, 2), (4, 2), (4, 2)]
    np.testing.assert_allclose(lstm_outputs[0][:, -1], lstm_outputs[1], rtol=1e-6)


def test_model_private_keras2_attributes_read_by_keract():
    model, inp, h, out = _two_dense()
    assert model._is_compiled is False
    assert model._feed_inputs == [inp]
    model.compile(loss="mse", optimizer="adam")
    assert model._is_compiled is True and model.compiled is True
    seq = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])
    assert len(seq._feed_inputs) == 1 and tuple(seq._feed_inputs[0].shape) == (None, 3)


_X = (np.arange(2 * 2 * 2 * 3, dtype="float32").reshape(2, 2, 2, 3) ** 1.5) / 10


def test_normalize_batch_in_training_fused_variance_is_unbiased():
    # tf_keras 2.21 (CPU) gives [12.050311, 13.377021, 14.66157] for axes [0, 1, 2]: the
    # unbiased variance (numpy ddof=1); the normalized values use the biased one.
    normed, mean, var = K.normalize_batch_in_training(K.constant(_X), None, None, [0, 1, 2])
    np.testing.assert_allclose(var, _X.var(axis=(0, 1, 2), ddof=1), rtol=1e-5)
    np.testing.assert_allclose(var, [12.050311, 13.377021, 14.66157], rtol=1e-5)
    expected = (_X - _X.mean(axis=(0, 1, 2))) / np.sqrt(_X.var(axis=(0, 1, 2)) + 1e-3)
    np.testing.assert_allclose(normed, expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(float(np.asarray(normed)[0, 0, 0, 0]), -1.22855, rtol=1e-4)


def test_normalize_batch_in_training_other_axes_keep_the_biased_variance():
    # tf_keras 2.21 on CPU: [0, 2, 3] is not fused there, [0] never is.
    _, _, var = K.normalize_batch_in_training(K.constant(_X), None, None, [0, 2, 3])
    np.testing.assert_allclose(var, [7.004045, 12.476364], rtol=1e-5)
    np.testing.assert_allclose(var, _X.var(axis=(0, 2, 3)), rtol=1e-5)
    _, _, var0 = K.normalize_batch_in_training(K.constant(_X), None, None, [0])
    np.testing.assert_allclose(var0, _X.var(axis=0), rtol=1e-5)


def test_learning_phase_one_reads_training_activations_without_updating_moving_stats():
    # advanced-deep-learning-keras reads activations with
    # K.function(inp + [K.learning_phase()], [out])([x, 1.]): Keras 2.0-2.3 ran it without
    # the update ops, so BatchNormalization's moving statistics stay as they were.
    inp = keras.Input((3,))
    bn = keras.layers.BatchNormalization(name="bn")
    model = keras.Model(inp, bn(inp))
    x = np.array([[1.0, 2.0, 3.0], [3.0, 6.0, 5.0]], "float32")
    before = [w.copy() for w in bn.get_weights()]
    (train_out,) = K.function([inp, K.learning_phase()], [model.output])([x, 1.0])
    expected = (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-3)
    np.testing.assert_allclose(train_out, expected, rtol=1e-5)
    for old, new in zip(before, bn.get_weights()):
        np.testing.assert_array_equal(old, new)
    (test_out,) = K.function([inp, K.learning_phase()], [model.output])([x, 0.0])
    np.testing.assert_allclose(test_out, x / np.sqrt(1 + 1e-3), rtol=1e-5)
