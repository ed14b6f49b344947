"""Whole-function compilation of training steps for `tf.function(jit_compile=True)`.

A `GradientTape` training step (forward, `tape.gradient`, `optimizer.apply_gradients`)
becomes one compiled graph, as XLA compiles it for TensorFlow, instead of dynamo's
pieces around graph breaks.

How, and what it means for users (TensorFlow's own `tf.function` rules):

1. The first call runs eagerly (it builds the model and the optimizer's slots) and
   notes the state the function touches: every variable (`tf.Variable`, layer
   weights, optimizer slots, metric state, torch Parameters) and every other tensor it
   updates in place that outlives the call.
2. The second call with the same argument signature is traced while it runs: the
   step really happens, and `make_fx` records it, backward pass included, as a flat
   graph of aten ops whose inputs are that state, the tensors of the arguments and
   one small float64 tensor per optimizer update holding the host's per-step numbers
   (the learning rate, Adam's bias correction; a step that applies an optimizer twice
   reads two, one per iteration). Inductor compiles the graph.
3. Later calls with that signature run the compiled graph on the live state: the
   variables are updated in place, as in eager.

As in TensorFlow, Python values (numbers, strings, other objects) and tensors that
are not variables are captured when the step is traced: a new Python value
retraces; a plain tensor changed between calls is not seen. Steps that read a
tensor's value on the host while tracing (`if loss > 1`, `.numpy()`, `.item()`;
`tf.shape` values are static, so reading them is fine),
optimizers without an in-graph update rule, and anything else the graph cannot
hold run eagerly from then on, after a warning. Functions that apply no
gradients (a forward pass) are left to `torch.compile`.
"""

from __future__ import annotations

import math
import time
import warnings
import weakref
from collections.abc import Callable

import numpy as np
import torch
from torch.overrides import TorchFunctionMode

from tork._backend import cuda_graph
from tork._backend.tensor import _plain_numpy
from tork._backend.tracing import graph_capture, traceable_kernels

# A signature other than the first is compiled once it has been seen this many times.
_COMPILE_AFTER = 16
# At most this many signatures get a graph of their own.
_MAX_GRAPHS = 8

# The trace in progress (read by `Optimizer._run`), or None.
ACTIVE: _Trace | None = None

# Tensor methods that read a value on the host: their results would be baked into the graph.
_HOST_READS = frozenset(
    {
        torch.Tensor.item,
        torch.Tensor.__bool__,
        torch.Tensor.__int__,
        torch.Tensor.__float__,
        torch.Tensor.__index__,
        torch.Tensor.tolist,
        torch.Tensor.numpy,
    }
)


class _Discovery(TorchFunctionMode):
    """Notes the state tensors (variables, in-place updated tensors) a call touches."""

    def __init__(self):
        super().__init__()
        self.seen: dict = {}

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        name = getattr(func, "__name__", "")
        in_place = name.endswith("_") and not name.startswith("__")
        for position, value in enumerate(args):
            self._note(value, in_place and position == 0)
        return func(*args, **kwargs)

    def _note(self, value, written: bool) -> None:
        if isinstance(value, torch.Tensor):
            if written or isinstance(value, torch.nn.Parameter):
                ref = self.seen.get(id(value))
                # A dead temporary's id can be reused by a variable created later in the call.
                if ref is None or ref() is not value:
                    self.seen[id(value)] = weakref.ref(value)
        elif isinstance(value, (list, tuple)):
            for item in value:
                self._note(item, written)

    def state(self) -> list:
        """The noted tensors still alive (temporaries of the call are gone by now)."""
        return [t for t in (ref() for ref in self.seen.values()) if t is not None]


class _HostReads(TorchFunctionMode):
    """Records host reads of tensor values during the trace."""

    def __init__(self):
        super().__init__()
        self.reads: list = []

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        static = _all_static(args, kwargs)
        if func in _HOST_READS:
            from torch.fx.experimental.proxy_tensor import disable_proxy_modes_tracing

            # A shape's values (`tf.shape(x)`, `tf.shape(x)[0]`) are fixed for the traced
            # signature, as `x.shape` is: reading them keeps the graph, as XLA does.
            if not static:
                self.reads.append(getattr(func, "__name__", str(func)))
            # The real value, as eager Python sees it: the traced call runs on exactly as an
            # eager one would, and the graph is given up afterwards.
            with disable_proxy_modes_tracing():
                return func(*args, **kwargs)
        result = func(*args, **kwargs)
        if static:
            # Computed from shapes alone (an index, `n // 2`): a shape value too.
            for out in result if isinstance(result, (tuple, list)) else (result,):
                if isinstance(out, torch.Tensor):
                    out._tork_static_value = True
        return result


def _all_static(args, kwargs) -> bool:
    """Whether the call has tensor arguments and every one holds static shape values."""
    from torch.utils._pytree import tree_leaves

    found = False
    for leaf in tree_leaves((args, kwargs)):
        if isinstance(leaf, torch.Tensor):
            if not getattr(leaf, "_tork_static_value", False):
                return False
            found = True
    return found


class _Trace:
    """What `Optimizer._run` needs while a step is traced or discovered."""

    def __init__(self, tracing: bool, scalars: dict | None = None):
        self.tracing = tracing
        self.scalars = scalars or {}
        self.optimizers: list = []
        # How many times each optimizer applied gradients in this call (a loop of steps
        # inside the function applies more than once, each at its own iteration).
        self.runs: dict = {}
        self.failure: str | None = None

    def optimizer_ran(self, optimizer) -> torch.Tensor | None:
        """Registers `optimizer`; while tracing, returns its per-step scalars tensor.

        None tells the optimizer to run its eager update (the trace is then given up).
        """
        if optimizer not in self.optimizers:
            self.optimizers.append(optimizer)
        run = self.runs.get(optimizer, 0)
        self.runs[optimizer] = run + 1
        if not self.tracing:
            return None
        scalars = self.scalars.get(optimizer)
        if scalars is None:
            self.fail(f"optimizer '{optimizer.name}' was not used in the first call")
            return None
        if run >= len(scalars):
            self.fail(
                f"optimizer '{optimizer.name}' applied gradients more often than in the first call"
            )
            return None
        # The run-th update of this call reads the scalars of its own step.
        return scalars[run]

    def step_undone(self, optimizer) -> None:
        """The optimizer's last update is repeated at the same step (a variable listed twice)."""
        self.runs[optimizer] = max(0, self.runs.get(optimizer, 0) - 1)

    def fail(self, reason: str) -> None:
        """Marks the trace unusable; the call itself runs on as eager code would."""
        if self.failure is None:
            self.failure = reason


def _write_scalars(optimizer, out: np.ndarray, run: int = 0) -> None:
    """`(lr, alpha, decay)` of the call's `run`-th update on the host, as `Optimizer._run`."""
    step = int(optimizer._iterations) + run
    fill_scalars(optimizer, step, optimizer._learning_rate_float(step), out)


def fill_scalars(optimizer, step: int, lr: float, out: np.ndarray) -> None:
    """Writes `(lr, alpha, decay)` for `step` into `out`, as `Optimizer._run` computes them.

    `alpha` is Adam's bias-corrected step size and `decay` the weight decay factor
    `1 - weight_decay * lr`; both stay as they are for optimizers without them.
    """
    custom = getattr(optimizer, "_traced_scalars", None)
    if custom is not None:  # Muon, ScheduleFreeAdamW: their update rules' own scalars
        custom(step, lr, out)
        return
    out[0] = lr
    if hasattr(optimizer, "beta_2"):
        t = step + 1
        out[1] = (
            lr
            * math.sqrt(1.0 - float(optimizer.beta_2) ** t)
            / (1.0 - float(optimizer.beta_1) ** t)
        )
    if optimizer.weight_decay:
        out[2] = 1.0 - float(optimizer.weight_decay) * lr


def _leaves(value, out: list):
    """The structure of `value` with its tensors replaced by their index in `out`."""
    if isinstance(value, torch.Tensor):
        out.append(value)
        return _Leaf(len(out) - 1)
    if isinstance(value, (list, tuple)):
        items = [_leaves(v, out) for v in value]
        if type(value) in (list, tuple):
            return type(value)(items)
        if hasattr(value, "_fields"):
            return type(value)(*items)
        return list(items)
    if isinstance(value, dict):
        return {k: _leaves(v, out) for k, v in value.items()}
    return value


class _Leaf:
    __slots__ = ("index",)

    def __init__(self, index: int):
        self.index = index


def _rebuild(structure, leaves):
    if isinstance(structure, _Leaf):
        return leaves[structure.index]
    if isinstance(structure, (list, tuple)):
        items = [_rebuild(v, leaves) for v in structure]
        if type(structure) in (list, tuple):
            return type(structure)(items)
        return type(structure)(*items)
    if isinstance(structure, dict):
        return {k: _rebuild(v, leaves) for k, v in structure.items()}
    return structure


class _Scalars:
    """The optimizers' per-step scalars `(lr, alpha, decay)`, written on the host each step.

    With the weights on the CPU the graph reads the host buffers directly. On an accelerator
    it reads device buffers, filled before each call by an asynchronous copy from a fresh
    pinned copy of the host values, as `fit`'s CUDA-graph step does: a graph that copied host
    tensors itself would wait for the device at every step, and torch's pinned-memory cache
    reuses a block only once the copy out of it has run.
    """

    def __init__(self, optimizers: list, device: torch.device, runs: dict | None = None):
        # One buffer per update in a call: (optimizer, run) for each of its runs.
        self.slots = [
            (optimizer, run)
            for optimizer in optimizers
            for run in range(max(1, (runs or {}).get(optimizer, 1)))
        ]
        self.on_host = device.type == "cpu" or not optimizers
        self.buffers = [torch.zeros(4, dtype=torch.float64, device=device) for _ in self.slots]
        self.host = (
            self.buffers
            if self.on_host
            else [torch.zeros(4, dtype=torch.float64) for _ in self.slots]
        )
        # Views (torch's own numpy()): writing them fills the buffers the graph reads.
        self.arrays = [_plain_numpy(b) for b in self.host]

    def write(self) -> None:
        """This step's values into the buffers the graph reads."""
        for (optimizer, run), array in zip(self.slots, self.arrays):
            _write_scalars(optimizer, array, run)
        if not self.on_host:
            for buffer, host in zip(self.buffers, self.host):
                buffer.copy_(host.pin_memory(), non_blocking=True)


class _Graph:
    """A compiled step for one argument signature, with the state it runs on.

    On a GPU, when the arguments live there too, the step is also recorded as a CUDA graph
    (one launch per call instead of one per kernel): each call copies its arguments into
    the graph's own buffers, and the outputs are copied out, so that a call's results keep
    their values after the next call.
    """

    def __init__(self, compiled, state, scalars: _Scalars, out_structure, leaves: list):
        self.compiled = compiled
        self.state = state
        self.views = [t.detach() for t in state]
        self.pointers = [t.data_ptr() for t in state]
        self.scalars = scalars
        self.out_structure = out_structure
        self.replay = None
        self.cuda_graph_error: str | None = None
        if cuda_graph.ENABLED and not scalars.on_host:
            device = scalars.buffers[0].device
            if all(t.device == device for t in (*self.views, *leaves)):
                try:
                    self.leaves = [t.detach().clone() for t in leaves]
                    self.replay, self.outputs = cuda_graph.record(
                        compiled, [*self.views, *scalars.buffers, *self.leaves]
                    )
                except Exception as error:  # noqa: BLE001 - no graph: the compiled step runs
                    self.replay = None
                    self.cuda_graph_error = f"{type(error).__name__}: {error}"

    def current(self) -> bool:
        return all(t.data_ptr() == p for t, p in zip(self.state, self.pointers))

    def __call__(self, leaves: list):
        self.scalars.write()
        if self.replay is None:
            outputs = self.compiled(*self.views, *self.scalars.buffers, *leaves)
        else:
            for static, leaf in zip(self.leaves, leaves):
                static.copy_(leaf, non_blocking=True)
            self.replay.replay()
            outputs = [o.clone() if isinstance(o, torch.Tensor) else o for o in self.outputs]
        return _rebuild(self.out_structure, list(outputs))


def _scalar_device(state: list) -> torch.device:
    """Where the optimizers' scalars go: the accelerator holding the weights, if any."""
    for tensor in state:
        if tensor.device.type == "cuda":
            return tensor.device
    return torch.device("cpu")


class WholeFunction:
    """Runs `function` as discovered eager call, then traced call, then compiled graph.

    Args:
        function: the Python function of the `tf.function`.
        name: its name, for warnings.
    """

    def __init__(self, function: Callable, name: str):
        self._function = function
        self._name = name
        self._state: list | None = None
        self._optimizers: list = []
        self._runs: dict = {}
        self._graphs: dict = {}
        self._seen: dict = {}
        self._state_ids: set = set()
        self.reason: str | None = None
        self.delegate = False  # no gradients applied: torch.compile's business
        self.compile_seconds = 0.0
        # Why the last compiled step could not be recorded as a CUDA graph (on a GPU), or None.
        self.cuda_graph_error: str | None = None

    def __call__(self, key, args: tuple, kwargs: dict):
        if self._state is not None and not self._optimizers_current():
            # An optimizer got new slot variables (rebuilt, or restored from a checkpoint
            # after the first call): the graphs would update the old ones. Start afresh.
            self._graphs.clear()
            self._state = None
        graph = self._graphs.get(key)
        if graph is not None:
            if graph.current():
                leaves: list = []
                _leaves((args, kwargs), leaves)
                return graph([leaf.detach() for leaf in leaves])
            # Variables were replaced (a rebuilt optimizer, new weights): start afresh.
            self._graphs.clear()
            self._state = None
        if self._state is None:
            return self._discover(args, kwargs)
        if self._graphs:
            # Another signature (an epoch's last partial batch, say) gets a graph of its
            # own only once it has come often enough to be worth a compilation.
            if len(self._seen) > 4096:
                self._seen.clear()
            seen = self._seen[key] = self._seen.get(key, 0) + 1
            if seen < _COMPILE_AFTER or len(self._graphs) >= _MAX_GRAPHS:
                return self._function(*args, **kwargs)
        return self._trace(key, args, kwargs)

    def _optimizers_current(self) -> bool:
        """Whether every optimizer's iteration counter and slots are in the traced state."""
        known = self._state_ids
        for optimizer in self._optimizers:
            if id(optimizer._iterations) not in known:
                return False
            for slots in optimizer._slots.values():
                for slot in slots:
                    if id(slot) not in known:
                        return False
        return True

    # -- the first call ------------------------------------------------------------------
    def _discover(self, args, kwargs):
        global ACTIVE
        trace = _Trace(tracing=False)
        discovery = _Discovery()
        ACTIVE = trace
        try:
            with discovery, graph_capture():
                result = self._function(*args, **kwargs)
        finally:
            ACTIVE = None
        if not trace.optimizers:
            self.delegate = True
        elif trace.failure is not None:
            # Known from the first call (e.g. clipping of embedding tables): not traced.
            self._give_up(trace.failure)
        self._state = discovery.state()
        self._state_ids = {id(t) for t in self._state}
        self._optimizers = trace.optimizers
        self._runs = dict(trace.runs)
        return result

    # -- the traced call -------------------------------------------------------------------
    def _trace(self, key, args, kwargs):
        """Traces this call while it runs; returns its result (the step has happened)."""
        global ACTIVE
        from torch.fx.experimental.proxy_tensor import make_fx

        start = time.perf_counter()
        leaves: list = []
        structure = _leaves((args, kwargs), leaves)
        state = [t for t in self._state if all(t is not leaf for leaf in leaves)]
        scalars = _Scalars(list(self._optimizers), _scalar_device(state), self._runs)
        scalars.write()
        buffers = scalars.buffers
        per_optimizer: dict = {}
        for (optimizer, _), buffer in zip(scalars.slots, buffers):
            per_optimizer.setdefault(optimizer, []).append(buffer)
        trace = _Trace(tracing=True, scalars=per_optimizer)
        found: dict = {}
        function = self._function
        num_state = len(state) + len(buffers)

        def step(*flat):
            call_args, call_kwargs = _rebuild(structure, list(flat[num_state:]))
            result = function(*call_args, **call_kwargs)
            outputs: list = []
            found["structure"] = _leaves(result, outputs)
            # Real tracing: these are the call's real results, which this call returns.
            found["values"] = [o.detach() for o in outputs]
            return found["values"]

        host = _HostReads()
        ACTIVE = trace
        try:
            # The traced call is the step itself (real tensors): whatever is decided below,
            # its result stands, and an error in it is the user's, as in eager.
            # oneDNN's fused LSTM kernel traces into an op inductor's generated code cannot
            # run ("expected Tensor() for op: aten.mkldnn_rnn_layer"): trace without it, as
            # compile(jit_compile=True) does.
            with host, torch.enable_grad(), graph_capture(), traceable_kernels():
                gm = make_fx(step, tracing_mode="real")(*state, *buffers, *leaves)
        finally:
            ACTIVE = None
        result = _rebuild(found["structure"], found["values"])
        if trace.failure is not None:
            self._give_up(trace.failure)
            return result
        if trace.optimizers != self._optimizers:
            self._give_up("the step used other optimizers than in its first call")
            return result
        if host.reads:
            self._give_up(
                f"it reads tensor values on the host ({', '.join(sorted(set(host.reads)))}), "
                "e.g. `if loss > 1:` or `.numpy()`; use tensor ops, or `tf.print` outside"
            )
            return result
        problem = _captured_state(gm)
        if problem:
            self._give_up(problem)
            return result
        try:
            from torch._inductor.compile_fx import compile_fx

            # Detached inputs: the graph already holds the backward pass, so inductor must
            # not differentiate it again.
            example = [t.detach() for t in (*state, *buffers, *leaves)]
            # Half-precision intermediates rounded as eager (see compiled_step).
            compiled = compile_fx(gm, example, config_patches={"emulate_precision_casts": True})
        except Exception as error:  # noqa: BLE001 - a compiler failure means: run eagerly
            self._give_up(f"compilation failed with {type(error).__name__}: {error}")
            return result
        graph = _Graph(compiled, state, scalars, found["structure"], leaves)
        self._graphs[key] = graph
        self.cuda_graph_error = graph.cuda_graph_error
        self.compile_seconds += time.perf_counter() - start
        return result

    def _give_up(self, reason: str) -> None:
        self.reason = reason
        warnings.warn(
            f"tf.function(jit_compile=True): `{self._name}` cannot be compiled as one graph "
            f"({reason}); it runs eagerly from now on (same results, no speed-up).",
            RuntimeWarning,
            stacklevel=6,
        )


def _captured_state(gm) -> str | None:
    """Why the graph cannot run on fresh state (a captured variable or updated constant)."""
    for node in gm.graph.nodes:
        if node.op != "get_attr":
            continue
        value = getattr(gm, node.target, None)
        if isinstance(value, torch.nn.Parameter):
            return (
                f"it uses a variable of shape {tuple(value.shape)} that its first call did not use"
            )
        for user in node.users:
            if node in _written_args(user):
                return "it updates a tensor in place that is not a variable"
    return None


def _written_args(node) -> list:
    """The arguments an in-place op node writes to."""
    schema = getattr(node.target, "_schema", None)
    if schema is None or not schema.is_mutable:
        return []
    written = []
    for position, argument in enumerate(schema.arguments):
        if argument.alias_info is None or not argument.alias_info.is_write:
            continue
        value = node.args[position] if position < len(node.args) else node.kwargs.get(argument.name)
        written.extend(value if isinstance(value, (list, tuple)) else [value])
    return written
