"""`tf.lookup.experimental`: mutable lookup tables."""

from tork.lookup.dense_hash_table import DenseHashTable
from tork.lookup.mutable_hash_table import MutableHashTable

__all__ = ["DenseHashTable", "MutableHashTable"]
