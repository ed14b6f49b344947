"""`tf.keras.layers.experimental.preprocessing.PreprocessingLayer`: base of adaptable layers."""

from __future__ import annotations

import numpy as np
import torch

from tork.keras.layers._call_context import where
from tork.keras.layers.layer import Layer


class PreprocessingLayer(Layer):
    """Base class of the preprocessing layers that learn a state with `adapt()` (Keras 2).

    A subclass implements `update_state(data)` (fold one batch into the state),
    `reset_state()` (forget it) and optionally `finalize_state()` (compute the
    final values once every batch was seen). `adapt(data)` resets the state,
    builds the layer from the first batch's shape if needed, calls
    `update_state` on each batch and then `finalize_state`.

    Example:
    >>> class Max(keras.layers.experimental.preprocessing.PreprocessingLayer):
    ...     def reset_state(self):
    ...         self.top = -np.inf
    ...     def update_state(self, data):
    ...         self.top = max(self.top, float(tf.reduce_max(data)))
    ...     def call(self, inputs):
    ...         return inputs / self.top
    >>> layer = Max()
    >>> layer.adapt(np.array([[1.0], [4.0]]))
    >>> layer.is_adapted, layer(np.array([[2.0]])).tolist()
    (True, [[0.5]])
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._is_adapted = False
        self._steps_per_execution = 1

    @property
    def is_adapted(self) -> bool:
        """Whether `adapt()` has run on this layer."""
        return self._is_adapted

    def update_state(self, data) -> None:
        """Accumulates the statistics of one batch of `data` into the layer's state."""
        raise NotImplementedError(
            f"{where(self)}: a PreprocessingLayer subclass must implement update_state(data) "
            "to be adapted."
        )

    def reset_state(self) -> None:
        """Resets the state the layer learns with `adapt()`."""
        raise NotImplementedError(
            f"{where(self)}: a PreprocessingLayer subclass must implement reset_state() to be "
            "adapted."
        )

    def finalize_state(self) -> None:
        """Computes the final state once every batch went through `update_state`."""

    def compile(self, run_eagerly=None, steps_per_execution=None) -> None:
        """Accepted for Keras 2 compatibility: `adapt()` always runs eagerly in tork.

        Args:
            run_eagerly: unused.
            steps_per_execution: unused (batches are read one at a time).
        """
        del run_eagerly
        self._steps_per_execution = steps_per_execution or 1

    def adapt(self, data, batch_size=None, steps=None) -> None:
        """Learns the layer's state from `data`.

        Args:
            data: a NumPy array or tensor (read `batch_size` rows at a time), or a
                `tf.data.Dataset` (read batch by batch).
            batch_size: rows per batch for array data (default 32).
            steps: number of batches to read (all by default).
        """
        from tork.data import Dataset

        if self.built:
            self.reset_state()
        if isinstance(data, Dataset):
            batches = data.take(steps) if steps is not None else data
        else:
            batches = _array_batches(data, int(batch_size or 32), steps)
        first = True
        for batch in batches:
            if first and not self.built:
                self._build_from(batch)
                self.reset_state()
            first = False
            self.update_state(batch)
        self.finalize_state()
        self._is_adapted = True

    def _build_from(self, batch) -> None:
        shape = getattr(batch, "shape", None)
        if shape is None:
            self.built = True
            return
        shape = tuple(shape)
        if self._batch_input_shape is None:
            # As Keras 2: the adapted layer knows its input's rank, not its sizes.
            self._batch_input_shape = (None,) * len(shape)
        # Keras 2 builds here outside the layer's name scope: weights are named "total:0".
        self._tork_build(shape, scoped=False)


def _array_batches(data, batch_size: int, steps):
    """`batch_size`-row slices of array-like `data` (as tensors), at most `steps` of them."""
    from tork._backend.tensor import convert_to_tensor

    if not isinstance(data, torch.Tensor):
        data = convert_to_tensor(np.asarray(data) if isinstance(data, list) else data)
    if data.ndim == 0:
        yield data
        return
    for count, start in enumerate(range(0, data.shape[0], batch_size)):
        if steps is not None and count >= steps:
            return
        yield data[start : start + batch_size]
