"""Keras 3's top-level scopes: `keras.name_scope`, `keras.StatelessScope`, `keras.remat`.

tork's variables are `torch.nn.Parameter`s that layers use directly in torch ops, so a
`StatelessScope` cannot hand a different tensor to each read as Keras does: it puts a copy
of the given value into each mapped variable for the duration of the block (and a copy of
the variable's own value into any other variable written inside it), collects what the
block wrote, and gives every variable its own value back on exit.
"""

from __future__ import annotations

import functools
import threading
import types

import torch
import torch.utils.checkpoint

from tork import variables as _variables
from tork.ops.scopes import get_current_name_scope
from tork.ops.scopes import name_scope as _tf_name_scope
from tork.variables import Variable

__all__ = ["StatelessScope", "name_scope", "remat"]

_state = threading.local()
# Open StatelessScopes in all threads: the variables' write hook is installed while any is.
_open_scopes = 0
_open_lock = threading.Lock()


def _stack(kind: str) -> list:
    stack = getattr(_state, kind, None)
    if stack is None:
        stack = []
        setattr(_state, kind, stack)
    return stack


class name_scope:  # noqa: N801 - Keras's public name
    """Creates a sub-namespace for variable paths, as `keras.name_scope`.

    Variables created inside `name_scope("block")` get paths `"block/<name>"`; scopes
    nest. It is also a `tf.name_scope`: TensorFlow-style names (`v.name`) and
    `tf.get_current_name_scope()` show it too.

    Args:
        name: The scope name: a string without `/`.
        caller: Optional object that opened the scope (e.g. a layer). With
            `deduplicate`, a scope of the same name opened by the same caller directly
            inside this one adds nothing to the path.
        deduplicate: See `caller`.
        override_parent: Optional path (`"a/b"`) that replaces the enclosing scopes'
            path for this scope.

    Raises:
        ValueError: if `name` is not a string or contains `/`.

    Example:
    >>> with keras.name_scope("block"):
    ...     v = keras.Variable(1.0, name="v")
    >>> v.path
    'block/v'
    """

    def __init__(self, name, caller=None, deduplicate=True, override_parent=None):
        if not isinstance(name, str) or "/" in name:
            raise ValueError(
                "Argument `name` must be a string and cannot contain character `/`. "
                f"Received: name={name}"
            )
        self.name = name
        self.caller = caller
        self.deduplicate = deduplicate
        self.override_parent = override_parent
        self._entered = None

    def __enter__(self) -> name_scope:
        stack = _stack("name_scopes")
        if self.deduplicate and stack and self.caller is not None:
            parent = stack[-1]
            if parent.caller is self.caller and parent.name == self.name:
                self._entered = None
                return self
        if self.override_parent is not None:
            parent_path = "/".join(p for p in str(self.override_parent).split("/") if p)
        else:
            parent_path = get_current_name_scope()
        path = f"{parent_path}/{self.name}" if parent_path else self.name
        # A name ending in "/" is taken as the full scope by tf.name_scope.
        self._entered = _tf_name_scope(path + "/")
        self._entered.__enter__()
        stack.append(self)
        return self

    def __exit__(self, exc_type, exc_value, traceback) -> bool:
        if self._entered is not None:
            _stack("name_scopes").pop()
            self._entered.__exit__(exc_type, exc_value, traceback)
            self._entered = None
        return False


def _before_write(variable: Variable) -> None:
    scopes = getattr(_state, "stateless", None)
    if scopes:
        scopes[-1]._take(variable)


class StatelessScope:
    """Scope in which no Keras variable is updated in place, as `keras.StatelessScope`.

    Inside the block each variable in `state_mapping` reads as its given value; writes
    to any variable (`assign`, `assign_add`, `assign_sub`, scatters, slice assigns, and
    in-place torch updates of mapped variables) are collected instead of applied. After
    the block every variable has its own value again, and
    `scope.get_current_value(variable)` returns the value it had at the end of the block.

    tork's variables are torch Parameters: inside the scope a mapped variable holds a
    copy of its value, so gradients flow to the variable (read them inside the block),
    not to the mapped tensor. The swap is visible to other threads while the block runs.

    Args:
        state_mapping: A list of `(variable, value)` pairs (or a dict): the values the
            variables read inside the scope. Each value must have its variable's shape;
            it is cast to the variable's dtype.
        collect_losses: Recorded on the scope; `scope.add_loss(loss)` collects into
            `scope.losses` (tork's `Layer.add_loss` does not route losses here).
        initialize_variables: Accepted for Keras compatibility. tork creates variables
            with their values: a variable created inside the block has its initial value
            afterwards, and its writes in the block are collected like any other.

    Raises:
        ValueError: if a key is not a variable, or a value's shape differs from its
            variable's.

    Example:
    >>> v = keras.Variable(1.0)
    >>> with keras.StatelessScope([(v, 5.0)]) as scope:
    ...     _ = v.assign_add(1.0)
    >>> float(v), float(scope.get_current_value(v))
    (1.0, 6.0)
    """

    def __init__(self, state_mapping=None, collect_losses=False, initialize_variables=True):
        self.collect_losses = collect_losses
        self.initialize_variables = initialize_variables
        self.losses = []
        self.state_mapping = {}
        self._mapped = {}  # id -> variable, for the entries of state_mapping
        self._saved = {}  # id -> (variable, its own data) while the scope is open
        if isinstance(state_mapping, dict):
            state_mapping = state_mapping.items()
        for variable, value in state_mapping or ():
            if not isinstance(variable, Variable):
                raise ValueError(
                    "Invalid reference variable in StatelessScope: all keys in argument "
                    f"`mapping` must be Variable instances. Received instead: {variable}"
                )
            value = self._as_value(variable, value)
            if tuple(value.shape) != tuple(variable.shape):
                raise ValueError(
                    "Invalid variable value in StatelessScope: all values in argument "
                    "`mapping` must be tensors with a shape that matches the corresponding "
                    f"variable shape. For variable {variable.path} of shape "
                    f"{tuple(variable.shape)}, received a value of shape {tuple(value.shape)}."
                )
            self.state_mapping[id(variable)] = value
            self._mapped[id(variable)] = variable

    @staticmethod
    def _as_value(variable: Variable, value) -> torch.Tensor:
        if isinstance(value, torch.Tensor):
            value = value.detach()
        else:
            value = torch.as_tensor(value)
        return value.to(device=variable.device, dtype=variable.dtype)

    def _take(self, variable: Variable) -> None:
        """Gives `variable` a private copy of its value for the rest of the block."""
        key = id(variable)
        if key not in self._saved:
            self._saved[key] = (variable, variable.data)
            variable.data = variable.data.clone()

    def __enter__(self) -> StatelessScope:
        for key, variable in self._mapped.items():
            self._saved[key] = (variable, variable.data)
            # A copy: in-place writes inside the block must not reach the caller's tensor.
            variable.data = self.state_mapping[key].clone()
        _stack("stateless").append(self)
        global _open_scopes
        with _open_lock:
            _open_scopes += 1
            _variables._before_write = _before_write
        return self

    def __exit__(self, exc_type, exc_value, traceback) -> bool:
        _stack("stateless").remove(self)
        global _open_scopes
        with _open_lock:
            _open_scopes -= 1
            if not _open_scopes:
                _variables._before_write = None
        for key, (variable, own) in self._saved.items():
            self.state_mapping[key] = variable.data
            variable.data = own
        self._saved.clear()
        return False

    def add_loss(self, loss) -> None:
        """Collects a loss into `scope.losses`."""
        self.losses.append(loss)

    def add_update(self, update) -> None:
        """Records `(variable, value)` as the variable's value from now on in the scope."""
        variable, value = update
        value = self._as_value(variable, value)
        if self in _stack("stateless"):
            self._take(variable)
            variable.data = value.clone()
        else:
            self.state_mapping[id(variable)] = value

    def get_current_value(self, variable):
        """The value `variable` had at the end of the block (or was mapped to).

        Args:
            variable: A variable.

        Returns:
            A tensor, or None for a variable the scope neither mapped nor saw written.
        """
        key = id(variable)
        saved = self._saved.get(key)
        if saved is not None:  # asked inside the block
            return variable.data
        return self.state_mapping.get(key)


def in_stateless_scope() -> bool:
    """Whether a `keras.StatelessScope` is open in this thread."""
    return bool(getattr(_state, "stateless", None))


def get_stateless_scope():
    """The innermost open `keras.StatelessScope` of this thread, or None."""
    scopes = getattr(_state, "stateless", None)
    return scopes[-1] if scopes else None


def remat(f):
    """Applies rematerialization (gradient checkpointing) to a function or layer.

    The returned function gives the same outputs and gradients as `f`, but does not
    keep `f`'s intermediate activations for the backward pass: it recomputes them
    then (`torch.utils.checkpoint.checkpoint`, non-reentrant), trading compute for
    memory. Outside gradient recording it just calls `f`. torch's random state is
    replayed for the recomputation, so dropout masks agree; a
    `keras.random.SeedGenerator` used inside `f` advances again when it recomputes.

    Args:
        f: A callable: a function or a layer.

    Returns:
        The wrapped callable.

    Example:
    >>> dense = keras.layers.Dense(4)
    >>> y = keras.remat(dense)(torch.ones(2, 3))
    """

    def wrapped(*args, **kwargs):
        if not torch.is_grad_enabled():
            return f(*args, **kwargs)
        return torch.utils.checkpoint.checkpoint(f, *args, use_reentrant=False, **kwargs)

    if isinstance(f, types.FunctionType | types.MethodType):
        return functools.wraps(f)(wrapped)
    # A layer or other callable object: its name only (wraps would copy its __dict__).
    wrapped.__name__ = wrapped.__qualname__ = getattr(f, "name", type(f).__name__)
    return wrapped
