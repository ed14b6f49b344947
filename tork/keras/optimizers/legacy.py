"""`keras.optimizers.legacy`: the Keras 2 (TF <= 2.10) optimizer classes.

tork has one implementation of each update rule. The legacy classes are thin
subclasses of the Keras optimizers that add what Keras 2 code still passes to
them: `decay`, the time-based learning-rate decay

    lr_t = learning_rate / (1 + decay * iterations)

(`iterations` counted before the step, so step 1 uses the full rate), and a
`decay` entry in `get_config`. `learning_rate` (and `lr`) still read the
undecayed rate, as in Keras 2; `_decayed_lr()` gives the step's rate.
"""

import torch

from tork._backend.errors import module_getattr as _module_getattr
from tork.keras.optimizers import adadelta as _adadelta
from tork.keras.optimizers import adagrad as _adagrad
from tork.keras.optimizers import adam as _adam
from tork.keras.optimizers import adamax as _adamax
from tork.keras.optimizers import ftrl as _ftrl
from tork.keras.optimizers import nadam as _nadam
from tork.keras.optimizers import optimizer as _optimizer
from tork.keras.optimizers import rmsprop as _rmsprop
from tork.keras.optimizers import sgd as _sgd
from tork.keras.optimizers.optimizer import Optimizer
from tork.keras.optimizers.schedules import learning_rate_schedule
from tork.variables import Variable


class _LegacyClipping:
    """Keras 2's legacy gradient clipping: by value, then by norm."""

    def _clip(self, grad_lists: list) -> list:
        # Keras 2's legacy optimizers apply `clipvalue` first, then `clipnorm` or
        # `global_clipnorm` (the new optimizers apply only one of them).
        if self.clipvalue is not None:
            grad_lists = _optimizer._clip_by_value(grad_lists, float(self.clipvalue))
        if self.clipnorm is not None:
            return _optimizer._clip_by_norm(grad_lists, float(self.clipnorm))
        if self.global_clipnorm is not None:
            return _optimizer._clip_by_global_norm(grad_lists, float(self.global_clipnorm))
        return grad_lists

    def get_gradients(self, loss, params) -> list:
        """Keras 2's `OptimizerV2.get_gradients`: `tf.gradients(loss, params)`.

        Args:
            loss: a loss tensor computed from `params`.
            params: a list of variables.

        Returns:
            A list of gradient tensors. As tf_keras 2.21, they are not clipped
            (`clipnorm`/`clipvalue` apply in `apply_gradients`).

        Raises:
            ValueError: a variable has no gradient (TF's message).
        """
        from tork.nest import flatten
        from tork.ops.gradients import gradients

        params = flatten(params)
        grads = gradients(loss, params)
        for grad, param in zip(grads, params):
            if grad is None:
                raise ValueError(
                    f"Variable {param} has `None` for gradient. Please make sure that all of "
                    "your ops have a gradient defined (i.e. are differentiable). Common ops "
                    "without gradient: K.argmax, K.round, K.eval."
                )
        return list(grads)

    def _traced_unsupported(self) -> str | None:
        if self.clipvalue is not None and (
            self.clipnorm is not None or self.global_clipnorm is not None
        ):
            return "legacy optimizers clipping by value and by norm are not traced"
        return super()._traced_unsupported()


class _LegacyDecay(_LegacyClipping):
    """Adds Keras 2's `decay` argument and attribute to an optimizer class."""

    _accepts_decay = True

    @property
    def _lr_decay(self) -> float:
        variable = self.__dict__.get("_decay_variable")
        return 0.0 if variable is None else float(variable)

    @_lr_decay.setter
    def _lr_decay(self, value) -> None:
        value = float(value)
        if value < 0:
            raise ValueError(f"`decay` cannot be less than 0. Received: decay={value}")
        variable = self.__dict__.get("_decay_variable")
        if variable is None:
            # A Variable, as in Keras 2, so `K.set_value(optimizer.decay, 0.01)` works. It is
            # a hyperparameter, not optimizer state: it is not in `variables`.
            self._decay_variable = Variable(
                torch.tensor(value, dtype=torch.float32), trainable=False, name="decay"
            )
        else:
            self._decay_variable.assign(value)

    @property
    def learning_rate(self):
        """The learning rate: the `LearningRateSchedule` itself when one was given.

        Keras 2's legacy optimizers return the schedule object, so training loops
        log `optimizer.learning_rate(optimizer.iterations)`. A float rate reads as a
        scalar `Variable`, as for the other optimizers.
        """
        schedule = self._learning_rate
        if isinstance(schedule, learning_rate_schedule.LearningRateSchedule):
            return schedule
        return Optimizer.learning_rate.fget(self)

    @learning_rate.setter
    def learning_rate(self, value) -> None:
        Optimizer.learning_rate.fset(self, value)

    lr = learning_rate  # Keras 2 spelling.

    @property
    def decay(self):
        """The time-decay rate: a scalar `Variable` (settable with a float)."""
        return self._decay_variable

    @decay.setter
    def decay(self, value) -> None:
        self._lr_decay = value

    def get_config(self) -> dict:
        config = _hyper_config(self, super().get_config())
        config["decay"] = self._lr_decay
        return _keras2_legacy_config(config)


class _HyperVariable:
    """A Keras 2 hyperparameter (`momentum`, `beta_1`, `rho`) kept in a scalar Variable.

    Keras 2's legacy optimizers hold their hyperparameters in variables, so callbacks
    change them during training: keras-one-cycle's `OneCycleLR` calls
    `K.set_value(self.model.optimizer.momentum, m)` every batch. Reading the attribute
    gives the Variable; assigning a float sets it. The update rules read it with
    `float(...)`, so each step uses the current value.
    """

    def __set_name__(self, owner, name: str) -> None:
        self.name = name
        self.key = f"_tork_hyper_{name}"

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        try:
            return obj.__dict__[self.key]
        except KeyError:
            raise AttributeError(
                f"'{type(obj).__name__}' object has no attribute '{self.name}'"
            ) from None

    def __set__(self, obj, value) -> None:
        variable = obj.__dict__.get(self.key)
        if variable is None:
            obj.__dict__[self.key] = Variable(
                torch.tensor(float(value), dtype=torch.float32), trainable=False, name=self.name
            )
        else:
            variable.assign(float(value))
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            # The value as given, for `get_config` while the variable still holds it.
            obj.__dict__.setdefault("_tork_hyper_given", {})[self.name] = value


# The hyperparameters each Keras 2 legacy optimizer keeps in variables (besides the
# learning rate and `decay`, handled elsewhere).
_HYPERS = {
    "SGD": ("momentum",),
    "Adam": ("beta_1", "beta_2"),
    "Adamax": ("beta_1", "beta_2"),
    "RMSprop": ("rho", "momentum"),
    "Adadelta": ("rho",),
}


def _hyper_config(optimizer, config: dict) -> dict:
    """`config` with the variable hyperparameters as floats (the given float if unchanged)."""
    given = optimizer.__dict__.get("_tork_hyper_given", {})
    # A user subclass (`class MyAdam(legacy.Adam)`) has the hyperparameters of its base.
    hypers = next(
        (_HYPERS[k.__name__] for k in type(optimizer).__mro__ if k.__name__ in _HYPERS), ()
    )
    for name in hypers:
        value = config.get(name)
        if isinstance(value, Variable):
            current = float(value)
            original = given.get(name)
            unchanged = original is not None and float(torch.tensor(original)) == current
            config[name] = original if unchanged else current
    return config


# Options of the new optimizers' configs that tf_keras's legacy optimizers do not take, with
# their unset values: left out while unset (tf_keras's legacy `from_config` rejects them).
_NEW_OPTIMIZER_OPTIONS = {
    "weight_decay": None,
    "use_ema": False,
    "ema_momentum": 0.99,
    "ema_overwrite_frequency": None,
    "loss_scale_factor": None,
    "gradient_accumulation_steps": None,
    "jit_compile": False,
    "is_legacy_optimizer": False,
}
_CLIPPING = ("clipnorm", "global_clipnorm", "clipvalue")


def _keras2_legacy_config(config: dict) -> dict:
    """`config` in tf_keras's legacy layout: name, the clipping that is set, learning_rate,
    decay, then the hyperparameters (tf_keras 2.21's `legacy.SGD(momentum=0.9,
    clipnorm=1.0).get_config()` is `{name, clipnorm, learning_rate, decay, momentum,
    nesterov}`)."""
    result = {"name": config.get("name")}
    for key in _CLIPPING:
        if config.get(key) is not None:
            result[key] = config[key]
    result["learning_rate"] = config.get("learning_rate")
    result["decay"] = config.get("decay", 0.0)
    without_ema = not config.get("use_ema")
    for key, value in config.items():
        if key in result or key in _CLIPPING:
            continue
        if without_ema and key in ("ema_momentum", "ema_overwrite_frequency"):
            continue  # meaningless without EMA (RMSprop's default frequency is 100)
        if key in _NEW_OPTIMIZER_OPTIONS:
            if value == _NEW_OPTIMIZER_OPTIONS[key]:
                continue
            if key in ("jit_compile", "is_legacy_optimizer"):
                continue
        result[key] = value
    return result


def _legacy_class(base):
    name = base.__name__
    doc = (
        f"Keras 2's `tf.keras.optimizers.legacy.{name}`: `tf.keras.optimizers.{name}` plus "
        "the `decay` argument.\n\n"
        f"Takes the arguments of `tf.keras.optimizers.{name}` (and the Keras 2 spelling "
        "`lr`), and\n\n"
        "    decay: float >= 0; each step uses\n"
        "        `learning_rate / (1 + decay * iterations)`.\n\n"
        "Example:\n"
        f">>> opt = tf.keras.optimizers.legacy.{name}(learning_rate=0.1, decay=0.5)\n"
        ">>> float(opt._decayed_lr())\n"
        "0.10000000149011612\n"
    )
    namespace = {"__doc__": doc, "__module__": __name__}
    for hyper in _HYPERS.get(name, ()):
        namespace[hyper] = _HyperVariable()  # type() calls its __set_name__
    return type(name, (_LegacyDecay, base), namespace)


SGD = _legacy_class(_sgd.SGD)
Adadelta = _legacy_class(_adadelta.Adadelta)
Adam = _legacy_class(_adam.Adam)
Adamax = _legacy_class(_adamax.Adamax)
Ftrl = _legacy_class(_ftrl.Ftrl)


_LegacyAdagrad = _legacy_class(_adagrad.Adagrad)


class Adagrad(_LegacyAdagrad):
    __doc__ = _LegacyAdagrad.__doc__ + (
        "\nKeras 2's legacy update puts `epsilon` outside the square root:\n"
        "`v -= lr * g / (sqrt(accumulator) + epsilon)`.\n"
    )

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7, **kwargs):
        # Keras 2's legacy Adagrad checks this (the new one does not).
        if initial_accumulator_value < 0.0:
            raise ValueError(
                f"initial_accumulator_value must be non-negative: {initial_accumulator_value}"
            )
        super().__init__(
            learning_rate=learning_rate,
            initial_accumulator_value=initial_accumulator_value,
            epsilon=epsilon,
            **kwargs,
        )

    def _update_group(self, group, grads: list, lr: float, t: int) -> None:
        accumulators = group.slots["accumulator"]
        torch._foreach_addcmul_(accumulators, grads, grads)
        denominators = torch._foreach_sqrt(accumulators)
        torch._foreach_add_(denominators, float(self.epsilon))
        torch._foreach_addcdiv_(group.params, grads, denominators, -lr)


_LegacyRMSprop = _legacy_class(_rmsprop.RMSprop)


class RMSprop(_LegacyRMSprop):
    __doc__ = _LegacyRMSprop.__doc__ + (
        "\nWithout momentum, Keras 2's legacy update puts `epsilon` outside the square\n"
        "root: `v -= lr * g / (sqrt(velocity) + epsilon)` (centered: `velocity - a**2`).\n"
        "With momentum it is the Keras update (`epsilon` inside).\n"
    )

    def _update_group(self, group, grads: list, lr: float, t: int) -> None:
        if self.momentum > 0:
            super()._update_group(group, grads, lr, t)
            return
        rho = float(self.rho)
        velocities = group.slots["velocity"]
        torch._foreach_mul_(velocities, rho)
        torch._foreach_addcmul_(velocities, grads, grads, 1.0 - rho)
        if self.centered:
            averages = group.slots["average_gradient"]
            torch._foreach_lerp_(averages, grads, 1.0 - rho)
            denominators = torch._foreach_addcmul(velocities, averages, averages, -1.0)
            torch._foreach_sqrt_(denominators)
        else:
            denominators = torch._foreach_sqrt(velocities)
        torch._foreach_add_(denominators, float(self.epsilon))
        torch._foreach_addcdiv_(group.params, grads, denominators, -lr)


class Nadam(_LegacyClipping, _nadam.Nadam):
    """Keras 2's `tf.keras.optimizers.legacy.Nadam`.

    Takes the arguments of `tf.keras.optimizers.Nadam`, and

        schedule_decay: float (default 0.004). Keras 2's momentum schedule is
            `mu_t = beta_1 * (1 - 0.5 * 0.96 ** (schedule_decay * t))`.

    As in Keras 2, a `decay` argument is replaced by `schedule_decay` (and
    `get_config()["decay"]` holds it), and the learning rate is not decayed.

    Example:
    >>> opt = tf.keras.optimizers.legacy.Nadam(learning_rate=0.01)
    >>> opt.get_config()["decay"]
    0.004
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, **kwargs):
        if isinstance(learning_rate, learning_rate_schedule.LearningRateSchedule):
            # Keras 2's legacy Nadam has its own momentum schedule and rejects these.
            raise ValueError(
                "The legacy Nadam optimizer does not support a LearningRateSchedule as the "
                f"learning rate (got {type(learning_rate).__name__}). Use "
                "tf.keras.optimizers.Nadam (the non-legacy optimizer), which does."
            )
        kwargs.pop("decay", None)
        schedule_decay = kwargs.pop("schedule_decay", 0.004)
        super().__init__(
            learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon, **kwargs
        )
        self._schedule_decay = float(schedule_decay)

    @property
    def decay(self) -> float:
        """The momentum schedule's decay (`schedule_decay`)."""
        return self._schedule_decay

    def _before_update(self, t: int) -> None:
        beta_1 = float(self.beta_1)
        rate = self._schedule_decay
        mu_t = beta_1 * (1.0 - 0.5 * 0.96 ** (rate * t))
        mu_next = beta_1 * (1.0 - 0.5 * 0.96 ** (rate * (t + 1)))
        product = float(self._u_product) * mu_t
        self._u_product.fill_(product)
        product_next = product * mu_next
        self._coefficients = (
            mu_next / (1.0 - product_next),
            (1.0 - mu_t) / (1.0 - product),
            1.0 / (1.0 - float(self.beta_2) ** t),
        )

    def get_config(self) -> dict:
        config = super().get_config()
        config["decay"] = self._schedule_decay
        return _keras2_legacy_config(config)


# By class name, for `optimizers.deserialize` of Keras 2 configs.
LEGACY_OPTIMIZERS = {
    cls.__name__: cls for cls in (SGD, Adadelta, Adagrad, Adam, Adamax, Ftrl, Nadam, RMSprop)
}

__getattr__ = _module_getattr("tf.keras.optimizers.legacy")

__all__ = ["SGD", "Adadelta", "Adagrad", "Adam", "Adamax", "Ftrl", "Nadam", "Optimizer", "RMSprop"]
