"""Masked RNNs traced into one graph (fifth differential layer sweep, fuzzl5).

A custom train step under `tf.function(jit_compile=True)` over Embedding(mask_zero=True) +
Bidirectional(SimpleRNN) crashed: the fused RNN path read the mask's values on the host
(`torch.equal`) to pack lengths, which a traced graph cannot do. Traced, the step loop now
applies the mask. Expected numbers: tf_keras 2.21 (/tmp/fuzzl5/probes/ref_rnn5.py and
special5.py tf_function_steps).
"""

import numpy as np
import pytest

import tork as tf
from tork._backend.tracing import graph_capture

keras = tf.keras

X = np.linspace(-1, 1, 2 * 4 * 3, dtype="float32").reshape(2, 4, 3)
MASK = np.array([[True, True, True, False], [True, True, False, False]])
# tf_keras: Bidirectional(SimpleRNN(2)) with the weights below, called on X with MASK.
EXPECTED = [
    [-0.174231, 0.615738, -0.056451, 0.521888],
    [-0.233953, 0.774523, -0.120199, 0.757301],
]


def _layer():
    layer = keras.layers.Bidirectional(keras.layers.SimpleRNN(2), merge_mode="concat")
    layer(X[:1], mask=MASK[:1])
    layer.set_weights(
        [
            np.linspace(-0.5, 0.5, w.size, dtype="float32").reshape(w.shape)
            for w in layer.get_weights()
        ]
    )
    return layer


def test_masked_bidirectional_eager_matches_tf():
    np.testing.assert_allclose(np.asarray(_layer()(X, mask=MASK)), EXPECTED, atol=1e-5)


def test_masked_rnn_under_graph_capture_reads_no_mask_values(monkeypatch):
    # graph_capture marks code being traced into one graph (tf.function(jit_compile=True)):
    # the mask's values cannot be read there, so torch.equal must not run on it.
    import torch

    def no_host_read(*args, **kwargs):
        raise AssertionError("read the mask's values on the host while tracing")

    layer = _layer()
    monkeypatch.setattr(torch, "equal", no_host_read)
    with graph_capture():
        out = layer(tf.constant(X), mask=tf.constant(MASK))
    np.testing.assert_allclose(np.asarray(out), EXPECTED, atol=1e-5)


@pytest.mark.slow
def test_jit_compiled_custom_step_with_masked_bidirectional():
    inp = keras.Input((6,), dtype="int32")
    h = keras.layers.Embedding(10, 4, mask_zero=True)(inp)
    h = keras.layers.Bidirectional(keras.layers.SimpleRNN(3))(h)
    model = keras.Model(inp, keras.layers.Dense(1)(h))
    model.set_weights(
        [
            np.linspace(-0.4, 0.4, w.size, dtype="float32").reshape(w.shape)
            for w in model.get_weights()
        ]
    )
    x = np.array([[1, 2, 3, 4, 0, 0], [5, 6, 7, 8, 9, 1]], "int32")
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
    # tf_keras, the same step under tf.function(jit_compile=True) (probes/ref_step5.py).
    np.testing.assert_allclose(losses, [0.270541, 0.228515, 0.203803], rtol=1e-4)
