"""fuzzt3: tf_keras 2.21's `Adam(adaptive_epsilon=True)` (epsilon hat = epsilon * sqrt(1 - beta_2**t)).

Reference numbers from tf_keras 2.21 (TF_USE_LEGACY_KERAS=1, tensorflow-cpu 2.21).
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras

GRADS = ([0.3, -0.2, 1.0], [0.1, 0.4, -0.5], [-0.2, 0.1, 0.05])


@pytest.mark.parametrize("amsgrad", [False, True])
def test_adaptive_epsilon_apply_gradients(amsgrad):
    v = tf.Variable([1.0, -2.0, 0.5])
    opt = keras.optimizers.Adam(
        learning_rate=0.1, epsilon=0.5, adaptive_epsilon=True, amsgrad=amsgrad
    )
    for g in GRADS:
        opt.apply_gradients([(tf.constant(g), v)])
    np.testing.assert_allclose(
        v.numpy(), [0.9287320375442505, -1.999996304512024, 0.4038165807723999], rtol=1e-5
    )


def test_adaptive_epsilon_differs_from_plain_epsilon():
    v = tf.Variable([1.0, -2.0, 0.5])
    opt = keras.optimizers.Adam(learning_rate=0.1, epsilon=0.5)
    for g in GRADS:
        opt.apply_gradients([(tf.constant(g), v)])
    # numpy: Adam with a constant epsilon hat of 0.5
    w = np.array([1.0, -2.0, 0.5])
    m = np.zeros(3)
    s = np.zeros(3)
    for t, g in enumerate(GRADS, 1):
        g = np.array(g)
        m += (g - m) * 0.1
        s += (g * g - s) * 0.001
        w -= 0.1 * np.sqrt(1 - 0.999**t) / (1 - 0.9**t) * m / (np.sqrt(s) + 0.5)
    np.testing.assert_allclose(v.numpy(), w, rtol=1e-5)
    assert abs(v.numpy()[0] - 0.9287320375442505) > 1e-3


@pytest.mark.parametrize("jit_compile", [False, True])
def test_adaptive_epsilon_in_fit(jit_compile):
    x = np.array([[0.5, -1.0], [1.5, 0.2], [-0.3, 0.8], [1.0, 1.0]], "float32")
    y = np.array([[1.0], [0.0], [2.0], [-1.0]], "float32")
    m = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    m.set_weights([np.array([[0.3], [-0.4]], "float32"), np.array([0.1], "float32")])
    m.compile(
        keras.optimizers.Adam(0.05, epsilon=0.2, adaptive_epsilon=True),
        "mse",
        jit_compile=jit_compile,
    )
    h = m.fit(x, y, batch_size=2, epochs=2, verbose=0, shuffle=False)
    np.testing.assert_allclose(
        h.history["loss"], [1.6683608293533325, 1.5458025932312012], rtol=2e-5
    )
    kernel, bias = m.get_weights()
    np.testing.assert_allclose(
        kernel.ravel(), [0.15188093483448029, -0.40192750096321106], rtol=2e-5
    )
    np.testing.assert_allclose(bias, [0.160882368683815], rtol=2e-5)


def test_adaptive_epsilon_config_round_trip():
    opt = keras.optimizers.Adam(adaptive_epsilon=True)
    assert opt.adaptive_epsilon is True
    assert keras.optimizers.Adam.from_config(opt.get_config()).adaptive_epsilon is True
    # Left out when False, as tf_keras (and so Keras 3, which lacks it, loads the config).
    assert "adaptive_epsilon" not in keras.optimizers.Adam().get_config()
    # The fifth positional argument stays `amsgrad` (Keras 3 and older Keras 2).
    assert keras.optimizers.Adam(0.001, 0.9, 0.999, 1e-7, True).amsgrad is True
