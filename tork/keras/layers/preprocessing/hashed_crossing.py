"""`keras.layers.HashedCrossing`: crosses scalar categorical features with the hashing trick."""

from __future__ import annotations

import numpy as np
import torch

from tork._backend.device import current_device
from tork.keras.layers._call_context import CONTEXT, where
from tork.keras.layers.layer import Layer
from tork.keras.layers.preprocessing import _encoding
from tork.keras.layers.preprocessing._fingerprint import (
    CROSS_HASH_KEY,
    fingerprint64,
    fingerprint_cat64,
)
from tork.keras.layers.preprocessing.category_encoding import _sparse_output, is_ragged
from tork.keras.layers.preprocessing.hashing import categorical_array, symbolic_output

_MODES = ("int", "one_hot")
_MASK64 = (1 << 64) - 1


def _feature_hash(value) -> int:
    # As tf.sparse.cross_hashed: strings are fingerprinted, integers enter as their own bits.
    if isinstance(value, str):
        return fingerprint64(value.encode("utf-8"))
    if isinstance(value, bytes):
        return fingerprint64(value)
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        return int(value) & _MASK64
    raise TypeError(type(value).__name__)


class HashedCrossing(Layer):
    """A preprocessing layer which crosses features using the "hashing trick".

    Conceptually `hash(concatenate(features)) % num_bins`, computed exactly as
    TensorFlow's `tf.sparse.cross_hashed`: strings are fingerprinted with
    FarmHash64, integers enter as their value, and the features are chained
    with `FingerprintCat64` from a fixed key. Only scalar features are
    crossed: each input has shape `(batch_size, 1)`, `(batch_size,)` or `()`.

    Args:
        num_bins: number of hash bins.
        output_mode: `"int"` (bin indices) or `"one_hot"`.
        sparse: whether the `"one_hot"` output is a `tf.SparseTensor`.

    Example:
    >>> layer = keras.layers.HashedCrossing(num_bins=5)
    >>> feat1 = np.array(["A", "B", "A", "B", "A"])
    >>> feat2 = np.array([101, 101, 101, 102, 102])
    >>> layer((feat1, feat2)).tolist()
    [1, 4, 1, 1, 3]
    """

    def __init__(self, num_bins: int, output_mode: str = "int", sparse: bool = False, **kwargs):
        if num_bins is None or isinstance(num_bins, bool) or int(num_bins) <= 0:
            raise ValueError(
                "The `num_bins` for `HashedCrossing` must be a positive integer. "
                f"Received: num_bins={num_bins!r}."
            )
        if output_mode not in _MODES:
            raise ValueError(
                "HashedCrossing: invalid value for argument output_mode. Expected one of "
                f"{list(_MODES)}. Received: output_mode={output_mode!r}"
            )
        # Keras 2: 'int' outputs are int64 unless an integer dtype is given.
        _encoding.int_mode_dtype(kwargs, output_mode)
        super().__init__(**kwargs)
        self.num_bins = int(num_bins)
        self.output_mode = output_mode
        self.sparse = bool(sparse)
        if self.sparse and output_mode != "int":
            # Symbolic calls run on real twins, whose outputs become SparseKerasTensors.
            self._tork_composite_output = True

    def _columns(self, inputs) -> tuple:
        if not isinstance(inputs, (list, tuple)) or len(inputs) < 2:
            raise ValueError(
                f"{where(self)}: `HashedCrossing` should be called on a list or tuple of inputs "
                f"with at least two elements. Received: inputs={inputs!r}"
            )
        arrays, device = [], None
        for value in inputs:
            if _encoding.is_sparse(value) or is_ragged(value):
                raise ValueError(
                    f"{where(self)}: all `HashedCrossing` inputs should be dense tensors (one "
                    f"scalar feature per sample). Received: {type(value).__name__}. Densify "
                    "them first, e.g. tf.sparse.to_dense(x)."
                )
            array, dev = categorical_array(value, self)
            device = device or dev
            arrays.append(array)
        shapes = {a.shape for a in arrays}
        if len(shapes) != 1:
            raise ValueError(
                f"{where(self)}: all `HashedCrossing` inputs should have equal shape. Received "
                f"shapes {[a.shape for a in arrays]}."
            )
        shape = arrays[0].shape
        if len(shape) > 2 or (len(shape) == 2 and shape[1] != 1):
            raise ValueError(
                f"{where(self)}: `HashedCrossing` only supports inputs of shape (batch_size, 1), "
                f"(batch_size,) or (); received shape {shape}. Cross scalar features only."
            )
        return arrays, shape, device

    def call(self, inputs):
        if CONTEXT.symbolic and isinstance(inputs, (list, tuple)) and inputs:
            tensors = [x for x in inputs if isinstance(x, torch.Tensor)]
            if tensors or hasattr(inputs[0], "shape"):
                # Symbolic (functional API) call: only the output's shape and dtype matter.
                device = tensors[0].device if tensors else current_device()
                return symbolic_output(self, tuple(inputs[0].shape), device)
        arrays, shape, device = self._columns(inputs)
        columns = [a.reshape(-1) for a in arrays]
        out = np.empty(columns[0].shape[0], dtype=np.int64)
        for row in range(out.shape[0]):
            h = CROSS_HASH_KEY
            for column in columns:
                try:
                    h = fingerprint_cat64(h, _feature_hash(column[row]))
                except TypeError:
                    raise ValueError(
                        f"{where(self)}: inputs must be strings or integers, got "
                        f"{column[row]!r} ({type(column[row]).__name__})."
                    ) from None
            out[row] = h % self.num_bins
        indices = torch.from_numpy(out.reshape(shape))
        indices = indices.to(device if device is not None else current_device())
        if self.output_mode == "int":
            return _encoding.int_output(indices, self._tork_compute_dtype)
        outputs = _encoding.encode(
            indices, "one_hot", self.num_bins, self._tork_compute_dtype, where_text=where(self)
        )
        return _sparse_output(outputs) if self.sparse else outputs

    def compute_output_shape(self, input_shape):
        nested = input_shape and isinstance(input_shape[0], (list, tuple))
        first = tuple(input_shape[0]) if nested else tuple(input_shape)
        if self.output_mode == "int":
            return first
        if first and first[-1] == 1:
            return first[:-1] + (self.num_bins,)
        return first + (self.num_bins,)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {"num_bins": self.num_bins, "output_mode": self.output_mode, "sparse": self.sparse}
        )
        return config
