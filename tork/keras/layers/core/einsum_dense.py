"""`keras.layers.EinsumDense`: a dense layer whose contraction is an einsum equation."""

from __future__ import annotations

import math
import re

import torch

from tork._backend.errors import not_implemented
from tork._backend.tensor import convert_to_tensor
from tork.keras import activations, constraints, initializers, regularizers
from tork.keras.layers._call_context import where
from tork.keras.layers.core import _lora
from tork.keras.layers.input_spec import InputSpec
from tork.keras.layers.layer import Layer

_PLAIN = re.compile(r"([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)")
_LEFT_ELIDED = re.compile(r"\.\.\.([a-zA-Z]+),([a-zA-Z]+)->\.\.\.([a-zA-Z]+)")
_RIGHT_ELIDED = re.compile(r"([a-zA-Z]{2,})\.\.\.,([a-zA-Z]+)->([a-zA-Z]{2,})\.\.\.")


def _parse_equation(equation: str):
    """(input_spec, weight_spec, output_spec, left_elided) of a supported equation."""
    equation = equation.replace(" ", "") if isinstance(equation, str) else equation
    for pattern, left in ((_PLAIN, False), (_LEFT_ELIDED, True), (_RIGHT_ELIDED, False)):
        match = pattern.fullmatch(equation) if isinstance(equation, str) else None
        if match:
            return (*match.groups(), left)
    raise ValueError(
        f"Invalid einsum equation {equation!r}. Equations must be in the form "
        "[X],[Y]->[Z], ...[X],[Y]->...[Z], or [X]...,[Y]->[Z]..., e.g. 'ab,bc->ac' or "
        "'...b,bc->...c'."
    )


def _analyze_einsum(equation: str, bias_axes, input_shape, output_shape):
    """Keras's (kernel_shape, bias_shape, full_output_shape) for an input shape."""
    input_spec, weight_spec, output_spec, left_elided = _parse_equation(equation)
    input_shape = list(input_shape)
    elided = len(input_shape) - len(input_spec)
    if elided < 0 or (elided > 0 and "..." not in equation):
        raise ValueError(
            f"EinsumDense equation {equation!r} expects inputs of rank {len(input_spec)}, but "
            f"the input shape is {tuple(input_shape)} (rank {len(input_shape)})."
        )
    full = [output_shape] if isinstance(output_shape, int) else list(output_shape)
    n_spec = len(output_spec) - 1  # entries the output spec needs (no batch axis)
    if elided > 0 and not left_elided and n_spec < len(full) <= n_spec + elided:
        # 'ab...,bc->ac...' with output_shape=(5, None): the user also listed (some of) the
        # elided trailing axes. Keras 2 takes the spec's entries and the input's elided
        # sizes; the listed ones must be None or those sizes.
        tail = input_shape[len(input_shape) - elided :]
        for given, size in zip(full[n_spec:], tail):
            if given is not None and size is not None and given != size:
                raise ValueError(
                    f"EinsumDense: output_shape {output_shape!r} gives {given} for an axis "
                    f"covered by '...' in equation {equation!r}, but that input axis has size "
                    f"{size}. Use None (or omit the '...' axes) in output_shape."
                )
        full = full[:n_spec]
    full.insert(0, input_shape[0])
    if elided > 0 and left_elided:
        # The elided axes keep their input order (Keras's insert loop reverses them).
        full[1:1] = input_shape[1:elided]
    elif elided > 0:
        full.extend(input_shape[len(input_shape) - elided :])
    if len(full) != len(output_spec) + max(elided, 0):
        raise ValueError(
            f"EinsumDense: output_shape {output_shape!r} does not fit the output spec "
            f"{output_spec!r} of equation {equation!r}: give one entry per output axis except "
            "the first (batch) one."
        )
    if left_elided:
        in_map = {d: i + elided - len(input_shape) for i, d in enumerate(input_spec)}
        out_map = {d: i + elided - len(full) for i, d in enumerate(output_spec)}
    else:
        in_map = {d: i for i, d in enumerate(input_spec)}
        out_map = {d: i for i, d in enumerate(output_spec)}
    for dim in input_spec:
        if dim in out_map:
            in_size, out_size = input_shape[in_map[dim]], full[out_map[dim]]
            if out_size is not None and in_size is not None and out_size != in_size:
                raise ValueError(
                    f"EinsumDense: input shape and output shape do not match at shared "
                    f"dimension '{dim}'. Input shape is {in_size}, and output shape is "
                    f"{out_size}."
                )
    for dim in output_spec:
        if dim not in input_spec and dim not in weight_spec:
            raise ValueError(
                f"EinsumDense: dimension '{dim}' was specified in the output {output_spec!r} but "
                f"has no corresponding dim in the input spec {input_spec!r} or weight spec "
                f"{weight_spec!r}."
            )
    kernel_shape = []
    for dim in weight_spec:
        if dim in in_map:
            kernel_shape.append(input_shape[in_map[dim]])
        elif dim in out_map:
            kernel_shape.append(full[out_map[dim]])
        else:
            raise ValueError(
                f"EinsumDense: weight dimension '{dim}' did not have a match in either the input "
                f"spec {input_spec!r} or the output spec {output_spec!r}. For this layer, the "
                "weight must be fully specified."
            )
    bias_shape = None
    if bias_axes is not None:
        for char in bias_axes:
            if char not in output_spec:
                raise ValueError(
                    f"EinsumDense: bias dimension '{char}' was requested, but is not part of the "
                    f"output spec {output_spec!r}."
                )
        first = min(output_spec.find(char) for char in bias_axes)
        sizes = {char: full[out_map[char]] for char in output_spec}
        bias_shape = [sizes[c] if c in bias_axes else 1 for c in output_spec[first:]]
        if not left_elided:
            bias_shape.extend([1] * max(elided, 0))
    input_axes = [i for i, d in enumerate(weight_spec) if d in input_spec]
    # A None output size shared with the input is the input's size.
    for dim in output_spec:
        if dim in in_map and full[out_map[dim]] is None:
            full[out_map[dim]] = input_shape[in_map[dim]]
    return kernel_shape, bias_shape, full, input_axes


class _SplitFanInitializer:
    """Draws the kernel as a 2-D (input axes, output axes) matrix, then lays it out.

    Keras 3 gives EinsumDense kernels the fans of that matrix (e.g. `(d, H * kd)`
    for a `(d, H, kd)` kernel) rather than the plain rank-3 rule.
    """

    def __init__(self, initializer, input_axes: list):
        self.initializer = initializer
        self.input_axes = list(input_axes)

    def __call__(self, shape, dtype=None, **kwargs):
        shape = tuple(int(d) for d in shape)
        output_axes = [i for i in range(len(shape)) if i not in self.input_axes]
        order = self.input_axes + output_axes
        n_in = math.prod(shape[i] for i in self.input_axes)
        n_out = math.prod(shape[i] for i in output_axes)
        flat = convert_to_tensor(self.initializer((n_in, n_out), dtype=dtype), dtype=dtype)
        laid = flat.reshape([shape[i] for i in order])
        inverse = sorted(range(len(order)), key=order.__getitem__)
        return laid.permute(inverse).contiguous()


class EinsumDense(Layer):
    """A layer that uses `einsum` as the backing computation.

    The kernel's shape follows from the equation, the input shape and
    `output_shape`: each kernel axis takes the size of the input or output axis
    with the same letter. The bias covers the output axes named in `bias_axes`.

    Args:
        equation: the einsum equation, `input,kernel->output`, e.g. `"ab,bc->ac"`.
            The input and output may be elided on the left (`"...b,bc->...c"`) or
            on the right (`"ab...,bc->ac..."`).
        output_shape: the output shape without the batch axis (an int for one
            axis). `None` entries are taken from the input.
        activation: activation name or function; None means linear.
        bias_axes: letters of the output axes that get a bias, or None for no bias.
        kernel_initializer: initializer of the kernel (default glorot_uniform).
        bias_initializer: initializer of the bias (default zeros).
        kernel_regularizer: optional regularizer of the kernel.
        bias_regularizer: optional regularizer of the bias.
        activity_regularizer: optional regularizer of the output.
        kernel_constraint: optional constraint of the kernel.
        bias_constraint: optional constraint of the bias.
        lora_rank: optional rank of a LoRA update: the layer is built with
            `enable_lora(lora_rank)` (Keras 3).
        lora_alpha: optional LoRA scale numerator; the update is scaled by
            `lora_alpha / lora_rank` (default `lora_rank`, i.e. 1).

    Example:
    >>> layer = keras.layers.EinsumDense("abc,cd->abd", output_shape=(None, 64), bias_axes="d")
    >>> layer(tf.ones((2, 32, 128))).shape
    torch.Size([2, 32, 64])
    """

    # Class-level defaults (Keras 3's attributes): an instance sets them only when it uses
    # LoRA, so Keras 2 subclasses with their own `lora_rank` keep it (see `_lora.init`).
    lora_rank = None
    lora_alpha = None
    lora_enabled = False

    def __init__(
        self,
        equation: str,
        output_shape,
        activation=None,
        bias_axes: str | None = None,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        lora_rank: int | None = None,
        lora_alpha: float | None = None,
        **kwargs,
    ):
        # Keras 3.14+ writes `quantization_config: None` into every EinsumDense config.
        _check_quantization_config(kwargs.pop("quantization_config", None))
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        _parse_equation(equation)
        self.equation = equation
        if isinstance(output_shape, int):
            self.partial_output_shape = (output_shape,)
        elif not isinstance(output_shape, (list, tuple)):
            raise ValueError(
                "EinsumDense(output_shape=...) must be an int or a tuple of ints and Nones (the "
                f"output shape without the batch axis), got {output_shape!r}."
            )
        else:
            self.partial_output_shape = tuple(None if d is None else int(d) for d in output_shape)
        self.bias_axes = bias_axes
        self.activation = activations.get(activation)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        _lora.init(self, lora_rank, lora_alpha)
        self.full_output_shape = None

    def build(self, input_shape) -> None:
        input_shape = tuple(input_shape)
        kernel_shape, bias_shape, full, input_axes = _analyze_einsum(
            self.equation, self.bias_axes, input_shape, self.partial_output_shape
        )
        if any(d is None for d in kernel_shape) or (
            bias_shape is not None and any(d is None for d in bias_shape)
        ):
            raise ValueError(
                f"{where(self)}: cannot build the weights of equation {self.equation!r}: the "
                f"kernel shape {tuple(kernel_shape)} has unknown dimensions for input shape "
                f"{input_shape} and output_shape {self.partial_output_shape}. Give those sizes "
                "in output_shape or in the input shape."
            )
        self.full_output_shape = tuple(full)
        self.kernel = self.add_weight(
            name="kernel",
            shape=tuple(kernel_shape),
            initializer=_SplitFanInitializer(self.kernel_initializer, input_axes),
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        if bias_shape is not None:
            self.bias = self.add_weight(
                name="bias",
                shape=tuple(bias_shape),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        else:
            self.bias = None
        self.input_spec = InputSpec(ndim=len(input_shape))
        self.built = True
        _lora.build(self)

    def enable_lora(
        self,
        rank: int,
        lora_alpha: float | None = None,
        a_initializer="he_uniform",
        b_initializer="zeros",
    ) -> None:
        """Freezes the kernel and adds a trainable low-rank update to it (LoRA, Keras 3).

        The layer then computes with `kernel + (lora_alpha / rank) * lora_kernel_a @
        lora_kernel_b`, which `layer.kernel` returns (`layer._kernel` is the frozen
        variable). Saving writes that merged kernel; loading zeroes the LoRA weights.

        Args:
            rank: the rank of the update.
            lora_alpha: scale numerator (the update is scaled by `lora_alpha / rank`);
                default `rank`.
            a_initializer: initializer of `lora_kernel_a` (shape `kernel.shape[:-1] + (rank,)`).
            b_initializer: initializer of `lora_kernel_b` (shape `(rank, kernel.shape[-1])`).

        Raises:
            ValueError: if the layer is not built, has a `kernel_constraint`, or has
                LoRA enabled already.
        """
        _lora.enable_lora(self, rank, lora_alpha, a_initializer, b_initializer)

    def call(self, inputs):
        if not inputs.is_floating_point():
            inputs = inputs.to(self.kernel.dtype)
        kernel, bias = self.kernel, self.bias
        if kernel.dtype != inputs.dtype:
            # Mixed precision: float32 weights are used in the compute dtype (Keras autocast).
            kernel = kernel.to(inputs.dtype)
            bias = None if bias is None else bias.to(inputs.dtype)
        try:
            outputs = torch.einsum(self.equation, inputs, kernel)
        except RuntimeError:
            # torch's einsum error names subscripts only: say which layer and which shapes.
            raise ValueError(
                f"EinsumDense layer '{self.name}': input of shape {tuple(inputs.shape)} does "
                f"not fit its kernel of shape {tuple(kernel.shape)} for equation "
                f"'{self.equation}'. A built layer keeps the input sizes it was built with: "
                "pass inputs of those sizes, or create a new layer for the new shape."
            ) from None
        if bias is not None:
            outputs = outputs + bias
        # `activation` may be set to None on a built layer (Keras skips it then).
        if self.activation is not None and self.activation is not activations.linear:
            outputs = self.activation(outputs)
        return outputs

    def compute_output_shape(self, input_shape):
        _, _, full, _ = _analyze_einsum(
            self.equation, None, tuple(input_shape), self.partial_output_shape
        )
        return tuple(full)

    def get_config(self) -> dict:
        config = super().get_config()

        def ser(module, value):
            return None if value is None else module.serialize(value)

        config.update(
            {
                "output_shape": list(self.partial_output_shape),
                "equation": self.equation,
                "activation": activations.serialize(self.activation),
                "bias_axes": self.bias_axes,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": ser(regularizers, self.kernel_regularizer),
                "bias_regularizer": ser(regularizers, self.bias_regularizer),
                "activity_regularizer": ser(regularizers, self.activity_regularizer),
                "kernel_constraint": ser(constraints, self.kernel_constraint),
                "bias_constraint": ser(constraints, self.bias_constraint),
            }
        )
        config.update(_lora.config(self))
        return config


def _check_quantization_config(config) -> None:
    """Accepts Keras 3's `quantization_config` when it is None (unquantized)."""
    if config is not None:
        raise not_implemented("keras.layers.EinsumDense(quantization_config=...)")
