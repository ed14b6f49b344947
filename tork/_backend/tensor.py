"""Conversion of Python, NumPy and torch values to torch tensors with TF's dtype rules."""

from __future__ import annotations

import dis
import numbers
import operator
import sys

import numpy as np
import torch

from tork._backend import string_tensor
from tork._backend.device import current_device
from tork._backend.dtypes import as_dtype, dtype_name, floatx_dtype
from tork._backend.string_tensor import StringTensor
from tork._backend.tracing import outside_compiled_graphs

_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_FLOAT16_MAX = float(np.finfo(np.float16).max)

# True only while Dynamo interprets the bytecode (False when the traced ops then run on
# fake or real tensors): the patched methods below hand Dynamo a plain operator then.
_is_compiling = getattr(torch.compiler, "is_dynamo_compiling", lambda: False)


# NumPy float scalars whose width TensorFlow keeps when one is the first leaf of a list.
_NUMPY_FLOAT_LEAVES = {np.dtype(np.float64): torch.float64, np.dtype(np.float16): torch.float16}


def _infer_python_dtype(value, check_range: bool = False) -> torch.dtype | None:
    """The dtype TensorFlow gives a (nested) Python value: float32, int32, bool or complex128.

    Integers that do not fit in int32 make the whole value int64, as in TensorFlow
    (`tf.constant(2**40)` is an int64 scalar). As TensorFlow, the first leaf sets the
    float width: `[np.float64(1), 2.0]` is float64 and `[np.float16(1), 2.0]` float16,
    while `[1.0, np.float64(2)]` stays float32. NumPy arrays inside a list count as
    their elements: `[np.array([1]), np.array([2])]` is int32 (int64 only when a value
    needs it) and `[f32_array, f64_array]` float32. With `check_range` (values converted
    without a dtype), a finite float too large for the inferred width or an integer beyond
    int64 raises TensorFlow's ValueError instead of becoming inf or wrapping around.
    """
    kinds = set()
    large = []
    first = []  # the first leaf's NumPy dtype (for the float width), once seen

    def visit(v):
        if isinstance(v, (str, bytes, StringTensor)):
            kinds.add("str")
        elif isinstance(v, (bool, np.bool_)):
            kinds.add("bool")
        elif isinstance(v, numbers.Integral):
            if _INT32_MIN <= v <= _INT32_MAX:
                kinds.add("int")
            else:
                kinds.add("int64")
                if not _INT64_MIN <= v <= _INT64_MAX:
                    large.append(v)
        elif isinstance(v, numbers.Real):
            kinds.add("float")
            if not first:
                first.append(getattr(v, "dtype", None))
            if not -_FLOAT16_MAX <= v <= _FLOAT16_MAX and v - v == 0:
                large.append(v)  # finite and maybe too large for the final width
            return
        elif isinstance(v, numbers.Complex):
            # NumPy complex scalars too: TensorFlow makes them complex128 in a list.
            kinds.add("complex")
        elif isinstance(v, (list, tuple, range)):
            # A `range` is a sequence of Python ints for TensorFlow (`tf.meshgrid(range(3),
            # ...)` in Swin's relative position index is int32, usable by tf.gather).
            for item in v:
                visit(item)
            return
        elif isinstance(v, torch.Tensor):
            kinds.add(("tensor", v.dtype))
        elif isinstance(v, np.ndarray):
            _visit_array(v, kinds, first, large)
            return
        else:
            kinds.add(("other", type(v).__name__))
        if not first:
            first.append(None)

    visit(value)
    if "str" in kinds:
        return string_tensor.string
    tensor_dtypes = {k[1] for k in kinds if isinstance(k, tuple) and k[0] == "tensor"}
    if tensor_dtypes:
        return sorted(tensor_dtypes, key=lambda d: torch.empty((), dtype=d).element_size())[-1]
    if "complex" in kinds:
        # TensorFlow makes Python complex numbers complex128 (unlike floats, not narrowed).
        return torch.complex128
    if "float" in kinds:
        result = _NUMPY_FLOAT_LEAVES.get(first[0], floatx_dtype()) if first else floatx_dtype()
        if check_range and large and max(abs(v) for v in large) > torch.finfo(result).max:
            # TensorFlow's error (and words), where torch would silently give inf.
            raise ValueError(
                "Can't convert Python sequence with a value out of range for a "
                f"double-precision float: {max(large, key=abs)!r} overflows {dtype_name(result)}. "
                "Pass dtype=tf.float64 (or a NumPy float64 array) to keep it."
            )
        return result
    if "int64" in kinds:
        if check_range and large:
            raise ValueError(
                "Can't convert Python sequence with out-of-range integer to Tensor: "
                f"{large[0]!r:.40} does not fit in int64. Pass dtype=tf.uint64 or tf.float64 "
                "if that is what it holds."
            )
        return torch.int64
    if "int" in kinds:
        return torch.int32
    if "bool" in kinds:
        return torch.bool
    return None


def _visit_array(arr: np.ndarray, kinds: set, first: list, large: list) -> None:
    """Records a NumPy array nested in a list as TensorFlow reads it: by its elements."""
    kind = arr.dtype.kind
    if kind == "f":
        kinds.add("float")
    elif kind in "iu":
        if arr.size == 0 or (_INT32_MIN <= arr.min() and arr.max() <= _INT32_MAX):
            kinds.add("int")
        else:
            kinds.add("int64")
            if arr.max() > _INT64_MAX:
                large.append(int(arr.max()))  # a uint64 that int64 would wrap around
    elif kind == "b":
        kinds.add("bool")
    elif kind == "c":
        kinds.add("complex")
    else:
        dtype = as_dtype(arr.dtype)
        kinds.add("str" if dtype is string_tensor.string else ("tensor", dtype))
    if not first:
        first.append(arr.dtype)


def _stack_nested(value, dtype, device):
    """Builds a tensor from nested lists that may hold tensors."""
    if isinstance(value, torch.Tensor):
        return value.to(device=device, dtype=dtype)
    if isinstance(value, (list, tuple)) and any(
        isinstance(v, (torch.Tensor, list, tuple, range, np.ndarray)) for v in value
    ):
        return torch.stack([_stack_nested(v, dtype, device) for v in value])
    if isinstance(value, range):
        value = list(value)
    if isinstance(value, np.ndarray):
        return torch.as_tensor(value, dtype=dtype, device=device)
    return torch.tensor(value, dtype=dtype, device=device)


# Inferred dtypes a `dtype_hint` may replace (float64/float16 come from a NumPy first leaf;
# TensorFlow tries the hint first and keeps it when the values convert).
_HINTABLE = (None, torch.float32, torch.int32, torch.float64, torch.float16)


def convert_to_tensor(
    value, dtype=None, dtype_hint=None, name=None, *, _no_truncation=False
) -> torch.Tensor:
    """Converts a value to a `torch.Tensor` with TensorFlow's dtype rules.

    Python floats become float32, Python ints int32, bools bool; NumPy arrays
    keep their dtype (float64 stays float64); torch tensors pass through.

    Args:
        value: a tensor, NumPy array, Python scalar or nested list.
        dtype: optional target dtype; the value is cast to it.
        dtype_hint: dtype used when `value` carries none (Python values).
        name: unused, accepted for TensorFlow compatibility.
        _no_truncation: tork's `tf.constant` sets it: Python floats for an integer or
            bool `dtype` raise TypeError, as in TensorFlow (tork's own callers cast).

    Returns:
        A `torch.Tensor` on the current device (tensors keep their device).

    Example:
    >>> tf.convert_to_tensor([1.0, 2.0]).dtype
    torch.float32
    """
    del name
    target = as_dtype(dtype) if dtype is not None else None
    if target is string_tensor.string or isinstance(value, StringTensor):
        return _convert_strings(value, target)
    if isinstance(value, torch.Tensor):
        if target is not None and value.dtype != target:
            return value.to(target)
        return value
    # tf.SparseTensor raises (it needs tf.sparse.to_dense); tf.IndexedSlices densifies.
    composite = getattr(type(value), "_tork_convert_to_tensor", None)
    if composite is not None:
        return composite(value, target)
    device = current_device()
    if isinstance(value, np.ndarray) or isinstance(value, np.generic):
        arr = np.asarray(value)
        if arr.dtype.kind in ("U", "S") or (arr.dtype.kind == "O" and string_tensor.is_string(arr)):
            return _convert_strings(arr, target)
        if arr.dtype.kind == "O":
            return convert_to_tensor(arr.tolist(), dtype=dtype, dtype_hint=dtype_hint)
        if any(stride < 0 for stride in arr.strides):
            # torch refuses negative strides (a reversed view such as arr[::-1]).
            arr = np.ascontiguousarray(arr)
        # A copy, as in TensorFlow: later edits of the array must not reach the tensor.
        tensor = torch.tensor(arr, device=device)
        if target is not None and tensor.dtype != target:
            tensor = tensor.to(target)
        return tensor
    if hasattr(value, "__array__") and not isinstance(value, (list, tuple)):
        return convert_to_tensor(np.asarray(value), dtype=dtype, dtype_hint=dtype_hint)
    inferred = _infer_python_dtype(value, check_range=target is None and dtype_hint is None)
    if target is None:
        if dtype_hint is not None and inferred in _HINTABLE:
            hinted = as_dtype(dtype_hint)
            # A hint only applies when the value converts without loss.
            if not (
                inferred is not None and inferred.is_floating_point and not hinted.is_floating_point
            ):
                inferred = hinted
        target = inferred if inferred is not None else floatx_dtype()
    elif inferred is string_tensor.string:
        return _convert_strings(value, target)
    elif _no_truncation and inferred is not None:
        _check_no_truncation(value, inferred, target)
    if target is string_tensor.string:
        return _convert_strings(value, target)
    try:
        return _stack_nested(value, target, device)
    except _DEVICE_ERRORS:
        raise  # a broken device (an earlier device-side assert), not the value's fault
    except (TypeError, ValueError, RuntimeError) as err:
        if isinstance(err, RuntimeError) and "overflow" in str(err):
            wrapped = _wrap_python_ints(value, target, device)
            if wrapped is not None:
                return wrapped
        if isinstance(err, RuntimeError) and "equal size" in str(err):
            # TensorFlow's ValueError for nested lists of different lengths.
            raise _NonRectangularError(
                f"Can't convert non-rectangular Python sequence to Tensor: {value!r:.200}. "
                "Use tf.ragged.constant for rows of different lengths."
            ) from err
        if not isinstance(value, (list, tuple)):
            # None or an arbitrary object: TensorFlow's ValueError and words.
            raise _UnsupportedTypeError(
                f"Attempt to convert a value ({value!r:.200}) with an unsupported type "
                f"({type(value)}) to a Tensor."
            ) from None
        raise TypeError(
            f"Cannot convert {type(value).__name__} value {value!r:.200} to a tensor "
            f"of dtype {target}: {err}"
        ) from err


def _wrap_python_ints(value, target, device):
    """Python ints out of an integer dtype's range, wrapped as TensorFlow does (C casting):
    `tf.constant(300, tf.uint8)` is 44, `tf.constant(2**31, tf.int32)` is -2**31. None when
    `value` holds other things or `target` is not an integer dtype."""
    if target.is_floating_point or target.is_complex or target == torch.bool:
        return None
    try:
        return _stack_nested(value, torch.int64, device).to(target)
    except (TypeError, ValueError, RuntimeError):
        return None


def public_convert_to_tensor(value, dtype=None, dtype_hint=None, name=None) -> torch.Tensor:
    """Converts a value to a tensor, as `tf.convert_to_tensor`.

    Python values and NumPy arrays convert to `dtype`; a tensor that already
    has another dtype is not cast (use `tf.cast`), and Python floats are not
    truncated into an integer `dtype`, as in TensorFlow. Python floats become
    float32, ints int32; NumPy arrays keep their dtype.

    Args:
        value: a tensor, NumPy array, Python scalar or nested list.
        dtype: optional dtype the result must have.
        dtype_hint: dtype used when `value` carries none (Python values).
        name: unused, accepted for TensorFlow compatibility.

    Returns:
        A `torch.Tensor` (tensors are returned as they are).

    Raises:
        ValueError: if `value` is a tensor of another dtype than `dtype`, or a
            value TensorFlow cannot convert (such as None).
        TypeError: if a Python float is given for an integer `dtype`.

    Example:
    >>> tf.convert_to_tensor([1, 2], dtype=tf.float32).dtype
    torch.float32
    """
    # tork's own code calls convert_to_tensor above, which casts tensors to `dtype`.
    if isinstance(value, torch.Tensor):
        if dtype is not None and value.dtype != as_dtype(dtype):
            _refuse_conversion(value, as_dtype(dtype))
        if type(value) is not torch.Tensor and _is_variable(value):
            # TF reads a variable: a tensor of its current value (gradients still reach
            # the variable), not the variable itself.
            return torch.Tensor.clone(value)
        return value
    if dtype is not None and isinstance(value, StringTensor):
        target = as_dtype(dtype)
        if target is not string_tensor.string:
            _refuse_conversion(value, target)
    return convert_to_tensor(value, dtype, dtype_hint, name, _no_truncation=True)


public_convert_to_tensor.__name__ = public_convert_to_tensor.__qualname__ = "convert_to_tensor"


def _is_variable(value) -> bool:
    from tork.variables import Variable  # tork.variables imports this module

    return isinstance(value, Variable)


def _refuse_conversion(value, target) -> None:
    """TensorFlow's ValueError for `tf.convert_to_tensor(tensor, dtype=<another dtype>)`."""
    from tork.variables import Variable  # tork.variables imports this module

    want, have = dtype_name(target), dtype_name(value.dtype)
    if isinstance(value, Variable):
        raise ValueError(
            f"Incompatible type conversion requested to type {want} for `tf.Variable of type "
            f"{have}. (Variable: {value!r:.200}). Cast it with tf.cast(v, {want!r})."
        )
    message = (
        f"Tensor conversion requested dtype {want} for Tensor with dtype {have}: {value!r:.200}."
    )
    if want == "string" or have == "string":
        # tork raised TypeError for these before: the error is both.
        hint = "tf.strings.as_string(x)" if want == "string" else "tf.strings.to_number(x)"
        raise _UnsupportedTypeError(f"{message} Convert it with {hint}.")
    raise ValueError(f"{message} Cast it with tf.cast(x, {want!r}).")


def check_python_value(value, dtype) -> None:
    """TensorFlow's TypeError for Python floats given for an integer or bool dtype.

    TensorFlow never truncates a Python float (or a list holding one) into an integer
    tensor or variable (`tf.constant(1.5, tf.int32)`); NumPy arrays are cast.
    """
    if dtype.is_floating_point or dtype.is_complex:
        return
    if isinstance(value, (float, complex, list, tuple)) or (
        dtype == torch.bool and isinstance(value, numbers.Integral)
    ):
        _check_no_truncation(value, _infer_python_dtype(value), dtype)


def _check_no_truncation(value, inferred, target) -> None:
    """TypeError for Python floats to an integer or bool dtype, and ints to bool (as TF)."""
    if not isinstance(inferred, torch.dtype) or not isinstance(target, torch.dtype):
        return
    if target.is_floating_point or target.is_complex or inferred == target:
        return
    if inferred.is_floating_point or inferred.is_complex or target == torch.bool:
        name = str(target).replace("torch.", "")
        raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype {name}")


class _NonRectangularError(ValueError, TypeError):
    """Rows of different lengths: TensorFlow raises ValueError (a TypeError for old callers)."""


class _UnsupportedTypeError(ValueError, TypeError):
    """None or another object that is no tensor value: TensorFlow raises ValueError (a
    TypeError for tork's callers that catch the older error)."""


# torch >= 2.8 reports CUDA failures as AcceleratorError (a RuntimeError).
_DEVICE_ERRORS = getattr(torch, "AcceleratorError", ())


def _convert_strings(value, target) -> StringTensor:
    """A string tensor from string values; strings never convert to or from numbers."""
    if target is not None and target is not string_tensor.string:
        raise TypeError(
            f"Cannot convert string value {value!r:.100} to a tensor of dtype "
            f"{str(target).replace('torch.', '')}: TensorFlow does not cast strings to numbers. "
            "Parse them with tf.strings.to_number."
        )
    if isinstance(value, torch.Tensor):
        raise TypeError(
            f"Cannot convert a tensor of dtype {str(value.dtype).replace('torch.', '')} to "
            "tf.string; format numbers as strings with tf.strings.as_string."
        )
    return string_tensor.make(value, "tf.convert_to_tensor")


# torch dtype -> NumPy dtype, for casting NumPy operands the way TensorFlow does.
_NUMPY_DTYPES = {
    getattr(torch, name): np.dtype(name)
    for name in (
        "float16",
        "float32",
        "float64",
        "complex64",
        "complex128",
        "int8",
        "int16",
        "int32",
        "int64",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
        "bool",
    )
    if hasattr(torch, name)
}


def _python_fits(value, ref: torch.Tensor) -> bool:
    """Whether TensorFlow converts the Python number `value` to `ref`'s dtype.

    TensorFlow never truncates a Python float into an integer or bool tensor, never
    drops the imaginary part of a Python complex, and never turns an int into a bool.
    """
    if isinstance(value, bool) or ref.is_complex():
        return True
    if isinstance(value, complex):
        return False
    if ref.is_floating_point():
        return True
    if isinstance(value, float):
        return False
    return ref.dtype != torch.bool


def _conversion_error(value, ref: torch.Tensor) -> TypeError:
    name = dtype_name(ref.dtype)
    return TypeError(
        f"Cannot convert {value!r:.100} to EagerTensor of dtype {name}: TensorFlow converts a "
        f"Python value to the dtype of the tensor it meets ({name}) and never truncates it. "
        f"Cast the tensor first, e.g. tf.cast(x, tf.float32), or pass a value of dtype {name}."
    )


def _numpy_operand(value, ref: torch.Tensor):
    """A NumPy array or scalar cast to `ref`'s dtype, as TensorFlow casts it.

    A 0-D value becomes a Python number of that dtype's kind, so torch keeps `ref`'s dtype
    (and a GPU tensor meets it with no host-to-device copy).
    """
    arr = np.asarray(value)
    if arr.dtype.kind in "USO":
        # Strings and objects: the general conversion and its errors.
        return convert_to_tensor(value, dtype=ref.dtype, _no_truncation=True)
    if arr.dtype.kind == "c" and not ref.is_complex():
        arr = arr.real  # TensorFlow's cast drops the imaginary part
    target = _NUMPY_DTYPES.get(ref.dtype)
    with np.errstate(invalid="ignore", over="ignore"):
        # NaN or out-of-range floats into ints: C casting, as TensorFlow (no warning).
        arr = np.array(arr, dtype=target, order="C")  # a copy: later edits stay out
    if arr.ndim == 0:
        return arr.item()
    tensor = torch.from_numpy(arr)
    if target is None:
        tensor = tensor.to(ref.dtype)  # bfloat16 and other dtypes NumPy lacks
    return tensor if tensor.device == ref.device else tensor.to(ref.device)


def convert_operand(value, ref: torch.Tensor):
    """The non-tensor operand of a tf.* op, converted to the dtype of the tensor `ref`.

    TensorFlow's tf.* ops convert a Python number, list or NumPy value to the other
    operand's dtype (`tf.multiply(float32_tensor, np.float64_array)` is float32,
    `tf.add(int32_tensor, np.array([2.5]))` is int32), unlike NumPy's promotion. Python
    numbers stay numbers: torch then keeps `ref`'s dtype.
    """
    # The common cases first (`x * 0.5`, `x + 1`): exact types, so np.float64 is not here.
    kind, dtype = value.__class__, ref.dtype
    if kind is float and dtype.is_floating_point:
        return value
    if kind is int and dtype is not torch.bool and dtype is not string_tensor.string:
        return value
    if dtype is string_tensor.string:
        # A string tensor meets strings only (TF: `string_tensor != 1` raises TypeError).
        return convert_to_tensor(value, dtype=dtype)
    if isinstance(value, (np.ndarray, np.generic)):
        # Before the Python numbers: np.float64 is a subclass of float.
        return _numpy_operand(value, ref)
    if isinstance(value, (bool, int, float, complex)):
        if not _python_fits(value, ref):
            raise _conversion_error(value, ref)
        if type(value) is bool and ref.dtype != torch.bool:
            return int(value)  # True is 1 in TF; torch refuses `x - True`
        return value
    try:
        out = convert_to_tensor(value, dtype=ref.dtype, _no_truncation=True)
    except TypeError as err:
        if "EagerTensor" in str(err):
            raise _conversion_error(value, ref) from None
        raise
    return out if out.device == ref.device else out.to(ref.device)


def to_numpy(value, copy: bool = False) -> np.ndarray:
    """Converts a tensor (any device, with or without grad) to a NumPy array.

    With `copy=True` the array never shares memory with the tensor: what variables'
    `numpy()` and `get_weights()` need, since the tensor is updated in place later.
    """
    if isinstance(value, torch.Tensor):
        value = value.detach()
        try:
            if value.dtype == torch.bfloat16:
                return _plain_numpy(value.float().cpu())  # already a new tensor
            array = _plain_numpy(value.cpu())
        except RuntimeError:
            _refuse_fake_values(value)
            raise
        if copy and value.device.type == "cpu":
            array = array.copy()
        return array
    return np.array(value) if copy else np.asarray(value)


def _refuse_fake_values(value: torch.Tensor) -> None:
    """Raises torch's data-dependent error for the values of a fake (symbolic) tensor.

    A layer reading values on the functional API's shape-only tensors (DeepCTR's Hash
    layer: `tf.as_string(ids)` on int ids) is then built by running it on real
    placeholder inputs, as for `.item()` reads, instead of failing.
    """
    from torch._subclasses.fake_tensor import DataDependentOutputException, FakeTensor

    if isinstance(value, FakeTensor):
        raise DataDependentOutputException(torch.ops.aten._local_scalar_dense.default)


def _bfloat16_numpy(tensor: torch.Tensor, original, force: bool) -> np.ndarray:
    """A CPU bfloat16 tensor as an ml_dtypes bfloat16 array (TensorFlow's `numpy()`).

    Without ml_dtypes installed the values come back as float32 (exact: every
    bfloat16 is a float32).
    """
    try:
        import ml_dtypes
    except ImportError:
        return original(tensor.float(), force=force)
    # Same bits, reinterpreted: no rounding on the way.
    return original(tensor.view(torch.int16), force=force).view(ml_dtypes.bfloat16)


def _install_numpy_compat() -> None:
    """Makes `tensor.numpy()` work on tensors that require grad or live on a GPU.

    TensorFlow users call `.numpy()` on any eager tensor (a loss, a gradient, a
    GPU result). torch raises in exactly those cases; tork detaches and copies
    instead. Tensors where torch's `numpy()` already works are unaffected.
    """
    original = torch.Tensor.numpy
    if getattr(original, "_tork_compat", False):
        return

    def shared(self, force: bool):
        """(array, whether it shares the tensor's memory)."""
        if self.dtype == torch.bfloat16:
            # NumPy has no bfloat16 and torch refuses the conversion; TensorFlow returns
            # an ml_dtypes bfloat16 array (e.g. `predict` under a mixed_bfloat16 policy
            # or torch.autocast).
            return _bfloat16_numpy(self.detach().cpu(), original, force), False
        if self.device.type != "cpu":
            return original(self.detach().cpu(), force=force), False
        if self.requires_grad:
            return original(self.detach(), force=force), True
        return original(self, force=force), True

    def numpy(self, *, force: bool = False):
        # A layer's `x.numpy()` on the functional API's fake twins: torch's "not supported
        # for tensor subclasses" would name nothing; the layer is built on real
        # placeholder inputs instead, as for other value reads (`to_numpy`, `.item()`).
        _refuse_fake_values(self)
        array, is_shared = shared(self, force)
        if is_shared:
            # As TensorFlow's: a copy, so that in-place NumPy edits of the result
            # (`x = image[0].numpy(); x -= x.mean()`) leave the tensor alone.
            array = array.copy()
        # TensorFlow returns a NumPy scalar for a 0-d tensor (np.float32(3.5), printed 3.5).
        return array[()] if array.ndim == 0 else array

    numpy.__doc__ = original.__doc__
    numpy._tork_compat = True
    numpy._tork_original = original
    # Never traced by torch.compile: NumPy calls in compiled code (`np.asarray(perm)` in
    # tf.transpose) make dynamo read tensors back through `.numpy()`; tracing this method
    # again graph-breaks inside it and recursed until a RecursionError. (functools.wraps
    # carries the attributes above over to the wrapper.)
    torch.Tensor.numpy = outside_compiled_graphs(numpy)

    # torch's __array__ returns `self.numpy()`, and NumPy requires an array from it
    # (np.asarray(scalar_tensor) is a 0-d array, as for TensorFlow's tensors).
    original_array = torch.Tensor.__array__

    def __array__(self, dtype=None, copy=None):
        # `copy` is NumPy 2's keyword (np.asarray passes it); torch's method lacks it.
        # np.asarray(tensor) shares the tensor's memory (TensorFlow's is a read-only view);
        # only `numpy()` copies.
        if type(self) is torch.Tensor:
            array, _ = shared(self, False)
            if dtype is not None:
                array = array.astype(dtype, copy=False)
        else:  # subclasses (variables, fake tensors) keep torch's dispatch
            array = original_array(self, dtype)
        if self.dim() == 0:
            array = np.asarray(array)
        return array.copy() if copy else array

    __array__.__doc__ = original_array.__doc__
    torch.Tensor.__array__ = __array__

    # float(loss) is everyday TensorFlow code; torch warns when the tensor requires grad.
    original_float = torch.Tensor.__float__

    def __float__(self):
        return original_float(self.detach() if self.requires_grad else self)

    torch.Tensor.__float__ = __float__


_install_numpy_compat()
# torch's own `numpy()`: an ndarray also for 0-d tensors (what `to_numpy` promises).
_plain_numpy = torch.Tensor.numpy._tork_original


def _install_shape_methods() -> None:
    """Adds TensorFlow's `get_shape()` and `set_shape()` to tensors (names torch does not use).

    `x.get_shape().as_list()` and the static-shape hint `x.set_shape([None, 24, None])`
    are everyday TensorFlow code (e.g. in `tf.data` map functions). torch tensors always
    know their full shape, so `set_shape` only checks that the hint fits.
    """
    if hasattr(torch.Tensor, "set_shape") or hasattr(torch.Tensor, "get_shape"):
        return

    def get_shape(self):
        from tork._backend.tensor_shape import TensorShape

        return TensorShape(tuple(self.shape))

    def set_shape(self, shape) -> None:
        from tork._backend.tensor_shape import TensorShape

        hint = shape if isinstance(shape, TensorShape) else TensorShape(shape)
        if not hint.is_compatible_with(TensorShape(tuple(self.shape))):
            raise ValueError(
                f"Tensor's shape {tuple(self.shape)} is not compatible with supplied shape "
                f"{tuple(hint.as_list()) if hint.rank is not None else hint}."
            )

    get_shape.__doc__ = "Returns the tensor's shape as a `tf.TensorShape` (TensorFlow's method)."
    set_shape.__doc__ = (
        "Checks that `shape` (None for unknown sizes) fits the tensor's shape, as "
        "TensorFlow's static-shape hint does; raises ValueError if it does not."
    )
    torch.Tensor.get_shape = get_shape
    torch.Tensor.set_shape = set_shape


_install_shape_methods()

# NumPy reductions called on a tensor (`np.mean(loss)`, `np.max(image)`) call the tensor's
# method of that name with NumPy's keywords (`axis=`, `out=`), which torch's methods reject.
_NUMPY_REDUCTIONS = ("sum", "mean", "min", "max", "std", "var", "prod", "any", "all")
# NumPy functions that hand the call to a method with both `axis=` and `out=` (np.argmax
# passes `axis=None, out=None`), which no torch call passes together.
_NUMPY_AXIS_OUT = ("argmax", "argmin", "cumsum", "cumprod", "take")


def _install_numpy_reductions() -> None:
    """Makes `np.mean(tensor)` & co. work as on TensorFlow's eager tensors (NumPy results).

    NumPy hands the call to `tensor.<name>(axis=..., out=..., ...)`. Only calls with an
    `axis` keyword, which torch's own methods never accept, are answered by NumPy on the
    tensor's values; every other call is torch's, unchanged.
    """
    for name in _NUMPY_REDUCTIONS + _NUMPY_AXIS_OUT:
        original = getattr(torch.Tensor, name)
        if getattr(original, "_tork_compat", False):
            continue
        keys = ("axis",) if name in _NUMPY_REDUCTIONS else ("axis", "out")

        def method(self, *args, _original=original, _name=name, _keys=keys, **kwargs):
            if all(key in kwargs for key in _keys):
                return getattr(np, _name)(to_numpy(self), *args, **kwargs)
            return _original(self, *args, **kwargs)

        method.__name__ = name
        method.__doc__ = original.__doc__
        method._tork_compat = True
        setattr(torch.Tensor, name, method)


_install_numpy_reductions()


def _is_basic_index(item) -> bool:
    """True for the index parts that keep the result a view (no advanced indexing)."""
    return item is None or item is Ellipsis or isinstance(item, (slice, int, np.integer))


def _getitem_negative_steps(tensor: torch.Tensor, key, original):
    """`tensor[key]` where some slices of `key` step backwards (TensorFlow/NumPy's `x[::-1]`).

    torch refuses negative steps. Each such slice is rewritten as the forward slice over
    the same elements, and the matching result axis is flipped afterwards. Returns
    `NotImplemented` when `key` mixes in advanced indices (their axes move).
    """
    parts = list(key) if isinstance(key, tuple) else [key]
    if not all(_is_basic_index(p) for p in parts):
        return NotImplemented
    consuming = sum(1 for p in parts if p is not None and p is not Ellipsis)
    if sum(1 for p in parts if p is Ellipsis) > 1 or consuming > tensor.dim():
        return NotImplemented
    forward: list = []
    flip_axes: list[int] = []
    in_dim = 0
    out_dim = 0
    for part in parts:
        if part is None:
            forward.append(None)
            out_dim += 1
        elif part is Ellipsis:
            skipped = tensor.dim() - consuming
            forward.append(Ellipsis)
            in_dim += skipped
            out_dim += skipped
        elif isinstance(part, slice):
            size = tensor.shape[in_dim]
            if part.step is not None and part.step < 0:
                start, stop, step = part.indices(size)
                picked = range(start, stop, step)
                if len(picked) == 0:
                    forward.append(slice(0, 0))
                else:
                    forward.append(slice(picked[-1], picked[0] + 1, -step))
                    flip_axes.append(out_dim)
            else:
                forward.append(part)
            in_dim += 1
            out_dim += 1
        else:  # an integer removes its axis
            forward.append(part)
            in_dim += 1
    result = original(tensor, tuple(forward))
    return torch.flip(result, flip_axes) if flip_axes else result


def _install_negative_step_slicing() -> None:
    """Lets `x[::-1]` and `x[..., ::-1]` reverse axes, as in TensorFlow and NumPy.

    torch raises "step must be greater than zero"; tork catches exactly that error,
    so ordinary indexing takes torch's path unchanged (one extra Python call).
    """
    original = torch.Tensor.__getitem__
    if getattr(original, "_tork_compat", False):
        return

    def __getitem__(self, key):
        if type(key) is list and any(k is Ellipsis or isinstance(k, slice) for k in key):
            # `x[[slice(None), slice(0, 2)]]` (a spec list built in a loop, as tf-models'
            # funnel transformer does) means `x[:, 0:2]` in TensorFlow; torch reads it so
            # today with a deprecation warning and will read it as a tensor index.
            key = tuple(key)
        if _is_compiling():
            # Under torch.compile, let Dynamo see a plain subscript (it cannot trace a
            # call of the C method itself, and would break the graph).
            return operator.getitem(self, key)
        try:
            return original(self, key)
        except ValueError as error:
            if "step must be greater than zero" not in str(error):
                raise
            result = _getitem_negative_steps(self, key, original)
            if result is NotImplemented:
                raise
            return result

    __getitem__.__doc__ = original.__doc__
    __getitem__._tork_compat = True
    torch.Tensor.__getitem__ = __getitem__


_install_negative_step_slicing()


def _install_reflected_operators() -> None:
    """Lets a Python list or tuple on the left of `@ + - * / ** %` meet a tensor.

    TensorFlow converts such operands to the tensor's dtype (the gradients guide writes
    `x = [[1., 2., 3.]]; y = x @ w + b`); torch returns NotImplemented and Python then
    raises a TypeError. Only the reflected methods change: they run when the left operand
    is not a tensor, so tensor-with-tensor arithmetic never passes through here. NumPy
    arrays never get here: NumPy hands them to `__array_ufunc__` (below).
    """
    for name in _FORWARD:
        original = getattr(torch.Tensor, name)
        if getattr(original, "_tork_compat", False):
            continue
        setattr(torch.Tensor, name, _reflected(original, name))


_FORWARD = {
    "__radd__": operator.add,
    "__rsub__": operator.sub,
    "__rmul__": operator.mul,
    "__rtruediv__": operator.truediv,
    "__rmatmul__": operator.matmul,
    "__rpow__": operator.pow,
    "__rmod__": operator.mod,
}


def _list_operand(self, other):
    """`other` (a list or tuple) as a tensor of `self`'s dtype and device, else NotImplemented.

    As TensorFlow, floats never truncate into an integer tensor and strings never convert:
    NotImplemented lets Python raise its usual TypeError. (tape.py's `__rfloordiv__` uses
    it too.)
    """
    try:
        other = convert_to_tensor(other)
    except TypeError:
        return NotImplemented
    if isinstance(other, StringTensor) or (
        other.is_floating_point() and not (self.is_floating_point() or self.is_complex())
    ):
        return NotImplemented
    return other.to(device=self.device, dtype=self.dtype)


def _reflected(original, name):
    forward = _FORWARD[name]

    def method(self, other):
        if _is_compiling():
            # Dynamo traces `other <op> self` natively (see __getitem__ above).
            return forward(other, self)
        if isinstance(other, (list, tuple)):
            other = _list_operand(self, other)
            if other is NotImplemented:
                return NotImplemented
        return original(self, other)

    method.__name__ = original.__name__
    method.__doc__ = original.__doc__
    method._tork_compat = True
    return method


_install_reflected_operators()


class Reference:
    """A hashable reference to a tensor or variable, from `x.ref()` (TensorFlow's).

    TensorFlow tensors are unhashable, so TF code keys dicts and sets with `x.ref()`
    and gets the object back with `deref()`. Two references are equal when they refer
    to the same object.
    """

    __slots__ = ("_target",)

    def __init__(self, target):
        self._target = target

    def deref(self):
        """Returns the referenced tensor or variable."""
        return self._target

    def __hash__(self) -> int:
        return id(self._target)

    def __eq__(self, other) -> bool:
        return isinstance(other, Reference) and other._target is self._target

    def __repr__(self) -> str:
        return f"<Reference wrapping {type(self._target).__name__} of shape {tuple(self._target.shape)}>"


def _install_ref() -> None:
    """Adds TensorFlow's `ref()` (and its old name `experimental_ref()`) to tensors."""
    if hasattr(torch.Tensor, "ref"):
        return

    def ref(self) -> Reference:
        return Reference(self)

    ref.__doc__ = (
        "Returns a hashable reference to this tensor (TensorFlow's `Tensor.ref()`); "
        "`reference.deref()` gives the tensor back."
    )
    torch.Tensor.ref = ref
    torch.Tensor.experimental_ref = ref


_install_ref()


def _to_array_argument(value):
    if isinstance(value, torch.Tensor) and not isinstance(value, StringTensor):
        return to_numpy(value)
    if type(value) in (list, tuple) and any(isinstance(v, torch.Tensor) for v in value):
        return type(value)(to_numpy(v) if isinstance(v, torch.Tensor) else v for v in value)
    return value


def _install_array_function() -> None:
    """Makes NumPy functions of tensors return NumPy arrays, as for TensorFlow's tensors.

    Without it, NumPy hands `np.squeeze(t)`, `np.reshape(t, ...)`, `np.transpose(t)`,
    `np.round(t)`, `np.nonzero(t)`... to the tensor's torch method of that name, which
    returns a tensor (and `np.nonzero`, `np.argwhere` and `np.size` then answer wrongly).
    TensorFlow's tensors define no such methods, so NumPy computes on their values. Here
    the tensors among the arguments become arrays and NumPy's own function runs. Only
    NumPy's function calls come here; torch ops and NumPy ufuncs (`np.exp(t)`,
    `w - y_numpy`, see `__array_ufunc__` below) are unaffected.
    """
    if "__array_function__" in torch.Tensor.__dict__:
        return

    def __array_function__(self, func, types, args, kwargs):
        args = tuple(_to_array_argument(a) for a in args)
        kwargs = {k: _to_array_argument(v) for k, v in kwargs.items()}
        # NumPy's implementation itself: no second dispatch (a tensor nested deeper in a
        # list is converted by NumPy through __array__).
        return getattr(func, "_implementation", func)(*args, **kwargs)

    torch.Tensor.__array_function__ = __array_function__


_install_array_function()


def _tf_true_divide(x, y):
    """TensorFlow's `/`: int32 and int64 tensors divide in float64 (torch gives float32)."""
    from tork.ops.math import _true_div  # tork.ops imports this module

    return _true_div(x, y)


# NumPy ufuncs with a torch counterpart that keeps gradients (`w - y_numpy`).
_UFUNCS = {
    "add": torch.add,
    "subtract": torch.sub,
    "multiply": torch.mul,
    "true_divide": _tf_true_divide,
    "divide": _tf_true_divide,
    "floor_divide": torch.floor_divide,
    "remainder": torch.remainder,
    "power": torch.pow,
    "matmul": torch.matmul,
    "maximum": torch.maximum,
    "minimum": torch.minimum,
    "greater": torch.gt,
    "greater_equal": torch.ge,
    "less": torch.lt,
    "less_equal": torch.le,
    "equal": torch.eq,
    "not_equal": torch.ne,
    "negative": torch.neg,
    "absolute": torch.abs,
    "exp": torch.exp,
    "log": torch.log,
    "sqrt": torch.sqrt,
    "square": torch.square,
    "tanh": torch.tanh,
}


# Ufuncs that no Python operator reaches (`array - t` reaches np.subtract).
_NOT_OPERATORS = frozenset({"maximum", "minimum"})


# CPython's in-place operators: BINARY_OP with an NB_INPLACE_* argument (3.11+), or the
# INPLACE_* opcodes (3.10).
_BINARY_OP = dis.opmap.get("BINARY_OP")
_INPLACE_OPCODES = frozenset(
    code for name, code in dis.opmap.items() if name.startswith("INPLACE_")
)
_NB_INPLACE_ARGS = range(13, 26)  # NB_INPLACE_ADD .. NB_INPLACE_XOR


def _is_inplace_operator(inputs, kwargs) -> bool:
    """True for `array op= tensor` (NumPy calls the ufunc with `out=(array,)`).

    An explicit `np.add(array, t, out=array)` passes the same arguments; the two differ
    only in the caller's bytecode, which is an in-place operator for the first.
    """
    out = kwargs.get("out")
    if len(kwargs) != 1 or not isinstance(out, tuple) or len(out) != 1:
        return False
    if not isinstance(inputs[0], np.ndarray) or out[0] is not inputs[0]:
        return False
    try:
        frame = sys._getframe(2)  # 0: this function, 1: __array_ufunc__, 2: the user's code
    except ValueError:  # called from C with no Python caller
        return False
    code, offset = frame.f_code.co_code, frame.f_lasti
    opcode = code[offset]
    if _BINARY_OP is not None:
        return opcode == _BINARY_OP and code[offset + 1] in _NB_INPLACE_ARGS
    return opcode in _INPLACE_OPCODES


def _install_array_ufunc() -> None:
    """Lets NumPy arrays meet tensors in arithmetic without dropping gradients.

    `model(x) - y` with `y` a NumPy array: torch's operator declines the array, so Python
    asks NumPy, which would turn the tensor into an array (tork's `numpy()` detaches) and
    the loss would silently lose its gradient. With `__array_ufunc__`, NumPy hands such
    operations back: the array becomes a tensor of the tensor's dtype (as TensorFlow
    converts it) and the torch op runs. Other ufuncs, and calls with `out=`, keep NumPy's
    behaviour on the tensors' values, except in-place operators (`array += t`), which give
    the tensor `array + t` as TensorFlow's do (the array itself is left unchanged).

    As TensorFlow's operators, the NumPy operand takes the tensor's dtype on either side
    (a float64 array with a float32 tensor gives float32, with an int32 tensor int32);
    bool tensors, which TF's arithmetic refuses, and np.maximum/np.minimum (no operator)
    keep the earlier promotion (a float array with an int tensor stays float).
    """
    if getattr(torch.Tensor, "__array_ufunc__", None) is not None:
        return

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        function = _UFUNCS.get(ufunc.__name__)
        if kwargs and _is_inplace_operator(inputs, kwargs):
            # `array += t`: TF's tensors make NumPy give up on in-place operators, so
            # Python rebinds the name to the tensor `array + t` and the array itself is
            # left alone. Return that tensor (the gradient flows, the user's data is
            # not overwritten) rather than writing into the array.
            kwargs = {}
        if method != "__call__" or function is None or kwargs:
            values = [v.numpy() if isinstance(v, torch.Tensor) else v for v in inputs]
            return getattr(ufunc, method)(*values, **kwargs)
        reference = next(v for v in inputs if isinstance(v, torch.Tensor))
        operands = []
        for value in inputs:
            if isinstance(value, (np.ndarray, np.generic)):
                if reference.dtype == torch.bool or ufunc.__name__ in _NOT_OPERATORS:
                    # np.maximum(array, t) is no operator: TF leaves it to NumPy's promotion.
                    value = torch.as_tensor(np.asarray(value), device=reference.device)
                    if value.is_floating_point() or reference.is_floating_point():
                        if not (value.is_floating_point() and not reference.is_floating_point()):
                            value = value.to(reference.dtype)
                else:
                    value = convert_operand(value, reference)
                    if not isinstance(value, torch.Tensor):
                        # torch.maximum & co. take tensors only.
                        value = torch.tensor(value, dtype=reference.dtype, device=reference.device)
            operands.append(value)
        return function(*operands)

    torch.Tensor.__array_ufunc__ = __array_ufunc__


_install_array_ufunc()
