"""The Lion optimizer."""

from __future__ import annotations

import torch

from tork.keras.optimizers.optimizer import Optimizer


class Lion(Optimizer):
    """Optimizer that implements the Lion algorithm (evolved sign momentum).

    `v -= lr * sign(beta_1 * m + (1 - beta_1) * g)`, then
    `m = beta_2 * m + (1 - beta_2) * g`. Lion's updates are larger than Adam's:
    use a 3-10x smaller learning rate.

    Args:
        learning_rate: a float, a `LearningRateSchedule`, or a no-argument callable.
            Defaults to 1e-4 as in Keras 2 (Keras 3's default is 1e-3).
        beta_1: the rate combining the current gradient and the momentum for the update.
        beta_2: the decay rate of the momentum.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
        ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps, name:
            see `tf.keras.optimizers.Optimizer`.

    Example:
    >>> optimizer = tf.keras.optimizers.Lion(learning_rate=1e-4)
    """

    def __init__(
        self,
        learning_rate=0.0001,
        beta_1: float = 0.9,
        beta_2: float = 0.99,
        weight_decay: float | None = None,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        use_ema: bool = False,
        ema_momentum: float = 0.99,
        ema_overwrite_frequency: int | None = None,
        loss_scale_factor: float | None = None,
        gradient_accumulation_steps: int | None = None,
        name: str | None = None,
        **kwargs,
    ):
        super().__init__(
            learning_rate=learning_rate,
            name=name,
            weight_decay=weight_decay,
            clipnorm=clipnorm,
            clipvalue=clipvalue,
            global_clipnorm=global_clipnorm,
            use_ema=use_ema,
            ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency,
            loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps,
            **kwargs,
        )
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        if beta_1 <= 0 or beta_1 > 1:
            raise ValueError(
                f"Argument `beta_1` must be in the [0, 1] range. Otherwise, the optimizer "
                f"degenerates to SignSGD. Received: beta_1={beta_1}."
            )

    def _create_slots(self, var_list: list) -> None:
        for variable in var_list:
            self._add_slot(variable, "momentum")

    def _update_group(self, group, grads: list, lr: float, t: int) -> None:
        moments = group.slots["momentum"]
        directions = torch._foreach_lerp(moments, grads, 1.0 - float(self.beta_1))
        torch._foreach_sign_(directions)
        torch._foreach_add_(group.params, directions, alpha=-lr)
        torch._foreach_lerp_(moments, grads, 1.0 - float(self.beta_2))

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2})
        return config


__all__ = ["Lion"]
