"""`tf.io.parse_single_sequence_example`: a `tf.train.SequenceExample` into tensors.

The context features parse as `tf.io.parse_single_example` parses an Example's
features. Each feature list holds one `tf.train.Feature` per step: a
`VarLenFeature` becomes a `tf.SparseTensor` of dense shape `(steps, longest
step)`, a `FixedLenSequenceFeature` a dense `(steps, *shape)` tensor.
"""

from __future__ import annotations

import math

import numpy as np

from tork._backend.errors import InvalidArgumentError
from tork.ops._parse_example import (
    _DATA_TYPE,
    _KIND_OF,
    FixedLenSequenceFeature,
    VarLenFeature,
    _dtype_key,
    _serialized_list,
    _shape,
    _to_tensor,
    _values,
    _VarLen,
    parse_single_example,
)

_WHERE = "tf.io.parse_single_sequence_example"


def _step_values(steps: list, name: str, key: str) -> list:
    """Each step's values as a NumPy array, checking the feature's value type."""
    wanted = _KIND_OF[key]
    out = []
    for i, feature in enumerate(steps):
        kind = feature.WhichOneof("kind")
        if kind is None:  # an empty Feature: a step without values
            out.append(np.empty(0, dtype=object if key == "string" else key))
            continue
        if kind != wanted:
            raise InvalidArgumentError(
                f"{_WHERE}: step {i} of feature list '{name}' holds {_DATA_TYPE[kind]} values "
                f"({kind}) but the feature spec asks for {_DATA_TYPE[wanted]}."
            )
        out.append(_values(feature, kind))
    return out


def _fixed_steps(values: list, name: str, spec, key: str):
    shape = _shape(spec.shape, f"{_WHERE} (feature list '{name}')")
    size = math.prod(shape)
    for i, v in enumerate(values):
        if v.size != size:
            raise InvalidArgumentError(
                f"{_WHERE}: step {i} of feature list '{name}' has {v.size} values but its "
                f"FixedLenSequenceFeature shape {list(shape)} needs {size}. Use "
                "tf.io.VarLenFeature for a varying number of values per step."
            )
    if not values:
        return np.empty((0, *shape), dtype=object if key == "string" else key)
    return np.stack([v.reshape(shape) for v in values])


def parse_single_sequence_example(
    serialized,
    context_features: dict | None = None,
    sequence_features: dict | None = None,
    example_name=None,
    name: str | None = None,
):
    """Parses one serialized `tf.train.SequenceExample`.

    Args:
        serialized: a scalar string tensor (or bytes) holding a serialized
            `tf.train.SequenceExample`.
        context_features: a dict from names to `tf.io.FixedLenFeature` /
            `VarLenFeature` for the context (parsed as `parse_single_example` does).
        sequence_features: a dict from names to `tf.io.VarLenFeature` or
            `tf.io.FixedLenSequenceFeature` for the feature lists.
        example_name: unused.
        name: unused.

    Returns:
        A tuple `(context, sequences)` of dicts of tensors. A `VarLenFeature`
        list is a `tf.SparseTensor` of dense shape `(steps, longest step)`; a
        `FixedLenSequenceFeature` list a `(steps, *shape)` tensor.

    Raises:
        InvalidArgumentError: a required feature list is missing, a step has the
            wrong number or type of values, or the bytes cannot be parsed.

    Example:
    >>> context, lists = tf.io.parse_single_sequence_example(
    ...     seq.SerializeToString(),
    ...     {"id": tf.io.FixedLenFeature([], tf.int64)},
    ...     {"words": tf.io.VarLenFeature(tf.string)})
    >>> tf.RaggedTensor.from_sparse(lists["words"])
    """
    del example_name, name
    from tork.train.example import DecodeError, Example, SequenceExample

    flat, shape = _serialized_list(serialized, _WHERE)
    if shape != ():
        raise ValueError(
            f"{_WHERE}: `serialized` must be a scalar (one SequenceExample), got shape {shape}."
        )
    try:
        seq = SequenceExample.FromString(flat[0])
    except (DecodeError, UnicodeDecodeError) as err:
        raise InvalidArgumentError(
            f"{_WHERE}: could not parse the bytes as a tf.train.SequenceExample ({err})."
        ) from None
    context = {}
    if context_features:
        as_example = Example(features=seq.context).SerializeToString()
        context = parse_single_example(as_example, context_features)
    sequences = {}
    for feature_name, spec in (sequence_features or {}).items():
        if not isinstance(spec, (VarLenFeature, FixedLenSequenceFeature)):
            raise TypeError(
                f"{_WHERE}: the spec of feature list '{feature_name}' must be a "
                f"tf.io.VarLenFeature or FixedLenSequenceFeature, got {type(spec).__name__}."
            )
        key = _dtype_key(spec.dtype, f"{_WHERE} (feature list '{feature_name}')")
        listed = seq.feature_lists.feature_list.get(feature_name)
        if listed is None and isinstance(spec, FixedLenSequenceFeature):
            if not spec.allow_missing:
                raise InvalidArgumentError(
                    f"{_WHERE}: feature list '{feature_name}' is required but could not be "
                    "found. Pass allow_missing=True to its FixedLenSequenceFeature to allow that."
                )
        steps = _step_values(list(listed.feature) if listed is not None else [], feature_name, key)
        if isinstance(spec, VarLenFeature):
            sequences[feature_name] = _VarLen(steps, key).sparse(batched=True)
        else:
            sequences[feature_name] = _to_tensor(_fixed_steps(steps, feature_name, spec, key), key)
    return context, sequences
