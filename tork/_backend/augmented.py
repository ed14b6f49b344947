"""Augmented assignments (`e -= m`, `loss += w * tv`) with TensorFlow's meaning.

TensorFlow tensors are immutable, so `a -= b` is always `a = a - b`: a new tensor, the old
one unchanged. torch runs it in place, which breaks code written for TensorFlow in two
ways, both fixed here:

- Gradients. Keras layers write `e = K.sigmoid(x); e -= K.max(e, axis=-1, keepdims=True)`
  (keras-self-attention) or `a = K.exp(b); a *= mask`. The op that made `e` saved it for
  its backward pass; writing into it makes the backward pass fail ("one of the variables
  needed for gradient computation has been modified by an inplace operation"). So when the
  left tensor takes part in autograd (it requires grad and grad mode is on), the operator
  returns the new tensor `a op b`, as TensorFlow does.
- Broadcasting. The style-transfer tutorials write `loss += weight *
  tf.image.total_variation(image)`, a scalar plus a `(1,)` tensor: torch refuses to write
  a `(1,)` result into a scalar. When torch refuses because the result does not fit the
  left tensor, the operator returns the new, broadcast tensor.

The private copies tork hands to functions written for TF's immutable tensors
(`tork._inplace.writable_copies`: a loss, metric, Lambda or layer call with `a op= b`) get
new tensors too, outside autograd as well: one copy may reach several of the user's
functions (segmentation_models' `cce_dice_loss` holds two losses that each write `pr /=
sum`), and the second must see the values the first did.

Views. `tf.reshape`, `K.flatten` and slices give torch views of their input, so
`v = K.flatten(var); v *= c` in a Keras layer's `call` (titu1994's SwitchNormalization)
would change `var` too, where TF leaves it. Inside the `call` of a user's Keras layer
(or a Lambda layer's function), an augmented assignment written in the user's code gives
a new tensor, outside autograd as well, so predict, evaluate and no-grad calls compute
what fit does. The rule, by the
code that runs the operator and the nearest call around it:

- code of tork, torch (torchvision...) or NumPy keeps torch's in-place update;
- the user's code (a layer's `call`, its helpers, a function given to `tf.map_fn`) gives
  a new tensor when the nearest enclosing call is a Keras layer's `__call__`, and keeps
  torch's in-place update when it is a torch module's (a `torch.nn.Module.forward`
  mixed into the layer: PyTorch code, with torch's meaning).

Only the calls of user layers and Lambdas pay for the check (one flag, set by
`Layer.__call__`);
then the frames are read. Under torch.compile (jit_compile) the same rule is read from
dynamo's translators while it records the operator (see `_traced_written_for_tf`).

Everything else stays torch's in-place update: tensors outside autograd (PyTorch code
updates buffers and statistics with `+=`, under `torch.no_grad()` or not) and variables
(Parameters), which keep their own rules (see tork.variables). The price is aliasing for
tensors in autograd: after `v = t[:, 0]; v += 1` on such a `t`, `t` is unchanged (as
with TensorFlow, where views do not exist); torch code that writes a slice of a
gradient-tracking tensor writes `t[:, 0] += 1`, which still writes into `t` (Python runs
it as `t[:, 0] = t[:, 0] + 1`, an item assignment).
"""

from __future__ import annotations

import operator
import sys

import torch

from tork._backend.tensor import _is_compiling

_OPERATORS = {
    "__iadd__": operator.add,
    "__isub__": operator.sub,
    "__imul__": operator.mul,
    "__itruediv__": operator.truediv,
    "__ipow__": operator.pow,
    "__ifloordiv__": operator.floordiv,
    "__imod__": operator.mod,
}
# torch has no `@=` (Python already gives `a = a @ b`), and the bitwise operators (`&=`,
# `|=`, `^=`, `<<=`, `>>=`) take integer and bool tensors only, which autograd never
# tracks and which broadcast as torch's do: those stay torch's.
_IN_PLACE = {name: getattr(operator, name.strip("_")) for name in _OPERATORS}

# Whether the innermost Keras layer call running is a user's layer (or a Lambda):
# `Layer.__call__` sets it around `call` (a one-element list, read and written in place by
# both modules).
USER_CALL = [False]

# The calls that end the walk up the frames: a Keras layer's `__call__` (registered by
# tork/keras/layers/layer.py) and torch's module call. Looked up by the code's id (hashing
# a code object hashes its bytecode, every time; these stay alive with their class), else
# by place, for a frame that torch.compile runs with rewritten bytecode (a new code object).
_KERAS, _TORCH = 1, 2
_BOUNDARIES: dict = {}  # id(code) -> _KERAS or _TORCH
_BOUNDARY_PLACES: dict = {}  # (file, first line, name) -> _KERAS or _TORCH
_BOUNDARY_NAMES: set = set()
_KERAS_LAYERS: list = []  # the Keras Layer base class, registered with its `__call__`
# Modules whose code keeps torch's meaning (torch also covers torchvision, torchaudio...).
_LIBRARIES = ("tork.", "torch", "functorch", "triton", "numpy")
# id(code) -> (code, whether it is library code); the code is kept so its id stays its own.
_LIBRARY_CODE: dict = {}


def _add_boundary(code, kind: int) -> None:
    _BOUNDARIES[id(code)] = kind
    _BOUNDARY_PLACES[(code.co_filename, code.co_firstlineno, code.co_name)] = kind
    _BOUNDARY_NAMES.add(code.co_name)


for _method in (torch.nn.Module._call_impl, getattr(torch.nn.Module, "_wrapped_call_impl", None)):
    if hasattr(_method, "__code__"):
        _add_boundary(_method.__code__, _TORCH)
del _method


def register_keras_layer(cls: type) -> None:
    """Marks `cls.__call__` (the Keras `Layer`'s) as the start of a Keras layer call."""
    _add_boundary(cls.__call__.__code__, _KERAS)
    _KERAS_LAYERS.append(cls)


def _boundary(code) -> int:
    """_KERAS or _TORCH when `code` starts a Keras layer's or a torch module's call, else 0."""
    kind = _BOUNDARIES.get(id(code))
    if kind is None:
        kind = _BOUNDARY_PLACES.get((code.co_filename, code.co_firstlineno, code.co_name))
    return kind or 0


def _is_library(code, module) -> bool:
    """Whether `code`, defined in the module named `module`, is tork's, torch's or NumPy's."""
    found = _LIBRARY_CODE.get(id(code))
    if found is not None and found[0] is code:
        return found[1]
    library = isinstance(module, str) and (module == "tork" or module.startswith(_LIBRARIES))
    _LIBRARY_CODE[id(code)] = (code, library)
    return library


def _in_keras_call(frame) -> bool:
    """Whether the nearest call around `frame` is a Keras layer's (not a torch module's)."""
    # This loop runs for every augmented assignment in a user layer's call, a few frames
    # each: a frame pays one name lookup (the names' hashes are cached), unless it is
    # named as a boundary.
    names = _BOUNDARY_NAMES
    while frame is not None:
        code = frame.f_code
        if code.co_name in names:
            kind = _boundary(code)
            if kind:
                return kind == _KERAS
        frame = frame.f_back
    return False  # another thread's code, run while a layer call is on the main thread


def _written_for_tf(tensor, other, name: str) -> bool:
    """Whether the augmented assignment `tensor <name> other` was written as TF code.

    Called inside a user layer's call (eager), or for any tensor subclass (the fake
    tensors torch.compile runs the operator on). The operator's caller is two frames up.
    """
    if type(tensor) is not torch.Tensor:
        # Variables keep their own rules. (`issubclass` first: `isinstance` with
        # Parameter runs a Python `__instancecheck__`, 0.3 us.)
        if issubclass(type(tensor), torch.nn.Parameter):
            return False
        if torch.compiler.is_compiling():
            if isinstance(tensor, torch.nn.Parameter):  # a variable's fake tensor
                return False
            return _traced_written_for_tf(tensor, other, name)
        if not USER_CALL[0]:
            return False
    if _is_compiling():
        # Dynamo traces this function (an explicit `t.__iadd__(x)`): frames cannot be read,
        # and the flag says the innermost layer is the user's.
        return True
    frame = sys._getframe(2)
    code = frame.f_code
    found = _LIBRARY_CODE.get(id(code))
    if found is None or found[0] is not code:
        _is_library(code, frame.f_globals.get("__name__"))
        found = _LIBRARY_CODE[id(code)]
    if found[1]:
        return False
    return _in_keras_call(frame.f_back)


def _traced_written_for_tf(tensor, other, name: str) -> bool:
    """`_written_for_tf` under torch.compile (a jit_compile step, `tf.function(jit_compile=True)`).

    Dynamo does not run this operator on the user's tensors: it records `operator.iadd`
    in its graph and runs the operator once on fake tensors to learn the result's shape.
    At that moment its translators hold the code being traced and the calls around it,
    and the frames below them the calls around the traced function (a graph break inside
    a layer's call compiles the rest of the call on its own). When the assignment is the
    user's TF code, the recorded node becomes the out-of-place operator, so the compiled
    graph computes what eager mode does. Anywhere else (torch's own tracing after dynamo,
    a torch version whose internals differ) the answer is False: torch's in-place meaning.
    """
    try:
        from torch._dynamo.symbolic_convert import InstructionTranslator

        tx = InstructionTranslator.current_tx().output.current_tx
        node = next(reversed(tx.output.graph.nodes))
    except Exception:  # not inside dynamo's tracing
        return False
    if node.op != "call_function" or node.target is not _IN_PLACE[name]:
        return False
    try:
        if torch.result_type(tensor, other) != tensor.dtype:
            return False  # the in-place op casts back (`_left_dtype`): torch's node does
    except (RuntimeError, TypeError):
        return False
    if _is_library(tx.f_code, tx.f_globals.get("__name__")):
        return False
    outer = tx
    while outer is not None:
        if _is_torch_forward(outer):
            return False
        kind = _boundary(outer.f_code)
        if kind == _TORCH:
            return False
        if kind == _KERAS:
            break
        outer = outer.parent
    if outer is None and not _in_keras_call(sys._getframe(1)):
        return False
    node.target = _OPERATORS[name]
    return True


def _is_torch_forward(tx) -> bool:
    """Whether dynamo's translator `tx` traces a torch module's `forward` (not a Keras
    layer's): dynamo inlines `forward` without the `_call_impl` that eager mode runs."""
    code = tx.f_code
    if code.co_name != "forward" or not code.co_argcount:
        return False
    module = tx.symbolic_locals.get(code.co_varnames[0])
    try:
        cls = module.python_type()
    except Exception:  # not a value dynamo knows the type of
        return False
    return issubclass(cls, torch.nn.Module) and not issubclass(cls, tuple(_KERAS_LAYERS))


def _grows(self: torch.Tensor, other) -> bool:
    """Whether `self <op> other` broadcasts to a shape other than `self`'s."""
    shape = other.shape if isinstance(other, torch.Tensor) else getattr(other, "shape", ())
    try:
        return tuple(torch.broadcast_shapes(self.shape, tuple(shape))) != tuple(self.shape)
    except (RuntimeError, TypeError, ValueError):
        return False


def _expanded(tensor: torch.Tensor) -> bool:
    """Whether several elements of `tensor` share memory (a broadcast view: `tf.meshgrid`'s
    grids, `tf.broadcast_to`), which torch refuses to write into. TF's `a -= b` there is the
    new tensor `a - b` (OpenNMT's `roll_sequence`: `cols, rows = tf.meshgrid(...); cols -=
    offsets`)."""
    return any(stride == 0 and size > 1 for stride, size in zip(tensor.stride(), tensor.shape))


def _left_dtype(result: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """`result` in the left tensor's dtype, as torch's in-place op would have written it.

    A float32 `a *= b` with a float64 `b` stays float32 (TF refuses mixed dtypes; torch's
    in-place op casts back), so the layers after it see the dtype they did before.
    """
    return result.to(dtype) if torch.can_cast(result.dtype, dtype) else result


def _install() -> None:
    parameter = torch.nn.Parameter
    grad_enabled = torch.is_grad_enabled
    user_call = USER_CALL
    tensor_type = torch.Tensor
    for name, op in _OPERATORS.items():
        original = getattr(torch.Tensor, name)
        if getattr(original, "_tork_compat", False):
            continue

        def method(self, other, _original=original, _op=op, _name=name):
            # `requires_grad` first: the common no-grad case pays two attribute reads.
            # `_tork_rebind` marks the private copies tork hands to functions written for
            # TF's immutable tensors (tork._inplace.writable_copies): one copy may reach
            # several of the user's functions (a loss object summing two losses that each
            # write `pr /= sum`), so none of them may write into it.
            # `USER_CALL[0]`: inside a user layer's call, the user's TF code gets a new
            # tensor, so that writing into a view (`v = K.flatten(var); v *= c`) leaves
            # the tensor it views unchanged, as in TF. Tensor subclasses are checked too:
            # torch.compile runs the operator on fake tensors (`_traced_written_for_tf`).
            # A view of such a copy (`offset = y_true[..., :4]; offset *= mask` in a loss)
            # is one too: writing into it would change the copy, which an op may have saved
            # for its backward pass (`pred * y_true[..., 4:]` earlier in the same loss).
            if (
                (self.requires_grad and grad_enabled() and not isinstance(self, parameter))
                or getattr(self, "_tork_rebind", False)
                or getattr(self._base, "_tork_rebind", False)
                or (
                    (user_call[0] or type(self) is not tensor_type)
                    and _written_for_tf(self, other, _name)
                )
            ):
                result = _op(self, other)
                if result.dtype is not self.dtype:
                    result = _left_dtype(result, self.dtype)
                return result
            try:
                return _original(self, other)
            except RuntimeError:
                # torch checks shapes and memory overlap before writing anything.
                # Variables (Parameters) keep torch's in-place rules (see tork.variables).
                if isinstance(self, parameter) or not (_grows(self, other) or _expanded(self)):
                    raise
            return _op(self, other)

        method.__name__ = name
        method.__qualname__ = f"Tensor.{name}"
        method.__doc__ = original.__doc__
        method._tork_compat = True
        setattr(torch.Tensor, name, method)


_install()
