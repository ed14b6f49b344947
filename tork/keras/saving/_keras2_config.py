"""Keras 2 (tf_keras) model configs, for the legacy `.h5` files tork writes.

tork serializes models in Keras 3's layout (`.keras`, `get_config`). A legacy
`.h5` file is a Keras 2 format, and tf_keras reads only Keras 2 configs, so
`model.save('m.h5')` converts the Keras 3 entry as tf_keras would have written
it:

- layer entries are `{class_name, config}` (plus `name` and `inbound_nodes` in
  functional models), without `module`, `registered_name` and `build_config`;
  a registered custom class is named by its registered name (`"My>Scale"`);
- `InputLayer` has `batch_input_shape` (Keras 3: `batch_shape`), `ragged` and
  `optional`; a `Sequential` lists its `InputLayer` first;
- an inbound node is the first call argument as `[layer, node, tensor,
  kwargs]` entries, every other argument a keyword argument, tensors in it as
  `[layer, node, tensor]`; a single tensor is wrapped in a list;
- a model used inside another one already has node 0 (its own graph), so its
  calls in the outer model are nodes 1, 2...;
- functions applied to symbolic tensors are `TFOpLambda` layers named
  `tf.<function>` whose config names the function relative to `tf`;
- `input_layers` / `output_layers` are always a structure of references (a
  single one wrapped in a list);
- options tf_keras does not take are dropped at their default values (`seed`
  of recurrent layers), and the ones it writes are added (`time_major`).

tork's own reader takes these configs (it reads tf_keras files).
"""

from __future__ import annotations

import inspect

from tork.keras.layers.preprocessing import _random_base

# The Keras version whose .h5 layout these files follow.
KERAS2_VERSION = "2.21.0"

_TENSOR = "__keras_tensor__"
_TORCH_OP = "__torch_op__"
_MODELS = ("Functional", "Sequential", "Model")

_RECURRENT = ("SimpleRNN", "LSTM", "GRU", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D")
# Options of Keras 3 (or tork) that tf_keras's classes reject, dropped at these values.
_DROPPED = {
    **{name: {"seed": None} for name in _RECURRENT},
    "Attention": {"seed": None},
    "AdditiveAttention": {"seed": None},
    "MultiHeadAttention": {"seed": None, "flash_attention": None},
    "BatchNormalization": {"synchronized": False},
    "Resizing": {
        "antialias": False,
        "pad_to_aspect_ratio": False,
        "fill_mode": "constant",
        "fill_value": 0.0,
        "data_format": "channels_last",
    },
}
# tf_keras's image augmentation layers (BaseImageAugmentationLayer).
_KERAS2_RANDOM = sorted(_random_base._KERAS2_LAYERS)
# Keras 3's `data_format` (and RandomContrast's `value_range`), which tf_keras rejects.
_DROPPED.update({name: {"data_format": "channels_last"} for name in _KERAS2_RANDOM})
_DROPPED["RandomContrast"]["value_range"] = [0, 255]
_ANY = object()
# Keys of tork's (tf_keras's) get_config that Keras 3's constructors reject, left out of files
# at these values (_ANY: always; tf_keras reads their absence as the default, tork ignores
# `rng_type` and a spatial dropout's `noise_shape`).
_KERAS3_REJECTED = {
    **{name: {"rng_type": _ANY} for name in _KERAS2_RANDOM},
    **{f"SpatialDropout{rank}D": {"noise_shape": _ANY, "trainable": True} for rank in (1, 2, 3)},
    # Keras 3's Discretization takes no `trainable` (nor `**kwargs`); the layer has no
    # trainable weights, so the flag changes nothing (tf_keras reads its absence as True).
    "Discretization": {"trainable": _ANY},
}
# Options tf_keras writes that tork's configs leave out, added with Keras 2's defaults.
# (Not `time_major` / `implementation` of recurrent layers: tf_keras does not need them and
# Keras 3, which reads these files too, rejects them.)
_ADDED = {"Embedding": {"input_length": None}}


def _class_name(entry: dict) -> str:
    registered = entry.get("registered_name")
    if isinstance(registered, str) and ">" in registered:
        return registered
    return entry.get("class_name")


def _is_layer_entry(value) -> bool:
    return (
        isinstance(value, dict) and "class_name" in value and isinstance(value.get("config"), dict)
    )


def _is_builtin(entry: dict) -> bool:
    """Whether a serialized entry is one of Keras's own classes (not a user's namesake).

    A user's layer may share a Keras class name (keras-multi-head's
    `MultiHeadAttention`): its config is its own and must not be rewritten.
    """
    module = entry.get("module")
    if module is None:
        return entry.get("registered_name") is None
    return isinstance(module, str) and (module == "keras" or module.startswith("keras."))


def drop_keras3_only_defaults(class_name, config: dict) -> None:
    """Removes from `config`, in place, the Keras 3 options tf_keras's `class_name` rejects
    while they hold their defaults (`seed=None` of recurrent layers...), and the tf_keras
    keys Keras 3 rejects that mean nothing to tork (`rng_type`), so both read the file."""
    for key, default in _DROPPED.get(class_name, {}).items():
        if key in config and config[key] == default:
            del config[key]
    for key, default in _KERAS3_REJECTED.get(class_name, {}).items():
        if key in config and (default is _ANY or config[key] == default):
            del config[key]


def _layer_config(class_name: str, config: dict, layer=None, builtin: bool = True) -> dict:
    """A layer's constructor config, with the options tf_keras does not take dropped."""
    config = dict(config)
    if builtin:
        drop_keras3_only_defaults(class_name, config)
        for key, default in _ADDED.get(class_name, {}).items():
            config.setdefault(key, default)
    if class_name == "InputLayer":
        return _input_layer_config(config)
    dtype = config.get("dtype")
    if isinstance(dtype, str) and dtype.startswith("mixed_"):
        # Keras 2 writes a mixed precision policy as a Policy object.
        config["dtype"] = {
            "module": "keras.mixed_precision",
            "class_name": "Policy",
            "config": {"name": dtype},
            "registered_name": None,
        }
    if class_name == "Lambda" and builtin:
        config = _lambda_config(config, layer)
    if class_name == "Discretization" and builtin:
        config = discretization_boundaries_only(config)
    if class_name == "AddMetric" and builtin and config.get("aggregation") is None:
        config["aggregation"] = "mean"  # what Keras 2's add_metric records by default
    # Keras 2's Layer.get_config writes the input shape the layer was created with.
    shape = getattr(layer, "_batch_input_shape", None)
    if shape is not None and "batch_input_shape" not in config:
        config["batch_input_shape"] = list(shape)
    for key, value in list(config.items()):
        if key.endswith("activation") and _builtin_named_function(value):
            # A user function named like a Keras activation (efficientnet's own `swish`):
            # Keras 2 writes the bare name, and its .h5 loader reads no function dict.
            config[key] = value["config"]
    # Wrapped layers (Bidirectional, TimeDistributed, RNN cells) keep their nested form.
    for key, value in list(config.items()):
        if _is_layer_entry(value) and key in ("layer", "backward_layer", "cell"):
            inner = value["config"]
            config[key] = {
                **value,
                "config": _layer_config(value["class_name"], inner, builtin=_is_builtin(value)),
            }
    return config


def discretization_boundaries_only(config: dict) -> dict:
    """An adapted Discretization's config as fixed `bin_boundaries` (`num_bins` None).

    tork (as Keras 3) writes both the adapted boundaries and `num_bins`; tf_keras's
    constructor rejects the pair ("Both `num_bins` and `bin_boundaries` should not be
    set"). The boundaries alone give the same layer in both.
    """
    if config.get("bin_boundaries") is not None and config.get("num_bins") is not None:
        config = {**config, "num_bins": None}
    return config


# Where a Lambda layer keeps each function its config writes.
_LAMBDA_ATTRIBUTES = {"function": "function", "output_shape": "_output_shape", "mask": "mask"}


def _lambda_config(config: dict, layer=None) -> dict:
    """A Lambda config in Keras 2's form: each function as `(code, defaults, closure)` (or a
    name) with `<key>_type` and `<key>_module` fields, which tf_keras's Lambda reads."""
    config = dict(config)
    for key in ("function", "output_shape", "mask"):
        if key not in config:
            continue
        value = config[key]
        source = getattr(layer, _LAMBDA_ATTRIBUTES[key], None)
        module = getattr(source, "__module__", None) if callable(source) else None
        if isinstance(value, dict) and value.get("class_name") == "__lambda__":
            dumped = value["config"]
            value, kind = [dumped["code"], dumped.get("defaults"), dumped.get("closure")], "lambda"
            module = module or "__main__"
        elif isinstance(value, dict) and value.get("class_name") == "function":
            value, kind, module = value["config"], "function", value.get("module") or module
        elif key == "mask" and value is None:
            del config[key]
            continue
        else:
            kind, module = "raw", None
        config[key] = value
        config[f"{key}_type"] = kind
        config["module" if key == "function" else f"{key}_module"] = module
    config.setdefault("output_shape", None)
    config.setdefault("output_shape_type", "raw")
    config.setdefault("output_shape_module", None)
    return config


# Keras 2's built-in activation names: a function of one of these names is written bare.
_ACTIVATION_NAMES = frozenset(
    {
        "elu",
        "exponential",
        "gelu",
        "hard_sigmoid",
        "leaky_relu",
        "linear",
        "log_softmax",
        "mish",
        "relu",
        "relu6",
        "selu",
        "sigmoid",
        "silu",
        "softmax",
        "softplus",
        "softsign",
        "swish",
        "tanh",
    }
)


def _builtin_named_function(value) -> bool:
    """Whether `value` is a `{"class_name": "function"}` entry named like a Keras activation."""
    return (
        isinstance(value, dict)
        and value.get("class_name") == "function"
        and value.get("config") in _ACTIVATION_NAMES
        and value.get("registered_name") in (None, "function", value.get("config"))
    )


def _input_layer_config(config: dict) -> dict:
    result = {}
    shape = config.get("batch_shape", config.get("batch_input_shape"))
    result["batch_input_shape"] = list(shape) if shape is not None else None
    result["dtype"] = config.get("dtype", "float32")
    result["sparse"] = bool(config.get("sparse", False))
    result["ragged"] = bool(config.get("ragged", False))
    result["name"] = config.get("name")
    result["optional"] = bool(config.get("optional", False))
    return result


def _input_layer_entry(name: str, shape, dtype, json_layout: bool) -> dict:
    entry = {
        "class_name": "InputLayer",
        "config": {
            "batch_input_shape": list(shape),
            "dtype": dtype,
            "sparse": False,
            "ragged": False,
            "name": name,
            "optional": False,
        },
    }
    if json_layout:
        entry = {"module": "keras.layers", **entry, "registered_name": None}
    return entry


def convert(entry: dict, obj=None, json_layout: bool = False) -> dict:
    """Converts a serialized model or layer (Keras 3 layout) to tf_keras's `{class_name, config}`.

    Args:
        entry: the output of `serialize_keras_object`.
        obj: the object it describes, when known (its layers name call arguments).
        json_layout: the layout of tf_keras's `to_json()`, whose layer entries
            also hold `module`, `registered_name` and `build_config` (its .h5
            files leave them out).

    Returns:
        A new dict.
    """
    from tork.keras.models import _sequential_branches as _branches
    from tork.keras.models.sequential import Sequential

    class_name = _class_name(entry)
    config = entry.get("config")
    if isinstance(config, dict) and isinstance(config.get("layers"), list):
        if "input_layers" in config:
            if isinstance(obj, Sequential):  # with add_loss(tensor) branches: its graph
                obj = _branches.functional_twin(obj)
            config = _functional(config, obj, json_layout)
        elif entry.get("class_name") == "Sequential" or isinstance(obj, Sequential):
            config = _sequential(config, obj, json_layout)
        else:
            config = _layer_config(class_name, config, obj, _is_builtin(entry))
    elif isinstance(config, dict):
        config = _layer_config(class_name, config, obj, _is_builtin(entry))
    if not json_layout:
        return {"class_name": class_name, "config": config}
    result = {
        "module": entry.get("module"),
        "class_name": entry.get("class_name"),
        "config": config,
        "registered_name": entry.get("registered_name"),
    }
    if "build_config" in entry:
        result["build_config"] = entry["build_config"]
    return result


def _sequential(config: dict, model, json_layout: bool) -> dict:
    layers = list(config.get("layers") or [])
    objects = list(getattr(model, "layers", None) or []) if model is not None else []
    result = []
    if layers and layers[0].get("class_name") != "InputLayer":
        shape = config.get("build_input_shape")
        inputs = getattr(model, "inputs", None) if model is not None else None
        if (
            shape is not None
            and isinstance(shape, list)
            and all(v is None or isinstance(v, int) for v in shape)
        ):
            name, dtype = None, "float32"
            if inputs and len(inputs) == 1:
                name = getattr(inputs[0], "name", None)
                dtype = str(getattr(inputs[0], "dtype", dtype)).replace("torch.", "")
            result.append(_input_layer_entry(name or "input_1", shape, dtype, json_layout))
    by_name = {getattr(layer, "name", None): layer for layer in objects}
    for layer in layers:
        name = (layer.get("config") or {}).get("name")
        entry = convert(layer, by_name.get(name), json_layout)
        if entry.get("class_name") == "InputLayer":
            entry.pop("build_config", None)
        result.append(entry)
    return {"name": config.get("name"), "layers": result}


# -- functional models ---------------------------------------------------------------------


def _functional(config: dict, model, json_layout: bool) -> dict:
    from tork.keras.models.functional.config import nested_functional_names

    objects = {}
    if model is not None:
        for layer in getattr(model, "layers", None) or []:
            objects[layer.name] = layer
    entries = [e for e in config["layers"] if isinstance(e, dict)]
    # Nested models already have node 0 (their own graph) in Keras 2.
    shifted = {
        e.get("name") for e in entries if e.get("class_name") in _MODELS or _is_model(e, objects)
    }
    # Ops with a tf function become TFOpLambda layers (named as tork's op layers already are,
    # `tf.math.multiply_1`); `tf.__operators__.getitem` a SlicingOpLambda.
    ops = {}
    for e in entries:
        if e.get("class_name") == _TORCH_OP:
            function = _op_function((e.get("config") or {}).get("function"))
            if function is not None:
                ops[e.get("name")] = function
    context = shifted
    endpoint_context = shifted - nested_functional_names(entries)
    layers = []
    for e in entries:
        name = e.get("name")
        nodes = e.get("inbound_nodes") or []
        if name in ops and ops[name][0] in _CLASS_METHODS:
            layer = _class_method_layer(e, ops[name][0], nodes, context, objects)
        elif name in ops:
            function, parameters = ops[name]
            layer = {
                "class_name": "SlicingOpLambda" if function.endswith("getitem") else "TFOpLambda",
                "config": {
                    "name": name,
                    "trainable": getattr(objects.get(name), "trainable", True),
                    "dtype": "float32",
                    "function": function,
                },
                "name": name,
                "inbound_nodes": [_node(n, parameters, context, single=True) for n in nodes],
            }
            if json_layout:
                layer = _op_json_entry(layer, nodes)
        elif e.get("class_name") == _TORCH_OP and _instance_attribute(e) is not None:
            layer = _instance_layer(e, _instance_attribute(e), nodes, context, objects)
            if json_layout:
                layer = _op_json_entry(layer, nodes)
        elif e.get("class_name") == _TORCH_OP:
            # No tf function to name: kept as tork writes it (tork reads it back).
            layer = {k: v for k, v in e.items() if k != "inbound_nodes"}
            layer["inbound_nodes"] = [_keras3_node(n, context) for n in nodes]
        else:
            layer_object = objects.get(name)
            layer = convert(e, layer_object, json_layout)
            layer["name"] = name
            if layer["class_name"] == "MultiHeadAttention" and nodes and _is_builtin(e):
                _attention_shapes(layer["config"], nodes[0])
            parameters = _call_parameters(layer_object)
            layer["inbound_nodes"] = [_node(n, parameters, context) for n in nodes]
        layers.append(layer)
    return {
        "name": config.get("name"),
        "trainable": config.get("trainable", True),
        "layers": layers,
        # tork's config already numbers a nested functional model's calls from 1 there.
        "input_layers": _endpoints(config.get("input_layers"), endpoint_context),
        "output_layers": _endpoints(config.get("output_layers"), endpoint_context),
    }


# Class methods that tf_keras records as `ClassMethod` layers (tork's op symbol for them).
_CLASS_METHODS = frozenset({"RaggedTensor.from_tensor"})


def _class_method_layer(entry: dict, symbol: str, nodes: list, context, objects) -> dict:
    """tf_keras's `ClassMethod` layer for `tf.RaggedTensor.from_tensor(x, lengths=...)`.

    tf_keras calls it as `layer(args, kwargs)`: each node lists the method's positional
    tensors, each with `{"kwargs": {...}}` (its keyword arguments) as call kwargs.
    """
    cls_symbol, _, method = symbol.rpartition(".")
    name = entry.get("name")
    converted = []
    for node in nodes:
        if not isinstance(node, dict):
            converted.append(node)
            continue
        args = list(node.get("args") or [])
        kwargs = {k: _value(v, context) for k, v in (node.get("kwargs") or {}).items()}
        extra = {"kwargs": kwargs} if kwargs else {}
        converted.append(
            [
                [*_reference(a["config"]["keras_history"], context), extra]
                if _is_tensor(a)
                else ["_CONSTANT_VALUE", -1, _value(a, context), extra]
                for a in args
            ]
        )
    return {
        "class_name": "ClassMethod",
        "config": {
            "name": name,
            "trainable": getattr(objects.get(name), "trainable", True),
            "dtype": "float32",
            "cls_symbol": cls_symbol,
            "method_name": method,
        },
        "name": name,
        "inbound_nodes": converted,
    }


def _instance_attribute(entry: dict):
    """`(attribute, is_method)` of an op entry for a RaggedTensor/SparseTensor attribute
    (`x.values`, `x.row_lengths()`, saved as `input.values`), else None."""
    from tork.keras.models.functional.config import _instance_op
    from tork.keras.models.functional.keras_tensor import _METHODS, INSTANCE_PREFIX

    function = (entry.get("config") or {}).get("function")
    if not isinstance(function, str) or not function.startswith(INSTANCE_PREFIX):
        return None
    attr = function[len(INSTANCE_PREFIX) :]
    op = _instance_op(attr)
    if op is None:
        return None
    return attr, any(op is m for m in _METHODS.values())


def _instance_layer(entry: dict, attribute: tuple, nodes: list, context, objects) -> dict:
    """tf_keras's `InstanceProperty` / `InstanceMethod` layer for an attribute op.

    A method's own arguments go in the node's call kwargs as `{"args": [...], "kwargs":
    {...}}`, as tf_keras records them.
    """
    attr, method = attribute
    name = entry.get("name")
    converted = []
    for node in nodes:
        if not isinstance(node, dict):
            converted.append(node)
            continue
        args = list(node.get("args") or [])
        kwargs = dict(node.get("kwargs") or {})
        if not args or not _is_tensor(args[0]):
            converted.append(_node(node, (), context, single=True))
            continue
        extra = {}
        if method:
            extra = {
                "args": [_value(v, context) for v in args[1:]],
                "kwargs": {k: _value(v, context) for k, v in kwargs.items()},
            }
        converted.append([*_reference(args[0]["config"]["keras_history"], context), extra])
    return {
        "class_name": "InstanceMethod" if method else "InstanceProperty",
        "config": {
            "name": name,
            "trainable": getattr(objects.get(name), "trainable", True),
            "dtype": "float32",
            "attr_name": attr,
        },
        "name": name,
        "inbound_nodes": converted,
    }


def _op_json_entry(layer: dict, nodes: list) -> dict:
    """A TFOpLambda entry as tf_keras's to_json() writes it."""
    result = {
        "module": "tf_keras.src.layers.core.tf_op_layer",
        "class_name": layer["class_name"],
        "config": layer["config"],
        "registered_name": layer["class_name"],
    }
    first = (nodes[0].get("args") or [None])[0] if nodes and isinstance(nodes[0], dict) else None
    if _is_tensor(first):
        result["build_config"] = {"input_shape": first["config"].get("shape")}
    result["name"] = layer["name"]
    result["inbound_nodes"] = layer["inbound_nodes"]
    return result


def _attention_shapes(config: dict, node) -> None:
    """Keras 2's MultiHeadAttention config holds the shapes it was built for."""
    if not isinstance(node, dict):
        return
    args = list(node.get("args") or [])
    kwargs = dict(node.get("kwargs") or {})
    names = ("query", "value", "key")
    given = {n: v for n, v in zip(names, args)}
    given.update({n: kwargs[n] for n in names if n in kwargs})
    shapes = {n: v["config"].get("shape") for n, v in given.items() if _is_tensor(v)}
    shapes.setdefault("key", shapes.get("value"))
    for n in names:
        config.setdefault(f"{n}_shape", shapes.get(n))
    config.setdefault("softmax_robust_masking", False)


def _is_model(entry: dict, objects: dict) -> bool:
    from tork.keras.models.model import Model

    return isinstance(objects.get(entry.get("name")), Model)


def _op_function(name):
    """`(tf symbol, positional parameter names)` of an op tork saved by its name, or None.

    None for ops without a tf function (`torch.sin`, `keras.ops.sum`) and for those tork
    could not read back from a Keras 2 entry: they are kept as tork writes them.
    """
    from tork.keras.layers.core.tf_op_lambda import function_for_symbol, op_parameters, op_symbol
    from tork.keras.models.functional.config import _resolve_op
    from tork.keras.saving.errors import KerasFileError

    try:
        function = _resolve_op(name)
        symbol = op_symbol(function)
        if symbol is None:
            return None
        function_for_symbol(symbol)
    except KerasFileError:
        return None
    return symbol, op_parameters(symbol, function)


def _call_parameters(layer) -> tuple:
    call = getattr(layer, "call", None)
    if call is None:
        return ()
    try:
        signature = inspect.signature(call)
    except (TypeError, ValueError):
        return ()
    return tuple(
        p.name
        for p in signature.parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    )


def _reference(history, context) -> list:
    name, node_index, tensor_index = history[0], history[1], history[2]
    if name in context and isinstance(node_index, int):  # context: the nested models' names
        node_index += 1
    return [name, node_index, tensor_index]


def _is_tensor(value) -> bool:
    return isinstance(value, dict) and value.get("class_name") == _TENSOR


def _value(value, context):
    """A call argument other than the first: tensors become `[layer, node, tensor]`."""
    if _is_tensor(value):
        return _reference(value["config"]["keras_history"], context)
    if isinstance(value, dict):
        kind = value.get("class_name")
        if kind == "__tuple__":
            return [_value(v, context) for v in (value.get("config") or {}).get("value", [])]
        if kind == "__slice__":  # Keras 2's slice_spec writes a slice as its three fields
            config = value.get("config") or {}
            return {k: _value(config.get(k), context) for k in ("start", "stop", "step")}
        if kind == "__ellipsis__":
            return {"class_name": "__ellipsis__"}
        if kind in ("__tensor__", "__numpy__"):
            # tf_keras writes a constant tensor or array argument as its plain (nested list)
            # value, which tf ops convert back to a tensor when the model is loaded.
            return (value.get("config") or {}).get("value")
        return {k: _value(v, context) for k, v in value.items()}
    if isinstance(value, list):
        return [_value(v, context) for v in value]
    return value


def _node(node, parameters, context, single: bool = False):
    """A Keras 3 inbound node `{args, kwargs}` as Keras 2's node data."""
    if not isinstance(node, dict):
        return node
    args = list(node.get("args") or [])
    kwargs = dict(node.get("kwargs") or {})
    if not args:
        return []
    first, rest = args[0], args[1:]
    names = list(parameters[1:]) if parameters else []
    extra = {}
    for index, value in enumerate(rest):
        key = names[index] if index < len(names) else f"arg_{index + 1}"
        extra[key] = _value(value, context)
    extra.update({k: _value(v, context) for k, v in kwargs.items()})

    def entry(value):
        if _is_tensor(value):
            return [*_reference(value["config"]["keras_history"], context), extra]
        return ["_CONSTANT_VALUE", -1, _value(value, context), extra]

    if isinstance(first, dict) and first.get("class_name") == "__tuple__":
        first = (first.get("config") or {}).get("value", [])
    if isinstance(first, list):
        return [entry(v) for v in first]
    return entry(first) if single else [entry(first)]


def _keras3_node(node, context):
    """A Keras 3 node kept as such, its references to nested models shifted."""

    def fix(value):
        if _is_tensor(value):
            config = dict(value["config"])
            config["keras_history"] = _reference(config["keras_history"], context)
            return {**value, "config": config}
        if isinstance(value, dict):
            return {k: fix(v) for k, v in value.items()}
        if isinstance(value, list):
            return [fix(v) for v in value]
        return value

    return fix(node)


def _endpoints(structure, context):
    def walk(value):
        if (
            isinstance(value, list)
            and len(value) == 3
            and isinstance(value[0], str)
            and isinstance(value[1], int)
        ):
            return _reference(value, context)
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        return value

    result = walk(structure)
    if (
        isinstance(result, list)
        and len(result) == 3
        and isinstance(result[0], str)
        and isinstance(result[1], int)
    ):
        result = [result]
    return result


# -- training config -----------------------------------------------------------------------

# Options of the (new) optimizer base that Keras 2's legacy optimizers do not take.
_NOT_LEGACY = frozenset(
    {
        "weight_decay",
        "use_ema",
        "ema_momentum",
        "ema_overwrite_frequency",
        "loss_scale_factor",
        "gradient_accumulation_steps",
        "jit_compile",
        "is_legacy_optimizer",
    }
)


def _is_legacy(optimizer) -> bool:
    """Whether an optimizer (object or serialized entry) is a `keras.optimizers.legacy` one."""
    if isinstance(optimizer, dict):
        return str(optimizer.get("module") or "").endswith("optimizers.legacy")
    # A user's OptimizerV2 subclass (`_resource_apply_dense`) is a legacy optimizer too:
    # tf_keras saves it unprefixed (`RAdam`), with slots named `RAdam/dense/kernel/m:0`.
    if getattr(optimizer, "_tork_update_kind", None) == "legacy":
        return True
    return ".optimizers.legacy" in (type(optimizer).__module__ or "")


def _keras2_object(value):
    """A Keras 3 serialized entry in Keras 2's `{class_name, config}` form.

    Functions become their names (`"fn": "mean_absolute_error"`), as tf_keras writes them.
    """
    if isinstance(value, list):
        return [_keras2_object(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "class_name" not in value:
        return {k: _keras2_object(v) for k, v in value.items()}
    if value.get("class_name") == "function" and isinstance(value.get("config"), str):
        registered = value.get("registered_name")
        return registered if isinstance(registered, str) else value["config"]
    config = value.get("config")
    if isinstance(config, dict):
        config = {k: _keras2_object(v) for k, v in config.items()}
    return {"class_name": _class_name(value), "config": config}


def _as_items(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _dummy_outputs(model):
    """Zero tensors shaped as `model`'s outputs (batch 1), or None where a shape is unknown."""
    import torch

    outputs = getattr(model, "outputs", None)
    if not outputs:
        return None
    result = []
    for tensor in outputs:
        shape = getattr(tensor, "shape", None)
        if shape is None:
            return None
        dims = [1 if d is None else d for d in tuple(shape)]
        if not all(isinstance(d, int) for d in dims):
            return None
        result.append(torch.zeros(dims))
    return result


def _compiled_metrics(model):
    """The model's metric objects per output, as Keras 2 saves them (`_metrics`).

    Keras 2 saves the metric objects compile() made (`MeanMetricWrapper` named `mae`
    for "mae", each named as logged, e.g. `cls_mae` for output `cls`), not the strings
    the user gave. Returns `(metrics, weighted_metrics)` or None when they cannot be made.
    """
    compiled = getattr(model, "compiled_metrics", None)
    if compiled is None or not hasattr(compiled, "_resolve"):
        return None
    if not getattr(compiled, "_built", False):
        # Build a copy on zeros shaped as the outputs, so the model's own state is untouched.
        outputs = _dummy_outputs(model)
        if outputs is None:
            return None
        fresh = type(compiled)(
            compiled._metrics_spec,
            compiled._weighted_spec,
            output_names=compiled.output_names,
            loss=compiled._loss,
        )
        y_pred = outputs[0] if len(outputs) == 1 else outputs
        try:
            fresh.build(y_pred, y_pred)
        except Exception:  # an unusual spec: keep the user's values
            return None
        compiled = fresh
    from tork.keras.metrics.reduction import MeanMetricWrapper
    from tork.keras.saving.serialization import serialize_keras_object

    def items_per_output(spec, count):
        # The compile() entries behind each output's metric objects, as compile_utils splits them.
        names = list(getattr(compiled, "_names", None) or [])
        if isinstance(spec, dict):
            return [_as_items(spec.get(name)) for name in names]
        if (
            isinstance(spec, (list, tuple))
            and count > 1
            and len(spec) == count
            and all(isinstance(s, (list, tuple)) or s is None for s in spec)
        ):
            return [_as_items(s) for s in spec]
        return [_as_items(spec)] * count

    def serialize(groups, spec):
        result = []
        specs = items_per_output(spec, len(groups))
        for group, items in zip(groups, specs + [[]] * (len(groups) - len(specs))):
            entries = []
            for index, metric in enumerate(group):
                item = items[index] if index < len(items) else None
                fn = getattr(metric, "_fn", None)
                if (
                    isinstance(item, str)
                    and item[:1].islower()
                    and isinstance(metric, MeanMetricWrapper)
                    and callable(fn)
                ):
                    # Keras 2 resolves a lowercase metric string to a function and wraps it.
                    entry = {
                        "class_name": "MeanMetricWrapper",
                        "config": {
                            "name": metric.name,
                            "dtype": metric.get_config().get("dtype", "float32"),
                            "fn": getattr(fn, "__name__", item),
                        },
                    }
                else:
                    entry = _keras2_object(serialize_keras_object(metric))
                name = getattr(metric, "_tork_log_name", None)
                if isinstance(name, str) and isinstance(entry.get("config"), dict):
                    entry["config"]["name"] = name
                entries.append(entry)
            result.append(entries)
        return result

    metrics = compiled._metrics_spec
    if metrics is not None:
        metrics = serialize(compiled._per_output, metrics)
    weighted = compiled._weighted_spec
    if weighted is not None:
        weighted = serialize(compiled._weighted_per_output, weighted)
    return metrics, weighted


def training_config(compile_config: dict, model=None) -> dict:
    """tf_keras's `training_config`: `{loss, metrics, weighted_metrics, loss_weights, optimizer_config}`.

    tf_keras reads an optimizer without `is_legacy_optimizer: false` from an
    .h5 file as a legacy one, and names its own optimizers `Custom>Adam`.
    """
    from tork.keras.saving._compile_config import to_training_config

    training = to_training_config(compile_config)
    result = {
        key: _keras2_object(training.get(key))
        for key in ("loss", "metrics", "weighted_metrics", "loss_weights")
    }
    compiled = _compiled_metrics(model) if model is not None else None
    if compiled is not None:
        result["metrics"], result["weighted_metrics"] = compiled
    if model is not None and "loss" in getattr(model, "__dict__", {}):
        # The compile config has Keras 3's loss layout (for .keras files): Keras 2's
        # is the losses' own config (`reduction: 'auto'`, `fn`).
        from tork.keras.saving._compile_config import _full_names
        from tork.keras.saving.serialization import serialize_keras_object

        try:
            result["loss"] = _keras2_object(_full_names(serialize_keras_object(model.loss)))
        except Exception:  # an unusual loss: keep the compile config's entry
            pass
    optimizer = training.get("optimizer_config")
    if isinstance(optimizer, dict) and isinstance(optimizer.get("config"), dict):
        # Keras 3 optimizer options that tf_keras's optimizers reject, dropped while unset.
        from tork.keras.optimizers.optimizer import _KERAS3_ONLY_KEYS

        class_name = optimizer.get("class_name")
        config = dict(optimizer["config"])
        if "name" in config:
            config["name"] = _optimizer_name(config["name"], class_name)
        model_optimizer = getattr(model, "optimizer", None)
        if getattr(model_optimizer, "_tork_legacy_v2", False):
            pass  # a user's OptimizerV2 subclass: its `get_config` is Keras 2's already
        elif _is_legacy(compile_config.get("optimizer")) or _is_legacy(model_optimizer):
            config = {
                k: v
                for k, v in config.items()
                if k not in _NOT_LEGACY
                and not (k in ("clipnorm", "clipvalue", "global_clipnorm") and v is None)
            }
            config.setdefault("decay", 0.0)
        else:
            config = {k: v for k, v in config.items() if not (k in _KERAS3_ONLY_KEYS and v is None)}
            config.setdefault("jit_compile", False)
            config["is_legacy_optimizer"] = False
            if isinstance(class_name, str) and ">" not in class_name:
                class_name = f"Custom>{class_name}"
        optimizer = {"class_name": class_name, "config": config}
    result["optimizer_config"] = optimizer
    return result


def _optimizer_name(optimizer_name, class_name: str) -> str:
    """Keras 2 names an optimizer by its class (`Adam`); tork's default is `adam`, `adam_1`..."""
    from tork._naming import to_snake_case

    if not isinstance(optimizer_name, str) or not isinstance(class_name, str):
        return optimizer_name
    bases = {to_snake_case(class_name), class_name.lower()}
    head, _, tail = optimizer_name.rpartition("_")
    if optimizer_name in bases or (head in bases and tail.isdigit()):
        return class_name
    return optimizer_name


# tork's slot names and Keras 2's: `Adam/m/dense/kernel:0` (optimizers) and
# `Adam/dense/kernel/m:0` (legacy optimizers), by optimizer class.
_ADAM_SLOTS = {"momentum": "m", "velocity": "v", "velocity_hat": "vhat"}
_SLOTS = {
    "Adam": _ADAM_SLOTS,
    "AdamW": _ADAM_SLOTS,
    "Nadam": _ADAM_SLOTS,
    "Adamax": {"momentum": "m", "norm": "u"},
    "SGD": {"momentum": "m"},
}
_LEGACY_SLOTS = {
    "Adam": _ADAM_SLOTS,
    "Nadam": _ADAM_SLOTS,
    "Adamax": {"momentum": "m", "norm": "v"},
    "RMSprop": {"velocity": "rms", "average_gradient": "mg"},
}


def _slots(optimizer, variables: list) -> list:
    """`(slot, variable path)` of each variable; `(name, None)` for the others."""
    tracked = list(getattr(optimizer, "_trainable_variables", None) or [])
    paths = {}
    for variable in tracked:
        path = getattr(variable, "path", None) or getattr(variable, "name", "")
        paths[str(path).replace("/", "_")] = path
    by_length = sorted(paths.items(), key=lambda item: -len(item[0]))
    result = []
    for index, variable in enumerate(variables):
        name = getattr(variable, "name", None) or f"variable_{index}"
        # A legacy optimizer's slots carry Keras 2's names: `Adam/dense/kernel/m:0`.
        rest = name.split(":")[0].split("/", 1)[-1]
        owner = next((real for _, real in by_length if rest.startswith(f"{real}/")), None)
        if owner is not None:
            result.append((rest[len(owner) + 1 :], owner))
            continue
        name = name.rsplit("/", 1)[-1].split(":")[0]
        for flat, real in by_length:
            if name.startswith(flat + "_"):
                result.append((name[len(flat) + 1 :], real))
                break
        else:
            result.append((name, None))
    return result


def optimizer_weights(optimizer, variables: list) -> tuple[list, list]:
    """Keras 2's names and order for `variables` (the optimizer's, without the learning rate).

    Returns:
        `(names, variables)`: a legacy optimizer lists its slots slot by slot
        (all `m`, then all `v`), as Keras 2's legacy optimizers do.
    """
    cls = type(optimizer).__name__
    prefix = _optimizer_name(getattr(optimizer, "name", None), cls) or cls
    legacy = _is_legacy(optimizer)
    tables = _LEGACY_SLOTS if legacy else _SLOTS
    # A user subclass of a built-in optimizer (`class LA(legacy.Adam)`) names its
    # slots as the built-in does (`Adam/dense/kernel/m:0`).
    builtin = next((k.__name__ for k in type(optimizer).__mro__ if k.__name__ in tables), cls)
    table = tables.get(builtin, {})
    entries = []
    for (slot, path), variable in zip(_slots(optimizer, variables), variables):
        if path is None:
            if slot == "iteration":
                name = f"{prefix}/iter:0" if legacy else "iteration:0"
            else:
                name = f"{prefix}/{slot}:0"
            entries.append((name, variable, None))
            continue
        slot = table.get(slot, slot)
        name = f"{prefix}/{path}/{slot}:0" if legacy else f"{prefix}/{slot}/{path}:0"
        entries.append((name, variable, slot))
    if legacy:
        order = []
        for _, _, slot in entries:
            if slot not in order:
                order.append(slot)
        entries.sort(key=lambda entry: order.index(entry[2]))  # stable: paths keep their order
    names = [name for name, _, _ in entries]
    names = [n if names.count(n) == 1 else f"{n[:-2]}_{i}:0" for i, n in enumerate(names)]
    return names, [variable for _, variable, _ in entries]
