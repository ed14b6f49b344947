"""`tf.config`: device discovery and run-time settings."""

import collections
import os

import torch

from tork._backend.device import (
    PhysicalDevice,
    get_soft_placement,
    list_physical_devices,
    set_soft_placement,
)
from tork._backend.errors import module_getattr

__all__ = [
    "LogicalDevice",
    "LogicalDeviceConfiguration",
    "get_logical_device_configuration",
    "set_logical_device_configuration",
    "PhysicalDevice",
    "list_logical_devices",
    "list_physical_devices",
    "run_functions_eagerly",
    "functions_run_eagerly",
    "get_visible_devices",
    "optimizer",
    "set_visible_devices",
    "set_soft_device_placement",
    "get_soft_device_placement",
    "threading",
    "experimental",
]

_run_eagerly = False
# Set by tf.debugging.enable_check_numerics: compiled graphs would skip its per-op checks.
_checking_numerics = False


class LogicalDevice(collections.namedtuple("LogicalDevice", ["name", "device_type"])):
    """A device as `tf.config.list_logical_devices` reports it (`tf.config.LogicalDevice`).

    Its `name` (`'/device:GPU:0'`) is accepted by `tf.device` and by the
    strategies' `devices` argument.
    """

    __slots__ = ()


class LogicalDeviceConfiguration(
    collections.namedtuple(
        "LogicalDeviceConfiguration",
        ["memory_limit", "experimental_priority", "experimental_device_ordinal"],
    )
):
    """A logical device to create from a physical one (`tf.config.LogicalDeviceConfiguration`).

    tork records it (`get_logical_device_configuration` reads it back) but applies nothing:
    a device is not split into several, and `memory_limit` does not cap torch's allocator
    (use `torch.cuda.set_per_process_memory_fraction` for that). Code that limits GPU
    memory this way runs unchanged.

    Args:
        memory_limit: megabytes the logical device may use (recorded only).
        experimental_priority: recorded only.
        experimental_device_ordinal: recorded only.

    Example:
    >>> cpu = tf.config.list_physical_devices("CPU")[0]
    >>> tf.config.set_logical_device_configuration(
    ...     cpu, [tf.config.LogicalDeviceConfiguration(memory_limit=1024)])
    """

    __slots__ = ()

    def __new__(
        cls, memory_limit=None, experimental_priority=None, experimental_device_ordinal=None
    ):
        return super().__new__(
            cls, memory_limit, experimental_priority, experimental_device_ordinal
        )


_LOGICAL_CONFIGURATIONS: dict = {}


def set_logical_device_configuration(device, logical_devices) -> None:
    """Records the logical devices to make from `device` (not applied: see the class).

    Args:
        device: a `PhysicalDevice` from `list_physical_devices`.
        logical_devices: a list of `LogicalDeviceConfiguration`s (or None to clear).
    """
    name = getattr(device, "name", None)
    if name is None:
        raise ValueError(
            f"set_logical_device_configuration expects a PhysicalDevice from "
            f"tf.config.list_physical_devices(), got {device!r}."
        )
    if logical_devices is None:
        _LOGICAL_CONFIGURATIONS.pop(name, None)
        return
    configurations = list(logical_devices)
    for item in configurations:
        if not isinstance(item, LogicalDeviceConfiguration):
            raise ValueError(
                "set_logical_device_configuration expects a list of "
                f"tf.config.LogicalDeviceConfiguration, got {item!r}."
            )
    _LOGICAL_CONFIGURATIONS[name] = configurations


def get_logical_device_configuration(device):
    """The configurations recorded for `device`, or None."""
    return _LOGICAL_CONFIGURATIONS.get(getattr(device, "name", None))


def list_logical_devices(device_type: str | None = None) -> list[LogicalDevice]:
    """Lists logical devices: one per physical device, named `/device:<TYPE>:<index>`.

    Args:
        device_type: `'CPU'` or `'GPU'`, or None for every type.

    Returns:
        A list of `LogicalDevice`s.

    Example:
    >>> tf.config.list_logical_devices("CPU")
    [LogicalDevice(name='/device:CPU:0', device_type='CPU')]
    """
    return [
        LogicalDevice(d.name.replace("/physical_device:", "/device:", 1), d.device_type)
        for d in list_physical_devices(device_type)
    ]


def run_functions_eagerly(run_eagerly: bool) -> None:
    """Makes every `tf.function` run eagerly (no `torch.compile`), for debugging."""
    global _run_eagerly
    _run_eagerly = bool(run_eagerly)


def functions_run_eagerly() -> bool:
    """True when `run_functions_eagerly(True)` is in force."""
    return _run_eagerly


# The devices `set_visible_devices` was given, by device type; a type absent here is fully
# visible. Only recorded: torch still sees every device (hide GPUs with CUDA_VISIBLE_DEVICES).
_visible: dict[str, list[PhysicalDevice]] = {}


def set_visible_devices(devices, device_type: str | None = None) -> None:
    """Records which devices the program means to use, for `get_visible_devices`.

    torch keeps seeing every device: to really hide GPUs, set
    `CUDA_VISIBLE_DEVICES` before the program starts, and place work with
    `tf.device` / `.to(device)`.

    Args:
        devices: a `PhysicalDevice` or a list of them (from `list_physical_devices`).
        device_type: when given, only devices of this type (`'CPU'`, `'GPU'`) change
            visibility; by default every type is set to the devices given.

    Raises:
        TypeError: an item of `devices` is not a `PhysicalDevice`.

    Example:
    >>> gpus = tf.config.list_physical_devices("GPU")
    >>> tf.config.set_visible_devices(gpus[:1], "GPU")
    """
    if isinstance(devices, PhysicalDevice):
        devices = [devices]
    devices = list(devices)
    for device in devices:
        if not isinstance(device, PhysicalDevice):
            raise TypeError(
                "tf.config.set_visible_devices expects PhysicalDevice objects (from "
                f"tf.config.list_physical_devices), got {type(device).__name__}."
            )
    types = {d.device_type for d in list_physical_devices()}
    if device_type is not None:
        types = {device_type.upper()}
    for kind in types:
        _visible[kind] = [d for d in devices if d.device_type == kind]


def get_visible_devices(device_type: str | None = None) -> list[PhysicalDevice]:
    """The devices torch can use, less those hidden with `set_visible_devices`.

    Args:
        device_type: `'CPU'`, `'GPU'` or None for all.

    Returns:
        A list of `PhysicalDevice`.

    Example:
    >>> tf.config.get_visible_devices("CPU")
    [PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')]
    """
    return [
        d
        for d in list_physical_devices(device_type)
        if d.device_type not in _visible or d in _visible[d.device_type]
    ]


def set_soft_device_placement(enabled: bool) -> None:
    """Sets whether `tf.device` falls back to the CPU when the device is missing.

    With soft placement on (TensorFlow 2's default), `tf.device('/GPU:0')` on a machine
    without a CUDA GPU places tensors and variables on the CPU; with it off, it raises.
    Ops themselves always run where their tensors are, as in PyTorch.

    Args:
        enabled: True for soft placement, False to make missing devices an error.

    Example:
    >>> tf.config.set_soft_device_placement(True)
    """
    set_soft_placement(enabled)


def get_soft_device_placement() -> bool:
    """Whether soft device placement is on (True by default, as TensorFlow 2).

    Returns:
        The value last given to `set_soft_device_placement`.
    """
    return get_soft_placement()


class _Threading:
    """`tf.config.threading`: the thread pools are torch's.

    intra-op = `torch.set_num_threads`, inter-op = `torch.set_num_interop_threads`;
    0 means "let the runtime choose", as in TensorFlow.
    """

    @staticmethod
    def set_intra_op_parallelism_threads(num_threads: int) -> None:
        """Sets the threads used inside one op (`torch.set_num_threads`); 0 keeps the default.

        Example:
        >>> tf.config.threading.set_intra_op_parallelism_threads(2)
        """
        if int(num_threads) > 0:
            torch.set_num_threads(int(num_threads))

    @staticmethod
    def get_intra_op_parallelism_threads() -> int:
        """The threads used inside one op (`torch.get_num_threads()`)."""
        return torch.get_num_threads()

    @staticmethod
    def set_inter_op_parallelism_threads(num_threads: int) -> None:
        """Sets the threads that run independent ops (`torch.set_num_interop_threads`).

        As in TensorFlow, this works only before the first parallel work; 0 keeps the
        default.

        Raises:
            RuntimeError: when called after parallel work has started.
        """
        if int(num_threads) <= 0:
            return
        try:
            torch.set_num_interop_threads(int(num_threads))
        except RuntimeError:
            raise RuntimeError(
                "Inter op parallelism cannot be modified after initialization: call "
                "tf.config.threading.set_inter_op_parallelism_threads at the start of the "
                "program, before any op runs."
            ) from None

    @staticmethod
    def get_inter_op_parallelism_threads() -> int:
        """The threads that run independent ops (`torch.get_num_interop_threads()`)."""
        return torch.get_num_interop_threads()

    __getattr__ = staticmethod(module_getattr("tf.config.threading"))


threading = _Threading()


class _Experimental:
    """`tf.config.experimental`: memory growth is torch's default behaviour."""

    @staticmethod
    def set_memory_growth(device, enable: bool) -> None:
        """No-op: torch's caching allocator already grows on demand."""

    @staticmethod
    def list_physical_devices(device_type: str | None = None):
        return list_physical_devices(device_type)

    @staticmethod
    def list_logical_devices(device_type: str | None = None):
        """Same as `tf.config.list_logical_devices`."""
        return list_logical_devices(device_type)

    # TF 2.0-2.3's names of the logical device configuration.
    VirtualDeviceConfiguration = LogicalDeviceConfiguration
    set_virtual_device_configuration = staticmethod(set_logical_device_configuration)
    get_virtual_device_configuration = staticmethod(get_logical_device_configuration)

    @staticmethod
    def enable_op_determinism() -> None:
        """Makes ops deterministic: the same inputs give bit-identical results on every run.

        On torch this calls `torch.use_deterministic_algorithms(True, warn_only=True)`:
        torch then picks deterministic kernels (e.g. for scatter/index_add and
        convolutions on CUDA) and warns when an op has none, where TensorFlow
        would raise. It also turns off `torch.backends.cudnn.benchmark` (its
        autotuning can pick different kernels per run) and sets
        `CUBLAS_WORKSPACE_CONFIG=:4096:8` when unset, which deterministic cuBLAS
        needs (call this before the first CUDA matmul for that to apply).
        Seed the random ops separately, with `tf.random.set_seed` or
        `keras.utils.set_random_seed`.

        Example:
        >>> tf.keras.utils.set_random_seed(1)
        >>> tf.config.experimental.enable_op_determinism()
        """
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
        torch.backends.cudnn.benchmark = False
        torch.use_deterministic_algorithms(True, warn_only=True)

    __getattr__ = staticmethod(module_getattr("tf.config.experimental"))


experimental = _Experimental()


class _Optimizer:
    """`tf.config.optimizer`: graph-optimizer settings, recorded only.

    tork has no TensorFlow graph optimizer (Grappler) nor XLA: `tf.function`
    compiles with `torch.compile` when asked. The settings are kept so code
    that reads them back sees what it set.
    """

    # TensorFlow reports these two Grappler switches even before any option is set.
    _DEFAULT_OPTIONS = {"disable_model_pruning": False, "disable_meta_optimizer": False}

    def __init__(self):
        self._jit = ""
        self._options = dict(self._DEFAULT_OPTIONS)

    def set_jit(self, enabled) -> None:
        """Records the XLA auto-clustering setting (`True`/`"autoclustering"` or False).

        Example:
        >>> tf.config.optimizer.set_jit(True)
        >>> tf.config.optimizer.get_jit()
        'autoclustering'
        """
        if isinstance(enabled, str):
            self._jit = enabled
        else:
            self._jit = "autoclustering" if enabled else ""

    def get_jit(self) -> str:
        """The recorded XLA setting: `"autoclustering"`, or `""` when off (the default)."""
        return self._jit

    def set_experimental_options(self, options: dict) -> None:
        """Records Grappler options (e.g. `{"layout_optimizer": False}`); they change nothing.

        Args:
            options: a dict of option names to values, merged into those set before.

        Raises:
            TypeError: `options` is not a dict.
        """
        if not isinstance(options, dict):
            raise TypeError(
                "tf.config.optimizer.set_experimental_options expects a dict of option "
                f"names to values, got {type(options).__name__}."
            )
        self._options.update(options)

    def get_experimental_options(self) -> dict:
        """The recorded Grappler options, as `set_experimental_options` left them.

        Example:
        >>> tf.config.optimizer.get_experimental_options()
        {'disable_model_pruning': False, 'disable_meta_optimizer': False}
        """
        # TensorFlow lists the options set, then the two defaults.
        ordered = {k: v for k, v in self._options.items() if k not in self._DEFAULT_OPTIONS}
        ordered.update({k: self._options[k] for k in self._DEFAULT_OPTIONS})
        return ordered

    __getattr__ = staticmethod(module_getattr("tf.config.optimizer"))


optimizer = _Optimizer()

__getattr__ = module_getattr("tf.config")
