"""`Dataset.sample_from_datasets` and `Dataset.choose_from_datasets`."""

from __future__ import annotations

import torch

from tork.data import _spec
from tork.data import _structure as nest
from tork.data._shuffle import SeedState
from tork.data.dataset import (
    INFINITE_CARDINALITY,
    UNKNOWN_CARDINALITY,
    Dataset,
    _check_dataset,
)

_END = object()
# Random choices drawn at once: one generator call per block, not per element.
_BLOCK = 1024


def _check_datasets(datasets, where: str) -> list:
    if isinstance(datasets, Dataset) or not isinstance(datasets, (list, tuple)) or not datasets:
        raise TypeError(f"{where} expects a non-empty list of datasets, got {datasets!r:.100}.")
    datasets = list(datasets)
    for ds in datasets:
        _check_dataset(ds, where)
    first = nest.flatten(datasets[0].element_spec)
    for index, ds in enumerate(datasets[1:], start=1):
        other = nest.flatten(ds.element_spec)
        if (
            not nest.same_structure(datasets[0].element_spec, ds.element_spec)
            or len(other) != len(first)
            or any(a.dtype != b.dtype for a, b in zip(first, other))
        ):
            raise TypeError(
                f"{where}: all datasets must have the same element structure and dtypes; "
                f"dataset 0 has {datasets[0].element_spec} and dataset {index} has "
                f"{ds.element_spec}."
            )
    return datasets


def _merged_spec(datasets: list):
    """The most specific spec describing every dataset's elements (as TF: a dimension that
    differs between the datasets becomes None, a rank that differs an unknown shape)."""
    spec = datasets[0].element_spec
    for ds in datasets[1:]:
        merged = _spec.merge_specs(spec, ds.element_spec)
        if merged is None:  # e.g. dicts whose keys differ: keep the first, as before
            return datasets[0].element_spec
        spec = merged
    return spec


def _check_weight_stream(weights: Dataset, n: int, where: str) -> Dataset:
    """A dataset of weight vectors (one per draw), checked against the `n` datasets."""
    spec = weights.element_spec
    if (
        nest.is_nested(spec)
        or not getattr(spec.dtype, "is_floating_point", False)
        or spec.shape.rank != 1
        or spec.shape[0] not in (None, n)
    ):
        raise TypeError(
            f"{where}: a `weights` dataset must give float vectors of {n} weights (one per "
            f"dataset), got elements {spec}."
        )
    return weights


class _SampleDataset(Dataset):
    def __init__(self, datasets, weights, seed, stop_on_empty_dataset, rerandomize):
        where = "Dataset.sample_from_datasets"
        self._datasets = _check_datasets(datasets, where)
        n = len(self._datasets)
        self._weight_stream = None
        if weights is None or isinstance(weights, Dataset):
            probs = torch.full((n,), 1.0 / n, dtype=torch.float64)
            if weights is not None:
                self._weight_stream = _check_weight_stream(weights, n, where)
        else:
            probs = torch.as_tensor(
                weights.detach().cpu() if isinstance(weights, torch.Tensor) else weights,
                dtype=torch.float64,
            ).reshape(-1)
            if probs.numel() != n:
                raise ValueError(
                    f"{where}: got {probs.numel()} weights for {n} datasets; pass one weight "
                    "per dataset."
                )
            if bool((probs < 0).any()) or not bool(torch.isfinite(probs).all()):
                raise ValueError(f"{where}: weights must be finite and >= 0, got {probs.tolist()}.")
            if float(probs.sum()) <= 0:
                raise ValueError(f"{where}: the weights sum to 0; at least one must be positive.")
        inputs = self._datasets if self._weight_stream is None else [*self._datasets, weights]
        super().__init__(tuple(inputs))
        self._weights = probs / probs.sum()
        # TensorFlow drops the datasets given a zero weight in a Python list or NumPy array
        # (never drawn, so never exhausted) before it counts elements; weights given as a
        # tensor are kept as they are.
        self._static_weights = weights is None or not isinstance(weights, torch.Tensor)
        self._stop = bool(stop_on_empty_dataset)
        self._seed = SeedState(seed, bool(rerandomize))

    def _generic(self):
        if self._weight_stream is not None:
            yield from self._from_weight_stream()
            return
        iterators = [ds._elements() for ds in self._datasets]
        weights = self._weights.clone()
        generator = self._seed.next_generator()
        while True:
            draws = torch.multinomial(weights, _BLOCK, replacement=True, generator=generator)
            for index in draws.tolist():
                value = next(iterators[index], _END)
                if value is _END:
                    if self._stop:
                        return
                    # As TensorFlow: skip the empty dataset, the others keep their odds.
                    iterators[index] = None
                    weights[index] = 0.0
                    if float(weights.sum()) <= 0:
                        return
                    break  # redraw with the new weights
                yield value

    def _from_weight_stream(self):
        """One draw per element of the weights dataset, as TF: its weights for that draw.

        A draw of an exhausted dataset is skipped (or ends everything with
        `stop_on_empty_dataset`); the output ends with the weights or the datasets.
        """
        iterators = [ds._elements() for ds in self._datasets]
        generator = self._seed.next_generator()
        for weights in self._weight_stream._elements():
            probs = torch.as_tensor(weights, dtype=torch.float64).detach().cpu().reshape(-1)
            if probs.numel() != len(iterators) or not float(probs.clamp(min=0).sum()) > 0:
                from tork._backend.errors import InvalidArgumentError

                raise InvalidArgumentError(
                    "Dataset.sample_from_datasets: each element of the weights dataset must "
                    f"hold {len(iterators)} weights (one per dataset) with a positive sum, got "
                    f"{probs.tolist()}."
                )
            index = int(torch.multinomial(probs.clamp(min=0), 1, generator=generator))
            if iterators[index] is None:
                continue
            value = next(iterators[index], _END)
            if value is _END:
                if self._stop:
                    return
                iterators[index] = None
                if all(it is None for it in iterators):
                    return
                continue
            yield value

    def _spec(self):
        return _merged_spec(self._datasets)

    def _cardinality(self) -> int:
        if self._weight_stream is not None:
            # Endless weights over endless datasets never end; anything else may.
            sizes = [ds._cardinality() for ds in (*self._datasets, self._weight_stream)]
            if all(size == INFINITE_CARDINALITY for size in sizes):
                return INFINITE_CARDINALITY
            return UNKNOWN_CARDINALITY
        datasets = self._datasets
        if self._static_weights:
            datasets = [ds for ds, w in zip(datasets, self._weights.tolist()) if w > 0]
        if len(datasets) == 1:
            # A single dataset that can be drawn is passed through whole, as in TensorFlow.
            return datasets[0]._cardinality()
        sizes = [ds._cardinality() for ds in datasets]
        if all(s == INFINITE_CARDINALITY for s in sizes):
            return INFINITE_CARDINALITY
        # Without stop_on_empty_dataset, an infinite input outlives the finite ones.
        if not self._stop and INFINITE_CARDINALITY in sizes:
            return INFINITE_CARDINALITY
        return UNKNOWN_CARDINALITY


class _ChooseDataset(Dataset):
    def __init__(self, datasets, choice_dataset, stop_on_empty_dataset):
        where = "Dataset.choose_from_datasets"
        self._datasets = _check_datasets(datasets, where)
        _check_dataset(choice_dataset, where)
        spec = choice_dataset.element_spec
        if isinstance(spec, (tuple, list, dict)) or spec.dtype != torch.int64 or spec.shape.rank:
            raise TypeError(
                f"{where}: `choice_dataset` must be a dataset of int64 scalars, got elements "
                f"{spec}. E.g. tf.data.Dataset.range(3).repeat()."
            )
        super().__init__((*self._datasets, choice_dataset))
        self._choices = choice_dataset
        self._stop = bool(stop_on_empty_dataset)

    def _generic(self):
        from tork.ops.debugging import InvalidArgumentError

        iterators = [ds._elements() for ds in self._datasets]
        for choice in self._choices._elements():
            index = int(choice)
            if not 0 <= index < len(iterators):
                raise InvalidArgumentError(
                    f"Dataset.choose_from_datasets: choice {index} is not in [0, "
                    f"{len(iterators)}): there are {len(iterators)} datasets."
                )
            if iterators[index] is None:
                continue
            value = next(iterators[index], _END)
            if value is _END:
                if self._stop:
                    return
                iterators[index] = None
                continue
            yield value

    def _spec(self):
        return _merged_spec(self._datasets)

    def _cardinality(self) -> int:
        # Endless choices among endless datasets never end; anything else may.
        if self._choices._cardinality() == INFINITE_CARDINALITY and all(
            ds._cardinality() == INFINITE_CARDINALITY for ds in self._datasets
        ):
            return INFINITE_CARDINALITY
        return UNKNOWN_CARDINALITY
