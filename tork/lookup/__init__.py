"""`tf.lookup`: key-to-value tables (static hash and vocabulary tables)."""

from tork.lookup import experimental
from tork.lookup.key_value_tensor_initializer import KeyValueTensorInitializer
from tork.lookup.static_hash_table import StaticHashTable
from tork.lookup.static_vocabulary_table import StaticVocabularyTable
from tork.lookup.text_file_initializer import TextFileIndex, TextFileInitializer

__all__ = [
    "KeyValueTensorInitializer",
    "StaticHashTable",
    "StaticVocabularyTable",
    "TextFileIndex",
    "TextFileInitializer",
    "experimental",
]
