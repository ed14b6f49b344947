"""`tf.data.experimental.group_by_reducer` and its `Reducer`.

As documented for tf.data: `key_func` maps each element to an int64 key; the first
element of a key starts that group's state with `init_func(key)`, every element
updates it with `reduce_func(state, element)`, and once the input is exhausted each
group gives one output element, `finalize_func(state)`, in increasing key order.
`key_func` takes a tuple element spread into arguments; `reduce_func` takes the state
and the element as two arguments; `finalize_func` takes a tuple state spread.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from tork.data import _spec
from tork.data import _structure as nest
from tork.data._transforms import _bind_python_values, _UnaryDataset
from tork.data.dataset import UNKNOWN_CARDINALITY

_WHERE = "tf.data.experimental.group_by_reducer"


def _check_callable(func, name: str):
    if not callable(func):
        raise ValueError(
            f"tf.data.experimental.Reducer: `{name}` must be a callable, got {func!r:.80} "
            f"(of type {type(func).__name__})."
        )
    return func


class Reducer:
    """How `group_by_reducer` reduces the elements of one group.

    Args:
        init_func: key (an int64 scalar) -> the group's initial state.
        reduce_func: `(state, element) -> new state`, with the structure and dtypes of
            the initial state.
        finalize_func: state -> the group's output element (a tuple state is spread
            into arguments).

    Example:
    >>> reducer = tf.data.experimental.Reducer(
    ...     init_func=lambda key: np.int64(0),
    ...     reduce_func=lambda state, x: state + x,
    ...     finalize_func=lambda state: state)
    """

    def __init__(self, init_func: Callable, reduce_func: Callable, finalize_func: Callable):
        self._init_func = _check_callable(init_func, "init_func")
        self._reduce_func = _check_callable(reduce_func, "reduce_func")
        self._finalize_func = _check_callable(finalize_func, "finalize_func")

    @property
    def init_func(self) -> Callable:
        return self._init_func

    @property
    def reduce_func(self) -> Callable:
        return self._reduce_func

    @property
    def finalize_func(self) -> Callable:
        return self._finalize_func


def _key_error(found) -> ValueError:
    return ValueError(
        f"{_WHERE}: invalid `key_func`: it must return a scalar tf.int64 tensor, got {found}. "
        "Cast the key, e.g. tf.cast(key, tf.int64)."
    )


class _GroupByReducerDataset(_UnaryDataset):
    def __init__(self, input_dataset, key_func, reducer):
        super().__init__(input_dataset, _WHERE)
        if not callable(key_func):
            raise ValueError(f"{_WHERE}: `key_func` must be a callable, got {key_func!r:.80}.")
        if not isinstance(reducer, Reducer):
            raise TypeError(
                f"{_WHERE}: `reducer` must be a tf.data.experimental.Reducer(init_func, "
                f"reduce_func, finalize_func), got {type(reducer).__name__}."
            )
        self._key_func = _bind_python_values(key_func)
        self._init = _bind_python_values(reducer.init_func)
        self._reduce = _bind_python_values(reducer.reduce_func)
        self._finalize = _bind_python_values(reducer.finalize_func)
        input_spec = _spec.static_spec(self._input)
        if input_spec is not None:  # bad keys and state dtypes fail here, as in TF
            self._check_key_spec(input_spec)
            self._state_spec(input_spec)

    # --- the three functions, with TF's argument conventions and checks ----------

    def _key(self, element) -> int:
        key = nest.normalize_output(nest.call(self._key_func, element), _WHERE)
        if not isinstance(key, torch.Tensor) or key.dtype != torch.int64 or key.dim() != 0:
            raise _key_error(nest.describe(key))
        return int(key.item())

    def _initial(self, key: int):
        return nest.normalize_output(self._init(torch.tensor(key, dtype=torch.int64)), _WHERE)

    def _step(self, state, element):
        new = nest.normalize_output(self._reduce(state, element), _WHERE)
        self._check_state(state, new)
        return new

    @staticmethod
    def _check_state(old, new) -> None:
        """Raises unless `new` (states or specs) has the structure and dtypes of `old`."""
        if not nest.same_structure(old, new) or any(
            getattr(a, "dtype", None) != getattr(b, "dtype", None)
            for a, b in zip(nest.flatten(old), nest.flatten(new))
        ):
            describe = nest.describe if isinstance(nest.flatten(old)[0], torch.Tensor) else str
            raise TypeError(
                f"{_WHERE}: invalid `reducer`: reduce_func must return a new state with the "
                f"structure and dtypes of the state from init_func: {describe(old)}, got "
                f"{describe(new)}. Return the same structure, cast (tf.cast) to the initial dtypes."
            )

    def _output(self, state):
        return nest.normalize_output(nest.call(self._finalize, state), _WHERE)

    def _check_key_spec(self, input_spec) -> None:
        """Rejects a non-int64 or non-scalar key at build time when the key can be traced."""
        traced = _spec.trace(
            lambda e: _spec.spec_of(nest.normalize_output(nest.call(self._key_func, e), _WHERE)),
            input_spec,
        )
        if traced is None:
            return
        if nest.is_nested(traced) or traced.dtype != torch.int64 or traced.shape.rank != 0:
            raise _key_error(traced)

    # --- dataset ---------------------------------------------------------------

    def _generic(self):
        states: dict[int, object] = {}
        for element in self._input._elements():
            key = self._key(element)
            state = states[key] if key in states else self._initial(key)
            states[key] = self._step(state, element)
        for key in sorted(states):  # tf.data emits the groups in increasing key order
            yield self._output(states[key])

    def _state_spec(self, element_spec):
        """The state's spec, traced as tf.data does when the dataset is built; None if the
        functions cannot run on stand-ins.

        Raises:
            TypeError: reduce_func changes the state's structure or dtypes.
        """
        try:
            state_spec = _spec.spec_of(self._initial(0))
        except Exception:  # init_func needs a real key: found out when iterating
            return None
        # A state whose shape changes (e.g. grows by concat) has its changing dimensions
        # relaxed to None, as tf.data retraces until the state's shape is stable.
        for _ in range(3):
            traced = _spec.trace(
                lambda se: _spec.spec_of(nest.normalize_output(self._reduce(se[0], se[1]), _WHERE)),
                (state_spec, element_spec),
            )
            if traced is None:
                return None
            self._check_state(state_spec, traced)
            relaxed = _spec.merge_specs(state_spec, traced)
            if relaxed == state_spec:
                return state_spec
            state_spec = relaxed
        return state_spec

    def _spec(self):
        state_spec = self._state_spec(self._input.element_spec)
        traced = None
        if state_spec is not None:
            traced = _spec.trace(lambda s: _spec.spec_of(self._output(s)), state_spec)
        return traced if traced is not None else _spec.peek(self, False)

    def _cardinality(self) -> int:
        return UNKNOWN_CARDINALITY


def group_by_reducer(key_func: Callable, reducer: Reducer) -> Callable:
    """Groups elements by key and reduces each group to one element.

    Args:
        key_func: element (tuples spread as arguments) -> int64 scalar key.
        reducer: a `tf.data.experimental.Reducer`.

    Returns:
        A transformation for `Dataset.apply`; the new dataset has one element per key,
        in increasing key order, produced once the input is exhausted.

    Example:
    >>> reducer = tf.data.experimental.Reducer(
    ...     lambda key: np.int64(0), lambda state, x: state + x, lambda state: state)
    >>> ds = tf.data.Dataset.range(6).apply(
    ...     tf.data.experimental.group_by_reducer(lambda x: x % 2, reducer))
    >>> [int(x) for x in ds]
    [6, 9]
    """
    return lambda dataset: _GroupByReducerDataset(dataset, key_func, reducer)
