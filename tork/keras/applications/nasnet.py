"""`keras.applications.nasnet`: the NASNet-A Mobile and Large image classifiers."""

from __future__ import annotations

import warnings

from tork.keras.applications import imagenet_utils
from tork.keras.applications.imagenet_utils import decode_predictions

__all__ = ["NASNetMobile", "NASNetLarge", "preprocess_input", "decode_predictions"]

BASE_WEIGHTS_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/nasnet/"
NASNET_MOBILE_WEIGHT_PATH = BASE_WEIGHTS_PATH + "NASNet-mobile.h5"
NASNET_MOBILE_WEIGHT_PATH_NO_TOP = BASE_WEIGHTS_PATH + "NASNet-mobile-no-top.h5"
NASNET_LARGE_WEIGHT_PATH = BASE_WEIGHTS_PATH + "NASNet-large.h5"
NASNET_LARGE_WEIGHT_PATH_NO_TOP = BASE_WEIGHTS_PATH + "NASNet-large-no-top.h5"

# (cache file name, URL, md5) by (default size, include_top); Keras caches the published
# files under names of its own.
_WEIGHT_FILES = {
    (224, True): (
        "nasnet_mobile.h5",
        NASNET_MOBILE_WEIGHT_PATH,
        "020fb642bf7360b370c678b08e0adf61",
    ),
    (224, False): (
        "nasnet_mobile_no_top.h5",
        NASNET_MOBILE_WEIGHT_PATH_NO_TOP,
        "1ed92395b5b598bdda52abe5c0dbfd63",
    ),
    (331, True): ("nasnet_large.h5", NASNET_LARGE_WEIGHT_PATH, "11577c9a518f0070763c2b964a382f17"),
    (331, False): (
        "nasnet_large_no_top.h5",
        NASNET_LARGE_WEIGHT_PATH_NO_TOP,
        "d81d89dc07e6e56530c4e77faddd61b5",
    ),
}

# NASNet is built channels-last only (as in Keras): the channel axis and the width axis.
_CHANNEL = -1
_WIDTH = -2


def _bn(name: str):
    from tork.keras import layers

    return layers.BatchNormalization(axis=_CHANNEL, momentum=0.9997, epsilon=1e-3, name=name)


def _conv1x1(filters: int, name: str):
    from tork.keras import layers

    return layers.Conv2D(
        filters,
        (1, 1),
        strides=(1, 1),
        padding="same",
        use_bias=False,
        kernel_initializer="he_normal",
        name=name,
    )


def _separable_conv_block(ip, filters: int, kernel_size=(3, 3), strides=(1, 1), block_id=""):
    """ReLU, separable conv, BN, ReLU, separable conv, BN (the first one may be strided)."""
    from tork.keras import layers

    x = layers.Activation("relu")(ip)
    if strides == (2, 2):
        pad = imagenet_utils._correct_pad(x, kernel_size[0])
        x = layers.ZeroPadding2D(padding=pad, name=f"separable_conv_1_pad_{block_id}")(x)
    x = layers.SeparableConv2D(
        filters,
        kernel_size,
        strides=strides,
        padding="valid" if strides == (2, 2) else "same",
        use_bias=False,
        kernel_initializer="he_normal",
        name=f"separable_conv_1_{block_id}",
    )(x)
    x = _bn(f"separable_conv_1_bn_{block_id}")(x)
    x = layers.Activation("relu")(x)
    x = layers.SeparableConv2D(
        filters,
        kernel_size,
        padding="same",
        use_bias=False,
        kernel_initializer="he_normal",
        name=f"separable_conv_2_{block_id}",
    )(x)
    return _bn(f"separable_conv_2_bn_{block_id}")(x)


def _adjust_block(p, ip, filters: int, block_id: str):
    """Matches the previous cell's output `p` to the current input `ip` (size and width)."""
    from tork.keras import layers

    if p is None:
        return ip
    if p.shape[_WIDTH] != ip.shape[_WIDTH]:
        # Halve the resolution with two offset 1x1 strided paths, concatenated.
        p = layers.Activation("relu", name=f"adjust_relu_1_{block_id}")(p)
        p1 = layers.AveragePooling2D(
            (1, 1), strides=(2, 2), padding="valid", name=f"adjust_avg_pool_1_{block_id}"
        )(p)
        p1 = layers.Conv2D(
            filters // 2,
            (1, 1),
            padding="same",
            use_bias=False,
            kernel_initializer="he_normal",
            name=f"adjust_conv_1_{block_id}",
        )(p1)
        p2 = layers.ZeroPadding2D(padding=((0, 1), (0, 1)))(p)
        p2 = layers.Cropping2D(cropping=((1, 0), (1, 0)))(p2)
        p2 = layers.AveragePooling2D(
            (1, 1), strides=(2, 2), padding="valid", name=f"adjust_avg_pool_2_{block_id}"
        )(p2)
        p2 = layers.Conv2D(
            filters // 2,
            (1, 1),
            padding="same",
            use_bias=False,
            kernel_initializer="he_normal",
            name=f"adjust_conv_2_{block_id}",
        )(p2)
        p = layers.concatenate([p1, p2], axis=_CHANNEL)
        return _bn(f"adjust_bn_{block_id}")(p)
    if p.shape[_CHANNEL] != filters:
        p = layers.Activation("relu")(p)
        p = _conv1x1(filters, f"adjust_conv_projection_{block_id}")(p)
        return _bn(f"adjust_bn_{block_id}")(p)
    return p


def _normal_a_cell(ip, p, filters: int, block_id: str):
    from tork.keras import layers

    p = _adjust_block(p, ip, filters, block_id)
    h = layers.Activation("relu")(ip)
    h = _conv1x1(filters, f"normal_conv_1_{block_id}")(h)
    h = _bn(f"normal_bn_1_{block_id}")(h)

    x1_1 = _separable_conv_block(h, filters, (5, 5), block_id=f"normal_left1_{block_id}")
    x1_2 = _separable_conv_block(p, filters, block_id=f"normal_right1_{block_id}")
    x1 = layers.add([x1_1, x1_2], name=f"normal_add_1_{block_id}")

    x2_1 = _separable_conv_block(p, filters, (5, 5), block_id=f"normal_left2_{block_id}")
    x2_2 = _separable_conv_block(p, filters, (3, 3), block_id=f"normal_right2_{block_id}")
    x2 = layers.add([x2_1, x2_2], name=f"normal_add_2_{block_id}")

    x3 = layers.AveragePooling2D(
        (3, 3), strides=(1, 1), padding="same", name=f"normal_left3_{block_id}"
    )(h)
    x3 = layers.add([x3, p], name=f"normal_add_3_{block_id}")

    x4_1 = layers.AveragePooling2D(
        (3, 3), strides=(1, 1), padding="same", name=f"normal_left4_{block_id}"
    )(p)
    x4_2 = layers.AveragePooling2D(
        (3, 3), strides=(1, 1), padding="same", name=f"normal_right4_{block_id}"
    )(p)
    x4 = layers.add([x4_1, x4_2], name=f"normal_add_4_{block_id}")

    x5 = _separable_conv_block(h, filters, block_id=f"normal_left5_{block_id}")
    x5 = layers.add([x5, h], name=f"normal_add_5_{block_id}")

    x = layers.concatenate([p, x1, x2, x3, x4, x5], axis=_CHANNEL, name=f"normal_concat_{block_id}")
    return x, ip


def _reduction_a_cell(ip, p, filters: int, block_id: str):
    from tork.keras import layers

    p = _adjust_block(p, ip, filters, block_id)
    h = layers.Activation("relu")(ip)
    h = _conv1x1(filters, f"reduction_conv_1_{block_id}")(h)
    h = _bn(f"reduction_bn_1_{block_id}")(h)
    h3 = layers.ZeroPadding2D(
        padding=imagenet_utils._correct_pad(h, 3), name=f"reduction_pad_1_{block_id}"
    )(h)

    x1_1 = _separable_conv_block(
        h, filters, (5, 5), strides=(2, 2), block_id=f"reduction_left1_{block_id}"
    )
    x1_2 = _separable_conv_block(
        p, filters, (7, 7), strides=(2, 2), block_id=f"reduction_right1_{block_id}"
    )
    x1 = layers.add([x1_1, x1_2], name=f"reduction_add_1_{block_id}")

    x2_1 = layers.MaxPooling2D(
        (3, 3), strides=(2, 2), padding="valid", name=f"reduction_left2_{block_id}"
    )(h3)
    x2_2 = _separable_conv_block(
        p, filters, (7, 7), strides=(2, 2), block_id=f"reduction_right2_{block_id}"
    )
    x2 = layers.add([x2_1, x2_2], name=f"reduction_add_2_{block_id}")

    x3_1 = layers.AveragePooling2D(
        (3, 3), strides=(2, 2), padding="valid", name=f"reduction_left3_{block_id}"
    )(h3)
    x3_2 = _separable_conv_block(
        p, filters, (5, 5), strides=(2, 2), block_id=f"reduction_right3_{block_id}"
    )
    x3 = layers.add([x3_1, x3_2], name=f"reduction_add3_{block_id}")

    x4 = layers.AveragePooling2D(
        (3, 3), strides=(1, 1), padding="same", name=f"reduction_left4_{block_id}"
    )(x1)
    # Unnamed in Keras too: it takes the automatic name ("add", "add_1", ...).
    x4 = layers.add([x2, x4])

    # Keras names this block "reduction_left4" as well (its layers still differ in name).
    x5_1 = _separable_conv_block(x1, filters, (3, 3), block_id=f"reduction_left4_{block_id}")
    x5_2 = layers.MaxPooling2D(
        (3, 3), strides=(2, 2), padding="valid", name=f"reduction_right5_{block_id}"
    )(h3)
    x5 = layers.add([x5_1, x5_2], name=f"reduction_add4_{block_id}")

    x = layers.concatenate([x2, x3, x4, x5], axis=_CHANNEL, name=f"reduction_concat_{block_id}")
    return x, ip


def _nasnet(
    input_shape,
    penultimate_filters: int,
    num_blocks: int,
    stem_block_filters: int,
    skip_reduction: bool,
    filter_multiplier: int,
    include_top: bool,
    weights,
    input_tensor,
    pooling,
    classes: int,
    default_size: int,
    classifier_activation,
    name: str | None,
):
    from tork.keras import backend, layers

    imagenet_utils._check_weights(weights, include_top, classes)
    imagenet_utils._check_pooling(pooling)
    if isinstance(input_shape, tuple) and None in input_shape and weights == "imagenet":
        raise ValueError(
            "When specifying the input shape of a NASNet and loading `ImageNet` weights, the "
            f"input_shape argument must be static (no None entries). Got: `input_shape="
            f"{input_shape}`."
        )
    input_shape = imagenet_utils._obtain_input_shape(
        input_shape,
        default_size=default_size,
        min_size=32,
        data_format=backend.image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    old_data_format = None
    if backend.image_data_format() != "channels_last":
        warnings.warn(
            "The NASNet family of models is only available for the input data format "
            '"channels_last" (width, height, channels). However your settings specify the '
            'default data format "channels_first" (channels, width, height). The model being '
            'returned right now will expect inputs to follow the "channels_last" data format.',
            stacklevel=3,
        )
        old_data_format = backend.image_data_format()
        backend.set_image_data_format("channels_last")
    try:
        if penultimate_filters % (24 * (filter_multiplier**2)) != 0:
            raise ValueError(
                "For NASNet-A models, the `penultimate_filters` must be a multiple of 24 * "
                f"(`filter_multiplier` ** 2). Current value: {penultimate_filters}"
            )
        img_input = imagenet_utils._image_input(input_tensor, input_shape)
        filters = penultimate_filters // 24
        x = layers.Conv2D(
            stem_block_filters,
            (3, 3),
            strides=(2, 2),
            padding="valid",
            use_bias=False,
            kernel_initializer="he_normal",
            name="stem_conv1",
        )(img_input)
        x = _bn("stem_bn1")(x)

        p = None
        x, p = _reduction_a_cell(x, p, filters // (filter_multiplier**2), block_id="stem_1")
        x, p = _reduction_a_cell(x, p, filters // filter_multiplier, block_id="stem_2")
        for i in range(num_blocks):
            x, p = _normal_a_cell(x, p, filters, block_id=f"{i}")
        x, p0 = _reduction_a_cell(
            x, p, filters * filter_multiplier, block_id=f"reduce_{num_blocks}"
        )
        # NASNet-Large feeds the cell before the reduction on (skip_reduction).
        p = p if skip_reduction else p0
        for i in range(num_blocks):
            x, p = _normal_a_cell(
                x, p, filters * filter_multiplier, block_id=f"{num_blocks + i + 1}"
            )
        x, p0 = _reduction_a_cell(
            x, p, filters * filter_multiplier**2, block_id=f"reduce_{2 * num_blocks}"
        )
        p = p if skip_reduction else p0
        for i in range(num_blocks):
            x, p = _normal_a_cell(
                x, p, filters * filter_multiplier**2, block_id=f"{2 * num_blocks + i + 1}"
            )
        x = layers.Activation("relu")(x)
        if include_top:
            x = layers.GlobalAveragePooling2D()(x)
            imagenet_utils._validate_activation(classifier_activation, weights)
            x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
        elif pooling == "avg":
            x = layers.GlobalAveragePooling2D()(x)
        elif pooling == "max":
            x = layers.GlobalMaxPooling2D()(x)

        model = imagenet_utils._build_model(input_tensor, img_input, x, name or "NASNet")
        if weights == "imagenet":
            if default_size not in (224, 331):
                raise ValueError(
                    "ImageNet weights can only be loaded with NASNetLarge or NASNetMobile"
                )
            fname, origin, file_hash = _WEIGHT_FILES[(default_size, bool(include_top))]
            imagenet_utils._load_weights(model, weights, fname, origin, file_hash)
        else:
            # None, or the path of a weights file (no download involved).
            imagenet_utils._load_weights(model, weights, "", "")
    finally:
        if old_data_format:
            backend.set_image_data_format(old_data_format)
    return model


_DOC = """Instantiates the NASNet-A {kind} architecture (Zoph et al., 2018).

    The model expects inputs preprocessed with
    `keras.applications.nasnet.preprocess_input` (pixels scaled to `[-1, 1]`)
    and is built channels-last only (with a warning under "channels_first",
    as in Keras). Layer names, order and weight shapes are those of Keras 2,
    so Keras weight files load into it. The default input size is
    {size}x{size}.

    Args:
        input_shape: optional `(height, width, 3)`; only when `include_top` is
            False may it differ from `({size}, {size}, 3)`. Height and width must
            be at least 32.
        include_top: whether to include the pooling + `Dense` classifier.
        weights: `None` (random initialization), `"imagenet"` (downloaded once
            into `~/.keras/models/`), or the path to a weights file.
        input_tensor: optional Keras tensor (e.g. the output of `keras.Input()`)
            to use as the image input.
        pooling: when `include_top` is False: `None` (4D output), `"avg"` or
            `"max"` (global pooling, 2D output).
        classes: number of classes when `include_top` is True and no pretrained
            weights are loaded.
        classifier_activation: activation of the top layer (`None` for logits);
            only `None` or `"softmax"` with pretrained weights.
        name: model name; defaults to `"NASNet"` as in Keras 2 (Keras 3 names
            it `"nasnet_{lower}"`).

    Returns:
        A functional `keras.Model`.

    Example:
    >>> base = keras.applications.NASNet{kind}(
    ...     include_top=False, weights=None, input_shape=(64, 64, 3), pooling="avg")
    >>> base.output_shape
    (None, {features})
    """

# (penultimate_filters, num_blocks, stem_block_filters, skip_reduction, default_size).
_VARIANTS = {
    "Mobile": (1056, 4, 32, False, 224),
    "Large": (4032, 6, 96, True, 331),
}


def _make(kind: str):
    penultimate, num_blocks, stem, skip_reduction, size = _VARIANTS[kind]

    def constructor(
        input_shape=None,
        include_top: bool = True,
        weights="imagenet",
        input_tensor=None,
        pooling=None,
        classes: int = 1000,
        classifier_activation="softmax",
        name: str | None = None,
    ):
        return _nasnet(
            input_shape,
            penultimate_filters=penultimate,
            num_blocks=num_blocks,
            stem_block_filters=stem,
            skip_reduction=skip_reduction,
            filter_multiplier=2,
            include_top=include_top,
            weights=weights,
            input_tensor=input_tensor,
            pooling=pooling,
            classes=classes,
            default_size=size,
            classifier_activation=classifier_activation,
            name=name,
        )

    constructor.__name__ = constructor.__qualname__ = f"NASNet{kind}"
    constructor.__doc__ = _DOC.format(
        kind=kind, lower=kind.lower(), size=size, features=penultimate
    )
    return constructor


NASNetMobile = _make("Mobile")
NASNetLarge = _make("Large")


def preprocess_input(x, data_format: str | None = None):
    """Preprocesses images for NASNet: scales pixels from `[0, 255]` to `[-1, 1]`.

    Args:
        x: images (NumPy array, tensor or symbolic Keras tensor), 3D or 4D,
            RGB, values in `[0, 255]`.
        data_format: `"channels_last"` or `"channels_first"`; defaults to
            `keras.backend.image_data_format()`.

    Returns:
        The preprocessed images (float32 for integer input).

    Example:
    >>> preprocess_input(np.array([[[[0.0, 127.5, 255.0]]]], "float32"))
    array([[[[-1.,  0.,  1.]]]], dtype=float32)
    """
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")
