"""Keras 2's save spec: the `TensorSpec`s of a model's call arguments.

HF transformers' `TFPreTrainedModel.__init__` calls `self._set_save_spec(self.input_signature)`
(a dict of `TensorSpec`s), and serving code reads `model.save_spec()` back.
"""

from __future__ import annotations

import numpy as np
import torch

_ATTR = "_tork_save_spec"
# Set while the recorded spec is the one `build(shape)` made (see record_built).
_PROVISIONAL = "_tork_save_spec_provisional"


def _spec_of(value, name: str | None, dynamic_batch: bool):
    from tork.data.tensor_spec import TensorSpec

    if isinstance(value, TensorSpec):
        shape = value.shape.as_list() if value.shape.rank is not None else None
        spec_name, dtype = value.name, value.dtype
    elif isinstance(value, (torch.Tensor, np.ndarray)):
        shape, spec_name, dtype = list(value.shape), name, TensorSpec.from_tensor(value).dtype
    else:
        return None  # a Python value: Keras 2 leaves it out of the spec
    if dynamic_batch and shape:
        shape = [None, *shape[1:]]
    return TensorSpec(shape, dtype, spec_name)


def _specs(value, dynamic_batch: bool, names: list | None, prefix: str | None = None):
    """Maps a nest of tensors/specs to specs.

    The first argument's leaves (`names` a list) get Keras 2's pseudo names (`input_1`...,
    dict keys); the other arguments' (`names` None) stay unnamed, as in Keras 2.
    """
    if isinstance(value, dict):
        keyed = names is not None
        return {
            k: _specs(v, dynamic_batch, names, str(k) if keyed else None) for k, v in value.items()
        }
    if isinstance(value, (list, tuple)):
        return type(value)(_specs(v, dynamic_batch, names, prefix) for v in value)
    if prefix is None and names is not None:
        names.append(None)
        prefix = f"input_{len(names)}"
    return _spec_of(value, prefix, dynamic_batch)


def set_save_spec(model, inputs, args=None, kwargs=None, unknown_batch: bool = False) -> None:
    """Records the specs of `inputs` (and `args`/`kwargs`) unless already recorded.

    `unknown_batch`: the batch sizes are recorded as None (Keras 2 records a symbolic call's,
    and fit/evaluate/predict's traced steps', that way).
    """
    if model.__dict__.pop(_PROVISIONAL, False):
        model.__dict__.pop(_ATTR, None)
    if model.__dict__.get(_ATTR) is not None:
        return
    inputs_spec = _specs(inputs, unknown_batch, [])
    args_spec = [_specs(a, unknown_batch, None) for a in args or []]
    kwargs_spec = {}
    for key, value in (kwargs or {}).items():
        spec = _specs(value, unknown_batch, None)
        if spec is not None:
            kwargs_spec[key] = spec
    model.__dict__[_ATTR] = ([inputs_spec, *args_spec], kwargs_spec)


def record_first_call(model, inputs, args, kwargs) -> None:
    """Keras 2 records a subclassed model's save spec at its first call (also inside fit).

    `args` are the positional arguments after `inputs`; `training`, `mask` and non-tensor
    keyword arguments are left out, as Keras 2 does.
    """
    from tork.keras.layers._call_context import CONTEXT

    if model.__dict__.get(_ATTR) is not None or _is_opaque(inputs):
        return
    kwargs = {k: v for k, v in kwargs.items() if k not in ("training", "mask")}
    kwargs = {k: v for k, v in kwargs.items() if _has_tensor(v)}
    unknown = bool(CONTEXT.symbolic or CONTEXT.data_step)
    set_save_spec(model, inputs, [a for a in args if _has_tensor(a)], kwargs, unknown)


def record_built(model, placeholder, shapes) -> None:
    """`build(shape)` (also on a keras.Input): the spec of the shape it built for.

    Keras 2 records the spec at the first `__call__` after `build`, or the Input's for a
    symbolic call; tork builds from the shape then and runs no hook on later calls, so it
    records the built shape (float inputs of the model's dtype). It stays provisional: an
    explicit `_set_save_spec` replaces it.
    """
    if model.__dict__.get(_ATTR) is not None or not _has_tensor(placeholder):
        return
    set_save_spec(model, placeholder, (), {}, _batch_unknown(shapes))
    model.__dict__[_PROVISIONAL] = True


def _batch_unknown(shapes) -> bool:
    """Whether a (nest of) build shape(s) leaves a batch size unknown."""
    if isinstance(shapes, dict):
        return any(_batch_unknown(v) for v in shapes.values())
    if isinstance(shapes, (list, tuple)) and shapes:
        if all(isinstance(d, int) or d is None for d in shapes):
            return shapes[0] is None
        return any(_batch_unknown(v) for v in shapes)
    return False


def _has_tensor(value) -> bool:
    if isinstance(value, dict):
        return any(_has_tensor(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_has_tensor(v) for v in value)
    return isinstance(value, (torch.Tensor, np.ndarray))


def _is_opaque(value) -> bool:
    # A first argument that holds no tensor (strings, custom objects): nothing to record.
    return not _has_tensor(value)


def get_save_spec(model, dynamic_batch: bool = True, inputs_only: bool = True):
    """The recorded specs (`(args, kwargs)`, or the inputs' alone), or None."""
    recorded = model.__dict__.get(_ATTR)
    if recorded is None and "_tork_input_struct" in model.__dict__:
        # A functional model's spec is its Inputs', batch sizes as given (Keras 2 keeps an
        # Input's fixed batch size even with dynamic_batch=True).
        inputs = _input_specs(model.__dict__["_tork_input_struct"])
        return inputs if inputs_only else ([inputs], {})
    graph = model.__dict__.get("_tork_graph")
    if recorded is None and graph is not None and graph[1] is not None:
        # A Sequential built on its input (an Input, input_shape=, build() or the first
        # call): Keras 2's spec of its input, named as its `input_names` (`dense_input`).
        from tork.data.tensor_spec import TensorSpec

        names = model.input_names or [None]
        recorded = ([TensorSpec(list(graph[0].shape), graph[0].dtype, names[0])], {})
    if recorded is None:
        return None
    args, kwargs = recorded
    args = [_specs(a, dynamic_batch, []) for a in args]
    kwargs = {k: _specs(v, dynamic_batch, [], k) for k, v in kwargs.items()}
    return args[0] if inputs_only else (args, kwargs)


def _input_specs(structure):
    """The `TensorSpec`s of a functional model's Input tensors, in their structure."""
    from tork.data.tensor_spec import TensorSpec

    if isinstance(structure, dict):
        return {k: _input_specs(v) for k, v in structure.items()}
    if isinstance(structure, (list, tuple)):
        return [_input_specs(v) for v in structure]
    return TensorSpec(list(structure.shape), structure.dtype, structure.name)
