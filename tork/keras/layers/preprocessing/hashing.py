"""`keras.layers.Hashing`: hashes strings or integers into a fixed number of bins."""

from __future__ import annotations

import numpy as np
import torch

from tork._backend.device import current_device
from tork._backend.string_tensor import StringTensor
from tork._backend.tensor import to_numpy
from tork.keras.layers._call_context import CONTEXT, where
from tork.keras.layers.layer import Layer
from tork.keras.layers.preprocessing import _encoding
from tork.keras.layers.preprocessing._fingerprint import fingerprint64, siphash64
from tork.keras.layers.preprocessing.category_encoding import (
    _sparse_output,
    encode_ragged,
    is_ragged,
)

_MODES = ("int", "one_hot", "multi_hot", "count")


def _as_bytes(value) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, (bool, np.bool_)):
        raise TypeError("bool")
    if isinstance(value, (int, np.integer)):
        # Integers hash through their decimal string, as tf.strings.as_string writes it.
        return str(int(value)).encode("ascii")
    raise TypeError(type(value).__name__)


def categorical_array(inputs, owner) -> tuple:
    """(object array of str/bytes/int, device): the values of string or integer input.

    Args:
        inputs: a str, bytes, int, (nested) list, NumPy array, StringTensor or
            integer torch tensor.
        owner: the layer, for error messages.
    """
    device = None
    if isinstance(inputs, (list, tuple)) and any(isinstance(v, torch.Tensor) for v in inputs):
        # The base class turns a tuple or list of numbers into a tuple of scalar tensors.
        inputs = np.stack([to_numpy(v) if isinstance(v, torch.Tensor) else v for v in inputs])
    if isinstance(inputs, torch.Tensor):
        if inputs.is_floating_point() or inputs.is_complex() or inputs.dtype == torch.bool:
            raise ValueError(
                f"{where(owner)}: inputs must be strings or integers, got a tensor of dtype "
                f"{str(inputs.dtype).replace('torch.', '')}. Cast float features to int "
                "(e.g. tf.cast(x, 'int64')) or bucketize them with Discretization first."
            )
        device = inputs.device
        return to_numpy(inputs).astype(object), device
    if isinstance(inputs, StringTensor):
        inputs = inputs.numpy()
    array = np.asarray(inputs, dtype=object) if not isinstance(inputs, np.ndarray) else inputs
    if array.dtype.kind == "f":
        raise ValueError(
            f"{where(owner)}: inputs must be strings or integers, got a float array of dtype "
            f"{array.dtype}. Cast float features to int or bucketize them with Discretization "
            "first."
        )
    return array.astype(object), device


def symbolic_output(layer, input_shape: tuple, device) -> torch.Tensor:
    """A placeholder output of `layer` for a symbolic input shape."""
    dtype = _int_dtype(layer) if layer.output_mode == "int" else layer._tork_compute_dtype
    return torch.zeros(layer.compute_output_shape(input_shape), dtype=dtype, device=device)


def _int_dtype(layer) -> torch.dtype:
    """The dtype of 'int' bins: the layer's dtype when it is an integer one (tf_keras's
    `Hashing(dtype="int32")`), else int64 (the default, and what a float dtype left over
    from older configs means)."""
    dtype = layer._tork_compute_dtype
    if isinstance(dtype, torch.dtype) and not dtype.is_floating_point and not dtype.is_complex:
        if dtype != torch.bool:
            return dtype
    return torch.int64


def _check_salt(salt):
    if salt is None:
        return None
    if isinstance(salt, (list, tuple)) and len(salt) == 2:
        return [int(salt[0]), int(salt[1])]
    if isinstance(salt, (int, np.integer)) and not isinstance(salt, bool):
        return [int(salt), int(salt)]
    raise ValueError(
        "The `salt` argument for `Hashing` can only be a tuple of size 2 integers, or a single "
        f"integer. Received: salt={salt!r}."
    )


class Hashing(Layer):
    """A preprocessing layer which hashes and bins categorical features.

    Each string is hashed with FarmHash Fingerprint64 (or, when `salt` is set,
    with SipHash-2-4 keyed by the salt) and taken modulo the number of bins,
    giving exactly TensorFlow's `tf.strings.to_hash_bucket_fast` /
    `to_hash_bucket_strong` bins. Integers are hashed through their decimal
    string. With `mask_value`, masked inputs map to 0 and the others to
    `1 + hash % (num_bins - 1)`.

    Inputs are Python strings or ints, (nested) lists of them, NumPy arrays, or
    integer tensors (tork tensors cannot hold strings).

    Args:
        num_bins: number of hash bins, including the mask bin when `mask_value` is set.
        mask_value: the value meaning "masked" (mapped to index 0), or None.
        salt: None (FarmHash64), one integer, or a pair of integers (SipHash64 key).
        output_mode: `"int"` (bin indices), `"one_hot"`, `"multi_hot"` or `"count"`.
        sparse: whether to return a `tf.SparseTensor` (of the non-zero entries); only
            for the `"one_hot"`, `"multi_hot"` and `"count"` output modes.

    Example:
    >>> layer = keras.layers.Hashing(num_bins=3)
    >>> layer([["A"], ["B"], ["C"], ["D"], ["E"]]).flatten().tolist()
    [1, 0, 1, 1, 2]
    """

    def __init__(
        self,
        num_bins: int,
        mask_value=None,
        salt=None,
        output_mode: str = "int",
        sparse: bool = False,
        **kwargs,
    ):
        if num_bins is None or isinstance(num_bins, bool) or int(num_bins) <= 0:
            raise ValueError(
                "The `num_bins` for `Hashing` cannot be `None` or non-positive values. "
                f"Received: num_bins={num_bins!r}."
            )
        output_mode = _encoding.check_output_mode(output_mode, _MODES, "Hashing")
        if sparse and output_mode not in ("one_hot", "multi_hot", "count"):
            raise ValueError(
                '`sparse` may only be true if `output_mode` is `"one_hot"`, `"multi_hot"`, or '
                f'`"count"`. Received: sparse={sparse} and output_mode={output_mode}'
            )
        _encoding.int_mode_dtype(kwargs, output_mode)
        super().__init__(**kwargs)
        self.num_bins = int(num_bins)
        self.mask_value = mask_value
        self.salt = _check_salt(salt)
        self.strong_hash = self.salt is not None
        self.output_mode = output_mode
        self.sparse = bool(sparse)
        if self.sparse:
            # Symbolic calls run on real twins, whose outputs become SparseKerasTensors.
            self._tork_composite_output = True
        self._mask_bytes = None if mask_value is None else _as_bytes(mask_value)

    def _hash(self, data: bytes, bins: int) -> int:
        if self.salt is not None:
            return siphash64(self.salt[0], self.salt[1], data) % bins
        return fingerprint64(data) % bins

    def hash_flat(self, values) -> np.ndarray:
        """int64 bins of a flat sequence of str/bytes/int values."""
        bins = self.num_bins
        shift = 0
        mask = self._mask_bytes
        if mask is not None and bins > 1:
            bins -= 1
            shift = 1
        out = np.empty(len(values), dtype=np.int64)
        for i, value in enumerate(values):
            try:
                data = _as_bytes(value)
            except TypeError:
                raise ValueError(
                    f"{where(self)}: inputs must be strings or integers, got {value!r} "
                    f"({type(value).__name__})."
                ) from None
            if mask is not None and data == mask:
                out[i] = 0
            else:
                out[i] = self._hash(data, bins) + shift
        return out

    def call(self, inputs):
        if _encoding.is_sparse(inputs):
            return self._call_sparse(inputs)
        if not isinstance(inputs, torch.Tensor) and is_ragged(inputs):
            # tf_keras hashes the values ('int': a RaggedTensor of bins) and encodes each
            # row as one vector in the other modes.
            indices = inputs.with_flat_values(self._bins(inputs.flat_values))
            if self.output_mode == "int":
                return inputs.with_flat_values(indices.flat_values.to(_int_dtype(self)))
            outputs = encode_ragged(
                indices,
                self.output_mode,
                self.num_bins,
                self._tork_compute_dtype,
                where_text=where(self),
            )
            return _sparse_output(outputs) if self.sparse else outputs
        if CONTEXT.symbolic and isinstance(inputs, torch.Tensor):
            # Symbolic (functional API) call: only the output's shape and dtype matter.
            outputs = symbolic_output(self, tuple(inputs.shape), inputs.device)
            return _sparse_output(outputs) if self.sparse else outputs
        indices = self._bins(inputs)
        if self.output_mode == "int":
            return indices.to(_int_dtype(self))
        outputs = _encoding.encode(
            indices,
            self.output_mode,
            self.num_bins,
            self._tork_compute_dtype,
            where_text=where(self),
        )
        return _sparse_output(outputs) if self.sparse else outputs

    def _call_sparse(self, inputs):
        """Hashes the values of a SparseTensor: 'int' keeps its indices (a SparseTensor of
        bins, as Keras); the other modes encode each row of a `(batch, tokens)` input."""
        from tork._backend.sparse_tensor import SparseTensor

        bins = self._bins(inputs.values)
        if self.output_mode == "int":
            return SparseTensor(inputs.indices, bins.to(_int_dtype(self)), inputs.dense_shape)
        row_ids, rows = _encoding.sparse_rows(inputs, where(self))
        outputs = _encoding.encode_rows(
            bins,
            row_ids,
            rows,
            self.output_mode,
            self.num_bins,
            self._tork_compute_dtype,
            where_text=where(self),
        )
        return _sparse_output(outputs) if self.sparse else outputs

    def _bins(self, inputs) -> torch.Tensor:
        """The bin of each input value, an int64 tensor of the inputs' shape."""
        array, device = categorical_array(inputs, self)
        flat = list(array.reshape(-1))
        indices = torch.from_numpy(self.hash_flat(flat).reshape(array.shape))
        return indices.to(device if device is not None else current_device())

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if self.output_mode == "int":
            return input_shape
        if self.output_mode == "one_hot":
            if input_shape and input_shape[-1] == 1:
                return input_shape[:-1] + (self.num_bins,)
            return input_shape + (self.num_bins,)
        if len(input_shape) <= 1:
            return (self.num_bins,)
        return input_shape[:-1] + (self.num_bins,)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "num_bins": self.num_bins,
                "salt": self.salt,
                "mask_value": self.mask_value,
                "output_mode": self.output_mode,
                "sparse": self.sparse,
            }
        )
        return config
