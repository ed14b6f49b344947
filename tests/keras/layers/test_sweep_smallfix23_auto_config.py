"""Keras 2's automatic get_config of user layers (no get_config override).

Expected configs and names come from tf_keras 2.21 (TF_USE_LEGACY_KERAS=1, reference env).
"""

import numpy as np
import pytest

from tork import keras


class _Kwargs(keras.layers.Layer):
    def __init__(self, units=3, act="relu", **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def call(self, x):
        return x


class _Kw(keras.layers.Layer):
    def __init__(self, units=3, **kw):
        super().__init__(**kw)
        self.units = units

    def call(self, x):
        return x * self.units


class _VarArgs(keras.layers.Layer):
    def __init__(self, units, *args, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def call(self, x):
        return x


class _NoKwargs(keras.layers.Layer):
    def __init__(self, units=3):
        super().__init__()
        self.units = units

    def call(self, x):
        return x + self.units


class _KeywordOnlyName(keras.layers.Layer):
    def __init__(self, units=3, *, name=None, **kw):
        super().__init__(name=name, **kw)
        self.units = units

    def call(self, x):
        return x


class _NamedName(keras.layers.Layer):
    def __init__(self, units=3, name=None, **kw):
        super().__init__(name=name, **kw)
        self.units = units

    def call(self, x):
        return x


@pytest.mark.parametrize(
    "make, expected",
    [
        (
            lambda: _Kwargs(5, act="tanh", name="a", trainable=False, dtype="float64"),
            {"act": "tanh", "dtype": "float64", "name": "a", "trainable": False, "units": 5},
        ),
        (lambda: _Kw(5, name="b", trainable=False, dtype="float64"), {"units": 5}),
        (lambda: _Kw(5, input_shape=(3,), name="bb"), {"input_shape": (3,), "units": 5}),
        (
            lambda: _VarArgs(5, 7, name="c"),
            {"dtype": "float32", "name": "c", "trainable": True, "units": 5},
        ),
        (lambda: _NoKwargs(5), {"units": 5}),
        (lambda: _KeywordOnlyName(5, name="hh", trainable=False), {"units": 5}),
        (lambda: _NamedName(5, name="nn"), {"units": 5, "name": "nn"}),
    ],
)
def test_automatic_config_keys(make, expected):
    config = make().get_config()
    assert {k: tuple(v) if isinstance(v, list) else v for k, v in config.items()} == expected


def test_from_config_of_layers_without_kwargs():
    # tf_keras: _Kw.from_config -> trainable True, float32, units 5 (name a fresh one).
    layer = _Kw.from_config(_Kw(5, name="b", trainable=False, dtype="float64").get_config())
    assert (layer.trainable, layer.dtype, layer.units) == (True, "float32", 5)
    assert _NoKwargs.from_config(_NoKwargs(5).get_config()).units == 5
    assert _VarArgs.from_config(_VarArgs(5, 7, name="c").get_config()).name == "c"


def test_clone_model_and_save_with_layers_without_kwargs(tmp_path):
    # tf_keras: clone_model and load_model work; output [[9, 9, 9]] for ones.
    inp = keras.Input((3,))
    out = _NoKwargs(5)(_Kw(4, name="bq")(inp))
    model = keras.Model(inp, out)
    x = np.ones((1, 3), "float32")
    clone = keras.models.clone_model(model)
    assert [getattr(layer, "units", None) for layer in clone.layers] == [None, 4, 5]
    np.testing.assert_allclose(np.asarray(clone(x)), [[9.0, 9.0, 9.0]])
    for suffix in (".keras", ".h5"):
        model.save(tmp_path / f"m{suffix}")
        loaded = keras.models.load_model(
            tmp_path / f"m{suffix}", custom_objects={"_Kw": _Kw, "_NoKwargs": _NoKwargs}
        )
        np.testing.assert_allclose(np.asarray(loaded(x)), [[9.0, 9.0, 9.0]])
