"""torch's dtype methods on Keras layers: `double()`, `float()`, `half()`, `bfloat16()`,
`to(dtype)`, `to(device, dtype)` and `type(dtype)`.

tork layers are `torch.nn.Module`s, and torch users cast a module with these methods. torch
converts the parameters and buffers; a Keras layer also has a dtype policy (the dtype of its
variables and of its computations, to which it casts its floating-point inputs), and a model
has more state in that dtype: the symbolic graph of a functional model, the dtype its
`keras.Input`s cast their data to, the slot variables of a built optimizer. All the methods
go through `torch.nn.Module._apply(fn)`, which `Layer._apply` hands to `apply` below: it
finds what `fn` does to floating-point dtypes by applying it to an empty probe tensor, then,
when the dtype changes, sets the layer's policy to the new dtype and updates the rest, so
that `model.double()` computes in float64 as a torch user expects.

A mixed precision policy (`'mixed_float16'`: float32 variables, float16 computations) gives
way to a plain one: after `.float()` everything is float32, after `.half()` float16.
Integer and bool variables and buffers keep their dtype, also under `type(torch.float64)`
(which torch would cast): a Keras layer's integer state (counters, lookup tables, seeds)
means integers. `to(device)` alone changes no dtype and no policy.
"""

from __future__ import annotations

import torch

from tork._backend.dtypes import _LAYER_APPLIES


def apply(layer, module_apply, fn, recurse: bool):
    """`Layer._apply`: runs torch's `_apply` and makes the layer follow a dtype change.

    Args:
        layer: the Keras layer.
        module_apply: `torch.nn.Module._apply` bound to `layer`.
        fn: the conversion torch applies to each parameter and buffer.
        recurse: whether to convert the sublayers as well (torch's argument).

    Returns:
        `layer`, as torch's `_apply` does.
    """
    _LAYER_APPLIES[0] += 1  # optimizers check their variables at their next step
    fn = _keep_integers(fn)
    change = _policy_change(layer, fn)
    result = module_apply(fn, recurse)
    if change is not None:
        _set_policy(layer, *change)
        _retype_graph(layer, fn)
        _retype_optimizer(layer)
        reset = getattr(layer, "_tork_reset_step_functions", None)
        if reset is not None:
            # fit's step functions (compiled ones above all) were made for the old dtypes.
            reset()
    return result


def _keep_integers(fn):
    """`fn`, except that it changes the dtype of floating-point and complex tensors only."""
    if getattr(fn, "_tork_keeps_integers", False):
        return fn

    def convert(tensor):
        converted = fn(tensor)
        if (
            isinstance(converted, torch.Tensor)
            and converted.dtype != tensor.dtype
            and not (tensor.is_floating_point() or tensor.is_complex())
        ):
            # `type(torch.float64)`: the move (device) still happens, the cast does not.
            with torch.no_grad():
                return tensor.to(device=converted.device)
        return converted

    convert._tork_keeps_integers = True
    return convert


def _probe(fn, dtype):
    """The dtype `fn` converts a tensor of `dtype` to (None: not a torch dtype)."""
    if not isinstance(dtype, torch.dtype):
        return None  # tork's string "dtype": no tensors to convert
    with torch.no_grad():
        converted = fn(torch.empty(0, dtype=dtype))
    return converted.dtype if isinstance(converted, torch.Tensor) else dtype


def _policy_change(layer, fn):
    """`(variable dtype, compute dtype)` after `fn`, or None when `fn` changes neither."""
    attrs = layer.__dict__
    variable, compute = attrs.get("_variable_dtype"), attrs.get("_tork_compute_dtype")
    new_variable, new_compute = _probe(fn, variable), _probe(fn, compute)
    if new_variable is None or new_compute is None:
        return None
    if new_variable == variable and new_compute == compute:
        return None
    return new_variable, new_compute


def _set_policy(layer, variable, compute) -> None:
    from tork.keras.mixed_precision.policy import _MIXED, DTypePolicy

    name = None
    if variable == torch.float32 and variable != compute:
        name = next((n for n, dtype in _MIXED.items() if dtype == compute), None)
    input_dtype = layer.__dict__.get("_input_dtype")
    if isinstance(input_dtype, torch.dtype) and input_dtype.is_floating_point:
        # An InputLayer: its dtype is the one its keras.Input casts the model's data to,
        # and its policy that dtype (as Keras makes it).
        input_dtype = _data_dtype(input_dtype, compute)
        layer._input_dtype = input_dtype
        name, compute = None, input_dtype
        variable = input_dtype
    layer._set_dtype(DTypePolicy(name or variable))
    # The dtype fit/evaluate/predict give this model its floating-point data in.
    if compute.is_floating_point:
        layer.__dict__["_tork_torch_dtype"] = _data_dtype(torch.float32, compute)


def _data_dtype(old, new):
    """The dtype of floating-point data (a `keras.Input`'s) for layers now computing in `new`.

    At least float32, as Keras keeps its Inputs under mixed precision: the layers cast it
    to their 16-bit compute dtype themselves, while integer ids fed through a float Input
    (to an Embedding) stay exact, which float16 keeps only up to 2048 (bfloat16 256).
    """
    if new.is_floating_point and new.itemsize < 4 and old.itemsize >= 4:
        return torch.float32
    return new


def _retype_graph(layer, fn) -> None:
    """The symbolic tensors of a functional model's (or a Sequential's) graph take the new dtype.

    They are the graph's own: `model.inputs`, `model.outputs`, `layer.output`. A model casts
    its data to its `keras.Input`s' dtypes: the graph's InputLayers (which a torch method
    does not reach when they are no sublayers, as a Sequential's) take the new dtype too.
    """
    attrs = layer.__dict__
    tensors = list(attrs.get("_tork_flat_inputs") or ())
    tensors += list(attrs.get("_tork_flat_outputs") or ())
    nodes = list(attrs.get("_tork_nodes") or ())
    graph = attrs.get("_tork_graph")
    if graph is not None:  # Sequential: (input, output, nodes)
        tensors += [t for t in graph[:2] if t is not None]
        nodes += list(graph[2])
    input_layer = attrs.get("_tork_input_layer")
    if input_layer is not None:
        tensors.append(input_layer.output)
    for node in nodes:
        tensors += list(node.inputs) + list(node.outputs)
        _retype_constants(node, fn)
        operation = node.layer
        if "_input_dtype" not in operation.__dict__ and "_variable_dtype" in operation.__dict__:
            # The TFOpLambda layers of ops are no sublayers: their policy is set here.
            change = _policy_change(operation, fn)
            if change is not None:
                _set_policy(operation, *change)
    done = set()
    for tensor in tensors:
        if id(tensor) in done:
            continue
        done.add(id(tensor))
        producer = getattr(getattr(tensor, "_tork_node", None), "operation", None)
        input_dtype = getattr(producer, "__dict__", {}).get("_input_dtype")
        if isinstance(input_dtype, torch.dtype):
            if id(producer) not in done:
                done.add(id(producer))
                change = _policy_change(producer, fn)
                if change is not None:
                    _set_policy(producer, *change)
            _retype_tensor(tensor, producer._input_dtype)
        else:
            _retype_tensor(tensor, _probe(fn, tensor.dtype))


def _retype_constants(node, fn) -> None:
    """Floating-point tensors a graph's op holds (`x @ tf.ones((2, 1))`) take the new dtype.

    They are the model's constants, as its buffers are: kept float32, ops such as matmul
    would refuse them with float64 inputs. Variables are left to their layers.
    """
    from tork.keras.models.functional.node import _map, flatten

    def convert(value):
        if (
            isinstance(value, torch.Tensor)
            and not isinstance(value, torch.nn.Parameter)
            and (value.is_floating_point() or value.is_complex())
        ):
            with torch.no_grad():
                return fn(value)
        return value

    args, kwargs = _map(convert, node.args), _map(convert, node.kwargs)
    if any(a is not b for a, b in zip(flatten((args, kwargs)), flatten((node.args, node.kwargs)))):
        node.args, node.kwargs = args, kwargs  # (rebuilt nests only where a constant changed)


def _retype_tensor(tensor, dtype) -> None:
    from tork.keras.models.functional.keras_tensor import KerasTensor, make_fakes

    # Ragged and sparse symbolic tensors keep theirs (their stand-ins are composite).
    if type(tensor) is not KerasTensor or dtype is None or dtype == tensor.dtype:
        return
    fakes = make_fakes(tensor.shape, dtype)
    for old, new in zip(tensor._fakes, fakes):
        mask = getattr(old, "_keras_mask", None)
        if mask is not None:
            new._keras_mask = mask
    tensor.dtype = dtype
    tensor._fakes = fakes


def _retype_optimizer(layer) -> None:
    """A built optimizer's slot variables follow their model variables' new dtype."""
    optimizer = layer.__dict__.get("_tork_optimizer")
    while optimizer is not None:
        follow_variables(optimizer)
        # A LossScaleOptimizer's slots are its inner optimizer's.
        optimizer = getattr(optimizer, "inner_optimizer", None)


def follow_variables(optimizer) -> None:
    """Converts an optimizer's slots to the dtype and device of the variables they belong to.

    Called for the optimizer of a model cast by a torch method; also usable by an optimizer
    that finds its variables cast under it (a custom training loop).
    """
    attrs = optimizer.__dict__
    variables = attrs.get("_trainable_variables") or []
    # Slot i of each name belongs to the optimizer's variable i (`add_slot`'s by index).
    tables = [dict(enumerate(slots)) for slots in attrs.get("_slots", {}).values()]
    tables += list(attrs.get("_legacy_slots", {}).values())
    changed = False
    for table in tables:
        for index, slot in table.items():
            variable = variables[index] if index < len(variables) else None
            if (
                isinstance(slot, torch.Tensor)
                and isinstance(variable, torch.Tensor)
                and slot.is_floating_point()
                and variable.is_floating_point()
                and (slot.dtype != variable.dtype or slot.device != variable.device)
            ):
                with torch.no_grad():
                    slot.data = slot.data.to(device=variable.device, dtype=variable.dtype)
                changed = True
    if changed or variables:
        reset = getattr(optimizer, "_reset_plans", None)
        if reset is not None:
            reset()  # its plans group the variables by (device, dtype)
