"""Keras activation functions (`keras.activations`) over torch.

Every function takes and returns a `torch.Tensor` (NumPy arrays and Python
values are converted with TensorFlow's dtype rules first).

`sigmoid` and `softmax` attach their input to the output as the attribute
`_keras_logits`, as tf.keras does on TensorFlow: crossentropy losses called
with `from_logits=False` then use the exact logits instead of the clipped
probabilities.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import torch
import torch.nn.functional as F

from tork import _symbolic
from tork._backend.errors import module_getattr
from tork._backend.tensor import convert_to_tensor
from tork.keras._object_registry import ObjectRegistry
from tork.ops import _selu

__all__ = [
    "celu",
    "deserialize",
    "elu",
    "exponential",
    "gelu",
    "get",
    "glu",
    "hard_shrink",
    "hard_sigmoid",
    "hard_silu",
    "hard_swish",
    "hard_tanh",
    "leaky_relu",
    "linear",
    "log_sigmoid",
    "log_softmax",
    "mish",
    "relu",
    "relu6",
    "selu",
    "serialize",
    "sigmoid",
    "silu",
    "softmax",
    "softplus",
    "soft_shrink",
    "softsign",
    "sparse_plus",
    "sparse_sigmoid",
    "sparsemax",
    "squareplus",
    "swish",
    "tanh",
    "tanh_shrink",
    "threshold",
]


def _tensor(x) -> torch.Tensor:
    return x if isinstance(x, torch.Tensor) else convert_to_tensor(x)


def _is_ragged(x) -> bool:
    return x.__class__ is _ragged_class()


def _ragged_class():
    # Imported on first use: the ragged module imports tork's ops, which import this module.
    global _RAGGED
    if _RAGGED is None:
        from tork._backend.ragged_tensor import RaggedTensor

        _RAGGED = RaggedTensor
    return _RAGGED


_RAGGED = None


def _not_tensor(fn: Callable, x, *args, **kwargs):
    """`fn(x, ...)` for an `x` that is not a torch tensor, the one place where activations
    look for RaggedTensors.

    An element-wise activation applies to a RaggedTensor's flat values, as in tf.keras;
    anything else (NumPy arrays, lists, Python numbers) is converted to a tensor first.
    Each activation calls this only after its own `isinstance(x, torch.Tensor)` failed, so
    dense calls pay nothing for it.
    """
    if x.__class__ is _ragged_class():
        return x.with_flat_values(fn(x.flat_values, *args, **kwargs))
    return fn(convert_to_tensor(x), *args, **kwargs)


def _keep_logits(output: torch.Tensor, logits: torch.Tensor, kind: str) -> torch.Tensor:
    # Losses look for these attributes to recover exact logits (tf.keras on TF does the same);
    # as tf.keras, a loss reads them whichever activation made them (`kind` is informative).
    try:
        output._keras_logits = logits
        output._keras_activation = kind
    except (AttributeError, TypeError):  # e.g. tracing proxies that refuse new attributes
        pass
    return output


def linear(x: torch.Tensor) -> torch.Tensor:
    """Linear (identity) activation: returns the input unchanged.

    Args:
        x: Input tensor.

    Returns:
        `x` itself.

    Example:
    >>> keras.activations.linear(torch.tensor([-1.0, 2.0]))
    tensor([-1.,  2.])
    """
    if not isinstance(x, torch.Tensor) and _is_ragged(x):
        return x
    return _tensor(x)


def relu(
    x: torch.Tensor,
    negative_slope: float = 0.0,
    max_value: float | None = None,
    threshold: float = 0.0,
    *,
    alpha: float | None = None,
) -> torch.Tensor:
    """Rectified linear unit.

    With the defaults this is `max(x, 0)`. In general:
    `min(x, max_value)` for `x > threshold`, else `negative_slope * (x - threshold)`.

    Args:
        x: Input tensor.
        negative_slope: Slope for values at or below `threshold`.
        max_value: Upper saturation value, or None for no cap.
        threshold: Values at or below it are damped (or zeroed).
        alpha: tf.keras 2 name of `negative_slope` (keyword only).

    Returns:
        A tensor of the same shape and dtype as `x`.

    Example:
    >>> keras.activations.relu(torch.tensor([-10.0, -5.0, 0.0, 5.0, 10.0]), negative_slope=0.5)
    tensor([-5.0000, -2.5000,  0.0000,  5.0000, 10.0000])
    """
    if not isinstance(x, torch.Tensor):
        return _not_tensor(relu, x, negative_slope, max_value, threshold, alpha=alpha)
    if alpha is not None:
        negative_slope = alpha
    # Keras's formula, part by part, so that the gradients at the kinks (x == 0,
    # x == threshold, x == max_value) are Keras's too.
    if threshold == 0:
        if negative_slope != 0 and max_value is None:
            return F.leaky_relu(x, negative_slope)
        if max_value == 6:
            positive = F.relu6(x)  # Keras's relu6: no gradient at 6
        else:
            positive = torch.relu(x)  # no gradient at 0
            if max_value is not None:
                positive = positive.clamp(max=max_value)
    else:
        # Keras clips the kept part to [0, max_value], which matters for a negative
        # threshold.
        zero = torch.zeros((), dtype=x.dtype, device=x.device)
        positive = torch.where(x > threshold, x, zero)
        if max_value is not None:
            positive = torch.clamp(positive, 0.0, max_value)
    if negative_slope == 0:
        return positive
    # Keras subtracts `negative_slope * relu(threshold - x)`: at x == threshold neither part
    # has a gradient (a select would give the slope).
    return positive - negative_slope * torch.relu(threshold - x)


def relu6(x: torch.Tensor) -> torch.Tensor:
    """ReLU capped at 6: `min(max(x, 0), 6)`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape and dtype as `x`.

    Example:
    >>> keras.activations.relu6(torch.tensor([-1.0, 3.0, 8.0]))
    tensor([0., 3., 6.])
    """
    if not isinstance(x, torch.Tensor):
        return _not_tensor(relu6, x)
    return F.relu6(x)


def leaky_relu(x: torch.Tensor, negative_slope: float = 0.2) -> torch.Tensor:
    """Leaky ReLU: `x` for `x >= 0`, else `negative_slope * x`.

    Args:
        x: Input tensor.
        negative_slope: Slope for negative inputs.

    Returns:
        A tensor of the same shape and dtype as `x`.

    Example:
    >>> keras.activations.leaky_relu(torch.tensor([-1.0, 2.0]))
    tensor([-0.2000,  2.0000])
    """
    if not isinstance(x, torch.Tensor):
        return _not_tensor(leaky_relu, x, negative_slope)
    return F.leaky_relu(x, negative_slope)


def sigmoid(x: torch.Tensor) -> torch.Tensor:
    """Sigmoid: `1 / (1 + exp(-x))`.

    The input is kept on the output as `_keras_logits` so that crossentropy
    losses can work from the exact logits.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape and dtype as `x`, values in [0, 1].

    Example:
    >>> keras.activations.sigmoid(torch.tensor([0.0]))
    tensor([0.5000])
    """
    if not isinstance(x, torch.Tensor):
        return _not_tensor(sigmoid, x)
    return _keep_logits(torch.sigmoid(x), x, "sigmoid")


def hard_sigmoid(x: torch.Tensor) -> torch.Tensor:
    """Hard sigmoid, tf.keras 2 formula: `clip(0.2 * x + 0.5, 0, 1)`.

    tork follows tf.keras 2 here. Keras 3 changed it to `clip(x / 6 + 0.5, 0, 1)`
    (`relu6(x + 3) / 6`); use `torch.nn.functional.hardsigmoid` if you need the
    Keras 3 curve.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape and dtype as `x`, values in [0, 1].

    Example:
    >>> keras.activations.hard_sigmoid(torch.tensor([-3.0, 0.0, 1.0, 3.0]))
    tensor([0.0000, 0.5000, 0.7000, 1.0000])
    """
    if not isinstance(x, torch.Tensor):
        return _not_tensor(hard_sigmoid, x)
    return torch.clamp(x * 0.2 + 0.5, 0.0, 1.0)


def hard_silu(x: torch.Tensor) -> torch.Tensor:
    """Hard SiLU (hard swish): `x * relu6(x + 3) / 6`.

    This is the Keras 3 definition (it uses the `x / 6 + 0.5` hard sigmoid, not
    tork's tf.keras 2 `hard_sigmoid`).

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape and dtype as `x`.

    Example:
    >>> keras.activations.hard_silu(torch.tensor([-4.0, 0.0, 1.0, 4.0]))
    tensor([-0.0000,  0.0000,  0.6667,  4.0000])
    """
    if not isinstance(x, torch.Tensor):
        return _not_tensor(hard_silu, x)
    return F.hardswish(x)


hard_swish = hard_silu


def _softmax_dims(axis) -> int | tuple[int, ...]:
    if isinstance(axis, Sequence):
        return tuple(int(a) for a in axis)
    return int(axis)


def softmax(x: torch.Tensor, axis: int | Sequence[int] = -1) -> torch.Tensor:
    """Softmax: `exp(x) / sum(exp(x))` along `axis`.

    The input is kept on the output as `_keras_logits` so that crossentropy
    losses can work from the exact logits.

    Args:
        x: Input tensor.
        axis: Axis, or tuple of axes, to normalize over.

    Returns:
        A tensor of the same shape and dtype as `x` whose slices sum to 1.

    Example:
    >>> keras.activations.softmax(torch.tensor([[0.0, 0.0]]))
    tensor([[0.5000, 0.5000]])
    """
    if not isinstance(x, torch.Tensor):
        if x.__class__ is _ragged_class():
            # Row by row along a ragged axis, as tf.keras (no `_keras_logits` kept).
            from tork._backend import ragged_tensor

            return ragged_tensor.softmax(x, axis)
        x = convert_to_tensor(x)
    dims = _softmax_dims(axis)
    if isinstance(dims, int):
        out = torch.softmax(x, dim=dims)
    else:
        out = torch.exp(x - torch.logsumexp(x, dim=dims, keepdim=True))
    return _keep_logits(out, x, "softmax")


def log_softmax(x: torch.Tensor, axis: int | Sequence[int] = -1) -> torch.Tensor:
    """Log-softmax: `x - log(sum(exp(x)))` along `axis`.

    Args:
        x: Input tensor.
        axis: Axis, or tuple of axes, to normalize over.

    Returns:
        A tensor of the same shape and dtype as `x`.

    Example:
    >>> keras.activations.log_softmax(torch.tensor([[0.0, 0.0]]))
    tensor([[-0.6931, -0.6931]])
    """
    if not isinstance(x, torch.Tensor):
        if x.__class__ is _ragged_class():
            from tork._backend import ragged_tensor

            return ragged_tensor.softmax(x, axis, log=True)
        x = convert_to_tensor(x)
    dims = _softmax_dims(axis)
    if isinstance(dims, int):
        return torch.log_softmax(x, dim=dims)
    return x - torch.logsumexp(x, dim=dims, keepdim=True)


def tanh(x: torch.Tensor) -> torch.Tensor:
    """Hyperbolic tangent.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape and dtype as `x`, values in [-1, 1].

    Example:
    >>> keras.activations.tanh(torch.tensor([0.0]))
    tensor([0.])
    """
    if not isinstance(x, torch.Tensor):
        return _not_tensor(tanh, x)
    return torch.tanh(x)


def gelu(x: torch.Tensor, approximate: bool = False) -> torch.Tensor:
    """Gaussian error linear unit: `0.5 * x * (1 + erf(x / sqrt(2)))`.

    Args:
        x: Input tensor.
        approximate: Use the tanh approximation
            `0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x**3)))`.

    Returns:
        A tensor of the same shape and dtype as `x`.

    Example:
    >>> keras.activations.gelu(torch.tensor([1.0]))
    tensor([0.8413])
    """
    if not isinstance(x, torch.Tensor):
        return _not_tensor(gelu, x, approximate)
    return F.gelu(x, approximate="tanh" if approximate else "none")


def elu(x: torch.Tensor, alpha: float = 1.0) -> torch.Tensor:
    """Exponential linear unit: `x` for `x > 0`, else `alpha * (exp(x) - 1)`.

    Args:
        x: Input tensor.
        alpha: Scale of the negative part.

    Returns:
        A tensor of the same shape and dtype as `x`.

    Example:
    >>> keras.activations.elu(torch.tensor([-1.0, 1.0]))
    tensor([-0.6321,  1.0000])
    """
    if not isinstance(x, torch.Tensor):
        return _not_tensor(elu, x, alpha)
    return F.elu(x, alpha)


def selu(x: torch.Tensor) -> torch.Tensor:
    """Scaled exponential linear unit.

    `scale * x` for `x > 0`, else `scale * alpha * (exp(x) - 1)`, with
    `alpha = 1.67326324` and `scale = 1.05070098`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape and dtype as `x`.

    Example:
    >>> keras.activations.selu(torch.tensor([1.0]))
    tensor([1.0507])
    """
    if not isinstance(x, torch.Tensor):
        return _not_tensor(selu, x)
    # TF's gradient at 0 (`scale`; torch's F.selu gives `scale * alpha` there).
    return _selu.selu(x)


def softplus(x: torch.Tensor) -> torch.Tensor:
    """Softplus: `log(exp(x) + 1)`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape and dtype as `x`.

    Example:
    >>> keras.activations.softplus(torch.tensor([0.0]))
    tensor([0.6931])
    """
    if not isinstance(x, torch.Tensor):
        return _not_tensor(softplus, x)
    return F.softplus(x)


def softsign(x: torch.Tensor) -> torch.Tensor:
    """Softsign: `x / (abs(x) + 1)`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape and dtype as `x`.

    Example:
    >>> keras.activations.softsign(torch.tensor([1.0]))
    tensor([0.5000])
    """
    if not isinstance(x, torch.Tensor):
        return _not_tensor(softsign, x)
    return F.softsign(x)


def swish(x: torch.Tensor) -> torch.Tensor:
    """Swish (SiLU): `x * sigmoid(x)`.

    `silu` (Keras 3's name) is the same function; its `__name__` is `'swish'`, as in
    tf.keras 2, where code builds names and configs from it.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape and dtype as `x`.

    Example:
    >>> keras.activations.swish(torch.tensor([0.0]))
    tensor([0.])
    """
    if not isinstance(x, torch.Tensor):
        return _not_tensor(swish, x)
    return F.silu(x)


silu = swish


def exponential(x: torch.Tensor) -> torch.Tensor:
    """Exponential activation: `exp(x)`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape and dtype as `x`.

    Example:
    >>> keras.activations.exponential(torch.tensor([0.0]))
    tensor([1.])
    """
    if not isinstance(x, torch.Tensor):
        return _not_tensor(exponential, x)
    return torch.exp(x)


def mish(x: torch.Tensor) -> torch.Tensor:
    """Mish: `x * tanh(softplus(x))`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape and dtype as `x`.

    Example:
    >>> keras.activations.mish(torch.tensor([0.0]))
    tensor([0.])
    """
    if not isinstance(x, torch.Tensor):
        return _not_tensor(mish, x)
    return F.mish(x)


def celu(x: torch.Tensor, alpha: float = 1.0) -> torch.Tensor:
    """Continuously differentiable ELU: `max(0, x) + min(0, alpha * (exp(x / alpha) - 1))`.

    Args:
        x: Input tensor.
        alpha: The scale of the negative part.

    Returns:
        A tensor of the same shape and dtype as `x`.

    Example:
    >>> keras.activations.celu(torch.tensor([-1.0])).round(decimals=4)
    tensor([-0.6321])
    """
    if not isinstance(x, torch.Tensor):
        return _not_tensor(celu, x, alpha)
    return _nn_ops().celu(x, alpha)


def glu(x: torch.Tensor, axis: int = -1) -> torch.Tensor:
    """Gated linear unit: `a * sigmoid(b)`, with `a` and `b` the halves of `x` along `axis`.

    Args:
        x: Input tensor; `axis` must have an even size.
        axis: The axis to split.

    Returns:
        A tensor with half the size along `axis`.

    Raises:
        ValueError: if `axis` has an odd size.

    Example:
    >>> keras.activations.glu(torch.tensor([1.0, 0.0]))
    tensor([0.5000])
    """
    return _nn_ops().glu(x, axis)


def hard_tanh(x: torch.Tensor) -> torch.Tensor:
    """Hard tanh: `clip(x, -1, 1)`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape and dtype as `x`.

    Example:
    >>> keras.activations.hard_tanh(torch.tensor([-2.0, 0.5]))
    tensor([-1.0000,  0.5000])
    """
    if not isinstance(x, torch.Tensor):
        return _not_tensor(hard_tanh, x)
    return _nn_ops().hard_tanh(x)


def log_sigmoid(x: torch.Tensor) -> torch.Tensor:
    """Log of the sigmoid, `-softplus(-x)`, computed stably.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape and dtype as `x`.

    Example:
    >>> keras.activations.log_sigmoid(torch.tensor([0.0])).round(decimals=4)
    tensor([-0.6931])
    """
    if not isinstance(x, torch.Tensor):
        return _not_tensor(log_sigmoid, x)
    return _nn_ops().log_sigmoid(x)


def sparsemax(x: torch.Tensor, axis: int = -1) -> torch.Tensor:
    """Sparsemax: the projection of `x` onto the probability simplex along `axis`.

    The outputs are non-negative and sum to 1 like softmax's, with small entries exactly
    0. (Keras 3.15's TensorFlow backend computes the threshold from the wrong sum and its
    outputs need not sum to 1; tork computes the published definition.)

    Args:
        x: Input tensor.
        axis: The axis to normalise.

    Returns:
        A tensor of the same shape as `x`.

    Example:
    >>> keras.activations.sparsemax(torch.tensor([1.0, 2.0, 2.5]))
    tensor([0.0000, 0.2500, 0.7500])
    """
    return _nn_ops().sparsemax(x, axis)


def squareplus(x: torch.Tensor, b: float = 4) -> torch.Tensor:
    """Squareplus: `(x + sqrt(x**2 + b)) / 2`, a smooth ReLU.

    Args:
        x: Input tensor.
        b: Smoothness (> 0).

    Returns:
        A tensor of the same shape and dtype as `x`.

    Example:
    >>> keras.activations.squareplus(torch.tensor([0.0]))
    tensor([1.])
    """
    if not isinstance(x, torch.Tensor):
        return _not_tensor(squareplus, x, b)
    return _nn_ops().squareplus(x, b)


def tanh_shrink(x: torch.Tensor) -> torch.Tensor:
    """Tanh shrink: `x - tanh(x)`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape and dtype as `x`.

    Example:
    >>> keras.activations.tanh_shrink(torch.tensor([0.0]))
    tensor([0.])
    """
    if not isinstance(x, torch.Tensor):
        return _not_tensor(tanh_shrink, x)
    return _nn_ops().tanh_shrink(x)


def hard_shrink(x: torch.Tensor, threshold: float = 0.5) -> torch.Tensor:
    """Hard shrink: `x` where `|x| > threshold`, 0 elsewhere.

    Args:
        x: Input tensor.
        threshold: The cut-off; values with `|x| <= threshold` become 0.

    Returns:
        A tensor of the same shape and dtype as `x`.

    Example:
    >>> keras.activations.hard_shrink(torch.tensor([-1.0, 0.2, 0.7]))
    tensor([-1.0000,  0.0000,  0.7000])
    """
    if not isinstance(x, torch.Tensor):
        return _not_tensor(hard_shrink, x, threshold)
    return _nn_ops().hard_shrink(x, threshold)


def soft_shrink(x: torch.Tensor, threshold: float = 0.5) -> torch.Tensor:
    """Soft shrink: moves `x` towards 0 by `threshold`; values within it become 0.

    `x - threshold` where `x > threshold`, `x + threshold` where `x < -threshold`,
    0 elsewhere.

    Args:
        x: Input tensor.
        threshold: The shrink amount.

    Returns:
        A tensor of the same shape and dtype as `x`.

    Example:
    >>> keras.activations.soft_shrink(torch.tensor([-1.0, 0.2, 1.5]))
    tensor([-0.5000,  0.0000,  1.0000])
    """
    if not isinstance(x, torch.Tensor):
        return _not_tensor(soft_shrink, x, threshold)
    return _nn_ops().soft_shrink(x, threshold)


def sparse_plus(x: torch.Tensor) -> torch.Tensor:
    """SparsePlus: 0 for `x <= -1`, `(x + 1)**2 / 4` for `-1 < x < 1`, `x` for `x >= 1`.

    A smooth ReLU that is exactly 0 below -1.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape and dtype as `x`.

    Example:
    >>> keras.activations.sparse_plus(torch.tensor([-2.0, 0.0, 2.0]))
    tensor([0.0000, 0.2500, 2.0000])
    """
    if not isinstance(x, torch.Tensor):
        return _not_tensor(sparse_plus, x)
    return _nn_ops().sparse_plus(x)


def sparse_sigmoid(x: torch.Tensor) -> torch.Tensor:
    """Sparse sigmoid: 0 for `x <= -1`, `(x + 1) / 2` for `-1 < x < 1`, 1 for `x >= 1`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape and dtype as `x`.

    Example:
    >>> keras.activations.sparse_sigmoid(torch.tensor([-2.0, 0.0, 0.5]))
    tensor([0.0000, 0.5000, 0.7500])
    """
    if not isinstance(x, torch.Tensor):
        return _not_tensor(sparse_sigmoid, x)
    return _nn_ops().sparse_sigmoid(x)


def threshold(x: torch.Tensor, threshold, default_value) -> torch.Tensor:
    """Keeps `x` where `x > threshold`, and `default_value` elsewhere.

    Args:
        x: Input tensor.
        threshold: The cut-off; values at or below it are replaced.
        default_value: The replacement.

    Returns:
        A tensor of the same shape and dtype as `x`.

    Example:
    >>> keras.activations.threshold(torch.tensor([-1.0, 0.7]), 0.5, -2.0)
    tensor([-2.0000,  0.7000])
    """
    return _nn_ops().threshold(x, threshold, default_value)


def _nn_ops():
    # keras.ops.nn holds the implementations; imported on first use to keep import light.
    from tork.keras.ops import nn

    return nn


# Activations called on functional-API symbolic tensors become graph nodes; wrapped before
# the name table is built, so that `get("tanh") is tanh` holds for the wrapped functions.
_symbolic.install(globals(), "keras.activations")

_BY_NAME: dict[str, Callable] = {
    "celu": celu,
    "elu": elu,
    "exponential": exponential,
    "gelu": gelu,
    "glu": glu,
    "hard_shrink": hard_shrink,
    "hard_sigmoid": hard_sigmoid,
    "hard_silu": hard_silu,
    "hard_swish": hard_silu,
    "hard_tanh": hard_tanh,
    "leaky_relu": leaky_relu,
    "linear": linear,
    "log_sigmoid": log_sigmoid,
    "log_softmax": log_softmax,
    "mish": mish,
    "relu": relu,
    "relu6": relu6,
    "selu": selu,
    "sigmoid": sigmoid,
    "silu": silu,
    "softmax": softmax,
    "softplus": softplus,
    "soft_shrink": soft_shrink,
    "softsign": softsign,
    "sparse_plus": sparse_plus,
    "sparse_sigmoid": sparse_sigmoid,
    "sparsemax": sparsemax,
    "squareplus": squareplus,
    "swish": swish,
    "tanh": tanh,
    "tanh_shrink": tanh_shrink,
    "threshold": threshold,
}
# The name configs give each function: Keras 2's where tf_keras has the function
# (`silu` is `swish`, saved as "swish", as tf_keras does), else Keras 3's (`hard_swish` ->
# "hard_silu").
_NAME_OF: dict[Callable, str] = {fn: fn.__name__ for fn in _BY_NAME.values()}


class _NamesAndLayers(Mapping):
    """The activation names plus Keras's activation layers, for `class_name` in configs.

    tf.keras 2 resolves `Dense(activation=LeakyReLU(0.1))`'s saved activation
    (`{"class_name": "LeakyReLU", "config": {...}}`) among its activation layers too.
    Built on first use: the layers module imports this one.
    """

    _LAYERS = ("ELU", "LeakyReLU", "PReLU", "ReLU", "Softmax", "ThresholdedReLU")

    def _table(self) -> dict:
        from tork.keras.layers import activations as layers_module

        table = {name: getattr(layers_module, name) for name in self._LAYERS}
        table.update(_BY_NAME)  # functions win on a clash, as in tf.keras 2
        return table

    def __getitem__(self, name):
        return self._table()[name]

    def __iter__(self):
        return iter(self._table())

    def __len__(self) -> int:
        return len(self._table())


_REGISTRY = ObjectRegistry(
    "activation",
    module="keras.activations",
    names=_BY_NAME,
    class_names=_NamesAndLayers(),
    usage="Pass a name such as 'relu', a config dict, or a callable.",
    identifier="activation function",
    config_hint="expected a 'class_name' naming an activation",
)


def serialize(activation: Callable) -> str | dict:
    """Returns the name of an activation function, for configs.

    Args:
        activation: A `keras.activations` function, or another callable.

    Returns:
        The Keras name (e.g. `'relu'`). A custom function gives its
        registered name (`'Package>name'`) or its `__name__`; an object with `get_config` gives
        `{"class_name": ..., "config": ...}`.

    Example:
    >>> keras.activations.serialize(keras.activations.relu)
    'relu'
    """
    name = _NAME_OF.get(activation)
    if name is not None:
        return name
    if hasattr(activation, "get_config"):
        return {"class_name": type(activation).__name__, "config": activation.get_config()}
    name = getattr(activation, "__name__", None)
    if name is None:
        raise ValueError(
            f"Cannot serialize activation {activation!r}: it is neither a keras.activations "
            "function nor a named function. Pass a name such as 'relu' or a def-function."
        )
    # A function registered with `register_keras_serializable(package=...)` is found again
    # under its registered name ('Package>name'), not its bare `__name__`: `from_config`
    # and `clone_model` look that name up.
    from tork.keras.saving.object_registration import get_registered_name

    return get_registered_name(activation)


def deserialize(config, custom_objects: dict | None = None) -> Callable:
    """Returns the activation function for a name or config.

    Names resolve through `custom_objects`, active `custom_object_scope`s and
    registered custom objects before the built-in activations. A name is
    returned as found (a class is not instantiated); a config dict naming a
    class gives `cls.from_config(config["config"])`.

    Args:
        config: A name (`'relu'`), a Keras 3 dict
            (`{"class_name": "function", "config": "relu", ...}`), a Keras 2
            dict (`{"class_name": "relu"}`) or a callable.
        custom_objects: Optional dict of extra name -> function.

    Returns:
        The activation function.

    Example:
    >>> keras.activations.deserialize('relu') is keras.activations.relu
    True
    """
    if callable(config):
        return config
    if isinstance(config, dict):
        return _REGISTRY.from_dict(config, custom_objects)
    if isinstance(config, str):
        return _REGISTRY.find(config, custom_objects)
    raise _REGISTRY.not_understood(config)


def get(identifier) -> Callable:
    """Returns an activation function from a name, config, callable or None.

    Args:
        identifier: None (gives `linear`), a name such as `'relu'`, a config
            dict, or a callable (returned as is).

    Returns:
        The activation function.

    Example:
    >>> keras.activations.get('relu') is keras.activations.relu
    True
    """
    if identifier is None:
        return linear
    if callable(identifier):
        # `Dense(10, activation=tf.nn.softmax)` (TF's tutorials): Keras on TF reads the
        # logits back from a Softmax/Sigmoid op's output in `fit` (graph mode), so its
        # crossentropies neither clip saturated probabilities nor apply softmax twice; the
        # Keras activations keep the logits in tork, so a layer gets those.
        return _TF_OPS_KEEPING_LOGITS.get(getattr(identifier, "_tork_api_name", None), identifier)
    return deserialize(identifier)


_TF_OPS_KEEPING_LOGITS = {"tf.nn.softmax": softmax, "tf.math.sigmoid": sigmoid}


__getattr__ = module_getattr("tf.keras.activations")


def __dir__():
    # The public API only, as tf.keras's module shows it (not torch, F, helpers...).
    return sorted(__all__)
