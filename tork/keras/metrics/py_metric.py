"""`PyMetric`: a metric whose state is plain Python data on the host (Keras 2)."""

from __future__ import annotations

import functools

import torch

from tork.keras.metrics.metric import Metric, _in_symbolic_call


def _to_host(value):
    if isinstance(value, torch.Tensor):
        return value.detach().cpu()
    if isinstance(value, (list, tuple)):
        return type(value)(_to_host(v) for v in value)
    if isinstance(value, dict):
        return {k: _to_host(v) for k, v in value.items()}
    return value


class PyMetric(Metric):
    """Base class for metrics computed in Python, as `tf.keras.metrics.experimental.PyMetric`.

    Subclasses keep their state in ordinary Python objects (lists, NumPy arrays)
    rather than variables, and implement `update_state`, `reset_state` and
    `result`; `reset_state()` is called when the metric is created. The
    arguments of `update_state` arrive on the CPU, so `.numpy()` and NumPy or
    scikit-learn code work on them; `result()` may return a number or a tensor.

    Args:
        name: the metric name.
        dtype: the dtype of the result.

    Example:
    >>> class Median(keras.metrics.experimental.PyMetric):
    ...     def update_state(self, y_true, y_pred, sample_weight=None):
    ...         self.values.extend(y_pred.numpy().ravel().tolist())
    ...     def reset_state(self):
    ...         self.values = []
    ...     def result(self):
    ...         return float(np.median(self.values))
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        fn = cls.__dict__.get("update_state")
        if fn is None or getattr(fn, "_tork_on_host", False):
            return

        @functools.wraps(fn)
        def update_state(self, *args, **kwargs):
            if _in_symbolic_call():
                # A layer traced on keras.Input: the Python state must not take stand-ins.
                return None
            return fn(self, *_to_host(args), **_to_host(kwargs))

        update_state._tork_on_host = True
        update_state._tork_wrapped = True
        cls.update_state = update_state

    def __init__(self, name: str | None = None, dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype, **kwargs)
        self.reset_state()

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Accumulates statistics for the metric; subclasses implement it."""
        raise NotImplementedError("Subclasses should implement `update_state`.")

    def merge_state(self, metrics) -> None:
        """Merges other instances' state; Python state needs the subclass's own rule."""
        raise NotImplementedError("Subclasses should implement `merge_state`.")

    def reset_state(self) -> None:
        """Resets the Python state; subclasses implement it."""
        raise NotImplementedError("Subclasses should implement `reset_state`.")

    def result(self):
        """Returns the metric value from the Python state; subclasses implement it."""
        raise NotImplementedError("Subclasses should implement `result`.")
