"""`tf.io.gfile`: TensorFlow's file-system API, on the local file system.

Paths may be `str`, `bytes`, `os.PathLike` or scalar string tensors. Glob
patterns follow TensorFlow's rules: `*` matches any run of characters except
`/`, `?` one such character, `[abc]` / `[a-z]` / `[!a]` / `[^a]` a character
set, and `\\` escapes the next character; unlike Python's `glob`, `*` also
matches names that start with a dot. Missing files raise
`tf.errors.NotFoundError` (a `FileNotFoundError`).
"""

from __future__ import annotations

import fnmatch
import os
import re
import shutil
from collections.abc import Iterator

import numpy as np

from tork._backend import errors as _errors

__all__ = [
    "GFile",
    "copy",
    "exists",
    "glob",
    "isdir",
    "join",
    "listdir",
    "makedirs",
    "mkdir",
    "remove",
    "rename",
    "rmtree",
    "stat",
    "walk",
]

__getattr__ = _errors.module_getattr("tf.io.gfile")


_AlreadyExistsError = _errors.AlreadyExistsError
_PermissionDeniedError = _errors.PermissionDeniedError


def _path(value, where: str) -> str:
    """A file name argument as `str` (bytes decoded as the file system does)."""
    if isinstance(value, str):
        return value
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        value = value.numpy()
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, (bytes, bytearray)):
        return os.fsdecode(bytes(value))
    if isinstance(value, (str, np.str_)):
        return str(value)
    raise TypeError(
        f"{where}: expected a path (str, bytes, os.PathLike or a scalar string tensor), got "
        f"{type(value).__name__}."
    )


def _patterns(value, where: str) -> list[str]:
    """One pattern or a list / 1-D string tensor of patterns, as a list of `str`."""
    if isinstance(value, np.ndarray) and value.ndim > 0:
        return [_path(v, where) for v in value.reshape(-1).tolist()]
    if isinstance(value, (list, tuple)):
        return [_path(v, where) for v in value]
    return [_path(value, where)]


_MAGIC = re.compile(r"[*?[\\]")


def _component_regex(component: str) -> re.Pattern:
    # `\c` means a literal c, and `[^` negates a set, as in TensorFlow (C fnmatch); Python's
    # fnmatch knows neither, so both are rewritten into its syntax first.
    text = re.sub(
        r"\\(.)", lambda m: f"[{m.group(1)}]" if m.group(1) in "*?[" else m.group(1), component
    )
    text = text.replace("[^", "[!")
    return re.compile(fnmatch.translate(text), re.DOTALL)


def _join(prefix: str, name: str) -> str:
    if not prefix:
        return name
    return prefix + name if prefix.endswith(os.sep) else prefix + os.sep + name


def _match(pattern: str) -> list[str]:
    """The existing paths matching one glob pattern, sorted."""
    if not _MAGIC.search(pattern):
        return [pattern] if os.path.lexists(pattern) else []
    parts = pattern.split(os.sep)
    first = next(i for i, part in enumerate(parts) if _MAGIC.search(part))
    prefix = os.sep.join(parts[:first])
    if first > 0 and not prefix:
        prefix = os.sep  # an absolute pattern: the leading "" stands for the root
    elif first > 0:
        prefix += os.sep
    candidates = [prefix]
    for part in parts[first:]:
        found = []
        if _MAGIC.search(part):
            regex = _component_regex(part)
            for base in candidates:
                try:
                    names = os.listdir(base or ".")
                except OSError:  # not a directory, or unreadable: no matches below it
                    continue
                found.extend(_join(base, n) for n in names if regex.match(n))
        else:
            for base in candidates:
                candidate = _join(base, part) if part else base
                if os.path.lexists(candidate):
                    found.append(candidate)
        candidates = found
        if not candidates:
            break
    return sorted(candidates, key=os.fsencode)


def glob(pattern) -> list[str]:
    """Returns the paths that match a glob pattern (or any of a list of patterns).

    Args:
        pattern: a glob pattern (`*`, `?`, `[...]`, `\\` escapes; `*` does
            not cross `/`), or a list of patterns.

    Returns:
        A list of `str` paths, sorted per pattern (patterns in the given order).

    Example:
    >>> tf.io.gfile.glob("/tmp/*.txt")
    ['/tmp/a.txt', '/tmp/b.txt']
    """
    return [m for p in _patterns(pattern, "tf.io.gfile.glob") for m in _match(p)]


def exists(path) -> bool:
    """Returns True if `path` exists (a file or a directory).

    Example:
    >>> tf.io.gfile.exists("/tmp")
    True
    """
    return os.path.exists(_path(path, "tf.io.gfile.exists"))


def isdir(path) -> bool:
    """Returns True if `path` is a directory.

    Example:
    >>> tf.io.gfile.isdir("/tmp")
    True
    """
    return os.path.isdir(_path(path, "tf.io.gfile.isdir"))


def join(path, *paths) -> str:
    """Joins path components with the separator (`os.path.join`).

    Example:
    >>> tf.io.gfile.join("/tmp", "data", "x.txt")
    '/tmp/data/x.txt'
    """
    return os.path.join(
        _path(path, "tf.io.gfile.join"), *(_path(p, "tf.io.gfile.join") for p in paths)
    )


def listdir(path) -> list[str]:
    """Returns the names of the entries of a directory (sorted; no `.` or `..`).

    Args:
        path: a directory.

    Returns:
        A list of `str` names (not full paths).

    Raises:
        NotFoundError: `path` is not an existing directory.

    Example:
    >>> tf.io.gfile.listdir("/tmp/data")
    ['a.txt', 'sub']
    """
    path = _path(path, "tf.io.gfile.listdir")
    if not os.path.isdir(path):
        raise _errors.NotFoundError(f"tf.io.gfile.listdir: could not find directory {path}.")
    return sorted(os.listdir(path))


def makedirs(path) -> None:
    """Creates a directory and any missing parents; an existing directory is fine.

    Raises:
        AlreadyExistsError: `path` (or a parent) exists and is not a directory.

    Example:
    >>> tf.io.gfile.makedirs("/tmp/a/b/c")
    """
    path = _path(path, "tf.io.gfile.makedirs")
    try:
        os.makedirs(path, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise _AlreadyExistsError(
            f"tf.io.gfile.makedirs: {path} (or one of its parents) exists and is not a directory."
        ) from None


def mkdir(path) -> None:
    """Creates one directory; its parent must exist.

    Raises:
        AlreadyExistsError: `path` already exists.
        NotFoundError: the parent directory does not exist (use `makedirs`).

    Example:
    >>> tf.io.gfile.mkdir("/tmp/new_dir")
    """
    path = _path(path, "tf.io.gfile.mkdir")
    try:
        os.mkdir(path)
    except FileExistsError:
        raise _AlreadyExistsError(f"tf.io.gfile.mkdir: {path} already exists.") from None
    except FileNotFoundError:
        raise _errors.NotFoundError(
            f"tf.io.gfile.mkdir: the parent directory of {path} does not exist; use "
            "tf.io.gfile.makedirs to create missing parents too."
        ) from None


def remove(path) -> None:
    """Deletes a file.

    Raises:
        NotFoundError: the file does not exist.

    Example:
    >>> tf.io.gfile.remove("/tmp/old.txt")
    """
    path = _path(path, "tf.io.gfile.remove")
    if os.path.isdir(path) and not os.path.islink(path):
        raise IsADirectoryError(
            f"tf.io.gfile.remove: {path} is a directory; use tf.io.gfile.rmtree to delete it."
        )
    try:
        os.remove(path)
    except FileNotFoundError:
        raise _errors.NotFoundError(f"tf.io.gfile.remove: {path}: no such file.") from None


def rmtree(path) -> None:
    """Deletes a directory and everything in it.

    Raises:
        NotFoundError: the directory does not exist.

    Example:
    >>> tf.io.gfile.rmtree("/tmp/a")
    """
    path = _path(path, "tf.io.gfile.rmtree")
    if not os.path.lexists(path):
        raise _errors.NotFoundError(f"tf.io.gfile.rmtree: {path}: no such directory.")
    shutil.rmtree(path)


def _check_target(src: str, dst: str, overwrite: bool, op: str) -> None:
    if not os.path.lexists(src):
        raise _errors.NotFoundError(f"tf.io.gfile.{op}: {src}: no such file.")
    if not overwrite and os.path.lexists(dst):
        raise _AlreadyExistsError(
            f"tf.io.gfile.{op}: {dst} already exists; pass overwrite=True to replace it."
        )


def rename(src, dst, overwrite: bool = False) -> None:
    """Renames (moves) a file or directory.

    Args:
        src: the current path.
        dst: the new path.
        overwrite: replace an existing `dst` (otherwise that is an error).

    Raises:
        NotFoundError: `src` does not exist.
        AlreadyExistsError: `dst` exists and `overwrite` is False.

    Example:
    >>> tf.io.gfile.rename("/tmp/a.txt", "/tmp/b.txt", overwrite=True)
    """
    src, dst = _path(src, "tf.io.gfile.rename"), _path(dst, "tf.io.gfile.rename")
    _check_target(src, dst, overwrite, "rename")
    os.replace(src, dst)


def copy(src, dst, overwrite: bool = False) -> None:
    """Copies a file's contents to a new file.

    Args:
        src: the file to copy.
        dst: the destination file.
        overwrite: replace an existing `dst` (otherwise that is an error).

    Raises:
        NotFoundError: `src` does not exist.
        AlreadyExistsError: `dst` exists and `overwrite` is False.

    Example:
    >>> tf.io.gfile.copy("/tmp/a.txt", "/tmp/a_copy.txt")
    """
    src, dst = _path(src, "tf.io.gfile.copy"), _path(dst, "tf.io.gfile.copy")
    _check_target(src, dst, overwrite, "copy")
    shutil.copyfile(src, dst)


class _FileStatistics:
    """What `tf.io.gfile.stat` returns.

    Attributes:
        length: the size in bytes.
        mtime_nsec: the last modification time, in nanoseconds since the epoch.
        is_directory: whether the path is a directory.
    """

    __slots__ = ("length", "mtime_nsec", "is_directory")

    def __init__(self, length: int, mtime_nsec: int, is_directory: bool):
        self.length = length
        self.mtime_nsec = mtime_nsec
        self.is_directory = is_directory

    def __repr__(self) -> str:
        return (
            f"FileStatistics(length={self.length}, mtime_nsec={self.mtime_nsec}, "
            f"is_directory={self.is_directory})"
        )


def stat(path) -> _FileStatistics:
    """Returns the size, modification time and kind of a file.

    Returns:
        A `FileStatistics` with `length`, `mtime_nsec` and `is_directory`.

    Raises:
        NotFoundError: the path does not exist.

    Example:
    >>> tf.io.gfile.stat("/tmp/a.txt").length
    5
    """
    path = _path(path, "tf.io.gfile.stat")
    try:
        result = os.stat(path)
    except FileNotFoundError:
        raise _errors.NotFoundError(
            f"tf.io.gfile.stat: {path}: no such file or directory."
        ) from None
    return _FileStatistics(result.st_size, result.st_mtime_ns, os.path.isdir(path))


def walk(top, topdown: bool = True, onerror=None) -> Iterator[tuple[str, list[str], list[str]]]:
    """Walks a directory tree, like `os.walk`.

    Args:
        top: the root directory.
        topdown: yield a directory before its subdirectories (editing the
            yielded subdirectory list then prunes the walk), else after them.
        onerror: called with the `NotFoundError` when a directory cannot be
            listed; by default such directories are skipped silently.

    Yields:
        `(dirname, subdirectory_names, file_names)` tuples.

    Example:
    >>> for dirname, subdirs, files in tf.io.gfile.walk("/tmp/data"):
    ...     print(dirname, files)
    """
    top = _path(top, "tf.io.gfile.walk")
    try:
        names = listdir(top)
    except _errors.NotFoundError as err:
        if onerror is not None:
            onerror(err)
        return
    subdirs, files = [], []
    for item in names:
        (subdirs if os.path.isdir(os.path.join(top, item)) else files).append(item)
    here = (top, subdirs, files)
    if topdown:
        yield here
    for sub in subdirs:
        yield from walk(os.path.join(top, sub), topdown, onerror)
    if not topdown:
        yield here


_VALID_MODES = {"r", "rb", "w", "wb", "a", "ab", "r+", "rb+", "r+b", "w+", "wb+", "w+b", "a+", "ab+", "a+b"}  # fmt: skip


class GFile:
    """A file object for `tf.io.gfile` paths (TensorFlow's `tf.io.gfile.GFile`).

    The file is opened on first use. Text modes (`"r"`, `"w"`, `"a"`) read
    `str` (UTF-8); binary modes (`"rb"`, ...) read `bytes`. `write` accepts
    `str` or `bytes` in either kind of mode. A file opened for writing but
    never written is not created, as in TensorFlow.

    Args:
        name: the path.
        mode: `"r"`, `"w"`, `"a"`, optionally with `"b"` and/or `"+"`.

    Example:
    >>> with tf.io.gfile.GFile("/tmp/notes.txt", "w") as f:
    ...     f.write("line 1\\nline 2\\n")
    >>> with tf.io.gfile.GFile("/tmp/notes.txt") as f:
    ...     f.readlines()
    ['line 1\\n', 'line 2\\n']
    """

    def __init__(self, name, mode: str = "r"):
        if mode not in _VALID_MODES:
            raise ValueError(
                f"tf.io.gfile.GFile: invalid mode {mode!r}; use 'r', 'w' or 'a', optionally "
                "with 'b' (bytes) and/or '+'."
            )
        self._name = _path(name, "tf.io.gfile.GFile")
        self._mode = mode
        self._binary = "b" in mode
        self._readable = "r" in mode or "+" in mode
        self._writable = "w" in mode or "a" in mode or "+" in mode
        self._file = None
        # After close() TensorFlow reopens the file on the next call (reads from the start,
        # writes truncate or append per the mode); this is the mode of that reopening.
        self._closed = False

    @property
    def name(self) -> str:
        """The path this file was opened with."""
        return self._name

    @property
    def mode(self) -> str:
        """The mode this file was opened with."""
        return self._mode

    def _handle(self, writing: bool = False):
        if self._file is not None and self._closed and writing != self._file.writable():
            # Reopened after close() for reads, now written (or the reverse).
            self._file.close()
            self._file = None
        if self._file is None:
            mode = (
                self._mode.replace("b", "").replace("+", "")
                + "b"
                + ("+" if "+" in self._mode else "")
            )
            if self._closed and not writing:
                # TensorFlow's GFile reopens a closed file for reading from its start
                # (tensorflow_similarity reads an .npz lazily after its `with` block).
                mode = "rb"
            try:
                self._file = open(self._name, mode)  # noqa: SIM115 - closed by close()
            except FileNotFoundError:
                raise _errors.NotFoundError(
                    f"tf.io.gfile.GFile: {self._name}: no such file."
                ) from None
        return self._file

    def _reader(self):
        if not self._readable:
            raise _PermissionDeniedError(
                f"tf.io.gfile.GFile: {self._name} is open in mode {self._mode!r}, not for reading."
            )
        return self._handle()

    def _out(self, data: bytes):
        return data if self._binary else data.decode("utf-8")

    def read(self, n: int = -1):
        """Reads `n` bytes (all the rest when `n` is -1): `str` in text mode, else `bytes`."""
        return self._out(self._reader().read(-1 if n is None else n))

    def readline(self):
        """Reads one line, with its newline (empty at the end of the file)."""
        return self._out(self._reader().readline())

    def readlines(self) -> list:
        """Reads all remaining lines."""
        return [self._out(line) for line in self._reader().readlines()]

    def __iter__(self) -> GFile:
        return self

    def __next__(self):
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    def write(self, file_content) -> None:
        """Writes `str` (as UTF-8) or `bytes` at the end of what was written so far."""
        if not self._writable:
            raise _PermissionDeniedError(
                f"tf.io.gfile.GFile: {self._name} is open in mode {self._mode!r}, not for "
                "writing; open it with 'w' or 'a'."
            )
        if isinstance(file_content, str):
            file_content = file_content.encode("utf-8")
        elif not isinstance(file_content, (bytes, bytearray, memoryview)):
            raise TypeError(
                f"tf.io.gfile.GFile.write expects str or bytes, got {type(file_content).__name__}."
            )
        self._handle(writing=True).write(file_content)

    def seek(self, offset: int | None = None, whence: int = 0, position: int | None = None) -> int:
        """Moves the file position (`whence`: 0 from the start, 1 from here, 2 from the end).

        `position` is TensorFlow's deprecated name for `offset`.
        """
        if position is not None:
            if offset is not None:
                raise TypeError("tf.io.gfile.GFile.seek: pass `offset` or `position`, not both.")
            offset = position
        return self._handle().seek(0 if offset is None else offset, whence)

    def tell(self) -> int:
        """Returns the current position in bytes."""
        return self._handle().tell()

    def size(self) -> int:
        """Returns the size of the file in bytes."""
        if self._file is not None:
            self._file.flush()
        return stat(self._name).length

    def seekable(self) -> bool:
        """True: local files support `seek`."""
        return True

    def flush(self) -> None:
        """Writes buffered data to the file."""
        if self._file is not None:
            self._file.flush()

    def close(self) -> None:
        """Flushes and closes the file.

        As in TensorFlow, a later read reopens the file from its start and a later write
        reopens it in the file's mode ('w' truncates again, 'a' appends).
        """
        if self._file is not None:
            self._file.close()
            self._file = None
        self._closed = True

    def __enter__(self) -> GFile:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<tf.io.gfile.GFile name={self._name!r} mode={self._mode!r}>"
