"""`keras.applications.vgg16`: the VGG16 image classifier (Simonyan & Zisserman, 2015)."""

from __future__ import annotations

from tork.keras.applications import imagenet_utils
from tork.keras.applications.imagenet_utils import decode_predictions

__all__ = ["VGG16", "preprocess_input", "decode_predictions"]

_BASE = "https://storage.googleapis.com/tensorflow/keras-applications/vgg16/"
WEIGHTS_PATH = _BASE + "vgg16_weights_tf_dim_ordering_tf_kernels.h5"
WEIGHTS_PATH_NO_TOP = _BASE + "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"
_HASH = "64373286793e3c8b2b4e3219cbf3544b"
_HASH_NO_TOP = "6d6bbae143d832006294945121d1f1fc"

# (filters, number of 3x3 convolutions) of the five blocks.
_BLOCKS = ((64, 2), (128, 2), (256, 3), (512, 3), (512, 3))


def VGG16(
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor=None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation="softmax",
    name: str = "vgg16",
):
    """Instantiates the VGG16 model.

    The model expects inputs preprocessed with
    `keras.applications.vgg16.preprocess_input` (RGB to BGR, ImageNet mean
    subtracted). Layer names, order and weight shapes are those of Keras, so
    Keras weight files load into it.

    Args:
        include_top: whether to include the 3 fully-connected layers at the
            top (`flatten`, `fc1`, `fc2`, `predictions`).
        weights: `None` (random initialization), `"imagenet"` (downloaded
            once into `~/.keras/models/`), or the path to a weights file.
        input_tensor: optional Keras tensor to use as the image input.
        input_shape: optional `(height, width, 3)`; only when `include_top`
            is False may it differ from `(224, 224, 3)`; at least 32x32.
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
    >>> model = keras.applications.VGG16(
    ...     include_top=False, weights=None, input_shape=(32, 32, 3))
    >>> model.output_shape
    (None, 1, 1, 512)
    """
    return _vgg(
        _BLOCKS,
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name,
        (WEIGHTS_PATH, _HASH),
        (WEIGHTS_PATH_NO_TOP, _HASH_NO_TOP),
    )


def _vgg(
    blocks,
    include_top,
    weights,
    input_tensor,
    input_shape,
    pooling,
    classes,
    classifier_activation,
    name,
    top_file,
    notop_file,
):
    """Builds a VGG network whose blocks are `(filters, convolutions)` pairs (VGG16, VGG19)."""
    from tork.keras import layers
    from tork.keras.backend import image_data_format

    imagenet_utils._check_weights(weights, include_top, classes)
    imagenet_utils._check_pooling(pooling)
    input_shape = imagenet_utils._obtain_input_shape(
        input_shape,
        default_size=224,
        min_size=32,
        data_format=image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    img_input = imagenet_utils._image_input(input_tensor, input_shape)
    x = img_input
    for block, (filters, convs) in enumerate(blocks, start=1):
        for conv in range(1, convs + 1):
            x = layers.Conv2D(
                filters,
                (3, 3),
                activation="relu",
                padding="same",
                name=f"block{block}_conv{conv}",
            )(x)
        x = layers.MaxPooling2D((2, 2), strides=(2, 2), name=f"block{block}_pool")(x)
    if include_top:
        x = layers.Flatten(name="flatten")(x)
        x = layers.Dense(4096, activation="relu", name="fc1")(x)
        x = layers.Dense(4096, activation="relu", name="fc2")(x)
        imagenet_utils._validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D()(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D()(x)

    model = imagenet_utils._build_model(input_tensor, img_input, x, name)
    origin, file_hash = top_file if include_top else notop_file
    fname = origin.rsplit("/", 1)[1]
    imagenet_utils._load_weights(model, weights, fname, origin, file_hash)
    return model


def preprocess_input(x, data_format: str | None = None):
    """Preprocesses images for VGG16 ('caffe' mode).

    Converts RGB to BGR and subtracts the ImageNet channel means
    `(103.939, 116.779, 123.68)` (BGR order), without scaling.

    Args:
        x: images (NumPy array, tensor or symbolic Keras tensor), 3D or 4D,
            RGB, values in `[0, 255]`.
        data_format: `"channels_last"` or `"channels_first"`; defaults to
            `keras.backend.image_data_format()`.

    Returns:
        The preprocessed images (float32 for integer input).

    Example:
    >>> preprocess_input(np.array([[[[123.68, 116.779, 103.939]]]], "float32"))
    array([[[[0., 0., 0.]]]], dtype=float32)
    """
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="caffe")
