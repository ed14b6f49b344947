"""errfuzz2: a custom layer whose get_config() forgets `return config`.

TF 2.21 + tf_keras raises at save time: TypeError "The `get_config()` method of <MyL ...>
should return a dict. It returned: None"; tork saved a config of None without a word.
"""

import pytest

import tork as tf

keras = tf.keras


class _NoReturn(keras.layers.Layer):
    def call(self, x):
        return x

    def get_config(self):
        config = super().get_config()
        config.update(extra=1)


@pytest.mark.parametrize("name", ["m.keras", "m.h5"])
def test_get_config_returning_none_fails_at_save(tmp_path, name):
    inp = keras.Input((3,))
    model = keras.Model(inp, _NoReturn()(inp))
    with pytest.raises(
        TypeError, match=r"`get_config\(\)` method of _NoReturn should return a dict.*return config"
    ):
        model.save(str(tmp_path / name))
