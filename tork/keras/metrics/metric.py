"""The `Metric` base class: state variables accumulated on the device."""

from __future__ import annotations

import functools
import numbers

import numpy as np
import torch
from torch._subclasses.fake_tensor import unset_fake_temporarily

from tork._backend.device import current_device
from tork._backend.dtype_name import dtype_name_of
from tork._backend.dtypes import as_dtype, dtype_name
from tork._backend.tensor import convert_to_tensor
from tork._inplace import writable_copies, writes_in_place_once
from tork._naming import to_snake_case, unique_name
from tork.keras.layers._call_context import CONTEXT
from tork.keras.losses._utils import resolve_dtype
from tork.variables import Variable

# Keyword arguments Keras 2 metrics accepted through the Layer base class.
_LAYER_KWARGS = frozenset(
    {"trainable", "dynamic", "autocast", "input_shape", "batch_input_shape", "batch_size"}
)


def _initial_value(initializer, shape, dtype, device) -> torch.Tensor:
    if initializer is None or initializer in ("zeros", "zero", "Zeros"):
        return torch.zeros(shape, dtype=dtype, device=device)
    if initializer in ("ones", "one", "Ones"):
        return torch.ones(shape, dtype=dtype, device=device)
    if isinstance(initializer, numbers.Number):
        return torch.full(shape, initializer, dtype=dtype, device=device)
    if isinstance(initializer, (torch.Tensor, np.ndarray)):
        value = torch.as_tensor(initializer, dtype=dtype, device=device)
        return value.expand(shape).clone()
    if isinstance(initializer, (str, dict, type)):
        # A class (`initializer=tf.keras.initializers.zeros`, as TF Addons' CohenKappa
        # writes) is instantiated, as Keras's `initializers.get` does.
        from tork.keras import initializers

        initializer = initializers.get(initializer)
    value = initializer(shape, dtype=dtype)
    return torch.as_tensor(value).to(device=device, dtype=dtype)


def _in_symbolic_call() -> bool:
    """Whether a layer runs on the functional API's stand-ins (a `keras.Input` call).

    Only those count: a step being captured into one graph (`jit_compile`) also runs on
    fake tensors, and its metric updates must be recorded. (A flag read, not a walk over
    the arguments: this runs on every metric update.)
    """
    return CONTEXT.symbolic > 0 and not torch.compiler.is_compiling()


def _update_on_symbolic(metric, fn, args, kwargs):
    """Runs `update_state` on symbolic (fake) inputs leaving the metric's state unchanged.

    A layer that calls a metric is traced on fake tensors when it is called on
    `keras.Input`s; Keras builds a graph there, so no state changes. Updates that mix
    the state with fake values write nothing, but host-only ones do (a Mean adds the
    stand-in batch size to `count`): the state is put back afterwards.
    """
    with unset_fake_temporarily():
        saved = [(v, v.detach().clone()) for v in metric.variables]
    try:
        with torch.no_grad():
            return fn(metric, *args, **kwargs)
    finally:
        with unset_fake_temporarily(), torch.no_grad():
            for variable, value in saved:
                if variable.shape == value.shape:
                    # `copy_` on the variable itself bumps its version: caches keyed on
                    # it (Mean's host-known count) see the change.
                    torch.Tensor.copy_(variable, value)


def _wrap_update_state(fn):
    """Runs `update_state` without autograd, with the state on the inputs' device."""
    users_code = not str(getattr(fn, "__module__", "")).startswith("tork.")

    @functools.wraps(fn)
    def update_state(self, *args, **kwargs):
        device = self.__dict__.get("_device")
        if device is None:
            raise RuntimeError(
                f"{type(self).__name__}.__init__ must call super().__init__() before the "
                "metric is used."
            )
        if any(type(a) is list or isinstance(a, np.ndarray) for a in args):
            # Lists and arrays become tensors, as TensorFlow converts them: a subclass's
            # `y_true - y_pred` then works as in TF.
            args = tuple(
                convert_to_tensor(a) if type(a) is list or isinstance(a, np.ndarray) else a
                for a in args
            )
        probe = kwargs.get("y_pred", args[1] if len(args) > 1 else args[0] if args else None)
        if not isinstance(probe, torch.Tensor) and args:
            probe = args[0]
        if isinstance(probe, torch.Tensor) and probe.device != device:
            self._move_state(probe.device)
        if users_code and writes_in_place_once(self, fn.__get__(self)):
            # `t = y_true[..., :2]; t *= 2` in a subclass written for TF's immutable
            # tensors would write into the batch's targets: on copies (tork/_inplace.py).
            args, kwargs = writable_copies(args), writable_copies(kwargs)
        if _in_symbolic_call():
            return _update_on_symbolic(self, fn, args, kwargs)
        if not torch.is_grad_enabled():
            return fn(self, *args, **kwargs)
        with torch.no_grad():
            return fn(self, *args, **kwargs)

    update_state._tork_wrapped = True
    return update_state


def _check_super_init(init):
    """Wraps a subclass's __init__ to fail at construction when it skipped Metric.__init__.

    Otherwise the metric fails later, in compile() or update_state(), on a bare missing
    attribute ('name', '_variables'). Runs once per construction, never per step.
    """

    @functools.wraps(init)
    def __init__(self, *args, **kwargs):
        init(self, *args, **kwargs)
        if "_variables" not in self.__dict__:
            raise RuntimeError(
                f"It looks like you are subclassing `Metric` and you forgot to call "
                f"`super().__init__()`: {type(self).__name__}.__init__ must call "
                "super().__init__() (e.g. `super().__init__(name=name, **kwargs)`) before it "
                "adds state variables."
            )

    __init__._tork_wrapped = True
    return __init__


class Metric:
    """Base class for metrics, as `tf.keras.metrics.Metric`.

    A metric holds state variables (non-trainable `tf.Variable`s created with
    `add_variable`/`add_weight`), accumulates into them in `update_state` and
    computes its value in `result()`. State stays on the device: updates never
    copy to the host. A metric is a plain Python object, not a
    `torch.nn.Module`, so a metric held by a model adds nothing to
    `model.parameters()`. If `update_state` receives tensors on another device,
    the state moves there once.

    Args:
        name: the metric name; defaults to the snake_case class name, made
            unique ('my_metric', 'my_metric_1', ...).
        dtype: the dtype of the state and result; defaults to floatx.

    Example:
    >>> class Count(keras.metrics.Metric):
    ...     def __init__(self, name="count", **kwargs):
    ...         super().__init__(name=name, **kwargs)
    ...         self.n = self.add_weight(name="n", initializer="zeros")
    ...     def update_state(self, y_true, y_pred, sample_weight=None):
    ...         self.n.assign_add(tf.cast(tf.shape(y_true)[0], self.dtype))
    ...     def result(self):
    ...         return self.n
    """

    # Keras 2's Layer flag: a metric keeps state across calls.
    stateful = True

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        fn = cls.__dict__.get("update_state")
        if fn is not None and not getattr(fn, "_tork_wrapped", False):
            cls.update_state = _wrap_update_state(fn)
        init = cls.__dict__.get("__init__")
        if init is not None and not getattr(init, "_tork_wrapped", False):
            cls.__init__ = _check_super_init(init)

    def __init__(self, name: str | None = None, dtype=None, **kwargs):
        unknown = set(kwargs) - _LAYER_KWARGS
        if unknown:
            raise TypeError(
                f"{type(self).__name__}.__init__ got unexpected keyword argument(s) "
                f"{sorted(unknown)}. A Metric takes `name` and `dtype`."
            )
        self.name = name if name is not None else unique_name(to_snake_case(type(self).__name__))
        self._dtype_arg = dtype
        self._tork_dtype = resolve_dtype(dtype)
        self._variables: list[Variable] = []
        self._device = current_device()

    # -- state ------------------------------------------------------------------
    def add_variable(
        self,
        shape=(),
        initializer="zeros",
        dtype=None,
        aggregation: str = "sum",
        name: str | None = None,
    ) -> Variable:
        """Creates a non-trainable state variable on the metric's device.

        Args:
            shape: the variable's shape; `()` for a scalar.
            initializer: 'zeros', 'ones', a number, an initializer name or a
                callable `init(shape, dtype=...)`.
            dtype: the variable dtype; defaults to the metric's dtype.
            aggregation: how replicas combine it ('sum', 'mean'...); recorded only.
            name: the variable name.

        Returns:
            The new `tf.Variable`.
        """
        shape = () if shape is None else (int(shape),) if isinstance(shape, int) else tuple(shape)
        dtype = self._tork_dtype if dtype is None else as_dtype(dtype)
        value = _initial_value(initializer, shape, dtype, self._device)
        variable = Variable(value, trainable=False, name=name or f"variable_{len(self._variables)}")
        variable.aggregation = aggregation
        # Kept on the variable (not keyed by id) so copies of the metric reset correctly.
        variable._tork_initializer = initializer
        self._variables.append(variable)
        return variable

    def add_weight(
        self,
        *args,
        shape=None,
        initializer=None,
        dtype=None,
        name=None,
        aggregation="sum",
        synchronization=None,
        **kwargs,
    ) -> Variable:
        """Creates a state variable; Keras 2's and Keras 3's signatures both work.

        Keras 3: `add_weight(shape=(), initializer=None, dtype=None, name=None)`.
        Keras 2: `add_weight(name, shape=(), aggregation=..., synchronization=...,
        initializer=None, dtype=None)` (a string first argument is the name).

        Returns:
            The new `tf.Variable` (zeros unless an initializer is given).
        """
        given = {
            "shape": shape,
            "initializer": initializer,
            "dtype": dtype,
            "name": name,
            "aggregation": aggregation,
            "synchronization": synchronization,
        }
        if args:
            if isinstance(args[0], str):
                order = ("name", "shape", "aggregation", "synchronization", "initializer", "dtype")
            else:
                order = ("shape", "initializer", "dtype", "name")
            if len(args) > len(order):
                raise TypeError(f"add_weight takes at most {len(order)} positional arguments.")
            for key, value in zip(order, args):
                given[key] = value
        kwargs.pop("trainable", None)
        return self.add_variable(
            shape=given["shape"] if given["shape"] is not None else (),
            initializer=given["initializer"] if given["initializer"] is not None else "zeros",
            dtype=given["dtype"],
            aggregation=given["aggregation"] or "sum",
            name=given["name"],
        )

    def _move_state(self, device: torch.device) -> None:
        for variable in self.variables:
            if variable.device != device:
                variable.data = variable.data.to(device)
        for value in self.__dict__.values():
            if isinstance(value, Metric):
                value._move_state(device)
        self._device = device
        self._on_device_change(device)

    def _on_device_change(self, device: torch.device) -> None:
        """Hook for subclasses holding constant tensors (e.g. thresholds)."""

    @property
    def variables(self) -> list[Variable]:
        """The state variables, including those of metrics held as attributes."""
        found = list(self.__dict__.get("_variables", ()))
        seen = {id(v) for v in found}
        for value in self.__dict__.values():
            candidates = value.variables if isinstance(value, Metric) else [value]
            for v in candidates:
                if isinstance(v, Variable) and id(v) not in seen:
                    seen.add(id(v))
                    found.append(v)
        return found

    @property
    def weights(self) -> list[Variable]:
        """Alias of `variables` (Keras 2)."""
        return self.variables

    def get_weights(self) -> list:
        """The state variables' values as NumPy arrays (Keras 2, where a metric is a layer).

        Example:
        >>> iou = tf.keras.metrics.MeanIoU(num_classes=2)
        >>> iou.update_state([0, 1, 1], [0, 1, 0])
        >>> np.array(iou.get_weights()).reshape(2, 2)  # the confusion matrix
        array([[1., 0.],
               [1., 1.]], dtype=float32)
        """
        return [variable.numpy() for variable in self.variables]

    def set_weights(self, weights) -> None:
        """Sets the state variables from NumPy arrays, in `weights` order (Keras 2).

        Args:
            weights: a list of arrays with the shapes of `metric.weights`.
        """
        variables = self.variables
        weights = list(weights)
        where = f"{type(self).__name__} metric '{self.name}'.set_weights"
        if len(weights) != len(variables):
            raise ValueError(
                f"{where}: expected {len(variables)} arrays (for "
                f"{[v.name for v in variables]}), got {len(weights)}."
            )
        for variable, value in zip(variables, weights):
            array = np.asarray(value)
            if tuple(array.shape) != tuple(variable.shape):
                raise ValueError(
                    f"{where}: weight {variable.name} has shape {tuple(variable.shape)}, but "
                    f"the array given has shape {tuple(array.shape)}. Pass arrays shaped as "
                    "metric.get_weights() returns them."
                )
            variable.assign(array.astype(variable.dtype.as_numpy_dtype))

    @property
    def non_trainable_weights(self) -> list[Variable]:
        """Alias of `variables`: metric state is never trained."""
        return self.variables

    non_trainable_variables = non_trainable_weights

    @property
    def trainable_weights(self) -> list[Variable]:
        """Always empty: metric state is never trained."""
        return []

    trainable_variables = trainable_weights

    @property
    def dtype(self) -> str:
        """The dtype of the state and result, as Keras names it (`'float32'`).

        A metric is a layer in Keras 2, so its `dtype` is the name, which also equals
        the dtype (`metric.dtype == tf.float32`) and works as NumPy's (`np.zeros(n,
        dtype=self.dtype)` in a custom metric).
        """
        return dtype_name_of(self._tork_dtype)

    @property
    def _dtype(self) -> str:
        """The dtype's name, as Keras 2's private `Metric._dtype` (`'float32'`).

        Custom metrics write `tf.cast(x, self._dtype)` and compare it with names;
        tork's own code reads the torch dtype, `_tork_dtype`.
        """
        return dtype_name_of(self._tork_dtype)

    @_dtype.setter
    def _dtype(self, value) -> None:
        self._tork_dtype = resolve_dtype(value)

    @property
    def _compute_dtype(self) -> str:
        """The dtype's name, as Keras 2's `Metric._compute_dtype` (a metric computes in it)."""
        return dtype_name_of(self._tork_dtype)

    @property
    def built(self) -> bool:
        """Metrics are usable once constructed."""
        return True

    # -- API ----------------------------------------------------------------------
    def update_state(self, *args, **kwargs):
        """Accumulates statistics for the metric; subclasses implement it."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement update_state(self, y_true, y_pred, "
            "sample_weight=None)."
        )

    def result(self) -> torch.Tensor:
        """Returns the metric value from the state; subclasses implement it."""
        raise NotImplementedError(f"{type(self).__name__} must implement result(self).")

    def merge_state(self, metrics) -> None:
        """Adds the state of other instances of this metric into this one, as Keras 2.

        Each state variable gets the matching variables of `metrics` added to it, so
        metrics that accumulate sums (means, counts, confusion matrices) combine the
        batches the others saw.

        Args:
            metrics: an iterable of metrics with the same state variables.
        """
        for metric in metrics:
            mine, theirs = self.variables, list(getattr(metric, "variables", ()))
            if len(mine) != len(theirs) or any(a.shape != b.shape for a, b in zip(mine, theirs)):
                raise ValueError(
                    f"Metric {metric!r} is not compatible with {self!r}: merge_state needs "
                    f"the same state variables, got shapes {[tuple(v.shape) for v in theirs]} "
                    f"for {[tuple(v.shape) for v in mine]}."
                )
            with torch.no_grad():
                for variable, other in zip(mine, theirs):
                    variable.assign_add(other.to(device=variable.device, dtype=variable.dtype))

    def reset_state(self) -> None:
        """Resets every state variable to its initial value (zeros by default)."""
        with torch.no_grad():
            for variable in self.variables:
                init = getattr(variable, "_tork_initializer", "zeros")
                variable.data.copy_(
                    _initial_value(init, tuple(variable.shape), variable.dtype, variable.device)
                )
            for value in self.__dict__.values():
                if isinstance(value, Metric):
                    value.reset_state()

    def reset_states(self) -> None:
        """Keras 2 alias of `reset_state`."""
        self.reset_state()

    # -- stateless API (Keras 3) --------------------------------------------------------
    def _check_metric_variables(self, metric_variables) -> list:
        variables = self.variables
        if len(metric_variables) != len(variables):
            raise ValueError(
                "Argument `metric_variables` must be a list of tensors corresponding 1:1 to "
                f"{type(self).__name__}().variables. Received list with length "
                f"{len(metric_variables)}, but expected {len(variables)} variables."
            )
        return variables

    def stateless_update_state(self, metric_variables, *args, **kwargs) -> list:
        """`update_state` on given state values, leaving the metric's variables unchanged.

        Args:
            metric_variables: Values for `self.variables`, in that order.
            *args: The arguments of `update_state`.
            **kwargs: Its keyword arguments.

        Returns:
            The new state values: a list of tensors, in `self.variables` order.

        Example:
        >>> m = keras.metrics.Mean()
        >>> state = m.stateless_update_state([0.0, 0.0], [1.0, 3.0])
        >>> [float(v) for v in state]
        [4.0, 2.0]
        """
        from tork.keras._scopes import StatelessScope

        variables = self._check_metric_variables(metric_variables)
        with StatelessScope(list(zip(variables, metric_variables))) as scope:
            self.update_state(*args, **kwargs)
        # Read after the update: a metric that creates its state on its first update
        # (F1Score...) returns the values of the variables it just created.
        return [self._stateless_value(scope, v) for v in self.variables]

    @staticmethod
    def _stateless_value(scope, variable) -> torch.Tensor:
        value = scope.get_current_value(variable)
        return variable.detach().clone() if value is None else value

    def stateless_result(self, metric_variables):
        """`result()` computed from given state values.

        Args:
            metric_variables: Values for `self.variables`, in that order.

        Returns:
            The result, as `result()` gives it for that state.

        Example:
        >>> keras.metrics.Mean().stateless_result([6.0, 3.0])
        tensor(2.)
        """
        from tork.keras._scopes import StatelessScope

        variables = self._check_metric_variables(metric_variables)
        ids = {id(v) for v in variables}
        with StatelessScope(list(zip(variables, metric_variables))):
            result = self.result()

            def detach_state(value):
                # A result that is (a view of) a state variable would show the variable's
                # own value once the scope gives it back: copy it while it is the given one.
                base = getattr(value, "_tork_variable", value)
                if isinstance(value, torch.Tensor) and id(base) in ids:
                    return value.detach().clone()
                return value

            if isinstance(result, dict):
                result = {k: detach_state(v) for k, v in result.items()}
            elif isinstance(result, (list, tuple)):
                result = type(result)(detach_state(v) for v in result)
            else:
                result = detach_state(result)
        return result

    def stateless_reset_state(self) -> list:
        """The state values `reset_state()` would give, leaving the variables unchanged.

        Returns:
            A list of tensors, in `self.variables` order.

        Example:
        >>> [float(v) for v in keras.metrics.Mean().stateless_reset_state()]
        [0.0, 0.0]
        """
        from tork.keras._scopes import StatelessScope

        variables = self.variables
        with StatelessScope([(v, v.detach()) for v in variables]) as scope:
            self.reset_state()
        return [self._stateless_value(scope, v) for v in variables]

    def __call__(self, *args, **kwargs) -> torch.Tensor:
        """Updates the state with the arguments of `update_state`, then returns `result()`."""
        self.update_state(*args, **kwargs)
        result = self.result()
        # Keras 2 remembers which metric made this value: `layer.add_metric(value)` then
        # reports that metric itself, under its own name.
        if torch.compiler.is_compiling():
            return result
        if type(result) is dict:
            # A metric of several values: a plain dict holds no attribute, so (as Keras 2)
            # hand back a dict subclass that remembers the metric; fit logs each key.
            result = _MetricDict(result)
        if isinstance(result, (torch.Tensor, _MetricDict)) and not isinstance(
            result, torch.nn.Parameter
        ):
            result._tork_metric_obj = self
        return result

    def get_config(self) -> dict:
        """Returns the constructor arguments as a dict."""
        return {"name": self.name, "dtype": dtype_name(self._tork_dtype)}

    @classmethod
    def from_config(cls, config: dict):
        """Creates a metric from `get_config()`'s output."""
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}>"


class _MetricDict(dict):
    """The dict a multi-value `Metric.__call__` returns, remembering its metric (for
    `add_metric`); otherwise an ordinary dict."""
