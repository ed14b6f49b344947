"""`keras.applications.mobilenet`: the MobileNet (v1) image classifier (Howard et al., 2017)."""

from __future__ import annotations

import warnings

from tork.keras.applications import imagenet_utils
from tork.keras.applications.imagenet_utils import decode_predictions

__all__ = ["MobileNet", "preprocess_input", "decode_predictions"]

BASE_WEIGHT_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet/"
_PRETRAINED_ALPHAS = (0.25, 0.50, 0.75, 1.0)
_PRETRAINED_SIZES = (128, 160, 192, 224)

# (pointwise filters, stride) of the 13 depthwise separable blocks, from the paper.
_BLOCKS = (
    (64, 1),
    (128, 2),
    (128, 1),
    (256, 2),
    (256, 1),
    (512, 2),
    (512, 1),
    (512, 1),
    (512, 1),
    (512, 1),
    (512, 1),
    (1024, 2),
    (1024, 1),
)


def _bn(name: str):
    from tork.keras.backend import image_data_format
    from tork.keras.layers import BatchNormalization

    axis = 1 if image_data_format() == "channels_first" else -1
    return BatchNormalization(axis=axis, name=name)


def _depthwise_conv_block(
    x, pointwise_filters: int, alpha: float, depth_multiplier: int, stride: int, block_id: int
):
    from tork.keras import layers

    if stride != 1:
        # TF's 'same' padding for a stride-2 3x3 kernel pads only bottom/right.
        x = layers.ZeroPadding2D(((0, 1), (0, 1)), name=f"conv_pad_{block_id}")(x)
    x = layers.DepthwiseConv2D(
        (3, 3),
        padding="same" if stride == 1 else "valid",
        depth_multiplier=depth_multiplier,
        strides=(stride, stride),
        use_bias=False,
        name=f"conv_dw_{block_id}",
    )(x)
    x = _bn(f"conv_dw_{block_id}_bn")(x)
    x = layers.ReLU(6.0, name=f"conv_dw_{block_id}_relu")(x)
    x = layers.Conv2D(
        int(pointwise_filters * alpha),
        (1, 1),
        padding="same",
        use_bias=False,
        strides=(1, 1),
        name=f"conv_pw_{block_id}",
    )(x)
    x = _bn(f"conv_pw_{block_id}_bn")(x)
    return layers.ReLU(6.0, name=f"conv_pw_{block_id}_relu")(x)


def _requested_rows(input_shape, input_tensor, channels_last: bool):
    """(rows, cols) asked for through `input_shape` or `input_tensor`, else (None, None)."""
    if input_shape is not None:
        return (input_shape[0], input_shape[1]) if channels_last else tuple(input_shape[1:3])
    if input_tensor is not None and getattr(input_tensor, "shape", None) is not None:
        shape = tuple(input_tensor.shape)
        if len(shape) == 4:
            return shape[1:3] if channels_last else shape[2:4]
    return None, None


def MobileNet(
    input_shape: tuple | None = None,
    alpha: float = 1.0,
    depth_multiplier: int = 1,
    dropout: float = 1e-3,
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor=None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation="softmax",
    name: str | None = None,
):
    """Instantiates the MobileNet architecture.

    The model expects inputs preprocessed with
    `keras.applications.mobilenet.preprocess_input` (pixels scaled to
    `[-1, 1]`). Layer names, order and weight shapes are those of Keras, so
    Keras weight files load into it.

    Args:
        input_shape: optional `(height, width, 3)`; only when `include_top` is
            False may it differ from `(224, 224, 3)`. Height and width must be
            at least 32. Ignored when `input_tensor` is given.
        alpha: width multiplier: `< 1.0` fewer filters per layer, `> 1.0`
            more. Pretrained weights exist for 0.25, 0.5, 0.75 and 1.0.
        depth_multiplier: depth multiplier of the depthwise convolutions
            (resolution multiplier in the paper); 1 with pretrained weights.
        dropout: dropout rate before the classifier.
        include_top: whether to include the pooling + classifier.
        weights: `None` (random initialization), `"imagenet"` (downloaded
            once into `~/.keras/models/`), or the path to a weights file.
        input_tensor: optional Keras tensor to use as the image input.
        pooling: when `include_top` is False: `None` (4D output), `"avg"` or
            `"max"` (global pooling, 2D output).
        classes: number of classes when `include_top` is True and no
            pretrained weights are loaded.
        classifier_activation: activation of the top layer (`None` for
            logits); only `None` or `"softmax"` with pretrained weights.
        name: model name; defaults to `"mobilenet_{alpha:0.2f}_{rows}"`.

    Returns:
        A functional `keras.Model`.

    Example:
    >>> model = keras.applications.MobileNet(
    ...     input_shape=(128, 128, 3), include_top=False, weights=None)
    >>> model.output_shape
    (None, 4, 4, 1024)
    """
    from tork.keras import layers
    from tork.keras.backend import image_data_format

    imagenet_utils._check_weights(weights, include_top, classes)
    imagenet_utils._check_pooling(pooling)
    channels_last = image_data_format() == "channels_last"
    rows, cols = _requested_rows(input_shape, input_tensor, channels_last)
    default_size = rows if rows == cols and rows in _PRETRAINED_SIZES else 224
    input_shape = imagenet_utils._obtain_input_shape(
        input_shape,
        default_size=default_size,
        min_size=32,
        data_format=image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    rows, cols = input_shape[0:2] if channels_last else input_shape[1:3]
    if weights == "imagenet":
        if depth_multiplier != 1:
            raise ValueError(
                "If imagenet weights are being loaded, depth multiplier must be 1. "
                f"Received depth_multiplier={depth_multiplier}"
            )
        if alpha not in _PRETRAINED_ALPHAS:
            raise ValueError(
                "If imagenet weights are being loaded, alpha can be one of `0.25`, `0.50`, "
                f"`0.75` or `1.0` only. Received alpha={alpha}"
            )
        if rows != cols or rows not in _PRETRAINED_SIZES:
            rows = 224
            warnings.warn(
                "`input_shape` is undefined or non-square, or `rows` is not in "
                "[128, 160, 192, 224]. Weights for input shape (224, 224) will be "
                "loaded as the default.",
                stacklevel=2,
            )

    img_input = imagenet_utils._image_input(input_tensor, input_shape)
    x = layers.Conv2D(
        int(32 * alpha), (3, 3), padding="same", use_bias=False, strides=(2, 2), name="conv1"
    )(img_input)
    x = _bn("conv1_bn")(x)
    x = layers.ReLU(6.0, name="conv1_relu")(x)
    for block_id, (filters, stride) in enumerate(_BLOCKS, start=1):
        x = _depthwise_conv_block(x, filters, alpha, depth_multiplier, stride, block_id)
    if include_top:
        # The classifier is a 1x1 convolution over the pooled features, as in the paper.
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Dropout(dropout, name="dropout")(x)
        x = layers.Conv2D(classes, (1, 1), padding="same", name="conv_preds")(x)
        x = layers.Reshape((classes,), name="reshape_2")(x)
        imagenet_utils._validate_activation(classifier_activation, weights)
        x = layers.Activation(classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D()(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D()(x)

    if name is None:
        name = f"mobilenet_{alpha:0.2f}_{rows}"
    model = imagenet_utils._build_model(input_tensor, img_input, x, name)
    alpha_text = {1.0: "1_0", 0.75: "7_5", 0.50: "5_0", 0.25: "2_5"}.get(alpha, "")
    suffix = "" if include_top else "_no_top"
    fname = f"mobilenet_{alpha_text}_{rows}_tf{suffix}.h5"
    imagenet_utils._load_weights(model, weights, fname, BASE_WEIGHT_PATH + fname)
    return model


def preprocess_input(x, data_format: str | None = None):
    """Preprocesses images for MobileNet: scales pixels from `[0, 255]` to `[-1, 1]`.

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
