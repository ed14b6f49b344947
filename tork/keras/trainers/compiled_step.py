"""Whole-step compilation for `compile(jit_compile=True)`.

One training step (forward, loss, gradients, the optimizer's update, the loss
tracker and metrics) becomes one compiled graph, as XLA does for Keras on JAX,
so that a small step costs one dispatch instead of hundreds.

How: the step is traced once with `make_fx` on fake tensors into a flat graph of
aten ops. During the trace, the model's weights, the optimizer's slots and the
metrics' state are swapped for placeholders (plain tensors), so the graph takes
them as inputs and updates them in place; the gradients come from tracing
`torch.autograd.grad`, so the backward pass is in the graph too. The graph is
then compiled by inductor. At run time the inputs are `detach()` views sharing
storage with the tork Variables, so the updates land in the model, the
optimizer and the metrics: switching back to eager steps, saving, or reading
`optimizer.iterations` stays consistent.

Tracing runs the Python of `Layer.__call__`, the losses and the metrics once;
nothing of it is guarded or re-run per step. Everything that changes per step
on the host (the learning rate, Adam's bias correction) enters as one small
float64 tensor, never as a Python float, so steps never recompile. Batches of
another shape (the last partial batch of an epoch) run the eager step until a
shape has been seen often enough to be worth a compile of its own.
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Callable
from typing import Any

import torch

from tork import tape as _tape
from tork._backend import cuda_graph
from tork._backend.tensor import _plain_numpy
from tork._backend.tracing import traceable_kernels
from tork._whole_function import _written_args, fill_scalars
from tork.keras._variable_slots import Swap, model_slots
from tork.keras.optimizers import _lookup_clip
from tork.keras.trainers.data_adapters import unpack_x_y_sample_weight

# A batch signature is compiled once it has been seen this many times (the first signature
# is compiled at once); rarer ones, such as an epoch's last partial batch, run eagerly.
_COMPILE_AFTER = 16
# At most this many batch signatures get a compiled graph of their own.
_MAX_GRAPHS = 8
_INDUCTOR_OPTIONS = {
    # The batch signature and the state's layout pin every input's shape and strides: the
    # generated code's per-call checks of them are redundant.
    "size_asserts": False,
    # Split loops across threads only from ATen's grain size (32768 elements) on: an OpenMP
    # region costs more than a small model's whole elementwise kernel, and far more when the
    # cores are shared.
    "cpp.min_chunk_size": 32768,
    # Round float16/bfloat16 intermediates as eager torch does: fused kernels otherwise
    # keep them in float32, so a mixed_float16 step whose scaled gradients overflow in
    # eager mode (and in TensorFlow) stays finite and is applied instead of skipped.
    "emulate_precision_casts": True,
}
# Steps of fewer floating-point operations than this run their graph on one thread (about
# 0.25 ms of one core's work): splitting such small matrix products across threads costs more
# in synchronisation than it saves, and far more when the cores are shared.
_SERIAL_FLOPS = 16_000_000
# "inductor" compiles the traced graph; "aten" runs it as traced (op by op), which tests use
# to check the trace quickly.
_COMPILER = "inductor"


class _Unsupported(Exception):
    """Raised while tracing when the step cannot become one graph; the eager step runs."""


_NO_GRADIENT = "some trainable weights get no gradient from the loss"


# -- the optimizers' updates, as traced ops --------------------------------------------------


def _optimizer_rule(optimizer):
    """The in-graph update rule of `optimizer`, or None when it has none."""
    from tork.keras.optimizers.adam import Adam
    from tork.keras.optimizers.adamw import AdamW
    from tork.keras.optimizers.muon import Muon
    from tork.keras.optimizers.optimizer import Optimizer
    from tork.keras.optimizers.rmsprop import RMSprop
    from tork.keras.optimizers.schedule_free_adamw import ScheduleFreeAdamW
    from tork.keras.optimizers.sgd import SGD

    rules = {
        Adam: _adam,
        AdamW: _adam,
        SGD: _sgd,
        RMSprop: _rmsprop,
        Muon: _muon,
        ScheduleFreeAdamW: _schedule_free_adamw,
    }
    rule = rules.get(type(optimizer))
    if rule is None:
        return None
    if type(optimizer).update_step is not Optimizer.update_step:
        return None
    if getattr(optimizer, "adaptive_epsilon", False):
        # Its epsilon changes with the step number, which the traced update does not see.
        return None
    return rule


def _adam(optimizer, params, grads, slots, lr, alpha):
    del lr
    beta_1, beta_2 = float(optimizer.beta_1), float(optimizer.beta_2)
    epsilon = float(optimizer.epsilon)
    moments, velocities = slots["momentum"], slots["velocity"]
    maxima = slots.get("velocity_hat") if optimizer.amsgrad else None
    for i, (p, g) in enumerate(zip(params, grads)):
        m, v = moments[i], velocities[i]
        m.lerp_(g, 1.0 - beta_1)
        v.mul_(beta_2)
        v.addcmul_(g, g, value=1.0 - beta_2)
        if maxima is not None:
            maxima[i].copy_(torch.maximum(maxima[i], v))
            v = maxima[i]
        p.add_(-alpha * (m / (v.sqrt() + epsilon)))


def _sgd(optimizer, params, grads, slots, lr, alpha):
    del alpha
    momentum = float(optimizer.momentum)
    if momentum == 0:
        for p, g in zip(params, grads):
            p.add_(-lr * g)
        return
    for p, g, m in zip(params, grads, slots["momentum"]):
        m.mul_(momentum)
        m.add_(-lr * g)
        if optimizer.nesterov:
            p.add_(m * momentum)
            p.add_(-lr * g)
        else:
            p.add_(m)


def _rmsprop(optimizer, params, grads, slots, lr, alpha):
    del alpha
    rho, epsilon = float(optimizer.rho), float(optimizer.epsilon)
    momentum = float(optimizer.momentum)
    for i, (p, g) in enumerate(zip(params, grads)):
        v = slots["velocity"][i]
        v.mul_(rho)
        v.addcmul_(g, g, value=1.0 - rho)
        if optimizer.centered:
            a = slots["average_gradient"][i]
            a.lerp_(g, 1.0 - rho)
            denominator = v.addcmul(a, a, value=-1.0).add_(epsilon)
        else:
            denominator = v + epsilon
        increment = g / denominator.sqrt_()
        if momentum > 0:
            moment = slots["momentum"][i]
            moment.mul_(momentum)
            moment.add_(lr * increment)
            p.sub_(moment)
        else:
            p.add_(-lr * increment)


def _muon(optimizer, params, grads, slots, scalars, decayed):
    """Muon's update, as `Muon._update_group`; `scalars` holds its `_traced_scalars`.

    Variables with a "velocity" slot take the AdamW step, the others the orthogonalised
    momentum step; each kind decays by its own weight decay.
    """
    from tork.keras.optimizers.muon import _newton_schulz

    lr, alpha, muon_decay, adam_decay = scalars.unbind()
    velocities = slots.get("velocity")
    if velocities is None:  # tf.function's trace: the variables themselves
        velocities = [optimizer._velocities[optimizer._index[id(p)]] for p in params]
    beta_1, beta_2 = float(optimizer.adam_beta_1), float(optimizer.adam_beta_2)
    epsilon, momentum = float(optimizer.epsilon), float(optimizer.momentum)
    a, b, c = float(optimizer.muon_a), float(optimizer.muon_b), float(optimizer.muon_c)
    steps = int(optimizer.ns_steps)
    for p, g, m, v in zip(params, grads, slots["momentum"], velocities):
        is_decayed = any(p is d for d in decayed)
        if v is not None:
            if is_decayed and optimizer.adam_weight_decay:
                p.mul_(adam_decay)
            m.lerp_(g, 1.0 - beta_1)
            v.mul_(beta_2)
            v.addcmul_(g, g, value=1.0 - beta_2)
            p.add_(-alpha * (m / (v.sqrt() + epsilon)))
            continue
        if is_decayed and optimizer.weight_decay:
            p.mul_(muon_decay)
        m.mul_(momentum).add_(g)
        update = g + momentum * m if optimizer.nesterov else m
        orthogonal = _newton_schulz(update, a, b, c, steps)
        scale = 1.0
        if optimizer.rms_rate is not None:
            scale = float(optimizer.rms_rate) * math.sqrt(max(p.shape))
        p.add_(orthogonal.to(p.dtype) * (-lr * scale))


_muon.takes_scalars = True


def _schedule_free_adamw(optimizer, params, grads, slots, scalars, decayed):
    """ScheduleFreeAdamW's update, as its `_update_group`; `scalars` holds its
    `_traced_scalars`: the warmed-up learning rate, `sqrt(1 - beta_2**t)`, the weight decay
    factor and `1/t`."""
    step_lr, bias, decay, inverse_t = scalars.unbind()
    if optimizer.weight_decay:
        for p in decayed:
            p.mul_(decay)
    beta_2, epsilon = float(optimizer.beta_2), float(optimizer.epsilon)
    for p, g, z, v in zip(params, grads, slots["momentum"], slots["velocity"]):
        v.mul_(beta_2)
        v.addcmul_(g, g, value=1.0 - beta_2)
        z.add_(-step_lr * (g / (v.sqrt() / bias + epsilon)))
        # The variable is the running (uniform) average of the z iterates.
        p.lerp_(z, inverse_t)


_schedule_free_adamw.takes_scalars = True


def _write_scalars(optimizer, state) -> None:
    """Writes this step's `(lr, alpha, decay)` into `state.scalars_numpy`, as eager computes them.

    Python floats on the host, as `Optimizer._run` computes them: `alpha` is Adam's
    bias-corrected step size and `decay` the weight decay factor `1 - weight_decay * lr`.
    They enter the graph as a float64 tensor; computed in the graph instead, inductor
    would inline the scalar math into every element's loop.
    """
    step = state.iterations_view.item()
    if optimizer._learning_rate is state.lr_variable:
        lr = state.lr_view.item()
    else:
        lr = optimizer._learning_rate_float(step)
    fill_scalars(optimizer, step, lr, state.scalars_numpy)


def _clip(optimizer, grads: list) -> list:
    """Keras's gradient clipping, as `Optimizer._clip` computes it."""
    if optimizer.clipnorm and optimizer.clipnorm > 0:
        clip = float(optimizer.clipnorm)
        return [
            g * (torch.linalg.vector_norm(g).clamp_min(clip).reciprocal() * clip) for g in grads
        ]
    if optimizer.global_clipnorm and optimizer.global_clipnorm > 0:
        clip = float(optimizer.global_clipnorm)
        norms = torch.stack([torch.linalg.vector_norm(g) for g in grads]).float()
        norm = norms.square().sum().sqrt()
        scale = clip * torch.clamp_max(norm.reciprocal(), 1.0 / clip) + (norm - norm)
        return [g * scale.to(g.dtype) for g in grads]
    if optimizer.clipvalue and optimizer.clipvalue > 0:
        clip = float(optimizer.clipvalue)
        return [g.clamp(-clip, clip) for g in grads]
    return grads


def _metric_objects(model) -> list:
    """Every metric whose state the step touches, nested metrics included."""
    from tork.keras.metrics.metric import Metric

    result, seen = [], set()

    def visit(metric):
        if id(metric) in seen:
            return
        seen.add(id(metric))
        result.append(metric)
        for value in metric.__dict__.values():
            if isinstance(value, Metric):
                visit(value)

    for metric in model.metrics:
        visit(metric)
    # The compiled losses' trackers and metrics update even when `model.metrics` does not
    # list them (a Keras 3 `compute_loss` override logs its own total as `loss`; a Keras 3
    # `train_step` lists the compiled metrics as one `compile_metrics` entry).
    for container in (model.compiled_loss, model.compiled_metrics):
        if container is not None:
            for metric in container.metrics:
                visit(metric)
    return result


# -- the compiled step -------------------------------------------------------------------------


class _State:
    """The tensors a compiled graph reads and updates, in graph-input order.

    Order: trainable variables, the model's other variables and buffers, the
    optimizer's slots (slot name by slot name), the metrics' state, then (when it
    sits on the weights' device) `optimizer.iterations`. Also the host-side
    per-step scalars and what the per-step checks compare against.
    """

    def __init__(self, model, optimizer):
        trainable = list(model._tork_trainable())
        # Clipping of an embedding table reads its per-lookup gradient rows (Keras 2),
        # kept by eager backward passes only: that step stays eager.
        reason = _lookup_clip.untraceable(optimizer, trainable)
        if reason is not None:
            raise _Unsupported(reason)
        self.trainable_list = model.__dict__.get("_tork_trainable_cache")
        by_id: dict = {}
        tensors: list = []

        def index_of(tensor) -> int:
            index = by_id.get(id(tensor))
            if index is None:
                index = by_id[id(tensor)] = len(tensors)
                tensors.append(tensor)
            return index

        for variable in trainable:
            index_of(variable)
        self.num_trainable = len(trainable)
        self.registrations = []  # (container, key, index, raw)
        for container, key, tensor, raw in model_slots(model):
            self.registrations.append((container, key, index_of(tensor), raw))
        self.regularized = []  # (list, position, regularizer, index)
        for layer in model._flatten_layers(include_self=True):
            for position, (variable, regularizer) in enumerate(layer._tork_regularizers):
                if id(variable) not in by_id:
                    raise _Unsupported(
                        f"a regularized variable of layer '{layer.name}' is not one of the "
                        "model's weights"
                    )
                entry = (layer._tork_regularizers, position, regularizer, by_id[id(variable)])
                self.regularized.append(entry)
        self.slot_names = list(optimizer._slots)
        self.slot_offset = len(tensors)
        for name in self.slot_names:
            slots = optimizer._slots[name]
            for variable in trainable:
                tensors.append(slots[optimizer._index[id(variable)]])
        # Slots only some variables have (Muon's AdamW "velocity"): graph indices, or None.
        self.partial_slots = {}
        partial = getattr(optimizer, "_tork_partial_slots", None)
        for name, values in (partial() if partial is not None else {}).items():
            self.partial_slots[name] = [
                None if values[i] is None else index_of(values[i])
                for i in (optimizer._index[id(variable)] for variable in trainable)
            ]
        self.metric_entries = []  # (container, key, index)
        for metric in _metric_objects(model):
            for key, value in metric.__dict__.items():
                if isinstance(value, torch.Tensor):
                    self.metric_entries.append((metric.__dict__, key, index_of(value)))
            variables = metric.__dict__.get("_variables")
            if isinstance(variables, list):
                for position, value in enumerate(variables):
                    self.metric_entries.append((variables, position, index_of(value)))
        # `iterations` advances in the graph when it sits on the weights' device (CPU); else
        # on the host after each step.
        devices = {t.device for t in tensors[: self.num_trainable]}
        self.device = next(iter(devices)) if len(devices) == 1 else None
        self.counters_in_graph = devices == {optimizer._iterations.device}
        if self.counters_in_graph:
            self.iterations_index = len(tensors)
            tensors.append(optimizer._iterations)
        # The host's per-step numbers, written in place into one float64 tensor.
        self.scalars = torch.zeros(4, dtype=torch.float64)
        # A view (torch's own numpy()): writing it fills the tensor the graph reads.
        self.scalars_numpy = _plain_numpy(self.scalars)
        self.iterations_view = optimizer._iterations.detach()
        learning_rate = optimizer._learning_rate
        is_variable = isinstance(learning_rate, torch.Tensor)
        self.lr_variable = learning_rate if is_variable else None
        self.lr_view = learning_rate.detach() if is_variable else None
        self.tensors = tensors
        self.views = [t.detach() for t in tensors]
        self.pointers = tuple(map(torch.Tensor.data_ptr, tensors))
        # What a compiled graph depends on: the same variables, shapes, strides and devices.
        self.layout = tuple((id(t), t.shape, t.stride(), t.dtype, t.device) for t in tensors)

    def current(self) -> bool:
        """Whether every view still shares storage with its variable."""
        return tuple(map(torch.Tensor.data_ptr, self.tensors)) == self.pointers

    def moved(self) -> bool:
        """A per-step check that the weights were not moved (e.g. by `model.to(device)`)."""
        return self.tensors[0].data_ptr() != self.pointers[0]


class _CudaGraphStep:
    """A compiled step replayed as one recorded CUDA graph: one launch per step.

    A CUDA graph replays fixed device addresses. The batch and the step's host scalars
    are copied into buffers the graph owns; the weights, optimizer slots and metric
    states are used where they are (they keep their storage from step to step). When
    the state is rebuilt on other storage, the graph is recorded again. The outputs
    (loss and metric values) are copied out, so that the logs of a step keep their
    values after the next one.
    """

    def __init__(self, compiled, state, leaves, scalars: torch.Tensor):
        self._compiled = compiled
        self._leaves = [t.clone() for t in leaves]
        self._scalars = scalars.clone()
        self._record(state)

    def _record(self, state) -> None:
        inputs = [*state.views, *self._leaves, self._scalars]
        graph, outputs = cuda_graph.record(self._compiled, inputs)
        self._graph, self._outputs, self._pointers = graph, outputs, state.pointers

    def __call__(self, state, leaves) -> list:
        if state.pointers is not self._pointers and state.pointers != self._pointers:
            self._record(state)
        for static, leaf in zip(self._leaves, leaves):
            static.copy_(leaf, non_blocking=True)
        # A fresh pinned copy per step: the upload is asynchronous and never waits on the GPU.
        self._scalars.copy_(state.scalars.pin_memory(), non_blocking=True)
        self._graph.replay()
        return [o.clone() if isinstance(o, torch.Tensor) else o for o in self._outputs]


def _signature(data):
    """`(key, leaves, structure)` of a batch: what its graph is compiled for, and its tensors.

    A graph is compiled for exact shapes, strides, dtypes and devices of its inputs. The
    structure is the tuple of which `(x, y, sample_weight)` entries are present for the
    usual flat batches, else a pytree spec.
    """
    if type(data) is tuple and all(t is None or type(t) is torch.Tensor for t in data):
        present = tuple([t is not None for t in data])
        leaves = [t for t in data if t is not None]
        key = tuple([present, *[(t.shape, t.stride(), t.dtype, t.device) for t in leaves]])
        return key, leaves, present
    leaves, spec = torch.utils._pytree.tree_flatten(data)
    key = [spec]
    for leaf in leaves:
        if not isinstance(leaf, torch.Tensor):
            return None, None, None
        key.append((leaf.shape, leaf.stride(), leaf.dtype, leaf.device))
    return tuple(key), leaves, spec


def _rebuild(leaves, structure):
    """The batch of `leaves` with the structure `_signature` found."""
    if isinstance(structure, tuple):
        leaves = iter(leaves)
        return tuple(next(leaves) if present else None for present in structure)
    return torch.utils._pytree.tree_unflatten(list(leaves), structure)


class CompiledTrainStep:
    """A `train_step` whose forward, loss, backward, update and metrics run as one graph.

    Call it with a batch as `Model.train_step` is called; it returns the logs.
    Build it with `make_compiled_train_step`.

    On a GPU each compiled graph is also recorded as a CUDA graph, so that a step is one
    launch rather than one per kernel (see `_CudaGraphStep`).

    Attributes:
        compile_seconds: the time spent tracing and compiling so far.
        compile_count: the number of graphs traced and compiled so far.
        reason: why the step stopped compiling (then every step runs the
            fallback), or None.
        cuda_graph_error: why the last compiled graph could not be recorded as a
            CUDA graph (it then runs kernel by kernel), or None.
    """

    def __init__(self, model, rule, fallback):
        self._model = model
        self._optimizer = model.optimizer
        self._rule = rule
        self._fallback = fallback
        self._state = None
        self._graphs: dict = {}
        self._finish: dict = {}
        self._serial: dict = {}
        self._seen: dict = {}
        self.reason = None
        self.cuda_graph_error = None
        self.compile_seconds = 0.0
        self.compile_count = 0

    # -- per step --------------------------------------------------------------------------
    def __call__(self, data) -> dict:
        if self.reason is not None:
            return self._fallback(data)
        key, leaves, structure = _signature(data)
        graph = self._graphs.get(key)
        state = self._state
        if (
            graph is None
            or self._model.__dict__.get("_tork_trainable_cache") is not state.trainable_list
            or self._model.optimizer is not self._optimizer
            or state.moved()
        ):
            graph = self._prepare(key, leaves, structure)
            if graph is None:
                return self._fallback(data)
            state = self._state
        if type(graph) is _CudaGraphStep:
            _write_scalars(self._optimizer, state)
            outputs = graph(state, leaves)
            if not state.counters_in_graph:
                self._optimizer._iterations.add_(1)
            return self._finish[key](outputs, data)
        scalars = self._scalars(state)
        threads = torch.get_num_threads() if self._serial[key] else 1
        if threads > 1:
            torch.set_num_threads(1)
            try:
                outputs = graph(*state.views, *leaves, scalars)
            finally:
                torch.set_num_threads(threads)
        else:
            outputs = graph(*state.views, *leaves, scalars)
        if not state.counters_in_graph:
            self._optimizer._iterations.add_(1)
        return self._finish[key](outputs, data)

    def _scalars(self, state) -> torch.Tensor:
        """This step's `(lr, alpha, decay)` as a float64 tensor on the weights' device."""
        _write_scalars(self._optimizer, state)
        device = state.device
        if device is None or device.type == "cpu":
            # The graph reads it before the call returns: one buffer serves every step.
            return state.scalars
        if device.type == "cuda":
            # A fresh pinned copy per step: the asynchronous upload never waits on the GPU.
            return state.scalars.pin_memory().to(device, non_blocking=True)
        return state.scalars.to(device)

    # -- building ----------------------------------------------------------------------------
    def _ready(self) -> bool:
        """Whether what the trace needs exists: the optimizer's slots and built losses/metrics."""
        model, optimizer = self._model, self._optimizer
        if model.compiled_loss is not None and not model.compiled_loss._built:
            return False
        only = model.__dict__.get("_tork_added_losses_only")
        if only is not None and not only._built:
            return False
        if model.compiled_metrics is not None and not model.compiled_metrics._built:
            return False
        return all(id(v) in optimizer._index for v in model._tork_trainable())

    def _prepare(self, key, leaves, structure):
        """Returns the graph for this batch signature, compiling it when due, else None."""
        if key is None or self._model.optimizer is not self._optimizer or not self._ready():
            return None
        state = self._state
        if (
            state is None
            or self._model.__dict__.get("_tork_trainable_cache") is not state.trainable_list
            or not state.current()
        ):
            # fit() drops the trainable-weights cache at its start: the graphs stay valid as
            # long as the same variables come back with the same layout.
            try:
                fresh = _State(self._model, self._optimizer)
            except _Unsupported as error:
                self._disable(str(error))
                return None
            if state is None or fresh.layout != state.layout:
                self._graphs.clear()
                self._finish.clear()
                self._serial.clear()
                self._seen.clear()
            self._state = fresh
        graph = self._graphs.get(key)
        if graph is not None:
            return graph
        if len(self._seen) > 4096:
            self._seen.clear()  # shapes that never repeat: don't grow without bound
        seen = self._seen[key] = self._seen.get(key, 0) + 1
        if self._graphs and (seen < _COMPILE_AFTER or len(self._graphs) >= _MAX_GRAPHS):
            return None
        try:
            graph = self._compile(key, leaves, structure)
        except _Unsupported as error:
            self._disable(str(error))
            return None
        self._graphs[key] = graph
        return graph

    def _disable(self, reason: str) -> None:
        self.reason = reason
        warnings.warn(
            f"jit_compile=True: the training step of model '{self._model.name}' cannot be "
            f"compiled as one graph ({reason}); it runs the regular step instead.",
            stacklevel=4,
        )

    def _compile(self, key, leaves, structure):
        """Traces and compiles the step for one batch signature.

        The metrics are traced into the graph when they can be; otherwise the graph
        returns the predictions and `compute_metrics` runs eagerly on them.
        """
        start = time.perf_counter()
        inputs = [*self._state.views, *leaves, self._scalars(self._state)]
        try:
            gm, finish = self._trace(inputs, structure, len(leaves), metrics_in_graph=True)
        except _Unsupported as error:
            if error.args and error.args[0].startswith(_NO_GRADIENT):
                raise
            gm, finish = self._trace(inputs, structure, len(leaves), metrics_in_graph=False)
        try:
            if _COMPILER == "aten":
                compiled = gm
            else:
                from torch._inductor.compile_fx import compile_fx

                compiled = compile_fx(gm, inputs, config_patches=_INDUCTOR_OPTIONS)
        except Exception as error:  # noqa: BLE001 - a compiler failure means: run eagerly
            raise _Unsupported(f"compilation failed with {type(error).__name__}: {error}") from None
        if _COMPILER != "aten" and sum(t.nbytes for t in inputs) <= cuda_graph.DRY_RUN_BYTES:
            # Generated code can fail at run time (an inductor bug): try it on copies first,
            # so that a failure leaves the variables untouched for the eager step.
            try:
                compiled(*[t.clone() for t in inputs])
            except Exception as error:  # noqa: BLE001 - a failing graph means: run eagerly
                raise _Unsupported(
                    f"the compiled graph failed with {type(error).__name__}: {error}"
                ) from None
        self._finish[key] = finish
        self._serial[key] = _count_flops(gm, inputs) < _SERIAL_FLOPS
        device = self._state.device
        if (
            cuda_graph.ENABLED
            and _COMPILER != "aten"
            and device is not None
            and device.type == "cuda"
            and all(t.device == device for t in leaves)
        ):
            try:
                compiled = _CudaGraphStep(compiled, self._state, leaves, inputs[-1])
                self.cuda_graph_error = None
            except Exception as error:  # noqa: BLE001 - no graph: the compiled step still runs
                self.cuda_graph_error = f"{type(error).__name__}: {error}"
        self.compile_seconds += time.perf_counter() - start
        self.compile_count += 1
        return compiled

    def _trace(self, inputs, structure, num_leaves, metrics_in_graph: bool):
        from torch.fx.experimental.proxy_tensor import make_fx

        from tork.keras.layers.layer import _clear_call_losses

        found: dict = {}
        step = self._traced_step(self._state, structure, num_leaves, found, metrics_in_graph)
        try:
            # oneDNN and cuDNN off while tracing: the fused recurrent kernels then trace as
            # matrix products and cells that inductor compiles, rather than as library RNN
            # calls it cannot run. Convolutions and matrix products still pick their library
            # kernels at run time.
            with torch.enable_grad(), traceable_kernels():
                gm = make_fx(step, tracing_mode="fake", _allow_non_fake_inputs=True)(*inputs)
        except _Unsupported:
            raise
        except Exception as error:  # noqa: BLE001 - any tracing failure means: run eagerly
            raise _Unsupported(f"tracing failed with {type(error).__name__}: {error}") from None
        finally:
            # Losses added during the trace are fake tensors: drop them.
            _clear_call_losses()
        _check_constants(gm)
        if metrics_in_graph:
            names = found["names"]

            def finish(outputs, data):
                return dict(zip(names, outputs))

        else:
            pred_spec = found["pred_spec"]
            model = self._model

            def finish(outputs, data):
                x, y, sample_weight = unpack_x_y_sample_weight(data)
                y_pred = torch.utils._pytree.tree_unflatten(list(outputs), pred_spec)
                return model.compute_metrics(x, y, y_pred, sample_weight)

        return gm, finish

    def _traced_step(self, state, structure, num_leaves, found, metrics_in_graph):
        """The function traced into the graph: the whole step on placeholders."""
        model, optimizer, rule = self._model, self._optimizer, self._rule
        num_state = len(state.views)

        def step(*flat):
            views = flat[:num_state]
            leaves = flat[num_state : num_state + num_leaves]
            scalars = flat[-1]
            batch = _rebuild(leaves, structure)
            x, y, sample_weight = unpack_x_y_sample_weight(batch)
            params = list(views[: state.num_trainable])
            # The weights seen by the forward pass: leaves of autograd sharing the inputs' storage.
            watched = [p.detach().requires_grad_(True) for p in params]
            swapped = watched + list(views[state.num_trainable :])
            swap = Swap()
            try:
                for container, key, index, raw in state.registrations:
                    swap.set(container, key, swapped[index], raw)
                for container, position, regularizer, index in state.regularized:
                    swap.set(container, position, (swapped[index], regularizer))
                for container, key, index in state.metric_entries:
                    swap.set(container, key, swapped[index])
                with _tape.outer_step():  # gradients taken in call stay differentiable
                    y_pred, loss = model._tork_forward_loss(x, y, sample_weight)
                grads = torch.autograd.grad(loss, watched, allow_unused=True)
                missing = sum(g is None for g in grads)
                if missing:
                    raise _Unsupported(f"{_NO_GRADIENT}: {missing} trainable weight(s)")
                with torch.no_grad():
                    if metrics_in_graph:
                        logs = model.compute_metrics(x, y, y_pred, sample_weight)
                    _apply_update(optimizer, rule, state, params, list(grads), views, scalars)
                    if state.counters_in_graph:
                        views[state.iterations_index].add_(1)
            finally:
                swap.restore()
            if not metrics_in_graph:
                outputs, found["pred_spec"] = torch.utils._pytree.tree_flatten(y_pred)
                if not all(isinstance(v, torch.Tensor) for v in outputs):
                    raise _Unsupported("the model's outputs are not all tensors")
                return [v.detach() for v in outputs]
            if not isinstance(logs, dict) or not all(
                isinstance(v, torch.Tensor) for v in logs.values()
            ):
                raise _Unsupported("compute_metrics() did not return a dict of tensors")
            found["names"] = list(logs)
            return [v.detach() for v in logs.values()]

        return step


def _apply_update(optimizer, rule, state, params, grads, views, scalars) -> None:
    """The optimizer step on placeholders, in `Optimizer._run`'s order."""
    n = state.num_trainable
    grads = _clip(optimizer, grads)
    slots = {}
    offset = state.slot_offset
    for name in state.slot_names:
        slots[name] = list(views[offset : offset + n])
        offset += n
    for name, indices in state.partial_slots.items():
        slots[name] = [None if i is None else views[i] for i in indices]
    # Rules given all the scalars decay by themselves (Muon has two weight decays).
    decays = bool(optimizer.weight_decay) or getattr(rule, "takes_scalars", False)
    by_dtype: dict = {}
    for i, p in enumerate(params):
        by_dtype.setdefault(p.dtype, []).append(i)
    for dtype, positions in by_dtype.items():
        decayed = [
            params[i] for i in positions if decays and optimizer._use_weight_decay(state.tensors[i])
        ]
        _rule_step(
            optimizer,
            rule,
            [params[i] for i in positions],
            [grads[i].to(dtype) for i in positions],
            {name: [values[i] for i in positions] for name, values in slots.items()},
            decayed,
            scalars,
        )
    for i, variable in enumerate(state.tensors[:n]):
        constraint = getattr(variable, "constraint", None)
        if constraint is not None:
            params[i].copy_(constraint(params[i]))


def _rule_step(optimizer, rule, params, grads, slots, decayed, scalars) -> None:
    """One dtype group's update: weight decay on `decayed`, then `rule`.

    `scalars` holds `(lr, alpha, decay, spare)`; they enter the update as the tensors'
    math type (float32 for float32, float16 and bfloat16 weights), as in the eager kernels.
    A rule marked `takes_scalars` gets all of them (the optimizer's `_traced_scalars`)
    and the variables to decay, and decays them itself.
    """
    math_dtype = torch.float64 if params[0].dtype == torch.float64 else torch.float32
    values = scalars.to(device=params[0].device, dtype=math_dtype)
    if getattr(rule, "takes_scalars", False):
        rule(optimizer, params, grads, slots, values, decayed)
        return
    lr, alpha, decay = values[:3].unbind()
    for variable in decayed:
        variable.mul_(decay)
    rule(optimizer, params, grads, slots, lr, alpha)


def _count_flops(gm, inputs) -> int:
    """The floating-point operations of one step (matrix products and convolutions)."""
    from torch._subclasses.fake_tensor import FakeTensorMode
    from torch.utils.flop_counter import FlopCounterMode

    try:
        mode = FakeTensorMode(allow_non_fake_inputs=True)
        fakes = [mode.from_tensor(t) for t in inputs]
        counter = FlopCounterMode(display=False)
        with mode, counter:
            gm(*fakes)
        return counter.get_total_flops()
    except Exception:  # noqa: BLE001 - unknown cost: keep the threads
        return _SERIAL_FLOPS


def _check_constants(gm) -> None:
    """Rejects graphs that captured a variable, or update a tensor, instead of a placeholder."""
    for node in gm.graph.nodes:
        if node.op != "get_attr":
            continue
        value = getattr(gm, node.target, None)
        if isinstance(value, torch.nn.Parameter):
            raise _Unsupported(
                "the step reads a variable that is not reachable as a layer attribute "
                f"(shape {tuple(value.shape)})"
            )
        for user in node.users:
            if node in _written_args(user):
                raise _Unsupported("the step updates a tensor that is not a tracked variable")


def make_compiled_train_step(
    model, fallback: Callable[[Any], dict] | None = None
) -> CompiledTrainStep | None:
    """Returns the model's training step compiled as one graph, or None when unsupported.

    The step covers forward, loss, gradients, the optimizer update and the
    metrics. Unsupported setups (a custom `train_step`, an optimizer without an
    in-graph update, EMA, gradient accumulation, loss scaling, distribution)
    return None, and the caller keeps its regular step.

    Args:
        model: a compiled `keras.Model`.
        fallback: the step to run for batches that are not compiled (the first
            one, which builds the optimizer and metrics, and rare shapes);
            defaults to `model.train_step`.

    Returns:
        A callable `step(data) -> logs`, or None.

    Example:
    >>> step = make_compiled_train_step(model)
    >>> logs = step((x_batch, y_batch))
    """
    from tork.keras.trainers.trainer import Trainer

    optimizer = model.optimizer
    if optimizer is None or not getattr(model, "compiled", False):
        return None
    if type(model).train_step is not Trainer.train_step:
        return None
    if model.__dict__.get("_tork_distribution") is not None:
        return None
    if optimizer.use_ema or optimizer.gradient_accumulation_steps:
        return None
    if optimizer.loss_scale_factor is not None:
        return None
    rule = _optimizer_rule(optimizer)
    if rule is None:
        return None
    return CompiledTrainStep(model, rule, fallback or model.train_step)


__all__ = ["make_compiled_train_step", "CompiledTrainStep"]
