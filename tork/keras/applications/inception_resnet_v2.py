"""`keras.applications.inception_resnet_v2`: the Inception-ResNet v2 image classifier."""

from __future__ import annotations

from tork.keras.applications import imagenet_utils
from tork.keras.applications.imagenet_utils import decode_predictions
from tork.keras.layers import Layer

__all__ = ["InceptionResNetV2", "preprocess_input", "decode_predictions"]

BASE_WEIGHT_URL = (
    "https://storage.googleapis.com/tensorflow/keras-applications/inception_resnet_v2/"
)
_FNAME = "inception_resnet_v2_weights_tf_dim_ordering_tf_kernels.h5"
_FNAME_NO_TOP = "inception_resnet_v2_weights_tf_dim_ordering_tf_kernels_notop.h5"
_HASH = "e693bd0210a403b3192acc6073ad2e96"
_HASH_NO_TOP = "d19885ff4a710c122648d3b5c3b684e4"


class CustomScaleLayer(Layer):
    """Returns `inputs[0] + inputs[1] * scale` (a residual connection with a scaled branch).

    Args:
        scale: the factor applied to the residual branch (`inputs[1]`).
    """

    def __init__(self, scale, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale

    def call(self, inputs):
        return inputs[0] + inputs[1] * self.scale

    def get_config(self):
        config = super().get_config()
        config.update({"scale": self.scale})
        return config


def _register():
    # Keras 2 registers the layer as "Custom>CustomScaleLayer", so saved models reload.
    from tork.keras.saving.object_registration import register_keras_serializable

    register_keras_serializable()(CustomScaleLayer)


_register()


def _axis() -> int:
    from tork.keras.backend import image_data_format

    return 1 if image_data_format() == "channels_first" else 3


def _conv_bn(
    x,
    filters: int,
    kernel_size,
    strides=1,
    padding: str = "same",
    activation="relu",
    use_bias: bool = False,
    name: str | None = None,
):
    """Conv2D, then (without a bias) BatchNormalization without scale, then the activation.

    Unnamed calls leave the layers to their automatic names, as Keras does.
    """
    from tork.keras import layers

    x = layers.Conv2D(
        filters, kernel_size, strides=strides, padding=padding, use_bias=use_bias, name=name
    )(x)
    if not use_bias:
        bn_name = None if name is None else f"{name}_bn"
        x = layers.BatchNormalization(axis=_axis(), scale=False, name=bn_name)(x)
    if activation is not None:
        x = layers.Activation(activation, name=None if name is None else f"{name}_ac")(x)
    return x


def _inception_resnet_block(x, scale: float, block_type: str, block_idx: int, activation="relu"):
    """Inception-ResNet-A ("block35"), -B ("block17") or -C ("block8"): `x + scale * branch`."""
    from tork.keras import layers

    if block_type == "block35":
        branch_0 = _conv_bn(x, 32, 1)
        branch_1 = _conv_bn(_conv_bn(x, 32, 1), 32, 3)
        branch_2 = _conv_bn(_conv_bn(_conv_bn(x, 32, 1), 48, 3), 64, 3)
        branches = [branch_0, branch_1, branch_2]
    elif block_type == "block17":
        branch_0 = _conv_bn(x, 192, 1)
        branch_1 = _conv_bn(_conv_bn(_conv_bn(x, 128, 1), 160, [1, 7]), 192, [7, 1])
        branches = [branch_0, branch_1]
    else:  # block8
        branch_0 = _conv_bn(x, 192, 1)
        branch_1 = _conv_bn(_conv_bn(_conv_bn(x, 192, 1), 224, [1, 3]), 256, [3, 1])
        branches = [branch_0, branch_1]
    block_name = f"{block_type}_{block_idx}"
    mixed = layers.Concatenate(axis=_axis(), name=f"{block_name}_mixed")(branches)
    up = _conv_bn(
        mixed,
        x.shape[_axis()],
        1,
        activation=None,
        use_bias=True,
        name=f"{block_name}_conv",
    )
    x = CustomScaleLayer(scale)([x, up])
    if activation is not None:
        x = layers.Activation(activation, name=f"{block_name}_ac")(x)
    return x


def InceptionResNetV2(
    include_top: bool = True,
    weights: str | None = "imagenet",
    input_tensor=None,
    input_shape: tuple | None = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation="softmax",
    name: str = "inception_resnet_v2",
    **kwargs,
):
    """Instantiates the Inception-ResNet v2 architecture (Szegedy et al., 2017).

    The model expects inputs preprocessed with
    `keras.applications.inception_resnet_v2.preprocess_input` (pixels scaled
    to `[-1, 1]`). Its default input size is 299x299. Layer names, order and
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
        name: the model's name (a Keras 3 argument).
        **kwargs: Keras 2 accepts only `layers` (a replacement layers module),
            which tork does not support.

    Returns:
        A functional `keras.Model`.

    Example:
    >>> model = keras.applications.InceptionResNetV2(
    ...     include_top=False, weights=None, input_shape=(75, 75, 3))
    >>> model.output_shape
    (None, 1, 1, 1536)
    """
    from tork.keras import layers
    from tork.keras.backend import image_data_format

    if "layers" in kwargs:
        raise ValueError(
            "InceptionResNetV2 does not support the Keras 2 `layers` argument (a replacement "
            "layers module); build the model with tork's layers."
        )
    if kwargs:
        raise ValueError(f"Unknown argument(s): {kwargs}")
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
    # Stem.
    x = _conv_bn(img_input, 32, 3, strides=2, padding="valid")
    x = _conv_bn(x, 32, 3, padding="valid")
    x = _conv_bn(x, 64, 3)
    x = layers.MaxPooling2D(3, strides=2)(x)
    x = _conv_bn(x, 80, 1, padding="valid")
    x = _conv_bn(x, 192, 3, padding="valid")
    x = layers.MaxPooling2D(3, strides=2)(x)

    # Mixed 5b (Inception-A), then 10 Inception-ResNet-A blocks (35x35 at 299x299 input).
    branch_0 = _conv_bn(x, 96, 1)
    branch_1 = _conv_bn(_conv_bn(x, 48, 1), 64, 5)
    branch_2 = _conv_bn(_conv_bn(_conv_bn(x, 64, 1), 96, 3), 96, 3)
    branch_pool = _conv_bn(layers.AveragePooling2D(3, strides=1, padding="same")(x), 64, 1)
    x = layers.Concatenate(axis=axis, name="mixed_5b")([branch_0, branch_1, branch_2, branch_pool])
    for block_idx in range(1, 11):
        x = _inception_resnet_block(x, scale=0.17, block_type="block35", block_idx=block_idx)

    # Mixed 6a (Reduction-A), then 20 Inception-ResNet-B blocks (17x17).
    branch_0 = _conv_bn(x, 384, 3, strides=2, padding="valid")
    branch_1 = _conv_bn(_conv_bn(_conv_bn(x, 256, 1), 256, 3), 384, 3, strides=2, padding="valid")
    branch_pool = layers.MaxPooling2D(3, strides=2, padding="valid")(x)
    x = layers.Concatenate(axis=axis, name="mixed_6a")([branch_0, branch_1, branch_pool])
    for block_idx in range(1, 21):
        x = _inception_resnet_block(x, scale=0.1, block_type="block17", block_idx=block_idx)

    # Mixed 7a (Reduction-B), then 10 Inception-ResNet-C blocks (8x8), the last linear.
    branch_0 = _conv_bn(_conv_bn(x, 256, 1), 384, 3, strides=2, padding="valid")
    branch_1 = _conv_bn(_conv_bn(x, 256, 1), 288, 3, strides=2, padding="valid")
    branch_2 = _conv_bn(_conv_bn(_conv_bn(x, 256, 1), 288, 3), 320, 3, strides=2, padding="valid")
    branch_pool = layers.MaxPooling2D(3, strides=2, padding="valid")(x)
    x = layers.Concatenate(axis=axis, name="mixed_7a")([branch_0, branch_1, branch_2, branch_pool])
    for block_idx in range(1, 10):
        x = _inception_resnet_block(x, scale=0.2, block_type="block8", block_idx=block_idx)
    x = _inception_resnet_block(x, scale=1.0, activation=None, block_type="block8", block_idx=10)

    x = _conv_bn(x, 1536, 1, name="conv_7b")
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        imagenet_utils._validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D()(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D()(x)

    model = imagenet_utils._build_model(input_tensor, img_input, x, name)
    fname, file_hash = (_FNAME, _HASH) if include_top else (_FNAME_NO_TOP, _HASH_NO_TOP)
    imagenet_utils._load_weights(model, weights, fname, BASE_WEIGHT_URL + fname, file_hash)
    return model


def preprocess_input(x, data_format: str | None = None):
    """Preprocesses images for Inception-ResNet v2: scales pixels from `[0, 255]` to `[-1, 1]`.

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
