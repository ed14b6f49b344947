"""`keras.layers.Dense`: `activation(inputs @ kernel + bias)` on the last axis."""

from __future__ import annotations

import torch

from tork._backend.errors import not_implemented
from tork.keras import activations, constraints, initializers, regularizers
from tork.keras.layers._call_context import where
from tork.keras.layers._constant_softmax import warn_if_constant_softmax
from tork.keras.layers.core import _lora
from tork.keras.layers.input_spec import InputSpec
from tork.keras.layers.layer import Layer


class Dense(Layer):
    """A densely connected layer: `activation(dot(inputs, kernel) + bias)`.

    Works on inputs of any rank >= 2, applying to the last axis. The kernel has
    Keras's layout `(input_dim, units)`.

    Args:
        units: size of the output's last axis.
        activation: activation name or function; None means linear.
        use_bias: whether to add a bias vector.
        kernel_initializer: initializer of the kernel (default glorot_uniform).
        bias_initializer: initializer of the bias (default zeros).
        kernel_regularizer: optional regularizer of the kernel.
        bias_regularizer: optional regularizer of the bias.
        activity_regularizer: optional regularizer of the output.
        kernel_constraint: optional constraint of the kernel.
        bias_constraint: optional constraint of the bias.
        lora_rank: optional rank of a LoRA update: the layer is built with
            `enable_lora(lora_rank)` (Keras 3).
        lora_alpha: optional LoRA scale numerator (default `lora_rank`); see
            `enable_lora`.

    Example:
    >>> layer = keras.layers.Dense(4, activation="relu")
    >>> layer(tf.ones((2, 3))).shape
    torch.Size([2, 4])
    """

    # Class-level defaults (Keras 3's attributes): an instance sets them only when it uses
    # LoRA, so Keras 2 subclasses with their own `lora_rank` keep it (see `_lora.init`).
    lora_rank = None
    lora_alpha = None
    lora_enabled = False

    def __init__(
        self,
        units: int,
        activation=None,
        use_bias: bool = True,
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
        # Keras 3.14+ writes `quantization_config: None` into every Dense config.
        _check_quantization_config(kwargs.pop("quantization_config", None))
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if isinstance(units, float) and not isinstance(units, bool) and units >= 1:
            # Keras 2 truncates a float (`Dense(n * 0.5)` in layer-size searches) to an int.
            units = int(units)
        if isinstance(units, str) and units.strip().isdigit():
            # Keras 2 applies int() to units: the Coursera object-localization lab
            # writes Dense(units='4').
            units = int(units)
        if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
            if hasattr(units, "__index__") and int(units) > 0:
                units = int(units)
            else:
                raise ValueError(
                    f"Dense(units=...) must be a positive integer, got {units!r}. "
                    "Example: Dense(64)."
                )
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(min_ndim=2)
        self.supports_masking = True
        _lora.init(self, lora_rank, lora_alpha)
        warn_if_constant_softmax(self, units, "Dense(1, activation='sigmoid')")

    @property
    def _linear(self) -> bool:
        # Read at call time, not cached: Grad-CAM code sets `layer.activation = None` on a
        # built layer (Keras then skips the activation), and a new activation must apply.
        return self.activation is None or self.activation is activations.linear

    def build(self, input_shape) -> None:
        in_dim = input_shape[-1]
        if in_dim is None:
            raise ValueError(
                f"{where(self)}: the last dimension of the input must be known to build the "
                f"kernel, but the input shape is {tuple(input_shape)}."
            )
        self.kernel = self.add_weight(
            name="kernel",
            shape=(in_dim, self.units),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        # Keras's (input_dim, units) shape over torch's (units, input_dim) storage, as
        # nn.Linear keeps its weight: MKL runs the products faster this way round (a
        # compiled mnist_mlp step 7%, predict 2-4%), and autograd gives the gradient (and
        # the optimizer's slots) the same layout.
        # (Not an inference tensor when the first call runs under torch.inference_mode.)
        with torch.no_grad(), torch.inference_mode(False):
            self.kernel.data = self.kernel.detach().t().contiguous().t()
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias",
                shape=(self.units,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        else:
            self.bias = None
        self.input_spec = InputSpec(min_ndim=2, axes={-1: in_dim})
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
            a_initializer: initializer of `lora_kernel_a`, shape `(input_dim, rank)`.
            b_initializer: initializer of `lora_kernel_b`, shape `(rank, units)`.

        Raises:
            ValueError: if the layer is not built, has a `kernel_constraint`, or has
                LoRA enabled already.

        Example:
        >>> layer = keras.layers.Dense(4)
        >>> layer.build((None, 8))
        >>> layer.enable_lora(2)
        >>> [w.name for w in layer.trainable_weights]
        ['bias:0', 'lora_kernel_a:0', 'lora_kernel_b:0']
        """
        _lora.enable_lora(self, rank, lora_alpha, a_initializer, b_initializer)

    def call(self, inputs):
        if not isinstance(inputs, torch.Tensor):
            return self._tork_call_sparse(inputs)
        if not inputs.is_floating_point():
            inputs = inputs.to(self.kernel.dtype)
        kernel, bias = self.kernel, self.bias
        if kernel.dtype != inputs.dtype:
            # Mixed precision: float32 weights are used in the compute dtype (Keras autocast).
            kernel = kernel.to(inputs.dtype)
            bias = None if bias is None else bias.to(inputs.dtype)
        # One fused op where possible: addmm for 2-D input (no transposed view needed).
        if inputs.ndim == 2:
            outputs = torch.addmm(bias, inputs, kernel) if bias is not None else inputs @ kernel
        else:
            outputs = torch.matmul(inputs, kernel)
            if bias is not None:
                outputs = outputs + bias
        if self._linear:
            return outputs
        return self.activation(outputs)

    def _tork_call_sparse(self, inputs):
        """A `tf.SparseTensor` input (`keras.Input(sparse=True)`), as Keras 2: a rank-2 one is
        multiplied without densifying; higher ranks are densified first. A `tf.RaggedTensor`
        (e.g. `(batch, None, features)`) is transformed value by value, as Keras 2."""
        from tork._backend.ragged_tensor import RaggedTensor
        from tork._backend.sparse_tensor import SparseTensor
        from tork.ops import sparse as tf_sparse

        if isinstance(inputs, RaggedTensor):
            if inputs.flat_values.dim() < 2:
                raise ValueError(
                    f"{where(self)} needs the last dimension of a RaggedTensor input to be "
                    f"uniform (e.g. shape (batch, None, features)), got shape {inputs.shape}."
                )
            return inputs.with_flat_values(self.call(inputs.flat_values))
        if not isinstance(inputs, SparseTensor):
            raise TypeError(
                f"{where(self)} takes a tensor, a tf.SparseTensor or a tf.RaggedTensor, got "
                f"{type(inputs).__name__}."
            )
        kernel, bias = self.kernel, self.bias
        values = inputs.values
        if not values.is_floating_point():
            inputs = inputs.with_values(values.to(kernel.dtype))
        if inputs.shape.rank == 2:
            outputs = tf_sparse.sparse_dense_matmul(inputs, kernel.to(inputs.dtype))
            if bias is not None:
                outputs = outputs + bias.to(outputs.dtype)
            return outputs if self._linear else self.activation(outputs)
        return self.call(tf_sparse.to_dense(inputs))

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)[:-1] + (self.units,)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "units": self.units,
                "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias,
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
            }
        )
        config.update(_lora.config(self))
        return config


def _check_quantization_config(config) -> None:
    """Accepts Keras 3's `quantization_config` when it is None (unquantized)."""
    if config is not None:
        raise not_implemented("keras.layers.Dense(quantization_config=...)")
