"""`keras.layers.Embedding`: looks up a dense vector for each integer index."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from tork._backend.errors import InvalidArgumentError
from tork._backend.ragged_tensor import RaggedTensor
from tork._backend.sparse_tensor import SparseTensor
from tork._backend.tensor import convert_to_tensor
from tork._backend.tracing import values_readable
from tork._backend.value_range import known_range, tag
from tork.keras import constraints, initializers, regularizers
from tork.keras.layers._call_context import CONTEXT, where
from tork.keras.layers.core import _lora
from tork.keras.layers.layer import Layer
from tork.keras.models.functional.keras_tensor import KerasTensor
from tork.ops import _lookup_rows
from tork.ops import math as math_ops

# Index dtypes F.embedding takes as they are; any other dtype is cast first (as Keras does).
_INDEX_DTYPES = (torch.int32, torch.int64)


def _positive_int(value, what: str) -> int:
    if isinstance(value, bool) or not hasattr(value, "__index__") or int(value) <= 0:
        raise ValueError(
            f"Embedding(..., {what}=...) must be a positive integer, got {value!r}. "
            "Example: Embedding(input_dim=10000, output_dim=64)."
        )
    return int(value)


class Embedding(Layer):
    """Turns non-negative integers (indices) into dense vectors of fixed size.

    `[[4], [20]] -> [[0.25, 0.1], [0.6, -0.2]]`: row `i` of the `embeddings`
    matrix (shape `(input_dim, output_dim)`) is the vector of index `i`. The
    output has the input's shape plus a last axis of size `output_dim`.

    Args:
        input_dim: size of the vocabulary, i.e. the largest index + 1.
        output_dim: size of each embedding vector.
        embeddings_initializer: initializer of the embeddings matrix.
        embeddings_regularizer: optional regularizer of the embeddings matrix.
        embeddings_constraint: optional constraint of the embeddings matrix.
        mask_zero: whether index 0 is padding to mask out. The mask is
            `inputs != 0`, so index 0 still counts in `input_dim` (use
            vocabulary size + 1).
        weights: optional initial embeddings: a `(input_dim, output_dim)`
            array, or a list holding one.
        lora_rank: optional rank of a LoRA update: the layer is built with
            `enable_lora(lora_rank)` (Keras 3).
        lora_alpha: optional LoRA scale numerator (default `lora_rank`); see
            `enable_lora`.
        input_length: Keras 2 argument: the fixed length of input sequences.

    Example:
    >>> layer = keras.layers.Embedding(1000, 64)
    >>> layer(np.random.randint(1000, size=(32, 10))).shape
    torch.Size([32, 10, 64])
    """

    # Class-level defaults (Keras 3's attributes): an instance sets them only when it uses
    # LoRA, so Keras 2 subclasses with their own `lora_rank` keep it (see `_lora.init`).
    lora_rank = None
    lora_alpha = None
    lora_enabled = False

    def __init__(
        self,
        input_dim: int,
        output_dim: int,
        embeddings_initializer="uniform",
        embeddings_regularizer=None,
        embeddings_constraint=None,
        mask_zero: bool = False,
        weights=None,
        lora_rank: int | None = None,
        lora_alpha: float | None = None,
        input_length: int | None = None,
        sparse: bool = False,
        **kwargs,
    ):
        super().__init__(input_length=input_length, **kwargs)
        self.sparse = bool(sparse)
        if self.sparse:
            if mask_zero:
                raise ValueError(
                    f"{where(self)}: `mask_zero` cannot be enabled when "
                    "`tf.keras.layers.Embedding` is used with `tf.SparseTensor` input "
                    "(sparse=True gives a SparseTensor output). Use one or the other."
                )
            self._tork_composite_output = True  # a SparseTensor output in functional models
        if self._batch_input_shape is None:
            # Keras 2: an Embedding takes sequences of any length, (batch, None), so a
            # Sequential model starting with one is built at once (summary() works).
            self._batch_input_shape = (None, None)
            self._tork_implicit_input_shape = True  # not written to the config (Keras 3)
        self.input_dim = _positive_int(input_dim, "input_dim")
        self.output_dim = _positive_int(output_dim, "output_dim")
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.mask_zero = bool(mask_zero)
        self.supports_masking = self.mask_zero
        self.input_length = input_length
        _lora.init(self, lora_rank, lora_alpha)
        if weights is not None:
            if not (isinstance(weights, (list, tuple)) and len(weights) == 1):
                weights = [weights]
            # Set once built (Keras 2): the table then takes its name in the scope the
            # layer is called in (`m/emb/embeddings:0`) and its place among the weights.
            self._tork_initial_weights = list(weights)
            shape = tuple(np.shape(weights[0]))
            if shape != (self.input_dim, self.output_dim):
                raise ValueError(
                    f"{where(self)}: `weights` must hold the embeddings of shape "
                    f"{(self.input_dim, self.output_dim)} (input_dim, output_dim), got an array "
                    f"of shape {shape}."
                )

    def build(self, input_shape=None) -> None:
        self.embeddings = self.add_weight(
            name="embeddings",
            shape=(self.input_dim, self.output_dim),
            initializer=self.embeddings_initializer,
            regularizer=self.embeddings_regularizer,
            constraint=self.embeddings_constraint,
        )
        # Read by the lookup, so Keras 2 gives it an `IndexedSlices` gradient and its legacy
        # optimizers update only the looked-up rows (see optimizers/_legacy_apply.py; a
        # regularization loss gives every row a gradient, so all rows are updated then).
        self.embeddings._tork_sparse_grad = True
        self.built = True
        _lora.build(self)

    def enable_lora(
        self,
        rank: int,
        lora_alpha: float | None = None,
        a_initializer="he_uniform",
        b_initializer="zeros",
    ) -> None:
        """Freezes the embeddings and adds a trainable low-rank update (LoRA, Keras 3).

        The layer then looks up rows of `embeddings + (lora_alpha / rank) *
        lora_embeddings_a @ lora_embeddings_b`, which `layer.embeddings` returns
        (`layer._embeddings` is the frozen variable). Saving writes the merged matrix;
        loading zeroes the LoRA weights.

        Args:
            rank: the rank of the update.
            lora_alpha: scale numerator (the update is scaled by `lora_alpha / rank`);
                default `rank`.
            a_initializer: initializer of `lora_embeddings_a`, shape `(input_dim, rank)`.
            b_initializer: initializer of `lora_embeddings_b`, shape `(rank, output_dim)`.

        Raises:
            ValueError: if the layer is not built, has an `embeddings_constraint`, or
                has LoRA enabled already.
        """
        _lora.enable_lora(self, rank, lora_alpha, a_initializer, b_initializer, weight="embeddings")

    def __call__(self, inputs, *args, **kwargs):
        if isinstance(inputs, RaggedTensor):
            # As Keras: a RaggedTensor of ids gives a RaggedTensor of embeddings, one vector
            # per id, looked up on the flat values; the row partition is kept.
            outputs = inputs.with_flat_values(super().__call__(inputs.flat_values, *args, **kwargs))
            if self.mask_zero:
                # Keras 2 gives ragged outputs a ragged mask too; layers that cannot apply
                # one (the RNNs) refuse it rather than ignore it.
                outputs._keras_mask = inputs.with_flat_values(inputs.flat_values != 0)
            return outputs
        return super().__call__(inputs, *args, **kwargs)

    def _tork_autocast(self) -> bool:
        # Indices stored as floats must not be cast to float16: they would lose precision.
        return False

    def call(self, inputs):
        if self.sparse:
            return self._sparse_output(inputs)
        return self._lookup(inputs)

    def _sparse_output(self, inputs) -> SparseTensor:
        """`sparse=True` (tf_keras): a SparseTensor of the looked-up vectors.

        For SparseTensor ids, one entry per stored id and output feature; for dense ids,
        the non-zero entries of the dense lookup.
        """
        from tork.ops.sparse import from_dense

        if not isinstance(inputs, SparseTensor):
            return from_dense(self._lookup(inputs))
        ids = inputs.values
        vectors = self._lookup(ids if ids.dtype in _INDEX_DTYPES else ids.long())
        count, dim = ids.shape[0], self.output_dim
        rows = inputs.indices.repeat_interleave(dim, dim=0)
        features = torch.arange(dim, device=rows.device).repeat(count).unsqueeze(1)
        return SparseTensor(
            torch.cat([rows, features], dim=1),
            vectors.reshape(-1),
            [*inputs.dense_shape.tolist(), dim],
        )

    def _lookup(self, inputs):
        if isinstance(inputs, SparseTensor):
            # As tf.keras: the ids densified, a missing entry reading id 0.
            if self.mask_zero:
                raise ValueError(
                    f"{where(self)}: `mask_zero` cannot be enabled when "
                    "`tf.keras.layers.Embedding` is used with `tf.SparseTensor` input (a "
                    "missing entry reads id 0). Pass dense ids, or mask_zero=False."
                )
            from tork.ops.sparse import to_dense

            inputs = to_dense(inputs)
        if not isinstance(inputs, torch.Tensor):
            # A StringTensor: Keras fails deep in a Cast op; name the layer and the fix.
            raise TypeError(
                f"{where(self)} expects integer token ids, but "
                f"received {type(inputs).__name__} of dtype {inputs.dtype}. Map strings "
                "to ids first with keras.layers.StringLookup(vocabulary=...) or "
                "keras.layers.TextVectorization."
            )
        if inputs.dtype not in _INDEX_DTYPES:
            known = known_range(inputs)
            inputs = inputs.long()
            if known is not None:
                tag(inputs, known)
        if inputs.device.type == "cpu" or CONTEXT.symbolic or not values_readable(inputs):
            # On CPU torch checks the range itself: diagnose only when it fails (free otherwise).
            try:
                outputs = F.embedding(inputs, self.embeddings)
            except IndexError:
                raise self._range_error(inputs) from None
        else:
            # On accelerators a bad index is a fatal device-side assert: check first, unless
            # fit already read the range of the whole input array (`_tork_value_range`).
            known = known_range(inputs)
            if known is None or known[0] < 0 or known[1] >= self.input_dim:
                self._check_range(inputs)
            outputs = F.embedding(inputs, self.embeddings)
        if _lookup_rows._RECORDING[0] and _lookup_rows.wanted(self.embeddings):
            # An optimizer clips: Keras 2 clips the per-lookup rows of the table's gradient.
            _lookup_rows.record(self.embeddings, inputs, outputs)
        if outputs.dtype is not self._tork_compute_dtype:
            outputs = outputs.to(self._tork_compute_dtype)
        return outputs

    def _check_range(self, inputs: torch.Tensor) -> None:
        if inputs.numel() == 0:
            return
        low, high = torch.stack(torch.aminmax(inputs)).tolist()
        if low < 0 or high >= self.input_dim:
            raise self._range_error(inputs)

    def _range_error(self, inputs: torch.Tensor) -> InvalidArgumentError:
        # TensorFlow raises InvalidArgumentError for an index out of range; it is a
        # ValueError too, so `except ValueError` still catches it.
        low, high = torch.stack(torch.aminmax(inputs)).tolist()
        if low < 0:
            return InvalidArgumentError(
                f"{where(self)}: received the negative index {low}; indices must be in "
                f"0..{self.input_dim - 1} (input_dim={self.input_dim}). Check how the inputs "
                "are tokenized (padding is usually index 0)."
            )
        return InvalidArgumentError(
            f"{where(self)}: received index {high}, but input_dim={self.input_dim} allows only "
            f"indices 0..{self.input_dim - 1}. Set input_dim to the vocabulary size (the largest "
            f"index + 1, at least {high + 1} here), or check how the inputs are tokenized."
        )

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        if isinstance(inputs, KerasTensor):
            # `emb.compute_mask(keras.Input(...))` in functional code (the mask then feeds an
            # attention layer): Keras 2 records a `tf.math.not_equal` op in the graph.
            return math_ops.not_equal(inputs, 0)
        if not isinstance(inputs, torch.Tensor):
            # Called by hand with a NumPy array or a list: the mask is still a tensor (Keras).
            inputs = convert_to_tensor(inputs)
        return inputs != 0

    def compute_output_shape(self, input_shape):
        return tuple(input_shape) + (self.output_dim,)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "input_dim": self.input_dim,
                "output_dim": self.output_dim,
                "embeddings_initializer": initializers.serialize(self.embeddings_initializer),
                "embeddings_regularizer": regularizers.serialize(self.embeddings_regularizer),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                "embeddings_constraint": constraints.serialize(self.embeddings_constraint),
                "mask_zero": self.mask_zero,
            }
        )
        if self.input_length is not None:
            config["input_length"] = self.input_length
        if self.sparse:  # (tf_keras writes no `sparse` key; its default is False)
            config["sparse"] = True
        config.update(_lora.config(self))
        return config
