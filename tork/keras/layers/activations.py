"""Activation layers: ReLU, LeakyReLU, PReLU, ELU, Softmax, ThresholdedReLU."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from tork._backend.errors import InvalidArgumentError
from tork.keras import activations, constraints, initializers, regularizers
from tork.keras.activations import _is_ragged, _keep_logits
from tork.keras.layers._call_context import where
from tork.keras.layers.layer import Layer


class ReLU(Layer):
    """Rectified linear unit with optional cap, negative slope and threshold.

    `f(x) = max_value` if `x >= max_value`; `x` if `threshold < x < max_value`;
    `negative_slope * (x - threshold)` otherwise (so `f(threshold) = 0`, as in
    tf.keras 2).

    Args:
        max_value: upper cap (None for no cap), a float >= 0.
        negative_slope: slope below the threshold (default 0), a float >= 0.
        threshold: the threshold (default 0), a float >= 0.

    Example:
    >>> keras.layers.ReLU(max_value=6.0)(tf.constant([-1.0, 3.0, 9.0]))
    tensor([0., 3., 6.])
    """

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        if max_value is not None and max_value < 0:
            raise ValueError(f"ReLU max_value must be >= 0 or None, got {max_value}.")
        if negative_slope is None or negative_slope < 0:
            raise ValueError(f"ReLU negative_slope must be >= 0, got {negative_slope}.")
        if threshold is None or threshold < 0:
            raise ValueError(
                "threshold of a ReLU layer cannot be a negative value. Received: "
                f"{threshold}. Use a threshold >= 0 (shift the input for a negative one)."
            )
        self.max_value = max_value
        self.negative_slope = float(negative_slope)
        self.threshold = float(threshold)
        self.supports_masking = True

    def call(self, inputs):
        if not isinstance(inputs, torch.Tensor) and _is_ragged(inputs):
            # tf.keras applies it value by value to a RaggedTensor.
            return inputs.with_flat_values(self.call(inputs.flat_values))
        slope, threshold, max_value = self.negative_slope, self.threshold, self.max_value
        if not (inputs.is_floating_point() or inputs.is_complex()):
            # tf.keras 2 casts the constants to an integer input's dtype (truncating), so
            # `ReLU(max_value=100.0, dtype="int64")` keeps int64 rather than giving floats.
            slope, threshold = int(slope), int(threshold)
            max_value = None if max_value is None else int(max_value)
        if inputs.is_floating_point():
            # tf.keras 2's backend.relu, whose gradients at the kinks differ from a select.
            return activations.relu(
                inputs, negative_slope=slope, max_value=max_value, threshold=threshold
            )
        if slope == 0 and threshold == 0:
            out = F.relu(inputs)
        else:
            # Strictly above the threshold keeps x: at x == threshold tf.keras 2 gives 0.
            out = torch.where(inputs > threshold, inputs, slope * (inputs - threshold))
        if max_value is not None:
            out = torch.clamp(out, max=max_value)
        return out

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "max_value": self.max_value,
                "negative_slope": self.negative_slope,
                "threshold": self.threshold,
            }
        )
        return config


class LeakyReLU(Layer):
    """Leaky ReLU: `x` for `x >= 0`, `negative_slope * x` otherwise.

    Args:
        negative_slope: slope for negative inputs (Keras 3 default 0.3); Keras 2's
            name `alpha` is accepted too.

    Example:
    >>> keras.layers.LeakyReLU(negative_slope=0.5)(tf.constant([-2.0, 2.0]))
    tensor([-1.,  2.])
    """

    def __init__(self, negative_slope=0.3, **kwargs):
        if "alpha" in kwargs:
            negative_slope = kwargs.pop("alpha")
        super().__init__(**kwargs)
        self.negative_slope = float(negative_slope)
        self.supports_masking = True

    def call(self, inputs):
        if not isinstance(inputs, torch.Tensor) and _is_ragged(inputs):
            # tf.keras applies it value by value to a RaggedTensor.
            return inputs.with_flat_values(self.call(inputs.flat_values))
        return F.leaky_relu(inputs, self.negative_slope)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        config = super().get_config()
        # tf.keras 2's key (Keras 3 reads it too; tf.keras 2 refuses `negative_slope`).
        config["alpha"] = self.negative_slope
        return config


class PReLU(Layer):
    """Parametric ReLU: `x` for `x >= 0`, `alpha * x` otherwise, with a learned `alpha`.

    Args:
        alpha_initializer: initializer of `alpha` (default zeros).
        alpha_regularizer: optional regularizer of `alpha`.
        alpha_constraint: optional constraint of `alpha`.
        shared_axes: axes (1-based, batch excluded) along which `alpha` is shared.

    Example:
    >>> keras.layers.PReLU()(tf.ones((2, 3))).shape
    torch.Size([2, 3])
    """

    def __init__(
        self,
        alpha_initializer="zeros",
        alpha_regularizer=None,
        alpha_constraint=None,
        shared_axes=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = constraints.get(alpha_constraint)
        if shared_axes is not None and not isinstance(shared_axes, (list, tuple)):
            shared_axes = [shared_axes]
        self.shared_axes = list(shared_axes) if shared_axes is not None else None
        self.supports_masking = True

    def build(self, input_shape) -> None:
        shape = list(input_shape[1:])
        for axis in self.shared_axes or []:
            shape[axis - 1] = 1
        self.alpha = self.add_weight(
            name="alpha",
            shape=tuple(shape),
            initializer=self.alpha_initializer,
            regularizer=self.alpha_regularizer,
            constraint=self.alpha_constraint,
        )

    def call(self, inputs):
        # Keras's `relu(x) - alpha * relu(-x)`: at x = 0 the input's gradient is 0 (a
        # select would give 1 or alpha).
        alpha = self.alpha
        if alpha.dtype != inputs.dtype and inputs.is_floating_point():
            # Mixed precision: the float32 alpha is used in the compute dtype (Keras
            # autocast), so the output keeps float16/bfloat16.
            alpha = alpha.to(inputs.dtype)
        return torch.relu(inputs) - alpha * torch.relu(-inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "alpha_initializer": initializers.serialize(self.alpha_initializer),
                "alpha_regularizer": regularizers.serialize(self.alpha_regularizer)
                if self.alpha_regularizer is not None
                else None,
                "alpha_constraint": constraints.serialize(self.alpha_constraint)
                if self.alpha_constraint is not None
                else None,
                "shared_axes": self.shared_axes,
            }
        )
        return config


class ELU(Layer):
    """Exponential linear unit: `x` for `x > 0`, `alpha * (exp(x) - 1)` otherwise.

    Args:
        alpha: scale of the negative part (default 1.0).

    Example:
    >>> keras.layers.ELU()(tf.constant([0.0, 1.0])).tolist()
    [0.0, 1.0]
    """

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = float(alpha)
        self.supports_masking = True

    def call(self, inputs):
        return F.elu(inputs, self.alpha)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        config = super().get_config()
        config["alpha"] = self.alpha
        return config


class Softmax(Layer):
    """Softmax over `axis`; a boolean `mask` (True = keep) excludes positions.

    Args:
        axis: the axis (or axes) to normalize over (default -1).

    Example:
    >>> keras.layers.Softmax()(tf.constant([[0.0, 0.0]])).tolist()
    [[0.5, 0.5]]
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.supports_masking = True

    def call(self, inputs, mask=None):
        if not isinstance(inputs, torch.Tensor) and _is_ragged(inputs):
            return self._call_ragged(inputs, mask)
        if mask is not None:
            # As Keras: masked positions get a large negative logit before the softmax.
            mask = torch.as_tensor(mask, device=inputs.device)  # also a NumPy or list mask
            inputs = inputs + (1.0 - mask.to(inputs.dtype)) * -1e9
        try:
            if isinstance(self.axis, (list, tuple)) and len(self.axis) > 1:
                return torch.exp(
                    inputs - torch.logsumexp(inputs, dim=tuple(self.axis), keepdim=True)
                )
            axis = self.axis[0] if isinstance(self.axis, (list, tuple)) else self.axis
            # tf.keras's layer keeps its (masked) input as the output's logits, as the
            # softmax activation does: a crossentropy then uses them, so `Softmax()` as the
            # last layer with `from_logits=True` trains on the logits (with a warning)
            # instead of applying softmax twice.
            return _keep_logits(torch.softmax(inputs, dim=axis), inputs, "softmax")
        except IndexError as error:
            # torch's "Dimension out of range": say which layer, axis and shape (TF raises
            # InvalidArgumentError here).
            rank = inputs.dim()
            raise InvalidArgumentError(
                f"{where(self)}: axis={self.axis!r} is out of range for an input of rank {rank} "
                f"(shape {tuple(inputs.shape)}); valid axes are {-rank}..{rank - 1}. Pass "
                "axis=-1 to normalize over the last axis."
            ) from error

    def compute_mask(self, inputs, mask=None):
        # Keras 2 gives the output the mask the layer got, also one passed as `mask=`
        # (the base class only passes on the inputs' own masks).
        return mask

    def _call_ragged(self, inputs, mask):
        # tf.keras normalizes each row of a RaggedTensor over its own values.
        from tork._backend import ragged_tensor

        if mask is not None:
            flat = inputs.flat_values
            if _is_ragged(mask):
                mask = mask.flat_values
            mask = torch.as_tensor(mask, device=flat.device)
            if mask.shape != flat.shape:
                raise ValueError(
                    f"{where(self)}: a mask of a RaggedTensor must have its row lengths "
                    f"(a RaggedTensor like the input, or its flat values); got a mask of "
                    f"{int(mask.numel())} values for an input of {int(flat.numel())}."
                )
            inputs = inputs.with_flat_values(flat + (1.0 - mask.to(flat.dtype)) * -1e9)
        return ragged_tensor.softmax(inputs, self.axis)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        config = super().get_config()
        config["axis"] = self.axis
        return config


class ThresholdedReLU(Layer):
    """Thresholded ReLU (tf.keras 2): `x` where `x > theta`, 0 elsewhere.

    Args:
        theta: the threshold, a float >= 0 (default 1.0).

    Example:
    >>> keras.layers.ThresholdedReLU(theta=1.0)(tf.constant([0.5, 1.0, 2.0])).tolist()
    [0.0, 0.0, 2.0]
    """

    def __init__(self, theta=1.0, **kwargs):
        super().__init__(**kwargs)
        if theta is None:
            raise ValueError(
                "Theta of a Thresholded ReLU layer cannot be None, expecting a float. "
                f"Received: {theta}"
            )
        if theta < 0:
            raise ValueError(
                f"The theta value of a Thresholded ReLU layer should be >=0. Received: {theta}"
            )
        self.theta = float(theta)
        self.supports_masking = True

    def call(self, inputs):
        # A product rather than a select, as Keras 2: NaN and inf inputs give what it gives.
        return inputs * (inputs > self.theta).to(inputs.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        config = super().get_config()
        config["theta"] = self.theta
        return config
