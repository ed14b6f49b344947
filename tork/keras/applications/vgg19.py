"""`keras.applications.vgg19`: the VGG19 image classifier (Simonyan & Zisserman, 2015)."""

from __future__ import annotations

from tork.keras.applications import imagenet_utils
from tork.keras.applications.imagenet_utils import decode_predictions
from tork.keras.applications.vgg16 import _vgg

__all__ = ["VGG19", "preprocess_input", "decode_predictions"]

_BASE = "https://storage.googleapis.com/tensorflow/keras-applications/vgg19/"
WEIGHTS_PATH = _BASE + "vgg19_weights_tf_dim_ordering_tf_kernels.h5"
WEIGHTS_PATH_NO_TOP = _BASE + "vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5"
_HASH = "cbe5617147190e668d6c5d5026f83318"
_HASH_NO_TOP = "253f8cb515780f3b799900260a226db6"

# (filters, number of 3x3 convolutions) of the five blocks.
_BLOCKS = ((64, 2), (128, 2), (256, 4), (512, 4), (512, 4))


def VGG19(
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor=None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation="softmax",
    name: str = "vgg19",
):
    """Instantiates the VGG19 model.

    The model expects inputs preprocessed with
    `keras.applications.vgg19.preprocess_input` (RGB to BGR, ImageNet mean
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
    >>> model = keras.applications.VGG19(
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


def preprocess_input(x, data_format: str | None = None):
    """Preprocesses images for VGG19 ('caffe' mode).

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
