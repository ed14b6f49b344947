"""Keras weight constraints (`keras.constraints`) over torch.

A constraint maps a weight tensor to its projected value; Keras applies it
after each optimizer update. Norms use Keras's epsilon 1e-7 in the divisor.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from tork._backend.errors import module_getattr
from tork._backend.tensor import convert_to_tensor
from tork.keras._object_registry import ObjectRegistry

__all__ = [
    "Constraint",
    "MaxNorm",
    "MinMaxNorm",
    "NonNeg",
    "RadialConstraint",
    "UnitNorm",
    "deserialize",
    "get",
    "max_norm",
    "min_max_norm",
    "non_neg",
    "radial_constraint",
    "serialize",
    "unit_norm",
]

_EPSILON = 1e-7


def _tensor(x) -> torch.Tensor:
    return x if isinstance(x, torch.Tensor) else convert_to_tensor(x)


def _dims(axis) -> int | tuple[int, ...]:
    if isinstance(axis, Sequence):
        return tuple(int(a) for a in axis)
    return int(axis)


def _norms(w: torch.Tensor, axis) -> torch.Tensor:
    return torch.sqrt(torch.sum(torch.square(w), dim=_dims(axis), keepdim=True))


class Constraint:
    """Base class of weight constraints.

    Subclasses implement `__call__(w)` returning the projected weight and,
    when they take arguments, `get_config()`.

    Example:
    >>> class Clip(keras.constraints.Constraint):
    ...     def __call__(self, w):
    ...         return w.clamp(-1.0, 1.0)
    """

    def __call__(self, w: torch.Tensor) -> torch.Tensor:
        """Returns the constrained weight (the base class returns `w`).

        Args:
            w: A weight tensor.

        Returns:
            A tensor of the same shape and dtype.
        """
        return w

    def get_config(self) -> dict:
        """Returns the constructor arguments as a dict."""
        return {}

    @classmethod
    def from_config(cls, config: dict) -> Constraint:
        """Creates a constraint from the output of `get_config()`.

        Args:
            config: A dict of constructor arguments.

        Returns:
            A new constraint.
        """
        return cls(**config)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


class MaxNorm(Constraint):
    """Caps the L2 norm of each weight slice at `max_value`.

    `w * clip(norms, 0, max_value) / (1e-7 + norms)`, with the norms taken
    along `axis`.

    Args:
        max_value: Maximum norm.
        axis: Axis or axes of the norm. For a Dense kernel `(in, out)`,
            `axis=0` constrains each unit's incoming weights; for a Conv2D
            kernel `(h, w, in, out)` use `axis=[0, 1, 2]`.

    Example:
    >>> keras.constraints.MaxNorm(1.0)(torch.tensor([[3.0], [4.0]]))
    tensor([[0.6000],
            [0.8000]])
    """

    def __init__(self, max_value: float = 2, axis: int | Sequence[int] = 0):
        self.max_value = max_value
        self.axis = axis

    def __call__(self, w: torch.Tensor) -> torch.Tensor:
        w = _tensor(w)
        norms = _norms(w, self.axis)
        desired = torch.clamp(norms, 0, self.max_value)
        return w * (desired / (_EPSILON + norms))

    def get_config(self) -> dict:
        return {"max_value": self.max_value, "axis": self.axis}


class MinMaxNorm(Constraint):
    """Keeps the L2 norm of each weight slice between `min_value` and `max_value`.

    `desired = rate * clip(norms, min_value, max_value) + (1 - rate) * norms`,
    then `w * desired / (1e-7 + norms)`.

    Args:
        min_value: Minimum norm.
        max_value: Maximum norm.
        rate: How far to move toward the range per application (1.0 = all the
            way).
        axis: Axis or axes of the norm.

    Example:
    >>> keras.constraints.MinMaxNorm(1.0, 2.0)(torch.tensor([[0.3], [0.4]]))
    tensor([[0.6000],
            [0.8000]])
    """

    def __init__(
        self,
        min_value: float = 0.0,
        max_value: float = 1.0,
        rate: float = 1.0,
        axis: int | Sequence[int] = 0,
    ):
        self.min_value = min_value
        self.max_value = max_value
        self.rate = rate
        self.axis = axis

    def __call__(self, w: torch.Tensor) -> torch.Tensor:
        w = _tensor(w)
        norms = _norms(w, self.axis)
        desired = (
            self.rate * torch.clamp(norms, self.min_value, self.max_value)
            + (1.0 - self.rate) * norms
        )
        return w * (desired / (_EPSILON + norms))

    def get_config(self) -> dict:
        return {
            "min_value": self.min_value,
            "max_value": self.max_value,
            "rate": self.rate,
            "axis": self.axis,
        }


class NonNeg(Constraint):
    """Sets negative weights to 0.

    Example:
    >>> keras.constraints.NonNeg()(torch.tensor([-1.0, 2.0]))
    tensor([0., 2.])
    """

    def __call__(self, w: torch.Tensor) -> torch.Tensor:
        w = _tensor(w)
        return w * (w >= 0).to(w.dtype)


class UnitNorm(Constraint):
    """Scales each weight slice to unit L2 norm: `w / (1e-7 + norms)`.

    Args:
        axis: Axis or axes of the norm.

    Example:
    >>> keras.constraints.UnitNorm()(torch.tensor([[3.0], [4.0]]))
    tensor([[0.6000],
            [0.8000]])
    """

    def __init__(self, axis: int | Sequence[int] = 0):
        self.axis = axis

    def __call__(self, w: torch.Tensor) -> torch.Tensor:
        w = _tensor(w)
        return w / (_EPSILON + _norms(w, self.axis))

    def get_config(self) -> dict:
        return {"axis": self.axis}


class RadialConstraint(Constraint):
    """Makes each 2-D kernel slice radially symmetric (tf.keras 2).

    For a kernel of shape `(n, n, in, out)`, every `(n, n)` slice becomes a set of
    concentric square rings, each ring filled with one value read off the slice's
    main diagonal, so only `ceil(n / 2)` distinct values remain per slice. As in
    tf.keras 2: with `s = n // 2`, the middle (one cell for odd `n`, a 2x2 block for
    even `n`) takes `w[s - 1, s - 1]`; ring `r` takes `w[s + r - 1, s + r - 1]` for
    odd `n` and `w[s + r, s + r]` for even `n`.

    Example:
    >>> w = torch.arange(9.0).reshape(3, 3, 1, 1)
    >>> keras.constraints.RadialConstraint()(w)[..., 0, 0]
    tensor([[4., 4., 4.],
            [4., 0., 4.],
            [4., 4., 4.]])
    """

    def __call__(self, w: torch.Tensor) -> torch.Tensor:
        w = _tensor(w)
        if w.dim() != 4:
            raise ValueError(
                "RadialConstraint: the weight tensor must have rank 4, a Conv2D kernel "
                f"(height, width, in, out). Received weight tensor with shape: {tuple(w.shape)}."
            )
        n = w.shape[0]
        if n == 0 or w.shape[1] < n:
            raise ValueError(
                "RadialConstraint needs a square (n, n, in, out) kernel; got shape "
                f"{tuple(w.shape)}."
            )
        half = n // 2
        positions = torch.arange(n, device=w.device)
        if n % 2:
            # Chebyshev distance from the middle cell; ring d reads diagonal entry half+d-1.
            ring = (positions - half).abs()
            ring = torch.maximum(ring[:, None], ring[None, :])
            source = torch.where(ring == 0, half - 1, half + ring - 1)
        else:
            # The middle is the 2x2 block at half-1, half; ring d reads entry half+d.
            ring = torch.where(positions < half, half - 1 - positions, positions - half)
            ring = torch.maximum(ring[:, None], ring[None, :])
            source = torch.where(ring == 0, half - 1, half + ring)
        source = source.clamp(0, n - 1)  # n == 1 reads its only cell
        diagonal = w[positions, positions]  # (n, in, out)
        return diagonal[source]


max_norm = MaxNorm
min_max_norm = MinMaxNorm
non_neg = NonNeg
radial_constraint = RadialConstraint
unit_norm = UnitNorm

_CLASSES: dict[str, type] = {
    "MaxNorm": MaxNorm,
    "MinMaxNorm": MinMaxNorm,
    "NonNeg": NonNeg,
    "RadialConstraint": RadialConstraint,
    "UnitNorm": UnitNorm,
}
_BY_NAME: dict[str, type] = {
    **_CLASSES,
    "max_norm": MaxNorm,
    "min_max_norm": MinMaxNorm,
    "non_neg": NonNeg,
    "radial_constraint": RadialConstraint,
    "unit_norm": UnitNorm,
    # Legacy tf.keras spellings that may appear in old saved configs.
    "maxnorm": MaxNorm,
    "nonneg": NonNeg,
    "unitnorm": UnitNorm,
}


_REGISTRY = ObjectRegistry(
    "constraint",
    module="keras.constraints",
    names=_BY_NAME,
    base=Constraint,
    builtins=_CLASSES.values(),
    usage="Pass a name such as 'max_norm', a config dict, a Constraint or a callable(w) -> w.",
    config_hint="it needs a 'class_name' such as 'MaxNorm'",
)


def serialize(constraint) -> dict | str | None:
    """Returns the Keras 3 config dict of a constraint.

    Args:
        constraint: A `Constraint`, a function, a name, or None.

    Returns:
        `{"module": "keras.constraints", "class_name": ..., "config": ...,
        "registered_name": None}` for built-in constraints (user classes and
        functions give their module and registered name); a name passes
        through; None gives None.

    Example:
    >>> keras.constraints.serialize(keras.constraints.NonNeg())["class_name"]
    'NonNeg'
    """
    return _REGISTRY.serialize(constraint)


def deserialize(config, custom_objects: dict | None = None):
    """Returns a constraint from a name or config.

    Names resolve through `custom_objects`, active `custom_object_scope`s and
    registered custom objects before the built-in constraints.

    Args:
        config: A name (`'max_norm'`), a Keras 3 or Keras 2 config dict
            (`{"class_name": "MaxNorm", "config": {"max_value": 2, "axis": 0}}`),
            a `Constraint` (returned as is), a class (instantiated) or a function.
        custom_objects: Optional dict of extra name -> class or function.

    Returns:
        A constraint (a new instance for a name or dict).

    Example:
    >>> keras.constraints.deserialize('non_neg')
    NonNeg()
    """
    return _REGISTRY.deserialize(config, custom_objects)


def get(identifier):
    """Returns a constraint from a name, config, instance, class or callable.

    Args:
        identifier: None, a name such as `'non_neg'`, a config dict, a
            `Constraint`, a constraint class, or a callable.

    Returns:
        A constraint, or None for None.

    Example:
    >>> keras.constraints.get('unit_norm')
    UnitNorm(axis=0)
    """
    return _REGISTRY.deserialize(identifier)


__getattr__ = module_getattr("tf.keras.constraints")
