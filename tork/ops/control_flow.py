"""TensorFlow 2's functional control flow: `tf.cond`, `tf.while_loop`, `tf.map_fn`, ...

tork runs eagerly, as TensorFlow 2 does outside `tf.function`: a predicate is read on the
host and only the chosen branch runs; loops are Python loops over torch ops, so autograd
differentiates through exactly the iterations that ran. Inside traced code (fake tensors,
`torch.compile`, a whole-step `make_fx` trace) `cond` becomes `torch.cond`; a loop whose
condition cannot be read there raises a clear error.
"""

from __future__ import annotations

import builtins
import collections.abc
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from torch._subclasses.fake_tensor import is_fake

from tork import nest
from tork._backend.dtypes import as_dtype, dtype_name
from tork._backend.errors import InvalidArgumentError
from tork._backend.tensor import convert_to_tensor
from tork._backend.tracing import values_readable

__all__ = [
    "case",
    "cond",
    "foldl",
    "foldr",
    "map_fn",
    "scan",
    "switch_case",
    "vectorized_map",
    "while_loop",
]

_CONVERTIBLE = (builtins.bool, int, float, complex, np.ndarray, np.generic)


# ---------------------------------------------------------------- helpers


def _to_tensor(value):
    """Python numbers and NumPy arrays become tensors (as TensorFlow does); others pass."""
    return convert_to_tensor(value) if isinstance(value, _CONVERTIBLE) else value


def _to_tensors(structure):
    if isinstance(structure, torch.Tensor):
        return structure
    if not nest.is_nested(structure):
        return _to_tensor(structure)
    return nest.map_structure(_to_tensor, structure)


def _describe(structure) -> str:
    """A readable outline of a structure: its nesting, with each atom's kind and shape."""
    if isinstance(structure, torch.Tensor):
        return f"Tensor(shape={tuple(structure.shape)})"
    if isinstance(structure, collections.abc.Mapping):
        return "{" + ", ".join(f"{k!r}: {_describe(v)}" for k, v in structure.items()) + "}"
    if isinstance(structure, tuple):
        inner = ", ".join(_describe(v) for v in structure)
        if hasattr(type(structure), "_fields"):
            return f"{type(structure).__name__}({inner})"
        return f"({inner},)" if len(structure) == 1 else f"({inner})"
    if isinstance(structure, list):
        return "[" + ", ".join(_describe(v) for v in structure) + "]"
    return type(structure).__name__


def _same_nesting(a, b) -> bool:
    try:
        nest.assert_same_structure(a, b, check_types=False)
    except (ValueError, TypeError):
        return False
    return True


def _in_tracer() -> bool:
    """Whether a tracer records the ops now (dynamo or make_fx), rather than eager code."""
    if torch.compiler.is_compiling():
        return True
    from torch.fx.experimental.proxy_tensor import get_proxy_mode

    return get_proxy_mode() is not None


def _scalar_predicate(pred, op: str) -> torch.Tensor | None:
    """`pred` as a one-element tensor, or None for Python values; rejects other shapes."""
    if isinstance(pred, (builtins.bool, int, np.bool_, np.integer)):
        return None
    tensor = pred if isinstance(pred, torch.Tensor) else convert_to_tensor(pred)
    if tensor.numel() != 1:
        raise ValueError(
            f"{op}: pred must be a scalar (one boolean), but got a tensor of shape "
            f"{tuple(tensor.shape)}. Reduce it first with tf.reduce_all / tf.reduce_any, or use "
            "tf.where(pred, x, y) to choose element-wise."
        )
    return tensor


def _read_bool(tensor: torch.Tensor, op: str) -> builtins.bool:
    # Under dynamo, reading the value is a graph break, which dynamo handles itself.
    if not torch.compiler.is_compiling() and is_fake(tensor):
        raise RuntimeError(
            f"{op}: the condition is a traced tensor (its value is only known when the graph "
            "runs), so tork cannot decide here which way to go: the number of iterations or the "
            "branch depends on the data. Run this code eagerly (tf.config.run_functions_eagerly"
            "(True), or without torch.compile / make_fx), or express it without data-dependent "
            "control flow, e.g. with tf.where."
        )
    return builtins.bool(tensor)


def _check_callable(fn, what: str, op: str) -> None:
    if fn is None:
        raise TypeError(f"{op}: {what} is required: pass a callable taking no arguments.")
    if not callable(fn):
        raise TypeError(f"{op}: {what} must be callable, but got {type(fn).__name__}: {fn!r}.")


# ---------------------------------------------------------------- cond / case / switch_case


def cond(
    pred: Any,
    true_fn: Callable[[], Any] | None = None,
    false_fn: Callable[[], Any] | None = None,
    name: str | None = None,
) -> Any:
    """Returns `true_fn()` if `pred` is true, else `false_fn()`.

    Only the chosen branch runs (as in TensorFlow eager), and gradients flow through it.
    In traced code (`torch.compile`, `tf.function(jit_compile=True)`) the choice becomes a
    `torch.cond`, which needs both branches to return tensors of the same structure and
    shapes.

    Args:
        pred: a Python bool or a scalar boolean tensor.
        true_fn: callable with no arguments, run when `pred` is true.
        false_fn: callable with no arguments, run when `pred` is false.
        name: unused, accepted for TensorFlow compatibility.

    Returns:
        What the chosen branch returns (Python numbers converted to tensors).

    Raises:
        TypeError: a branch is missing or not callable.
        ValueError: `pred` is a tensor with more than one element.

    Example:
    >>> x, y = tf.constant(2.0), tf.constant(5.0)
    >>> tf.cond(x < y, lambda: x + y, lambda: x * y)
    tensor(7.)
    """
    del name
    _check_callable(true_fn, "true_fn", "tf.cond")
    _check_callable(false_fn, "false_fn", "tf.cond")
    tensor = _scalar_predicate(pred, "tf.cond")
    if tensor is None:
        return _to_tensors(true_fn() if pred else false_fn())
    if values_readable(tensor) or not _in_tracer():
        return _to_tensors(true_fn() if builtins.bool(tensor) else false_fn())
    return _traced_cond(tensor, true_fn, false_fn)


def _fresh(value):
    return value.clone() if isinstance(value, torch.Tensor) else value


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else ""


def _traced_cond(tensor: torch.Tensor, true_fn, false_fn):
    if tensor.dtype != torch.bool:
        tensor = tensor != 0

    def branch(fn):
        # torch.cond rejects outputs that alias its inputs (`lambda: x`, views): copy them.
        return lambda: nest.map_structure(_fresh, _to_tensors(fn()))

    try:
        return torch.cond(tensor.reshape(()), branch(true_fn), branch(false_fn), ())
    except Exception as error:
        if not is_fake(tensor) and not torch.compiler.is_compiling():
            # A real tensor under a whole-step trace: reading it is allowed (the trace
            # notices the host read and the step stays eager).
            return _to_tensors(true_fn() if builtins.bool(tensor) else false_fn())
        raise RuntimeError(
            "tf.cond in traced code: the predicate's value is not known while tracing, so both "
            "branches become a torch.cond, which needs both to return tensors of the same "
            f"structure, shapes and dtypes ({type(error).__name__}: {_first_line(error)}). Make "
            "the branches "
            "agree, use tf.where(pred, x, y) to choose between two tensors, or run eagerly."
        ) from error


def _unpack_singleton(result, strict: builtins.bool):
    if not strict and isinstance(result, (list, tuple)) and len(result) == 1:
        return result[0]
    return result


def case(
    pred_fn_pairs: Any,
    default: Callable[[], Any] | None = None,
    exclusive: builtins.bool = False,
    strict: builtins.bool = False,
    name: str = "case",
) -> Any:
    """Runs the callable of the first pair whose predicate is true (an if/elif/else chain).

    Args:
        pred_fn_pairs: a list of `(pred, fn)` pairs: a scalar boolean (tensor or Python) and
            a callable with no arguments.
        default: callable run when no predicate is true. Without it, the last pair is the
            default, and an error is raised if its predicate is false too.
        exclusive: evaluate all predicates and raise an error if more than one is true.
        strict: when False, a singleton list/tuple returned by a callable is unpacked.
        name: unused, accepted for TensorFlow compatibility.

    Returns:
        What the selected callable returns.

    Raises:
        TypeError: `pred_fn_pairs` is not a list of `(pred, callable)` pairs.
        InvalidArgumentError: `exclusive` and several predicates are true, or no predicate is
            true and there is no `default`.

    Example:
    >>> x = tf.constant(3)
    >>> tf.case([(x < 2, lambda: tf.constant(10)), (x < 5, lambda: tf.constant(20))],
    ...         default=lambda: tf.constant(30))
    tensor(20, dtype=torch.int32)
    """
    del name
    if isinstance(pred_fn_pairs, collections.abc.Mapping):
        pairs = list(pred_fn_pairs.items())
    elif isinstance(pred_fn_pairs, (list, tuple)):
        pairs = list(pred_fn_pairs)
    else:
        raise TypeError(
            f"tf.case: pred_fn_pairs must be a list of (pred, fn) pairs, but got "
            f"{type(pred_fn_pairs).__name__}."
        )
    for i, pair in enumerate(pairs):
        if not (isinstance(pair, (list, tuple)) and len(pair) == 2 and callable(pair[1])):
            raise TypeError(
                f"tf.case: pred_fn_pairs[{i}] must be a (pred, callable) pair, but got {pair!r}."
            )
    if not pairs and default is None:
        raise ValueError("tf.case: pred_fn_pairs is empty and no default was given.")
    if default is not None:
        _check_callable(default, "default", "tf.case")

    def truth(i: int) -> builtins.bool:
        tensor = _scalar_predicate(pairs[i][0], f"tf.case (pred_fn_pairs[{i}])")
        if tensor is None:
            return builtins.bool(pairs[i][0])
        return _read_bool(tensor, "tf.case")

    chosen = None
    if exclusive:
        true_ones = [i for i in range(len(pairs)) if truth(i)]
        if len(true_ones) > 1:
            raise InvalidArgumentError(
                f"tf.case: exclusive=True, but {len(true_ones)} predicates are true "
                f"(pred_fn_pairs indices {true_ones}). Make the predicates mutually exclusive, "
                "or pass exclusive=False to take the first true one."
            )
        chosen = true_ones[0] if true_ones else None
    else:
        chosen = next((i for i in range(len(pairs)) if truth(i)), None)
    if chosen is not None:
        fn = pairs[chosen][1]
    elif default is not None:
        fn = default
    else:
        raise InvalidArgumentError(
            f"tf.case: none of the {len(pairs)} predicates is true and no default was given "
            "(without a default, the last pair must be true when the others are not). Pass "
            "default=... to handle this case."
        )
    return _to_tensors(_unpack_singleton(fn(), strict))


def switch_case(
    branch_index: Any,
    branch_fns: Any,
    default: Callable[[], Any] | None = None,
    name: str = "switch_case",
) -> Any:
    """Runs `branch_fns[branch_index]()`: an integer-indexed conditional (a C switch).

    An index outside `0 .. len(branch_fns) - 1` runs `default`, or the last branch when there
    is no `default`.

    Args:
        branch_index: a Python int or an integer scalar tensor.
        branch_fns: a list of callables, a list of `(int, callable)` pairs, or a dict
            `{int: callable}`; the keys must be `0 .. n - 1`.
        default: optional callable for out-of-range indices.
        name: unused, accepted for TensorFlow compatibility.

    Returns:
        What the selected callable returns.

    Raises:
        TypeError: `branch_fns` holds something other than callables, or `branch_index`
            is not an integer.
        ValueError: the keys are not `0 .. n - 1`, or `branch_fns` is empty.

    Example:
    >>> tf.switch_case(tf.constant(1), [lambda: tf.constant(17), lambda: tf.constant(31)])
    tensor(31, dtype=torch.int32)
    """
    del name
    if isinstance(branch_fns, collections.abc.Mapping):
        items = list(branch_fns.items())
    elif isinstance(branch_fns, (list, tuple)):
        items = [
            item if isinstance(item, (list, tuple)) else (i, item)
            for i, item in enumerate(branch_fns)
        ]
    else:
        raise TypeError(
            "tf.switch_case: branch_fns must be a list of callables, a list of (int, callable) "
            f"pairs or a dict {{int: callable}}, but got {type(branch_fns).__name__}."
        )
    if not items:
        raise ValueError("tf.switch_case: branch_fns is empty; pass at least one callable.")
    fns: dict[int, Callable] = {}
    for item in items:
        if len(item) != 2 or not isinstance(item[0], (int, np.integer)) or not callable(item[1]):
            raise TypeError(
                f"tf.switch_case: each branch must be a callable (or an (int, callable) pair), "
                f"but got {item!r}."
            )
        fns[int(item[0])] = item[1]
    if sorted(fns) != list(builtins.range(len(fns))):
        raise ValueError(
            f"tf.switch_case: the branch keys must be 0 .. {len(fns) - 1} without gaps, but got "
            f"{sorted(fns)}."
        )
    if default is not None:
        _check_callable(default, "default", "tf.switch_case")
    if isinstance(branch_index, (builtins.bool, float, np.floating)):
        raise TypeError(
            f"tf.switch_case: branch_index must be an integer, but got {branch_index!r}."
        )
    if isinstance(branch_index, (int, np.integer)):
        index = int(branch_index)
    else:
        tensor = (
            branch_index
            if isinstance(branch_index, torch.Tensor)
            else convert_to_tensor(branch_index)
        )
        if tensor.dtype.is_floating_point or tensor.dtype.is_complex or tensor.dtype == torch.bool:
            raise TypeError(
                f"tf.switch_case: branch_index must be an integer tensor, but got dtype "
                f"{tensor.dtype}. Cast it with tf.cast(index, tf.int32)."
            )
        if tensor.numel() != 1:
            raise ValueError(
                f"tf.switch_case: branch_index must be a scalar, but got shape "
                f"{tuple(tensor.shape)}."
            )
        if is_fake(tensor):
            _read_bool(tensor, "tf.switch_case")  # raises the traced-code error
        index = int(tensor)
    fn = fns.get(index)
    if fn is None:
        fn = default if default is not None else fns[len(fns) - 1]
    return _to_tensors(fn())


# ---------------------------------------------------------------- while_loop


def while_loop(
    cond: Callable[..., Any],
    body: Callable[..., Any],
    loop_vars: Any,
    shape_invariants: Any = None,
    parallel_iterations: int = 10,
    back_prop: builtins.bool = True,
    swap_memory: builtins.bool = False,
    maximum_iterations: Any = None,
    name: str | None = None,
) -> Any:
    """Repeats `loop_vars = body(*loop_vars)` while `cond(*loop_vars)` is true.

    Runs as a Python loop over torch ops, so gradients flow through every iteration.
    `shape_invariants`, `parallel_iterations` and `swap_memory` are accepted for
    compatibility; as in TensorFlow eager, loop variables may change shape.

    Args:
        cond: callable taking the loop variables (unpacked), returning a scalar boolean.
        body: callable taking the loop variables (unpacked), returning new values with the
            same structure (a single value is accepted for a single loop variable).
        loop_vars: a (nested) tuple, namedtuple or list of tensors (a single tensor is
            accepted too).
        shape_invariants: unused.
        parallel_iterations: unused.
        back_prop: when False, the loop runs without recording gradients.
        swap_memory: unused.
        maximum_iterations: optional maximum number of iterations.
        name: unused, accepted for TensorFlow compatibility.

    Returns:
        The final loop variables, in the structure of `loop_vars` (a one-element list stays a
        one-element list, as in TensorFlow 2).

    Raises:
        TypeError: `cond` or `body` is not callable.
        ValueError: `body` returned a structure different from `loop_vars`, or the
            condition is not a scalar.

    Example:
    >>> i, total = tf.constant(0), tf.constant(0)
    >>> tf.while_loop(lambda i, t: i < 4, lambda i, t: (i + 1, t + i), (i, total))
    (tensor(4, dtype=torch.int32), tensor(6, dtype=torch.int32))
    """
    del shape_invariants, parallel_iterations, swap_memory, name
    if not callable(cond):
        raise TypeError(f"tf.while_loop: cond must be callable, but got {cond!r}.")
    if not callable(body):
        raise TypeError(f"tf.while_loop: body must be callable, but got {body!r}.")
    single = not isinstance(loop_vars, (list, tuple))
    structure = _to_tensors([loop_vars] if single else loop_vars)
    if isinstance(structure, (list, tuple)) and not structure:
        raise ValueError("tf.while_loop: loop_vars is empty; pass at least one loop variable.")
    limit = None if maximum_iterations is None else int(maximum_iterations)
    with torch.set_grad_enabled(back_prop and torch.is_grad_enabled()):
        count = 0
        while limit is None or count < limit:
            if not _loop_truth(cond(*structure)):
                break
            result = body(*structure)
            if len(structure) == 1 and not isinstance(result, (list, tuple)):
                result = [result]
            if not _same_nesting(structure, result):
                raise ValueError(
                    "tf.while_loop: body must return the same structure as loop_vars, but "
                    f"loop_vars is {_describe(structure)} and body returned {_describe(result)}. "
                    "Return one value per loop variable, nested the same way."
                )
            structure = nest.pack_sequence_as(
                structure, [_to_tensor(v) for v in nest.flatten(result)]
            )
            count += 1
    return structure[0] if single else structure


def _loop_truth(value) -> builtins.bool:
    if isinstance(value, torch.Tensor):
        if value.numel() != 1:
            raise ValueError(
                f"tf.while_loop: cond must return a scalar boolean, but returned a tensor of "
                f"shape {tuple(value.shape)}. Reduce it with tf.reduce_all / tf.reduce_any."
            )
        return _read_bool(value, "tf.while_loop")
    return builtins.bool(value)


# ---------------------------------------------------------------- map_fn / vectorized_map


def _flat_elems(elems, op: str) -> tuple[Any, list[torch.Tensor], int]:
    """Converts `elems`' atoms to tensors; returns (structure, flat tensors, leading size)."""
    flat = [e if isinstance(e, torch.Tensor) else convert_to_tensor(e) for e in nest.flatten(elems)]
    if not flat:
        raise ValueError(f"{op}: elems is empty; pass a tensor or a structure of tensors.")
    for i, t in enumerate(flat):
        if t.ndim == 0:
            hint = (
                " elems is a Python list/tuple, which is a structure of separate scalars; pass "
                "np.array(...) or tf.constant(...) to map over its items."
                if nest.is_nested(elems)
                else ""
            )
            raise ValueError(
                f"{op}: elems must have a leading dimension to unstack, but its tensor #{i} is "
                f"a scalar.{hint}"
            )
    sizes = [t.shape[0] for t in flat]
    if any(s != sizes[0] for s in sizes):
        raise ValueError(
            f"{op}: all tensors in elems must have the same size along axis 0, but got sizes "
            f"{sizes} (shapes {[tuple(t.shape) for t in flat]})."
        )
    return elems, flat, int(sizes[0])


def _signature_leaf(spec) -> tuple[torch.dtype | None, tuple | None]:
    """(dtype, shape) of one `fn_output_signature` leaf: a dtype or a `tf.TensorSpec`."""
    if hasattr(spec, "dtype") and hasattr(spec, "shape"):
        shape = spec.shape
        dims = shape.as_list() if hasattr(shape, "as_list") else list(shape)
        if dims is not None:
            # Unknown dimensions of an empty result are 0.
            dims = tuple(0 if d is None else int(d) for d in dims)
        return as_dtype(spec.dtype), dims
    return as_dtype(spec), None


def _stack(per_step: list[list], what: str) -> list[torch.Tensor]:
    out = []
    for j, column in enumerate(zip(*per_step)):
        if not isinstance(column[0], torch.Tensor):  # strings (fn returned tf.string)
            from tork.ops import _string_ops

            out.append(_string_ops.stack(list(column), 0))
            continue
        try:
            out.append(torch.stack(column))
        except RuntimeError:
            shapes = sorted({tuple(c.shape) for c in column})
            if len(shapes) > 1:
                raise ValueError(
                    f"{what}: fn must return the same shape for every element, but output #{j} "
                    f"has shapes {shapes}. Pad the outputs to one shape."
                ) from None
            raise
    return out


def map_fn(
    fn: Callable[[Any], Any],
    elems: Any,
    dtype: Any = None,
    parallel_iterations: int | None = None,
    back_prop: builtins.bool = True,
    swap_memory: builtins.bool = False,
    infer_shape: builtins.bool = True,
    name: str | None = None,
    fn_output_signature: Any = None,
) -> Any:
    """Applies `fn` to each element of `elems` (unstacked along axis 0) and stacks the results.

    Args:
        fn: callable taking one element (with the structure of `elems`), returning a tensor or
            a structure of tensors, the same shapes for every element.
        elems: a tensor or a (nested) structure of tensors with the same leading size.
        dtype: deprecated alias of `fn_output_signature`.
        parallel_iterations: unused.
        back_prop: when False, runs without recording gradients.
        swap_memory: unused.
        infer_shape: unused (outputs must have one shape).
        name: unused, accepted for TensorFlow compatibility.
        fn_output_signature: the output's dtype / `tf.TensorSpec` (or a structure of them)
            when it differs from `elems`; used for dtype checks and for empty `elems`.

    Returns:
        The stacked outputs, in `fn`'s output structure.

    Raises:
        ValueError: the tensors of `elems` differ in leading size or are scalars, or `fn`
            returns different structures or shapes for different elements.
        TypeError: `fn`'s output dtype differs from `fn_output_signature`.

    Example:
    >>> tf.map_fn(lambda x: x * x, tf.constant([1.0, 2.0, 3.0]))
    tensor([1., 4., 9.])
    """
    del parallel_iterations, swap_memory, infer_shape, name
    if not callable(fn):
        raise TypeError(f"tf.map_fn: fn must be callable, but got {fn!r}.")
    signature = fn_output_signature if fn_output_signature is not None else dtype
    return _map(fn, elems, signature, back_prop, like_elems=True)


def _map(fn, elems, signature, back_prop, like_elems: builtins.bool) -> Any:
    """`tf.map_fn`'s loop. `like_elems`: without a signature, fn's output must have the
    structure and dtypes of `elems` (TensorFlow's rule); vectorized_map's fallback lets
    fn return anything, as TensorFlow's vectorized_map does."""
    ragged = _map_ragged(fn, elems, signature, back_prop)
    if ragged is not None:
        return ragged
    structure, flat, n = _flat_elems(elems, "tf.map_fn")
    if n == 0:
        return _empty_map_output(structure, flat, signature)
    # String tensors have no unbind: their elements are taken one by one.
    columns = [
        t.unbind(0) if isinstance(t, torch.Tensor) else [t[i] for i in builtins.range(n)]
        for t in flat
    ]
    out_structure = None
    per_step: list[list] = []
    with torch.set_grad_enabled(back_prop and torch.is_grad_enabled()):
        for i in builtins.range(n):
            element = nest.pack_sequence_as(structure, [c[i] for c in columns])
            result = fn(element)
            if out_structure is None:
                out_structure = result
                if signature is not None and not _same_nesting(signature, result):
                    raise ValueError(
                        f"tf.map_fn: fn returned {_describe(result)}, which does not match the "
                        f"structure of fn_output_signature {signature!r}."
                    )
            elif not _same_nesting(out_structure, result):
                raise ValueError(
                    f"tf.map_fn: fn must return the same structure for every element, but "
                    f"returned {_describe(out_structure)} for element 0 and {_describe(result)} "
                    f"for element {i}."
                )
            if signature is None and like_elems:
                per_step.append(_outputs_like_elems(result, structure, flat, i))
            else:
                per_step.append(_map_outputs(result, signature))
        stacked = _stack(per_step, "tf.map_fn")
    return nest.pack_sequence_as(out_structure, stacked)


def _map_ragged(fn, elems, signature, back_prop):
    """`tf.map_fn` over RaggedTensor elems, or with a `tf.RaggedTensorSpec` output signature;
    None when neither applies (the dense path handles it).

    Ragged elems hand `fn` one row at a time; the output is ragged (rows of different lengths
    stack into a RaggedTensor) unless `fn_output_signature` names a dense dtype/TensorSpec.
    """
    from tork._backend import ragged_tensor as rt_lib

    leaves = nest.flatten(elems)
    has_ragged = any(isinstance(x, rt_lib.RaggedTensor) for x in leaves)
    ragged_out = isinstance(signature, rt_lib.RaggedTensorSpec) or (
        signature is None and isinstance(elems, rt_lib.RaggedTensor)
    )
    if not has_ragged and not ragged_out:
        return None
    leaves = [
        x if isinstance(x, (torch.Tensor, rt_lib.RaggedTensor)) else convert_to_tensor(x)
        for x in leaves
    ]
    sizes = [
        x.nrows_int() if isinstance(x, rt_lib.RaggedTensor) else int(x.shape[0]) for x in leaves
    ]
    if any(size != sizes[0] for size in sizes):
        raise ValueError(
            f"tf.map_fn: all tensors in elems must have the same size along axis 0, but got "
            f"sizes {sizes}."
        )
    results = []
    with torch.set_grad_enabled(back_prop and torch.is_grad_enabled()):
        for i in builtins.range(sizes[0]):
            results.append(fn(nest.pack_sequence_as(elems, [x[i] for x in leaves])))
    if not ragged_out:
        stacked = _stack([_map_outputs(r, signature) for r in results], "tf.map_fn")
        # fn's structure (a tuple of outputs stays a tuple), one stacked tensor per leaf.
        return nest.pack_sequence_as(results[0], stacked) if results else stacked[0]
    rows = [r if isinstance(r, rt_lib.RaggedTensor) else convert_to_tensor(r) for r in results]
    if not rows:  # nothing to stack: an empty RaggedTensor like elems
        return (
            elems
            if isinstance(elems, rt_lib.RaggedTensor)
            else rt_lib.RaggedTensor.from_row_lengths([], [])
        )
    if all(isinstance(r, rt_lib.RaggedTensor) for r in rows):
        return rt_lib.stack(rows, axis=0)
    if any(isinstance(r, rt_lib.RaggedTensor) or r.ndim == 0 for r in rows):
        raise ValueError(
            "tf.map_fn: with a ragged output, fn must return a tensor of rank 1 or more (a row) "
            "for every element."
        )
    lengths = torch.tensor([int(r.shape[0]) for r in rows], dtype=torch.int64)
    return rt_lib.RaggedTensor.from_row_lengths(rt_lib._concat_values(rows), lengths)


def _map_outputs(result, signature) -> list[torch.Tensor]:
    values = nest.flatten(result)
    specs = nest.flatten(signature) if signature is not None else [None] * len(values)
    out = []
    for value, spec in zip(values, specs):
        want = _signature_leaf(spec)[0] if spec is not None else None
        if not isinstance(value, torch.Tensor):
            value = (
                convert_to_tensor(value, dtype_hint=want)
                if want is not None
                else (convert_to_tensor(value))
            )
        elif want is not None and value.dtype != want:
            raise TypeError(
                f"tf.map_fn: fn returned a {value.dtype} tensor where fn_output_signature says "
                f"{want}. Cast inside fn, or fix fn_output_signature."
            )
        out.append(value)
    return out


def _outputs_like_elems(result, structure, flat: list, step: int) -> list:
    """fn's outputs when `tf.map_fn` has no fn_output_signature: TensorFlow then takes the
    signature from `elems`, so the structure and each dtype must match (Python and NumPy
    numbers are converted, as TensorFlow does)."""
    if not _same_nesting(structure, result):
        raise ValueError(
            f"tf.map_fn: fn returned {_describe(result)} for element {step}, but without "
            f"fn_output_signature its output must have the structure of elems "
            f"({_describe(structure)}). Pass fn_output_signature=... describing fn's output "
            "(a dtype, a tf.TensorSpec, or a structure of them)."
        )
    out = []
    for value, elem in zip(nest.flatten(result), flat):
        want = elem.dtype if isinstance(elem, torch.Tensor) else as_dtype("string")
        if not isinstance(value, torch.Tensor):
            raw = value
            value = convert_to_tensor(raw)
            if isinstance(value, torch.Tensor) and isinstance(want, torch.dtype):
                same_kind = value.is_floating_point() == want.is_floating_point
                python_int = isinstance(raw, int) and not isinstance(raw, builtins.bool)
                if (same_kind and value.dtype != torch.bool and want != torch.bool) or (
                    python_int and want.is_floating_point
                ):
                    value = value.to(want)
        got = value.dtype if isinstance(value, torch.Tensor) else getattr(value, "dtype", None)
        if got != want:
            raise InvalidArgumentError(
                f"tf.map_fn: fn returned dtype {_dtype_label(got)} for an element of elems of "
                f"dtype {_dtype_label(want)}. Without fn_output_signature, fn's output must "
                "have the dtype of elems (as in TensorFlow): pass "
                f"fn_output_signature=tf.{_dtype_label(got)}, or cast inside fn."
            )
        out.append(value)
    return out


def _dtype_label(dtype) -> str:
    return (
        dtype_name(dtype) if isinstance(dtype, torch.dtype) else str(getattr(dtype, "name", dtype))
    )


def _empty_map_output(structure, flat: list[torch.Tensor], signature):
    device = flat[0].device
    if signature is None:
        # Without a signature, TensorFlow assumes fn's output looks like its input.
        return nest.pack_sequence_as(structure, [t[:0] for t in flat])
    specs = nest.flatten(signature)
    out = []
    for k, spec in enumerate(specs):
        dtype, dims = _signature_leaf(spec)
        if dims is None:
            dims = tuple(flat[k].shape[1:]) if len(specs) == len(flat) else ()
        out.append(torch.zeros((0, *dims), dtype=dtype or flat[0].dtype, device=device))
    return nest.pack_sequence_as(signature, out)


def _gradient_inside(error: Exception) -> bool:
    """Whether vmap failed on gradients taken inside `fn` (per-example gradients).

    TensorFlow vectorizes a GradientTape inside `fn`; torch.vmap cannot (the tape's gradient
    comes back None, or autograd refuses): the element-by-element run gives the same
    result, so it is taken without a warning about `fn`.
    """
    text = str(error)
    return "autograd" in text or "got type <class 'NoneType'>" in text


def vectorized_map(
    fn: Callable[[Any], Any],
    elems: Any,
    fallback_to_while_loop: builtins.bool = True,
    warn: builtins.bool = True,
) -> Any:
    """Like `tf.map_fn`, but vectorized: runs `fn` once on the whole batch with `torch.vmap`.

    When `fn` cannot be vectorized (data-dependent Python control flow, `.item()`, ops
    without a batching rule), falls back to the `tf.map_fn` loop, with the same results.

    Args:
        fn: callable taking one element (with the structure of `elems`), returning a tensor or
            a structure of tensors.
        elems: a tensor or a (nested) structure of tensors with the same leading size.
        fallback_to_while_loop: fall back to a loop when vectorizing fails; when False, the
            vectorization error is raised.
        warn: warn when falling back.

    Returns:
        The outputs for all elements, stacked along axis 0.

    Raises:
        ValueError: the tensors of `elems` differ in leading size, or vectorizing failed and
            `fallback_to_while_loop` is False.

    Example:
    >>> tf.vectorized_map(lambda x: tf.reduce_sum(x * x), tf.ones((3, 2)))
    tensor([2., 2., 2.])
    """
    if not callable(fn):
        raise TypeError(f"tf.vectorized_map: fn must be callable, but got {fn!r}.")
    structure, flat, n = _flat_elems(elems, "tf.vectorized_map")
    if n == 0:
        return _map(fn, nest.pack_sequence_as(structure, flat), None, True, like_elems=False)
    batched = nest.pack_sequence_as(structure, flat)
    try:
        return torch.func.vmap(fn, randomness="different")(batched)
    except Exception as error:
        if not fallback_to_while_loop:
            raise ValueError(
                f"tf.vectorized_map: fn could not be vectorized with torch.vmap "
                f"({type(error).__name__}: {error}). Pass fallback_to_while_loop=True to run it "
                "element by element instead."
            ) from error
        if warn and not _gradient_inside(error):
            warnings.warn(
                f"tf.vectorized_map: fn could not be vectorized ({type(error).__name__}: "
                f"{_first_line(error)}); running it element by "
                "element with tf.map_fn instead.",
                stacklevel=2,
            )
    return _map(fn, batched, None, True, like_elems=False)


# ---------------------------------------------------------------- scan / foldl / foldr


def _fold_setup(elems, initializer, reverse: builtins.bool, op: str):
    """Returns (structure, per-element columns, order of indices, initial accumulator)."""
    structure, flat, n = _flat_elems(elems, op)
    columns = [t.unbind(0) for t in flat]
    order = list(builtins.range(n - 1, -1, -1) if reverse else builtins.range(n))
    if initializer is None:
        if n == 0:
            raise ValueError(
                f"{op}: elems is empty (size 0 along axis 0) and there is no initializer, so "
                "there is no first element to start from. Pass initializer=..."
            )
        first = order.pop(0)
        initial = nest.pack_sequence_as(structure, [c[first] for c in columns])
        return structure, columns, order, initial, first
    return structure, columns, order, _to_tensors(initializer), None


def scan(
    fn: Callable[[Any, Any], Any],
    elems: Any,
    initializer: Any = None,
    parallel_iterations: int = 10,
    back_prop: builtins.bool = True,
    swap_memory: builtins.bool = False,
    infer_shape: builtins.bool = True,
    reverse: builtins.bool = False,
    name: str | None = None,
) -> Any:
    """Cumulative `fn` over the elements of `elems` (unstacked along axis 0), all results kept.

    `a = fn(a, x)` for each element `x`; the outputs are every `a`, stacked along axis 0 in
    the order of `elems`. Without `initializer`, the first element is the first accumulator
    (and the first output).

    Args:
        fn: callable `fn(accumulator, element)` returning the new accumulator.
        elems: a tensor or a (nested) structure of tensors with the same leading size.
        initializer: the initial accumulator (any structure), or None.
        parallel_iterations: unused.
        back_prop: when False, runs without recording gradients.
        swap_memory: unused.
        infer_shape: unused.
        reverse: scan from the last element to the first (outputs keep `elems`' order).
        name: unused, accepted for TensorFlow compatibility.

    Returns:
        The stacked accumulators, in the accumulator's structure.

    Raises:
        ValueError: `elems` is empty without an initializer, or its tensors differ in
            leading size, or `fn` returns a structure other than the accumulator's.

    Example:
    >>> tf.scan(lambda a, x: a + x, tf.constant([1, 2, 3, 4]))
    tensor([ 1,  3,  6, 10], dtype=torch.int32)
    """
    del parallel_iterations, swap_memory, infer_shape, name
    structure, columns, order, acc, first = _fold_setup(elems, initializer, reverse, "tf.scan")
    n = len(order) + (first is not None)
    outputs: list = [None] * n
    if first is not None:
        outputs[first] = [_to_tensor(v) for v in nest.flatten(acc)]
    elif not order:
        return nest.map_structure(lambda t: t.unsqueeze(0)[:0], acc)
    with torch.set_grad_enabled(back_prop and torch.is_grad_enabled()):
        for i in order:
            element = nest.pack_sequence_as(structure, [c[i] for c in columns])
            acc = _fold_step(fn, acc, element, "tf.scan")
            outputs[i] = nest.flatten(acc)
        stacked = _stack(outputs, "tf.scan")
    return nest.pack_sequence_as(acc, stacked)


def _fold_step(fn, acc, element, op: str):
    result = fn(acc, element)
    if not _same_nesting(acc, result):
        raise ValueError(
            f"{op}: fn must return the structure of its accumulator, {_describe(acc)}, but "
            f"returned {_describe(result)}."
        )
    return _to_tensors(result)


def _fold(fn, elems, initializer, back_prop, reverse: builtins.bool, op: str):
    if not callable(fn):
        raise TypeError(f"{op}: fn must be callable, but got {fn!r}.")
    structure, columns, order, acc, _ = _fold_setup(elems, initializer, reverse, op)
    with torch.set_grad_enabled(back_prop and torch.is_grad_enabled()):
        for i in order:
            element = nest.pack_sequence_as(structure, [c[i] for c in columns])
            acc = _fold_step(fn, acc, element, op)
    return acc


def foldl(
    fn: Callable[[Any, Any], Any],
    elems: Any,
    initializer: Any = None,
    parallel_iterations: int = 10,
    back_prop: builtins.bool = True,
    swap_memory: builtins.bool = False,
    name: str | None = None,
) -> Any:
    """Folds `fn` over the elements of `elems` from first to last: `a = fn(a, x)`.

    Args:
        fn: callable `fn(accumulator, element)` returning the new accumulator.
        elems: a tensor or a (nested) structure of tensors with the same leading size.
        initializer: the initial accumulator; without it, the first element.
        parallel_iterations: unused.
        back_prop: when False, runs without recording gradients.
        swap_memory: unused.
        name: unused, accepted for TensorFlow compatibility.

    Returns:
        The final accumulator.

    Raises:
        ValueError: `elems` is empty without an initializer.

    Example:
    >>> tf.foldl(lambda a, x: a - x, tf.constant([1, 2, 3]))
    tensor(-4, dtype=torch.int32)
    """
    del parallel_iterations, swap_memory, name
    return _fold(fn, elems, initializer, back_prop, False, "tf.foldl")


def foldr(
    fn: Callable[[Any, Any], Any],
    elems: Any,
    initializer: Any = None,
    parallel_iterations: int = 10,
    back_prop: builtins.bool = True,
    swap_memory: builtins.bool = False,
    name: str | None = None,
) -> Any:
    """Folds `fn` over the elements of `elems` from last to first: `a = fn(a, x)`.

    Args:
        fn: callable `fn(accumulator, element)` returning the new accumulator.
        elems: a tensor or a (nested) structure of tensors with the same leading size.
        initializer: the initial accumulator; without it, the last element.
        parallel_iterations: unused.
        back_prop: when False, runs without recording gradients.
        swap_memory: unused.
        name: unused, accepted for TensorFlow compatibility.

    Returns:
        The final accumulator.

    Raises:
        ValueError: `elems` is empty without an initializer.

    Example:
    >>> tf.foldr(lambda a, x: a - x, tf.constant([1, 2, 3]))
    tensor(0, dtype=torch.int32)
    """
    del parallel_iterations, swap_memory, name
    return _fold(fn, elems, initializer, back_prop, True, "tf.foldr")
