"""`keras.utils.pad_sequences`: lists of variable-length sequences to one 2-D array."""

from __future__ import annotations

import numpy as np


def pad_sequences(
    sequences,
    maxlen=None,
    dtype="int32",
    padding="pre",
    truncating="pre",
    value=0.0,
):
    """Pads (or truncates) sequences to the same length.

    Args:
        sequences: a list of sequences (lists or arrays, possibly with trailing
            feature axes).
        maxlen: the output length; default the longest sequence.
        dtype: dtype of the result.
        padding: `'pre'` or `'post'`: where to add padding.
        truncating: `'pre'` or `'post'`: where to cut sequences longer than `maxlen`.
        value: the padding value.

    Returns:
        A NumPy array of shape `(len(sequences), maxlen, ...)`.

    Example:
    >>> keras.utils.pad_sequences([[1, 2], [3]], padding="post")
    array([[1, 2],
           [3, 0]], dtype=int32)
    """
    if padding not in ("pre", "post"):
        raise ValueError(f"padding must be 'pre' or 'post', got {padding!r}.")
    if truncating not in ("pre", "post"):
        raise ValueError(f"truncating must be 'pre' or 'post', got {truncating!r}.")
    if not hasattr(sequences, "__len__"):
        raise ValueError(
            "`sequences` must be iterable: a list of sequences, got an object of type "
            f"{type(sequences).__name__}."
        )
    lengths = []
    trailing = None
    for sequence in sequences:
        # As Keras: every entry needs a length (a generator or a scalar is refused).
        if (
            not hasattr(sequence, "__len__")
            or isinstance(sequence, np.ndarray)
            and not np.ndim(sequence)
        ):
            raise ValueError(
                f"`sequences` must be a list of iterables. Found non-iterable: {sequence}"
            )
        lengths.append(len(sequence))
        if trailing is None and len(sequence):
            # The first non-empty sequence fixes the shape of a time step.
            trailing = np.asarray(sequence).shape[1:]
    trailing = trailing or ()
    if maxlen is None:
        maxlen = max(lengths) if lengths else 0
    elif maxlen < 0:
        # numpy's own error ("negative dimensions are not allowed") names no argument.
        raise ValueError(
            f"pad_sequences: `maxlen` must be a non-negative integer (or None for the longest "
            f"sequence), got maxlen={maxlen}."
        )
    string_dtype = np.issubdtype(np.dtype(dtype), np.str_)
    if isinstance(value, str) and np.dtype(dtype) != object and not string_dtype:
        raise ValueError(
            f"`dtype` {dtype} is not compatible with `value`'s type: {type(value)}\n"
            "You should set `dtype=object` for variable length strings."
        )
    out = np.full((len(lengths), maxlen, *trailing), value, dtype=dtype)
    for i, sequence in enumerate(sequences):
        if not len(sequence):
            continue
        kept = sequence[-maxlen:] if truncating == "pre" else sequence[:maxlen]
        # Converting to `dtype` here (not on assignment) makes out-of-range integers and
        # unparsable strings raise, as in Keras, instead of wrapping around silently.
        kept = np.asarray(kept, dtype=dtype)
        if kept.shape[1:] != trailing:
            raise ValueError(
                f"Shape of sample {kept.shape[1:]} of sequence at position {i} is different "
                f"from expected shape {trailing}"
            )
        if padding == "post":
            out[i, : len(kept)] = kept
        else:
            out[i, maxlen - len(kept) :] = kept
    return out
