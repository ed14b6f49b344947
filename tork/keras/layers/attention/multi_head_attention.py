"""`keras.layers.MultiHeadAttention`: scaled dot-product attention over several heads.

Weights keep Keras's layout so they interchange with Keras files: the query,
key and value projections have kernels `(dim, num_heads, key_dim)` (value:
`value_dim`) and biases `(num_heads, key_dim)`; the output projection has a
kernel `(num_heads, value_dim, *output_shape)` and a bias `output_shape`. They
live in sublayers named `query`, `key`, `value` and `attention_output`, so the
weight paths are `multi_head_attention/query/kernel` and so on.

Initial values follow Keras 3's fans: each kernel is drawn as the 2-D matrix
(input axes flattened, output axes flattened), e.g. `(dim, num_heads * key_dim)`
for the query kernel, then reshaped. Keras 2 used the plain rank-3 fan rule
instead, which gives smaller values (KERAS_FACTS section 1).

The attention itself runs on `torch.nn.functional.scaled_dot_product_attention`
(fused kernels) whenever that computes what Keras computes: no attention
scores requested and no seeded dropout. Otherwise an explicit einsum path runs.
Both give the same numbers, including Keras's rule that a fully masked query
row attends uniformly to every key.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from tork import autodiff
from tork import tape as _tape
from tork._backend.tensor import convert_to_tensor
from tork._backend.tensor_shape import TensorShape
from tork._naming import unique_name
from tork.keras import constraints, initializers, regularizers
from tork.keras.layers._call_context import CONTEXT, where
from tork.keras.layers.attention._keras2_protocol import Keras2AttentionProtocol
from tork.keras.layers.layer import KerasShape, Layer, own_name_scope


def _may_differentiate_twice() -> bool:
    """Whether this forward pass may be differentiated twice, or in forward mode.

    A tape nested in another recording tape (a WGAN-GP gradient penalty, a Hessian), a
    tape inside `fit`'s step (a gradient in a layer's `call`), or an open
    `tf.autodiff.ForwardAccumulator`: torch's fused attention kernels have neither a
    double backward ("derivative for
    aten::_scaled_dot_product_flash_attention_for_cpu_backward is not implemented") nor
    a forward-mode rule, so the attention then takes the explicit formula, as Keras
    computes it.
    """
    recording = _tape._recording
    return (
        len(recording) > 1
        or (bool(recording) and _tape._outer_steps > 0)
        or autodiff._accumulating()
    )


def _prod(values) -> int:
    return int(math.prod(values))


class _FlatInitializer:
    """Draws a multi-axis kernel as a 2-D (inputs, outputs) matrix, then reshapes it.

    This gives Keras 3's fans for the MHA kernels, e.g. (dim, heads * key_dim)
    for a (dim, heads, key_dim) kernel, whatever the initializer.
    """

    def __init__(self, initializer, n_input_axes: int):
        self.initializer = initializer
        self.n_input_axes = n_input_axes

    def __call__(self, shape, dtype=None, **kwargs):
        shape = tuple(int(d) for d in shape)
        flat = (_prod(shape[: self.n_input_axes]), _prod(shape[self.n_input_axes :]))
        values = convert_to_tensor(self.initializer(flat, dtype=dtype), dtype=dtype)
        return values.reshape(shape)


def _fresh(initializer):
    """A new instance of an initializer, so sublayers do not share one (and its values)."""
    if isinstance(initializer, initializers.Initializer):
        return initializer.clone()
    return initializer


class _HeadProjection(Layer):
    """A dense projection whose kernel keeps Keras's multi-axis (EinsumDense) layout.

    It maps the last `n_input_axes` axes of its input to `output_dims`; the
    kernel has shape `input_dims + output_dims` and the bias `output_dims`.
    """

    def __init__(
        self,
        output_dims: tuple,
        n_input_axes: int,
        use_bias: bool,
        kernel_initializer,
        bias_initializer,
        kernel_regularizer=None,
        bias_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.output_dims = tuple(int(d) for d in output_dims)
        self.n_input_axes = int(n_input_axes)
        self.use_bias = use_bias
        self.kernel_initializer = kernel_initializer
        self.bias_initializer = bias_initializer
        self.kernel_regularizer = kernel_regularizer
        self.bias_regularizer = bias_regularizer
        self.kernel_constraint = kernel_constraint
        self.bias_constraint = bias_constraint

    def build(self, input_shape) -> None:
        input_dims = tuple(input_shape[-self.n_input_axes :])
        if any(d is None for d in input_dims):
            raise ValueError(
                f"{where(self)}: the feature dimensions of the input must be known to build the "
                f"kernel, but the input shape is {tuple(input_shape)}."
            )
        self.kernel = self.add_weight(
            name="kernel",
            shape=input_dims + self.output_dims,
            initializer=_FlatInitializer(self.kernel_initializer, self.n_input_axes),
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias",
                shape=self.output_dims,
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        else:
            self.bias = None
        self.built = True

    def enable_lora(
        self, rank: int, lora_alpha=None, a_initializer="he_uniform", b_initializer="zeros"
    ) -> None:
        """LoRA on the projection, as Keras 3's EinsumDense `enable_lora` (KerasHub's
        `backbone.enable_lora` targets the `query` and `value` projections)."""
        from tork.keras.layers.core import _lora

        _lora.enable_lora(self, rank, lora_alpha, a_initializer, b_initializer)

    def call(self, inputs):
        return _project(inputs, self.kernel, self.bias, self.n_input_axes)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)[: -self.n_input_axes] + self.output_dims


def _project(x, kernel, bias, n_input_axes: int):
    """`einsum` of x's last `n_input_axes` axes with the kernel, as one matmul."""
    n_in = _prod(kernel.shape[:n_input_axes])
    out_dims = tuple(kernel.shape[n_input_axes:])
    lead = x.shape[: x.ndim - n_input_axes]
    flat = x.reshape(*lead, n_in) if n_input_axes != 1 else x
    if kernel.dtype != x.dtype:
        # Mixed precision: float32 weights are used in the compute dtype (Keras autocast).
        kernel = kernel.to(x.dtype)
        bias = None if bias is None else bias.to(x.dtype)
    weight = kernel.reshape(n_in, -1).T
    y = F.linear(flat, weight, None if bias is None else bias.reshape(-1))
    if len(out_dims) == 1:
        return y
    return y.reshape(*lead, *out_dims)


def _large_negative(dtype: torch.dtype) -> float:
    # -1e9 overflows float16 to -inf (then NaN rows); Keras uses -3e4 there.
    return -3e4 if dtype == torch.float16 else -1e9


def _mask_bias(mask: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """The additive form of a boolean mask (True = attend): 0 there, a large negative elsewhere."""
    return (~mask).to(dtype) * _large_negative(dtype)


def _uniform_attention(q, k, v, scale: float) -> torch.Tensor:
    """Keras's result for a query row with every key masked: the mean of the values.

    Keras adds -1e9 to the masked scores, which flattens the softmax without cutting its
    derivative: d out / d score_j = (v_j - mean(v)) / n at the uniform point. The term
    `lin - lin.detach()` (zero) carries exactly that gradient to the query and key, from
    `k^T v` (head-size squared) instead of the (T, S) score matrix.
    """
    n = k.shape[-2]
    vd = v.detach()
    centered = vd - vd.mean(dim=-2, keepdim=True)
    lin = torch.matmul(q * scale, torch.matmul(k.transpose(-1, -2), centered)) / n
    return v.mean(dim=-2, keepdim=True) + (lin - lin.detach())


def _as_shape(shape) -> tuple:
    """A shape from a config: a list, tuple or TensorShape-like (`as_list`), or a dict of one."""
    if isinstance(shape, dict) and "items" in shape:
        shape = shape["items"]  # Keras 2's JSON encoding of a TensorShape
    if hasattr(shape, "as_list"):
        shape = shape.as_list()
    return tuple(None if d is None else int(d) for d in shape)


def _as_bool_mask(mask) -> torch.Tensor:
    if not isinstance(mask, torch.Tensor):
        mask = convert_to_tensor(mask)
    if mask.dtype != torch.bool:
        mask = mask != 0
    return mask


class _QKVBuild:
    """Building of query/value/key attention layers, shared by MultiHeadAttention and
    GroupQueryAttention: from symbolic shapes, inside a call, and their build config."""

    def _build_from_symbolic(self, args, kwargs) -> None:
        """Builds from KerasTensor shapes, before the call runs on fake tensors.

        Symbolic shapes keep None for unknown sizes, which the build config
        records as Keras does; the fake tensors of the call have stand-in sizes.
        """
        from tork.keras.models.functional.keras_tensor import KerasTensor

        query, value, key = (
            args[i] if i < len(args) else kwargs.get(name)
            for i, name in enumerate(("query", "value", "key"))
        )
        if (
            isinstance(query, KerasTensor)
            and isinstance(value, KerasTensor)
            and (key is None or isinstance(key, KerasTensor))
        ):
            from tork._naming import scratch_names

            key_shape = key.shape if key is not None else None
            self._check_symbolic_shapes(query.shape, value.shape, key_shape)
            with scratch_names():  # as every functional-API build (see node.call_symbolic)
                self.build(query.shape, value.shape, key_shape)

    def _check_symbolic_shapes(self, query_shape, value_shape, key_shape) -> None:
        """Checks a symbolic call's shapes before building (nothing by default)."""

    def _build_in_call(self, query, value, key) -> None:
        shapes = (
            tuple(query.shape),
            tuple(value.shape),
            tuple(key.shape) if key is not None else None,
        )
        if CONTEXT.symbolic:
            # A functional-API call runs on fake tensors; weights must still be real.
            from torch._subclasses.fake_tensor import unset_fake_temporarily

            with unset_fake_temporarily():
                self.build(*shapes)
        else:
            self.build(*shapes)

    def get_build_config(self) -> dict | None:
        """Returns the shapes the layer was built with, in Keras 3's `shapes_dict` form.

        Returns:
            `{"shapes_dict": {"query_shape", "value_shape"[, "key_shape"]}}`
            (`key_shape` only when a key was given), or None when not built.
        """
        if self._tork_shapes is None:
            return None
        query_shape, value_shape, key_shape = self._tork_shapes
        shapes = {"query_shape": query_shape, "value_shape": value_shape}
        if key_shape is not None:
            shapes["key_shape"] = key_shape
        return {"shapes_dict": shapes}


class MultiHeadAttention(Keras2AttentionProtocol, _QKVBuild, Layer):
    """Multi-head attention (Vaswani et al., 2017), with Keras's weights and masks.

    Projects `query`, `key` and `value` to `num_heads` heads, computes
    `softmax(Q K^T / sqrt(key_dim))` over the keys, applies it to the values
    and projects the concatenated heads back to `output_shape` (by default the
    query's last dimension).

    Args:
        num_heads: number of attention heads.
        key_dim: size of each head for query and key.
        value_dim: size of each head for value; defaults to `key_dim`.
        dropout: dropout rate on the attention probabilities (training only).
        use_bias: whether the projections have biases.
        output_shape: size (int or tuple) of the output's feature axes;
            defaults to the query's last dimension.
        attention_axes: axes of the query over which attention applies;
            defaults to every axis but the batch and feature axes.
        sliding_window: not supported by tork (must be None).
        flash_attention: accepted for compatibility; tork always uses
            torch's fused attention kernels when they compute the same thing.
        kernel_initializer: initializer of the projection kernels.
        bias_initializer: initializer of the projection biases.
        kernel_regularizer: optional regularizer of the kernels.
        bias_regularizer: optional regularizer of the biases.
        activity_regularizer: optional regularizer of the output.
        kernel_constraint: optional constraint of the kernels.
        bias_constraint: optional constraint of the biases.
        use_gate: not supported by tork (must be False).
        seed: optional seed of the attention dropout.
        softmax_robust_masking: Keras 2 argument, accepted for compatibility: tork always
            sets masked scores to -1e9 (Keras 2's robust masking); the default additive
            masking gives the same probabilities in float32.

    Call arguments:
        query: `(batch, T, dim)` tensor.
        value: `(batch, S, dim_v)` tensor.
        key: optional `(batch, S, dim_k)` tensor; defaults to `value`.
        query_mask, value_mask, key_mask: optional boolean masks `(batch, T)` /
            `(batch, S)`; default to the tensors' Keras masks.
        attention_mask: optional boolean `(batch, T, S)` mask, True = attend.
        return_attention_scores: also return the `(batch, heads, T, S)`
            attention probabilities (before dropout).
        training: whether dropout is active.
        use_causal_mask: mask out keys after each query position.

    Example:
    >>> mha = keras.layers.MultiHeadAttention(num_heads=2, key_dim=4)
    >>> x = tf.ones((3, 5, 8))
    >>> out, scores = mha(x, x, return_attention_scores=True)
    >>> tuple(out.shape), tuple(scores.shape)
    ((3, 5, 8), (3, 2, 5, 5))
    """

    def __init__(
        self,
        num_heads: int,
        key_dim: int,
        value_dim: int | None = None,
        dropout: float = 0.0,
        use_bias: bool = True,
        output_shape=None,
        attention_axes=None,
        sliding_window=None,
        flash_attention=None,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        use_gate: bool = False,
        seed: int | None = None,
        softmax_robust_masking: bool = False,
        **kwargs,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        # Keras 2: the output keeps the query's timesteps, so `compute_mask` passes the
        # query mask on (the call also sets it on the output).
        self.supports_masking = True
        name = type(self).__name__
        for arg, value in (("num_heads", num_heads), ("key_dim", key_dim)):
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ValueError(
                    f"{name}({arg}=...) must be a positive integer, got {value!r}. "
                    "Example: MultiHeadAttention(num_heads=8, key_dim=64)."
                )
        if value_dim is not None and (
            isinstance(value_dim, bool) or not isinstance(value_dim, int) or value_dim <= 0
        ):
            raise ValueError(
                f"{name}(value_dim=...) must be a positive integer or None, got {value_dim!r}."
            )
        if not 0 <= dropout < 1:
            raise ValueError(f"{name}(dropout=...) must be a rate in [0, 1), got {dropout!r}.")
        if sliding_window is not None:
            raise NotImplementedError(
                "tork does not implement `MultiHeadAttention(sliding_window=...)` yet; pass an "
                "explicit banded `attention_mask` instead."
            )
        if use_gate:
            raise NotImplementedError(
                "tork does not implement `MultiHeadAttention(use_gate=True)` yet."
            )
        self.num_heads = num_heads
        self.key_dim = key_dim
        self.value_dim = value_dim if value_dim is not None else key_dim
        self.dropout = float(dropout)
        self.use_bias = use_bias
        if output_shape is not None and isinstance(output_shape, int):
            out = (output_shape,)
        elif output_shape is not None:
            out = tuple(int(d) for d in output_shape)
        else:
            out = None
        self._output_shape = output_shape
        self._out_dims = out
        if isinstance(attention_axes, int):
            attention_axes = (attention_axes,)
        self._attention_axes = tuple(attention_axes) if attention_axes is not None else None
        self.sliding_window = sliding_window
        self._flash_attention = flash_attention
        self.use_gate = use_gate
        self.seed = seed
        self._softmax_robust_masking = bool(softmax_robust_masking)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self._generator = torch.Generator().manual_seed(int(seed)) if seed is not None else None
        self._scale = 1.0 / math.sqrt(float(key_dim))

        def projection(output_dims, n_input_axes, sub_name):
            return _HeadProjection(
                output_dims,
                n_input_axes,
                use_bias,
                _fresh(self.kernel_initializer),
                _fresh(self.bias_initializer),
                self.kernel_regularizer,
                self.bias_regularizer,
                self.kernel_constraint,
                self.bias_constraint,
                name=sub_name,
                dtype=kwargs.get("dtype"),
            )

        # Sublayer order fixes the weight order: query, key, value, attention_output (Keras).
        self._query_dense = projection((num_heads, key_dim), 1, "query")
        self._key_dense = projection((num_heads, key_dim), 1, "key")
        self._value_dense = projection((num_heads, self.value_dim), 1, "value")
        self._output_dense = None
        self._tork_shapes = None

    # -- properties (Keras names) ----------------------------------------------------------
    @property
    def output_shape(self):
        """The output's feature shape given to the constructor (None: the query's last dim)."""
        return self._output_shape

    @property
    def attention_axes(self):
        return self._attention_axes

    @property
    def query_dense(self) -> Layer:
        return self._query_dense

    @property
    def key_dense(self) -> Layer:
        return self._key_dense

    @property
    def value_dense(self) -> Layer:
        return self._value_dense

    @property
    def output_dense(self) -> Layer:
        return self._output_dense

    # -- building --------------------------------------------------------------------------
    def build(self, query_shape, value_shape=None, key_shape=None) -> None:
        """Creates the projections' weights.

        Args:
            query_shape: shape of the query, batch first.
            value_shape: shape of the value. When the layer is built by its
                first call, the value's shape is taken from that call.
            key_shape: shape of the key; defaults to `value_shape`.
        """
        if value_shape is None:
            # The base Layer builds with the first argument's shape only: finish in call().
            return
        if self._tork_keras2_hooks and not self.__dict__.get("_tork_signature_build"):
            # A Keras 2 subclass may extend `_build_from_signature`: build through it.
            self._build_from_signature(
                TensorShape(tuple(query_shape)),
                TensorShape(tuple(value_shape)),
                None if key_shape is None else TensorShape(tuple(key_shape)),
            )
            return
        self._tork_build_projections(query_shape, value_shape, key_shape)

    def _tork_build_projections(self, query_shape, value_shape, key_shape=None) -> None:
        # The body of `build` (Keras 2's `_build_from_signature` reaches it too).
        query_shape = tuple(query_shape)
        value_shape = tuple(value_shape)
        key_given = key_shape is not None
        key_shape = tuple(key_shape) if key_given else value_shape
        for label, shape in (("query", query_shape), ("value", value_shape), ("key", key_shape)):
            if len(shape) < 3:
                raise ValueError(
                    f"{where(self)}: the {label} must have rank >= 3 (batch, sequence..., "
                    f"features), got shape {shape}. Add a sequence axis, e.g. "
                    "tf.expand_dims(x, 1)."
                )
            if shape[-1] is None:
                raise ValueError(
                    f"{where(self)}: the last dimension of the {label} must be known, got "
                    f"shape {shape}."
                )
        out_dims = self._out_dims if self._out_dims is not None else (query_shape[-1],)
        if self._tork_keras2_hooks and self._output_dense is None:
            # Keras 2 builds the attention (equations, softmax, a subclass's extra
            # weights) between the query/key/value and the output projections.
            with own_name_scope(self):
                self._build_attention(len(query_shape) + 1)
        if self._output_dense is None:
            # Keras builds a Softmax and a Dropout sublayer here; they use up the auto names
            # `softmax` and `dropout`, so the user's next Dropout() is `dropout_1` in Keras.
            # tork computes both inline, but takes the names so later auto names match.
            unique_name("softmax")
            unique_name("dropout")
            self._output_dense = _HeadProjection(
                out_dims,
                2,
                self.use_bias,
                _fresh(self.kernel_initializer),
                _fresh(self.bias_initializer),
                self.kernel_regularizer,
                self.bias_regularizer,
                self.kernel_constraint,
                self.bias_constraint,
                name="attention_output",
                dtype=self._dtype_policy_name,
            )
        # Weight paths get this layer's name as a prefix: multi_head_attention/query/kernel
        # (Keras builds these sublayers when its call runs them, in its name scope).
        with own_name_scope(self):
            self._query_dense._tork_build(KerasShape(query_shape))
            self._key_dense._tork_build(KerasShape(key_shape))
            self._value_dense._tork_build(KerasShape(value_shape))
            self._output_dense._tork_build(
                KerasShape(query_shape[:-1] + (self.num_heads, self.value_dim))
            )
        # Keras records `key_shape` only when a key was given (see get_build_config).
        self._tork_shapes = (query_shape, value_shape, key_shape if key_given else None)
        if self._build_shapes is None:
            self._build_shapes = KerasShape(query_shape)
        self.built = True

    def __call__(self, *args, **kwargs):
        if len(args) > 3 and type(self).call is MultiHeadAttention.call:
            args, kwargs = _keras2_positional(self, args, kwargs)
        if not self.__dict__["built"]:
            self._build_from_symbolic(args, kwargs)
        return super().__call__(*args, **kwargs)

    def build_from_config(self, config: dict) -> None:
        """Builds the layer from `get_build_config()` output.

        Reads Keras 3's `{"shapes_dict": {...}}` and the flat
        `{"query_shape", "value_shape", "key_shape"}` that older tork wrote.

        Args:
            config: the saved build config.
        """
        if not config:
            return
        shapes = config.get("shapes_dict", config)
        if not isinstance(shapes, dict) or shapes.get("value_shape") is None:
            return
        self.build(shapes.get("query_shape"), shapes["value_shape"], shapes.get("key_shape"))

    # -- calling ---------------------------------------------------------------------------
    def _attention_layout(self, rank: int):
        """(batch axes, attention axes) of a query of this rank; identity layout for rank 3."""
        axes = self._attention_axes
        if axes is None:
            attn = tuple(range(1, rank - 1))
        else:
            attn = []
            for axis in axes:
                a = axis + rank if axis < 0 else axis
                if not 1 <= a <= rank - 2:
                    raise ValueError(
                        f"{where(self)}: attention_axes={self._attention_axes} is invalid for "
                        f"inputs of rank {rank}; each axis must be between 1 and {rank - 2} "
                        "(not the batch axis 0 nor the feature axis)."
                    )
                attn.append(a)
            attn = tuple(sorted(set(attn)))
        batch = tuple(a for a in range(rank - 1) if a not in attn)
        return batch, attn

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
        if self._tork_keras2_hooks:
            if any(m is not None for m in (query_mask, value_mask, key_mask)):
                raise ValueError(
                    f"{where(self)}: query_mask/value_mask/key_mask are Keras 3 arguments, "
                    f"and {type(self).__name__} overrides Keras 2's MultiHeadAttention hooks, "
                    "which take only attention_mask. Pass attention_mask (batch, T, S) "
                    "instead, or attach the masks to the inputs (Masking/Embedding)."
                )
            return self._tork_keras2_call(
                query,
                value,
                key,
                attention_mask,
                return_attention_scores,
                training,
                use_causal_mask,
            )
        value, key, key_given, masks = _call_inputs(
            query, value, key, query_mask, value_mask, key_mask
        )
        query_mask, value_mask, key_mask = masks
        if return_attention_scores and self._flash_attention is True:
            raise ValueError(
                f"{where(self)}: returning attention scores is not supported when "
                "flash_attention=True. Create the layer with flash_attention=None or False."
            )

        if self._output_dense is None or not self._output_dense.built:
            self._build_in_call(query, value, key if key_given else None)
        self._check_shapes(query, value, key)

        rank = query.ndim
        batch_axes, attn_axes = self._attention_layout(rank)
        q_lead = tuple(query.shape[:-1])
        kv_lead = tuple(key.shape[:-1])
        t_dims = tuple(q_lead[a] for a in attn_axes)
        s_dims = tuple(kv_lead[a] for a in attn_axes)
        b_dims = tuple(q_lead[a] for a in batch_axes)
        if tuple(kv_lead[a] for a in batch_axes) != b_dims:
            raise ValueError(
                f"{where(self)}: the query and the value/key must have the same batch "
                f"dimensions; got query {tuple(query.shape)} and value {tuple(value.shape)}. "
                "Pass value/key from the same batch as the query."
            )
        simple = rank == 3

        # Heads-first projections: (B, heads, T, key_dim) etc.
        q = _project(query, self._query_dense.kernel, self._query_dense.bias, 1)
        k = _project(key, self._key_dense.kernel, self._key_dense.bias, 1)
        v = _project(value, self._value_dense.kernel, self._value_dense.bias, 1)
        if not simple:
            q = self._flatten(q, batch_axes, attn_axes)
            k = self._flatten(k, batch_axes, attn_axes)
            v = self._flatten(v, batch_axes, attn_axes)
        q = q.transpose(1, 2)
        k = k.transpose(1, 2)
        v = v.transpose(1, 2)

        mask, may_empty_rows = self._combined_mask(
            query_mask,
            value_mask,
            key_mask,
            attention_mask,
            use_causal_mask,
            (b_dims, t_dims, s_dims, batch_axes, attn_axes),
            q.device,
        )
        dropout = self.dropout if training and self.dropout > 0 else 0.0

        scores = None
        # Seeded dropout needs our generator; dropout on uniform (fully masked) rows needs
        # the explicit probabilities: both take the explicit path.
        explicit = (
            return_attention_scores
            or (dropout and (self._generator is not None or may_empty_rows))
            or _may_differentiate_twice()
        )
        if explicit:
            out, scores = self._explicit_attention(q, k, v, mask, dropout)
        else:
            out = self._fused_attention(q, k, v, mask, may_empty_rows, dropout, use_causal_mask)

        # (B, heads, T, value_dim) -> (B, T, heads, value_dim) -> output projection.
        out = out.transpose(1, 2)
        out = _project(out, self._output_dense.kernel, self._output_dense.bias, 2)
        if not simple:
            out = self._unflatten(out, b_dims, t_dims, batch_axes, attn_axes, rank)
        if query_mask is not None:
            try:
                out._keras_mask = _as_bool_mask(query_mask)
            except (AttributeError, RuntimeError):
                pass
        if return_attention_scores:
            if not simple:
                scores = scores.reshape(*b_dims, self.num_heads, *t_dims, *s_dims)
            return out, scores
        return out

    def _check_shapes(self, query, value, key) -> None:
        built_q, built_v, built_k = (
            self._query_dense.kernel.shape[0],
            self._value_dense.kernel.shape[0],
            self._key_dense.kernel.shape[0],
        )
        for label, tensor, expected in (
            ("query", query, built_q),
            ("value", value, built_v),
            ("key", key, built_k),
        ):
            if tensor.ndim < 3:
                raise ValueError(
                    f"{where(self)}: the {label} must have rank >= 3 (batch, sequence..., "
                    f"features), got shape {tuple(tensor.shape)}. Add a sequence axis, e.g. "
                    "tf.expand_dims(x, 1)."
                )
            if tensor.shape[-1] != expected:
                raise ValueError(
                    f"{where(self)}: the {label} has last dimension {tensor.shape[-1]}, but the "
                    f"layer was built for {expected} (shape {tuple(tensor.shape)}). Use a new "
                    "MultiHeadAttention layer for inputs of another size."
                )
        if query.ndim != key.ndim or key.ndim != value.ndim:
            raise ValueError(
                f"{where(self)}: query, value and key must have the same rank; got shapes "
                f"{tuple(query.shape)}, {tuple(value.shape)} and {tuple(key.shape)}."
            )
        if tuple(key.shape[:-1]) != tuple(value.shape[:-1]):
            raise ValueError(
                f"{where(self)}: key and value must have the same shape except for the last "
                f"axis; got key {tuple(key.shape)} and value {tuple(value.shape)}."
            )

    @staticmethod
    def _flatten(x, batch_axes, attn_axes):
        """(..., heads, dim) with arbitrary batch/attention axes -> (B, N, heads, dim)."""
        perm = list(batch_axes) + list(attn_axes)
        rank = len(perm)
        x = x.permute(*perm, rank, rank + 1)
        n_b = _prod(x.shape[: len(batch_axes)])
        return x.reshape(n_b, -1, x.shape[-2], x.shape[-1])

    @staticmethod
    def _unflatten(out, b_dims, t_dims, batch_axes, attn_axes, rank):
        feature = tuple(out.shape[2:])
        out = out.reshape(*b_dims, *t_dims, *feature)
        perm = list(batch_axes) + list(attn_axes)
        if perm == list(range(rank - 1)):
            return out
        inverse = [perm.index(i) for i in range(rank - 1)]
        n_feat = len(feature)
        return out.permute(*inverse, *range(rank - 1, rank - 1 + n_feat))

    def _combined_mask(
        self, query_mask, value_mask, key_mask, attention_mask, causal, layout, device
    ):
        """The boolean (B, 1 or T, S) mask (True = attend) and whether a row can be empty."""
        b_dims, t_dims, s_dims, batch_axes, attn_axes = layout
        n_b, n_t, n_s = _prod(b_dims), _prod(t_dims), _prod(s_dims)
        perm = list(batch_axes) + list(attn_axes)
        identity = perm == sorted(perm)

        def sequence_mask(m, seq_dims, label):
            # A Keras mask has the input's layout without the feature axis: -> (B, N).
            shape = [0] * len(perm)
            for a, d in zip(batch_axes, b_dims):
                shape[a] = d
            for a, d in zip(attn_axes, seq_dims):
                shape[a] = d
            m = _as_bool_mask(m).to(device)
            if tuple(m.shape) != tuple(shape):
                try:
                    m = m.expand(tuple(shape))
                except RuntimeError:
                    raise ValueError(
                        f"{where(self)}: {label} must have shape {tuple(shape)} (the input's "
                        f"shape without the feature axis), got {tuple(m.shape)}."
                    ) from None
            if not identity:
                m = m.permute(*perm)
            return m.reshape(n_b, -1)

        mask = None
        may_empty = False
        if query_mask is not None:
            mask = sequence_mask(query_mask, t_dims, "query_mask")[:, :, None]
            may_empty = True
        for m, label in ((value_mask, "value_mask"), (key_mask, "key_mask")):
            if m is not None:
                m = sequence_mask(m, s_dims, label)[:, None, :]
                mask = m if mask is None else mask & m
                may_empty = True
        if causal:
            # Query position i attends to key positions j <= i (Keras: tril(ones(T, S))).
            tri = torch.ones(n_t, n_s, dtype=torch.bool, device=device).tril()
            mask = tri[None] if mask is None else mask & tri
        if attention_mask is not None:
            am = _as_bool_mask(attention_mask).to(device)
            full = b_dims + t_dims + s_dims
            if tuple(am.shape) != full:
                try:
                    am = am.expand(full)
                except RuntimeError:
                    raise ValueError(
                        f"{where(self)}: attention_mask must have shape {full} (batch, "
                        f"query positions, key positions), got {tuple(am.shape)}."
                    ) from None
            am = am.reshape(n_b, n_t, n_s)
            mask = am if mask is None else mask & am
            may_empty = True
        return mask, may_empty

    def _explicit_attention(self, q, k, v, mask, dropout):
        scores = torch.matmul(q * self._scale, k.transpose(-1, -2))
        if mask is not None:
            # Added, not filled in, as Keras: a fully masked row then attends uniformly and
            # still passes gradients to its scores (Keras's softmax sees -1e9 + score).
            scores = scores + _mask_bias(mask[:, None], scores.dtype)
        probs = torch.softmax(scores, dim=-1)
        weights = probs
        if dropout:
            if self._generator is not None:
                noise = torch.rand(probs.shape, generator=self._generator).to(probs.device)
            else:
                noise = torch.rand(probs.shape, device=probs.device)
            weights = probs * (noise >= dropout).to(probs.dtype) / (1.0 - dropout)
        return torch.matmul(weights, v), probs

    def _fused_attention(self, q, k, v, mask, may_empty_rows, dropout, causal):
        if mask is None:
            return F.scaled_dot_product_attention(q, k, v, dropout_p=dropout, scale=self._scale)
        if causal and not may_empty_rows:
            # The mask is exactly tril(ones(T, S)): let torch use its causal kernels.
            return F.scaled_dot_product_attention(
                q, k, v, dropout_p=dropout, is_causal=True, scale=self._scale
            )
        attend = mask[:, None]
        # torch gives NaN for a row with no key to attend; Keras attends uniformly there.
        # Let such rows attend everything (finite) and replace them by Keras's result. (A
        # float -1e9 mask would do in the forward pass, but the fused kernels' backward then
        # recomputes the probabilities from a rounded log-sum-exp and scales the gradients.)
        has_key = attend.any(dim=-1, keepdim=True)
        out = F.scaled_dot_product_attention(
            q, k, v, attn_mask=attend | ~has_key, dropout_p=dropout, scale=self._scale
        )
        if torch.is_grad_enabled() and (q.requires_grad or k.requires_grad):
            uniform = _uniform_attention(q, k, v, self._scale)
        else:  # no gradient to carry (inference): the mean alone, without the extra products
            uniform = v.mean(dim=-2, keepdim=True)
        return torch.where(has_key, out, uniform)

    def compute_output_shape(self, query_shape, value_shape=None, key_shape=None):
        query_shape = tuple(query_shape)
        out = self._out_dims if self._out_dims is not None else (query_shape[-1],)
        return query_shape[:-1] + tuple(out)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "num_heads": self.num_heads,
                "key_dim": self.key_dim,
                "value_dim": self.value_dim,
                "dropout": self.dropout,
                "use_bias": self.use_bias,
                "output_shape": self._output_shape,
                "attention_axes": self._attention_axes,
                "flash_attention": self._flash_attention,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer)
                if self.kernel_regularizer is not None
                else None,
                "bias_regularizer": regularizers.serialize(self.bias_regularizer)
                if self.bias_regularizer is not None
                else None,
                "activity_regularizer": regularizers.serialize(self.activity_regularizer)
                if self.activity_regularizer is not None
                else None,
                "kernel_constraint": constraints.serialize(self.kernel_constraint)
                if self.kernel_constraint is not None
                else None,
                "bias_constraint": constraints.serialize(self.bias_constraint)
                if self.bias_constraint is not None
                else None,
                "seed": self.seed,
            }
        )
        if self._softmax_robust_masking:
            # Written only when set: Keras 3 has no such argument.
            config["softmax_robust_masking"] = True
        return config

    @classmethod
    def from_config(cls, config: dict):
        """Creates the layer from its config; also reads Keras 2 configs.

        A Keras 2 config holds the `query_shape`, `value_shape` and `key_shape` the layer
        was built with (None before the first call); when all are known the layer is built
        for them, so that saved weights can be loaded into it.
        """
        config = dict(config)
        shapes = [config.pop(key, None) for key in ("query_shape", "value_shape", "key_shape")]
        layer = cls(**config)
        if all(shape is not None for shape in shapes):
            query_shape, value_shape, key_shape = (_as_shape(shape) for shape in shapes)
            layer.build(query_shape, value_shape, key_shape)
        return layer


# Keras 2's positional order after (query, value, key); Keras 3 put the three input masks
# first (query_mask, value_mask, key_mask, attention_mask, ...).
_KERAS2_POSITIONAL = ("attention_mask", "return_attention_scores", "training", "use_causal_mask")


def _keras2_positional(layer, args: tuple, kwargs: dict) -> tuple[tuple, dict]:
    """Maps positional arguments after the key to Keras 2's names when they are Keras 2's.

    tf.keras 2 code calls `mha(query, value, key, attention_mask)` (tf-models'
    MobileBertTransformer); Keras 3 reads the fourth argument as `query_mask`. A fourth
    argument of the query's rank (an attention mask `(B, T, S)`) or a boolean fifth one
    (`return_attention_scores`) is Keras 2's order; a query-mask-shaped fourth one
    (`(B, T)`) or a tensor fifth one keeps Keras 3's.
    """
    query, fourth = args[0], args[3]
    fifth = args[4] if len(args) > 4 else None
    if fourth is not None:
        rank = len(getattr(fourth, "shape", ()))
        keras2 = rank != len(getattr(query, "shape", ())) - 1
    else:
        keras2 = isinstance(fifth, bool)
    if not keras2:
        return args, kwargs
    extra = dict(zip(_KERAS2_POSITIONAL, args[3:]))
    if len(args) > 3 + len(_KERAS2_POSITIONAL):
        raise TypeError(
            f"{where(layer)}: too many positional arguments ({len(args)}); MultiHeadAttention "
            "takes query, value, key, attention_mask, return_attention_scores, training, "
            "use_causal_mask."
        )
    for name in extra:
        if name in kwargs:
            raise TypeError(f"{where(layer)}: got multiple values for argument '{name}'.")
    return args[:3], {**kwargs, **extra}


def _call_inputs(query, value, key, query_mask, value_mask, key_mask):
    """(value, key, key_given, (query_mask, value_mask, key_mask)) as an attention call uses them.

    The Keras masks are read first (a dtype cast makes new tensors without them); the
    key defaults to the value, and both take the query's float dtype.
    """
    if query_mask is None:
        query_mask = getattr(query, "_keras_mask", None)
    if value_mask is None:
        value_mask = getattr(value, "_keras_mask", None)
    if key_mask is None and key is not None and key is not value:
        key_mask = getattr(key, "_keras_mask", None)
    if not isinstance(value, torch.Tensor):
        value = convert_to_tensor(value)
    key_given = key is not None
    if key is None:
        key = value
    elif not isinstance(key, torch.Tensor):
        key = convert_to_tensor(key)
    dtype = query.dtype
    if value.dtype != dtype and value.is_floating_point():
        value = value.to(dtype)
    if key.dtype != dtype and key.is_floating_point():
        key = key.to(dtype)
    return value, key, key_given, (query_mask, value_mask, key_mask)
