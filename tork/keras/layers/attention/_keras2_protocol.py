"""Keras 2's `MultiHeadAttention` subclassing hooks, for layers written against tf.keras.

tf.keras 2 subclasses of `MultiHeadAttention` (tf-models' TalkingHeadsAttention,
MultiHeadRelativeAttention, CachedAttention, KernelAttention, multi-query attention...)
reach into its private protocol: `_build_from_signature(query, value, key)` builds the
`_query_dense`/`_key_dense`/`_value_dense`/`_output_dense` projections and calls
`_build_attention(rank)`, which sets the einsum equations `_dot_product_equation` and
`_combine_equation`, a `_softmax` and a `_dropout_layer`; `_compute_attention` and
`_masked_softmax` compute the attention from projected tensors; the constructor's
arguments live in `_num_heads`, `_key_dim`, `_dropout`, `_kernel_initializer` and so on.

tork's `MultiHeadAttention` runs its own fused path. A subclass that overrides one of
these hooks (or `call`) switches to the hook path below, which calls each hook as
Keras 2 does, so overriding one step changes just that step.
"""

from __future__ import annotations

import math
import string

import torch

from tork._backend.tensor_shape import TensorShape

_LETTERS = string.ascii_lowercase

# Overriding any of these in a subclass selects the Keras 2 hook path.
KERAS2_HOOKS = (
    "_build_from_signature",
    "_build_attention",
    "_compute_attention",
    "_masked_softmax",
    "_make_output_dense",
    "_compute_attention_mask",
    "call",
)


def attention_equations(rank: int, attn_axes: tuple) -> tuple[str, str, int]:
    """The einsum equations of dot-product attention over projected tensors.

    Projected tensors have `rank` axes: batch axes, the attention axes, the heads
    axis and the per-head features (last). The scores have the batch axes (heads
    included), then the query's attention axes, then the key's.

    Args:
        rank: rank of the projected query/key/value, e.g. 4 for `(B, T, N, H)`.
        attn_axes: the attention axes, e.g. `(1,)`.

    Returns:
        `(dot_product_equation, combine_equation, scores_rank)`; for rank 4 and axes
        `(1,)`: `("aecd,abcd->acbe", "acbe,aecd->abcd", 4)`.
    """
    target = _LETTERS[:rank]
    batch = [i for i in range(rank) if i not in attn_axes and i != rank - 1]
    source = ""
    offset = rank
    for i in range(rank):
        if i in batch or i == rank - 1:
            source += target[i]
        else:
            source += _LETTERS[offset]
            offset += 1
    product = (
        "".join(target[i] for i in batch)
        + "".join(target[i] for i in attn_axes)
        + "".join(source[i] for i in attn_axes)
    )
    return f"{source},{target}->{product}", f"{product},{source}->{target}", len(product)


def _shape_of(value) -> TensorShape:
    # Keras 2 accepts tensors or shapes here.
    return TensorShape(tuple(value.shape) if hasattr(value, "shape") else value)


def _alias(public: str):
    return property(
        lambda self: getattr(self, public),
        lambda self, value: setattr(self, public, value),
        doc=f"Keras 2's private name of `{public}`.",
    )


class Keras2AttentionProtocol:
    """Keras 2's private `MultiHeadAttention` attributes and hooks (see module docstring)."""

    _num_heads = _alias("num_heads")
    _key_dim = _alias("key_dim")
    _value_dim = _alias("value_dim")
    _dropout = _alias("dropout")
    _use_bias = _alias("use_bias")
    _kernel_initializer = _alias("kernel_initializer")
    _bias_initializer = _alias("bias_initializer")
    _kernel_regularizer = _alias("kernel_regularizer")
    _bias_regularizer = _alias("bias_regularizer")
    _kernel_constraint = _alias("kernel_constraint")
    _bias_constraint = _alias("bias_constraint")

    _tork_keras2_hooks = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # The user's classes between this one and tork's MultiHeadAttention.
        own = [
            c
            for c in cls.__mro__
            if issubclass(c, Keras2AttentionProtocol) and c.__module__.split(".")[0] != "tork"
        ]
        cls._tork_keras2_hooks = any(h in vars(c) for c in own for h in KERAS2_HOOKS)

    @property
    def _built_from_signature(self) -> bool:
        dense = self.__dict__.get("_modules", {}).get("_output_dense")
        return dense is not None and dense.built

    @_built_from_signature.setter
    def _built_from_signature(self, value) -> None:
        # Keras 2 sets it at the end of `_build_from_signature`; tork reads the build state.
        pass

    # -- building --------------------------------------------------------------------------
    def _build_from_signature(self, query, value, key=None) -> None:
        """Builds the projections from the query/value/key tensors or shapes (Keras 2)."""
        self._query_shape = _shape_of(query)
        self._value_shape = _shape_of(value)
        self._key_shape = self._value_shape if key is None else _shape_of(key)
        key_shape = None if key is None else tuple(self._key_shape.as_list())
        # Through `build`, whose wrapper gives the weights the calling layers' name scope
        # (`parent/attention/query/kernel`) when this runs inside a call.
        self.__dict__["_tork_signature_build"] = True
        try:
            self.build(
                tuple(self._query_shape.as_list()), tuple(self._value_shape.as_list()), key_shape
            )
        finally:
            self.__dict__["_tork_signature_build"] = False

    def _build_attention(self, rank: int) -> None:
        """Sets the attention equations, `_softmax` and `_dropout_layer` (Keras 2)."""
        from tork.keras.layers.activations import Softmax
        from tork.keras.layers.regularization.dropout import Dropout

        query_rank = rank - 1
        if self._attention_axes is None:
            self._attention_axes = tuple(range(1, rank - 2))
        else:
            self._attention_axes = tuple(
                a + query_rank if a < 0 else a for a in self._attention_axes
            )
        (
            self._dot_product_equation,
            self._combine_equation,
            scores_rank,
        ) = attention_equations(rank, self._attention_axes)
        norm_axes = tuple(range(scores_rank - len(self._attention_axes), scores_rank))
        self._softmax = Softmax(axis=norm_axes, dtype=self._dtype_policy_name)
        self._dropout_layer = Dropout(rate=self.dropout, dtype=self._dtype_policy_name)

    def _get_common_kwargs_for_sublayer(self) -> dict:
        """Regularizers, constraints and fresh initializers for a projection (Keras 2)."""
        from tork.keras.layers.attention.multi_head_attention import _fresh

        return dict(
            kernel_regularizer=self.kernel_regularizer,
            bias_regularizer=self.bias_regularizer,
            activity_regularizer=self.activity_regularizer,
            kernel_constraint=self.kernel_constraint,
            bias_constraint=self.bias_constraint,
            kernel_initializer=_fresh(self.kernel_initializer),
            bias_initializer=_fresh(self.bias_initializer),
        )

    def _make_output_dense(self, free_dims, common_kwargs: dict, name: str | None = None):
        """An `EinsumDense` from `(..., heads, value_dim)` to the output shape (Keras 2)."""
        from tork.keras.layers.core.einsum_dense import EinsumDense

        if isinstance(free_dims, TensorShape | tuple | list):
            free_dims = len(free_dims) - 1
        if self._output_shape is None:
            out = [self._query_shape[-1]]
        elif isinstance(self._output_shape, int):
            out = [self._output_shape]
        else:
            out = list(self._output_shape)
        inputs = _LETTERS[:free_dims]
        bound = _LETTERS[free_dims : free_dims + 2]
        outs = _LETTERS[free_dims + 2 : free_dims + 2 + len(out)]
        return EinsumDense(
            f"{inputs}{bound},{bound}{outs}->{inputs}{outs}",
            output_shape=[None] * (free_dims - 1) + out,
            bias_axes=outs if self.use_bias else None,
            name=name,
            **common_kwargs,
        )

    # -- computing -------------------------------------------------------------------------
    def _masked_softmax(self, attention_scores, attention_mask=None):
        """Softmax over the key axes; a mask broadcasts over the heads axis (Keras 2)."""
        if attention_mask is not None:
            # Keras 3 has converted a NumPy mask by the time a subclass's call passes it on.
            attention_mask = torch.as_tensor(attention_mask, device=attention_scores.device)
            axis = -len(self._attention_axes) * 2 - 1
            for _ in range(attention_scores.ndim - attention_mask.ndim):
                attention_mask = attention_mask.unsqueeze(axis)
        return self._softmax(attention_scores, attention_mask)

    def _compute_attention(
        self, query, key, value, attention_mask=None, training=None, return_attention_scores=False
    ):
        """Attention over projected tensors: `(output, scores)`.

        Keras 3 subclasses (KerasHub's CachedMultiHeadAttention) pass
        `return_attention_scores=`; the scores are returned either way.
        """
        query = query * (1.0 / math.sqrt(float(self.key_dim)))
        scores = torch.einsum(self._dot_product_equation, key, query)
        scores = self._masked_softmax(scores, attention_mask)
        dropped = self._dropout_layer(scores, training=training)
        return torch.einsum(self._combine_equation, dropped, value), scores

    def _compute_causal_mask(self, query, value=None):
        """`(1, T, S)` lower-triangular boolean mask (Keras 2)."""
        t = query.shape[1]
        s = t if value is None else value.shape[1]
        return torch.ones((1, t, s), dtype=torch.bool, device=query.device).tril()

    def _compute_attention_mask(
        self, query, value, key=None, attention_mask=None, use_causal_mask=False
    ):
        """Combines the inputs' Keras masks, the causal mask and `attention_mask` (Keras 2)."""
        masks = []
        query_mask = getattr(query, "_keras_mask", None)
        value_mask = getattr(value, "_keras_mask", None)
        key_mask = getattr(key, "_keras_mask", None) if key is not None else None
        if query_mask is not None:
            masks.append(query_mask.bool()[:, :, None])
        for mask in (value_mask, key_mask):
            if mask is not None:
                masks.append(mask.bool()[:, None, :])
        if use_causal_mask:
            masks.append(self._compute_causal_mask(query, value))
        if not masks:
            return attention_mask
        combined = masks[0]
        for mask in masks[1:]:
            combined = combined & mask
        if attention_mask is not None:
            combined = combined & torch.as_tensor(attention_mask).bool()
        return combined

    def _tork_keras2_call(
        self, query, value, key, attention_mask, return_attention_scores, training, use_causal_mask
    ):
        # Keras 2's MultiHeadAttention.call, step by step through the hooks.
        if not self._built_from_signature:
            self._build_from_signature(query=query, value=value, key=key)
        if key is None:
            key = value
        attention_mask = self._compute_attention_mask(
            query, value, key=key, attention_mask=attention_mask, use_causal_mask=use_causal_mask
        )
        q = self._query_dense(query)
        k = self._key_dense(key)
        v = self._value_dense(value)
        out, scores = self._compute_attention(q, k, v, attention_mask, training)
        out = self._output_dense(out)
        if return_attention_scores:
            return out, scores
        return out
