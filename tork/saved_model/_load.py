"""`tf.saved_model.load`: restores a tork SavedModel without the classes that wrote it.

The loaded object mirrors the saved one: its variables (restored `tf.Variable`s),
nested objects, functions (callable on arguments matching one of the saved
concrete functions) and `signatures`. Functions run the saved `torch.export`
programs on the restored variables, so `loaded.mutate(...)` changes `loaded.v`,
and gradients flow to the variables.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping

import numpy as np
import torch

from tork.module import Module
from tork.saved_model import _format


class _UserObject(Module):
    """An object restored by `tf.saved_model.load` (its attributes are the saved ones)."""

    def __init__(self, class_name: str, variables=None):
        super().__init__(name="user_object")
        object.__setattr__(self, "_tork_saved_class", class_name)
        object.__setattr__(self, "_tork_saved_variables", variables)

    @property
    def variables(self):
        saved = self.__dict__.get("_tork_saved_variables")
        return list(saved) if saved is not None else super().variables

    @property
    def trainable_variables(self):
        return [v for v in self.variables if getattr(v, "trainable", False)]

    @property
    def non_trainable_variables(self):
        return [v for v in self.variables if not getattr(v, "trainable", False)]

    def __repr__(self) -> str:
        return f"<tork.saved_model loaded {self._tork_saved_class} object at {id(self):#x}>"


class _Concrete:
    """One saved concrete function: a torch.export program over variables and tensors."""

    def __init__(self, record: dict, directory: str, variables: list, name: str):
        self._record = record
        self._path = os.path.join(directory, record["file"])
        self._variables = variables
        self._program = None
        self.name = name
        self.names = record["names"]
        self.template = record["template"]
        self.specs = record["specs"]
        self.unknown_rank = record.get("unknown_rank")

    @property
    def program(self):
        if self._program is None:
            from torch._subclasses.fake_tensor import unset_fake_temporarily

            # The first call may come from a functional model's shape inference, which
            # runs under a fake-tensor mode: the program must load real tensors.
            with unset_fake_temporarily():
                program = torch.export.load(self._path)
            device = next((v.device for v in self._variables if v is not None), None)
            saved = self._record.get("device")
            if device is not None and saved is not None and torch.device(saved) != device:
                # Saved on another device (a GPU program loaded on a CPU machine, or the
                # reverse): the program's constants and device arguments follow the variables.
                from torch.export.passes import move_to_device_pass

                program = move_to_device_pass(program, device)
            self._plan = _call_plan(program, self._record["state"], self._variables)
            self._program = program
        return self._program

    def match(self, args: tuple, kwargs: dict):
        """The flat tensor inputs if the arguments fit this function, else None."""
        values = list(args)
        if len(values) > len(self.names):
            return None
        for name in self.names[len(values) :]:
            if name in kwargs:
                values.append(kwargs[name])
            else:
                values.append(_MISSING)
        if set(kwargs) - set(self.names[len(args) :]):
            return None
        flat: list = []
        for template, value in zip(self.template, values):
            if not _match(template, value, self.specs, flat):
                return None
        return [tensor for _, tensor in sorted(flat, key=lambda item: item[0])]

    def call_flat(self, flat: list):
        program = self.program
        self._check_shapes(flat)
        device = next((v.device for v in self._variables if v is not None), None)
        if device is not None:
            flat = [t.to(device) for t in flat]
        inputs = []
        user = iter(flat)
        for kind, payload in self._plan["inputs"]:
            if kind == "variable":
                variable = self._variables[payload]
                inputs.append(variable.detach() if payload in self._plan["mutated"] else variable)
            elif kind == "constant":
                inputs.append(program.constants[payload])
            else:
                inputs.append(next(user))
        outputs = program.graph_module(*inputs)
        if not isinstance(outputs, (list, tuple)):
            outputs = (outputs,)
        results = []
        for (kind, payload), value in zip(self._plan["outputs"], outputs):
            if kind == "user":
                results.append(value)
            elif kind == "variable":
                with torch.no_grad():
                    self._variables[payload].copy_(value)
        return results

    def _check_shapes(self, flat) -> None:
        symbols: dict = {}
        for i, (tensor, shape) in enumerate(zip(flat, self._record["program_shapes"])):
            problem = len(shape) != tensor.dim()
            for want, got in zip(shape, tensor.shape):
                if isinstance(want, int):
                    problem = problem or want != got
                elif symbols.setdefault(want, got) != got:
                    problem = True
            if problem:
                raise ValueError(
                    f"{self.name}: input {i} has shape {tuple(tensor.shape)}, but the saved "
                    f"program was traced for shape {tuple(shape)} (the function fixed those "
                    "sizes while it was saved). Save it with a tf.TensorSpec of fixed sizes, "
                    "or call it with inputs of that shape."
                )

    def describe(self) -> str:
        lines = [f"  Positional arguments ({len(self.names)} total):"]
        for name, template in zip(self.names, self.template):
            lines.append(f"    * {_template_text(template, self.specs, name)}")
        lines.append("  Keyword arguments: {}")
        return "\n".join(lines)


_MISSING = object()


def _match(template, value, specs, flat) -> bool:
    """Whether `value` fits `template`; tensors (converted) are added to `flat`."""
    if value is _MISSING:
        # A left-out parameter: its default (or None, Keras's `training`/`mask`).
        return "const" in template and (template.get("default") or template["const"] is None)
    if "tensor" in template:
        index = template["tensor"]
        spec = specs[index]
        dtype = _format.name_to_dtype(spec["dtype"])
        if not isinstance(value, torch.Tensor):
            if isinstance(value, (bool, int, float, list, tuple, np.ndarray, np.generic)):
                try:
                    value = torch.as_tensor(np.asarray(value), dtype=dtype)
                except (TypeError, ValueError):
                    return False
            else:
                return False
        if value.dtype != dtype:
            return False
        shape = spec["shape"]
        if shape is not None and (
            len(shape) != value.dim()
            or any(s is not None and s != d for s, d in zip(shape, value.shape))
        ):
            return False
        flat.append((index, value))
        return True
    if "const" in template:
        const = template["const"]
        return type(value) is type(const) and value == const
    for kind, container in (("list", (list, tuple)), ("tuple", (list, tuple))):
        if kind in template:
            items = template[kind]
            if not isinstance(value, container) or len(value) != len(items):
                return False
            return all(_match(t, v, specs, flat) for t, v in zip(items, value))
    if "dict" in template:
        items = template["dict"]
        if not isinstance(value, dict) or set(value) != {k for k, _ in items}:
            return False
        return all(_match(t, value[k], specs, flat) for k, t in items)
    return False


def _template_text(template, specs, name=None) -> str:
    if "tensor" in template:
        spec = specs[template["tensor"]]
        shape = "<unknown>" if spec["shape"] is None else tuple(spec["shape"])
        return f"TensorSpec(shape={shape}, dtype=tf.{spec['dtype']}, name={spec.get('name')!r})"
    if "const" in template:
        return repr(template["const"])
    if "dict" in template:
        inner = ", ".join(f"{k!r}: {_template_text(t, specs)}" for k, t in template["dict"])
        return "{" + inner + "}"
    kind = "list" if "list" in template else "tuple"
    inner = ", ".join(_template_text(t, specs) for t in template[kind])
    return f"[{inner}]" if kind == "list" else f"({inner})"


def _describe_value(value) -> str:
    if isinstance(value, np.ndarray):
        return f"<np.ndarray shape={value.shape} dtype={value.dtype}>"
    if isinstance(value, torch.Tensor):
        dtype = str(value.dtype).removeprefix("torch.")
        return f"<tf.Tensor shape={tuple(value.shape)} dtype={dtype}>"
    return repr(value)[:100]


class FunctionInputError(TypeError, ValueError):
    """Arguments that fit none of a loaded function's concrete functions.

    TensorFlow raises ValueError for a traced function and TypeError for one with an
    input_signature (such as `model.export`'s `serve`); this is both.
    """


def _mismatch_error(concretes, args, kwargs) -> ValueError:
    lines = [
        "Could not find matching concrete function to call loaded from the SavedModel. Got:",
        f"  Positional arguments ({len(args)} total):",
        *[f"    * {_describe_value(a)}" for a in args],
        "  Keyword arguments: {"
        + ", ".join(f"{k!r}: {_describe_value(v)}" for k, v in kwargs.items())
        + "}",
        "",
        f" Expected these arguments to match one of the following {len(concretes)} option(s):",
    ]
    for i, concrete in enumerate(concretes, 1):
        lines += ["", f"Option {i}:", concrete.describe()]
    return FunctionInputError("\n".join(lines))


def _call_plan(program, state: dict, variables: list) -> dict:
    """How to feed the program (its inputs in order) and what each output is."""
    from torch.export.graph_signature import InputKind, OutputKind

    inputs = []
    for spec in program.graph_signature.input_specs:
        if spec.kind in (InputKind.PARAMETER, InputKind.BUFFER):
            inputs.append(("variable", state[spec.target]))
        elif spec.kind == InputKind.CONSTANT_TENSOR:
            inputs.append(("constant", spec.target))
        elif spec.kind == InputKind.USER_INPUT:
            inputs.append(("user", None))
        else:
            raise ValueError(f"A saved program has an input of kind {spec.kind} tork cannot feed.")
    names = {
        spec.arg.name: entry for spec, entry in zip(program.graph_signature.input_specs, inputs)
    }
    mutated = set()
    # In-place writes kept in the graph (training IR): the variables they write.
    for node in program.graph.nodes:
        if node.op != "call_function" or not hasattr(node.target, "_schema"):
            continue
        for argument, value in zip(node.target._schema.arguments, node.args):
            if argument.alias_info is not None and argument.alias_info.is_write:
                entry = names.get(getattr(value, "name", None))
                if entry is not None and entry[0] == "variable":
                    mutated.add(entry[1])
    outputs = []
    for spec in program.graph_signature.output_specs:
        if spec.kind == OutputKind.USER_OUTPUT:
            outputs.append(("user", None))
        elif spec.kind in (OutputKind.BUFFER_MUTATION, OutputKind.PARAMETER_MUTATION):
            outputs.append(("variable", state[spec.target]))
            mutated.add(state[spec.target])
        else:
            outputs.append(("ignored", None))
    return {"inputs": inputs, "outputs": outputs, "mutated": mutated}


class RestoredFunction:
    """A function restored from a tork SavedModel; calls the concrete function its inputs fit."""

    def __init__(self, name: str, concretes: list, keras_call: bool = False):
        self.__name__ = name
        self._concretes = concretes
        self._keras_call = keras_call

    @property
    def concrete_functions(self) -> list:
        return list(self._concretes)

    def __call__(self, *args, **kwargs):
        if self._keras_call:
            # A restored Keras model runs in inference mode; Keras 2 accepts these.
            kwargs.pop("training", None)
            kwargs.pop("mask", None)
        if not self._concretes:
            raise ValueError(
                f"Found zero restored functions for caller function `{self.__name__}`: it was "
                "never called before it was saved (and has no input_signature), so nothing "
                "was traced. Call it once, or give it an input_signature, before saving."
            )
        for concrete in self._concretes:
            flat = concrete.match(args, kwargs)
            if flat is not None:
                return _format.unflatten(concrete._record["output"], concrete.call_flat(flat))
        raise _mismatch_error(self._concretes, args, kwargs)

    def __repr__(self) -> str:
        return f"<tork.saved_model RestoredFunction {self.__name__}>"


class SignatureFunction:
    """A loaded signature: called with tensors by input name, returns a dict of outputs."""

    def __init__(self, key: str, concretes: list):
        self._key = key
        self._concretes = concretes
        first = concretes[0]
        specs = first._record.get("signature_specs", first.specs)
        self._input_names = [s.get("name") or f"args_{i}" for i, s in enumerate(specs)]
        outputs = first._record["output"]["dict"]
        unknown = first.unknown_rank is not None
        self.structured_outputs = {
            name: _output_spec(first._record, template, name, unknown) for name, template in outputs
        }
        self.structured_input_signature = (
            (),
            {
                name: _format.tensor_spec({**s, "name": name})
                for name, s in zip(self._input_names, specs)
            },
        )
        self.inputs = list(self.structured_input_signature[1].values())
        self.outputs = list(self.structured_outputs.values())

    def __call__(self, *args, **kwargs):
        if len(args) > len(self._input_names):
            raise TypeError(
                f"signature '{self._key}' takes {len(self._input_names)} input(s) "
                f"({', '.join(self._input_names)}), got {len(args)} positional argument(s)."
            )
        given = dict(zip(self._input_names, args))
        overlap = set(given) & set(kwargs)
        if overlap:
            raise TypeError(f"signature '{self._key}' got multiple values for {sorted(overlap)}.")
        given.update(kwargs)
        missing = [n for n in self._input_names if n not in given]
        unexpected = [n for n in given if n not in self._input_names]
        if missing or unexpected:
            raise TypeError(
                f"signature '{self._key}' takes the inputs {self._input_names}; "
                + (f"missing {missing}" if missing else "")
                + ("; " if missing and unexpected else "")
                + (f"unexpected {unexpected}" if unexpected else "")
                + ". Call it with keyword arguments, e.g. "
                f"{self._key}({self._input_names[0]}=x)."
            )
        ordered = [given[n] for n in self._input_names]
        for concrete in self._concretes:
            flat: list = []
            specs = concrete.specs
            if all(_match({"tensor": i}, v, specs, flat) for i, v in enumerate(ordered)):
                results = concrete.call_flat([t for _, t in flat])
                return _format.unflatten(concrete._record["output"], results)
        raise _mismatch_error(self._concretes, tuple(ordered), {})

    def __repr__(self) -> str:
        inputs = ", ".join(f"{k}: {v!r}" for k, v in self.structured_input_signature[1].items())
        outputs = ", ".join(f"[{k!r}, {v!r}]" for k, v in self.structured_outputs.items())
        return f"<ConcreteFunction (*, {inputs}) -> Dict[{outputs}] at {id(self):#X}>"


def _output_spec(record, template, name, unknown_rank):
    """A TensorSpec for an output: its program's output shape (None for dynamic sizes)."""
    from tork.data.tensor_spec import TensorSpec

    entry = record["output_specs"][template["tensor"]]
    shape = None if unknown_rank else entry["shape"]
    return TensorSpec(shape, _format.name_to_dtype(entry["dtype"]), name=name)


class _SignatureMap(Mapping):
    """`loaded.signatures`: signature key -> SignatureFunction."""

    def __init__(self, signatures: dict):
        self._signatures = signatures

    def __getitem__(self, key):
        return self._signatures[key]

    def __iter__(self):
        return iter(self._signatures)

    def __len__(self) -> int:
        return len(self._signatures)

    def __repr__(self) -> str:
        return f"_SignatureMap({self._signatures!r})"


class _KerasSignature:
    """`serving_default` of a Keras model loaded from a `model.save(dir)` directory."""

    def __init__(self, model, input_names, output_names):
        from tork.data.tensor_spec import TensorSpec

        self._model = model
        self._input_names = input_names
        self._output_names = output_names
        self.structured_input_signature = (
            (),
            {
                n: TensorSpec(tuple(t.shape), t.dtype, name=n)
                for n, t in zip(input_names, model.inputs)
            },
        )
        self.structured_outputs = {
            n: TensorSpec(tuple(t.shape), t.dtype, name=n)
            for n, t in zip(output_names, model.outputs)
        }

    def __call__(self, *args, **kwargs):
        given = dict(zip(self._input_names, args))
        given.update(kwargs)
        if sorted(given) != sorted(self._input_names):
            raise TypeError(
                f"signature 'serving_default' takes the inputs {self._input_names}, got "
                f"{sorted(given)}. Call it with keyword arguments, e.g. "
                f"serving_default({self._input_names[0]}=x)."
            )
        inputs = [given[n] for n in self._input_names]
        outputs = self._model(inputs[0] if len(inputs) == 1 else inputs, training=False)
        if isinstance(outputs, dict):
            # A dict-output model's signature keys its outputs by the dict's keys, as TF.
            return dict(outputs)
        if not isinstance(outputs, (list, tuple)):
            outputs = [outputs]
        return dict(zip(self._output_names, outputs))


def _load_keras_directory(path: str, written_by_tensorflow: bool = False):
    """A `model.save(dir)` directory (Keras format) seen as Keras 2's SavedModel would be."""
    from tork.keras.saving.saving_api import load_model

    try:
        model = load_model(path, compile=False)
    except Exception as error:
        if written_by_tensorflow:
            raise ValueError(
                f"{path!r} is a SavedModel written by tf.keras's model.save; tork rebuilds its "
                f"Keras model from keras_metadata.pb, which failed ({type(error).__name__}: "
                f"{error}). Load it with keras.models.load_model(path, custom_objects=...)."
            ) from error
        raise ValueError(
            f"{path!r} holds a Keras model written by model.save (tork writes the Keras format "
            "where Keras 2 wrote a SavedModel), and it could not be recreated "
            f"({type(error).__name__}: {error}). Load it with keras.models.load_model(path, "
            "custom_objects=...), or write a SavedModel that needs no classes with "
            "tf.saved_model.save(model, path) or model.export(path)."
        ) from error
    root = _UserObject(type(model).__name__, list(model.variables))

    def call(inputs, training=None, mask=None):
        return model(inputs, training=False)

    _set_attribute(root, "__call__", call)
    object.__setattr__(root, "keras_model", model)
    signatures = {}
    if getattr(model, "inputs", None) and getattr(model, "outputs", None):
        input_names = [t.name.split(":")[0] for t in model.inputs]
        output_names = list(getattr(model, "output_names", None) or [])
        if len(output_names) != len(model.outputs):
            output_names = [model.layers[-1].name] if len(model.outputs) == 1 else []
            output_names = output_names or [f"output_{i}" for i in range(len(model.outputs))]
        signatures["serving_default"] = _KerasSignature(model, input_names, output_names)
    else:
        from tork.saved_model._keras_directory import saved_input_shapes, subclassed_signature

        # A subclassed model: Keras 2 saved a signature for the shapes it was called with
        # (those of the programs saved beside it keep the sizes a dataset left free).
        signature = subclassed_signature(model, saved_input_shapes(path))
        if signature is not None:
            signatures["serving_default"] = signature
    object.__setattr__(root, "signatures", _SignatureMap(signatures))
    return root


def _is_keras_directory(path: str) -> bool:
    return os.path.isfile(os.path.join(path, "config.json")) and os.path.isfile(
        os.path.join(path, "model.weights.h5")
    )


def _read_metadata(path: str) -> dict:
    file = os.path.join(path, _format.METADATA_NAME)
    if not os.path.isfile(file):
        if os.path.exists(os.path.join(path, "saved_model.pb")):
            raise ValueError(
                f"{path!r} is a TensorFlow SavedModel (saved_model.pb) without tf.keras's "
                "keras_metadata.pb, which tork cannot load: it holds only TensorFlow graphs. "
                "tf.saved_model.load reads directories written by tork's tf.saved_model.save "
                "or model.export, and tf.keras 2's model.save directories. To restore its "
                "variables into a model built in code, call model.load_weights(os.path.join("
                "path, 'variables', 'variables')); or in TensorFlow save the model as a "
                "'.keras' file."
            )
        if not os.path.exists(path):
            raise OSError(f"SavedModel file does not exist at: {path}")
        raise OSError(
            f"SavedModel file does not exist at: {path} (no {_format.METADATA_NAME}: it was "
            "not written by tf.saved_model.save or model.export)."
        )
    with open(file) as f:
        try:
            metadata = json.load(f)
        except ValueError as error:
            raise ValueError(f"{file!r} is not valid JSON: {error}") from None
    if metadata.get("format") != _format.FORMAT:
        raise ValueError(f"{file!r} is not a tork SavedModel.")
    if metadata.get("version", 0) > _format.VERSION:
        raise ValueError(
            f"{path!r} was written by a newer tork (format version {metadata['version']}); "
            "upgrade tork to load it."
        )
    return metadata


def load(export_dir, tags=None, options=None):
    """Restores the object saved in `export_dir` (see `tork.saved_model.load`)."""
    from tork.variables import Variable

    path = os.fspath(export_dir)
    from tork.keras.saving._tf_saved_model import is_tf_keras_saved_model

    if is_tf_keras_saved_model(path):
        # tf.keras 2's model.save(dir): the model rebuilt from keras_metadata.pb, with
        # Keras 2's serving signature (TensorFlow's graphs themselves cannot run here).
        return _load_keras_directory(path, written_by_tensorflow=True)
    if _is_keras_directory(path):
        if not os.path.isfile(os.path.join(path, _format.METADATA_NAME)):
            return _load_keras_directory(path)
        from tork.saved_model._keras_directory import is_keras_default

        if is_keras_default(path):
            # A subclassed model's model.save(dir): the recreated model where its class is
            # available, else the saved programs, which need none (as Keras 2's SavedModel).
            try:
                return _load_keras_directory(path)
            except ValueError:
                pass
    metadata = _read_metadata(path)
    values = torch.load(
        os.path.join(path, _format.VARIABLES_NAME), map_location="cpu", weights_only=True
    )
    from tork._backend.device import current_device

    device = current_device()
    variables = []
    for i, entry in enumerate(metadata["variables"]):
        value = values[str(i)].to(device)
        if entry["variable"]:
            variable = Variable(value, trainable=entry["trainable"], name=entry["name"])
        else:
            variable = value
        variables.append(variable)

    functions = []
    for record in metadata["functions"]:
        concretes = [_Concrete(c, path, variables, record["name"]) for c in record["concrete"]]
        functions.append(RestoredFunction(record["name"], concretes))

    nodes: list = []
    for entry in metadata["nodes"]:
        owned = entry.get("variables")
        nodes.append(
            _UserObject(
                entry["class"], [variables[i] for i in owned] if owned is not None else None
            )
        )
    for node, entry in zip(nodes, metadata["nodes"]):
        for name, ref in entry["children"].items():
            _set_attribute(node, name, _resolve(ref, nodes, variables))
        for name, index in entry["functions"].items():
            function = functions[index]
            if entry.get("keras_model") and name == "__call__":
                function._keras_call = True
            _set_attribute(node, name, function)

    root = nodes[metadata["root"]]
    signatures = {}
    for key, record in metadata["signatures"].items():
        concretes = [_Concrete(c, path, variables, key) for c in record["concrete"]]
        signatures[key] = SignatureFunction(key, concretes)
    object.__setattr__(root, "signatures", _SignatureMap(signatures))
    return root


def _resolve(ref, nodes, variables):
    if "variable" in ref:
        return variables[ref["variable"]]
    if "node" in ref:
        return nodes[ref["node"]]
    if "list" in ref:
        return [_resolve(r, nodes, variables) for r in ref["list"]]
    if "dict" in ref:
        return {k: _resolve(r, nodes, variables) for k, r in ref["dict"].items()}
    raise ValueError(f"Malformed object reference {ref!r:.100} in a tork SavedModel.")


def _set_attribute(node, name, value) -> None:
    if name == "__call__":
        # Calling the object looks `__call__` up on its class: give it a class of its own.
        cls = type(node)
        if cls is _UserObject:
            cls = type("_UserObject", (_UserObject,), {})
            node.__class__ = cls

        def __call__(self, *args, **kwargs):
            return self.__dict__["_tork_call"](*args, **kwargs)

        cls.__call__ = __call__
        object.__setattr__(node, "_tork_call", value)
        return
    if isinstance(getattr(type(node), name, None), property):
        return  # `variables`, `name`...: the loaded object's own properties give them
    if isinstance(value, RestoredFunction):
        object.__setattr__(node, name, value)
    else:
        setattr(node, name, value)
