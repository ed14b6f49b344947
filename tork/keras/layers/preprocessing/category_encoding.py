"""`keras.layers.CategoryEncoding`: one-hot, multi-hot or count encoding of integer inputs."""

from __future__ import annotations

import torch

from tork._backend.tensor import convert_to_tensor
from tork.keras.layers._call_context import CONTEXT, where
from tork.keras.layers.layer import Layer
from tork.keras.layers.preprocessing import _encoding


class CategoryEncoding(Layer):
    """Encodes integer category ids in `[0, num_tokens)` as dense vectors.

    - `'one_hot'`: one vector per element; a last axis of size 1 is encoded in
      place (`(batch, 1) -> (batch, num_tokens)`), otherwise a new axis is added.
    - `'multi_hot'`: one vector per sample (the last axis), 1 where a token occurs.
    - `'count'`: like multi-hot but counting occurrences (or summing
      `count_weights`).

    Args:
        num_tokens: the number of categories.
        output_mode: `'multi_hot'` (default), `'one_hot'` or `'count'`.
        sparse: whether to return a `tf.SparseTensor` (of the non-zero entries) instead
            of a dense tensor.

    Example:
    >>> layer = keras.layers.CategoryEncoding(num_tokens=4, output_mode="multi_hot")
    >>> layer([[0, 1], [0, 0], [1, 2], [3, 1]]).tolist()
    [[1.0, 1.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 1.0, 0.0], [0.0, 1.0, 0.0, 1.0]]
    """

    def __init__(self, num_tokens=None, output_mode: str = "multi_hot", sparse=False, **kwargs):
        max_tokens = kwargs.pop("max_tokens", None)
        if num_tokens is None:
            num_tokens = max_tokens  # the name in TF 2.3-2.5's experimental layer
        if "dtype" not in kwargs:
            # Keras 2: float32 encodings under a global mixed policy (dtype=None keeps it).
            from tork.keras.backend import floatx

            kwargs["dtype"] = floatx()
        super().__init__(**kwargs)
        output_mode = _encoding.check_output_mode(
            output_mode, ("count", "one_hot", "multi_hot"), "CategoryEncoding"
        )
        if num_tokens is None:
            raise ValueError(
                "num_tokens must be set to use this layer. If the number of tokens is not known "
                "beforehand, use the IntegerLookup layer instead."
            )
        if isinstance(num_tokens, bool) or not isinstance(num_tokens, int) or num_tokens < 1:
            raise ValueError(f"`num_tokens` must be >= 1. Received: num_tokens={num_tokens!r}.")
        self.num_tokens = num_tokens
        self.output_mode = output_mode
        self.sparse = bool(sparse)
        if self.sparse:
            # Symbolic calls run on real twins, whose outputs become SparseKerasTensors.
            self._tork_composite_output = True

    def call(self, inputs, count_weights=None):
        if _encoding.is_sparse(inputs):
            return self._call_sparse(inputs, count_weights)
        if not isinstance(inputs, torch.Tensor) and is_ragged(inputs):
            _encoding.check_range(inputs.flat_values, self.num_tokens, where(self), "inputs")
            outputs = encode_ragged(
                inputs,
                self.output_mode,
                self.num_tokens,
                self._tork_compute_dtype,
                count_weights=count_weights,
                where_text=where(self),
            )
            return _sparse_output(outputs) if self.sparse else outputs
        if not isinstance(inputs, torch.Tensor):
            # The base class turns nested lists into lists of tensors: make one tensor.
            inputs = convert_to_tensor(inputs)
        if count_weights is not None:
            self._check_count_weights_mode()
            count_weights = convert_to_tensor(count_weights).to(inputs.device)
            if tuple(count_weights.shape) != tuple(inputs.shape):
                raise ValueError(
                    f"{where(self)}: `count_weights` must have the shape of the inputs "
                    f"{tuple(inputs.shape)}, got {tuple(count_weights.shape)}."
                )
        if inputs.is_floating_point():
            inputs = inputs.long()
        if not CONTEXT.symbolic:
            # Symbolic (functional-API) inputs hold no values to check.
            _encoding.check_range(inputs, self.num_tokens, where(self), "inputs")
        outputs = _encoding.encode(
            inputs,
            self.output_mode,
            self.num_tokens,
            self._tork_compute_dtype,
            count_weights=count_weights,
            where_text=where(self),
        )
        return _sparse_output(outputs) if self.sparse else outputs

    def _check_count_weights_mode(self) -> None:
        if self.output_mode != "count":
            raise ValueError(
                f"{where(self)}: `count_weights` is not used when `output_mode` is not "
                f"'count'. Received output_mode={self.output_mode!r}."
            )

    def _call_sparse(self, inputs, count_weights):
        """Encodes each row of a `(batch, tokens)` SparseTensor, as tf_keras's sparse
        bincount: only the stored values count; `count_weights` is a SparseTensor with the
        same indices (or its values)."""
        values = inputs.values
        if not CONTEXT.symbolic:
            _encoding.check_range(values, self.num_tokens, where(self), "inputs")
        if count_weights is not None:
            self._check_count_weights_mode()
            if _encoding.is_sparse(count_weights):
                count_weights = count_weights.values
        row_ids, rows = _encoding.sparse_rows(inputs, where(self))
        outputs = _encoding.encode_rows(
            values,
            row_ids,
            rows,
            self.output_mode,
            self.num_tokens,
            self._tork_compute_dtype,
            count_weights=count_weights,
            where_text=where(self),
        )
        return _sparse_output(outputs) if self.sparse else outputs

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if not input_shape:
            return (self.num_tokens,)
        if self.output_mode == "one_hot":
            if input_shape[-1] != 1 or len(input_shape) == 1:
                return input_shape + (self.num_tokens,)
            return input_shape[:-1] + (self.num_tokens,)
        return input_shape[:-1] + (self.num_tokens,)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {"num_tokens": self.num_tokens, "output_mode": self.output_mode, "sparse": self.sparse}
        )
        return config


def is_ragged(value) -> bool:
    from tork._backend.ragged_tensor import RaggedTensor

    return isinstance(value, RaggedTensor)


def encode_ragged(
    inputs, output_mode: str, depth: int, dtype, count_weights=None, where_text: str = ""
) -> torch.Tensor:
    """Encodes each row of a RaggedTensor of integer ids as one vector, as tf_keras does:
    `(rows, None) -> (rows, depth)`, multi-hot or counts (summing `count_weights`, a
    RaggedTensor with the same rows, when given). An empty row encodes as zeros."""
    if output_mode == "one_hot":
        raise ValueError(
            f"{where_text}: output_mode='one_hot' encodes each value on its own and cannot "
            "take a RaggedTensor (its rows have different lengths); use 'multi_hot' or "
            "'count' to encode each row, or call .to_tensor() first."
        )
    flat = inputs.flat_values
    if inputs.ragged_rank != 1 or flat.dim() != 1:
        raise ValueError(
            f"{where_text}: a RaggedTensor input must have shape (batch, None) (ragged_rank "
            f"1, no inner dimensions); got shape {inputs.shape}."
        )
    rows = inputs.nrows_int()
    slots = inputs.value_rowids().to(device=flat.device, dtype=torch.int64) * depth
    slots = slots + flat.to(torch.int64)
    out = torch.zeros(rows * depth, dtype=dtype, device=flat.device)
    if output_mode == "count":
        if count_weights is not None:
            weights = count_weights.flat_values if is_ragged(count_weights) else count_weights
            weights = torch.as_tensor(weights, device=flat.device)
            if weights.shape != flat.shape:
                raise ValueError(
                    f"{where_text}: `count_weights` must be a RaggedTensor with the row "
                    f"lengths of the inputs; got {int(weights.numel())} weights for "
                    f"{int(flat.numel())} values."
                )
            added = weights.to(dtype)
        else:
            added = torch.ones(flat.shape[0], dtype=dtype, device=flat.device)
        out.index_add_(0, slots, added)
    else:
        out[slots] = 1
    return out.reshape(rows, depth)


def _sparse_output(dense: torch.Tensor):
    """The `sparse=True` output of an encoding: its non-zero entries (as Keras 2, whose
    sparse bincount leaves out the tokens that do not occur), int64 indices in row-major
    order."""
    from tork.ops.sparse import from_dense

    return from_dense(dense)
