"""Base class of the random image augmentation layers (RandomFlip, RandomRotation, ...)."""

from __future__ import annotations

import torch

from tork.keras.layers._call_context import CONTEXT, where
from tork.keras.layers.layer import Layer
from tork.keras.layers.preprocessing._image import (
    SeededRandom,
    as_float_images,
    standardize_data_format,
    to_nhwc,
)


class BaseRandomImageLayer(Layer):
    """Augments images unless called with `training=False`; then returns them as floats.

    As in Keras, `training` defaults to True: a direct call `layer(images)` or
    `model(images)` outside `fit` augments, while `predict`/`evaluate` (which
    pass `training=False`) do not. Like tf-keras, an explicit `training=None`
    also augments.

    Subclasses implement `_augment(images)` on float `(N, H, W, C)` batches
    and may override `_inference(images)`.
    """

    def __init__(self, seed: int | None = None, data_format=None, **kwargs):
        # tf_keras writes its random generator kind ("stateful"/"stateless") into these
        # layers' configs; tork draws from one generator, so the setting only goes back into
        # get_config (files leave it out: Keras 3 would refuse it).
        self._tork_rng_type = kwargs.pop("rng_type", None) or "stateful"
        super().__init__(**kwargs)
        self.seed = seed
        self._random = SeededRandom(seed)
        self.data_format = standardize_data_format(data_format)

    # Keras declares `training=True` here (both Keras 2 and 3), unlike most layers.
    def call(self, inputs, training=True):
        dtype = self._tork_compute_dtype
        # An integer layer dtype (Keras 2's `dtype="uint8"`) is the output dtype: the
        # arithmetic (means, interpolation) runs in float32 and the result is cast.
        # As Keras 2, the inputs are first cast to the layer dtype.
        images = as_float_images(inputs, dtype)
        if not dtype.is_floating_point:
            images = images.to(torch.float32)
        x, restore = to_nhwc(images, self.data_format, where(self))
        # On symbolic inputs (functional API) only the output shape matters, and the
        # random draws would need real values: the inference path gives the shape.
        if not training or CONTEXT.symbolic:
            outputs = restore(self._inference(x))
        else:
            outputs = restore(self._augment(x))
        return outputs if outputs.dtype == dtype else outputs.to(dtype)

    def _inference(self, images: torch.Tensor) -> torch.Tensor:
        return images

    def _augment(self, images: torch.Tensor) -> torch.Tensor:  # pragma: no cover - abstract
        raise NotImplementedError

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"seed": self.seed, "data_format": self.data_format})
        if _is_keras2_layer(type(self)):
            config["rng_type"] = self._tork_rng_type  # as tf_keras's get_config
        return config


# The layers tf_keras has (its BaseImageAugmentationLayer writes `rng_type`).
_KERAS2_LAYERS = frozenset(
    {
        "RandomFlip",
        "RandomCrop",
        "RandomRotation",
        "RandomZoom",
        "RandomTranslation",
        "RandomContrast",
        "RandomBrightness",
        "RandomHeight",
        "RandomWidth",
    }
)


def _is_keras2_layer(cls) -> bool:
    return any(
        c.__name__ in _KERAS2_LAYERS and c.__module__.startswith("tork.") for c in cls.__mro__
    )
