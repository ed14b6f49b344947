"""`keras.layers.GroupQueryAttention` (Keras 3): attention with fewer key/value heads.

Weights keep Keras 3's layout: sublayers `query` (kernel `(dim, num_query_heads,
head_dim)`), `key` and `value` (kernels `(dim, num_key_value_heads, head_dim)`),
`gate` with `use_gate=True` (as `query`), and `attention_output` (kernel
`(num_query_heads, head_dim, dim)`), each with a bias of its output axes.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from tork.keras import constraints, initializers, regularizers
from tork.keras.layers._call_context import where
from tork.keras.layers.attention.multi_head_attention import (
    _as_bool_mask,
    _call_inputs,
    _fresh,
    _HeadProjection,
    _large_negative,
    _may_differentiate_twice,
    _project,
    _QKVBuild,
)
from tork.keras.layers.layer import KerasShape, Layer, own_name_scope


class GroupedQueryAttention(_QKVBuild, Layer):
    """Grouped-query attention (Ainslie et al., 2023), with Keras 3's weights and masks.

    `query` is projected to `num_query_heads` heads, `key` and `value` to
    `num_key_value_heads` heads, each of size `head_dim`; every key/value head
    serves `num_query_heads // num_key_value_heads` consecutive query heads.
    `num_key_value_heads=1` is multi-query attention, `num_key_value_heads ==
    num_query_heads` is multi-head attention. The heads are then projected back
    to the query's last dimension.

    Args:
        head_dim: size of each attention head.
        num_query_heads: number of query heads.
        num_key_value_heads: number of key and value heads; must divide
            `num_query_heads`.
        dropout: dropout rate on the attention probabilities (training only).
        use_bias: whether the projections have biases.
        sliding_window: optional positive int: each query position attends only
            to keys less than `sliding_window` positions away (both sides;
            combine with `use_causal_mask=True` for a causal window).
        flash_attention: accepted for compatibility; torch picks its fused
            kernels itself. `True` with `dropout > 0` is an error, as in Keras.
        kernel_initializer: initializer of the projection kernels.
        bias_initializer: initializer of the projection biases.
        kernel_regularizer: optional regularizer of the kernels.
        bias_regularizer: optional regularizer of the biases.
        activity_regularizer: optional regularizer of the output.
        kernel_constraint: optional constraint of the kernels.
        bias_constraint: optional constraint of the biases.
        use_gate: whether to gate the attention output with a sigmoid
            projection of the query (Gated Attention).
        seed: optional seed of the attention dropout.

    Call arguments:
        query: `(batch, T, dim)` tensor.
        value: `(batch, S, dim)` tensor.
        key: optional `(batch, S, dim)` tensor; defaults to `value`.
        query_mask, value_mask, key_mask: optional boolean masks `(batch, T)` /
            `(batch, S)`; default to the tensors' Keras masks.
        attention_mask: optional boolean `(batch, T, S)` mask, True = attend.
        return_attention_scores: also return the `(batch, num_query_heads, T,
            S)` attention probabilities.
        training: whether dropout is active.
        use_causal_mask: mask out keys after each query position.

    Example:
    >>> gqa = keras.layers.GroupQueryAttention(
    ...     head_dim=4, num_query_heads=4, num_key_value_heads=2)
    >>> x = tf.ones((3, 5, 8))
    >>> out, scores = gqa(x, x, return_attention_scores=True)
    >>> tuple(out.shape), tuple(scores.shape)
    ((3, 5, 8), (3, 4, 5, 5))
    """

    def __init__(
        self,
        head_dim,
        num_query_heads,
        num_key_value_heads,
        dropout=0.0,
        use_bias=True,
        sliding_window=None,
        flash_attention=None,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        use_gate=False,
        seed=None,
        **kwargs,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.supports_masking = True
        self.head_dim = head_dim
        self.num_query_heads = num_query_heads
        self.num_key_value_heads = num_key_value_heads
        if num_query_heads % num_key_value_heads != 0:
            raise ValueError("`num_query_heads` must be divisible by `num_key_value_heads`.")
        self.num_repeats = num_query_heads // num_key_value_heads
        self.dropout = dropout
        self.use_bias = use_bias
        self.use_gate = use_gate
        if sliding_window is not None and (
            isinstance(sliding_window, bool)
            or not isinstance(sliding_window, int)
            or sliding_window <= 0
        ):
            raise ValueError(
                "`sliding_window` must be `None` or a positive integer. "
                f"Received: sliding_window={sliding_window}"
            )
        self.sliding_window = sliding_window
        self._flash_attention = flash_attention
        if flash_attention and dropout > 0.0:
            raise ValueError(
                "Dropout is not supported when flash attention is enabled. "
                "Please set dropout to 0.0 to use flash attention."
            )
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.seed = seed
        self._generator = torch.Generator().manual_seed(int(seed)) if seed is not None else None
        self._scale = 1.0 / math.sqrt(float(head_dim))
        self._output_dense = None
        self._tork_shapes = None

    # -- building --------------------------------------------------------------------------
    def _projection(self, output_dims, n_input_axes: int, name: str) -> _HeadProjection:
        return _HeadProjection(
            output_dims,
            n_input_axes,
            self.use_bias,
            _fresh(self.kernel_initializer),
            _fresh(self.bias_initializer),
            self.kernel_regularizer,
            self.bias_regularizer,
            self.kernel_constraint,
            self.bias_constraint,
            name=name,
            dtype=self._dtype_policy_name,
        )

    def build(self, query_shape, value_shape=None, key_shape=None) -> None:
        """Creates the projections' weights.

        Args:
            query_shape: shape of the query, `(batch, T, dim)`.
            value_shape: shape of the value. When the layer is built by its
                first call, the value's shape is taken from that call.
            key_shape: shape of the key; defaults to `value_shape`.
        """
        if value_shape is None:
            # The base Layer builds with the first argument's shape only: finish in call().
            return
        query_shape = tuple(query_shape)
        value_shape = tuple(value_shape)
        key_given = key_shape is not None
        key_shape = tuple(key_shape) if key_given else value_shape
        for label, shape in (("query", query_shape), ("value", value_shape), ("key", key_shape)):
            if len(shape) != 3 or shape[-1] is None:
                raise ValueError(
                    f"{where(self)}: the {label} must have shape (batch, sequence, features) "
                    f"with known features, got shape {shape}."
                )
        heads, kv_heads, dim = self.num_query_heads, self.num_key_value_heads, self.head_dim
        if self._output_dense is None:
            # Keras 3's order (and so the weight order): query, key, gate, value, output.
            self._query_dense = self._projection((heads, dim), 1, "query")
            self._key_dense = self._projection((kv_heads, dim), 1, "key")
            self._gate_dense = self._projection((heads, dim), 1, "gate") if self.use_gate else None
            self._value_dense = self._projection((kv_heads, dim), 1, "value")
            self._output_dense = self._projection((query_shape[-1],), 2, "attention_output")
        # Weight paths get this layer's name as a prefix: multi_head_attention/query/kernel
        # (Keras builds these sublayers when its call runs them, in its name scope).
        with own_name_scope(self):
            self._query_dense._tork_build(KerasShape(query_shape))
            self._key_dense._tork_build(KerasShape(key_shape))
            if self._gate_dense is not None:
                self._gate_dense._tork_build(KerasShape(query_shape))
            self._value_dense._tork_build(KerasShape(value_shape))
            self._output_dense._tork_build(KerasShape((None, None, heads, dim)))
        self._tork_shapes = (query_shape, value_shape, key_shape if key_given else None)
        if self._build_shapes is None:
            self._build_shapes = KerasShape(query_shape)
        self.built = True

    def __call__(self, *args, **kwargs):
        if self._output_dense is None:
            self._build_from_symbolic(args, kwargs)
        return super().__call__(*args, **kwargs)

    def _check_symbolic_shapes(self, query_shape, value_shape, key_shape) -> None:
        # Keras 3 checks the shapes of symbolic calls (compute_output_spec).
        self.compute_output_shape(query_shape, value_shape, key_shape)

    def build_from_config(self, config: dict) -> None:
        """Builds the layer from `get_build_config()` output."""
        shapes = (config or {}).get("shapes_dict")
        if isinstance(shapes, dict) and shapes.get("value_shape") is not None:
            self.build(shapes.get("query_shape"), shapes["value_shape"], shapes.get("key_shape"))

    # -- calling ---------------------------------------------------------------------------
    def call(
        self,
        query,
        value,
        key=None,
        query_mask=None,
        value_mask=None,
        key_mask=None,
        attention_mask=None,
        return_attention_scores: bool = False,
        training=None,
        use_causal_mask: bool = False,
    ):
        value, key, key_given, masks = _call_inputs(
            query, value, key, query_mask, value_mask, key_mask
        )
        query_mask, value_mask, key_mask = masks
        if return_attention_scores and self._flash_attention:
            raise ValueError(
                "Returning attention scores is not supported when flash attention is "
                "enabled. Please disable flash attention to access attention scores."
            )
        if self._output_dense is None or not self._output_dense.built:
            self._build_in_call(query, value, key if key_given else None)
        for label, tensor in (("query", query), ("value", value), ("key", key)):
            if tensor.ndim != 3:
                raise ValueError(
                    f"{where(self)}: the {label} must have shape (batch, sequence, features), "
                    f"got shape {tuple(tensor.shape)}."
                )

        def heads_first(x, layer):
            return _project(x, layer.kernel, layer.bias, 1).transpose(1, 2)

        q = heads_first(query, self._query_dense)  # (B, heads, T, head_dim)
        # Each key/value head serves `num_repeats` consecutive query heads (Keras ops.repeat).
        k = heads_first(key, self._key_dense).repeat_interleave(self.num_repeats, dim=1)
        v = heads_first(value, self._value_dense).repeat_interleave(self.num_repeats, dim=1)
        mask = self._combined_mask(
            query_mask,
            value_mask,
            key_mask,
            attention_mask,
            use_causal_mask,
            q.shape[0],
            q.shape[2],
            k.shape[2],
            q.device,
        )
        dropout = self.dropout if training and self.dropout > 0 else 0.0
        scores = None
        if return_attention_scores or self.dropout > 0 or _may_differentiate_twice():
            # Keras 3's explicit path (also at inference when dropout > 0, and where the
            # gradient may be differentiated again: see _may_differentiate_twice).
            out, scores = self._explicit_attention(q, k, v, mask, dropout)
        else:
            out = self._fused_attention(q, k, v, mask)
        out = out.transpose(1, 2)  # (B, T, heads, head_dim)
        if self._gate_dense is not None:
            gate = _project(query, self._gate_dense.kernel, self._gate_dense.bias, 1)
            out = out * torch.sigmoid(gate)
        out = _project(out, self._output_dense.kernel, self._output_dense.bias, 2)
        if query_mask is not None:
            try:
                out._keras_mask = _as_bool_mask(query_mask)
            except (AttributeError, RuntimeError):
                pass
        if return_attention_scores:
            return out, scores
        return out

    def _combined_mask(
        self, query_mask, value_mask, key_mask, attention_mask, causal, batch, t, s, device
    ):
        """Keras 3's attention mask: (B or 1, T, S) booleans (True = attend), or None."""
        auto = None

        def merge(mask):
            return mask if auto is None else auto & mask

        if query_mask is not None:
            auto = merge(_as_bool_mask(query_mask).to(device)[:, :, None])
        if value_mask is not None:
            auto = merge(_as_bool_mask(value_mask).to(device)[:, None, :])
        if key_mask is not None:
            auto = merge(_as_bool_mask(key_mask).to(device)[:, None, :])
        rows = torch.arange(t, device=device)[:, None]
        cols = torch.arange(s, device=device)[None, :]
        if causal:
            auto = merge((rows >= cols)[None])
        if self.sliding_window is not None:
            auto = merge(((rows - cols).abs() < self.sliding_window)[None])
        if auto is None:
            return None if attention_mask is None else _as_bool_mask(attention_mask).to(device)
        if attention_mask is not None:
            auto = _as_bool_mask(attention_mask).to(device) & auto
        return auto

    def _explicit_attention(self, q, k, v, mask, dropout):
        scores = torch.matmul(q * self._scale, k.transpose(-1, -2))
        if mask is not None:
            # Keras 3's Softmax with a mask: masked scores get a large negative, then the
            # probabilities are multiplied by the mask (a fully masked row is all zeros).
            keep = mask[:, None].to(scores.dtype)
            scores = scores + (1.0 - keep) * _large_negative(scores.dtype)
            probs = torch.softmax(scores, dim=-1) * keep
        else:
            probs = torch.softmax(scores, dim=-1)
        weights = probs
        if dropout:
            if self._generator is not None:
                noise = torch.rand(probs.shape, generator=self._generator).to(probs.device)
            else:
                noise = torch.rand(probs.shape, device=probs.device)
            weights = probs * (noise >= dropout).to(probs.dtype) / (1.0 - dropout)
        return torch.matmul(weights, v), probs

    def _fused_attention(self, q, k, v, mask):
        if mask is None:
            return F.scaled_dot_product_attention(q, k, v, scale=self._scale)
        attend = mask[:, None]
        # torch gives NaN for a row with no key to attend; Keras's fused path attends
        # uniformly there (the mean of the values).
        has_key = attend.any(dim=-1, keepdim=True)
        out = F.scaled_dot_product_attention(
            q, k, v, attn_mask=attend | ~has_key, scale=self._scale
        )
        return torch.where(has_key, out, v.mean(dim=-2, keepdim=True))

    def compute_output_shape(self, query_shape, value_shape=None, key_shape=None):
        query_shape = tuple(query_shape)
        if value_shape is None:
            return query_shape
        value_shape = tuple(value_shape)
        key_shape = value_shape if key_shape is None else tuple(key_shape)
        if query_shape[-1] != value_shape[-1]:
            raise ValueError(
                "The last dimension of `query_shape` and `value_shape` must be equal, but are "
                f"{query_shape[-1]}, {value_shape[-1]}. Received: query_shape={query_shape}, "
                f"value_shape={value_shape}"
            )
        if value_shape[1:-1] != key_shape[1:-1]:
            raise ValueError(
                "All dimensions of `value` and `key`, except the last one, must be equal. "
                f"Received: value_shape={value_shape} and key_shape={key_shape}"
            )
        return query_shape

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "head_dim": self.head_dim,
                "num_query_heads": self.num_query_heads,
                "num_key_value_heads": self.num_key_value_heads,
                "use_bias": self.use_bias,
                "use_gate": self.use_gate,
                "sliding_window": self.sliding_window,
                "dropout": self.dropout,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": _serialize_or_none(regularizers, self.kernel_regularizer),
                "bias_regularizer": _serialize_or_none(regularizers, self.bias_regularizer),
                "activity_regularizer": _serialize_or_none(regularizers, self.activity_regularizer),
                "kernel_constraint": _serialize_or_none(constraints, self.kernel_constraint),
                "bias_constraint": _serialize_or_none(constraints, self.bias_constraint),
                "seed": self.seed,
            }
        )
        return config


def _serialize_or_none(module, value):
    return None if value is None else module.serialize(value)


# Keras 3 exports the class under this name (its saved configs name GroupedQueryAttention).
GroupQueryAttention = GroupedQueryAttention

__all__ = ["GroupQueryAttention", "GroupedQueryAttention"]
