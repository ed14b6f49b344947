"""A Sequential with `seq.add_loss(tensor)`/`add_metric(tensor)` branches saves as a functional model.

tf_keras 2.21 lists the branch layers (TFOpLambda, AddLoss, AddMetric) in such a Sequential's
config without how they connect, and then cannot rebuild it: its `load_model` (`.h5` and
`.keras`), `Sequential.from_config` and `clone_model` fail ("Missing required positional
argument"). tork writes the graph as a functional model, which tork and tf_keras reload with
the losses and metrics. The expected numbers are tf_keras's for the same model and weights
(data/saveleft22/make_fixtures.py prints them): loss = mse 9.0 + 0.5 * mean 3.0 = 10.5,
metric sm = sum of the outputs = 12.0.
"""

import json
import os
import warnings

import numpy as np
import pytest

import tork as tf
from tork.keras.saving.errors import KerasFileError

keras = tf.keras
DATA = os.path.join(os.path.dirname(__file__), "data", "saveleft22")
X = np.ones((2, 3), "float32")
Y = np.zeros((2, 2), "float32")
TF_KERAS_EVAL = {"loss": 10.5, "sm": 12.0}
# The layer classes tf_keras writes for the functional model of the same graph.
TF_KERAS_FUNCTIONAL_CLASSES = [
    "InputLayer",
    "Dense",
    "TFOpLambda",
    "TFOpLambda",
    "AddLoss",
    "TFOpLambda",
    "AddMetric",
]


def _model():
    m = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="d")], name="s")
    m.add_loss(tf.reduce_mean(m.output) * 0.5)
    m.add_metric(tf.reduce_sum(m.output), name="sm")
    m.set_weights([np.ones((3, 2), "float32"), np.zeros(2, "float32")])
    m.compile("sgd", "mse")
    return m


def _evaluate(model):
    model.compile("sgd", "mse")
    return model.evaluate(X, Y, verbose=0, return_dict=True)


@pytest.mark.parametrize("ext", ["h5", "keras"])
def test_saved_model_reloads_with_its_losses_and_metrics(tmp_path, ext):
    model = _model()
    assert model.evaluate(X, Y, verbose=0, return_dict=True) == pytest.approx(TF_KERAS_EVAL)
    path = str(tmp_path / f"m.{ext}")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.save(path)
    loaded = keras.models.load_model(path)
    assert type(loaded).__name__ == "Functional"
    assert loaded.name == "s"
    assert loaded.evaluate(X, Y, verbose=0, return_dict=True) == pytest.approx(TF_KERAS_EVAL)
    np.testing.assert_allclose(loaded.predict(X, verbose=0), np.full((2, 2), 3.0))


def test_h5_config_is_tf_keras_functional_layout(tmp_path):
    import h5py

    path = str(tmp_path / "m.h5")
    _model().save(path)
    with h5py.File(path) as f:
        config = json.loads(f.attrs["model_config"])
    assert config["class_name"] == "Functional"
    layers = config["config"]["layers"]
    assert [entry["class_name"] for entry in layers] == TF_KERAS_FUNCTIONAL_CLASSES
    assert config["config"]["output_layers"] == [["d", 0, 0]]


def test_get_config_from_config_and_clone_keep_the_branches():
    model = _model()
    config = model.get_config()
    assert "input_layers" in config
    rebuilt = keras.Sequential.from_config(config)
    rebuilt.set_weights(model.get_weights())
    assert _evaluate(rebuilt) == pytest.approx(TF_KERAS_EVAL)
    clone = keras.models.clone_model(model)
    clone.set_weights(model.get_weights())
    assert _evaluate(clone) == pytest.approx(TF_KERAS_EVAL)


def test_sequential_without_branches_still_saves_as_sequential():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    entry = keras.saving.serialize_keras_object(model)
    assert entry["class_name"] == "Sequential"
    assert "input_layers" not in entry["config"]


def test_tf_keras_file_of_such_a_sequential_raises_a_clear_error():
    # seq_branches.h5: written by tf_keras, which cannot load it either.
    path = os.path.join(DATA, "seq_branches.h5")
    with pytest.raises(
        KerasFileError,
        match=r"Sequential model 's'.*'tf\.math\.reduce_mean' \(TFOpLambda\).*"
        r"add_loss\(tensor\).*model\.load_weights",
    ):
        keras.models.load_model(path)
    # The weights still load into the model built in code.
    model = _model()
    model.set_weights([np.zeros((3, 2), "float32"), np.zeros(2, "float32")])
    model.load_weights(path)
    assert _evaluate(model) == pytest.approx(TF_KERAS_EVAL)
