"""`keras.applications.densenet`: DenseNet121/169/201 (Huang et al., 2017)."""

from __future__ import annotations

from tork.keras.applications import imagenet_utils
from tork.keras.applications.imagenet_utils import decode_predictions

__all__ = ["DenseNet121", "DenseNet169", "DenseNet201", "preprocess_input", "decode_predictions"]

BASE_WEIGHTS_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/densenet/"
# md5 of (with top, without top) for the weight files Keras publishes.
WEIGHTS_HASHES = {
    "densenet121": ("9d60b8095a5708f2dcce2bca79d332c7", "30ee3e1110167f948a6b9946edeeb738"),
    "densenet169": ("d699b8f76981ab1b30698df4c175e90b", "b8c4d4c20dd625c148057b9ff1c1176b"),
    "densenet201": ("1ceb130c1ea1b78c3bf6114dbdfd8807", "c13680b51ded0fb44dff2d8f86ac8bb1"),
}
_EPSILON = 1.001e-5
_GROWTH_RATE = 32


def _bn_axis() -> int:
    from tork.keras.backend import image_data_format

    return 3 if image_data_format() == "channels_last" else 1


def _conv_block(x, growth_rate: int, name: str):
    from tork.keras import layers

    axis = _bn_axis()
    # Bottleneck (BN-ReLU-1x1 conv to 4k channels, BN-ReLU-3x3 conv to k channels), whose
    # output is concatenated to everything before it.
    x1 = layers.BatchNormalization(axis=axis, epsilon=_EPSILON, name=f"{name}_0_bn")(x)
    x1 = layers.Activation("relu", name=f"{name}_0_relu")(x1)
    x1 = layers.Conv2D(4 * growth_rate, 1, use_bias=False, name=f"{name}_1_conv")(x1)
    x1 = layers.BatchNormalization(axis=axis, epsilon=_EPSILON, name=f"{name}_1_bn")(x1)
    x1 = layers.Activation("relu", name=f"{name}_1_relu")(x1)
    x1 = layers.Conv2D(growth_rate, 3, padding="same", use_bias=False, name=f"{name}_2_conv")(x1)
    return layers.Concatenate(axis=axis, name=f"{name}_concat")([x, x1])


def _dense_block(x, blocks: int, name: str):
    for i in range(1, blocks + 1):
        x = _conv_block(x, _GROWTH_RATE, name=f"{name}_block{i}")
    return x


def _transition_block(x, reduction: float, name: str):
    from tork.keras import layers

    axis = _bn_axis()
    x = layers.BatchNormalization(axis=axis, epsilon=_EPSILON, name=f"{name}_bn")(x)
    x = layers.Activation("relu", name=f"{name}_relu")(x)
    x = layers.Conv2D(int(x.shape[axis] * reduction), 1, use_bias=False, name=f"{name}_conv")(x)
    return layers.AveragePooling2D(2, strides=2, name=f"{name}_pool")(x)


def _densenet(
    blocks,
    include_top,
    weights,
    input_tensor,
    input_shape,
    pooling,
    classes,
    classifier_activation,
    name,
    weights_name,
):
    """Builds a DenseNet with `blocks[i]` convolution blocks in dense block `i`."""
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
    axis = _bn_axis()
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)))(img_input)
    # Keras 2 names the stem 'conv1/conv', 'conv1/bn', 'conv1/relu' (Keras 3, which refuses
    # '/' in names, uses 'conv1_conv'...). The published ImageNet .h5 files hold the Keras 2
    # names, which matter for load_weights(by_name=True) and for `w.name`.
    x = layers.Conv2D(64, 7, strides=2, use_bias=False, name="conv1/conv")(x)
    x = layers.BatchNormalization(axis=axis, epsilon=_EPSILON, name="conv1/bn")(x)
    x = layers.Activation("relu", name="conv1/relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)))(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1")(x)
    for stage, count in enumerate(blocks, start=2):
        x = _dense_block(x, count, name=f"conv{stage}")
        if stage < 5:
            x = _transition_block(x, 0.5, name=f"pool{stage}")
    x = layers.BatchNormalization(axis=axis, epsilon=_EPSILON, name="bn")(x)
    x = layers.Activation("relu", name="relu")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        imagenet_utils._validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D(name="max_pool")(x)

    model = imagenet_utils._build_model(input_tensor, img_input, x, name)
    top, notop = WEIGHTS_HASHES[weights_name]
    suffix = "" if include_top else "_notop"
    fname = f"{weights_name}_weights_tf_dim_ordering_tf_kernels{suffix}.h5"
    file_hash = top if include_top else notop
    imagenet_utils._load_weights(model, weights, fname, BASE_WEIGHTS_PATH + fname, file_hash)
    return model


def DenseNet121(
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor=None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation="softmax",
    name: str = "densenet121",
):
    """Instantiates the DenseNet121 architecture.

    The model expects inputs preprocessed with
    `keras.applications.densenet.preprocess_input` (pixels scaled to
    `[0, 1]`, then normalized with the ImageNet mean and standard deviation).
    Layer names, order and weight shapes are those of Keras, so Keras weight
    files load into it.

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
    >>> model = keras.applications.DenseNet121(
    ...     include_top=False, weights=None, input_shape=(32, 32, 3), pooling="avg")
    >>> model.output_shape
    (None, 1024)
    """
    return _densenet(
        (6, 12, 24, 16),
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name,
        "densenet121",
    )


def DenseNet169(
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor=None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation="softmax",
    name: str = "densenet169",
):
    """Instantiates the DenseNet169 architecture.

    The model expects inputs preprocessed with
    `keras.applications.densenet.preprocess_input` (pixels scaled to
    `[0, 1]`, then normalized with the ImageNet mean and standard deviation).
    Layer names, order and weight shapes are those of Keras, so Keras weight
    files load into it.

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
    >>> model = keras.applications.DenseNet169(
    ...     include_top=False, weights=None, input_shape=(32, 32, 3), pooling="avg")
    >>> model.output_shape
    (None, 1664)
    """
    return _densenet(
        (6, 12, 32, 32),
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name,
        "densenet169",
    )


def DenseNet201(
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor=None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation="softmax",
    name: str = "densenet201",
):
    """Instantiates the DenseNet201 architecture.

    The model expects inputs preprocessed with
    `keras.applications.densenet.preprocess_input` (pixels scaled to
    `[0, 1]`, then normalized with the ImageNet mean and standard deviation).
    Layer names, order and weight shapes are those of Keras, so Keras weight
    files load into it.

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
    >>> model = keras.applications.DenseNet201(
    ...     include_top=False, weights=None, input_shape=(32, 32, 3), pooling="avg")
    >>> model.output_shape
    (None, 1920)
    """
    return _densenet(
        (6, 12, 48, 32),
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name,
        "densenet201",
    )


def preprocess_input(x, data_format: str | None = None):
    """Preprocesses images for DenseNet ('torch' mode).

    Scales pixels to `[0, 1]`, then normalizes each channel with the
    ImageNet mean `(0.485, 0.456, 0.406)` and standard deviation
    `(0.229, 0.224, 0.225)` (RGB order).

    Args:
        x: images (NumPy array, tensor or symbolic Keras tensor), 3D or 4D,
            RGB, values in `[0, 255]`.
        data_format: `"channels_last"` or `"channels_first"`; defaults to
            `keras.backend.image_data_format()`.

    Returns:
        The preprocessed images (float32 for integer input).

    Example:
    >>> preprocess_input(np.array([[[[123.675, 116.28, 103.53]]]], "float32"))
    array([[[[0., 0., 0.]]]], dtype=float32)
    """
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="torch")
