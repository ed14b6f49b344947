"""Reviving a class that has get_config() but no from_config(), as Keras 2 does.

tensorflow_similarity's losses keep a `Distance` object (get_config only) in their
config; tf.keras 2's SavedModel/H5 loader revives it with `cls(**config)`.
"""

import numpy as np
import pytest

import tork as tf
from tork.keras.saving.errors import KerasFileError


class _Distance:  # a plain helper: get_config() only, as tfsim's CosineDistance
    def __init__(self, name=None, aliases=None):
        self.name = name if name is not None else "distance"
        self.aliases = aliases

    def get_config(self):
        return {"name": self.name, "aliases": self.aliases}


class _NeedsMore:
    def __init__(self, size):
        self.size = size

    def get_config(self):
        return {}


class _DistLoss(tf.keras.losses.Loss):
    def __init__(self, distance=None, **kwargs):
        super().__init__(**kwargs)
        self.distance = distance if distance is not None else _Distance("cosine", [])

    def call(self, y_true, y_pred):
        return tf.reduce_mean(tf.square(y_true - y_pred), axis=-1)

    def get_config(self):
        return {**super().get_config(), "distance": self.distance}


def _model(loss):
    inputs = tf.keras.Input((2,))
    model = tf.keras.Model(inputs, tf.keras.layers.Dense(1, name="d")(inputs))
    model.compile(optimizer="sgd", loss=loss)
    return model


def test_nested_helper_revived_with_its_config(tmp_path):
    model = _model(_DistLoss(distance=_Distance("cosine", ["cos"])))
    model.fit(np.ones((4, 2), "float32"), np.ones((4, 1), "float32"), verbose=0)
    path = str(tmp_path / "similarity_model")  # SavedModel-style path, as tfsim's notebook
    model.save(path)
    custom = {"_DistLoss": _DistLoss, "_Distance": _Distance}
    loaded = tf.keras.models.load_model(path, custom_objects=custom)
    distance = loaded.loss.distance
    assert isinstance(distance, _Distance)
    assert (distance.name, distance.aliases) == ("cosine", ["cos"])
    np.testing.assert_allclose(loaded.get_weights()[0], model.get_weights()[0])


def test_constructor_that_rejects_the_config_names_the_fix(tmp_path):
    model = _model(_DistLoss(distance=_NeedsMore(3)))
    path = str(tmp_path / "m.keras")
    model.save(path)
    custom = {"_DistLoss": _DistLoss, "_NeedsMore": _NeedsMore}
    with pytest.raises(KerasFileError, match=r"_NeedsMore\(\*\*config\) failed.*from_config\(\)"):
        tf.keras.models.load_model(path, custom_objects=custom)


def test_config_that_is_not_a_dict_is_refused():
    from tork.keras.saving.serialization import deserialize_keras_object

    config = {"class_name": "_Distance", "config": ["cosine"], "module": None}
    with pytest.raises(KerasFileError, match=r"_Distance.*no from_config\(\).*not a dict"):
        deserialize_keras_object(config, custom_objects={"_Distance": _Distance})


def test_plain_class_deserialized_directly():
    from tork.keras.saving.serialization import deserialize_keras_object

    config = {"class_name": "_Distance", "config": {"name": "l2", "aliases": None}}
    revived = deserialize_keras_object(config, custom_objects={"_Distance": _Distance})
    assert isinstance(revived, _Distance) and revived.name == "l2"
