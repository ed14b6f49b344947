"""`keras.applications.xception`: the Xception image classifier (Chollet, 2017)."""

from __future__ import annotations

from tork.keras.applications import imagenet_utils
from tork.keras.applications.imagenet_utils import decode_predictions

__all__ = ["Xception", "preprocess_input", "decode_predictions"]

_BASE = "https://storage.googleapis.com/tensorflow/keras-applications/xception/"
TF_WEIGHTS_PATH = _BASE + "xception_weights_tf_dim_ordering_tf_kernels.h5"
TF_WEIGHTS_PATH_NO_TOP = _BASE + "xception_weights_tf_dim_ordering_tf_kernels_notop.h5"
_HASH = "0a58e3b7378bc2990ea3b43d5981f1f6"
_HASH_NO_TOP = "b0042744bf5b25fce3cb969f33bebb97"


def _axis() -> int:
    from tork.keras.backend import image_data_format

    return 1 if image_data_format() == "channels_first" else -1


def _sepconv_bn(x, filters: int, name: str, relu_first: bool):
    from tork.keras import layers

    if relu_first:
        x = layers.Activation("relu", name=f"{name}_act")(x)
    x = layers.SeparableConv2D(filters, (3, 3), padding="same", use_bias=False, name=name)(x)
    return layers.BatchNormalization(axis=_axis(), name=f"{name}_bn")(x)


def _projection(x, filters: int):
    # Strided 1x1 shortcut of the entry/exit flow blocks; Keras leaves these unnamed.
    from tork.keras import layers

    x = layers.Conv2D(filters, (1, 1), strides=(2, 2), padding="same", use_bias=False)(x)
    return layers.BatchNormalization(axis=_axis())(x)


def _downsampling_block(x, filters, block: int, first_relu: bool):
    from tork.keras import layers

    residual = _projection(x, filters[-1])
    x = _sepconv_bn(x, filters[0], f"block{block}_sepconv1", first_relu)
    x = _sepconv_bn(x, filters[1], f"block{block}_sepconv2", True)
    x = layers.MaxPooling2D((3, 3), strides=(2, 2), padding="same", name=f"block{block}_pool")(x)
    return layers.Add()([x, residual])


def Xception(
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor=None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation="softmax",
    name: str = "xception",
):
    """Instantiates the Xception architecture.

    The model expects inputs preprocessed with
    `keras.applications.xception.preprocess_input` (pixels scaled to
    `[-1, 1]`). Its default input size is 299x299. Layer names, order and
    weight shapes are those of Keras, so Keras weight files load into it.

    Args:
        include_top: whether to include the pooling + `Dense` classifier.
        weights: `None` (random initialization), `"imagenet"` (downloaded
            once into `~/.keras/models/`), or the path to a weights file.
        input_tensor: optional Keras tensor to use as the image input.
        input_shape: optional `(height, width, 3)`; only when `include_top`
            is False may it differ from `(299, 299, 3)`; at least 71x71.
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
    >>> model = keras.applications.Xception(
    ...     include_top=False, weights=None, input_shape=(71, 71, 3))
    >>> model.output_shape
    (None, 3, 3, 2048)
    """
    from tork.keras import layers
    from tork.keras.backend import image_data_format

    imagenet_utils._check_weights(weights, include_top, classes)
    imagenet_utils._check_pooling(pooling)
    input_shape = imagenet_utils._obtain_input_shape(
        input_shape,
        default_size=299,
        min_size=71,
        data_format=image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    img_input = imagenet_utils._image_input(input_tensor, input_shape)
    axis = _axis()
    x = layers.Conv2D(32, (3, 3), strides=(2, 2), use_bias=False, name="block1_conv1")(img_input)
    x = layers.BatchNormalization(axis=axis, name="block1_conv1_bn")(x)
    x = layers.Activation("relu", name="block1_conv1_act")(x)
    x = layers.Conv2D(64, (3, 3), use_bias=False, name="block1_conv2")(x)
    x = layers.BatchNormalization(axis=axis, name="block1_conv2_bn")(x)
    x = layers.Activation("relu", name="block1_conv2_act")(x)

    # Entry flow: the first block starts from the already activated stem.
    x = _downsampling_block(x, (128, 128), 2, first_relu=False)
    x = _downsampling_block(x, (256, 256), 3, first_relu=True)
    x = _downsampling_block(x, (728, 728), 4, first_relu=True)
    # Middle flow: eight identity-shortcut blocks.
    for block in range(5, 13):
        residual = x
        for conv in (1, 2, 3):
            x = _sepconv_bn(x, 728, f"block{block}_sepconv{conv}", True)
        x = layers.Add()([x, residual])
    # Exit flow.
    x = _downsampling_block(x, (728, 1024), 13, first_relu=True)
    x = layers.SeparableConv2D(
        1536, (3, 3), padding="same", use_bias=False, name="block14_sepconv1"
    )(x)
    x = layers.BatchNormalization(axis=axis, name="block14_sepconv1_bn")(x)
    x = layers.Activation("relu", name="block14_sepconv1_act")(x)
    x = layers.SeparableConv2D(
        2048, (3, 3), padding="same", use_bias=False, name="block14_sepconv2"
    )(x)
    x = layers.BatchNormalization(axis=axis, name="block14_sepconv2_bn")(x)
    x = layers.Activation("relu", name="block14_sepconv2_act")(x)

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
        (TF_WEIGHTS_PATH, _HASH) if include_top else (TF_WEIGHTS_PATH_NO_TOP, _HASH_NO_TOP)
    )
    imagenet_utils._load_weights(model, weights, origin.rsplit("/", 1)[1], origin, file_hash)
    return model


def preprocess_input(x, data_format: str | None = None):
    """Preprocesses images for Xception: scales pixels from `[0, 255]` to `[-1, 1]`.

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
