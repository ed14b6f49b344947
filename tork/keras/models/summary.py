"""`Model.summary()`: the Keras 2 plain-text table of layers, shapes and parameters.

The text is what tf_keras 2 prints: the Sequential layout (three columns, 65 wide) for
Sequential and subclassed models and for functional models that are a single chain of
layers, the "Connected to" layout (98 wide) for other functional models, `multiple` for
shapes Keras 2 does not record (the layers of a subclassed model, a layer called with
several output shapes), and `¯`/`|` borders around the layers of nested models with
`expand_nested=True`.
"""

from __future__ import annotations

import torch

from tork.keras.layers.layer import Layer


def _format_bytes(count: int) -> str:
    size = float(count)
    for unit in ("Byte", "KB", "MB", "GB", "TB"):
        if size < 1024:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} PB"


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


def _connections(node_inputs_of) -> str:
    """The "Connected to" cell: `'layer[node][tensor]'` for each input of the given calls.

    Ops are named by their op layers (`tf.nn.relu`), as Keras 2 names its TFOpLambda layers.
    """
    texts = []
    for inputs in node_inputs_of:
        for tensor in inputs:
            source = tensor._tork_node
            if source is None:
                continue
            layer = source.layer
            index = layer._tork_inbound_nodes.index(source)
            texts.append(f"'{layer.name}[{index}][{tensor._tork_index}]'")
    return "[" + ", ".join(texts) + "]"


def _is_sequential_like(model) -> bool:
    """Whether Keras 2 prints `model` in the Sequential layout (no "Connected to" column).

    Sequential and subclassed models always are. A functional model is when its graph is a
    single chain: every depth from the outputs holds one node, no node takes more than one
    tensor, and no layer is called more than once in it (Keras 2's rule, so an MLP or an
    autoencoder built with the functional API prints as a Sequential model does).
    """
    from tork.keras.models.functional.functional import Functional
    from tork.keras.models.functional.input_layer import InputLayer

    if not isinstance(model, Functional):
        return True
    nodes = list(model.__dict__.get("_tork_nodes", []))
    for tensor in model.__dict__["_tork_flat_inputs"]:
        node = tensor._tork_node
        if node is not None and isinstance(node.operation, InputLayer) and node not in nodes:
            nodes.insert(0, node)
    in_model = {id(n) for n in nodes}
    calls: dict = {}
    for node in nodes:
        if node.is_layer:
            calls[id(node.operation)] = calls.get(id(node.operation), 0) + 1
            if calls[id(node.operation)] > 1:
                return False
        if not isinstance(node.operation, InputLayer) and len(node.inputs) > 1:
            return False
    # Depth of a node: the longest path from it to a node no other node of the model consumes
    # (nodes come parents first, so walking them backwards sees every consumer first).
    depth: dict = {}
    for node in reversed(nodes):
        here = depth.setdefault(id(node), 0)
        if isinstance(node.operation, InputLayer):
            continue
        for tensor in node.inputs:
            parent = tensor._tork_node
            if parent is not None and id(parent) in in_model:
                depth[id(parent)] = max(depth.get(id(parent), 0), here + 1)
    return len(set(depth.values())) == len(depth)


def _structure_text(value) -> str:
    """The text Python prints for the shapes of a (nest of) KerasTensor(s)."""
    from tork.keras.models.functional.keras_tensor import KerasTensor

    if isinstance(value, KerasTensor):
        return _shape_text(value.shape)
    if isinstance(value, list):
        return "[" + ", ".join(_structure_text(v) for v in value) + "]"
    if isinstance(value, tuple):
        items = [_structure_text(v) for v in value]
        return "(" + items[0] + ",)" if len(items) == 1 else "(" + ", ".join(items) + ")"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {_structure_text(v)}" for k, v in value.items()) + "}"
    return "None"


def _output_shape_text(layer, eager_parent: bool) -> str:
    """The "Output Shape" cell: Keras 2's `layer.output_shape`, or `multiple`.

    Keras 2 knows a layer's output shape only from its calls on symbolic tensors (its
    inbound nodes): a layer called with several output shapes, or only eagerly (the
    layers of a subclassed model), shows `multiple`. An InputLayer's shape prints as a
    one-item list, and a nested functional model shows the shapes of its outputs.
    """
    from tork.keras.models.functional.functional import Functional
    from tork.keras.models.functional.input_layer import InputLayer
    from tork.keras.models.functional.node import flatten
    from tork.keras.models.sequential import Sequential

    if isinstance(layer, InputLayer):
        return "[" + _shape_text(layer.batch_shape) + "]"
    if isinstance(layer, Functional):
        outputs = layer.__dict__["_tork_output_struct"]
        if isinstance(outputs, list) and len(flatten(outputs)) == 1:
            outputs = outputs[0]  # Keras 2 keeps `Model(x, [y])`'s output unnested
        return _structure_text(outputs)
    nodes = layer.__dict__.get("_tork_inbound_nodes") or []
    if nodes:
        texts = {_structure_text(node.output_structure) for node in nodes}
        if len(texts) == 1:
            return texts.pop()
        return "multiple"
    shape = layer.__dict__.get("_tork_out_shape")
    if shape is None or (eager_parent and not isinstance(layer, Sequential)):
        # Keras 2 records no shape for layers called eagerly inside a subclassed model.
        return "multiple"
    return _shape_text(shape)


def _graphless(model) -> bool:
    # A Sequential first called on several tensors (`predict([x, cond])`, no Input) has
    # no graph: Keras 2 runs it as a subclassed model, so its layers show `multiple`.
    from tork.keras.models.sequential import Sequential

    return (
        isinstance(model, Sequential)
        and model.__dict__.get("_tork_graph") is None
        and isinstance(model._build_shapes, (list, tuple))
        and bool(model._build_shapes)
        and isinstance(model._build_shapes[0], (list, tuple))
    )


def _counted(weights) -> list:
    # A weight shared by two layers (or listed twice) counts once, as in Keras. A weight of
    # unknown length in tf_keras (a tf_idf lookup's idf weights, shape (None,)) counts 0.
    unique = {id(w): w for w in weights}
    return [w for w in unique.values() if not getattr(w, "_tork_dynamic_shape", False)]


def _count(weights) -> int:
    return sum(w.numel() for w in _counted(weights))


def _weights_bytes(weights) -> int:
    return sum(_nbytes(w) for w in _counted(weights))


def _nbytes(weight) -> int:
    if isinstance(weight, torch.Tensor):
        return weight.numel() * weight.element_size()
    # A string weight (a NumPy array of bytes): the bytes of its strings.
    return sum(len(b) for b in weight.numpy().reshape(-1))


def _layer_range_bounds(entries: list, layer_range) -> tuple[int, int]:
    """The slice of `entries` that `summary(layer_range=[first, last])` prints.

    Both names are regular expressions matched at the start of the layer names; the
    range runs from the first layer matching either bound to the last one matching the other.
    """
    import re

    if layer_range is None:
        return 0, len(entries)
    if len(layer_range) != 2:
        raise ValueError(
            "layer_range must be a list or tuple of length 2. Received: "
            f"layer_range = {layer_range} of length {len(layer_range)}"
        )
    if not isinstance(layer_range[0], str) or not isinstance(layer_range[1], str):
        raise ValueError(f"layer_range should contain string type only. Received: {layer_range}")
    names = [name for name, _ in entries]
    lower = [i for i, name in enumerate(names) if re.match(layer_range[0], name)]
    upper = [i for i, name in enumerate(names) if re.match(layer_range[1], name)]
    if not lower or not upper:
        raise ValueError(
            f"Passed layer_names do not match the layer names in the model. Received: {layer_range}"
        )
    if min(lower) > max(upper):
        return min(upper), max(lower) + 1
    return min(lower), max(upper) + 1


def _entries(model) -> list:
    """The rows of `model`'s table: `(name, layer)` in Keras 2's `model.layers` order.

    A functional model lists its InputLayers and the op layers of the tf ops applied to its
    symbolic tensors (TFOpLambda) among its layers.
    """
    from tork.keras.models.functional.functional import Functional
    from tork.keras.models.sequential import Sequential

    layers = model.layers
    if not isinstance(model, (Functional, Sequential)):
        layers = [layer for layer in layers if isinstance(layer, Layer)]
    if isinstance(model, Sequential):
        # `seq.add_loss(tf.reduce_mean(seq.output))`: Keras 2 (a Sequential with a known
        # input shape is functional) lists the branch's op and AddLoss/AddMetric layers.
        from tork.keras.models import _sequential_branches

        layers = [*layers, *_sequential_branches.branch_node_layers(model)]
    return [(layer.name, layer) for layer in layers]


def print_summary(
    model,
    line_length=None,
    positions=None,
    print_fn=None,
    expand_nested: bool = False,
    show_trainable: bool = False,
    layer_range=None,
) -> None:
    """Prints `model`'s summary table (see `Model.summary`)."""
    from tork.keras.layers.core.tf_op_lambda import TFOpLambda
    from tork.keras.models.functional.functional import Functional
    from tork.keras.models.functional.input_layer import InputLayer
    from tork.keras.models.sequential import Sequential

    if print_fn is None:
        from tork.keras.utils.io_utils import print_msg as print_fn
    if not isinstance(model, Functional) and not model.built:
        # tf_keras's sentence first, so code matching Keras 2's message still matches.
        raise ValueError(
            "This model has not yet been built. Build the model first by calling `build()` or "
            "by calling the model on a batch of data. The model "
            f"'{model.name}' has not been built yet, so its summary cannot list its "
            "weights and shapes: use model.build(input_shape), e.g. "
            "model.build((None, 32)), or call it on a batch of data: model(x)."
        )
    sequential_like = _is_sequential_like(model)
    if sequential_like:
        line_length = line_length or 65
        positions = list(positions or [0.45, 0.85, 1.0])
        headers = ["Layer (type)", "Output Shape", "Param #"]
    else:
        line_length = line_length or 98
        positions = list(positions or [0.3, 0.6, 0.70, 1.0])
        headers = ["Layer (type)", "Output Shape", "Param #", "Connected to"]
    if positions[-1] <= 1:
        positions = [int(line_length * p) for p in positions]
    if show_trainable:
        line_length += 11
        positions.append(line_length)
        headers.append("Trainable")

    out = [f'Model: "{model.name}"', "_" * line_length]
    out += _row(headers, positions)
    out.append("=" * line_length)
    model_nodes = {id(n) for n in model.__dict__.get("_tork_nodes", [])}

    def border(level: int, fill: str) -> str:
        return "|" * level + fill * (line_length - 2 * level) + "|" * level

    def op_fields(layer) -> list:
        node = layer._tork_inbound_nodes[0]
        shapes = [_shape_text(t.shape) for t in node.outputs]
        # An op returning a list prints as one even with one item (`tf.unstack` of a
        # length-1 axis: `[(None, 6)]`, as Keras 2).
        one = len(shapes) == 1 and not isinstance(node.output_structure, list)
        shape_text = shapes[0] if one else "[" + ", ".join(shapes) + "]"
        fields = [f"{layer.name} ({type(layer).__name__})", shape_text, "0"]
        if not sequential_like:
            inputs = [n.inputs for n in layer._tork_inbound_nodes if id(n) in model_nodes]
            fields.append(_connections(inputs))
        return fields

    def layer_fields(layer, eager_parent: bool) -> list:
        name = f"{layer.name} ({type(layer).__name__})"
        shape_text = _output_shape_text(layer, eager_parent)
        if sequential_like:
            # Keras 2 marks the layers that a subclassed model's call never used.
            unused = not layer.built and not isinstance(layer, Functional)
            params = "0 (unused)" if unused else str(_count(layer.weights))
            return [name, shape_text, params]
        fields = [name, shape_text, str(_count(layer.weights))]
        if isinstance(layer, InputLayer):
            fields.append("[]")
        else:
            inputs = [n.inputs for n in layer._tork_inbound_nodes if id(n) in model_nodes]
            fields.append(_connections(inputs))
        return fields

    def add_entry(entry, level: int, last: bool, parent) -> None:
        if isinstance(entry, TFOpLambda):
            fields = op_fields(entry)
            # Op layers are not sublayers of the model's torch module: freezing the model
            # (which freezes every layer in Keras 2) shows on them through the model's flag.
            trainable = entry.trainable and parent.trainable
        else:
            eager_parent = not isinstance(parent, (Functional, Sequential)) or _graphless(parent)
            fields = layer_fields(entry, eager_parent)
            trainable = entry.trainable
        if show_trainable:
            fields.append("Y" if trainable else "N")
        out.extend(_row(fields, positions, level))
        if expand_nested and getattr(entry, "layers", None):
            inner = _entries(entry)
            out.append(border(level + 1, "¯"))
            for i, (_, item) in enumerate(inner):
                add_entry(item, level + 1, i == len(inner) - 1, entry)
            out.append(border(level, "¯"))
            # Keras 2 prints no blank line after an expanded model's closing border.
            last = True
        if not last:
            out.append(border(level, " "))

    entries = _entries(model)
    first, stop = _layer_range_bounds(entries, layer_range)
    for _, entry in entries[first:stop]:
        add_entry(entry, 0, False, model)

    trainable = model.trainable_weights
    non_trainable = model.non_trainable_weights
    n_train, n_frozen = _count(trainable), _count(non_trainable)
    train_bytes, frozen_bytes = _weights_bytes(trainable), _weights_bytes(non_trainable)
    out.append("=" * line_length)
    out.append(f"Total params: {n_train + n_frozen} ({_format_bytes(train_bytes + frozen_bytes)})")
    out.append(f"Trainable params: {n_train} ({_format_bytes(train_bytes)})")
    out.append(f"Non-trainable params: {n_frozen} ({_format_bytes(frozen_bytes)})")
    out.append("_" * line_length)
    for line in out:
        print_fn(line)
