"""Turn what users pass to `fit`/`evaluate`/`predict` into batches of device tensors.

Arrays and tensors are converted once, moved to the model's device once (when
they fit comfortably), and each epoch is a permutation plus index gathers or
plain slices: no per-sample Python work. `tf.data` pipelines of in-memory
slices take the same path; other datasets, generators, `PyDataset`/`Sequence`
and torch `DataLoader`s are iterated as they are.
"""

from __future__ import annotations

import inspect
import math
import types
import warnings

import numpy as np
import torch

from tork._backend import dtypes as _dtypes
from tork._backend import string_tensor
from tork._backend.tensor import convert_to_tensor
from tork._backend.value_range import tag, value_range

# Datasets up to this size move to the accelerator once; larger ones move per batch.
_DEVICE_COPY_LIMIT = 1 << 30


def map_structure(fn, value):
    """Applies `fn` to every tensor-like leaf of a list/tuple/dict nest."""
    if isinstance(value, dict):
        return {k: map_structure(fn, v) for k, v in value.items()}
    if isinstance(value, (list, tuple)) and not _is_array_like_list(value):
        return (
            type(value)(map_structure(fn, v) for v in value)
            if type(value)
            in (
                list,
                tuple,
            )
            else [map_structure(fn, v) for v in value]
        )
    if value is None:
        return None
    return fn(value)


def flatten(value) -> list:
    """The tensor-like leaves of a nest."""
    out: list = []
    map_structure(lambda v: out.append(v), value)
    return out


_SCALARS = (int, float, bool, np.number, str, bytes)


def _is_array_like_list(value) -> bool:
    """A Python list of numbers or strings (one array), not a list of inputs.

    Nested lists of scalars with equal lengths (`[[5.1, 3.5], [4.9, 3.0]]`) are one array
    too, as Keras 2 reads them (a batch of samples, not one input per row). Only lists nest
    this way: a tuple of lists stays a structure, such as `(x, y)`.
    """
    if not value:
        return False
    first = value[0]
    if isinstance(first, _SCALARS):
        return all(isinstance(v, _SCALARS) for v in value)
    if type(value) is not list or type(first) is not list or not _is_array_like_list(first):
        return False
    size = len(first)
    return all(type(v) is list and len(v) == size and _is_array_like_list(v) for v in value)


def unpack_x_y_sample_weight(data):
    """Splits a batch into `(x, y, sample_weight)` as Keras does.

    Args:
        data: `x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)`.

    Returns:
        A tuple `(x, y, sample_weight)`; missing parts are None.
    """
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if len(data) == 1:
        return data[0], None, None
    if len(data) == 2:
        return data[0], data[1], None
    if len(data) == 3:
        return data[0], data[1], data[2]
    raise ValueError(
        "Data is expected to be in format `x`, `(x,)`, `(x, y)`, or `(x, y, sample_weight)`, "
        f"found a tuple of {len(data)} elements."
    )


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    """Packs `(x, y, sample_weight)` as Keras hands batches to `train_step`.

    Without `y`, the batch is `x` itself (a `train_step(self, data)` of an autoencoder or
    a GAN reads `data` as the images), or `(x,)` when `x` is a tuple or list, so that
    `unpack_x_y_sample_weight` does not take its items for `(x, y)`.
    """
    if y is None:
        return (x,) if isinstance(x, (tuple, list)) else x
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)


def float_dtype_of(model):
    """The dtype `fit`/`evaluate`/`predict` give `model` floating-point data in.

    None (Keras 2: `floatx()`, NumPy float64 data becomes float32), unless torch's
    `model.double()`, `half()`, `to(dtype)`... cast the model: then data comes in that
    dtype, so that a float64 model gets its float64 data unrounded.
    """
    return model.__dict__.get("_tork_torch_dtype")


def _all_numbers(array: np.ndarray) -> bool:
    """Whether an object array holds only numbers and bools (checked on a sample)."""
    flat = array.ravel()
    sample = flat[:: max(1, flat.size // 1000)]
    return sample.size > 0 and all(
        isinstance(v, (bool, int, float, np.number, np.bool_)) for v in sample
    )


class _ObjectArrayError(ValueError, TypeError):
    """An object-dtype array fed to fit/evaluate/predict.

    TensorFlow raises ValueError ("Failed to convert a NumPy array to a Tensor");
    tork raised TypeError before, so both `except` clauses catch it.
    """


def _to_tensor(value, cast_floats: bool, float_dtype=None):
    if isinstance(value, torch.Tensor):
        tensor = value
    else:
        from tork._backend import string_tensor

        if not isinstance(value, np.ndarray) and hasattr(value, "__array__"):
            value = np.asarray(value)  # e.g. a pandas Series (of numbers or of strings)
        if string_tensor.is_string(value):
            # String inputs go to models that start with a string layer (TextVectorization).
            return string_tensor.make(value, "fit/evaluate/predict")
        if not isinstance(value, np.ndarray):
            value = np.asarray(value)
        if not value.flags.writeable:
            value = value.copy()  # torch refuses to share a read-only buffer (pandas .values)
        if value.dtype == object and _all_numbers(value):
            # pandas `.values` of float columns beside bool `get_dummies` columns.
            raise _ObjectArrayError(
                "Failed to convert a NumPy array to a Tensor: "
                "fit/evaluate/predict got a NumPy array of dtype object holding numbers "
                f"(shape {value.shape}), e.g. pandas `.values` of float columns mixed with "
                "bool or int ones. Convert it to one numeric dtype first: "
                "x.astype('float32') (or df.astype('float32').values)."
            )
        if value.dtype == object or value.dtype.kind in ("U", "S"):
            raise _ObjectArrayError(
                "Failed to convert a NumPy array to a Tensor: fit/evaluate/predict got an "
                "array of strings or Python objects; tork feeds numeric arrays to models. Convert the data to numbers first (e.g. with "
                "keras.layers.StringLookup or TextVectorization)."
            )
        tensor = torch.from_numpy(np.ascontiguousarray(value))
    if cast_floats and tensor.is_floating_point():
        target = float_dtype or _dtypes.floatx_dtype()
        if tensor.dtype != target:
            tensor = tensor.to(target)
    return tensor


def _num_rows(value) -> int:
    return int(value.shape[0]) if value.ndim else 1


def _to_device(value, device):
    if isinstance(value, torch.Tensor) and value.device != device:
        return value.to(device, non_blocking=True)
    return value


class ArrayAdapter:
    """Batches from in-memory arrays/tensors: one permutation per epoch, index gathers."""

    # Set by a data-parallel fit: picks this process's rows of each global batch.
    _tork_shard = None
    exhausted = False  # see IterableAdapter.exhausted

    def __init__(
        self,
        x,
        y=None,
        sample_weight=None,
        batch_size=None,
        shuffle=False,
        device=None,
        steps=None,
        float_dtype=None,
    ):
        self.x = map_structure(lambda v: _to_tensor(v, True, float_dtype), x)
        self.y = map_structure(lambda v: _to_tensor(v, True, float_dtype), y)
        self.sample_weight = map_structure(
            lambda v: _to_tensor(v, True, float_dtype), sample_weight
        )
        self._check_sizes()
        self.num_samples = _num_rows(flatten(self.x)[0]) if flatten(self.x) else 0
        self.batch_size = batch_size or _default_batch_size(self.num_samples, steps)
        self.shuffle = shuffle
        self.device = device
        total = sum(
            t.numel() * t.element_size()
            for t in flatten((self.x, self.y, self.sample_weight))
            if isinstance(t, torch.Tensor)
        )
        self._move_per_batch = device is not None and total > _DEVICE_COPY_LIMIT
        if device is not None and not self._move_per_batch:
            self.x, self.y, self.sample_weight = map_structure(
                lambda v: _to_device(v, device), (self.x, self.y, self.sample_weight)
            )
        self._steps = steps
        self.continuous = False
        # Set by fit: the passes over the data its epochs may take (Keras 2 serves arrays
        # for `epochs - initial_epoch` passes; more steps than that run out of data).
        self.passes = None
        self.ran_out = False
        self._stream = None
        # The last epoch's shuffled copy of the arrays (see `_gather_epoch`).
        self._gathered = None
        # (min, max) of integer inputs and of targets on an accelerator, read once per fit:
        # each batch carries it (`_tork_value_range`), so that embeddings and sparse losses
        # know their indices are in range without a check (a device sync, or a guard of a
        # few kernels) on every batch. On a GPU a bad index is a fatal device-side assert.
        x_range = value_range(self.x) if _is_integer(self.x) else None
        self._value_ranges = (x_range, value_range(self.y))

    def _check_sizes(self) -> None:
        def sizes(value):
            return [int(t.shape[0]) if t.ndim else 1 for t in flatten(value)]

        xs, ys, ws = sizes(self.x), sizes(self.y), sizes(self.sample_weight)
        everything = set(xs + ys + ws)
        if len(everything) > 1:
            parts = [f"x sizes: {', '.join(map(str, xs))}"]
            if ys:
                parts.append(f"y sizes: {', '.join(map(str, ys))}")
            if ws:
                parts.append(f"sample_weight sizes: {', '.join(map(str, ws))}")
            raise ValueError(
                "Data cardinality is ambiguous: "
                + "; ".join(parts)
                + ". Make sure all arrays contain the same number of samples (the first "
                "dimension)."
            )

    @property
    def steps(self) -> int:
        if self._steps is not None:
            return self._steps
        return math.ceil(self.num_samples / self.batch_size) if self.num_samples else 0

    def serve_as_stream(self) -> None:
        """Serves the epochs as consecutive slices of one stream of passes over the data.

        Keras 2 does so for arrays when `fit` resumes an epoch mid-way (BackupAndRestore with
        `save_freq=N`): the resumed epoch takes its steps left from the start of the stream
        and the next epochs carry on where it stopped, rather than each starting a new pass.
        """
        self._steps = self.steps
        self.continuous = True

    def epoch(self):
        """Yields `(x, y, sample_weight)` batches for one epoch.

        With `steps` and `continuous` (set by `fit` for its training data), an epoch is the
        next `steps` batches of one endless stream of passes over the data, each pass in a
        new order: Keras 2's `steps_per_epoch` on arrays, so a short epoch does not see the
        first batches again and again.
        """
        if self._steps is None or not self.continuous:
            batches = math.ceil(self.num_samples / self.batch_size)
            if self._steps is not None and self._steps > batches:
                # Keras 2: evaluate/predict (and fit's validation) stop where the arrays
                # end, warning, rather than going over them again.
                yield from self._pass(batches)
                self.exhausted = True
                _warn_ran_out(self._steps)
                return
            yield from self._pass(self._steps)
            return
        if self._stream is None:
            self._stream = _endless(self._pass, self.passes)
        for _ in range(self._steps):
            batch = next(self._stream, None)
            if batch is None:
                self.ran_out = self.passes is not None
                return
            yield batch

    def _pass(self, steps):
        """One pass over the data (`steps` batches, cycling, when given)."""
        n, bs = self.num_samples, self.batch_size
        shard = self._tork_shard
        data = (self.x, self.y, self.sample_weight)
        if self.shuffle and self.shuffle != "batch":
            leaves = flatten(data)
            device = leaves[0].device
            order = torch.randperm(n, device=device)
            if shard is not None:
                order = shard.sync_order(order)
            if sum(t.nbytes for t in leaves) <= _EPOCH_GATHER_BYTES:
                # One gather for the whole epoch, then every batch is a view: one copy of the
                # data instead of a gather per tensor per step.
                data = self._gather_epoch(data, order)
                order = None
            take = _take_rows
        else:
            order = None
            take = None
        x, y, sample_weight = data
        plain = (
            isinstance(x, torch.Tensor)
            and (y is None or isinstance(y, torch.Tensor))
            and sample_weight is None
        )
        batch_ids = list(range(math.ceil(n / bs)))
        if self.shuffle == "batch":
            permutation = torch.randperm(len(batch_ids))
            if shard is not None:
                permutation = shard.sync_order(permutation)
            batch_ids = [batch_ids[i] for i in permutation.tolist()]
        if steps is None:
            steps = len(batch_ids)
        for step in range(steps):
            b = batch_ids[step % len(batch_ids)]
            start, stop = b * bs, min((b + 1) * bs, n)
            if shard is not None:
                start, stop = shard.local_range(start, stop)
            if order is not None:
                index = order[start:stop]

                def pick(v, index=index):
                    return take(v, index)

                batch = map_structure(pick, data)
            elif plain:
                batch = (x[start:stop], None if y is None else y[start:stop], None)
            else:

                def pick(v, start=start, stop=stop):
                    return v[start:stop]

                batch = map_structure(pick, data)
            if self._move_per_batch:
                batch = map_structure(lambda v: _to_device(v, self.device), batch)
            for value, known in zip(batch, self._value_ranges):
                if known is not None:
                    tag(value, known)
            yield pack_x_y_sample_weight(*batch)

    def _gather_epoch(self, data, order: torch.Tensor):
        """`data`'s rows in `order`, written over the previous epoch's copy when unused.

        A fresh copy per epoch of a large array costs a page fault per 4 KiB (the
        allocator maps blocks this large anew): ~0.3 ms per step of `mnist_mlp`, 7% of it.
        The previous copy is reused only when no batch of it is still alive.
        """
        previous = self._gathered or []
        gathered = []

        def take(value):
            spare = previous[len(gathered)] if len(gathered) < len(previous) else None
            if spare is not None and not _reusable(spare, value):
                spare = None
            rows = _take_rows(value, order, out=spare)
            gathered.append(rows)
            return rows

        data = map_structure(take, data)
        self._gathered = gathered
        return data


def _as_given(element, parts):
    """A dataset element's `(x, y, sample_weight)` packed as the element was: Keras hands
    `train_step` a 1-tuple element `(x,)` as that tuple, other elements as `(x, y[, w])`."""
    if isinstance(element, tuple) and len(element) == 1:
        return (parts[0],)
    return pack_x_y_sample_weight(*parts)


def _endless(make_pass, passes=None):
    """Batches of `make_pass(None)`, pass after pass (`passes` of them, or until a pass
    yields nothing)."""
    while passes is None or passes > 0:
        if passes is not None:
            passes -= 1
        produced = False
        for batch in make_pass(None):
            produced = True
            yield batch
        if not produced:
            return


def _reusable(spare, value) -> bool:
    """Whether the tensor `spare` can receive a gather of `value`: same kind, unshared."""
    if not isinstance(spare, torch.Tensor) or not isinstance(value, torch.Tensor):
        return False
    if spare.shape != value.shape or spare.dtype != value.dtype:
        return False
    if spare.device != value.device or not spare.is_contiguous() or value.requires_grad:
        return False  # (`out=` refuses inputs that record gradients)
    try:
        # 2: the tensor itself and the temporary storage object of this call.
        return torch._C._storage_Use_Count(spare.untyped_storage()._cdata) == 2
    except (AttributeError, RuntimeError):
        return False


def _take_rows(value, index: torch.Tensor, out: torch.Tensor | None = None):
    """The rows `index` of a tensor, or of a string tensor (a NumPy array: strings stay on
    the host)."""
    if isinstance(value, torch.Tensor):
        if out is not None:
            return torch.index_select(value, 0, index.to(value.device), out=out)
        return value.index_select(0, index.to(value.device))
    return string_tensor.wrap(np.asarray(value)[index.cpu().numpy()])


def _is_integer(value) -> bool:
    return isinstance(value, torch.Tensor) and not (value.is_floating_point() or value.is_complex())


# Shuffled array data up to this size is gathered once per epoch (then sliced); larger data
# is gathered batch by batch, so that it is never held twice.
_EPOCH_GATHER_BYTES = 1 << 30


class IterableAdapter:
    """Batches from a dataset, generator, PyDataset/Sequence or torch DataLoader."""

    continuous = False  # set by fit for its training data (see ArrayAdapter.epoch)
    ran_out = False
    # Set when evaluate/predict/validation data ended before `steps` batches: Keras 2's fit
    # then validates no more (its validation data handler stays exhausted).
    exhausted = False
    class_weight = None  # fit's `class_weight`, applied to each batch
    # Set by fit for its training data: a PyDataset/Sequence's `on_epoch_end` runs when fit
    # calls `end_epoch` (after validation and the callbacks' on_epoch_end), as Keras 2.
    defer_epoch_end = False
    # Set by a data-parallel fit: every process then takes rank 0's order of the batches.
    _tork_shard = None

    def __init__(
        self, data, steps=None, device=None, kind="dataset", shuffle=False, float_dtype=None
    ):
        self.data = data
        self.device = device
        self.float_dtype = float_dtype  # see float_dtype_of
        self._steps = steps
        self.kind = kind
        # fit's `shuffle`: a PyDataset/Sequence's batches come in a new order each epoch.
        self.shuffle = bool(shuffle) and kind == "sequence"
        self._iterator = None
        if kind == "generator":
            self._iterator = iter(data)

    @property
    def steps(self):
        if self._steps is not None:
            return self._steps
        if self.kind == "generator":
            return None
        try:
            n = len(self.data)
        except TypeError:
            return None
        return n if n >= 0 else None

    def _source(self):
        if self.kind == "generator":
            return self._iterator
        if self.kind == "sequence":
            if self.shuffle:
                order = torch.randperm(len(self.data))
                if self._tork_shard is not None:
                    order = self._tork_shard.sync_order(order)
                return (self.data[i] for i in order.tolist())
            return (self.data[i] for i in range(len(self.data)))
        if self._steps is not None and self.continuous:
            # With steps_per_epoch, a training epoch continues where the last one stopped.
            if self._iterator is None:
                self._iterator = iter(self.data)
            return self._iterator
        # evaluate/predict, and fit's validation each epoch, start the data afresh
        # (Keras 2: `validation_steps` batches from the start every epoch).
        self._iterator = iter(self.data)
        return self._iterator

    def epoch(self):
        source = self._source()
        count = 0
        fresh = False  # whether `source` was just restarted and has given nothing since
        while self._steps is None or count < self._steps:
            try:
                element = next(source)
            except StopIteration:
                if self._steps is not None and self.continuous and self.kind != "sequence":
                    # Keras 2: fit does not restart a dataset (or generator) between epochs;
                    # when it ends before steps_per_epoch * epochs batches, training stops.
                    self.ran_out = True
                    return
                if self._steps is not None and (self.kind != "sequence" or not self.continuous):
                    # Keras 2: evaluate/predict (and fit's validation) stop where a dataset,
                    # generator or Sequence ends before `steps` batches, warning as fit does.
                    _warn_ran_out(self._steps)
                    self.exhausted = True
                    break
                if self._steps is not None:
                    if fresh:  # empty even when restarted: nothing to give
                        return
                    # fit's PyDataset/Sequence restarts when steps_per_epoch asks for more
                    # (Keras 2.0's endless iterators; tf_keras 2.21 stops training there).
                    source = (self.data[i] for i in range(len(self.data)))
                    fresh = True
                    continue
                break
            fresh = False
            count += 1
            x, y, w = unpack_x_y_sample_weight(element)
            batch = map_structure(
                lambda v: _as_batch_tensor(v, self.device, self.float_dtype), (x, y, w)
            )
            if self.class_weight is not None:
                batch = _weigh_batch(batch, self.class_weight)
            yield _as_given(element, batch)
        if not self.defer_epoch_end:
            self.end_epoch()

    def end_epoch(self) -> None:
        """Calls a PyDataset/Sequence's `on_epoch_end` (other data have none)."""
        if self.kind == "sequence" and hasattr(self.data, "on_epoch_end"):
            self.data.on_epoch_end()


def _warn_ran_out(steps) -> None:
    warnings.warn(
        "Your input ran out of data; interrupting training. Make sure that your dataset or "
        "generator can generate at least `steps_per_epoch * epochs` batches (in this case, "
        f"{steps} batches). You may need to use the repeat() function when building your "
        "dataset.",
        stacklevel=4,
    )


def _as_batch_tensor(value, device, float_dtype=None):
    if not isinstance(value, torch.Tensor):
        if _is_composite(value):
            # RaggedTensor / SparseTensor batches reach the model as they are (host memory).
            return value
        value = _to_tensor(value, True, float_dtype)
    elif value.dtype == torch.float64 and float_dtype != torch.float64:
        value = value.to(float_dtype or _dtypes.floatx_dtype())
    if device is not None and isinstance(value, torch.Tensor) and value.device != device:
        # String tensors (NumPy object arrays) stay on the host.
        value = value.to(device, non_blocking=True)
    return value


def _is_composite(value) -> bool:
    from tork._backend.ragged_tensor import RaggedTensor
    from tork._backend.sparse_tensor import SparseTensor

    return isinstance(value, (RaggedTensor, SparseTensor))


def _is_dataset(value) -> bool:
    from tork.data import Dataset

    return isinstance(value, Dataset)


def _refuse_infinite(dataset, what: str) -> None:
    """Raises for an infinite dataset given without a step count (Keras 2 refuses it: the
    epoch, the evaluation or the prediction would never end)."""
    from tork.data import INFINITE_CARDINALITY
    from tork.keras import config

    try:
        infinite = int(dataset.cardinality()) == INFINITE_CARDINALITY
    except Exception:  # noqa: BLE001 - a dataset that cannot tell is not refused
        return
    if infinite and config.max_steps_per_epoch() is None:
        name = _STEPS_ARGUMENT.get(what, "steps")
        raise ValueError(
            f"When providing an infinite dataset, you must specify the number of steps to run: "
            f"{what} received a dataset that repeats forever and no `{name}`. Pass "
            f"{name}=N (the number of batches), or remove .repeat() from the dataset."
        )


def _is_dataset_creator(value) -> bool:
    from tork.keras.utils.dataset_creator import DatasetCreator

    return isinstance(value, DatasetCreator)


def _is_sequence(value) -> bool:
    from tork.keras.utils.sequence import PyDataset

    return isinstance(value, PyDataset)


def _is_dataloader(value) -> bool:
    return isinstance(value, torch.utils.data.DataLoader)


def is_generator(value) -> bool:
    import types

    return isinstance(value, types.GeneratorType) or (
        hasattr(value, "__next__") and hasattr(value, "__iter__") and not _is_dataset(value)
    )


def _is_numbers(value) -> bool:
    while isinstance(value, (list, tuple)) and value:
        value = value[0]
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _list_of_numbers_as_column(value, name: str = "x", what: str = "fit"):
    """A Python list of numbers as Keras 2's ListsOfScalarsDataAdapter reads it."""
    if not isinstance(value, list) or not value or not _is_numbers(value):
        return value
    try:
        array = np.asarray(value)
    except ValueError as error:  # NumPy refuses rows of different lengths
        lengths = sorted({len(row) for row in value if isinstance(row, (list, tuple))})
        shown = f" ({', '.join(map(str, lengths[:5]))})" if lengths else ""
        raise ValueError(
            f"{what} received {name} as a Python list of rows of different lengths"
            f"{shown}, which is not one array. Pad the rows to "
            "one length, e.g. keras.utils.pad_sequences(rows, padding='post'), or pass "
            "tf.ragged.constant(rows) to a model that takes ragged inputs."
        ) from error
    if array.dtype == object:
        return value  # ragged nesting: left to the general path and its errors
    return array[:, None] if array.ndim == 1 else array


def get_adapter(
    x,
    y=None,
    sample_weight=None,
    batch_size=None,
    steps=None,
    shuffle=False,
    device=None,
    class_weight=None,
    what="fit",
    float_dtype=None,
):
    """Chooses the adapter for the input of `fit`/`evaluate`/`predict`.

    `float_dtype` is the dtype floating-point data is given in (None: `floatx()`), see
    `float_dtype_of`.

    Returns:
        An adapter with `epoch()` (a batch generator) and `steps` (int or None).
    """
    steps = _checked_steps(steps, what)
    if class_weight is not None:
        _check_class_weight(class_weight)
    if _is_dataset_creator(x):
        # Made once here: a training epoch continues through it (fit does not restart it).
        from tork.keras.utils.dataset_creator import _make_dataset

        x = _make_dataset(x, steps)
    if isinstance(x, (types.FunctionType, types.MethodType, types.BuiltinFunctionType)):
        _explain_function_given(x, what)
    if isinstance(x, torch.utils.data.Dataset) and not isinstance(
        x, torch.utils.data.IterableDataset
    ):
        # A map-style torch Dataset yields single samples, not batches: read as arrays it
        # would silently gain an axis (predict) or fail deep in NumPy (fit).
        raise TypeError(
            f"{what} received a torch.utils.data.Dataset ({type(x).__name__}), which gives "
            "one sample at a time. Wrap it in a DataLoader that batches it: "
            f"{what.split('(')[0]}(torch.utils.data.DataLoader(dataset, batch_size=32, "
            "shuffle=True)) (shuffle only for training)."
        )
    iterable = (
        _is_dataset(x)
        or is_generator(x)
        or _is_dataloader(x)
        or _safe_is_sequence(x)
        or getattr(x, "_tork_distributed_dataset", False)
    )
    if iterable:
        if y is not None:
            raise ValueError(
                f"{what}: `y` must not be given when `x` is a dataset, generator or "
                "PyDataset: the labels come from the data itself as (x, y) pairs."
            )
        if sample_weight is not None:
            raise ValueError(
                f"{what}: `sample_weight` must not be given when `x` is a dataset, generator "
                "or PyDataset; yield (x, y, sample_weight) from the data instead."
            )
        given = {"steps": steps, "device": device, "float_dtype": float_dtype}
        if _is_dataset(x):
            if steps is None:
                _refuse_infinite(x, what)
            adapter = _dataset_fast_path(x, steps, device, what, float_dtype)
            if adapter is None:
                adapter = IterableAdapter(x, kind="dataset", **given)
        elif _safe_is_sequence(x):
            adapter = IterableAdapter(x, kind="sequence", shuffle=shuffle, **given)
        elif _is_dataloader(x) or getattr(x, "_tork_distributed_dataset", False):
            adapter = IterableAdapter(x, kind="dataset", **given)
        else:
            adapter = IterableAdapter(x, kind="generator", **given)
        # Keras 2 weighs the batches of a dataset or generator too, as they are drawn.
        adapter.class_weight = class_weight
        return adapter
    if x is None:
        raise ValueError(f"{what} needs input data: pass x (arrays, tensors or a dataset).")
    # Keras 2: Python lists of numbers become arrays, a flat one a column (n, 1):
    # `model.predict([17.0])` after fitting on (n, 1) data.
    x, y, sample_weight = (
        _list_of_numbers_as_column(v, name, what)
        for v, name in ((x, "x"), (y, "y"), (sample_weight, "sample_weight"))
    )
    if class_weight is not None and y is not None:
        sample_weight = _class_weights(y, class_weight, sample_weight)
    if _holds_composite((x, y, sample_weight)):
        adapter = _composite_adapter(x, y, sample_weight, batch_size, shuffle, steps, device)
        adapter.float_dtype = float_dtype
        return adapter
    adapter = ArrayAdapter(
        x,
        y,
        sample_weight,
        batch_size=batch_size,
        shuffle=shuffle,
        device=device,
        steps=steps,
        float_dtype=float_dtype,
    )
    return adapter


def _default_batch_size(num_samples: int, steps) -> int:
    """The batch size of arrays given without one: 32, or with `steps` the size that
    covers the arrays in that many batches (Keras 2: `fit(x, y, steps_per_epoch=4)` on
    16 samples trains on batches of 4, four steps per epoch, every epoch)."""
    if steps:
        return max(math.ceil(num_samples / steps), 1)
    return 32


_STEPS_ARGUMENT = {"fit": "steps_per_epoch", "fit(validation_data)": "validation_steps"}


def _checked_steps(steps, what: str):
    """`steps`, `steps_per_epoch` or `validation_steps` as an int or None.

    As in Keras 2, -1 means "until the data ends" (None) and a float runs its ceiling
    (`steps_per_epoch=len(images) / 32` in course notebooks: 2.5 runs 3 batches); 0, NaN or
    another negative number is refused (tork used to run an empty epoch without a word).
    """
    if steps is None:
        return None
    if not isinstance(steps, bool) and isinstance(steps, (int, float, np.integer, np.floating)):
        if float(steps) == -1:
            return None
        if math.isfinite(float(steps)) and steps > 0:
            return math.ceil(steps)
    name = _STEPS_ARGUMENT.get(what, "steps")
    method = what.split("(")[0]
    raise ValueError(
        f"`{name}` must be a positive integer, None or -1 (run until the data ends). "
        f"Received: {name}={steps!r}. See `Model.{method}`."
    )


def _explain_function_given(fn, what: str) -> None:
    """A function passed where data goes: most often a generator function not called."""
    name = getattr(fn, "__name__", "fn")
    if "validation_data" in what:
        usage = f"validation_data={name}()"
    else:
        usage = f"{what.split('(')[0]}({name}())"
    if inspect.isgeneratorfunction(fn):
        raise ValueError(
            f"{what} received the generator function `{name}` itself, not a generator: "
            f"call it: {usage}. (Failed to find data adapter that can handle input: "
            f"{type(fn)}.)"
        )
    raise ValueError(
        f"{what} received the function `{name}`, not data. Pass arrays, a tf.data.Dataset, "
        f"a generator or a PyDataset; if `{name}` returns the data, call it: "
        f"{usage}."
    )


def _holds_composite(structure) -> bool:
    from tork import nest

    return any(_is_composite(leaf) for leaf in nest.flatten(structure))


def _composite_adapter(x, y, sample_weight, batch_size, shuffle, steps, device):
    """Arrays holding RaggedTensors/SparseTensors: batched by tf.data, which slices them as TF."""
    from tork.data import Dataset

    # Lists of inputs are structures here (tf.data reads a list as one tensor to stack).
    parts = tuple(
        tuple(part) if isinstance(part, list) else part
        for part in (x, y, sample_weight)
        if part is not None
    )
    if len(parts) == 1:
        # x alone: a tuple of inputs stays x (a bare tuple would read as (x, y, weights)).
        parts = parts if isinstance(parts[0], tuple) else parts[0]
    dataset = Dataset.from_tensor_slices(parts)
    if shuffle:
        dataset = dataset.shuffle(int(dataset.cardinality()))
    dataset = dataset.batch(batch_size or _default_batch_size(len(dataset), steps))
    return _CompositeArrayAdapter(dataset, steps=steps, device=device, kind="dataset")


class _CompositeArrayAdapter(IterableAdapter):
    """`_composite_adapter`'s batches: as Keras 2 serves arrays holding composite tensors,
    every epoch starts a new pass over the data (reshuffled), cut to `steps_per_epoch`; an
    epoch asking for more batches than one pass has runs out of data (fit stops with the
    "ran out of data" warning)."""

    def _source(self):
        return iter(self.data)


def _safe_is_sequence(value) -> bool:
    try:
        return _is_sequence(value)
    except ImportError:
        return False


class _SliceDatasetAdapter:
    """A batched in-memory `tf.data` pipeline: served as permutations and gathers."""

    # Set by a data-parallel fit: picks this process's rows of each global batch.
    _tork_shard = None
    class_weight = None  # fit's `class_weight`, applied to each batch
    exhausted = False  # see IterableAdapter.exhausted

    def __init__(self, source, steps, device, float_dtype=None):
        self.source = source
        self.columns = map_structure(
            lambda v: _as_batch_tensor(v, device, float_dtype), source.columns
        )
        self._steps = steps
        n = source.num_rows
        bs = source.batch_size
        self._n_batches = n // bs if source.drop_remainder else math.ceil(n / bs)
        self.continuous = False  # set by fit for its training data (see ArrayAdapter.epoch)
        self.ran_out = False
        self._stream = None

    @property
    def steps(self):
        return self._steps if self._steps is not None else self._n_batches

    def epoch(self):
        if self._steps is None or not self.continuous:
            if self._steps is not None and self._steps > self._n_batches:
                # Keras 2: evaluate/predict (and fit's validation) stop where the dataset
                # ends, warning, rather than going over it again.
                yield from self._pass(self._n_batches)
                self.exhausted = True
                _warn_ran_out(self._steps)
                return
            yield from self._pass(self.steps)
            return
        # Keras 2: epochs continue through the dataset, which is not restarted.
        if self._stream is None:
            self._stream = self._pass(self._n_batches)
        for _ in range(self._steps):
            batch = next(self._stream, None)
            if batch is None:
                self.ran_out = True
                return
            yield batch

    def _pass(self, steps):
        source = self.source
        bs, n = source.batch_size, source.num_rows
        order = source.order() if source.shuffle else None
        shard = self._tork_shard
        if order is not None:
            order = order.to(flatten(self.columns)[0].device)
            if shard is not None:
                order = shard.sync_order(order)
        for step in range(steps):
            b = step % self._n_batches
            start, stop = b * bs, min((b + 1) * bs, n)
            if shard is not None:
                start, stop = shard.local_range(start, stop)
            if order is not None:
                index = order[start:stop]
                element = map_structure(lambda v, i=index: _take_rows(v, i), self.columns)
            else:
                element = map_structure(lambda v, a=start, z=stop: v[a:z], self.columns)
            parts = unpack_x_y_sample_weight(element)
            if self.class_weight is not None:
                parts = _weigh_batch(parts, self.class_weight)
            yield _as_given(element, parts)


def _dataset_fast_path(dataset, steps, device, what, float_dtype=None):
    hook = getattr(dataset, "_tork_slices", None)
    source = hook() if hook is not None else None
    if source is None:
        return None
    if source.batch_size is None:
        element = source.columns
        x = unpack_x_y_sample_weight(element)[0]
        shapes = [tuple(t.shape[1:]) for t in flatten(x)]
        shape_text = shapes[0] if len(shapes) == 1 else shapes
        raise ValueError(
            f"{what} received a dataset whose elements look unbatched: each element's x has "
            f"shape {shape_text}, with no batch axis. Keras models train on batches: call "
            f".batch(...) on the dataset, e.g. dataset.batch(32)."
        )
    return _SliceDatasetAdapter(source, steps, device, float_dtype)


def _check_class_weight(class_weight):
    # Keras 2 looks weights up by position: class i's weight is the i-th, so the keys must
    # be exactly the classes 0 .. n-1.
    try:
        keys = sorted(class_weight)
    except TypeError:
        keys = None
    if keys != list(range(len(class_weight))):
        raise ValueError(
            "Expected `class_weight` to be a dict with keys from 0 to one less than the "
            f"number of classes, found {class_weight}. Give every class an integer key and "
            "a weight, e.g. class_weight={0: 1.0, 1: 5.0} for two classes."
        )


def _weigh_batch(parts, class_weight):
    """A batch's `(x, y, sample_weight)` with `class_weight` folded into its sample weights."""
    x, y, w = parts
    if y is None:
        return parts
    weights = _class_weights(y, class_weight, w, as_numpy=False)
    if isinstance(y, torch.Tensor):
        weights = weights.to(y.device)
    return x, y, weights


def _class_weights(y, class_weight, sample_weight, as_numpy=True):
    """Per-label weights from `class_weight`, times `sample_weight` when given (Keras 2).

    As Keras 2: labels of rank 2 or more give one class per entry of all but their last
    axis (the argmax of one-hot/probability rows, else the value squeezed from a last axis
    of size 1), so segmentation and sequence labels weigh each pixel or step; values are
    rounded to the nearest class.
    """
    if isinstance(y, dict) or (isinstance(y, (list, tuple)) and not _is_array_like_list(y)):
        raise ValueError(
            "`class_weight` is only supported for models with a single output; use "
            "sample_weight for multi-output models."
        )
    labels = _to_tensor(y, False).cpu()
    if labels.ndim >= 2:
        if labels.shape[-1] > 1:
            labels = labels.argmax(dim=-1)
        else:
            labels = labels.squeeze(-1)
    if labels.is_floating_point():
        labels = labels.round()
    labels = labels.long()
    max_label = int(labels.max()) if labels.numel() else 0
    min_label = int(labels.min()) if labels.numel() else 0
    if min_label < 0 or max_label >= len(class_weight):
        # Keras 2 fails here (a gather out of range); never weigh an unlisted class silently.
        bad = min_label if min_label < 0 else max_label
        count = max(max_label + 1, 2)
        keys = [f"{i}: 1.0" for i in range(count)] if count <= 6 else ["0: 1.0", "1: 1.0", "..."]
        raise ValueError(
            f"`class_weight` has weights for classes 0 to {len(class_weight) - 1}, but the "
            f"labels contain class {bad}. Give a weight for every class, e.g. "
            f"class_weight={{{', '.join(keys)}}}."
        )
    table = torch.ones(max(max_label + 1, max(class_weight) + 1))
    for cls, weight in class_weight.items():
        table[int(cls)] = float(weight)
    weights = table[labels]
    if sample_weight is not None:
        given = convert_to_tensor(sample_weight, dtype=torch.float32).to(weights.device)
        # Keras 2 multiplies them, the lower-rank one broadcast over the other's trailing
        # axes: per-sample weights times per-pixel class weights.
        extra = weights.ndim - given.ndim
        if extra >= 0:
            weights = weights * given.reshape(tuple(given.shape) + (1,) * extra)
        else:
            weights = weights.reshape(tuple(weights.shape) + (1,) * -extra) * given
    return weights.numpy() if as_numpy else weights
