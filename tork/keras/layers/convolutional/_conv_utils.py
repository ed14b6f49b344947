"""Argument checks, output lengths and TensorFlow padding rules shared by spatial layers.

Convolution, pooling, upsampling, padding and cropping layers all take
`kernel_size`/`strides`-like tuples, a `padding` string and a `data_format`,
and compute output lengths the way TensorFlow does. These helpers keep those
rules (and their error messages) in one place.
"""

from __future__ import annotations

import operator

from tork._backend.padding import effective_size, same_pads  # noqa: F401 (re-exported)
from tork.keras.layers import _placeholder_batch
from tork.keras.layers._call_context import where

_FORMATS = ("channels_last", "channels_first")

# Axis names of each spatial rank, for error messages.
_SPATIAL_NAMES = {1: ("steps",), 2: ("height", "width"), 3: ("depth", "height", "width")}


# Names in a constructor's `locals()` that are not its arguments.
_NOT_ARGUMENTS = frozenset(("self", "__class__", "kwargs"))


def constructor_args(arguments: dict) -> dict:
    """A layer constructor's arguments, from its `locals()`, as keywords for its base class.

    Lets a public per-rank layer keep Keras's explicit signature and still hand every
    argument on in one line: `super().__init__(2, **constructor_args(locals()))`. The
    constructor's `**kwargs` are merged in. Call it before the constructor binds any other
    local name.

    Args:
        arguments: the constructor's `locals()`.

    Returns:
        A dict of argument name to value.
    """
    args = {name: value for name, value in arguments.items() if name not in _NOT_ARGUMENTS}
    args.update(arguments.get("kwargs", ()))
    return args


def plain_shape(shape) -> tuple:
    """A shape as a tuple of Python ints and Nones, for error messages."""
    return tuple(None if d is None else int(d) for d in shape)


def standardize_data_format(data_format: str | None, owner: str) -> str:
    """Returns `'channels_last'` or `'channels_first'`; None means the Keras default."""
    if data_format is None:
        try:
            from tork.keras.backend import image_data_format
        except ImportError:
            return "channels_last"
        return image_data_format()
    value = str(data_format).lower()
    if value not in _FORMATS:
        raise ValueError(
            f"{owner}(data_format=...) must be 'channels_last' or 'channels_first', got "
            f"{data_format!r}."
        )
    return value


def normalize_tuple(value, rank: int, arg: str, owner: str, allow_zero: bool = False) -> tuple:
    """Turns an int or a sequence of `rank` ints into a tuple of `rank` ints, checking them."""
    example = ", ".join(["3"] * rank)
    try:
        if isinstance(value, (str, bytes, bool)):
            raise TypeError
        if hasattr(value, "__index__"):
            result = (operator.index(value),) * rank
        else:
            result = tuple(operator.index(v) for v in value)
    except TypeError:
        raise ValueError(
            f"{owner}({arg}=...) must be an integer or a tuple of {rank} integers, got "
            f"{value!r}. Example: {arg}={'3' if rank == 1 else f'({example})'}."
        ) from None
    if len(result) != rank:
        raise ValueError(
            f"{owner}({arg}=...) must be an integer or a tuple of {rank} integers, got "
            f"{value!r} ({len(result)} values)."
        )
    low = 0 if allow_zero else 1
    if any(v < low for v in result):
        kind = "non-negative" if allow_zero else "positive"
        raise ValueError(f"{owner}({arg}=...) must be {kind} integers, got {value!r}.")
    return result


def normalize_padding(padding, owner: str, allowed: tuple) -> str:
    """Lower-cases and checks a padding mode string against the allowed ones."""
    value = padding.lower() if isinstance(padding, str) else padding
    if value not in allowed:
        valid = ", ".join(repr(a) for a in allowed)
        raise ValueError(f"{owner}(padding=...) must be one of {valid}, got {padding!r}.")
    return value


def conv_output_length(length, kernel: int, padding: str, stride: int, dilation: int = 1):
    """The output length of a convolution or pooling window along one axis (None stays None)."""
    if length is None:
        return None
    span = effective_size(kernel, dilation)
    if padding == "same":
        return -(-length // stride)
    if padding == "causal":
        return (length - 1) // stride + 1
    return max((length - span) // stride + 1, 0)


def layout_description(rank: int, channels_last: bool) -> str:
    """E.g. `(batch, height, width, channels)`."""
    names = ("batch",) + _SPATIAL_NAMES[rank]
    names = names + ("channels",) if channels_last else ("batch", "channels") + names[1:]
    return "(" + ", ".join(names) + ")"


def rank_error(
    owner, shape, rank: int, channels_last: bool, *, min_ndim: bool = False
) -> ValueError:
    """A ValueError for input of the wrong rank, suggesting how to add a channel axis.

    `owner` is the layer (its message then starts with tf_keras's input-spec sentence,
    `expected ndim=...` or, for the convolutions, `expected min_ndim=...`) or a text naming
    the failing op.
    """
    # In a model building on zeros (Sequential with input_shape=) the batch size is made
    # up: the user's input_shape, not a missing batch axis, is what is short.
    shape = _placeholder_batch.shown_shape(shape)
    expected = rank + 2
    where_text = owner if isinstance(owner, str) else where(owner)
    message = (
        f"{where_text}: expects {expected}D input {layout_description(rank, channels_last)}, "
        f"but got input of shape {shape} ({len(shape)}D)."
    )
    if not isinstance(owner, str):
        # The sentence tf_keras gives (users search for it), only where tf_keras fails too:
        # a min_ndim layer takes extra leading axes.
        failed = len(shape) < expected if min_ndim else len(shape) != expected
        if failed:
            spec = f"min_ndim={expected}" if min_ndim else f"ndim={expected}"
            message = (
                f'Input 0 of layer "{owner.name}" is incompatible with the layer: expected '
                f"{spec}, found ndim={len(shape)}. Full shape received: {shape}. {message}"
            )
    if len(shape) == expected - 1:
        if channels_last and shape[0] is not None and shape[-1] in (1, 3, 4):
            # One sample without its batch axis (predict(image), model.build((28, 28, 1))):
            # its channel axis (1, 3 or 4 values) is already there. (Channels-first input
            # is ambiguous here: its first axis is the batch or the channels.)
            message += (
                " If it is a single sample, add the batch axis: x[None] or "
                f"np.expand_dims(x, 0) (model.build() takes it too: build({(None, *shape)}))."
            )
        else:
            sample = shape[1:]
            if channels_last:
                target = sample + (1,)
                index = "x[..., None]"
            else:
                target = (1,) + sample
                index = "x[:, None]"
            message += f" If each sample has a single channel, add a channel axis, e.g. {index}" + (
                f" or a Reshape({target}) layer before this one."
                if all(d is not None for d in target)
                else "."
            )
    elif len(shape) == expected + 1 and rank < 3:
        message += (
            f" For {len(shape) - 2}D data use the {len(shape) - 2}D version of this layer."
            if len(shape) - 2 <= 3
            else ""
        )
    else:
        message += " Check which tensor is passed to this layer."
    return ValueError(message)


def spatial_axes(rank: int, channels_last: bool) -> tuple:
    """The positions of the spatial axes in a (batch, ...) tensor."""
    return tuple(range(1, rank + 1)) if channels_last else tuple(range(2, rank + 2))


def to_torch_perm(rank: int) -> tuple:
    """Permutation taking channels-last (N, *S, C) to torch's (N, C, *S)."""
    return (0, rank + 1, *range(1, rank + 1))


def from_torch_perm(rank: int) -> tuple:
    """Permutation taking torch's (N, C, *S) back to channels-last (N, *S, C)."""
    return (0, *range(2, rank + 2), 1)


def flat_pad(pads, channels_last: bool) -> tuple:
    """The F.pad argument (last axis first) for per-spatial-axis (left, right) pads.

    A tuple: layers keep it as an attribute, where a list would become a tracked list
    that torch.compile cannot pass to F.pad (a graph break in every such layer).
    """
    result = [0, 0] if channels_last else []
    for left, right in reversed(pads):
        result += [left, right]
    return tuple(result)
