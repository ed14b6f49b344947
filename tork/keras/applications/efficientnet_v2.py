"""`keras.applications.efficientnet_v2`: the EfficientNetV2 B0-B3, S, M and L classifiers."""

from __future__ import annotations

import math

from tork.keras.applications import imagenet_utils
from tork.keras.applications.imagenet_utils import decode_predictions

__all__ = [
    "EfficientNetV2B0",
    "EfficientNetV2B1",
    "EfficientNetV2B2",
    "EfficientNetV2B3",
    "EfficientNetV2S",
    "EfficientNetV2M",
    "EfficientNetV2L",
    "preprocess_input",
    "decode_predictions",
]

BASE_WEIGHTS_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/efficientnet_v2/"
# md5 of the published files (with top, without top), by the model name's last two characters.
WEIGHTS_HASHES = {
    "b0": ("21ecbf6da12460d5c40bb2f29ceb2188", "893217f2bb855e2983157299931e43ff"),
    "b1": ("069f0534ff22adf035c89e2d9547a9dc", "0e80663031ca32d657f9caa404b6ec37"),
    "b2": ("424e49f28180edbde1e94797771950a7", "1dfe2e7a5d45b6632553a8961ea609eb"),
    "b3": ("1f1fc43bd98a6e4fd8fdfd551e02c7a0", "f6abf7b5849ac99a89b50dd3fd532856"),
    "-s": ("e1d88a8495beba45748fedd0cecbe016", "af0682fb74e8c54910f2d4393339c070"),
    "-m": ("a3bf6aa3276309f4fc6a34aa114c95cd", "1b8dc055df72dde80d614482840fe342"),
    "-l": ("27e6d408b53c7ebc868fefa357689935", "b0b66b5c863aef5b46e8608fe1711615"),
}

# Stages (Tan & Le, 2021, table 4 and the released configurations): kernel size, repeats,
# input filters, output filters, expand ratio, squeeze-and-excitation ratio, stride, and
# whether the block is a fused MBConv (one full convolution instead of 1x1 + depthwise).
_B_STAGES = (
    (3, 1, 32, 16, 1, 0, 1, True),
    (3, 2, 16, 32, 4, 0, 2, True),
    (3, 2, 32, 48, 4, 0, 2, True),
    (3, 3, 48, 96, 4, 0.25, 2, False),
    (3, 5, 96, 112, 6, 0.25, 1, False),
    (3, 8, 112, 192, 6, 0.25, 2, False),
)
_STAGES = {
    "b0": _B_STAGES,
    "b1": _B_STAGES,
    "b2": _B_STAGES,
    "b3": _B_STAGES,
    "s": (
        (3, 2, 24, 24, 1, 0, 1, True),
        (3, 4, 24, 48, 4, 0, 2, True),
        (3, 4, 48, 64, 4, 0, 2, True),
        (3, 6, 64, 128, 4, 0.25, 2, False),
        (3, 9, 128, 160, 6, 0.25, 1, False),
        (3, 15, 160, 256, 6, 0.25, 2, False),
    ),
    "m": (
        (3, 3, 24, 24, 1, 0, 1, True),
        (3, 5, 24, 48, 4, 0, 2, True),
        (3, 5, 48, 80, 4, 0, 2, True),
        (3, 7, 80, 160, 4, 0.25, 2, False),
        (3, 14, 160, 176, 6, 0.25, 1, False),
        (3, 18, 176, 304, 6, 0.25, 2, False),
        (3, 5, 304, 512, 6, 0.25, 1, False),
    ),
    "l": (
        (3, 4, 32, 32, 1, 0, 1, True),
        (3, 7, 32, 64, 4, 0, 2, True),
        (3, 7, 64, 96, 4, 0, 2, True),
        (3, 10, 96, 192, 4, 0.25, 2, False),
        (3, 19, 192, 224, 6, 0.25, 1, False),
        (3, 25, 224, 384, 6, 0.25, 2, False),
        (3, 7, 384, 640, 6, 0.25, 1, False),
    ),
}

# (width_coefficient, depth_coefficient, default_size) per variant.
_VARIANTS = {
    "b0": (1.0, 1.0, 224),
    "b1": (1.0, 1.1, 240),
    "b2": (1.1, 1.2, 260),
    "b3": (1.2, 1.4, 300),
    "s": (1.0, 1.0, 384),
    "m": (1.0, 1.0, 480),
    "l": (1.0, 1.0, 480),
}

_BN_MOMENTUM = 0.9
_ACTIVATION = "swish"


def _conv_initializer():
    from tork.keras.initializers import VarianceScaling

    return VarianceScaling(scale=2.0, mode="fan_out", distribution="truncated_normal")


def _dense_initializer():
    from tork.keras.initializers import VarianceScaling

    return VarianceScaling(scale=1.0 / 3.0, mode="fan_out", distribution="uniform")


def _round_filters(filters: int, width: float, divisor: int = 8) -> int:
    # Unlike EfficientNet (V1) there is no "not more than 10% below" correction.
    return int(max(divisor, int(filters * width + divisor / 2) // divisor * divisor))


def _conv(filters: int, kernel_size: int, name: str, strides: int = 1, **kwargs):
    from tork.keras import layers

    return layers.Conv2D(
        filters,
        kernel_size,
        strides=strides,
        padding="same",
        use_bias=False,
        kernel_initializer=_conv_initializer(),
        name=name,
        **kwargs,
    )


def _bn(name: str):
    from tork.keras import layers
    from tork.keras.backend import image_data_format

    axis = 1 if image_data_format() == "channels_first" else 3
    return layers.BatchNormalization(axis=axis, momentum=_BN_MOMENTUM, name=name)


def _squeeze_excite(x, filters: int, filters_in: int, se_ratio: float, name: str):
    from tork.keras import layers
    from tork.keras.backend import image_data_format

    filters_se = max(1, int(filters_in * se_ratio))
    se = layers.GlobalAveragePooling2D(name=f"{name}se_squeeze")(x)
    shape = (filters, 1, 1) if image_data_format() == "channels_first" else (1, 1, filters)
    se = layers.Reshape(shape, name=f"{name}se_reshape")(se)
    se = layers.Conv2D(
        filters_se,
        1,
        padding="same",
        activation=_ACTIVATION,
        kernel_initializer=_conv_initializer(),
        name=f"{name}se_reduce",
    )(se)
    se = layers.Conv2D(
        filters,
        1,
        padding="same",
        activation="sigmoid",
        kernel_initializer=_conv_initializer(),
        name=f"{name}se_expand",
    )(se)
    return layers.multiply([x, se], name=f"{name}se_excite")


def _block(
    inputs,
    fused: bool,
    filters_in: int,
    filters_out: int,
    expand_ratio: int,
    kernel_size: int,
    strides: int,
    se_ratio: float,
    drop_rate: float,
    name: str,
):
    """One MBConv block, or a fused MBConv block (the expansion is a full convolution)."""
    from tork.keras import layers

    filters = filters_in * expand_ratio
    x = inputs
    if expand_ratio != 1:
        # The fused block expands with the k x k strided convolution itself.
        size, stride = (kernel_size, strides) if fused else (1, 1)
        x = _conv(filters, size, f"{name}expand_conv", strides=stride)(x)
        x = _bn(f"{name}expand_bn")(x)
        x = layers.Activation(_ACTIVATION, name=f"{name}expand_activation")(x)
    if not fused:
        x = layers.DepthwiseConv2D(
            kernel_size,
            strides=strides,
            padding="same",
            use_bias=False,
            depthwise_initializer=_conv_initializer(),
            name=f"{name}dwconv2",
        )(x)
        x = _bn(f"{name}bn")(x)
        x = layers.Activation(_ACTIVATION, name=f"{name}activation")(x)
    if 0 < se_ratio <= 1:
        x = _squeeze_excite(x, filters, filters_in, se_ratio, name)
    if fused and expand_ratio == 1:
        # Without expansion the projection is the block's only (k x k, strided) convolution.
        x = _conv(filters_out, kernel_size, f"{name}project_conv", strides=strides)(x)
    else:
        x = _conv(filters_out, 1, f"{name}project_conv")(x)
    x = _bn(f"{name}project_bn")(x)
    if fused and expand_ratio == 1:
        x = layers.Activation(_ACTIVATION, name=f"{name}project_activation")(x)
    if strides == 1 and filters_in == filters_out:
        if drop_rate:
            # Keras passes its "survival probability" as the dropout rate; kept as it is,
            # since the rate only matters in training.
            x = layers.Dropout(drop_rate, noise_shape=(None, 1, 1, 1), name=f"{name}drop")(x)
        x = layers.add([x, inputs], name=f"{name}add")
    return x


def _efficientnet_v2(
    variant: str,
    include_top: bool,
    weights,
    input_tensor,
    input_shape,
    pooling,
    classes: int,
    classifier_activation,
    include_preprocessing: bool,
    name: str | None,
    dropout_rate: float = 0.2,
    drop_connect_rate: float = 0.2,
):
    from tork.keras import layers
    from tork.keras.backend import image_data_format

    width, depth, default_size = _VARIANTS[variant]
    stages = _STAGES[variant]
    model_name = f"efficientnetv2-{variant}"
    imagenet_utils._check_weights(weights, include_top, classes)
    imagenet_utils._check_pooling(pooling)
    channels_last = image_data_format() == "channels_last"
    input_shape = imagenet_utils._obtain_input_shape(
        input_shape,
        default_size=default_size,
        min_size=32,
        data_format=image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    img_input = imagenet_utils._image_input(input_tensor, input_shape)
    bn_axis = 3 if channels_last else 1
    x = img_input
    if include_preprocessing:
        channels = input_shape[-1] if channels_last else input_shape[0]
        if variant.startswith("b") and channels == 3:
            # B0-B3: pixels in [0, 255] to [0, 1], then the ImageNet mean and std.
            x = layers.Rescaling(scale=1.0 / 255)(x)
            x = layers.Normalization(
                mean=[0.485, 0.456, 0.406],
                variance=[0.229**2, 0.224**2, 0.225**2],
                axis=bn_axis,
            )(x)
        else:
            # S, M, L: pixels in [0, 255] to [-1, 1).
            x = layers.Rescaling(scale=1.0 / 128.0, offset=-1)(x)

    x = _conv(_round_filters(stages[0][2], width), 3, "stem_conv", strides=2)(x)
    x = _bn("stem_bn")(x)
    x = layers.Activation(_ACTIVATION, name="stem_activation")(x)

    total_blocks = float(sum(stage[1] for stage in stages))
    b = 0
    for i, (kernel_size, repeats, f_in, f_out, expand, se_ratio, strides, fused) in enumerate(
        stages
    ):
        filters_in, filters_out = _round_filters(f_in, width), _round_filters(f_out, width)
        for j in range(int(math.ceil(depth * repeats))):
            # Only a stage's first block changes the stride and the width.
            x = _block(
                x,
                fused,
                filters_in if j == 0 else filters_out,
                filters_out,
                expand,
                kernel_size,
                strides if j == 0 else 1,
                se_ratio,
                # Keras counts the blocks before depth scaling here (total_blocks).
                drop_connect_rate * b / total_blocks,
                name=f"block{i + 1}{chr(j + 97)}_",
            )
            b += 1

    x = _conv(_round_filters(1280, width), 1, "top_conv")(x)
    x = _bn("top_bn")(x)
    x = layers.Activation(_ACTIVATION, name="top_activation")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate, name="top_dropout")(x)
        imagenet_utils._validate_activation(classifier_activation, weights)
        x = layers.Dense(
            classes,
            activation=classifier_activation,
            kernel_initializer=_dense_initializer(),
            bias_initializer="zeros",
            name="predictions",
        )(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D(name="max_pool")(x)

    model = imagenet_utils._build_model(input_tensor, img_input, x, name or model_name)
    fname = f"{model_name}{'.h5' if include_top else '_notop.h5'}"
    file_hash = WEIGHTS_HASHES[model_name[-2:]][0 if include_top else 1]
    imagenet_utils._load_weights(model, weights, fname, BASE_WEIGHTS_PATH + fname, file_hash)
    return model


_DOC = """Instantiates the EfficientNetV2{upper} architecture (Tan & Le, 2021).

    By default the model takes images with pixels in `[0, 255]` and rescales
    them itself ({preprocessing}), so `efficientnet_v2.preprocess_input` is the
    identity. Layer names, order and weight shapes are those of Keras, so
    Keras weight files load into it. The default input size is
    {size}x{size}.

    Args:
        include_top: whether to include the pooling + dropout + `Dense`
            classifier.
        weights: `None` (random initialization), `"imagenet"` (downloaded once
            into `~/.keras/models/`), or the path to a weights file.
        input_tensor: optional Keras tensor (e.g. the output of `keras.Input()`)
            to use as the image input.
        input_shape: optional `(height, width, 3)`; only when `include_top` is
            False may it differ from `({size}, {size}, 3)`. Height and width must
            be at least 32.
        pooling: when `include_top` is False: `None` (4D output), `"avg"` or
            `"max"` (global pooling, 2D output).
        classes: number of classes when `include_top` is True and no pretrained
            weights are loaded.
        classifier_activation: activation of the top layer (`None` for logits);
            only `None` or `"softmax"` with pretrained weights.
        include_preprocessing: whether the model starts with its own input
            scaling; without it, it takes inputs already scaled as above.
        name: model name; defaults to `"efficientnetv2-{lower}"`.

    Returns:
        A functional `keras.Model`.

    Example:
    >>> base = keras.applications.EfficientNetV2{upper}(
    ...     include_top=False, weights=None, input_shape=(64, 64, 3), pooling="avg")
    >>> base.output_shape
    (None, {features})
    """


def _make(variant: str):
    def constructor(
        include_top: bool = True,
        weights="imagenet",
        input_tensor=None,
        input_shape=None,
        pooling=None,
        classes: int = 1000,
        classifier_activation="softmax",
        include_preprocessing: bool = True,
        name: str | None = None,
    ):
        return _efficientnet_v2(
            variant,
            include_top,
            weights,
            input_tensor,
            input_shape,
            pooling,
            classes,
            classifier_activation,
            include_preprocessing,
            name,
        )

    upper = variant.upper()
    constructor.__name__ = constructor.__qualname__ = f"EfficientNetV2{upper}"
    preprocessing = (
        "a `Rescaling` to `[0, 1]` and a `Normalization` with the ImageNet mean and std"
        if variant.startswith("b")
        else "a `Rescaling` to `[-1, 1]`"
    )
    width, _, size = _VARIANTS[variant]
    constructor.__doc__ = _DOC.format(
        upper=upper,
        lower=variant,
        size=size,
        preprocessing=preprocessing,
        features=_round_filters(1280, width),
    )
    return constructor


EfficientNetV2B0 = _make("b0")
EfficientNetV2B1 = _make("b1")
EfficientNetV2B2 = _make("b2")
EfficientNetV2B3 = _make("b3")
EfficientNetV2S = _make("s")
EfficientNetV2M = _make("m")
EfficientNetV2L = _make("l")


def preprocess_input(x, data_format: str | None = None):
    """A placeholder kept for API compatibility: returns `x` unchanged.

    EfficientNetV2 models rescale their input themselves (unless built with
    `include_preprocessing=False`), so they take raw pixels in `[0, 255]`.

    Args:
        x: images (NumPy array or tensor).
        data_format: unused.

    Returns:
        `x`, unchanged.
    """
    del data_format
    return x
