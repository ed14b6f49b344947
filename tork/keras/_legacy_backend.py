"""Keras 2 backend math: the `K.*` functions of `from tensorflow.keras import backend as K`.

Old tf.keras code writes custom losses, metrics, Lambda layers and layers with
`K.sigmoid`, `K.sum`, `K.clip`, `K.epsilon()`... These functions keep Keras 2's
names, argument orders, defaults and results (for instance the clipping of
probabilities by `epsilon()` in the cross-entropies, `hard_sigmoid` =
`clip(0.2x + 0.5, 0, 1)`, and `zeros`/`ones`/`eye` returning variables), and
compute with tork's ops or torch directly. Tensors in and out are plain
`torch.Tensor`s.

`keras.backend` re-exports every public name here.
"""

from __future__ import annotations

import builtins
import collections
import contextlib
import math as _pymath
import warnings

import numpy as np
import torch

from tork._backend import dtypes as _dtypes
from tork._backend.device import current_device
from tork._backend.errors import InvalidArgumentError
from tork._backend.tensor import convert_to_tensor
from tork.ops import _zero_safe_grad
from tork.ops import array as _array
from tork.ops import math as _math
from tork.ops import nn as _nn
from tork.ops import random as _random
from tork.variables import Variable as _Variable

__all__ = [
    "abs",
    "all",
    "any",
    "arange",
    "argmax",
    "argmin",
    "batch_dot",
    "batch_flatten",
    "batch_get_value",
    "batch_normalization",
    "batch_set_value",
    "bias_add",
    "binary_crossentropy",
    "binary_focal_crossentropy",
    "cast",
    "cast_to_floatx",
    "categorical_crossentropy",
    "categorical_focal_crossentropy",
    "clip",
    "concatenate",
    "constant",
    "conv1d",
    "conv2d",
    "conv2d_transpose",
    "conv3d",
    "cos",
    "count_params",
    "cumprod",
    "cumsum",
    "depthwise_conv2d",
    "dot",
    "dropout",
    "dtype",
    "elu",
    "equal",
    "eval",
    "exp",
    "expand_dims",
    "eye",
    "flatten",
    "foldl",
    "foldr",
    "function",
    "gather",
    "get_uid",
    "greater",
    "greater_equal",
    "hard_sigmoid",
    "identity",
    "in_test_phase",
    "in_top_k",
    "in_train_phase",
    "is_sparse",
    "l2_normalize",
    "learning_phase",
    "learning_phase_scope",
    "less",
    "less_equal",
    "log",
    "logsumexp",
    "map_fn",
    "maximum",
    "minimum",
    "moving_average_update",
    "name_scope",
    "ndim",
    "normalize_batch_in_training",
    "not_equal",
    "one_hot",
    "ones",
    "ones_like",
    "permute_dimensions",
    "placeholder",
    "pool2d",
    "pool3d",
    "pow",
    "print_tensor",
    "prod",
    "random_bernoulli",
    "random_binomial",
    "random_normal",
    "random_normal_variable",
    "random_uniform",
    "random_uniform_variable",
    "relu",
    "repeat",
    "repeat_elements",
    "reset_uids",
    "reshape",
    "resize_images",
    "resize_volumes",
    "reverse",
    "rnn",
    "round",
    "separable_conv2d",
    "set_learning_phase",
    "shape",
    "sigmoid",
    "sign",
    "sin",
    "slice",
    "softmax",
    "softplus",
    "softsign",
    "sparse_categorical_crossentropy",
    "spatial_2d_padding",
    "spatial_3d_padding",
    "sqrt",
    "square",
    "squeeze",
    "stack",
    "stop_gradient",
    "switch",
    "tanh",
    "temporal_padding",
    "tile",
    "to_dense",
    "transpose",
    "truncated_normal",
    "update",
    "update_add",
    "update_sub",
    "variable",
    "zeros",
    "zeros_like",
]


# ---------------------------------------------------------------------------
# helpers

# Shape mismatches found while computing (dot, concatenate, squeeze, bias_add, switch)
# raise InvalidArgumentError, as TF does; in tork it is also a ValueError.


def _epsilon() -> float:
    # Read at call time: `set_epsilon` lives in keras.backend, which imports us.
    from tork.keras import backend as _kb

    return _kb.epsilon()


def _image_data_format() -> str:
    from tork.keras import backend as _kb

    return _kb.image_data_format()


def _t(x) -> torch.Tensor:
    return convert_to_tensor(x)


def _read(x: torch.Tensor, out: torch.Tensor) -> torch.Tensor:
    """`out`, computed from `x`: a copy when `x` is a variable and `out` shares its memory.

    Reading a variable gives its value at that moment, as TensorFlow's (array._snapshot).
    """
    return _array._snapshot(out) if isinstance(x, _Variable) else out


def _float(x) -> torch.Tensor:
    # Keras 2 math on Python lists or ints gives floatx results (K.sigmoid([0, 1])).
    x = _t(x)
    if not (x.is_floating_point() or x.is_complex()):
        x = x.to(_dtypes.floatx_dtype())
    return x


def _shape(x) -> tuple:
    return tuple(x.shape)


def _dtype_of(dtype) -> torch.dtype:
    return _dtypes.floatx_dtype() if dtype is None else _dtypes.as_dtype(dtype)


def _data_format(data_format, fn: str) -> str:
    data_format = _image_data_format() if data_format is None else data_format
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError(
            f"keras.backend.{fn}: unknown data_format {data_format!r}; expected "
            "'channels_last' or 'channels_first'."
        )
    return data_format


def _padding(padding, fn: str) -> str:
    if padding not in ("same", "valid"):
        raise ValueError(
            f"keras.backend.{fn}: invalid padding {padding!r}; expected 'same' or 'valid'."
        )
    return padding.upper()


def _check_rank(x: torch.Tensor, ranks, fn: str, what: str = "x") -> None:
    if x.dim() not in ranks:
        want = " or ".join(str(r) for r in ranks)
        raise ValueError(
            f"keras.backend.{fn}: expected {what} of rank {want}, got shape {_shape(x)}."
        )


def _unary(name: str, op, summary: str, example: str, to_float: bool = True):
    def fn(x):
        return op(_float(x) if to_float else _t(x))

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = (
        f"{summary}\n\n"
        "Args:\n    x: a tensor (or array-like).\n\n"
        "Returns:\n    A tensor of the same shape.\n\n"
        f"Example:\n>>> keras.backend.{name}({example})  # doctest: +SKIP\n"
    )
    return fn


def _binary(name: str, op, summary: str, example: str):
    def fn(x, y):
        return op(x, y)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = (
        f"{summary}\n\n"
        "Args:\n    x: a tensor.\n    y: a tensor or number, broadcast against `x`.\n\n"
        "Returns:\n    A tensor of the broadcast shape.\n\n"
        f"Example:\n>>> keras.backend.{name}({example})  # doctest: +SKIP\n"
    )
    return fn


# ---------------------------------------------------------------------------
# variables and constants


def variable(value, dtype=None, name=None, constraint=None):
    """Instantiates a variable (a `tf.Variable`) from a value.

    Args:
        value: a NumPy array, tensor or Python value.
        dtype: the variable's dtype; `floatx()` when None (Keras 2's default).
        name: optional name.
        constraint: optional projection applied by optimizers after each update.

    Returns:
        A `tork.Variable`.

    Example:
    >>> v = keras.backend.variable([[1, 2], [3, 4]])  # float32 variable
    """
    from tork.variables import Variable

    if hasattr(value, "tocoo") and hasattr(value, "nnz"):
        # As Keras 2, a SciPy sparse matrix gives a SparseTensor (not a variable).
        from tork._backend.sparse_tensor import SparseTensor

        coo = value.tocoo()
        indices = np.stack([coo.row, coo.col], axis=1).astype(np.int64)
        values = np.asarray(coo.data).astype(_dtypes.dtype_name(_dtype_of(dtype)))
        return SparseTensor(indices=indices, values=values, dense_shape=coo.shape)
    return Variable(value, dtype=_dtype_of(dtype), name=name, constraint=constraint)


def constant(value, dtype=None, shape=None, name=None) -> torch.Tensor:
    """Creates a constant tensor; its dtype is `floatx()` unless given.

    Args:
        value: a number or array-like.
        dtype: the dtype; `floatx()` when None.
        shape: optional shape; a scalar value is broadcast to it.
        name: ignored.

    Returns:
        A tensor.

    Example:
    >>> keras.backend.constant(1, shape=(2,))  # [1., 1.]
    """
    del name
    return _array.constant(value, dtype=_dtype_of(dtype), shape=shape)


def _as_variable_if_static(value: torch.Tensor, dtype, name):
    # Keras 2 returns a Variable from zeros/ones/eye whenever every dimension is
    # non-zero (its `py_all(shape)` test), and the plain tensor otherwise.
    if builtins.all(d != 0 for d in value.shape):
        return variable(value, dtype=dtype, name=name)
    return value


def zeros(shape, dtype=None, name=None):
    """Instantiates an all-zeros variable (a tensor if a dimension is 0).

    Args:
        shape: a tuple of ints.
        dtype: the dtype; `floatx()` when None.
        name: optional variable name.

    Returns:
        A `Variable` filled with 0.

    Example:
    >>> keras.backend.zeros((2, 3)).shape
    torch.Size([2, 3])
    """
    value = torch.zeros(_int_tuple(shape, "zeros"), dtype=_dtype_of(dtype), device=current_device())
    return _as_variable_if_static(value, dtype, name)


def ones(shape, dtype=None, name=None):
    """Instantiates an all-ones variable (a tensor if a dimension is 0).

    Args:
        shape: a tuple of ints.
        dtype: the dtype; `floatx()` when None.
        name: optional variable name.

    Returns:
        A `Variable` filled with 1.

    Example:
    >>> keras.backend.ones((2,)).numpy()
    array([1., 1.], dtype=float32)
    """
    value = torch.ones(_int_tuple(shape, "ones"), dtype=_dtype_of(dtype), device=current_device())
    return _as_variable_if_static(value, dtype, name)


def eye(size, dtype=None, name=None):
    """Instantiates an identity-matrix variable.

    Args:
        size: an int (square matrix) or a `(rows, columns)` tuple.
        dtype: the dtype; `floatx()` when None.
        name: optional variable name.

    Returns:
        A `Variable` holding the identity matrix.

    Example:
    >>> keras.backend.eye(2).numpy()
    array([[1., 0.], [0., 1.]], dtype=float32)
    """
    rows, cols = (size, size) if isinstance(size, int) else tuple(size)
    value = torch.eye(int(rows), int(cols), dtype=_dtype_of(dtype), device=current_device())
    return variable(value, dtype=dtype, name=name)


def _int_tuple(shape, fn: str) -> tuple:
    if isinstance(shape, torch.Tensor):
        shape = shape.tolist()
    if isinstance(shape, (int, np.integer)):
        shape = (shape,)
    try:
        return tuple(int(d) for d in shape)
    except TypeError as e:
        raise ValueError(
            f"keras.backend.{fn}: shape must be a tuple of ints, got {shape!r}."
        ) from e


def zeros_like(x, dtype=None, name=None) -> torch.Tensor:
    """All-zeros tensor of the same shape as `x`.

    Args:
        x: a tensor.
        dtype: the dtype; the dtype of `x` when None.
        name: ignored.

    Returns:
        A tensor of zeros.

    Example:
    >>> keras.backend.zeros_like(tf.ones([2]))  # [0., 0.]
    """
    del name
    x = _t(x)
    return torch.zeros_like(x, dtype=None if dtype is None else _dtypes.as_dtype(dtype))


def ones_like(x, dtype=None, name=None) -> torch.Tensor:
    """All-ones tensor of the same shape as `x`.

    Args:
        x: a tensor.
        dtype: the dtype; the dtype of `x` when None.
        name: ignored.

    Returns:
        A tensor of ones.

    Example:
    >>> keras.backend.ones_like(tf.zeros([2]))  # [1., 1.]
    """
    del name
    x = _t(x)
    return torch.ones_like(x, dtype=None if dtype is None else _dtypes.as_dtype(dtype))


def identity(x, name=None) -> torch.Tensor:
    """Returns a tensor with the same content as `x`.

    Args:
        x: a tensor.
        name: ignored.

    Returns:
        A tensor equal to `x`.

    Example:
    >>> keras.backend.identity(tf.ones([2]))  # [1., 1.]
    """
    del name
    return _array.identity(x)


def random_uniform_variable(shape, low, high, dtype=None, name=None, seed=None):
    """Variable with values drawn uniformly from `[low, high)`.

    Args:
        shape: a tuple of ints.
        low: lower bound.
        high: upper bound.
        dtype: the dtype; `floatx()` when None.
        name: optional variable name.
        seed: optional int seed.

    Returns:
        A `Variable`.

    Example:
    >>> keras.backend.random_uniform_variable((2, 3), 0, 1).shape
    torch.Size([2, 3])
    """
    value = random_uniform(shape, low, high, dtype=dtype, seed=seed)
    return variable(value, dtype=dtype, name=name)


def random_normal_variable(shape, mean, scale, dtype=None, name=None, seed=None):
    """Variable with values drawn from a normal distribution.

    Args:
        shape: a tuple of ints.
        mean: mean of the distribution.
        scale: standard deviation of the distribution.
        dtype: the dtype; `floatx()` when None.
        name: optional variable name.
        seed: optional int seed.

    Returns:
        A `Variable`.

    Example:
    >>> keras.backend.random_normal_variable((2, 3), 0, 1).shape
    torch.Size([2, 3])
    """
    value = random_normal(shape, mean, scale, dtype=dtype, seed=seed)
    return variable(value, dtype=dtype, name=name)


def count_params(x) -> int:
    """Number of scalars in a tensor or variable.

    Args:
        x: a tensor or variable.

    Returns:
        An int, the product of the shape.

    Example:
    >>> keras.backend.count_params(keras.backend.zeros((2, 3)))
    6
    """
    return int(np.prod(tuple(x.shape), dtype=np.int64))


def cast(x, dtype) -> torch.Tensor:
    """Casts a tensor to `dtype`.

    Args:
        x: a tensor.
        dtype: a dtype or its name (`'float16'`, `'int32'`...).

    Returns:
        The cast tensor.

    Example:
    >>> keras.backend.cast(tf.constant([1.7]), "int32")  # [1]
    """
    return _math.cast(_t(x), dtype)


def cast_to_floatx(x):
    """Casts to `floatx()`: tensors stay tensors, anything else becomes a NumPy array.

    Args:
        x: a tensor, NumPy array or Python value.

    Returns:
        A tensor (for a tensor input) or a NumPy array of dtype `floatx()`.

    Example:
    >>> keras.backend.cast_to_floatx([1, 2]).dtype
    dtype('float32')
    """
    if isinstance(x, torch.Tensor):
        return x.to(_dtypes.floatx_dtype())
    return np.asarray(x, dtype=_dtypes.floatx())


def is_sparse(tensor) -> bool:
    """Whether `tensor` is a `tf.SparseTensor`.

    Args:
        tensor: a tensor.

    Returns:
        True for a `tf.SparseTensor`.

    Example:
    >>> keras.backend.is_sparse(tf.ones([2]))
    False
    """
    from tork._backend.sparse_tensor import SparseTensor

    return isinstance(tensor, SparseTensor)


def to_dense(tensor):
    """Converts a `tf.SparseTensor` to a dense tensor; dense tensors are returned as they are.

    Args:
        tensor: a tensor or a `tf.SparseTensor`.

    Returns:
        A dense tensor.

    Example:
    >>> keras.backend.to_dense(tf.SparseTensor([[1]], [5.0], [3]))
    tensor([0., 5., 0.])
    """
    from tork._backend.sparse_tensor import SparseTensor

    if isinstance(tensor, SparseTensor):
        from tork.ops.sparse import to_dense as sparse_to_dense

        return sparse_to_dense(tensor)
    return tensor


def shape(x) -> torch.Tensor:
    """The dynamic shape of a tensor, as an int32 tensor (like `tf.shape`).

    Args:
        x: a tensor.

    Returns:
        A rank-1 int32 tensor.

    Example:
    >>> keras.backend.shape(tf.zeros([2, 3]))  # [2, 3]
    """
    return _array.shape(_t(x))


def ndim(x) -> int:
    """The rank (number of axes) of a tensor.

    Args:
        x: a tensor.

    Returns:
        An int.

    Example:
    >>> keras.backend.ndim(tf.zeros([2, 3]))
    2
    """
    return len(x.shape)


def dtype(x) -> str:
    """The dtype name of a tensor, e.g. `'float32'`.

    Args:
        x: a tensor or variable.

    Returns:
        A string.

    Example:
    >>> keras.backend.dtype(keras.backend.variable(1.0))
    'float32'
    """
    return _dtypes.dtype_name(x.dtype)


def eval(x):  # noqa: A001 - Keras's name
    """The value of a tensor or variable as a NumPy array.

    Args:
        x: a tensor or variable.

    Returns:
        A NumPy array.

    Example:
    >>> keras.backend.eval(keras.backend.variable(2.0))
    array(2., dtype=float32)
    """
    if isinstance(x, torch.Tensor):
        return x.detach().cpu().numpy()
    if callable(getattr(x, "numpy", None)):
        # String tensors: a scalar evaluates to `bytes`, as `.numpy()` gives (Keras 2 code
        # such as tensorflow_similarity's index loader passes it to json.loads).
        return x.numpy()
    return np.asarray(x)


def batch_get_value(tensors) -> list:
    """The values of several tensors or variables, as NumPy arrays.

    Args:
        tensors: a list of tensors or variables.

    Returns:
        A list of NumPy arrays.

    Example:
    >>> keras.backend.batch_get_value([keras.backend.variable(1.0)])
    [array(1., dtype=float32)]
    """
    return [eval(x) for x in tensors]


def batch_set_value(tuples) -> None:
    """Sets the values of several variables.

    Args:
        tuples: a list of `(variable, value)` pairs; values are NumPy arrays or tensors.

    Example:
    >>> v = keras.backend.variable(0.0)
    >>> keras.backend.batch_set_value([(v, 3.0)])
    """
    for x, value in tuples:
        _check_variable(x, "batch_set_value")
        x.assign(np.asarray(value, dtype=_dtypes.dtype_name(x.dtype)))


def _check_variable(x, fn: str) -> None:
    if not callable(getattr(x, "assign", None)):
        raise TypeError(
            f"keras.backend.{fn}: expected a variable (tf.Variable / keras.backend.variable), "
            f"got {type(x).__name__}. Tensors are immutable: create a variable instead."
        )


def update(x, new_x):
    """Sets the variable `x` to `new_x`.

    Args:
        x: a variable.
        new_x: a tensor of the same shape.

    Returns:
        The updated variable.

    Example:
    >>> v = keras.backend.variable([1.0, 2.0])
    >>> keras.backend.update(v, [3.0, 4.0])
    """
    _check_variable(x, "update")
    return x.assign(new_x)


def update_add(x, increment):
    """Adds `increment` to the variable `x`.

    Args:
        x: a variable.
        increment: a tensor broadcastable to `x`.

    Returns:
        The updated variable.

    Example:
    >>> v = keras.backend.variable(1.0)
    >>> keras.backend.update_add(v, 2.0)  # v is now 3.0
    """
    _check_variable(x, "update_add")
    return x.assign_add(increment)


def update_sub(x, decrement):
    """Subtracts `decrement` from the variable `x`.

    Args:
        x: a variable.
        decrement: a tensor broadcastable to `x`.

    Returns:
        The updated variable.

    Example:
    >>> v = keras.backend.variable(3.0)
    >>> keras.backend.update_sub(v, 1.0)  # v is now 2.0
    """
    _check_variable(x, "update_sub")
    return x.assign_sub(decrement)


def moving_average_update(x, value, momentum):
    """Updates a moving average in place: `x = x * momentum + value * (1 - momentum)`.

    Args:
        x: a variable.
        value: a tensor of the same shape.
        momentum: the moving-average momentum.

    Returns:
        The updated variable.

    Example:
    >>> v = keras.backend.variable(0.0)
    >>> keras.backend.moving_average_update(v, 1.0, 0.9)  # v is now 0.1
    """
    _check_variable(x, "moving_average_update")
    value = _t(value).to(x.dtype)
    # Keras 2 (TF 2) writes it as x -= (x - value) * (1 - momentum).
    return x.assign_sub((x.detach() - value) * (1 - float(momentum)))


def stop_gradient(variables):
    """Returns `variables` with gradients blocked.

    Args:
        variables: a tensor or a list of tensors.

    Returns:
        A tensor (or list of tensors) that gradients do not flow through.

    Example:
    >>> keras.backend.stop_gradient(tf.ones([2]))  # [1., 1.]
    """
    if isinstance(variables, (list, tuple)):
        return [_array.stop_gradient(v) for v in variables]
    return _array.stop_gradient(variables)


# ---------------------------------------------------------------------------
# uids, learning phase, scopes

_UIDS: collections.Counter = collections.Counter()


def get_uid(prefix: str = "") -> int:
    """A unique int per prefix, starting at 1 (`get_uid('dense')` -> 1, 2, ...).

    Args:
        prefix: the string the counter belongs to.

    Returns:
        An int.

    Example:
    >>> keras.backend.get_uid("x")  # 1 the first time
    """
    _UIDS[prefix] += 1
    return _UIDS[prefix]


def reset_uids() -> None:
    """Resets the counters of `get_uid`.

    Example:
    >>> keras.backend.reset_uids()
    """
    _UIDS.clear()


def learning_phase() -> int:
    """The global learning phase: the value `set_learning_phase` set, else 0 (inference).

    Layer calls given no `training` argument (and not inside a call that has one) use it
    when it was set, as Keras 2 does; `fit` passes `training=True` and `predict`/`evaluate`
    `training=False` whatever it is.

    Returns:
        0 or 1.

    Example:
    >>> keras.backend.learning_phase()
    0
    """
    from tork.keras.layers._call_context import CONTEXT

    return CONTEXT.learning_phase or 0


def set_learning_phase(value) -> None:
    """Sets the global learning phase (deprecated in Keras 2: pass `training=` instead).

    After `set_learning_phase(1)`, `model(x)` runs Dropout and BatchNormalization in
    training mode, as in tf_keras; an explicit `training=` argument still wins.
    `keras.backend.clear_session()` unsets it.

    Args:
        value: 0 (inference) or 1 (training).

    Example:
    >>> keras.backend.set_learning_phase(0)
    """
    from tork.keras.layers._call_context import CONTEXT

    if value not in (0, 1):
        raise ValueError(f"keras.backend.set_learning_phase: expected 0 or 1, got {value!r}.")
    warnings.warn(
        "`tf.keras.backend.set_learning_phase` is deprecated and will be removed after "
        "2020-10-11. To update it, simply pass a True/False value to the `training` "
        "argument of the `__call__` method of your layer or model.",
        stacklevel=2,
    )
    CONTEXT.learning_phase = int(value)


@contextlib.contextmanager
def learning_phase_scope(value):
    """Sets the global learning phase inside a `with` block (deprecated in Keras 2).

    Inside the block, layer calls given no `training` argument run in training (1) or
    inference (0) mode, as after `set_learning_phase(value)`; the previous phase comes
    back when the block ends.

    Args:
        value: 0 (inference) or 1 (training).

    Example:
    >>> with keras.backend.learning_phase_scope(1):
    ...     keras.backend.learning_phase()
    1
    """
    from tork.keras.layers._call_context import CONTEXT

    if value not in (0, 1):
        raise ValueError(f"keras.backend.learning_phase_scope: expected 0 or 1, got {value!r}.")
    previous = CONTEXT.learning_phase
    CONTEXT.learning_phase = int(value)
    try:
        yield value
    finally:
        CONTEXT.learning_phase = previous


def in_train_phase(x, alt, training=None):
    """Selects `x` in the training phase and `alt` otherwise.

    Args:
        x: what to return in training: a tensor or a zero-argument callable.
        alt: what to return otherwise: a tensor or a zero-argument callable.
        training: True/1 or False/0. When None: the mode of the layer call it runs in
            (True inside `fit`), else `learning_phase()`.

    Returns:
        `x` or `alt` (called when callable).

    Example:
    >>> keras.backend.in_train_phase(1.0, 0.0, training=True)
    1.0
    """
    if training is None:
        # Keras 2 reads the enclosing layer call's mode first: inside fit (and a call given
        # training=True) the training branch runs, though learning_phase() stays 0.
        from tork.keras.layers._call_context import CONTEXT

        training = CONTEXT.training
    if training is None:
        training = learning_phase()
    if isinstance(training, torch.Tensor):
        training = bool(training)
    chosen = x if training in (1, True) else alt
    return chosen() if callable(chosen) else chosen


def in_test_phase(x, alt, training=None):
    """Selects `x` in the test (inference) phase and `alt` in training.

    Args:
        x: what to return in inference: a tensor or a zero-argument callable.
        alt: what to return in training: a tensor or a zero-argument callable.
        training: True/1 or False/0; `learning_phase()` (0) when None.

    Returns:
        `x` or `alt` (called when callable).

    Example:
    >>> keras.backend.in_test_phase(1.0, 0.0)
    1.0
    """
    return in_train_phase(alt, x, training=training)


def name_scope(name):
    """A name scope (`tf.name_scope`), as a context manager.

    Args:
        name: the scope name.

    Returns:
        A context manager.

    Example:
    >>> with keras.backend.name_scope("block1"):
    ...     pass
    """
    from tork.ops.scopes import name_scope as _name_scope

    return _name_scope(name)


def print_tensor(x, message: str = "", summarize: int = 3):
    """Prints `message` and the value of `x`, and returns `x`.

    Args:
        x: a tensor.
        message: text printed before the value.
        summarize: ignored (NumPy's printing is used).

    Returns:
        `x` unchanged.

    Example:
    >>> y = keras.backend.print_tensor(tf.ones([2]), message="y =")
    """
    del summarize
    print(message, eval(x))
    return x


# ---------------------------------------------------------------------------
# elementwise math

abs = _unary("abs", _math.abs, "Elementwise absolute value.", "[-1.0, 2.0]", False)  # noqa: A001
square = _unary("square", _math.square, "Elementwise square.", "[1.0, 2.0]", False)
exp = _unary("exp", _math.exp, "Elementwise exponential.", "[0.0, 1.0]")
log = _unary("log", _math.log, "Elementwise natural logarithm.", "[1.0, 2.0]")
sign = _unary("sign", _math.sign, "Elementwise sign: -1, 0 or 1.", "[-2.0, 0.0, 3.0]", False)
sin = _unary("sin", _math.sin, "Elementwise sine.", "[0.0, 1.0]")
cos = _unary("cos", _math.cos, "Elementwise cosine.", "[0.0, 1.0]")


def sigmoid(x) -> torch.Tensor:
    """Elementwise sigmoid `1 / (1 + exp(-x))`.

    As Keras 2, the input is kept on the output as logits, so the cross-entropies
    (`K.binary_crossentropy`, the losses) compute from them exactly, unclipped.

    Args:
        x: a tensor (or array-like).

    Returns:
        A tensor of the same shape.

    Example:
    >>> keras.backend.sigmoid(tf.constant([0.0]))  # [0.5]
    """
    x = _float(x)
    return _keep_logits(torch.sigmoid(x), x, "sigmoid")


tanh = _unary("tanh", torch.tanh, "Elementwise hyperbolic tangent.", "[0.0, 1.0]")
softplus = _unary("softplus", _math.softplus, "Softplus `log(exp(x) + 1)`.", "[0.0, 1.0]")
softsign = _unary("softsign", _math.softsign, "Softsign `x / (abs(x) + 1)`.", "[-1.0, 1.0]")


def round(x) -> torch.Tensor:  # noqa: A001 - Keras's name
    """Elementwise rounding to the nearest integer; halves go to the even neighbour.

    Args:
        x: a tensor.

    Returns:
        A tensor of the same shape and dtype.

    Example:
    >>> keras.backend.round(tf.constant([0.5, 1.5, 2.4]))  # [0., 2., 2.]
    """
    return _math.round(_t(x))


def sqrt(x) -> torch.Tensor:
    """Elementwise square root; Keras 2 first clips negative values to 0.

    Args:
        x: a tensor.

    Returns:
        A tensor of the same shape.

    Example:
    >>> keras.backend.sqrt(tf.constant([4.0, -1.0]))  # [2., 0.]
    """
    x = _float(x)
    # Keras 2 clamps at 0 so that sqrt never returns NaN on rounding noise; tf.sqrt's
    # gradient is 0 where the upstream gradient is 0 (torch's is NaN at x = 0).
    return _zero_safe_grad.sqrt(torch.clamp(x, min=0))


def pow(x, a) -> torch.Tensor:  # noqa: A001 - Keras's name
    """Elementwise power `x ** a`.

    Args:
        x: a tensor.
        a: an exponent (number or tensor).

    Returns:
        A tensor.

    Example:
    >>> keras.backend.pow(tf.constant([2.0, 3.0]), 2)  # [4., 9.]
    """
    return _math.pow(_t(x), a)


def clip(x, min_value, max_value) -> torch.Tensor:
    """Elementwise clipping to `[min_value, max_value]`.

    As Keras 2: None bounds mean no bound, and a `max_value` below `min_value`
    is raised to `min_value`.

    Args:
        x: a tensor.
        min_value: lower bound (number or tensor), or None.
        max_value: upper bound (number or tensor), or None.

    Returns:
        The clipped tensor.

    Example:
    >>> keras.backend.clip(tf.constant([-1.0, 0.5, 2.0]), 0.0, 1.0)  # [0., 0.5, 1.]
    """
    x = _t(x)
    if (
        max_value is not None
        and min_value is not None
        and not isinstance(max_value, torch.Tensor)
        and not isinstance(min_value, torch.Tensor)
        and max_value < min_value
    ):
        max_value = min_value
    if min_value is None:
        min_value = -_pymath.inf
    if max_value is None:
        max_value = _pymath.inf
    return _math.clip_by_value(x, min_value, max_value)


maximum = _binary("maximum", _math.maximum, "Elementwise maximum.", "[1.0, 4.0], [3.0, 2.0]")
minimum = _binary("minimum", _math.minimum, "Elementwise minimum.", "[1.0, 4.0], [3.0, 2.0]")
equal = _binary("equal", _math.equal, "Elementwise `x == y` (bool).", "[1, 2], [1, 3]")
not_equal = _binary("not_equal", _math.not_equal, "Elementwise `x != y` (bool).", "[1, 2], [1, 3]")
greater = _binary("greater", _math.greater, "Elementwise `x > y` (bool).", "[1, 2], 1")
greater_equal = _binary("greater_equal", _math.greater_equal, "Elementwise `x >= y`.", "[1, 2], 1")
less = _binary("less", _math.less, "Elementwise `x < y` (bool).", "[1, 2], 2")
less_equal = _binary("less_equal", _math.less_equal, "Elementwise `x <= y` (bool).", "[1, 2], 1")


# ---------------------------------------------------------------------------
# reductions (mean/sum/max/min/std/var live in keras.backend)


def prod(x, axis=None, keepdims: bool = False) -> torch.Tensor:
    """Product of the values of `x` over `axis` (all axes when None).

    Args:
        x: a tensor.
        axis: an int, list of ints, or None.
        keepdims: keep the reduced axes with size 1.

    Returns:
        The product.

    Example:
    >>> keras.backend.prod(tf.constant([[1.0, 2.0], [3.0, 4.0]]), axis=0)  # [3., 8.]
    """
    return _math.reduce_prod(_t(x), axis=axis, keepdims=keepdims)


def logsumexp(x, axis=None, keepdims: bool = False) -> torch.Tensor:
    """`log(sum(exp(x)))` over `axis`, computed without overflow.

    Standalone Keras 2.0-2.2 had it (tf.keras later dropped it); keras-contrib's CRF
    layer calls `K.logsumexp(-energy, 1)`.

    Args:
        x: a tensor.
        axis: an int, list of ints, or None (all axes).
        keepdims: keep the reduced axes with size 1.

    Returns:
        The reduced tensor.

    Example:
    >>> keras.backend.logsumexp(tf.constant([[0.0, 0.0], [1.0, 2.0]]), axis=1)  # [0.6931, 2.3133]
    """
    return _math.reduce_logsumexp(_float(x), axis=axis, keepdims=keepdims)


def all(x, axis=None, keepdims: bool = False) -> torch.Tensor:  # noqa: A001 - Keras's name
    """Logical AND over `axis`; non-bool input counts as `x != 0`.

    Args:
        x: a tensor.
        axis: an int, list of ints, or None.
        keepdims: keep the reduced axes with size 1.

    Returns:
        A bool tensor.

    Example:
    >>> keras.backend.all(tf.constant([1, 0]))  # False
    """
    return _math.reduce_all(_t(x).to(torch.bool), axis=axis, keepdims=keepdims)


def any(x, axis=None, keepdims: bool = False) -> torch.Tensor:  # noqa: A001 - Keras's name
    """Logical OR over `axis`; non-bool input counts as `x != 0`.

    Args:
        x: a tensor.
        axis: an int, list of ints, or None.
        keepdims: keep the reduced axes with size 1.

    Returns:
        A bool tensor.

    Example:
    >>> keras.backend.any(tf.constant([1, 0]))  # True
    """
    return _math.reduce_any(_t(x).to(torch.bool), axis=axis, keepdims=keepdims)


def cumsum(x, axis: int = 0) -> torch.Tensor:
    """Cumulative sum along `axis` (Keras 2's default axis is 0).

    Args:
        x: a tensor.
        axis: the axis.

    Returns:
        A tensor of the same shape.

    Example:
    >>> keras.backend.cumsum(tf.constant([1, 2, 3]))  # [1, 3, 6]
    """
    return _math.cumsum(_t(x), axis=axis)


def cumprod(x, axis: int = 0) -> torch.Tensor:
    """Cumulative product along `axis` (Keras 2's default axis is 0).

    Args:
        x: a tensor.
        axis: the axis.

    Returns:
        A tensor of the same shape.

    Example:
    >>> keras.backend.cumprod(tf.constant([1, 2, 3]))  # [1, 2, 6]
    """
    return _math.cumprod(_t(x), axis=axis)


def argmax(x, axis: int = -1) -> torch.Tensor:
    """Index of the largest value along `axis` (int64).

    Args:
        x: a tensor.
        axis: the axis (default the last).

    Returns:
        An int64 tensor.

    Example:
    >>> keras.backend.argmax(tf.constant([[1.0, 3.0, 2.0]]))  # [1]
    """
    return _math.argmax(_t(x), axis=axis)


def argmin(x, axis: int = -1) -> torch.Tensor:
    """Index of the smallest value along `axis` (int64).

    Args:
        x: a tensor.
        axis: the axis (default the last).

    Returns:
        An int64 tensor.

    Example:
    >>> keras.backend.argmin(tf.constant([[1.0, 3.0, 0.0]]))  # [2]
    """
    return _math.argmin(_t(x), axis=axis)


# ---------------------------------------------------------------------------
# linear algebra


def dot(x, y) -> torch.Tensor:
    """Keras 2's `dot`: contracts the last axis of `x` with the second-to-last of `y`.

    Like `np.dot`: for `x` of shape `(..., n)` and `y` of shape `(..., n, m)`,
    the result has shape `x.shape[:-1] + y.shape[:-2] + (m,)`; for 2D inputs it
    is the matrix product.

    Args:
        x: a tensor.
        y: a tensor.

    Returns:
        The contracted tensor.

    Example:
    >>> keras.backend.dot(tf.ones([2, 3]), tf.ones([4, 3, 5])).shape
    torch.Size([2, 4, 5])
    """
    if is_sparse(x):
        # Keras 2 multiplies a sparse matrix by a dense one (GCN layers' `K.dot(A, h)` with a
        # sparse adjacency matrix A); densifying A first would defeat its sparsity.
        from tork.ops.sparse import sparse_dense_matmul

        if len(x.shape) != 2 or _t(y).dim() != 2:
            raise ValueError(
                f"keras.backend.dot: a SparseTensor x needs 2D x and y, got shapes "
                f"{tuple(x.shape)} and {_shape(_t(y))}. Squeeze the batch axis of y first "
                "(K.squeeze(y, 0)), or use tf.sparse.to_dense(x)."
            )
        return sparse_dense_matmul(x, y)
    x, y = _t(x), _t(y)
    if x.dim() == 0 or y.dim() == 0:
        raise ValueError(
            f"keras.backend.dot: inputs must have rank >= 1, got shapes {_shape(x)} and "
            f"{_shape(y)}."
        )
    y_axis = y.dim() - 2 if y.dim() >= 2 else 0
    if x.shape[-1] != y.shape[y_axis]:
        raise InvalidArgumentError(
            f"keras.backend.dot: cannot contract shapes {_shape(x)} and {_shape(y)}: the last "
            f"axis of x ({x.shape[-1]}) must equal axis {y_axis} of y ({y.shape[y_axis]})."
        )
    x, y = _promote(x, y)
    if x.dim() <= 2 and y.dim() == 2:
        return torch.matmul(x, y)
    return torch.tensordot(x, y, dims=([x.dim() - 1], [y_axis]))


def _promote(x: torch.Tensor, y: torch.Tensor):
    if x.dtype != y.dtype:
        common = torch.promote_types(x.dtype, y.dtype)
        x, y = x.to(common), y.to(common)
    return x, y


def batch_dot(x, y, axes=None) -> torch.Tensor:
    """Keras 2's batchwise dot product: one contraction per sample.

    For each batch index `b`, `x[b]` and `y[b]` are contracted over
    `axes[0]` of `x` and `axes[1]` of `y` (counted with the batch axis). The
    result has shape `(batch,) + x.shape[1:] without axes[0] + y.shape[1:]
    without axes[1]`, except that two rank-2 inputs give `(batch, 1)`.

    Args:
        x: a tensor of rank >= 2.
        y: a tensor of rank >= 2 with the same batch size.
        axes: an int or a pair of ints. None means `(x.ndim - 1, y.ndim - 2)`,
            or `(x.ndim - 1, 1)` when `y` has rank 2.

    Returns:
        A tensor.

    Example:
    >>> keras.backend.batch_dot(tf.ones([32, 20]), tf.ones([32, 30, 20]), axes=(1, 2)).shape
    torch.Size([32, 30])
    """
    x, y = _t(x), _t(y)
    xs, ys = _shape(x), _shape(y)
    if x.dim() < 2 or y.dim() < 2:
        raise ValueError(
            f"keras.backend.batch_dot: inputs must have rank >= 2, got shapes {xs} and {ys}."
        )
    if xs[0] != ys[0]:
        raise ValueError(f"keras.backend.batch_dot: batch sizes differ: shapes {xs} and {ys}.")
    if axes is None:
        axes = (x.dim() - 1, 1 if y.dim() == 2 else y.dim() - 2)
    elif isinstance(axes, (int, np.integer)):
        axes = (int(axes), int(axes))
    elif len(axes) != 2:
        raise ValueError(
            f"keras.backend.batch_dot: axes must be an int or a pair of ints, got {axes!r}."
        )
    a0 = axes[0] + x.dim() if axes[0] < 0 else axes[0]
    a1 = axes[1] + y.dim() if axes[1] < 0 else axes[1]
    if not (0 <= a0 < x.dim() and 0 <= a1 < y.dim()):
        raise ValueError(
            f"keras.backend.batch_dot: axes {tuple(axes)} are out of range for shapes {xs} "
            f"and {ys}."
        )
    if a0 == 0 or a1 == 0:
        raise ValueError(
            f"keras.backend.batch_dot: cannot contract over the batch axis 0 (axes "
            f"{tuple(axes)}, shapes {xs} and {ys})."
        )
    if xs[a0] != ys[a1]:
        raise ValueError(
            f"keras.backend.batch_dot: cannot contract axis {a0} of x (size {xs[a0]}) with "
            f"axis {a1} of y (size {ys[a1]}): shapes {xs} and {ys}."
        )
    x, y = _promote(x, y)
    x_rest = [d for i, d in enumerate(xs) if i not in (0, a0)]
    y_rest = [d for i, d in enumerate(ys) if i not in (0, a1)]
    # Move the contracted axes next to each other and use one batched matmul.
    xm = torch.movedim(x, a0, -1).reshape(xs[0], -1, xs[a0])
    ym = torch.movedim(y, a1, 1).reshape(ys[0], ys[a1], -1)
    out = torch.bmm(xm, ym).reshape([xs[0], *x_rest, *y_rest])
    if x.dim() == 2 and y.dim() == 2:
        # Keras 2 keeps a trailing axis of size 1 for two rank-2 inputs.
        out = out[:, None]
    return out


def transpose(x) -> torch.Tensor:
    """Reverses the axes of `x` (the matrix transpose for rank 2).

    Args:
        x: a tensor.

    Returns:
        The transposed tensor.

    Example:
    >>> keras.backend.transpose(tf.zeros([2, 3])).shape
    torch.Size([3, 2])
    """
    x = _t(x)
    return _read(x, x.permute(*reversed(range(x.dim()))))


def permute_dimensions(x, pattern) -> torch.Tensor:
    """Permutes the axes of `x` (`pattern` lists the source axis of each result axis).

    Args:
        x: a tensor.
        pattern: a tuple of axis indices, e.g. `(0, 2, 1)`.

    Returns:
        The permuted tensor.

    Example:
    >>> keras.backend.permute_dimensions(tf.zeros([2, 3, 4]), (0, 2, 1)).shape
    torch.Size([2, 4, 3])
    """
    x = _t(x)
    pattern = tuple(int(p) for p in pattern)
    if sorted(p % x.dim() if x.dim() else p for p in pattern) != list(range(x.dim())):
        raise ValueError(
            f"keras.backend.permute_dimensions: pattern {pattern} is not a permutation of the "
            f"{x.dim()} axes of shape {_shape(x)}."
        )
    return _read(x, x.permute(*pattern))


def gather(reference, indices) -> torch.Tensor:
    """Picks the rows `indices` of `reference` (along axis 0).

    Args:
        reference: a tensor.
        indices: an int tensor of indices.

    Returns:
        A tensor of shape `indices.shape + reference.shape[1:]`.

    Example:
    >>> keras.backend.gather(tf.constant([[1, 2], [3, 4]]), [1])  # [[3, 4]]
    """
    return _array.gather(reference, indices)


def one_hot(indices, num_classes: int) -> torch.Tensor:
    """One-hot encoding of integer `indices` (a new last axis of size `num_classes`, float32).

    Args:
        indices: an int tensor.
        num_classes: the number of classes.

    Returns:
        A float32 tensor of shape `indices.shape + (num_classes,)`.

    Example:
    >>> keras.backend.one_hot([0, 2], 3)  # [[1, 0, 0], [0, 0, 1]]
    """
    return _array.one_hot(indices, num_classes)


def l2_normalize(x, axis=None) -> torch.Tensor:
    """Divides `x` by its L2 norm over `axis` (all axes when None).

    The squared norm is floored at 1e-12, so zero vectors stay zero.

    Args:
        x: a tensor.
        axis: an int, list of ints, or None.

    Returns:
        A tensor of the same shape.

    Example:
    >>> keras.backend.l2_normalize(tf.constant([3.0, 4.0]))  # [0.6, 0.8]
    """
    return _math.l2_normalize(_float(x), axis=axis)


def in_top_k(predictions, targets, k: int) -> torch.Tensor:
    """Whether each target is among the `k` largest predictions of its row.

    Ties at the k-th place count as in the top k, as TensorFlow.

    Args:
        predictions: a `(batch, classes)` float tensor.
        targets: a `(batch,)` int tensor of class indices.
        k: the number of top elements to consider.

    Returns:
        A `(batch,)` bool tensor.

    Example:
    >>> keras.backend.in_top_k(tf.constant([[0.1, 0.9, 0.0]]), [0], 2)  # [True]
    """
    return _math.in_top_k(targets, predictions, k)


# ---------------------------------------------------------------------------
# shapes


def reshape(x, shape) -> torch.Tensor:
    """Reshapes `x` (one dimension may be -1).

    Args:
        x: a tensor.
        shape: the new shape.

    Returns:
        The reshaped tensor.

    Example:
    >>> keras.backend.reshape(tf.zeros([2, 3]), (3, -1)).shape
    torch.Size([3, 2])
    """
    return _array.reshape(x, shape)


def flatten(x) -> torch.Tensor:
    """Flattens `x` to rank 1 (the batch axis too).

    Args:
        x: a tensor.

    Returns:
        A rank-1 tensor.

    Example:
    >>> keras.backend.flatten(tf.zeros([2, 3])).shape
    torch.Size([6])
    """
    x = _t(x)
    return _read(x, x.reshape(-1))


def batch_flatten(x) -> torch.Tensor:
    """Flattens each sample: `(batch, ...)` becomes `(batch, prod(...))`.

    Args:
        x: a tensor of rank >= 1.

    Returns:
        A rank-2 tensor.

    Example:
    >>> keras.backend.batch_flatten(tf.zeros([2, 3, 4])).shape
    torch.Size([2, 12])
    """
    x = _t(x)
    _check_rank(x, range(1, 64), "batch_flatten")
    return _read(x, x.reshape(x.shape[0], -1))


def expand_dims(x, axis: int = -1) -> torch.Tensor:
    """Inserts an axis of size 1 at `axis` (default: a new last axis).

    Args:
        x: a tensor.
        axis: where to insert the axis.

    Returns:
        A tensor with one more axis.

    Example:
    >>> keras.backend.expand_dims(tf.zeros([2, 3])).shape
    torch.Size([2, 3, 1])
    """
    return _array.expand_dims(x, axis)


def squeeze(x, axis: int) -> torch.Tensor:
    """Removes the axis `axis`, which must have size 1.

    Args:
        x: a tensor.
        axis: the axis to remove.

    Returns:
        A tensor with one axis fewer.

    Example:
    >>> keras.backend.squeeze(tf.zeros([2, 1, 3]), 1).shape
    torch.Size([2, 3])
    """
    x = _t(x)
    if not -x.dim() <= axis < x.dim() or x.shape[axis] != 1:
        raise InvalidArgumentError(
            f"keras.backend.squeeze: cannot squeeze axis {axis} of shape {_shape(x)}: it must "
            "exist and have size 1."
        )
    return _read(x, x.squeeze(axis))


def concatenate(tensors, axis: int = -1) -> torch.Tensor:
    """Concatenates a list of tensors along `axis`.

    Args:
        tensors: a list of tensors.
        axis: the axis (default the last).

    Returns:
        The concatenated tensor.

    Example:
    >>> keras.backend.concatenate([tf.zeros([2, 3]), tf.ones([2, 1])]).shape
    torch.Size([2, 4])
    """
    from tork._backend.sparse_tensor import SparseTensor

    if tensors and builtins.all(isinstance(t, SparseTensor) for t in tensors):
        # As Keras 2: sparse tensors (K.variable of SciPy matrices) stay sparse.
        from tork.ops import sparse as _sparse

        return _sparse.concat(axis, list(tensors))
    from tork._backend import ragged_tensor as _ragged

    if tensors and builtins.all(isinstance(t, _ragged.RaggedTensor) for t in tensors):
        # As Keras 2: ragged tensors (graph nodes, token lists) are joined as ragged.
        return _ragged.concat(list(tensors), axis)
    tensors = [_t(t) for t in tensors]
    if not tensors:
        raise ValueError("keras.backend.concatenate: needs at least one tensor, got [].")
    shapes = [_shape(t) for t in tensors]
    rank = tensors[0].dim()
    axis_ = axis % rank if rank else 0
    for s in shapes:
        if len(s) != rank or builtins.any(
            a != b for i, (a, b) in enumerate(zip(s, shapes[0])) if i != axis_
        ):
            raise InvalidArgumentError(
                f"keras.backend.concatenate: shapes {shapes} must match except on axis {axis}."
            )
    common = tensors[0].dtype
    for t in tensors[1:]:
        common = torch.promote_types(common, t.dtype)
    return torch.cat([t.to(common) for t in tensors], dim=axis_)


def stack(x, axis: int = 0) -> torch.Tensor:
    """Stacks a list of same-shape tensors along a new axis.

    Args:
        x: a list of tensors.
        axis: where the new axis goes.

    Returns:
        A tensor with one more axis.

    Example:
    >>> keras.backend.stack([tf.zeros([3]), tf.ones([3])]).shape
    torch.Size([2, 3])
    """
    return _array.stack(x, axis=axis)


def tile(x, n) -> torch.Tensor:
    """Tiles `x`: axis i is repeated `n[i]` times (an int `n` tiles a rank-1 `x`).

    Args:
        x: a tensor.
        n: an int or a list of ints, one per axis.

    Returns:
        The tiled tensor.

    Example:
    >>> keras.backend.tile(tf.constant([[1, 2]]), (2, 1))  # [[1, 2], [1, 2]]
    """
    if isinstance(n, (int, np.integer)):
        n = [int(n)]
    return _array.tile(x, n)


def repeat(x, n: int) -> torch.Tensor:
    """Repeats a 2D tensor: `(samples, dim)` becomes `(samples, n, dim)`.

    Args:
        x: a rank-2 tensor.
        n: the number of repetitions.

    Returns:
        A rank-3 tensor.

    Example:
    >>> keras.backend.repeat(tf.zeros([2, 3]), 4).shape
    torch.Size([2, 4, 3])
    """
    x = _t(x)
    _check_rank(x, (2,), "repeat")
    return x[:, None, :].expand(x.shape[0], int(n), x.shape[1]).clone()


def repeat_elements(x, rep: int, axis: int) -> torch.Tensor:
    """Repeats each element `rep` times along `axis` (`[1, 2]` -> `[1, 1, 2, 2]`).

    Args:
        x: a tensor.
        rep: the number of repetitions.
        axis: the axis.

    Returns:
        A tensor whose `axis` is `rep` times longer.

    Example:
    >>> keras.backend.repeat_elements(tf.constant([1, 2]), 2, 0)  # [1, 1, 2, 2]
    """
    x = _t(x)
    return torch.repeat_interleave(x, int(rep), dim=axis)


def reverse(x, axes) -> torch.Tensor:
    """Reverses `x` along the given axes.

    Args:
        x: a tensor.
        axes: an int or a list of ints.

    Returns:
        The reversed tensor.

    Example:
    >>> keras.backend.reverse(tf.constant([1, 2, 3]), 0)  # [3, 2, 1]
    """
    if isinstance(axes, (int, np.integer)):
        axes = [int(axes)]
    return torch.flip(_t(x), dims=list(axes))


def slice(x, start, size) -> torch.Tensor:  # noqa: A001 - Keras's name
    """The block of `x` of `size` elements from `start` in each dimension (`tf.slice`).

    Standalone Keras 2.2 had it (tf.keras later dropped it); keras-contrib's CRF layer
    reads one time step of its mask with `K.slice(mask, [0, t], [-1, 2])`.

    Args:
        x: a tensor.
        start: the first index in each dimension (ints or scalar tensors).
        size: the number of elements in each dimension; -1 takes the rest.

    Returns:
        The slice.

    Example:
    >>> keras.backend.slice(tf.constant([[1, 2, 3], [4, 5, 6]]), [0, 1], [-1, 2])  # [[2, 3], [5, 6]]
    """
    return _array.slice(_t(x), start, size)


def arange(start, stop=None, step=1, dtype="int32") -> torch.Tensor:
    """A rank-1 tensor of evenly spaced values, as Python's `range`.

    With one argument the range is `[0, start)`; a negative lone `start`
    gives an empty tensor, as Keras 2.

    Args:
        start: first value (or the end when `stop` is None).
        stop: end (exclusive).
        step: spacing.
        dtype: the result dtype (default `'int32'`).

    Returns:
        A rank-1 tensor.

    Example:
    >>> keras.backend.arange(3)  # [0, 1, 2]
    """
    if stop is None:
        start, stop = 0, builtins.max(start, 0)
    values = _array.range(start, stop, step)
    if dtype == "int32" and values.is_floating_point():
        # As Keras 2, only a dtype other than the default casts: float bounds keep floats.
        return values
    return values.to(_dtypes.as_dtype(dtype))


def _pairs(padding, n: int, fn: str) -> list:
    try:
        pairs = [tuple(int(v) for v in p) for p in padding]
        ok = len(pairs) == n and builtins.all(len(p) == 2 for p in pairs)
    except TypeError:
        ok = False
    if not ok:
        raise ValueError(f"keras.backend.{fn}: padding must be {n} pairs of ints, got {padding!r}.")
    return pairs


def _pad_axes(x: torch.Tensor, pads: dict) -> torch.Tensor:
    # `pads` maps axis -> (before, after); torch.nn.functional.pad lists the last axis first.
    flat = []
    for ax in reversed(range(x.dim())):
        flat.extend(pads.get(ax, (0, 0)))
    return torch.nn.functional.pad(x, flat)


def temporal_padding(x, padding=(1, 1)) -> torch.Tensor:
    """Pads the middle (time) axis of a 3D tensor with zeros.

    Args:
        x: a `(batch, steps, features)` tensor.
        padding: `(before, after)` numbers of zero steps.

    Returns:
        A `(batch, steps + before + after, features)` tensor.

    Example:
    >>> keras.backend.temporal_padding(tf.ones([1, 2, 1]), (1, 2)).shape
    torch.Size([1, 5, 1])
    """
    x = _t(x)
    _check_rank(x, (3,), "temporal_padding")
    (pair,) = _pairs([padding], 1, "temporal_padding")
    return _pad_axes(x, {1: pair})


def spatial_2d_padding(x, padding=((1, 1), (1, 1)), data_format=None) -> torch.Tensor:
    """Pads the height and width axes of a 4D tensor with zeros.

    Args:
        x: a 4D tensor.
        padding: `((top, bottom), (left, right))`.
        data_format: `'channels_last'` or `'channels_first'`; `image_data_format()` when None.

    Returns:
        The padded tensor.

    Example:
    >>> keras.backend.spatial_2d_padding(tf.ones([1, 2, 2, 1])).shape
    torch.Size([1, 4, 4, 1])
    """
    x = _t(x)
    _check_rank(x, (4,), "spatial_2d_padding")
    pairs = _pairs(padding, 2, "spatial_2d_padding")
    first = _data_format(data_format, "spatial_2d_padding") == "channels_first"
    axes = (2, 3) if first else (1, 2)
    return _pad_axes(x, dict(zip(axes, pairs)))


def spatial_3d_padding(x, padding=((1, 1), (1, 1), (1, 1)), data_format=None) -> torch.Tensor:
    """Pads the three spatial axes of a 5D tensor with zeros.

    Args:
        x: a 5D tensor.
        padding: three `(before, after)` pairs.
        data_format: `'channels_last'` or `'channels_first'`; `image_data_format()` when None.

    Returns:
        The padded tensor.

    Example:
    >>> keras.backend.spatial_3d_padding(tf.ones([1, 2, 2, 2, 1])).shape
    torch.Size([1, 4, 4, 4, 1])
    """
    x = _t(x)
    _check_rank(x, (5,), "spatial_3d_padding")
    pairs = _pairs(padding, 3, "spatial_3d_padding")
    first = _data_format(data_format, "spatial_3d_padding") == "channels_first"
    axes = (2, 3, 4) if first else (1, 2, 3)
    return _pad_axes(x, dict(zip(axes, pairs)))


def resize_images(
    x, height_factor: int, width_factor: int, data_format, interpolation: str = "nearest"
) -> torch.Tensor:
    """Upsamples the images in a 4D tensor by integer factors.

    Args:
        x: a 4D tensor.
        height_factor: positive int.
        width_factor: positive int.
        data_format: `'channels_last'` or `'channels_first'`.
        interpolation: `'nearest'` (repeats pixels) or another `tf.image.resize`
            method such as `'bilinear'`.

    Returns:
        The resized tensor.

    Example:
    >>> keras.backend.resize_images(tf.ones([1, 2, 2, 1]), 2, 3, "channels_last").shape
    torch.Size([1, 4, 6, 1])
    """
    from tork.ops import image as _image

    x = _t(x)
    _check_rank(x, (4,), "resize_images")
    first = _data_format(data_format, "resize_images") == "channels_first"
    rows, cols = (2, 3) if first else (1, 2)
    if interpolation == "nearest":
        # Integer-factor nearest resizing is exact pixel repetition.
        return x.repeat_interleave(int(height_factor), rows).repeat_interleave(
            int(width_factor), cols
        )
    size = (x.shape[rows] * int(height_factor), x.shape[cols] * int(width_factor))
    images = x.permute(0, 2, 3, 1) if first else x
    out = _image.resize(images, size, method=interpolation)
    return out.permute(0, 3, 1, 2) if first else out


def resize_volumes(x, depth_factor: int, height_factor: int, width_factor: int, data_format):
    """Upsamples a 5D tensor by repeating voxels along the three spatial axes.

    Args:
        x: a 5D tensor.
        depth_factor: positive int.
        height_factor: positive int.
        width_factor: positive int.
        data_format: `'channels_last'` or `'channels_first'`.

    Returns:
        The resized tensor.

    Example:
    >>> keras.backend.resize_volumes(tf.ones([1, 1, 1, 1, 2]), 2, 2, 2, "channels_last").shape
    torch.Size([1, 2, 2, 2, 2])
    """
    x = _t(x)
    _check_rank(x, (5,), "resize_volumes")
    first = _data_format(data_format, "resize_volumes") == "channels_first"
    axes = (2, 3, 4) if first else (1, 2, 3)
    for ax, f in zip(axes, (depth_factor, height_factor, width_factor)):
        x = x.repeat_interleave(int(f), ax)
    return x


# ---------------------------------------------------------------------------
# control flow


def switch(condition, then_expression, else_expression) -> torch.Tensor:
    """Picks `then_expression` where `condition` holds and `else_expression` elsewhere.

    A scalar condition picks one whole expression (callables are called only
    when picked). As Keras 2, a rank-1 condition broadcasts as in NumPy
    (against the LAST axis), while a condition of rank >= 2 and lower rank
    than the expressions is aligned on their FIRST axes: a `(batch, steps)`
    mask selects whole feature vectors of `(batch, steps, n)` expressions.

    Args:
        condition: a bool (or numeric) scalar or tensor.
        then_expression: a tensor or a zero-argument callable returning one.
        else_expression: a tensor or a zero-argument callable returning one.

    Returns:
        The selected tensor.

    Example:
    >>> keras.backend.switch(tf.constant([True, False]), tf.ones([2, 2]), tf.zeros([2, 2]))
    """
    condition = _t(condition)
    if condition.dtype != torch.bool:
        condition = condition != 0
    if condition.dim() == 0:
        chosen = then_expression if bool(condition) else else_expression
        return chosen() if callable(chosen) else chosen
    then_t = _t(then_expression() if callable(then_expression) else then_expression)
    else_t = _t(else_expression() if callable(else_expression) else else_expression)
    if condition.dim() > then_t.dim():
        raise ValueError(
            "keras.backend.switch: the rank of condition must be <= the rank of the "
            f"expressions; got condition shape {_shape(condition)} and expression shape "
            f"{_shape(then_t)}."
        )
    if condition.dim() > 1:
        extra = then_t.dim() - condition.dim()
        condition = condition.reshape(_shape(condition) + (1,) * extra)
    then_t, else_t = _promote(then_t, else_t)
    try:
        torch.broadcast_shapes(condition.shape, then_t.shape, else_t.shape)
    except RuntimeError as e:
        raise InvalidArgumentError(
            f"keras.backend.switch: condition shape {_shape(condition)} does not broadcast "
            f"with expression shapes {_shape(then_t)} and {_shape(else_t)} (a rank-1 condition "
            "broadcasts against the last axis)."
        ) from e
    return torch.where(condition, then_t, else_t)


def rnn(
    step_function,
    inputs,
    initial_states,
    go_backwards: bool = False,
    mask=None,
    constants=None,
    unroll: bool = False,
    input_length=None,
    time_major: bool = False,
    zero_output_for_mask: bool = False,
    return_all_outputs: bool = True,
):
    """Iterates `step_function` over the time axis of `inputs` (Keras 2's `K.rnn`).

    At each step `output_t, new_states = step_function(input_t, states + constants)`.
    With a mask, masked steps keep the previous states and repeat the previous
    output (zeros before the first valid step, or always zeros with
    `zero_output_for_mask=True`).

    Args:
        step_function: a callable `(input_t, states) -> (output_t, new_states)`;
            `input_t` is `(samples, ...)` and `states` is a list.
        inputs: a `(samples, time, ...)` tensor (`(time, samples, ...)` if `time_major`).
        initial_states: a list of `(samples, ...)` tensors.
        go_backwards: iterate from the last step; `outputs` is then in that
            (reversed) order.
        mask: optional `(samples, time)` (or `(samples, time, 1)`) tensor, 0 or
            False where a step is masked.
        constants: optional list of tensors passed to every step after the states.
        unroll: accepted for compatibility; tork always runs a Python loop.
        input_length: accepted for compatibility (unused).
        time_major: whether `inputs` and `outputs` have time on axis 0.
        zero_output_for_mask: output zeros (not the previous output) at masked steps.
        return_all_outputs: if False, `outputs` holds only the last output (time length 1).

    Returns:
        A tuple `(last_output, outputs, new_states)`: `last_output` is
        `(samples, ...)`, `outputs` is `(samples, time, ...)` and `new_states`
        is a tuple of the final states.

    Example:
    >>> step = lambda x, states: (x + states[0], [x + states[0]])
    >>> last, outs, states = keras.backend.rnn(step, tf.ones([2, 3, 1]), [tf.zeros([2, 1])])
    >>> last  # [[3.], [3.]]
    """
    del unroll, input_length
    x = _t(inputs)
    if x.dim() < 3:
        raise ValueError(
            "keras.backend.rnn: inputs must have rank >= 3 (samples, time, features), got "
            f"shape {_shape(x)}."
        )
    if not time_major:
        x = x.transpose(0, 1)
    states = list(initial_states) if isinstance(initial_states, (list, tuple)) else [initial_states]
    constants = list(constants) if constants else []
    if mask is not None:
        if not states:
            raise ValueError(
                "keras.backend.rnn: no initial states provided; with a mask, pass "
                "initial_states (masked steps keep the previous states)."
            )
        mask = _t(mask)
        mask = mask if mask.dtype == torch.bool else mask != 0
        if mask.dim() == 3:
            mask = mask[..., 0]
        if tuple(mask.shape) != (x.shape[1], x.shape[0]):
            raise ValueError(
                f"keras.backend.rnn: mask of shape {_shape(mask)} does not match inputs of "
                f"shape {_shape(inputs)}; expected (samples, time)."
            )
        mask = mask.transpose(0, 1)

    def _like(m: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        return m.reshape((-1,) + (1,) * (t.dim() - 1))

    outputs, prev = [], None
    steps = range(x.shape[0] - 1, -1, -1) if go_backwards else range(x.shape[0])
    for t in steps:
        out, new_states = step_function(x[t], states + constants)
        if not isinstance(new_states, (list, tuple)):
            new_states = [new_states]
        new_states = list(new_states)
        if mask is not None:
            m = mask[t]
            if prev is None or zero_output_for_mask:
                prev = torch.zeros_like(out)
            out = torch.where(_like(m, out), out, prev)
            new_states = [torch.where(_like(m, ns), ns, s) for ns, s in zip(new_states, states)]
        prev = out
        states = new_states
        if return_all_outputs or t == steps[-1]:
            outputs.append(out)
    stacked = torch.stack(outputs[-1:] if not return_all_outputs else outputs)
    last = stacked[-1]
    if not time_major:
        stacked = stacked.transpose(0, 1)
    return last, stacked, tuple(states)


def placeholder(shape=None, ndim=None, dtype=None, sparse=False, name=None, ragged=False):
    """A symbolic model input, as tf_keras's eager `K.placeholder`: `keras.Input(batch_shape)`.

    Args:
        shape: the full shape, batch size first (`(None, 3)`).
        ndim: the rank, when `shape` is not given (every size unknown).
        dtype: the dtype (default `floatx()`).
        sparse: whether the input is a `tf.SparseTensor`.
        name: the input's name.
        ragged: whether the input is a `tf.RaggedTensor`.

    Returns:
        A KerasTensor, usable as `keras.Model`'s input and in `K.function`.

    Example:
    >>> x = tf.keras.backend.placeholder(shape=(None, 3))
    >>> tuple(x.shape)
    (None, 3)
    """
    from tork.keras.models.functional.input_layer import Input

    if shape is None:
        if ndim is None:
            raise ValueError("K.placeholder: give `shape` (batch size first) or `ndim`.")
        shape = (None,) * int(ndim)
    return Input(
        batch_shape=tuple(shape),
        dtype=dtype or _dtypes.floatx_dtype(),
        sparse=sparse,
        ragged=ragged,
        name=name,
    )


def function(inputs, outputs, updates=None, name=None, **kwargs):
    """A callable computing `outputs` from `inputs`, both symbolic tensors of a model.

    As Keras 2 in eager mode, this builds `Model(inputs, outputs)` and calls it
    in inference mode; the usual use is reading intermediate activations:
    `K.function([model.input], [model.get_layer("h").output])([x])`.

    Args:
        inputs: a list of `keras.Input` tensors (or one). Keras 2.0's extra
            `K.learning_phase()` entry is accepted: the value fed for it (0 or 1) runs
            the model in inference or training mode.
        outputs: a list of symbolic tensors of the same graph (or one).
        updates: must be None (eager execution has no update ops).
        name: ignored.
        **kwargs: ignored.

    Returns:
        A function taking a list of arrays and returning a list of NumPy arrays
        (one array when `outputs` is a single tensor, a dict for a dict of outputs);
        scalar results are Python numbers, as in Keras 2.

    Example:
    >>> inp = keras.Input((3,)); hidden = keras.layers.Dense(4)(inp)
    >>> f = keras.backend.function([inp], [hidden])
    >>> f([np.ones((2, 3))])[0].shape
    (2, 4)
    """
    del name, kwargs
    if updates:
        raise ValueError(
            "keras.backend.function: `updates` is not supported during eager execution; got "
            f"{updates!r}. Apply the updates yourself (e.g. variable.assign) after the call."
        )
    from tork.keras.models import Model

    # Keras 2.0-2.3 code passes `K.learning_phase()` (0 here) as an extra input and feeds
    # 0 or 1 for it: `K.function([model.input, K.learning_phase()], [h])([x, 0])`. Drop
    # that slot from the model's inputs and use its value as `training=` when called.
    phase_slot = None
    if isinstance(inputs, (list, tuple)):
        slots = [i for i, t in enumerate(inputs) if type(t) is int and t in (0, 1)]
        if len(slots) == 1 and len(inputs) > 1:
            phase_slot = slots[0]
            inputs = [t for i, t in enumerate(inputs) if i != phase_slot]
            if len(inputs) == 1:
                inputs = inputs[0]
    if isinstance(outputs, collections.abc.MappingView):
        # tf.nest takes a dict view as a list: keract passes `OrderedDict.values()`.
        outputs = list(outputs)
    model = Model(inputs=inputs, outputs=outputs)
    wrap = isinstance(outputs, (list, tuple))

    def to_value(t):
        # As Keras 2 (`sync_to_numpy_or_python_type`): arrays, but 0-d results become
        # Python scalars (`loss_value, grads_value = iterate([x])` gives a float).
        value = eval(t)
        return value.item() if value.ndim == 0 else value

    def feed(value):
        # Keras 2.0-2.3 fed each value through TF1's feed_dict, which takes nested Python
        # lists: the Hvass-Labs tutorials call `K.function([inp], [out])([[image]])`, where
        # `[image]` is a batch of one. Without this the model would see a Python list.
        return np.asarray(value) if isinstance(value, (list, tuple)) else value

    def call(model_inputs):
        training = False
        if phase_slot is not None:
            model_inputs = list(model_inputs)
            training = bool(model_inputs.pop(phase_slot))
            model_inputs = [feed(v) for v in model_inputs]
            if len(model_inputs) == 1:
                model_inputs = model_inputs[0]
        elif isinstance(model_inputs, (list, tuple)) and len(model_inputs) == len(model.inputs):
            model_inputs = [feed(v) for v in model_inputs]
        if not training:
            result = model(model_inputs, training=False)
        else:
            # Keras 2.0-2.3 ran the function without the model's update ops, so feeding
            # learning phase 1 (to read training-mode activations) left BatchNormalization's
            # moving statistics as they were: put the non-trainable weights back.
            saved = [(v, v.detach().clone()) for v in model.non_trainable_variables]
            try:
                result = model(model_inputs, training=True)
            finally:
                with torch.no_grad():
                    for variable, value in saved:
                        variable.copy_(value)
        if wrap and not isinstance(result, (list, tuple)):
            result = [result]
        return convert(result)

    def convert(result):
        # Nested outputs stay nested, as Keras 2 maps over the structure: keract asks for
        # `[[lstm_out, state_h, state_c]]`, a layer's several outputs as one entry.
        if isinstance(result, (list, tuple)):
            return type(result)(convert(r) for r in result)
        if isinstance(result, dict):
            return {k: convert(v) for k, v in result.items()}
        return to_value(result)

    return call


def map_fn(fn, elems, name=None, dtype=None):
    """Applies `fn` to each element of `elems` along axis 0 and stacks the results.

    Args:
        fn: a callable taking one element.
        elems: a tensor.
        name: ignored.
        dtype: the output dtype, if different from `elems`'.

    Returns:
        The stacked results.

    Example:
    >>> keras.backend.map_fn(lambda v: v * 2, tf.constant([1, 2]))  # [2, 4]
    """
    from tork.ops import control_flow as _cf

    return _cf.map_fn(fn, elems, dtype=dtype, name=name)


def foldl(fn, elems, initializer=None, name=None):
    """Reduces `elems` along axis 0 from the left with `fn(accumulator, element)`.

    Args:
        fn: a callable `(acc, x) -> acc`.
        elems: a tensor.
        initializer: the first accumulator; `elems[0]` when None.
        name: ignored.

    Returns:
        The final accumulator.

    Example:
    >>> keras.backend.foldl(lambda a, x: a + x, tf.constant([1, 2, 3]))  # 6
    """
    from tork.ops import control_flow as _cf

    return _cf.foldl(fn, elems, initializer=initializer, name=name)


def foldr(fn, elems, initializer=None, name=None):
    """Reduces `elems` along axis 0 from the right with `fn(accumulator, element)`.

    Args:
        fn: a callable `(acc, x) -> acc`.
        elems: a tensor.
        initializer: the first accumulator; `elems[-1]` when None.
        name: ignored.

    Returns:
        The final accumulator.

    Example:
    >>> keras.backend.foldr(lambda a, x: a + x, tf.constant([1, 2, 3]))  # 6
    """
    from tork.ops import control_flow as _cf

    return _cf.foldr(fn, elems, initializer=initializer, name=name)


# ---------------------------------------------------------------------------
# activations


def _integer_relu(x, alpha, max_value, threshold) -> bool:
    """Whether `relu` can run on an integer `x` in its own dtype, as Keras 2 does."""
    if not isinstance(x, torch.Tensor) or x.is_floating_point() or x.is_complex():
        return False
    if x.dtype == torch.bool:
        return False
    for value in (alpha, threshold):
        if isinstance(value, torch.Tensor) or value != 0:
            return False
    if max_value is None:
        return True
    return not isinstance(max_value, torch.Tensor) and float(max_value).is_integer()


def relu(x, alpha: float = 0.0, max_value=None, threshold: float = 0.0) -> torch.Tensor:
    """Keras 2's rectified linear unit with slope, cap and threshold.

    `f(x) = min(x, max_value)` above `threshold` and `alpha * (x - threshold)`
    below it. As Keras 2, with a negative threshold and a `max_value`, values
    between the threshold and 0 become 0.

    Args:
        x: a tensor.
        alpha: slope below the threshold (a number, or a tensor that broadcasts
            against `x`).
        max_value: upper bound (a number or tensor), or None.
        threshold: where the function switches (a number or tensor).

    Returns:
        A tensor of the same shape.

    Example:
    >>> keras.backend.relu(tf.constant([-2.0, 1.0, 8.0]), alpha=0.1, max_value=6.0)
    """
    if _integer_relu(x, alpha, max_value, threshold):
        # Keras 2 keeps an integer input's dtype (tf.nn.relu works on integers).
        y = torch.relu(x)
        return y if max_value is None else torch.clamp(y, max=int(max_value))
    x = _float(x)
    # Tensor arguments (one slope per unit, as keras-contrib's SReLU passes) broadcast
    # against `x`; standalone Keras 2 took them as set, whatever their values.
    use_alpha = isinstance(alpha, torch.Tensor) or alpha != 0
    use_threshold = isinstance(threshold, torch.Tensor) or threshold != 0
    if use_alpha and max_value is None and not use_threshold:
        return torch.where(x > 0, x, x * alpha)
    # Follow Keras 2's three steps so edge cases (negative thresholds) agree.
    negative = torch.relu(threshold - x) if use_threshold else torch.relu(-x)
    if use_threshold:
        y = x * (x > threshold).to(x.dtype)
    else:
        y = torch.relu(x)
    if isinstance(max_value, torch.Tensor):
        y = torch.minimum(torch.clamp(y, min=0), max_value.to(y.dtype))
    elif max_value is not None:
        y = torch.clamp(y, min=0, max=float(max_value))
    if use_alpha:
        y = y - alpha * negative
    return y


def elu(x, alpha: float = 1.0) -> torch.Tensor:
    """Exponential linear unit: `x` for `x > 0`, `alpha * (exp(x) - 1)` otherwise.

    Args:
        x: a tensor.
        alpha: the scale of the negative part.

    Returns:
        A tensor of the same shape.

    Example:
    >>> keras.backend.elu(tf.constant([-1.0, 1.0]))  # [-0.632, 1.]
    """
    x = _float(x)
    return torch.where(x > 0, x, alpha * torch.expm1(x))


def hard_sigmoid(x) -> torch.Tensor:
    """Keras 2's hard sigmoid: `clip(0.2 * x + 0.5, 0, 1)`.

    (Keras 3 uses `x / 6 + 0.5`; old Keras 2 code expects the slope 0.2.)

    Args:
        x: a tensor.

    Returns:
        A tensor of the same shape.

    Example:
    >>> keras.backend.hard_sigmoid(tf.constant([-3.0, 0.0, 1.0]))  # [0., 0.5, 0.7]
    """
    x = _float(x)
    return torch.clamp(0.2 * x + 0.5, 0.0, 1.0)


def softmax(x, axis: int = -1) -> torch.Tensor:
    """Softmax over `axis`.

    Args:
        x: a tensor.
        axis: the axis (default the last).

    Returns:
        A tensor of probabilities summing to 1 over `axis`.

    Example:
    >>> keras.backend.softmax(tf.constant([[0.0, 0.0]]))  # [[0.5, 0.5]]
    """
    x = _float(x)
    # As Keras 2, the logits ride along for the cross-entropies (see `sigmoid`).
    return _keep_logits(torch.softmax(x, dim=axis), x, "softmax")


def dropout(x, level: float, noise_shape=None, seed=None) -> torch.Tensor:
    """Inverted dropout, always applied: zeros entries with probability `level`.

    Kept entries are scaled by `1 / (1 - level)`. Unlike the Dropout layer this
    ignores the learning phase.

    Args:
        x: a tensor.
        level: the fraction of entries dropped.
        noise_shape: shape of the keep/drop mask, broadcast against `x`.
        seed: optional int seed.

    Returns:
        A tensor of the same shape.

    Example:
    >>> keras.backend.dropout(tf.ones([4]), 0.5)  # entries 0. or 2.
    """
    return _nn.dropout(_float(x), level, noise_shape=noise_shape, seed=seed)


def bias_add(x, bias, data_format=None) -> torch.Tensor:
    """Adds `bias` along the channel axis of `x`.

    Args:
        x: a tensor.
        bias: a rank-1 `(channels,)` bias, or one of rank `ndim(x) - 1` given
            channels last (Keras 2 reshapes it for channels-first data).
        data_format: `'channels_last'` or `'channels_first'`; `image_data_format()` when None.

    Returns:
        `x + bias`.

    Example:
    >>> keras.backend.bias_add(tf.zeros([2, 3]), tf.constant([1.0, 2.0, 3.0]))
    """
    x, bias = _t(x), _t(bias)
    first = _data_format(data_format, "bias_add") == "channels_first"
    bs = _shape(bias)
    if len(bs) not in (1, x.dim() - 1):
        raise ValueError(
            f"keras.backend.bias_add: bias of shape {bs} must have rank 1 or "
            f"{x.dim() - 1} for x of shape {_shape(x)}."
        )
    channels = x.shape[1] if first and x.dim() > 2 else x.shape[-1]
    if (len(bs) == 1 and bs[0] != channels) or (len(bs) > 1 and bs[-1] != channels):
        raise InvalidArgumentError(
            f"keras.backend.bias_add: bias of shape {bs} does not match the {channels} channels "
            f"of x of shape {_shape(x)} ({'channels_first' if first else 'channels_last'})."
        )
    if first and x.dim() > 2:
        if len(bs) == 1:
            bias = bias.reshape((1, bs[0]) + (1,) * (x.dim() - 2))
        else:
            # Keras 2 reshapes (not transposes) a full channels-last bias.
            bias = bias.reshape((1, bs[-1]) + bs[:-1])
    return x + bias.to(x.dtype)


# ---------------------------------------------------------------------------
# losses


def _check_same_shape(target: torch.Tensor, output: torch.Tensor, fn: str) -> None:
    if target.dim() != output.dim() or builtins.any(
        a != b for a, b in zip(target.shape, output.shape)
    ):
        raise ValueError(
            f"keras.backend.{fn}: target shape {_shape(target)} and output shape "
            f"{_shape(output)} are incompatible; they must be equal."
        )


def _keep_logits(output: torch.Tensor, logits: torch.Tensor, kind: str) -> torch.Tensor:
    from tork.keras.activations import _keep_logits as keep

    return keep(output, logits, kind)


def _from_activation(output: torch.Tensor, from_logits: bool, kind: str, fn: str):
    """`(output, from_logits)`, with the logits when `output` came out of `kind`.

    Keras 2's backend cross-entropies compute from the logits a sigmoid/softmax
    activation (keras.activations, K.sigmoid/K.softmax, a layer's `activation=`) kept
    on its output: exact for saturated probabilities, and `from_logits=True` on such an
    output warns instead of applying the activation twice.
    """
    from tork.keras.losses.probabilistic import _activation_logits

    return _activation_logits(output, from_logits, kind, fn)


def _clip_probs(p: torch.Tensor) -> torch.Tensor:
    eps = _epsilon()
    return torch.clamp(p, eps, 1.0 - eps)


def categorical_crossentropy(target, output, from_logits: bool = False, axis: int = -1):
    """Categorical cross-entropy between one-hot `target` and `output`.

    As Keras 2, probabilities are first rescaled to sum to 1 over `axis`, then
    clipped to `[epsilon(), 1 - epsilon()]`.

    Args:
        target: a tensor of the same shape as `output` (one-hot or soft labels).
        output: probabilities, or logits when `from_logits=True`.
        from_logits: whether `output` holds logits.
        axis: the class axis.

    Returns:
        The loss per sample (the class axis reduced).

    Example:
    >>> keras.backend.categorical_crossentropy(tf.constant([[0.0, 1.0]]), tf.constant([[0.5, 0.5]]))
    """
    target, output = _float(target), _float(output)
    _check_same_shape(target, output, "categorical_crossentropy")
    target = target.to(output.dtype)
    output, from_logits = _from_activation(
        output, from_logits, "softmax", "categorical_crossentropy"
    )
    if from_logits:
        return -(target * torch.log_softmax(output, dim=axis)).sum(dim=axis)
    output = output / output.sum(dim=axis, keepdim=True)
    return -(target * torch.log(_clip_probs(output))).sum(dim=axis)


def sparse_categorical_crossentropy(
    target, output, from_logits: bool = False, axis: int = -1, ignore_class=None
):
    """Categorical cross-entropy with integer targets.

    As Keras 2, probabilities are clipped to `[epsilon(), 1 - epsilon()]` and
    their logarithm goes through a log-softmax (so they are renormalized).

    Args:
        target: integer class indices, of `output`'s shape without `axis`
            (a trailing axis of size 1 is accepted).
        output: probabilities, or logits when `from_logits=True`.
        from_logits: whether `output` holds logits.
        axis: the class axis of `output`.
        ignore_class: a class index whose entries get loss 0.

    Returns:
        The loss per entry, of `output`'s shape without `axis`.

    Example:
    >>> keras.backend.sparse_categorical_crossentropy([1], tf.constant([[0.5, 0.5]]))
    """
    fn = "sparse_categorical_crossentropy"
    target, output = _t(target), _float(output)
    output, from_logits = _from_activation(output, from_logits, "softmax", fn)
    if output.dim() == 0:
        raise ValueError(f"keras.backend.{fn}: output must have a class axis, got shape ().")
    axis = axis % output.dim()
    output = torch.movedim(output, axis, -1)
    if not from_logits:
        output = torch.log(_clip_probs(output))
    out_shape = _shape(output)[:-1]
    classes = output.shape[-1]
    target = target.to(torch.int64)
    if target.numel() != int(np.prod(out_shape, dtype=np.int64)):
        raise ValueError(
            f"keras.backend.{fn}: target shape {_shape(target)} does not match output shape "
            f"{_shape(output)} (expected {out_shape}, or with a trailing 1)."
        )
    target = target.reshape(out_shape)
    valid = torch.ones_like(target, dtype=torch.bool)
    if ignore_class is not None:
        valid = target != int(ignore_class)
    checked = target[valid]
    if checked.numel() and (checked.min() < 0 or checked.max() >= classes):
        raise ValueError(
            f"keras.backend.{fn}: target values must be in [0, {classes}); got values from "
            f"{int(checked.min())} to {int(checked.max())}."
        )
    safe = torch.where(valid, target, torch.zeros_like(target))
    logp = torch.log_softmax(output, dim=-1)
    loss = -logp.gather(-1, safe[..., None]).squeeze(-1)
    return torch.where(valid, loss, torch.zeros_like(loss))


def binary_crossentropy(target, output, from_logits: bool = False) -> torch.Tensor:
    """Elementwise binary cross-entropy.

    As Keras 2, probabilities are clipped to `[epsilon(), 1 - epsilon()]` and
    `epsilon()` is also added inside both logarithms.

    Args:
        target: a tensor of the same shape as `output` (0/1 or soft labels).
        output: probabilities, or logits when `from_logits=True`.
        from_logits: whether `output` holds logits.

    Returns:
        The elementwise loss (no reduction).

    Example:
    >>> keras.backend.binary_crossentropy(tf.constant([1.0]), tf.constant([0.5]))  # [0.693]
    """
    target, output = _float(target), _float(output)
    target = target.to(output.dtype)
    output, from_logits = _from_activation(output, from_logits, "sigmoid", "binary_crossentropy")
    if from_logits:
        # max(z, 0) - z*t + log(1 + exp(-|z|)), the stable form.
        return torch.clamp(output, min=0) - output * target + torch.log1p(torch.exp(-output.abs()))
    eps = _epsilon()
    output = _clip_probs(output)
    return -(target * torch.log(output + eps) + (1 - target) * torch.log(1 - output + eps))


def binary_focal_crossentropy(
    target,
    output,
    apply_class_balancing: bool = False,
    alpha: float = 0.25,
    gamma: float = 2.0,
    from_logits: bool = False,
) -> torch.Tensor:
    """Elementwise binary focal cross-entropy: `(1 - p_t) ** gamma * binary_crossentropy`.

    Args:
        target: a tensor of the same shape as `output`.
        output: probabilities, or logits when `from_logits=True`.
        apply_class_balancing: weight positives by `alpha`, negatives by `1 - alpha`.
        alpha: the class-balancing weight.
        gamma: the focusing parameter.
        from_logits: whether `output` holds logits.

    Returns:
        The elementwise loss.

    Example:
    >>> keras.backend.binary_focal_crossentropy(tf.constant([1.0]), tf.constant([0.5]))
    """
    target, output = _float(target), _float(output)
    target = target.to(output.dtype)
    prob = torch.sigmoid(output) if from_logits else output
    p_t = target * prob + (1 - target) * (1 - prob)
    loss = torch.pow(1.0 - p_t, gamma) * binary_crossentropy(target, output, from_logits)
    if apply_class_balancing:
        loss = (target * alpha + (1 - target) * (1 - alpha)) * loss
    return loss


def categorical_focal_crossentropy(
    target, output, alpha: float = 0.25, gamma: float = 2.0, from_logits: bool = False, axis=-1
) -> torch.Tensor:
    """Categorical focal cross-entropy: `sum(alpha * (1 - p) ** gamma * -target * log(p))`.

    Probabilities are rescaled to sum to 1 and clipped by `epsilon()`, as
    `categorical_crossentropy`.

    Args:
        target: a tensor of the same shape as `output`.
        output: probabilities, or logits when `from_logits=True`.
        alpha: the weighting factor.
        gamma: the focusing parameter.
        from_logits: whether `output` holds logits.
        axis: the class axis.

    Returns:
        The loss per sample.

    Example:
    >>> keras.backend.categorical_focal_crossentropy(tf.constant([[0.0, 1.0]]), tf.constant([[0.5, 0.5]]))
    """  # noqa: E501
    target, output = _float(target), _float(output)
    _check_same_shape(target, output, "categorical_focal_crossentropy")
    target = target.to(output.dtype)
    if from_logits:
        output = torch.softmax(output, dim=axis)
    output = _clip_probs(output / output.sum(dim=axis, keepdim=True))
    focal = alpha * torch.pow(1.0 - output, gamma) * (-target * torch.log(output))
    return focal.sum(dim=axis)


# ---------------------------------------------------------------------------
# normalization


def _broadcast_param(p, x: torch.Tensor, axis: int):
    if p is None:
        return None
    p = _t(p).to(x.dtype)
    # A (channels,) parameter broadcasts along `axis`, wherever that axis is.
    if p.dim() == 1 and x.dim() > 1 and p.shape[0] == x.shape[axis]:
        shape = [1] * x.dim()
        shape[axis] = p.shape[0]
        p = p.reshape(shape)
    return p


def batch_normalization(x, mean, var, beta, gamma, axis: int = -1, epsilon: float = 1e-3):
    """Normalizes `x` with given statistics: `(x - mean) / sqrt(var + epsilon) * gamma + beta`.

    Args:
        x: a tensor.
        mean: the mean, `(channels,)` or broadcastable to `x`.
        var: the variance, like `mean`.
        beta: the offset, like `mean`, or None.
        gamma: the scale, like `mean`, or None.
        axis: the channel axis that rank-1 statistics apply to.
        epsilon: added to the variance.

    Returns:
        The normalized tensor.

    Example:
    >>> keras.backend.batch_normalization(tf.ones([2, 3]), tf.ones([3]), tf.ones([3]), None, None)
    """
    x = _float(x)
    axis = axis % x.dim() if x.dim() else 0
    mean, var = _broadcast_param(mean, x, axis), _broadcast_param(var, x, axis)
    beta, gamma = _broadcast_param(beta, x, axis), _broadcast_param(gamma, x, axis)
    y = (x - mean) * torch.rsqrt(var + epsilon)
    if gamma is not None:
        y = y * gamma
    if beta is not None:
        y = y + beta
    return y


def normalize_batch_in_training(x, gamma, beta, reduction_axes, epsilon: float = 1e-3):
    """Normalizes `x` with its own batch statistics over `reduction_axes`.

    Args:
        x: a tensor.
        gamma: the scale (of the kept axes' shape), or None.
        beta: the offset, or None.
        reduction_axes: the axes the statistics are taken over, e.g. `[0, 1, 2]`.
        epsilon: added to the variance.

    Returns:
        A tuple `(normalized, mean, variance)`; mean and variance have the reduced
        axes removed. The variance is the biased one, except where Keras 2 uses
        TF's fused batch norm: a 4-D `x` with `reduction_axes` `[0, 1, 2]` (or
        `[0, 2, 3]` on a GPU) gives the unbiased variance (times n / (n - 1)), as
        `fused_batch_norm` does. The normalization uses the biased one in all cases.

    Example:
    >>> y, m, v = keras.backend.normalize_batch_in_training(tf.ones([4, 3]), None, None, [0])
    """
    x = _float(x)
    axes = sorted(a % x.dim() for a in reduction_axes)
    mean = x.mean(dim=axes, keepdim=True)
    var = x.var(dim=axes, unbiased=False, keepdim=True)
    # Keras 2 takes TF's fused kernel for NHWC statistics (and NCHW ones where a GPU is
    # present); its batch variance is Bessel-corrected (keras-mode-normalization's
    # moving variance depends on it).
    given = [int(a) for a in reduction_axes]
    fused = x.dim() == 4 and (given == [0, 1, 2] or (given == [0, 2, 3] and x.is_cuda))
    count = int(np.prod([x.shape[a] for a in axes], dtype=np.int64))
    returned_var = var * (count / (count - 1)) if fused and count > 1 else var
    kept = [d for i, d in enumerate(x.shape) if i not in axes]
    bshape = _shape(mean)

    def _param(p):
        if p is None:
            return None
        p = _t(p).to(x.dtype)
        return p.reshape(bshape) if p.numel() == int(np.prod(kept, dtype=np.int64)) else p

    y = (x - mean) * torch.rsqrt(var + epsilon)
    g, b = _param(gamma), _param(beta)
    if g is not None:
        y = y * g
    if b is not None:
        y = y + b
    return y, mean.reshape(kept), returned_var.reshape(kept)


# ---------------------------------------------------------------------------
# convolution and pooling


def _conv_format(x: torch.Tensor, data_format, rank: int, fn: str) -> str:
    _check_rank(x, (rank + 2,), fn)
    first = _data_format(data_format, fn) == "channels_first"
    return {1: ("NCW", "NWC"), 2: ("NCHW", "NHWC"), 3: ("NCDHW", "NDHWC")}[rank][0 if first else 1]


def conv1d(x, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """1D convolution (cross-correlation).

    Args:
        x: a 3D tensor, `(batch, steps, channels)` for channels last.
        kernel: a `(width, in_channels, out_channels)` tensor.
        strides: an int.
        padding: `'valid'`, `'same'` or `'causal'` (zeros on the left only).
        data_format: `'channels_last'` or `'channels_first'`; `image_data_format()` when None.
        dilation_rate: an int.

    Returns:
        The convolved 3D tensor.

    Example:
    >>> keras.backend.conv1d(tf.ones([1, 5, 2]), tf.ones([3, 2, 4])).shape
    torch.Size([1, 3, 4])
    """
    x, kernel = _float(x), _float(kernel)
    fmt = _conv_format(x, data_format, 1, "conv1d")
    strides = _single(strides)
    dilation_rate = _single(dilation_rate)
    if padding == "causal":
        left = dilation_rate * (kernel.shape[0] - 1)
        x = _pad_axes(x, {2 if fmt == "NCW" else 1: (left, 0)})
        padding = "valid"
    pad = _padding(padding, "conv1d")
    return _nn.conv1d(x, kernel, strides, pad, data_format=fmt, dilations=dilation_rate)


def _single(v) -> int:
    if isinstance(v, (tuple, list)):
        (v,) = v
    return int(v)


def conv2d(
    x, kernel, strides=(1, 1), padding="valid", data_format=None, dilation_rate=(1, 1)
) -> torch.Tensor:
    """2D convolution (cross-correlation).

    Args:
        x: a 4D tensor, NHWC for channels last.
        kernel: a `(height, width, in_channels, out_channels)` tensor.
        strides: a pair of ints.
        padding: `'valid'` or `'same'`.
        data_format: `'channels_last'` or `'channels_first'`; `image_data_format()` when None.
        dilation_rate: a pair of ints.

    Returns:
        The convolved 4D tensor.

    Example:
    >>> keras.backend.conv2d(tf.ones([1, 5, 5, 1]), tf.ones([3, 3, 1, 2])).shape
    torch.Size([1, 3, 3, 2])
    """
    x, kernel = _float(x), _float(kernel)
    fmt = _conv_format(x, data_format, 2, "conv2d")
    pad = _padding(padding, "conv2d")
    return _nn.conv2d(x, kernel, list(strides), pad, data_format=fmt, dilations=list(dilation_rate))


def conv3d(
    x, kernel, strides=(1, 1, 1), padding="valid", data_format=None, dilation_rate=(1, 1, 1)
) -> torch.Tensor:
    """3D convolution (cross-correlation).

    Args:
        x: a 5D tensor, NDHWC for channels last.
        kernel: a `(depth, height, width, in_channels, out_channels)` tensor.
        strides: three ints.
        padding: `'valid'` or `'same'`.
        data_format: `'channels_last'` or `'channels_first'`; `image_data_format()` when None.
        dilation_rate: three ints.

    Returns:
        The convolved 5D tensor.

    Example:
    >>> keras.backend.conv3d(tf.ones([1, 3, 3, 3, 1]), tf.ones([2, 2, 2, 1, 1])).shape
    torch.Size([1, 2, 2, 2, 1])
    """
    x, kernel = _float(x), _float(kernel)
    fmt = _conv_format(x, data_format, 3, "conv3d")
    pad = _padding(padding, "conv3d")
    return _nn.conv3d(x, kernel, list(strides), pad, data_format=fmt, dilations=list(dilation_rate))


def conv2d_transpose(
    x,
    kernel,
    output_shape,
    strides=(1, 1),
    padding="valid",
    data_format=None,
    dilation_rate=(1, 1),
) -> torch.Tensor:
    """2D transposed convolution.

    Args:
        x: a 4D tensor.
        kernel: a `(height, width, out_channels, in_channels)` tensor.
        output_shape: the 4D output shape, in `data_format`'s layout.
        strides: a pair of ints.
        padding: `'valid'` or `'same'`.
        data_format: `'channels_last'` or `'channels_first'`; `image_data_format()` when None.
        dilation_rate: a pair of ints.

    Returns:
        A tensor of shape `output_shape`.

    Example:
    >>> keras.backend.conv2d_transpose(tf.ones([1, 2, 2, 1]), tf.ones([2, 2, 3, 1]),
    ...                                (1, 4, 4, 3), strides=(2, 2)).shape
    torch.Size([1, 4, 4, 3])
    """
    x, kernel = _float(x), _float(kernel)
    fmt = _conv_format(x, data_format, 2, "conv2d_transpose")
    pad = _padding(padding, "conv2d_transpose")
    output_shape = list(output_shape)
    if output_shape and output_shape[0] is None:
        output_shape[0] = x.shape[0]  # Keras 2 fills an unknown batch size from `x`
    return _nn.conv2d_transpose(
        x,
        kernel,
        output_shape,
        list(strides),
        pad,
        data_format=fmt,
        dilations=list(dilation_rate),
    )


def depthwise_conv2d(
    x, depthwise_kernel, strides=(1, 1), padding="valid", data_format=None, dilation_rate=(1, 1)
) -> torch.Tensor:
    """Depthwise 2D convolution: each input channel convolved with its own filters.

    Args:
        x: a 4D tensor.
        depthwise_kernel: a `(height, width, in_channels, multiplier)` tensor.
        strides: a pair of ints.
        padding: `'valid'` or `'same'`.
        data_format: `'channels_last'` or `'channels_first'`; `image_data_format()` when None.
        dilation_rate: a pair of ints.

    Returns:
        A 4D tensor with `in_channels * multiplier` channels.

    Example:
    >>> keras.backend.depthwise_conv2d(tf.ones([1, 3, 3, 2]), tf.ones([2, 2, 2, 1])).shape
    torch.Size([1, 2, 2, 2])
    """
    x, depthwise_kernel = _float(x), _float(depthwise_kernel)
    fmt = _conv_format(x, data_format, 2, "depthwise_conv2d")
    pad = _padding(padding, "depthwise_conv2d")
    strides4 = [1, *strides, 1] if fmt == "NHWC" else [1, 1, *strides]
    return _nn.depthwise_conv2d(
        x, depthwise_kernel, strides4, pad, data_format=fmt, dilations=list(dilation_rate)
    )


def separable_conv2d(
    x,
    depthwise_kernel,
    pointwise_kernel,
    strides=(1, 1),
    padding="valid",
    data_format=None,
    dilation_rate=(1, 1),
) -> torch.Tensor:
    """Separable 2D convolution: a depthwise convolution, then a 1x1 convolution.

    Args:
        x: a 4D tensor.
        depthwise_kernel: a `(height, width, in_channels, multiplier)` tensor.
        pointwise_kernel: a `(1, 1, in_channels * multiplier, out_channels)` tensor.
        strides: a pair of ints.
        padding: `'valid'` or `'same'`.
        data_format: `'channels_last'` or `'channels_first'`; `image_data_format()` when None.
        dilation_rate: a pair of ints.

    Returns:
        The convolved 4D tensor.

    Example:
    >>> keras.backend.separable_conv2d(tf.ones([1, 3, 3, 2]), tf.ones([2, 2, 2, 1]),
    ...                                tf.ones([1, 1, 2, 4])).shape
    torch.Size([1, 2, 2, 4])
    """
    y = depthwise_conv2d(x, depthwise_kernel, strides, padding, data_format, dilation_rate)
    fmt = (
        "NCHW"
        if y.dim() == 4 and _data_format(data_format, "separable_conv2d") == ("channels_first")
        else "NHWC"
    )
    return _nn.conv2d(y, _float(pointwise_kernel), 1, "VALID", data_format=fmt)


def _pool(x, pool_size, strides, padding, data_format, pool_mode, rank: int, fn: str):
    x = _float(x)
    fmt = _conv_format(x, data_format, rank, fn)
    pad = _padding(padding, fn)
    if pool_mode == "max":
        op = _nn.max_pool2d if rank == 2 else _nn.max_pool3d
    elif pool_mode == "avg":
        op = _nn.avg_pool2d if rank == 2 else _nn.avg_pool3d
    else:
        raise ValueError(
            f"keras.backend.{fn}: invalid pool_mode {pool_mode!r}; expected 'max' or 'avg'."
        )
    return op(x, list(pool_size), list(strides), pad, data_format=fmt)


def pool2d(
    x, pool_size, strides=(1, 1), padding="valid", data_format=None, pool_mode="max"
) -> torch.Tensor:
    """2D max or average pooling (Keras 2's default stride is 1, not the pool size).

    Args:
        x: a 4D tensor.
        pool_size: a pair of ints.
        strides: a pair of ints.
        padding: `'valid'` or `'same'` (average pooling counts only in-bounds cells).
        data_format: `'channels_last'` or `'channels_first'`; `image_data_format()` when None.
        pool_mode: `'max'` or `'avg'`.

    Returns:
        The pooled 4D tensor.

    Example:
    >>> keras.backend.pool2d(tf.ones([1, 4, 4, 1]), (2, 2), strides=(2, 2)).shape
    torch.Size([1, 2, 2, 1])
    """
    return _pool(x, pool_size, strides, padding, data_format, pool_mode, 2, "pool2d")


def pool3d(
    x, pool_size, strides=(1, 1, 1), padding="valid", data_format=None, pool_mode="max"
) -> torch.Tensor:
    """3D max or average pooling (Keras 2's default stride is 1).

    Args:
        x: a 5D tensor.
        pool_size: three ints.
        strides: three ints.
        padding: `'valid'` or `'same'`.
        data_format: `'channels_last'` or `'channels_first'`; `image_data_format()` when None.
        pool_mode: `'max'` or `'avg'`.

    Returns:
        The pooled 5D tensor.

    Example:
    >>> keras.backend.pool3d(tf.ones([1, 2, 2, 2, 1]), (2, 2, 2)).shape
    torch.Size([1, 1, 1, 1, 1])
    """
    return _pool(x, pool_size, strides, padding, data_format, pool_mode, 3, "pool3d")


# ---------------------------------------------------------------------------
# random


def random_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None) -> torch.Tensor:
    """Draws from a normal distribution.

    Args:
        shape: a tuple of ints.
        mean: the mean.
        stddev: the standard deviation.
        dtype: the dtype; `floatx()` when None.
        seed: optional int seed.

    Returns:
        A tensor of shape `shape`.

    Example:
    >>> keras.backend.random_normal((2, 3), seed=1).shape
    torch.Size([2, 3])
    """
    return _random.normal(_int_tuple(shape, "random_normal"), mean, stddev, _dtype_of(dtype), seed)


def random_uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None) -> torch.Tensor:
    """Draws uniformly from `[minval, maxval)`.

    Args:
        shape: a tuple of ints.
        minval: lower bound.
        maxval: upper bound.
        dtype: the dtype; `floatx()` when None.
        seed: optional int seed.

    Returns:
        A tensor of shape `shape`.

    Example:
    >>> keras.backend.random_uniform((2, 3), -1.0, 1.0).shape
    torch.Size([2, 3])
    """
    return _random.uniform(
        _int_tuple(shape, "random_uniform"), minval, maxval, _dtype_of(dtype), seed
    )


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None) -> torch.Tensor:
    """Draws from a normal distribution, redrawing values beyond 2 standard deviations.

    Args:
        shape: a tuple of ints.
        mean: the mean.
        stddev: the standard deviation before truncation.
        dtype: the dtype; `floatx()` when None.
        seed: optional int seed.

    Returns:
        A tensor of shape `shape`.

    Example:
    >>> keras.backend.truncated_normal((2, 3)).shape
    torch.Size([2, 3])
    """
    return _random.truncated_normal(
        _int_tuple(shape, "truncated_normal"), mean, stddev, _dtype_of(dtype), seed
    )


def random_bernoulli(shape, p=0.0, dtype=None, seed=None) -> torch.Tensor:
    """Draws 1 with probability `p` and 0 otherwise.

    Args:
        shape: a tuple of ints.
        p: the probability of 1.
        dtype: the dtype; `floatx()` when None.
        seed: optional int seed.

    Returns:
        A tensor of 0s and 1s.

    Example:
    >>> keras.backend.random_bernoulli((2, 3), p=0.5).shape
    torch.Size([2, 3])
    """
    d = _dtype_of(dtype)
    u = random_uniform(shape, dtype=d, seed=seed)
    return (u <= p).to(d)


def random_binomial(shape, p=0.0, dtype=None, seed=None) -> torch.Tensor:
    """Deprecated Keras 2 alias of `random_bernoulli`.

    Args:
        shape: a tuple of ints.
        p: the probability of 1.
        dtype: the dtype; `floatx()` when None.
        seed: optional int seed.

    Returns:
        A tensor of 0s and 1s.

    Example:
    >>> keras.backend.random_binomial((2,), p=1.0)  # [1., 1.]
    """
    return random_bernoulli(shape, p=p, dtype=dtype, seed=seed)
