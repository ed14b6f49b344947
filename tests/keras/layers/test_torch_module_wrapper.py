"""keras.layers.TorchModuleWrapper: torch modules inside Keras models."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

import tork as tf
from tork import keras
from tork.keras.layers import TorchModuleWrapper
from tork.keras.saving.errors import KerasFileError


def test_calls_the_module_and_exposes_its_parameters():
    torch.manual_seed(0)
    linear = nn.Linear(4, 2)
    layer = TorchModuleWrapper(linear)
    x = torch.randn(3, 4)
    expected = x.numpy() @ linear.weight.detach().numpy().T + linear.bias.detach().numpy()
    np.testing.assert_allclose(layer(x).detach().numpy(), expected, rtol=1e-6)
    assert [tuple(w.shape) for w in layer.trainable_weights] == [(2, 4), (2,)]
    assert layer.count_params() == 10
    linear.bias.requires_grad_(False)
    assert len(layer.trainable_weights) == 1 and len(layer.non_trainable_weights) == 1


def test_training_flag_switches_the_module_mode():
    layer = TorchModuleWrapper(nn.Dropout(0.5))
    x = torch.ones(200, 10)
    np.testing.assert_array_equal(layer(x).numpy(), x.numpy())  # inference outside fit
    dropped = layer(x, training=True).numpy()
    assert set(np.unique(dropped)) <= {0.0, 2.0} and (dropped == 0).mean() > 0.3
    np.testing.assert_array_equal(layer(x, training=False).numpy(), x.numpy())


def test_subclassed_model_of_wrapped_modules_trains_and_saves_weights(tmp_path):
    class Classifier(keras.Model):
        def __init__(self):
            super().__init__()
            self.conv = TorchModuleWrapper(nn.Conv2d(1, 4, kernel_size=3))
            self.pool = nn.MaxPool2d(2)
            self.flatten = nn.Flatten()
            self.fc = TorchModuleWrapper(nn.Linear(4 * 3 * 3, 3))

        def call(self, inputs):
            x = self.pool(F.relu(self.conv(inputs)))
            return F.softmax(self.fc(self.flatten(x)), dim=1)

    torch.manual_seed(0)
    x = torch.randn(48, 1, 8, 8)
    y = (x.mean(dim=(1, 2, 3)) > 0).long() + (x[:, 0, 0, 0] > 1).long()
    model = Classifier()
    model(x[:1])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy")
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=16)
    before = [w.detach().clone() for w in model.trainable_weights]
    history = model.fit(loader, epochs=5, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert all(not torch.equal(a, b) for a, b in zip(before, model.trainable_weights))
    path = tmp_path / "m.weights.h5"
    model.save_weights(path)
    other = Classifier()
    other(x[:1])
    other.load_weights(path)
    np.testing.assert_allclose(other.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)


def test_functional_model_saves_and_loads_only_unsafe(tmp_path, monkeypatch):
    inputs = keras.Input((3,))
    norm = TorchModuleWrapper(nn.BatchNorm1d(3), name="bn")
    model = keras.Model(inputs, keras.layers.Dense(2)(norm(inputs)))
    x = torch.randn(16, 3) * 4 + 2
    model(x, training=True)
    mean = norm.module.running_mean.clone()
    # One training step of momentum 0.1 from zeros: 0.1 * the batch mean.
    np.testing.assert_allclose(mean.numpy(), 0.1 * x.mean(0).numpy(), rtol=1e-5)
    path = tmp_path / "m.keras"
    model.save(path)
    with pytest.raises(KerasFileError, match="pickled torch module.*safe_mode=False"):
        keras.models.load_model(path)
    restored = keras.models.load_model(path, safe_mode=False)
    np.testing.assert_allclose(restored.get_layer("bn").module.running_mean.numpy(), mean.numpy())
    np.testing.assert_allclose(
        restored.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-5
    )


def test_output_shape_argument():
    layer = TorchModuleWrapper(nn.Linear(4, 2), output_shape=(None, 2))
    assert layer.compute_output_shape((None, 4)) == (None, 2)
    assert layer.get_config()["output_shape"] == (None, 2)


def test_errors():
    with pytest.raises(TypeError, match="expects a torch.nn.Module, got str"):
        TorchModuleWrapper("linear")
    with pytest.raises(
        ValueError, match=r"uninitialized parameters \['weight', 'bias'\].*Call it once"
    ):
        TorchModuleWrapper(nn.LazyLinear(3))
    lazy = nn.LazyLinear(3)
    lazy(tf.ones((1, 5)))
    assert TorchModuleWrapper(lazy)(tf.ones((2, 5))).shape == (2, 3)
