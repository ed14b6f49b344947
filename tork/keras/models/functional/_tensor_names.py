"""tf.keras 2's names of symbolic tensors: `'dense/BiasAdd:0'`, `'input_1'`.

In Keras 2 a layer's symbolic output is a graph tensor named after the layer and the last
TensorFlow op of its call (`layer_name/OpName:index`); code logs it, builds
`K.function`/output-name dicts from it and takes the layer name back with
`x.name.split('/')[0]`. tork has no TensorFlow graph: the first component (the layer
name, a nested model's name before its own output's name) and the index are Keras 2's;
the op part is Keras 2's for common layers and `Identity` for others.
"""

from __future__ import annotations

# The TensorFlow op of an activation function at the end of a layer's call.
_ACTIVATION_OPS = {
    "relu": "Relu",
    "relu6": "Relu6",
    "softmax": "Softmax",
    "sigmoid": "Sigmoid",
    "tanh": "Tanh",
    "elu": "Elu",
    "selu": "Selu",
    "softplus": "Softplus",
    "softsign": "Softsign",
    "exponential": "Exp",
}

# The last op of a layer's call, by class name (layers whose output is not an activation's).
_LAYER_OPS = {
    "Flatten": "Reshape",
    "Reshape": "Reshape",
    "Concatenate": "concat",
    "Add": "add",
    "Subtract": "sub",
    "Multiply": "mul",
    "Maximum": "Maximum",
    "Minimum": "Minimum",
    "Average": "truediv",
    "Dropout": "Identity",
    "BatchNormalization": "batchnorm/add_1",
    "Embedding": "embedding_lookup/Identity",
    "MaxPooling2D": "MaxPool",
    "AveragePooling2D": "AvgPool",
    "GlobalAveragePooling1D": "Mean",
    "GlobalAveragePooling2D": "Mean",
    "GlobalMaxPooling1D": "Max",
    "GlobalMaxPooling2D": "Max",
    "LSTM": "PartitionedCall",
    "GRU": "PartitionedCall",
}

# The op of a weighted layer without activation: its bias add, else its product.
_PRODUCT_OPS = {"Dense": "MatMul", "Conv2D": "Conv2D", "Conv1D": "conv1d/Squeeze"}


def _op_of(layer) -> str:
    kind = type(layer).__name__
    if kind in _LAYER_OPS:
        return _LAYER_OPS[kind]
    activation = getattr(layer, "activation", None)
    act_name = getattr(activation, "__name__", None)
    if act_name in _ACTIVATION_OPS:
        return _ACTIVATION_OPS[act_name]
    if act_name in ("linear", None) and hasattr(layer, "use_bias"):
        if layer.use_bias:
            return "BiasAdd"
        return _PRODUCT_OPS.get(kind, "Identity")
    return "Identity"


def keras2_name(tensor) -> str | None:
    """Keras 2's name of a layer's symbolic output, or None (no producing layer)."""
    from tork.keras.models.functional.input_layer import InputLayer

    node = tensor._tork_node
    layer = getattr(node, "layer", None)
    if layer is None or isinstance(layer, InputLayer):
        return None
    index = tensor._tork_index
    inner_outputs = layer.__dict__.get("_tork_flat_outputs")
    if inner_outputs is not None and index < len(inner_outputs):
        # A model called as a layer: its name, then its own output's name.
        return f"{layer.name}/{inner_outputs[index].name}"
    return f"{layer.name}/{_op_of(layer)}:{index}"
