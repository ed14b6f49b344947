"""Keras 2's save spec: the `TensorSpec`s of a model's call arguments.

HF transformers' `TFPreTrainedModel.__init__` calls `self._set_save_spec(self.input_signature)`
(a dict of `TensorSpec`s), and serving code reads `model.save_spec()` back.
"""

from __future__ import annotations

import numpy as np
import torch

_ATTR = "_tork_save_spec"


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


def _specs(value, dynamic_batch: bool, names: list, prefix: str | None = None):
    """Maps a nest of tensors/specs to specs; leaves are named as Keras 2's pseudo names."""
    if isinstance(value, dict):
        return {k: _specs(v, dynamic_batch, names, str(k)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_specs(v, dynamic_batch, names, prefix) for v in value)
    if prefix is None:
        names.append(None)
        prefix = f"input_{len(names)}"
    return _spec_of(value, prefix, dynamic_batch)


def set_save_spec(model, inputs, args=None, kwargs=None) -> None:
    """Records the specs of `inputs` (and `args`/`kwargs`) unless already recorded."""
    if model.__dict__.get(_ATTR) is not None:
        return
    inputs_spec = _specs(inputs, False, [])
    args_spec = [_specs(a, False, []) for a in args or []]
    kwargs_spec = {}
    for key, value in (kwargs or {}).items():
        spec = _specs(value, False, [], key)
        if spec is not None:
            kwargs_spec[key] = spec
    model.__dict__[_ATTR] = ([inputs_spec, *args_spec], kwargs_spec)


def get_save_spec(model, dynamic_batch: bool = True, inputs_only: bool = True):
    """The recorded specs (`(args, kwargs)`, or the inputs' alone), or None."""
    recorded = model.__dict__.get(_ATTR)
    if recorded is None and "_tork_input_struct" in model.__dict__:
        # A functional model's spec is its Inputs', batch sizes as given (Keras 2 keeps an
        # Input's fixed batch size even with dynamic_batch=True).
        inputs = _input_specs(model.__dict__["_tork_input_struct"])
        return inputs if inputs_only else ([inputs], {})
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
