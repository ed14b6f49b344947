"""Sweep of tf_keras's model subclassing tests (ktmisc): a subclassed model whose call()
takes extra required positional arguments gets tf_keras's ValueError from fit, evaluate,
predict and the *_on_batch methods (tork raised a bare TypeError from inside the step)."""

import numpy as np
import pytest

import tork as tf

keras = tf.keras


class _TwoPositional(keras.Model):
    def call(self, x, x2, x3=None):
        return x + x2


X = np.ones((4, 1), "float32")


@pytest.mark.parametrize(
    "method, run",
    [
        ("fit", lambda m: m.fit(X, X, batch_size=2, verbose=0)),
        ("evaluate", lambda m: m.evaluate(X, X, batch_size=2, verbose=0)),
        ("predict", lambda m: m.predict(X, batch_size=2, verbose=0)),
        ("train_on_batch", lambda m: m.train_on_batch(X, X)),
        ("test_on_batch", lambda m: m.test_on_batch(X, X)),
        ("predict_on_batch", lambda m: m.predict_on_batch(X)),
    ],
)
def test_extra_positional_call_args_are_refused(method, run):
    model = _TwoPositional()
    model.compile("sgd", "mse")
    # tf_keras: "Models passed to `fit` can only have `training` and the first argument
    # in `call()` as positional arguments, found: `['x2']`."
    with pytest.raises(ValueError, match=rf"Models passed to `{method}` can only have .*x2"):
        run(model)


def test_training_and_defaulted_args_are_accepted():
    class Fine(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(1, kernel_initializer="ones", use_bias=False)

        def call(self, x, training, scale=1.0):
            return self.dense(x) * scale

    model = Fine()
    model.compile("sgd", "mse")
    np.testing.assert_allclose(model.predict(X, verbose=0), np.ones((4, 1)))
    assert np.isfinite(model.train_on_batch(X, X))


def test_custom_train_step_may_pass_the_extra_argument():
    class WithStep(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(1)

        def call(self, x, x2):
            return self.dense(x) + x2

        def train_step(self, data):
            x, y = data
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.square(self(x, x) - y))
            grads = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
            return {"loss": loss}

    model = WithStep()
    model.compile("sgd")
    history = model.fit(X, X, batch_size=2, epochs=1, verbose=0)
    assert len(history.history["loss"]) == 1
