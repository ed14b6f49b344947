"""The config of a functional model (Keras 3 layout) and rebuilding a model from one.

A config lists the model's layers, each with its constructor config and its
`inbound_nodes`: one entry per call of the layer inside this model, whose
arguments hold `__keras_tensor__` references `[layer name, node index,
tensor index]` to the tensors it was called on. `input_layers` and
`output_layers` reference the model's inputs and outputs the same way.

The layers are listed in Keras's order (deepest first, ties in the order a
depth-first walk from the outputs meets them), which also names the layers
in weights files, so files interchange with Keras. Keras 2 configs
(`inbound_nodes` as `[[name, node, tensor, kwargs], ...]`) load too.

torch functions applied to symbolic tensors (`x + 1`, `x.reshape(...)`) and
tork's tf / keras ops (`tf.nn.relu(x)`, `keras.ops.sum(x)`) are saved as
`__torch_op__` entries; only functions of `torch`, `torch.nn.functional`,
`torch.Tensor` methods and tork's ops (by their public name) are read back.
`.keras` files write keras.ops calls, Python operators and `x[...]` as Keras 3's
Operation entries instead (`keras3_op_entries`), which Keras 3 loads.
"""

from __future__ import annotations

import re

import torch

from tork import _symbolic
from tork.keras.models.functional.input_layer import InputLayer
from tork.keras.models.functional.keras_tensor import INSTANCE_PREFIX, KerasTensor, _getitem
from tork.keras.models.functional.node import _map, call_torch_op, flatten
from tork.keras.saving.errors import KerasFileError

_TORCH_OP = "__torch_op__"
_TENSOR = "__keras_tensor__"
# torch functions that touch files, processes or global state: never revived from a config.
_DENIED_OPS = frozenset(
    {
        "load",
        "save",
        "hub",
        "compile",
        "export",
        "jit",
        "set_default_device",
        "set_default_dtype",
        "set_printoptions",
        "manual_seed",
        "seed",
        "set_rng_state",
        "use_deterministic_algorithms",
        "from_file",
        "set_num_threads",
        "set_grad_enabled",
    }
)


# -- ordering ---------------------------------------------------------------------------------


def _operation_key(node):
    # A layer called twice is one operation; so is an op layer (TFOpLambda) called twice.
    return id(node.layer)


def ordered_nodes(model) -> tuple[list, dict]:
    """The model's operations in Keras order, and the nodes of each.

    Branches added by `model.add_loss`/`add_metric` come after the graph of the outputs, each
    in the order it was added, as Keras 2 appends the layers it inserts for them.

    Returns:
        `(operations, nodes_of)`: a list of `(key, first_node)` sorted by depth
        (inputs first), and a dict key -> nodes of that operation in this model
        in the order the operation was called.
    """
    inputs = model.__dict__["_tork_flat_inputs"]
    outputs = list(model.__dict__["_tork_flat_outputs"])
    operations, nodes_of = _ordered_nodes(inputs, outputs)
    for end in model.__dict__.get("_tork_branch_ends", ()):
        outputs.append(end)
        more, nodes_of = _ordered_nodes(inputs, outputs)
        known = {key for key, _ in operations}
        operations += [(key, node) for key, node in more if key not in known]
    return operations, nodes_of


def _ordered_nodes(inputs: list, outputs: list) -> tuple[list, dict]:
    input_ids = {id(t) for t in inputs}
    post_order: list = []
    finished: set = set()
    first_seen: dict = {}

    def visit(tensor):
        node = tensor._tork_node
        if node is None or id(node) in finished:
            return
        key = _operation_key(node)
        if id(tensor) in input_ids and not isinstance(node.operation, InputLayer):
            finished.add(id(node))
            return
        first_seen.setdefault(key, len(first_seen))
        if not isinstance(node.operation, InputLayer):
            for parent in node.inputs:
                visit(parent)
        finished.add(id(node))
        post_order.append(node)

    for tensor in outputs:
        visit(tensor)
    in_graph = {id(n) for n in post_order}
    node_depth: dict = {}
    op_depth: dict = {}
    first_node: dict = {}
    for node in reversed(post_order):
        key = _operation_key(node)
        depth = max(node_depth.setdefault(id(node), 0), op_depth.get(key, 0))
        op_depth[key] = depth
        node_depth[id(node)] = depth
        first_node.setdefault(key, node)
        if isinstance(node.operation, InputLayer):
            continue
        for parent_tensor in node.inputs:
            parent = parent_tensor._tork_node
            if parent is not None and id(parent) in in_graph:
                node_depth[id(parent)] = max(depth + 1, node_depth.get(id(parent), 0))
    for tensor in inputs:
        node = tensor._tork_node
        if node is not None and isinstance(node.operation, InputLayer):
            key = _operation_key(node)
            if key not in op_depth:
                op_depth[key] = 0
                first_seen[key] = -1
                first_node[key] = node
                in_graph.add(id(node))
    keys = sorted(op_depth, key=lambda k: (-op_depth[k], first_seen.get(k, 0)))
    nodes_of: dict = {}
    for key in keys:
        nodes_of[key] = [n for n in first_node[key].layer._tork_inbound_nodes if id(n) in in_graph]
    return [(key, first_node[key]) for key in keys], nodes_of


def ordered_layers(model, op_layers: bool = False) -> list:
    """The model's layers in Keras order (InputLayers included).

    Args:
        model: a `Functional` model.
        op_layers: also list the `TFOpLambda` layers of the ops applied to its symbolic
            tensors, as Keras 2's `model.layers` does. Without them the list holds the
            layers Keras 3 lists, which name the weights in its files.
    """
    operations, _ = ordered_nodes(model)
    return [node.layer for _, node in operations if op_layers or node.is_layer]


# -- writing ----------------------------------------------------------------------------------


def _op_name(func) -> str:
    if func is _getitem:
        return "getitem"
    api_name = getattr(func, "_tork_api_name", None)
    if api_name is not None:  # a tf / keras op (tork/_symbolic.py), e.g. "tf.math.reduce_sum"
        return api_name
    name = getattr(func, "__name__", None)
    if isinstance(name, str):
        if getattr(torch, name, None) is func:
            return f"torch.{name}"
        if getattr(torch.nn.functional, name, None) is func:
            return f"torch.nn.functional.{name}"
        if getattr(torch.Tensor, name, None) is func:
            return f"torch.Tensor.{name}"
    raise NotImplementedError(
        f"The functional model applies {func!r} to symbolic tensors; tork can save only torch "
        "functions and Tensor methods used that way. Wrap this computation in a Layer (e.g. "
        "keras.layers.Lambda, or a Layer subclass with get_config) to save the model."
    )


def _history(tensor, names: dict, indices: dict) -> list:
    node = tensor._tork_node
    if node is None or id(node) not in indices:
        raise ValueError(
            f"The tensor {tensor.name} is not produced inside this model, so the model config "
            "cannot reference it."
        )
    return [names[_operation_key(node)], indices[id(node)], tensor._tork_index]


def _serialize_argument(value, names, indices):
    from tork.keras.saving.serialization import serialize_keras_object

    if isinstance(value, KerasTensor):
        return {
            "class_name": _TENSOR,
            "config": {
                "shape": list(value.shape),
                "dtype": str(value.dtype).replace("torch.", ""),
                "keras_history": _history(value, names, indices),
            },
        }
    if isinstance(value, tuple):
        return {
            "class_name": "__tuple__",
            "config": {"value": [_serialize_argument(v, names, indices) for v in value]},
        }
    if isinstance(value, list):
        return [_serialize_argument(v, names, indices) for v in value]
    if isinstance(value, dict):
        return {str(k): _serialize_argument(v, names, indices) for k, v in value.items()}
    return serialize_keras_object(value)


def _tensor_config(structure, names, indices):
    def reference(tensor):
        return _history(tensor, names, indices)

    if isinstance(structure, KerasTensor):
        return reference(structure)
    return _map(reference, structure)


def functional_config(model) -> dict:
    """Returns the Keras 3 config of a functional model.

    Args:
        model: a `Functional` model.

    Returns:
        A dict with `name`, `trainable`, `layers`, `input_layers` and `output_layers`.
    """
    from tork.keras.saving.serialization import serialize_keras_object

    operations, nodes_of = ordered_nodes(model)
    # Ops are named by their TFOpLambda layers (`tf.nn.relu_1`), which the reader restores.
    names = {key: node.layer.name for key, node in operations}
    indices = {id(n): i for key, _ in operations for i, n in enumerate(nodes_of[key])}
    layers = []
    for key, node in operations:
        if node.is_layer:
            entry = serialize_keras_object(node.operation)
            entry["name"] = node.operation.name
            if isinstance(node.operation, InputLayer):
                entry.pop("build_config", None)
        else:
            entry = {
                "module": "torch",
                "class_name": _TORCH_OP,
                "config": {"function": _op_name(node.operation)},
                "registered_name": None,
                "name": names[key],
            }
        entry["inbound_nodes"] = [
            {
                "args": _serialize_argument(list(n.args), names, indices),
                "kwargs": _serialize_argument(dict(n.kwargs), names, indices),
            }
            for n in nodes_of[key]
            if not isinstance(n.operation, InputLayer)
        ]
        layers.append(entry)
    nested = nested_functional_names(layers)
    return {
        "name": model.name,
        "trainable": model.trainable,
        "layers": layers,
        "input_layers": _number_from_one(
            _tensor_config(model._tork_input_struct, names, indices), nested
        ),
        "output_layers": _number_from_one(
            _tensor_config(model._tork_output_struct, names, indices), nested
        ),
    }


def nested_functional_names(entries: list) -> set:
    """The names of the layer entries that are functional models (a config with inputs)."""
    return {
        entry.get("name") or (entry.get("config") or {}).get("name")
        for entry in entries
        if isinstance(entry, dict) and "input_layers" in (entry.get("config") or {})
    }


def _number_from_one(structure, nested: set):
    """Numbers the calls of nested functional models in `input_layers`/`output_layers` from 1.

    Keras 3 (and tf_keras) write them so, node 0 being the nested model's own graph, and
    Keras 3 reads them so, while the nodes' references number the calls from 0.
    """
    if not nested:
        return structure
    if _is_k2_reference(structure):
        name, index, tensor = structure
        return [name, index + 1, tensor] if name in nested else structure
    if isinstance(structure, list):
        return [_number_from_one(v, nested) for v in structure]
    if isinstance(structure, dict):
        return {k: _number_from_one(v, nested) for k, v in structure.items()}
    return structure


# Keras 3 saves each keras.ops call on symbolic tensors as an entry of its Operation class:
# the op's non-tensor parameters (axis, keepdims, newshape...) are the class's constructor
# config, the others the node's call arguments. For `.keras` files tork writes its keras.ops
# nodes that way, so Keras 3 loads them (tork reads both, see `_Keras3Op`).
# op name -> (module under keras.src.ops, class, call parameters, config parameters).
_KERAS3_OP_CLASSES = {
    **{
        name: ("numpy", cls, ("x1", "x2"), ())
        for name, cls in (
            ("add", "Add"),
            ("subtract", "Subtract"),
            ("multiply", "Multiply"),
            ("divide", "Divide"),
            ("true_divide", "TrueDivide"),
            ("floor_divide", "FloorDivide"),
            ("mod", "Mod"),
            ("power", "Power"),
            ("matmul", "Matmul"),
            ("maximum", "Maximum"),
            ("minimum", "Minimum"),
            ("greater", "Greater"),
            ("greater_equal", "GreaterEqual"),
            ("less", "Less"),
            ("less_equal", "LessEqual"),
            ("equal", "Equal"),
            ("not_equal", "NotEqual"),
            ("logical_and", "LogicalAnd"),
            ("logical_or", "LogicalOr"),
        )
    },
    **{
        name: ("numpy", cls, ("x",), ())
        for name, cls in (
            ("negative", "Negative"),
            ("abs", "Abs"),
            ("absolute", "Absolute"),
            ("exp", "Exp"),
            ("log", "Log"),
            ("sqrt", "Sqrt"),
            ("square", "Square"),
            ("tanh", "Tanh"),
            ("sign", "Sign"),
            ("floor", "Floor"),
            ("ceil", "Ceil"),
            ("logical_not", "LogicalNot"),
            ("log1p", "Log1p"),
            ("log2", "Log2"),
            ("expm1", "Expm1"),
            ("reciprocal", "Reciprocal"),
            ("sin", "Sin"),
            ("cos", "Cos"),
            ("arctan", "Arctan"),
            ("isnan", "Isnan"),
        )
    },
    **{
        name: ("numpy", cls, ("x",), ("axis", "keepdims"))
        for name, cls in (
            ("mean", "Mean"),
            ("sum", "Sum"),
            ("std", "Std"),
            ("var", "Var"),
            ("any", "Any"),
            ("all", "All"),
            ("argmax", "Argmax"),
            ("argmin", "Argmin"),
        )
    },
    "max": ("numpy", "Max", ("x",), ("axis", "keepdims", "initial")),
    "min": ("numpy", "Min", ("x",), ("axis", "keepdims", "initial")),
    "prod": ("numpy", "Prod", ("x",), ("axis", "keepdims", "dtype")),
    "concatenate": ("numpy", "Concatenate", ("xs",), ("axis",)),
    "stack": ("numpy", "Stack", ("x",), ("axis",)),
    "reshape": ("numpy", "Reshape", ("x",), ("newshape",)),
    "transpose": ("numpy", "Transpose", ("x",), ("axes",)),
    "expand_dims": ("numpy", "ExpandDims", ("x",), ("axis",)),
    "squeeze": ("numpy", "Squeeze", ("x",), ("axis",)),
    "clip": ("numpy", "Clip", ("x",), ("x_min", "x_max")),
    "round": ("numpy", "Round", ("x",), ("decimals",)),
    "where": ("numpy", "Where", ("condition", "x1", "x2"), ()),
    "dot": ("numpy", "Dot", ("x1", "x2"), ()),
    "logical_xor": ("numpy", "LogicalXor", ("x1", "x2"), ()),
    "tensordot": ("numpy", "Tensordot", ("x1", "x2"), ("axes",)),
    "cumsum": ("numpy", "Cumsum", ("x",), ("axis", "dtype")),
    "cumprod": ("numpy", "Cumprod", ("x",), ("axis", "dtype")),
    "flip": ("numpy", "Flip", ("x",), ("axis",)),
    "tile": ("numpy", "Tile", ("x",), ("repeats",)),
    "repeat": ("numpy", "Repeat", ("x",), ("repeats", "axis")),
    "split": ("numpy", "Split", ("x",), ("indices_or_sections", "axis")),
    "pad": ("numpy", "Pad", ("x", "constant_values"), ("pad_width", "mode")),
    "take": ("numpy", "Take", ("x", "indices"), ("axis",)),
    "moveaxis": ("numpy", "Moveaxis", ("x",), ("source", "destination")),
    "swapaxes": ("numpy", "Swapaxes", ("x",), ("axis1", "axis2")),
    "sort": ("numpy", "Sort", ("x",), ("axis",)),
    "argsort": ("numpy", "Argsort", ("x",), ("axis",)),
    "broadcast_to": ("numpy", "BroadcastTo", ("x",), ("shape",)),
    "zeros_like": ("numpy", "ZerosLike", ("x",), ("dtype",)),
    "ones_like": ("numpy", "OnesLike", ("x",), ("dtype",)),
    "norm": ("linalg", "Norm", ("x",), ("ord", "axis", "keepdims")),
    "logsumexp": ("math", "Logsumexp", ("x",), ("axis", "keepdims")),
    "top_k": ("math", "TopK", ("x",), ("k", "sorted")),
    "erf": ("math", "Erf", ("x",), ()),
    "rsqrt": ("math", "Rsqrt", ("x",), ()),
    "one_hot": ("nn", "OneHot", ("x",), ("num_classes", "axis", "dtype", "sparse")),
    "normalize": ("nn", "Normalize", ("x",), ("axis", "order", "epsilon")),
    "cast": ("core", "Cast", ("x",), ("dtype",)),
    **{
        name: ("nn", cls, ("x",), ())
        for name, cls in (
            ("relu", "Relu"),
            ("relu6", "Relu6"),
            ("sigmoid", "Sigmoid"),
            ("silu", "Silu"),
            ("selu", "Selu"),
            ("softplus", "Softplus"),
            ("softsign", "Softsign"),
            ("hard_sigmoid", "HardSigmoid"),
            ("log_sigmoid", "LogSigmoid"),
        )
    },
    "softmax": ("nn", "Softmax", ("x",), ("axis",)),
    "log_softmax": ("nn", "LogSoftmax", ("x",), ("axis",)),
    "gelu": ("nn", "Gelu", ("x",), ("approximate",)),
    "leaky_relu": ("nn", "LeakyRelu", ("x",), ("negative_slope",)),
    "elu": ("nn", "Elu", ("x",), ("alpha",)),
}


# Python operators on symbolic tensors run these torch functions; Keras 3 records the
# keras.ops function the operator calls.
_KERAS3_OPERATORS = {
    "torch.add": "add",
    "torch.sub": "subtract",
    "torch.mul": "multiply",
    "torch.div": "true_divide",
    "torch.floor_divide": "floor_divide",
    "tf.math.floordiv": "floor_divide",  # what `x // y` records
    "torch.remainder": "mod",
    "torch.pow": "power",
    "torch.matmul": "matmul",
    "torch.neg": "negative",
    "torch.abs": "absolute",
    "torch.gt": "greater",
    "torch.ge": "greater_equal",
    "torch.lt": "less",
    "torch.le": "less_equal",
    "torch.eq": "equal",
    "torch.ne": "not_equal",
    "torch.logical_and": "logical_and",
    "torch.logical_or": "logical_or",
    "torch.logical_not": "logical_not",
}


def _holds_tensor(value) -> bool:
    if isinstance(value, dict):
        return value.get("class_name") == _TENSOR or any(_holds_tensor(v) for v in value.values())
    if isinstance(value, list):
        return any(_holds_tensor(v) for v in value)
    return False


def _plain(value):
    """A serialized argument as a constructor value: `__tuple__` entries become lists."""
    if isinstance(value, dict) and value.get("class_name") == "__tuple__":
        return [_plain(v) for v in (value.get("config") or {}).get("value", [])]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _keras3_node(function, nodes: list, call_params, config_params):
    """`(config, nodes)` of a Keras 3 op entry, or None when a call does not fit the class."""
    import inspect

    signature = inspect.signature(function)
    config = None
    converted = []
    for node in nodes:
        try:
            bound = signature.bind(*node.get("args", []), **node.get("kwargs", {}))
        except TypeError:
            return None
        bound.apply_defaults()
        values = dict(bound.arguments)
        if set(values) != set(call_params) | set(config_params):
            return None
        node_config = {p: _plain(values[p]) for p in config_params}
        # One Operation object serves every call: the calls must share its config.
        if _holds_tensor(node_config) or config not in (None, node_config):
            return None
        config = node_config
        converted.append({"args": [values[p] for p in call_params], "kwargs": {}})
    return config or {}, converted


def _keras3_getitem_nodes(nodes: list):
    converted = []
    for node in nodes:
        args = list(node.get("args", []))
        kwargs = dict(node.get("kwargs") or {})
        if len(args) == 1 and list(kwargs) == ["key"]:
            args.append(kwargs.pop("key"))
        if len(args) != 2 or kwargs:
            return None
        key = args[1]
        # A list key is a fancy index; Keras 3 reads a list key back as a tuple of indices.
        if isinstance(key, list):
            return None
        if isinstance(key, dict) and key.get("class_name") == "__tuple__":
            key = list((key.get("config") or {}).get("value", []))
        converted.append({"args": [args[0], key], "kwargs": {}})
    return converted


def _keras3_op_entry(entry: dict) -> dict:
    function_name = (entry.get("config") or {}).get("function")
    nodes = entry.get("inbound_nodes") or []
    # `x[...]`, and keras.ops.get_item (what a GetItem entry is revived as).
    if function_name in ("getitem", "keras.ops.get_item"):
        converted = _keras3_getitem_nodes(nodes)
        module, class_name, config = "numpy", "GetItem", {}
    else:
        if function_name in _KERAS3_OPERATORS:
            # Operators pass their operands positionally, nothing else (no `alpha=`).
            if any(n.get("kwargs") for n in nodes):
                return entry
            function_name = "keras.ops." + _KERAS3_OPERATORS[function_name]
        if not isinstance(function_name, str) or not function_name.startswith("keras.ops."):
            return entry
        spec = _KERAS3_OP_CLASSES.get(function_name[len("keras.ops.") :])
        function = _symbolic.resolve(function_name)
        if spec is None or function is None:
            return entry
        module, class_name, call_params, config_params = spec
        result = _keras3_node(function, nodes, call_params, config_params)
        converted, config = (None, None) if result is None else (result[1], result[0])
    if converted is None:
        return entry
    return {
        "module": f"keras.src.ops.{module}",
        "class_name": class_name,
        "config": {"name": entry["name"], **config},
        "registered_name": class_name,
        "name": entry["name"],
        "inbound_nodes": converted,
    }


def keras3_op_entries(config):
    """Returns a saved config in which tork's keras.ops nodes are Keras 3 Operation entries.

    `x[...]` becomes `GetItem`, `keras.ops.mean(x, axis=1)` becomes `Mean` with config
    `{"axis": 1, "keepdims": false}`; other `__torch_op__` entries (torch functions, tf ops,
    calls Keras 3 writes differently) stay as they are. Nested models are converted too.
    """
    if isinstance(config, list):
        return [keras3_op_entries(v) for v in config]
    if not isinstance(config, dict):
        return config
    if config.get("class_name") == _TORCH_OP and "inbound_nodes" in config:
        return _keras3_op_entry(config)
    return {k: keras3_op_entries(v) for k, v in config.items()}


# -- reading ----------------------------------------------------------------------------------


def _resolve_op(name):
    if name == "getitem":
        return _getitem
    if not isinstance(name, str):
        raise KerasFileError(f"Invalid torch op in the model config: {name!r:.100}.")
    if name.startswith(("tf.", "keras.")):
        func = _symbolic.resolve(name)
        if func is not None:
            return func
    if name.startswith(INSTANCE_PREFIX):
        func = _instance_op(name[len(INSTANCE_PREFIX) :])
        if func is not None:
            return func
    for prefix, owner in (
        ("torch.nn.functional.", torch.nn.functional),
        ("torch.Tensor.", torch.Tensor),
        ("torch.", torch),
    ):
        if name.startswith(prefix):
            attr = name[len(prefix) :]
            if attr.isidentifier() and not attr.startswith("_") and attr not in _DENIED_OPS:
                func = getattr(owner, attr, None)
                if callable(func) and not isinstance(func, type):
                    return func
            break
    raise KerasFileError(
        f"The model config applies the function {name!r} to symbolic tensors; tork only revives "
        "tf / keras ops (such as 'tf.math.reduce_sum' or 'keras.ops.sum') and torch functions "
        "(torch.*, torch.nn.functional.*, torch.Tensor methods) that do not touch files or "
        "global state."
    )


def _instance_op(attr: str):
    """The op of `input.<attr>`: a public property or method of RaggedTensor/SparseTensor
    (`values`, `row_lengths`, `indices`) on a symbolic input, or None."""
    from tork._backend.ragged_tensor import RaggedTensor
    from tork._backend.sparse_tensor import SparseTensor
    from tork.keras.models.functional.keras_tensor import _ATTRIBUTES, _method

    if not attr.isidentifier() or attr.startswith("_"):
        return None
    found = [getattr(cls, attr) for cls in (RaggedTensor, SparseTensor) if hasattr(cls, attr)]
    if any(isinstance(f, property) for f in found):
        return _ATTRIBUTES[attr]
    if any(callable(f) for f in found):
        return _method(attr)
    return None


# Keras 3 saves ops applied to symbolic tensors (keras.ops.sum(x, axis=1), the not_equal of
# an Embedding's mask_zero) as entries of their Operation class, e.g. module
# "keras.src.ops.numpy", class "Sum", config {"axis": 1, "keepdims": false, "name": "sum"}.
_KERAS3_OPS = ("keras.src.ops.", "keras.ops.")


class _Keras3Op:
    """A Keras 3 Operation entry, revived as the keras.ops function of the same name."""

    def __init__(self, entry: dict, name=None):
        from tork._naming import to_snake_case

        class_name = str(entry.get("class_name"))
        self.function = _symbolic.resolve("keras.ops." + to_snake_case(class_name))
        # An entry tork wrote keeps its op layer's name (`tf.math.multiply`, Keras 2's
        # name of `x * y`); Keras 3's own names (`multiply`) are left to tork's naming.
        self.layer = None
        if (
            self.function is not None
            and isinstance(name, str)
            and name.startswith(("tf.", "keras."))
        ):
            from tork.keras.layers.core.tf_op_lambda import SlicingOpLambda, op_layer_class

            cls = SlicingOpLambda if class_name == "GetItem" else op_layer_class(self.function)
            self.layer = cls(self.function, name=name)
        if self.function is None:
            raise KerasFileError(
                f"The model config applies the Keras op '{class_name}' (module "
                f"'{entry.get('module')}') to symbolic tensors; tork has no keras.ops function "
                f"'{to_snake_case(class_name)}' to revive it. Rebuild the model in code and "
                "load its weights with load_weights()."
            )
        # The Operation's constructor arguments (axis, keepdims...) become call arguments.
        self.bound = {k: v for k, v in (entry.get("config") or {}).items() if k != "name"}
        self.get_item = class_name == "GetItem"
        # The node's call arguments follow the Operation's `call`, e.g. Pad.call(x,
        # constant_values): pass them by name where the function orders them differently.
        self.call_names = None
        spec = _KERAS3_OP_CLASSES.get(to_snake_case(class_name))
        if spec is not None:
            import inspect

            parameters = list(inspect.signature(self.function).parameters)
            if parameters[: len(spec[2])] != list(spec[2]):
                self.call_names = spec[2]

    def call(self, args, kwargs):
        args = tuple(args)
        if self.get_item and len(args) > 1 and isinstance(args[1], list):
            # JSON turned the key tuple `x[:, :6]` into a list; Keras 3's GetItem indexes
            # with the tuple again (a list would be a torch fancy index: other elements).
            args = (args[0], tuple(args[1]), *args[2:])
        if self.get_item and len(args) == 2 and not kwargs and not self.bound:
            from tork.keras.models.functional.keras_tensor import symbolic_getitem

            # `x[:, :tf.shape(y)[1]]`: its symbolic bound is saved in a dict of the slice.
            return symbolic_getitem(args[0], args[1], layer=self.layer)
        if self.call_names is not None and len(args) <= len(self.call_names):
            kwargs = {**dict(zip(self.call_names, args)), **kwargs}
            args = ()
        return call_torch_op(self.function, args, {**self.bound, **kwargs}, layer=self.layer)


# Keras 2 turned TensorFlow ops on symbolic tensors into these layers; their config names the
# function relative to `tf` ("math.reduce_sum", "nn.relu", "__operators__.getitem").
_KERAS2_OP_LAYERS = ("TFOpLambda", "SlicingOpLambda")


class _Keras2Op:
    """A Keras 2 `TFOpLambda` / `SlicingOpLambda` entry: its layer, calling the tork op."""

    def __init__(self, entry: dict, name):
        from tork.keras.layers.core.tf_op_lambda import function_for_symbol, op_layer_class

        config = entry.get("config") or {}
        symbol = config.get("function")
        if not isinstance(symbol, str):
            raise KerasFileError(f"Invalid {entry.get('class_name')} entry: {entry!r:.200}.")
        self.name = name
        self.slicing = symbol == "__operators__.getitem"
        # Keras 2's losses convert their inputs: a TFOpLambda of tf.convert_to_tensor, a
        # no-op on tensors (a cast where the entry names a dtype): its layer is made at the
        # call, which tells which.
        self.converts = symbol.rpartition("compat.v1.")[2] == "convert_to_tensor"
        self.layer = None
        if not self.converts:
            function = function_for_symbol(symbol, str(entry.get("class_name")))
            self.layer = op_layer_class(function)(function, name=name)
            self.layer.symbol = symbol  # `__operators__.add` runs tf.math.add: keep its name
        # `x != 0` is tf.__operators__.ne(self, other), revived as tf.math.not_equal(x, y).
        self.eq_ne = symbol in ("__operators__.eq", "__operators__.ne")

    def call(self, args, kwargs):
        if self.slicing:
            key = _slice_key(kwargs.get("slice_spec"))
            return self.layer(args[0], key)
        args, kwargs = _numbered_arguments(args, kwargs)
        if self.eq_ne:
            kwargs = {{"self": "x", "other": "y"}.get(k, k): v for k, v in kwargs.items()}
        if self.converts:
            from tork.keras.layers.core.tf_op_lambda import TFOpLambda

            dtype = kwargs.get("dtype")
            if self.layer is None:
                function = _symbolic.resolve("tf.identity" if dtype is None else "tf.cast")
                self.layer = TFOpLambda(function, name=self.name)
            return self.layer(args[0]) if dtype is None else self.layer(args[0], dtype)
        return self.layer(*args, **kwargs)


_NUMBERED = re.compile(r"arg_(\d+)$")


def _numbered_arguments(args, kwargs):
    """Positional arguments tork wrote as `arg_<n>` (an op's `*args` past its named
    parameters, as `tf.einsum('bij->bji', x)`'s operands) put back in their places."""
    numbered = {int(m.group(1)): k for k in kwargs if (m := _NUMBERED.match(k))}
    if not numbered or sorted(numbered) != list(range(len(args), len(args) + len(numbered))):
        return args, kwargs
    kwargs = dict(kwargs)
    extra = [kwargs.pop(numbered[i]) for i in sorted(numbered)]
    return [*args, *extra], kwargs


# tf_keras's layers for a RaggedTensor/SparseTensor attribute (`inp.values`) or method call
# (`inp.row_lengths()`) on a symbolic tensor; config {"attr_name": "values"}.
_KERAS2_INSTANCE_LAYERS = ("InstanceProperty", "InstanceMethod")


class _Keras2ClassMethodOp:
    """A tf_keras `ClassMethod` entry (`tf.RaggedTensor.from_tensor(x, lengths=...)`),
    revived as tork's op of that class method (config `cls_symbol`, `method_name`)."""

    def __init__(self, entry: dict, name):
        from tork.keras.layers.core.tf_op_lambda import op_layer_class

        config = entry.get("config") or {}
        cls_symbol, method = config.get("cls_symbol"), config.get("method_name")
        function = None
        if isinstance(cls_symbol, str) and isinstance(method, str):
            function = _symbolic.resolve(f"tf.{cls_symbol}.{method}")
        if function is None:
            raise KerasFileError(
                f"The model config calls the class method {cls_symbol}.{method} on symbolic "
                "tensors (a tf_keras ClassMethod layer); tork supports "
                "tf.RaggedTensor.from_tensor there. Rebuild the model in code and load its "
                "weights with load_weights()."
            )
        self.layer = op_layer_class(function)(function, name=name)

    def call(self, args, kwargs):
        # tf_keras calls ClassMethod(args, kwargs): the node's tensors are the method's
        # positional arguments, `kwargs` its keyword arguments.
        kwargs = dict(kwargs)
        extra_kwargs = kwargs.pop("kwargs", None) or {}
        if len(args) == 1 and isinstance(args[0], (list, tuple)):
            args = list(args[0])
        return self.layer(*args, **extra_kwargs, **kwargs)


class _Keras2InstanceOp:
    """A tf_keras `InstanceProperty` / `InstanceMethod` entry, revived as tork's op layer of
    the same attribute (named as the entry)."""

    def __init__(self, entry: dict, name):
        from tork.keras.layers.core.tf_op_lambda import TFOpLambda

        attr = (entry.get("config") or {}).get("attr_name")
        function = _instance_op(attr) if isinstance(attr, str) else None
        if function is None:
            raise KerasFileError(
                f"Invalid {entry.get('class_name')} entry in the model config: attr_name "
                f"{attr!r:.100} is not a public attribute of RaggedTensor or SparseTensor."
            )
        self.method = entry.get("class_name") == "InstanceMethod"
        self.layer = TFOpLambda(function, name=name)

    def call(self, args, kwargs):
        if self.method:
            # tf_keras records a method's own arguments as {"args": [...], "kwargs": {...}}.
            kwargs = dict(kwargs)
            extra_args = kwargs.pop("args", None) or []
            extra_kwargs = kwargs.pop("kwargs", None) or {}
            return self.layer(*args, *extra_args, **extra_kwargs, **kwargs)
        return self.layer(*args, **kwargs)


def _op_layer(entry: dict, name):
    """The op layer of a `__torch_op__` entry (an op tork wrote), named as the entry."""
    from tork.keras.layers.core.tf_op_lambda import op_layer_class

    function = _resolve_op((entry.get("config") or {}).get("function"))
    if isinstance(name, str) and name.startswith("torch_op_"):
        name = None  # tork's earlier names for ops: named as Keras 2 names them instead
    return op_layer_class(function)(function, name=name)


def _k2_references(value, created):
    """A Keras 2 call argument with its `[layer, node, tensor]` references as tensors.

    Constants that earlier tork versions wrote in Keras 3's form (`{"class_name":
    "__tensor__", ...}`, `"__numpy__"`) are read as the tensor or array they hold.
    """
    if _is_k2_reference(value):
        return _lookup_tensor(value, created)
    if isinstance(value, list):
        return [_k2_references(v, created) for v in value]
    if isinstance(value, dict):
        if value.get("class_name") in ("__tensor__", "__numpy__"):
            from tork.keras.saving.serialization import deserialize_keras_object

            return deserialize_keras_object(value)
        return {k: _k2_references(v, created) for k, v in value.items()}
    return value


def _slice_key(spec):
    """The index of a SlicingOpLambda's `slice_spec` (slices as dicts, `...` as a marker)."""

    def part(value):
        if isinstance(value, dict):
            if value.get("class_name") == "__ellipsis__":
                return Ellipsis
            return slice(value.get("start"), value.get("stop"), value.get("step"))
        return value

    return tuple(part(v) for v in spec) if isinstance(spec, list) else part(spec)


class _Missing(Exception):
    """A node input that is not computed yet."""


def _lookup_tensor(history, created: dict):
    if not isinstance(history, (list, tuple)) or len(history) < 3:
        raise KerasFileError(f"Invalid tensor reference in the model config: {history!r:.100}.")
    name, node_index, tensor_index = history[0], history[1], history[2]
    outputs = created.get((name, node_index))
    if outputs is None:
        raise _Missing
    if not isinstance(tensor_index, int) or not 0 <= tensor_index < len(outputs):
        raise KerasFileError(
            f"The model config references output {tensor_index!r} of layer '{name}' (call "
            f"{node_index}), which has {len(outputs)} output(s)."
        )
    return outputs[tensor_index]


def _read_argument(value, created, custom_objects):
    from tork.keras.saving.serialization import deserialize_keras_object

    if isinstance(value, dict):
        if value.get("class_name") == _TENSOR:
            config = value.get("config")
            if not isinstance(config, dict):
                raise KerasFileError(f"Invalid tensor entry in the model config: {value!r:.200}.")
            return _lookup_tensor(config.get("keras_history"), created)
        if value.get("class_name") == "__tuple__":
            items = (value.get("config") or {}).get("value")
            if not isinstance(items, list):
                raise KerasFileError(f"Invalid tuple in the model config: {value!r:.200}.")
            return tuple(_read_argument(v, created, custom_objects) for v in items)
        if "class_name" in value:
            return deserialize_keras_object(value, custom_objects=custom_objects)
        return {k: _read_argument(v, created, custom_objects) for k, v in value.items()}
    if isinstance(value, list):
        return [_read_argument(v, created, custom_objects) for v in value]
    return value


def _keras2_node(node, created, custom_objects=None):
    """Arguments of a Keras 2 node: `[[layer, node, tensor, kwargs], ...]`.

    The first argument holds the input tensor(s); `[layer, node, tensor]` references inside
    the kwargs (`y` of `x + y`, a shape list holding `tf.shape(x)[0]`) become tensors. A
    TFOpLambda writes a single input as one entry rather than a list of them.
    """
    if isinstance(node, list) and node and isinstance(node[0], str):
        node = [node]
    if not isinstance(node, list) or not node:
        raise KerasFileError(f"Invalid Keras 2 inbound node in the model config: {node!r:.200}.")
    tensors, kwargs = [], {}
    for entry in node:
        if not isinstance(entry, list) or len(entry) < 3:
            raise KerasFileError(f"Invalid Keras 2 inbound node entry: {entry!r:.200}.")
        if entry[0] == "_CONSTANT_VALUE" and entry[1] == -1:
            # A constant first argument of an op (`1 + z` is `add(1.0, y=z)`): the value itself.
            tensors.append(_k2_references(entry[2], created))
        else:
            tensors.append(_lookup_tensor(entry[:3], created))
        if len(entry) > 3 and isinstance(entry[3], dict):
            kwargs = {k: _k2_references(v, created) for k, v in entry[3].items()}
    return ([tensors[0] if len(tensors) == 1 else tensors], kwargs)


def _is_k2_reference(value) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 3
        and isinstance(value[0], str)
        and all(isinstance(v, int) for v in value[1:])
    )


def _node_arguments(node, created, custom_objects):
    if isinstance(node, dict):
        args = _read_argument(node.get("args", []), created, custom_objects)
        kwargs = _read_argument(node.get("kwargs", {}), created, custom_objects)
        if not isinstance(args, list) or not isinstance(kwargs, dict):
            raise KerasFileError(f"Invalid inbound node in the model config: {node!r:.200}.")
        return args, kwargs
    return _keras2_node(node, created, custom_objects)


def functional_from_config(config: dict, custom_objects: dict | None = None, cls=None):
    """Rebuilds a functional model from its config (Keras 3 or Keras 2 layout).

    Args:
        config: the output of `functional_config` (or of Keras's `get_config`).
        custom_objects: optional dict of user-defined classes and functions.
        cls: the model class to create (a `keras.Model` subclass built from inputs
            and outputs); default `Functional`.

    Returns:
        A new `Functional` model (with new, untrained weights).
    """
    from tork.keras.layers.core.add_loss import AddLoss, AddMetric
    from tork.keras.models.functional.functional import Functional
    from tork.keras.saving.serialization import deserialize_keras_object

    if not isinstance(config, dict) or not isinstance(config.get("layers"), list):
        raise KerasFileError(
            "A functional model config needs a 'layers' list, 'input_layers' and "
            f"'output_layers'; got keys {sorted(config) if isinstance(config, dict) else config!r}."
        )
    created: dict = {}
    pending: list = []
    keras3_nodes = _has_keras3_nodes(config["layers"])
    for entry in config["layers"]:
        if not isinstance(entry, dict):
            raise KerasFileError(f"Invalid layer entry in the model config: {entry!r:.200}.")
        name = entry.get("name") or (entry.get("config") or {}).get("name")
        if entry.get("class_name") == _TORCH_OP:
            operation = _op_layer(entry, name)
        elif str(entry.get("module") or "").startswith(_KERAS3_OPS):
            operation = _Keras3Op(entry, name)
        elif entry.get("class_name") in _KERAS2_OP_LAYERS:
            operation = _Keras2Op(entry, name)
        elif entry.get("class_name") in _KERAS2_INSTANCE_LAYERS:
            operation = _Keras2InstanceOp(entry, name)
        elif entry.get("class_name") == "ClassMethod":
            operation = _Keras2ClassMethodOp(entry, name)
        else:
            operation = deserialize_keras_object(entry, custom_objects=custom_objects)
            # Other entries reference this layer by the entry's name, also when its
            # get_config() leaves the name out and the new layer got an automatic one.
            name = name or getattr(operation, "name", None)
        if isinstance(operation, InputLayer):
            created[(name, 0)] = [operation.output]
        nodes = entry.get("inbound_nodes") or []
        if not isinstance(nodes, list):
            raise KerasFileError(f"Invalid inbound_nodes of layer '{name}' in the model config.")
        first = 0 if keras3_nodes else _first_node_index(operation, name, config)
        pending.append([name, operation, list(nodes), first])
    while any(item[2] for item in pending):
        progress = False
        for item in pending:
            name, operation, nodes, count = item
            while nodes:
                try:
                    args, kwargs = _node_arguments(nodes[0], created, custom_objects)
                except _Missing:
                    break
                if isinstance(operation, InputLayer):
                    raise KerasFileError(f"The input layer '{name}' cannot have inbound nodes.")
                if isinstance(
                    operation, (_Keras2Op, _Keras3Op, _Keras2InstanceOp, _Keras2ClassMethodOp)
                ):
                    outputs = operation.call(args, kwargs)
                elif callable(operation) and not hasattr(operation, "_tork_inbound_nodes"):
                    outputs = call_torch_op(operation, tuple(args), kwargs)
                else:
                    outputs = operation(*args, **kwargs)
                created[(name, count)] = flatten(outputs)
                nodes.pop(0)
                count += 1
                item[3] = count
                progress = True
        if not progress:
            stuck = [item[0] for item in pending if item[2]]
            raise KerasFileError(
                f"The model config cannot be rebuilt: the inputs of layer(s) {stuck} are never "
                "produced (the graph references missing layers or is disconnected)."
            )

    def endpoints(structure, what):
        if structure is None:
            raise KerasFileError(f"The model config has no '{what}'.")
        if _is_k2_reference(structure):
            if keras3_nodes and structure[1] >= 1 and structure[0] in nested:
                # Keras 3 (and tork) number a nested functional model's calls from 1 here
                # (node 0 is its own graph) while the nodes number them from 0.
                earlier = [structure[0], structure[1] - 1, structure[2]]
                if (earlier[0], earlier[1]) in created:
                    return _checked(earlier, created, what)
            return _checked(structure, created, what)
        if isinstance(structure, dict):
            return {k: endpoints(v, what) for k, v in structure.items()}
        if isinstance(structure, list):
            return [endpoints(v, what) for v in structure]
        raise KerasFileError(f"Invalid '{what}' in the model config: {structure!r:.200}.")

    nested = nested_functional_names(config["layers"])
    inputs = endpoints(config.get("input_layers"), "input_layers")
    outputs = endpoints(config.get("output_layers"), "output_layers")
    # Keras 2 wraps a single input/output in a list: the model still takes and gives one tensor.
    if isinstance(inputs, list) and len(inputs) == 1:
        inputs = inputs[0]
    if isinstance(outputs, list) and len(outputs) == 1:
        outputs = outputs[0]
    model = (cls or Functional)(
        inputs=inputs,
        outputs=outputs,
        name=config.get("name"),
        trainable=config.get("trainable", True),
    )
    # Keras 2's model.add_loss/add_metric branches: saved as AddLoss/AddMetric layers that
    # no output depends on.
    for name, operation, _, count in pending:
        if isinstance(operation, (AddLoss, AddMetric)):
            for index in range(count):
                model._tork_add_branch_end(created[(name, index)][0])
    return model


def _has_keras3_nodes(entries: list) -> bool:
    """Whether the layers' inbound nodes are all in Keras 3's form (`{"args", "kwargs"}`).

    (tork's Keras 2 files keep Keras 3's form for the few ops tf_keras has no name for;
    their other nodes are Keras 2's lists, numbered as Keras 2 numbers them.)
    """
    forms = set()
    for entry in entries:
        nodes = entry.get("inbound_nodes") if isinstance(entry, dict) else None
        for node in nodes if isinstance(nodes, list) else ():
            forms.add(isinstance(node, dict))
    return forms == {True}


def _first_node_index(operation, name, config) -> int:
    """The index Keras gives the first call of this entry's layer in the outer model.

    A nested model made from its own `Input`s already has node 0 (its own graph) in Keras
    2 and 3, so its first call in the outer model is node 1 in their files; tork writes 0.
    The references in the config tell which: 1 when no reference to the layer names node 0.
    """
    from tork.keras.models.model import Model

    if not isinstance(operation, Model):
        return 0
    indices = set()

    def scan(value):
        if isinstance(value, dict):
            history = value.get("keras_history")
            if isinstance(history, list) and len(history) >= 2 and history[0] == name:
                indices.add(history[1])
            for item in value.values():
                scan(item)
        elif isinstance(value, list):
            if len(value) >= 3 and value[0] == name and isinstance(value[1], int):
                indices.add(value[1])
            for item in value:
                scan(item)

    scan([entry.get("inbound_nodes") for entry in config["layers"]])
    scan([config.get("output_layers")])
    return 1 if indices and 0 not in indices else 0


def _checked(reference, created, what):
    try:
        return _lookup_tensor(reference, created)
    except _Missing:
        raise KerasFileError(
            f"The model config's {what} reference {reference}, which the layers never produce."
        ) from None


__all__ = ["functional_config", "functional_from_config", "ordered_layers", "ordered_nodes"]
