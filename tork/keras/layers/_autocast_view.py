"""Mixed precision in a user's layer: its float weights read in the compute dtype in `call`.

Keras 2 wraps a layer's float variables in AutoCastVariables: under 'mixed_float16' (or
'mixed_bfloat16') `inputs * self.w` inside `call` computes in float16, for trainable and
non-trainable weights alike, and `self.moving_mean.assign(...)` or `self.w.name` still work.
Here, for the duration of `call`, the layer's attributes that hold such a weight point at an
`AutoCastView`: a differentiable cast copy that forwards `assign*`, `name` and `trainable` to
the variable. After an assignment the attributes are re-pointed at a fresh cast, so a later
`self.w` in the same call reads the new value, as an AutoCastVariable does.
"""

from __future__ import annotations

import torch


class AutoCastView(torch.Tensor):
    """A variable read in a layer's compute dtype (Keras 2's AutoCastVariable in `call`)."""

    # Results of ops on a view are plain tensors.
    __torch_function__ = torch._C._disabled_torch_function_impl

    @property
    def name(self) -> str:
        """The variable's name (`'layer/w:0'`)."""
        return self._tork_variable.name

    @property
    def path(self) -> str:
        """The variable's path (Keras 3), its name without `:0`."""
        return getattr(self._tork_variable, "path", self._tork_variable.name)

    @property
    def trainable(self) -> bool:
        """Whether the variable is trainable."""
        return self._tork_variable.trainable

    def read_value(self) -> torch.Tensor:
        """The value in the compute dtype (this view)."""
        return self

    def value(self) -> torch.Tensor:
        """The value in the compute dtype (this view)."""
        return self

    def _tork_write(self, method: str, value, read_value: bool):
        variable = self._tork_variable
        if isinstance(value, torch.Tensor) and value.dtype != variable.dtype:
            # As an AutoCastVariable: a compute-dtype value is stored in the variable's dtype.
            value = value.to(variable.dtype)
        getattr(variable, method)(value)
        fresh = self._tork_swap.refresh(variable)
        return fresh if read_value else None

    def assign(self, value, use_locking=None, name=None, read_value=True):
        """Assigns to the underlying variable; returns its new value in the compute dtype."""
        return self._tork_write("assign", value, read_value)

    def assign_add(self, delta, use_locking=None, name=None, read_value=True):
        """Adds to the underlying variable; returns its new value in the compute dtype."""
        return self._tork_write("assign_add", delta, read_value)

    def assign_sub(self, delta, use_locking=None, name=None, read_value=True):
        """Subtracts from the underlying variable; returns its new value in the compute dtype."""
        return self._tork_write("assign_sub", delta, read_value)


class _Swap:
    """The attribute aliases of one layer's weights, pointed at views during `call`."""

    __slots__ = ("_attrs", "_compute", "_entries")

    def __init__(self, attrs: dict, compute: torch.dtype) -> None:
        self._attrs = attrs
        self._compute = compute
        self._entries: list = []  # [key, weight, view]

    def view(self, weight) -> torch.Tensor | None:
        cast = weight.to(self._compute)
        try:
            view = cast.as_subclass(AutoCastView)
        except RuntimeError:
            # A fake tensor (symbolic call of a functional model) cannot change class: a
            # plain cast for a trainable weight; a non-trainable one stays the variable,
            # which `call` may assign.
            return cast if _trainable(weight) else None
        view._tork_variable = weight
        view._tork_swap = self
        return view

    def refresh(self, weight) -> torch.Tensor:
        """Re-reads `weight` after an assignment: every alias gets the new value."""
        fresh = self.view(weight)
        if fresh is None:
            return weight
        for entry in self._entries:
            key, original, view = entry
            if original is weight and self._attrs.get(key) is view:
                self._attrs[key] = fresh
                entry[2] = fresh
        return fresh

    def restore(self) -> None:
        for key, weight, view in self._entries:
            if self._attrs.get(key) is view:
                self._attrs[key] = weight


def autocast_weights(layer, own_weights) -> _Swap | None:
    """Points the attributes of `layer` holding its float weights at compute-dtype views.

    Args:
        layer: a user's layer whose compute dtype differs from its variable dtype.
        own_weights: the layer's own weights (tensors in its `_parameters`).

    Returns:
        The swap to `restore()` after `call`, or None when nothing was swapped.
    """
    compute = layer._tork_compute_dtype
    attrs = layer.__dict__
    own = {
        id(weight)
        for weight in own_weights
        if weight is not None
        and weight.is_floating_point()
        and weight.dtype != compute
        and not getattr(weight, "_tork_no_autocast", False)  # add_weight(autocast=False)
    }
    if not own:
        return None
    swap = _Swap(attrs, compute)
    views: dict = {}
    # Every attribute alias, not only the one named like the weight: KerasHub's
    # `self.position_embeddings = self.add_weight(name="embeddings", ...)`.
    for key, weight in list(attrs.items()):
        if id(weight) in own and isinstance(weight, torch.Tensor):
            if id(weight) not in views:
                views[id(weight)] = swap.view(weight)
            view = views[id(weight)]
            if view is None:
                continue
            attrs[key] = view
            swap._entries.append([key, weight, view])
    return swap if swap._entries else None


def _trainable(weight) -> bool:
    trainable = getattr(weight, "trainable", None)
    return bool(weight.requires_grad) if trainable is None else bool(trainable)
