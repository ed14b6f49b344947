"""TensorFlow 2 names reached through `tf.compat.v1` (`import tensorflow.compat.v1 as tf`).

TF 1 code kept alive with `import tensorflow.compat.v1 as tf` (or rewritten by
`tf_upgrade_v2` to `tf.compat.v1.<op>`) calls the ordinary ops there: `tf.maximum`,
`tf.cast`, `tf.reduce_sum(x, keep_dims=True)`, `tf.nn.relu`, `tf.data.Dataset`. In
TensorFlow `tf.compat.v1` holds every TF 1 name; most are the same functions as in TF 2.
Here a name `tf.compat.v1` does not define itself is looked up in the TF 2 namespace,
with TF 1's argument spellings (`keep_dims`, `reduction_indices`, `dim`, `squeeze_dims`,
`dimension`) renamed, and a few TF 1 names mapped to their TF 2 homes
(`random_normal` -> `random.normal`, `to_float` -> `cast`), with TF 1's `where` (rows
picked by a rank-1 condition) and eager `get_variable`/`variable_scope` (see
`_variable_scope`). Graph-mode names (`placeholder`, `Session`) and the modules whose
TF 1 meaning differs (`summary`, `metrics`, `layers`, `train`'s TF 1 optimizers) keep
raising their clear errors.
"""

from __future__ import annotations

import contextlib
import functools
import importlib

# TF 1 argument names and their TF 2 spellings.
_V1_ARGUMENTS = {
    "keep_dims": "keepdims",
    "reduction_indices": "axis",
    "dim": "axis",
    "squeeze_dims": "axis",
    "dimension": "axis",
    "filter": "filters",
}

# TF 1 functions that take those arguments.
_WITH_V1_ARGUMENTS = frozenset(
    {
        "reduce_sum",
        "reduce_mean",
        "reduce_max",
        "reduce_min",
        "reduce_prod",
        "reduce_all",
        "reduce_any",
        "reduce_logsumexp",
        "reduce_std",
        "reduce_variance",
        "count_nonzero",
        "argmax",
        "argmin",
        "expand_dims",
        "squeeze",
        "norm",
        # tf.nn
        "conv1d",
        "conv2d",
        "conv3d",
        "conv2d_transpose",
        "conv3d_transpose",
        "depthwise_conv2d",
        "l2_normalize",
        "softmax",
        "log_softmax",
    }
)

# Modules whose TF 1 contents differ from TF 2's namesakes: no fallback.
_NOT_THE_SAME = frozenset({"summary", "metrics", "layers", "initializers", "estimator"})


def _cast_to(dtype: str):
    def cast(x, name=None):
        from tork.ops.math import cast as _cast

        return _cast(x, dtype)

    cast.__name__ = f"to_{dtype}"
    cast.__doc__ = f"TF 1's `tf.to_{dtype}`: `tf.cast(x, {dtype!r})`."
    return cast


@contextlib.contextmanager
def _colocate_with(op, ignore_existing=False):
    """TF 1's `colocate_with`: nothing to do, eager ops run where their inputs are."""
    yield


def _where_v1(condition, x=None, y=None, name=None):
    """TF 1's `tf.compat.v1.where`: a rank-1 `condition` picks whole rows of `x`/`y`.

    TF 2's `tf.where` broadcasts instead, which fails (or, for square shapes, picks
    columns) where TF 1 code selects per batch row, as TF 1's `dynamic_rnn` does.

    Args:
        condition: booleans, of `x`'s shape or rank 1 (one per row of `x`).
        x: the values where `condition` is True (with `y`; both None: `where` returns
            the indices of the True values).
        y: the values where it is False.
        name: unused.
    """
    import numpy as np

    from tork.ops.array import reshape, where

    if x is None and y is None:
        return where(condition)
    if x is None or y is None:
        raise ValueError("tf.compat.v1.where: give both x and y, or neither (to get indices).")

    def shape(value):
        return tuple(value.shape) if hasattr(value, "shape") else np.shape(value)

    cond_shape, x_shape = shape(condition), shape(x)
    if len(cond_shape) == 1 and len(x_shape) > 1:
        if cond_shape[0] is not None and x_shape[0] is not None and cond_shape[0] != x_shape[0]:
            raise ValueError(
                f"tf.compat.v1.where: a rank-1 condition picks rows, so its length "
                f"{cond_shape[0]} must be x's first dimension; x has shape {x_shape}."
            )
        condition = reshape(condition, (-1,) + (1,) * (len(x_shape) - 1))
    return where(condition, x, y)


def _initializer(var_list=None, name="init"):
    """TF 1's variable and table initializers: None, as eager TensorFlow 2 returns.

    Variables (and tables) are initialized when they are made, so the old
    `sess.run(tf.compat.v1.global_variables_initializer())` line has nothing to run.
    """
    return None


def _string_to_number(string_tensor=None, out_type=None, name=None, input=None):  # noqa: A002
    """TF 1's `string_to_number(string_tensor, out_type)` (`tf.strings.to_number`)."""
    from tork.ops import strings

    value = string_tensor if string_tensor is not None else input
    if out_type is None:
        return strings.to_number(value)
    return strings.to_number(value, out_type=out_type)


def _reduce_join(*args, **kwargs):
    """TF 1's `reduce_join` (`keep_dims`, `reduction_indices`): `tf.strings.reduce_join`."""
    from tork.ops import strings

    return with_v1_arguments(strings.reduce_join)(*args, **kwargs)


# TF 1 names that moved in TF 2: (module, attribute) or a function.
_MOVED = {
    "random_normal": ("tork.ops.random", "normal"),
    "random_uniform": ("tork.ops.random", "uniform"),
    "truncated_normal": ("tork.ops.random", "truncated_normal"),
    "random_shuffle": ("tork.ops.random", "shuffle"),
    "multinomial": ("tork.ops.random", "categorical"),
    "arg_max": ("tork", "argmax"),
    "arg_min": ("tork", "argmin"),
    "to_float": _cast_to("float32"),
    "to_double": _cast_to("float64"),
    "to_int32": _cast_to("int32"),
    "to_int64": _cast_to("int64"),
    # TF 1's `matrix_*` ops, `tf.linalg`'s in TF 2 (DeepCTR's Transformer calls
    # `tf.compat.v1.matrix_set_diag`).
    "matrix_set_diag": ("tork.ops.linalg", "set_diag"),
    "matrix_diag": ("tork.ops.linalg", "diag"),
    "matrix_diag_part": ("tork.ops.linalg", "diag_part"),
    "matrix_band_part": ("tork.ops.linalg", "band_part"),
    "matrix_transpose": ("tork.ops.linalg", "matrix_transpose"),
    "matrix_inverse": ("tork.ops.linalg", "inv"),
    "matrix_determinant": ("tork.ops.linalg", "det"),
    "matrix_solve": ("tork.ops.linalg", "solve"),
    "matrix_solve_ls": ("tork.ops.linalg", "lstsq"),
    "matrix_triangular_solve": ("tork.ops.linalg", "triangular_solve"),
    # TF 1's `tf.py_func` is TF 2's `tf.numpy_function` (same arguments: NumPy in and
    # out, no gradient); old Kaggle kernels compute IoU metrics with it.
    "py_func": ("tork.ops.py_function", "numpy_function"),
    # TF 1's variable scopes, eager: variables made in a Keras layer's call are its
    # weights (DIEN's attention GRU cells, `_linear` helpers).
    "get_variable": ("tork.compat.v1._variable_scope", "get_variable"),
    "variable_scope": ("tork.compat.v1._variable_scope", "variable_scope"),
    "get_variable_scope": ("tork.compat.v1._variable_scope", "get_variable_scope"),
    "VariableScope": ("tork.compat.v1._variable_scope", "VariableScope"),
    "AUTO_REUSE": ("tork.compat.v1._variable_scope", "AUTO_REUSE"),
    "where": _where_v1,
    # DeepCTR's copy of TF 1's dynamic_rnn places each step's select by its input.
    "colocate_with": _colocate_with,
    # TF 1's top-level string ops, `tf.strings`' in TF 2.
    "string_to_hash_bucket": ("tork.ops.strings", "to_hash_bucket"),
    "string_to_hash_bucket_fast": ("tork.ops.strings", "to_hash_bucket_fast"),
    "string_to_hash_bucket_strong": ("tork.ops.strings", "to_hash_bucket_strong"),
    "substr": ("tork.ops.strings", "substr"),
    "string_join": ("tork.ops.strings", "join"),
    "string_strip": ("tork.ops.strings", "strip"),
    "regex_replace": ("tork.ops.strings", "regex_replace"),
    "string_to_number": _string_to_number,
    "reduce_join": _reduce_join,
    "global_variables_initializer": _initializer,
    "local_variables_initializer": _initializer,
    "initialize_all_variables": _initializer,
    "initialize_local_variables": _initializer,
    "variables_initializer": _initializer,
    "initialize_variables": _initializer,
    "tables_initializer": _initializer,
    "initialize_all_tables": _initializer,
}


def with_v1_arguments(fn):
    """`fn` accepting TF 1's argument names (`keep_dims=`, `reduction_indices=`...)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        for old, new in _V1_ARGUMENTS.items():
            if old in kwargs:
                value = kwargs.pop(old)
                if value is not None:
                    if kwargs.get(new) is not None:
                        raise ValueError(
                            f"tf.compat.v1.{fn.__name__}: give `{new}` or its TF 1 name "
                            f"`{old}`, not both."
                        )
                    kwargs[new] = value
        return fn(*args, **kwargs)

    return wrapper


def lookup(name: str, v2_module: str, top_level: bool = False):
    """The TF 2 object `name` of `v2_module` for a `tf.compat.v1` lookup; None if absent.

    Args:
        name: the attribute asked for.
        v2_module: the module holding the TF 2 names (`"tork"`, `"tork.ops.nn"`).
        top_level: True for `tf.compat.v1` itself (moved TF 1 names and modules whose
            TF 1 meaning differs are handled there).
    """
    if name.startswith("_"):
        return None
    if top_level:
        if name in _NOT_THE_SAME:
            return None
        moved = _MOVED.get(name)
        if callable(moved):
            return moved
        if moved is not None:
            return getattr(importlib.import_module(moved[0]), moved[1])
    module = importlib.import_module(v2_module)
    try:
        value = getattr(module, name)
    except (AttributeError, NotImplementedError):
        return None
    if name in _WITH_V1_ARGUMENTS and callable(value):
        return with_v1_arguments(value)
    return value


def fallback_getattr(module_globals: dict, v2_module: str, missing, top_level: bool = False):
    """A `tf.compat.v1` module's `__getattr__`: TF 2's name (see `lookup`), kept in the
    module once found, else `missing(name)` (which raises)."""

    def __getattr__(name: str):
        value = lookup(name, v2_module, top_level)
        if value is None:
            return missing(name)
        module_globals[name] = value
        return value

    return __getattr__
