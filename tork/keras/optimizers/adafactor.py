"""The Adafactor optimizer."""

from __future__ import annotations

import math

import torch

from tork.keras.optimizers.optimizer import Optimizer
from tork.variables import Variable


class Adafactor(Optimizer):
    """Optimizer that implements the Adafactor algorithm (Shazeer & Stern, 2018).

    Adafactor keeps, for a variable of rank >= 2, only the row and column means of the
    squared gradients over its last two axes, so its state is much smaller than Adam's.
    With `t = iterations + 1`, `g2 = g**2 + epsilon_1` and
    `beta_2_t = 1 - t**beta_2_decay`:

    - rank >= 2: `r = beta_2_t * r + (1 - beta_2_t) * mean(g2, -1)`,
      `c = beta_2_t * c + (1 - beta_2_t) * mean(g2, -2)`,
      `v = (r / mean(r, -1))[..., None] * c[..., None, :]`;
    - rank < 2: `v = beta_2_t * v + (1 - beta_2_t) * g2`;
    - `u = g / sqrt(v)`, clipped to `u / max(1, rms(u) / clip_threshold)`;
    - `var -= max(epsilon_2, rms(var)) * min(lr, 1 / sqrt(t)) * u`.

    Args:
        learning_rate: a float, a `LearningRateSchedule`, or a no-argument callable.
        beta_2_decay: the decay exponent of `beta_2`.
        epsilon_1: a small offset added to the squared gradients.
        epsilon_2: the smallest scale of a step, relative to the variable's RMS.
        clip_threshold: the RMS above which an update is scaled down (part of the
            algorithm, independent of `clipnorm`, `clipvalue` and `global_clipnorm`).
        relative_step: with a constant `learning_rate`, use
            `min(learning_rate, 1 / sqrt(t))` as the step size.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
        ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps, name:
            see `tf.keras.optimizers.Optimizer`.

    Example:
    >>> optimizer = tf.keras.optimizers.Adafactor(learning_rate=0.01)
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_2_decay: float = -0.8,
        epsilon_1: float = 1e-30,
        epsilon_2: float = 1e-3,
        clip_threshold: float = 1.0,
        relative_step: bool = True,
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
        self.beta_2_decay = beta_2_decay
        self.epsilon_1 = epsilon_1
        self.epsilon_2 = epsilon_2
        self.clip_threshold = clip_threshold
        self.relative_step = relative_step

    def _factor_slot(self, variable, slot_name: str, shape) -> Variable:
        """A zero slot of `shape` (a row or column accumulator), tracked in `variables`."""
        slot = self._new_slot(variable, slot_name)
        slot.data = torch.zeros(shape, dtype=variable.dtype, device=variable.device)
        self._slots.setdefault(slot_name, []).append(slot)
        return slot

    def _create_slots(self, var_list: list) -> None:
        for variable in var_list:
            if variable.ndim >= 2:
                self._factor_slot(variable, "r", variable.shape[:-1])
                self._factor_slot(variable, "c", variable.shape[:-2] + variable.shape[-1:])
            else:
                # Keras keeps scalar placeholders here (tracked, so they take their places
                # in `variables` and in the files that store optimizer variables by position).
                self._factor_slot(variable, "r", ())
                self._factor_slot(variable, "c", ())
            self._add_slot(variable, "velocity")

    @staticmethod
    def _rms(x: torch.Tensor) -> torch.Tensor:
        return x.square().mean().sqrt()

    def _update_group(self, group, grads: list, lr: float, t: int) -> None:
        rho = min(lr, 1.0 / math.sqrt(t))
        beta_2_t = 1.0 - float(t) ** float(self.beta_2_decay)
        epsilon_1, epsilon_2 = float(self.epsilon_1), float(self.epsilon_2)
        clip = float(self.clip_threshold)
        rows, cols, velocities = group.slots["r"], group.slots["c"], group.slots["velocity"]
        for variable, grad, r, c, v in zip(group.params, grads, rows, cols, velocities):
            # The step scale uses the variable before this update.
            alpha = torch.clamp_min(self._rms(variable), epsilon_2) * rho
            squared = grad.square() + epsilon_1
            if variable.ndim >= 2:
                r.mul_(beta_2_t).add_(squared.mean(dim=-1), alpha=1.0 - beta_2_t)
                c.mul_(beta_2_t).add_(squared.mean(dim=-2), alpha=1.0 - beta_2_t)
                row_share = r / r.mean(dim=-1, keepdim=True)
                v.copy_(row_share.unsqueeze(-1) * c.unsqueeze(-2))
            else:
                v.mul_(beta_2_t).add_(squared, alpha=1.0 - beta_2_t)
            update = grad / v.sqrt()
            update = update / torch.clamp_min(self._rms(update) / clip, 1.0)
            variable.sub_(alpha * update)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "beta_2_decay": self.beta_2_decay,
                "epsilon_1": self.epsilon_1,
                "epsilon_2": self.epsilon_2,
                "clip_threshold": self.clip_threshold,
                "relative_step": self.relative_step,
            }
        )
        return config


__all__ = ["Adafactor"]
