"""The FTRL optimizer."""

from __future__ import annotations

import torch

from tork.keras.optimizers.optimizer import Optimizer


class Ftrl(Optimizer):
    """Optimizer that implements the FTRL ("Follow The Regularized Leader") algorithm.

    With `p = learning_rate_power`, `l1`, `l2` and `l2_shrinkage` the
    regularization strengths, each step computes
    `g' = g + 2 * l2_shrinkage * v`, `n' = n + g**2`,
    `z += g' - (n'**-p - n**-p) / lr * v`,
    `v = (clip(z, -l1, l1) - z) / (n'**-p / lr + 2 * (l2 + beta / (2 * lr)))`,
    then `n = n'`. The accumulator `n` starts at `initial_accumulator_value`
    and the linear term `z` at 0.

    Args:
        learning_rate: a float, a `LearningRateSchedule`, or a no-argument callable.
        learning_rate_power: a float <= 0: how the learning rate decreases during
            training; 0 gives a fixed learning rate.
        initial_accumulator_value: starting value of the accumulators (>= 0).
        l1_regularization_strength: a float >= 0 (the stabilization penalty).
        l2_regularization_strength: a float >= 0 (the stabilization penalty).
        l2_shrinkage_regularization_strength: a float >= 0: an L2 penalty on the
            magnitude of the weights (a shrinkage loss added to the gradient).
        beta: a float; default 0.0 (the "beta" of the FTRL paper).
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
        ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps, name:
            see `tf.keras.optimizers.Optimizer`.

    Example:
    >>> optimizer = tf.keras.optimizers.Ftrl(learning_rate=0.1, l1_regularization_strength=0.01)
    """

    def __init__(
        self,
        learning_rate=0.001,
        learning_rate_power: float = -0.5,
        initial_accumulator_value: float = 0.1,
        l1_regularization_strength: float = 0.0,
        l2_regularization_strength: float = 0.0,
        l2_shrinkage_regularization_strength: float = 0.0,
        beta: float = 0.0,
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
        if initial_accumulator_value < 0.0:
            raise ValueError(
                "`initial_accumulator_value` needs to be positive or zero. Received: "
                f"initial_accumulator_value={initial_accumulator_value}."
            )
        if learning_rate_power > 0.0:
            raise ValueError(
                "`learning_rate_power` needs to be negative or zero. Received: "
                f"learning_rate_power={learning_rate_power}."
            )
        for arg, value in (
            ("l1_regularization_strength", l1_regularization_strength),
            ("l2_regularization_strength", l2_regularization_strength),
            ("l2_shrinkage_regularization_strength", l2_shrinkage_regularization_strength),
        ):
            if value < 0.0:
                raise ValueError(f"`{arg}` needs to be positive or zero. Received: {arg}={value}.")
        self.learning_rate_power = learning_rate_power
        self.initial_accumulator_value = initial_accumulator_value
        self.l1_regularization_strength = l1_regularization_strength
        self.l2_regularization_strength = l2_regularization_strength
        self.l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self.beta = beta

    def _create_slots(self, var_list: list) -> None:
        for variable in var_list:
            self._add_slot(variable, "accumulator", float(self.initial_accumulator_value))
            self._add_slot(variable, "linear")

    def _update_group(self, group, grads: list, lr: float, t: int) -> None:
        power = -float(self.learning_rate_power)
        l1 = float(self.l1_regularization_strength)
        l2 = float(self.l2_regularization_strength) + float(self.beta) / (2.0 * lr)
        shrinkage = float(self.l2_shrinkage_regularization_strength)
        params = group.params
        accumulators = group.slots["accumulator"]
        linears = group.slots["linear"]
        if shrinkage:
            adjusted = torch._foreach_add(grads, params, alpha=2.0 * shrinkage)
        else:
            adjusted = grads
        old_power = torch._foreach_pow(accumulators, power)
        torch._foreach_addcmul_(accumulators, grads, grads)
        new_power = torch._foreach_pow(accumulators, power)
        sigma = torch._foreach_sub(new_power, old_power)
        torch._foreach_div_(sigma, lr)
        torch._foreach_add_(linears, adjusted)
        torch._foreach_addcmul_(linears, sigma, params, value=-1.0)
        quadratic = torch._foreach_div(new_power, lr)
        torch._foreach_add_(quadratic, 2.0 * l2)
        clipped = torch._foreach_clamp_min(linears, -l1)
        torch._foreach_clamp_max_(clipped, l1)
        torch._foreach_sub_(clipped, linears)
        torch._foreach_div_(clipped, quadratic)
        torch._foreach_copy_(params, clipped)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "learning_rate_power": self.learning_rate_power,
                "initial_accumulator_value": self.initial_accumulator_value,
                "l1_regularization_strength": self.l1_regularization_strength,
                "l2_regularization_strength": self.l2_regularization_strength,
                "l2_shrinkage_regularization_strength": self.l2_shrinkage_regularization_strength,
                "beta": self.beta,
            }
        )
        return config


__all__ = ["Ftrl"]
