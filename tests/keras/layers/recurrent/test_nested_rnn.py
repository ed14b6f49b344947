"""RNN over nested sequences (the Keras RNN guide's `NestedCell`), against a NumPy loop."""

import numpy as np
import pytest
import torch

import tork as tf

keras = tf.keras


class NestedCell(keras.layers.Layer):
    """The guide's cell: two inputs and two states, each state a running sum of projections."""

    def __init__(self, unit_1, unit_2, unit_3, **kwargs):
        self.unit_1, self.unit_2, self.unit_3 = unit_1, unit_2, unit_3
        self.state_size = [tf.TensorShape([unit_1]), tf.TensorShape([unit_2, unit_3])]
        self.output_size = [tf.TensorShape([unit_1]), tf.TensorShape([unit_2, unit_3])]
        super().__init__(**kwargs)

    def build(self, input_shapes):
        i1 = input_shapes[0][1]
        i2, i3 = input_shapes[1][1], input_shapes[1][2]
        self.kernel_1 = self.add_weight(shape=(i1, self.unit_1), initializer="uniform")
        self.kernel_2_3 = self.add_weight(
            shape=(i2, i3, self.unit_2, self.unit_3), initializer="uniform"
        )

    def call(self, inputs, states):
        input_1, input_2 = tf.nest.flatten(inputs)
        s1, s2 = states
        output_1 = tf.matmul(input_1, self.kernel_1)
        output_2_3 = tf.einsum("bij,ijkl->bkl", input_2, self.kernel_2_3)
        return (output_1, output_2_3), (s1 + output_1, s2 + output_2_3)

    def get_config(self):
        return {"unit_1": self.unit_1, "unit_2": self.unit_2, "unit_3": self.unit_3}


def _data(batch=3, steps=4, seed=0):
    rng = np.random.default_rng(seed)
    x1 = rng.standard_normal((batch, steps, 5)).astype("float32")
    x2 = rng.standard_normal((batch, steps, 2, 3)).astype("float32")
    return x1, x2


def _numpy_reference(cell, x1, x2, mask=None, backwards=False):
    k1 = cell.kernel_1.detach().numpy()
    k23 = cell.kernel_2_3.detach().numpy()
    steps = range(x1.shape[1])[::-1] if backwards else range(x1.shape[1])
    s1 = np.zeros((x1.shape[0], k1.shape[1]), "float32")
    s2 = np.zeros((x1.shape[0], *k23.shape[2:]), "float32")
    o1, o2 = np.zeros_like(s1), np.zeros_like(s2)
    seq1, seq2 = [], []
    for t in steps:
        n1 = x1[:, t] @ k1
        n2 = np.einsum("bij,ijkl->bkl", x2[:, t], k23)
        keep = np.ones(x1.shape[0], bool) if mask is None else mask[:, t]
        o1 = np.where(keep[:, None], n1, o1)
        o2 = np.where(keep[:, None, None], n2, o2)
        s1 = np.where(keep[:, None], s1 + n1, s1)
        s2 = np.where(keep[:, None, None], s2 + n2, s2)
        seq1.append(o1)
        seq2.append(o2)
    return (o1, o2), (np.stack(seq1, 1), np.stack(seq2, 1)), (s1, s2)


@pytest.mark.parametrize("backwards", [False, True])
def test_outputs_sequences_and_states_match_a_numpy_loop(backwards):
    x1, x2 = _data()
    cell = NestedCell(4, 2, 3)
    layer = keras.layers.RNN(cell, return_sequences=True, return_state=True, go_backwards=backwards)
    (seq1, seq2), s1, s2 = layer((torch.from_numpy(x1), torch.from_numpy(x2)))
    _, (ref_seq1, ref_seq2), (ref_s1, ref_s2) = _numpy_reference(cell, x1, x2, backwards=backwards)
    np.testing.assert_allclose(seq1.detach().numpy(), ref_seq1, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(seq2.detach().numpy(), ref_seq2, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(s1.detach().numpy(), ref_s1, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(s2.detach().numpy(), ref_s2, rtol=1e-5, atol=1e-5)


def test_masked_steps_keep_states_and_repeat_outputs():
    x1, x2 = _data()
    mask = np.array([[1, 1, 1, 1], [1, 1, 0, 0], [1, 0, 1, 0]], bool)
    cell = NestedCell(4, 2, 3)
    layer = keras.layers.RNN(cell, return_state=True)
    (o1, o2), s1, s2 = layer(
        (torch.from_numpy(x1), torch.from_numpy(x2)), mask=torch.from_numpy(mask)
    )
    (r1, r2), _, (rs1, rs2) = _numpy_reference(cell, x1, x2, mask=mask)
    for got, ref in ((o1, r1), (o2, r2), (s1, rs1), (s2, rs2)):
        np.testing.assert_allclose(got.detach().numpy(), ref, rtol=1e-5, atol=1e-5)


def test_time_major_and_dict_inputs():
    x1, x2 = _data()

    class DictCell(NestedCell):
        def build(self, input_shapes):
            super().build([input_shapes["a"], input_shapes["b"]])

        def call(self, inputs, states):
            return super().call((inputs["a"], inputs["b"]), states)

    cell = DictCell(4, 2, 3)
    layer = keras.layers.RNN(cell, time_major=True)
    out1, out2 = layer(
        {"b": torch.from_numpy(x2).transpose(0, 1), "a": torch.from_numpy(x1).transpose(0, 1)}
    )
    (r1, r2), _, _ = _numpy_reference(cell, x1, x2)
    np.testing.assert_allclose(out1.detach().numpy(), r1, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(out2.detach().numpy(), r2, rtol=1e-5, atol=1e-5)


def test_the_guides_functional_model_trains_with_a_loss_per_output():
    x1, x2 = _data(batch=8, steps=5)
    rng = np.random.default_rng(1)
    y1 = rng.random((8, 4)).astype("float32")
    y2 = rng.random((8, 2, 3)).astype("float32")
    rnn = keras.layers.RNN(NestedCell(4, 2, 3), name="rnn")
    input_1, input_2 = keras.Input((None, 5)), keras.Input((None, 2, 3))
    outputs = rnn((input_1, input_2))
    assert [tuple(o.shape) for o in outputs] == [(None, 4), (None, 2, 3)]
    model = keras.models.Model([input_1, input_2], outputs)
    assert model.output_names == ["rnn", "rnn_1"]  # Keras 2 numbers a layer's repeats
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    history = model.fit([x1, x2], [y1, y2], batch_size=4, epochs=2, verbose=0)
    assert {"loss", "rnn_loss", "rnn_1_loss", "rnn_mae", "rnn_1_mae"} <= set(history.history)
    logs = history.history
    np.testing.assert_allclose(
        logs["loss"][-1], logs["rnn_loss"][-1] + logs["rnn_1_loss"][-1], rtol=1e-5
    )
    preds = model.predict([x1, x2], verbose=0)
    assert [p.shape for p in preds] == [(8, 4), (8, 2, 3)]


def test_nested_sequences_of_different_lengths_are_refused_clearly():
    rnn = keras.layers.RNN(NestedCell(4, 2, 3))
    with pytest.raises(ValueError, match=r"different batch sizes or numbers of timesteps"):
        rnn((torch.ones(2, 3, 5), torch.ones(2, 4, 2, 3)))


def test_a_builtin_cell_over_a_tuple_of_sequences_is_refused_clearly():
    a, b = keras.Input((None, 3)), keras.Input((None, 2))
    with pytest.raises(ValueError, match=r"received a tuple of 2 sequences.*Concatenate"):
        keras.layers.LSTM(4)((a, b))
