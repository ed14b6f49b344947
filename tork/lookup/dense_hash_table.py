"""`tf.lookup.experimental.DenseHashTable`: a mutable table with reserved empty/deleted keys."""

from __future__ import annotations

from tork._backend.errors import InvalidArgumentError
from tork.lookup._mutable_table import MutableTable, _as_dtype_tensor


class DenseHashTable(MutableTable):
    """A mutable hash table whose `empty_key` and `deleted_key` cannot be keys.

    TensorFlow stores it as open addressing, where these two keys mark free slots;
    tork keeps the same rules (both keys are refused in `insert`, `lookup` and
    `remove`) over a Python dict. Only scalar keys are supported.

    Args:
        key_dtype: the keys' dtype (`tf.int64`, `tf.int32` or `tf.string`).
        value_dtype: the values' dtype.
        default_value: the value of keys not in the table (its shape is every value's).
        empty_key: a key that is never used.
        deleted_key: another key that is never used.
        initial_num_buckets: TensorFlow's initial capacity: a power of 2, at least 4.
        name: the table's name.
        checkpoint: unused (tork does not save tables in checkpoints).
        experimental_is_anonymous: unused, for TensorFlow compatibility.

    Example:
    >>> table = tf.lookup.experimental.DenseHashTable(
    ...     tf.int64, tf.int64, default_value=-1, empty_key=0, deleted_key=-1)
    >>> table.insert(tf.constant([1, 2], tf.int64), tf.constant([10, 20], tf.int64))
    >>> table.lookup(tf.constant([2, 5], tf.int64)).tolist()
    [20, -1]
    """

    def __init__(
        self,
        key_dtype,
        value_dtype,
        default_value,
        empty_key,
        deleted_key,
        initial_num_buckets=None,
        name="MutableDenseHashTable",
        checkpoint=True,
        experimental_is_anonymous=False,
    ):
        del checkpoint, experimental_is_anonymous
        super().__init__(key_dtype, value_dtype, default_value, name)
        empty = _as_dtype_tensor(empty_key, self._key_dtype, "empty_key")
        deleted = _as_dtype_tensor(deleted_key, self._key_dtype, "deleted_key")
        if tuple(empty.shape) != () or tuple(deleted.shape) != ():
            raise NotImplementedError(
                "tf.lookup.experimental.DenseHashTable: tork supports scalar keys only; "
                f"got empty_key of shape {tuple(empty.shape)}."
            )
        # Python ints or bytes, compared with the keys as `_keys` flattens them.
        self._empty_key = empty.tolist()
        self._deleted_key = deleted.tolist()
        if self._empty_key == self._deleted_key:
            raise InvalidArgumentError("Empty and deleted keys cannot be equal")
        if initial_num_buckets is not None:
            buckets = int(initial_num_buckets)
            if buckets < 4 or buckets & (buckets - 1):
                raise InvalidArgumentError(
                    f"Number of buckets must be at least 4 and a power of 2, got: {buckets}"
                )

    def _check_keys(self, flat_keys: list) -> None:
        for key in flat_keys:
            if key == self._empty_key:
                raise InvalidArgumentError("Using the empty_key as a table key is not allowed")
            if key == self._deleted_key:
                raise InvalidArgumentError("Using the deleted_key as a table key is not allowed")

    def erase(self, keys, name=None):
        """Removes `keys` from the table (the same as `remove`)."""
        return self.remove(keys, name=name)
