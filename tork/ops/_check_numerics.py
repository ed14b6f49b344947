"""`tf.debugging.enable_check_numerics`: every op's float outputs are checked for NaN/Inf.

A torch dispatch mode sees every aten op that runs, forward and backward (autograd carries
the mode to its engine), so the first op to produce a NaN or an Inf raises, naming itself
and its inputs, as TF's eager check does. It costs a host sync per op: a debugging tool.
"""

from __future__ import annotations

import torch
from torch._subclasses.fake_tensor import FakeTensor
from torch.utils._python_dispatch import TorchDispatchMode

from tork import config as _config
from tork._backend.errors import InvalidArgumentError

# Ops that only move, view or inspect values (an Inf they "produce" was already an input),
# and allocations whose memory is not initialised yet (its bits may read as NaN).
_PASS_THROUGH = frozenset(
    {
        "empty",
        "empty_like",
        "empty_strided",
        "new_empty",
        "new_empty_strided",
        "resize_",
        "detach",
        "clone",
        "copy_",
        "_to_copy",
        "view",
        "_unsafe_view",
        "alias",
        "t",
        "transpose",
        "permute",
        "expand",
        "reshape",
        "squeeze",
        "unsqueeze",
        "slice",
        "select",
        "index",
        "as_strided",
        "lift_fresh",
        "set_",
    }
)


def _non_finite_counts(t: torch.Tensor) -> tuple[list[str], str]:
    lines = []
    negative_inf = int(torch.isneginf(t).sum())
    positive_inf = int(torch.isposinf(t).sum())
    nan = int(torch.isnan(t).sum())
    if negative_inf:
        lines.append(f"  # of -Inf elements: {negative_inf}")
    if positive_inf:
        lines.append(f"  # of +Inf elements: {positive_inf}")
    if nan:
        lines.append(f"  # of NaN elements: {nan}")
    kinds = [k for k, n in (("-Inf", negative_inf), ("+Inf", positive_inf), ("NaN", nan)) if n]
    return lines, " and ".join(kinds)


def _describe_input(value) -> str:
    if isinstance(value, torch.Tensor):
        if value.numel() <= 10:
            shown = value.detach().cpu().tolist()
        else:
            shown = f"<{value.numel()} values>"
        return f"tensor {shown}, shape={tuple(value.shape)}, dtype={value.dtype}"
    return repr(value)


def _report(op_name: str, index: int, count: int, output: torch.Tensor, args) -> str:
    counts, kinds = _non_finite_counts(output)
    inputs = [a for a in args if isinstance(a, torch.Tensor)]
    lines = [
        "",
        f'!!! Detected Infinity or NaN in output {index} of eagerly-executing op "{op_name}" '
        f"(# of outputs: {count}) !!!",
        f"  dtype: {output.dtype}",
        f"  shape: {tuple(output.shape)}",
        *counts,
        "",
    ]
    if len(inputs) == 1:
        lines.append(f"  Input tensor: {_describe_input(inputs[0])}")
    elif inputs:
        lines.append(f"  Input tensors ({len(inputs)}):")
        lines.extend(f"         {i}: {_describe_input(t)}" for i, t in enumerate(inputs))
    lines += ["", f" : Tensor had {kinds} values"]
    return "\n".join(lines)


class _CheckNumericsMode(TorchDispatchMode):
    """Raises `InvalidArgumentError` at the first op whose float output is not finite."""

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        name = func.overloadpacket.__name__
        if name in _PASS_THROUGH:
            return out
        outputs = out if isinstance(out, (tuple, list)) else (out,)
        for i, value in enumerate(outputs):
            if (
                isinstance(value, torch.Tensor)
                and not isinstance(value, FakeTensor)
                and value.device.type != "meta"
                and (value.is_floating_point() or value.is_complex())
                and value.numel()
                and not bool(torch.isfinite(value).all())
            ):
                raise InvalidArgumentError(_report(name, i, len(outputs), value, args))
        return out


_active: list[_CheckNumericsMode] = []


def enable_check_numerics(stack_height_limit: int = 30, path_length_limit: int = 50) -> None:
    """Makes every op raise as soon as it produces a NaN or an Inf.

    After this call, any op (forward or backward, eager or in a `tf.function`) whose
    floating-point output holds an Inf or a NaN raises `tf.errors.InvalidArgumentError`
    naming the op, the output's dtype and shape, how many values are -Inf/+Inf/NaN, and the
    op's inputs. Every op then waits for its result to check it, so training runs much
    slower: turn it off with `tf.debugging.disable_check_numerics()`. Calling it twice is
    the same as calling it once.

    Args:
        stack_height_limit: accepted for TF compatibility (TF limits the stack trace it
            prints; tork's error carries Python's own traceback).
        path_length_limit: accepted for TF compatibility.

    Returns:
        None.

    Example:
    >>> tf.debugging.enable_check_numerics()
    >>> tf.math.log(tf.constant([1.0, 0.0]))  # raises InvalidArgumentError
    Traceback (most recent call last):
    ...
    tork.errors.InvalidArgumentError: ...
    >>> tf.debugging.disable_check_numerics()
    """
    del stack_height_limit, path_length_limit
    if _active:
        return
    mode = _CheckNumericsMode()
    mode.__enter__()
    _active.append(mode)
    _config._checking_numerics = True


def disable_check_numerics() -> None:
    """Turns off the checks that `tf.debugging.enable_check_numerics()` turned on.

    Does nothing when they are off.

    Returns:
        None.

    Example:
    >>> tf.debugging.enable_check_numerics()
    >>> tf.debugging.disable_check_numerics()
    >>> float(tf.math.log(tf.constant(0.0)))
    -inf
    """
    if _active:
        _active.pop().__exit__(None, None, None)
        _config._checking_numerics = False
