"""The LAMB optimizer."""

from __future__ import annotations

import torch

from tork.keras.optimizers.optimizer import Optimizer


class Lamb(Optimizer):
    """Optimizer that implements the LAMB (Layer-wise Adaptive Moments) algorithm.

    Adam's moments with bias correction, `u = m_hat / (sqrt(v_hat) + epsilon)`,
    scaled per variable by the trust ratio `||v|| / ||u||` (1 when either norm
    is 0): `v -= ratio * lr * u`.

    Args:
        learning_rate: a float, a `LearningRateSchedule`, or a no-argument callable.
        beta_1: the exponential decay rate for the 1st moment estimates.
        beta_2: the exponential decay rate for the 2nd moment estimates.
        epsilon: a small constant for numerical stability.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
        ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps, name:
            see `tf.keras.optimizers.Optimizer`.

    Example:
    >>> optimizer = tf.keras.optimizers.Lamb(learning_rate=1e-3)
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

    def _create_slots(self, var_list: list) -> None:
        for variable in var_list:
            self._add_slot(variable, "momentum")
            self._add_slot(variable, "velocity")

    def _update_group(self, group, grads: list, lr: float, t: int) -> None:
        beta_1, beta_2 = float(self.beta_1), float(self.beta_2)
        moments = group.slots["momentum"]
        velocities = group.slots["velocity"]
        torch._foreach_lerp_(moments, grads, 1.0 - beta_1)
        torch._foreach_mul_(velocities, beta_2)
        torch._foreach_addcmul_(velocities, grads, grads, 1.0 - beta_2)
        # u = (m / c1) / (sqrt(v / c2) + eps), with the bias corrections c1, c2.
        denominators = torch._foreach_div(velocities, 1.0 - beta_2**t)
        torch._foreach_sqrt_(denominators)
        torch._foreach_add_(denominators, float(self.epsilon))
        updates = torch._foreach_div(moments, denominators)
        torch._foreach_div_(updates, 1.0 - beta_1**t)
        # Per-variable trust ratios, computed on device (no host sync).
        w_norms = torch.stack(torch._foreach_norm(group.params))
        u_norms = torch.stack(torch._foreach_norm(updates))
        ok = (w_norms > 0) & (u_norms > 0)
        ratios = torch.where(ok, w_norms / torch.where(ok, u_norms, 1.0), 1.0)
        ratios = ratios.to(updates[0].dtype) * -lr
        torch._foreach_mul_(updates, list(ratios.unbind()))
        torch._foreach_add_(group.params, updates)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config


__all__ = ["Lamb"]
