"""keras.layers.ReversibleEmbedding (Keras 3.15): lookups forward, logits with reverse=True.

Weight names/shapes and the config keys are Keras 3.15's; values are checked with NumPy.
"""

from __future__ import annotations

import numpy as np
import pytest

from tork import keras

IDS = np.array([[0, 1, 2]])


def test_tied_reverse_projection_is_hidden_times_embeddings_transposed():
    layer = keras.layers.ReversibleEmbedding(10, 4)
    hidden = layer(IDS)
    table = layer.embeddings.numpy()
    np.testing.assert_allclose(hidden.numpy()[0], table[[0, 1, 2]])
    states = np.random.RandomState(0).rand(2, 3, 4).astype("float32")
    logits = layer(states, reverse=True)
    np.testing.assert_allclose(logits.numpy(), states @ table.T, rtol=1e-5, atol=1e-6)
    assert len(layer.weights) == 1  # tied: no reverse_embeddings


def test_untied_weights_soft_cap_and_reverse_dtype():
    layer = keras.layers.ReversibleEmbedding(
        10, 4, tie_weights=False, logit_soft_cap=2.0, name="re"
    )
    layer(IDS)
    assert [(w.name, tuple(w.shape)) for w in layer.weights] == [
        ("re/embeddings:0", (10, 4)),
        ("re/reverse_embeddings:0", (4, 10)),
    ]
    states = np.ones((1, 2, 4), "float32")
    expected = np.tanh((states @ layer.reverse_embeddings.numpy()) / 2.0) * 2.0
    np.testing.assert_allclose(layer(states, reverse=True).numpy(), expected, atol=1e-6)
    half = keras.layers.ReversibleEmbedding(10, 4, reverse_dtype="float16")
    half(IDS)
    assert str(half(states, reverse=True).dtype) == "torch.float16"


def test_functional_model_masks_forward_only_and_round_trips_config():
    layer = keras.layers.ReversibleEmbedding(10, 4, mask_zero=True, tie_weights=False)
    assert layer.compute_mask(IDS).numpy().tolist() == [[False, True, True]]
    inputs = keras.Input((3,), dtype="int32")
    logits = layer(layer(inputs), reverse=True)
    assert tuple(logits.shape) == (None, 3, 10)
    assert getattr(logits, "_keras_mask", None) is None
    model = keras.Model(inputs, logits)
    config = layer.get_config()
    assert (config["tie_weights"], config["reverse_dtype"], config["logit_soft_cap"]) == (
        False,
        None,
        None,
    )
    clone = keras.Model.from_config(model.get_config())
    assert [tuple(w.shape) for w in clone.weights] == [(10, 4), (4, 10)]
    assert layer.compute_output_shape((2, 3, 4), reverse=True) == (2, 3, 10)


def test_reverse_on_the_wrong_width_names_the_layer_and_shapes():
    layer = keras.layers.ReversibleEmbedding(10, 4, name="tok")
    layer(IDS)
    with pytest.raises(ValueError, match=r"'tok'.*output_dim=4.*shape \(1, 2, 5\)"):
        layer(np.ones((1, 2, 5), "float32"), reverse=True)
