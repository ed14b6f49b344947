"""`keras.applications.efficientnet`: the EfficientNet B0 to B7 image classifiers."""

from __future__ import annotations

import math

from tork.keras.applications import imagenet_utils
from tork.keras.applications.imagenet_utils import decode_predictions

__all__ = [
    "EfficientNetB0",
    "EfficientNetB1",
    "EfficientNetB2",
    "EfficientNetB3",
    "EfficientNetB4",
    "EfficientNetB5",
    "EfficientNetB6",
    "EfficientNetB7",
    "preprocess_input",
    "decode_predictions",
]

BASE_WEIGHTS_PATH = "https://storage.googleapis.com/keras-applications/"

# (kernel_size, repeats, filters_in, filters_out, expand_ratio, strides) of the seven
# stages of B0 (Tan & Le, 2019); every block has an identity skip and se_ratio 0.25.
_STAGES = (
    (3, 1, 32, 16, 1, 1),
    (3, 2, 16, 24, 6, 2),
    (5, 2, 24, 40, 6, 2),
    (3, 3, 40, 80, 6, 2),
    (5, 3, 80, 112, 6, 1),
    (5, 4, 112, 192, 6, 2),
    (3, 1, 192, 320, 6, 1),
)
_SE_RATIO = 0.25

# (width_coefficient, depth_coefficient, default_size, dropout_rate) per variant.
_VARIANTS = {
    "b0": (1.0, 1.0, 224, 0.2),
    "b1": (1.0, 1.1, 240, 0.2),
    "b2": (1.1, 1.2, 260, 0.3),
    "b3": (1.2, 1.4, 300, 0.3),
    "b4": (1.4, 1.8, 380, 0.4),
    "b5": (1.6, 2.2, 456, 0.4),
    "b6": (1.8, 2.6, 528, 0.5),
    "b7": (2.0, 3.1, 600, 0.5),
}

# The published ImageNet weights expect pixels in [0, 255] normalized by these
# (the Normalization layer holds the means and variances; its variance is the
# square of the std, so a further Rescaling by 1/std is needed, as in Keras).
_IMAGENET_STDDEV_RGB = (0.229, 0.224, 0.225)


def _conv_initializer():
    from tork.keras.initializers import VarianceScaling

    return VarianceScaling(scale=2.0, mode="fan_out", distribution="truncated_normal")


def _dense_initializer():
    from tork.keras.initializers import VarianceScaling

    return VarianceScaling(scale=1.0 / 3.0, mode="fan_out", distribution="uniform")


def _block(
    inputs,
    activation: str,
    drop_rate: float,
    name: str,
    filters_in: int,
    filters_out: int,
    kernel_size: int,
    strides: int,
    expand_ratio: int,
):
    """One mobile inverted bottleneck (MBConv) block with squeeze-and-excitation."""
    from tork.keras import layers
    from tork.keras.backend import image_data_format

    channels_last = image_data_format() == "channels_last"
    bn_axis = -1 if channels_last else 1
    filters = filters_in * expand_ratio
    x = inputs
    if expand_ratio != 1:
        x = layers.Conv2D(
            filters,
            1,
            padding="same",
            use_bias=False,
            kernel_initializer=_conv_initializer(),
            name=f"{name}expand_conv",
        )(x)
        x = layers.BatchNormalization(axis=bn_axis, name=f"{name}expand_bn")(x)
        x = layers.Activation(activation, name=f"{name}expand_activation")(x)
    if strides == 2:
        pad = imagenet_utils._correct_pad(x, kernel_size)
        x = layers.ZeroPadding2D(padding=pad, name=f"{name}dwconv_pad")(x)
    x = layers.DepthwiseConv2D(
        kernel_size,
        strides=strides,
        padding="valid" if strides == 2 else "same",
        use_bias=False,
        depthwise_initializer=_conv_initializer(),
        name=f"{name}dwconv",
    )(x)
    x = layers.BatchNormalization(axis=bn_axis, name=f"{name}bn")(x)
    x = layers.Activation(activation, name=f"{name}activation")(x)

    # Squeeze and excitation: per-channel gates from the globally pooled features.
    filters_se = max(1, int(filters_in * _SE_RATIO))
    se = layers.GlobalAveragePooling2D(name=f"{name}se_squeeze")(x)
    se = layers.Reshape(
        (1, 1, filters) if channels_last else (filters, 1, 1), name=f"{name}se_reshape"
    )(se)
    se = layers.Conv2D(
        filters_se,
        1,
        padding="same",
        activation=activation,
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
    x = layers.multiply([x, se], name=f"{name}se_excite")

    x = layers.Conv2D(
        filters_out,
        1,
        padding="same",
        use_bias=False,
        kernel_initializer=_conv_initializer(),
        name=f"{name}project_conv",
    )(x)
    x = layers.BatchNormalization(axis=bn_axis, name=f"{name}project_bn")(x)
    if strides == 1 and filters_in == filters_out:
        if drop_rate > 0:
            # Stochastic depth: drops the whole residual branch per example.
            x = layers.Dropout(drop_rate, noise_shape=(None, 1, 1, 1), name=f"{name}drop")(x)
        x = layers.add([x, inputs], name=f"{name}add")
    return x


def _efficientnet(
    variant: str,
    include_top: bool,
    weights,
    input_tensor,
    input_shape,
    pooling,
    classes: int,
    classifier_activation,
    name: str | None,
    drop_connect_rate: float = 0.2,
    depth_divisor: int = 8,
    activation: str = "swish",
):
    from tork.keras import layers
    from tork.keras.backend import image_data_format

    width, depth, default_size, dropout_rate = _VARIANTS[variant]
    imagenet_utils._check_weights(weights, include_top, classes)
    imagenet_utils._check_pooling(pooling)
    channels_last = image_data_format() == "channels_last"
    bn_axis = -1 if channels_last else 1
    input_shape = imagenet_utils._obtain_input_shape(
        input_shape,
        default_size=default_size,
        min_size=32,
        data_format=image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )

    def round_filters(filters: int) -> int:
        # Scale by the width coefficient, then round to a multiple of the divisor,
        # never more than 10% below the scaled value.
        filters *= width
        rounded = max(
            depth_divisor, int(filters + depth_divisor / 2) // depth_divisor * depth_divisor
        )
        return int(rounded + depth_divisor if rounded < 0.9 * filters else rounded)

    def round_repeats(repeats: int) -> int:
        return int(math.ceil(depth * repeats))

    img_input = imagenet_utils._image_input(input_tensor, input_shape)
    # The model takes pixels in [0, 255]: its own layers rescale and normalize them.
    x = layers.Rescaling(1.0 / 255.0)(img_input)
    x = layers.Normalization(axis=bn_axis)(x)
    if weights == "imagenet":
        x = layers.Rescaling([1.0 / math.sqrt(s) for s in _IMAGENET_STDDEV_RGB])(x)
    x = layers.ZeroPadding2D(padding=imagenet_utils._correct_pad(x, 3), name="stem_conv_pad")(x)
    x = layers.Conv2D(
        round_filters(32),
        3,
        strides=2,
        padding="valid",
        use_bias=False,
        kernel_initializer=_conv_initializer(),
        name="stem_conv",
    )(x)
    x = layers.BatchNormalization(axis=bn_axis, name="stem_bn")(x)
    x = layers.Activation(activation, name="stem_activation")(x)

    total_blocks = float(sum(round_repeats(stage[1]) for stage in _STAGES))
    b = 0
    for i, (kernel_size, repeats, f_in, f_out, expand_ratio, strides) in enumerate(_STAGES):
        filters_in, filters_out = round_filters(f_in), round_filters(f_out)
        for j in range(round_repeats(repeats)):
            # Only a stage's first block changes the stride and the width.
            x = _block(
                x,
                activation,
                drop_connect_rate * b / total_blocks,
                name=f"block{i + 1}{chr(j + 97)}_",
                filters_in=filters_in if j == 0 else filters_out,
                filters_out=filters_out,
                kernel_size=kernel_size,
                strides=strides if j == 0 else 1,
                expand_ratio=expand_ratio,
            )
            b += 1

    x = layers.Conv2D(
        round_filters(1280),
        1,
        padding="same",
        use_bias=False,
        kernel_initializer=_conv_initializer(),
        name="top_conv",
    )(x)
    x = layers.BatchNormalization(axis=bn_axis, name="top_bn")(x)
    x = layers.Activation(activation, name="top_activation")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate, name="top_dropout")(x)
        imagenet_utils._validate_activation(classifier_activation, weights)
        x = layers.Dense(
            classes,
            activation=classifier_activation,
            kernel_initializer=_dense_initializer(),
            name="predictions",
        )(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D(name="max_pool")(x)

    model = imagenet_utils._build_model(
        input_tensor, img_input, x, name or f"efficientnet{variant}"
    )
    fname = f"efficientnet{variant}{'' if include_top else '_notop'}.h5"
    imagenet_utils._load_weights(model, weights, fname, BASE_WEIGHTS_PATH + fname)
    return model


_DOC = """Instantiates the EfficientNet{upper} architecture (Tan & Le, 2019).

    The model takes images with pixels in `[0, 255]` and rescales and
    normalizes them itself (its first layers are `Rescaling` and
    `Normalization`), so `efficientnet.preprocess_input` is the identity.
    Layer names, order and weight shapes are those of Keras, so Keras weight
    files load into it. The default input size is {size}x{size}.

    Args:
        include_top: whether to include the pooling + dropout + `Dense` classifier.
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
        name: model name; defaults to `"efficientnet{lower}"`.

    Returns:
        A functional `keras.Model`.

    Example:
    >>> base = keras.applications.EfficientNetB0(
    ...     include_top=False, weights=None, input_shape=(64, 64, 3), pooling="avg")
    >>> base.output_shape
    (None, 1280)
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
        name: str | None = None,
    ):
        return _efficientnet(
            variant,
            include_top,
            weights,
            input_tensor,
            input_shape,
            pooling,
            classes,
            classifier_activation,
            name,
        )

    constructor.__name__ = constructor.__qualname__ = f"EfficientNet{variant.upper()}"
    size = _VARIANTS[variant][2]
    constructor.__doc__ = _DOC.format(upper=variant.upper(), lower=variant, size=size)
    return constructor


EfficientNetB0 = _make("b0")
EfficientNetB1 = _make("b1")
EfficientNetB2 = _make("b2")
EfficientNetB3 = _make("b3")
EfficientNetB4 = _make("b4")
EfficientNetB5 = _make("b5")
EfficientNetB6 = _make("b6")
EfficientNetB7 = _make("b7")


def preprocess_input(x, data_format: str | None = None):
    """A placeholder kept for API compatibility: returns `x` unchanged.

    EfficientNet models rescale and normalize their input themselves, so they
    take raw pixels in `[0, 255]`.

    Args:
        x: images (NumPy array or tensor).
        data_format: unused.

    Returns:
        `x`, unchanged.
    """
    del data_format
    return x
