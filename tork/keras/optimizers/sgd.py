"""The SGD optimizer (with optional momentum and Nesterov momentum)."""

from __future__ import annotations

import torch

from tork.keras.optimizers.optimizer import Optimizer


class SGD(Optimizer):
    """Gradient descent (with momentum) optimizer.

    Without momentum: `v -= learning_rate * g`. With momentum `m` (slot
    `momentum`): `m = momentum * m - learning_rate * g`, then `v += m`, or with
    Nesterov `v += momentum * m - learning_rate * g`.

    Args:
        learning_rate: a float, a `LearningRateSchedule`, or a no-argument callable.
        momentum: float >= 0; accelerates descent in the relevant direction.
        nesterov: whether to use Nesterov momentum.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
        ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps, name:
            see `tf.keras.optimizers.Optimizer`.

    Example:
    >>> optimizer = tf.keras.optimizers.SGD(learning_rate=0.1)
    >>> var = tf.Variable(1.0)
    >>> optimizer.minimize(lambda: (var**2) / 2.0, [var])
    >>> round(float(var), 6)
    0.9
    """

    def __init__(
        self,
        learning_rate=0.01,
        momentum: float = 0.0,
        nesterov: bool = False,
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
        if not isinstance(momentum, (int, float)) or momentum < 0 or momentum > 1:
            raise ValueError(
                f"`momentum` must be a float between [0, 1]. Received: momentum={momentum}"
            )
        self.momentum = momentum
        self.nesterov = nesterov

    def _create_slots(self, var_list: list) -> None:
        if self.momentum == 0:
            # No slots, but a wrapper optimizer calling this directly (TF Addons'
            # Lookahead) needs the variables indexed for `_resource_apply_dense`.
            super()._create_slots(var_list)
        else:
            for variable in var_list:
                self._add_slot(variable, "momentum")

    def _update_group(self, group, grads: list, lr: float, t: int) -> None:
        params = group.params
        if self.momentum == 0:
            torch._foreach_add_(params, grads, alpha=-lr)
            return
        momentum = float(self.momentum)
        moments = group.slots["momentum"]
        torch._foreach_mul_(moments, momentum)
        torch._foreach_add_(moments, grads, alpha=-lr)
        if self.nesterov:
            torch._foreach_add_(params, moments, alpha=momentum)
            torch._foreach_add_(params, grads, alpha=-lr)
        else:
            torch._foreach_add_(params, moments)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"momentum": self.momentum, "nesterov": self.nesterov})
        return config


__all__ = ["SGD"]
