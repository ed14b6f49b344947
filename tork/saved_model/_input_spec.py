"""The input specs Keras 2 saves for a model without `Input`s (its "save spec").

Keras 2 records a model's save spec at its first call: the batch size is left free,
and a model first called by `fit`/`evaluate`/`predict` on a `tf.data.Dataset` is
called on the dataset's `element_spec`, so every size the dataset leaves free
(`padded_batch`'s sequence length) stays free in the saved signature. tork's first
call sees a real batch; `record_dataset_spec` keeps the dataset's free sizes for
`tf.saved_model.save` and `model.save(dir)`.

A stateful RNN keeps states for one batch size: its model's outputs have that batch
size in Keras 2's signature, and tork's saved programs take only that batch size.
"""

from __future__ import annotations

# Model attribute (in __dict__): the free sizes of the dataset the model was first called on.
_DATASET_SHAPES = "_tork_dataset_input_shapes"


def record_dataset_spec(model, x) -> None:
    """Records `x`'s input shapes if `x` is a dataset and `model` has not been called yet.

    Called by `fit`, `evaluate` and `predict` before their first batch. As Keras 2, a
    dataset of `(x, y)` or `(x, y, sample_weight)` tuples gives `x`'s specs.
    """
    from tork.data import Dataset

    if getattr(model, "built", True) or not isinstance(x, Dataset):
        return
    try:
        spec = x.element_spec
    except Exception:  # noqa: BLE001 - a dataset without a spec keeps the first batch's sizes
        return
    if isinstance(spec, tuple) and 1 <= len(spec) <= 3:
        spec = spec[0]
    shapes = _shapes(spec)
    if shapes is not None:
        model.__dict__[_DATASET_SHAPES] = shapes


def _shapes(spec):
    """The nest of `spec` as tuples of sizes (None where free); None if not plain specs."""
    if isinstance(spec, dict):
        items = {k: _shapes(v) for k, v in spec.items()}
        return None if any(v is None for v in items.values()) else items
    if isinstance(spec, (list, tuple)):
        items = [_shapes(v) for v in spec]
        return None if any(v is None for v in items) else items
    shape = getattr(spec, "shape", None)
    if shape is None or getattr(shape, "rank", 0) is None:
        return None
    try:
        return tuple(None if d is None else int(d) for d in shape)
    except TypeError:
        return None


def relax(model, specs: list, structure) -> list:
    """`specs` (`[(shape, dtype)]` in `export._specs_from_model`'s order) with free sizes.

    The sizes (after the batch axis) that the dataset the model was first called on
    leaves free become None.
    """
    recorded = model.__dict__.get(_DATASET_SHAPES)
    if recorded is None:
        return specs
    if isinstance(structure, list) and structure and isinstance(structure[0], str):
        if not isinstance(recorded, dict):
            return specs
        shapes = [recorded.get(k) for k in structure]
    elif structure == "single":
        shapes = [recorded] if isinstance(recorded, tuple) else [None]
    else:
        shapes = list(recorded) if isinstance(recorded, list) else [None] * len(specs)
    if len(shapes) != len(specs):
        return specs
    result = []
    for (shape, dtype), free in zip(specs, shapes):
        if shape and isinstance(free, tuple) and len(free) == len(shape):
            # The batch axis is left as given (free, or a stateful RNN's batch size).
            rest = tuple(None if f is None else d for d, f in zip(shape[1:], free[1:]))
            shape = (shape[0], *rest)
        result.append((shape, dtype))
    return result


def stateful_batch_size(model) -> int | None:
    """The batch size a stateful RNN in `model` keeps states for (None if none is stateful).

    The states' batch size once they exist, else the batch the model was first called
    (or built) with.
    """
    stateful = [
        layer
        for layer in model._flatten_layers(include_self=False)
        if getattr(layer, "stateful", False)
    ]
    if not stateful:
        return None
    for layer in stateful:
        states = layer.__dict__.get("_tork_states")
        if states:
            first = states[0]
            if hasattr(first, "shape") and len(first.shape):
                return int(first.shape[0])
    for layer in stateful:
        shape = getattr(layer, "_batch_input_shape", None)
        if shape and shape[0] is not None:
            return int(shape[0])
    shape = model.__dict__.get("_build_shapes")
    while isinstance(shape, (list, dict)) and shape:
        shape = next(iter(shape.values())) if isinstance(shape, dict) else shape[0]
    try:
        size = shape[0] if shape is not None else None
        return None if size is None else int(size)
    except (TypeError, IndexError):
        return None
