"""LoRA (low-rank adaptation) for Dense, EinsumDense and Embedding: Keras 3's `enable_lora`.

`layer.enable_lora(rank)` freezes the layer's big weight `W` (`kernel` or `embeddings`)
and adds two small trainable weights `a` (`W.shape[:-1] + (rank,)`) and `b`
(`(rank, W.shape[-1])`); the layer then uses `W + (lora_alpha / rank) * (a @ b)`.

As in Keras 3, reading `layer.kernel` (or `layer.embeddings`) then gives that merged
tensor, `layer._kernel` the frozen variable, and a saved layer holds the merged weight
only (loading it zeroes `a` and `b`).

The plain layers must not pay for this on their hot path, so the merging lives on a
subclass that `enable_lora` gives the instance (one per layer class, with the same name,
module and config): its `kernel` property shadows the variable's instance attribute.
"""

from __future__ import annotations

import torch

from tork.keras import initializers
from tork.keras.layers._call_context import where

# Layer class -> its LoRA subclass (made once per class).
_LORA_CLASSES: dict[type, type] = {}


def init(layer, lora_rank, lora_alpha) -> None:
    """The layer's `lora_rank`/`lora_alpha` constructor arguments (Keras 3).

    Recorded only when given: Keras 2 code subclasses Dense into its own LoRA layer
    (`self.lora_rank = 4` before or after `super().__init__()`, `kernel_lora_a` weights
    made in its `build`), and that attribute must neither be overwritten nor turn on
    this LoRA as well.
    """
    if lora_rank is None:
        return
    layer.lora_rank = lora_rank
    layer.lora_alpha = lora_alpha if lora_alpha is not None else lora_rank
    layer.__dict__["_tork_lora_init"] = True


def build(layer) -> None:
    """End of `build`: enables LoRA when the constructor asked for it (`lora_rank=...`)."""
    # Keras 3 reads a rank of 0 as "no LoRA".
    if layer.__dict__.get("_tork_lora_init") and layer.lora_rank and not layer.lora_enabled:
        layer.enable_lora(layer.lora_rank, lora_alpha=layer.lora_alpha)


def config(layer) -> dict:
    """The `lora_rank`/`lora_alpha` entries of `get_config` (none without LoRA, as Keras 3)."""
    ours = layer.__dict__.get("_tork_lora_init") or layer.__dict__.get("_tork_lora_on")
    if not ours or not layer.lora_rank:
        return {}
    return {"lora_rank": layer.lora_rank, "lora_alpha": layer.lora_alpha}


def enable_lora(
    layer,
    rank,
    lora_alpha,
    a_initializer,
    b_initializer,
    *,
    weight: str = "kernel",
) -> None:
    """Adds LoRA weights to a built `layer` whose big weight is the attribute `weight`.

    Args:
        layer: a Dense, EinsumDense or Embedding layer (or a subclass).
        rank: the rank of the update (a positive integer).
        lora_alpha: scale numerator (the update is scaled by `lora_alpha / rank`);
            None means `rank`.
        a_initializer: initializer of the `a` weight.
        b_initializer: initializer of the `b` weight.
        weight: `"kernel"` or `"embeddings"`. The layer's `<weight>_constraint` (LoRA
            cannot keep the merged weight inside a constraint) and
            `<weight>_regularizer` (given to `a` and `b`, as in Keras 3) are read too.
    """
    constraint_arg = f"{weight}_constraint"
    regularizer = getattr(layer, f"{weight}_regularizer")
    # Keras 3's checks, messages and order.
    if getattr(layer, constraint_arg):
        what = "kernel" if weight == "kernel" else "embedding"
        raise ValueError(
            f"Lora is incompatible with {what} constraints. In order to enable lora on this "
            f"layer, remove the `{constraint_arg}` argument. ({where(layer)})"
        )
    if not layer.built:
        raise ValueError(
            "Cannot enable lora on a layer that isn't yet built. "
            f"({where(layer)}: call it on inputs or call layer.build(input_shape) first.)"
        )
    if getattr(layer, "lora_enabled", False):
        raise ValueError(
            f"lora is already enabled. This can only be done once per layer. ({where(layer)})"
        )
    if isinstance(rank, bool) or not hasattr(rank, "__index__") or int(rank) <= 0:
        raise ValueError(
            f"{where(layer)}.enable_lora(rank=...) must be a positive integer, got {rank!r}."
        )
    rank = int(rank)
    variable = getattr(layer, weight)
    shape = tuple(variable.shape)
    prefix = f"lora_{weight}"
    a = layer.add_weight(
        name=f"{prefix}_a",
        shape=shape[:-1] + (rank,),
        initializer=initializers.get(a_initializer),
        regularizer=regularizer,
    )
    setattr(layer, f"{prefix}_a", a)
    b = layer.add_weight(
        name=f"{prefix}_b",
        shape=(rank, shape[-1]),
        initializer=initializers.get(b_initializer),
        regularizer=regularizer,
    )
    setattr(layer, f"{prefix}_b", b)
    # Keras 3 scopes the new weights under the layer as the frozen one is (`d1/kernel`,
    # `d1/lora_kernel_a`), also when LoRA is enabled long after the build.
    scope = variable.path.rpartition("/")[0]
    if scope:
        for new in (a, b):
            new._path = f"{scope}/{new.path.rpartition('/')[2]}"
    variable.trainable = False
    # Keras 3 regularizes trainable weights only: the frozen weight's (constant) penalty
    # leaves `losses`, which then hold the penalties of `a` and `b`.
    layer._tork_regularizers[:] = [
        entry for entry in layer._tork_regularizers if entry[0] is not variable
    ]
    layer.lora_rank = rank
    layer.lora_alpha = lora_alpha if lora_alpha is not None else rank
    layer.lora_enabled = True
    layer.__dict__["_tork_lora_on"] = True
    layer.__class__ = _lora_class(type(layer), weight)


def _lora_class(cls: type, weight: str) -> type:
    """`cls` with the LoRA behaviour of `weight` (one class per layer class)."""
    if getattr(cls, "_tork_lora_base", None) is not None:
        return cls
    made = _LORA_CLASSES.get(cls)
    if made is not None:
        return made
    prefix = f"lora_{weight}"

    def merged(self) -> torch.Tensor:
        params = self._parameters
        a, b = params.get(f"{prefix}_a"), params.get(f"{prefix}_b")
        if a is None or b is None:
            # Not (or no longer) a LoRA layer's state: the plain variable, if any.
            return raw(self)
        return params[weight] + (self.lora_alpha / self.lora_rank) * torch.matmul(a, b)

    def raw(self):
        variable = self._parameters.get(weight)
        if variable is None:
            raise AttributeError(f"'{cls.__name__}' object has no attribute '{weight}'")
        return variable

    def from_config(made, config, *args, **kwargs):
        # `type(layer).from_config(...)` (clone_model, copies) makes a plain layer, which
        # gets LoRA when it builds from the config's `lora_rank`.
        return made._tork_lora_base.from_config(config, *args, **kwargs)

    namespace = {
        "__module__": cls.__module__,
        "__qualname__": cls.__qualname__,
        "__doc__": cls.__doc__,
        "_tork_lora_base": cls,
        "_tork_lora_weight": weight,
        weight: property(merged, doc=f"`{weight} + lora_alpha / lora_rank * a @ b` (LoRA)."),
        f"_{weight}": property(raw, doc=f"The frozen `{weight}` variable (LoRA)."),
        "weights": property(_weights, doc="Keras 3's order: the weights in creation order."),
        "save_own_variables": _save_own_variables,
        "load_own_variables": _load_own_variables,
        "__reduce_ex__": _reduce_ex,
        "from_config": classmethod(from_config),
    }
    made = type(cls.__name__, (cls,), namespace)
    _LORA_CLASSES[cls] = made
    return made


def _weights(self) -> list:
    # Keras 3 lists a layer's weights in creation order: the frozen weight first, then
    # the bias, then `a` and `b` (tork's trainable-first order would move it last).
    if self._tork_direct()[1]:
        # A subclass with sublayers: the general rule, which lists theirs too.
        return super(type(self), self).weights
    seen, result = set(), []
    for v in self._tork_direct()[0]:
        if id(v) not in seen:
            seen.add(id(v))
            result.append(v)
    return result


def _saved(self) -> tuple[list, list]:
    """(names, values) written by `save_own_variables`: the merged weight, not a and b."""
    weight = _weight_name(self)
    lora = {f"lora_{weight}_a", f"lora_{weight}_b"}
    names, values = [], []
    for name, param in self._parameters.items():
        if param is None or name in lora:
            continue
        names.append(name)
        values.append(getattr(self, weight) if name == weight else param)
    return names, values


def _weight_name(self) -> str:
    return type(self)._tork_lora_weight


def _save_own_variables(self, store) -> None:
    from tork._backend.tensor import to_numpy

    _, values = _saved(self)
    with torch.no_grad():
        for index, value in enumerate(values):
            store[str(index)] = to_numpy(value, copy=True)


def _load_own_variables(self, store) -> None:
    import numpy as np

    names, _ = _saved(self)
    if len(store.keys()) != len(names):
        raise ValueError(
            f"Layer '{self.name}' expected {len(names)} variables, but received "
            f"{len(store.keys())} variables during loading. Expected: {names} (with LoRA "
            "enabled the layer saves its merged weight without the LoRA weights)."
        )
    arrays = [np.asarray(store[str(i)]) for i in range(len(names))]
    for name, array in zip(names, arrays):
        param = self._parameters[name]
        if tuple(array.shape) != tuple(param.shape):
            raise ValueError(
                f"Layer '{self.name}'.load_own_variables: variable '{name}' has shape "
                f"{tuple(param.shape)}, but the stored array has shape {tuple(array.shape)}."
            )
    weight = _weight_name(self)
    with torch.no_grad():
        for name, array in zip(names, arrays):
            param = self._parameters[name]
            param.copy_(torch.as_tensor(array, dtype=param.dtype))
        # The stored weight already holds the update: start a and b again from zero.
        self._parameters[f"lora_{weight}_a"].zero_()
        self._parameters[f"lora_{weight}_b"].zero_()


def _reduce_ex(self, protocol):
    # Pickle names the plain layer class (pickle finds it by name, not this made one);
    # unpickling gives the instance its LoRA class back.
    cls = type(self)
    func, args, *rest = super(cls, self).__reduce_ex__(protocol)
    if args and args[0] is cls:
        args = (cls._tork_lora_base, *args[1:])
    return (_rebuild, (func, tuple(args), cls._tork_lora_weight), *rest)


def _rebuild(func, args, weight: str):
    obj = func(*args)
    obj.__class__ = _lora_class(type(obj), weight)
    return obj
