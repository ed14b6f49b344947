"""`tf.data.experimental.make_batched_features_dataset`: TFRecord files of
`tf.train.Example`s into batches of parsed feature dicts."""

from __future__ import annotations

from collections.abc import Callable

from tork.data.dataset import Dataset

_WHERE = "tf.data.experimental.make_batched_features_dataset"


def make_batched_features_dataset(
    file_pattern,
    batch_size: int,
    features: dict,
    reader: Callable | None = None,
    label_key: str | None = None,
    reader_args: list | None = None,
    num_epochs: int | None = None,
    shuffle: bool = True,
    shuffle_buffer_size: int = 10000,
    shuffle_seed: int | None = None,
    prefetch_buffer_size=None,
    reader_num_threads: int | None = None,
    parser_num_threads: int | None = None,
    sloppy_ordering: bool = False,
    drop_final_batch: bool = False,
) -> Dataset:
    """Reads batches of `tf.train.Example`s from files and parses them.

    The files matching `file_pattern` are listed (shuffled unless `shuffle=False`),
    read with `reader` (`tf.data.TFRecordDataset` by default; `reader_num_threads`
    files interleaved one record at a time), shuffled and repeated `num_epochs` times
    (None: forever), batched and parsed with `tf.io.parse_example(batch, features)`.

    Args:
        file_pattern: a glob pattern or list of patterns / file names.
        batch_size: records per batch.
        features: a dict from feature names to `tf.io.FixedLenFeature`,
            `VarLenFeature`, `SparseFeature` or `RaggedFeature`.
        reader: a function from a file name (and `reader_args`) to a dataset of
            serialized records (or of `(key, value)` pairs, whose values are used).
        label_key: a key of `features` returned as a separate label:
            elements become `(features_dict, label)`.
        reader_args: extra positional arguments of `reader`.
        num_epochs: passes over the data (None: repeat forever).
        shuffle: shuffle the file names and the records.
        shuffle_buffer_size: the record shuffle buffer.
        shuffle_seed: the shuffles' seed.
        prefetch_buffer_size: batches to prefetch (tork: no effect on the values).
        reader_num_threads: files read at once (interleaved; default 1).
        parser_num_threads: parallel parse calls (no effect on the values).
        sloppy_ordering: allow a nondeterministic interleave order.
        drop_final_batch: drop a last batch smaller than `batch_size`.

    Returns:
        A `Dataset` of feature dicts, or of `(features, label)` pairs.

    Raises:
        ValueError: `label_key` is not a key of `features`.

    Example:
    >>> ds = tf.data.experimental.make_batched_features_dataset(
    ...     "/data/train-*.tfrecord", 32,
    ...     {"x": tf.io.FixedLenFeature([4], tf.float32),
    ...      "y": tf.io.FixedLenFeature([], tf.int64)},
    ...     label_key="y", num_epochs=1)
    """
    from tork.data._tfrecord import TFRecordDataset
    from tork.data.experimental import parse_example_dataset

    if not isinstance(features, dict) or not features:
        raise ValueError(
            f"{_WHERE}: `features` must be a non-empty dict from feature names to "
            f"tf.io.FixedLenFeature / VarLenFeature / ..., got {features!r:.100}."
        )
    if label_key is not None and label_key not in features:
        raise ValueError(
            f"{_WHERE}: the `label_key` provided ({label_key}) must be one of the `features` "
            f"keys: {list(features)}."
        )
    reader = TFRecordDataset if reader is None else reader
    args = list(reader_args or [])
    cycle = 1 if reader_num_threads is None else reader_num_threads
    dataset = Dataset.list_files(file_pattern, shuffle=shuffle, seed=shuffle_seed)
    dataset = dataset.interleave(
        lambda filename: reader(filename, *args),
        cycle_length=cycle,
        block_length=1,
        deterministic=not sloppy_ordering,
    )
    spec = dataset.element_spec
    if isinstance(spec, tuple) and len(spec) == 2:  # (key, value) readers: keep the values
        dataset = dataset.map(lambda _key, value: value)
    if shuffle:
        dataset = dataset.shuffle(shuffle_buffer_size, seed=shuffle_seed)
    if num_epochs != 1:
        dataset = dataset.repeat(num_epochs)
    dataset = dataset.batch(batch_size, drop_remainder=drop_final_batch)
    dataset = dataset.apply(parse_example_dataset(features, parser_num_threads or 1))
    if label_key is not None:
        dataset = dataset.map(
            lambda parsed: ({k: v for k, v in parsed.items() if k != label_key}, parsed[label_key])
        )
    return dataset.prefetch(prefetch_buffer_size or 1)
