"""The RMSprop optimizer."""

from __future__ import annotations

import torch

from tork.keras.optimizers.optimizer import Optimizer


class RMSprop(Optimizer):
    """Optimizer that implements the RMSprop algorithm.

    `s = rho * s + (1 - rho) * g**2`; the increment is
    `lr * g / sqrt(s + epsilon)` (epsilon inside the square root), or, centered,
    `lr * g / sqrt(s - a**2 + epsilon)` with `a = rho * a + (1 - rho) * g`.
    With momentum `mu`: `M = mu * M + increment; v -= M`, else `v -= increment`.

    Args:
        learning_rate: a float, a `LearningRateSchedule`, or a no-argument callable.
        rho: discounting factor for the old gradients.
        momentum: if not 0, the momentum of the update.
        epsilon: a small constant for numerical stability.
        centered: whether to normalize by the estimated variance of the gradient.
        ema_overwrite_frequency: with `use_ema`, every this many steps the
            variables are overwritten with their moving average. Keras 2's
            RMSprop defaults it to 100 (the other optimizers to `None`).
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
        loss_scale_factor, gradient_accumulation_steps, name:
            see `tf.keras.optimizers.Optimizer`.

    Example:
    >>> optimizer = tf.keras.optimizers.RMSprop(learning_rate=0.1)
    >>> var1 = tf.Variable(10.0)
    >>> optimizer.minimize(lambda: (var1**2) / 2.0, [var1])
    >>> round(float(var1), 6)
    9.683772
    """

    def __init__(
        self,
        learning_rate=0.001,
        rho: float = 0.9,
        momentum: float = 0.0,
        epsilon: float = 1e-7,
        centered: bool = False,
        weight_decay: float | None = None,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        use_ema: bool = False,
        ema_momentum: float = 0.99,
        ema_overwrite_frequency: int | None = 100,
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
        self.rho = rho
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = centered

    def _create_slots(self, var_list: list) -> None:
        for variable in var_list:
            self._add_slot(variable, "velocity")
        if self.momentum > 0:
            for variable in var_list:
                self._add_slot(variable, "momentum")
        if self.centered:
            for variable in var_list:
                self._add_slot(variable, "average_gradient")

    def _update_group(self, group, grads: list, lr: float, t: int) -> None:
        rho = float(self.rho)
        velocities = group.slots["velocity"]
        torch._foreach_mul_(velocities, rho)
        torch._foreach_addcmul_(velocities, grads, grads, 1.0 - rho)
        if self.centered:
            averages = group.slots["average_gradient"]
            torch._foreach_lerp_(averages, grads, 1.0 - rho)
            denominators = torch._foreach_addcmul(velocities, averages, averages, -1.0)
            torch._foreach_add_(denominators, float(self.epsilon))
        else:
            denominators = torch._foreach_add(velocities, float(self.epsilon))
        torch._foreach_sqrt_(denominators)
        if self.momentum > 0:
            moments = group.slots["momentum"]
            torch._foreach_mul_(moments, float(self.momentum))
            torch._foreach_addcdiv_(moments, grads, denominators, lr)
            torch._foreach_sub_(group.params, moments)
        else:
            torch._foreach_addcdiv_(group.params, grads, denominators, -lr)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "rho": self.rho,
                "momentum": self.momentum,
                "epsilon": self.epsilon,
                "centered": self.centered,
            }
        )
        return config


__all__ = ["RMSprop"]
