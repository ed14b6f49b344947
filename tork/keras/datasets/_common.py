"""Readers shared by the `keras.datasets` loaders."""

from __future__ import annotations

import io
import itertools
import pickle
import zipfile

import numpy as np

ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"

# The only globals a pickled NumPy array needs; anything else in a downloaded
# pickle (code execution, imports) is refused.
_ALLOWED = {
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
    ("numpy._core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "scalar"),
    ("_codecs", "encode"),
}


class _ArrayUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        # Files pickled by NumPy 1.x name `numpy.core`; NumPy 2 calls it `numpy._core`.
        if module.startswith("numpy.core"):
            module = "numpy._core" + module[len("numpy.core") :]
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(
                f"Refusing to load {module}.{name} from a dataset file: only NumPy arrays "
                "are expected there. The file may be corrupted or not the original."
            )
        if module == "_codecs":
            import codecs

            return codecs.encode
        try:
            return super().find_class(module, name)
        except ModuleNotFoundError:  # NumPy 1.x has no `numpy._core`
            return super().find_class(module.replace("numpy._core", "numpy.core"), name)


def load_pickle(f, encoding: str = "bytes"):
    """Unpickles NumPy arrays, lists, dicts and scalars only."""
    return _ArrayUnpickler(f, encoding=encoding).load()


def _read_npy(data: bytes) -> np.ndarray:
    buf = io.BytesIO(data)
    version = np.lib.format.read_magic(buf)
    if version == (1, 0):
        _, _, dtype = np.lib.format.read_array_header_1_0(buf)
    else:
        _, _, dtype = np.lib.format.read_array_header_2_0(buf)
    if dtype.hasobject:
        # Ragged sequences (imdb, reuters) are pickled object arrays.
        return load_pickle(buf, encoding="latin1")
    buf.seek(0)
    return np.lib.format.read_array(buf, allow_pickle=False)


def load_npz(path: str) -> dict[str, np.ndarray]:
    """Reads every array of an `.npz` file, unpickling object arrays safely."""
    with zipfile.ZipFile(path) as zf:
        return {
            name[: -len(".npy")] if name.endswith(".npy") else name: _read_npy(zf.read(name))
            for name in zf.namelist()
        }


def shuffled(seed, *arrays):
    """Applies one `np.random.RandomState(seed)` permutation to every array."""
    indices = np.arange(len(arrays[0]))
    np.random.RandomState(seed).shuffle(indices)
    return tuple(a[indices] for a in arrays)


def split(x, y, test_split: float):
    """Splits off the last `test_split` fraction, as Keras does."""
    idx = int(len(x) * (1 - test_split))
    return (np.array(x[:idx]), np.array(y[:idx])), (np.array(x[idx:]), np.array(y[idx:]))


def check_test_split(test_split: float) -> None:
    if not 0 <= test_split < 1:
        raise ValueError(
            f"Invalid `test_split` argument: {test_split}. It must be in [0, 1) "
            "(the fraction of samples kept for the test set)."
        )


def object_array(sequences: list) -> np.ndarray:
    # np.array(list_of_lists, dtype=object) would build a 2-D array when all
    # sequences happen to have the same length; fill a 1-D one instead.
    out = np.empty(len(sequences), dtype=object)
    out[:] = sequences
    return out


def encode_sequences(
    sequences, num_words, skip_top, maxlen, start_char, oov_char, index_from
) -> tuple[list, np.ndarray]:
    """Keras's word-index transformations on a batch of sequences, vectorised.

    Returns the new sequences (lists of ints) and the boolean mask of the
    sequences kept by `maxlen`.
    """
    lengths = np.fromiter((len(s) for s in sequences), dtype=np.int64, count=len(sequences))
    flat = np.fromiter(
        itertools.chain.from_iterable(sequences), dtype=np.int64, count=int(lengths.sum())
    )
    if start_char is not None or index_from:
        flat = flat + index_from
    if start_char is not None:
        starts = np.cumsum(lengths) - lengths
        flat = np.insert(flat, starts, start_char)
        lengths = lengths + 1
    keep = np.ones(len(lengths), dtype=bool)
    if maxlen:
        # Keras keeps only sequences strictly shorter than maxlen.
        keep = lengths < maxlen
        flat = flat[np.repeat(keep, lengths)]
        lengths = lengths[keep]
    if not num_words:
        # As in Keras, the cut-off is then the largest index itself, so that
        # index is also treated as out of vocabulary below.
        num_words = int(flat.max()) if flat.size else 0
    in_vocab = (flat >= skip_top) & (flat < num_words)
    if oov_char is not None:
        flat = np.where(in_vocab, flat, oov_char)
    else:
        segment = np.repeat(np.arange(len(lengths)), lengths)
        flat = flat[in_vocab]
        lengths = np.bincount(segment[in_vocab], minlength=len(lengths))
    values = flat.tolist()
    bounds = np.concatenate([[0], np.cumsum(lengths)]).tolist()
    return [values[a:b] for a, b in zip(bounds[:-1], bounds[1:])], keep
