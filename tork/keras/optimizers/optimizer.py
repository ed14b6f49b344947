"""The Keras optimizer base class, updating torch Parameters with multi-tensor kernels.

An optimizer is a plain Python object (not a `torch.nn.Module`), so assigning
one to a model attribute adds nothing to `model.parameters()`. It updates any
floating-point torch tensors in place: tork `Variable`s and plain
`torch.nn.Parameter`s alike.

Each step runs, in Keras's order: unscale (`loss_scale_factor`) -> gradient
accumulation -> clipping -> weight decay -> the optimizer's update ->
constraints -> `iterations += 1` -> EMA. The update math runs on lists of
tensors grouped by (device, dtype) with `torch._foreach_*` kernels: one launch
per op per group. The step count and learning rate are read on the host (they
live in CPU variables), so a step never waits on the accelerator.
"""

from __future__ import annotations

import inspect
import math
import re
import warnings

import numpy as np
import torch

from tork import _whole_function
from tork._backend.device import current_device
from tork._backend.dtypes import _LAYER_APPLIES, as_dtype, floatx_dtype
from tork._backend.tensor import convert_to_tensor
from tork.distribute import _context as _distribute_context
from tork.keras.optimizers import _legacy_apply, _legacy_layout, _lookup_clip
from tork.keras.optimizers.schedules import learning_rate_schedule
from tork.variables import Variable, _keep_saved_values, _keep_saved_values_of

_HostSchedule = learning_rate_schedule._HostSchedule
_host_schedule_call = _HostSchedule.__call__

# Hyperparameters of Keras 2's built-in optimizers, besides `learning_rate` and
# `decay` (OptimizerV2's `_set_hyper` calls in tf_keras/src/optimizers/legacy/*.py).
_KERAS2_HYPERS = (
    "beta_1",
    "beta_2",
    "momentum",
    "rho",
    "learning_rate_power",
    "l1_regularization_strength",
    "l2_regularization_strength",
    "l2_shrinkage_regularization_strength",
    "beta",
)

# Keys that Keras 2 optimizer configs carry and Keras 3 constructors do not take.
_KERAS2_CONFIG_KEYS = ("is_legacy_optimizer", "jit_compile")
# Keras 3 options that tf_keras's optimizers do not have.
_KERAS3_ONLY_KEYS = ("loss_scale_factor", "gradient_accumulation_steps")
# Optimizers that exist only in Keras 3: their configs keep Keras 3's layout.
_KERAS3_ONLY_CLASSES = ("Lamb", "Muon", "ScheduleFreeAdamW", "LossScaleOptimizer")


def _keras2_config_layout(optimizer) -> bool:
    """Whether `get_config` writes tf_keras's layout (optimizers tf_keras has, and subclasses)."""
    return not any(
        klass.__name__ in _KERAS3_ONLY_CLASSES and klass.__module__.startswith("tork.")
        for klass in type(optimizer).__mro__
    )


_MAX_CACHED_PLANS = 64


class _UnknownArgumentError(ValueError, TypeError):
    """An unknown optimizer argument: Keras 3 raises ValueError, tf_keras 2.21's
    optimizers TypeError ("... is not a valid argument"); this is both."""


class _Group:
    """The variables of one step that share a device and dtype, with their slots."""

    __slots__ = (
        "params",
        "positions",
        "slots",
        "dtype",
        "device",
        "decay_params",
        "cast_grads",
    )

    @classmethod
    def of(cls, params: list, slots: dict, device, dtype, positions=None) -> _Group:
        """A group of `params` with their `slots` (name -> list), without weight decay
        and with gradients already of its device and dtype."""
        group = cls()
        group.params = params
        group.positions = list(range(len(params))) if positions is None else positions
        group.slots = slots
        group.device = device
        group.dtype = dtype
        group.decay_params = []
        group.cast_grads = False
        return group


class _Plan:
    """Everything a step over one list of variables needs, computed once."""

    __slots__ = ("params", "groups", "identity", "constraints", "checked", "sparse", "lookups")


def _plan_is_stale(plan: _Plan) -> bool:
    """Whether a variable of `plan` no longer has its group's dtype or device."""
    return any(
        v.dtype is not group.dtype or v.device != group.device
        for group in plan.groups
        for v in group.params
    )


def _variable_label(variable) -> str:
    """A readable name for error messages; plain torch Parameters have none."""
    name = getattr(variable, "name", None)
    if isinstance(name, str):
        return name
    return f"<{type(variable).__name__} of shape {tuple(variable.shape)}>"


def _describe_value(value) -> str:
    shape = getattr(value, "shape", None)
    return f"of shape {tuple(shape)}" if shape is not None else f"{value!r:.60}"


def _overrides_apply(cls) -> bool:
    """Whether a class defined outside tork overrides `apply_gradients` or `apply`."""
    cached = cls.__dict__.get("_tork_overrides_apply")
    if cached is None:
        cached = any(
            not klass.__module__.startswith("tork.")
            and ("apply_gradients" in klass.__dict__ or "apply" in klass.__dict__)
            for klass in cls.__mro__
        )
        cls._tork_overrides_apply = cached
    return cached


# The learning rate of an optimizer whose constructor does not set one: a Keras 2
# subclass sets it afterwards (`_set_hyper("learning_rate", ...)` or
# `_build_learning_rate`). Keras 2's legacy optimizers default to 0.001.
_DEFAULT_LEARNING_RATE = 0.001


def _update_kind(cls) -> str | None:
    """How a user subclass updates a variable, decided once per class.

    `"legacy"`: Keras 2's OptimizerV2 API (`_resource_apply_dense(grad, var)`, or
    only `_resource_apply_sparse` over a built-in rule);
    `"keras2"`: `update_step(gradient, variable)` (Keras 2.11+); `"keras3"`:
    `update_step(gradient, variable, learning_rate)`; None: tork's own `_update_group`.
    """
    for klass in cls.__mro__:
        if klass.__module__.startswith("tork."):
            continue
        if "_resource_apply_dense" in klass.__dict__:
            return "legacy"
    if cls.update_step is Optimizer.update_step:
        if _overrides_sparse(cls) and _first_tork_class(cls) is not Optimizer:
            # A built-in optimizer with its own sparse update only (TF Addons' LazyAdam
            # over `keras.optimizers.Adam`, OptimizerV2 before TF 2.11, or `legacy.Adam`):
            # OptimizerV2's per-variable updates, so embedding tables get it.
            return "legacy"
        return None
    try:
        parameters = inspect.signature(cls.update_step).parameters.values()
    except (TypeError, ValueError):
        return "keras3"
    parameters = list(parameters)
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if any(p.kind is p.VAR_POSITIONAL for p in parameters):
        return "keras3"
    # `self, gradient, variable` without a learning rate: the Keras 2.11+ form.
    return "keras2" if len(positional) == 3 else "keras3"


def _overrides_sparse(cls) -> bool:
    """Whether a class defined outside tork defines OptimizerV2's sparse update."""
    return any(
        not klass.__module__.startswith("tork.")
        and (
            "_resource_apply_sparse" in klass.__dict__
            or "_resource_apply_sparse_duplicate_indices" in klass.__dict__
        )
        for klass in cls.__mro__
    )


def _argument_names(method) -> list:
    # `getfullargspec(bound_method).args` as TF lists them (self included).
    try:
        return inspect.getfullargspec(method).args
    except TypeError:
        return []


def _first_tork_class(cls):
    """The nearest tork class a class derives from (`Optimizer` for a user's own rule)."""
    for klass in cls.__mro__:
        if klass.__module__.startswith("tork."):
            return klass
    return None


def _legacy_getattr(self, name: str):
    # Only reached when normal lookup fails: OptimizerV2 exposes hyperparameters as
    # attributes (`optimizer.momentum`). Installed on OptimizerV2-style classes only, so
    # other optimizers' attribute misses (per-step `getattr(..., None)`) stay plain.
    hyper = self.__dict__.get("_hyper")
    if hyper and name in hyper:
        return self._get_hyper(name)
    raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")


def _legacy_setattr(self, name, value) -> None:
    # OptimizerV2: assigning to a hyperparameter's name sets the hyperparameter.
    hyper = self.__dict__.get("_hyper")
    if hyper is not None and name in hyper:
        self._set_hyper(name, value)
        return
    object.__setattr__(self, name, value)


def _lr_deprecation_text(optimizer, legacy: bool) -> str:
    """tf_keras 2.21's warning for `lr=`: the OptimizerV2 (legacy) one or the 2.11+ one."""
    from tork.keras.optimizers import legacy as _legacy

    if legacy or isinstance(optimizer, _legacy._LegacyClipping):
        return "The `lr` argument is deprecated, use `learning_rate` instead."
    return (
        "`lr` is deprecated in TF-Keras optimizer, please use `learning_rate` or use the "
        f"legacy optimizer, e.g.,tf.keras.optimizers.legacy.{type(optimizer).__name__}."
    )


class Optimizer:
    """Abstract optimizer base class (`keras.optimizers.Optimizer`).

    Subclasses create their slot variables in `_create_slots(var_list)` and
    implement the update over groups of variables in `_update_group`. A user
    subclass may instead follow the Keras API: override `build(var_list)`
    (calling `super().build(var_list)` and `add_variable_from_reference`) and
    `update_step(gradient, variable, learning_rate)`. The Keras 2 forms run too:
    `update_step(gradient, variable)` with `_build_learning_rate`, `_var_key` and
    `_index_dict` (Keras 2.11+), and OptimizerV2 subclasses that call
    `super().__init__(name, **kwargs)` and define `_resource_apply_dense(grad, var)`
    with `_set_hyper`, `_get_hyper`, `add_slot`, `get_slot` and `_decayed_lr`.

    Args:
        learning_rate: a float, a `keras.optimizers.schedules.LearningRateSchedule`,
            or a callable with no arguments returning the learning rate.
        weight_decay: if set, each step first decays the variables:
            `v -= v * weight_decay * learning_rate`.
        clipnorm: if set, each gradient is clipped to this L2 norm.
        clipvalue: if set, each gradient is clipped elementwise to
            `[-clipvalue, clipvalue]`.
        global_clipnorm: if set, all gradients are scaled so that their joint
            L2 norm is at most this value. As in Keras 2, several clipping
            arguments may be given, and only one applies: `clipnorm`, else
            `global_clipnorm`, else `clipvalue`.
        use_ema: whether to keep an exponential moving average of the variables.
            It starts at the variables' values when the optimizer is built.
        ema_momentum: the momentum of that average: after each step,
            `average = ema_momentum * average + (1 - ema_momentum) * variable`.
        ema_overwrite_frequency: every this many steps, the variables are
            overwritten with their moving average (`None`: only when
            `finalize_variable_values` is called).
        loss_scale_factor: if set, gradients are divided by it before use
            (multiply the loss by it with `scale_loss`).
        gradient_accumulation_steps: if set (>= 2), variables are updated every
            this many steps, with the mean of the gradients since the last update.
        name: the optimizer's name; by default the class name (`Adam`, `SGD`,
            `RMSprop`), as in Keras 2 (Keras 3 says `adam`, `adam_1`, ...).

    Example:
    >>> optimizer = tf.keras.optimizers.SGD(learning_rate=0.1)
    >>> v = tf.Variable(1.0)
    >>> optimizer.apply_gradients([(tf.constant(2.0), v)])
    >>> round(float(v), 6)
    0.8
    """

    # Only the Keras 2 legacy optimizers (`keras.optimizers.legacy.*`) take `decay`.
    _accepts_decay = False
    _lr_decay = 0.0
    # How `_run` updates: see `_update_kind` (set per subclass in `__init_subclass__`).
    _tork_update_kind = None
    # Whether a user subclass overrides `_decayed_lr` (set in `__init_subclass__`).
    _tork_user_decayed_lr = False
    # Whether the class derives from one of tork's update rules (`Adam`, `legacy.SGD`),
    # not only from this abstract class (set in `__init_subclass__`).
    _tork_builtin_rule = False
    # Whether `variables` and `get_slot_names()` follow Keras 2's legacy optimizers (set
    # in `__init_subclass__`; see _legacy_layout).
    _tork_keras2_layout = False
    # OptimizerV2 subclasses pass `use_locking=self._use_locking` to `state_ops.assign`;
    # tork's updates are eager in-place writes, so the flag is only read, never used.
    _use_locking = True

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        kind = _update_kind(cls)
        cls._tork_update_kind = kind
        cls._tork_user_decayed_lr = _overrides_decayed_lr(cls)
        cls._tork_builtin_rule = _first_tork_class(cls) is not Optimizer
        cls._tork_keras2_layout = _legacy_layout.uses_keras2_layout(cls, kind)
        if kind == "legacy":
            if "__getattr__" not in cls.__dict__:
                cls.__getattr__ = _legacy_getattr
            if cls.__setattr__ is object.__setattr__:
                cls.__setattr__ = _legacy_setattr

    def __init__(
        self,
        learning_rate=None,
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
        # Keras 2 subclasses pass their name first: `super().__init__(name, **kwargs)`
        # (OptimizerV2 and the 2.11+ optimizer both take `name` as first argument).
        # An OptimizerV2 subclass of a built-in rule (a bert4keras factory over
        # `legacy.Adam`) keeps the built-in's arguments, `decay` and config.
        legacy = self._tork_update_kind == "legacy" and not self._tork_builtin_rule
        if isinstance(learning_rate, str) and _first_tork_class(type(self)) is Optimizer:
            name = learning_rate if name is None else name
            learning_rate = None
            legacy = legacy or self._tork_update_kind is None
        self._hyper: dict = {}
        if learning_rate is None:
            # The subclass sets the rate itself; Keras 2 also lets `lr` through here.
            learning_rate = kwargs.pop("lr", _DEFAULT_LEARNING_RATE)
        if "lr" in kwargs:
            warnings.warn(_lr_deprecation_text(self, legacy), UserWarning, stacklevel=3)
            learning_rate = kwargs.pop("lr")
        decay = kwargs.pop("decay", None)
        # OptimizerV2: the `decay` a subclass reads as `self._initial_decay`.
        self._initial_decay = float(decay or 0.0)
        self._tork_legacy_v2 = legacy
        if legacy:
            decay = None  # the subclass applies it, through `_set_hyper("decay", ...)`
        if decay and not self._accepts_decay:
            legacy = type(self).__name__
            raise ValueError(
                f"Argument `decay` is no longer supported (received decay={decay}). "
                "For the Keras 2 behaviour lr / (1 + decay * iterations), use the legacy "
                f"optimizer `tf.keras.optimizers.legacy.{legacy}(..., decay={decay})`, or "
                "pass a schedule: `learning_rate=tf.keras.optimizers.schedules."
                "InverseTimeDecay(initial_learning_rate, decay_steps=1, "
                f"decay_rate={decay})`."
            )
        # Keras 2 legacy optimizers' time decay, lr / (1 + decay * iterations); 0 = off.
        self._lr_decay = float(decay or 0.0)
        for key in _KERAS2_CONFIG_KEYS:
            kwargs.pop(key, None)
        if self._tork_keras2_layout:
            _check_legacy_clipping(clipnorm, clipvalue, global_clipnorm)
        if clipnorm is not None and global_clipnorm is not None:
            raise ValueError(
                "At most one of `clipnorm` and `global_clipnorm` can be set. Received: "
                f"clipnorm={clipnorm}, global_clipnorm={global_clipnorm}."
            )
        if kwargs:
            raise _UnknownArgumentError(
                f"Argument(s) not recognized by {type(self).__name__}: {kwargs}. Valid "
                "arguments are the optimizer's own plus weight_decay, clipnorm, clipvalue, "
                "global_clipnorm, use_ema, ema_momentum, ema_overwrite_frequency, "
                "loss_scale_factor, gradient_accumulation_steps and name."
            )
        if gradient_accumulation_steps is not None and (
            not isinstance(gradient_accumulation_steps, (int, np.integer))
            or gradient_accumulation_steps < 2
        ):
            raise ValueError(
                "`gradient_accumulation_steps` must be an integer >= 2. Received: "
                f"gradient_accumulation_steps={gradient_accumulation_steps}"
            )
        if use_ema:
            if not 0 <= ema_momentum <= 1:
                raise ValueError(
                    f"`ema_momentum` must be in the range [0, 1]. Received: "
                    f"ema_momentum={ema_momentum}"
                )
            if ema_overwrite_frequency is not None and (
                not isinstance(ema_overwrite_frequency, (int, np.integer))
                or ema_overwrite_frequency < 1
            ):
                raise ValueError(
                    "`ema_overwrite_frequency` must be an integer >= 1 or None. Received: "
                    f"ema_overwrite_frequency={ema_overwrite_frequency}"
                )
        # Keras 2 names an optimizer by its class, the same for every instance; a
        # subclass of a built-in one keeps the built-in's default name (`Adam`).
        if name is None:
            builtin = _first_tork_class(type(self))
            name = (builtin if self._tork_builtin_rule else type(self)).__name__
        self.name = name
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.global_clipnorm = global_clipnorm
        self.clipvalue = clipvalue
        if clipnorm is not None or clipvalue is not None or global_clipnorm is not None:
            # Embedding lookups keep their per-lookup gradient rows from now on, which
            # Keras 2 clips (see _lookup_clip).
            _lookup_clip.enable()
        self.use_ema = use_ema
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        self.built = False

        self._variables: list = []
        self._trainable_variables: list = []
        self._index: dict[int, int] = {}
        self._slots: dict[str, list] = {}
        # `add_slot` slots (OptimizerV2 API): slot name -> {variable index: slot}.
        self._legacy_slots: dict[str, dict] = {}
        self._exclude_vars: list = []
        self._exclude_pattern: re.Pattern | None = None
        self._warned_missing: set = set()
        self._reset_plans()

        # CPU scalars: reading them for the step's arithmetic never syncs an accelerator.
        # Keras 2's legacy optimizers call it `iter` (`Adam/iter:0`).
        counter = "iter" if self._tork_keras2_layout else "iteration"
        self._iterations = Variable(
            torch.zeros((), dtype=torch.int64), trainable=False, name=f"{self.name}/{counter}"
        )
        self._variables.append(self._iterations)
        self._learning_rate = None
        # The step whose learning rate the last update used: with a schedule,
        # `learning_rate` reads the schedule there (Keras 2), not at `iterations`.
        self._last_lr_step = 0
        self._set_learning_rate_value(learning_rate, initial=True)

    # -- learning rate ----------------------------------------------------------------
    def _set_learning_rate_value(self, learning_rate, initial: bool = False) -> None:
        current = self._learning_rate
        if isinstance(learning_rate, learning_rate_schedule.LearningRateSchedule) or (
            callable(learning_rate) and not isinstance(learning_rate, torch.Tensor)
        ):
            if isinstance(current, Variable):
                self._variables = [v for v in self._variables if v is not current]
            self._learning_rate = learning_rate
            return
        try:
            value = float(learning_rate)
        except (TypeError, ValueError, RuntimeError):
            raise ValueError(
                "Argument `learning_rate` should be a float, a LearningRateSchedule, or a "
                "callable that takes no arguments and returns the learning rate. "
                f"Received: learning_rate={learning_rate!r}"
            ) from None
        if isinstance(current, Variable):
            current.assign(value)
            return
        if not initial:
            raise TypeError(
                "This optimizer was created with a `LearningRateSchedule` (or callable) as its "
                "`learning_rate`, hence its learning rate is not settable to a float. Assign "
                "a new schedule instead, or create the optimizer with a float `learning_rate`."
            )
        self._learning_rate = Variable(
            torch.tensor(value, dtype=floatx_dtype()),
            trainable=False,
            name=f"{self.name}/learning_rate",
        )
        self._variables.insert(1, self._learning_rate)

    @property
    def learning_rate(self):
        """The current learning rate.

        A non-trainable scalar `Variable` (settable with `assign` or by assigning
        a float to this property), or, with a schedule, the rate the last update
        used (as in Keras 2; before any update, the rate of step 0).
        """
        return self._get_current_learning_rate()

    @learning_rate.setter
    def learning_rate(self, learning_rate) -> None:
        self._set_learning_rate_value(learning_rate)

    lr = learning_rate  # Keras 2 spelling.

    def _get_current_learning_rate(self):
        schedule = self._learning_rate
        if isinstance(schedule, learning_rate_schedule.LearningRateSchedule):
            step = getattr(self, "_last_lr_step", 0)  # absent in optimizers pickled earlier
            return schedule(torch.tensor(step, dtype=torch.int64))
        if callable(schedule) and not isinstance(schedule, torch.Tensor):
            return schedule()
        return schedule

    def _decayed_lr(self, var_dtype=None) -> torch.Tensor:
        """Keras 2's private accessor: this step's learning rate as a tensor.

        It includes the legacy optimizers' `decay`, which `learning_rate` does not.
        """
        schedule = self._learning_rate
        if isinstance(schedule, learning_rate_schedule.LearningRateSchedule):
            value = convert_to_tensor(schedule(self._iterations))
        else:
            value = convert_to_tensor(self._get_current_learning_rate())
        decay = self._lr_decay
        if "decay" in self.__dict__.get("_hyper", ()):
            # An OptimizerV2 subclass's hyperparameter, used (as there) only when the
            # optimizer was created with a decay.
            decay = float(self._get_hyper("decay")) if self._initial_decay > 0 else 0.0
        if decay:
            value = value / (1.0 + decay * float(self._iterations))
        if var_dtype is not None:
            return value.to(as_dtype(var_dtype))
        return value.detach().clone()

    def _learning_rate_float(self, step: int) -> float:
        # Every update path (eager, compiled, whole-function) asks here for its rate.
        self._last_lr_step = step
        if self._tork_user_decayed_lr:
            # Keras 2's legacy optimizers take every step's rate from `_decayed_lr` (in
            # `_prepare_local`): a user subclass overriding it (bert4keras's piecewise-linear
            # and warmup factories) sets the rate.
            return float(self._decayed_lr(torch.float32))
        lr = self._base_learning_rate_float(step)
        if self._lr_decay:
            lr /= 1.0 + self._lr_decay * step
        return lr

    def _base_learning_rate_float(self, step: int) -> float:
        schedule = self._learning_rate
        if isinstance(schedule, Variable):
            return float(schedule)
        if type(schedule).__call__ is _host_schedule_call:
            return schedule._compute(float(step))
        if isinstance(schedule, learning_rate_schedule.LearningRateSchedule):
            return float(schedule(self._iterations))
        return float(schedule())

    # -- the Keras 2 subclass API (OptimizerV2 and the 2.11+ optimizer) -----------------
    def _set_hyper(self, name: str, value) -> None:
        """OptimizerV2: sets hyperparameter `name` (a float, schedule or callable).

        Floats are kept in non-trainable scalar `Variable`s, which `_get_hyper`
        reads; `"learning_rate"` is the optimizer's `learning_rate`.
        """
        hyper = self.__dict__["_hyper"]
        if name == "learning_rate":
            self._build_learning_rate(value)
            hyper[name] = None  # read from `_learning_rate`
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                self.__dict__.setdefault("_hyper_given", {})[name] = value
            return
        current = hyper.get(name)
        if isinstance(value, learning_rate_schedule.LearningRateSchedule) or (
            callable(value) and not isinstance(value, torch.Tensor)
        ):
            hyper[name] = value
        elif isinstance(current, Variable):
            current.assign(float(value))
        else:
            hyper[name] = Variable(
                torch.tensor(float(value), dtype=floatx_dtype()), trainable=False, name=name
            )
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            # The value as given, for configs while the variable still holds it.
            self.__dict__.setdefault("_hyper_given", {})[name] = value

    def _get_hyper(self, name: str, dtype=None):
        """OptimizerV2: the value of hyperparameter `name`, cast to `dtype` if given.

        A schedule is returned as is; a callable is called.
        """
        hyper = self.__dict__.get("_hyper", {})
        if name not in hyper and self._tork_builtin_rule and name in self._builtin_hypers():
            # A subclass of a built-in optimizer reads the built-in's hyperparameters
            # (`self._get_hyper("beta_1", var_dtype)`), which tork keeps as attributes.
            value = self._learning_rate if name == "learning_rate" else getattr(self, name)
            if isinstance(value, learning_rate_schedule.LearningRateSchedule):
                return value
            if callable(value) and not isinstance(value, torch.Tensor):
                value = value()
            if dtype is None:
                return value
            return convert_to_tensor(value).detach().to(as_dtype(dtype))
        if name not in hyper:
            raise AttributeError(
                f"Optimizer '{self.name}' has no hyperparameter '{name}'. Set it first with "
                f"`self._set_hyper('{name}', value)`. Its hyperparameters are {list(hyper)}."
            )
        value = self._learning_rate if name == "learning_rate" else hyper[name]
        if isinstance(value, learning_rate_schedule.LearningRateSchedule):
            return value
        if callable(value) and not isinstance(value, torch.Tensor):
            value = value()
        if dtype is None:
            return value
        return convert_to_tensor(value).detach().to(as_dtype(dtype))

    def _builtin_hypers(self) -> tuple:
        """The names Keras 2's `_get_hyper` answers for this built-in optimizer."""
        names = ["learning_rate"]
        if self._accepts_decay:
            names.append("decay")
        for name in _KERAS2_HYPERS:
            value = getattr(type(self), name, None)
            if name in self.__dict__ or isinstance(value, property) or hasattr(value, "__get__"):
                names.append(name)
        return tuple(names)

    def _serialize_hyperparameter(self, hyperparameter):
        """A hyperparameter as a config value: a float or a serialized schedule.

        Takes the hyperparameter's name (OptimizerV2) or its value (Keras 2.11+).
        """
        if isinstance(hyperparameter, str):
            name = hyperparameter
            hyperparameter = self._get_hyper(name)
            given = self.__dict__.get("_hyper_given", {}).get(name)
            if given is None:
                # A built-in legacy optimizer's own (`momentum`, `beta_1`), as given.
                given = self.__dict__.get("_tork_hyper_given", {}).get(name)
            if (
                given is not None
                and isinstance(hyperparameter, torch.Tensor)
                and float(hyperparameter) == float(np.float32(given))
            ):
                return given
        if isinstance(hyperparameter, learning_rate_schedule.LearningRateSchedule):
            return learning_rate_schedule.serialize(hyperparameter)
        if callable(hyperparameter) and not isinstance(hyperparameter, torch.Tensor):
            hyperparameter = hyperparameter()
        if isinstance(hyperparameter, torch.Tensor):
            return float(hyperparameter)
        return hyperparameter

    def _build_learning_rate(self, learning_rate):
        """Keras 2.11+: sets the learning rate (a float, schedule or callable).

        Returns:
            The new `_learning_rate`: a scalar `Variable`, or the schedule.
        """
        current = self._learning_rate
        if not isinstance(current, Variable) and not (
            isinstance(learning_rate, learning_rate_schedule.LearningRateSchedule)
            or callable(learning_rate)
        ):
            # From a schedule back to a float: a new variable.
            self._learning_rate = None
        self._set_learning_rate_value(learning_rate, initial=True)
        return self._learning_rate

    def _var_key(self, variable) -> int:
        """Keras 2.11+: the key of `variable` in `_index_dict`."""
        return id(variable)

    @property
    def _index_dict(self) -> dict:
        """Keras 2.11+: `_var_key(variable)` -> the variable's index in `build`'s list."""
        return self._index

    @property
    def _dense_apply_args(self) -> list:
        """OptimizerV2: the argument names of `_resource_apply_dense`.

        Wrappers check `"apply_state" in inner._dense_apply_args` before passing
        `apply_state` on (TF Addons' MovingAverage/SWA).
        """
        return _argument_names(self._resource_apply_dense)

    @property
    def _sparse_apply_args(self) -> list:
        """OptimizerV2: the argument names of `_resource_apply_sparse`."""
        return _argument_names(self._resource_apply_sparse)

    def _track_trackable(self, trackable, name: str, overwrite: bool = False):
        """TF's `Trackable._track_trackable`: records `trackable` as a named dependency.

        Wrapper optimizers (TF Addons' Lookahead, MovingAverage) call it on the optimizer
        they wrap, kept in a private attribute, so checkpoints save the inner optimizer's
        slots and step under `name`.

        Returns:
            `trackable`.
        """
        tracked = self.__dict__.setdefault("_tork_tracked", {})
        if name in tracked and tracked[name] is not trackable and not overwrite:
            raise ValueError(
                f"{type(self).__name__}._track_trackable: a dependency named '{name}' is "
                "already tracked. Pass overwrite=True to replace it."
            )
        tracked[name] = trackable
        return trackable

    def add_slot(self, var, slot_name: str, initializer="zeros", shape=None) -> Variable:
        """OptimizerV2: creates (once) the slot `slot_name` of model variable `var`.

        Args:
            var: the model variable.
            slot_name: the slot's name, e.g. `"momentum"`.
            initializer: `"zeros"`, `"ones"`, a number, a callable `(shape, dtype)`, or
                a tensor/variable (the slot's initial value; the slot takes its shape).
            shape: the slot's shape (default: the variable's).

        Returns:
            The slot `Variable` (also returned by `get_slot(var, slot_name)`).
        """
        slots = self._legacy_slots.setdefault(slot_name, {})
        if id(var) not in self._index:
            # A wrapper calling this optimizer's `_create_slots` directly (TF allows
            # slots for any variable): index it without building its other slots.
            self._register_variables([var])
            self._reset_plans()
        index = self._index[id(var)]
        if index in slots:
            return slots[index]
        if isinstance(initializer, (torch.Tensor, np.ndarray)):
            # A tensor or variable is the slot's initial value, as in TF (Addons'
            # Lookahead starts its "slow" slot from the variable itself).
            value = convert_to_tensor(initializer).to(device=var.device, dtype=var.dtype)
            if tuple(value.shape) != tuple(var.shape):
                # As TF, the slot takes the value's own shape: TF Addons' NovoGrad keeps a
                # scalar "v" per variable (`initializer=tf.zeros(shape=[])`).
                slot = self._new_slot(var, slot_name)
                slot.data = value.detach().clone()
            else:
                slot = self._new_slot(var, slot_name, initial_value=value.detach())
        elif shape is not None or callable(initializer):
            shape = tuple(var.shape if shape is None else shape)
            if isinstance(initializer, str) and initializer not in ("zeros", "ones"):
                # A Keras initializer name ('glorot_uniform'...), as TF's add_slot takes.
                from tork.keras import initializers

                initializer = initializers.get(initializer)
            if callable(initializer):
                value = convert_to_tensor(initializer(shape, dtype=var.dtype))
            else:
                fill = {"zeros": 0.0, "ones": 1.0}.get(initializer, initializer)
                value = torch.full(shape, float(fill))
            value = value.to(device=var.device, dtype=var.dtype)
            slot = self._new_slot(var, slot_name, initial_value=value, keep_shape=True)
        else:
            slot = self._new_slot(var, slot_name, initializer)
        slots[index] = slot
        return slot

    def _resource_apply_dense(self, grad, var, apply_state=None):
        """OptimizerV2: applies this optimizer's update rule to one variable.

        For subclasses of the built-in optimizers that override `_resource_apply_dense`
        and call `super()._resource_apply_dense(grad, var)` (as bert4keras's lookahead,
        weight-decay and gradient-accumulation factories do): the parent's update, with
        the step's learning rate and the slots `get_slot` returns (Keras 2's names:
        `"m"`, `"v"` for Adam, `"rms"` for RMSprop, `"accumulator"` for Adagrad).
        Optimizers without such an override update all variables at once instead.

        Args:
            grad: the gradient of `var` (a dense tensor of its shape).
            var: the variable to update in place.
            apply_state: accepted for Keras 2 compatibility.

        Returns:
            `var`.
        """
        del apply_state
        return _legacy_apply.apply_dense(self, grad, var)

    def _resource_apply_sparse(self, grad, var, indices, apply_state=None):
        """OptimizerV2: the update for gradient rows `grad` at `indices` of `var`.

        A built-in optimizer applies Keras 2's sparse rule: the legacy SGD and RMSprop
        with momentum, Adadelta, Adamax and Ftrl change only the rows `indices` of
        `var` and of its slots; Nadam decays all slot rows but moves only those rows;
        the others match their dense rule. The abstract `Optimizer` applies the rows
        as a dense gradient (zero elsewhere) with `_resource_apply_dense`.

        Args:
            grad: the gradient rows, shaped `(len(indices),) + var.shape[1:]`.
            var: the variable to update in place.
            indices: the row of `var` of each row of `grad` (repeats are summed).
            apply_state: accepted for Keras 2 compatibility.

        Returns:
            `var`.
        """
        del apply_state
        return _legacy_apply.apply_sparse(self, grad, var, indices)

    def _resource_apply_sparse_duplicate_indices(self, grad, var, indices, **kwargs):
        """OptimizerV2: sums the rows of repeated `indices`, then `_resource_apply_sparse`.

        tork calls it, as Keras 2 does, for a variable read only by a gather (an
        Embedding's `embeddings`), with the rows whose gradient is not zero.
        `kwargs` (`apply_state`) are passed on.
        """
        values, indices = _legacy_apply.sum_duplicates(grad, var, indices)
        return self._resource_apply_sparse(values, var, indices, **kwargs)

    def _resource_scatter_add(self, x, i, v):
        """OptimizerV2: adds the rows `v` to rows `i` of variable `x` (repeats add up).

        Returns:
            `x`.
        """
        values, indices = _legacy_apply.sum_duplicates(v, x, i)
        with torch.no_grad():
            x.index_add_(0, indices, values)
        return x

    def _resource_scatter_update(self, x, i, v):
        """OptimizerV2: writes the rows `v` into rows `i` of variable `x`.

        Returns:
            `x`.
        """
        indices = convert_to_tensor(i).to(device=x.device, dtype=torch.int64).reshape(-1)
        values = convert_to_tensor(v).to(device=x.device, dtype=x.dtype)
        with torch.no_grad():
            x.index_copy_(0, indices, values.reshape((indices.shape[0],) + tuple(x.shape[1:])))
        return x

    def _prepare_local(self, var_device, var_dtype, apply_state) -> None:
        """OptimizerV2 hook: fills `apply_state[(var_device, var_dtype)]` before a step."""
        if self._tork_builtin_rule or "learning_rate" in self.__dict__.get("_hyper", ()):
            apply_state[(var_device, var_dtype)]["lr_t"] = self._decayed_lr(var_dtype)

    def _fallback_apply_state(self, var_device, var_dtype) -> dict:
        """OptimizerV2: the per-(device, dtype) coefficients, computed on demand."""
        apply_state = {(var_device, var_dtype): {}}
        self._prepare_local(var_device, var_dtype, apply_state)
        return apply_state[(var_device, var_dtype)]

    # -- iterations --------------------------------------------------------------------
    @property
    def iterations(self):
        """The number of steps taken: a non-trainable int64 `Variable` starting at 0.

        With `gradient_accumulation_steps=N`, the number of updates (steps // N).
        """
        if self.gradient_accumulation_steps:
            return self._iterations // self.gradient_accumulation_steps
        return self._iterations

    @iterations.setter
    def iterations(self, value) -> None:
        self._iterations.assign(int(value))

    # -- variables ---------------------------------------------------------------------
    @property
    def variables(self) -> list:
        """The optimizer's variables: iteration, learning_rate, then the slots.

        The list may also be called, `optimizer.variables()`, as Keras 2's legacy
        optimizers spell it (tf_keras accepts both spellings). A legacy optimizer
        (`keras.optimizers.legacy.*`) lists them as Keras 2 does: iterations, then
        its other variables, then the slots slot by slot (all `m`, then all `v`),
        without the learning rate.
        """
        if self._tork_keras2_layout:
            return _CallableList(_legacy_layout.keras2_variables(self))
        return _CallableList(self._variables)

    @property
    def _tork_stored_variables(self) -> list:
        """The variables in the order tork's `.keras`/`.weights.h5` files store them."""
        if self._tork_keras2_layout:
            return list(self._variables)
        return list(self.variables)

    @property
    def weights(self) -> list:
        """Alias of `variables` (Keras 2)."""
        return self.variables

    def get_weights(self) -> list:
        """Returns the values of `variables` as NumPy arrays."""
        return [v.numpy() for v in self.variables]

    def set_weights(self, weights) -> None:
        """Sets the values of `variables` from a list of arrays (in `variables` order).

        Args:
            weights: list of arrays, one per optimizer variable.
        """
        if not self.built:
            raise ValueError(
                "You are calling `set_weights()` on an optimizer that has not yet been built. "
                "Call `optimizer.build(trainable_variables)` to create the optimizer weights "
                "before calling `set_weights()`."
            )
        weights = list(weights)
        variables = self.variables
        if len(weights) != len(variables):
            raise ValueError(
                f"Optimizer '{self.name}' has {self._describe_variable_count()}, but "
                f"`set_weights` received {len(weights)} arrays."
            )
        for variable, weight in zip(variables, weights):
            weight = convert_to_tensor(weight)
            if tuple(variable.shape) != tuple(weight.shape):
                raise ValueError(
                    f"Optimizer variable '{variable.name}' has shape {tuple(variable.shape)}, "
                    f"not compatible with provided weight shape {tuple(weight.shape)}."
                )
            # Keras 2 casts the arrays to the variables' dtypes (float64 NumPy arrays too).
            variable.assign(weight.to(variable.dtype))

    def _describe_variable_count(self) -> str:
        return f"{len(self.variables)} variables"

    def save_own_variables(self, store) -> None:
        """Writes the variables' values to `store` under keys '0', '1', ..."""
        for i, variable in enumerate(self._variables):
            store[str(i)] = variable.numpy()

    def load_own_variables(self, store) -> None:
        """Reads the variables' values back from a `store` written by `save_own_variables`."""
        if len(store.keys()) != len(self._variables):
            warnings.warn(
                f"Skipping variable loading for optimizer '{self.name}', because it has "
                f"{len(self._variables)} variables whereas the saved optimizer has "
                f"{len(store.keys())} variables.",
                stacklevel=2,
            )
            return
        for i, variable in enumerate(self._variables):
            variable.assign(store[str(i)])

    def add_variable(
        self,
        shape,
        initializer="zeros",
        dtype=None,
        aggregation: str = "mean",
        name: str | None = None,
    ) -> Variable:
        """Creates a non-trainable optimizer variable and tracks it in `variables`.

        Args:
            shape: the variable's shape.
            initializer: `"zeros"`, `"ones"`, a number, or a callable `(shape, dtype)`.
            dtype: the dtype (default floatx).
            aggregation: accepted for Keras compatibility.
            name: the variable's name (prefixed with the optimizer's name).

        Returns:
            The new `Variable`.
        """
        del aggregation
        dtype = dtype or floatx_dtype()
        shape = tuple(shape)
        if callable(initializer):
            value = convert_to_tensor(initializer(shape, dtype=dtype), dtype=dtype)
        elif initializer == "zeros":
            value = torch.zeros(shape, dtype=dtype, device=current_device())
        elif initializer == "ones":
            value = torch.ones(shape, dtype=dtype, device=current_device())
        else:
            value = torch.full(shape, float(initializer), dtype=dtype, device=current_device())
        variable = Variable(value, trainable=False, name=f"{self.name}/{name or 'variable'}")
        self._variables.append(variable)
        return variable

    def add_variable_from_reference(
        self,
        reference_variable=None,
        name: str | None = None,
        initializer="zeros",
        *,
        model_variable=None,
        variable_name: str | None = None,
        initial_value=None,
        shape=None,
    ) -> Variable:
        """Creates a variable of the shape, dtype and device of `reference_variable`.

        It is named `<optimizer>/<reference path with '/' -> '_'>_<name>`.

        Args:
            reference_variable: the model variable the slot belongs to
                (Keras 2 spells it `model_variable`).
            name: the slot's name, e.g. `"momentum"` (Keras 2: `variable_name`).
            initializer: `"zeros"`, `"ones"` or a number.
            initial_value: Keras 2: a tensor of the variable's shape to start from
                (instead of `initializer`).
            shape: Keras 2: the slot's shape when it differs from the model
                variable's (Adafactor's factored row and column statistics).

        Returns:
            The new `Variable`, tracked in `variables`.
        """
        if reference_variable is None:
            reference_variable = model_variable
        if reference_variable is None:
            raise TypeError(
                "add_variable_from_reference() needs the model variable: pass "
                "`reference_variable` (Keras 3) or `model_variable` (Keras 2)."
            )
        name = name if name is not None else variable_name
        if initial_value is not None:
            initial_value = convert_to_tensor(initial_value).to(
                device=reference_variable.device, dtype=reference_variable.dtype
            )
        elif shape is not None:
            # Keras 2: a zero slot of its own shape, on the model variable's device/dtype.
            initial_value = torch.zeros(
                tuple(int(d) for d in shape),
                device=reference_variable.device,
                dtype=reference_variable.dtype,
            )
            return self._new_slot(
                reference_variable, name or "var", initializer, initial_value, keep_shape=True
            )
        return self._new_slot(reference_variable, name or "var", initializer, initial_value)

    def _new_slot(
        self, reference, slot_name: str, initializer=0.0, initial_value=None, keep_shape=False
    ) -> Variable:
        path = getattr(reference, "path", None)
        if not isinstance(path, str):
            label = getattr(reference, "name", None)
            path = label if isinstance(label, str) else "variable"
        prefix = path.replace("/", "_").replace(":", "_")
        if initial_value is not None:
            # A slot of its own shape (Keras 2's `shape=`) keeps it; otherwise the value
            # broadcasts to the reference's shape.
            value = (initial_value if keep_shape else initial_value.expand_as(reference)).clone()
        elif initializer in ("zeros", 0, 0.0):
            value = torch.zeros_like(reference, memory_format=torch.preserve_format)
        elif initializer == "ones":
            value = torch.ones_like(reference, memory_format=torch.preserve_format)
        else:
            value = torch.full_like(reference, float(initializer))
        if self._tork_keras2_layout:
            # Keras 2's OptimizerV2 names its slots `Adam/dense/kernel/m`.
            keras2_slot = _legacy_layout.keras2_slot_name(self, slot_name)
            name = f"{self.name}/{path.split(':')[0]}/{keras2_slot}"
        else:
            name = f"{self.name}/{prefix}_{slot_name}"
        slot = Variable(value.detach(), trainable=False, name=name)
        self._variables.append(slot)
        return slot

    def _add_slot(self, variable, slot_name: str, initializer=0.0) -> Variable:
        """Creates a slot for `variable` and records it under `slot_name`."""
        if id(variable) not in self._index:
            # `_create_slots` called by a wrapper optimizer (TF Addons' Lookahead) for
            # variables this optimizer was never built with.
            self._register_variables([variable])
            self._reset_plans()
        slot = self._new_slot(variable, slot_name, initializer)
        self._slots.setdefault(slot_name, []).append(slot)
        return slot

    def get_slot(self, var, slot_name: str) -> Variable:
        """Returns the slot variable `slot_name` (e.g. `"momentum"`) of model variable `var`."""
        if id(var) not in self._index:
            raise ValueError(f"Variable {_variable_label(var)} is not tracked by '{self.name}'.")
        legacy = self.__dict__.get("_legacy_slots", {}).get(slot_name)
        if legacy is not None and self._index[id(var)] in legacy:
            return legacy[self._index[id(var)]]
        if slot_name not in self._slots:
            # Keras 2's built-in optimizers name their slots `m`, `v`, `rms`, ...
            slot_name = _legacy_apply.tork_slot_name(self, slot_name)
        if slot_name not in self._slots:
            raise KeyError(
                f"Optimizer '{self.name}' has no slot '{slot_name}'. Its slots are "
                f"{self.get_slot_names()}."
            )
        return self._slots[slot_name][self._index[id(var)]]

    def get_slot_names(self) -> list:
        """Returns the names of the slots this optimizer keeps per variable.

        A legacy optimizer gives Keras 2's names (`['m', 'v']` for Adam).
        """
        if self._tork_keras2_layout:
            return _legacy_layout.keras2_slot_names(self)
        legacy = self.__dict__.get("_legacy_slots", {})
        return list(self._slots) + [n for n in legacy if n not in self._slots]

    def _get_variable_index(self, variable) -> int:
        return self._index[id(variable)]

    # -- building ----------------------------------------------------------------------
    def build(self, var_list) -> None:
        """Creates the slot variables for `var_list` (only for variables not seen yet).

        Called automatically on the first update; variables seen later get
        their slots then.

        Args:
            var_list: list of model variables (torch tensors) to optimize.
        """
        new = self._register_variables(var_list)
        if new:
            for variable in new:
                if self.use_ema:
                    # Keras 2 starts the moving average at the variable's value when
                    # the optimizer is built (Keras 3 starts it at zero).
                    average = self._add_slot(variable, "average")
                    with torch.no_grad():
                        average.copy_(variable)
                if self.gradient_accumulation_steps:
                    self._add_slot(variable, "gradient_accumulator")
            self._create_slots(new)
            self._reset_plans()
        self.built = True

    def _register_variables(self, var_list) -> list:
        """Indexes the variables of `var_list` not seen yet; returns those."""
        new = []
        for variable in var_list:
            if not isinstance(variable, torch.Tensor):
                raise TypeError(
                    f"Optimizer '{self.name}' can only update tensors (tf.Variable or "
                    f"torch.nn.Parameter). Received {variable!r:.100} of type "
                    f"{type(variable).__name__}."
                )
            if id(variable) in self._index:
                continue
            if not (variable.is_floating_point() or variable.is_complex()):
                raise TypeError(
                    f"Optimizer '{self.name}' cannot update {_variable_label(variable)} of "
                    f"dtype {variable.dtype}: only floating-point variables can be trained."
                )
            self._index[id(variable)] = len(self._trainable_variables)
            self._trainable_variables.append(variable)
            new.append(variable)
        return new

    def _create_slots(self, var_list: list) -> None:
        """Hook: creates the per-variable slots of a subclass, in Keras's order.

        Called by `build` for new variables. Wrapper optimizers (TF Addons' Lookahead,
        MovingAverage) call it on the optimizer they wrap, which never sees
        `apply_gradients`: the variables it has not seen are built here, so its own
        slots exist when the wrapper calls its `_resource_apply_dense`.
        """
        unseen = [v for v in var_list if id(v) not in self._index]
        if unseen:
            self.build(unseen)

    # -- public update API ---------------------------------------------------------------
    def apply_gradients(
        self, grads_and_vars, name=None, skip_gradients_aggregation=False, **kwargs
    ):
        """Applies gradients to variables.

        Args:
            grads_and_vars: iterable (a list or a `zip`) of `(gradient, variable)` pairs.
                Pairs whose gradient is `None` are skipped with a warning.
            name: accepted for Keras 2 compatibility.
            skip_gradients_aggregation: accepted for Keras 2 compatibility.

        Returns:
            The `iterations` variable.

        Example:
        >>> optimizer = tf.keras.optimizers.Adam()
        >>> optimizer.apply_gradients(zip(grads, model.trainable_variables))
        """
        del name, skip_gradients_aggregation
        kwargs.pop("experimental_aggregate_gradients", None)
        grads, variables = [], []
        for pair in grads_and_vars:
            try:
                grad, variable = pair
            except (TypeError, ValueError):
                raise ValueError(
                    "`apply_gradients` expects an iterable of (gradient, variable) pairs, e.g. "
                    f"`zip(grads, model.trainable_variables)`. Received an element {pair!r:.200}."
                ) from None
            grads.append(grad)
            variables.append(variable)
        self.apply(grads, variables)
        return self._iterations

    def apply(self, grads, trainable_variables=None) -> None:
        """Updates the variables with their gradients.

        Args:
            grads: list of gradients (tensors, arrays or `None`).
            trainable_variables: the variables, one per gradient. May be omitted
                once the optimizer is built: the variables it was built with.
        """
        grads = list(grads)
        if not grads:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    "When passing `grads` without `variables`, the optimizer must already be "
                    "built on a list of variables. Call `optimizer.build(trainable_variables)` "
                    "first."
                )
            variables = self._trainable_variables
        else:
            variables = list(trainable_variables)
        if len(grads) != len(variables):
            raise ValueError(
                f"Optimizer '{self.name}' received {len(grads)} gradients for "
                f"{len(variables)} variables; pass exactly one gradient per variable."
            )
        kept_grads, kept_vars, missing = [], [], []
        for grad, variable in zip(grads, variables):
            if not isinstance(variable, torch.nn.Parameter) and not (
                isinstance(variable, torch.Tensor) and variable.requires_grad
            ):
                # A constant in the variable slot (pairs given as (variable, gradient))
                # would be updated in place while the real variable stays unchanged.
                raise TypeError(
                    f"Optimizer '{self.name}' can only update variables, but received "
                    f"{type(variable).__name__} {_describe_value(variable)} in the variable "
                    "position. apply_gradients takes (gradient, variable) pairs, e.g. "
                    "zip(grads, model.trainable_variables): check that the pairs are not "
                    "swapped."
                )
            if grad is None:
                missing.append(_variable_label(variable))
                continue
            if not isinstance(grad, torch.Tensor):
                grad = convert_to_tensor(grad)
            if grad.is_sparse:
                grad = grad.to_dense()
            kept_grads.append(grad)
            kept_vars.append(variable)
        if missing:
            if not kept_grads:
                raise ValueError(
                    f"No gradients provided for any variable: {missing}. Compute the loss "
                    "inside the `with tf.GradientTape() as tape:` block, from the outputs of "
                    "the model called there, and ask tape.gradient for the variables it uses."
                )
            key = tuple(missing)
            if key not in self._warned_missing:
                self._warned_missing.add(key)
                warnings.warn(
                    f"Gradients do not exist for variables {missing} when minimizing the loss. "
                    "If you're using `model.compile()`, did you forget to provide a `loss` "
                    "argument?",
                    UserWarning,
                    stacklevel=3,
                )
        self.__dict__["_tork_applying"] = True
        try:
            if len({id(v) for v in kept_vars}) < len(kept_vars):
                self._apply_repeated(kept_vars, kept_grads)
            else:
                self._tork_step(kept_vars, kept_grads)
        finally:
            self.__dict__["_tork_applying"] = False

    def _apply_repeated(self, variables: list, grads: list) -> None:
        """One step for a list naming a variable more than once (`a.trainable_variables +
        b.trainable_variables` of two models sharing a layer).

        TensorFlow updates the pairs one after the other, so such a variable takes each of
        its gradients in turn, through the same slots and at the same step count. A fused
        step over the list would read and write the aliased variable and slots at once.
        The pairs go in rounds (the n-th occurrence of each variable in round n); a global
        clip norm measures the whole list, as TF's, and the step counter, the moving
        average and so the learning rate advance once.
        """
        rounds: list = []
        seen: dict = {}
        for variable, grad in zip(variables, grads):
            n = seen.get(id(variable), 0)
            seen[id(variable)] = n + 1
            if n == len(rounds):
                rounds.append(([], []))
            rounds[n][0].append(variable)
            rounds[n][1].append(grad)
        # Slots first (the moving average's too, while `use_ema` still says so).
        self.build(list({id(v): v for v in variables}.values()))
        saved = self.global_clipnorm, self.use_ema
        if not (self.clipnorm and self.clipnorm > 0) and saved[0] and saved[0] > 0:
            scaled = iter(_clip_by_global_norm([list(grads)], float(saved[0]))[0])
            rounds = [(vs, [next(scaled) for _ in gs]) for vs, gs in rounds]
            self.global_clipnorm = None
        try:
            for n, (vs, gs) in enumerate(rounds):
                last = n == len(rounds) - 1
                self.use_ema = saved[1] and last
                self._tork_step(vs, gs)
                if not last:
                    self._iterations.add_(-1)
                    trace = _whole_function.ACTIVE
                    if trace is not None:
                        # The next round is the same step: it reads this round's scalars.
                        trace.step_undone(self)
        finally:
            self.global_clipnorm, self.use_ema = saved

    def minimize(self, loss, var_list, tape=None, grad_loss=None, name=None):
        """Computes the gradients of `loss` with respect to `var_list` and applies them.

        Args:
            loss: a callable with no arguments returning the loss, or a loss tensor
                (computed with autograd recording, or under `tape`).
            var_list: list of variables, or a callable returning it.
            tape: optional `tf.GradientTape` that recorded `loss`.
            grad_loss: Keras 2 (OptimizerV2): the gradient with respect to `loss`
                to start from (default: ones, i.e. the gradient of the sum).
            name: Keras 2: accepted and unused.

        Returns:
            The `iterations` variable.

        Example:
        >>> v = tf.Variable(10.0)
        >>> tf.keras.optimizers.SGD(0.1).minimize(lambda: v**2 / 2, [v])
        """
        grads_and_vars = self.compute_gradients(loss, var_list, tape, grad_loss=grad_loss)
        self.apply_gradients(grads_and_vars)
        return self._iterations

    def compute_gradients(self, loss, var_list, tape=None, grad_loss=None) -> list:
        """Computes the gradients of `loss` with respect to `var_list` (Keras 2).

        Args:
            loss: a callable with no arguments returning the loss, or a loss tensor
                (computed with autograd recording, or under `tape`).
            var_list: list of variables, or a callable returning it (called after
                `loss`, so `loss` may create the variables).
            tape: optional `tf.GradientTape` that recorded `loss`.
            grad_loss: optional gradient with respect to `loss` to start from
                (Keras 2's OptimizerV2).

        Returns:
            A list of `(gradient, variable)` pairs; the gradient is None for a
            variable the loss does not depend on.

        Example:
        >>> v = tf.Variable(3.0)
        >>> tf.keras.optimizers.SGD().compute_gradients(lambda: v * v, [v])  # [(6.0, v)]
        """
        if grad_loss is not None and not isinstance(grad_loss, torch.Tensor):
            # A list or array is one gradient for the loss tensor, not one per target.
            grad_loss = convert_to_tensor(grad_loss)
        if tape is not None:
            if callable(loss):
                with tape:
                    loss = loss()
            var_list = list(var_list() if callable(var_list) else var_list)
            grads = tape.gradient(loss, var_list, output_gradients=grad_loss)
        elif callable(loss):
            try:
                from tork.tape import GradientTape
            except ImportError:
                GradientTape = None
            if GradientTape is not None:
                with GradientTape() as tape:
                    value = loss()
                    var_list = list(var_list() if callable(var_list) else var_list)
                grads = tape.gradient(value, var_list, output_gradients=grad_loss)
            else:
                with torch.enable_grad():
                    value = loss()
                var_list = list(var_list() if callable(var_list) else var_list)
                grads = self._autograd(value, var_list, grad_loss)
        else:
            if not isinstance(loss, torch.Tensor) or loss.grad_fn is None:
                raise ValueError(
                    "`tape` is required when a `Tensor` loss is passed that was not recorded "
                    "by autograd. Pass the loss as a callable (`lambda: loss_fn()`), or pass "
                    f"the `tf.GradientTape` that computed it. Received: loss={loss!r:.100}, "
                    "tape=None."
                )
            var_list = list(var_list() if callable(var_list) else var_list)
            grads = self._autograd(loss, var_list, grad_loss)
        return list(zip(grads, var_list))

    @staticmethod
    def _autograd(loss, var_list, grad_loss=None) -> list:
        targets = [v for v in var_list if v.requires_grad]
        if grad_loss is None and loss.dim():
            # TF differentiates a non-scalar loss as its sum.
            grad_loss = torch.ones_like(loss)
        elif grad_loss is not None:
            grad_loss = convert_to_tensor(grad_loss).to(device=loss.device, dtype=loss.dtype)
        found = (
            torch.autograd.grad(loss, targets, grad_outputs=grad_loss, allow_unused=True)
            if targets
            else []
        )
        by_id = {id(v): g for v, g in zip(targets, found)}
        return [by_id.get(id(v)) for v in var_list]

    # -- the step --------------------------------------------------------------------------
    def _reset_plans(self) -> None:
        self._plans: dict[tuple, _Plan] = {}
        self._last_params = None
        self._last_len = -1
        self._last_plan = None

    def _tork_step(self, params: list, grads: list) -> None:
        """One optimizer step over parallel lists (the training loop's fast path).

        Args:
            params: list of variables (tensors). The plan for a list is cached by
                the ids of its elements, and, when the same list object is passed
                again with the same length, by its identity: don't mutate it in place.
            grads: list of gradient tensors, one per variable, none of them `None`.
        """
        if not self.__dict__.get("_tork_applying") and _overrides_apply(type(self)):
            # Called by `fit()`'s fast path on a user subclass that overrides
            # `apply_gradients` (or `apply`), e.g. gradient centralization: Keras routes
            # every training step through that method, so go through it too. Its call
            # to the base `apply()` comes back here with `_tork_applying` set.
            self.apply_gradients(zip(grads, params))
            return
        if params is self._last_params and len(params) == self._last_len:
            plan = self._last_plan
        else:
            key = tuple(map(id, params))
            plan = self._plans.get(key)
            if plan is None:
                plan = self._make_plan(params)
                if len(self._plans) >= _MAX_CACHED_PLANS:
                    self._plans.clear()
                self._plans[key] = plan
            self._last_params, self._last_len, self._last_plan = params, len(params), plan
        if _LAYER_APPLIES[0] != self.__dict__.get("_tork_applies_seen", 0):
            # A layer was cast or moved since the last step (`model.double()`,
            # `layer.to(device)` in a custom loop): the slots and plans follow the variables.
            self._tork_applies_seen = _LAYER_APPLIES[0]
            if _plan_is_stale(plan):
                from tork.keras.layers._torch_dtype import follow_variables

                follow_variables(self)
                self._reset_plans()
                return self._tork_step(params, grads)
        # Graphs of persistent (or concurrent) tapes that saved these variables keep the
        # values they read, as TensorFlow's (see tork.variables._SavedRead).
        _keep_saved_values_of(params)
        reducer = _distribute_context.gradient_reducer()
        if reducer is not None:
            # Data-parallel training: all-reduce the gradients first, once (a wrapping
            # optimizer that steps an inner one must not reduce again).
            grads = reducer(params, list(grads))
            with _distribute_context.reducing(None), torch.no_grad():
                self._run(plan, grads)
            return
        with torch.no_grad():
            self._run(plan, grads)

    def _make_plan(self, params: list) -> _Plan:
        params = list(params)
        self.build(params)
        for variable in params:
            if id(variable) not in self._index:
                # Only a user `build` that returns early once built gets here (Keras 3 rule).
                raise ValueError(
                    f"Unknown variable: {_variable_label(variable)}. This optimizer can only be "
                    "called for the variables it was originally built with. When working with a "
                    "new set of variables, you should recreate a new optimizer instance."
                )
        by_key: dict = {}
        for position, variable in enumerate(params):
            by_key.setdefault((variable.device, variable.dtype), []).append(position)
        groups = []
        for (device, dtype), positions in by_key.items():
            group = _Group()
            group.params = [params[i] for i in positions]
            group.positions = positions
            group.device = device
            group.dtype = dtype
            indices = [self._index[id(v)] for v in group.params]
            group.slots = {name: [slots[i] for i in indices] for name, slots in self._slots.items()}
            # OptimizerV2 has no weight decay of its own: a subclass's `self.weight_decay`
            # (keras_rectified_adam) is its own hyperparameter, applied by its update.
            if self.weight_decay and self._tork_update_kind != "legacy":
                group.decay_params = [v for v in group.params if self._use_weight_decay(v)]
            else:
                group.decay_params = []
            group.cast_grads = False
            groups.append(group)
        plan = _Plan()
        plan.params = params
        plan.groups = groups
        plan.identity = len(groups) == 1
        plan.constraints = [
            (v, v.constraint) for v in params if getattr(v, "constraint", None) is not None
        ]
        plan.checked = False
        plan.sparse = self._sparse_split(groups)
        # The embedding tables whose clipping reads per-lookup rows; () when not clipping.
        plan.lookups = _lookup_clip.positions(self, groups)
        return plan

    def _sparse_split(self, groups: list) -> list | None:
        """Per group, the variables whose gradient Keras 2 gives as `IndexedSlices`
        (an Embedding's `embeddings`) split from the others, for a built-in legacy
        optimizer whose sparse rule may differ from its dense one; None otherwise."""
        if self._tork_update_kind is not None or not _legacy_apply.has_sparse_rule(type(self)):
            return None
        split, found = [], False
        for group in groups:
            sparse = [i for i, v in enumerate(group.params) if _gathered_only(v)]
            if not sparse:
                split.append(None)
                continue
            found = True
            dense = [i for i in range(len(group.params)) if i not in sparse]
            sub = None
            if dense:
                sub = _Group.of(
                    [group.params[i] for i in dense],
                    {n: [slots[i] for i in dense] for n, slots in group.slots.items()},
                    group.device,
                    group.dtype,
                    positions=[group.positions[i] for i in dense],
                )
            split.append((sub, dense, sparse))
        return split if found else None

    def _check_grads(self, plan: _Plan, group: _Group, grads: list) -> None:
        for grad, variable in zip(grads, group.params):
            if not isinstance(grad, torch.Tensor):
                raise TypeError(
                    f"Optimizer '{self.name}': the gradient of {_variable_label(variable)} is a "
                    f"{type(grad).__name__}, not a tensor."
                )
            if grad.shape != variable.shape:
                raise ValueError(
                    f"Optimizer '{self.name}': the gradient of {_variable_label(variable)} has "
                    f"shape {tuple(grad.shape)} but the variable has shape "
                    f"{tuple(variable.shape)}. Pass gradients in the same order as the variables."
                )
            if grad.dtype != group.dtype or grad.device != group.device:
                group.cast_grads = True

    def _run(self, plan: _Plan, grads: list) -> None:
        trace = _whole_function.ACTIVE
        if trace is not None:
            scalars = trace.optimizer_ran(self)
            if plan.lookups:
                # Clipping through per-lookup rows stays eager (see _lookup_clip): given
                # up from the first call on, before a traced call would clip densely.
                trace.fail(_lookup_clip.NOT_TRACED)
            elif scalars is not None:
                reason = self._traced_unsupported()
                if reason is None:
                    self._run_traced(plan, grads, scalars)
                    return
                trace.fail(reason)  # and update eagerly below
        groups = plan.groups
        if plan.identity:
            grad_lists = [grads]
        else:
            grad_lists = [[grads[i] for i in g.positions] for g in groups]
        if not plan.checked:
            if len(grads) != len(plan.params):
                raise ValueError(
                    f"Optimizer '{self.name}' received {len(grads)} gradients for "
                    f"{len(plan.params)} variables."
                )
            for group, gs in zip(groups, grad_lists):
                self._check_grads(plan, group, gs)
            plan.checked = True
        for i, group in enumerate(groups):
            if group.cast_grads:
                grad_lists[i] = [
                    g.to(device=group.device, dtype=group.dtype) for g in grad_lists[i]
                ]

        step = int(self._iterations)
        lr = self._learning_rate_float(step)
        if self.loss_scale_factor is not None:
            grad_lists = [
                torch._foreach_div(gs, float(self.loss_scale_factor)) for gs in grad_lists
            ]

        accumulate = self.gradient_accumulation_steps
        is_update = True
        if accumulate:
            is_update = (step + 1) % accumulate == 0
            accumulators = [g.slots["gradient_accumulator"] for g in groups]
            if is_update:
                grad_lists = [
                    torch._foreach_add(gs, acc) for gs, acc in zip(grad_lists, accumulators)
                ]
                for gs in grad_lists:
                    torch._foreach_div_(gs, float(accumulate))
            else:
                for gs, acc in zip(grad_lists, accumulators):
                    torch._foreach_add_(acc, gs)

        kind = self._tork_update_kind
        if is_update:
            if plan.lookups:
                grad_lists = _lookup_clip.clip(
                    self, groups, grad_lists, plan.lookups, legacy=kind == "legacy"
                )
            elif kind == "legacy":
                grad_lists = _clip_legacy_order(self, grad_lists)
            else:
                grad_lists = self._clip(grad_lists)
            if self.weight_decay and kind != "legacy":
                factor = 1.0 - float(self.weight_decay) * lr
                for group in groups:
                    if group.decay_params:
                        torch._foreach_mul_(group.decay_params, factor)
            t = (step // accumulate if accumulate else step) + 1
            if kind is not None:
                if self._tork_builtin_rule:
                    # A built-in optimizer whose subclass overrides `_resource_apply_dense`
                    # or `update_step` and may call the parent's (`_legacy_apply`): its
                    # per-step state, then the variables one by one.
                    self._before_update(t)
                    self._tork_legacy_step = (lr, t)
                    try:
                        self._run_user_update(kind, grad_lists, groups)
                    finally:
                        self._tork_legacy_step = None
                else:
                    self._run_user_update(kind, grad_lists, groups)
            else:
                self._before_update(t)
                if plan.sparse is None:
                    for gs, group in zip(grad_lists, groups):
                        self._update_group(group, gs, lr, t)
                else:
                    self._run_sparse(plan, grad_lists, lr, t)
            if accumulate:
                for acc in accumulators:
                    torch._foreach_zero_(acc)

        for variable, constraint in plan.constraints:
            variable.copy_(constraint(variable))
        self._iterations.add_(1)

        if self.use_ema:
            ema_step = step // accumulate if accumulate else step
            # Keras 2: every step, average = momentum * average + (1 - momentum) * variable.
            momentum = float(self.ema_momentum)
            for group in groups:
                torch._foreach_lerp_(group.slots["average"], group.params, 1.0 - momentum)
            frequency = self.ema_overwrite_frequency
            if frequency and (ema_step + 1) % frequency == 0:
                for group in groups:
                    torch._foreach_copy_(group.params, group.slots["average"])

    def _run_sparse(self, plan: _Plan, grad_lists: list, lr: float, t: int) -> None:
        """A built-in legacy optimizer's step with Keras 2's sparse rule for the
        variables of `plan.sparse` (see `_legacy_apply.apply_rows`)."""
        rule = _legacy_apply.sparse_rule(self)
        for gs, group, split in zip(grad_lists, plan.groups, plan.sparse):
            if split is None or rule is None:
                self._update_group(group, gs, lr, t)
                continue
            sub, dense, sparse = split
            if sub is not None:
                self._update_group(sub, [gs[i] for i in dense], lr, t)
            for i in sparse:
                variable, grad = group.params[i], gs[i]
                rows = _legacy_apply.touched_rows(grad)
                if rows.shape[0] == variable.shape[0]:
                    # Every row has a gradient: as TF's dense gradient of a variable
                    # also read densely (tied embeddings, a regularizer), the dense rule.
                    _legacy_apply.apply_dense(self, grad, variable)
                elif rows.shape[0] or rule == "params":
                    values = grad.index_select(0, rows)
                    _legacy_apply.apply_rows(self, variable, values, rows, lr, t, rule)

    def _run_user_update(self, kind: str, grad_lists: list, groups: list) -> None:
        """The update of a user subclass, one variable at a time (see `_update_kind`)."""
        if kind == "legacy":
            # OptimizerV2: `_prepare_local` per (device, dtype), then each variable.
            apply_state = {}
            for group in groups:
                apply_state[(group.device, group.dtype)] = {}
                self._prepare_local(group.device, group.dtype, apply_state)
            method = self._resource_apply_dense
            takes_state = type(self).__dict__.get("_tork_takes_apply_state")
            if takes_state is None:
                try:
                    takes_state = "apply_state" in inspect.signature(method).parameters
                except (TypeError, ValueError):
                    takes_state = False
                type(self)._tork_takes_apply_state = takes_state
            sparse = _sparse_method(type(self))
            for gs, group in zip(grad_lists, groups):
                for grad, variable in zip(gs, group.params):
                    if sparse is not None and _gathered_only(variable):
                        rows = _legacy_apply.touched_rows(grad)
                        # A gradient in every row is taken for TF's dense gradient of a
                        # table also read densely (tied embeddings, a regularizer).
                        if rows.shape[0] != variable.shape[0]:
                            # Keras 2's `IndexedSlices` gradient: the sparse update with
                            # the looked-up rows (none: TF would call it with zero rows).
                            if rows.shape[0]:
                                values = grad.index_select(0, rows)
                                if sparse:
                                    self._resource_apply_sparse_duplicate_indices(
                                        values, variable, rows, apply_state=apply_state
                                    )
                                else:
                                    self._resource_apply_sparse_duplicate_indices(
                                        values, variable, rows
                                    )
                            continue
                    if takes_state:
                        method(grad, variable, apply_state=apply_state)
                    else:
                        method(grad, variable)
        elif kind == "keras2":
            for gs, group in zip(grad_lists, groups):
                for grad, variable in zip(gs, group.params):
                    self.update_step(grad, variable)
        else:
            lr_value = self.learning_rate
            for gs, group in zip(grad_lists, groups):
                for grad, variable in zip(gs, group.params):
                    self.update_step(grad, variable, lr_value)

    def _traced_unsupported(self) -> str | None:
        """Why this optimizer's step cannot be traced into a graph, or None."""
        from tork.keras.trainers.compiled_step import _optimizer_rule

        if getattr(self, "adaptive_epsilon", False):
            return "adaptive_epsilon=True is not traced"
        if _optimizer_rule(self) is None:
            return (
                f"{type(self).__name__} has no in-graph update rule (Adam, AdamW, SGD, "
                "RMSprop, Muon and ScheduleFreeAdamW have)"
            )
        if self.loss_scale_factor is not None or self.gradient_accumulation_steps:
            return "loss scaling and gradient accumulation are not traced"
        if self.use_ema:
            return "use_ema=True is not traced"
        return None

    def _run_traced(self, plan: _Plan, grads: list, scalars: torch.Tensor) -> None:
        """The step as `tf.function(jit_compile=True)` traces it into one graph.

        The same update as `_run`, with this step's `(lr, alpha, decay)` read from
        `scalars` (written on the host before each call) instead of Python floats,
        so the graph serves every step.
        """
        from tork.keras.trainers.compiled_step import _clip, _optimizer_rule, _rule_step

        rule = _optimizer_rule(self)
        if len(grads) != len(plan.params):
            raise ValueError(
                f"Optimizer '{self.name}' received {len(grads)} gradients for "
                f"{len(plan.params)} variables."
            )
        grads = _clip(self, list(grads))
        for group in plan.groups:
            gs = [grads[i].to(device=group.device, dtype=group.dtype) for i in group.positions]
            decayed = group.decay_params
            if getattr(rule, "takes_scalars", False):
                # Such rules decay by themselves (Muon with two rates; its plan has none).
                decayed = [v for v in group.params if self._use_weight_decay(v)]
            _rule_step(self, rule, group.params, gs, group.slots, decayed, scalars)
        for variable, constraint in plan.constraints:
            variable.copy_(constraint(variable))
        self._iterations.add_(1)

    def _clip(self, grad_lists: list) -> list:
        # Keras 2: at most one clipping applies: clipnorm, else global_clipnorm, else clipvalue.
        if self.clipnorm and self.clipnorm > 0:
            return _clip_by_norm(grad_lists, float(self.clipnorm))
        if self.global_clipnorm and self.global_clipnorm > 0:
            return _clip_by_global_norm(grad_lists, float(self.global_clipnorm))
        if self.clipvalue and self.clipvalue > 0:
            return _clip_by_value(grad_lists, float(self.clipvalue))
        return grad_lists

    def _before_update(self, t: int) -> None:
        """Hook: per-step host-side state (e.g. Nadam's momentum product), once per update."""

    def _update_group(self, group: _Group, grads: list, lr: float, t: int) -> None:
        """Hook: the update over one (device, dtype) group.

        Args:
            group: the group: `group.params` (the variables) and `group.slots`
                (slot name -> list of slot variables, aligned with `params`).
            grads: the processed gradients, aligned with `group.params`; not to be
                modified in place.
            lr: the learning rate for this step.
            t: the 1-based update count used for bias correction.
        """
        raise NotImplementedError(
            f"Optimizer '{type(self).__name__}' must implement "
            "`update_step(gradient, variable, learning_rate)`."
        )

    def update_step(self, gradient, variable, learning_rate=None):
        """Keras API for user subclasses: updates one variable with its gradient.

        A subclass of a built-in optimizer may call `super().update_step(...)` (Keras 3's
        `(gradient, variable, learning_rate)` or Keras 2.11's `(gradient, variable)`):
        the built-in's update of that one variable.

        Args:
            gradient: the processed gradient of `variable`.
            variable: the variable to update in place.
            learning_rate: the current learning rate (a scalar tensor); by default
                the step's.
        """
        if not self._tork_builtin_rule:
            raise NotImplementedError(
                f"Optimizer '{type(self).__name__}' must implement "
                "`update_step(gradient, variable, learning_rate)`: `Optimizer` has no "
                "update rule of its own."
            )
        _legacy_apply.apply_dense(self, gradient, variable, learning_rate)

    def assign(self, variable, value) -> None:
        """Sets `variable` to `value` in place (for `update_step` implementations)."""
        _keep_saved_values(variable)
        with torch.no_grad():
            variable.copy_(_operand(value, variable))

    def assign_add(self, variable, value) -> None:
        """Adds `value` to `variable` in place (for `update_step` implementations)."""
        _keep_saved_values(variable)
        with torch.no_grad():
            variable.add_(_operand(value, variable))

    def assign_sub(self, variable, value) -> None:
        """Subtracts `value` from `variable` in place (for `update_step` implementations)."""
        _keep_saved_values(variable)
        with torch.no_grad():
            variable.sub_(_operand(value, variable))

    def scale_loss(self, loss):
        """Multiplies `loss` by `loss_scale_factor` when one is set.

        Args:
            loss: the loss tensor.

        Returns:
            The scaled loss.
        """
        if self.loss_scale_factor is not None:
            return loss * self.loss_scale_factor
        return loss

    # -- weight decay and EMA --------------------------------------------------------------
    def exclude_from_weight_decay(self, var_list=None, var_names=None) -> None:
        """Excludes variables from weight decay.

        Args:
            var_list: list of variables to exclude.
            var_names: list of strings; a variable whose name contains (as a
                regular expression search) any of them is excluded, e.g. `["bias"]`.

        Example:
        >>> optimizer = tf.keras.optimizers.AdamW()
        >>> optimizer.exclude_from_weight_decay(var_names=["bias", "gamma"])
        """
        self._exclude_vars = list(var_list) if var_list else []
        if var_names:
            self._exclude_pattern = re.compile("|".join(sorted(set(var_names))))
        else:
            self._exclude_pattern = None
        self._reset_plans()

    def _use_weight_decay(self, variable) -> bool:
        if any(variable is excluded for excluded in self._exclude_vars):
            return False
        if self._exclude_pattern is not None:
            name = getattr(variable, "name", None)
            if isinstance(name, str) and self._exclude_pattern.search(name):
                return False
        return True

    def finalize_variable_values(self, var_list) -> None:
        """With `use_ema`, overwrites the variables with their moving averages.

        Args:
            var_list: the model variables (those the optimizer updated).
        """
        if not self.use_ema:
            return
        averages = self._slots.get("average", [])
        _keep_saved_values_of(var_list)
        with torch.no_grad():
            for variable in var_list:
                index = self._index.get(id(variable))
                if index is None:
                    raise ValueError(
                        f"Optimizer '{self.name}' has no moving average for "
                        f"{_variable_label(variable)}: it never updated this variable."
                    )
                variable.copy_(averages[index])

    # -- config -----------------------------------------------------------------------------
    @property
    def _name(self) -> str:
        # Keras 2's OptimizerV2 keeps its name here; library code reads it
        # (keras-rl's AdditionalUpdatesOptimizer: `optimizer._name`).
        return self.name

    @_name.setter
    def _name(self, value: str) -> None:
        self.name = value

    def get_config(self) -> dict:
        """Returns the optimizer's constructor arguments as a serializable dict.

        Returns:
            A dict; `from_config` recreates the optimizer (without its state).
        """
        if self.__dict__.get("_tork_legacy_v2"):
            # OptimizerV2's base config: the name and the clipping that is set; the
            # subclass adds its hyperparameters (`_serialize_hyperparameter`).
            config = {"name": self.name}
            for key in ("clipnorm", "clipvalue", "global_clipnorm"):
                if getattr(self, key) is not None:
                    config[key] = getattr(self, key)
            return config
        learning_rate = self._learning_rate
        if isinstance(learning_rate, learning_rate_schedule.LearningRateSchedule):
            learning_rate = learning_rate_schedule.serialize(learning_rate)
        elif isinstance(learning_rate, torch.Tensor):
            learning_rate = float(learning_rate)
        elif callable(learning_rate):
            # Keras 2 stores a callable learning rate's current value (JSON-serializable).
            learning_rate = float(learning_rate())
        shared = {
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "global_clipnorm": self.global_clipnorm,
            "clipvalue": self.clipvalue,
            "use_ema": self.use_ema,
            "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency,
        }
        if not _keras2_config_layout(self):
            return {
                "name": self.name,
                "learning_rate": learning_rate,
                **shared,
                "loss_scale_factor": self.loss_scale_factor,
                "gradient_accumulation_steps": self.gradient_accumulation_steps,
            }
        # tf_keras 2.21's keys and order: its `from_config` rejects Keras 3's
        # `loss_scale_factor` / `gradient_accumulation_steps`, so they are written only
        # when set (tork's `from_config` reads both layouts).
        config = {
            "name": self.name,
            **shared,
            "jit_compile": False,
            "is_legacy_optimizer": False,
            "learning_rate": learning_rate,
        }
        for key in _KERAS3_ONLY_KEYS:
            if getattr(self, key) is not None:
                config[key] = getattr(self, key)
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> Optimizer:
        """Creates an optimizer from the output of `get_config` (Keras 2 or 3).

        Args:
            config: the config dict.
            custom_objects: optional dict of user-defined schedule classes.

        Returns:
            A new optimizer.
        """
        config = dict(config)
        if "lr" in config:
            config.setdefault("learning_rate", config.pop("lr"))
        for key in _KERAS2_CONFIG_KEYS:
            config.pop(key, None)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = learning_rate_schedule.deserialize(
                config["learning_rate"], custom_objects=custom_objects
            )
        return cls(**config)

    # -- copying ------------------------------------------------------------------------------
    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        for key in ("_plans", "_last_params", "_last_plan"):
            state.pop(key, None)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        # Copies hold new variable objects: re-key the index by their ids.
        self._index = {id(v): i for i, v in enumerate(self._trainable_variables)}
        self._reset_plans()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name='{self.name}'>"


__all__ = ["Optimizer"]


class _CallableList(list):
    """A list that returns itself when called: `optimizer.variables` and the Keras 2
    spelling `optimizer.variables()` both work."""

    def __call__(self) -> list:
        return self


def _clip_by_norm(grad_lists: list, clip: float) -> list:
    """Each gradient scaled to an L2 norm of at most `clip`."""
    clipped = []
    for gs in grad_lists:
        factors = torch._foreach_norm(gs)
        torch._foreach_clamp_min_(factors, clip)
        torch._foreach_reciprocal_(factors)
        torch._foreach_mul_(factors, clip)
        clipped.append(torch._foreach_mul(gs, factors))
    return clipped


def _check_legacy_clipping(clipnorm, clipvalue, global_clipnorm) -> None:
    """OptimizerV2's checks (Keras 2's legacy optimizers; the new ones accept any value)."""
    for key, value in (
        ("clipnorm", clipnorm),
        ("clipvalue", clipvalue),
        ("global_clipnorm", global_clipnorm),
    ):
        if value is not None and value < 0:
            raise ValueError(
                f"Expected {key} >= 0, received: {value}. Pass a non-negative {key}, or None "
                "for no clipping."
            )
    if clipnorm is not None and global_clipnorm is not None:
        raise ValueError(
            "Cannot accept both `clipnorm` and `global_clipnorm`. Received: "
            f"`clipnorm`={clipnorm}, `global_clipnorm`={global_clipnorm}. Set only one of them."
        )


def _clip_by_global_norm(grad_lists: list, clip: float) -> list:
    """All gradients scaled together to a joint L2 norm of at most `clip`."""
    device = grad_lists[0][0].device
    squares = [
        torch.stack(torch._foreach_norm(gs)).float().square().sum().to(device) for gs in grad_lists
    ]
    norm = torch.stack(squares).sum().sqrt()
    # Keras's form: a no-op for finite norms, NaN gradients for inf/NaN norms.
    # A clip of 0 (legacy optimizers accept it) zeroes the gradients, as TensorFlow does.
    bound = math.inf if clip == 0 else 1.0 / clip
    scale = clip * torch.clamp_max(norm.reciprocal(), bound) + (norm - norm)
    return [torch._foreach_mul(gs, scale.to(gs[0].device)) for gs in grad_lists]


def _clip_by_value(grad_lists: list, clip: float) -> list:
    """Each gradient clipped elementwise to `[-clip, clip]`."""
    clipped = []
    for gs in grad_lists:
        gs = torch._foreach_clamp_min(gs, -clip)
        torch._foreach_clamp_max_(gs, clip)
        clipped.append(gs)
    return clipped


def _clip_legacy_order(optimizer, grad_lists: list) -> list:
    """OptimizerV2's clipping: by value first, then by norm or global norm."""
    if optimizer.clipvalue is not None:
        grad_lists = _clip_by_value(grad_lists, float(optimizer.clipvalue))
    if optimizer.clipnorm is not None:
        return _clip_by_norm(grad_lists, float(optimizer.clipnorm))
    if optimizer.global_clipnorm is not None:
        return _clip_by_global_norm(grad_lists, float(optimizer.global_clipnorm))
    return grad_lists


def _operand(value, variable) -> torch.Tensor:
    """`value` as a tensor of the variable's dtype on the variable's device."""
    return convert_to_tensor(value).to(device=variable.device, dtype=variable.dtype)


def _overrides_decayed_lr(cls: type) -> bool:
    """Whether a user class (before tork's own in the MRO) defines `_decayed_lr`."""
    for klass in cls.__mro__:
        if klass.__module__.startswith("tork."):
            return False
        if "_decayed_lr" in klass.__dict__:
            return True
    return False


def _gathered_only(variable) -> bool:
    """Whether Keras 2 would give `variable` an `IndexedSlices` gradient: set on the
    variables that are read by a gather (an Embedding's `embeddings`)."""
    return getattr(variable, "_tork_sparse_grad", False) is True


def _sparse_method(cls) -> bool | None:
    """For an OptimizerV2 subclass, whether Keras 2 calls its sparse update for an
    `IndexedSlices` gradient (None: no, it has none) and passes `apply_state` (decided
    once per class).

    Keras 2 calls `_resource_apply_sparse_duplicate_indices`: the user's own, or the
    built-in optimizer's. The abstract OptimizerV2 has none (TF raises there): tork
    keeps calling `_resource_apply_dense` for such classes.
    """
    if "_tork_sparse_method" in cls.__dict__:
        return cls._tork_sparse_method
    if _overrides_sparse(cls) or cls._tork_builtin_rule:
        cached = "apply_state" in _argument_names(cls._resource_apply_sparse)
    else:
        cached = None
    cls._tork_sparse_method = cached
    return cached
