import re

import numpy as np
import pytest
import torch

from tork import keras
from tork._backend.device import current_device
from tork.keras.saving import KerasFileError
from tork.keras.saving.serialization import SafeModeScope

serialize = keras.saving.serialize_keras_object
deserialize = keras.saving.deserialize_keras_object


def test_layer_config_layout():
    layer = keras.layers.Dense(3, activation="relu", name="d")
    layer(keras.Input((5,)))
    config = serialize(layer)
    assert config["module"] == "keras.layers"
    assert config["class_name"] == "Dense"
    assert config["registered_name"] is None
    assert config["build_config"] == {"input_shape": [None, 5]}
    assert config["config"]["units"] == 3 and config["config"]["activation"] == "relu"
    assert config["config"]["kernel_initializer"]["class_name"] == "GlorotUniform"
    rebuilt = deserialize(config)
    assert isinstance(rebuilt, keras.layers.Dense) and rebuilt.built
    assert rebuilt.units == 3 and rebuilt.name == "d"
    assert tuple(rebuilt.kernel.shape) == (5, 3)


def test_keras2_layer_config():
    layer = deserialize(
        {
            "class_name": "Dense",
            "config": {
                "name": "dense_7",
                "units": 2,
                "activation": "linear",
                "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
                "batch_input_shape": [None, 4],
            },
        }
    )
    assert isinstance(layer, keras.layers.Dense) and layer.units == 2


def test_newer_keras_options_at_default_are_dropped():
    config = {
        "module": "keras.layers",
        "class_name": "Dense",
        "config": {
            "name": "d",
            "units": 2,
            "quantization_config": None,
            "kernel_initializer": {
                "module": "keras.initializers",
                "class_name": "GlorotUniform",
                "config": {"seed": None, "input_axes": None, "output_axes": None},
                "registered_name": None,
            },
        },
        "registered_name": None,
    }
    assert deserialize(config).units == 2
    config["config"]["quantization_config"] = {"mode": "int8"}
    with pytest.raises(NotImplementedError, match=r"Dense\(quantization_config=\.\.\.\)"):
        deserialize(config)


def test_special_values_round_trip():
    value = {
        "array": np.arange(6, dtype="int16").reshape(2, 3),
        "tensor": torch.tensor([1.5, 2.5], device=current_device()),
        "bytes": b"abc",
        "slice": slice(1, None, 2),
        "ellipsis": Ellipsis,
        "tuple": (1, 2),
        "dtype": torch.float16,
    }
    config = serialize(value)
    assert config["array"] == {
        "class_name": "__numpy__",
        "config": {"value": [[0, 1, 2], [3, 4, 5]], "dtype": "int16"},
    }
    assert config["tensor"]["class_name"] == "__tensor__"
    assert config["tuple"] == [1, 2] and config["dtype"] == "float16"
    back = deserialize(config)
    np.testing.assert_array_equal(back["array"], value["array"])
    assert back["array"].dtype == np.int16
    assert torch.equal(back["tensor"], value["tensor"])
    assert back["bytes"] == b"abc" and back["slice"] == slice(1, None, 2)
    assert back["ellipsis"] is Ellipsis


def test_functions():
    config = serialize(keras.activations.relu)
    assert config == {
        "module": "keras.activations",
        "class_name": "function",
        "config": "relu",
        "registered_name": "relu",
    }
    assert deserialize(config) is keras.activations.relu
    loss = serialize(keras.losses.mean_squared_error)
    assert loss["module"] == "keras.losses"
    assert deserialize(loss) is keras.losses.mean_squared_error


def test_optimizer_loss_metric_from_keras_modules():
    adam = deserialize(
        {
            "module": "keras.src.backend.torch.optimizers.torch_adam",
            "class_name": "Adam",
            "config": {"learning_rate": 0.125, "beta_1": 0.5},
            "registered_name": "Adam",
        }
    )
    assert type(adam).__name__ == "Adam" and adam.beta_1 == 0.5
    assert float(adam.learning_rate) == 0.125
    loss = deserialize(
        {
            "module": "keras.losses",
            "class_name": "MeanSquaredError",
            "config": {},
            "registered_name": None,
        }
    )
    metric = deserialize(
        {
            "module": "keras.metrics",
            "class_name": "MeanSquaredError",
            "config": {},
            "registered_name": None,
        }
    )
    assert type(loss).__module__.startswith("tork.keras.losses")
    assert type(metric).__module__.startswith("tork.keras.metrics")


@keras.saving.register_keras_serializable(package="SerTests")
class _Scale(keras.layers.Layer):
    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, inputs):
        return inputs * self.factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


@keras.saving.register_keras_serializable(package="SerTests")
def _squash(x):
    return x / (1.0 + abs(x))


def test_registered_objects_round_trip():
    config = serialize(_Scale(5.0))
    assert config["registered_name"] == "SerTests>_Scale"
    assert config["module"] == __name__
    assert deserialize(config).factor == 5.0
    assert serialize(_squash)["registered_name"] == "SerTests>_squash"
    assert deserialize(serialize(_squash)) is _squash
    dense = deserialize(serialize(keras.layers.Dense(2, activation=_squash)))
    assert dense.activation is _squash
    assert keras.saving.get_registered_name(_Scale) == "SerTests>_Scale"
    assert keras.saving.get_registered_object("SerTests>_Scale") is _Scale
    assert keras.saving.get_registered_name(keras.layers.Dense) == "Dense"


def test_registration_errors():
    with pytest.raises(ValueError, match="has no get_config"):

        @keras.saving.register_keras_serializable(package="SerTests")
        class NotSaveable:
            pass

    with pytest.raises(ValueError, match=r"SerTests>_Scale has already been registered"):
        keras.saving.register_keras_serializable(package="SerTests", name="_Scale")(
            keras.layers.Dense
        )
    with pytest.raises(ValueError, match="without '>'"):
        keras.saving.register_keras_serializable(package="a>b")


def test_custom_object_scope_and_global_dict():
    class Local(keras.layers.Layer):
        pass

    config = {"module": "somewhere_else", "class_name": "Local", "config": {"name": "l"}}
    with pytest.raises(KerasFileError, match=r"Unknown class 'Local' \(module 'somewhere_else'\)"):
        deserialize(config)
    with keras.utils.CustomObjectScope({"Local": Local}):
        assert isinstance(deserialize(config), Local)
    keras.utils.get_custom_objects()["Local"] = Local
    try:
        assert isinstance(deserialize(config), Local)
    finally:
        del keras.utils.get_custom_objects()["Local"]
    assert isinstance(deserialize(config, custom_objects={"Local": Local}), Local)


def test_unknown_keras_class():
    with pytest.raises(
        KerasFileError,
        match=r"Unknown class 'Zorp' \(module 'keras.layers'\).*tork does not implement",
    ):
        deserialize({"module": "keras.layers", "class_name": "Zorp", "config": {}})


def test_safe_mode_refuses_bytecode_and_unknown_module_functions():
    lam = serialize(keras.layers.Lambda(lambda t: t + 1))
    with pytest.raises(KerasFileError, match="safe_mode=False"):
        deserialize(lam)
    layer = deserialize(lam, safe_mode=False)
    assert float(layer(torch.tensor([1.0]))[0]) == 2.0
    with SafeModeScope(False):
        assert deserialize(lam) is not None
    # A function of an imported module that is not tork's nor registered.
    config = {
        "module": "os.path",
        "class_name": "function",
        "config": "join",
        "registered_name": None,
    }
    with pytest.raises(
        KerasFileError, match=r"function 'join' of module 'os.path'.*safe_mode=False"
    ):
        deserialize(config)
    import os.path

    assert deserialize(config, safe_mode=False) is os.path.join


def test_unserializable_value():
    with pytest.raises(TypeError, match="Cannot serialize"):
        serialize(object())


def test_sequential_with_input_shape_writes_keras3_input_layer_entry():
    """Keras 3 refuses `batch_input_shape` on a Dense: the declared input becomes an
    InputLayer entry (batch_shape), as Keras 3 writes it; tork reads it back the same."""
    import numpy as np

    from tork.keras.saving.serialization import serialize_keras_object

    model = keras.Sequential(
        [keras.layers.Dense(3, input_shape=(4,), name="first"), keras.layers.Dense(2)]
    )
    config = serialize_keras_object(model)["config"]
    entry = config["layers"][0]
    assert entry["class_name"] == "InputLayer"
    assert entry["config"]["batch_shape"] == [None, 4]
    assert entry["config"]["name"] == "first_input"
    assert "batch_input_shape" not in config["layers"][1]["config"]
    rebuilt = deserialize(serialize_keras_object(model))
    assert [layer.name for layer in rebuilt.layers] == ["first", model.layers[1].name]
    assert rebuilt.input_shape == (None, 4)
    rebuilt.set_weights(model.get_weights())
    x = np.ones((2, 4), "float32")
    np.testing.assert_allclose(rebuilt(x).detach().numpy(), model(x).detach().numpy())


def _shifted_relu(x):
    return keras.activations.relu(x) - 0.1


def test_unknown_custom_activation_names_custom_objects(tmp_path):
    # A built-in layer whose config names a user function the loader cannot find: the
    # error says how to pass it, instead of blaming the layer's get_config().
    config = {"class_name": "Dense", "config": {"name": "d", "units": 2, "activation": "shifted"}}
    with pytest.raises(KerasFileError) as info:
        deserialize(config)
    message = str(info.value)
    assert "Unknown activation 'shifted'" in message
    assert "custom_objects={'shifted': shifted} to load_model" in message
    assert "register_keras_serializable()" in message
    assert "make get_config() return" not in message
    # The list of valid names ends with one full stop.
    assert re.search(r"Valid names: [a-z0-9_, ]+[a-z0-9]\. ", message), message

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, activation=_shifted_relu)])
    model.save(tmp_path / "m.keras")
    with pytest.raises(KerasFileError, match=r"custom_objects=\{'_shifted_relu': _shifted_relu\}"):
        keras.models.load_model(tmp_path / "m.keras")
    loaded = keras.models.load_model(
        tmp_path / "m.keras", custom_objects={"_shifted_relu": _shifted_relu}
    )
    x = np.ones((1, 3), "float32")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_application_helper_layers_resolve_before_applications_are_imported():
    # InceptionResNetV2 files name Keras 2's 'Custom>CustomScaleLayer', registered when
    # keras.applications is first imported: a fresh process loading a file must find it.
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from tork import keras\n"
        "assert 'tork.keras.applications' not in sys.modules\n"
        "cfg = {'class_name': 'CustomScaleLayer', 'registered_name': 'Custom>CustomScaleLayer',"
        " 'module': 'tf_keras.src.applications.inception_resnet_v2',"
        " 'config': {'scale': 0.17, 'name': 's'}}\n"
        "layer = keras.saving.deserialize_keras_object(cfg)\n"
        "print(type(layer).__name__, layer.scale)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["CustomScaleLayer", "0.17"]
