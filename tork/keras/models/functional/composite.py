"""Functional-API calls involving RaggedTensors and SparseTensors.

The symbolic tensors of `keras.Input(ragged=True)` / `keras.Input(sparse=True)`
(`RaggedKerasTensor`, `SparseKerasTensor`) have small real RaggedTensors/SparseTensors
as twins, since a row partition is data that fake tensors cannot hold. A layer or op
that meets one runs here on real twins: dense symbolic inputs get real zero twins with
the stand-in sizes of their unknown dimensions, and the outputs become symbolic tensors
again (ragged and sparse results keep real twins; dense results get fake twins, so the
rest of the graph is inferred as usual).

Layers that turn dense inputs into RaggedTensors (`TextVectorization(ragged=True)`)
run here too (they set `_tork_composite_output`). The ordinary dense path never comes
here: `Layer.__call__` asks `wants_composite` only for symbolic calls.
"""

from __future__ import annotations

import torch

from tork._backend.ragged_shape import DynamicRaggedShape
from tork._backend.ragged_tensor import RaggedTensor
from tork._backend.sparse_tensor import SparseTensor
from tork._backend.string_tensor import StringTensor
from tork._naming import scratch_names
from tork.keras.layers._call_context import CONTEXT
from tork.keras.models.functional.keras_tensor import (
    _STAND_INS,
    KerasTensor,
    RaggedKerasTensor,
    SparseKerasTensor,
    fake_mode,
    is_composite,
    make_sparse_twins,
)
from tork.keras.models.functional.node import Node, _describe, _map, fixed_inner_sizes, flatten


def wants_composite(layer, args, kwargs) -> bool:
    """Whether a symbolic layer call must run on real twins (ragged or sparse tensors)."""
    if getattr(layer, "_tork_composite_output", False):
        return True
    return any(is_composite(v) for v in flatten((args, kwargs)))


def _real_twin(value, which: int, made: dict, batch: int | None = None):
    """The real value standing for `value` in twin run `which`.

    `batch`: the batch size that inputs of unknown batch size take in both runs (see
    `_run_on_fixed_batch`); default their stand-in sizes.
    """
    if not isinstance(value, KerasTensor):
        return value
    unknown_batch = batch is not None and bool(value.shape) and value.shape[0] is None
    if is_composite(value):
        if unknown_batch and isinstance(value, SparseKerasTensor):
            key = (id(value), which)
            if key not in made:
                made[key] = make_sparse_twins((batch, *value.shape[1:]), value.dtype)[which]
            return made[key]
        return value._fakes[which]
    twin = value._fakes[which]
    if isinstance(twin, StringTensor):
        return twin
    key = (id(value), which)
    if key not in made:
        shape = tuple(_STAND_INS[which] if d is None else d for d in value.shape)
        if unknown_batch:
            shape = (batch, *shape[1:])
        real = torch.zeros(shape, dtype=value.dtype, device=twin.device)
        mask = getattr(twin, "_keras_mask", None)
        if isinstance(mask, torch.Tensor):
            real._keras_mask = torch.ones(shape[: mask.dim()], dtype=mask.dtype)
        made[key] = real
    return made[key]


def _run(run, args, kwargs, batch: int | None = None) -> list:
    made: dict = {}
    outs = []
    CONTEXT.symbolic += 1  # layers skip metric/statistics updates and random ops
    try:
        with torch.no_grad():
            for which in (0, 1):
                a = _map(lambda v, w=which: _real_twin(v, w, made, batch), args)
                k = _map(lambda v, w=which: _real_twin(v, w, made, batch), kwargs)
                outs.append(run(*a, **k))
    finally:
        CONTEXT.symbolic -= 1
    return outs


def _run_on_fixed_batch(run, args, kwargs):
    """Twin outputs of a call whose unknown batch size must equal a fixed size, or None.

    A graph in spektral's single mode holds one graph of N nodes: node features
    `keras.Input((F,))` and adjacency `keras.Input((N,), sparse=True)`, both of unknown
    batch size, which is N in the data. `tf.sparse.sparse_dense_matmul(a, x @ w)` meets
    the adjacency's fixed N with the features' batch size: Keras's unknown size is no
    number and matches it, while the stand-in sizes cannot. The call is run again with
    the unknown batch size set to each fixed size of the inputs' other axes; an output
    whose batch axis has that size keeps an unknown batch size, as in Keras.
    """
    if any(isinstance(v, RaggedKerasTensor) for v in flatten((args, kwargs))):
        return None
    for size in fixed_inner_sizes(args, kwargs):
        try:
            outs = _run(run, args, kwargs, batch=size)
        except Exception:  # noqa: BLE001  (the next size, or the first error is raised)
            continue
        return [
            _map(lambda v, w=which, n=size: _unknown_batch(v, w, n), out)
            for which, out in enumerate(outs)
        ]
    return None


def _unknown_batch(value, which: int, size: int):
    """A dense output whose batch axis has `size`, given twin `which`'s stand-in size."""
    if type(value) is torch.Tensor and value.dim() and value.shape[0] == size:
        return value.new_zeros((_STAND_INS[which], *value.shape[1:]))
    return value


def _to_fake(value: torch.Tensor):
    mode = fake_mode()
    fake = mode.fake_tensor_converter.from_real_tensor(mode, value)
    mask = getattr(value, "_keras_mask", None)
    if isinstance(mask, torch.Tensor):
        fake._keras_mask = mode.fake_tensor_converter.from_real_tensor(mode, mask)
    return fake


def _merge(a, b) -> tuple:
    return tuple(da if da == db else None for da, db in zip(a, b))


def _outputs(outs):
    """Symbolic tensors for the outputs of the two twin runs."""
    pairs = iter(zip(flatten(outs[0]), flatten(outs[1])))

    def make(_):
        a, b = next(pairs)
        if isinstance(a, RaggedTensor):
            shape = _merge(a.shape.as_list(), b.shape.as_list())
            return RaggedKerasTensor(
                shape, a.dtype, a.ragged_rank, a.row_splits_dtype, fakes=(a, b)
            )
        if isinstance(a, SparseTensor):
            shape = _merge(a.shape.as_list(), b.shape.as_list())
            return SparseKerasTensor(shape, a.dtype, fakes=(a, b))
        if isinstance(a, StringTensor):
            return KerasTensor(_merge(a.shape, b.shape), a.dtype, fakes=(a, b))
        if isinstance(a, torch.Tensor):
            shape = _merge(a.shape, b.shape)
            return KerasTensor(shape, a.dtype, fakes=(_to_fake(a), _to_fake(b)))
        return a

    return _map(make, outs[0])


def _note(error: Exception, text: str) -> None:
    if hasattr(error, "add_note") and not getattr(error, "_tork_symbolic_note", False):
        error._tork_symbolic_note = True
        error.add_note(text)


def call_layer(layer, args, kwargs):
    """Calls a layer on symbolic inputs among which are ragged or sparse ones."""
    from tork.keras.layers.layer import _shape_of

    inputs = args[0] if args else None
    kwargs = dict(kwargs)
    with scratch_names():  # sublayers made here are named as tf.keras names them
        if not layer.built:
            CONTEXT.stack.append(layer)
            try:
                layer._tork_build(_shape_of(inputs))
            finally:
                CONTEXT.stack.pop()
        try:
            try:
                outs = _run(layer.__call__, args, kwargs)
            except Exception:
                outs = _run_on_fixed_batch(layer.__call__, args, kwargs)
                if outs is None:
                    raise
            outputs = _outputs(outs)
        except Exception as error:
            _note(
                error,
                f"(while calling layer '{layer.name}' ({type(layer).__name__}) on symbolic "
                f"inputs of shape {_describe(inputs)} in the functional API)",
            )
            raise
    Node(layer, args, kwargs, outputs, is_layer=True)
    if layer.__dict__.get("_tork_out_shape") is None:
        shapes = _map(lambda v: v.shape if isinstance(v, KerasTensor) else None, outputs)
        layer.__dict__["_tork_out_shape"] = shapes
    return outputs


def call_op(func, args, kwargs, layer=None):
    """Records a function applied to symbolic ragged/sparse tensors as a graph node.

    `layer` is the op layer of the call when one calls itself again (a model rebuilt from
    its config keeps the layer names the config gives); default a new one.
    """
    name = getattr(func, "_tork_api_name", None) or getattr(func, "__name__", repr(func))
    try:
        outs = _run(func, args, kwargs)
        _refuse_data_dependent(name, outs)
        outputs = _outputs(outs)
    except Exception as error:
        _note(
            error,
            f"(while applying {name} to symbolic inputs of shape "
            f"{_describe((args, kwargs))} in the functional API)",
        )
        raise
    Node(func, args, kwargs, outputs, is_layer=False, layer=layer)
    return outputs


def _refuse_data_dependent(name: str, outs) -> None:
    """Raises for an output that is not a tensor yet differs between the twin runs.

    Such a value (a `DynamicRaggedShape`, a Python number read from the data) was computed
    from the stand-in twins: handing it back would be a silently wrong constant.
    """
    for a, b in zip(flatten(outs[0]), flatten(outs[1])):
        if isinstance(a, (torch.Tensor, RaggedTensor, SparseTensor, StringTensor)):
            continue
        if isinstance(a, DynamicRaggedShape):
            raise ValueError(
                f"{name} of a symbolic RaggedTensor (from keras.Input(ragged=True)) has no "
                "symbolic value: it is a DynamicRaggedShape, which a functional model cannot "
                "hold. Use x.nrows() for the number of rows, x.row_lengths() for the length "
                "of each row, or x.bounding_shape() for the shape of the padded tensor."
            )
        if not _same(a, b):
            raise ValueError(
                f"{name} on symbolic RaggedTensor/SparseTensor inputs returned a "
                f"{type(a).__name__}, not a tensor, and its value depends on the data, "
                "which a functional model cannot hold: compute it inside a layer's call "
                "(a Lambda or subclassed layer) instead."
            )


def _same(a, b) -> bool:
    try:
        return type(a) is type(b) and bool(a == b)
    except Exception:  # noqa: BLE001 (values without a plain equality)
        return False
