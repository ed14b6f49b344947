"""to_yaml/model_from_yaml: removed in Keras 2.6; tf_keras 2.21's RuntimeError texts."""

import pytest

from tork import keras


def test_to_yaml_says_it_was_removed_and_names_to_json():
    model = keras.Sequential([keras.layers.Dense(1, input_shape=(2,))])
    with pytest.raises(RuntimeError, match=r"`model.to_yaml\(\)` has been removed.*to_json"):
        model.to_yaml()


def test_model_from_yaml_says_it_was_removed_and_names_model_from_json():
    with pytest.raises(RuntimeError, match=r"`model_from_yaml\(\)` has been removed.*from_json"):
        keras.models.model_from_yaml("class_name: Sequential")
