"""`tf.feature_column.categorical_column_with_vocabulary_file`."""

from __future__ import annotations

from tork._backend import string_tensor
from tork.feature_column import _vocabulary
from tork.feature_column._base import (
    CategoricalColumn,
    CategoricalIds,
    FeatureCache,
    KeyedColumn,
    as_dtype,
    check_key,
    is_integer_dtype,
)
from tork.feature_column.categorical_vocabulary_list import check_oov


class VocabularyFileCategoricalColumn(KeyedColumn, CategoricalColumn):
    """Ids of a feature's values in a vocabulary file; see the function."""

    _fields = (
        "key",
        "vocabulary_file",
        "vocabulary_size",
        "num_oov_buckets",
        "dtype",
        "default_value",
        "file_format",
    )

    def __init__(
        self,
        key,
        vocabulary_file,
        vocabulary_size,
        num_oov_buckets,
        dtype,
        default_value,
        file_format=None,
    ):
        self.key = key
        self.vocabulary_file = vocabulary_file
        self.vocabulary_size = vocabulary_size
        self.num_oov_buckets = num_oov_buckets
        self.dtype = dtype
        self.default_value = default_value
        self.file_format = file_format

    @property
    def num_buckets(self) -> int:
        return self.vocabulary_size + self.num_oov_buckets

    def transform(self, cache: FeatureCache) -> CategoricalIds:
        vocabulary = self.__dict__.get("_vocabulary")
        if vocabulary is None:
            lines = _read_lines(self.vocabulary_file)[: self.vocabulary_size]
            if self.dtype is string_tensor.string:
                vocabulary = [line.encode("utf-8") for line in lines]
            else:
                vocabulary = [int(line) for line in lines]
            self.__dict__["_vocabulary"] = vocabulary
        return _vocabulary.lookup(self, cache, vocabulary)


def _read_lines(path: str) -> list:
    # One term per line, as TensorFlow's TextFileIndex.WHOLE_LINE (the trailing newline
    # is not part of the term).
    with open(path, encoding="utf-8") as file:
        return [line.rstrip("\r\n") for line in file]


def categorical_column_with_vocabulary_file(
    key,
    vocabulary_file,
    vocabulary_size=None,
    dtype=string_tensor.string,
    default_value=None,
    num_oov_buckets=0,
    file_format=None,
):
    """A categorical column with a vocabulary file (one term per line).

    Each value becomes the line number of its term in the file. Out-of-vocabulary
    values get `default_value` (-1 when None), or with `num_oov_buckets` a hash
    bucket after the vocabulary, as in `categorical_column_with_vocabulary_list`.

    Args:
        key: the feature name.
        vocabulary_file: the path of the vocabulary file.
        vocabulary_size: the number of lines to use (all lines when None).
        dtype: `tf.string` or an integer type (terms are then parsed as integers).
        default_value: the id of out-of-vocabulary values.
        num_oov_buckets: the number of hash buckets for out-of-vocabulary values.
        file_format: must be None (text file); TFRecord vocabularies are not supported.

    Returns:
        A `VocabularyFileCategoricalColumn`.

    Example:
    >>> path = "/tmp/states.txt"
    >>> _ = open(path, "w").write("CA\\nNY\\nTX\\n")
    >>> states = tf.feature_column.categorical_column_with_vocabulary_file("state", path)
    >>> states.num_buckets
    3
    """
    key = check_key(key, "categorical_column_with_vocabulary_file")
    if not vocabulary_file:
        raise ValueError(f"Missing vocabulary_file in {key}.")
    if file_format not in (None, "text"):
        raise NotImplementedError(
            "tf.feature_column.categorical_column_with_vocabulary_file(file_format="
            f"{file_format!r}) is not implemented in tork; use a text file, one term per line."
        )
    if vocabulary_size is None:
        import os

        if not os.path.exists(vocabulary_file):
            raise ValueError(f"vocabulary_file in {key} does not exist.")
        vocabulary_size = len(_read_lines(vocabulary_file))
    if int(vocabulary_size) < 1:
        raise ValueError(f"Invalid vocabulary_size in {key}.")
    check_oov(default_value, num_oov_buckets, f"column {key!r}")
    dtype = as_dtype(dtype, f"categorical_column_with_vocabulary_file {key!r}")
    if dtype is not string_tensor.string and not is_integer_dtype(dtype):
        raise ValueError(f"dtype must be string or integer. dtype: {dtype!r}, column_name: {key}")
    return VocabularyFileCategoricalColumn(
        key,
        vocabulary_file,
        int(vocabulary_size),
        int(num_oov_buckets),
        dtype,
        -1 if default_value is None else default_value,
        file_format,
    )
