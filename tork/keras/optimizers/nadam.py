"""The Nadam optimizer: Adam with Nesterov momentum."""

from __future__ import annotations

import torch

from tork.keras.optimizers.optimizer import Optimizer
from tork.variables import Variable


class Nadam(Optimizer):
    """Optimizer that implements the Nadam algorithm (Adam with Nesterov momentum).

    With `mu_t = beta_1 * (1 - 0.5 * 0.96**t)` and the running product
    `P_t = P_{t-1} * mu_t` (`P_0 = 1`): `m += (g - m) * (1 - beta_1)`,
    `s += (g**2 - s) * (1 - beta_2)`,
    `m_hat = mu_{t+1} * m / (1 - P_t * mu_{t+1}) + (1 - mu_t) * g / (1 - P_t)`, and
    `v -= lr * m_hat / (sqrt(s / (1 - beta_2**t)) + epsilon)`.

    Args:
        learning_rate: a float, a `LearningRateSchedule`, or a no-argument callable.
        beta_1: the exponential decay rate for the 1st moment estimates.
        beta_2: the exponential decay rate for the 2nd moment estimates.
        epsilon: a small constant for numerical stability.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
        ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps, name:
            see `tf.keras.optimizers.Optimizer`.

    Example:
    >>> optimizer = tf.keras.optimizers.Nadam(learning_rate=1e-3)
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
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
        self.epsilon = epsilon
        self._u_product = None
        self._coefficients = (0.0, 0.0, 0.0)

    def _create_slots(self, var_list: list) -> None:
        # Keras 2's legacy Nadam lists its product (`momentum_cache`) before the slots;
        # Keras 3's Nadam lists `u_product` after them (the order its files store).
        if self._tork_keras2_layout:
            self._add_u_product(var_list)
        for variable in var_list:
            self._add_slot(variable, "momentum")
            self._add_slot(variable, "velocity")
        self._add_u_product(var_list)

    def _add_u_product(self, var_list: list) -> None:
        if self._u_product is None:
            dtype = var_list[0].dtype if var_list else None
            label = "momentum_cache" if self._tork_keras2_layout else "u_product"
            self._u_product = Variable(
                torch.ones((), dtype=dtype or torch.float32),
                trainable=False,
                name=f"{self.name}/{label}",
            )
            self._variables.append(self._u_product)

    def _before_update(self, t: int) -> None:
        beta_1 = float(self.beta_1)
        mu_t = beta_1 * (1.0 - 0.5 * 0.96**t)
        mu_next = beta_1 * (1.0 - 0.5 * 0.96 ** (t + 1))
        product = float(self._u_product) * mu_t
        self._u_product.fill_(product)
        product_next = product * mu_next
        self._coefficients = (
            mu_next / (1.0 - product_next),
            (1.0 - mu_t) / (1.0 - product),
            1.0 / (1.0 - float(self.beta_2) ** t),
        )

    def _update_group(self, group, grads: list, lr: float, t: int) -> None:
        moment_scale, grad_scale, velocity_scale = self._coefficients
        beta_2 = float(self.beta_2)
        moments = group.slots["momentum"]
        velocities = group.slots["velocity"]
        torch._foreach_lerp_(moments, grads, 1.0 - float(self.beta_1))
        torch._foreach_mul_(velocities, beta_2)
        torch._foreach_addcmul_(velocities, grads, grads, 1.0 - beta_2)
        corrected = torch._foreach_mul(moments, moment_scale)
        torch._foreach_add_(corrected, grads, alpha=grad_scale)
        denominators = torch._foreach_mul(velocities, velocity_scale)
        torch._foreach_sqrt_(denominators)
        torch._foreach_add_(denominators, float(self.epsilon))
        torch._foreach_addcdiv_(group.params, corrected, denominators, -lr)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config


__all__ = ["Nadam"]
