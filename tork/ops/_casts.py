"""`tf.bitcast` and `tf.saturate_cast`: casts that reinterpret bits or clip to the range."""

from __future__ import annotations

import torch

from tork._backend.dtypes import as_dtype, dtype_name
from tork._backend.errors import InvalidArgumentError
from tork._backend.tensor import convert_to_tensor


def saturate_cast(value, dtype, name: str | None = None) -> torch.Tensor:
    """Casts `value` to `dtype`, clipping to the range of `dtype` first.

    Unlike `tf.cast`, out-of-range values become the nearest value `dtype` holds
    instead of wrapping around. Complex values lose their imaginary part.

    Args:
        value: a tensor (or anything `tf.convert_to_tensor` takes).
        dtype: the target dtype.
        name: unused.

    Returns:
        A tensor of dtype `dtype`.

    Example:
    >>> tf.saturate_cast(tf.constant([300.0, -5.0]), tf.uint8).tolist()
    [255, 0]
    """
    del name
    x = convert_to_tensor(value)
    target = as_dtype(dtype)
    if x.is_complex() and not target.is_complex:
        x = x.real
    if target == torch.bool or target.is_complex or x.dtype == torch.bool:
        return x.to(target)
    if target.is_floating_point:
        big = torch.finfo(target).max
        if x.is_floating_point():
            # TF clamps every float -> float cast (infinities too) to the narrower type's
            # largest finite value, as a float of the input dtype that does not pass it
            # (bfloat16 -> float16 saturates at 65280); NaN stays NaN.
            bound = min(torch.finfo(x.dtype).max, big)
            hi = torch.tensor(bound, dtype=torch.float64).to(x.dtype)
            if hi.isinf() or float(hi) > bound:
                hi = torch.nextafter(hi, torch.zeros((), dtype=x.dtype))
            x = x.clamp(-float(hi), float(hi))
        elif torch.iinfo(x.dtype).max > big:
            # int32/int64 -> float16: past 65504 is the largest half, not inf (as TF).
            x = x.to(torch.int64).clamp(-int(big), int(big))
        return x.to(target)
    info = torch.iinfo(target)
    if x.is_floating_point():
        # TF clips in the float dtype to the nearest floats inside the integer range
        # (float32 -> int32 saturates at 2147483520); NaN becomes 0.
        lo, hi = (_inner_float(bound, x.dtype) for bound in (info.min, info.max))
        x = torch.nan_to_num(x, nan=0.0).clamp(lo, hi)
        return x.to(target)
    wide = x.to(torch.int64)
    return wide.clamp(info.min, min(info.max, torch.iinfo(torch.int64).max)).to(target)


def _inner_float(bound: int, dtype: torch.dtype) -> float:
    """`bound` as the nearest float of `dtype` that does not pass it (toward zero)."""
    value = torch.tensor(float(bound), dtype=torch.float64).to(dtype)
    if value.isinf() or abs(int(value.item())) > abs(bound):
        value = torch.nextafter(value, torch.zeros((), dtype=dtype))
    return value.item()


def bitcast(input, type, name: str | None = None) -> torch.Tensor:  # noqa: A002 - TF's names
    """Reinterprets the bits of `input` as dtype `type`, without copying values.

    Same-size dtypes keep the shape. Casting to a smaller dtype adds a last dimension
    (4 `uint8` per `int32`); casting to a larger one needs a last dimension of exactly
    that ratio and removes it.

    Args:
        input: a numeric tensor.
        type: the target dtype (not bool).
        name: unused.

    Returns:
        A tensor of dtype `type`.

    Example:
    >>> tf.bitcast(tf.constant([1.0]), tf.int32).tolist()
    [1065353216]
    """
    del name
    x = convert_to_tensor(input)
    target = as_dtype(type)
    if target == torch.bool or x.dtype == torch.bool:
        raise TypeError(
            f"tf.bitcast: bool is not a bitcast dtype (got {dtype_name(x.dtype)} -> "
            f"{dtype_name(target)}); use tf.cast."
        )
    src_size, dst_size = x.element_size(), torch.empty((), dtype=target).element_size()
    x = x.contiguous()
    if src_size == dst_size:
        return x.view(target)
    if src_size > dst_size:
        return x.unsqueeze(-1).view(target)
    ratio = dst_size // src_size
    if x.dim() == 0 or x.shape[-1] != ratio:
        raise InvalidArgumentError(
            f"tf.bitcast: cannot bitcast {dtype_name(x.dtype)} of shape {tuple(x.shape)} to "
            f"{dtype_name(target)}: the last dimension must be {ratio} ({dst_size} bytes / "
            f"{src_size} bytes), got {x.shape[-1] if x.dim() else 'a scalar'}."
        )
    return x.view(target).squeeze(-1)
