"""`tf.GradientTape` over torch autograd.

torch already records every op whose inputs require grad, so the tape keeps no
record of its own: it decides *which* sources get gradients (TF's watching
rules), and calls `torch.autograd.grad` with the right `retain_graph` /
`create_graph` flags (persistent tapes, nested tapes for higher-order
gradients).

torch records ops on trainable variables even outside a tape. TensorFlow's
tape ignores ops recorded before it began (or before `reset()`): the values they
computed are constants to it. This tape's gradient walks the graph for such ops
and leaves them out (`_tape_backward`, a Python backward pass), but only when
they can be there, so that a training loop pays nothing: after `reset()`, when
ops were recorded while no tape recorded (`_last_switch`), in tapes nested in
such a tape, and in every tape once a program has used such a value
(`_cuts_seen`).

Keras's built-in fit step takes its gradients with torch, without a tape: during its
forward pass (`outer_step`) a tape used in a layer's `call` (a physics-informed du/dx, an
input-gradient penalty) gives differentiable gradients, as a tape nested in TF's fit tape.

Differences from TensorFlow that users may notice:
- A value computed in an *earlier* tape (an RNN state carried across training
  steps without `tf.stop_gradient`), before the program ever used a value from
  before its tape, still carries its gradient into the earlier graph (or raises
  if that tape freed it).
- `stop_recording()` pauses every tape (it is `torch.no_grad()`), not only this one.
- Ops run after the `with` block are recorded too.
- A variable written (`assign`, an optimizer step) between the forward pass and the
  gradient of a lone non-persistent tape raises when the gradient needs its old value.
  Persistent tapes and tapes that record together keep the old values, as TensorFlow
  (see "read snapshots" below).
"""

from __future__ import annotations

import contextlib
import enum
import math
import threading
import warnings
import weakref
from collections.abc import Iterator

import torch

from tork._backend import host_memory
from tork._backend.tensor import _is_compiling, _list_operand
from tork.variables import Variable, _pack_saved, _unpack_saved

__all__ = ["GradientTape", "UnconnectedGradients"]

_REUSE_ERROR = (
    "A non-persistent GradientTape can only be used to compute one set of gradients (or jacobians)"
)

# Called with each list of gradients computed (a recording tf.autodiff.ForwardAccumulator
# keeps their tangents: torch ops it sees itself, but not what _tape_backward computes).
_result_observers: list = []

# Tapes that are currently recording, innermost last. A gradient computed while
# another tape records must itself be differentiable (create_graph=True).
_recording: list[GradientTape] = []

# How many training steps without a tape of their own (Keras's built-in `fit` step, which
# takes its gradients with torch directly) are running their forward pass now. TensorFlow's
# fit records the forward pass on a tape: a gradient taken inside a layer's `call` (a
# physics-informed loss's du/dx) must stay differentiable for the weights' update.
_outer_steps = 0


class _OuterStep:
    """The context of `outer_step` (a class, not a generator: it runs at every fit step)."""

    __slots__ = ()

    def __enter__(self) -> None:
        global _outer_steps
        _outer_steps += 1

    def __exit__(self, *exc) -> None:
        global _outer_steps
        _outer_steps -= 1


_OUTER_STEP = _OuterStep()


def outer_step() -> _OuterStep:
    """Marks a training forward pass whose gradients are taken without a tape (`fit`).

    Tapes used inside it (in a layer's `call`) give differentiable gradients and keep
    their graph, as tapes nested in a recording tape do. Use as `with outer_step(): ...`.
    """
    return _OUTER_STEP


def nested_in_recording() -> bool:
    """Whether a gradient computed now must itself be differentiable (an outer tape or a
    `fit` step records it)."""
    return bool(_recording) or _outer_steps > 0


# id(tensor) -> [tensor, count]: plain tensors / non-trainable variables that
# tapes switched to requires_grad=True, with the number of tapes holding them.
_watch_counts: dict[int, list] = {}


class UnconnectedGradients(str, enum.Enum):
    """What `gradient` returns for a source that the target does not depend on.

    `NONE` gives `None` (the default), `ZERO` gives zeros of the source's shape.
    The string values `'none'` and `'zero'` are accepted wherever the enum is.
    """

    NONE = "none"
    ZERO = "zero"


def _wants_zeros(unconnected_gradients) -> bool:
    if unconnected_gradients is None:
        return False
    value = getattr(unconnected_gradients, "value", unconnected_gradients)
    if value == "none":
        return False
    if value == "zero":
        return True
    raise ValueError(
        f"Unknown value for unconnected_gradients: {unconnected_gradients!r}. "
        "Use 'none' (tf.UnconnectedGradients.NONE) or 'zero' (tf.UnconnectedGradients.ZERO)."
    )


# -- `//` ---------------------------------------------------------------------------


def _install_floordiv_without_gradient() -> None:
    """Makes `x // y` on tensors give no gradient (None), as TensorFlow's floordiv.

    torch records `floor_divide` with a node that raises when a gradient reaches
    it, so any `//` on a float tensor that needs a gradient broke `tape.gradient`
    (and `.backward()`). The result is detached instead, as `tf.math.floordiv`
    does (plain tensors only: a symbolic KerasTensor result stays one op layer). Calling `torch.floor_divide` directly (which handles `__torch_function__`
    itself) is also a little cheaper than torch's own operator wrapper.
    """
    original = torch.Tensor.__floordiv__
    if getattr(original, "_tork_no_gradient", False):
        return
    floor_divide = torch.floor_divide

    def __floordiv__(self, other):
        try:
            out = floor_divide(self, other)
        except TypeError:
            return NotImplemented  # as torch: lets Python try the other operand
        return out.detach() if out.requires_grad and type(out) is torch.Tensor else out

    def __rfloordiv__(self, other):
        if isinstance(other, (list, tuple)):
            # `[4., 9.] // t`: TensorFlow converts the list, as for `+ - * / ** %`.
            other = _list_operand(self, other)
            if other is NotImplemented:
                return NotImplemented
        try:
            out = floor_divide(other, self)
        except TypeError:
            return NotImplemented
        return out.detach() if out.requires_grad and type(out) is torch.Tensor else out

    for name, method in (("__floordiv__", __floordiv__), ("__rfloordiv__", __rfloordiv__)):
        method.__name__ = name
        method.__qualname__ = f"Tensor.{name}"
        method.__doc__ = getattr(torch.Tensor, name).__doc__
        method._tork_no_gradient = True
        setattr(torch.Tensor, name, method)


_install_floordiv_without_gradient()


# -- nests ------------------------------------------------------------------------


def _flatten(structure) -> list:
    """Leaves of a nest of lists, tuples and dicts (dict keys sorted, as tf.nest)."""
    out: list = []

    def visit(s):
        if isinstance(s, (list, tuple)):
            for item in s:
                visit(item)
        elif isinstance(s, dict):
            for key in _sorted_keys(s):
                visit(s[key])
        else:
            out.append(s)

    visit(structure)
    return out


def _has_none(structure) -> bool:
    """Whether a nest of lists, tuples and dicts (or the value itself) holds a None leaf."""
    if structure is None:
        return True
    if isinstance(structure, (list, tuple)):
        return any(_has_none(item) for item in structure)
    if isinstance(structure, dict):
        return any(_has_none(item) for item in structure.values())
    return False


def _sorted_keys(d: dict) -> list:
    try:
        return sorted(d)
    except TypeError:
        return list(d)


def _pack(structure, leaves: Iterator):
    """Rebuilds `structure` with its leaves taken in order from `leaves`."""
    if isinstance(structure, (list, tuple)):
        items = [_pack(s, leaves) for s in structure]
        if type(structure) is list or type(structure) is tuple:
            return items if type(structure) is list else tuple(items)
        if hasattr(structure, "_fields"):  # namedtuple
            return type(structure)(*items)
        try:
            return type(structure)(items)
        except TypeError:
            return items if isinstance(structure, list) else tuple(items)
    if isinstance(structure, dict):
        packed = {key: _pack(structure[key], leaves) for key in _sorted_keys(structure)}
        pairs = [(key, packed[key]) for key in structure]
        try:
            return type(structure)(pairs)
        except TypeError:
            return dict(pairs)
    return next(leaves)


def _is_flat_tensor_list(sources) -> bool:
    if type(sources) is not list and type(sources) is not tuple:
        return False
    for s in sources:
        if not isinstance(s, torch.Tensor):
            return False
    return True


# -- watching ---------------------------------------------------------------------


def _release_watches(owned: dict) -> None:
    """Switches requires_grad back off on tensors no tape holds any more."""
    while owned:
        _, tensor = owned.popitem()
        entry = _watch_counts.get(id(tensor))
        if entry is None or entry[0] is not tensor:
            continue
        entry[1] -= 1
        if entry[1] == 0:
            del _watch_counts[id(tensor)]
            # A variable made trainable meanwhile keeps its gradient.
            if tensor.is_leaf and not (isinstance(tensor, Variable) and tensor.trainable):
                tensor.requires_grad_(False)


def _record_accessed_variables(variables) -> None:
    """Tells the recording tapes that `variables` were read (for `watched_variables()`).

    Layers may call this when a tape records (`if tork.tape._recording:`); it is
    optional, since `watched_variables()` also finds the variables in the graph.
    """
    for tape in _recording:
        if tape._watch_accessed:
            accessed = tape._accessed
            for v in variables:
                if isinstance(v, Variable) and v.trainable:
                    accessed.setdefault(id(v), v)


def _graph_variables(roots, since: int = 0) -> list:
    """Trainable tork Variables that the autograd graphs of `roots` reach.

    Ordered by the first op that used each one (autograd sequence numbers grow
    with op creation), which approximates TensorFlow's access order. Ops numbered
    below `since` (recorded before the tape began) are not followed: variables read
    only there were not accessed while the tape recorded.
    """
    first_use: dict[int, tuple[int, Variable]] = {}
    stack = [r for r in roots if r is not None]
    visited = set()
    while stack:
        node = stack.pop()
        if node in visited:
            continue
        visited.add(node)
        if since and node._sequence_nr() < since:
            continue
        for child, _ in node.next_functions:
            if child is None:
                continue
            var = getattr(child, "variable", None)
            if var is not None:
                if isinstance(var, Variable) and var.trainable:
                    seq = node._sequence_nr()
                    known = first_use.get(id(var))
                    if known is None or seq < known[0]:
                        first_use[id(var)] = (seq, var)
            elif child not in visited:
                stack.append(child)
    return [v for _, v in sorted(first_use.values(), key=lambda item: item[0])]


_sequence_number = torch._C._autograd._get_sequence_nr


def _next_op_number() -> int:
    """The number autograd gives the next recorded op (per thread; grows with each op).

    0 (no filtering) inside torch.compile, which cannot trace the call.
    """
    return 0 if _is_compiling() else _sequence_number()


# autograd's node for a leaf tensor (where a variable's gradient arrives).
_LEAF_NODE = type(torch.autograd.graph.get_gradient_edge(torch.ones(1, requires_grad=True)).node)

# The op number when a tape last started or stopped recording (-1: never). A tape
# that begins at another number follows ops recorded while no tape recorded, which
# TensorFlow's tapes never saw: only then is its graph checked for them (and in
# tapes nested in such a tape). Once a graph held such ops, the program reuses
# values from before its tapes: every later tape is checked.
_last_switch = -1
_cuts_seen = False


def _note_switch() -> None:
    global _last_switch
    _last_switch = _next_op_number()


def _graph_needs_cuts(roots, since: int) -> bool:
    """Whether the graph below `roots` holds ops recorded before op number `since`.

    One pass over the graph, stopping at the first such node.
    """
    stack = []
    for root in roots:
        if root is not None:
            if root._sequence_nr() < since:
                return True
            stack.append(root)
    seen = set()
    pop, push, add = stack.pop, stack.append, seen.add
    while stack:
        for child, _ in pop().next_functions:
            if child is None or child in seen:
                continue
            add(child)
            if child._sequence_nr() < since:
                return True
            push(child)
    return False


def _call_node(node, grads: list) -> tuple:
    """Runs one autograd node's backward on `grads` (one per output of its op)."""
    if isinstance(node, torch.autograd.function.BackwardCFunction):
        # Custom torch.autograd.Functions expect zeros, not None (materialize_grads).
        metadata = node._input_metadata
        grads = [
            torch.zeros(m.shape, dtype=m.dtype, device=m.device) if g is None else g
            for g, m in zip(grads, metadata)
        ]
        result = node.apply(*grads)
        if not isinstance(result, (tuple, list)):
            result = (result,)
        # backward returns one gradient per forward argument; next_functions lists the
        # tensor arguments, and the n-th argument that needed a gradient is the n-th
        # tensor argument with a node (the others have None there).
        needed = [g for g, need in zip(result, node.needs_input_grad) if need]
        out: list = [None] * len(node.next_functions)
        live = (k for k, (child, _) in enumerate(node.next_functions) if child is not None)
        for k, g in zip(live, needed):
            out[k] = g
        return tuple(out)
    result = node(*grads)
    # A node with one input gives a tensor, not a 1-tuple.
    return result if isinstance(result, (tuple, list)) else (result,)


def _tape_backward(outputs, grad_outputs, inputs, since: int, create_graph: bool) -> list:
    """`torch.autograd.grad` restricted to the ops this tape recorded.

    Used only when `_graph_needs_cuts`: autograd's engine would run every node on
    a path to an input, including ops recorded before the tape began (or before
    `reset()`). This walks the graph in Python instead, calling the backward of
    each node recorded since op number `since` and never entering the older ones:
    their contribution is dropped, as TensorFlow's tape never saw them. Slower
    than the engine, but only programs that reuse such values take this path.
    """
    get_edge = torch.autograd.graph.get_gradient_edge
    # Where each input's gradient arrives: (node, output index) -> input positions.
    wanted: dict = {}
    for i, s in enumerate(inputs):
        edge = get_edge(s)
        wanted.setdefault((edge.node, edge.output_nr), []).append(i)

    # Nodes to run, with the number of recorded consumers each waits for.
    roots = []
    for o in outputs:
        edge = get_edge(o)
        roots.append((edge.node, edge.output_nr))
    waiting: dict = {}
    runnable = []
    for node, _ in roots:
        if node not in waiting:
            waiting[node] = 0
            runnable.append(node)
    stack = list(runnable)
    while stack:
        node = stack.pop()
        if isinstance(node, _LEAF_NODE) or node._sequence_nr() < since:
            continue  # a source, or not recorded by this tape: never run
        for child, _ in node.next_functions:
            if child is None:
                continue
            if child in waiting:
                waiting[child] += 1
            else:
                waiting[child] = 1
                stack.append(child)

    buffers: dict = {}

    def send(node, index, grad):
        metadata = node._input_metadata[index]
        if grad.shape != metadata.shape:
            grad = grad.sum_to_size(metadata.shape)  # undo broadcasting, as the engine
        if grad.dtype != metadata.dtype:
            grad = grad.to(metadata.dtype)
        slots = buffers.get(node)
        if slots is None:
            slots = buffers[node] = [None] * len(node._input_metadata)
        slots[index] = grad if slots[index] is None else slots[index] + grad

    for (node, index), o, w in zip(roots, outputs, grad_outputs or [None] * len(outputs)):
        send(node, index, torch.ones_like(o) if w is None else w)

    results: list = [None] * len(inputs)
    ready = [node for node in runnable if waiting[node] == 0]
    with torch.set_grad_enabled(create_graph):
        while ready:
            node = ready.pop()
            slots = buffers.pop(node, None)
            if slots is not None:
                for index, grad in enumerate(slots):
                    for i in wanted.get((node, index), ()):
                        results[i] = grad
            if isinstance(node, _LEAF_NODE) or node._sequence_nr() < since:
                continue
            if slots is not None and any(g is not None for g in slots):
                grads_in = _call_node(node, slots)
                for (child, index), grad in zip(node.next_functions, grads_in):
                    if child is not None and grad is not None:
                        send(child, index, grad)
            for child, _ in node.next_functions:
                if child is not None:
                    waiting[child] -= 1
                    if waiting[child] == 0:
                        ready.append(child)
    return _dense_zeros(results)


def _engine_grad(outputs, inputs, grad_outputs, retain_graph: bool, create_graph: bool):
    """`torch.autograd.grad`; a differentiable one runs in this thread.

    On GPUs autograd runs backward in a device thread, whose op numbers are its
    own: the ops that a gradient records for an outer tape would then look as if
    they came before that tape (and be cut). In this thread they are numbered in
    order.
    """
    if create_graph:
        with torch.autograd.set_multithreading_enabled(False):
            return _dense_zeros(
                torch.autograd.grad(
                    outputs,
                    inputs,
                    grad_outputs,
                    retain_graph=retain_graph,
                    create_graph=True,
                    allow_unused=True,
                )
            )
    return _dense_zeros(
        torch.autograd.grad(
            outputs, inputs, grad_outputs, retain_graph=retain_graph, allow_unused=True
        )
    )


def _dense_zeros(grads) -> list:
    """`grads` with torch's lazy ZeroTensors made ordinary zeros.

    The second derivative of `abs`/`sign` (a Hessian through mean absolute error) comes back
    as a ZeroTensor, which `.numpy()` and in-place ops refuse; TensorFlow gives plain zeros.
    """
    return [
        torch.zeros(g.shape, dtype=g.dtype, device=g.device)
        if g is not None and g._is_zerotensor()
        else g
        for g in grads
    ]


# -- read snapshots ---------------------------------------------------------------------
# While a persistent tape records, or several tapes record together (a GAN's generator
# and discriminator tapes, nested tapes), autograd's saved tensors go through
# tork.variables' hooks, so that writes to a variable after the forward pass read it
# (applying one gradient before taking the next) leave that pass's gradients as
# TensorFlow computes them (see `_SavedRead` there). The hooks cost a Python call per
# saved tensor: a lone non-persistent tape, the training loop's, goes without them (a
# write between its forward pass and its one gradient is rare; it raises, see
# `_translate_autograd_error`). Pushed when such a tape starts recording and popped when
# the last tape stops; not inside torch.compile (the traced graph saves its own values),
# where torch turned saved-tensor hooks off (torch.func), nor under hooks the program
# pushed itself.
_push_hooks = torch._C._autograd._push_saved_tensors_default_hooks
_pop_hooks = torch._C._autograd._pop_saved_tensors_default_hooks
_top_hooks = torch._C._autograd._top_saved_tensors_default_hooks
_hooks_enabled = torch._C._autograd._saved_tensors_hooks_is_enabled
# Saved-tensor hooks are per thread: whether this thread's are on.
_snapshots = threading.local()


def _start_snapshots() -> None:
    if _is_compiling() or getattr(_snapshots, "on", False) or not _hooks_enabled():
        return
    if _top_hooks(True) is not None:
        return  # the program's own hooks (torch's save_on_cpu, a checkpoint) keep working
    _push_hooks(_pack_saved, _unpack_saved)
    _snapshots.on = True


def _stop_snapshots() -> None:
    if _is_compiling() or not getattr(_snapshots, "on", False):
        return
    top = _top_hooks(True)
    if top is not None and top[0] is _pack_saved:
        _pop_hooks()
        _snapshots.on = False
    # Otherwise hooks pushed inside the tape are still active above ours: ours stay
    # until a tape stops recording with them on top (they do no harm meanwhile).


def _creation_order(variable) -> int:
    # Plain torch Parameters (no creation number) after tork Variables, in found order.
    return getattr(variable, "_unique_id", 1 << 62)


def _translate_autograd_error(error: RuntimeError) -> RuntimeError | None:
    message = str(error)
    if "modified by an inplace operation" in message:
        return RuntimeError(
            "GradientTape.gradient: a value needed for this gradient was changed in place "
            "after it was used: by Variable.assign/assign_add/assign_sub or an optimizer's "
            "apply_gradients between the forward pass and the gradient of a lone "
            "non-persistent tape, or by an in-place torch op. TensorFlow keeps the old "
            "value; tork keeps the old values of variables only for persistent tapes and "
            "tapes that record together. Create the tape with persistent=True, move the "
            "assign after tape.gradient, or read the variable through tf.identity(v) before "
            "assigning. Original error: "
            f"{message}"
        )
    if "backward through the graph a second time" in message:
        return RuntimeError(
            "GradientTape.gradient: the gradient path goes through ops whose gradient was "
            "already computed by another non-persistent tape, which freed them. In "
            "TensorFlow those ops would not be on this tape. Recompute those values inside "
            "this tape, wrap them in tf.stop_gradient, or make the earlier tape "
            f"persistent=True. Original error: {message}"
        )
    return None


class GradientTape:
    """Records operations for automatic differentiation, as `tf.GradientTape`.

    Built on torch autograd: operations are recorded by torch; the tape decides
    which sources receive gradients. Trainable variables are watched
    automatically; constants (plain tensors) and non-trainable variables need
    `tape.watch(x)` before they are used.

    Args:
        persistent: if True, `gradient`/`jacobian` may be called several times.
            Otherwise the tape can be used once and its graph is freed.
        watch_accessed_variables: if True (default), trainable variables get
            gradients without `watch`. If False only explicitly watched sources do.

    Example:
    >>> x = tf.constant(3.0)
    >>> with tf.GradientTape() as tape:
    ...     tape.watch(x)
    ...     y = x * x
    >>> tape.gradient(y, x).numpy()
    np.float32(6.0)
    """

    __slots__ = (
        "_persistent",
        "_watch_accessed",
        "_used",
        "_is_recording",
        "_in_context",
        "_grad_was_off",
        "_watched",
        "_watched_other",
        "_accessed",
        "_owned",
        "_finalizer",
        "_roots",
        "_siblings",
        "_last_watched_list",
        "_start",
        "_check_cuts",
        "__weakref__",
    )

    def __init__(self, persistent: bool = False, watch_accessed_variables: bool = True):
        self._persistent = bool(persistent)
        self._watch_accessed = bool(watch_accessed_variables)
        self._used = False
        self._is_recording = False
        self._in_context = False
        self._grad_was_off = False
        self._watched: dict[int, torch.Tensor] = {}
        self._watched_other: dict[int, Variable] = {}  # non-float variables watched
        self._accessed: dict[int, Variable] = {}
        self._owned: dict[int, torch.Tensor] = {}
        self._finalizer = None
        self._roots: list = []
        self._siblings: list = []
        self._last_watched_list = None
        # Autograd's next op number when recording began: ops numbered below it were
        # recorded before this tape (TensorFlow's tape never saw them).
        self._start = 0
        # Whether ops recorded before `_start` may be in the graph (see `_last_switch`).
        self._check_cuts = False

    # -- context --------------------------------------------------------------------
    def __enter__(self) -> GradientTape:
        global _last_switch
        if self._is_recording:
            raise ValueError(
                "This GradientTape is already recording; a tape cannot be entered twice "
                "at the same time. Use a new tf.GradientTape() for a nested tape."
            )
        if _recording:
            # Tapes recording together may share a graph: the first gradient must not
            # free buffers the other still needs (e.g. GAN generator/discriminator tapes).
            me = weakref.ref(self)
            for other in _recording:
                other._siblings.append(me)
                self._siblings.append(weakref.ref(other))
        start = _next_op_number()
        self._check_cuts = (
            _cuts_seen
            or start != _last_switch
            or (bool(_recording) and any(t._check_cuts for t in _recording))
        )
        self._push()
        self._in_context = True
        self._start = start
        _last_switch = start
        return self

    def __exit__(self, exc_type, exc_value, traceback) -> None:
        self._in_context = False
        if self._is_recording:
            self._pop()

    def _push(self) -> None:
        self._is_recording = True
        if self._persistent or _recording:
            _start_snapshots()
        _recording.append(self)
        if not torch.is_grad_enabled():
            self._grad_was_off = True
            torch.set_grad_enabled(True)

    def _pop(self) -> None:
        _note_switch()
        self._is_recording = False
        innermost = bool(_recording) and _recording[-1] is self
        if innermost:
            _recording.pop()
        else:
            _recording.remove(self)
        if not _recording:
            _stop_snapshots()
        if self._grad_was_off:
            self._grad_was_off = False
            # Out of order (a used outer tape), inner tapes still need grad mode on.
            if innermost:
                torch.set_grad_enabled(False)

    @contextlib.contextmanager
    def stop_recording(self):
        """Temporarily stops recording operations (a `torch.no_grad()` block).

        Unlike TensorFlow, this pauses recording for every tape, not only this one.

        Example:
        >>> x = tf.Variable(2.0)
        >>> with tf.GradientTape() as tape:
        ...     with tape.stop_recording():
        ...         y = x * 2.0  # not recorded
        >>> tape.gradient(y, x) is None
        True
        """
        if not self._is_recording:
            raise RuntimeError(
                "Cannot stop recording a tape which is not recording. Call "
                "tape.stop_recording() inside the tape's `with` block."
            )
        self._pop()
        try:
            with torch.no_grad():
                yield
        finally:
            self._push()

    def reset(self) -> None:
        """Clears the tape: its watches, and the operations it recorded so far.

        As in TensorFlow, values computed before `reset()` are constants to the
        tape afterwards. Call it inside the `with` block, while the tape records.

        Raises:
            ValueError: if the tape is not recording.

        Example:
        >>> x = tf.Variable(2.0)
        >>> with tf.GradientTape() as tape:
        ...     y = x * x
        ...     tape.reset()
        ...     z = y * x
        >>> tape.gradient(z, x).numpy()  # y is a constant 4.0 here
        np.float32(4.0)
        """
        if not self._is_recording:
            # As TF: outside the `with` block, or after a non-persistent tape was used.
            raise ValueError("Tape is not recording.")
        _release_watches(self._owned)
        self._watched.clear()
        self._watched_other.clear()
        self._accessed.clear()
        self._roots.clear()
        self._used = False
        self._last_watched_list = None
        self._start = _next_op_number()  # as TF, what was recorded before is forgotten
        self._check_cuts = True

    # -- watching -------------------------------------------------------------------
    def watch(self, tensor) -> None:
        """Ensures `tensor` (or every tensor in a nest) is traced by this tape.

        Call it before the ops that use the tensor. A plain tensor becomes a
        gradient-requiring leaf in place until the tape is done with it.

        Args:
            tensor: a tensor, a variable, or a nest (list/tuple/dict) of them.
        """
        if isinstance(tensor, torch.Tensor):
            self._watch_one(tensor)
            return
        for t in _flatten(tensor):
            self._watch_one(t)

    def _watch_one(self, t) -> None:
        if not isinstance(t, torch.Tensor):
            if type(t).__name__ == "StringTensor":
                warnings.warn(
                    "The dtype of the watched tensor must be floating (e.g. tf.float32), got "
                    "tf.string; its gradient will be None.",
                    stacklevel=3,
                )
                return
            raise ValueError(
                f"GradientTape.watch expects tensors or variables, got {type(t).__name__} "
                f"({t!r:.60}). Convert it first with tf.convert_to_tensor."
            )
        if not (t.is_floating_point() or t.is_complex()):
            warnings.warn(
                f"The dtype of the watched tensor must be floating (e.g. tf.float32), got "
                f"{t.dtype}; its gradient will be None.",
                stacklevel=3,
            )
            if isinstance(t, Variable):
                # TF still lists it in watched_variables() (its gradient is None).
                self._watched_other[id(t)] = t
            return
        self._watched[id(t)] = t
        entry = _watch_counts.get(id(t))
        if entry is not None and entry[0] is t:
            if id(t) not in self._owned:
                entry[1] += 1
                self._own(t)
        elif not t.requires_grad:
            try:
                t.requires_grad_(True)
            except RuntimeError as error:
                raise RuntimeError(
                    "GradientTape.watch could not make this tensor differentiable (it was "
                    "probably created under torch.inference_mode()). Create it outside "
                    f"inference mode, or watch a clone. Original error: {error}"
                ) from error
            _watch_counts[id(t)] = [t, 1]
            self._own(t)

    def _own(self, t) -> None:
        self._owned[id(t)] = t
        if self._finalizer is None:
            # Give the tensors back when the tape is garbage collected without
            # computing a gradient (or is persistent).
            self._finalizer = weakref.finalize(self, _release_watches, self._owned)

    def watched_variables(self) -> list:
        """The variables this tape watches (explicitly or by access), in creation order.

        Accessed variables are found in the autograd graph of the targets given
        to `gradient`/`jacobian`. When the returned list is passed as `sources`
        to the next `gradient` call, it is completed in place with the variables
        the target uses, so `tape.gradient(loss, tape.watched_variables())` works.

        Returns:
            A list of `tf.Variable`s.
        """
        found: dict[int, Variable] = {}
        for key, t in self._watched.items():
            if isinstance(t, Variable):
                found[key] = t
        found.update(self._watched_other)
        if self._watch_accessed:
            for key, v in self._accessed.items():
                found.setdefault(key, v)
            for v in _graph_variables(self._roots, self._start):
                found.setdefault(id(v), v)
        # TensorFlow lists them in creation order, whatever order the ops used them in.
        result = sorted(found.values(), key=_creation_order)
        self._last_watched_list = result
        return result

    # -- gradients ------------------------------------------------------------------
    def _begin(self) -> tuple[bool, bool]:
        """Checks reuse; returns (retain_graph, create_graph) for this computation."""
        if self._used:
            raise RuntimeError(_REUSE_ERROR)
        if not self._persistent:
            self._used = True
            if self._is_recording:
                # As TF: a non-persistent tape stops recording when it is used.
                self._pop()
        create_graph = nested_in_recording()
        retain_graph = self._persistent or create_graph
        if not retain_graph and self._siblings:
            for ref in self._siblings:
                other = ref()
                if other is not None and (other._persistent or not other._used):
                    retain_graph = True
                    break
        return retain_graph, create_graph

    def _end(self) -> None:
        if not self._persistent and self._owned:
            _release_watches(self._owned)

    def _select(self, flat_sources) -> tuple[list, list]:
        """Indices and tensors of the sources that can receive a gradient."""
        index: list[int] = []
        inputs: list[torch.Tensor] = []
        watch_all = self._watch_accessed
        watched = self._watched
        for i, s in enumerate(flat_sources):
            if not isinstance(s, torch.Tensor):
                if s is None:
                    continue
                raise ValueError(
                    f"GradientTape sources must be tensors or variables, got "
                    f"{type(s).__name__} ({s!r:.60})."
                )
            if not s.requires_grad:
                continue
            if not watch_all and s.is_leaf and id(s) not in watched:
                continue
            if type(s) is torch.Tensor and self._start:  # variables are leaves: not checked
                grad_fn = s.grad_fn
                if grad_fn is not None and grad_fn._sequence_nr() < self._start:
                    if id(s) not in watched:
                        # A tensor computed before the tape (`x = x + 1` replacing a
                        # variable): TensorFlow's tape never saw it, its gradient is None.
                        continue
            index.append(i)
            inputs.append(s)
        return index, inputs

    def gradient(
        self,
        target,
        sources,
        output_gradients=None,
        unconnected_gradients: str | UnconnectedGradients = UnconnectedGradients.NONE,
    ):
        """Computes the gradient of `target` with respect to `sources`.

        Args:
            target: a tensor or a nest of tensors; non-scalar targets and lists
                of targets are summed (as if weighted by ones).
            sources: a tensor, a variable, or a nest (list/tuple/dict) of them.
            output_gradients: optional weights for the targets, matching
                `target`'s structure (`None` entries mean ones).
            unconnected_gradients: `'none'` gives `None` for sources the target
                does not depend on (or that were not watched); `'zero'` gives zeros.

        Returns:
            Gradients in the structure of `sources` (plain tensors, or `None`).

        Raises:
            RuntimeError: on a second call on a non-persistent tape.

        Example:
        >>> w = tf.Variable([1.0, 2.0])
        >>> with tf.GradientTape() as tape:
        ...     loss = tf.reduce_sum(w * w)
        >>> tape.gradient(loss, [w])[0].numpy()
        array([2., 4.], dtype=float32)
        """
        if target is None:
            raise TypeError(
                "Argument `target` should be a list or nested structure of Tensors, Variables "
                "or CompositeTensors to be differentiated, but received None. (Does the loss "
                "function return its value?)"
            )
        # TF converts every target and source to a tensor first and fails on a None one.
        if (
            sources is None
            or (isinstance(sources, (list, tuple, dict)) and _has_none(sources))
            or (isinstance(target, (list, tuple, dict)) and _has_none(target))
        ):
            kind = "`target`" if _has_none(target) else "`sources`"
            raise TypeError(
                "Cannot convert the argument `type_value`: None to a TensorFlow DType. "
                f"({kind} contains None: pass only tensors and variables.)"
            )
        retain_graph, create_graph = self._begin()
        try:
            zeros = _wants_zeros(unconnected_gradients)
            outputs, grad_outputs = _targets(target, output_gradients)
            if self._watch_accessed:
                self._note_roots(outputs)
                if sources is self._last_watched_list and sources is not None:
                    for v in _graph_variables([o.grad_fn for o in outputs], self._start):
                        if not any(v is s for s in sources):
                            sources.append(v)
                    sources.sort(key=_creation_order)  # our own list: keep TF's order

            single = isinstance(sources, torch.Tensor)
            if single:
                flat = (sources,)
            elif _is_flat_tensor_list(sources):
                flat = sources
            else:
                if not isinstance(sources, (list, tuple, dict)) and hasattr(sources, "__iter__"):
                    sources = list(sources)  # e.g. torch's module.parameters() generator
                flat = _flatten(sources)

            index, inputs = self._select(flat)
            grads: list = [None] * len(flat)
            if outputs and inputs:
                try:
                    if self._check_cuts and self._needs_cuts(outputs):
                        computed = _tape_backward(
                            outputs, grad_outputs, inputs, self._start, create_graph
                        )
                    else:
                        # The backward pass frees the step's activations: keep them for
                        # the next step (see host_memory).
                        with host_memory.retained(release=False):
                            computed = _engine_grad(
                                outputs, inputs, grad_outputs, retain_graph, create_graph
                            )
                except RuntimeError as error:
                    clearer = _translate_autograd_error(error)
                    if clearer is None:
                        raise
                    raise clearer from error
                for i, g in zip(index, computed):
                    grads[i] = g
                for observe in _result_observers:
                    observe(grads)
            if zeros:
                for i, s in enumerate(flat):
                    if grads[i] is None and isinstance(s, torch.Tensor):
                        grads[i] = torch.zeros_like(s, requires_grad=False)

            if single:
                return grads[0]
            if flat is sources:
                return grads if type(sources) is list else tuple(grads)
            return _pack(sources, iter(grads))
        finally:
            self._end()

    def _cut_since(self, outputs) -> int | None:
        return self._start if self._needs_cuts(outputs) else None

    def _needs_cuts(self, outputs) -> bool:
        # Checked only when ops were recorded while no tape recorded (or after
        # reset()): a training loop's tapes follow each other without such ops, and
        # skip the walk over the graph. torch.compile traces the step: no walk either.
        global _cuts_seen
        if not self._check_cuts or _is_compiling():
            return False
        if _graph_needs_cuts([o.grad_fn for o in outputs], self._start):
            _cuts_seen = True
            return True
        return False

    def _check_loop_needs_persistent(self, use_pfor: bool, method: str) -> None:
        from tork.ops.py_function import GRAPH_FUNCTION

        # Only eager TensorFlow refuses: inside a tf.function (a graph) its row loop
        # works on a non-persistent tape, and tork's row loop keeps the graph anyway.
        if not use_pfor and not self._persistent and not GRAPH_FUNCTION.get():
            # TensorFlow's words (with its double space): the row loop reuses the tape.
            raise RuntimeError(
                f"GradientTape must be created with persistent=True to compute the {method} "
                "with eager execution enabled and with  experimental_use_pfor set to False."
            )

    def _note_roots(self, outputs) -> None:
        for o in outputs:
            fn = o.grad_fn
            if fn is not None:
                self._roots.append(fn)

    def jacobian(
        self,
        target,
        sources,
        unconnected_gradients: str | UnconnectedGradients = UnconnectedGradients.NONE,
        parallel_iterations: int | None = None,
        experimental_use_pfor: bool = True,
    ):
        """Computes the jacobian of `target` with respect to each source.

        Args:
            target: a tensor.
            sources: a tensor, a variable, or a nest of them.
            unconnected_gradients: `'none'` or `'zero'`, as in `gradient`.
            parallel_iterations: how many rows of the jacobian to compute per
                vectorized backward pass (default: all, within a memory bound).
            experimental_use_pfor: if True, rows are computed in vectorized
                batches (`torch.vmap` over backward); if False, one at a time
                (the tape must then be persistent, as in TensorFlow).

        Returns:
            For each source, a tensor of shape `target.shape + source.shape`
            (or `None`), in the structure of `sources`.

        Example:
        >>> x = tf.constant([1.0, 2.0])
        >>> with tf.GradientTape() as tape:
        ...     tape.watch(x)
        ...     y = x * x
        >>> tape.jacobian(y, x).numpy()
        array([[2., 0.],
               [0., 4.]], dtype=float32)
        """
        self._check_loop_needs_persistent(experimental_use_pfor, "jacobian")
        _, create_graph = self._begin()
        try:
            zeros = _wants_zeros(unconnected_gradients)
            target = _as_tensor(target)
            if self._watch_accessed:
                self._note_roots([target])
            single = isinstance(sources, torch.Tensor)
            flat = [sources] if single else _flatten(sources)
            index, inputs = self._select(flat)
            results: list = [None] * len(flat)
            if target.requires_grad and inputs:
                n = target.numel()
                rows = _jacobian_rows(
                    target,
                    inputs,
                    lambda start, stop: _one_hot_rows(target, start, stop),
                    n,
                    parallel_iterations,
                    experimental_use_pfor,
                    create_graph,
                    self._cut_since([target]),
                )
                for i, src, rows_i in zip(index, inputs, rows):
                    if rows_i is not None:
                        results[i] = rows_i.reshape(tuple(target.shape) + tuple(src.shape))
            if zeros:
                for i, s in enumerate(flat):
                    if results[i] is None and isinstance(s, torch.Tensor):
                        results[i] = s.new_zeros(tuple(target.shape) + tuple(s.shape))
            return results[0] if single else _pack(sources, iter(results))
        finally:
            self._end()

    def batch_jacobian(
        self,
        target,
        source,
        unconnected_gradients: str | UnconnectedGradients = UnconnectedGradients.NONE,
        parallel_iterations: int | None = None,
        experimental_use_pfor: bool = True,
    ):
        """Computes per-example jacobians, assuming examples are independent.

        Args:
            target: a tensor of shape `(B, ...)`.
            source: a tensor of shape `(B, ...)`.
            unconnected_gradients: `'none'` or `'zero'`, as in `gradient`.
            parallel_iterations: rows per vectorized backward pass.
            experimental_use_pfor: vectorize over rows (True) or loop (False; the
                tape must then be persistent, as in TensorFlow).

        Returns:
            A tensor of shape `(B,) + target.shape[1:] + source.shape[1:]`, where
            entry `[b, i, j]` is `d target[b, i] / d source[b, j]`. As in TensorFlow,
            a target that does not depend on the source gives zeros (never `None`).

        Raises:
            ValueError: if target or source has rank below 2, or their first
                dimensions differ.

        Example:
        >>> x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
        >>> with tf.GradientTape() as tape:
        ...     tape.watch(x)
        ...     y = x * x
        >>> tape.batch_jacobian(y, x).shape
        torch.Size([2, 2, 2])
        """
        self._check_loop_needs_persistent(experimental_use_pfor, "batch_jacobian")
        _, create_graph = self._begin()
        try:
            _wants_zeros(unconnected_gradients)  # validates the value; zeros either way
            target = _as_tensor(target)
            if not isinstance(source, torch.Tensor):
                raise ValueError(
                    f"batch_jacobian expects a single tensor source, got {type(source).__name__}."
                )
            for value in (target, source):
                if value.dim() < 2:
                    # TensorFlow's words; a (B,) target is one value per example: add an
                    # axis, e.g. y[:, None], to get its (B, 1, ...) jacobian.
                    raise ValueError(
                        f"Shape {tuple(value.shape)} must have rank at least 2 (batch_jacobian "
                        "needs target and source of shape (batch, ...); reshape a (batch,) "
                        "tensor to (batch, 1) first)."
                    )
            if target.shape[0] != source.shape[0]:
                raise ValueError(
                    f"Need first dimension of target shape {tuple(target.shape)} and source "
                    f"shape {tuple(source.shape)} to match."
                )
            if self._watch_accessed:
                self._note_roots([target])
            batch = target.shape[0]
            out_shape = (batch,) + tuple(target.shape[1:]) + tuple(source.shape[1:])
            index, inputs = self._select([source])
            result = None
            if target.requires_grad and inputs:
                m = math.prod(target.shape[1:])
                (rows,) = _jacobian_rows(
                    target,
                    inputs,
                    lambda start, stop: _batch_one_hot_rows(target, start, stop),
                    m,
                    parallel_iterations,
                    experimental_use_pfor,
                    create_graph,
                    self._cut_since([target]),
                )
                if rows is not None:
                    # rows: (m, B, *source.shape[1:]) -> (B, m, *source.shape[1:])
                    result = rows.movedim(0, 1).reshape(out_shape)
            if result is None:
                # TensorFlow returns zeros here whatever `unconnected_gradients` says.
                result = source.new_zeros(out_shape)
            return result
        finally:
            self._end()


# -- helpers for targets and jacobians --------------------------------------------------


def _as_tensor(value) -> torch.Tensor:
    if isinstance(value, torch.Tensor):
        return value
    from tork._backend.tensor import convert_to_tensor

    return convert_to_tensor(value)


def _targets(target, output_gradients) -> tuple[list, list | None]:
    """Targets that require grad, with their weights (None: implicit ones)."""
    if isinstance(target, torch.Tensor) and output_gradients is None:
        if not target.requires_grad:
            return [], None
        if target.dim() == 0 and not target.is_complex():
            return [target], None
        # torch creates implicit ones only for real scalars; TF seeds a complex target
        # with ones too (tape.gradient(tf.reduce_sum(z * z), z)).
        return [target], [torch.ones_like(target)]
    targets = _flatten(target)
    if output_gradients is None:
        weights = [None] * len(targets)
    else:
        weights = (
            [output_gradients]
            if isinstance(output_gradients, torch.Tensor)
            else _flatten(output_gradients)
        )
        if len(weights) != len(targets):
            raise ValueError(
                f"output_gradients must match target's structure: got {len(weights)} "
                f"output gradients for {len(targets)} targets."
            )
    outputs, grad_outputs = [], []
    for t, w in zip(targets, weights):
        if t is None:
            continue
        t = _as_tensor(t)
        # A string target (tf.strings.as_string(v)) has no gradient: None, as in TF.
        if not getattr(t, "requires_grad", False):
            continue
        if w is None:
            w = torch.ones_like(t)
        else:
            w = _as_tensor(w).to(dtype=t.dtype, device=t.device)
            if w.shape != t.shape:
                try:
                    w = w.expand(t.shape)
                except RuntimeError:
                    from tork._backend.errors import InvalidArgumentError

                    # TF's InvalidArgumentError (a ValueError in tork, as before).
                    raise InvalidArgumentError(
                        f"output_gradients shape {tuple(w.shape)} does not match target "
                        f"shape {tuple(t.shape)}."
                    ) from None
        outputs.append(t)
        grad_outputs.append(w)
    return outputs, grad_outputs


def _one_hot_rows(target: torch.Tensor, start: int, stop: int) -> torch.Tensor:
    """Rows start..stop of the identity over target's elements, shaped (k, *target.shape)."""
    n = target.numel()
    eye = torch.zeros(stop - start, n, dtype=target.dtype, device=target.device)
    eye[torch.arange(stop - start), torch.arange(start, stop)] = 1
    return eye.reshape((stop - start,) + tuple(target.shape))


def _batch_one_hot_rows(target: torch.Tensor, start: int, stop: int) -> torch.Tensor:
    """One-hot over the per-example element index, same for every example."""
    m = math.prod(target.shape[1:])
    batch = target.shape[0]
    eye = torch.zeros(stop - start, 1, m, dtype=target.dtype, device=target.device)
    eye[torch.arange(stop - start), 0, torch.arange(start, stop)] = 1
    return eye.expand(stop - start, batch, m).reshape((stop - start,) + tuple(target.shape))


# Largest number of elements in one batch of cotangent rows.
_MAX_BATCH_ELEMENTS = 1 << 24


def _jacobian_rows(
    target, inputs, make_rows, n, parallel_iterations, use_pfor, create_graph, cut_since=None
) -> list:
    """Stacks the vector-jacobian products for n cotangent rows; per input (n, ...) or None.

    With `cut_since` (see `_graph_needs_cuts`) rows go one at a time through
    `_tape_backward`.
    """
    if create_graph:
        # In this thread, as `_engine_grad` explains.
        with torch.autograd.set_multithreading_enabled(False):
            return _jacobian_rows_impl(
                target, inputs, make_rows, n, parallel_iterations, use_pfor, True, cut_since
            )
    return _jacobian_rows_impl(
        target, inputs, make_rows, n, parallel_iterations, use_pfor, False, cut_since
    )


def _jacobian_rows_impl(
    target, inputs, make_rows, n, parallel_iterations, use_pfor, create_graph, cut_since
) -> list:
    if cut_since is not None:
        chunk = 1
    elif use_pfor:
        per_row = max(1, target.numel())
        chunk = parallel_iterations or max(1, min(n, _MAX_BATCH_ELEMENTS // per_row))
    else:
        chunk = 1
    pieces: list[list] = [[] for _ in inputs]
    sizes: list[int] = []
    connected = [False] * len(inputs)
    for start in range(0, n, chunk):
        stop = min(n, start + chunk)
        rows = make_rows(start, stop)
        sizes.append(stop - start)
        grads = None
        if stop - start > 1:
            try:
                grads = torch.autograd.grad(
                    [target],
                    inputs,
                    [rows],
                    retain_graph=True,
                    create_graph=create_graph,
                    allow_unused=True,
                    is_grads_batched=True,
                )
            except RuntimeError:
                grads = None  # an op without a vmap rule: fall back to one row at a time
        if grads is None:
            if cut_since is not None:
                per = [
                    _tape_backward([target], [rows[k]], inputs, cut_since, create_graph)
                    for k in range(stop - start)
                ]
            else:
                per = [
                    torch.autograd.grad(
                        [target],
                        inputs,
                        [rows[k]],
                        retain_graph=True,
                        create_graph=create_graph,
                        allow_unused=True,
                    )
                    for k in range(stop - start)
                ]
            grads = []
            for j, src in enumerate(inputs):
                column = [p[j] for p in per]
                if all(g is None for g in column):
                    grads.append(None)
                else:
                    zero = src.new_zeros(src.shape)
                    grads.append(torch.stack([zero if g is None else g for g in column]))
        grads = _dense_zeros(grads)
        for j, g in enumerate(grads):
            if g is not None:
                connected[j] = True
                pieces[j].append(g)
            else:
                pieces[j].append(None)
    out = []
    for j, src in enumerate(inputs):
        if not connected[j]:
            out.append(None)
            continue
        parts = [
            p if p is not None else src.new_zeros((k,) + tuple(src.shape))
            for p, k in zip(pieces[j], sizes)
        ]
        out.append(parts[0] if len(parts) == 1 else torch.cat(parts))
    return out
