"""Config keys tf_keras 2.21 writes that tork's get_config left out, and what files keep.

get_config now has tf_keras's `rng_type` (its image augmentation layers), SpatialDropout's
`noise_shape`, InputLayer's `optional` and the lookup layers' `vocabulary_size`. Files leave
out what Keras 3's constructors reject (`rng_type`, SpatialDropout's `noise_shape` and
`trainable`: tork's `.keras` and `.h5` of a SpatialDropout failed in Keras 3 with "unexpected
keyword argument 'trainable'") and what tf_keras rejects at Keras 3's defaults (the random
layers' `data_format`, RandomContrast's `value_range`: tork's files of a RandomFlip failed in
tf_keras with "Keyword argument not understood: data_format"). Expected configs: printed by
tf_keras 2.21 (/tmp/fuzzsave2/item5/cfg.py); both libraries loaded the files (files.py).
"""

import json
import zipfile

import numpy as np
import pytest

import tork as tf

keras = tf.keras
L = keras.layers


def test_spatial_dropout_config_is_tf_keras():
    # tf_keras 2.21: SpatialDropout1D(0.2, name="x").get_config()
    assert L.SpatialDropout1D(0.2, name="x").get_config() == {
        "name": "x",
        "trainable": True,
        "dtype": "float32",
        "rate": 0.2,
        "noise_shape": None,
        "seed": None,
    }
    layer = L.SpatialDropout2D.from_config(L.SpatialDropout2D(0.3).get_config())
    assert layer.rate == 0.3


@pytest.mark.parametrize(
    "make",
    [lambda: L.RandomFlip(name="x"), lambda: L.RandomRotation(0.1, name="x")],
)
def test_random_layers_write_rng_type(make):
    config = make().get_config()
    assert config["rng_type"] == "stateful"  # tf_keras 2.21's default
    assert L.RandomFlip(rng_type="stateless").get_config()["rng_type"] == "stateless"
    type(make()).from_config(config)


def test_keras3_only_augmentation_layers_have_no_rng_type():
    assert "rng_type" not in L.RandomGrayscale().get_config()


def test_input_layer_writes_optional():
    assert L.InputLayer(input_shape=(3,), name="x").get_config()["optional"] is False
    inputs = keras.Input((3,), name="inp")
    model = keras.Model(inputs, L.Dense(2)(inputs))
    assert model.layers[0].get_config()["optional"] is False


def test_lookup_layers_write_vocabulary_size():
    # tf_keras 2.21: None before a vocabulary is set; the size with special tokens after.
    assert L.StringLookup().get_config()["vocabulary_size"] is None
    assert L.IntegerLookup().get_config()["vocabulary_size"] is None
    assert L.StringLookup(vocabulary=["a", "b"]).get_config()["vocabulary_size"] == 3
    adapted = L.StringLookup()
    adapted.adapt(np.array(["a", "b", "a"]))
    assert adapted.get_config()["vocabulary_size"] == 3
    assert L.TextVectorization().get_config()["vocabulary_size"] == 2
    text = L.TextVectorization()
    text.adapt(np.array(["a b", "c"]))
    assert text.get_config()["vocabulary_size"] == 5
    rebuilt = L.StringLookup.from_config(adapted.get_config())
    assert rebuilt.vocabulary_size() == 3


def _model():
    return keras.Sequential(
        [
            keras.Input((4, 4, 2)),
            L.RandomFlip(name="rf"),
            L.RandomContrast(0.1, name="rc"),
            L.Conv2D(2, 3, name="c"),
            L.SpatialDropout2D(0.3, name="sd"),
            L.Flatten(),
            L.Dense(2, name="d"),
        ]
    )


def test_files_leave_out_the_keys_the_other_keras_rejects(tmp_path):
    import h5py

    model = _model()
    x = np.linspace(0, 1, 64, dtype="float32").reshape(2, 4, 4, 2)
    want = model.predict(x, verbose=0)
    model.save(str(tmp_path / "m.keras"))
    model.save(str(tmp_path / "m.h5"))
    with zipfile.ZipFile(str(tmp_path / "m.keras")) as archive:
        keras_layers = json.loads(archive.read("config.json"))["config"]["layers"]
    with h5py.File(str(tmp_path / "m.h5")) as f:
        h5_layers = json.loads(f.attrs["model_config"])["config"]["layers"]
    for layers in (keras_layers, h5_layers):
        configs = {entry["class_name"]: entry["config"] for entry in layers}
        assert "rng_type" not in configs["RandomFlip"]
        assert "data_format" not in configs["RandomFlip"]
        assert "value_range" not in configs["RandomContrast"]
        assert "noise_shape" not in configs["SpatialDropout2D"]
        assert "trainable" not in configs["SpatialDropout2D"]
        assert configs["InputLayer"]["optional"] is False
    for ext in ("keras", "h5"):
        loaded = keras.models.load_model(str(tmp_path / f"m.{ext}"))
        np.testing.assert_allclose(loaded.predict(x, verbose=0), want, rtol=1e-6)


def test_tf_keras_configs_with_these_keys_load():
    # Layer configs as tf_keras 2.21 writes them.
    flip = L.RandomFlip.from_config(
        {
            "name": "rf",
            "trainable": True,
            "dtype": "float32",
            "rng_type": "stateful",
            "mode": "horizontal_and_vertical",
            "seed": None,
        }
    )
    assert flip.get_config()["rng_type"] == "stateful"
    drop = L.SpatialDropout1D.from_config(
        {
            "name": "sd1",
            "trainable": True,
            "dtype": "float32",
            "rate": 0.2,
            "noise_shape": None,
            "seed": None,
        }
    )
    assert drop.rate == 0.2
    lookup = L.StringLookup.from_config({**L.StringLookup().get_config(), "vocabulary_size": 3})
    assert lookup.get_config()["vocabulary_size"] == 3


def test_mixed_policy_is_written_as_its_name_in_keras_files(tmp_path):
    # tf_keras's {"class_name": "Policy"} entry fails in Keras 3.15 ("'str' object has no
    # attribute 'quantization_mode'"), Keras 3's {"class_name": "DTypePolicy"} in tf_keras;
    # both read the name (checked with /tmp/fuzzsave2/dtypes.py).
    inputs = keras.Input((4,), name="x")
    hidden = L.Dense(3, dtype="mixed_float16", name="d1")(inputs)
    model = keras.Model(inputs, L.Dense(2, dtype="float32", name="o")(hidden))
    x = np.linspace(-1, 1, 8, dtype="float32").reshape(2, 4)
    want = model.predict(x, verbose=0)
    path = str(tmp_path / "m.keras")
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        layers = json.loads(archive.read("config.json"))["config"]["layers"]
    assert {e["name"]: e["config"]["dtype"] for e in layers}["d1"] == "mixed_float16"
    # get_config keeps tf_keras's Policy entry.
    assert model.get_layer("d1").get_config()["dtype"]["class_name"] == "Policy"
    loaded = keras.models.load_model(path)
    assert loaded.get_layer("d1").dtype_policy.name == "mixed_float16"
    np.testing.assert_allclose(loaded.predict(x, verbose=0), want, rtol=1e-3)
