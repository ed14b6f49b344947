"""`tf.lookup.TextFileInitializer` and `tf.lookup.TextFileIndex`: tables from text files."""

from __future__ import annotations

import torch

from tork._backend import string_tensor
from tork._backend.dtypes import as_dtype
from tork._backend.errors import InvalidArgumentError, NotFoundError
from tork.lookup._table_core import Typed, describe, tensor_of


class TextFileIndex:
    """Special column indices of `TextFileInitializer`.

    `WHOLE_LINE` (-2) takes the whole line; `LINE_NUMBER` (-1) the line's number,
    counted from 0.
    """

    WHOLE_LINE = -2
    LINE_NUMBER = -1


def _check_index(index: int, dtype, what: str) -> None:
    if index < TextFileIndex.WHOLE_LINE:
        raise ValueError(f"`{what}_index` should be >= -2, received: {index}.")
    if index == TextFileIndex.LINE_NUMBER and dtype != torch.int64:
        if what == "key":
            raise ValueError(
                f"`key_dtype` must be int64 if `key_index` is -1, received: {describe(dtype)}"
            )
        raise ValueError(
            f"`value_dtype` must be int64 for `value_index` -1, received: {describe(dtype)}"
        )


class TextFileInitializer(Typed):
    """Table initializer reading keys and values from the columns of a text file.

    Each line is one entry; its columns are split by `delimiter`. A key or value is
    a column (`key_index`/`value_index` >= 0), the whole line
    (`TextFileIndex.WHOLE_LINE`) or the line number (`TextFileIndex.LINE_NUMBER`).
    The file is read when a table is built from the initializer.

    Args:
        filename: the path of the text file.
        key_dtype: the keys' dtype (`tf.string`, `tf.int64`, ...).
        key_index: the keys' column, or a `TextFileIndex` value.
        value_dtype: the values' dtype.
        value_index: the values' column, or a `TextFileIndex` value.
        vocab_size: read only this many lines (the file must have at least as many).
        delimiter: the column delimiter (default a tab).
        name: unused, for TensorFlow compatibility.
        value_index_offset: added to line numbers used as values.

    Example:

    ```python
    # vocab.txt holds one word a line; a word's id is its line number.
    init = tf.lookup.TextFileInitializer(
        "vocab.txt", tf.string, tf.lookup.TextFileIndex.WHOLE_LINE,
        tf.int64, tf.lookup.TextFileIndex.LINE_NUMBER)
    table = tf.lookup.StaticHashTable(init, default_value=-1)
    ```
    """

    def __init__(
        self,
        filename,
        key_dtype,
        key_index,
        value_dtype,
        value_index,
        vocab_size=None,
        delimiter="\t",
        name=None,
        value_index_offset=0,
    ):
        key_dtype, value_dtype = as_dtype(key_dtype), as_dtype(value_dtype)
        key_index, value_index = int(key_index), int(value_index)
        _check_index(key_index, key_dtype, "key")
        _check_index(value_index, value_dtype, "value")
        if vocab_size is not None and int(vocab_size) <= 0:
            raise ValueError(f"`vocab_size` should be > 0, received: {vocab_size}.")
        self._filename = filename.decode() if isinstance(filename, bytes) else str(filename)
        self._key_dtype, self._value_dtype = key_dtype, value_dtype
        self._key_index, self._value_index = key_index, value_index
        self._vocab_size = None if vocab_size is None else int(vocab_size)
        self._delimiter = delimiter.encode() if isinstance(delimiter, str) else bytes(delimiter)
        self._offset = int(value_index_offset)
        self._name = name

    def _lines(self) -> list:
        try:
            with open(self._filename, "rb") as file:
                data = file.read()
        except FileNotFoundError:
            raise NotFoundError(f"{self._filename}; No such file or directory") from None
        lines = data.split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()  # the file's final newline ends the last line
        position = 0
        out = []
        for line in lines:
            position += len(line) + 1
            if line.endswith(b"\r"):
                line = line[:-1]
            if not line:
                raise InvalidArgumentError(
                    f"Invalid content in {self._filename}: empty line found at position {position}."
                )
            out.append(line)
            if self._vocab_size is not None and len(out) == self._vocab_size:
                break
        if self._vocab_size is not None and len(out) != self._vocab_size:
            raise InvalidArgumentError(
                f"Invalid vocab_size in {self._filename}: expected {self._vocab_size} but "
                f"got {len(out)}"
            )
        return out

    def _field(self, line: bytes, columns: list, number: int, index: int, dtype, offset: int):
        if index == TextFileIndex.LINE_NUMBER:
            return number + offset
        text = line if index == TextFileIndex.WHOLE_LINE else columns[index]
        if dtype is string_tensor.string:
            return text
        try:
            if dtype.is_floating_point:
                return float(text)
            if dtype == torch.bool:
                return {b"true": True, b"false": False}[text.strip().lower()]
            return int(text)
        except (ValueError, KeyError):
            raise InvalidArgumentError(
                f"Field {text.decode('utf-8', 'replace')} in line {number} of "
                f"{self._filename} is not a valid {str(dtype).replace('torch.', '')}."
            ) from None

    def _contents(self):
        """Reads the file: the keys and values, as two tensors (what a table reads)."""
        needed = max(self._key_index, self._value_index) + 1
        keys, values = [], []
        for number, line in enumerate(self._lines()):
            columns = line.split(self._delimiter) if needed > 0 else []
            if len(columns) < needed:
                raise InvalidArgumentError(
                    f"Invalid number of columns in {self._filename} line {number} "
                    f"({line.decode('utf-8', 'replace')}) : expected at least {needed} got "
                    f"{len(columns)}"
                )
            keys.append(self._field(line, columns, number, self._key_index, self._key_dtype, 0))
            values.append(
                self._field(
                    line, columns, number, self._value_index, self._value_dtype, self._offset
                )
            )
        return tensor_of(keys, self._key_dtype), tensor_of(values, self._value_dtype)
