"""`keras.callbacks.Callback`: the base class of every callback."""

from __future__ import annotations

from typing import Any


class Callback:
    """Base class used to build new callbacks.

    Callbacks can be passed to `fit()`, `evaluate()` and `predict()` to hook
    into the various stages of the model training, evaluation and inference
    lifecycle. Subclass it and override any of the `on_*` methods.

    Attributes:
        params: dict of training parameters (`verbose`, `epochs`, `steps`).
        model: the model being trained, evaluated or used for prediction.

    `logs` given to the hooks hold Python floats at epoch level (`on_epoch_end`,
    `on_test_end`, ...). At batch level they also hold floats unless the
    callback sets `self._supports_tf_logs = True`, in which case it receives the
    raw values (0-dim tensors that may live on the GPU): reading such a value
    waits for the device, so tork only converts batch logs for callbacks that
    need them.

    Example:

    ```python
    class LossPrinter(tf.keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            print(f"epoch {epoch}: loss {logs['loss']:.4f}")

    model.fit(x, y, epochs=3, callbacks=[LossPrinter()])
    ```
    """

    # Class-level defaults so subclasses that skip `super().__init__()` still work.
    params: dict | None = None
    model: Any = None
    validation_data: Any = None
    _supports_tf_logs: bool = False

    def __init__(self) -> None:
        self.params = None
        self.model = None
        self.validation_data = None

    def set_params(self, params: dict) -> None:
        """Stores the training parameters (`verbose`, `epochs`, `steps`)."""
        self.params = params

    def set_model(self, model: Any) -> None:
        """Stores the model the callback acts on."""
        self.model = model

    # -- batch hooks -------------------------------------------------------

    def on_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """A backwards-compatible alias for `on_train_batch_begin`."""

    def on_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """A backwards-compatible alias for `on_train_batch_end`."""

    def on_train_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """Called at the beginning of a training batch in `fit`.

        Args:
            batch: index of the batch within the current epoch.
            logs: dict; empty in the default training loop.
        """
        self.on_batch_begin(batch, logs)

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """Called at the end of a training batch in `fit`.

        Args:
            batch: index of the batch within the current epoch.
            logs: dict of the running loss and metric values of the epoch.
        """
        self.on_batch_end(batch, logs)

    def on_test_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """Called at the beginning of a batch in `evaluate` (and validation in `fit`)."""

    def on_test_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """Called at the end of a batch in `evaluate` (and validation in `fit`)."""

    def on_predict_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """Called at the beginning of a batch in `predict`."""

    def on_predict_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """Called at the end of a batch in `predict`.

        `logs['outputs']` holds the batch output as NumPy arrays (the raw tensors
        when the callback sets `_supports_tf_logs = True`).
        """

    # -- epoch hooks -------------------------------------------------------

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        """Called at the start of an epoch (0-based `epoch`), training only."""

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        """Called at the end of an epoch; `logs` has the epoch's metrics and `val_` metrics."""

    # -- whole-run hooks ---------------------------------------------------

    def on_train_begin(self, logs: dict | None = None) -> None:
        """Called at the beginning of training."""

    def on_train_end(self, logs: dict | None = None) -> None:
        """Called at the end of training; `logs` has the last epoch's values."""

    def on_test_begin(self, logs: dict | None = None) -> None:
        """Called at the beginning of evaluation or validation."""

    def on_test_end(self, logs: dict | None = None) -> None:
        """Called at the end of evaluation or validation with the final metrics."""

    def on_predict_begin(self, logs: dict | None = None) -> None:
        """Called at the beginning of prediction."""

    def on_predict_end(self, logs: dict | None = None) -> None:
        """Called at the end of prediction."""

    # -- which batch hooks are live (the loop skips the others) -------------

    def _overrides(self, *names: str) -> bool:
        instance_attrs = getattr(self, "__dict__", {})
        for name in names:
            if name in instance_attrs:
                return True
            if getattr(type(self), name, None) is not getattr(Callback, name):
                return True
        return False

    def _implements_train_batch_hooks(self) -> bool:
        """Whether the training batch hooks do anything (so `fit` can skip them)."""
        return self._overrides(
            "on_train_batch_begin", "on_train_batch_end", "on_batch_begin", "on_batch_end"
        )

    def _implements_test_batch_hooks(self) -> bool:
        """Whether the test batch hooks do anything."""
        return self._overrides("on_test_batch_begin", "on_test_batch_end")

    def _implements_predict_batch_hooks(self) -> bool:
        """Whether the predict batch hooks do anything."""
        return self._overrides("on_predict_batch_begin", "on_predict_batch_end")
