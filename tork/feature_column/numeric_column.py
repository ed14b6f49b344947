"""`tf.feature_column.numeric_column`: a real-valued feature."""

from __future__ import annotations

import math

import torch

from tork._backend.tensor_shape import TensorShape
from tork.feature_column._base import DenseColumn, FeatureCache, as_dtype, check_key


class NumericColumn(DenseColumn):
    """A dense column of real values; see `numeric_column`."""

    _fields = ("key", "shape", "default_value", "dtype", "normalizer_fn")

    def __init__(self, key, shape, default_value, dtype, normalizer_fn):
        self.key = key
        self.shape = shape
        self.default_value = default_value
        self.dtype = dtype
        self.normalizer_fn = normalizer_fn

    @property
    def name(self) -> str:
        return self.key

    @property
    def parse_example_spec(self) -> dict:
        from tork.ops.io import FixedLenFeature

        return {self.key: FixedLenFeature(self.shape, self.dtype, self.default_value)}

    @property
    def variable_shape(self):
        return TensorShape(self.shape)

    @property
    def parents(self) -> list:
        return [self.key]

    def transform(self, cache: FeatureCache) -> torch.Tensor:
        value = cache.get(self.key)
        if not isinstance(value, torch.Tensor):
            raise ValueError(
                f"{cache.where}: numeric_column {self.key!r} needs a numeric feature, got "
                f"{type(value).__name__}. Use a categorical column for string features."
            )
        size = math.prod(self.shape)
        if value[0].numel() != size:
            raise ValueError(
                f"{cache.where}: numeric_column {self.key!r} has shape {self.shape} "
                f"({size} values per example), but the feature has shape "
                f"{tuple(value.shape)} ({value[0].numel()} values per example). Give the "
                "column the feature's shape, e.g. numeric_column(key, shape=...)."
            )
        value = value.reshape((value.shape[0], *self.shape))
        if self.normalizer_fn is not None:
            value = self.normalizer_fn(value)
        # TensorFlow casts the (normalized) value to float32 whatever the column dtype.
        return torch.as_tensor(value).to(torch.float32)

    def get_dense_tensor(self, cache: FeatureCache, layer) -> torch.Tensor:
        return cache.get(self)


def _shape(shape, key: str) -> tuple:
    if isinstance(shape, int):
        shape = (shape,)
    try:
        dims = tuple(int(d) for d in shape)
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"numeric_column {key!r}: shape must be an int or a tuple of ints, got {shape!r}."
        ) from error
    if any(d < 1 for d in dims):
        raise ValueError(
            f"numeric_column {key!r}: shape dimensions must be greater than 0, got {dims}."
        )
    return dims


def numeric_column(key, shape=(1,), default_value=None, dtype=torch.float32, normalizer_fn=None):
    """Represents real valued or numerical features.

    Args:
        key: the feature name (a key of the features dict).
        shape: an int or tuple of ints: the shape of one example's value.
        default_value: the value used when parsing examples without this feature
            (a number, or a nested sequence of the column's shape).
        dtype: the feature's type; must be a float or integer type.
        normalizer_fn: an optional function applied to the feature tensor before it
            is cast to float32 (e.g. `lambda x: (x - 3.0) / 4.2`).

    Returns:
        A `NumericColumn`.

    Example:
    >>> price = tf.feature_column.numeric_column("price")
    >>> layer = tf.keras.layers.DenseFeatures([price])
    >>> layer({"price": [[1.0], [5.0]]}).tolist()
    [[1.0], [5.0]]
    """
    key = check_key(key, "numeric_column")
    dims = _shape(shape, key)
    dtype = as_dtype(dtype, f"numeric_column {key!r}")
    if not isinstance(dtype, torch.dtype) or dtype == torch.bool or dtype.is_complex:
        raise ValueError(
            f"numeric_column {key!r}: dtype must be convertible to float, got "
            f"{dtype!r}. Use a categorical column for string features."
        )
    if default_value is not None:
        default_value = _default(default_value, dims, key)
    if normalizer_fn is not None and not callable(normalizer_fn):
        raise TypeError(
            f"numeric_column {key!r}: normalizer_fn must be a callable, got {normalizer_fn!r}."
        )
    return NumericColumn(key, dims, default_value, dtype, normalizer_fn)


def _default(value, dims: tuple, key: str):
    """The default as TensorFlow stores it: a scalar repeated, or a nested tuple."""
    import numpy as np

    array = np.full(dims, value) if isinstance(value, (int, float)) else np.asarray(value)
    if array.size != math.prod(dims):
        raise ValueError(
            f"numeric_column {key!r}: default_value must have shape {dims}, got {array.shape}."
        )

    def nest(x):
        return tuple(nest(v) for v in x) if isinstance(x, list) else x

    return nest(array.reshape(dims).tolist())
