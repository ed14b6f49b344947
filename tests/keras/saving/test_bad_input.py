"""Bad files across every format: a clear error, and nothing half-loaded into the model.

Complements the per-format tests (test_keras_archive, test_weights_h5,
test_legacy_h5) with the cases the issue lists, for the formats they do not
cover: missing files of each kind, truncated Keras 2 `.h5` files and `.keras`
archives loaded with `load_weights`, a `.keras` whose weights belong to
another architecture, and unknown custom classes in Keras 2 files.
"""

import json

import h5py
import numpy as np
import pytest

from tork import keras
from tork.keras.saving import KerasFileError


def _model(units=4):
    return keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(units, name="first"), keras.layers.Dense(2)]
    )


def _unchanged(model, before) -> bool:
    return all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))


@pytest.mark.parametrize("name", ["m.keras", "m.h5", "m.weights.h5", "folder/m.keras"])
def test_missing_file_names_the_path(tmp_path, name):
    path = tmp_path / name
    with pytest.raises(FileNotFoundError, match=r"No such (model|weights) file: .*m\."):
        if name.endswith(".weights.h5"):
            _model().load_weights(path)
        else:
            keras.models.load_model(path)


@pytest.mark.parametrize("name", ["m.keras", "m.h5"])
def test_missing_file_for_load_weights(tmp_path, name):
    model = _model()
    before = model.get_weights()
    with pytest.raises(FileNotFoundError, match=r"No such .*file: .*m\."):
        model.load_weights(tmp_path / name)
    assert _unchanged(model, before)


@pytest.mark.parametrize("suffix", [".keras", ".h5", ".weights.h5"])
@pytest.mark.parametrize("keep", [0.9, 0.5, 0.1])
def test_truncated_file_loads_nothing(tmp_path, suffix, keep):
    path = tmp_path / f"m{suffix}"
    source = _model()
    if suffix == ".weights.h5":
        source.save_weights(path)
    else:
        source.save(path)
    payload = path.read_bytes()
    path.write_bytes(payload[: int(len(payload) * keep)])
    target = _model()
    before = target.get_weights()
    with pytest.raises(KerasFileError, match="truncated or corrupted|corrupted"):
        target.load_weights(path)
    assert _unchanged(target, before)
    if suffix != ".weights.h5":
        with pytest.raises(KerasFileError, match="truncated or corrupted|corrupted"):
            keras.models.load_model(path)


def test_keras_archive_of_another_architecture_names_layer_and_shapes(tmp_path):
    path = tmp_path / "m.keras"
    _model(units=5).save(path)
    target = _model(units=4)
    before = target.get_weights()
    with pytest.raises(
        KerasFileError,
        match=r"Dense layer 'first' at 'layers/dense': weight .*kernel.* has shape \(3, 4\) in the "
        r"model but \(3, 5\) in the file.*different architecture",
    ):
        target.load_weights(path)
    assert _unchanged(target, before)


def test_legacy_h5_of_another_architecture_loads_nothing(tmp_path):
    path = tmp_path / "m.h5"
    _model(units=5).save_weights(path)
    target = _model(units=4)
    before = target.get_weights()
    with pytest.raises(
        KerasFileError,
        match=r"Dense layer 'first'.*has shape \(3, 4\) in the model but \(3, 5\) in the file",
    ):
        target.load_weights(path)
    assert _unchanged(target, before)


def test_unknown_custom_class_in_a_keras2_h5_file(tmp_path):
    model_config = {
        "class_name": "Sequential",
        "config": {
            "name": "sequential",
            "layers": [
                {
                    "class_name": "InputLayer",
                    "config": {"batch_input_shape": [None, 3], "dtype": "float32", "name": "in"},
                },
                {
                    "class_name": "MyProject>Scale",
                    "config": {"name": "scale", "trainable": True, "dtype": "float32"},
                },
            ],
        },
    }
    path = tmp_path / "custom.h5"
    with h5py.File(path, "w") as f:
        f.attrs["backend"] = b"tensorflow"
        f.attrs["keras_version"] = b"2.15.0"
        f.attrs["model_config"] = json.dumps(model_config).encode()
        weights = f.create_group("model_weights")
        weights.attrs["layer_names"] = np.array([b"scale"])
        weights.create_group("scale").attrs["weight_names"] = np.array([], dtype=np.float64)
    with pytest.raises(
        KerasFileError,
        match=r"Unknown class 'MyProject>Scale'.*"
        r"register_keras_serializable\(package='MyProject'\).*"
        r"custom_objects=\{'MyProject>Scale': Scale\}",
    ):
        keras.models.load_model(path)

    # The advice works.
    class Scale(keras.layers.Layer):
        pass

    model = keras.models.load_model(path, custom_objects={"MyProject>Scale": Scale})
    assert isinstance(model.layers[0], Scale)
