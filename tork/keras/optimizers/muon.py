"""The Muon optimizer: orthogonalised momentum for matrices, AdamW for the rest."""

from __future__ import annotations

import math
import re

import torch

from tork.keras.optimizers.optimizer import Optimizer


def _newton_schulz(update: torch.Tensor, a: float, b: float, c: float, steps: int):
    """Approximately orthogonalises a matrix with a quintic Newton-Schulz iteration.

    The iteration pushes every singular value of `update` towards 1 (roughly
    `U @ V^T` of its SVD). It runs on the wide orientation, so `X @ X^T` is the
    smaller Gram matrix.
    """
    tall = update.shape[-2] > update.shape[-1]
    x = update.mT if tall else update
    # The Frobenius norm bounds the spectral norm: scaling by it puts every singular
    # value in [0, 1], where the iteration converges; 1e-7 keeps a zero gradient at 0.
    x = x / (torch.linalg.vector_norm(x) + 1e-7)
    for _ in range(steps):
        gram = x @ x.mT
        x = a * x + (b * gram + c * (gram @ gram)) @ x
    return x.mT if tall else x


class Muon(Optimizer):
    """Optimizer that implements the Muon algorithm.

    Muon updates a 2-D variable (a `Dense` kernel, say) with SGD momentum whose
    update is orthogonalised by a few Newton-Schulz iterations:
    `m = momentum * m + g`, `u = g + momentum * m` (Nesterov, else `u = m`),
    `v -= lr * scale * newton_schulz(u)`, where `scale` is
    `rms_rate * sqrt(max(v.shape))` (1 when `rms_rate=None`). Muon variables
    decay by `weight_decay * lr`.

    Every other variable uses AdamW with learning rate `lr * adam_lr_ratio`,
    `adam_beta_1`, `adam_beta_2`, `epsilon`, and weight decay
    `adam_weight_decay * lr`: variables that are not 2-D, variables whose path
    contains "embedding" (any case) when `exclude_embeddings=True`, and
    variables whose path matches (regular-expression search) an entry of
    `exclude_layers`. Pass the name of the final output layer in
    `exclude_layers`, e.g. `exclude_layers=["output_dense"]`.

    Only AdamW variables get a "velocity" slot; every variable gets a
    "momentum" slot.

    Args:
        learning_rate: a float, a `LearningRateSchedule`, or a no-argument callable.
        adam_beta_1: the decay rate of AdamW's 1st moment estimates.
        adam_beta_2: the decay rate of AdamW's 2nd moment estimates.
        adam_weight_decay: the weight decay of the AdamW variables (None: none).
        epsilon: AdamW's small constant for numerical stability.
        weight_decay: the weight decay of the Muon variables (None: none).
        exclude_layers: list of regular expressions; variables whose path matches
            one use AdamW.
        exclude_embeddings: whether embedding variables use AdamW.
        muon_a, muon_b, muon_c: the coefficients of the Newton-Schulz iteration.
        adam_lr_ratio: the ratio of AdamW's learning rate to `learning_rate`.
        momentum: the momentum of the Muon variables.
        ns_steps: the number of Newton-Schulz iterations.
        nesterov: whether to use Nesterov momentum.
        rms_rate: scales the Muon update by `rms_rate * sqrt(max(shape))` so
            that it can share Adam's learning rate and weight decay
            (arXiv:2502.16982); None disables the scaling.
        clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
        ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps, name:
            see `tf.keras.optimizers.Optimizer`.

    Example:
    >>> optimizer = tf.keras.optimizers.Muon(exclude_layers=["output_dense"])
    >>> model.compile(optimizer=optimizer, loss="mse")
    """

    def __init__(
        self,
        learning_rate=0.001,
        adam_beta_1: float = 0.9,
        adam_beta_2: float = 0.999,
        adam_weight_decay: float | None = 0.004,
        epsilon: float = 1e-7,
        weight_decay: float | None = 0.004,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        use_ema: bool = False,
        ema_momentum: float = 0.99,
        ema_overwrite_frequency: int | None = None,
        loss_scale_factor: float | None = None,
        gradient_accumulation_steps: int | None = None,
        name: str | None = None,
        exclude_layers: list | None = None,
        exclude_embeddings: bool = True,
        muon_a: float = 3.4445,
        muon_b: float = -4.775,
        muon_c: float = 2.0315,
        adam_lr_ratio: float = 1,
        momentum: float = 0.95,
        ns_steps: int = 5,
        nesterov: bool = True,
        rms_rate: float | None = 0.2,
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
        self.adam_beta_1 = adam_beta_1
        self.adam_beta_2 = adam_beta_2
        self.epsilon = epsilon
        self.exclude_layers = exclude_layers or []
        self.muon_a = muon_a
        self.muon_b = muon_b
        self.muon_c = muon_c
        self.adam_lr_ratio = adam_lr_ratio
        self.momentum = momentum
        self.ns_steps = ns_steps
        self.nesterov = nesterov
        self.exclude_embeddings = exclude_embeddings
        self.adam_weight_decay = adam_weight_decay
        self.rms_rate = rms_rate
        # Aligned with the tracked variables: each one's AdamW "velocity" slot, or
        # None for a Muon variable (which has none, as in Keras, so the slot
        # variables keep Keras's order and count in `variables` and weight files).
        self._velocities: list = []

    @staticmethod
    def _path(variable) -> str:
        for attribute in ("path", "name"):
            value = getattr(variable, attribute, None)
            if isinstance(value, str):
                return value
        return ""

    def _should_use_adamw(self, variable) -> bool:
        """Whether `variable` takes the AdamW step rather than the Muon step."""
        if variable.ndim != 2:
            return True
        path = self._path(variable)
        if self.exclude_embeddings and "embedding" in path.lower():
            return True
        return any(re.search(pattern, path) for pattern in self.exclude_layers)

    def _create_slots(self, var_list: list) -> None:
        # Keras's order: per variable, its momentum then (AdamW only) its velocity.
        for variable in var_list:
            self._add_slot(variable, "momentum")
            velocity = None
            if self._should_use_adamw(variable):
                velocity = self._new_slot(variable, "velocity")
            self._velocities.append(velocity)

    def get_slot(self, var, slot_name: str):
        if slot_name == "velocity" and id(var) in self._index:
            velocity = self._velocities[self._index[id(var)]]
            if velocity is None:
                raise KeyError(
                    f"Variable {self._path(var)!r} takes the Muon step: it has no 'velocity' slot."
                )
            return velocity
        return super().get_slot(var, slot_name)

    def get_slot_names(self) -> list:
        return ["momentum", "velocity"]

    def _make_plan(self, params: list):
        plan = super()._make_plan(params)
        # The two kinds of variables decay at different rates: `_update_group` decays.
        for group in plan.groups:
            group.decay_params = []
        return plan

    def _update_group(self, group, grads: list, lr: float, t: int) -> None:
        adam_params, adam_grads, adam_m, adam_v = [], [], [], []
        muon = []
        for variable, grad, moment in zip(group.params, grads, group.slots["momentum"]):
            velocity = self._velocities[self._index[id(variable)]]
            if velocity is None:
                muon.append((variable, grad, moment))
            else:
                adam_params.append(variable)
                adam_grads.append(grad)
                adam_m.append(moment)
                adam_v.append(velocity)
        if adam_params:
            self._adamw_step(adam_params, adam_grads, adam_m, adam_v, lr, t)
        if muon:
            self._muon_step(muon, lr)

    def _decay(self, params: list, rate, lr: float) -> None:
        if rate:
            decayed = [v for v in params if self._use_weight_decay(v)]
            if decayed:
                torch._foreach_mul_(decayed, 1.0 - float(rate) * lr)

    def _adamw_step(self, params, grads, moments, velocities, lr: float, t: int) -> None:
        # The decay uses the base learning rate; the step uses lr * adam_lr_ratio.
        self._decay(params, self.adam_weight_decay, lr)
        beta_1, beta_2 = float(self.adam_beta_1), float(self.adam_beta_2)
        adam_lr = lr * float(self.adam_lr_ratio)
        alpha = adam_lr * math.sqrt(1.0 - beta_2**t) / (1.0 - beta_1**t)
        torch._foreach_lerp_(moments, grads, 1.0 - beta_1)
        torch._foreach_mul_(velocities, beta_2)
        torch._foreach_addcmul_(velocities, grads, grads, 1.0 - beta_2)
        denominators = torch._foreach_sqrt(velocities)
        torch._foreach_add_(denominators, float(self.epsilon))
        torch._foreach_addcdiv_(params, moments, denominators, -alpha)

    def _muon_step(self, triples: list, lr: float) -> None:
        self._decay([variable for variable, _, _ in triples], self.weight_decay, lr)
        momentum = float(self.momentum)
        a, b, c = float(self.muon_a), float(self.muon_b), float(self.muon_c)
        steps = int(self.ns_steps)
        for variable, grad, moment in triples:
            moment.mul_(momentum).add_(grad)
            update = grad.add(moment, alpha=momentum) if self.nesterov else moment
            orthogonal = _newton_schulz(update, a, b, c, steps)
            scale = 1.0
            if self.rms_rate is not None:
                scale = float(self.rms_rate) * math.sqrt(max(variable.shape))
            variable.add_(orthogonal.to(variable.dtype), alpha=-lr * scale)

    def _tork_partial_slots(self) -> dict:
        """The slots only some variables have, aligned with the tracked variables (None for
        the others): read by `fit(jit_compile=True)`'s compiled step."""
        return {"velocity": self._velocities}

    def _traced_scalars(self, step: int, lr: float, out) -> None:
        """Writes `(lr, AdamW step size, Muon decay factor, AdamW decay factor)` for `step`
        into `out`: the per-step numbers of the compiled step's Muon rule."""
        t = step + 1
        beta_1, beta_2 = float(self.adam_beta_1), float(self.adam_beta_2)
        adam_lr = lr * float(self.adam_lr_ratio)
        out[0] = lr
        out[1] = adam_lr * math.sqrt(1.0 - beta_2**t) / (1.0 - beta_1**t)
        out[2] = 1.0 - float(self.weight_decay) * lr if self.weight_decay else 1.0
        out[3] = 1.0 - float(self.adam_weight_decay) * lr if self.adam_weight_decay else 1.0

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "adam_beta_1": self.adam_beta_1,
                "adam_beta_2": self.adam_beta_2,
                "epsilon": self.epsilon,
                "exclude_layers": self.exclude_layers,
                "muon_a": self.muon_a,
                "muon_b": self.muon_b,
                "muon_c": self.muon_c,
                "adam_lr_ratio": self.adam_lr_ratio,
                "momentum": self.momentum,
                "ns_steps": self.ns_steps,
                "nesterov": self.nesterov,
                "exclude_embeddings": self.exclude_embeddings,
                "adam_weight_decay": self.adam_weight_decay,
                "rms_rate": self.rms_rate,
            }
        )
        return config


__all__ = ["Muon"]
