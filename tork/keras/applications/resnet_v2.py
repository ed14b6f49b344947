"""`keras.applications.resnet_v2`: ResNet50V2/101V2/152V2 (He et al., 2016, pre-activation)."""

from __future__ import annotations

from tork.keras.applications import imagenet_utils
from tork.keras.applications.imagenet_utils import decode_predictions
from tork.keras.applications.resnet import _resnet, _stack_v2

__all__ = ["ResNet50V2", "ResNet101V2", "ResNet152V2", "preprocess_input", "decode_predictions"]


def ResNet50V2(
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor=None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation="softmax",
    name: str = "resnet50v2",
):
    """Instantiates the ResNet50V2 architecture (pre-activation residual blocks).

    The model expects inputs preprocessed with
    `keras.applications.resnet_v2.preprocess_input` (pixels scaled to
    `[-1, 1]`). Layer names, order and weight shapes are those of Keras, so
    Keras weight files load into it.

    Args:
        include_top: whether to include the pooling + `Dense` classifier.
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
    >>> model = keras.applications.ResNet50V2(
    ...     include_top=False, weights=None, input_shape=(64, 64, 3), pooling="avg")
    >>> model.output_shape
    (None, 2048)
    """

    def stack_fn(x):
        x = _stack_v2(x, 64, 3, name="conv2")
        x = _stack_v2(x, 128, 4, name="conv3")
        x = _stack_v2(x, 256, 6, name="conv4")
        return _stack_v2(x, 512, 3, stride1=1, name="conv5")

    return _resnet(
        stack_fn,
        True,
        True,
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name,
        "resnet50v2",
    )


def ResNet101V2(
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor=None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation="softmax",
    name: str = "resnet101v2",
):
    """Instantiates the ResNet101V2 architecture (pre-activation residual blocks).

    The model expects inputs preprocessed with
    `keras.applications.resnet_v2.preprocess_input` (pixels scaled to
    `[-1, 1]`). Layer names, order and weight shapes are those of Keras, so
    Keras weight files load into it.

    Args:
        include_top: whether to include the pooling + `Dense` classifier.
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
    >>> model = keras.applications.ResNet101V2(
    ...     include_top=False, weights=None, input_shape=(64, 64, 3), pooling="avg")
    >>> model.output_shape
    (None, 2048)
    """

    def stack_fn(x):
        x = _stack_v2(x, 64, 3, name="conv2")
        x = _stack_v2(x, 128, 4, name="conv3")
        x = _stack_v2(x, 256, 23, name="conv4")
        return _stack_v2(x, 512, 3, stride1=1, name="conv5")

    return _resnet(
        stack_fn,
        True,
        True,
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name,
        "resnet101v2",
    )


def ResNet152V2(
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor=None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation="softmax",
    name: str = "resnet152v2",
):
    """Instantiates the ResNet152V2 architecture (pre-activation residual blocks).

    The model expects inputs preprocessed with
    `keras.applications.resnet_v2.preprocess_input` (pixels scaled to
    `[-1, 1]`). Layer names, order and weight shapes are those of Keras, so
    Keras weight files load into it.

    Args:
        include_top: whether to include the pooling + `Dense` classifier.
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
    >>> model = keras.applications.ResNet152V2(
    ...     include_top=False, weights=None, input_shape=(64, 64, 3), pooling="avg")
    >>> model.output_shape
    (None, 2048)
    """

    def stack_fn(x):
        x = _stack_v2(x, 64, 3, name="conv2")
        x = _stack_v2(x, 128, 8, name="conv3")
        x = _stack_v2(x, 256, 36, name="conv4")
        return _stack_v2(x, 512, 3, stride1=1, name="conv5")

    return _resnet(
        stack_fn,
        True,
        True,
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name,
        "resnet152v2",
    )


def preprocess_input(x, data_format: str | None = None):
    """Preprocesses images for the ResNet V2 models: scales pixels from `[0, 255]` to `[-1, 1]`.

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
