"""The constructor surface every convolution layer shares: signatures, argument binding,
config keys, weight arguments reaching their weights, and keyword errors.

Expected signatures are written out from the Keras API documentation; penalties and
initial values are checked against NumPy formulas.
"""

import inspect

import numpy as np
import pytest
import torch

from tork.keras import constraints, initializers, regularizers
from tork.keras.layers import convolutional as conv
from tork.keras.layers.layer import Layer


def _np(t):
    return t.detach().cpu().numpy()


_CONV_TAIL = [
    ("activation", None),
    ("use_bias", True),
    ("kernel_initializer", "glorot_uniform"),
    ("bias_initializer", "zeros"),
    ("kernel_regularizer", None),
    ("bias_regularizer", None),
    ("activity_regularizer", None),
    ("kernel_constraint", None),
    ("bias_constraint", None),
]
_DEPTHWISE_TAIL = [
    ("activation", None),
    ("use_bias", True),
    ("depthwise_initializer", "glorot_uniform"),
    ("bias_initializer", "zeros"),
    ("depthwise_regularizer", None),
    ("bias_regularizer", None),
    ("activity_regularizer", None),
    ("depthwise_constraint", None),
    ("bias_constraint", None),
]
_SEPARABLE_TAIL = [
    ("activation", None),
    ("use_bias", True),
    ("depthwise_initializer", "glorot_uniform"),
    ("pointwise_initializer", "glorot_uniform"),
    ("bias_initializer", "zeros"),
    ("depthwise_regularizer", None),
    ("pointwise_regularizer", None),
    ("bias_regularizer", None),
    ("activity_regularizer", None),
    ("depthwise_constraint", None),
    ("pointwise_constraint", None),
    ("bias_constraint", None),
]
_REQUIRED = inspect.Parameter.empty


_FILTERS = [("filters", _REQUIRED), ("kernel_size", _REQUIRED)]


def _signature(ones, head, tail, between=(), after=()):
    """`head`, the window arguments (`between` after padding, `after` after dilation_rate),
    then `tail`; `ones` is the default of strides and dilation_rate."""
    window = [("strides", ones), ("padding", "valid"), *between, ("data_format", None)]
    return [*head, *window, ("dilation_rate", ones), *after, *tail]


def _conv_signature(ones):
    return _signature(ones, _FILTERS, _CONV_TAIL, after=[("groups", 1)])


def _transpose_signature(ones):
    return _signature(ones, _FILTERS, _CONV_TAIL, between=[("output_padding", None)])


def _depthwise_signature(ones):
    head = [("kernel_size", _REQUIRED)]
    return _signature(ones, head, _DEPTHWISE_TAIL, between=[("depth_multiplier", 1)])


def _separable_signature(ones):
    return _signature(ones, _FILTERS, _SEPARABLE_TAIL, after=[("depth_multiplier", 1)])


SIGNATURES = {
    "Conv1D": _conv_signature(1),
    "Conv2D": _conv_signature((1, 1)),
    "Conv3D": _conv_signature((1, 1, 1)),
    "Conv1DTranspose": _transpose_signature(1),
    "Conv2DTranspose": _transpose_signature((1, 1)),
    "Conv3DTranspose": _transpose_signature((1, 1, 1)),
    "DepthwiseConv1D": _depthwise_signature(1),
    "DepthwiseConv2D": _depthwise_signature((1, 1)),
    "SeparableConv1D": _separable_signature(1),
    "SeparableConv2D": _separable_signature((1, 1)),
}


@pytest.mark.parametrize("name", sorted(SIGNATURES))
def test_public_signature_is_keras(name):
    params = list(inspect.signature(getattr(conv, name)).parameters.values())
    assert [(p.name, p.default) for p in params[:-1]] == SIGNATURES[name]
    assert all(p.kind is p.POSITIONAL_OR_KEYWORD for p in params[:-1])
    assert params[-1].name == "kwargs" and params[-1].kind is params[-1].VAR_KEYWORD
    assert getattr(conv, name).__doc__.splitlines()[0].strip()


@pytest.mark.parametrize(
    "name, args, expected",
    [
        (
            "Conv2D",
            (6, 3, 2, "same", "channels_first", 1, 3, "relu", False),
            dict(filters=6, kernel_size=(3, 3), strides=(2, 2), padding="same", groups=3),
        ),
        (
            "Conv1D",
            (4, 2, 1, "causal", None, 3),
            dict(filters=4, kernel_size=(2,), padding="causal", dilation_rate=(3,)),
        ),
        (
            "Conv2DTranspose",
            (4, 3, 2, "same", 1, "channels_first", 1, "tanh", False),
            dict(filters=4, strides=(2, 2), output_padding=(1, 1), activation="tanh"),
        ),
        (
            "DepthwiseConv2D",
            (3, 2, "same", 2, "channels_first", 1, "relu", False),
            dict(kernel_size=(3, 3), strides=(2, 2), depth_multiplier=2, use_bias=False),
        ),
        (
            "SeparableConv1D",
            (4, 3, 2, "same", "channels_first", 1, 3, "relu", False),
            dict(filters=4, strides=(2,), depth_multiplier=3, activation="relu"),
        ),
    ],
)
def test_positional_arguments_bind_in_keras_order(name, args, expected):
    config = getattr(conv, name)(*args).get_config()
    for key, value in expected.items():
        assert config[key] == value, key
    if len(args) >= 5 and isinstance(args[4], str) and args[4].startswith("channels"):
        assert config["data_format"] == args[4]


_LAYER_KEYS = set(Layer(name="keys").get_config())
_SPATIAL_KEYS = ["kernel_size", "strides", "padding", "data_format", "dilation_rate"]
_CONV_CONFIG_TAIL = [name for name, _ in _CONV_TAIL]
_DEPTHWISE_CONFIG_TAIL = [name for name, _ in _DEPTHWISE_TAIL]


@pytest.mark.parametrize(
    "layer, keys",
    [
        (conv.Conv1D(2, 3), _SPATIAL_KEYS + ["filters", "groups"] + _CONV_CONFIG_TAIL),
        (conv.Conv3D(2, 2), _SPATIAL_KEYS + ["filters", "groups"] + _CONV_CONFIG_TAIL),
        (
            conv.Conv2DTranspose(2, 3),
            _SPATIAL_KEYS + ["filters", "output_padding"] + _CONV_CONFIG_TAIL,
        ),
        (conv.DepthwiseConv1D(3), _SPATIAL_KEYS + ["depth_multiplier"] + _DEPTHWISE_CONFIG_TAIL),
        (
            conv.SeparableConv2D(4, 3),
            _SPATIAL_KEYS
            + ["depth_multiplier"]
            + _DEPTHWISE_CONFIG_TAIL
            + ["filters", "pointwise_initializer", "pointwise_regularizer", "pointwise_constraint"],
        ),
    ],
)
def test_config_keys_and_their_order(layer, keys):
    # The key order is part of the JSON a model saves; it must not move.
    assert [k for k in layer.get_config() if k not in _LAYER_KEYS] == keys


def _weight_arguments(kernel_names):
    """Distinct initializer/regularizer/constraint per weight, to catch any mix-up."""
    args = {"bias_initializer": initializers.Constant(0.5)}
    args["bias_regularizer"] = regularizers.L2(0.25)
    args["bias_constraint"] = constraints.NonNeg()
    for i, kernel in enumerate(kernel_names):
        args[f"{kernel}_initializer"] = initializers.Constant(1.0 + i)
        args[f"{kernel}_regularizer"] = regularizers.L1(0.1 * (i + 1))
        args[f"{kernel}_constraint"] = constraints.UnitNorm() if i else constraints.MaxNorm(3.0)
    return args


@pytest.mark.parametrize(
    "cls, args, kernels, sample",
    [
        (conv.Conv2D, (3, 2), ("kernel",), (4, 4, 2)),
        (conv.Conv1DTranspose, (3, 2), ("kernel",), (4, 2)),
        (conv.DepthwiseConv2D, (2,), ("depthwise",), (4, 4, 2)),
        (conv.SeparableConv1D, (3, 2), ("depthwise", "pointwise"), (5, 2)),
    ],
)
def test_weight_arguments_reach_their_weights(cls, args, kernels, sample):
    weight_args = _weight_arguments(kernels)
    layer = cls(*args, activity_regularizer=regularizers.L1(0.01), **weight_args)
    config = layer.get_config()
    for key, value in weight_args.items():
        assert config[key]["class_name"] == type(value).__name__, key
        assert config[key]["config"] == value.get_config(), key
    assert config["activity_regularizer"]["config"] == {"l1": 0.01}

    x = torch.ones(2, *sample)
    out = layer(x)
    weights = {w.path.split("/")[-1]: w for w in layer.weights}
    assert list(weights) == [k if k == "kernel" else f"{k}_kernel" for k in kernels] + ["bias"]
    np.testing.assert_array_equal(_np(weights["bias"]), 0.5)
    expected = [0.25 * np.sum(_np(weights["bias"]) ** 2)]
    for i, kernel in enumerate(kernels):
        weight = weights[kernel if kernel == "kernel" else f"{kernel}_kernel"]
        np.testing.assert_array_equal(_np(weight), 1.0 + i)
        expected.append(0.1 * (i + 1) * np.sum(np.abs(_np(weight))))
        assert type(weight.constraint) is type(weight_args[f"{kernel}_constraint"])
    assert type(weights["bias"].constraint) is constraints.NonNeg
    # Keras divides the activity penalty by the batch size.
    expected.append(0.01 * np.sum(np.abs(_np(out))) / x.shape[0])
    penalties = sorted(float(p.detach()) for p in layer.losses)
    np.testing.assert_allclose(penalties, sorted(expected), rtol=1e-5)


@pytest.mark.parametrize(
    "layer, sample, weights",
    [
        (conv.Conv1D(4, 3), (6, 2), [("kernel", (3, 2, 4)), ("bias", (4,))]),
        (conv.Conv3D(4, 2, use_bias=False), (3, 3, 3, 2), [("kernel", (2, 2, 2, 2, 4))]),
        (conv.Conv3DTranspose(4, 2), (2, 2, 2, 3), [("kernel", (2, 2, 2, 4, 3)), ("bias", (4,))]),
        (
            conv.DepthwiseConv1D(3, depth_multiplier=2),
            (6, 3),
            [("depthwise_kernel", (3, 3, 2)), ("bias", (6,))],
        ),
        (
            conv.SeparableConv2D(5, 2, depth_multiplier=2, use_bias=False),
            (4, 4, 3),
            [("depthwise_kernel", (2, 2, 3, 2)), ("pointwise_kernel", (1, 1, 6, 5))],
        ),
    ],
)
def test_weight_names_shapes_and_order(layer, sample, weights):
    layer(torch.zeros(1, *sample))
    assert [(w.path.split("/")[-1], tuple(w.shape)) for w in layer.weights] == weights
    assert all(w.trainable for w in layer.weights)


def test_layer_keyword_arguments_pass_through():
    layer = conv.SeparableConv2D(4, 3, name="sep_kw", trainable=False, dtype="float64")
    assert layer.name == "sep_kw" and layer.trainable is False
    assert layer(torch.zeros(1, 5, 5, 2, dtype=torch.float64)).dtype == torch.float64
    assert layer.get_config()["trainable"] is False


@pytest.mark.parametrize(
    "cls, args, kwargs, bad",
    [
        (conv.Conv2D, (4, 3), {"foo": 1}, "foo"),
        # `groups` is accepted (and ignored with a warning) as tf.keras 2 does: see
        # test_depthwise_separable.py.
        (conv.Conv2DTranspose, (4, 3), {"depth_multiplier": 2}, "depth_multiplier"),
        # kernel_initializer/regularizer/constraint are accepted and ignored, as tf.keras 2
        # does: see test_sweep_tfmodels_depthwise.py.
        (conv.DepthwiseConv2D, (3,), {"pointwise_initializer": "ones"}, "pointwise_initializer"),
        (conv.DepthwiseConv1D, (3,), {"filters": 2}, "filters"),
        (conv.SeparableConv2D, (4, 3), {"kernel_size_": 2}, "kernel_size_"),
    ],
)
def test_unknown_keyword_is_named(cls, args, kwargs, bad):
    with pytest.raises(
        TypeError, match=rf"Keyword argument not understood by {cls.__name__}: '{bad}'"
    ):
        cls(*args, **kwargs)


def test_too_many_positional_arguments():
    with pytest.raises(TypeError, match=r"Conv2D\.__init__\(\) takes from 3 to 17 positional"):
        conv.Conv2D(4, 3, 1, "valid", None, 1, 1, None, True, "ones", "zeros", *[None] * 6)
    with pytest.raises(TypeError, match=r"missing 1 required positional argument: 'kernel_size'"):
        conv.DepthwiseConv2D()


def test_separable_conv_has_no_single_kernel():
    with pytest.raises(
        AttributeError,
        match=r"SeparableConv1D has no 'kernel': its weights are 'depthwise_kernel' and "
        r"'pointwise_kernel'",
    ):
        _ = conv.SeparableConv1D(2, 3).kernel


@pytest.mark.parametrize(
    "cls, args, kwargs, message",
    [
        (conv.Conv2DTranspose, (0, 3), {}, r"Conv2DTranspose\(filters=\.\.\.\) must be a positive"),
        (
            conv.Conv2DTranspose,
            (2, 3),
            {"output_padding": -1},
            r"Conv2DTranspose\(output_padding=\.\.\.\) must be non-negative integers, got -1",
        ),
        (conv.SeparableConv2D, (0, 3), {}, r"SeparableConv2D\(filters=\.\.\.\) must be a positive"),
        (
            conv.SeparableConv1D,
            (2, 3),
            {"depth_multiplier": 1.5},
            r"SeparableConv1D\(depth_multiplier=\.\.\.\) must be a positive integer, got 1\.5",
        ),
        (conv.Conv1D, (2, 3), {"groups": True}, r"Conv1D\(groups=\.\.\.\) must be a positive"),
        (
            conv.DepthwiseConv1D,
            (3,),
            {"dilation_rate": (1, 1)},
            r"DepthwiseConv1D\(dilation_rate=\.\.\.\) must be an integer or a tuple of 1 "
            r"integers, got \(1, 1\) \(2 values\)",
        ),
        (
            conv.Conv3DTranspose,
            (2, 3),
            {"data_format": "NCDHW"},
            r"Conv3DTranspose\(data_format=\.\.\.\) must be 'channels_last' or 'channels_first'",
        ),
    ],
)
def test_argument_errors_name_the_class_and_argument(cls, args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        cls(*args, **kwargs)


@pytest.mark.parametrize(
    "make",
    [
        lambda: conv.Conv2D(4, 3, strides=2, dilation_rate=2),
        lambda: conv.Conv1D(4, 3, strides=2, dilation_rate=2),
        lambda: conv.Conv2D(4, 3, strides=(1, 2), dilation_rate=(2, 1)),
        lambda: conv.DepthwiseConv2D(3, strides=2, dilation_rate=2),
        lambda: conv.SeparableConv2D(4, 3, strides=2, dilation_rate=2),
        lambda: conv.Conv2DTranspose(4, 3, strides=2, dilation_rate=2),
    ],
)
def test_strides_with_dilation_is_refused_like_keras(make):
    # TF 2.21 (Keras 2 and 3) raises this ValueError at construction, for any axes.
    with pytest.raises(ValueError, match=r"`strides > 1` not supported in conjunction with"):
        make()
