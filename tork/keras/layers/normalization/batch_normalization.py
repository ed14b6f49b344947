"""`keras.layers.BatchNormalization`: batch statistics in training, moving statistics at inference."""

from __future__ import annotations

import math
import numbers

import torch
import torch.nn.functional as F

from tork._backend.errors import not_implemented
from tork.keras import initializers
from tork.keras.layers._call_context import CONTEXT, where
from tork.keras.layers.input_spec import InputSpec
from tork.keras.layers.layer import Layer
from tork.keras.layers.normalization._common import (
    check_axis_argument,
    compute_input,
    known_sizes,
    resolve_axes,
    set_weight_arguments,
    weight_configs,
)

# Keras adds its fuzz factor to the weight sum of masked moments (avoids 0/0 when all is masked).
_MASK_EPSILON = 1e-7

# Channel layouts of the tensor handed to torch's fused kernel.
_ROWS = 0  # channels last: a (rows, C) view
_CHANNELS_FIRST = 1  # channels at axis 1: the input as is
_PERMUTED = 2  # anything else: permute the channel axes last, then (rows, C)


def _check_number(value, name: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not low <= value <= high:
        raise ValueError(
            f"BatchNormalization({name}=...) must be a float in [{low:g}, {high:g}], got {value!r}."
        )
    return float(value)


class BatchNormalization(Layer):
    """Normalizes its inputs with batch statistics in training, moving statistics otherwise.

    In training (`training=True`, as in `fit`) the output is
    `gamma * (x - mean(x)) / sqrt(var(x) + epsilon) + beta`, with the mean and
    the (biased) variance of the current batch taken per channel over every
    axis except `axis`, and the moving statistics are updated:
    `moving = moving * momentum + batch * (1 - momentum)`. At inference
    (`training=False` or None, as in `predict` or a plain `model(x)`) the
    moving statistics replace the batch ones.

    The variance fed to the moving update follows tf.keras 2: the biased batch
    variance for inputs of rank 2 and 3 (and with a mask), the unbiased one
    (`var * n / (n - 1)`, n values per channel) for inputs of rank 4 and 5
    normalized over axis 1 or the last axis, where tf.keras 2 uses its fused
    kernel. The normalization itself always uses the biased variance.

    Setting `layer.trainable = False` freezes the layer: it then runs in
    inference mode even when called with `training=True`, and its moving
    statistics stay unchanged (Keras >= 2.1 behaviour, for fine-tuning).

    Args:
        axis: the channels axis (or a list of axes) to keep; statistics are
            taken over all the others. -1 for channels-last data, 1 for
            channels-first.
        momentum: momentum of the moving statistics.
        epsilon: small float added to the variance.
        center: whether to add the learned offset `beta`.
        scale: whether to multiply by the learned scale `gamma`.
        beta_initializer: initializer of `beta`.
        gamma_initializer: initializer of `gamma`.
        moving_mean_initializer: initializer of the moving mean.
        moving_variance_initializer: initializer of the moving variance.
        beta_regularizer: optional regularizer of `beta`.
        gamma_regularizer: optional regularizer of `gamma`.
        beta_constraint: optional constraint of `beta`.
        gamma_constraint: optional constraint of `gamma`.
        synchronized: accepted for compatibility; statistics are those of the
            batch each process sees (as Keras 3 on its non-TensorFlow backends).

    Call arguments:
        inputs: a tensor of any rank >= 2.
        training: True for batch statistics and moving updates.
        mask: optional boolean mask with one dimension less than `inputs`;
            masked positions do not count in the batch statistics.

    Example:
    >>> bn = keras.layers.BatchNormalization()
    >>> y = bn(tf.constant([[0.0, 1.0], [2.0, 3.0]]), training=True)
    >>> [round(v, 3) for v in y[:, 0].tolist()]
    [-1.0, 1.0]
    >>> [w.shape for w in bn.get_weights()]
    [(2,), (2,), (2,), (2,)]
    """

    def __init__(
        self,
        axis=-1,
        momentum: float = 0.99,
        epsilon: float = 1e-3,
        center: bool = True,
        scale: bool = True,
        beta_initializer="zeros",
        gamma_initializer="ones",
        moving_mean_initializer="zeros",
        moving_variance_initializer="ones",
        beta_regularizer=None,
        gamma_regularizer=None,
        beta_constraint=None,
        gamma_constraint=None,
        synchronized: bool = False,
        **kwargs,
    ):
        legacy = {k: kwargs.pop(k) for k in _K2_ONLY if k in kwargs}
        super().__init__(**kwargs)
        _check_legacy_arguments(legacy)
        self.axis = check_axis_argument(axis, "BatchNormalization")
        self.fused = _check_fused(legacy.get("fused"), self.axis, bool(synchronized))
        self.momentum = _check_number(momentum, "momentum", 0.0, 1.0)
        self.epsilon = _check_number(epsilon, "epsilon", 0.0, math.inf)
        self.center = bool(center)
        self.scale = bool(scale)
        self.synchronized = bool(synchronized)
        set_weight_arguments(
            self,
            beta_initializer,
            gamma_initializer,
            beta_regularizer,
            gamma_regularizer,
            beta_constraint,
            gamma_constraint,
        )
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.supports_masking = True

    def build(self, input_shape) -> None:
        ndim = len(input_shape)
        axes = resolve_axes(self, self.axis, input_shape)
        sizes = known_sizes(self, axes, input_shape)
        reduce_dims = tuple(i for i in range(ndim) if i not in axes)
        if not reduce_dims:
            raise ValueError(
                f"{where(self)}: axis {self.axis} keeps every axis of the input shape "
                f"{tuple(input_shape)}, which leaves none to compute batch statistics over. "
                "Normalize over the features axis only, e.g. axis=-1."
            )
        if len(axes) == 1:
            param_shape = sizes
        else:
            # tf.keras 2: several axes give weights of the input's rank, 1 on reduced axes.
            param_shape = tuple(input_shape[i] if i in axes else 1 for i in range(ndim))
        self.gamma = (
            self.add_weight(
                name="gamma",
                shape=param_shape,
                initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
                trainable=True,
            )
            if self.scale
            else None
        )
        self.beta = (
            self.add_weight(
                name="beta",
                shape=param_shape,
                initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
                trainable=True,
            )
            if self.center
            else None
        )
        self.moving_mean = self.add_weight(
            name="moving_mean",
            shape=param_shape,
            initializer=self.moving_mean_initializer,
            trainable=False,
        )
        self.moving_variance = self.add_weight(
            name="moving_variance",
            shape=param_shape,
            initializer=self.moving_variance_initializer,
            trainable=False,
        )
        self.input_spec = InputSpec(ndim=ndim, axes=dict(zip(axes, sizes)))
        self._axes = axes
        self._reduce_dims = reduce_dims
        self._channels = math.prod(sizes)
        self._broadcast_shape = tuple(input_shape[i] if i in axes else 1 for i in range(ndim))
        if axes == (ndim - 1,):
            self._layout = _ROWS
        elif axes == (1,):
            self._layout = _CHANNELS_FIRST
        else:
            self._layout = _PERMUTED
            self._perm = reduce_dims + axes
            self._inverse_perm = tuple(sorted(range(ndim), key=self._perm.__getitem__))
        # tf.keras 2's fused kernel (rank 4/5, channels first or last) feeds the unbiased variance;
        # its other path (fused=False, synchronized=True, float64, other axes) the biased one.
        fusable_axes = len(axes) == 1 and axes[0] in (1, ndim - 1)
        if self.fused and ndim not in (4, 5):
            raise ValueError(
                f"{where(self)}: fused=True supports only 4D or 5D inputs (as in tf.keras 2), "
                f"but got input shape {tuple(input_shape)}. Use fused=None (the default)."
            )
        if self.fused and ndim == 4 and not fusable_axes:
            raise ValueError(
                f"{where(self)}: fused=True supports only axis=1 or axis=3 for 4D inputs (as in "
                f"tf.keras 2), but got axis={self.axis}. Use fused=None (the default)."
            )
        self._unbiased_update = (
            self.fused is not False
            and not self.synchronized
            and self.compute_dtype in _FUSED_DTYPES
            and ndim in (4, 5)
            and fusable_axes
        )
        self.built = True

    # -- computation ----------------------------------------------------------------------------
    def call(self, inputs, training=None, mask=None):
        x = compute_input(inputs, self.moving_mean.dtype)
        if mask is not None:
            # A mask passed by hand may be a NumPy array or a list.
            mask = torch.as_tensor(mask, device=x.device)
        if mask is not None and mask.dim() != x.dim() - 1:
            raise ValueError(
                f"{where(self)}: the mask must have one dimension less than the inputs, but "
                f"got mask shape {tuple(mask.shape)} for inputs of shape {tuple(x.shape)}."
            )
        if CONTEXT.symbolic:
            # Shape inference on fake tensors (the functional API): the output has the
            # input's shape, and torch's batch_norm costs ~30 ms per call under fake tensors
            # (most of a ResNet/MobileNet's construction time).
            outputs = x.new_empty(x.shape)
        elif training and self._trainable:
            outputs = self._training_outputs(x, mask)
        else:
            outputs = self._fused(x, self.moving_mean, self.moving_variance, False, 0.0)
        if inputs.is_floating_point() and outputs.dtype != inputs.dtype:
            outputs = outputs.to(inputs.dtype)
        return outputs

    def _fused(self, x, running_mean, running_var, training: bool, momentum: float):
        """torch's batch_norm kernel on a channels-at-axis-1 view of `x`."""
        gamma, beta = self.gamma, self.beta
        if len(self._axes) > 1:
            gamma = None if gamma is None else gamma.reshape(-1)
            beta = None if beta is None else beta.reshape(-1)
            running_mean = None if running_mean is None else running_mean.view(-1)
            running_var = None if running_var is None else running_var.view(-1)
        layout = self._layout
        if layout == _CHANNELS_FIRST:
            return F.batch_norm(
                x, running_mean, running_var, gamma, beta, training, momentum, self.epsilon
            )
        if layout == _ROWS:
            rows = x.reshape(-1, self._channels)
            out = F.batch_norm(
                rows, running_mean, running_var, gamma, beta, training, momentum, self.epsilon
            )
            return out.view(x.shape)
        moved = x.permute(self._perm)
        out = F.batch_norm(
            moved.reshape(-1, self._channels),
            running_mean,
            running_var,
            gamma,
            beta,
            training,
            momentum,
            self.epsilon,
        )
        return out.view(moved.shape).permute(self._inverse_perm)

    def _training_outputs(self, x, mask):
        n = x.numel() // self._channels
        if mask is not None or n < 2:
            return self._moments_outputs(x, mask)
        if CONTEXT.symbolic:
            # Shape inference on fake tensors: no statistics to update.
            return self._fused(x, None, None, True, 0.0)
        # torch's running update is `(1 - m) * running + m * batch`: m = 1 - Keras momentum.
        torch_momentum = 1.0 - self.momentum
        if self._unbiased_update:
            return self._fused(x, self.moving_mean, self.moving_variance, True, torch_momentum)
        # torch feeds the unbiased variance; collect (1 - momentum) * it and rescale to biased.
        scaled_var = torch.zeros(self._channels, dtype=x.dtype, device=x.device)
        outputs = self._fused(x, self.moving_mean, scaled_var, True, torch_momentum)
        with torch.no_grad():
            moving_variance = self.moving_variance
            moving_variance.mul_(self.momentum).add_(
                scaled_var.view(moving_variance.shape), alpha=(n - 1) / n
            )
        return outputs

    def _moments_outputs(self, x, mask):
        """Training with explicit moments: masked inputs, or a single value per channel."""
        dims = self._reduce_dims
        if mask is None:
            variance, mean = torch.var_mean(x, dim=dims, correction=0, keepdim=True)
        else:
            weights = mask.to(x.dtype).unsqueeze(-1).expand(x.shape)
            total = weights.sum(dim=dims, keepdim=True) + _MASK_EPSILON
            mean = (weights * x).sum(dim=dims, keepdim=True) / total
            variance = (weights * (x - mean).square()).sum(dim=dims, keepdim=True) / total
        inv = torch.rsqrt(variance + self.epsilon)
        if self.gamma is not None:
            inv = inv * self.gamma.view(self._broadcast_shape)
        shift = -mean * inv
        if self.beta is not None:
            shift = shift + self.beta.view(self._broadcast_shape)
        outputs = x * inv + shift
        if not CONTEXT.symbolic:
            with torch.no_grad():
                momentum = self.momentum
                for moving, batch in (
                    (self.moving_mean, mean),
                    (self.moving_variance, variance),
                ):
                    moving.mul_(momentum).add_(batch.view(moving.shape), alpha=1.0 - momentum)
        return outputs

    # -- shapes and config --------------------------------------------------------------------
    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "axis": self.axis,
                "momentum": self.momentum,
                "epsilon": self.epsilon,
                "center": self.center,
                "scale": self.scale,
                "moving_mean_initializer": initializers.serialize(self.moving_mean_initializer),
                "moving_variance_initializer": initializers.serialize(
                    self.moving_variance_initializer
                ),
                "synchronized": self.synchronized,
            }
        )
        config.update(weight_configs(self))
        return config


# tf.keras 2 arguments: accepted at their defaults, a clear error otherwise.
_K2_ONLY = (
    "renorm",
    "renorm_clipping",
    "renorm_momentum",
    "fused",
    "virtual_batch_size",
    "adjustment",
)


# The compute dtypes tf.keras 2's fused kernel accepts.
_FUSED_DTYPES = ("float16", "bfloat16", "float32")


def _check_fused(fused, axis, synchronized: bool):
    """Checks `fused` as tf.keras 2 does at construction; returns None, True or False.

    `fused` changes numbers: tf.keras 2's fused kernel feeds the unbiased batch variance to
    the moving variance, its other path the biased one.
    """
    if fused is None:
        return None
    fused = bool(fused)
    if fused and synchronized:
        raise ValueError(
            "BatchNormalization: `fused=True` is not supported when `synchronized=True`. "
            "Leave fused=None (the default)."
        )
    axes = [axis] if isinstance(axis, int) else list(axis)
    if fused and (len(axes) > 1 or axes[0] not in (-4, -3, -1, 1, 3, 4)):
        raise ValueError(
            "BatchNormalization: `fused=True` is only supported when axis is 1 or 3 for input "
            f"rank 4, or 1 or 4 for input rank 5 (as in tf.keras 2). Got axis={axis}. "
            "Leave fused=None (the default)."
        )
    return fused


def _check_legacy_arguments(legacy: dict) -> None:
    if legacy.get("renorm"):
        raise not_implemented("tf.keras.layers.BatchNormalization(renorm=True)")
    if legacy.get("virtual_batch_size") is not None:
        raise not_implemented("tf.keras.layers.BatchNormalization(virtual_batch_size=...)")
    if legacy.get("adjustment") is not None:
        raise not_implemented("tf.keras.layers.BatchNormalization(adjustment=...)")
    # `renorm_clipping`, `renorm_momentum`: nothing to do without renorm. `fused` is kept by
    # the layer (it selects the variance fed to the moving update, see `_check_fused`).
