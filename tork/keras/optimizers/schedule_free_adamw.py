"""The Schedule-Free AdamW optimizer."""

from __future__ import annotations

import math

import torch

from tork.keras.optimizers.optimizer import Optimizer


class ScheduleFreeAdamW(Optimizer):
    """Optimizer that implements the Schedule-Free AdamW algorithm.

    Schedule-Free learning replaces a learning-rate schedule by averaging: a
    base sequence `z` (the "momentum" slot, which starts at the variable's
    value) takes Adam-normalised gradient steps, and the model variable holds
    the running average of the `z` iterates. With `t` the 1-based step:
    `s = beta_2 * s + (1 - beta_2) * g**2` (the "velocity" slot),
    `z -= lr_t * g / (sqrt(s / (1 - beta_2**t)) + epsilon)`, then
    `v += (z - v) / t`, where `lr_t = lr * min(1, t / warmup_steps)` during
    warmup. Weight decay (`v -= v * weight_decay * lr`) applies to the
    variable before the step.

    As in Keras 3.15, `beta_1` is stored in the config but does not enter the
    update: the variable is the uniform average of the `z` iterates.

    Args:
        learning_rate: a float, a `LearningRateSchedule`, or a no-argument callable.
        beta_1: the interpolation rate (kept in the config; see above).
        beta_2: the exponential decay rate for the 2nd moment estimates.
        epsilon: a small constant for numerical stability.
        warmup_steps: the number of steps over which the learning rate rises
            linearly from `lr / warmup_steps` to `lr`.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
        ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps, name:
            see `tf.keras.optimizers.Optimizer`.

    Example:
    >>> optimizer = tf.keras.optimizers.ScheduleFreeAdamW(learning_rate=0.0025)
    >>> model.compile(optimizer=optimizer, loss="mse")
    """

    def __init__(
        self,
        learning_rate=0.0025,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-8,
        warmup_steps: int = 0,
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
        self.warmup_steps = warmup_steps

    def _create_slots(self, var_list: list) -> None:
        for variable in var_list:
            z = self._add_slot(variable, "momentum")
            with torch.no_grad():
                z.copy_(variable)  # the base sequence starts at the variable's value
            self._add_slot(variable, "velocity")

    def _update_group(self, group, grads: list, lr: float, t: int) -> None:
        beta_2 = float(self.beta_2)
        warmup = int(self.warmup_steps or 0)
        step_lr = lr * min(1.0, t / warmup) if warmup > 0 else lr
        z = group.slots["momentum"]
        velocities = group.slots["velocity"]
        torch._foreach_mul_(velocities, beta_2)
        torch._foreach_addcmul_(velocities, grads, grads, 1.0 - beta_2)
        denominators = torch._foreach_sqrt(velocities)
        torch._foreach_div_(denominators, math.sqrt(1.0 - beta_2**t))
        torch._foreach_add_(denominators, float(self.epsilon))
        torch._foreach_addcdiv_(z, grads, denominators, -step_lr)
        # The variable is the running (uniform) average of the z iterates.
        torch._foreach_lerp_(group.params, z, 1.0 / t)

    def _traced_scalars(self, step: int, lr: float, out) -> None:
        """Writes `(warmed-up lr, sqrt(1 - beta_2**t), decay factor, 1/t)` for `step` into
        `out`: the per-step numbers of the compiled step's update rule."""
        t = step + 1
        warmup = int(self.warmup_steps or 0)
        out[0] = lr * min(1.0, t / warmup) if warmup > 0 else lr
        out[1] = math.sqrt(1.0 - float(self.beta_2) ** t)
        out[2] = 1.0 - float(self.weight_decay) * lr if self.weight_decay else 1.0
        out[3] = 1.0 / t

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "beta_1": self.beta_1,
                "beta_2": self.beta_2,
                "epsilon": self.epsilon,
                "warmup_steps": self.warmup_steps,
            }
        )
        return config


__all__ = ["ScheduleFreeAdamW"]
