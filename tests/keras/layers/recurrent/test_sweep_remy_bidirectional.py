"""Bidirectional around a user wrapper of an RNN (cond_rnn's ConditionalRecurrent pattern).

The wrapper takes `[x, condition]`, maps the condition to the RNN's initial state and
has no `initial_state` argument of its own; its `go_backwards`, `return_sequences` and
`return_state` are read-only properties forwarding to the RNN. Keras 2 copies such a
forward layer from its config as it is, passes the wrappers only the arguments their
`call()` names, and gives them the inputs unchanged.
"""

import numpy as np
import pytest

from tork import keras


class CondWrapper(keras.layers.Wrapper):
    def build(self, input_shape=None):
        self.to_state = keras.layers.Dense(self.layer.units, name="to_state")
        self.built = True

    @property
    def go_backwards(self):
        return self.layer.go_backwards

    @property
    def return_sequences(self):
        return self.layer.return_sequences

    @property
    def return_state(self):
        return self.layer.return_state

    def call(self, inputs, training=None):
        x, cond = inputs
        return self.layer(x, initial_state=[self.to_state(cond)], training=training)


_X = np.linspace(-1, 1, 2 * 3 * 2).reshape(2, 3, 2).astype("float32")
_C = np.array([[1.0, 0.0], [0.0, 1.0]], "float32")

# tf_keras 2.21, same model and weights (np.linspace(-0.5, 0.5) over each weight).
_EXPECTED = np.array(
    [
        [
            [-0.598526, 0.211882, -0.113948, 0.103346],
            [-0.281104, 0.169817, -0.174627, 0.250582],
            [-0.055214, 0.21104, -0.43028, 0.337524],
        ],
        [
            [0.097712, 0.811761, 0.313538, 0.62549],
            [0.304845, 0.726022, 0.357833, 0.7599],
            [0.408828, 0.72672, 0.246985, 0.885715],
        ],
    ]
)


def _bidirectional():
    forward = CondWrapper(keras.layers.GRU(2, return_sequences=True, name="gru_f"), name="cond")
    backward = CondWrapper(
        keras.layers.GRU(2, return_sequences=True, go_backwards=True, name="gru_b"), name="cond_b"
    )
    return keras.layers.Bidirectional(forward, backward_layer=backward, name="bidi")


def _fix(model):
    model.set_weights(
        [
            np.linspace(-0.5, 0.5, int(np.prod(w.shape))).reshape(w.shape).astype("float32")
            for w in model.weights
        ]
    )


def test_functional_bidirectional_of_a_conditional_wrapper_matches_keras2():
    ix, ic = keras.Input((3, 2)), keras.Input((2,))
    model = keras.Model([ix, ic], _bidirectional()((ix, ic)))
    assert [tuple(w.shape) for w in model.weights] == [
        (2, 6), (2, 6), (2, 6), (2, 2), (2,), (2, 6), (2, 6), (2, 6), (2, 2), (2,)
    ]  # fmt: skip
    # tf_keras 2.21's names.
    assert [w.name for w in model.weights[2:4]] == [
        "bidi/forward_cond/gru_f/gru_cell/bias:0",
        "bidi/forward_cond/to_state/kernel:0",
    ]
    assert model.weights[8].name == "bidi/backward_cond_b/to_state/kernel:0"
    _fix(model)
    np.testing.assert_allclose(model.predict([_X, _C], verbose=0), _EXPECTED, atol=2e-6)


def test_sequential_bidirectional_of_a_conditional_wrapper_trains():
    model = keras.Sequential([_bidirectional()])
    model.compile(loss="mse", optimizer="sgd")
    model.predict([_X, _C], verbose=0)
    _fix(model)
    np.testing.assert_allclose(model.predict([_X, _C], verbose=0), _EXPECTED, atol=2e-6)
    before = model.get_weights()[3].copy()
    model.fit([_X, _C], np.zeros((2, 3, 4)), epochs=1, verbose=0)
    assert not np.allclose(model.get_weights()[3], before)


def test_initial_state_for_a_wrapper_without_that_argument_is_an_error():
    bi = _bidirectional()
    with pytest.raises(ValueError, match=r"initial_state was given.*CondWrapper.*takes no"):
        bi((_X, _C), initial_state=[np.zeros((2, 2)), np.zeros((2, 2))])
