"""Helpers shared by the noise layers: argument checks and per-layer seeded generators."""

from __future__ import annotations

import numbers

import torch

_FORMATS = ("channels_last", "channels_first")


def drop_generator_args(kwargs: dict) -> dict:
    """Removes Keras 2's `force_generator` and `rng_type` (BaseRandomLayer's choice of a
    tf.random.Generator), which mean nothing on torch; returns `kwargs`."""
    kwargs.pop("force_generator", None)
    kwargs.pop("rng_type", None)
    return kwargs


def check_rate(rate, owner: str) -> float:
    """Validates a drop rate in [0, 1] and returns it as a float."""
    if isinstance(rate, bool) or not isinstance(rate, numbers.Real) or not 0 <= rate <= 1:
        raise ValueError(
            f"{owner}(rate=...) must be a float between 0 and 1 (the fraction of the input "
            f"units to drop), got rate={rate!r}."
        )
    return float(rate)


def check_seed(seed, owner: str) -> int | None:
    if seed is None:
        return None
    if isinstance(seed, bool) or not hasattr(seed, "__index__"):
        raise TypeError(f"{owner}(seed=...) must be an int or None, got {seed!r}.")
    return int(seed)


def standardize_data_format(data_format, owner: str) -> str:
    """`'channels_last'`/`'channels_first'`; None means the Keras image data format."""
    if data_format is None:
        try:
            from tork.keras.backend import image_data_format
        except ImportError:
            return "channels_last"
        return image_data_format()
    value = str(data_format).lower()
    if value not in _FORMATS:
        raise ValueError(
            f"{owner}(data_format=...) must be 'channels_last' or 'channels_first', got "
            f"{data_format!r}."
        )
    return value


def generator_for(layer, device: torch.device) -> torch.Generator | None:
    """The layer's own generator on `device` when it has a seed, else None (torch's global RNG).

    A seeded layer draws one fixed sequence per device, like a Keras layer with
    a seed; the generator lives on the input's device so no noise is copied.
    """
    seed = layer.seed
    if seed is None:
        return None
    # Kept in __dict__ directly: a cache of torch generators, not layer state to track.
    generators = layer.__dict__.get("_tork_generators")
    if generators is None:
        generators = layer.__dict__["_tork_generators"] = {}
    key = (device.type, device.index)
    generator = generators.get(key)
    if generator is None:
        generator = torch.Generator(device=device)
        generator.manual_seed(seed)
        generators[key] = generator
    return generator


def noise_dtype(inputs: torch.Tensor, layer) -> torch.dtype:
    return inputs.dtype if inputs.is_floating_point() else layer._tork_compute_dtype
