"""The missing-gradients warning reads as tf_keras 2.21's (printfuzz2)."""

import numpy as np
import pytest

import tork as tf

keras = tf.keras


def test_missing_gradient_warning_text_as_tf_keras():
    class Sub(keras.Model):
        def __init__(self):
            super().__init__(name="gsub")
            self.a = keras.layers.Dense(1, name="a")
            self.b = keras.layers.Dense(1, name="b")

        def call(self, x):
            return self.a(x)

    model = Sub()
    model(np.zeros((1, 2), "float32"))
    model.b(np.zeros((1, 2), "float32"))
    model.compile(optimizer="sgd", loss="mse")
    # tf_keras 2.21 logs exactly this sentence (optimizers/utils.py).
    expected = (
        "Gradients do not exist for variables ['b/kernel:0', 'b/bias:0'] when minimizing "
        "the loss. If you're using `model.compile()`, did you forget to provide a `loss` "
        "argument?"
    )
    with pytest.warns(UserWarning) as record:
        model.fit(np.zeros((4, 2), "float32"), np.zeros((4, 1), "float32"), verbose=0)
    assert expected in [str(w.message) for w in record]


def test_lr_argument_warning_texts_as_tf_keras():
    # tf_keras 2.21: the 2.11+ optimizers log the first text, the legacy ones warn the second.
    with pytest.warns(UserWarning) as record:
        keras.optimizers.Adam(lr=0.01)
    assert str(record[0].message) == (
        "`lr` is deprecated in TF-Keras optimizer, please use `learning_rate` or use the "
        "legacy optimizer, e.g.,tf.keras.optimizers.legacy.Adam."
    )
    with pytest.warns(UserWarning) as record:
        keras.optimizers.legacy.Adam(lr=0.01)
    assert str(record[0].message) == "The `lr` argument is deprecated, use `learning_rate` instead."
