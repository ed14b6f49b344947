"""`tf.feature_column.make_parse_example_spec`: the parsing spec of a set of columns."""

from __future__ import annotations

from tork.feature_column._base import FeatureColumn


def make_parse_example_spec(feature_columns) -> dict:
    """Creates the parsing spec dictionary from the given feature columns.

    The result maps each raw feature key the columns read to a
    `tf.io.FixedLenFeature` or `tf.io.VarLenFeature`, ready for
    `tf.io.parse_example`.

    Args:
        feature_columns: an iterable of feature columns.

    Returns:
        A dict `{feature key: FixedLenFeature | VarLenFeature}`.

    Raises:
        ValueError: a column is not a feature column, or two columns need
            different specs for the same key.

    Example:
    >>> age = tf.feature_column.numeric_column("age")
    >>> spec = tf.feature_column.make_parse_example_spec([age])
    >>> sorted(spec)
    ['age']
    """
    result = {}
    for column in feature_columns:
        if not isinstance(column, FeatureColumn):
            raise ValueError(
                f"All feature_columns must be FeatureColumn instances. Given: {column}"
            )
        for key, spec in column.parse_example_spec.items():
            if key in result and result[key] != spec:
                raise ValueError(
                    f"feature_columns contain different parse_spec for key {key}. Given "
                    f"{result[key]} and {spec}"
                )
        result.update(column.parse_example_spec)
    return result
