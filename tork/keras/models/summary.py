"""`Model.summary()`: the Keras 2 plain-text table of layers, shapes and parameters.

Subclassed models get real output shapes for every sublayer once they have been
built or called (Keras prints `multiple`).
"""

from __future__ import annotations

from tork.keras.layers.layer import Layer


def _format_bytes(count: int) -> str:
    size = float(count)
    for unit in ("Byte", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} GB"


def _weights_bytes(weights) -> int:
    return sum(w.numel() * w.element_size() for w in weights)


def _shape_text(shape) -> str:
    if shape is None:
        return "?"
    if isinstance(shape, list):
        return "[" + ", ".join(_shape_text(s) for s in shape) + "]"
    if isinstance(shape, dict):
        return "{" + ", ".join(f"'{k}': {_shape_text(v)}" for k, v in shape.items()) + "}"
    shape = tuple(shape)
    if len(shape) == 1:
        return f"({shape[0]},)"
    return "(" + ", ".join(str(d) for d in shape) + ")"


def _row(fields, positions, nested_level: int = 0) -> list[str]:
    """Lays out one table row as Keras 2 does; long cells wrap onto extra lines.

    A cell other than the last keeps two spaces and one more column free before the next
    cell starts; the first cell also gives up one column per nesting level. A cell piece
    ends early after the first `),`, `},`, `],` or `',` in it, so that list items
    (connections, shapes of several outputs) go one per line.
    """
    remaining = [str(f) for f in fields]
    last = len(positions) - 1
    lines = []
    while True:
        line = ""
        for col, text in enumerate(remaining):
            start = positions[col - 1] if col else 0
            gap = 2 if col != last else 0
            width = positions[col] - start - gap - (1 if col != last else 0)
            if col == 0:
                width -= nested_level
            piece = text[: max(width, 1)]
            breaks = [piece.find(m) + len(m) for m in ("),", "},", "],", "',") if m in piece]
            if breaks:
                piece = piece[: min(breaks)]
            if col == 0:
                line += "|" * nested_level + " "
            line += piece + " " * gap
            remaining[col] = text[len(piece) :]
            target = positions[col] - (nested_level if col == last else 0)
            line += " " * max(target - len(line), 0)
        lines.append(line + "|" * nested_level)
        if not any(remaining):
            return lines


def _param_text(layer) -> str:
    if not layer.built and not layer.weights:
        return "0 (unbuilt)"
    return str(sum(w.numel() for w in layer.weights))


# Keras 2 names the TFOpLambda layers of Python operators on symbolic tensors by the tf
# function the operator calls; tork records the torch function.
_OPERATOR_NAMES = {
    "add": "tf.__operators__.add",
    "sub": "tf.math.subtract",
    "mul": "tf.math.multiply",
    "div": "tf.math.truediv",
    "floor_divide": "tf.math.floordiv",
    "remainder": "tf.math.floormod",
    "pow": "tf.math.pow",
    "matmul": "tf.linalg.matmul",
    "neg": "tf.math.negative",
    "abs": "tf.math.abs",
    "lt": "tf.math.less",
    "le": "tf.math.less_equal",
    "gt": "tf.math.greater",
    "ge": "tf.math.greater_equal",
    "logical_and": "tf.math.logical_and",
    "logical_or": "tf.math.logical_or",
    "logical_not": "tf.math.logical_not",
}


def _op_display_name(operation) -> str:
    from tork.keras.models.functional.keras_tensor import _getitem

    if operation is _getitem:
        return "tf.__operators__.getitem"
    api_name = getattr(operation, "_tork_api_name", None)
    if api_name is not None:
        return api_name
    name = getattr(operation, "__name__", "op")
    return _OPERATOR_NAMES.get(name, f"torch.{name}")


def _op_names(model, operations) -> dict:
    """Keras 2 style row names of the op nodes (`tf.nn.relu`, `tf.nn.relu_1`), by node id."""
    used = {node.operation.name for _, node in operations if node.is_layer}
    names = {}
    for _, node in operations:
        if node.is_layer:
            continue
        base = _op_display_name(node.operation)
        name, i = base, 1
        while name in used:
            name, i = f"{base}_{i}", i + 1
        used.add(name)
        names[id(node)] = name
    return names


def _connections(node_inputs_of, op_names: dict) -> str:
    texts = []
    for inputs in node_inputs_of:
        for tensor in inputs:
            source = tensor._tork_node
            if source is None:
                continue
            operation = source.operation
            if source.is_layer:
                index = operation._tork_inbound_nodes.index(source)
                texts.append(f"'{operation.name}[{index}][{tensor._tork_index}]'")
            else:
                name = op_names.get(id(source), _op_display_name(operation))
                texts.append(f"'{name}[0][{tensor._tork_index}]'")
    return "[" + ", ".join(texts) + "]"


def _layer_connections(layer, model, op_names: dict) -> str:
    from tork.keras.models.functional.input_layer import InputLayer

    if isinstance(layer, InputLayer):
        return "[]"
    model_nodes = {id(n) for n in model.__dict__.get("_tork_nodes", [])}
    inputs = [n.inputs for n in layer._tork_inbound_nodes if id(n) in model_nodes]
    return _connections(inputs, op_names)


def print_summary(
    model,
    line_length=None,
    positions=None,
    print_fn=None,
    expand_nested: bool = False,
    show_trainable: bool = False,
) -> None:
    """Prints `model`'s summary table (see `Model.summary`)."""
    from tork.keras.models.functional.functional import Functional
    from tork.keras.models.sequential import Sequential

    if print_fn is None:
        print_fn = print
    functional = isinstance(model, Functional)
    if not functional and not model.built:
        raise ValueError(
            f"The model '{model.name}' has not been built yet, so its summary cannot list its "
            "weights and shapes. Build it first with model.build(input_shape), e.g. "
            "model.build((None, 32)), or call it on a batch of data: model(x)."
        )
    if not functional and not isinstance(model, Sequential):
        layers = [layer for layer in model.layers if isinstance(layer, Layer)]
    else:
        layers = model.layers
    line_length = line_length or (98 if functional else 65)
    if positions is None:
        positions = [0.3, 0.6, 0.70, 1.0] if functional else [0.45, 0.85, 1.0]
    if positions[-1] <= 1:
        positions = [int(line_length * p) for p in positions]
    headers = ["Layer (type)", "Output Shape", "Param #"]
    if functional:
        headers.append("Connected to")
    if show_trainable:
        line_length += 11
        positions.append(line_length)
        headers.append("Trainable")

    out = [f'Model: "{model.name}"', "_" * line_length]
    out += _row(headers, positions)
    out.append("=" * line_length)

    operations = []
    op_names: dict = {}
    if functional:
        from tork.keras.models.functional.config import ordered_nodes

        operations = ordered_nodes(model)[0]
        op_names = _op_names(model, operations)

    def add_op(node) -> None:
        from tork.keras.models.functional.keras_tensor import _getitem

        kind = "SlicingOpLambda" if node.operation is _getitem else "TFOpLambda"
        shapes = [t.shape for t in node.outputs]
        shape_text = _shape_text(shapes[0]) if len(shapes) == 1 else _shape_text(shapes)
        fields = [f"{op_names[id(node)]} ({kind})", shape_text, "0"]
        fields.append(_connections([node.inputs], op_names))
        if show_trainable:
            fields.append("Y")
        out.extend(_row(fields, positions, 0))
        out.append(" " * line_length)

    def add_layer(layer, level: int) -> None:
        from tork.keras.models.functional.input_layer import InputLayer

        shape = getattr(layer, "_tork_out_shape", None)
        if isinstance(layer, InputLayer):
            shape_text = "[" + _shape_text(layer.batch_shape) + "]"
        else:
            shape_text = _shape_text(shape)
        fields = [f"{layer.name} ({type(layer).__name__})", shape_text, _param_text(layer)]
        if functional:
            fields.append(_layer_connections(layer, model, op_names))
        if show_trainable:
            fields.append("Y" if layer.trainable else "N")
        out.extend(_row(fields, positions, level))
        if expand_nested and hasattr(layer, "layers") and layer is not model:
            for inner in layer.layers:
                if isinstance(inner, Layer):
                    add_layer(inner, level + 1)
        out.append(" " * line_length)

    if op_names:
        # Keras 2 lists the ops between layers as TFOpLambda layers, in graph order.
        for _, node in operations:
            if node.is_layer:
                add_layer(node.operation, 0)
            else:
                add_op(node)
    else:
        for layer in layers:
            add_layer(layer, 0)
    if out[-1].strip() == "":
        pass
    trainable = model.trainable_weights
    non_trainable = model.non_trainable_weights
    n_train = sum(w.numel() for w in trainable)
    n_frozen = sum(w.numel() for w in non_trainable)
    out.append("=" * line_length)
    total_bytes = _weights_bytes(trainable) + _weights_bytes(non_trainable)
    out.append(f"Total params: {n_train + n_frozen} ({_format_bytes(total_bytes)})")
    out.append(f"Trainable params: {n_train} ({_format_bytes(_weights_bytes(trainable))})")
    out.append(f"Non-trainable params: {n_frozen} ({_format_bytes(_weights_bytes(non_trainable))})")
    out.append("_" * line_length)
    for line in out:
        print_fn(line)
