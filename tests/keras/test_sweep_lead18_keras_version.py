"""`keras.__version__` as TensorFlow 2.21 reports `tf.keras.__version__`.

Keras 2 libraries check it: TF Recommenders raises on `tf.keras.version().startswith("3.")`,
transformers' TF models on `parse(keras.__version__).major > 2`; both tell the user to set
TF_USE_LEGACY_KERAS=1, under which TF 2.21's `tf.keras` is tf_keras 2.21.0.
"""

from packaging.version import parse

import tork as tf
from tork import keras as tork_keras


def test_default_version_is_keras3_and_parses():
    assert tf.keras.__version__ == tf.keras.version()
    assert parse(tork_keras._keras_version()).major == 3


def test_legacy_keras_environment_gives_tf_keras_version(monkeypatch):
    for value in ("1", "True", "yes"):
        monkeypatch.setenv("TF_USE_LEGACY_KERAS", value)
        assert tork_keras._keras_version() == "2.21.0"
    monkeypatch.setenv("TF_USE_LEGACY_KERAS", "0")
    assert parse(tork_keras._keras_version()).major == 3
