"""`keras.callbacks.SwapEMAWeights`."""

from __future__ import annotations

import torch

from tork.keras.callbacks.callback import Callback


class SwapEMAWeights(Callback):
    """Swaps the model's weights and the optimizer's EMA weights around evaluation.

    For optimizers built with `use_ema=True`: before `evaluate()`/`predict()`
    (including the validation inside `fit()`) the moving averages are swapped
    into the model, and after them swapped back, so training continues from the
    raw weights. With `swap_on_epoch=True` the EMA weights are also swapped in
    at each epoch end (so callbacks that run then, such as `ModelCheckpoint`,
    see them) and out again at the next epoch's start. Place it before such
    callbacks in the list.

    Args:
        swap_on_epoch: whether to swap the EMA weights in at each epoch end.

    Example:

    ```python
    model.compile(optimizer=tf.keras.optimizers.SGD(use_ema=True), loss="mse")
    model.fit(x, y, validation_data=(xv, yv),
              callbacks=[tf.keras.callbacks.SwapEMAWeights(swap_on_epoch=True)])
    ```
    """

    def __init__(self, swap_on_epoch: bool = False) -> None:
        super().__init__()
        self.swap_on_epoch = swap_on_epoch
        self._ema_weights_in_model = False

    def _optimizer(self):
        optimizer = getattr(self.model, "optimizer", None)
        # A LossScaleOptimizer keeps the averages in its inner optimizer.
        inner = getattr(optimizer, "inner_optimizer", None)
        if inner is not None:
            optimizer = inner
        if optimizer is None or not getattr(optimizer, "use_ema", False):
            received = getattr(optimizer, "use_ema", None) if optimizer is not None else None
            raise ValueError(
                "SwapEMAWeights must be used when `use_ema=True` is set on the optimizer. "
                f"Received: use_ema={received}. Compile the model with an optimizer such as "
                "tf.keras.optimizers.Adam(use_ema=True)."
            )
        return optimizer

    def _pairs(self) -> tuple[list, list]:
        """The model's trainable variables that have moving averages, and those averages."""
        optimizer = self._optimizer()
        averages = optimizer._slots.get("average", [])
        index = optimizer._index
        variables, moving = [], []
        for variable in self.model.trainable_variables:
            i = index.get(id(variable))
            if i is not None:  # never updated yet: no average to swap
                variables.append(variable)
                moving.append(averages[i])
        return variables, moving

    def _swap_variables(self) -> None:
        variables, moving = self._pairs()
        if not variables:
            return
        with torch.no_grad():
            saved = [v.detach().clone() for v in variables]
            torch._foreach_copy_(variables, moving)
            torch._foreach_copy_(moving, saved)

    def _finalize_ema_values(self) -> None:
        # The model now holds the EMA weights and the slots the raw ones; make the
        # slots hold the EMA weights again so a later finalize_variable_values is a no-op.
        variables, moving = self._pairs()
        if variables:
            with torch.no_grad():
                torch._foreach_copy_(moving, variables)

    def on_train_begin(self, logs: dict | None = None) -> None:
        self._optimizer()  # fail early with a clear message

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        if self.swap_on_epoch and self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = False

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if self.swap_on_epoch and not self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = True
            epochs = (self.params or {}).get("epochs")
            if epochs is not None and epoch == epochs - 1:
                self._finalize_ema_values()

    def on_test_begin(self, logs: dict | None = None) -> None:
        if not self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = True

    def on_test_end(self, logs: dict | None = None) -> None:
        if self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = False

    def on_predict_begin(self, logs: dict | None = None) -> None:
        if not self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = True

    def on_predict_end(self, logs: dict | None = None) -> None:
        if self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = False
