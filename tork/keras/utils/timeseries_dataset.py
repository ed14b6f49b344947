"""`keras.utils.timeseries_dataset_from_array`: sliding windows over a timeseries."""

from __future__ import annotations

import numpy as np
import torch

from tork._backend.tensor import convert_to_tensor


def _positive_int(value, name: str, allow_zero: bool = False) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"`{name}` must be an integer, got {value!r}.")
    if value < 0 or (value == 0 and not allow_zero):
        raise ValueError(f"`{name}` must be {'>= 0' if allow_zero else '> 0'}, got {value}.")
    return int(value)


def timeseries_dataset_from_array(
    data,
    targets,
    sequence_length: int,
    sequence_stride: int = 1,
    sampling_rate: int = 1,
    batch_size: int | None = 128,
    shuffle: bool = False,
    seed: int | None = None,
    start_index: int | None = None,
    end_index: int | None = None,
):
    """Creates a dataset of sliding windows over a timeseries given as an array.

    Window `i` is made of the time steps `s, s + sampling_rate, ...,
    s + (sequence_length - 1) * sampling_rate` of `data`, starting at
    `s = start_index + i * sequence_stride`; windows that would run past
    `end_index` are not made. Its target is `targets[s]`.

    Args:
        data: array or tensor of consecutive data points; axis 0 is time.
        targets: targets of the windows (`targets[i]` belongs to the window that
            starts at index `i`), or None to yield the windows alone. Windows
            starting where `targets` has no entry are left out.
        sequence_length: the number of time steps in a window.
        sequence_stride: the step between the starts of successive windows.
        sampling_rate: the step between successive time steps within a window.
        batch_size: windows per batch (the last batch may be smaller); None
            yields single windows.
        shuffle: whether to draw the windows in random order rather than
            chronologically.
        seed: optional seed for the shuffling.
        start_index: data points before this index are not used (default 0).
        end_index: data points from this index on are not used (default the
            length of `data`).

    Returns:
        A `tf.data.Dataset` yielding `(windows, targets)` batches, or windows
        alone when `targets` is None.

    Example:
    >>> ds = keras.utils.timeseries_dataset_from_array(
    ...     np.arange(10), None, sequence_length=3, sequence_stride=2, batch_size=2)
    >>> [b.tolist() for b in ds]
    [[[0, 1, 2], [2, 3, 4]], [[4, 5, 6], [6, 7, 8]]]
    """
    from tork.data import Dataset
    from tork.data.tensor_spec import TensorSpec

    values = convert_to_tensor(data)
    if values.dim() == 0:
        raise ValueError("timeseries_dataset_from_array: `data` must have a time axis (axis 0).")
    length = int(values.shape[0])
    sequence_length = _positive_int(sequence_length, "sequence_length")
    sequence_stride = _positive_int(sequence_stride, "sequence_stride")
    sampling_rate = _positive_int(sampling_rate, "sampling_rate")
    if batch_size is not None:
        batch_size = _positive_int(batch_size, "batch_size")
    start = 0 if start_index is None else _positive_int(start_index, "start_index", True)
    end = length if end_index is None else _positive_int(end_index, "end_index")
    if start >= length:
        raise ValueError(
            f"`start_index` must be smaller than the length of `data` ({length}), got {start}."
        )
    if end > length or end <= start:
        raise ValueError(
            f"`end_index` must be in ({start}, {length}] (after start_index, at most the "
            f"length of `data`), got {end}."
        )
    labels = None
    if targets is not None:
        labels = convert_to_tensor(targets)
        if labels.dim() == 0:
            raise ValueError(
                "timeseries_dataset_from_array: `targets` must have a time axis (axis 0), "
                f"one target per window start; got a scalar of shape {tuple(labels.shape)}."
            )

    count = end - start - (sequence_length - 1) * sampling_rate
    if labels is not None:
        # As Keras: fewer targets than windows leave out the windows without one.
        count = min(count, int(labels.shape[0]) - start)
    starts = np.arange(0, max(count, 0), sequence_stride, dtype=np.int64) + start
    if shuffle:
        np.random.default_rng(seed).shuffle(starts)
    offsets = torch.arange(sequence_length, dtype=torch.int64) * sampling_rate
    first = torch.from_numpy(starts)
    # Windows are gathered batch by batch: the data is never held once per window.
    dataset = Dataset.from_tensor_slices(first)
    if shuffle:
        dataset = dataset.shuffle(max(8 * (batch_size or 1), 1), seed=seed)
    if batch_size is not None:
        dataset = dataset.batch(batch_size)

    def windows(starts_):
        # element_spec is inferred by running this on "meta" tensors; the data then goes
        # to the meta device too (free, no copy), so even an empty dataset has a spec.
        source = values.to("meta") if starts_.is_meta else values
        index = starts_.unsqueeze(-1).to(source.device) + offsets.to(source.device)
        window = source[index]
        if labels is None:
            return window
        targets_ = labels.to("meta") if starts_.is_meta else labels
        return window, targets_[starts_.to(targets_.device)]

    dataset = dataset.map(windows)
    # TF's element_spec leaves the window axis unknown ((None, None, 3) for batches of
    # 3-feature windows): code reading the spec sees the same shapes as under TF.
    spec = dataset.element_spec
    window_spec = spec if labels is None else spec[0]
    dims = window_spec.shape.as_list()
    dims[0 if batch_size is None else 1] = None
    window_spec = TensorSpec(dims, window_spec.dtype, window_spec.name)
    dataset._element_spec = window_spec if labels is None else (window_spec, spec[1])
    return dataset
