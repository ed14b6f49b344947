"""Masks computed by keras.layers.Masking and Embedding(mask_zero=True) from any array input."""

import numpy as np
import pytest
import torch

from tork.keras.layers.core.embedding import Embedding
from tork.keras.layers.core.masking import Masking


def test_masking_compute_mask_takes_numpy():
    # Keras: a timestep is masked when all its features equal mask_value.
    x = np.zeros((2, 3, 4), dtype="float32")
    x[0, 1] = 1.0
    x[1, 2, 0] = 2.5
    mask = Masking().compute_mask(x)
    assert isinstance(mask, torch.Tensor) and mask.dtype == torch.bool
    assert mask.tolist() == [[False, True, False], [False, False, True]]
    x[1, 0] = 2.5
    assert Masking(mask_value=2.5).compute_mask(x).tolist() == [
        [True, True, True],
        [False, True, True],
    ]


def test_embedding_compute_mask_returns_a_tensor_for_numpy_or_lists():
    layer = Embedding(5, 2, mask_zero=True)
    mask = layer.compute_mask(np.array([[1, 0, 3], [0, 0, 4]]))
    assert isinstance(mask, torch.Tensor)
    assert mask.tolist() == [[True, False, True], [False, False, True]]
    assert layer.compute_mask([[2, 0]]).tolist() == [[True, False]]
    assert Embedding(5, 2).compute_mask(np.array([[1, 0]])) is None


def test_embedding_index_out_of_range_is_invalid_argument_error():
    import tork as tf

    layer = Embedding(10, 3)
    # TensorFlow raises tf.errors.InvalidArgumentError (a ValueError subclass in tork too).
    with pytest.raises(tf.errors.InvalidArgumentError, match="received index 12, but input_dim=10"):
        layer(np.array([[1, 12]]))
    with pytest.raises(ValueError, match="received the negative index -1"):
        layer(np.array([[-1, 2]]))
