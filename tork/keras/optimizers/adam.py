"""The Adam optimizer."""

from __future__ import annotations

import math

import torch

from tork.keras.optimizers.optimizer import Optimizer


class Adam(Optimizer):
    """Optimizer that implements the Adam algorithm.

    With `t` the 1-based step: `m += (g - m) * (1 - beta_1)`,
    `s += (g**2 - s) * (1 - beta_2)`, and
    `v -= lr * sqrt(1 - beta_2**t) / (1 - beta_1**t) * m / (sqrt(s) + epsilon)`.
    Unlike `torch.optim.Adam`, epsilon is not bias-corrected (Keras's formula).

    Args:
        learning_rate: a float, a `LearningRateSchedule`, or a no-argument callable.
        beta_1: the exponential decay rate for the 1st moment estimates.
        beta_2: the exponential decay rate for the 2nd moment estimates.
        epsilon: a small constant for numerical stability ("epsilon hat").
        amsgrad: whether to apply the AMSGrad variant (the running maximum of `s`).
        adaptive_epsilon: (tf_keras 2.21) when True, "epsilon hat" is computed from
            `epsilon` as in Algorithm 1 of the Adam paper, `epsilon * sqrt(1 - beta_2**t)`,
            instead of being `epsilon` itself. Keyword only here (tf_keras takes it before
            `amsgrad`; Keras 3 and older Keras 2 take `amsgrad` fifth).
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
        ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps, name:
            see `tf.keras.optimizers.Optimizer`.

    Example:
    >>> optimizer = tf.keras.optimizers.Adam(learning_rate=1e-3)
    >>> optimizer.apply_gradients(zip(grads, model.trainable_variables))
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        amsgrad: bool = False,
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
        adaptive_epsilon: bool = False,
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
        self.amsgrad = amsgrad
        self.adaptive_epsilon = adaptive_epsilon

    def _create_slots(self, var_list: list) -> None:
        for variable in var_list:
            self._add_slot(variable, "momentum")
            self._add_slot(variable, "velocity")
        if self.amsgrad:
            for variable in var_list:
                self._add_slot(variable, "velocity_hat")

    def _update_group(self, group, grads: list, lr: float, t: int) -> None:
        beta_1, beta_2 = float(self.beta_1), float(self.beta_2)
        alpha = lr * math.sqrt(1.0 - beta_2**t) / (1.0 - beta_1**t)
        moments = group.slots["momentum"]
        velocities = group.slots["velocity"]
        torch._foreach_lerp_(moments, grads, 1.0 - beta_1)
        torch._foreach_mul_(velocities, beta_2)
        torch._foreach_addcmul_(velocities, grads, grads, 1.0 - beta_2)
        if self.amsgrad:
            maxima = group.slots["velocity_hat"]
            torch._foreach_maximum_(maxima, velocities)
            velocities = maxima
        denominators = torch._foreach_sqrt(velocities)
        epsilon = float(self.epsilon)
        if self.adaptive_epsilon:
            epsilon *= math.sqrt(1.0 - beta_2**t)
        torch._foreach_add_(denominators, epsilon)
        torch._foreach_addcdiv_(group.params, moments, denominators, -alpha)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "beta_1": self.beta_1,
                "beta_2": self.beta_2,
                "epsilon": self.epsilon,
                "amsgrad": self.amsgrad,
            }
        )
        if self.adaptive_epsilon:
            # tf_keras 2.21 leaves it out of its config (so its round trip drops it); kept
            # here only when set, so configs without it still load in Keras 3.
            config["adaptive_epsilon"] = True
        return config


__all__ = ["Adam"]
