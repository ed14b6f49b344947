"""`tf.lookup.experimental.MutableHashTable`: a table that grows and shrinks."""

from __future__ import annotations

from tork.lookup._mutable_table import MutableTable


class MutableHashTable(MutableTable):
    """A mutable hash table: `insert`, `remove`, `lookup`, `export`.

    Values may be scalars or vectors (the shape of `default_value`).

    Args:
        key_dtype: the keys' dtype (`tf.string`, `tf.int64` or `tf.int32`).
        value_dtype: the values' dtype.
        default_value: the value of keys not in the table; its shape is the shape
            of every value.
        name: the table's name.
        checkpoint: unused (tork does not save tables in checkpoints).
        experimental_is_anonymous: unused, for TensorFlow compatibility.

    Example:
    >>> table = tf.lookup.experimental.MutableHashTable(tf.string, tf.int64, -1)
    >>> table.insert(tf.constant(["a", "b"]), tf.constant([1, 2], tf.int64))
    >>> table.lookup(tf.constant(["b", "z"])).tolist()
    [2, -1]
    """

    def __init__(
        self,
        key_dtype,
        value_dtype,
        default_value,
        name="MutableHashTable",
        checkpoint=True,
        experimental_is_anonymous=False,
    ):
        del checkpoint, experimental_is_anonymous
        super().__init__(key_dtype, value_dtype, default_value, name)
