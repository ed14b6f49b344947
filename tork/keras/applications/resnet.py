"""`keras.applications.resnet`: the ResNet50/101/152 image classifiers (He et al., 2015)."""

from __future__ import annotations

from tork.keras.applications import imagenet_utils
from tork.keras.applications.imagenet_utils import decode_predictions

__all__ = ["ResNet50", "ResNet101", "ResNet152", "preprocess_input", "decode_predictions"]

BASE_WEIGHTS_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/resnet/"
# md5 of (with top, without top) for the weight files Keras publishes.
WEIGHTS_HASHES = {
    "resnet50": ("2cb95161c43110f7111970584f804107", "4d473c1dd8becc155b73f8504c6f6626"),
    "resnet101": ("f1aeb4b969a6efcfb50fad2f0c20cfc5", "88cf7a10940856eca736dc7b7e228a21"),
    "resnet152": ("100835be76be38e30d865e96f2aaae62", "ee4c566cf9a93f14d82f913c2dc6dd0c"),
    "resnet50v2": ("3ef43a0b657b3be2300d5770ece849e0", "fac2f116257151a9d068a22e544a4917"),
    "resnet101v2": ("6343647c601c52e1368623803854d971", "c0ed64b8031c3730f411d2eb4eea35b5"),
    "resnet152v2": ("a49b44d1979771252814e80f8ec446f9", "ed17cf2e0169df9d443503ef94b23b33"),
}
_EPSILON = 1.001e-5


def _bn_axis() -> int:
    from tork.keras.backend import image_data_format

    return 3 if image_data_format() == "channels_last" else 1


def _residual_block_v1(
    x,
    filters: int,
    kernel_size: int = 3,
    stride: int = 1,
    conv_shortcut: bool = True,
    name: str = "",
):
    from tork.keras import layers

    axis = _bn_axis()
    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=f"{name}_0_conv")(x)
        shortcut = layers.BatchNormalization(axis=axis, epsilon=_EPSILON, name=f"{name}_0_bn")(
            shortcut
        )
    else:
        shortcut = x
    x = layers.Conv2D(filters, 1, strides=stride, name=f"{name}_1_conv")(x)
    x = layers.BatchNormalization(axis=axis, epsilon=_EPSILON, name=f"{name}_1_bn")(x)
    x = layers.Activation("relu", name=f"{name}_1_relu")(x)
    x = layers.Conv2D(filters, kernel_size, padding="same", name=f"{name}_2_conv")(x)
    x = layers.BatchNormalization(axis=axis, epsilon=_EPSILON, name=f"{name}_2_bn")(x)
    x = layers.Activation("relu", name=f"{name}_2_relu")(x)
    x = layers.Conv2D(4 * filters, 1, name=f"{name}_3_conv")(x)
    x = layers.BatchNormalization(axis=axis, epsilon=_EPSILON, name=f"{name}_3_bn")(x)
    x = layers.Add(name=f"{name}_add")([shortcut, x])
    return layers.Activation("relu", name=f"{name}_out")(x)


def _stack_v1(x, filters: int, blocks: int, stride1: int = 2, name: str = ""):
    x = _residual_block_v1(x, filters, stride=stride1, name=f"{name}_block1")
    for i in range(2, blocks + 1):
        x = _residual_block_v1(x, filters, conv_shortcut=False, name=f"{name}_block{i}")
    return x


def _residual_block_v2(
    x,
    filters: int,
    kernel_size: int = 3,
    stride: int = 1,
    conv_shortcut: bool = False,
    name: str = "",
):
    from tork.keras import layers

    axis = _bn_axis()
    # Pre-activation (He et al., 2016): BN + ReLU before the convolutions, shared with
    # the projection shortcut; the identity shortcut takes the raw input.
    preact = layers.BatchNormalization(axis=axis, epsilon=_EPSILON, name=f"{name}_preact_bn")(x)
    preact = layers.Activation("relu", name=f"{name}_preact_relu")(preact)
    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=f"{name}_0_conv")(preact)
    else:
        shortcut = layers.MaxPooling2D(1, strides=stride)(x) if stride > 1 else x
    x = layers.Conv2D(filters, 1, strides=1, use_bias=False, name=f"{name}_1_conv")(preact)
    x = layers.BatchNormalization(axis=axis, epsilon=_EPSILON, name=f"{name}_1_bn")(x)
    x = layers.Activation("relu", name=f"{name}_1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name=f"{name}_2_pad")(x)
    x = layers.Conv2D(filters, kernel_size, strides=stride, use_bias=False, name=f"{name}_2_conv")(
        x
    )
    x = layers.BatchNormalization(axis=axis, epsilon=_EPSILON, name=f"{name}_2_bn")(x)
    x = layers.Activation("relu", name=f"{name}_2_relu")(x)
    x = layers.Conv2D(4 * filters, 1, name=f"{name}_3_conv")(x)
    return layers.Add(name=f"{name}_out")([shortcut, x])


def _stack_v2(x, filters: int, blocks: int, stride1: int = 2, name: str = ""):
    # The v2 stacks downsample in their last block, not their first.
    x = _residual_block_v2(x, filters, conv_shortcut=True, name=f"{name}_block1")
    for i in range(2, blocks):
        x = _residual_block_v2(x, filters, name=f"{name}_block{i}")
    return _residual_block_v2(x, filters, stride=stride1, name=f"{name}_block{blocks}")


def _resnet(
    stack_fn,
    preact: bool,
    use_bias: bool,
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
    """Builds a ResNet (v1 or v2) around `stack_fn`, which adds the residual stages."""
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
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)), name="conv1_pad")(img_input)
    x = layers.Conv2D(64, 7, strides=2, use_bias=use_bias, name="conv1_conv")(x)
    if not preact:
        x = layers.BatchNormalization(axis=axis, epsilon=_EPSILON, name="conv1_bn")(x)
        x = layers.Activation("relu", name="conv1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name="pool1_pad")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1_pool")(x)
    x = stack_fn(x)
    if preact:
        x = layers.BatchNormalization(axis=axis, epsilon=_EPSILON, name="post_bn")(x)
        x = layers.Activation("relu", name="post_relu")(x)
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


def ResNet50(
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor=None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation="softmax",
    name: str = "resnet50",
):
    """Instantiates the ResNet50 architecture.

    The model expects inputs preprocessed with
    `keras.applications.resnet50.preprocess_input` (RGB to BGR, ImageNet
    mean subtracted). Layer names, order and weight shapes are those of
    Keras, so Keras weight files load into it.

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
    >>> model = keras.applications.ResNet50(
    ...     include_top=False, weights=None, input_shape=(64, 64, 3), pooling="avg")
    >>> model.output_shape
    (None, 2048)
    """

    def stack_fn(x):
        x = _stack_v1(x, 64, 3, stride1=1, name="conv2")
        x = _stack_v1(x, 128, 4, name="conv3")
        x = _stack_v1(x, 256, 6, name="conv4")
        x = _stack_v1(x, 512, 3, name="conv5")
        return x

    return _resnet(
        stack_fn,
        False,
        True,
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name,
        "resnet50",
    )


def ResNet101(
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor=None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation="softmax",
    name: str = "resnet101",
):
    """Instantiates the ResNet101 architecture.

    The model expects inputs preprocessed with
    `keras.applications.resnet.preprocess_input` (RGB to BGR, ImageNet
    mean subtracted). Layer names, order and weight shapes are those of
    Keras, so Keras weight files load into it.

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
    >>> model = keras.applications.ResNet101(
    ...     include_top=False, weights=None, input_shape=(64, 64, 3), pooling="avg")
    >>> model.output_shape
    (None, 2048)
    """

    def stack_fn(x):
        x = _stack_v1(x, 64, 3, stride1=1, name="conv2")
        x = _stack_v1(x, 128, 4, name="conv3")
        x = _stack_v1(x, 256, 23, name="conv4")
        x = _stack_v1(x, 512, 3, name="conv5")
        return x

    return _resnet(
        stack_fn,
        False,
        True,
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name,
        "resnet101",
    )


def ResNet152(
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor=None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation="softmax",
    name: str = "resnet152",
):
    """Instantiates the ResNet152 architecture.

    The model expects inputs preprocessed with
    `keras.applications.resnet.preprocess_input` (RGB to BGR, ImageNet
    mean subtracted). Layer names, order and weight shapes are those of
    Keras, so Keras weight files load into it.

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
    >>> model = keras.applications.ResNet152(
    ...     include_top=False, weights=None, input_shape=(64, 64, 3), pooling="avg")
    >>> model.output_shape
    (None, 2048)
    """

    def stack_fn(x):
        x = _stack_v1(x, 64, 3, stride1=1, name="conv2")
        x = _stack_v1(x, 128, 8, name="conv3")
        x = _stack_v1(x, 256, 36, name="conv4")
        x = _stack_v1(x, 512, 3, name="conv5")
        return x

    return _resnet(
        stack_fn,
        False,
        True,
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name,
        "resnet152",
    )


def preprocess_input(x, data_format: str | None = None):
    """Preprocesses images for ResNet50, ResNet101 and ResNet152 ('caffe' mode).

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
