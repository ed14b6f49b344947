"""Keras 2 models that assign their own batch counters, and `compile(loss=[...])` lists whose
length differs from the number of outputs.

Expected values: tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) in the reference env, same weights
and data.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras


class _CountingModel(keras.Model):
    """The Keras 2 pattern: `self._train_counter = tf.Variable(...)` in `__init__`."""

    def __init__(self, dtype="int64", trainable=True):
        super().__init__()
        self.d = keras.layers.Dense(1)
        self._train_counter = tf.Variable(5, dtype=dtype, trainable=trainable)
        self._test_counter = tf.Variable(7, dtype=dtype, trainable=trainable)

    def call(self, x):
        return self.d(x)


def test_assigned_counters_are_the_ones_fit_and_evaluate_count():
    # tf_keras: the assigned variables are reset and counted (8 train batches over 2
    # epochs, 2 test batches), and they are tracked weights: 4 weights named
    # ['m/dense/kernel:0', 'm/dense/bias:0', 'Variable:0', 'Variable:0'].
    m = _CountingModel()
    v = m._train_counter
    assert int(v.numpy()) == 5
    m.compile("sgd", "mse")
    m.fit(np.ones((8, 2)), np.ones((8, 1)), batch_size=2, epochs=2, verbose=0)
    assert m._train_counter is v and int(v.numpy()) == 8
    m.evaluate(np.ones((8, 2)), np.ones((8, 1)), batch_size=4, verbose=0)
    assert int(m._test_counter.numpy()) == 2
    assert len(m.weights) == 4 and len(m.trainable_weights) == 4
    assert [w.name for w in m.weights][2:] == ["Variable:0", "Variable:0"]


def test_non_trainable_int32_counter_is_listed_and_saved(tmp_path):
    # tf_keras: the counter keeps its dtype (int32), counts 3 batches, is the one
    # non-trainable weight, and save_weights/load_weights carry it.
    m = _CountingModel("int32", trainable=False)
    m.compile("sgd", "mse")
    m.fit(np.ones((6, 2)), np.ones((6, 1)), batch_size=2, verbose=0)
    assert m._train_counter.dtype == tf.int32 and int(m._train_counter.numpy()) == 3
    assert len(m.trainable_weights) == 2
    assert [w.name for w in m.non_trainable_weights] == ["Variable:0", "Variable:0"]
    path = str(tmp_path / "w.h5")
    m.save_weights(path)
    m2 = _CountingModel("int32", trainable=False)
    m2(np.ones((1, 2)))
    m2.load_weights(path)
    assert int(m2._train_counter.numpy()) == 3


def test_reassigned_counter_replaces_the_tracked_one():
    m = _CountingModel()
    first = m._train_counter
    m._train_counter = tf.Variable(3, dtype="int64")
    assert m._train_counter is not first
    assert sum(w is first for w in m.weights) == 0 and len(m.weights) == 2
    m.compile("sgd", "mse")
    m.fit(np.ones((8, 2)), np.ones((8, 1)), batch_size=2, verbose=0)
    assert int(m._train_counter.numpy()) == 4


def test_plain_value_assigned_to_a_counter_is_not_counted():
    # tf_keras accepts `model._predict_counter = 4` (an int): reading gives the int back.
    m = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    m._predict_counter = 4
    m.predict(np.ones((4, 2)), verbose=0)
    assert m._predict_counter == 4


def test_counters_made_on_first_read_still_count():
    m = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    m.compile("sgd", "mse")
    counter = m._train_counter
    assert counter.dtype == tf.int64 and len(m.weights) == 2
    m.fit(np.ones((6, 2)), np.ones((6, 1)), batch_size=2, verbose=0)
    assert int(counter.numpy()) == 3


def _two_outputs():
    i = keras.Input((2,))
    m = keras.Model(i, [keras.layers.Dense(1, name="a")(i), keras.layers.Dense(1, name="b")(i)])
    m.set_weights(
        [
            np.array([[0.5], [-0.25]], np.float32),
            np.array([0.1], np.float32),
            np.array([[0.3], [0.2]], np.float32),
            np.array([0.0], np.float32),
        ]
    )
    return m


_X = np.arange(8, dtype="float32").reshape(4, 2) / 8
_Y = [np.ones((4, 1)), np.zeros((4, 1))]


def test_extra_losses_are_ignored_as_tf_keras():
    # tf_keras 2.21: evaluate -> [0.9187890291213989, 0.7062889933586121, 0.21250000596046448]
    # and fit logs loss, a_loss, b_loss with the same first-epoch values.
    m = _two_outputs()
    m.compile("sgd", ["mse", "mae", "mse"])
    with pytest.warns(UserWarning, match=r"got 3 losses for a model with 2 outputs.*extra ones"):
        result = m.evaluate(_X, _Y, verbose=0)
    np.testing.assert_allclose(result, [0.9187890291213989, 0.7062889933586121, 0.2125], rtol=1e-6)
    history = m.fit(_X, _Y, verbose=0).history
    assert sorted(history) == ["a_loss", "b_loss", "loss"]
    np.testing.assert_allclose(history["loss"], [0.9187890291213989], rtol=1e-6)


def test_missing_losses_leave_outputs_without_loss_as_tf_keras():
    # tf_keras 2.21 with loss=["mse"]: only `a` has a loss, so evaluate gives [a_loss,
    # a_loss] (0.7062889933586121 on these weights, as in the test above; also the NumPy
    # formula below); fit logs loss and a_loss only.
    m = _two_outputs()
    m.compile("sgd", ["mse"])
    with pytest.warns(UserWarning, match=r"got 1 losses .* outputs \['b'\] get no loss"):
        result = m.evaluate(_X, _Y, verbose=0)
    a_only = float(np.mean((_X @ np.array([[0.5], [-0.25]]) + 0.1 - 1.0) ** 2))
    np.testing.assert_allclose(result, [a_only, a_only], rtol=1e-6)
    np.testing.assert_allclose(a_only, 0.7062889933586121, rtol=1e-6)
    with pytest.warns(UserWarning):
        history = m.fit(_X, _Y, verbose=0).history
    assert sorted(history) == ["a_loss", "loss"]
