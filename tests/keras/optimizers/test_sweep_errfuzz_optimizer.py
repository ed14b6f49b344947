"""errfuzz: all-None gradients say how the tape loop went wrong.

Reference (tf_keras 2.21, /tmp/tfenv): a loss computed before `with tf.GradientTape()`
gives None gradients and `apply_gradients` raises ValueError "No gradients provided for any
variable: ...". tork raised the same words; it now also says where the loss must be computed.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras


def test_loss_computed_outside_the_tape():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, name="out")])
    optimizer = keras.optimizers.SGD(0.1)
    loss = tf.reduce_mean(model(np.ones((2, 4), "float32")) ** 2)
    with tf.GradientTape() as tape:
        pass
    grads = tape.gradient(loss, model.trainable_variables)
    assert grads == [None, None]
    with pytest.raises(
        ValueError,
        match=r"No gradients provided for any variable: \['out/kernel:0', 'out/bias:0'\]\. "
        r"Compute the loss inside the `with tf\.GradientTape\(\) as tape:` block",
    ):
        optimizer.apply_gradients(zip(grads, model.trainable_variables))


def test_loss_inside_the_tape_updates():
    v = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        loss = v * v
    keras.optimizers.SGD(0.1).apply_gradients(zip(tape.gradient(loss, [v]), [v]))
    assert float(v) == pytest.approx(3.0 - 0.1 * 6.0)  # d(v^2)/dv = 2v = 6


def test_unknown_argument_is_a_type_error_as_in_tf_keras_and_a_value_error():
    # tf_keras 2.21: `Adam(lr_rate=0.1)` raises TypeError "lr_rate is not a valid argument";
    # Keras 3 (and tork's message) ValueError "Argument(s) not recognized by Adam".
    for error in (TypeError, ValueError):
        with pytest.raises(error, match=r"Argument\(s\) not recognized by Adam: \{'lr_rate'"):
            keras.optimizers.Adam(lr_rate=0.1)
