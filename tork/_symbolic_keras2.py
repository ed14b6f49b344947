"""Keras 2's view of tf ops on functional-API tensors: its op names and symbolic paths.

tf_keras names the op layer of a TensorFlow function by the function's canonical v1 name
where TF exports a v1 function object under a v2 name too (`tf.compat.v1.transpose`), and
records the tf ops *inside* its backend, activation and loss functions rather than the
function itself (`K.sum` -> `tf.math.reduce_sum`, `losses.mse` -> four ops). tork/_symbolic.py
wraps tf functions for symbolic tensors; on symbolic arguments it runs the paths here, built
from tork's own recording tf ops, so a model has Keras 2's op layers.
"""

from __future__ import annotations

# TensorFlow exports these v1 function objects as v2 names too; Keras 2 names their op
# layers (layer names, saved `function`) by the v1 name, with a `compat.v1` prefix. tork's
# own messages and Keras 3 configs keep the name users call.
_KERAS2_NAMES = {
    "tf.transpose": "tf.compat.v1.transpose",
    "tf.norm": "tf.compat.v1.norm",
    "tf.gather": "tf.compat.v1.gather",
    "tf.gather_nd": "tf.compat.v1.gather_nd",
    "tf.pad": "tf.compat.v1.pad",
    "tf.boolean_mask": "tf.compat.v1.boolean_mask",
    "tf.squeeze": "tf.compat.v1.squeeze",
    "tf.shape": "tf.compat.v1.shape",
    "tf.size": "tf.compat.v1.size",
    "tf.math.floordiv": "tf.compat.v1.floor_div",
    "tf.math.scalar_mul": "tf.compat.v1.math.scalar_mul",
    "tf.nn.conv1d": "tf.compat.v1.nn.conv1d",
    "tf.nn.conv2d": "tf.compat.v1.nn.conv2d",
    "tf.nn.depthwise_conv2d": "tf.compat.v1.nn.depthwise_conv2d",
    "tf.nn.pool": "tf.compat.v1.nn.pool",
    "tf.nn.embedding_lookup": "tf.compat.v1.nn.embedding_lookup",
    "tf.nn.softmax_cross_entropy_with_logits": (
        "tf.compat.v1.nn.softmax_cross_entropy_with_logits_v2"
    ),
    "tf.nn.sparse_softmax_cross_entropy_with_logits": (
        "tf.compat.v1.nn.sparse_softmax_cross_entropy_with_logits"
    ),
    "tf.nn.sufficient_statistics": "tf.compat.v1.nn.sufficient_statistics",
    "tf.nn.weighted_moments": "tf.compat.v1.nn.weighted_moments",
}


# v1 names whose tork function has another name.
_V1_TARGETS = {
    "tf.compat.v1.floor_div": "tf.math.floordiv",
    "tf.compat.v1.nn.softmax_cross_entropy_with_logits_v2": (
        "tf.nn.softmax_cross_entropy_with_logits"
    ),
}


def _reduction(tf_name):
    def path(x, axis=None, keepdims=False):
        return _tf_function(tf_name)(x, axis=axis, keepdims=keepdims)

    return path


def _unary(tf_name):
    return lambda x: _tf_function(tf_name)(x)


def _tf_function(name):
    import tork

    value = tork
    for part in name.split("."):
        value = getattr(value, part)
    return value


def _sqrt(x):
    return _tf_function("math.sqrt")(_tf_function("math.maximum")(x, 0.0))


def _concatenate(tensors, axis=-1):
    if axis < 0:
        rank = len(tensors[0].shape) if tensors else 0
        axis = axis % rank if rank else 0
    return _tf_function("concat")(tensors, axis=axis)


def _relu(x, alpha=0.0, max_value=None, threshold=0.0):
    if alpha != 0 or max_value is not None or threshold != 0:
        return NotImplemented  # Keras 2 composes several ops here: one op node instead
    return _tf_function("nn.relu")(x)


def _softmax(x, axis=-1):
    return _tf_function("nn.softmax")(x, axis=axis)


def _mean_squared_error(y_true, y_pred):
    y_pred = _convert_to_tensor_op(y_pred)
    y_true = _tf_function("cast")(y_true, dtype=_dtype_name(y_pred))
    difference = _tf_function("math.squared_difference")(y_pred, y_true)
    return _tf_function("math.reduce_mean")(difference, axis=-1, keepdims=False)


def _binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    if label_smoothing:
        return NotImplemented
    from tork.keras import backend

    y_pred = _convert_to_tensor_op(y_pred)
    y_true = _tf_function("cast")(y_true, dtype=_dtype_name(y_pred))
    loss = backend.binary_crossentropy(y_true, y_pred, from_logits=from_logits)
    return _tf_function("math.reduce_mean")(loss, axis=axis, keepdims=False)


def _call(tf_name, *args, **kwargs):
    return _tf_function(tf_name)(*args, **kwargs)


def _clip(x, min_value, max_value):
    if max_value is None:
        max_value = float("inf")
    elif min_value is not None and not _is_tensor(max_value) and not _is_tensor(min_value):
        max_value = max(max_value, min_value)
    return _call("clip_by_value", x, min_value, max_value)


def _is_tensor(value) -> bool:
    import torch

    from tork._symbolic import _TYPES

    return isinstance(value, torch.Tensor) or type(value) in _TYPES


def _dot(x, y):
    if len(x.shape) > 2 or len(y.shape) > 2:
        return NotImplemented
    return _call("linalg.matmul", x, y)


def _tile(x, n):
    return _call("tile", x, [n] if isinstance(n, int) else n)


def _repeat(x, n):
    return _call("tile", _call("expand_dims", x, 1), [1, n, 1])


def _reverse(x, axes):
    return _call("reverse", x, [axes] if isinstance(axes, int) else axes)


def _any_all(tf_name):
    def path(x, axis=None, keepdims=False):
        return _call(tf_name, _call("cast", x, "bool"), axis=axis, keepdims=keepdims)

    return path


def _temporal_padding(x, padding=(1, 1)):
    return _call("pad", x, [[0, 0], list(padding), [0, 0]])


def _bias_add(x, bias, data_format=None):
    if data_format not in (None, "channels_last") or len(bias.shape) != 1:
        return NotImplemented  # Keras 2 reshapes the bias first: one op node instead
    return _call("nn.bias_add", x, bias)


def _random_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    from tork.keras import backend

    return _call("random.normal", shape, mean, stddev, dtype=dtype or backend.floatx(), seed=seed)


def _batch_dot(x, y, axes=None):
    """Keras 2's batch_dot as the matmul it records for rank-3 and rank-2 operands."""
    rx, ry = len(x.shape), len(y.shape)
    if isinstance(axes, int):
        axes = (axes, axes)
    if axes is not None:
        axes = tuple(a % r for a, r in zip(axes, (rx, ry)))
    if rx == 3 and ry == 2 and axes in (None, (2, 1)):
        product = _call("linalg.matmul", x, _call("expand_dims", y, 2))
        return _call("squeeze", product, [-1])
    if rx == 3 and ry == 3 and axes in (None, (2, 1)):
        return _call("linalg.matmul", x, y)
    if rx == 3 and ry == 3 and axes == (2, 2):
        return _call("linalg.matmul", x, _call("transpose", y, [0, 2, 1]))
    if rx == 2 and ry == 2 and axes in (None, (1, 1)):
        rows = _call("linalg.matmul", _call("expand_dims", x, 1), _call("expand_dims", y, 2))
        return _call("squeeze", rows, [-1])
    return NotImplemented  # other contractions: one op node


def _repeat_elements(x, rep, axis):
    rank = len(x.shape)
    size = x.shape[axis]
    if size is None:
        return NotImplemented  # Keras 2 tiles and reshapes then: one op node instead
    pieces = _call("split", x, size, axis=axis)
    return _concatenate([piece for piece in pieces for _ in range(rep)], axis=axis % rank)


def _switch(condition, then_expression, else_expression):
    """Keras 2's switch on tensors: `tf.where`, a condition of rank >= 2 first reshaped to
    the expressions' rank and tiled to their shape (the ops tf_keras records)."""
    if callable(then_expression) or callable(else_expression) or not _is_tensor(condition):
        return NotImplemented
    if not _is_tensor(then_expression) or len(condition.shape) in (0, None):
        return NotImplemented
    rank, expression_rank = len(condition.shape), len(then_expression.shape)
    if rank > expression_rank:
        return NotImplemented  # the function's own error
    if condition.dtype != _tf_function("bool"):
        condition = _call("cast", condition, "bool")
    if rank > 1:
        padded = _call("concat", [_call("shape", condition), [1] * (expression_rank - rank)], 0)
        condition = _call("reshape", condition, padded)
        sizes = _call("shape", then_expression)
        grows = _call("math.greater", _call("math.subtract", sizes, padded), 0)
        condition = _call(
            "tile", condition, _call("where", grows, sizes, _call("ones_like", sizes))
        )
    return _call("where", condition, then_expression, else_expression)


def _in_train_phase(x, alt, training=None):
    """Keras 2 picks the branch while the functional model is built: with no `training`,
    the learning phase then (0 unless set), so `K.in_train_phase(noisy, x)` is `x` for
    good, in fit too; no op layer."""
    if _is_tensor(training):
        return NotImplemented
    if training is None:
        from tork.keras.layers._call_context import CONTEXT

        training = CONTEXT.training
    if training is None:
        from tork.keras import backend

        training = backend.learning_phase()
    chosen = x if training in (1, True) else alt
    return chosen() if callable(chosen) else chosen


def _matvec(
    a, b, transpose_a=False, adjoint_a=False, a_is_sparse=False, b_is_sparse=False, name=None
):
    """TF's matvec is a matmul with `b` as a column (the three ops tf_keras records)."""
    column = _call("expand_dims", b, -1)
    product = _call("linalg.matmul", a, column, transpose_a=transpose_a, adjoint_a=adjoint_a)
    return _call("squeeze", product, [-1])


def _elu(x, alpha=1.0):
    return _call("nn.elu", x) if alpha == 1 else NotImplemented


def _hard_sigmoid(x):
    return _call("clip_by_value", _call("math.add", _call("math.multiply", x, 0.2), 0.5), 0.0, 1.0)


def _mean_absolute_error(y_true, y_pred):
    y_pred = _convert_to_tensor_op(y_pred)
    y_true = _call("cast", y_true, dtype=_dtype_name(y_pred))
    difference = _call("math.abs", _call("math.subtract", y_pred, y_true))
    return _call("math.reduce_mean", difference, axis=-1, keepdims=False)


def _categorical_crossentropy(
    y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1, **kwargs
):
    if label_smoothing or kwargs:
        return NotImplemented
    from tork.keras import backend

    y_pred = _convert_to_tensor_op(y_pred)
    y_true = _call("cast", y_true, dtype=_dtype_name(y_pred))
    return backend.categorical_crossentropy(y_true, y_pred, from_logits=from_logits, axis=axis)


def _kl_divergence(y_true, y_pred):
    from tork.keras import backend

    y_pred = _convert_to_tensor_op(y_pred)
    y_true = _call("cast", y_true, dtype=_dtype_name(y_pred))
    y_true = backend.clip(y_true, 1e-7, 1)
    y_pred = backend.clip(y_pred, 1e-7, 1)
    return _call("math.reduce_sum", y_true * _call("math.log", y_true / y_pred), axis=-1)


def _whole(*burnt_names):
    """A Keras 2 backend function that tf_keras records whole, as one op layer.

    tf_keras first runs the function's Python code on the symbolic tensors; the op layers
    it makes before that fails (`tf.convert_to_tensor` of the arguments) are dropped, but
    their names are taken: later op layers are numbered after them.
    """

    def path(*args, **kwargs):
        from tork.keras.layers.core.tf_op_lambda import _unique_op_name

        for name in burnt_names:
            _unique_op_name(name)
        return NotImplemented

    return path


def _dtype_name(tensor) -> str:
    return str(tensor.dtype).replace("torch.", "")


def _convert_to_tensor(value, dtype=None, dtype_hint=None, name=None):
    from tork._backend.tensor import convert_to_tensor

    return convert_to_tensor(value, dtype=dtype)


# `tf.convert_to_tensor` returns a symbolic tensor as it is (it is in _STATIC); Keras 2
# losses record it as an op of their own, which this private op stands for.
_convert_to_tensor.__name__ = "convert_to_tensor"
_convert_to_tensor._tork_api_name = "tf.convert_to_tensor"
_convert_to_tensor._tork_keras2_name = "tf.convert_to_tensor"
_convert_to_tensor._tork_reads_shape = False


def _convert_to_tensor_op(value):
    from tork._symbolic import _TYPES

    if type(value) not in _TYPES:
        return value
    from tork.keras.models.functional.node import call_torch_op

    return call_torch_op(_convert_to_tensor, (value,), {})


# Keras 2 backend, activation and loss functions on symbolic tensors recorded the tf ops
# they call (`K.sum` -> `tf.math.reduce_sum`, `losses.mse` -> four ops), not themselves:
# on symbolic arguments tork runs these paths, built from its own recording tf ops, so the
# model has Keras 2's op layers. A path may return NotImplemented: one node of the function.
_KERAS2_PATHS = {
    "keras.backend.sum": _reduction("math.reduce_sum"),
    "keras.backend.mean": _reduction("math.reduce_mean"),
    "keras.backend.max": _reduction("math.reduce_max"),
    "keras.backend.min": _reduction("math.reduce_min"),
    "keras.backend.prod": _reduction("math.reduce_prod"),
    "keras.backend.std": _reduction("math.reduce_std"),
    "keras.backend.square": _unary("math.square"),
    "keras.backend.exp": _unary("math.exp"),
    "keras.backend.log": _unary("math.log"),
    "keras.backend.abs": _unary("math.abs"),
    "keras.backend.sin": _unary("math.sin"),
    "keras.backend.cos": _unary("math.cos"),
    "keras.backend.sqrt": _sqrt,
    "keras.backend.pow": lambda x, a: _tf_function("math.pow")(x, a),
    "keras.backend.maximum": lambda x, y: _tf_function("math.maximum")(x, y),
    "keras.backend.minimum": lambda x, y: _tf_function("math.minimum")(x, y),
    "keras.backend.concatenate": _concatenate,
    "keras.backend.reshape": lambda x, shape: _tf_function("reshape")(x, shape),
    "keras.backend.expand_dims": lambda x, axis=-1: _tf_function("expand_dims")(x, axis),
    "keras.backend.stack": lambda x, axis=0: _tf_function("stack")(x, axis=axis),
    "keras.backend.relu": _relu,
    "keras.activations.relu": _relu,
    "keras.backend.sigmoid": _unary("math.sigmoid"),
    "keras.activations.sigmoid": _unary("math.sigmoid"),
    "keras.backend.tanh": _unary("math.tanh"),
    "keras.activations.tanh": _unary("math.tanh"),
    "keras.backend.softmax": _softmax,
    "keras.activations.softmax": _softmax,
    "keras.backend.variance": _reduction("math.reduce_variance"),
    "keras.backend.round": _unary("math.round"),
    "keras.backend.sign": _unary("math.sign"),
    "keras.backend.softplus": _unary("math.softplus"),
    "keras.activations.softplus": _unary("math.softplus"),
    "keras.backend.softsign": _unary("nn.softsign"),
    "keras.activations.softsign": _unary("nn.softsign"),
    "keras.activations.exponential": _unary("math.exp"),
    "keras.activations.selu": _unary("nn.selu"),
    "keras.activations.silu": _unary("nn.silu"),
    "keras.activations.gelu": lambda x, approximate=False: _call(
        "nn.gelu", x, approximate=approximate
    ),
    "keras.activations.linear": lambda x: x,
    "keras.backend.elu": _elu,
    "keras.activations.elu": _elu,
    "keras.backend.hard_sigmoid": _hard_sigmoid,
    "keras.activations.hard_sigmoid": _hard_sigmoid,
    "keras.backend.clip": _clip,
    "keras.backend.dot": _dot,
    "keras.backend.transpose": _unary("transpose"),
    "keras.backend.permute_dimensions": lambda x, pattern: _call("transpose", x, perm=pattern),
    "keras.backend.flatten": lambda x: _call("reshape", x, [-1]),
    "keras.backend.cast": lambda x, dtype: _call("cast", x, dtype),
    "keras.backend.l2_normalize": lambda x, axis=None: _call("math.l2_normalize", x, axis=axis),
    "keras.backend.argmax": lambda x, axis=-1: _call("math.argmax", x, axis),
    "keras.backend.argmin": lambda x, axis=-1: _call("math.argmin", x, axis),
    "keras.backend.cumsum": lambda x, axis=0: _call("math.cumsum", x, axis=axis),
    "keras.backend.cumprod": lambda x, axis=0: _call("math.cumprod", x, axis=axis),
    "keras.backend.tile": _tile,
    "keras.backend.ones_like": lambda x, dtype=None, name=None: _call("ones_like", x, dtype=dtype),
    "keras.backend.zeros_like": lambda x, dtype=None, name=None: _call(
        "zeros_like", x, dtype=dtype
    ),
    "keras.backend.reverse": _reverse,
    "keras.backend.gather": lambda reference, indices: _call("gather", reference, indices),
    "keras.backend.any": _any_all("math.reduce_any"),
    "keras.backend.all": _any_all("math.reduce_all"),
    "keras.backend.temporal_padding": _temporal_padding,
    "keras.backend.bias_add": _bias_add,
    "keras.backend.random_normal": _random_normal,
    "keras.backend.batch_dot": _batch_dot,
    "keras.backend.repeat_elements": _repeat_elements,
    "keras.backend.switch": _switch,
    "keras.backend.in_train_phase": _in_train_phase,
    "keras.backend.in_test_phase": lambda x, alt, training=None: _in_train_phase(alt, x, training),
    "keras.backend.repeat": _repeat,
    "keras.backend.squeeze": lambda x, axis: _call("squeeze", x, [axis]),
    "keras.backend.one_hot": lambda indices, num_classes: _call(
        "one_hot", indices, depth=num_classes, axis=-1
    ),
    "keras.backend.equal": lambda x, y: _call("math.equal", x, y),
    "keras.backend.not_equal": lambda x, y: _call("math.not_equal", x, y),
    "keras.backend.greater": lambda x, y: _call("math.greater", x, y),
    "keras.backend.greater_equal": lambda x, y: _call("math.greater_equal", x, y),
    "keras.backend.less": lambda x, y: _call("math.less", x, y),
    "keras.backend.less_equal": lambda x, y: _call("math.less_equal", x, y),
    "keras.backend.binary_crossentropy": _whole("tf.convert_to_tensor", "tf.convert_to_tensor"),
    "keras.backend.categorical_crossentropy": _whole(
        "tf.convert_to_tensor", "tf.convert_to_tensor"
    ),
    "keras.backend.sparse_categorical_crossentropy": _whole(
        "tf.convert_to_tensor", "tf.convert_to_tensor", "tf.cast"
    ),
    "keras.backend.batch_flatten": _whole("tf.compat.v1.shape", "tf.__operators__.getitem"),
    # tf.shape's op, whose value is known where the sizes are (`w[:, :K.shape(y)[1]]`).
    "keras.backend.shape": lambda x: _call("shape", x),
    "tf.math.divide": lambda x, y, name=None: x / y,
    "tf.linalg.matvec": _matvec,  # Keras 2 records the `/` it runs
    "keras.losses.mean_squared_error": _mean_squared_error,
    "keras.losses.mean_absolute_error": _mean_absolute_error,
    "keras.losses.categorical_crossentropy": _categorical_crossentropy,
    "keras.losses.kl_divergence": _kl_divergence,
    "keras.losses.binary_crossentropy": _binary_crossentropy,
}
