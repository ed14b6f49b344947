"""`keras.layers.Attention`: Luong-style (dot-product) attention over `[query, value, key]`."""

from __future__ import annotations

import warnings

import torch

from tork.keras.layers._call_context import where
from tork.keras.layers.layer import Layer

_SCORE_MODES = ("dot", "concat")


class Attention(Layer):
    """Dot-product attention layer, a.k.a. Luong-style attention.

    Called on `[query, value]` or `[query, value, key]` (key defaults to
    value), with query `(batch, Tq, dim)` and value/key `(batch, Tv, dim)`:

    1. scores `(batch, Tq, Tv)`: `query @ key^T` (`score_mode='dot'`), or
       `sum(tanh(query + key))` over the features (`'concat'`);
    2. `softmax` over the keys (masked keys get `-1e9` added);
    3. output `(batch, Tq, dim)` = probabilities `@ value`; masked query
       positions output zeros.

    Args:
        use_scale: if True, scores are multiplied by a trainable scalar
            `scale` (initialized to 1).
        score_mode: `'dot'` or `'concat'`.
        dropout: dropout rate on the attention probabilities (training only).
        seed: optional seed of the dropout.

    Call arguments:
        inputs: list `[query, value]` or `[query, value, key]`.
        mask: optional list `[query_mask, value_mask]` of boolean tensors
            `(batch, Tq)` and `(batch, Tv)`; defaults to the inputs' Keras masks.
        training: whether dropout is active.
        return_attention_scores: also return the `(batch, Tq, Tv)` probabilities
            (after dropout, as Keras).
        use_causal_mask: mask out keys after each query position.

    Example:
    >>> q, v = tf.ones((2, 3, 4)), tf.ones((2, 5, 4))
    >>> keras.layers.Attention()([q, v]).shape
    torch.Size([2, 3, 4])
    """

    def __init__(
        self,
        use_scale: bool = False,
        score_mode: str = "dot",
        dropout: float = 0.0,
        seed: int | None = None,
        **kwargs,
    ):
        # Keras 2's deprecated constructor argument `causal` (use_causal_mask in call now):
        # still accepted there, as old code (e.g. "Hands-On ML", 2nd ed.) passes it.
        causal = kwargs.pop("causal", None)
        super().__init__(**kwargs)
        if causal is not None:
            warnings.warn(
                "`causal` argument is deprecated. Please use `use_causal_mask` in call() "
                "method to specify causal masking.",
                stacklevel=2,
            )
        self.causal = bool(causal)
        if score_mode not in _SCORE_MODES:
            raise ValueError(
                f"Invalid value for argument score_mode. Expected one of {list(_SCORE_MODES)}. "
                f"Received: score_mode={score_mode!r}"
            )
        if not 0 <= dropout < 1:
            raise ValueError(
                f"{type(self).__name__}(dropout=...) must be a rate in [0, 1), got {dropout!r}."
            )
        self.use_scale = use_scale
        self.score_mode = score_mode
        self.dropout = float(dropout)
        self.seed = seed
        self._generator = torch.Generator().manual_seed(int(seed)) if seed is not None else None
        self.supports_masking = True

    def build(self, input_shape) -> None:
        self._validate_shapes(input_shape)
        # Weights are created before the attributes exist: an existing `self.scale` (even None)
        # would make add_weight name the weight `scale_1`.
        scale = concat = None
        if self.use_scale:
            scale = self.add_weight(name="scale", shape=(), initializer="ones")
        if self.score_mode == "concat":
            concat = self.add_weight(name="concat_score_weight", shape=(), initializer="ones")
        self.scale = scale
        self.concat_score_weight = concat
        self.built = True

    def _validate_shapes(self, input_shape) -> None:
        name = type(self).__name__
        if (
            not isinstance(input_shape, (list, tuple))
            or not input_shape
            or not all(isinstance(s, (list, tuple)) for s in input_shape)
        ):
            raise ValueError(
                f"{where(self)}: {name} layer must be called on a list of inputs, namely "
                f"[query, value] or [query, value, key]. Received input shape: {input_shape}."
            )
        if not 2 <= len(input_shape) <= 3:
            raise ValueError(
                f"{where(self)}: {name} layer accepts inputs list of length 2 or 3, namely "
                f"[query, value] or [query, value, key]. Received length: {len(input_shape)}."
            )

    def _calculate_scores(self, query, key):
        if self.score_mode == "dot":
            scores = torch.matmul(query, key.transpose(-1, -2))
            if self.scale is not None:
                scores = scores * self.scale.to(scores.dtype)
            return scores
        # concat: (B, Tq, 1, dim) + (B, 1, Tv, dim), summed over the features.
        summed = query.unsqueeze(-2) + key.unsqueeze(-3)
        if self.scale is not None:
            summed = self.scale.to(summed.dtype) * summed
        weight = self.concat_score_weight.to(summed.dtype)
        return weight * torch.tanh(summed).sum(dim=-1)

    def _check_inputs(self, inputs, mask) -> None:
        name = type(self).__name__
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(
                f"{where(self)}: {name} layer must be called on a list of inputs, namely "
                f"[query, value] or [query, value, key]. Received a {type(inputs).__name__} of "
                f"shape {tuple(getattr(inputs, 'shape', ()))}."
            )
        if not 2 <= len(inputs) <= 3:
            raise ValueError(
                f"{where(self)}: {name} layer accepts inputs list of length 2 or 3, namely "
                f"[query, value] or [query, value, key]. Received length: {len(inputs)}."
            )
        if mask is not None and (not isinstance(mask, (list, tuple)) or not 2 <= len(mask) <= 3):
            raise ValueError(
                f"{where(self)}: {name} layer mask must be a list of length 2 or 3, namely "
                f"[query_mask, value_mask]. Received: mask={mask!r}."
            )
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        if query.ndim != 3 or value.ndim != 3 or key.ndim != 3:
            raise ValueError(
                f"{where(self)}: query, value and key must be 3-D (batch, time, features); got "
                f"shapes {tuple(query.shape)}, {tuple(value.shape)}, {tuple(key.shape)}."
            )
        if key.shape[1] != value.shape[1]:
            raise ValueError(
                f"{where(self)}: key and value must have the same number of timesteps; got key "
                f"{tuple(key.shape)} and value {tuple(value.shape)}."
            )
        if self.score_mode == "dot" and query.shape[-1] != key.shape[-1]:
            raise ValueError(
                f"{where(self)}: query and key must have the same last dimension for "
                f"dot-product scores; got query {tuple(query.shape)} and key "
                f"{tuple(key.shape)}."
            )

    def call(
        self,
        inputs,
        mask=None,
        training=None,
        return_attention_scores: bool = False,
        use_causal_mask: bool = False,
    ):
        self._check_inputs(inputs, mask)
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        q_mask = mask[0] if mask else None
        v_mask = mask[1] if mask else None
        scores = self._calculate_scores(query, key)

        keep = None
        if v_mask is not None:
            keep = _bool(v_mask).to(scores.device)[:, None, :]
        if use_causal_mask or self.causal:
            tq, tv = scores.shape[-2], scores.shape[-1]
            causal = torch.ones(tq, tv, dtype=torch.bool, device=scores.device).tril()[None]
            keep = causal if keep is None else keep & causal
        if keep is not None:
            # Keras subtracts a large number from masked scores (65504 in float16).
            big = 65504.0 if scores.dtype == torch.float16 else 1.0e9
            try:
                scores = scores - big * (~keep).to(scores.dtype)
            except RuntimeError as error:  # the failed path only: name the mask's shape
                given = tuple(getattr(v_mask, "shape", ()))
                raise ValueError(
                    f"{where(self)}: the value mask must have shape (batch, value timesteps) = "
                    f"{(scores.shape[0], scores.shape[-1])}, got {given} (mask=[query_mask, "
                    f"value_mask]; the scores have shape {tuple(scores.shape)})."
                ) from error
        weights = torch.softmax(scores, dim=-1)
        if training and self.dropout > 0:
            weights = self._drop(weights)
        result = torch.matmul(weights, value)
        if q_mask is not None:
            result = result * _bool(q_mask).to(result.device)[..., None].to(result.dtype)
        if return_attention_scores:
            if q_mask is not None:
                # The base class masks a single output; with scores, mask the result here.
                result._keras_mask = _bool(q_mask)
            return result, weights
        return result

    def _drop(self, weights):
        keep = 1.0 - self.dropout
        if self._generator is not None:
            noise = torch.rand(weights.shape, generator=self._generator).to(weights.device)
        else:
            noise = torch.rand(weights.shape, device=weights.device)
        return weights * (noise < keep).to(weights.dtype) / keep

    def compute_mask(self, inputs, mask=None):
        if mask is None or mask[0] is None:
            return None
        return _bool(mask[0])

    def compute_output_shape(self, input_shape):
        return (*tuple(input_shape[0])[:-1], tuple(input_shape[1])[-1])

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "use_scale": self.use_scale,
                "score_mode": self.score_mode,
                "dropout": self.dropout,
                "seed": self.seed,
            }
        )
        return config


def _bool(mask) -> torch.Tensor:
    if not isinstance(mask, torch.Tensor):
        mask = torch.as_tensor(mask)
    return mask if mask.dtype == torch.bool else mask != 0
