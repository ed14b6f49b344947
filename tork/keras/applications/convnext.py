"""`keras.applications.convnext`: the ConvNeXt Tiny, Small, Base, Large and XLarge classifiers."""

from __future__ import annotations

import numpy as np

from tork.keras.applications import imagenet_utils
from tork.keras.applications.imagenet_utils import decode_predictions
from tork.keras.layers import Layer

__all__ = [
    "ConvNeXtTiny",
    "ConvNeXtSmall",
    "ConvNeXtBase",
    "ConvNeXtLarge",
    "ConvNeXtXLarge",
    "preprocess_input",
    "decode_predictions",
]

BASE_WEIGHTS_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/convnext/"
# sha256 of the published files (with top, without top).
WEIGHTS_HASHES = {
    "convnext_tiny": (
        "8ae6e78ce2933352b1ef4008e6dd2f17bc40771563877d156bc6426c7cf503ff",
        "d547c096cabd03329d7be5562c5e14798aa39ed24b474157cef5e85ab9e49ef1",
    ),
    "convnext_small": (
        "ce1277d8f1ee5a0ef0e171469089c18f5233860ceaf9b168049cb9263fd7483c",
        "6fc8009faa2f00c1c1dfce59feea9b0745eb260a7dd11bee65c8e20843da6eab",
    ),
    "convnext_base": (
        "52cbb006d3dadd03f6e095a8ca1aca47aecdd75acb4bc74bce1f5c695d0086e6",
        "40a20c5548a5e9202f69735ecc06c990e6b7c9d2de39f0361e27baeb24cb7c45",
    ),
    "convnext_large": (
        "070c5ed9ed289581e477741d3b34beffa920db8cf590899d6d2c67fba2a198a6",
        "96f02b6f0753d4f543261bc9d09bed650f24dd6bc02ddde3066135b63d23a1cd",
    ),
    "convnext_xlarge": (
        "c1f5ccab661354fc3a79a10fa99af82f0fbf10ec65cb894a3ae0815f17a889ee",
        "de3f8a54174130e0cecdc71583354753d557fcf1f4487331558e2a16ba0cfe05",
    ),
}

# (blocks per stage, channels per stage) of each variant (Liu et al., 2022).
_VARIANTS = {
    "tiny": ((3, 3, 9, 3), (96, 192, 384, 768)),
    "small": ((3, 3, 27, 3), (96, 192, 384, 768)),
    "base": ((3, 3, 27, 3), (128, 256, 512, 1024)),
    "large": ((3, 3, 27, 3), (192, 384, 768, 1536)),
    "xlarge": ((3, 3, 27, 3), (256, 512, 1024, 2048)),
}
_DEFAULT_SIZE = 224


class StochasticDepth(Layer):
    """Drops the whole residual branch of a random subset of the examples (training only).

    Kept examples are scaled by `1 / (1 - drop_path_rate)`; at inference the
    layer is the identity.

    Args:
        drop_path_rate: probability of dropping an example's branch, in `[0, 1]`.
    """

    def __init__(self, drop_path_rate, **kwargs):
        super().__init__(**kwargs)
        self.drop_path_rate = drop_path_rate

    def call(self, x, training=None):
        if not training or not self.drop_path_rate:
            return x
        import torch

        keep_prob = 1.0 - self.drop_path_rate
        shape = (x.shape[0],) + (1,) * (x.ndim - 1)
        keep = torch.floor(keep_prob + torch.rand(shape, dtype=x.dtype, device=x.device))
        return x / keep_prob * keep

    def get_config(self):
        config = super().get_config()
        config.update({"drop_path_rate": self.drop_path_rate})
        return config


class LayerScale(Layer):
    """Multiplies its input by a learned per-channel scale (`gamma`), set to `init_values`.

    Args:
        init_values: initial value of every scale.
        projection_dim: number of channels (the last axis).
    """

    def __init__(self, init_values, projection_dim, **kwargs):
        super().__init__(**kwargs)
        self.init_values = init_values
        self.projection_dim = projection_dim

    def build(self, input_shape):
        from tork.keras.initializers import Constant

        self.gamma = self.add_weight(
            name="gamma",
            shape=(self.projection_dim,),
            initializer=Constant(self.init_values),
            trainable=True,
        )
        super().build(input_shape)

    def call(self, x):
        return x * self.gamma

    def get_config(self):
        config = super().get_config()
        config.update({"init_values": self.init_values, "projection_dim": self.projection_dim})
        return config


def _block(x, projection_dim: int, drop_path_rate: float, layer_scale_init_value, name: str):
    """Depthwise 7x7 convolution, LayerNorm, an MLP (as Dense layers), LayerScale, residual."""
    from tork.keras import layers

    inputs = x
    x = layers.Conv2D(
        projection_dim,
        kernel_size=7,
        padding="same",
        groups=projection_dim,
        name=f"{name}_depthwise_conv",
    )(x)
    x = layers.LayerNormalization(epsilon=1e-6, name=f"{name}_layernorm")(x)
    x = layers.Dense(4 * projection_dim, name=f"{name}_pointwise_conv_1")(x)
    x = layers.Activation("gelu", name=f"{name}_gelu")(x)
    x = layers.Dense(projection_dim, name=f"{name}_pointwise_conv_2")(x)
    if layer_scale_init_value is not None:
        x = LayerScale(layer_scale_init_value, projection_dim, name=f"{name}_layer_scale")(x)
    if drop_path_rate:
        x = StochasticDepth(drop_path_rate, name=f"{name}_stochastic_depth")(x)
    else:
        x = layers.Activation("linear", name=f"{name}_identity")(x)
    # An operator, not an Add layer, as in Keras 2 (a weightless op node).
    return inputs + x


def _convnext(
    variant: str,
    model_name: str,
    include_top: bool,
    include_preprocessing: bool,
    weights,
    input_tensor,
    input_shape,
    pooling,
    classes: int,
    classifier_activation,
    drop_path_rate: float = 0.0,
    layer_scale_init_value=1e-6,
):
    from tork.keras import layers
    from tork.keras.backend import image_data_format
    from tork.keras.models.sequential import Sequential

    depths, dims = _VARIANTS[variant]
    weights_name = f"convnext_{variant}"
    imagenet_utils._check_weights(weights, include_top, classes)
    imagenet_utils._check_pooling(pooling)
    input_shape = imagenet_utils._obtain_input_shape(
        input_shape,
        default_size=_DEFAULT_SIZE,
        min_size=32,
        data_format=image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    img_input = imagenet_utils._image_input(input_tensor, input_shape)
    inputs = img_input
    if input_tensor is not None:
        inputs = imagenet_utils._source_inputs(input_tensor)
        if isinstance(inputs, list):
            inputs = inputs[0]
    x = inputs
    if include_preprocessing:
        channels = input_shape[-1] if image_data_format() == "channels_last" else input_shape[0]
        if channels == 3:
            # Pixels in [0, 255] normalized with the ImageNet mean and std (scaled to 255).
            x = layers.Normalization(
                mean=[0.485 * 255, 0.456 * 255, 0.406 * 255],
                variance=[(0.229 * 255) ** 2, (0.224 * 255) ** 2, (0.225 * 255) ** 2],
                name=f"{model_name}_prestem_normalization",
            )(x)

    # The stem and the three downsampling steps are nested Sequential models, as in Keras.
    stages = [
        Sequential(
            [
                layers.Conv2D(dims[0], kernel_size=4, strides=4, name=f"{model_name}_stem_conv"),
                layers.LayerNormalization(epsilon=1e-6, name=f"{model_name}_stem_layernorm"),
            ],
            name=f"{model_name}_stem",
        )
    ]
    for i in range(3):
        stages.append(
            Sequential(
                [
                    layers.LayerNormalization(
                        epsilon=1e-6, name=f"{model_name}_downsampling_layernorm_{i}"
                    ),
                    layers.Conv2D(
                        dims[i + 1],
                        kernel_size=2,
                        strides=2,
                        name=f"{model_name}_downsampling_conv_{i}",
                    ),
                ],
                name=f"{model_name}_downsampling_block_{i}",
            )
        )
    drop_rates = [float(r) for r in np.linspace(0.0, drop_path_rate, sum(depths))]
    cur = 0
    for i, (depth, dim) in enumerate(zip(depths, dims)):
        x = stages[i](x)
        for j in range(depth):
            x = _block(
                x,
                dim,
                drop_rates[cur + j],
                layer_scale_init_value,
                name=f"{model_name}_stage_{i}_block_{j}",
            )
        cur += depth

    if include_top:
        imagenet_utils._validate_activation(classifier_activation, weights)
        x = layers.GlobalAveragePooling2D(name=f"{model_name}_head_gap")(x)
        x = layers.LayerNormalization(epsilon=1e-6, name=f"{model_name}_head_layernorm")(x)
        x = layers.Dense(
            classes, activation=classifier_activation, name=f"{model_name}_head_dense"
        )(x)
    else:
        if pooling == "avg":
            x = layers.GlobalAveragePooling2D()(x)
        elif pooling == "max":
            x = layers.GlobalMaxPooling2D()(x)
        x = layers.LayerNormalization(epsilon=1e-6)(x)

    from tork.keras.models.model import Model

    model = Model(inputs=inputs, outputs=x, name=model_name)
    fname = f"{weights_name}{'.h5' if include_top else '_notop.h5'}"
    file_hash = WEIGHTS_HASHES[weights_name][0 if include_top else 1]
    imagenet_utils._load_weights(model, weights, fname, BASE_WEIGHTS_PATH + fname, file_hash)
    return model


_DOC = """Instantiates the ConvNeXt{upper} architecture (Liu et al., 2022).

    By default the model takes images with pixels in `[0, 255]` and
    normalizes them itself (its first layer is a `Normalization` with the
    ImageNet mean and std), so `convnext.preprocess_input` is the identity.
    Layer names, order and weight shapes are those of Keras 2 (the stem and
    the downsampling steps are nested `Sequential` models), so Keras weight
    files load into it. The default input size is 224x224.

    Args:
        model_name: model name, also the prefix of every layer name (Keras 2's
            first argument); defaults to `"convnext_{lower}"`.
        include_top: whether to include the pooling + `LayerNormalization` +
            `Dense` classifier.
        include_preprocessing: whether the model starts with the
            normalization of pixels in `[0, 255]`.
        weights: `None` (random initialization), `"imagenet"` (downloaded once
            into `~/.keras/models/`), or the path to a weights file.
        input_tensor: optional Keras tensor (e.g. the output of `keras.Input()`)
            to use as the image input.
        input_shape: optional `(height, width, 3)`; only when `include_top` is
            False may it differ from `(224, 224, 3)`. Height and width must be
            at least 32.
        pooling: when `include_top` is False: `None` (4D output), `"avg"` or
            `"max"` (global pooling, 2D output); a `LayerNormalization` follows.
        classes: number of classes when `include_top` is True and no pretrained
            weights are loaded.
        classifier_activation: activation of the top layer (`None` for logits);
            only `None` or `"softmax"` with pretrained weights.
        name: Keras 3's spelling of `model_name`.

    Returns:
        A functional `keras.Model`.

    Example:
    >>> base = keras.applications.ConvNeXt{upper}(
    ...     include_top=False, weights=None, input_shape=(64, 64, 3), pooling="avg")
    >>> base.output_shape
    (None, {features})
    """


def _make(variant: str):
    default_name = f"convnext_{variant}"

    def constructor(
        model_name: str = default_name,
        include_top: bool = True,
        include_preprocessing: bool = True,
        weights="imagenet",
        input_tensor=None,
        input_shape=None,
        pooling=None,
        classes: int = 1000,
        classifier_activation="softmax",
        name: str | None = None,
    ):
        if name is not None:
            if model_name not in (default_name, name):
                raise ValueError(
                    "Pass the model name once, as `model_name` (Keras 2) or `name` (Keras 3). "
                    f"Received: model_name={model_name!r}, name={name!r}"
                )
            model_name = name
        return _convnext(
            variant,
            model_name,
            include_top,
            include_preprocessing,
            weights,
            input_tensor,
            input_shape,
            pooling,
            classes,
            classifier_activation,
        )

    upper = {"xlarge": "XLarge"}.get(variant, variant.capitalize())
    constructor.__name__ = constructor.__qualname__ = f"ConvNeXt{upper}"
    constructor.__doc__ = _DOC.format(upper=upper, lower=variant, features=_VARIANTS[variant][1][3])
    return constructor


ConvNeXtTiny = _make("tiny")
ConvNeXtSmall = _make("small")
ConvNeXtBase = _make("base")
ConvNeXtLarge = _make("large")
ConvNeXtXLarge = _make("xlarge")


def preprocess_input(x, data_format: str | None = None):
    """A placeholder kept for API compatibility: returns `x` unchanged.

    ConvNeXt models normalize their input themselves (unless built with
    `include_preprocessing=False`), so they take raw pixels in `[0, 255]`.

    Args:
        x: images (NumPy array or tensor).
        data_format: unused.

    Returns:
        `x`, unchanged.
    """
    del data_format
    return x
