"""Loading the Keras models of tf.keras 2 SavedModel directories (`model.save('dir')` in TF).

The fixtures under data/tf_saved_models were written by TensorFlow 2.21 / tf_keras 2.21
(make_tf_saved_models.py there); every expected value below is what that script printed.
"""

import shutil
import warnings
from pathlib import Path

import numpy as np
import pytest

import tork as tf
from tork import keras
from tork.keras.saving.errors import KerasFileError

DATA = Path(__file__).parent / "data" / "tf_saved_models"
X = (np.arange(12, dtype="float32").reshape(3, 4) - 5.0) / 4.0
Y = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], "float32")


def _saved_model(tmp_path, name):
    """A copy of the fixture with the `saved_model.pb` tork never reads as a placeholder."""
    path = tmp_path / name
    shutil.copytree(DATA / name, path)
    (path / "saved_model.pb").write_bytes(b"")
    return str(path)


@keras.utils.register_keras_serializable(package="demo")
class MyModel(keras.Model):
    def __init__(self, units=3, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.d1 = keras.layers.Dense(units, activation="relu")
        self.d2 = keras.layers.Dense(1)

    def call(self, x):
        return self.d2(self.d1(x))

    def get_config(self):
        return {"units": self.units, "name": self.name}


class NoConfig(keras.Model):
    def __init__(self):
        super().__init__()
        self.d = keras.layers.Dense(2)

    def call(self, x):
        return self.d(x)


def test_functional_model_loads_with_weights_and_optimizer_state(tmp_path):
    model = keras.models.load_model(_saved_model(tmp_path, "func"))
    assert [layer.name for layer in model.layers] == ["x", "d1", "bn", "d2"]
    np.testing.assert_allclose(
        model.predict(X, verbose=0),
        [[1.2367668, -1.2042769], [1.4704441, -0.6333686], [2.0640368, 0.1169330]],
        rtol=1e-5,
        atol=1e-6,
    )
    assert type(model.optimizer).__name__ == "Adam"
    assert int(model.optimizer.iterations) == 2
    logs = model.train_on_batch(X, Y)
    np.testing.assert_allclose(logs, [2.4249227, 1.4656315], rtol=1e-5)
    # The step after loading continues from the saved Adam moments (a fresh optimizer
    # would move the weights differently).
    np.testing.assert_allclose(
        model.predict(X, verbose=0),
        [[1.2375908, -1.1722131], [1.4178958, -0.6236845], [1.9548070, 0.1009233]],
        rtol=1e-5,
        atol=1e-6,
    )


def test_uncompiled_sequential_loads_and_warns(tmp_path):
    with pytest.warns(UserWarning, match="No training configuration found"):
        model = keras.models.load_model(_saved_model(tmp_path, "seq"))
    assert isinstance(model, keras.Sequential)
    np.testing.assert_allclose(
        model.predict(X, verbose=0), [[-0.5756013], [-1.0267789], [-1.4779565]], rtol=1e-5
    )


def test_compile_false_leaves_the_model_uncompiled(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = keras.models.load_model(_saved_model(tmp_path, "func"), compile=False)
    assert model.optimizer is None
    assert model.predict(X, verbose=0).shape == (3, 2)


def test_registered_subclassed_model_is_rebuilt_from_its_config(tmp_path):
    model = keras.models.load_model(_saved_model(tmp_path, "sub"))
    assert isinstance(model, MyModel) and model.units == 3 and model.name == "mine"
    np.testing.assert_allclose(
        model.predict(X, verbose=0), [[0.8108295], [0.4677376], [1.4083300]], rtol=1e-5
    )
    loss = model.train_on_batch(X, Y[:, :1])
    np.testing.assert_allclose(loss, 0.14043245, rtol=1e-5)
    np.testing.assert_allclose(
        model.predict(X, verbose=0), [[1.0055741], [1.0117900], [2.9260836]], rtol=1e-5
    )


def test_model_without_config_needs_its_class(tmp_path):
    path = _saved_model(tmp_path, "noconfig")
    with pytest.raises(ValueError, match=r"Unknown class 'NoConfig'.*custom_objects"):
        keras.models.load_model(path)
    with pytest.warns(UserWarning, match="not\\* compiled"):
        model = keras.models.load_model(path, custom_objects={"NoConfig": NoConfig})
    np.testing.assert_allclose(
        model.predict(X, verbose=0),
        [[0.7766956, -1.4714710], [0.8023334, 0.1240084], [0.8279712, 1.7194878]],
        rtol=1e-5,
    )


def test_metadata_without_a_model_config_says_tork_cannot_run_the_graphs(tmp_path):
    from tork.keras.saving import _tf_saved_model

    with pytest.raises(KerasFileError, match="saved without a config.*cannot run"):
        _tf_saved_model._model_config({"class_name": "Revived"}, "dir")


def test_savedmodel_without_keras_metadata_still_says_what_to_do(tmp_path):
    (tmp_path / "saved_model.pb").write_bytes(b"")
    with pytest.raises(KerasFileError, match=r"keras_metadata.pb.*model.load_weights"):
        keras.models.load_model(str(tmp_path))
    with pytest.raises(ValueError, match=r"without tf.keras's keras_metadata.pb.*load_weights"):
        tf.saved_model.load(str(tmp_path))


def test_corrupt_metadata_is_a_clear_error(tmp_path):
    path = Path(_saved_model(tmp_path, "seq"))
    (path / "keras_metadata.pb").write_bytes(b"\x0a\xff\xff")
    with pytest.raises(KerasFileError, match="not a readable Keras metadata file"):
        keras.models.load_model(str(path))


def test_tf_keras_alias_loads_it_too(tmp_path):
    model = tf.keras.models.load_model(_saved_model(tmp_path, "func"), compile=False)
    assert model.output_shape == (None, 2)


def test_tf_saved_model_load_gives_keras_2_serving_signatures(tmp_path):
    # TF 2.21 on the same directories: serving_default takes the input layers' names and
    # returns the output layers' names ('x' -> 'd2'; Sequential 'a_input' -> 'b';
    # subclassed 'input_1' -> 'output_1').
    loaded = tf.saved_model.load(_saved_model(tmp_path, "func"))
    outputs = loaded.signatures["serving_default"](x=tf.constant(X))
    assert list(outputs) == ["d2"]
    np.testing.assert_allclose(outputs["d2"].numpy()[0], [1.2367668, -1.2042769], rtol=1e-5)
    np.testing.assert_allclose(loaded(tf.constant(X)).numpy()[2], [2.0640368, 0.1169330], rtol=1e-5)
    seq = tf.saved_model.load(_saved_model(tmp_path, "seq"))
    assert list(seq.signatures["serving_default"](a_input=tf.constant(X))) == ["b"]
    sub = tf.saved_model.load(_saved_model(tmp_path, "sub"))
    outputs = sub.signatures["serving_default"](input_1=tf.constant(X))
    np.testing.assert_allclose(
        outputs["output_1"].numpy()[:, 0], [0.8108295, 0.4677376, 1.40833], rtol=1e-5
    )


def test_tfsm_layer_calls_a_tf_keras_saved_model(tmp_path):
    layer = keras.layers.TFSMLayer(_saved_model(tmp_path, "func"), call_endpoint="serving_default")
    outputs = layer(tf.constant(X))
    np.testing.assert_allclose(outputs["d2"].numpy()[1], [1.4704441, -0.6333686], rtol=1e-5)
