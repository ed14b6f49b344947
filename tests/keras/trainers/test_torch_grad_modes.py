"""fit under torch's grad modes, and torch Datasets given where batches are expected."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader, TensorDataset

from tork import keras

X = np.ones((8, 3), "float32")
Y = np.zeros((8, 1), "float32")


def _model():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, kernel_initializer="ones")])
    model.compile("sgd", "mse")
    return model


def test_fit_and_train_on_batch_train_under_no_grad():
    model = _model()
    with torch.no_grad():
        history = model.fit(X, Y, batch_size=8, verbose=0)
        loss = model.train_on_batch(X, Y)
    # One SGD step (lr 0.01) on prediction 3: loss 9, then gradient 6 per weight/bias.
    assert history.history["loss"] == [pytest.approx(9.0)]
    assert loss == pytest.approx((3.0 - 0.01 * 6 * 4) ** 2, rel=1e-5)


def test_fit_inside_inference_mode_says_what_to_do():
    model = _model()
    with torch.inference_mode():
        with pytest.raises(RuntimeError, match=r"fit\(\) was called inside `torch.inference_mode"):
            model.fit(X, Y, verbose=0)


def test_a_map_style_torch_dataset_asks_for_a_dataloader():
    model = _model()
    dataset = TensorDataset(torch.ones(8, 3), torch.zeros(8, 1))
    with pytest.raises(TypeError, match=r"predict received a torch.utils.data.Dataset.*DataLoader"):
        model.predict(TensorDataset(torch.ones(8, 3)))
    with pytest.raises(TypeError, match=r"fit received a torch.utils.data.Dataset"):
        model.fit(dataset, verbose=0)
    out = model.predict(DataLoader(TensorDataset(torch.ones(8, 3)), batch_size=4), verbose=0)
    np.testing.assert_allclose(out, np.full((8, 1), 3.0))
