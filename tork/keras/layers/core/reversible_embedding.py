"""`keras.layers.ReversibleEmbedding` (Keras 3): an Embedding that also projects back to logits."""

from __future__ import annotations

import torch

from tork._backend import dtypes as _dtypes
from tork.keras.layers._call_context import where
from tork.keras.layers.core.embedding import Embedding


class ReversibleEmbedding(Embedding):
    """An embedding layer that can project hidden states back to the vocabulary.

    Called as an `Embedding`, it looks up vectors; called with `reverse=True` on
    `(..., output_dim)` hidden states it returns `(..., input_dim)` logits,
    `hidden @ embeddings.T` (tied weights, the default) or `hidden @ reverse_embeddings`
    with a separate `(output_dim, input_dim)` matrix (`tie_weights=False`). No bias.

    Args:
        input_dim: size of the vocabulary (largest index + 1).
        output_dim: size of each embedding vector.
        tie_weights: project back with the transposed `embeddings` (True) or with a
            separate trainable `reverse_embeddings` matrix (False).
        embeddings_initializer: initializer of the embeddings (and of
            `reverse_embeddings`).
        embeddings_regularizer: optional regularizer of the embeddings.
        embeddings_constraint: optional constraint of the embeddings.
        mask_zero: whether index 0 is padding to mask out (forward calls only).
        reverse_dtype: dtype of the reverse projection (default: the compute dtype).
        logit_soft_cap: if set, reverse logits become
            `tanh(logits / logit_soft_cap) * logit_soft_cap`.
        **kwargs: other `Embedding`/`Layer` arguments (`name`, `dtype`...).

    Example:
    >>> embedding = keras.layers.ReversibleEmbedding(100, 32)
    >>> hidden = embedding(np.random.randint(100, size=(16, 50)))  # (16, 50, 32)
    >>> embedding(hidden, reverse=True).shape
    torch.Size([16, 50, 100])
    """

    def __init__(
        self,
        input_dim: int,
        output_dim: int,
        tie_weights: bool = True,
        embeddings_initializer="uniform",
        embeddings_regularizer=None,
        embeddings_constraint=None,
        mask_zero: bool = False,
        reverse_dtype=None,
        logit_soft_cap: float | None = None,
        **kwargs,
    ):
        super().__init__(
            input_dim,
            output_dim,
            embeddings_initializer=embeddings_initializer,
            embeddings_regularizer=embeddings_regularizer,
            embeddings_constraint=embeddings_constraint,
            mask_zero=mask_zero,
            **kwargs,
        )
        self.tie_weights = bool(tie_weights)
        self.reverse_dtype = reverse_dtype
        self.logit_soft_cap = logit_soft_cap

    def build(self, input_shape=None) -> None:
        super().build(input_shape)
        if not self.tie_weights:
            self.reverse_embeddings = self.add_weight(
                name="reverse_embeddings",
                shape=(self.output_dim, self.input_dim),
                initializer=self.embeddings_initializer,
            )

    def _tork_autocast(self) -> bool:
        return False

    def call(self, inputs, reverse: bool = False):
        if not reverse:
            return super().call(inputs)
        if inputs.shape[-1] != self.output_dim:
            raise ValueError(
                f"{where(self)}: reverse=True projects hidden states of size output_dim="
                f"{self.output_dim} back to the vocabulary, but the inputs have shape "
                f"{tuple(inputs.shape)}. Pass the outputs of a layer of width "
                f"{self.output_dim} (or call without reverse=True to look up ids)."
            )
        kernel = self.embeddings.t() if self.tie_weights else self.reverse_embeddings
        dtype = (
            _dtypes.as_dtype(self.reverse_dtype)
            if self.reverse_dtype is not None
            else self._tork_compute_dtype
        )
        logits = torch.matmul(inputs.to(dtype), kernel.to(dtype))
        if self.logit_soft_cap is not None:
            cap = self.logit_soft_cap
            logits = torch.tanh(logits / cap) * cap
        return logits

    def compute_mask(self, inputs, mask=None):
        if isinstance(inputs, torch.Tensor) and inputs.is_floating_point():
            return None  # hidden states projected back (reverse=True) carry no padding mask
        return super().compute_mask(inputs, mask)

    def compute_output_shape(self, input_shape, reverse: bool = False):
        if reverse:
            return tuple(input_shape)[:-1] + (self.input_dim,)
        return super().compute_output_shape(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "tie_weights": self.tie_weights,
                "reverse_dtype": self.reverse_dtype,
                "logit_soft_cap": self.logit_soft_cap,
            }
        )
        return config
