"""Forward-mode derivatives (tf.autodiff.ForwardAccumulator) through RNN layers (fuzztape2).

torch's fused RNN kernels (`mkldnn_rnn_layer`, `_pack_padded_sequence` for masks) have no
forward-mode rule: a jvp through LSTM/GRU/SimpleRNN raised NotImplementedError. With an
accumulator open the layers run their step loop. Expected numbers from TensorFlow 2.21 /
tf_keras (TF_USE_LEGACY_KERAS=1), same weights.
"""

import numpy as np

import tork as tf


def _fill(layer):
    layer.set_weights(
        [
            np.cos(np.arange(w.size, dtype=np.float32) * (i + 1) * 0.7).reshape(w.shape) * 0.5
            for i, w in enumerate(layer.get_weights())
        ]
    )


def _inputs():
    x = tf.constant(np.linspace(-1.0, 1.0, 12, dtype=np.float32).reshape(2, 3, 2))
    t = tf.constant(np.sin(np.arange(12, dtype=np.float32)).reshape(2, 3, 2))
    return x, t


def test_lstm_jvp():
    x, t = _inputs()
    lstm = tf.keras.layers.LSTM(2, return_sequences=True)
    lstm(x)
    _fill(lstm)
    with tf.autodiff.ForwardAccumulator(primals=x, tangents=t) as acc:
        y = lstm(x)
    np.testing.assert_allclose(
        y.numpy().ravel(),
        [0.12611987, 0.06523474, 0.11216255, 0.08594228, 0.01079725, 0.05382544]
        + [-0.13515852, -0.07728237, -0.2587245, -0.19407052, -0.32251993, -0.29648748],
        rtol=1e-5,
        atol=1e-6,
    )
    np.testing.assert_allclose(
        acc.jvp(y).numpy().ravel(),
        [-0.0454684, -0.01960072, -0.16493234, -0.0569913, 0.15675387, 0.0950687]
        + [-0.00430568, -0.03036929, -0.09362169, -0.11698231, -0.07729544, -0.03617363],
        rtol=1e-5,
        atol=1e-6,
    )


def test_masked_simple_rnn_jvp():
    x, t = _inputs()
    rnn = tf.keras.layers.SimpleRNN(2)
    rnn(x)
    _fill(rnn)
    mask = tf.constant([[True, True, True], [True, False, False]])
    with tf.autodiff.ForwardAccumulator(primals=x, tangents=t) as acc:
        y = rnn(x, mask=mask)
    np.testing.assert_allclose(
        y.numpy().ravel(), [0.5601298, -0.23589073, 0.5143538, -0.27891034], rtol=1e-5
    )
    np.testing.assert_allclose(
        acc.jvp(y).numpy().ravel(), [-0.2392393, -0.0788225, -0.0616848, -0.25147986], rtol=1e-5
    )
