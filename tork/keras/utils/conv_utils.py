"""`keras.utils.conv_utils`: the argument and shape helpers custom conv layers import.

Keras 2 custom layers (2017-2021 code) write
`from keras.utils import conv_utils` and call `conv_utils.normalize_tuple(kernel_size,
2, "kernel_size")` or `conv_utils.conv_output_length(...)` in `compute_output_shape`.
These follow the Keras 2 signatures and results.
"""

from __future__ import annotations

from tork.keras import config as _config

# Padding cropped from each side of a (transposed) convolution, by padding mode.
_PAD = {"same": lambda k: k // 2, "valid": lambda k: 0, "full": lambda k: k - 1}


def normalize_tuple(value, n: int, name: str, allow_zero: bool = False) -> tuple:
    """Turns an int or an iterable of `n` ints into a tuple of `n` ints.

    Args:
        value: an int, or an iterable of ints.
        n: the length of the tuple to return.
        name: the argument's name, for the error message (e.g. `"kernel_size"`).
        allow_zero: whether 0 is allowed (strides and kernel sizes must be positive).

    Returns:
        A tuple of `n` ints.

    Raises:
        ValueError: if `value` is not an int or `n` ints, or holds a value too small.
    """
    error = f"The `{name}` argument must be a tuple of {n} integers. Received: {value}"
    if isinstance(value, int):
        values = (value,) * n
    else:
        try:
            values = tuple(value)
        except TypeError:
            raise ValueError(error) from None
        if len(values) != n or not all(isinstance(v, int) for v in values):
            raise ValueError(error)
    too_small = {v for v in values if v < 0 or (v == 0 and not allow_zero)}
    if too_small:
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{error} including {too_small} that does not satisfy `{bound}`.")
    return values


def normalize_data_format(value: str | None) -> str:
    """Returns `"channels_first"` or `"channels_last"` (None: the configured default)."""
    if value is None:
        value = _config.image_data_format()
    data_format = value.lower()
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError(
            'The `data_format` argument must be one of "channels_first", "channels_last". '
            f"Received: {value}"
        )
    return data_format


def normalize_padding(value) -> str | tuple | list:
    """Returns a padding mode in lower case (a list/tuple of pads is returned as is)."""
    if isinstance(value, (list, tuple)):
        return value
    padding = value.lower()
    if padding not in ("valid", "same", "causal"):
        raise ValueError(
            'The `padding` argument must be a list/tuple or one of "valid", "same" (or '
            f'"causal", only for `Conv1D`). Received: {value}'
        )
    return padding


def conv_output_length(
    input_length: int | None, filter_size: int, padding: str, stride: int, dilation: int = 1
) -> int | None:
    """Length of a convolution's output along one axis (None stays None).

    Args:
        input_length: the input's length.
        filter_size: the kernel's length.
        padding: `"same"`, `"valid"`, `"full"` or `"causal"`.
        stride: the stride.
        dilation: the dilation rate.
    """
    if input_length is None:
        return None
    dilated = (filter_size - 1) * dilation + 1
    if padding in ("same", "causal"):
        length = input_length
    elif padding == "valid":
        length = input_length - dilated + 1
    elif padding == "full":
        length = input_length + dilated - 1
    else:
        raise ValueError(_padding_error("conv_output_length", padding))
    return (length + stride - 1) // stride


def conv_input_length(
    output_length: int | None, filter_size: int, padding: str, stride: int
) -> int | None:
    """Length of the input a convolution maps to `output_length` (None stays None)."""
    if output_length is None:
        return None
    if padding not in _PAD:
        raise ValueError(_padding_error("conv_input_length", padding))
    return (output_length - 1) * stride - 2 * _PAD[padding](filter_size) + filter_size


def deconv_output_length(
    input_length: int | None,
    filter_size: int | None,
    padding: str,
    output_padding: int | None = None,
    stride: int = 0,
    dilation: int = 1,
) -> int | None:
    """Length of a transposed convolution's output along one axis (None stays None).

    Args:
        input_length: the input's length.
        filter_size: the kernel's length.
        padding: `"same"`, `"valid"` or `"full"`.
        output_padding: extra length added on one side, or None to infer it.
        stride: the stride.
        dilation: the dilation rate.
    """
    if input_length is None:
        return None
    if padding not in _PAD:
        raise ValueError(_padding_error("deconv_output_length", padding))
    kernel = filter_size + (filter_size - 1) * (dilation - 1)
    if output_padding is None:
        if padding == "valid":
            return input_length * stride + max(kernel - stride, 0)
        if padding == "full":
            return input_length * stride - (stride + kernel - 2)
        return input_length * stride
    return (input_length - 1) * stride + kernel - 2 * _PAD[padding](kernel) + output_padding


def _padding_error(function: str, padding) -> str:
    return (
        f'conv_utils.{function}: padding must be "same", "valid" or "full" (and "causal" '
        f"for conv_output_length). Received: {padding!r}"
    )
