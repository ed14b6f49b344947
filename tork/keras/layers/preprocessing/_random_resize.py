"""Shared code of `RandomHeight` and `RandomWidth`: resize one axis by a random factor."""

from __future__ import annotations

import numbers

import torch

from tork.keras.layers.preprocessing._image import check_interpolation, resize
from tork.keras.layers.preprocessing._random_base import BaseRandomImageLayer


def _number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


class BaseRandomResize(BaseRandomImageLayer):
    """Resizes the height (`_axis = 1`) or width (`_axis = 2`) of a batch during training.

    One factor is drawn per call, so every image of the batch gets the same
    new size: `int(size * (1 + u))`, `u` uniform in `[lower, upper]`.
    """

    # The output's height or width changes per training call (see node.call_symbolic).
    _tork_size_varies = True

    _axis = 1

    def __init__(self, factor, interpolation: str = "bilinear", seed=None, **kwargs):
        data_format = kwargs.pop("data_format", None)
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        owner = type(self).__name__
        if isinstance(factor, (tuple, list)):
            if len(factor) != 2 or not all(_number(v) for v in factor):
                raise ValueError(
                    f"{owner}: `factor` must be a number or a pair (lower, upper). "
                    f"Received: factor={factor!r}"
                )
            lower, upper = float(factor[0]), float(factor[1])
        elif _number(factor):
            lower, upper = -float(factor), float(factor)
        else:
            raise ValueError(
                f"{owner}: `factor` must be a number or a pair (lower, upper). "
                f"Received: factor={factor!r}"
            )
        if upper < lower:
            raise ValueError(
                f"{owner}: `factor` cannot have an upper bound less than the lower bound. "
                f"Received: factor={factor!r}"
            )
        if lower < -1.0:
            raise ValueError(
                f"{owner}: `factor` must have values larger than -1 (a size cannot shrink "
                f"below zero). Received: factor={factor!r}"
            )
        self.factor = factor
        self.interpolation = check_interpolation(interpolation, owner)
        self._lower, self._upper = lower, upper

    def _augment(self, images: torch.Tensor) -> torch.Tensor:
        height, width = images.shape[1], images.shape[2]
        scale = float(self._random.uniform((), 1.0 + self._lower, 1.0 + self._upper))
        if self._axis == 1:
            height = max(1, int(scale * height))
        else:
            width = max(1, int(scale * width))
        return resize(images, height, width, self.interpolation)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        # The size varies per call: unknown, as in Keras.
        spatial = -3 if self.data_format == "channels_last" else -2
        shape[spatial + self._axis - 1] = None
        return tuple(shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"factor": self.factor, "interpolation": self.interpolation})
        return config
