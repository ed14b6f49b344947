"""`keras.layers.Discretization`: buckets continuous values by boundaries (given or adapted)."""

from __future__ import annotations

import numpy as np
import torch

from tork._backend.tensor import convert_to_tensor, to_numpy
from tork.keras.layers._call_context import CONTEXT, where
from tork.keras.layers.layer import Layer
from tork.keras.layers.preprocessing import _encoding
from tork.keras.layers.preprocessing.category_encoding import _sparse_output, is_ragged


def _summarize(values: np.ndarray, epsilon: float) -> np.ndarray:
    """A (2, n) summary (values, weights) of a sorted sample, about 1/epsilon entries long.

    As tf_keras: every `step`-th value from `increment = int(size / (1 / epsilon))` (in
    float32), each weighing `step` (a whole number: weighing the fractional increment
    shifts the quantiles of multi-batch adapts).
    """
    values = np.sort(values.reshape(-1))
    increment = int(np.float32(values.size) / np.float32(1.0 / epsilon))
    step = max(increment, 1)
    kept = values[increment::step]
    return np.stack([kept, np.full(kept.shape, float(step))]).astype(np.float32)


def _compress(summary: np.ndarray, epsilon: float) -> np.ndarray:
    """Re-samples a summary at cumulative-weight fractions epsilon, 2 epsilon, ..., 1."""
    if summary.shape[1] * epsilon < 1:
        return summary
    fractions = epsilon + np.arange(0.0, 1.0, epsilon)
    cumulative = summary[1].cumsum()
    cumulative_fraction = cumulative / cumulative[-1]
    values = np.interp(fractions, cumulative_fraction, summary[0])
    cumulative = np.interp(fractions, cumulative_fraction, cumulative)
    weights = np.diff(cumulative, prepend=0.0)
    return np.stack([values, weights]).astype(np.float32)


def _merge(previous: np.ndarray, new: np.ndarray, epsilon: float) -> np.ndarray:
    # The new batch's entries first, as tf_keras (it matters for ties only).
    merged = np.concatenate([new, previous], axis=1)
    merged = merged[:, np.argsort(merged[0], kind="stable")]
    return _compress(merged, epsilon)


class Discretization(Layer):
    """Buckets continuous values into integer bins.

    With `bin_boundaries=[0., 1., 2.]` the bins are `(-inf, 0)`, `[0, 1)`,
    `[1, 2)` and `[2, inf)`, so `-1.5 -> 0`, `0.5 -> 1`, `3.4 -> 3`. With
    `num_bins`, `adapt(data)` learns boundaries at approximate quantiles of
    the data (the error tolerance is `epsilon`).

    Args:
        bin_boundaries: sorted list of boundaries (do not call `adapt`).
        num_bins: number of bins to learn with `adapt`.
        epsilon: quantile approximation tolerance for `adapt`.
        output_mode: `'int'` (bin indices, int64), `'one_hot'`, `'multi_hot'`
            or `'count'` (float encodings over `len(bin_boundaries) + 1` bins).
        sparse: whether the `'one_hot'`, `'multi_hot'` and `'count'` encodings are
            returned as a `tf.SparseTensor`.

    Example:
    >>> layer = keras.layers.Discretization(bin_boundaries=[0.0, 1.0, 2.0])
    >>> layer(np.array([[-1.5, 1.0, 3.4, 0.5]])).tolist()
    [[0, 2, 3, 1]]
    """

    def __init__(
        self,
        bin_boundaries=None,
        num_bins=None,
        epsilon: float = 0.01,
        output_mode: str = "int",
        sparse: bool = False,
        dtype=None,
        name=None,
        **kwargs,
    ):
        if "bins" in kwargs:
            # tf_keras's deprecated name of `bin_boundaries`.
            bin_boundaries = kwargs.pop("bins")
        # Keras 2: 'int' outputs are int64 unless an integer dtype is given.
        dtype_kwargs = {"dtype": dtype}
        _encoding.int_mode_dtype(dtype_kwargs, output_mode)
        super().__init__(dtype=dtype_kwargs["dtype"], name=name, **kwargs)
        output_mode = _encoding.check_output_mode(
            output_mode, ("int", "one_hot", "multi_hot", "count"), "Discretization"
        )
        if sparse and output_mode != "int":
            # Symbolic calls run on real twins, whose outputs become SparseKerasTensors.
            self._tork_composite_output = True
        if num_bins is not None and num_bins < 0:
            raise ValueError(
                f"`num_bins` must be greater than or equal to 0. Received: `num_bins={num_bins}`"
            )
        if num_bins is not None and bin_boundaries is not None:
            raise ValueError(
                "Both `num_bins` and `bin_boundaries` should not be set. Received: "
                f"`num_bins={num_bins}` and `bin_boundaries={bin_boundaries}`"
            )
        if num_bins is None and bin_boundaries is None:
            raise ValueError("You need to set either `num_bins` or `bin_boundaries`.")
        if bin_boundaries is not None:
            bin_boundaries = [float(b) for b in bin_boundaries]
            if any(b > a for a, b in zip(bin_boundaries[1:], bin_boundaries)):
                raise ValueError(
                    f"`bin_boundaries` must be sorted in increasing order. Received: "
                    f"{bin_boundaries}"
                )
        self._boundaries = bin_boundaries
        self.num_bins = num_bins
        self.epsilon = epsilon
        self.output_mode = output_mode
        self.sparse = sparse
        self._summary = np.zeros((2, 0), dtype=np.float32)
        self._boundary_tensor = None

    @property
    def bin_boundaries(self):
        """The bin boundaries (given or learned by `adapt`), or None before `adapt`."""
        return self._boundaries

    def adapt(self, data, steps=None, *, batch_size=None) -> None:
        """Learns `num_bins - 1` boundaries at approximate quantiles of `data`.

        Args:
            data: an array, tensor or nested list of numbers, or a batched
                `tf.data.Dataset` of tensors.
            steps: number of batches to read from a dataset (all by default).
            batch_size: the rows per batch when `data` is not a dataset (default 32).
        """
        if self.num_bins is None:
            raise ValueError(
                "Cannot adapt a Discretization layer that has been initialized with "
                "`bin_boundaries`, use `num_bins` instead."
            )
        from tork.data import Dataset

        summary = np.zeros((2, 0), dtype=np.float32)
        batches = data.take(steps) if isinstance(data, Dataset) and steps is not None else data
        if not isinstance(data, Dataset):
            # Keras reads arrays in batches (32 rows by default) and merges one summary per
            # batch: the boundaries are those approximate quantiles, not the exact ones.
            values = to_numpy(data) if isinstance(data, torch.Tensor) else np.asarray(data)
            size = int(batch_size or 32)
            if values.ndim == 0 or len(values) <= size:
                batches = [values]
            else:
                batches = [values[i : i + size] for i in range(0, len(values), size)]
        for batch in batches:
            if isinstance(batch, (tuple, dict)):
                raise ValueError(
                    f"{where(self)}: adapt() expects a dataset of feature tensors, got "
                    f"{type(batch).__name__} elements. Drop the labels first, e.g. "
                    "dataset.map(lambda x, y: x)."
                )
            values = to_numpy(batch) if isinstance(batch, torch.Tensor) else np.asarray(batch)
            values = values.astype(np.float32)
            summary = _merge(summary, _summarize(values, self.epsilon), self.epsilon)
        self._summary = summary
        self._boundaries = _compress(summary, 1.0 / self.num_bins)[0, :-1].tolist()
        self._boundary_tensor = None

    # -- tf_keras's `summary` weight -------------------------------------------------------
    # tf_keras keeps an adapted layer's quantile summary in a `summary` weight of shape
    # (2, None) (values, weights), writes `bin_boundaries: null` in its config and derives the
    # boundaries from the summary after loading. tork keeps the boundaries in the config
    # (tf_keras and Keras 3 read them) and lists no weight, but reads tf_keras's summary from
    # its files: `.keras`/`.weights.h5` through the hooks below, `.h5` in legacy_h5.
    def _tork_takes_summary(self) -> bool:
        """Whether a tf_keras `summary` weight can set this layer's boundaries."""
        return self.num_bins is not None

    def _tork_set_summary(self, summary, check_only: bool = False) -> None:
        """Sets the boundaries from a tf_keras quantile summary, as its `finalize_state`.

        Raises:
            ValueError: for a layer built with `bin_boundaries`, or an array that is not
                a (2, n) summary.
        """
        summary = np.asarray(summary, dtype=np.float32)
        if not self._tork_takes_summary():
            raise ValueError(
                f"{where(self)}: got a tf_keras `summary` weight of shape {summary.shape}, but "
                "the layer was created with `bin_boundaries`, so it has no summary to load. "
                "Create it with `num_bins` (as the saved layer was)."
            )
        if summary.ndim != 2 or summary.shape[0] != 2:
            raise ValueError(
                f"{where(self)}: a tf_keras `summary` weight must have shape (2, n) (values, "
                f"weights); got shape {summary.shape}."
            )
        if check_only:
            return
        self._summary = summary
        # An empty summary: the saved layer was never adapted.
        self._boundaries = (
            _compress(summary, 1.0 / self.num_bins)[0, :-1].tolist() if summary.shape[1] else None
        )
        self._boundary_tensor = None

    def save_own_variables(self, store) -> None:
        """Writes nothing: the boundaries are in the config (Keras 3 writes no variable)."""

    def load_own_variables(self, store) -> None:
        """Reads tf_keras's `summary` weight (`vars/0`) when the file has one."""
        keys = list(store.keys())
        if not keys:
            return
        if keys != ["0"]:
            raise ValueError(
                f"{where(self)}: expected at most one saved variable (tf_keras's `summary`), "
                f"got {sorted(keys)}."
            )
        self._tork_set_summary(store["0"])

    def call(self, inputs):
        if _encoding.is_sparse(inputs) or is_ragged(inputs):
            return self._call_composite(inputs)
        if not isinstance(inputs, torch.Tensor):
            # The base class turns nested lists into lists of tensors: make one tensor.
            inputs = convert_to_tensor(inputs)
        indices = self._bucketize(inputs)
        if self.output_mode == "int":
            return _encoding.int_output(indices, self._tork_compute_dtype)
        outputs = _encoding.encode(
            indices,
            self.output_mode,
            self._bins(),
            self._tork_compute_dtype,
            where_text=where(self),
        )
        return _sparse_output(outputs) if self.sparse else outputs

    def _call_composite(self, inputs):
        """Buckets the values of a SparseTensor or RaggedTensor, as Keras 2: 'int' keeps
        the indices (or rows); the other modes encode each row of a `(batch, None)` input."""
        from tork._backend.sparse_tensor import SparseTensor

        sparse = _encoding.is_sparse(inputs)
        values = inputs.values if sparse else inputs.flat_values
        indices = self._bucketize(values)
        if self.output_mode == "int":
            indices = _encoding.int_output(indices, self._tork_compute_dtype)
            if sparse:
                return SparseTensor(inputs.indices, indices, inputs.dense_shape)
            return inputs.with_flat_values(indices)
        if sparse:
            row_ids, rows = _encoding.sparse_rows(inputs, where(self))
        else:
            if inputs.ragged_rank != 1 or values.dim() != 1:
                raise ValueError(
                    f"{where(self)}: a RaggedTensor input must have shape (batch, None) to be "
                    f"encoded per sample; got shape {inputs.shape}."
                )
            row_ids, rows = inputs.value_rowids(), inputs.nrows_int()
        outputs = _encoding.encode_rows(
            indices,
            row_ids,
            rows,
            self.output_mode,
            self._bins(),
            self._tork_compute_dtype,
            where_text=where(self),
        )
        return _sparse_output(outputs) if self.sparse else outputs

    def _bins(self) -> int:
        """The number of bins: one more than the boundaries (or `num_bins` before adapt)."""
        if self._boundaries is None:
            return int(self.num_bins)
        return len(self._boundaries) + 1

    def _bucketize(self, inputs: torch.Tensor) -> torch.Tensor:
        """The int64 bin of each value of `inputs`."""
        if self._boundaries is None and CONTEXT.symbolic:
            # A functional model built before adapt() (Keras 2 allows it): only the output's
            # shape matters here; the boundaries are read when the model runs.
            return torch.zeros(inputs.shape, dtype=torch.int64, device=inputs.device)
        if self._boundaries is None:
            raise ValueError(
                "You need to either pass the `bin_boundaries` argument at construction time or "
                "call `adapt(dataset)` before you can start using the `Discretization` layer."
            )
        boundaries = self._boundary_tensor
        if boundaries is None or boundaries.device != inputs.device:
            boundaries = torch.tensor(self._boundaries, dtype=torch.float64, device=inputs.device)
            if not CONTEXT.symbolic:
                # Functional-API calls run on fake tensors, which must not be cached.
                self._boundary_tensor = boundaries
        # Bin i holds boundaries[i - 1] <= x < boundaries[i] (numpy.digitize).
        return torch.bucketize(inputs.to(torch.float64), boundaries, right=True)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "bin_boundaries": self._boundaries,
                "num_bins": self.num_bins,
                "epsilon": self.epsilon,
                "output_mode": self.output_mode,
                "sparse": self.sparse,
            }
        )
        return config

    @classmethod
    def from_config(cls, config: dict):
        config = dict(config)
        if config.get("bin_boundaries") is not None and config.get("num_bins") is not None:
            # After adapt() both are set, which __init__ refuses: restore the boundaries after.
            boundaries = config.pop("bin_boundaries")
            layer = cls(**config)
            layer._boundaries = list(boundaries)
            return layer
        return cls(**config)
