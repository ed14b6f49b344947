"""`keras.layers.Normalization`: feature-wise `(x - mean) / sqrt(variance)`, adaptable to data."""

from __future__ import annotations

import numpy as np
import torch

from tork._backend.device import current_device
from tork._backend.tensor import convert_to_tensor, to_numpy
from tork.keras.layers._call_context import where
from tork.keras.layers.layer import Layer


def _epsilon() -> float:
    from tork.keras import backend

    return backend.epsilon()


def _is_batched(dataset) -> bool:
    """Whether a dataset's elements have a batch axis, read from its element spec as Keras 2
    builds the layer: `(None, ...)` is batched; a fully known shape such as `(4,)` or `()`
    (an unbatched dataset) is the input shape itself."""
    shape = getattr(getattr(dataset, "element_spec", None), "shape", None)
    try:
        dims = tuple(shape)
    except TypeError:  # unknown rank
        return True
    return any(d is None for d in dims)


def _as_array(value) -> np.ndarray:
    if isinstance(value, torch.Tensor):
        return to_numpy(value)
    return np.asarray(value)


class Normalization(Layer):
    """Normalizes inputs feature-wise: `(x - mean) / max(sqrt(variance), epsilon)`.

    The mean and variance are given to the constructor or learned from data
    with `adapt(data)`: one value per index of the `axis` axes, computed over
    all other axes (population variance). With `invert=True` the layer maps
    normalized values back: `mean + x * max(sqrt(variance), epsilon)`.

    Args:
        axis: the axis or axes that keep separate statistics (default the last
            one, the features); None means a single scalar mean and variance.
        mean: optional fixed mean (number or array broadcastable to the kept axes).
        variance: optional fixed variance (given together with `mean`).
        invert: whether to apply the inverse transformation.

    Example:
    >>> layer = keras.layers.Normalization()
    >>> layer.adapt(np.array([[0.0, 10.0], [2.0, 30.0]]))
    >>> layer(np.array([[1.0, 20.0]])).tolist()
    [[0.0, 0.0]]
    """

    def __init__(self, axis=-1, mean=None, variance=None, invert: bool = False, **kwargs):
        super().__init__(**kwargs)
        if axis is None:
            axes = ()
        elif isinstance(axis, int):
            axes = (axis,)
        else:
            axes = tuple(int(a) for a in axis)
        if (mean is None) != (variance is None):
            raise ValueError(
                "When setting values directly, both `mean` and `variance` must be set. "
                f"Received: mean={mean!r} and variance={variance!r}"
            )
        # A tuple attribute would be tracked as a module container: keep lists/ints.
        self.axis = list(axis) if isinstance(axis, (tuple, list)) else axis
        self._axes = axes
        self.input_mean = mean
        self.input_variance = variance
        self.invert = bool(invert)
        self.supports_masking = True
        self._keep_axis = None
        self._broadcast_shape = None
        self._mean_and_var_shape = None
        # Registry keys of the adapted weights ("mean"/"variance" unless taken), set by build.
        self._tork_mean_key = None
        self._tork_variance_key = None

    def build(self, input_shape) -> None:
        input_shape = tuple(input_shape)
        ndim = len(input_shape)
        if any(a < -ndim or a >= ndim for a in self._axes):
            raise ValueError(
                f"{where(self)}: all `axis` values must be in the range [-ndim, ndim). Received "
                f"inputs with ndim={ndim}, while axis={self.axis}"
            )
        keep = tuple(sorted({a % ndim for a in self._axes}))
        for d in keep:
            if input_shape[d] is None:
                raise ValueError(
                    f"{where(self)}: all `axis` values to be kept must have a known shape. "
                    f"Received axis={self.axis}, inputs.shape={input_shape}, with unknown axis "
                    f"at index {d}"
                )
        self._keep_axis = keep
        self._reduction_axis = tuple(d for d in range(ndim) if d not in keep)
        self._mean_and_var_shape = tuple(int(input_shape[d]) for d in keep)
        self._broadcast_shape = tuple(int(input_shape[d]) if d in keep else 1 for d in range(ndim))
        if self.input_mean is None:
            # The weights are read back through torch's registry (see `adapt_mean`), not
            # kept as attributes, so load_state_dict(assign=True) and functional_call, which
            # replace registry entries, change what the layer computes with.
            mean = self.add_weight(
                name="mean", shape=self._mean_and_var_shape, initializer="zeros", trainable=False
            )
            self._tork_mean_key = self._registry_key(mean)
            variance = self.add_weight(
                name="variance",
                shape=self._mean_and_var_shape,
                initializer="ones",
                trainable=False,
            )
            self._tork_variance_key = self._registry_key(variance)
            # Keras keeps the number of adapted samples as a third weight; weight files and
            # get_weights()/set_weights() lists from Keras hold it, so it must exist here too.
            self.count = self.add_weight(
                name="count", shape=(), dtype="int64", initializer="zeros", trainable=False
            )
        else:
            shape = self._mean_and_var_shape
            try:
                mean = _as_array(self.input_mean) * np.ones(shape)
                variance = _as_array(self.input_variance) * np.ones(shape)
                mean = mean.reshape(self._broadcast_shape)
                variance = variance.reshape(self._broadcast_shape)
            except ValueError:
                raise ValueError(
                    f"{where(self)}: `mean` and `variance` must broadcast to the kept axes' shape "
                    f"{shape} (input shape {input_shape}, axis={self.axis}); got mean shape "
                    f"{np.shape(self.input_mean)} and variance shape "
                    f"{np.shape(self.input_variance)}."
                ) from None
            dtype, device = self._variable_dtype, current_device()
            self.register_buffer(
                "_tork_mean", torch.as_tensor(mean, dtype=dtype, device=device), persistent=False
            )
            self.register_buffer(
                "_tork_variance",
                torch.as_tensor(variance, dtype=dtype, device=device),
                persistent=False,
            )
        self.built = True

    def _registry_key(self, weight) -> str:
        return next(k for k, v in self._parameters.items() if v is weight)

    def _adapted_weight(self, attribute: str, key):
        weight = self.__dict__["_parameters"].get(key) if key is not None else None
        if weight is None:
            raise AttributeError(f"'{type(self).__name__}' object has no attribute '{attribute}'")
        return weight

    @property
    def adapt_mean(self):
        """The adapted mean weight, shaped like the kept axes (e.g. `(features,)`)."""
        return self._adapted_weight("adapt_mean", self._tork_mean_key)

    @property
    def adapt_variance(self):
        """The adapted variance weight, shaped like the kept axes (e.g. `(features,)`)."""
        return self._adapted_weight("adapt_variance", self._tork_variance_key)

    # As in Keras 2, `mean` and `variance` are the statistics reshaped to broadcast against
    # the build input (1 on the reduced axes, e.g. (1, features)), defined once the layer is
    # built. The adapted weights stay (features,)-shaped under the names "mean"/"variance"
    # (weight files need them so): torch mirrors them into the instance `__dict__` under the
    # same names, which these class-level (data-descriptor) properties take precedence over.
    # Before build they raise AttributeError, so that torch's `register_parameter` (which calls
    # `hasattr(self, "mean")`) sees no clash while build creates the weights.
    @property
    def mean(self):
        """The mean, in the broadcast shape of the build input (e.g. `(1, features)`)."""
        return self._built_statistics("mean")[0]

    @property
    def variance(self):
        """The variance, in the broadcast shape of the build input (e.g. `(1, features)`)."""
        return self._built_statistics("variance")[1]

    def _built_statistics(self, name: str):
        ready = self.__dict__.get("built") and self._broadcast_shape is not None
        if ready and self.input_mean is None:
            ready = self._tork_variance_key in self.__dict__["_parameters"]
        elif ready:
            ready = "_tork_variance" in self.__dict__["_buffers"]
        if not ready:
            raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")
        return self._statistics()

    def _statistics(self):
        """(mean, variance) shaped to broadcast against the input."""
        if self.input_mean is None:
            shape = self._broadcast_shape
            return self.adapt_mean.reshape(shape), self.adapt_variance.reshape(shape)
        return self._tork_mean, self._tork_variance

    def call(self, inputs):
        if not isinstance(inputs, torch.Tensor):
            # The base class turns nested lists into lists of tensors: make one tensor.
            inputs = convert_to_tensor(inputs)
        x = inputs
        if not x.is_floating_point():
            x = x.to(self._tork_compute_dtype)
        if self._keep_axis:
            # As in Keras, the statistics (shaped like the build input, 1 on reduced axes)
            # broadcast against inputs of another rank: a layer adapted on (samples, features)
            # also normalizes (batch, time, features) windows.
            mean, variance = self._statistics()
            try:
                torch.broadcast_shapes(tuple(x.shape), tuple(mean.shape))
            except RuntimeError:
                raise ValueError(
                    f"{where(self)}: inputs of shape {tuple(x.shape)} do not broadcast with the "
                    f"statistics of shape {tuple(mean.shape)} (the layer was built for shape "
                    f"{self._build_shapes}, axis={self.axis})."
                ) from None
        else:
            # axis=None: one mean and variance for every value. As in Keras, they broadcast
            # with the build input's rank (1 on every axis): a layer adapted on 1-D data
            # gives (1,) for a scalar, one adapted on (samples, 2) gives (1, 3) for (3,).
            shape = self._broadcast_shape if self._broadcast_shape is not None else ()
            mean, variance = (s.reshape(shape) for s in self._statistics())
        mean = mean.to(x.dtype)
        std = torch.sqrt(variance.to(x.dtype)).clamp_min(_epsilon())
        if self.invert:
            return mean + x * std
        return (x - mean) / std

    def adapt(self, data, *, batch_size=None, steps=None) -> None:
        """Computes the mean and variance of `data` and stores them in the layer.

        Args:
            data: a NumPy array, tensor or nested list of numbers, or a batched
                `tf.data.Dataset` yielding tensors (not `(x, y)` pairs).
            batch_size: unused (statistics are exact); accepted for Keras 2
                compatibility.
            steps: number of batches to read from a dataset (all by default);
                accepted for Keras 2 compatibility.
        """
        if self.input_mean is not None:
            raise ValueError(
                f"{where(self)}: cannot adapt a Normalization layer created with a fixed `mean` "
                "and `variance`. Create it without them to learn them from data."
            )
        from tork.data import Dataset

        if isinstance(data, Dataset):
            if steps is not None:
                data = data.take(steps)
            total_mean = total_var = None
            total_count = 0
            batched = _is_batched(data)
            for batch in data:
                if isinstance(batch, (tuple, list, dict)):
                    raise ValueError(
                        f"{where(self)}: adapt() expects a dataset of feature tensors, but its "
                        f"elements are {type(batch).__name__}s. Drop the labels first, e.g. "
                        "dataset.map(lambda x, y: x)."
                    )
                array = _as_array(batch).astype(np.float64)
                self._prepare(array.shape, batched=batched)
                axes = self._reduction_axis if self._keep_axis else None  # None: all axes
                if axes is None:
                    count = array.size
                else:
                    count = int(np.prod([array.shape[d] for d in axes])) if axes else 1
                if count == 0:
                    continue
                mean = array.mean(axis=axes)
                var = array.var(axis=axes)
                if total_mean is None:
                    total_mean, total_var, total_count = mean, var, count
                    continue
                # Combines the statistics of disjoint sets exactly (parallel variance formula).
                new_count = total_count + count
                new_mean = total_mean + (mean - total_mean) * (count / new_count)
                total_var = (
                    total_count * (total_var + (total_mean - new_mean) ** 2)
                    + count * (var + (mean - new_mean) ** 2)
                ) / new_count
                total_mean, total_count = new_mean, new_count
            if total_mean is None:
                raise ValueError(f"{where(self)}: adapt() received an empty dataset.")
        else:
            array = _as_array(data)
            if array.dtype == object or array.dtype.kind in "USV":
                raise ValueError(
                    f"{where(self)}: adapt() expects numeric data (an array, a tensor or a "
                    f"dataset), got ragged or non-numeric values (dtype {array.dtype}). Map "
                    "strings to numbers first, e.g. with StringLookup."
                )
            array = array.astype(np.float64)
            if array.size == 0:
                # numpy's mean of nothing is NaN (with a warning): every output would be NaN.
                raise ValueError(
                    f"{where(self)}: adapt() expected input data to be non-empty, got an "
                    f"array of shape {array.shape}. Pass at least one sample."
                )
            self._prepare(array.shape, batched=False)
            axes = self._reduction_axis if self._keep_axis else None  # None: all axes
            total_mean = array.mean(axis=axes)
            total_var = array.var(axis=axes)
        if not isinstance(data, Dataset):
            total_count = array.size if axes is None else array.size // max(total_mean.size, 1)
        with torch.no_grad():
            self.count.fill_(int(total_count))
            self.adapt_mean.copy_(torch.as_tensor(np.reshape(total_mean, self.adapt_mean.shape)))
            self.adapt_variance.copy_(
                torch.as_tensor(np.reshape(total_var, self.adapt_variance.shape))
            )

    def _prepare(self, shape: tuple, batched: bool) -> None:
        """Builds the layer from data of `shape`, or checks the data against the built shape."""
        build_shape = ((None,) + tuple(shape[1:])) if batched else tuple(shape)
        if not self.built:
            # Keras 2's adapt() calls build() outside the layer's name scope: the weights
            # are "mean:0", not "normalization/mean:0" (.h5 files name them so).
            self._tork_build(build_shape, scoped=False)
            if self._batch_input_shape is None and len(shape) > 1:
                # As Keras 2: an adapted layer knows its input's rank, so a Sequential model
                # starting with it is built at once (summary() works before any call).
                self._batch_input_shape = (None,) + tuple(shape[1:])
                self._tork_implicit_input_shape = True  # not written to the config (Keras 3)
            return
        if not self._keep_axis:
            return  # axis=None: one mean and variance, data of any shape
        if len(shape) != len(self._broadcast_shape) or any(
            shape[d] != self._broadcast_shape[d] for d in self._keep_axis
        ):
            raise ValueError(
                f"{where(self)}: adapt() data of shape {tuple(shape)} does not match the shape "
                f"the layer was built for ({self._build_shapes}, axis={self.axis})."
            )

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()

        def plain(value):
            if value is None:
                return None
            return _as_array(value).tolist()

        config.update(
            {
                "axis": list(self.axis) if isinstance(self.axis, list) else self.axis,
                "invert": self.invert,
                "mean": plain(self.input_mean),
                "variance": plain(self.input_variance),
            }
        )
        return config
