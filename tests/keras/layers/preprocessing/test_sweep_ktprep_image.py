"""Image augmentation layers as Keras 2 (sweep of tf_keras's own image preprocessing tests).

Expected values were computed with real tf_keras 2.21 (TF_USE_LEGACY_KERAS=1).
"""

import json

import numpy as np
import pytest

from tork import keras

L = keras.layers


def test_tf_keras_configs_with_rng_type_load():
    # What tf_keras 2.21's Sequential([Input((8, 8, 3)), RandomFlip(seed=1),
    # RandomRotation(0.1)]).to_json() writes for the layers (abridged).
    flip = {"name": "random_flip", "trainable": True, "dtype": "float32",
            "mode": "horizontal_and_vertical", "seed": 1, "rng_type": "stateful"}  # fmt: skip
    rotation = {"name": "random_rotation", "trainable": True, "dtype": "float32",
                "factor": 0.1, "fill_mode": "reflect", "fill_value": 0.0,
                "interpolation": "bilinear", "seed": None, "rng_type": "stateful"}  # fmt: skip
    config = {
        "class_name": "Sequential",
        "config": {
            "name": "sequential",
            "layers": [
                {"class_name": "InputLayer",
                 "config": {"batch_input_shape": [None, 8, 8, 3], "dtype": "float32",
                            "sparse": False, "ragged": False, "name": "input_1"}},
                {"class_name": "RandomFlip", "config": flip},
                {"class_name": "RandomRotation", "config": rotation},
            ],
        },
        "keras_version": "2.21.0",
        "backend": "tensorflow",
    }  # fmt: skip
    model = keras.models.model_from_json(json.dumps(config))
    assert [type(layer).__name__ for layer in model.layers] == ["RandomFlip", "RandomRotation"]
    assert model.layers[0].seed == 1
    # get_config writes it back as tf_keras does (saveleft22); files leave it out (Keras 3).
    assert model.layers[0].get_config()["rng_type"] == "stateful"
    assert "rng_type" not in json.loads(model.to_json())["config"]["layers"][1]["config"]
    for cls, args in [(L.RandomContrast, (0.1,)), (L.RandomCrop, (2, 2)), (L.RandomZoom, (0.1,)),
                      (L.RandomTranslation, (0.1, 0.1)), (L.RandomHeight, (0.1,)),
                      (L.RandomWidth, (0.1,)), (L.RandomBrightness, (0.1,))]:  # fmt: skip
        cls(*args, rng_type="stateless")


def test_integer_layer_dtype_is_the_output_dtype():
    images = np.array([[[10.0], [20.0]], [[30.0], [40.0]]], dtype="float64")
    out = L.RandomContrast((0.5, 0.6), dtype="uint8")(images)
    assert str(out.dtype) == "torch.uint8"
    np.testing.assert_array_equal(
        L.RandomContrast((0.5, 0.5), dtype="uint8")(images, training=False).numpy().ravel(),
        [10, 20, 30, 40],
    )
    # factor (1, 1) adds the whole value range: every pixel saturates at 255 (tf_keras too).
    bright = L.RandomBrightness((1.0, 1.0), dtype="uint8")(images)
    assert str(bright.dtype) == "torch.uint8"
    np.testing.assert_array_equal(bright.numpy().ravel(), [255, 255, 255, 255])
    assert str(L.RandomBrightness((0.0, 1.0))(images).dtype) == "torch.float32"


def test_reversed_factor_bounds_are_refused():
    with pytest.raises(ValueError, match="cannot have an upper bound less than the lower bound"):
        L.RandomRotation((0.5, 0.2))
    with pytest.raises(ValueError, match="cannot have an upper bound less than the lower bound"):
        L.RandomTranslation(height_factor=(0.5, 0.2), width_factor=0.0)
    # RandomZoom takes them as given in Keras 2.
    L.RandomZoom((0.5, 0.2))
