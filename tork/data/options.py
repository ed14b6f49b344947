"""`tf.data.Options`: accepted and kept for compatibility.

tork runs input pipelines eagerly in the training process, so threading,
optimisation and sharding options have no effect; code that sets them keeps
working.
"""

from __future__ import annotations

import enum


class AutoShardPolicy(enum.IntEnum):
    """How a dataset is sharded across workers (`tf.data.experimental.AutoShardPolicy`)."""

    OFF = -1
    AUTO = 0
    FILE = 1
    DATA = 2
    HINT = 3


class ExternalStatePolicy(enum.Enum):
    """What to do with external state when serialising (`tf.data.experimental.ExternalStatePolicy`).

    A plain enum, as TF's: `str()` gives `ExternalStatePolicy.IGNORE`, not a number.
    """

    WARN = 0
    IGNORE = 1
    FAIL = 2


class AutotuneAlgorithm(enum.Enum):
    """tf.data's autotuning algorithms (`tf.data.experimental.AutotuneAlgorithm`).

    Accepted by `Options().autotune.autotune_algorithm` and unused: tork does not autotune.
    """

    DEFAULT = 0
    HILL_CLIMB = 1
    GRADIENT_DESCENT = 2
    MAX_PARALLELISM = 3
    STAGE_BASED = 4


def _check_type(name: str, value, kind) -> None:
    """TF's check of an option's type (None unsets it): a bool option takes no 1 or 'yes'."""
    if value is None:
        return
    ok = isinstance(value, kind)
    if kind is bool or kind is int:
        ok = isinstance(value, int) and (kind is int or isinstance(value, bool))
    if not ok:
        raise TypeError(
            f'Property "{name}" must be of type {kind}, got: {value} (type: {type(value)})'
        )


class _OptionsGroup:
    """A group of options: TensorFlow's names, unset ones read as None.

    Setting another name raises TensorFlow's AttributeError: a misspelt option would
    otherwise be ignored without a word. Names of earlier TF 2 releases (`_historical`)
    are accepted and have no effect.
    """

    _defaults: tuple[str, ...] = ()
    _historical: tuple[str, ...] = ()
    # The type each option takes (TF checks it when set); options not listed are bools.
    _types: dict = {}
    _initial: dict = {}  # options that do not start as None

    def __init__(self):
        for name in self._defaults:
            object.__setattr__(self, name, self._initial.get(name))

    def __setattr__(self, name, value):
        known = (*self._defaults, *self._historical, *vars(self))
        if name in self._defaults:
            _check_type(name, value, self._types.get(name, bool))
        if name in known or hasattr(type(self), name):
            object.__setattr__(self, name, value)
            return
        listed = sorted({*self._defaults, *vars(self)})
        raise AttributeError(
            f"Cannot set the property {name} on {type(self).__name__}. Its options are: "
            f"{', '.join(listed)}."
        )

    def _merged(self, other: _OptionsGroup):
        result = type(self)()
        for source in (self, other):
            for key, value in vars(source).items():
                if isinstance(value, _OptionsGroup):
                    current = getattr(result, key, None)
                    value = current._merged(value) if isinstance(current, _OptionsGroup) else value
                    object.__setattr__(result, key, value)
                elif value is not None and not (
                    source is other and key in self._initial and value == self._initial[key]
                ):  # an option left at its starting value does not override a set one
                    object.__setattr__(result, key, value)
        return result

    def __eq__(self, other) -> bool:
        return type(self) is type(other) and vars(self) == vars(other)

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if v is not None)
        return f"{type(self).__name__}({shown})"


class DistributeOptions(_OptionsGroup):
    """Options for distributing a dataset (`auto_shard_policy`, `num_devices`)."""

    _defaults = ("auto_shard_policy", "num_devices")
    _types = {"auto_shard_policy": AutoShardPolicy, "num_devices": int}
    _initial = {"auto_shard_policy": AutoShardPolicy.AUTO}


class OptimizationOptions(_OptionsGroup):
    """Static optimisation options (no effect in tork)."""

    _defaults = (
        "apply_default_optimizations",
        "filter_fusion",
        "filter_parallelization",
        "inject_prefetch",
        "map_and_batch_fusion",
        "map_and_filter_fusion",
        "map_fusion",
        "map_parallelization",
        "noop_elimination",
        "parallel_batch",
        "seq_interleave_prefetch",
        "shuffle_and_repeat_fusion",
    )
    # TF 2.0-2.5 options, removed since (tork never applied them).
    _historical = (
        "autotune",
        "autotune_buffers",
        "autotune_cpu_budget",
        "autotune_ram_budget",
        "hoist_random_uniform",
        "map_vectorization",
        "reorder_data_discarding_ops",
    )


class ThreadingOptions(_OptionsGroup):
    """Threading options (no effect in tork)."""

    _defaults = ("max_intra_op_parallelism", "private_threadpool_size")
    _types = {"max_intra_op_parallelism": int, "private_threadpool_size": int}


class AutotuneOptions(_OptionsGroup):
    """Autotuning options (no effect in tork)."""

    _defaults = (
        "autotune_algorithm",
        "cpu_budget",
        "enabled",
        "initial_parallelism",
        "min_parallelism",
        "ram_budget",
    )
    _types = {
        "autotune_algorithm": object,
        "cpu_budget": int,
        "initial_parallelism": int,
        "min_parallelism": int,
        "ram_budget": int,
    }


class Options(_OptionsGroup):
    """Options for a dataset, set with `Dataset.with_options`, as `tf.data.Options`.

    Example:
    >>> options = tf.data.Options()
    >>> options.experimental_distribute.auto_shard_policy = (
    ...     tf.data.experimental.AutoShardPolicy.DATA)
    >>> ds = tf.data.Dataset.range(4).with_options(options)
    """

    _defaults = (
        "dataset_name",
        "deterministic",
        "experimental_external_state_policy",
        "experimental_service",
        "experimental_slack",
        "experimental_symbolic_checkpoint",
        "experimental_warm_start",
        "framework_type",
    )
    _types = {
        "dataset_name": str,
        "experimental_external_state_policy": ExternalStatePolicy,
        "experimental_service": object,
        "framework_type": object,
    }
    # TF 2.0-2.5 options, removed since (tork never applied them).
    _historical = ("experimental_stats",)

    def __init__(self):
        super().__init__()
        object.__setattr__(self, "autotune", AutotuneOptions())
        object.__setattr__(self, "experimental_distribute", DistributeOptions())
        object.__setattr__(self, "experimental_optimization", OptimizationOptions())
        object.__setattr__(self, "threading", ThreadingOptions())

    @property
    def experimental_deterministic(self):
        """Alias of `deterministic`."""
        return self.deterministic

    @experimental_deterministic.setter
    def experimental_deterministic(self, value):
        self.deterministic = value

    @property
    def experimental_threading(self) -> ThreadingOptions:
        """Alias of `threading`."""
        return self.threading

    def merge(self, options: Options) -> Options:
        """Returns new options: these, overridden by the options set in `options`.

        Args:
            options: another `tf.data.Options`.

        Returns:
            The merged `tf.data.Options`.
        """
        if not isinstance(options, Options):
            raise TypeError(f"Options.merge expects tf.data.Options, got {type(options).__name__}.")
        return self._merged(options)
