"""tf.debugging.enable_check_numerics: the first op producing NaN/Inf raises, naming itself.

The error layout (op, output index, dtype, shape, counts of -Inf/+Inf/NaN, the inputs) is
TF 2.21's; tork names torch's op ("log", "div") where TF names its own ("Log", "RealDiv").
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import tork as tf
from tork import keras


@pytest.fixture
def checking():
    tf.debugging.enable_check_numerics()
    try:
        yield
    finally:
        tf.debugging.disable_check_numerics()


def test_log_of_zero_names_the_op_dtype_shape_counts_and_input(checking):
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.math.log(tf.constant([1.0, 0.0]))
    text = str(info.value)
    assert '!!! Detected Infinity or NaN in output 0 of eagerly-executing op "log"' in text
    assert "(# of outputs: 1) !!!" in text
    assert "shape: (2,)" in text
    assert "# of -Inf elements: 1" in text
    assert "+Inf" not in text.split(":")[-1]
    assert "Input tensor: tensor [1.0, 0.0], shape=(2,)" in text
    assert text.endswith(" : Tensor had -Inf values")


def test_division_lists_both_inputs_and_every_kind(checking):
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.constant([1.0, -1.0, 0.0]) / tf.constant([0.0, 0.0, 0.0])
    text = str(info.value)
    assert "# of -Inf elements: 1" in text
    assert "# of +Inf elements: 1" in text
    assert "# of NaN elements: 1" in text
    assert "Input tensors (2):" in text
    assert "0: tensor [1.0, -1.0, 0.0]" in text
    assert text.endswith(" : Tensor had -Inf and +Inf and NaN values")


def test_gradient_ops_are_checked_too(checking):
    # d sqrt(v)/dv at 0 is +Inf: TF raises in the gradient op, so does tork.
    v = tf.Variable([0.0])
    with tf.GradientTape() as tape:
        y = tf.sqrt(v)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"# of \+Inf elements: 1"):
        tape.gradient(y, v)


def test_finite_training_is_unaffected_and_jit_runs_eagerly_while_checking(checking):
    x = np.random.RandomState(0).rand(32, 4).astype("float32")
    y = np.random.RandomState(1).randint(0, 3, 32)
    inputs = keras.Input((4,))
    hidden = keras.layers.LayerNormalization()(keras.layers.Dense(8, activation="relu")(inputs))
    model = keras.Model(inputs, keras.layers.Dense(3, activation="softmax")(hidden))
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"], jit_compile=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no 'cannot compile' fallback warning
        history = model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))
    assert model.predict(x, verbose=0).shape == (32, 3)


def test_a_nan_loss_inside_fit_raises(checking):
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    with pytest.raises(tf.errors.InvalidArgumentError, match="Detected Infinity or NaN"):
        model.fit(np.array([[np.nan, 1.0]], "float32"), np.zeros((1, 1), "float32"), verbose=0)


def test_disable_turns_the_checks_off_and_enable_twice_is_once():
    tf.debugging.enable_check_numerics()
    tf.debugging.enable_check_numerics()
    tf.debugging.disable_check_numerics()
    assert float(tf.math.log(tf.constant(0.0))) == -np.inf
    tf.debugging.disable_check_numerics()  # already off: nothing happens


def test_jit_compiled_tf_function_is_checked_too(checking):
    @tf.function(jit_compile=True)
    def log_of(x):
        return tf.math.log(x) * 2.0

    with pytest.raises(tf.errors.InvalidArgumentError, match='op "log"'):
        log_of(tf.constant([1.0, 0.0]))
