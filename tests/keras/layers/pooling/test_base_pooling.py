"""The constructor surface the pooling layers share: signatures, argument binding, config
keys and keyword errors. Expected signatures are written out from the Keras API documentation.
"""

import inspect

import pytest
import torch

from tork.keras.layers import pooling
from tork.keras.layers.layer import Layer

_REQUIRED = inspect.Parameter.empty


def _pool_signature(pool_size):
    return [
        ("pool_size", pool_size),
        ("strides", None),
        ("padding", "valid"),
        ("data_format", None),
        ("name", None),
    ]


SIGNATURES = {
    "MaxPooling1D": _pool_signature(2),
    "MaxPooling2D": _pool_signature((2, 2)),
    "MaxPooling3D": _pool_signature((2, 2, 2)),
    "AveragePooling1D": _pool_signature(2),
    "AveragePooling2D": _pool_signature((2, 2)),
    "AveragePooling3D": _pool_signature((2, 2, 2)),
}
for _mode in ("Max", "Average"):
    for _rank in (1, 2, 3):
        SIGNATURES[f"Global{_mode}Pooling{_rank}D"] = [("data_format", None), ("keepdims", False)]


@pytest.mark.parametrize("name", sorted(SIGNATURES))
def test_public_signature_is_keras(name):
    params = list(inspect.signature(getattr(pooling, name)).parameters.values())
    assert [(p.name, p.default) for p in params[:-1]] == SIGNATURES[name]
    assert all(p.kind is p.POSITIONAL_OR_KEYWORD for p in params[:-1])
    assert params[-1].name == "kwargs" and params[-1].kind is params[-1].VAR_KEYWORD
    assert getattr(pooling, name).__doc__.splitlines()[0].strip()


@pytest.mark.parametrize("cls", [pooling.MaxPooling2D, pooling.AveragePooling2D])
def test_positional_arguments_bind_in_keras_order(cls):
    layer = cls((2, 3), 1, "same", "channels_first", "pool_pos")
    config = layer.get_config()
    assert layer.name == config["name"] == "pool_pos"
    assert config["pool_size"] == (2, 3) and config["strides"] == (1, 1)
    assert config["padding"] == "same" and config["data_format"] == "channels_first"
    assert tuple(layer(torch.zeros(1, 2, 4, 6)).shape) == (1, 2, 4, 6)


def test_global_pooling_positional_arguments():
    layer = pooling.GlobalMaxPooling3D("channels_first", True)
    assert layer.get_config()["data_format"] == "channels_first" and layer.keepdims is True
    assert tuple(layer(torch.zeros(2, 3, 2, 2, 2)).shape) == (2, 3, 1, 1, 1)


_LAYER_KEYS = set(Layer(name="keys").get_config())


@pytest.mark.parametrize(
    "layer, keys",
    [
        (pooling.MaxPooling1D(), ["pool_size", "strides", "padding", "data_format"]),
        (pooling.AveragePooling3D(), ["pool_size", "strides", "padding", "data_format"]),
        (pooling.GlobalAveragePooling1D(), ["data_format", "keepdims"]),
        (pooling.GlobalMaxPooling2D(), ["data_format", "keepdims"]),
    ],
)
def test_config_keys_and_their_order(layer, keys):
    assert [k for k in layer.get_config() if k not in _LAYER_KEYS] == keys


@pytest.mark.parametrize(
    "cls, mode",
    [
        (pooling.MaxPooling1D, "max"),
        (pooling.MaxPooling3D, "max"),
        (pooling.AveragePooling1D, "average"),
        (pooling.AveragePooling2D, "average"),
        (pooling.GlobalMaxPooling1D, "max"),
        (pooling.GlobalAveragePooling3D, "average"),
    ],
)
def test_pool_mode_and_rank(cls, mode):
    layer = cls()
    assert layer.pool_mode == mode
    assert layer.rank == int(cls.__name__[-2])


@pytest.mark.parametrize(
    "cls", [pooling.MaxPooling2D, pooling.AveragePooling1D, pooling.GlobalAveragePooling2D]
)
def test_unknown_keyword_is_named(cls):
    with pytest.raises(TypeError, match=rf"Keyword argument not understood by {cls.__name__}: 'x'"):
        cls(x=1)


def test_layer_keyword_arguments_pass_through():
    layer = pooling.AveragePooling2D(name="avg_kw", trainable=False, dtype="float64")
    assert layer.name == "avg_kw" and layer.trainable is False
    assert layer(torch.ones(1, 4, 4, 1, dtype=torch.float64)).dtype == torch.float64


def test_argument_errors_name_the_class():
    with pytest.raises(
        ValueError, match=r"AveragePooling3D\(strides=\.\.\.\) must be positive integers, got 0"
    ):
        pooling.AveragePooling3D(strides=0)
    with pytest.raises(
        ValueError, match=r"MaxPooling1D\(pool_size=\.\.\.\) must be an integer or a tuple of 1"
    ):
        pooling.MaxPooling1D((2, 2))
    with pytest.raises(
        ValueError,
        match=r"GlobalAveragePooling3D\(data_format=\.\.\.\) must be 'channels_last' or",
    ):
        pooling.GlobalAveragePooling3D(data_format="NDHWC")
