"""`tf.bitwise`: bitwise operations on integer tensors.

Both operands must have the same integer dtype (a Python number takes the tensor's dtype),
as in TensorFlow. Shift amounts are clamped to `[0, bits - 1]` as TensorFlow's kernels do,
so a shift by a negative amount or by the width (or more) never is undefined behaviour:
`left_shift(uint8 1, 8)` is 128, `right_shift(int8 -100, 70)` is -1.
"""

from __future__ import annotations

import torch

from tork import _symbolic
from tork._backend.dtypes import dtype_name
from tork._backend.errors import InvalidArgumentError, module_getattr
from tork._backend.tensor import convert_to_tensor

__all__ = [
    "bitwise_and",
    "bitwise_or",
    "bitwise_xor",
    "invert",
    "left_shift",
    "right_shift",
]

__getattr__ = module_getattr("tf.bitwise")

# torch implements the bitwise kernels for uint8 and the signed types only, so the wider
# unsigned types run on the signed type of the same width (the same bits).
_SIGNED_VIEW = {torch.uint16: torch.int16, torch.uint32: torch.int32, torch.uint64: torch.int64}
_INT_TYPES = (
    torch.int8,
    torch.int16,
    torch.int32,
    torch.int64,
    torch.uint8,
    torch.uint16,
    torch.uint32,
    torch.uint64,
)
_ALLOWED = "int8, int16, int32, int64, uint8, uint16, uint32, uint64"


def _check_int(x: torch.Tensor, opname: str) -> None:
    if x.dtype not in _INT_TYPES:
        raise InvalidArgumentError(
            f"tf.bitwise.{opname}: dtype {dtype_name(x.dtype)} is not supported; the inputs "
            f"must be one of {_ALLOWED}. Cast with tf.cast first."
        )


def _pair(x, y, opname: str):
    """Both operands as tensors of one integer dtype, a Python number taking the other's."""
    if not isinstance(x, torch.Tensor) and isinstance(y, torch.Tensor):
        x = convert_to_tensor(x, dtype_hint=y.dtype)
    elif not isinstance(x, torch.Tensor):
        x = convert_to_tensor(x)
    if not isinstance(y, torch.Tensor):
        y = convert_to_tensor(y, dtype_hint=x.dtype)
    _check_int(x, opname)
    _check_int(y, opname)
    if x.dtype != y.dtype:
        raise InvalidArgumentError(
            f"tf.bitwise.{opname}: both inputs must have the same dtype, got "
            f"{dtype_name(x.dtype)} and {dtype_name(y.dtype)}. Cast one with tf.cast."
        )
    if y.device != x.device:
        y = y.to(x.device)
    try:
        torch.broadcast_shapes(x.shape, y.shape)
    except RuntimeError:
        raise InvalidArgumentError(
            f"tf.bitwise.{opname}: incompatible shapes {list(x.shape)} and {list(y.shape)}; "
            "each dimension, aligned from the right, must be equal or 1 in one of them."
        ) from None
    return x, y


def _signed(x: torch.Tensor) -> torch.Tensor:
    view = _SIGNED_VIEW.get(x.dtype)
    return x if view is None else x.view(view)


def _back(out: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    return out if out.dtype == dtype else out.view(dtype)


def _binary(fn, opname: str, summary: str, example: str):
    def op(x, y, name: str | None = None) -> torch.Tensor:
        del name
        x, y = _pair(x, y, opname)
        return _back(fn(_signed(x), _signed(y)), x.dtype)

    op.__name__ = op.__qualname__ = opname
    op.__module__ = __name__
    op.__doc__ = f"""{summary}

    Args:
        x: an integer tensor (int8 to int64, uint8 to uint64).
        y: a tensor of the same dtype, broadcastable with `x`.
        name: unused.

    Returns:
        A tensor of the broadcast shape and the inputs' dtype.

    Raises:
        InvalidArgumentError: for non-integer or mismatched dtypes, or shapes that do not
            broadcast.

    Example:
    {example}
    """
    return op


def _bits(dtype: torch.dtype) -> int:
    return torch.iinfo(dtype).bits


def _shift_amount(y: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """TensorFlow's shift amount: clamped to [0, bits - 1]."""
    top = _bits(dtype) - 1
    ys = _signed(y)
    clamped = ys.clamp(0, top)
    if dtype.is_signed:
        return clamped
    # An unsigned amount that reads negative in the signed view is huge: the top shift.
    return torch.where(ys < 0, torch.full_like(ys, top), clamped)


def _left_op(x, y, name: str | None = None) -> torch.Tensor:
    del name
    x, y = _pair(x, y, "left_shift")
    s = _shift_amount(y, x.dtype)
    # Shifting the signed view wraps the same way an unsigned shift does.
    return _back(torch.bitwise_left_shift(_signed(x), s), x.dtype)


def _right_op(x, y, name: str | None = None) -> torch.Tensor:
    del name
    x, y = _pair(x, y, "right_shift")
    s = _shift_amount(y, x.dtype)
    xs = _signed(x)
    out = torch.bitwise_right_shift(xs, s)
    if x.dtype in _SIGNED_VIEW:
        # A logical shift on the signed view: clear the top `s` bits the arithmetic shift
        # filled with copies of the sign bit. Two shifts keep `s = 0` in range.
        high = torch.bitwise_left_shift(
            torch.bitwise_left_shift(torch.full_like(xs, -1), _bits(x.dtype) - 1 - s), 1
        )
        out = out & ~high
    return _back(out, x.dtype)


bitwise_and = _binary(
    torch.bitwise_and,
    "bitwise_and",
    "Elementwise bitwise AND of `x` and `y`.",
    ">>> tf.bitwise.bitwise_and([12, 10], [10, 6]).tolist()\n    [8, 2]",
)
bitwise_or = _binary(
    torch.bitwise_or,
    "bitwise_or",
    "Elementwise bitwise OR of `x` and `y`.",
    ">>> tf.bitwise.bitwise_or([12, 10], [10, 6]).tolist()\n    [14, 14]",
)
bitwise_xor = _binary(
    torch.bitwise_xor,
    "bitwise_xor",
    "Elementwise bitwise XOR of `x` and `y`.",
    ">>> tf.bitwise.bitwise_xor([12, 10], [10, 6]).tolist()\n    [6, 12]",
)


def left_shift(x, y, name: str | None = None) -> torch.Tensor:
    """Elementwise `x << y`, with TensorFlow's clamping of the shift amount.

    The shift amount is clamped to `[0, bits - 1]`; bits shifted out are lost and signed
    results wrap (two's complement), as in TensorFlow.

    Args:
        x: an integer tensor (int8 to int64, uint8 to uint64).
        y: the shift amounts, a tensor of the same dtype broadcastable with `x`.
        name: unused.

    Returns:
        A tensor of the broadcast shape and the inputs' dtype.

    Raises:
        InvalidArgumentError: for non-integer or mismatched dtypes, or shapes that do not
            broadcast.

    Example:
    >>> tf.bitwise.left_shift([1, 3], [2, 1]).tolist()
    [4, 6]
    """
    return _left_op(x, y, name)


def right_shift(x, y, name: str | None = None) -> torch.Tensor:
    """Elementwise `x >> y`: arithmetic for signed dtypes, logical for unsigned ones.

    The shift amount is clamped to `[0, bits - 1]`, as in TensorFlow.

    Args:
        x: an integer tensor (int8 to int64, uint8 to uint64).
        y: the shift amounts, a tensor of the same dtype broadcastable with `x`.
        name: unused.

    Returns:
        A tensor of the broadcast shape and the inputs' dtype.

    Raises:
        InvalidArgumentError: for non-integer or mismatched dtypes, or shapes that do not
            broadcast.

    Example:
    >>> tf.bitwise.right_shift([-8, 8], [1, 2]).tolist()
    [-4, 2]
    """
    return _right_op(x, y, name)


def invert(x, name: str | None = None) -> torch.Tensor:
    """Elementwise bitwise NOT: flips every bit of `x`.

    Args:
        x: an integer tensor (int8 to int64, uint8 to uint64).
        name: unused.

    Returns:
        A tensor of the same shape and dtype.

    Raises:
        InvalidArgumentError: for a non-integer dtype.

    Example:
    >>> tf.bitwise.invert([0, 5]).tolist()
    [-1, -6]
    """
    del name
    x = x if isinstance(x, torch.Tensor) else convert_to_tensor(x)
    _check_int(x, "invert")
    return _back(torch.bitwise_not(_signed(x)), x.dtype)


# Called on functional-API symbolic tensors, these become graph nodes like other tf ops.
_symbolic.install(globals(), "tf.bitwise")
