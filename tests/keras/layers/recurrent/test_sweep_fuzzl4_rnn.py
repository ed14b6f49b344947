"""StackedRNNCells asks each cell for its initial states (a user cell's get_initial_state).

(Goes with /work/notes/fuzzl4_stacked_initial_state.patch; proposed place:
tests/keras/layers/recurrent/test_sweep_fuzzl4_rnn.py.)

tf_keras's StackedRNNCells.get_initial_state calls every cell's own get_initial_state; tork
gave zeros for all cells of a stack, so `RNN([CustomCell(...), ...])` with a cell that starts
from non-zero states gave silently different outputs and states (a single cell already used
its get_initial_state). Reference numbers: TF 2.21 / tf_keras 2.21,
/tmp/fuzzl4/probes/ref_autocast.py.
"""

import numpy as np

import tork as tf

keras = tf.keras


class _PairCell(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = [units, 2]

    def build(self, input_shape):
        self.k = self.add_weight(
            name="k", shape=(int(input_shape[-1]), self.units), initializer="ones"
        )

    def call(self, inputs, states):
        h, c = states
        nh = tf.tanh(
            tf.matmul(inputs, self.k) * 0.1 + 0.5 * h + 0.1 * tf.reduce_sum(c, -1, keepdims=True)
        )
        return nh, [nh, c + 1.0]

    def get_initial_state(self, inputs=None, batch_size=None, dtype=None):
        return [tf.zeros((batch_size, self.units)), tf.ones((batch_size, 2)) * 0.1]


def test_stacked_custom_cells_start_from_their_initial_states():
    x = np.linspace(-1, 1, 2 * 3 * 2).reshape(2, 3, 2).astype("float32")
    rnn = keras.layers.RNN([_PairCell(2), _PairCell(1)], return_state=True)
    out = [np.asarray(t) for t in tf.nest.flatten(rnn(x))]
    # TF: output, then [h1, c1] and [h2, c2]; each c counts 3 steps from 0.1.
    np.testing.assert_allclose(out[0], [[0.539975], [0.602668]], rtol=1e-5)
    np.testing.assert_allclose(out[1], [[0.379077, 0.379077], [0.648792, 0.648792]], rtol=1e-5)
    np.testing.assert_allclose(out[2], np.full((2, 2), 3.1), rtol=1e-6)
    np.testing.assert_allclose(out[3], out[0])
    np.testing.assert_allclose(out[4], np.full((2, 2), 3.1), rtol=1e-6)


def test_stacked_cells_get_initial_state_per_cell():
    cells = keras.layers.StackedRNNCells([_PairCell(2), keras.layers.GRUCell(1)])
    states = [
        np.asarray(s)
        for s in tf.nest.flatten(cells.get_initial_state(batch_size=2, dtype="float32"))
    ]
    # TF: [[zeros(2, 2), 0.1 * ones(2, 2)], zeros(2, 1)]
    np.testing.assert_allclose(states[0], np.zeros((2, 2)))
    np.testing.assert_allclose(states[1], np.full((2, 2), 0.1))
    np.testing.assert_allclose(states[2], np.zeros((2, 1)))
