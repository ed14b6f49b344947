"""`tf.saved_model.save`: writes an object's variables and traced functions (tork's format).

Each concrete function (a `tf.function` with an `input_signature`, or one of the
argument types it was called with) becomes a `torch.export` program whose inputs
are the variables it reads and its tensor arguments; in-place variable updates
(`v.assign(x)`) stay in the program and write the restored variables when the
loaded function runs. See `_format` for the directory's layout.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import os
import shutil
import tempfile
import warnings

import torch

from tork.saved_model import _format

# The attribute TensorFlow (and Keras 2) read for a default signature.
_DEFAULT_SIGNATURE_ATTR = "_default_save_signature"
_DEFAULT_KEY = "serving_default"


# Output templates by trace token: torch.export may run a copy of the traced module.
_OUTPUT_TEMPLATES: dict = {}


class _Trace(torch.nn.Module):
    """Runs one function on flat tensor inputs; the saved object's state is its submodule."""

    def __init__(self, root, function, template, where):
        super().__init__()
        self.root = root
        object.__setattr__(self, "_function", function)
        object.__setattr__(self, "_template", template)
        object.__setattr__(self, "_where", where)
        object.__setattr__(self, "_token", f"trace-{id(self)}-{len(_OUTPUT_TEMPLATES)}")

    @property
    def output_template(self):
        return _OUTPUT_TEMPLATES.get(self._token)

    def forward(self, *flat):
        args, kwargs = _format.unflatten(self._template, flat)
        with _structures_see_traced_variables(self.root):
            result = self._function(*args, **kwargs)
        outputs: list = []
        template = _format.flatten_value(result, outputs, f"the result of {self._where}")
        _OUTPUT_TEMPLATES[self._token] = template
        # A trailing constant: torch.export cannot serialize a program without outputs
        # (`mutate` returning None); the loader drops it.
        return (*outputs, torch.zeros((), device=_device_of(flat)))


# (module, key) -> the real tensor registered there, recorded before torch.export swaps
# the registries' entries for the tensors it traces with.
_REGISTERED: dict = {}


def _record_registered(root) -> None:
    _REGISTERED.clear()
    for module in root.modules():
        for registry in (module._parameters, module._buffers):
            for key, tensor in registry.items():
                if tensor is not None:
                    _REGISTERED[(id(registry), key)] = (registry, tensor)


@contextlib.contextmanager
def _structures_see_traced_variables(root):
    """Lists, dicts and tuples of variables give the traced stand-ins while tracing.

    torch.export swaps the tensors registered on modules, which attribute reads see;
    tork keeps a list of variables (`self.biases = [v0, v1]`) as the user's list plus a
    torch mirror, and the list still holds the real variables. For the call, each such
    attribute is replaced by a copy holding the stand-ins, and put back afterwards.
    """
    swapped = {}
    for (_, key), (registry, tensor) in _REGISTERED.items():
        current = registry.get(key)
        if current is not None and current is not tensor:
            swapped[id(tensor)] = current
    replaced = []
    if swapped:
        for module in root.modules():
            for name, value in list(module.__dict__.items()):
                if isinstance(value, (list, tuple, dict)) and not name.startswith("_"):
                    new = _substitute(value, swapped)
                    if new is not value:
                        replaced.append((module, name, value))
                        module.__dict__[name] = new
    try:
        yield
    finally:
        for module, name, value in replaced:
            module.__dict__[name] = value


def _substitute(value, swapped):
    """`value` with swapped tensors replaced (the same object when nothing changes)."""
    if isinstance(value, torch.Tensor):
        return swapped.get(id(value), value)
    if isinstance(value, (list, tuple)):
        items = [_substitute(v, swapped) for v in value]
        if all(a is b for a, b in zip(items, value)):
            return value
        return tuple(items) if isinstance(value, tuple) else list(items)
    if isinstance(value, dict):
        items = {k: _substitute(v, swapped) for k, v in value.items()}
        if all(items[k] is value[k] for k in value):
            return value
        return items
    return value


def _device_of(flat):
    return flat[0].device if flat else None


class _TracingAssign:
    """`assign`, `assign_add`, `assign_sub` on the stand-in tensors torch.export traces with.

    torch.export swaps each variable for a plain (fake) tensor while it traces, so a
    function's `self.v.assign(x)` meets a tensor without Variable's methods. This gives
    them an in-place copy/add/sub, which the program keeps as a write to that input.
    """

    def __init__(self, kind, original):
        self._kind = kind
        self._original = original

    def __get__(self, tensor, owner=None):
        if tensor is None:
            return self
        from tork.variables import _slice_target

        if self._original is not None and _slice_target(tensor) is not None:
            return self._original.__get__(tensor, owner)  # a slice of a real variable
        kind = self._kind

        def update(value, use_locking=None, name=None, read_value=True):
            value = torch.as_tensor(value, dtype=tensor.dtype, device=tensor.device)
            if kind == "assign":
                tensor.copy_(value)
            elif kind == "assign_add":
                tensor.add_(value)
            else:
                tensor.sub_(value)
            return tensor if read_value else None

        return update

    def __set__(self, tensor, value):
        raise AttributeError(f"'{self._kind}' of a tensor cannot be set")


def _traced_function_call(self, *args, **kwargs):
    """`tf.function.__call__` while exporting: the Python function, no trace bookkeeping.

    tork's tf.function keys its traces by argument shapes, which are symbolic (unhashable)
    while torch.export traces; a tf.function called by a saved function simply runs.
    """
    from tork.function import _python_numbers_to_tensors

    if self._input_signature is not None:
        args, kwargs = self._apply_signature(args, kwargs)
    if self._instance_ref is not None:
        args = (self._instance(), *args)
    return _python_numbers_to_tensors(self._python_function(*args, **kwargs))


@contextlib.contextmanager
def _tracing_assign():
    from tork.function import Function

    saved = {k: torch.Tensor.__dict__.get(k) for k in ("assign", "assign_add", "assign_sub")}
    call = Function.__dict__["__call__"]
    try:
        for kind, original in saved.items():
            setattr(torch.Tensor, kind, _TracingAssign(kind, original))
        Function.__call__ = _traced_function_call
        yield
    finally:
        Function.__call__ = call
        for kind, original in saved.items():
            if original is None:
                delattr(torch.Tensor, kind)
            else:
                setattr(torch.Tensor, kind, original)


def _is_spec(value) -> bool:
    from tork.data.tensor_spec import TensorSpec

    return isinstance(value, TensorSpec) or type(value).__name__ in ("InputSpec", "TensorSpec")


def _spec_parts(spec):
    """`(shape or None for unknown rank, dtype, name)` of a TensorSpec-like or tensor."""
    from tork._backend import dtypes

    if isinstance(spec, torch.Tensor):
        return tuple(spec.shape), spec.dtype, None
    shape = getattr(spec, "shape", None)
    if shape is not None and getattr(shape, "rank", 0) is None:
        shape = None
    elif shape is not None:
        shape = tuple(None if d is None else int(d) for d in shape)
    dtype = getattr(spec, "dtype", None)
    dtype = dtypes.as_dtype(dtype) if dtype is not None else dtypes.floatx_dtype()
    return shape, dtype, getattr(spec, "name", None)


def _args_template(values, specs: list, where: str):
    """Template of a nest of specs/tensors/constants; specs (shape, dtype, name) go to `specs`."""
    if _is_spec(values) or isinstance(values, torch.Tensor):
        specs.append(_spec_parts(values))
        return {"tensor": len(specs) - 1}
    if isinstance(values, (list, tuple)):
        kind = "list" if isinstance(values, list) else "tuple"
        return {kind: [_args_template(v, specs, where) for v in values]}
    if isinstance(values, dict):
        return {"dict": [[str(k), _args_template(v, specs, where)] for k, v in values.items()]}
    return _format.flatten_value(values, [], where)


def _key_to_value(key, where):
    """An example argument (tensor, constant or nest) from a tork.function trace key."""
    from tork.function import _is_tensor_key

    if _is_tensor_key(key):
        dtype = key[1]
        if not isinstance(dtype, torch.dtype):
            raise ValueError(f"{where}: a NumPy string argument cannot be saved.")
        return torch.zeros(tuple(key[2]), dtype=dtype)
    kind, payload = key
    if kind in (list, tuple):
        return kind(_key_to_value(k, where) for k in payload)
    if kind is dict:
        return {k: _key_to_value(v, where) for k, v in payload}
    if kind in (bool, int, float, str, type(None)) or isinstance(payload, (int, float, str)):
        return payload
    raise ValueError(
        f"{where} was called with an argument of type {kind.__name__}, which a saved "
        "function cannot take: pass tensors, Python numbers or strings."
    )


def _traced_calls(function) -> list:
    """`(args, kwargs)` examples, one per distinct call the function has traced so far."""
    calls = []
    for key in list(function._seen):
        if (
            type(key) is tuple
            and len(key) == 2
            and type(key[0]) is tuple
            and (not key[0] or type(key[0][0]) is tuple)
            and type(key[1]) is tuple
            and key[1][:1] == (dict,)
        ):
            args_key, (_, items) = key
            kwargs_keys = dict(items)
        else:
            args_key, kwargs_keys = key, {}
        calls.append((args_key, kwargs_keys))
    return calls


def _bind_template(python_function, has_self, args, kwargs, where):
    """`(parameter names, positional template, input specs)` for one call's arguments."""
    try:
        signature = inspect.signature(python_function)
        params = list(signature.parameters.values())
        if has_self:
            params = params[1:]
        signature = signature.replace(parameters=params)
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        names = list(bound.arguments)
        values = []
        for name in names:
            kind = signature.parameters[name].kind
            if kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD):
                raise ValueError(
                    f"{where}: functions with *args or **kwargs cannot be saved; give the "
                    "function named parameters."
                )
            values.append(bound.arguments[name])
    except (TypeError, ValueError) as error:
        if "cannot be saved" in str(error):
            raise
        if kwargs:
            raise ValueError(f"{where}: cannot bind the traced arguments: {error}") from None
        names, values = [f"args_{i}" for i in range(len(args))], list(args)
    specs: list = []
    template = [_args_template(v, specs, where) for v in values]
    defaults = _defaults(python_function, has_self)
    for name, t in zip(names, template):
        default = defaults.get(name, inspect.Parameter.empty)
        if "const" in t and type(default) is type(t["const"]) and default == t["const"]:
            # A call leaving out this parameter gets its default, as TF binds it.
            t["default"] = True
    for i, (shape, dtype, name) in enumerate(specs):
        if name is None:
            # TF names an unnamed spec after its parameter.
            owner = next((n for n, t in zip(names, template) if t.get("tensor") == i), None)
            specs[i] = (shape, dtype, owner)
    return names, template, specs


def _defaults(python_function, has_self) -> dict:
    try:
        params = list(inspect.signature(python_function).parameters.values())
    except (TypeError, ValueError):
        return {}
    if has_self:
        params = params[1:]
    return {p.name: p.default for p in params if p.default is not inspect.Parameter.empty}


class _Saver:
    def __init__(self, root):
        self.root = root
        self.variables: list = []
        self._variable_ids: dict[int, int] = {}
        self.nodes: list = []
        self._node_ids: dict[int, int] = {}
        self.programs: list = []  # (file name, ExportedProgram)
        self.functions: list = []
        self._collect_variables()

    # -- variables --------------------------------------------------------------
    def _collect_variables(self) -> None:
        root = self.root
        if not isinstance(root, torch.nn.Module):
            return
        for _, tensor in root.named_parameters(remove_duplicate=True):
            self._variable_index(tensor)
        for _, tensor in root.named_buffers(remove_duplicate=True):
            self._variable_index(tensor)

    def _variable_index(self, tensor) -> int:
        index = self._variable_ids.get(id(tensor))
        if index is None:
            index = self._variable_ids[id(tensor)] = len(self.variables)
            self.variables.append(tensor)
        return index

    # -- object graph -------------------------------------------------------------
    def node(self, obj) -> int:
        index = self._node_ids.get(id(obj))
        if index is not None:
            return index
        strings = getattr(obj, "__dict__", {}).get("_tork_string_weights")
        if strings:
            # Refused up front: torch.export programs and variables.pt hold numbers only.
            raise NotImplementedError(
                f"tf.saved_model.save: cannot save the string weight '{strings[0].path}' of "
                f"{type(obj).__name__} '{getattr(obj, 'name', '')}': tork's SavedModel holds "
                "numeric variables only. Save the strings yourself (e.g. "
                "`np.save(path, weight.numpy())`), or index integer ids and map them to "
                "strings outside the saved model."
            )
        index = self._node_ids[id(obj)] = len(self.nodes)
        entry: dict = {"class": type(obj).__name__}
        self.nodes.append(entry)
        entry["children"] = self._children(obj)
        entry["functions"] = self._functions(obj)
        owned = getattr(obj, "variables", None)
        if isinstance(owned, (list, tuple)):
            entry["variables"] = [self._variable_index(v) for v in owned]
        return index

    def _children(self, obj) -> dict:
        from tork.module import _attributes

        keras_layer = _is_keras_layer(obj)
        children = {}
        for name, value in _attributes(obj).items():
            if name.startswith("_tork") or (keras_layer and not isinstance(value, torch.Tensor)):
                continue  # a Keras layer's sublayers are saved through its variables
            ref = self._reference(value)
            if ref is not None:
                children[name] = ref
        return children

    def _reference(self, value):
        from tork.function import Function

        if isinstance(value, torch.Tensor):
            return {"variable": self._variable_index(value)}
        if isinstance(value, torch.nn.Module) and not _is_container(value):
            return {"node": self.node(value)}
        if isinstance(value, Function):
            return None
        if isinstance(value, (list, tuple)):
            items = [self._reference(v) for v in value]
            return {"list": items} if all(i is not None for i in items) else None
        if isinstance(value, dict):
            items = {str(k): self._reference(v) for k, v in value.items()}
            return {"dict": items} if all(i is not None for i in items.values()) else None
        return None

    # -- functions ------------------------------------------------------------------
    def _functions(self, obj) -> dict:
        from tork.function import Function

        found = {}
        for klass in reversed(type(obj).__mro__):
            for name, value in vars(klass).items():
                if isinstance(value, Function):
                    found[name] = getattr(obj, name)  # the Function bound to `obj`
        for name, value in vars(obj).items():
            if isinstance(value, Function):
                found[name] = value
        result = {}
        for name, function in found.items():
            if name == _DEFAULT_SIGNATURE_ATTR:
                continue
            result[name] = self.function(obj, name, function)
        return result

    def function(self, owner, name, function) -> int:
        """Index of the saved function record for a (bound) tork Function."""
        where = f"tf.function `{type(owner).__name__}.{name}`"
        has_self = function._instance_ref is not None
        python_function = function._python_function
        call = (lambda *a, **k: python_function(owner, *a, **k)) if has_self else python_function
        if function._input_signature is not None:
            examples = [(tuple(function._input_signature), {})]
        else:
            examples = [
                (
                    tuple(_key_to_value(k, where) for k in args_key),
                    {k: _key_to_value(v, where) for k, v in kwargs_keys.items()},
                )
                for args_key, kwargs_keys in _traced_calls(function)
            ]
        concretes = []
        for args, kwargs in examples:
            names, template, specs = _bind_template(python_function, has_self, args, kwargs, where)
            concretes.extend(self.concrete(call, names, template, specs, where))
        record = {"name": name, "concrete": concretes}
        self.functions.append(record)
        return len(self.functions) - 1

    def concrete(self, call, names, template, specs, where) -> list:
        """Concrete function records for these inputs (one per rank for unknown ranks)."""
        unknown = [i for i, (shape, _, _) in enumerate(specs) if shape is None]
        if not unknown:
            return [self._export(call, names, template, specs, where)]
        if len(unknown) > 1:
            raise ValueError(
                f"Cannot save {where}: more than one input has an unknown rank "
                "(tf.TensorSpec(None, ...)). Give their ranks, e.g. tf.TensorSpec([None], ...)."
            )
        records, errors = [], []
        for rank in range(5):
            ranked = list(specs)
            shape, dtype, name = specs[unknown[0]]
            ranked[unknown[0]] = ((None,) * rank, dtype, name)
            try:
                records.append(self._export(call, names, template, ranked, where))
            except ValueError as error:
                errors.append(str(error))
        if not records:
            raise ValueError(errors[0])
        for record in records:
            record["unknown_rank"] = unknown[0]
            record["signature_specs"] = [_format.spec_to_json(*s) for s in specs]
        return records

    def _export(self, call, names, template, specs, where) -> dict:
        from tork._backend import string_tensor
        from tork.keras.saving.export import _resolvable_paths

        strings = [name for _, dtype, name in specs if dtype is string_tensor.string]
        if strings:
            raise ValueError(
                f"Cannot save {where}: its input(s) {strings} are strings (tf.string). tork's "
                "SavedModel holds torch.export programs, which take numeric tensors only. Do the "
                "string preprocessing in the tf.data pipeline (dataset.map) and give the model "
                "numeric inputs, or save the Keras model with model.save('model.keras')."
            )
        examples, dynamic = [], []
        for shape, dtype, _ in specs:
            # Unknown sizes by axis: 3, 5, 7... (not 0 or 1, which torch.export would fix;
            # the same size for one axis of several inputs, such as a shared batch size).
            concrete = tuple(3 + 2 * axis if d is None else d for axis, d in enumerate(shape))
            if dtype.is_floating_point:
                generator = torch.Generator().manual_seed(len(examples))
                example = torch.rand(concrete, generator=generator).to(dtype) + 0.5
            elif dtype == torch.bool:
                example = torch.ones(concrete, dtype=dtype)
            else:
                example = torch.ones(concrete, dtype=dtype)
            examples.append(example)
            axes = {a: torch.export.Dim.AUTO for a, d in enumerate(shape) if d is None}
            dynamic.append(axes or None)
        trace = _Trace(self.root, call, {"list": [{"tuple": template}, {"dict": []}]}, where)
        device = next((v.device for v in self.variables), torch.device("cpu"))
        examples = [e.to(device) for e in examples]
        was_training = trace.training
        try:
            _record_registered(self.root)
            with _resolvable_paths(trace), _tracing_assign(), torch.no_grad():
                program = torch.export.export(
                    trace, tuple(examples), dynamic_shapes=(tuple(dynamic),), strict=False
                )
        except Exception as error:
            raise ValueError(_export_error(where, specs, error)) from error
        finally:
            _REGISTERED.clear()
            trace.train(was_training)
        file_name = f"{_format.FUNCTIONS_DIR}/{len(self.programs)}.pt2"
        record = {
            "file": file_name,
            "names": names,
            "template": template,
            "specs": [_format.spec_to_json(*s) for s in specs],
            "program_shapes": _program_shapes(program),
            "state": self._state_map(program),
            "output": _OUTPUT_TEMPLATES.pop(trace._token, None),
            "output_specs": _output_specs(program),
            "device": str(device),
        }
        _drop_weight_copies(program)
        self.programs.append((file_name, program))
        return record

    def _state_map(self, program) -> dict:
        """Program input name -> variable index, for the variables the program reads."""
        from torch.export.graph_signature import InputKind

        found = {}
        state = {**program.state_dict, **program.constants}
        for spec in program.graph_signature.input_specs:
            if spec.kind not in (InputKind.PARAMETER, InputKind.BUFFER):
                continue
            tensor = state.get(spec.target)
            index = self._variable_ids.get(id(tensor))
            if index is None:
                raise ValueError(
                    f"Internal error: the traced program reads '{spec.target}', which is not "
                    "one of the saved object's variables."
                )
            found[spec.target] = index
        return found

    # -- signatures -------------------------------------------------------------
    def signature(self, value, where) -> dict:
        """The concrete record of a signature (a Function or ConcreteFunction)."""
        from tork.function import ConcreteFunction, Function

        if isinstance(value, ConcreteFunction):
            function = value._function
            args, kwargs = value.structured_input_signature
        elif isinstance(value, Function) and value._input_signature is not None:
            function = value
            args, kwargs = tuple(value._input_signature), {}
        else:
            raise ValueError(
                f"Expected a TensorFlow function for which to generate a signature for {where}, "
                f"got {value!r:.100}. Only tf.functions with an input signature or concrete "
                "functions (f.get_concrete_function(tf.TensorSpec(...))) can be signatures."
            )
        has_self = function._instance_ref is not None
        owner = function._instance() if has_self else None
        python_function = function._python_function
        call = (lambda *a, **k: python_function(owner, *a, **k)) if has_self else python_function
        names, template, specs = _bind_template(python_function, has_self, args, kwargs, where)
        records = self.concrete(call, names, template, specs, where)
        for record in records:
            _name_signature_outputs(record, where)
        return {"concrete": records}


def endpoint_records(saver, fn, input_signature, where) -> list:
    """Concrete records of `fn` (a tf.function or any callable) for `input_signature`."""
    from tork.function import Function

    if isinstance(fn, Function):
        has_self = fn._instance_ref is not None
        owner = fn._instance() if has_self else None
        python_function = fn._python_function
        if input_signature is None:
            input_signature = fn._input_signature
    else:
        has_self, owner, python_function = False, None, fn
    call = (lambda *a, **k: python_function(owner, *a, **k)) if has_self else python_function
    names, template, specs = _bind_template(
        python_function, has_self, tuple(input_signature), {}, where
    )
    return saver.concrete(call, names, template, specs, where)


def signature_from(record, where) -> dict:
    """A signature record sharing `record`'s program, its outputs named as TF does."""
    signature = dict(record)
    _name_signature_outputs(signature, where)
    return signature


def _name_signature_outputs(record, where) -> None:
    """Signatures return a dict: TF names a lone output `output_0` and list items by index."""
    output = record["output"]
    if "dict" in output:
        # TF flattens a returned dict by sorted key: the signature's outputs come in that order.
        leaves = sorted(output["dict"], key=lambda item: str(item[0]))
    elif "tensor" in output:
        leaves = [["output_0", output]]
    elif "list" in output or "tuple" in output:
        leaves = [[f"output_{i}", t] for i, t in enumerate(output.get("list", output.get("tuple")))]
    else:
        leaves = None
    if not leaves or not all("tensor" in t for _, t in leaves):
        raise ValueError(
            f"Got a non-Tensor value {output!r:.100} for {where}: a signature function must "
            "return a tensor, or a list or dict of tensors."
        )
    record["output"] = {"dict": leaves}


def _drop_weight_copies(program) -> None:
    """Replaces the program's copies of the variables by one-element stand-ins.

    The loader feeds the restored variables (variables.pt) to every program, so the
    values torch.export keeps in each program would only multiply the directory's size.
    """
    state = program._state_dict
    for key, value in list(state.items()):
        stub = torch.zeros((), dtype=value.dtype, device=value.device).expand(value.shape)
        if isinstance(value, torch.nn.Parameter):
            stub = torch.nn.Parameter(stub, requires_grad=value.requires_grad)
        state[key] = stub


def _program_shapes(program) -> list:
    """Each user input's shape in the program: ints where it is fixed, symbol names elsewhere."""
    from torch.export.graph_signature import InputKind

    user = {
        s.arg.name for s in program.graph_signature.input_specs if s.kind == InputKind.USER_INPUT
    }
    shapes = []
    for node in program.graph.nodes:
        if node.op == "placeholder" and node.name in user:
            value = node.meta.get("val")
            shapes.append([d if isinstance(d, int) else str(d) for d in value.shape])
    return shapes


def _output_specs(program) -> list:
    """Shape (None for dynamic sizes) and dtype of each user output of the program."""
    from torch.export.graph_signature import OutputKind

    output = next(n for n in program.graph.nodes if n.op == "output")
    specs = []
    for spec, node in list(zip(program.graph_signature.output_specs, output.args[0]))[:-1]:
        if spec.kind != OutputKind.USER_OUTPUT:
            continue
        value = node.meta.get("val") if hasattr(node, "meta") else None
        if not isinstance(value, torch.Tensor):
            specs.append({"shape": None, "dtype": "float32"})
            continue
        shape = [d if isinstance(d, int) else None for d in value.shape]
        specs.append({"shape": shape, "dtype": _format.dtype_to_name(value.dtype)})
    return specs


def _export_error(where, specs, error) -> str:
    shown = ", ".join(
        f"TensorSpec(shape={s}, dtype={_format.dtype_to_name(d)})" for s, d, _ in specs
    )
    reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    from torch.fx.experimental.symbolic_shapes import GuardOnDataDependentSymNode

    hint = ""
    if isinstance(error, GuardOnDataDependentSymNode) or "data-dependent" in str(error):
        hint = (
            " The function branches (or loops) in Python on a tensor's value, which torch.export "
            "cannot capture: use tf.where / tf.cond-free arithmetic, or make the decision "
            "outside the saved function."
        )
    return (
        f"tf.saved_model.save: cannot save {where} for inputs ({shown}): torch.export could not "
        f"capture it ({type(error).__name__}: {reason[:400]}).{hint}"
    )


def _is_keras_layer(obj) -> bool:
    try:
        from tork.keras.layers.layer import Layer
    except ImportError:  # pragma: no cover
        return False
    return isinstance(obj, Layer)


def _is_container(module) -> bool:
    from tork import _tracking

    return _tracking.is_container(module)


def _one_argument(input_signature):
    """The structure of the model's one `inputs` argument in an `input_signature`.

    Keras 3 lists the call's positional arguments: a two-input model's signature is
    `[[spec_a, spec_b]]` (or `[{"a": spec_a, ...}]`), one argument holding the list. tork
    also takes the flat `[spec_a, spec_b]`; both give the list of specs here.
    """
    if (
        isinstance(input_signature, (list, tuple))
        and len(input_signature) == 1
        and isinstance(input_signature[0], (list, tuple, dict))
        # not a bare shape: `[(None, 4)]`
        and not any(d is None or isinstance(d, int) for d in input_signature[0])
    ):
        inner = input_signature[0]
        return dict(inner) if isinstance(inner, dict) else list(inner)
    return input_signature


def _keras_model_functions(
    saver, model, input_signature=None, function_name="__call__", keras2_outputs=True
) -> tuple[int, dict]:
    """`(call function index, serving_default record)` of a Keras model.

    The signature's inputs are named after the model's `Input`s; its outputs after the
    output layers (Keras 2's `tf.saved_model.save`) or `output_0`... (`model.export`).
    """
    from tork.keras.saving import export as keras_export

    if input_signature is not None:
        input_signature = _one_argument(input_signature)
    if isinstance(input_signature, dict):
        keys = list(input_signature)
        specs = keras_export._specs_from_signature([input_signature[k] for k in keys])
        structure, names = keys, keys
    elif input_signature is not None:
        specs = keras_export._specs_from_signature(input_signature)
        structure = "single" if len(specs) == 1 else "list"
        names = [getattr(s, "name", None) for s in _as_list(input_signature)]
        if len(specs) == 1 and getattr(model, "inputs", None) and names[0] is None:
            names = [None]
        names = [n or (f"inputs_{i}" if i else "inputs") for i, n in enumerate(names)]
    else:
        specs, structure, names = keras_export._specs_from_model(model)
        specs = _keras2_save_specs(model, specs, structure)
    keyed = isinstance(structure, list) and structure and isinstance(structure[0], str)
    graph = _is_graph_model(model, keyed)
    symbolic = getattr(model, "inputs", None)
    if not keyed:
        if isinstance(symbolic, (list, tuple)) and len(symbolic) == len(names):
            names = [getattr(t, "name", n) or n for t, n in zip(symbolic, names)]
        elif keras2_outputs and not graph and input_signature is None:
            # Keras 2 names the inputs of a subclassed model's signature from 1.
            names = [f"input_{i + 1}" for i in range(len(names))]
    names = [n.split(":")[0] for n in names]
    specs = [(shape, dtype or _floatx(), name) for (shape, dtype), name in zip(specs, names)]
    where = f"Keras model '{model.name}'"
    _refuse_stateful(model, where)
    n = len(specs)
    if structure == "single":
        template = [{"tensor": 0}]
    elif isinstance(structure, list) and structure and isinstance(structure[0], str):
        template = [{"dict": [[k, {"tensor": i}] for i, k in enumerate(structure)]}]
    else:
        template = [{"list": [{"tensor": i} for i in range(n)]}]

    def call(inputs, training=None, mask=None):
        return model(inputs, training=False)

    record = saver._export(call, ["inputs"], template, specs, where)
    if function_name != "__call__":
        record["names"] = ["args_0"]
    saver.functions.append({"name": function_name, "concrete": [record]})
    call_index = len(saver.functions) - 1

    signature = dict(record)
    signature["names"] = names
    signature["template"] = [{"tensor": i} for i in range(n)]
    signature["flat_inputs"] = True
    output = record["output"]
    # Keras 2 names a model's outputs after its output layers (also for dict outputs).
    output_names = list(getattr(model, "output_names", None) or [])
    leaves = _output_leaves(output)
    if not keras2_outputs:
        output_names = []
    elif not graph:
        # A subclassed model (or a Sequential fed a dict of features): Keras 2 numbers its
        # outputs from 1; dict outputs keep their keys.
        if "dict" not in output:
            output_names = [f"output_{i + 1}" for i in range(len(leaves))]
    elif not output_names and getattr(model, "layers", None) and len(leaves) == 1:
        output_names = [model.layers[-1].name]  # a Sequential model
    if len(output_names) == len(leaves) and len(set(output_names)) == len(leaves):
        signature["output"] = {"dict": [[k, t] for k, t in zip(output_names, leaves)]}
    else:
        _name_signature_outputs(signature, where)
    return call_index, {"concrete": [signature]}


def _keras2_save_specs(model, specs: list, structure) -> list:
    """The input specs Keras 2 saves for `model` (`[(shape, dtype)]`).

    A Functional model, or a Sequential with a declared input, keeps its inputs' batch
    size (`Input(batch_size=2)`, `batch_input_shape`); other models get any batch size
    (a subclassed model built on one batch records that batch's size) and the sizes the
    dataset they were first fitted on leaves free.
    """
    from tork.keras.models.functional.functional import Functional
    from tork.keras.models.sequential import Sequential
    from tork.saved_model import _input_spec

    if isinstance(model, Functional):
        return specs
    if isinstance(model, Sequential) and model._tork_known_input_shape() is not None:
        return specs
    specs = [((None, *shape[1:]) if shape else shape, dtype) for shape, dtype in specs]
    return _input_spec.relax(model, specs, structure)


def _refuse_stateful(model, where: str) -> None:
    """Raises for a model with a stateful RNN: a saved program cannot carry its states.

    torch.export keeps the states as constants, so every call of the loaded function
    would start from the saved states, where Keras 2's continues from the last call's.
    """
    stateful = [
        layer.name
        for layer in model._flatten_layers(include_self=False)
        if getattr(layer, "stateful", False)
    ]
    if stateful:
        raise ValueError(
            f"{where} has stateful RNN layer(s) {stateful}: tork's saved functions cannot "
            "carry RNN states from one call to the next (each call would start from the "
            "saved states). Save it with model.save('model.keras') (or model.save('dir'), "
            "which tf.saved_model.load reads where the model's class is available) and "
            "load it with keras.models.load_model."
        )


def _is_graph_model(model, keyed: bool) -> bool:
    """Whether Keras 2 sees `model` as a graph network (names from its layers)."""
    from tork.keras.models.functional.functional import Functional
    from tork.keras.models.sequential import Sequential

    if isinstance(model, Functional):
        return True
    # A Sequential model fed a dict of features has no graph in Keras 2.
    return isinstance(model, Sequential) and not keyed


def _as_list(value) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def export_keras_model(model, path, input_signature=None, verbose=None) -> None:
    """`model.export(path)` (format 'tf_saved_model'): endpoint `serve`, `serving_default`."""
    saver = _Saver(model)
    entry = {
        "class": type(model).__name__,
        "children": {},
        "functions": {},
        "variables": [saver._variable_index(v) for v in model.variables],
    }
    saver.nodes.append(entry)
    index, serving = _keras_model_functions(
        saver, model, input_signature, function_name="serve", keras2_outputs=False
    )
    entry["functions"]["serve"] = index
    serve = dict(saver.functions[index]["concrete"][0])
    serve["names"] = list(serving["concrete"][0]["names"])
    serve["template"] = [{"tensor": i} for i in range(len(serve["names"]))]
    _name_signature_outputs(serve, "serve")
    write(path, saver, 0, {"serve": {"concrete": [serve]}, _DEFAULT_KEY: serving})
    if verbose or verbose is None:
        record = saver.functions[index]["concrete"][0]
        lines = [
            f"Saved artifact at '{path}'. The following endpoints are available:",
            "",
            "* Endpoint 'serve'",
        ]
        for i, spec in enumerate(record["specs"]):
            shape = tuple(spec["shape"])
            lines.append(
                f"  args_{i} (POSITIONAL_ONLY): TensorSpec(shape={shape}, "
                f"dtype=tf.{spec['dtype']}, name={spec['name']!r})"
            )
        print("\n".join(lines))


def _output_leaves(template) -> list:
    if "tensor" in template:
        return [template]
    for kind in ("list", "tuple"):
        if kind in template:
            return [leaf for t in template[kind] for leaf in _output_leaves(t)]
    if "dict" in template:
        return [leaf for _, t in template["dict"] for leaf in _output_leaves(t)]
    return []


def _floatx():
    from tork._backend.dtypes import floatx_dtype

    return floatx_dtype()


def _signature_arguments(saver, signatures) -> dict:
    if signatures is None:
        return {}
    if isinstance(signatures, dict):
        items = list(signatures.items())
    else:
        items = [(_DEFAULT_KEY, signatures)]
    result = {}
    for key, value in items:
        if not isinstance(key, str):
            raise ValueError(f"Signature keys must be strings, got {key!r}.")
        result[key] = saver.signature(value, f"signature '{key}'")
    return result


def _default_signature(saver, root_entry) -> dict | None:
    """TF's rule: the single tf.function of the root with an input signature and tensor outputs."""
    candidates = []
    for index in root_entry["functions"].values():
        record = saver.functions[index]
        for concrete in record["concrete"]:
            if "unknown_rank" in concrete:
                continue
            try:
                signature = dict(concrete)
                _name_signature_outputs(signature, "")
            except ValueError:
                continue
            candidates.append((record, signature))
    signatured = [c for c in candidates if c[0].get("input_signature")]
    if len(signatured) == 1:
        return {"concrete": [signatured[0][1]]}
    return None


def save(obj, export_dir, signatures=None, options=None) -> None:
    """Writes `obj` (a `tf.Module` or Keras model) to `export_dir` in tork's SavedModel format.

    See `tork.saved_model.save` for the arguments.
    """
    from tork.function import Function

    if not isinstance(obj, torch.nn.Module):
        raise ValueError(
            "Expected an object of type `Trackable`, such as `tf.Module` or a subclass of the "
            f"`Trackable` class, for export. Got {obj!r:.100} with type {type(obj)}."
        )
    path = os.fspath(export_dir)
    saver = _Saver(obj)
    root = saver.node(obj)
    root_entry = saver.nodes[root]
    for name, index in root_entry["functions"].items():
        bound = getattr(obj, name, None)
        if isinstance(bound, Function) and bound._input_signature is not None:
            saver.functions[index]["input_signature"] = True
    signature_records = _signature_arguments(saver, signatures)
    from tork.keras.models.model import Model

    if isinstance(obj, Model) and obj.built:
        call_index, serving = _keras_model_functions(saver, obj)
        root_entry["functions"].setdefault("__call__", call_index)
        if not signature_records:
            signature_records = {_DEFAULT_KEY: serving}
        root_entry["keras_model"] = True
    elif not signature_records:
        default = getattr(obj, _DEFAULT_SIGNATURE_ATTR, None)
        if default is not None:
            signature_records = {_DEFAULT_KEY: saver.signature(default, "the default signature")}
        else:
            found = _default_signature(saver, root_entry)
            if found is not None:
                signature_records = {_DEFAULT_KEY: found}
    for record in saver.functions:
        record.pop("input_signature", None)
    write(path, saver, root, signature_records)


def write(path, saver, root, signature_records) -> None:
    """Writes the directory (atomically: a temporary directory renamed into place)."""
    metadata = {
        "format": _format.FORMAT,
        "version": _format.VERSION,
        "root": root,
        "nodes": saver.nodes,
        "functions": saver.functions,
        "signatures": signature_records,
        "variables": [_variable_entry(v) for v in saver.variables],
    }
    parent = os.path.dirname(os.path.abspath(path)) or "."
    os.makedirs(parent, exist_ok=True)
    if os.path.isfile(path):
        raise ValueError(f"Cannot save to {path!r}: a file of that name exists.")
    tmp = tempfile.mkdtemp(prefix=".tork_saved_model_", dir=parent)
    try:
        os.makedirs(os.path.join(tmp, _format.FUNCTIONS_DIR))
        for file_name, program in saver.programs:
            with warnings.catch_warnings():
                # About weights off the CPU: the programs' own copies are never used.
                warnings.filterwarnings("ignore", "No complete tensor found")
                torch.export.save(program, os.path.join(tmp, file_name))
        values = {str(i): v.detach().to("cpu").clone() for i, v in enumerate(saver.variables)}
        torch.save(values, os.path.join(tmp, _format.VARIABLES_NAME))
        with open(os.path.join(tmp, _format.METADATA_NAME), "w") as f:
            json.dump(metadata, f, indent=1)
        if not os.path.isdir(path):
            os.replace(tmp, path)
            return
        # An existing directory: replace only the entries this format writes (it may hold
        # other files, as TensorFlow leaves a directory's other contents alone).
        for name in (_format.FUNCTIONS_DIR, _format.VARIABLES_NAME, _format.METADATA_NAME):
            target = os.path.join(path, name)
            if os.path.isdir(target):
                shutil.rmtree(target)
            os.replace(os.path.join(tmp, name), target)
        shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _variable_entry(tensor) -> dict:
    from tork.variables import Variable

    if isinstance(tensor, Variable):
        return {
            "name": tensor.name.removesuffix(":0"),
            "trainable": bool(tensor.trainable),
            "variable": True,
        }
    return {"name": None, "trainable": False, "variable": False}
