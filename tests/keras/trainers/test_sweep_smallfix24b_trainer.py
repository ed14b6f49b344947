"""fit with weights created inside call(), and a NumPy-computed loss.

TensorFlow (tf_keras 2.21, default graph-mode fit) raises "tf.function only supports
singleton tf.Variables created on the first call" for a new Dense, a tf.Variable or an
add_weight inside call(); tork used to warn "no trainable weights" or silently grow the
weights, so the model never trained.
"""

import warnings

import numpy as np
import pytest

import tork as tf

keras = tf.keras

X = np.ones((8, 3), "float32")
Y = np.ones((8, 1), "float32")


class _NewDense(keras.Model):
    def call(self, x):
        return keras.layers.Dense(1)(x)


class _NewVariable(keras.Model):
    def call(self, x):
        return tf.matmul(x, tf.Variable(tf.ones((3, 1))))


class _AddWeightInCall(keras.Model):
    def call(self, x):
        w = self.add_weight(name="w", shape=(3, 1), initializer="ones")
        return tf.matmul(x, w)


class _AddWeightOnce(keras.Model):
    def call(self, x):
        if not hasattr(self, "w"):
            self.w = self.add_weight(name="w", shape=(3, 1), initializer="ones")
        return tf.matmul(x, self.w)


@pytest.mark.parametrize("cls", [_NewDense, _NewVariable])
def test_layer_or_variable_created_in_call_raises(cls):
    model = cls(name="m")
    model.compile("sgd", "mse")
    with pytest.raises(ValueError, match="depends on weights the model does not track"):
        model.fit(X, Y, epochs=2, verbose=0)


def test_variable_outside_the_model_raises():
    # tf_keras trains nothing here (loss [4.0, 4.0]) without a word; tork says why.
    v = tf.Variable(tf.ones((3, 1)))

    class Outside(keras.Model):
        def call(self, x):
            return tf.matmul(x, v)

    model = Outside(name="m")
    model.compile("sgd", "mse")
    with pytest.raises(ValueError, match=r"created outside the model .* \(self\.v = v\)"):
        model.fit(X, Y, epochs=1, verbose=0)


def test_add_weight_in_call_raises_at_second_step():
    model = _AddWeightInCall(name="m")
    model.compile("sgd", "mse")
    with pytest.raises(ValueError, match="created new trainable weights .* after its first"):
        model.fit(X, Y, epochs=2, verbose=0)


def test_add_weight_in_call_run_eagerly_keeps_eager_behaviour():
    # tf_keras with run_eagerly=True creates a new variable each step and warns that the
    # older ones get no gradient; the loss stays at (3 - 1)**2 = 4.
    model = _AddWeightInCall(name="m")
    model.compile("sgd", "mse", run_eagerly=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        history = model.fit(X, Y, epochs=2, verbose=0)
    np.testing.assert_allclose(history.history["loss"], [4.0, 4.0])


def test_add_weight_once_guarded_trains():
    model = _AddWeightOnce(name="m")
    model.compile(keras.optimizers.SGD(0.01), "mse")
    history = model.fit(X, Y, epochs=2, verbose=0)
    # Step 1: loss (3 - 1)**2 = 4; grad of each weight 2 * 2 * 1 = 4, w = 1 - 0.04 = 0.96,
    # prediction 2.88, loss 1.88**2.
    np.testing.assert_allclose(history.history["loss"], [4.0, 1.88**2], rtol=1e-5)


def test_numpy_loss_hint():
    def numpy_loss(y_true, y_pred):
        return tf.constant(np.mean((np.asarray(y_true) - np.asarray(y_pred)) ** 2))

    model = keras.Sequential([keras.layers.Dense(1)], name="m")
    model.compile("sgd", numpy_loss, run_eagerly=True)
    with pytest.raises(ValueError, match=r"computed with NumPy, or converted with \.numpy\(\)"):
        model.fit(X, Y, epochs=1, verbose=0)


class _BodyHead(keras.Model):
    def __init__(self):
        super().__init__(name="m")
        self.body = keras.layers.Dense(2)
        self.head = keras.layers.Dense(1)

    def call(self, x):
        return self.head(self.body(x))


def test_head_replaced_after_training_needs_compile_again():
    model = _BodyHead()
    model.compile("sgd", "mse")
    model.fit(X, Y, epochs=1, verbose=0)
    model.head = keras.layers.Dense(1, kernel_initializer="ones")
    with pytest.raises(ValueError, match=r"needs compile\(\) again"):
        model.fit(X, Y, epochs=1, verbose=0)
    # After compile, the new head builds at the first step and trains from it.
    model.head = keras.layers.Dense(1, kernel_initializer="ones")
    model.compile("sgd", "mse")
    model.fit(X, Y, epochs=1, verbose=0)
    assert not np.allclose(model.head.get_weights()[0], 1.0)
