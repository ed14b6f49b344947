"""`predict` writes array inputs' outputs into preallocated buffers (`_predict_outputs`);
results must equal a NumPy forward pass whatever the output structure, and odd outputs
fall back to concatenating the batches."""

import numpy as np
import pytest
import torch

import tork as tf
from tork.keras.trainers._predict_outputs import OutputCollector

keras = tf.keras


def _dense_model():
    keras.utils.set_random_seed(0)
    inputs = keras.Input((3,))
    a = keras.layers.Dense(2, name="a")(inputs)
    b = keras.layers.Dense(1, name="b")(inputs)
    return keras.Model(inputs, {"first": a, "second": [b, a]})


def _numpy_forward(model, x):
    ka, ba = (w.detach().numpy() for w in model.get_layer("a").weights)
    kb, bb = (w.detach().numpy() for w in model.get_layer("b").weights)
    return x @ ka + ba, x @ kb + bb


def test_nested_outputs_with_a_partial_last_batch_equal_numpy():
    model = _dense_model()
    x = np.random.default_rng(1).standard_normal((10, 3)).astype("float32")
    out = model.predict(x, batch_size=4, verbose=0)
    ref_a, ref_b = _numpy_forward(model, x)
    assert list(out) == ["first", "second"]
    np.testing.assert_allclose(out["first"], ref_a, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out["second"][0], ref_b, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out["second"][1], ref_a, rtol=1e-5, atol=1e-6)


def test_steps_below_the_data_size_returns_only_the_predicted_rows():
    model = _dense_model()
    x = np.random.default_rng(2).standard_normal((10, 3)).astype("float32")
    out = model.predict(x, batch_size=4, steps=2, verbose=0)
    assert out["first"].shape == (8, 2)
    np.testing.assert_allclose(out["first"], _numpy_forward(model, x[:8])[0], rtol=1e-5, atol=1e-6)


def test_outputs_without_a_batch_axis_fall_back_to_concatenation():
    class Summed(keras.Model):
        def call(self, x):
            return torch.sum(x, dim=0, keepdim=True)  # one row per batch, not per sample

    x = np.arange(12, dtype="float32").reshape(6, 2)
    out = Summed().predict(x, batch_size=4, verbose=0)
    np.testing.assert_allclose(out, [[12.0, 16.0], [18.0, 20.0]])


def test_collector_spills_when_a_batch_changes_shape():
    collector = OutputCollector(total=5)
    collector.add(torch.ones(2, 3))
    collector.add(torch.full((3, 4), 2.0))  # a new width: buffers cannot hold it
    parts = collector.result(lambda batches: batches)
    assert [tuple(p.shape) for p in parts] == [(2, 3), (3, 4)]
    assert OutputCollector(total=3).result(lambda b: b) is None


def test_empty_input_is_refused_clearly():
    model = _dense_model()
    with pytest.raises(ValueError, match="received no data"):
        model.predict(np.zeros((0, 3), "float32"), verbose=0)
