"""`keras.applications.mobilenet_v3`: the MobileNetV3 Small and Large image classifiers."""

from __future__ import annotations

import warnings

from tork.keras.applications import imagenet_utils
from tork.keras.applications.imagenet_utils import decode_predictions

__all__ = ["MobileNetV3Small", "MobileNetV3Large", "preprocess_input", "decode_predictions"]

BASE_WEIGHT_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v3/"
# md5 of the published files (with top, without top), by "{type}[_minimalistic]_224_{alpha}_float".
WEIGHTS_HASHES = {
    "large_224_0.75_float": (
        "765b44a33ad4005b3ac83185abf1d0eb",
        "40af19a13ebea4e2ee0c676887f69a2e",
    ),
    "large_224_1.0_float": (
        "59e551e166be033d707958cf9e29a6a7",
        "07fb09a5933dd0c8eaafa16978110389",
    ),
    "large_minimalistic_224_1.0_float": (
        "675e7b876c45c57e9e63e6d90a36599c",
        "ec5221f64a2f6d1ef965a614bdae7973",
    ),
    "small_224_0.75_float": (
        "cb65d4e5be93758266aa0a7f2c6708b7",
        "ebdb5cc8e0b497cd13a7c275d475c819",
    ),
    "small_224_1.0_float": (
        "8768d4c2e7dee89b9d02b2d03d65d862",
        "d3e8ec802a04aa4fc771ee12a9a9b836",
    ),
    "small_minimalistic_224_1.0_float": (
        "99cd97fb2fcdad2bf028eb838de69e37",
        "cde8136e733e811080d9fcd8a252f7e4",
    ),
}

# The bottleneck blocks (Howard et al., 2019, tables 1 and 2): expansion ratio, output
# filters (before alpha), kernel size ("k": 5, or 3 when minimalistic), stride, whether the
# block has squeeze-and-excitation, and its activation ("hs": hard swish, or ReLU when
# minimalistic).
_SMALL = (
    (1, 16, 3, 2, True, "relu"),
    (72.0 / 16, 24, 3, 2, False, "relu"),
    (88.0 / 24, 24, 3, 1, False, "relu"),
    (4, 40, "k", 2, True, "hs"),
    (6, 40, "k", 1, True, "hs"),
    (6, 40, "k", 1, True, "hs"),
    (3, 48, "k", 1, True, "hs"),
    (3, 48, "k", 1, True, "hs"),
    (6, 96, "k", 2, True, "hs"),
    (6, 96, "k", 1, True, "hs"),
    (6, 96, "k", 1, True, "hs"),
)
_LARGE = (
    (1, 16, 3, 1, False, "relu"),
    (4, 24, 3, 2, False, "relu"),
    (3, 24, 3, 1, False, "relu"),
    (3, 40, "k", 2, True, "relu"),
    (3, 40, "k", 1, True, "relu"),
    (3, 40, "k", 1, True, "relu"),
    (6, 80, 3, 2, False, "hs"),
    (2.5, 80, 3, 1, False, "hs"),
    (2.3, 80, 3, 1, False, "hs"),
    (2.3, 80, 3, 1, False, "hs"),
    (6, 112, 3, 1, True, "hs"),
    (6, 112, 3, 1, True, "hs"),
    (6, 160, "k", 2, True, "hs"),
    (6, 160, "k", 1, True, "hs"),
    (6, 160, "k", 1, True, "hs"),
)


def _depth(v: float, divisor: int = 8, min_value: int | None = None) -> int:
    # Round to a multiple of `divisor`, never more than 10% below `v`.
    min_value = divisor if min_value is None else min_value
    rounded = max(min_value, int(v + divisor / 2) // divisor * divisor)
    return rounded + divisor if rounded < 0.9 * v else rounded


def _channel_axis() -> int:
    from tork.keras.backend import image_data_format

    return 1 if image_data_format() == "channels_first" else -1


def _bn(name: str):
    from tork.keras.layers import BatchNormalization

    return BatchNormalization(axis=_channel_axis(), epsilon=1e-3, momentum=0.999, name=name)


def _relu(x):
    from tork.keras import layers

    return layers.ReLU()(x)


def _hard_sigmoid(x):
    # relu6(x + 3) / 6, spelled with the operators Keras 2 uses, so that the model has the
    # same (unnamed, weightless) nodes: tf.__operators__.add, re_lu_N, tf.math.multiply.
    from tork.keras import layers

    return layers.ReLU(6.0)(x + 3.0) * (1.0 / 6.0)


def _hard_swish(x):
    from tork.keras import layers

    return layers.Multiply()([x, _hard_sigmoid(x)])


def _se_block(inputs, filters: int, se_ratio: float, prefix: str):
    from tork.keras import layers

    x = layers.GlobalAveragePooling2D(keepdims=True, name=f"{prefix}squeeze_excite/AvgPool")(inputs)
    x = layers.Conv2D(
        _depth(filters * se_ratio),
        kernel_size=1,
        padding="same",
        name=f"{prefix}squeeze_excite/Conv",
    )(x)
    x = layers.ReLU(name=f"{prefix}squeeze_excite/Relu")(x)
    x = layers.Conv2D(
        filters, kernel_size=1, padding="same", name=f"{prefix}squeeze_excite/Conv_1"
    )(x)
    x = _hard_sigmoid(x)
    return layers.Multiply(name=f"{prefix}squeeze_excite/Mul")([inputs, x])


def _inverted_res_block(x, expansion, filters, kernel_size, stride, se_ratio, activation, block_id):
    from tork.keras import layers

    shortcut = x
    infilters = x.shape[_channel_axis()]
    prefix = "expanded_conv/"
    if block_id:
        prefix = f"expanded_conv_{block_id}/"
        x = layers.Conv2D(
            _depth(infilters * expansion),
            kernel_size=1,
            padding="same",
            use_bias=False,
            name=f"{prefix}expand",
        )(x)
        x = _bn(f"{prefix}expand/BatchNorm")(x)
        x = activation(x)
    if stride == 2:
        pad = imagenet_utils._correct_pad(x, kernel_size)
        x = layers.ZeroPadding2D(padding=pad, name=f"{prefix}depthwise/pad")(x)
    x = layers.DepthwiseConv2D(
        kernel_size,
        strides=stride,
        padding="same" if stride == 1 else "valid",
        use_bias=False,
        name=f"{prefix}depthwise",
    )(x)
    x = _bn(f"{prefix}depthwise/BatchNorm")(x)
    x = activation(x)
    if se_ratio:
        x = _se_block(x, _depth(infilters * expansion), se_ratio, prefix)
    x = layers.Conv2D(
        filters, kernel_size=1, padding="same", use_bias=False, name=f"{prefix}project"
    )(x)
    x = _bn(f"{prefix}project/BatchNorm")(x)
    if stride == 1 and infilters == filters:
        x = layers.Add(name=f"{prefix}Add")([shortcut, x])
    return x


def _input_shape(input_shape, input_tensor, channels_last: bool):
    """The input shape: given, else read from `input_tensor`, else any image size."""
    if input_shape is not None:
        input_shape = tuple(input_shape)
        if input_tensor is not None and getattr(input_tensor, "shape", None) is not None:
            shape = tuple(input_tensor.shape)
            # Keras compares the width only (its second spatial dimension).
            if len(shape) == 4 and len(input_shape) == 3:
                given, actual = (
                    (input_shape[1], shape[2])
                    if channels_last
                    else (
                        input_shape[1],
                        shape[1],
                    )
                )
                if given != actual:
                    raise ValueError(
                        "input_shape[1] must equal the width of input_tensor. Received "
                        f"input_shape={input_shape}, input_tensor.shape={shape}"
                    )
        return input_shape
    if input_tensor is not None and getattr(input_tensor, "shape", None) is not None:
        shape = tuple(input_tensor.shape)
        if len(shape) == 4:
            # Keras writes (cols, rows): only the order of a non-square shape differs.
            if channels_last:
                return (shape[2], shape[1], 3)
            return (3, shape[3], shape[2])
    return (None, None, 3) if channels_last else (3, None, None)


def _mobilenet_v3(
    blocks,
    last_point_ch: int,
    model_type: str,
    input_shape,
    alpha: float,
    minimalistic: bool,
    include_top: bool,
    weights,
    input_tensor,
    classes: int,
    pooling,
    dropout_rate: float,
    classifier_activation,
    include_preprocessing: bool,
    name: str | None,
):
    from tork.keras import layers
    from tork.keras.backend import image_data_format

    imagenet_utils._check_weights(weights, include_top, classes)
    imagenet_utils._check_pooling(pooling)
    channels_last = image_data_format() == "channels_last"
    input_shape = _input_shape(input_shape, input_tensor, channels_last)
    rows, cols = input_shape[0:2] if channels_last else input_shape[1:3]
    if (rows and rows < 32) or (cols and cols < 32):
        raise ValueError(f"Input size must be at least 32x32; Received `input_shape={input_shape}`")
    if weights == "imagenet":
        if (not minimalistic and alpha not in (0.75, 1.0)) or (minimalistic and alpha != 1.0):
            raise ValueError(
                "If imagenet weights are being loaded, alpha can be one of `0.75`, `1.0` for "
                f"non minimalistic or `1.0` for minimalistic only. Received alpha={alpha}, "
                f"minimalistic={minimalistic}"
            )
        if rows != cols or rows != 224:
            warnings.warn(
                "`input_shape` is undefined or non-square, or `rows` is not 224. Weights for "
                "input shape (224, 224) will be loaded as the default.",
                stacklevel=3,
            )

    img_input = imagenet_utils._image_input(input_tensor, input_shape)
    # The minimalistic models drop squeeze-and-excitation, hard swish and 5x5 kernels.
    kernel, activation, se_ratio = (3, _relu, None) if minimalistic else (5, _hard_swish, 0.25)
    x = img_input
    if include_preprocessing:
        # Pixels in [0, 255] to [-1, 1].
        x = layers.Rescaling(scale=1.0 / 127.5, offset=-1.0)(x)
    x = layers.Conv2D(
        16, kernel_size=3, strides=(2, 2), padding="same", use_bias=False, name="Conv"
    )(x)
    x = _bn("Conv/BatchNorm")(x)
    x = activation(x)
    for block_id, (expansion, filters, size, stride, se, act) in enumerate(blocks):
        x = _inverted_res_block(
            x,
            expansion,
            _depth(filters * alpha),
            kernel if size == "k" else size,
            stride,
            se_ratio if se else None,
            activation if act == "hs" else _relu,
            block_id,
        )

    last_conv_ch = _depth(x.shape[_channel_axis()] * 6)
    if alpha > 1.0:
        last_point_ch = _depth(last_point_ch * alpha)
    x = layers.Conv2D(last_conv_ch, kernel_size=1, padding="same", use_bias=False, name="Conv_1")(x)
    x = _bn("Conv_1/BatchNorm")(x)
    x = activation(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Conv2D(
            last_point_ch, kernel_size=1, padding="same", use_bias=True, name="Conv_2"
        )(x)
        x = activation(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate)(x)
        x = layers.Conv2D(classes, kernel_size=1, padding="same", name="Logits")(x)
        x = layers.Flatten()(x)
        imagenet_utils._validate_activation(classifier_activation, weights)
        x = layers.Activation(activation=classifier_activation, name="Predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D(name="max_pool")(x)

    model = imagenet_utils._build_model(
        input_tensor, img_input, x, name or f"MobilenetV3{model_type}"
    )
    if weights == "imagenet":
        key = f"{model_type}{'_minimalistic' if minimalistic else ''}_224_{alpha}_float"
        suffix = ".h5" if include_top else "_no_top_v2.h5"
        fname = f"weights_mobilenet_v3_{key}{suffix}"
        file_hash = WEIGHTS_HASHES[key][0 if include_top else 1]
        imagenet_utils._load_weights(model, weights, fname, BASE_WEIGHT_PATH + fname, file_hash)
    else:
        # None, or the path of a weights file (no download involved).
        imagenet_utils._load_weights(model, weights, "", "")
    return model


_DOC = """Instantiates the MobileNetV3{kind} architecture (Howard et al., 2019).

    By default the model takes images with pixels in `[0, 255]` and rescales
    them to `[-1, 1]` itself (its first layer is a `Rescaling`), so
    `mobilenet_v3.preprocess_input` is the identity; with
    `include_preprocessing=False` it takes pixels in `[-1, 1]`. Layer names,
    order and weight shapes are those of Keras 2, so Keras weight files load
    into it.

    Args:
        input_shape: optional `(height, width, 3)`, at least 32x32; any size
            (also with `include_top=True`), read from `input_tensor` when not
            given. Pretrained weights are for 224x224.
        alpha: width multiplier: `< 1.0` fewer filters per layer, `> 1.0`
            more. Pretrained weights exist for 0.75 and 1.0 (1.0 only when
            minimalistic).
        minimalistic: use the variant without squeeze-and-excitation, hard
            swish and 5x5 convolutions (faster on GPUs and DSPs).
        include_top: whether to include the pooling + 1x1 convolution
            classifier.
        weights: `None` (random initialization), `"imagenet"` (downloaded once
            into `~/.keras/models/`), or the path to a weights file.
        input_tensor: optional Keras tensor (e.g. the output of `keras.Input()`)
            to use as the image input.
        classes: number of classes when `include_top` is True and no pretrained
            weights are loaded.
        pooling: when `include_top` is False: `None` (4D output), `"avg"` or
            `"max"` (global pooling, 2D output).
        dropout_rate: dropout rate before the last convolution (the logits).
        classifier_activation: activation of the top layer (`None` for logits);
            only `None` or `"softmax"` with pretrained weights.
        include_preprocessing: whether the model starts with the `Rescaling`
            of `[0, 255]` to `[-1, 1]`.
        name: model name; defaults to `"MobilenetV3{lower}"` as in Keras 2
            (Keras 3 names it `"MobileNetV3{kind}"`).

    Returns:
        A functional `keras.Model`.

    Example:
    >>> base = keras.applications.MobileNetV3{kind}(
    ...     input_shape=(96, 96, 3), include_top=False, weights=None, pooling="avg")
    >>> base.output_shape
    (None, {features})
    """


def _make(kind: str, blocks, last_point_ch: int, features: int):
    def constructor(
        input_shape: tuple | None = None,
        alpha: float = 1.0,
        minimalistic: bool = False,
        include_top: bool = True,
        weights="imagenet",
        input_tensor=None,
        classes: int = 1000,
        pooling: str | None = None,
        dropout_rate: float = 0.2,
        classifier_activation="softmax",
        include_preprocessing: bool = True,
        name: str | None = None,
    ):
        return _mobilenet_v3(
            blocks,
            last_point_ch,
            kind.lower(),
            input_shape,
            alpha,
            minimalistic,
            include_top,
            weights,
            input_tensor,
            classes,
            pooling,
            dropout_rate,
            classifier_activation,
            include_preprocessing,
            name,
        )

    constructor.__name__ = constructor.__qualname__ = f"MobileNetV3{kind}"
    constructor.__doc__ = _DOC.format(kind=kind, lower=kind.lower(), features=features)
    return constructor


MobileNetV3Small = _make("Small", _SMALL, 1024, 576)
MobileNetV3Large = _make("Large", _LARGE, 1280, 960)


def preprocess_input(x, data_format: str | None = None):
    """A placeholder kept for API compatibility: returns `x` unchanged.

    MobileNetV3 models rescale their input themselves (unless built with
    `include_preprocessing=False`), so they take raw pixels in `[0, 255]`.

    Args:
        x: images (NumPy array or tensor).
        data_format: unused.

    Returns:
        `x`, unchanged.
    """
    del data_format
    return x
