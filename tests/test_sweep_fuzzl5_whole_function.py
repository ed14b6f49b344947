"""To add as tests/test_sweep_fuzzl5_whole_function.py once fuzzl5_whole_function_lstm.patch is in.

A custom train step over an LSTM under tf.function(jit_compile=True) crashed on its second call
("TypeError: expected Tensor() for op: torch.ops.aten.mkldnn_rnn_layer.default"): the step was
traced with oneDNN's fused LSTM kernel. Expected losses: tf_keras 2.21, the same step
(/tmp/fuzzl5/probes/ref_lstm_step.py).
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras


@pytest.mark.slow
def test_jit_compiled_custom_step_over_lstm():
    inp = keras.Input((4, 3))
    model = keras.Model(inp, keras.layers.Dense(1)(keras.layers.LSTM(3)(inp)))
    model.set_weights(
        [
            np.linspace(-0.4, 0.4, w.size, dtype="float32").reshape(w.shape)
            for w in model.get_weights()
        ]
    )
    x = np.linspace(-1, 1, 24, dtype="float32").reshape(2, 4, 3)
    y = np.array([[0.5], [-0.5]], "float32")
    opt = keras.optimizers.SGD(0.1)

    @tf.function(jit_compile=True)
    def step(xb, yb):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean((model(xb, training=True) - yb) ** 2)
        grads = tape.gradient(loss, model.trainable_variables)
        opt.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    losses = [float(step(tf.constant(x), tf.constant(y))) for _ in range(3)]
    np.testing.assert_allclose(losses, [0.395914, 0.341555, 0.30599], rtol=1e-4)
