"""Keras 2 LSTMCell extension points used by TF Addons' PeepholeLSTMCell and
LayerNormLSTMCell: the gate hooks `_compute_carry_and_output` (implementation=1) and
`_compute_carry_and_output_fused` (implementation=2), and the dropout-mask helpers
`get_dropout_mask_for_cell` / `get_recurrent_dropout_mask_for_cell`.

Without the hooks a subclass's peephole terms were silently ignored. Expected values:
tf_keras 2.21 on the same code.
"""

import numpy as np
import pytest

import tork as tf


class _Peep(tf.keras.layers.LSTMCell):
    # A fixed 0.5 * c_tm1 peephole on the forget gate, through both hooks.
    def _compute_carry_and_output(self, x, h_tm1, c_tm1):
        x_i, x_f, x_c, x_o = x
        h_i, h_f, h_c, h_o = h_tm1
        u, k = self.units, self.recurrent_kernel
        i = self.recurrent_activation(x_i + tf.keras.backend.dot(h_i, k[:, :u]))
        f = self.recurrent_activation(
            x_f + tf.keras.backend.dot(h_f, k[:, u : 2 * u]) + 0.5 * c_tm1
        )
        c = f * c_tm1 + i * self.activation(x_c + tf.keras.backend.dot(h_c, k[:, 2 * u : 3 * u]))
        o = self.recurrent_activation(x_o + tf.keras.backend.dot(h_o, k[:, 3 * u :]))
        return c, o

    def _compute_carry_and_output_fused(self, z, c_tm1):
        z0, z1, z2, z3 = z
        f = self.recurrent_activation(z1 + 0.5 * c_tm1)
        c = f * c_tm1 + self.recurrent_activation(z0) * self.activation(z2)
        return c, self.recurrent_activation(z3)


def _layer(cell):
    layer = tf.keras.layers.RNN(cell)
    layer.build((None, 3, 4))
    layer.set_weights(
        [
            np.linspace(-0.5, 0.5, w.size, dtype="float32").reshape(w.shape)
            for w in layer.get_weights()
        ]
    )
    return layer


_X = np.linspace(-1, 1, 2 * 3 * 4, dtype="float32").reshape(2, 3, 4)


@pytest.mark.parametrize("implementation", [1, 2])
def test_gate_hooks_of_a_subclass_run(implementation):
    out = _layer(_Peep(2, implementation=implementation))(_X)
    np.testing.assert_allclose(
        out.numpy(), [[0.07722512, 0.13798992], [0.09158638, 0.22682026]], rtol=1e-5
    )


def test_builtin_hooks_are_the_lstm_update():
    # The base hooks compute the plain LSTM step: a subclass calling them gets LSTMCell.
    class Plain(tf.keras.layers.LSTMCell):
        def _compute_carry_and_output_fused(self, z, c_tm1):
            return super()._compute_carry_and_output_fused(z, c_tm1)

    plain = _layer(tf.keras.layers.LSTMCell(2))(_X)
    np.testing.assert_allclose(_layer(Plain(2))(_X).numpy(), plain.numpy(), rtol=1e-6)
    # The peephole term changes the result (it was silently dropped before).
    assert not np.allclose(_layer(_Peep(2))(_X).numpy(), plain.numpy())


def test_dropout_mask_helpers_in_a_custom_call():
    seen = []

    class Masked(tf.keras.layers.LSTMCell):
        def call(self, inputs, states, training=None):
            dp = self.get_dropout_mask_for_cell(inputs, training, count=4)
            rdp = self.get_recurrent_dropout_mask_for_cell(states[0], training, count=4)
            seen.append((len(dp), float(tf.reduce_min(dp[0])), rdp is None))
            return super().call(inputs * dp[0], states, training=training)

    out = _layer(Masked(2, dropout=0.5))(_X)
    # Outside training: four masks of ones; no recurrent dropout gives None.
    assert set(seen) == {(4, 1.0, True)}
    np.testing.assert_allclose(
        out.numpy(), [[0.07627006, 0.13591908], [0.09019836, 0.22061263]], rtol=1e-5
    )
    cell = Masked(2, dropout=0.5, recurrent_dropout=0.25)
    masks = cell.get_dropout_mask_for_cell(tf.ones((8, 4)), training=True, count=3)
    assert len(masks) == 3
    for mask in masks:
        # Kept units are scaled by 1 / (1 - rate), as Keras's dropout.
        assert set(np.unique(mask.numpy())) <= {0.0, 2.0}
    assert len(cell.get_recurrent_dropout_mask_for_cell(tf.ones((8, 2)), True, count=4)) == 4
