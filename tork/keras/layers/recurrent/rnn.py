"""`keras.layers.RNN` (any cell over a sequence) and `keras.layers.StackedRNNCells`.

The RNN layer runs a cell over the time axis. With a built-in cell whose
configuration torch's fused kernels compute exactly (tanh/sigmoid gates, no
recurrent dropout, no mask or a right-padded one) it runs on those kernels;
otherwise it runs the cell step by step in Python, with the input projection
of all time steps done up front in one matmul.
"""

from __future__ import annotations

import inspect

import numpy as np
import torch
from torch.nn.utils.rnn import PackedSequence, pack_padded_sequence, pad_packed_sequence

from tork import autodiff, nest
from tork._backend import ragged_tensor
from tork._backend.device import current_device
from tork._backend.dtypes import as_dtype
from tork._backend.errors import not_implemented
from tork._backend.ragged_tensor import RaggedTensor
from tork._backend.tracing import outside_compiled_graphs, values_readable
from tork.keras.layers import _placeholder_batch
from tork.keras.layers._call_context import CONTEXT, where
from tork.keras.layers.layer import KerasShape, Layer
from tork.keras.tree import map_shape_structure
from tork.nest import _is_namedtuple

# -- helpers shared by the recurrent layers --------------------------------------------------


def _is_shape_list(shape) -> bool:
    return isinstance(shape, list) and bool(shape) and isinstance(shape[0], (tuple, list))


def _is_nested_shapes(shape) -> bool:
    """Whether a build shape is a structure of shapes (an RNN over nested sequences)."""
    if isinstance(shape, dict):
        return True
    return (
        isinstance(shape, (list, tuple))
        and bool(shape)
        and all(isinstance(s, (list, tuple, torch.Size)) for s in shape)
    )


def _is_nested_inputs(inputs) -> bool:
    """Keras 2's rule: a tuple (or dict) of sequences is nested; a list is [x, *states]."""
    return isinstance(inputs, dict) or (type(inputs) is tuple or _is_namedtuple(inputs))


def build_sublayer(parent: Layer, child: Layer, shape) -> None:
    """Builds `child` for `shape` with `parent` on the call stack (weight paths parent/child/...)."""
    stack = CONTEXT.stack
    pushed = not stack or stack[-1] is not parent
    if pushed:
        stack.append(parent)
    try:
        if _is_nested_shapes(shape):
            child._tork_build(map_shape_structure(KerasShape, shape))
        else:
            child._tork_build(KerasShape(shape))
    finally:
        if pushed:
            stack.pop()


def _keras_rank_sentence(layer, shape: tuple, ndim: int) -> str:
    """tf_keras's input-spec sentence for an input of the wrong rank (users search for it).

    Inside a Bidirectional wrapper tf_keras names the wrapper, whose input spec fails first.
    """
    name = layer.name
    for outer in reversed(CONTEXT.stack):
        if outer is not layer:
            wrapped = (
                getattr(outer, "forward_layer", None),
                getattr(outer, "backward_layer", None),
            )
            if any(layer is w for w in wrapped):
                name = outer.name
            break
    return (
        f'Input 0 of layer "{name}" is incompatible with the layer: expected ndim={ndim}, '
        f"found ndim={len(shape)}. Full shape received: {shape}."
    )


def _rank_error(layer, shape, dtype: torch.dtype | None = None) -> Exception:
    # Shown with batch None when a model builds on zeros of a made-up batch size.
    shape = _placeholder_batch.shown_shape(shape)
    text = (
        f"{_keras_rank_sentence(layer, shape, 3)} {where(layer)} expects a 3D input of shape (batch, timesteps, features), but "
        f"received input of shape {shape} (rank {len(shape)})."
    )
    if len(shape) == 2:
        n = shape[1]
        text += (
            f" If each sample is a sequence of {n} numbers, add a feature axis: put "
            f"keras.layers.Reshape(({n}, 1)) before this layer (or pass x[..., None], "
            f"tf.expand_dims(x, -1)). If each sample is a single step of {n} features, use "
            f"keras.layers.Reshape((1, {n}))."
        )
        if dtype is None or not dtype.is_floating_point:
            text += " If the values are integer token ids, add a keras.layers.Embedding first."
    elif len(shape) > 3:
        text += (
            " Flatten the extra axes into the features, e.g. keras.layers.Reshape("
            f"({shape[1]}, -1)), or wrap per-step layers in keras.layers.TimeDistributed."
        )
    else:
        text += " Add batch and time axes, e.g. x[None, None, :]."
    return ValueError(text)


def _flat_state_shapes(state_size) -> list:
    """The per-state shapes (without batch) of a cell's `state_size`."""
    if hasattr(state_size, "as_list"):
        return [tuple(state_size.as_list())]
    if isinstance(state_size, (list, tuple)):
        result = []
        for s in state_size:
            if hasattr(s, "as_list"):
                result.append(tuple(s.as_list()))
            elif isinstance(s, (list, tuple)):
                result.append(tuple(s))
            else:
                result.append((int(s),))
        return result
    return [(int(state_size),)]


def _first_size(size) -> int:
    shapes = _flat_state_shapes(size)
    return shapes[0][-1]


def _cell_output_size(cell) -> int:
    size = getattr(cell, "output_size", None)
    if size is None:
        return _first_size(cell.state_size)
    if hasattr(size, "as_list"):
        return size.as_list()[-1]
    if isinstance(size, (list, tuple)):
        return int(size[-1])
    return int(size)


def _cell_output_shape(cell) -> tuple:
    """One step's output shape (without batch): `(units,)`, or a cell's TensorShape."""
    size = getattr(cell, "output_size", None)
    if isinstance(cell, StackedRNNCells):
        return _cell_output_shape(cell.cells[-1])
    if size is None:
        size = cell.state_size
        if isinstance(size, (list, tuple)) and not hasattr(size, "as_list") and size:
            size = size[0]
    if hasattr(size, "as_list"):
        return tuple(size.as_list())
    if isinstance(size, torch.Size):
        return tuple(size)
    return (_cell_output_size(cell),)


def _nested_output_shapes(cell):
    """The per-step output shapes (without batch) of a cell with nested outputs, else None."""
    size = getattr(cell, "output_size", None)
    if isinstance(size, (list, tuple)) and not hasattr(size, "as_list"):
        if any(hasattr(s, "as_list") or isinstance(s, (list, tuple)) for s in size):
            return [tuple(s.as_list()) if hasattr(s, "as_list") else tuple(s) for s in size]
    return None


def _right_padded_lengths(mask: torch.Tensor):
    """Per-sample lengths when `mask` is right-padded, else None.

    Returns the string "full" when no step is masked. One device sync.
    """
    steps = mask.shape[1]
    lengths = mask.sum(1)
    expected = torch.arange(steps, device=mask.device) < lengths[:, None]
    ok = torch.equal(mask, expected)
    if not ok:
        return None
    lengths = lengths.cpu()
    if int(lengths.min()) == steps:
        return "full"
    if int(lengths.min()) == 0:
        # pack_padded_sequence refuses empty sequences: the step loop handles them.
        return None
    return lengths


def serialize_layer(layer) -> dict:
    """`{"class_name": ..., "config": ...}` for a layer or cell."""
    try:
        from tork.keras.saving.serialization import serialize_keras_object
    except ImportError:
        serialize_keras_object = None
    if serialize_keras_object is not None:
        return serialize_keras_object(layer)
    return {"class_name": type(layer).__name__, "config": layer.get_config()}


def _known_classes() -> dict:
    from tork.keras.layers.recurrent import bidirectional, gru, lstm, simple_rnn, time_distributed

    classes = {}
    for module in (bidirectional, gru, lstm, simple_rnn, time_distributed):
        classes.update(
            {
                name: obj
                for name, obj in vars(module).items()
                if isinstance(obj, type) and issubclass(obj, Layer)
            }
        )
    classes.update({"RNN": RNN, "StackedRNNCells": StackedRNNCells})
    return classes


def deserialize_layer(config, custom_objects: dict | None = None):
    """Creates a layer or cell from `serialize_layer` output (or returns a layer as is)."""
    if isinstance(config, Layer):
        return config
    try:
        from tork.keras.saving.serialization import deserialize_keras_object
    except ImportError:
        deserialize_keras_object = None
    class_name = config.get("class_name")
    inner = config.get("config", {})
    if custom_objects and class_name in custom_objects:
        return custom_objects[class_name].from_config(inner)
    known = _known_classes()
    if class_name in known:
        cls = known[class_name]
        if "custom_objects" in inspect.signature(cls.from_config).parameters:
            return cls.from_config(inner, custom_objects=custom_objects)
        return cls.from_config(inner)
    if deserialize_keras_object is not None:
        return deserialize_keras_object(config, custom_objects=custom_objects)
    import tork.keras.layers as layers_module

    cls = getattr(layers_module, class_name, None) if class_name else None
    if not (isinstance(cls, type) and issubclass(cls, Layer)):
        raise ValueError(
            f"Unknown layer or cell class '{class_name}' in a recurrent layer's config. Pass "
            "it in custom_objects={'" + str(class_name) + "': TheClass}."
        )
    return cls.from_config(inner)


# get_initial_state function -> its parameter names (see `_user_initial_state`).
_INITIAL_STATE_PARAMS: dict = {}


def _user_initial_state(cell, batch_size: int, dtype) -> list | None:
    """A user cell's own `get_initial_state(batch_size=, dtype=)` states, flat; else None."""
    if getattr(cell, "_tork_builtin", False) or not hasattr(cell, "get_initial_state"):
        return None
    method = cell.get_initial_state
    key = getattr(method, "__func__", method)
    params = _INITIAL_STATE_PARAMS.get(key)
    if params is None:  # once per cell class: this runs at every call of the RNN
        params = _INITIAL_STATE_PARAMS[key] = frozenset(inspect.signature(method).parameters)
    if "batch_size" not in params:
        return None
    kwargs = {"batch_size": batch_size}
    if "dtype" in params:
        kwargs["dtype"] = dtype
    states = cell.get_initial_state(**kwargs)
    return None if states is None else nest.flatten(states)


# -- StackedRNNCells ---------------------------------------------------------------------------


class StackedRNNCells(Layer):
    """Wraps a list of RNN cells so that they act as one cell, output of each into the next.

    Its states are the states of all cells, in order (first cell's first).

    Args:
        cells: a list of cells (objects with `call(inputs, states)` and `state_size`).

    Example:
    >>> cells = [keras.layers.LSTMCell(8), keras.layers.LSTMCell(4)]
    >>> rnn = keras.layers.RNN(keras.layers.StackedRNNCells(cells))
    >>> rnn(tf.ones((2, 5, 3))).shape
    torch.Size([2, 4])
    """

    def __init__(self, cells, **kwargs):
        super().__init__(**kwargs)
        cells = list(cells)
        for cell in cells:
            _check_cell(cell, "StackedRNNCells")
        self.cells = cells

    @property
    def state_size(self) -> tuple:
        """The cells' state sizes, one entry per cell (Keras 2): `([8, 8], 4)` for
        `[LSTMCell(8), GRUCell(4)]`."""
        return tuple(cell.state_size for cell in self.cells)

    @property
    def output_size(self) -> int:
        """The output size of the last cell."""
        return _cell_output_size(self.cells[-1])

    def build(self, input_shape) -> None:
        batch, step_shape = input_shape[0], tuple(input_shape[1:])
        for cell in self.cells:
            # A plain object with `call` and `state_size` (Keras 2 accepts it) needs no build.
            if isinstance(cell, Layer) and not cell.built:
                build_sublayer(self, cell, (batch, *step_shape))
            step_shape = _cell_output_shape(cell)
        self.built = True

    def call(self, inputs, states, constants=None, training=None):
        # States come grouped per cell (Keras 2's structure, e.g. [[h1, c1], h2]) or flat.
        states = nest.flatten(states)
        new_states = []
        offset = 0
        for cell in self.cells:
            count = len(_cell_state_shapes(cell))
            own = states[offset : offset + count]
            offset += count
            extra = {} if training is None else {"training": training}
            if constants is not None and _takes_constants(cell):
                # As Keras 2: the constants go to the cells whose call takes them.
                extra["constants"] = constants
            inputs, cell_states = _call_cell(cell, inputs, own, extra)
            new_states.extend(nest.flatten(cell_states))
        return inputs, self._tork_group_states(new_states)

    def _tork_group_states(self, flat_states) -> list:
        """Groups a flat list of states per cell, as Keras 2 returns them.

        A cell whose `state_size` is a list (LSTMCell: `[h, c]`) gets a list; a cell with
        one state gets the tensor itself: `[[h1, c1], h2]` for `[LSTMCell, GRUCell]`.
        """
        grouped, offset = [], 0
        for cell in self.cells:
            size = cell.state_size
            count = len(_cell_state_shapes(cell))
            own = list(flat_states[offset : offset + count])
            offset += count
            several = isinstance(size, (list, tuple)) and not hasattr(size, "as_list")
            grouped.append(own if several else own[0])
        return grouped

    def get_initial_state(self, inputs=None, batch_size=None, dtype=None) -> list:
        """Returns zero states for a batch, grouped per cell (`[[h1, c1], h2]`).

        Args:
            inputs: optional input tensor, whose batch size and dtype are used.
            batch_size: the batch size, when `inputs` is not given.
            dtype: the states' dtype; default the layer's compute dtype.

        Returns:
            A tuple with one entry per cell (Keras 2): a list of tensors for a cell with
            several states, else one tensor.
        """
        device = current_device()
        if inputs is not None:
            batch_size = inputs.shape[0]
            dtype = dtype or inputs.dtype
            device = inputs.device
        dtype = as_dtype(dtype) if dtype is not None else self._tork_compute_dtype
        flat = []
        for cell in self.cells:
            # Keras 2 asks each cell for its own initial states: a user cell's
            # get_initial_state (non-zero starts) holds inside a stack too.
            states = _user_initial_state(cell, batch_size, dtype)
            if states is None:
                states = [
                    torch.zeros((batch_size, *shape), dtype=dtype, device=device)
                    for shape in _cell_state_shapes(cell)
                ]
            flat.extend(torch.as_tensor(s, dtype=dtype, device=device) for s in states)
        return tuple(self._tork_group_states(flat))

    def get_config(self) -> dict:
        config = super().get_config()
        config["cells"] = [serialize_layer(cell) for cell in self.cells]
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None):
        config = dict(config)
        cells = [deserialize_layer(c, custom_objects) for c in config.pop("cells")]
        return cls(cells, **config)


def _cell_state_shapes(cell) -> list:
    """The per-state shapes (without batch) of a cell, stacked cells' states in order."""
    if isinstance(cell, StackedRNNCells):
        return [shape for c in cell.cells for shape in _cell_state_shapes(c)]
    return _flat_state_shapes(cell.state_size)


def _takes_constants(cell) -> bool:
    """Whether a cell's `call` has a `constants` argument (Keras 2's external constants)."""
    try:
        return "constants" in inspect.signature(cell.call).parameters
    except (TypeError, ValueError):
        return False


def _call_cell(cell, inputs, states, extra: dict):
    """Runs one step of a cell: a layer through `__call__`, a plain object through `call`.

    Keras 2 accepts any object with `call(inputs, states)` and `state_size` as a cell.
    """
    if isinstance(cell, Layer):
        return cell(inputs, states, **extra)
    if "training" in extra:
        try:
            accepts = "training" in inspect.signature(cell.call).parameters
        except (TypeError, ValueError):
            accepts = False
        if not accepts:
            extra = {k: v for k, v in extra.items() if k != "training"}
    return cell.call(inputs, states, **extra)


def _check_cell(cell, owner: str) -> None:
    if not (hasattr(cell, "call") and hasattr(cell, "state_size")):
        raise ValueError(
            f"{owner} needs RNN cells: objects with a `call(inputs, states)` method and a "
            f"`state_size` attribute (e.g. keras.layers.LSTMCell(32)), but received "
            f"{type(cell).__name__} {cell!r}. To run a whole layer such as LSTM, use it "
            "directly instead of wrapping it in RNN."
        )


# -- RNN ------------------------------------------------------------------------------------------


class RNN(Layer):
    """Base class for recurrent layers: runs a cell over the time axis of its input.

    The input has shape `(batch, timesteps, features)` (`(timesteps, batch,
    features)` with `time_major=True`). A cell is any layer with a
    `call(inputs, states)` returning `(output, new_states)` and a `state_size`
    attribute (an int, or a list with one size per state).

    Masking: a mask of shape `(batch, timesteps)` (e.g. from
    `Embedding(mask_zero=True)` or `Masking`) skips steps: a masked step keeps
    the states and repeats the previous output (zeros before the first
    unmasked step, or always zeros with `zero_output_for_mask=True`).

    Args:
        cell: an RNN cell, or a list of cells (stacked with `StackedRNNCells`).
        return_sequences: return the whole output sequence instead of the last output.
        return_state: also return the final states: `[output, *states]`.
        go_backwards: process the sequence in reverse; a returned sequence is then in
            processing (reversed) order.
        stateful: keep the final states of a batch as the initial states of the next
            call; `reset_states()` sets them back to zeros.
        unroll: accepted for compatibility; tork always runs eagerly.
        time_major: whether the input (and output sequence) is `(timesteps, batch, ...)`.
        zero_output_for_mask: output zeros (instead of the previous output) at masked steps.

    Call arguments:
        inputs: the input sequence (or a list `[inputs, *initial_states]`).
        initial_state: optional list of initial state tensors, one per state.
        mask: optional boolean tensor `(batch, timesteps)`; True means "use this step".
        training: whether dropout (if the cell has any) is active.

    Example:
    >>> rnn = keras.layers.RNN(keras.layers.LSTMCell(4), return_sequences=True)
    >>> rnn(tf.ones((2, 5, 3))).shape
    torch.Size([2, 5, 4])
    """

    # Private switch: False forces the Python step loop (used to test both paths agree).
    _tork_use_fused = True

    def __init__(
        self,
        cell,
        return_sequences: bool = False,
        return_state: bool = False,
        go_backwards: bool = False,
        stateful: bool = False,
        unroll: bool = False,
        time_major: bool = False,
        zero_output_for_mask: bool = False,
        **kwargs,
    ):
        if "constants" in kwargs:
            raise not_implemented("tf.keras.layers.RNN(constants=...)")
        # Written by get_config when the layer was called with constants (Keras 2).
        self._num_constants = int(kwargs.pop("num_constants", 0) or 0)
        if "input_shape" not in kwargs and ("input_dim" in kwargs or "input_length" in kwargs):
            # Keras 2: the legacy arguments describe (timesteps, features), each may be None.
            kwargs["input_shape"] = (
                kwargs.pop("input_length", None),
                kwargs.pop("input_dim", None),
            )
        super().__init__(**kwargs)
        if isinstance(cell, (list, tuple)):
            cell = StackedRNNCells(cell)
        _check_cell(cell, type(self).__name__)
        self.cell = cell
        self.return_sequences = bool(return_sequences)
        self.return_state = bool(return_state)
        self.go_backwards = bool(go_backwards)
        self._stateful = bool(stateful)
        self.unroll = bool(unroll)
        self.time_major = bool(time_major)
        self.zero_output_for_mask = bool(zero_output_for_mask)
        self.supports_masking = True
        self._tork_states = None
        self._tork_features = None

    # -- attributes -------------------------------------------------------------------------
    @property
    def stateful(self) -> bool:
        """Whether final states carry over to the next call."""
        return self._stateful

    @stateful.setter
    def stateful(self, value: bool) -> None:
        self._stateful = bool(value)

    @property
    def states(self) -> list:
        """The current states of a stateful layer.

        As in Keras 2, a stateful layer built for a known batch size starts with zero states;
        without states (not stateful, or batch size unknown) each entry is None. With
        stacked cells the states are grouped per cell (`[[h1, c1], h2]`), as Keras 2 does.
        """
        if self._tork_states is None:
            batch = self._tork_known_batch() if self._stateful else None
            if batch is None:
                return self._tork_grouped_states([None] * len(self._tork_state_shapes()))
            self.__dict__["_tork_states"] = self._tork_zero_states(
                batch,
                torch.empty((), dtype=self._tork_compute_dtype, device=current_device()),
                stateful=True,
            )
        return self._tork_grouped_states(self._tork_states)

    def _tork_known_batch(self):
        """The batch size the layer was built for, or None when unknown."""
        shape = self._build_shapes
        if not self.built or shape is None:
            return None
        try:
            shape = tuple(shape)
            batch = shape[1] if self.time_major else shape[0]
        except (TypeError, IndexError):
            return None  # nested inputs: no single batch size
        return batch if isinstance(batch, int) else None

    @states.setter
    def states(self, value) -> None:
        self.__dict__["_tork_states"] = None if value is None else nest.flatten(value)

    def _tork_state_shapes(self) -> list:
        shapes = self.__dict__.get("_tork_state_shapes_cache")
        if shapes is None:
            shapes = _cell_state_shapes(self.cell)
            if getattr(self.cell, "_tork_builtin", False):
                self.__dict__["_tork_state_shapes_cache"] = shapes
        return shapes

    # -- building ---------------------------------------------------------------------------
    def build(self, input_shape) -> None:
        if _is_nested_inputs(input_shape) and _is_nested_shapes(input_shape):
            self._tork_build_nested(input_shape)
            return
        shape = input_shape[0] if _is_shape_list(input_shape) else input_shape
        shape = tuple(shape)
        if not self._tork_rank_ok(len(shape)):
            raise _rank_error(self, shape)
        batch, features = (shape[1] if self.time_major else shape[0]), shape[-1]
        if features is None:
            raise ValueError(
                f"{where(self)}: the last (features) dimension of the input must be known to "
                f"build the layer, but the input shape is {shape}."
            )
        if not getattr(self.cell, "built", True):
            build_sublayer(self, self.cell, (batch, *shape[2:]))
        self._tork_features = int(features)
        self.built = True

    def _tork_rank_ok(self, rank: int) -> bool:
        """3D inputs; more axes only for custom cells, which get `(batch, *step_shape)` per
        step (Keras 2 runs a cell over any `(batch, timesteps, ...)` input)."""
        if rank == 3:
            return True
        if rank < 3:
            return False
        cells = self.cell.cells if isinstance(self.cell, StackedRNNCells) else [self.cell]
        return not any(getattr(c, "_tork_builtin", False) for c in cells)

    def _tork_check_nested_cell(self, count: int) -> None:
        cell = self.cell
        if getattr(cell, "_tork_builtin", False) or isinstance(cell, StackedRNNCells):
            raise ValueError(
                f"{where(self)} received a tuple of {count} sequences, but its cell "
                f"{type(cell).__name__} takes one sequence. Concatenate the sequences' features "
                "into one (batch, timesteps, features) input (keras.layers.Concatenate()), or "
                "write a cell whose call(inputs, states) takes the tuple."
            )

    def _tork_build_nested(self, input_shape) -> None:
        self._tork_check_nested_cell(len(_flat_shapes(input_shape)))

        def step_shape(shape):
            if len(shape) < 3:
                raise ValueError(
                    f"{where(self)}: each of the nested inputs must be a sequence of shape "
                    f"(batch, timesteps, ...), but one has shape {shape}."
                )
            batch = shape[1] if self.time_major else shape[0]
            return (batch, *shape[2:])

        step_shapes = map_shape_structure(step_shape, input_shape)
        if not getattr(self.cell, "built", True):
            build_sublayer(self, self.cell, step_shapes)
        self.built = True

    # -- states ------------------------------------------------------------------------------
    def _tork_zero_states(self, batch: int, like: torch.Tensor, stateful: bool = False) -> list:
        cell = self.cell
        if not getattr(cell, "_tork_builtin", False) and hasattr(cell, "get_initial_state"):
            params = inspect.signature(cell.get_initial_state).parameters
            kwargs = {}
            if "batch_size" in params:
                kwargs["batch_size"] = batch
            if "dtype" in params:
                # Keras 2 makes a stateful layer's states with the layer's dtype name (a
                # string, which `np.ones(..., dtype=dtype)` in a cell accepts), else with
                # the inputs' dtype.
                kwargs["dtype"] = self.dtype if stateful else like.dtype
            if "inputs" in params and "batch_size" not in params:
                kwargs["inputs"] = like
            states = cell.get_initial_state(**kwargs)
            if states is not None:
                states = nest.flatten(states)
                return [torch.as_tensor(s, dtype=like.dtype, device=like.device) for s in states]
        return [
            torch.zeros((batch, *shape), dtype=like.dtype, device=like.device)
            for shape in self._tork_state_shapes()
        ]

    def _tork_initial_states(self, initial_state, batch: int, x: torch.Tensor, symbolic: bool):
        if initial_state is not None and self._stateful and not symbolic:
            # Keras 2: a stateful layer given initial_state starts from it only while its
            # kept states are all zeros (first call, after reset_states()); later calls carry
            # the kept states on, so a batch continues the previous one.
            kept = self._tork_states
            if kept is not None and any(bool(s.any()) for s in kept):
                initial_state = None
        if initial_state is not None:
            # A single array is one state, not a list of rows: list() would split a NumPy
            # (batch, units) array into `batch` states.
            single = isinstance(initial_state, (torch.Tensor, np.ndarray))
            # Stacked cells take their states grouped per cell ([[h1, c1], [h2, c2]], as
            # Keras 2 returns them); a flat list is accepted too.
            states = [initial_state] if single else nest.flatten(initial_state)
            shapes = self._tork_state_shapes()
            if len(states) != len(shapes):
                raise ValueError(
                    f"{where(self)}: initial_state has {len(states)} tensor(s), but the layer has "
                    f"{len(shapes)} state(s) of shapes {[(batch, *s) for s in shapes]}. "
                    + (
                        "Pass initial_state=[h, c] (hidden state, then carry) for an LSTM."
                        if len(shapes) == 2
                        else "Pass one tensor per state."
                    )
                )
            result = []
            for i, (state, shape) in enumerate(zip(states, shapes)):
                state = torch.as_tensor(state, device=x.device)
                if state.dtype != x.dtype:
                    state = state.to(x.dtype)
                # A symbolic call may pass concrete states (variables, constants) of the
                # batch that data will have (Keras 2 accepts them): their batch is not checked.
                batch_ok = symbolic or state.shape[:1] == (batch,)
                if tuple(state.shape[1:]) != tuple(shape) or state.ndim == 0 or not batch_ok:
                    raise ValueError(
                        f"{where(self)}: initial_state[{i}] has shape {tuple(state.shape)}, but "
                        f"this state must have shape {(batch, *shape)} (batch, state size)."
                    )
                result.append(state)
            return result
        if self._stateful and not symbolic:
            states = self._tork_states
            if states is None:
                states = self._tork_zero_states(batch, x, stateful=True)
            elif states[0].shape[0] != batch:
                raise ValueError(
                    f"{where(self)} is stateful with states for batch size "
                    f"{states[0].shape[0]}, but received a batch of {batch}. A stateful RNN "
                    "needs the same batch size in every call: batch the data so every batch "
                    "is full (e.g. drop_remainder=True), or call reset_states() before changing "
                    "the batch size."
                )
            elif states[0].device != x.device or states[0].dtype != x.dtype:
                states = [s.to(device=x.device, dtype=x.dtype) for s in states]
            return states
        return self._tork_zero_states(batch, x, stateful=self._stateful)

    def get_initial_state(self, inputs) -> list:
        """Returns the zero initial states for a batch.

        Args:
            inputs: the input sequence (Keras 2), or the batch size (Keras 3).

        Returns:
            A list of zero tensors, one per state, each `(batch, *state_shape)`; with
            stacked cells grouped per cell (`[[h1, c1], h2]`), as Keras 2.
        """
        if isinstance(inputs, torch.Tensor):
            batch = inputs.shape[1] if self.time_major else inputs.shape[0]
            like = inputs if inputs.is_floating_point() else inputs.to(self._tork_compute_dtype)
        else:
            batch = int(inputs)
            like = torch.zeros((), dtype=self._tork_compute_dtype, device=current_device())
        return self._tork_grouped_states(self._tork_zero_states(batch, like))

    def reset_states(self, states=None) -> None:
        """Resets the states of a stateful layer to zeros, or to the given values.

        Args:
            states: optional list of arrays, one per state, each `(batch, state_size)`
                (grouped per cell for stacked cells, or flat).
        """
        if not self._stateful:
            raise AttributeError(
                f"{where(self)}: reset_states() only applies to a stateful RNN "
                "(create the layer with stateful=True)."
            )
        if states is None:
            if self._tork_states is not None:
                self.__dict__["_tork_states"] = [torch.zeros_like(s) for s in self._tork_states]
            else:
                self.states  # noqa: B018 - materializes zero states when the batch is known
            return
        # Stacked cells' states may come grouped per cell, as `states` returns them.
        states = nest.flatten(states)
        shapes = self._tork_state_shapes()
        if len(states) != len(shapes):
            raise ValueError(
                f"{where(self)}.reset_states: expected {len(shapes)} state array(s), got "
                f"{len(states)}."
            )
        batch = self._tork_known_batch()
        if batch is None and self._tork_states is not None:
            batch = self._tork_states[0].shape[0]
        for index, (value, shape) in enumerate(zip(states, shapes)):
            got = tuple(np.shape(value))
            if got[1:] != tuple(shape) or (batch is not None and got[0] != batch):
                expected = (batch, *shape)
                raise ValueError(
                    f"State {index} is incompatible with layer {self.name}: expected "
                    f"shape={expected} but got shape={got}. reset_states takes one array per "
                    "state, each (batch, *state_size)."
                )
        dtype = self._tork_compute_dtype
        self.__dict__["_tork_states"] = [
            torch.as_tensor(s, dtype=dtype, device=current_device()).detach().clone()
            if not isinstance(s, torch.Tensor)
            else s.detach().to(dtype).clone()
            for s in states
        ]

    reset_state = reset_states

    # -- calling ----------------------------------------------------------------------------------
    def call(self, inputs, initial_state=None, mask=None, training=None, constants=None):
        inputs, constants = self._tork_split_constants(inputs, initial_state, constants)
        if _is_nested_inputs(inputs):
            return self._tork_call_nested(inputs, initial_state, mask, training, constants)
        if isinstance(inputs, (list, tuple)):
            if initial_state is None and len(inputs) > 1:
                initial_state = list(inputs[1:])
            inputs = inputs[0]
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        if isinstance(inputs, RaggedTensor):
            if mask is None:
                mask = getattr(inputs, "_keras_mask", None)
            if mask is not None:
                raise ValueError(
                    f"{where(self)}: the mask that was passed in cannot be applied to "
                    "RaggedTensor inputs. Please make sure that there is no mask injected by "
                    "upstream layers: a ragged sequence needs none (each row runs for its own "
                    "length), so drop `mask_zero=True` from the Embedding (or the mask "
                    "argument)."
                )
            return self._tork_call_ragged(inputs, initial_state, training)
        x = inputs
        if not self._tork_rank_ok(x.ndim):
            raise _rank_error(self, x.shape, x.dtype)
        if not x.is_floating_point():
            x = x.to(self._tork_compute_dtype)
        if self.time_major:
            x = x.transpose(0, 1)
            if mask is not None:
                mask = mask.transpose(0, 1)
        batch, steps, features = x.shape[0], x.shape[1], x.shape[-1]
        if self._tork_features is not None and features != self._tork_features:
            raise ValueError(
                f"{where(self)} was built for inputs with {self._tork_features} features (the "
                f"last axis), but received input of shape {tuple(inputs.shape)}. A layer keeps "
                f"the feature size of its first call: pass inputs with {self._tork_features} "
                "features, or create a new layer for the new size."
            )
        if steps == 0:
            raise ValueError(
                f"{where(self)} received a sequence with 0 timesteps (input shape "
                f"{tuple(inputs.shape)}); it needs at least one step."
            )
        symbolic = CONTEXT.symbolic > 0
        states = self._tork_initial_states(initial_state, batch, x, symbolic)
        if mask is not None:
            if symbolic:
                mask = None  # masks change values, never shapes; fake tensors can't be inspected
            else:
                mask = torch.as_tensor(mask, device=x.device)
                if tuple(mask.shape) != (batch, steps):
                    raise ValueError(
                        f"{where(self)}: the mask has shape {tuple(mask.shape)}, but the input "
                        f"{tuple(inputs.shape)} needs a mask of shape "
                        f"{(steps, batch) if self.time_major else (batch, steps)}."
                    )
                mask = mask.to(torch.bool)

        cell = self.cell
        fused = (
            self._tork_use_fused
            and constants is None
            and getattr(cell, "_tork_builtin", False)
            and cell._tork_can_fuse()
            # torch's RNN kernels have no forward-mode derivative (jvp, forward-over-backward).
            and not autodiff._accumulating()
        )
        lengths = None
        if fused and mask is not None:
            # Traced into one graph (tf.function(jit_compile=True)) the mask's values cannot
            # be read: the step loop applies it instead of packed lengths.
            lengths = _right_padded_lengths(mask) if values_readable(mask) else None
            if lengths is None:
                fused = False
            elif isinstance(lengths, str):
                lengths, mask = None, None
        if fused:
            sequence, last, new_states = self._tork_run_fused(x, states, lengths, training)
        else:
            sequence, last, new_states = self._tork_run_loop(x, states, mask, training, constants)

        if self._stateful and not symbolic:
            self.__dict__["_tork_states"] = [s.detach() for s in new_states]
        if self.return_sequences:
            output = sequence.transpose(0, 1) if self.time_major else sequence
        else:
            output = last
        if self.return_state:
            return [output, *self._tork_grouped_states(new_states)]
        return output

    def _tork_call_ragged(self, inputs, initial_state, training):
        """RaggedTensor inputs (batch, None, features), as Keras 2: each sequence runs for its
        own length (padded, with a mask), and a returned sequence is ragged again."""
        if self.time_major:
            raise ValueError(f"{where(self)}: RaggedTensor inputs need time_major=False.")
        lengths = inputs.row_lengths()
        dense = inputs.to_tensor()
        steps = dense.shape[1] if dense.ndim > 1 else 0
        mask = torch.arange(steps)[None, :] < lengths[:, None]
        outputs = self.call(dense, initial_state, mask.to(dense.device), training)
        if not self.return_sequences:
            return outputs
        first = outputs[0] if self.return_state else outputs
        if self.go_backwards:
            # The padding ran first (masked), so a row's outputs are the last `length` steps.
            flipped = RaggedTensor.from_tensor(torch.flip(first, [1]), lengths=lengths)
            sequence = ragged_tensor.reverse(flipped, [1])
        else:
            sequence = RaggedTensor.from_tensor(first, lengths=lengths)
        return [sequence, *outputs[1:]] if self.return_state else sequence

    def _tork_grouped_states(self, states) -> list:
        """The returned states: flat, or grouped per cell for StackedRNNCells (Keras 2)."""
        if isinstance(self.cell, StackedRNNCells):
            return self.cell._tork_group_states(states)
        return list(states)

    # Outside torch.compile's graphs, as torch.compile treats nn.LSTM: inlined, the fused
    # kernel would be decomposed into one cell per time step (minutes of compilation for a
    # slower step).
    @outside_compiled_graphs
    def _tork_run_fused(self, x, states, lengths, training):
        """Runs a built-in cell on torch's fused kernel. Returns (sequence, last, states)."""
        cell = self.cell
        x = cell._tork_dropout_inputs(x, training)
        if lengths is None:
            if self.go_backwards:
                x = x.flip(1)
            sequence, new_states = cell._tork_fused_call(x, states, None)
            # For these cells the output is the first state (h).
            return sequence, new_states[0], new_states

        steps = x.shape[1]
        device = x.device
        lens = lengths.to(device)[:, None]
        t = torch.arange(steps, device=device)[None, :]
        if self.go_backwards:
            # Keras walks the reversed sequence: the padding comes first (masked, skipped),
            # then the valid steps from last to first. Reverse each valid prefix instead.
            index = torch.where(t < lens, lens - 1 - t, t)
            x = torch.take_along_dim(x, index[..., None], dim=1)
        packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        sorted_states = [s.index_select(0, packed.sorted_indices) for s in states]
        data, new_states = cell._tork_fused_call(packed.data, sorted_states, packed.batch_sizes)
        new_states = [s.index_select(0, packed.unsorted_indices) for s in new_states]
        last = new_states[0]
        sequence = None
        if self.return_sequences:
            padded, _ = pad_packed_sequence(
                PackedSequence(
                    data, packed.batch_sizes, packed.sorted_indices, packed.unsorted_indices
                ),
                batch_first=True,
                total_length=steps,
            )
            if self.go_backwards:
                # Output step s of the reversed walk is valid step s - (T - length).
                source = t - (steps - lens)
                sequence = torch.take_along_dim(padded, source.clamp(min=0)[..., None], dim=1)
                sequence = torch.where((source >= 0)[..., None], sequence, 0.0)
            elif self.zero_output_for_mask:
                sequence = padded
            else:
                # Masked trailing steps repeat the last valid output.
                source = torch.minimum(t, lens - 1)
                sequence = torch.take_along_dim(padded, source[..., None], dim=1)
        if self.zero_output_for_mask and not self.go_backwards:
            last = torch.where(lens == steps, last, 0.0)
        return sequence, last, new_states

    def _tork_split_constants(self, inputs, initial_state, constants):
        """Separates Keras 2's external constants from the inputs.

        `constants` come as the call argument, or (a model loaded from its config, a
        layer whose config has `num_constants`) as the last entries of a list input
        `[x, *initial_states, *constants]`. Returns `(inputs, constants or None)`.
        """
        if constants is None and self._num_constants and isinstance(inputs, list):
            if initial_state is None and len(inputs) > self._num_constants:
                constants = inputs[-self._num_constants :]
                inputs = inputs[: -self._num_constants]
                if len(inputs) == 1:
                    inputs = inputs[0]
        if constants is None:
            return inputs, None
        constants = list(constants) if isinstance(constants, (list, tuple)) else [constants]
        if not _takes_constants(self.cell) and not (
            isinstance(self.cell, StackedRNNCells)
            and any(_takes_constants(c) for c in self.cell.cells)
        ):
            raise ValueError(
                f"{where(self)}: the RNN cell {type(self.cell).__name__} does not support "
                f"constants (its call has no `constants` argument), but received "
                f"{len(constants)} constant(s). Write the cell's call as "
                "call(self, inputs, states, constants) to use them."
            )
        constants = [
            c if isinstance(c, torch.Tensor) else torch.as_tensor(np.asarray(c)) for c in constants
        ]
        constants = [
            c.to(self._tork_compute_dtype)
            if c.is_floating_point() and c.dtype != self._tork_compute_dtype
            else c
            for c in constants
        ]
        self._num_constants = len(constants)
        return inputs, constants

    def _tork_call_nested(self, inputs, initial_state, mask, training, constants=None):
        """Runs a cell over a tuple (or dict) of sequences, step by step.

        Each step hands the cell the same structure of per-step slices; its output may be
        nested too (`output_size` a list of shapes). Returned sequences and last outputs
        keep the cell's output structure.
        """
        leaves = nest.flatten(inputs)
        self._tork_check_nested_cell(len(leaves))
        for leaf in leaves:
            if not isinstance(leaf, torch.Tensor) or leaf.ndim < 3:
                shapes = [tuple(getattr(v, "shape", ())) for v in leaves]
                raise ValueError(
                    f"{where(self)} received nested inputs of shapes {shapes}: each must be a "
                    "sequence of shape (batch, timesteps, ...)."
                )
        leaves = [v if v.is_floating_point() else v.to(self._tork_compute_dtype) for v in leaves]
        if self.time_major:
            leaves = [v.transpose(0, 1) for v in leaves]
        batch, steps = leaves[0].shape[:2]
        if any(tuple(v.shape[:2]) != (batch, steps) for v in leaves):
            raise ValueError(
                f"{where(self)} received nested sequences with different batch sizes or "
                f"numbers of timesteps: {[tuple(v.shape) for v in leaves]}. All must share "
                "(batch, timesteps)."
            )
        if steps == 0:
            raise ValueError(f"{where(self)} received sequences with 0 timesteps.")
        symbolic = CONTEXT.symbolic > 0
        states = self._tork_initial_states(initial_state, batch, leaves[0], symbolic)
        if isinstance(mask, (list, tuple)):
            mask = next((m for m in mask if m is not None), None)
        if mask is not None and symbolic:
            mask = None
        if mask is not None:
            mask = torch.as_tensor(mask, device=leaves[0].device).to(torch.bool)
            if self.time_major:
                mask = mask.transpose(0, 1)
            if tuple(mask.shape) != (batch, steps):
                raise ValueError(
                    f"{where(self)}: the mask has shape {tuple(mask.shape)}, but the inputs need "
                    f"a mask of shape {(batch, steps)}."
                )
        if self.go_backwards:
            leaves = [v.flip(1) for v in leaves]
            mask = None if mask is None else mask.flip(1)
        cell = self.cell
        extra = {} if training is None else {"training": training}
        if constants is not None:
            extra["constants"] = constants
        out_structure = None
        previous = None
        sequences = []
        for t in range(steps):
            step_inputs = nest.pack_sequence_as(inputs, [v[:, t] for v in leaves])
            result = _call_cell(cell, step_inputs, states, extra)
            if not (isinstance(result, (list, tuple)) and len(result) == 2):
                raise ValueError(
                    f"{where(self)}: the cell {type(cell).__name__}.call(inputs, states) must "
                    f"return a pair (output, new_states), but it returned {type(result).__name__}."
                )
            output, new_states = result
            new_states = nest.flatten(new_states)
            out_structure = output
            outs = nest.flatten(output)
            if mask is not None:
                keep = mask[:, t]
                if previous is None or self.zero_output_for_mask:
                    previous = [torch.zeros_like(o) for o in outs]
                outs = [torch.where(_expand(keep, o), o, p) for o, p in zip(outs, previous)]
                new_states = [
                    torch.where(_expand(keep, n), n, o) for n, o in zip(new_states, states)
                ]
            states = new_states
            previous = outs
            if self.return_sequences:
                sequences.append(outs)
        if self._stateful and not symbolic:
            self.__dict__["_tork_states"] = [s.detach() for s in states]
        if self.return_sequences:
            stacked = [torch.stack(per_leaf, 1) for per_leaf in zip(*sequences)]
            if self.time_major:
                stacked = [v.transpose(0, 1) for v in stacked]
            output = nest.pack_sequence_as(out_structure, stacked)
        else:
            output = nest.pack_sequence_as(out_structure, previous)
        if self.return_state:
            return [output, *self._tork_grouped_states(states)]
        return output

    def _tork_run_loop(self, x, states, mask, training, constants=None):
        """Runs the cell step by step. Returns (sequence or None, last output, states)."""
        cell = self.cell
        builtin = getattr(cell, "_tork_builtin", False)
        caches = []
        if builtin:
            x = cell._tork_dropout_inputs(x, training)
            weights = cell._tork_step_weights(x.dtype)
            sequence_in = cell._tork_project(x, weights)
            rec_mask = cell._tork_recurrent_mask(states[0], training)

            def step(inputs, step_states):
                return cell._tork_step(inputs, step_states, rec_mask, weights)

        else:
            sequence_in = x
            # `training` only when known: the base class resolves None from the outer call.
            extra = {} if training is None else {"training": training}
            if constants is not None:
                extra["constants"] = constants
            # Built-in cells inside a custom/stacked cell reuse one dropout mask per sequence.
            for layer in cell._flatten_layers() if isinstance(cell, Layer) else ():
                if "_tork_mask_cache" in layer.__dict__:
                    layer.__dict__["_tork_mask_cache"] = {}
                    caches.append(layer)

            def step(inputs, step_states):
                result = _call_cell(cell, inputs, step_states, extra)
                if not (isinstance(result, (list, tuple)) and len(result) == 2):
                    raise ValueError(
                        f"{where(self)}: the cell {type(cell).__name__}.call(inputs, states) "
                        "must return a pair (output, new_states), but it returned "
                        f"{type(result).__name__}."
                    )
                output, new = result
                # Cells may return their states nested (StackedRNNCells groups them per cell).
                return output, nest.flatten(new)

        try:
            if self.go_backwards:
                sequence_in = sequence_in.flip(1)
                if mask is not None:
                    mask = mask.flip(1)
            step_inputs = sequence_in.unbind(1)
            step_masks = mask.unbind(1) if mask is not None else None
            outputs = []
            previous = None
            for t, inputs_t in enumerate(step_inputs):
                output, new_states = step(inputs_t, states)
                if step_masks is not None:
                    keep = step_masks[t]
                    if previous is None or self.zero_output_for_mask:
                        fill = torch.zeros((), dtype=output.dtype, device=output.device)
                    else:
                        fill = previous
                    output = torch.where(_expand(keep, output), output, fill)
                    new_states = [
                        torch.where(_expand(keep, new), new, old)
                        for new, old in zip(new_states, states)
                    ]
                states = new_states
                previous = output
                if self.return_sequences:
                    outputs.append(output)
        finally:
            for layer in caches:
                layer._tork_mask_cache = None
        sequence = torch.stack(outputs, 1) if self.return_sequences else None
        return sequence, previous, states

    # -- masks, shapes, config ----------------------------------------------------------------------
    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask] + [None] * len(self._tork_state_shapes())
        return output_mask

    def compute_output_shape(self, input_shape):
        if _is_nested_inputs(input_shape) and _is_nested_shapes(input_shape):
            return self._tork_nested_output_shape(input_shape)
        shape = input_shape[0] if _is_shape_list(input_shape) else input_shape
        shape = tuple(shape)
        if not self._tork_rank_ok(len(shape)):
            raise _rank_error(self, shape)
        batch, steps = (shape[1], shape[0]) if self.time_major else (shape[0], shape[1])
        units = _cell_output_shape(self.cell)
        if self.return_sequences:
            output = (steps, batch, *units) if self.time_major else (batch, steps, *units)
        else:
            output = (batch, *units)
        if self.return_state:
            return [output] + [(batch, *s) for s in self._tork_state_shapes()]
        return output

    def _tork_nested_output_shape(self, input_shape):
        first = _flat_shapes(input_shape)[0]
        batch, steps = (first[1], first[0]) if self.time_major else (first[0], first[1])
        per_step = _nested_output_shapes(self.cell) or [(_cell_output_size(self.cell),)]
        if self.return_sequences:
            outputs = [
                (steps, batch, *s) if self.time_major else (batch, steps, *s) for s in per_step
            ]
        else:
            outputs = [(batch, *s) for s in per_step]
        output = tuple(outputs) if len(outputs) > 1 else outputs[0]
        if self.return_state:
            return [output] + [(batch, *s) for s in self._tork_state_shapes()]
        return output

    def _tork_rnn_config(self) -> dict:
        config = {
            "return_sequences": self.return_sequences,
            "return_state": self.return_state,
            "go_backwards": self.go_backwards,
            "stateful": self._stateful,
            "unroll": self.unroll,
        }
        if self.time_major:
            # Keras 2 only: Keras 3 rejects the key, so it is written only when it matters.
            config["time_major"] = True
        if self.zero_output_for_mask:
            config["zero_output_for_mask"] = True
        if self._num_constants:
            config["num_constants"] = self._num_constants
        return config

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(self._tork_rnn_config())
        config["cell"] = serialize_layer(self.cell)
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None):
        config = dict(config)
        if "cell" in config:
            cell = config.pop("cell")
            if isinstance(cell, list):
                cell = [deserialize_layer(c, custom_objects) for c in cell]
            else:
                cell = deserialize_layer(cell, custom_objects)
            return cls(cell, **config)
        return cls(**config)

    def _tork_clone(self, name: str, go_backwards: bool) -> RNN:
        """A fresh, unbuilt copy with a new name and direction (for Bidirectional)."""
        config = self.get_config()
        config["name"] = name
        config["go_backwards"] = go_backwards
        config.pop("cell", None)
        if "cell" in inspect.signature(type(self).__init__).parameters:
            return type(self)(_clone_cell(self.cell), **config)
        return type(self).from_config(config)


def _clone_cell(cell):
    if isinstance(cell, StackedRNNCells):
        # Keras 2 rebuilds the stack from its config, so both copies keep its name.
        return StackedRNNCells([_clone_cell(c) for c in cell.cells], name=cell.name)
    return type(cell).from_config(_cell_clone_config(cell))


def _cell_clone_config(cell) -> dict:
    """The config Keras 2 rebuilds a cell from when Bidirectional copies its RNN.

    A cell class without its own get_config gets Keras 2's automatic config (see
    `Layer.get_config`), which keeps `name`, `trainable` and `dtype` only when `__init__`
    names them or takes `**kwargs` under that exact name: a cell written with `**kw` loses
    its name, so the forward and backward copies get fresh ones (`minimal_cell_1`,
    `minimal_cell_2`).
    """
    return cell.get_config()


def _flat_shapes(shapes) -> list:
    """The shapes of a structure of shapes, in order (dicts by sorted key)."""
    if isinstance(shapes, dict):
        return [s for key in sorted(shapes) for s in _flat_shapes(shapes[key])]
    if _is_nested_shapes(shapes):
        return [s for item in shapes for s in _flat_shapes(item)]
    return [tuple(shapes)]


def _expand(mask: torch.Tensor, like: torch.Tensor) -> torch.Tensor:
    """A (batch,) mask viewed to broadcast against `like` (batch, ...)."""
    if like.ndim == 2:
        return mask[:, None]
    return mask.view(-1, *([1] * (like.ndim - 1)))
