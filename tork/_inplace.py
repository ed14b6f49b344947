"""Augmented assignments (`x -= m`) in user code that was written for immutable tensors.

TensorFlow tensors are immutable: `x -= m` makes a new tensor, so Keras code writes it
freely in a layer's `call`, a Lambda function, a loss, a metric or a `Dataset.map`
function. On torch tensors it runs in place: the caller's tensor changes (other layers
reading it see the change, a batch's targets are overwritten, a dataset's stored element
is divided by 255 again every epoch) and autograd refuses the backward pass of the op
that made it. Such functions get private copies of their tensor arguments; whether a
function writes in place is read once from its bytecode, so the others pay nothing.
"""

from __future__ import annotations

import dis
import inspect
import types
import weakref

import torch

from tork._backend.tensor import _is_compiling

_CACHE: dict = {}
# Callable objects (a loss object whose `__call__` delegates to the losses it holds): the
# answer depends on the instance's attributes, so it is kept per instance.
_OBJECT_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

# Modules whose functions are library code, not the user's helpers.
_LIBRARIES = ("tork", "torch", "numpy")

# How many calls deep the scan reads: a plain function's helpers, and a callable object's
# parts (segmentation_models writes `0.5 * (cce + dice) + focal`: four objects deep).
_FUNCTION_DEPTH = 3
_OBJECT_DEPTH = 5

_MISSING = object()


def _unwrap(fn):
    """The Python function behind a tf.function, `functools.partial`, decorator or method."""
    for _ in range(8):
        inner = getattr(fn, "python_function", None) or getattr(fn, "func", None)
        inner = inner or getattr(fn, "__wrapped__", None)
        if inner is None or inner is fn:
            break
        fn = inner
    return getattr(fn, "__func__", fn)


def _names(fn) -> dict:
    """The names `fn`'s code can load: its globals and its closure's variables."""
    names = dict(getattr(fn, "__globals__", None) or {})
    cells = getattr(fn, "__closure__", None) or ()
    for name, cell in zip(fn.__code__.co_freevars, cells):
        try:
            names[name] = cell.cell_contents
        except ValueError:  # a cell not filled yet
            pass
    return names


def _is_library(obj) -> bool:
    """Whether `obj` (a module, function or class) belongs to tork, torch or NumPy."""
    name = obj.__name__ if isinstance(obj, types.ModuleType) else getattr(obj, "__module__", None)
    return isinstance(name, str) and name.startswith(_LIBRARIES)


def _call_method(obj):
    """The Python `__call__` of a callable object's class (inherited too), or None."""
    try:
        call = inspect.getattr_static(type(obj), "__call__")
    except AttributeError:
        return None
    if isinstance(call, types.FunctionType) and not _is_library(call):
        return call
    return None


def _attribute(obj, name: str):
    """`obj.name` as stored, without running properties or `__getattr__`.

    A function found on an instance's class comes back with the instance (a method), so
    the scan reads the method's `self.<name>` loads against that instance.
    """
    try:
        found = inspect.getattr_static(obj, name)
    except (AttributeError, TypeError):
        return _MISSING
    if isinstance(found, (staticmethod, classmethod)):
        return found.__func__
    if isinstance(found, types.FunctionType) and not isinstance(obj, (type, types.ModuleType)):
        if name not in getattr(obj, "__dict__", {}):
            return types.MethodType(found, obj)
    return found


def _value_writes_in_place(value, seen: set, depth: int) -> bool:
    """Whether a function, method or callable object reached by the scan writes in place."""
    if value is _MISSING or value is None or isinstance(value, (type, types.ModuleType)):
        return False
    owner = getattr(value, "__self__", None) if isinstance(value, types.MethodType) else None
    fn = _unwrap(value)
    code = getattr(fn, "__code__", None)
    if code is None:
        fn = _call_method(value)
        if fn is None:
            return False
        code, owner = fn.__code__, value
    elif _is_library(fn):
        return False
    return _code_writes_in_place(code, _names(fn), seen, depth, owner)


def _code_writes_in_place(code: types.CodeType, helpers, seen: set, depth: int, owner=None) -> bool:
    """Whether `code` has an in-place operator; with `helpers` (the function's globals),
    also in the user's functions it calls, `depth` calls deep: by name (`normalize(x)`),
    through a module (`F.categorical_crossentropy(gt, pr)`) or, for a method of `owner`,
    through `self` (`self.l1(gt, pr)`)."""
    key = (code, id(owner))
    if key in seen:
        return False
    seen.add(key)
    follow = helpers is not None and depth > 0
    self_name = code.co_varnames[0] if owner is not None and code.co_argcount else None
    loaded = _MISSING  # the object the last load put on the stack
    for instruction in dis.get_instructions(code):
        name = instruction.opname
        if name.startswith("INPLACE_"):  # Python < 3.11
            return True
        if name == "BINARY_OP" and str(instruction.argrepr).endswith("="):  # 3.11+: `+=`
            return True
        if not follow:
            continue
        if name in ("LOAD_GLOBAL", "LOAD_DEREF"):
            loaded = helpers.get(instruction.argval, _MISSING)
        elif name == "LOAD_FAST" and self_name is not None and instruction.argval == self_name:
            loaded = owner
            continue  # the object itself: its own code is the one being read
        elif name in ("LOAD_ATTR", "LOAD_METHOD") and loaded is not _MISSING:
            if _is_library(loaded) or _is_library(type(loaded)):
                loaded = _MISSING  # `tf.image.resize`, `K.sum`, `self.backend.mean`
                continue
            loaded = _attribute(loaded, instruction.argval)
        else:
            loaded = _MISSING
            continue
        if _value_writes_in_place(loaded, seen, depth - 1):
            return True
    # Nested functions and comprehensions inside.
    return any(
        isinstance(c, types.CodeType) and _code_writes_in_place(c, helpers, seen, depth, owner)
        for c in code.co_consts
    )


def writes_in_place(fn, follow_helpers: bool = False) -> bool:
    """Whether `fn` (a function or method) contains an augmented assignment (`x += y`).

    Args:
        fn: a function, bound method, tf.function, `functools.partial` or callable object.
            A callable object's `__call__` is read with the functions and objects it calls
            through `self` and modules (segmentation_models' `cce_dice_loss` holds two loss
            objects whose functions write `pr /= sum`), whatever `follow_helpers` says.
        follow_helpers: also read the user's own functions that `fn` calls by name, a
            global or a closure variable (a `Dataset.map` function calling
            `normalize(image, mask)`), or through a module, up to three calls deep;
            library functions (tork, torch, NumPy) are not read.

    Returns:
        True when its code (or code nested in it) has an in-place operator.
    """
    owner = getattr(fn, "__self__", None) if isinstance(fn, types.MethodType) else None
    unwrapped = _unwrap(fn)
    code = getattr(unwrapped, "__code__", None)
    if code is None:
        return _object_writes_in_place(fn)
    key = (code, follow_helpers, id(owner) if follow_helpers else None)
    found = _CACHE.get(key) if owner is None or not follow_helpers else None
    if found is None:
        helpers = _names(unwrapped) if follow_helpers else None
        found = _code_writes_in_place(code, helpers, set(), _FUNCTION_DEPTH, owner)
        if owner is None or not follow_helpers:
            _CACHE[key] = found
    return found


# Read from bytecode, constant for a given function: under torch.compile (a jit_compile
# step calling a loss) its answer is taken as a constant rather than traced, which would
# guard on its caches (keys holding code objects, which dynamo cannot write as guards).
# This is what `torch._dynamo.assume_constant_result` sets; importing torch._dynamo here
# would cost every `import tork` about a second.
writes_in_place._dynamo_marked_constant = True


def writes_in_place_once(owner, fn) -> bool:
    """`writes_in_place(fn, follow_helpers=True)`, read once per `owner` and `fn`.

    For the functions a loss or metric wrapper calls at every step: a method's answer
    (`self.mi_loss` calling `self.mask_offset`) depends on its instance, so
    `writes_in_place` reads it again on every call; the wrapper keeps it instead.

    Args:
        owner: the object that holds `fn` (its `__dict__` keeps the answer).
        fn: the user's function, method or callable object.

    Returns:
        True when `fn`, or a helper of the user's it calls, has an in-place operator.
    """
    # A bound method is a new object at every `obj.method`: keyed by function and instance
    # (a metric wrapper asks for its `update_state` and for the function it wraps).
    func, bound = getattr(fn, "__func__", fn), getattr(fn, "__self__", None)
    answers = owner.__dict__.setdefault("_tork_fn_writes", {})
    found = answers.get((id(func), id(bound)))
    if found is None or found[0] is not func or found[1] is not bound:
        found = answers[(id(func), id(bound))] = (
            func,
            bound,
            writes_in_place(fn, follow_helpers=True),
        )
    return found[2]


# Constant for a given owner and function, as `writes_in_place` (see below it).
writes_in_place_once._dynamo_marked_constant = True


def _object_writes_in_place(obj) -> bool:
    """`writes_in_place` for a callable object: its `__call__` and the parts it calls."""
    try:
        found = _OBJECT_CACHE.get(obj)
    except TypeError:  # neither hashable nor weakly referable: read every time
        found = None
    if found is None:
        found = _value_writes_in_place(obj, set(), _OBJECT_DEPTH + 1)
        try:
            _OBJECT_CACHE[obj] = found
        except TypeError:
            pass
    return found


def writable_copies(value):
    """Copies of the tensors in `value` (a tensor or a list, tuple or dict of them).

    The copies keep the tensors' Python attributes (a Keras mask, the logits behind an
    activation), and stay in the autograd graph. They are marked so that augmented
    assignments on them give new tensors (see tork/_backend/augmented.py).
    """
    if isinstance(value, torch.Tensor):
        if isinstance(value, torch.nn.Parameter):
            return value  # a variable: its in-place assign is meant
        copy = value.clone()
        if _is_compiling():
            # A compiled step (jit_compile) has no Python attributes on its tensors: dynamo
            # traces the in-place writes on the clone.
            return copy
        if getattr(value, "__dict__", None):
            copy.__dict__.update(value.__dict__)
        # Augmented assignments on the copy give new tensors (tork/_backend/augmented.py):
        # the copy may be shared by several of the user's functions.
        copy._tork_rebind = True
        return copy
    if isinstance(value, (list, tuple)) and not hasattr(value, "_fields"):
        return type(value)(writable_copies(v) for v in value)
    if isinstance(value, dict):
        return {k: writable_copies(v) for k, v in value.items()}
    return value
