"""`keras.layers.BatchNormalization`: batch statistics in training, moving statistics at inference."""

from __future__ import annotations

import logging
import math
import numbers

import torch
import torch.nn.functional as F

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
        renorm: (tf.keras 2) whether to use Batch Renormalization: in training
            the normalized values `x_hat` become `x_hat * r + d`, with
            `r = stddev_B / renorm_stddev` and
            `d = (mean_B - renorm_mean) / renorm_stddev` (no gradient), from
            moving averages `renorm_mean` and `renorm_stddev` updated with
            `renorm_momentum`. The inference statistics are kept as a moving
            standard deviation `moving_stddev` (of `sqrt(var_B + epsilon)`),
            with `moving_variance = moving_stddev**2 - epsilon`.
        renorm_clipping: (tf.keras 2) a dict with optional keys `'rmin'`,
            `'rmax'` and `'dmax'` clipping `r` to `[rmin, rmax]` and `d` to
            `[-dmax, dmax]`.
        renorm_momentum: (tf.keras 2) momentum of `renorm_mean` and
            `renorm_stddev`.
        fused: (tf.keras 2) None, True or False. With the default (None) the
            moving variance receives the unbiased batch variance for inputs of
            rank 4 and 5 (tf.keras 2's fused kernel), with False the biased one.
        virtual_batch_size: (tf.keras 2) an int dividing the batch size: in
            training, "Ghost Batch Normalization" takes the statistics over
            virtual batches of this many samples (the batch reshaped to
            `(virtual_batch_size, batch // virtual_batch_size, ...)`, each
            virtual batch one column), and the moving statistics receive
            their mean. The weights then have the shape `(1, 1, ..., C)`.
        adjustment: (tf.keras 2) a function taking the shape of the inputs
            (an int32 tensor) and returning `(scale, bias)` tensors that
            broadcast to the inputs: in training the normalized values become
            `x_hat * scale + bias` before `gamma` and `beta`. Not saved in the
            config; not allowed with `virtual_batch_size`.

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
        renorm: bool = False,
        renorm_clipping=None,
        renorm_momentum: float = 0.99,
        fused=None,
        virtual_batch_size=None,
        adjustment=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.axis = check_axis_argument(axis, "BatchNormalization")
        self.renorm = bool(renorm)
        self.virtual_batch_size = virtual_batch_size
        self.adjustment = adjustment
        if self.renorm:
            self.renorm_clipping = _check_renorm_clipping(renorm_clipping)
            self.renorm_momentum = _check_number(renorm_momentum, "renorm_momentum", 0.0, 1.0)
        self.fused = _check_fused(
            fused, self.axis, bool(synchronized), self.renorm, virtual_batch_size, adjustment
        )
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
        virtual = self.virtual_batch_size
        if virtual is not None:
            if isinstance(virtual, bool) or not isinstance(virtual, int) or virtual <= 0:
                raise ValueError(
                    "`virtual_batch_size` must be a positive integer that divides the true "
                    "batch size of the input tensor. "
                    f"Received: virtual_batch_size={virtual}"
                )
            if 0 in axes:
                raise ValueError(
                    "When using `virtual_batch_size`, the batch dimension must be 0 and thus "
                    f"axis cannot include 0. Received axis={list(axes)}"
                )
            if self.adjustment is not None:
                raise ValueError("When using `virtual_batch_size`, adjustment cannot be specified")
        if len(axes) == 1 and virtual is None:
            param_shape = sizes
        else:
            # tf.keras 2: several axes give weights of the input's rank, 1 on reduced axes;
            # virtual batches add a size-1 axis after the batch axis.
            param_shape = tuple(input_shape[i] if i in axes else 1 for i in range(ndim))
            if virtual is not None:
                param_shape = (1, *param_shape)
        # tf.keras 2 raises a float16/bfloat16 layer's parameters to float32 (its
        # `_param_dtype`), for the moving statistics' precision, and creates them all with
        # experimental_autocast=False: a subclass's call reads them in float32.
        dtype = _param_dtype(self)
        self.gamma = (
            self.add_weight(
                name="gamma",
                shape=param_shape,
                dtype=dtype,
                experimental_autocast=False,
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
                dtype=dtype,
                experimental_autocast=False,
                initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
                trainable=True,
            )
            if self.center
            else None
        )
        # Registry keys of gamma and beta, for `_affine` (None when not created).
        self._affine_keys = tuple(
            None if w is None else next(k for k, v in self._parameters.items() if v is w)
            for w in (self.gamma, self.beta)
        )
        self.moving_mean = self.add_weight(
            name="moving_mean",
            shape=param_shape,
            dtype=dtype,
            experimental_autocast=False,
            initializer=self.moving_mean_initializer,
            trainable=False,
        )
        self.moving_variance = self.add_weight(
            name="moving_variance",
            shape=param_shape,
            dtype=dtype,
            experimental_autocast=False,
            initializer=self.moving_variance_initializer,
            trainable=False,
        )
        if self.renorm:
            # tf.keras 2's order and initial values: the stddevs start at sqrt(initial variance).
            stddev_initializer = _SqrtInitializer(self.moving_variance_initializer)
            self.moving_stddev = self.add_weight(
                name="moving_stddev",
                shape=param_shape,
                dtype=dtype,
                experimental_autocast=False,
                initializer=stddev_initializer,
                trainable=False,
            )
            self.renorm_mean = self.add_weight(
                name="renorm_mean",
                shape=param_shape,
                dtype=dtype,
                experimental_autocast=False,
                initializer=self.moving_mean_initializer,
                trainable=False,
            )
            self.renorm_stddev = self.add_weight(
                name="renorm_stddev",
                shape=param_shape,
                dtype=dtype,
                experimental_autocast=False,
                initializer=stddev_initializer,
                trainable=False,
            )
        self.input_spec = InputSpec(ndim=ndim, axes=dict(zip(axes, sizes)))
        self._axes = axes
        self._reduce_dims = reduce_dims
        self._channels = math.prod(sizes)
        self._broadcast_shape = tuple(input_shape[i] if i in axes else 1 for i in range(ndim))
        # Weights of another shape than (C,) are flattened for torch's kernel.
        self._flat_params = len(axes) > 1 or virtual is not None
        # tf.keras 2 computes these features without its fused kernel: explicit moments.
        self._explicit = self.renorm or virtual is not None or self.adjustment is not None
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
            and not self._explicit
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
        elif training and self._trainable and self._explicit:
            outputs = self._explicit_training_outputs(x, mask)
        elif training and self._trainable:
            outputs = self._training_outputs(x, mask)
        elif torch.is_grad_enabled() and (
            self.moving_mean.requires_grad or self.moving_variance.requires_grad
        ):
            outputs = self._watched_statistics_outputs(x)
        else:
            outputs = self._fused(x, self.moving_mean, self.moving_variance, False, 0.0)
        if inputs.is_floating_point() and outputs.dtype != inputs.dtype:
            outputs = outputs.to(inputs.dtype)
        return outputs

    def _affine(self) -> tuple:
        """gamma and beta as created: float32 under mixed precision, as the moving statistics.

        Keras creates them with `experimental_autocast=False`, so a subclass's `call`
        (where a user layer's trainable weights read cast to float16 under
        'mixed_float16') still normalizes with the float32 weights.
        """
        gamma, beta = self.gamma, self.beta
        dtype = self.moving_mean.dtype
        if (gamma is None or gamma.dtype == dtype) and (beta is None or beta.dtype == dtype):
            return gamma, beta
        params = self._parameters
        return tuple(None if key is None else params[key] for key in self._affine_keys)

    def _watched_statistics_outputs(self, x):
        """Inference while a tape watches the moving statistics (`tape.watch(bn.moving_mean)`).

        TensorFlow differentiates with respect to them; torch's kernel refuses statistics
        that require grad. The same map `x * scale + shift` goes through the kernel with
        the statistics folded into its weight and bias (mean 0, variance 1 - epsilon).
        """
        gamma, beta = self._affine()
        mean, var = self.moving_mean, self.moving_variance
        scale = torch.rsqrt(var + self.epsilon)
        if gamma is not None:
            scale = scale * gamma
        shift = -mean * scale
        if beta is not None:
            shift = shift + beta
        zero = torch.zeros_like(mean.detach())
        unit = torch.full_like(var.detach(), 1.0 - self.epsilon)
        return self._fused(x, zero, unit, False, 0.0, affine=(scale, shift))

    def _fused(self, x, running_mean, running_var, training: bool, momentum: float, affine=None):
        """torch's batch_norm kernel on a channels-at-axis-1 view of `x`."""
        gamma, beta = self._affine() if affine is None else affine
        if training and running_mean is not None and running_mean.requires_grad:
            # Watched by a tape: in training the moving statistics take no gradient (TF:
            # None), and torch's kernel refuses statistics that require grad; it updates
            # them in place through detached aliases of the same memory.
            running_mean = running_mean.detach()
            running_var = running_var.detach()
        if self._flat_params:
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
        gamma, beta = self._affine()
        if gamma is not None:
            inv = inv * gamma.view(self._broadcast_shape)
        shift = -mean * inv
        if beta is not None:
            shift = shift + beta.view(self._broadcast_shape)
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

    def _explicit_training_outputs(self, x, mask):
        """Training with renorm, virtual batches or an adjustment (tf.keras 2's unfused path)."""
        dims = self._reduce_dims
        broadcast = self._broadcast_shape
        original_shape = x.shape
        virtual = self.virtual_batch_size
        if virtual is not None:
            batch = x.shape[0]
            if batch % virtual:
                raise ValueError(
                    f"{where(self)}: virtual_batch_size={virtual} must divide the batch size, "
                    f"but got inputs of shape {tuple(x.shape)}."
                )
            # Sample i * (batch // virtual) + j goes to virtual batch j (tf.keras 2's reshape).
            x = x.reshape((virtual, batch // virtual, *x.shape[1:]))
            if mask is not None:
                mask = mask.reshape((virtual, batch // virtual, *mask.shape[1:]))
            dims = (0, *(d + 1 for d in dims if d != 0))
            broadcast = (1, *broadcast)
        if mask is None:
            variance, mean = torch.var_mean(x, dim=dims, correction=0, keepdim=True)
        else:
            weights = mask.to(x.dtype).unsqueeze(-1).expand(x.shape)
            total = weights.sum(dim=dims, keepdim=True) + _MASK_EPSILON
            mean = (weights * x).sum(dim=dims, keepdim=True) / total
            variance = (weights * (x - mean).square()).sum(dim=dims, keepdim=True) / total
        gamma, beta = self._affine()
        scale = None if gamma is None else gamma.view(broadcast)
        offset = None if beta is None else beta.view(broadcast)
        if self.adjustment is not None:
            shape = torch.tensor(tuple(x.shape), dtype=torch.int32)
            adjust_scale, adjust_bias = self.adjustment(shape)
            scale, offset = _compose(
                torch.as_tensor(adjust_scale, dtype=x.dtype, device=x.device),
                torch.as_tensor(adjust_bias, dtype=x.dtype, device=x.device),
                scale,
                offset,
            )
        if virtual is not None:
            # The moving statistics receive the mean of the virtual batches' moments.
            new_mean = mean.detach().mean(dim=1, keepdim=True)
            new_variance = variance.detach().mean(dim=1, keepdim=True)
        else:
            new_mean, new_variance = mean.detach(), variance.detach()
        if self.renorm:
            r, d = self._renorm_correction(new_mean, new_variance, broadcast)
            scale, offset = _compose(r, d, scale, offset)
        with torch.no_grad():
            _moving_average(self.moving_mean, new_mean, self.momentum)
            if self.renorm:
                stddev = torch.sqrt(new_variance + self.epsilon)
                _moving_average(self.moving_stddev, stddev, self.momentum)
                # relu: rounding may make stddev**2 - epsilon slightly negative.
                self.moving_variance.copy_(torch.relu(self.moving_stddev.square() - self.epsilon))
            else:
                _moving_average(self.moving_variance, new_variance, self.momentum)
        inv = torch.rsqrt(variance + self.epsilon)
        if scale is not None:
            inv = inv * scale
        shift = -mean * inv
        if offset is not None:
            shift = shift + offset
        outputs = x * inv + shift
        return outputs.reshape(original_shape)

    def _renorm_correction(self, mean, variance, broadcast):
        """Batch renorm's (r, d) from the pre-update renorm averages, which it then updates."""
        stddev = torch.sqrt(variance + self.epsilon)
        # tf.keras 2 floors the average stddev at sqrt(epsilon) (no division by 0 early on).
        renorm_stddev = (
            self.renorm_stddev.detach().view(broadcast).clamp_min(math.sqrt(self.epsilon))
        )
        r = stddev / renorm_stddev
        d = (mean - self.renorm_mean.detach().view(broadcast)) / renorm_stddev
        clipping = self.renorm_clipping
        if clipping.get("rmin") is not None:
            r = r.clamp_min(float(clipping["rmin"]))
        if clipping.get("rmax") is not None:
            r = r.clamp_max(float(clipping["rmax"]))
        if clipping.get("dmax") is not None:
            dmax = float(clipping["dmax"])
            d = d.clamp(-dmax, dmax)
        with torch.no_grad():
            _moving_average(self.renorm_mean, mean, self.renorm_momentum)
            _moving_average(self.renorm_stddev, stddev, self.renorm_momentum)
        return r, d

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
        # tf.keras 2 writes its own arguments only when set (configs stay Keras 3 readable).
        if self.renorm:
            config["renorm"] = True
            config["renorm_clipping"] = dict(self.renorm_clipping)
            config["renorm_momentum"] = self.renorm_momentum
        if self.virtual_batch_size is not None:
            config["virtual_batch_size"] = self.virtual_batch_size
            if _is_axis_list(self.axis):
                # As a built tf.keras 2 layer writes it (see `from_config`).
                config["axis"] = [a + 1 for a in self.axis]
        if self.adjustment is not None:
            _LOGGER.warning(
                "The `adjustment` function of this `BatchNormalization` layer cannot be "
                "serialized and has been omitted from the layer config. It will not be "
                "included when re-creating the layer from the saved config."
            )
        return config

    @classmethod
    def from_config(cls, config: dict):
        """Creates the layer from `get_config()`'s output (tf.keras 2's or Keras 3's)."""
        config = dict(config)
        axis = config.get("axis")
        if config.get("virtual_batch_size") is not None and _is_axis_list(axis):
            # tf.keras 2's build shifts a list of axes by one in place for virtual batches
            # (the weights gain an axis), so built layers save `axis` + 1: undo it.
            config["axis"] = [a - 1 for a in axis]
        return super().from_config(config)


def _is_axis_list(axis) -> bool:
    return isinstance(axis, (list, tuple)) and all(
        isinstance(a, int) and not isinstance(a, bool) and a >= 0 for a in axis
    )


_LOGGER = logging.getLogger("tork")

_RENORM_CLIPPING_KEYS = ["rmax", "rmin", "dmax"]


def _param_dtype(layer) -> torch.dtype:
    """The dtype of the layer's weights: float32 for a float16/bfloat16 layer (tf.keras 2)."""
    dtype = layer._variable_dtype
    return torch.float32 if dtype in (torch.float16, torch.bfloat16) else dtype


# The compute dtypes tf.keras 2's fused kernel accepts.
_FUSED_DTYPES = ("float16", "bfloat16", "float32")


class _SqrtInitializer:
    """The square root of another initializer's values (batch renorm's stddevs)."""

    def __init__(self, initializer):
        self.initializer = initializer

    def __call__(self, shape, dtype=None, **kwargs):
        return torch.sqrt(torch.as_tensor(self.initializer(shape, dtype=dtype, **kwargs)))


def _compose(scale, offset, then_scale, then_offset):
    """The affine map `x * scale + offset` followed by `* then_scale + then_offset`."""
    if then_scale is not None:
        scale = scale * then_scale
        offset = offset * then_scale
    if then_offset is not None:
        offset = offset + then_offset
    return scale, offset


def _moving_average(variable, value, momentum: float) -> None:
    """`variable -= (variable - value) * (1 - momentum)`, tf.keras 2's moving update."""
    variable.sub_((variable - value.view(variable.shape)) * (1.0 - momentum))


def _check_renorm_clipping(renorm_clipping) -> dict:
    clipping = dict(renorm_clipping or {})
    if set(clipping) - set(_RENORM_CLIPPING_KEYS):
        raise ValueError(
            "Received invalid keys for `renorm_clipping` argument: "
            f"{renorm_clipping}. Supported values: {_RENORM_CLIPPING_KEYS}."
        )
    return clipping


def _check_fused(fused, axis, synchronized: bool, renorm, virtual_batch_size, adjustment):
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
    if fused and renorm:
        raise ValueError("Passing both `fused=True` and `renorm=True` is not supported")
    axes = [axis] if isinstance(axis, int) else list(axis)
    if fused and (len(axes) > 1 or axes[0] not in (-4, -3, -1, 1, 3, 4)):
        raise ValueError(
            "BatchNormalization: `fused=True` is only supported when axis is 1 or 3 for input "
            f"rank 4, or 1 or 4 for input rank 5 (as in tf.keras 2). Got axis={axis}. "
            "Leave fused=None (the default)."
        )
    if fused and virtual_batch_size is not None:
        raise ValueError(
            "Passing `fused=True` is not supported when `virtual_batch_size` is specified."
        )
    if fused and adjustment is not None:
        raise ValueError("Passing `fused=True` is not supported when `adjustment` is specified.")
    return fused
