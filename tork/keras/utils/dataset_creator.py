"""`keras.utils.experimental.DatasetCreator`: a dataset made by a function when fit needs it."""

from __future__ import annotations

from collections.abc import Callable


class DatasetCreator:
    """Object that returns a dataset when called with an input context.

    `model.fit`, `evaluate` and `predict` accept it in place of a dataset: they call
    `dataset_fn(input_context)` once (through the strategy's
    `distribute_datasets_from_function`) and, with it, need `steps_per_epoch`,
    `validation_steps` or `steps`, since the dataset is usually endless
    (`.repeat()`). Training epochs continue through the dataset: it is not restarted
    each epoch.

    Args:
        dataset_fn: a callable taking a `tf.distribute.InputContext` and returning a
            `tf.data.Dataset`, batched with
            `input_context.get_per_replica_batch_size(global_batch_size)`.
        input_options: optional `tf.distribute.InputOptions` (accepted for
            compatibility).

    Example:
    >>> def dataset_fn(input_context):
    ...     batch_size = input_context.get_per_replica_batch_size(64)
    ...     x = np.random.random((256, 10)).astype("float32")
    ...     y = np.random.randint(2, size=(256, 1))
    ...     dataset = tf.data.Dataset.from_tensor_slices((x, y))
    ...     return dataset.shuffle(256).repeat().batch(batch_size)
    >>> model.fit(tf.keras.utils.experimental.DatasetCreator(dataset_fn),
    ...           epochs=10, steps_per_epoch=10)
    """

    def __init__(self, dataset_fn: Callable, input_options=None):
        if not callable(dataset_fn):
            raise TypeError(
                f"`dataset_fn` for `DatasetCreator` must be a `callable`. Received: {dataset_fn}"
            )
        if input_options is not None and type(input_options).__name__ != "InputOptions":
            raise TypeError(
                "`input_options` for `DatasetCreator` must be a "
                f"`tf.distribute.InputOptions`. Received: {input_options}"
            )
        self.dataset_fn = dataset_fn
        self.input_options = input_options

    def __call__(self, *args, **kwargs):
        """Returns `dataset_fn(*args, **kwargs)`, checking that it is a dataset."""
        from tork.data import Dataset

        dataset = self.dataset_fn(*args, **kwargs)
        if not isinstance(dataset, Dataset):
            raise TypeError(
                "The `callable` provided to `DatasetCreator` must return a Dataset. "
                f'It returns "{dataset}"'
            )
        return dataset


# Keras 2 raises this when fit/evaluate/predict get a DatasetCreator without a step count.
_STEPS_REQUIRED = (
    "When using a `tf.keras.utils.experimental.DatasetCreator`, `steps_per_epoch`, "
    "`validation_steps`, `steps`, or `pss_evaluation_shards` argument must be provided in "
    "`Model.fit`, `Model.evaluate`, or `Model.predict`."
)


def _make_dataset(creator: DatasetCreator, steps):
    """The dataset `fit`/`evaluate`/`predict` read from `creator` (called once)."""
    if steps is None:
        raise ValueError(_STEPS_REQUIRED)
    from tork.distribute import InputContext, get_strategy

    strategy = get_strategy()
    if strategy.num_replicas_in_sync > 1:
        return strategy.distribute_datasets_from_function(creator, creator.input_options)
    # One replica: the plain dataset, so fit takes its fast paths.
    return creator(InputContext())
