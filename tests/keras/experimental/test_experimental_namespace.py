"""`tf.keras.experimental` holds what tf_keras 2.21 exports there (SidecarEvaluator aside)."""

import pytest

from tork import keras


def test_names_are_the_stable_classes():
    experimental = keras.experimental
    assert experimental.CosineDecay is keras.optimizers.schedules.CosineDecay
    assert experimental.CosineDecayRestarts is keras.optimizers.schedules.CosineDecayRestarts
    assert experimental.LinearModel.__name__ == "LinearModel"
    assert experimental.WideDeepModel.__name__ == "WideDeepModel"
    assert experimental.SequenceFeatures.__name__ == "SequenceFeatures"


def test_missing_name_says_not_implemented():
    with pytest.raises(NotImplementedError, match="tf.keras.experimental.SidecarEvaluator"):
        keras.experimental.SidecarEvaluator  # noqa: B018
