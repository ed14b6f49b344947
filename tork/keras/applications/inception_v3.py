"""`keras.applications.inception_v3`: the Inception V3 image classifier (Szegedy et al., 2016)."""

from __future__ import annotations

from tork.keras.applications import imagenet_utils
from tork.keras.applications.imagenet_utils import decode_predictions

__all__ = ["InceptionV3", "preprocess_input", "decode_predictions"]

_BASE = "https://storage.googleapis.com/tensorflow/keras-applications/inception_v3/"
WEIGHTS_PATH = _BASE + "inception_v3_weights_tf_dim_ordering_tf_kernels.h5"
WEIGHTS_PATH_NO_TOP = _BASE + "inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5"
_HASH = "9a0d58056eeedaa3f26cb7ebd46da564"
_HASH_NO_TOP = "bcbd6486424b2319ff4ef7d526e38f63"


def _axis() -> int:
    from tork.keras.backend import image_data_format

    return 1 if image_data_format() == "channels_first" else 3


def _conv_bn(x, filters: int, rows: int, cols: int, padding: str = "same", strides=(1, 1)):
    # Conv (no bias) + BN without scale (the ReLU makes a scale redundant) + ReLU; Keras
    # leaves these layers unnamed, so they take the automatic names.
    from tork.keras import layers

    x = layers.Conv2D(filters, (rows, cols), strides=strides, padding=padding, use_bias=False)(x)
    x = layers.BatchNormalization(axis=_axis(), scale=False)(x)
    return layers.Activation("relu")(x)


def _avg_pool_branch(x, filters: int):
    from tork.keras import layers

    x = layers.AveragePooling2D((3, 3), strides=(1, 1), padding="same")(x)
    return _conv_bn(x, filters, 1, 1)


def _block_35(x, pool_filters: int, name: str):
    from tork.keras import layers

    branch1x1 = _conv_bn(x, 64, 1, 1)
    branch5x5 = _conv_bn(_conv_bn(x, 48, 1, 1), 64, 5, 5)
    branch3x3dbl = _conv_bn(_conv_bn(_conv_bn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3)
    branch_pool = _avg_pool_branch(x, pool_filters)
    return layers.Concatenate(axis=_axis(), name=name)(
        [branch1x1, branch5x5, branch3x3dbl, branch_pool]
    )


def _block_17(x, mid: int, name: str):
    # The factorized 7x7 convolutions (1x7 then 7x1) of the 17x17 grid.
    from tork.keras import layers

    branch1x1 = _conv_bn(x, 192, 1, 1)
    branch7x7 = _conv_bn(x, mid, 1, 1)
    branch7x7 = _conv_bn(branch7x7, mid, 1, 7)
    branch7x7 = _conv_bn(branch7x7, 192, 7, 1)
    branch7x7dbl = _conv_bn(x, mid, 1, 1)
    branch7x7dbl = _conv_bn(branch7x7dbl, mid, 7, 1)
    branch7x7dbl = _conv_bn(branch7x7dbl, mid, 1, 7)
    branch7x7dbl = _conv_bn(branch7x7dbl, mid, 7, 1)
    branch7x7dbl = _conv_bn(branch7x7dbl, 192, 1, 7)
    branch_pool = _avg_pool_branch(x, 192)
    return layers.Concatenate(axis=_axis(), name=name)(
        [branch1x1, branch7x7, branch7x7dbl, branch_pool]
    )


def _block_8(x, index: int):
    from tork.keras import layers

    axis = _axis()
    branch1x1 = _conv_bn(x, 320, 1, 1)
    branch3x3 = _conv_bn(x, 384, 1, 1)
    branch3x3 = layers.Concatenate(axis=axis, name=f"mixed9_{index}")(
        [_conv_bn(branch3x3, 384, 1, 3), _conv_bn(branch3x3, 384, 3, 1)]
    )
    branch3x3dbl = _conv_bn(_conv_bn(x, 448, 1, 1), 384, 3, 3)
    branch3x3dbl = layers.Concatenate(axis=axis)(
        [_conv_bn(branch3x3dbl, 384, 1, 3), _conv_bn(branch3x3dbl, 384, 3, 1)]
    )
    branch_pool = _avg_pool_branch(x, 192)
    return layers.Concatenate(axis=axis, name=f"mixed{9 + index}")(
        [branch1x1, branch3x3, branch3x3dbl, branch_pool]
    )


def InceptionV3(
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor=None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation="softmax",
    name: str = "inception_v3",
):
    """Instantiates the Inception v3 architecture.

    The model expects inputs preprocessed with
    `keras.applications.inception_v3.preprocess_input` (pixels scaled to
    `[-1, 1]`). Its default input size is 299x299. Layer names, order and
    weight shapes are those of Keras, so Keras weight files load into it.

    Args:
        include_top: whether to include the pooling + `Dense` classifier.
        weights: `None` (random initialization), `"imagenet"` (downloaded
            once into `~/.keras/models/`), or the path to a weights file.
        input_tensor: optional Keras tensor to use as the image input.
        input_shape: optional `(height, width, 3)`; only when `include_top`
            is False may it differ from `(299, 299, 3)`; at least 75x75.
        pooling: when `include_top` is False: `None` (4D output), `"avg"` or
            `"max"` (global pooling, 2D output).
        classes: number of classes when `include_top` is True and no
            pretrained weights are loaded.
        classifier_activation: activation of the top layer (`None` for
            logits); only `None` or `"softmax"` with pretrained weights.
        name: the model's name.

    Returns:
        A functional `keras.Model`.

    Example:
    >>> model = keras.applications.InceptionV3(
    ...     include_top=False, weights=None, input_shape=(75, 75, 3))
    >>> model.output_shape
    (None, 1, 1, 2048)
    """
    from tork.keras import layers
    from tork.keras.backend import image_data_format

    imagenet_utils._check_weights(weights, include_top, classes)
    imagenet_utils._check_pooling(pooling)
    input_shape = imagenet_utils._obtain_input_shape(
        input_shape,
        default_size=299,
        min_size=75,
        data_format=image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    img_input = imagenet_utils._image_input(input_tensor, input_shape)
    axis = _axis()
    x = _conv_bn(img_input, 32, 3, 3, strides=(2, 2), padding="valid")
    x = _conv_bn(x, 32, 3, 3, padding="valid")
    x = _conv_bn(x, 64, 3, 3)
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = _conv_bn(x, 80, 1, 1, padding="valid")
    x = _conv_bn(x, 192, 3, 3, padding="valid")
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)

    # 35x35 grid (at 299x299 input).
    x = _block_35(x, 32, "mixed0")
    x = _block_35(x, 64, "mixed1")
    x = _block_35(x, 64, "mixed2")
    # Reduction to 17x17.
    branch3x3 = _conv_bn(x, 384, 3, 3, strides=(2, 2), padding="valid")
    branch3x3dbl = _conv_bn(_conv_bn(x, 64, 1, 1), 96, 3, 3)
    branch3x3dbl = _conv_bn(branch3x3dbl, 96, 3, 3, strides=(2, 2), padding="valid")
    branch_pool = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = layers.Concatenate(axis=axis, name="mixed3")([branch3x3, branch3x3dbl, branch_pool])
    x = _block_17(x, 128, "mixed4")
    x = _block_17(x, 160, "mixed5")
    x = _block_17(x, 160, "mixed6")
    x = _block_17(x, 192, "mixed7")
    # Reduction to 8x8.
    branch3x3 = _conv_bn(x, 192, 1, 1)
    branch3x3 = _conv_bn(branch3x3, 320, 3, 3, strides=(2, 2), padding="valid")
    branch7x7x3 = _conv_bn(x, 192, 1, 1)
    branch7x7x3 = _conv_bn(branch7x7x3, 192, 1, 7)
    branch7x7x3 = _conv_bn(branch7x7x3, 192, 7, 1)
    branch7x7x3 = _conv_bn(branch7x7x3, 192, 3, 3, strides=(2, 2), padding="valid")
    branch_pool = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = layers.Concatenate(axis=axis, name="mixed8")([branch3x3, branch7x7x3, branch_pool])
    x = _block_8(x, 0)
    x = _block_8(x, 1)

    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        imagenet_utils._validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D()(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D()(x)

    model = imagenet_utils._build_model(input_tensor, img_input, x, name)
    origin, file_hash = (
        (WEIGHTS_PATH, _HASH) if include_top else (WEIGHTS_PATH_NO_TOP, _HASH_NO_TOP)
    )
    imagenet_utils._load_weights(model, weights, origin.rsplit("/", 1)[1], origin, file_hash)
    return model


def preprocess_input(x, data_format: str | None = None):
    """Preprocesses images for Inception V3: scales pixels from `[0, 255]` to `[-1, 1]`.

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
