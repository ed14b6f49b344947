"""`Layer.get_config._is_default` (Keras 2's `generic_utils.default` marker).

HF transformers' `@keras_serializable` installs its own get_config only when the class's
get_config carries the marker; without it `TFBertMainLayer(config).get_config()` raised
NotImplementedError (the constructor argument is a config object).
"""

import tork as tf
from tork import keras


class _Config:
    def __init__(self, size):
        self.size = size

    def to_dict(self):
        return {"size": self.size}


def _serializable(cls):
    # The pattern of HF's decorator, reduced: keep the config object, add it to get_config.
    init = cls.__init__

    def wrapped_init(self, config, **kwargs):
        init(self, config, **kwargs)
        self._config = config

    cls.__init__ = wrapped_init
    if getattr(cls.get_config, "_is_default", False):

        def get_config(self):
            cfg = super(cls, self).get_config()
            cfg["config"] = self._config.to_dict()
            return cfg

        cls.get_config = get_config
    return cls


@_serializable
class _MainLayer(keras.layers.Layer):
    def __init__(self, config, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(config.size)

    def call(self, x):
        return self.dense(x)


def test_base_get_config_is_marked_default():
    assert keras.layers.Layer.get_config._is_default is True
    assert keras.Model.get_config._is_default is True
    assert not getattr(keras.layers.Dense.get_config, "_is_default", False)


def test_decorated_layer_config():
    layer = _MainLayer(_Config(3), name="bert")
    layer(tf.ones((1, 2)))
    config = layer.get_config()
    # tf_keras 2.21 gives the same keys: config, dtype, name, trainable.
    assert sorted(config) == ["config", "dtype", "name", "trainable"]
    assert config["config"] == {"size": 3} and config["name"] == "bert"
