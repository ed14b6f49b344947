"""Keras 2 learning-phase helpers, from the tf_keras engine-test sweep.

`K.in_train_phase(x, alt)` with no `training` reads the enclosing layer call's mode first:
inside `fit` (or a call given training=True) it picks `x`, though `K.learning_phase()`
stays 0 there. tork read only the global phase, so a layer built on it ran its inference
branch during training: a silent wrong result. `K.learning_phase_scope` was missing. The
expected values are what tf_keras 2.21 gives for the same code.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras
K = keras.backend
L = keras.layers


class _ReturnsTraining(L.Layer):
    def call(self, inputs):
        return K.in_train_phase(lambda: tf.ones_like(inputs), lambda: tf.zeros_like(inputs))


def test_in_train_phase_follows_fit_and_explicit_training():
    layer = _ReturnsTraining()
    x = tf.ones((1, 2))
    assert np.asarray(layer(x, training=True)).tolist() == [[1.0, 1.0]]
    assert np.asarray(layer(x)).tolist() == [[0.0, 0.0]]
    assert K.in_test_phase(1.0, 0.0) == 1.0

    model = keras.Sequential([_ReturnsTraining(input_shape=(2,))])
    model.compile("sgd", loss="mae")
    data = np.ones((40, 2), np.float32)
    ds = tf.data.Dataset.from_tensor_slices((data, data)).batch(10)
    history = model.fit(ds, epochs=2, verbose=0, validation_data=ds)
    # tf_keras 2.21: training runs the ones branch (loss 0), validation the zeros (loss 1).
    assert history.history["loss"] == [0.0, 0.0]
    assert history.history["val_loss"] == [1.0, 1.0]


def test_in_train_phase_inside_an_outer_training_call():
    class Outer(L.Layer):
        def __init__(self):
            super().__init__()
            self.inner = _ReturnsTraining()

        def call(self, inputs, training=None):
            return self.inner(inputs)

    out = Outer()(tf.ones((1, 2)), training=True)
    assert np.asarray(out).tolist() == [[1.0, 1.0]]


def test_learning_phase_scope_sets_and_restores_the_phase():
    model = keras.Sequential([_ReturnsTraining(input_shape=(1,))])
    assert float(np.sum(model(np.ones((1, 1))))) == 0.0
    with K.learning_phase_scope(1):
        assert K.learning_phase() == 1
        assert float(np.sum(model(np.ones((1, 1))))) == 1.0
    assert K.learning_phase() == 0
    assert float(np.sum(model(np.ones((1, 1))))) == 0.0


def test_learning_phase_scope_rejects_other_values():
    with pytest.raises(ValueError, match=r"learning_phase_scope: expected 0 or 1, got 2"):
        with K.learning_phase_scope(2):
            pass
