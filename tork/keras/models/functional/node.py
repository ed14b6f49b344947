"""Graph nodes of the functional API: one per layer call (or torch op) on KerasTensors."""

from __future__ import annotations

import contextlib
import itertools
import logging
import math
import re

import numpy as np
import torch
from torch._subclasses.fake_tensor import DataDependentOutputException, DynamicOutputShapeException

from tork._backend import string_tensor
from tork._backend.string_tensor import StringTensor
from tork._backend.tracing import SYMBOLIC_TWIN
from tork._naming import scratch_names
from tork.keras.layers._call_context import CONTEXT
from tork.keras.models.functional import _captured
from tork.keras.models.functional.keras_tensor import (
    _STAND_INS,
    KerasTensor,
    fake_mode,
    make_fakes,
)
from tork.ops.gradients import wanted_during_build


def _map(fn, value):
    """Applies `fn` to every leaf of a (list/tuple/namedtuple/dict) nest."""
    if isinstance(value, list):
        return [_map(fn, v) for v in value]
    if isinstance(value, tuple):
        items = [_map(fn, v) for v in value]
        if hasattr(type(value), "_fields"):
            # A namedtuple (a Lambda returning `tf.image.combined_non_max_suppression`'s
            # result): its fields are tensors too, and it keeps its type, as in Keras.
            return type(value)(*items)
        return tuple(items)
    if isinstance(value, dict):
        mapped = {k: _map(fn, v) for k, v in value.items()}
        return _same_mapping_type(value, mapped)
    return fn(value)


def _same(value):
    return value


def _same_mapping_type(original: dict, mapped: dict) -> dict:
    """`mapped` as `original`'s dict subclass, as tf.nest rebuilds it (from key/value pairs).

    HF transformers' models return `ModelOutput`s (OrderedDict dataclasses): on symbolic
    inputs `bert(ids)[0]` and `.last_hidden_state` must keep working. A subclass that
    cannot be built from pairs (defaultdict) stays a plain dict.
    """
    from tork._tracking import TrackedDict

    if type(original) is dict or isinstance(original, TrackedDict):
        return mapped  # tork's attribute-tracking wrapper is not the user's type
    try:
        return type(original)((k, v) for k, v in mapped.items())
    except Exception:
        return mapped


def flatten(value) -> list:
    """The leaves of a nest, in order."""
    out: list = []
    _map(out.append, value)
    return out


# Creation order of nodes: a layer's `outbound_nodes` lists its consumers in this order,
# as Keras 2 appends each node to its inbound layers when it is made.
_NODE_ORDER = itertools.count()


def _int_shape(value):
    """A KerasTensor's shape as a tuple of ints and Nones (Keras 2's `backend.int_shape`)."""
    if isinstance(value, KerasTensor):
        return tuple(value.shape)
    return None


class Node:
    """One call of an operation (a layer or a torch function) on symbolic inputs.

    The tork attributes below are what the functional model runs; the Keras 2 node API
    (`inbound_layers`, `input_tensors`, `output_tensors`, `call_args`, `parent_nodes`,
    `iterate_inbound()`, ...) reads them.

    Attributes:
        operation: the layer or function called.
        args, kwargs: the call's arguments with KerasTensors in place.
        inputs: the KerasTensors among the arguments.
        outputs: the output KerasTensors, flattened (Keras 2's `node.outputs` is the
            output structure: see `output_tensors`).
        output_structure: the outputs as the operation returned them.
        layer: the layer of the call in `model.layers`: the operation itself, or for a
            function the `TFOpLambda` layer Keras 2 makes of it (the node still runs the
            function directly, so the op layer costs nothing when the model runs).
    """

    def __init__(self, operation, args, kwargs, output_structure, is_layer: bool, layer=None):
        self.operation = operation
        # The call's own containers, not the caller's: DenseNet-style code appends each new
        # output to the list it passed to Concatenate (`feats.append(y)`); Keras keeps the
        # call's inputs as they were, so the list must not grow inside the node.
        self.args = _map(_same, args)
        self.kwargs = _map(_same, kwargs)
        self.inputs = [v for v in flatten((args, kwargs)) if isinstance(v, KerasTensor)]
        self.output_structure = output_structure
        self.outputs = [v for v in flatten(output_structure) if isinstance(v, KerasTensor)]
        self.is_layer = is_layer
        self._tork_order = next(_NODE_ORDER)
        self._tork_consumers: list = []
        self._register_with_parents()
        for index, tensor in enumerate(self.outputs):
            tensor._tork_node = self
            tensor._tork_index = index
        if is_layer:
            layer = operation
        elif layer is None:
            from tork.keras.layers.core.tf_op_lambda import op_layer_class

            layer = op_layer_class(operation)(operation)
        self.layer = layer
        layer._tork_inbound_nodes.append(self)

    def _register_with_parents(self) -> None:
        """Lists this node among the consumers of the nodes that made its inputs.

        Once per input tensor (twice for `Add()([h, h])`), as Keras 2 appends a node to
        its inbound layers' outbound nodes.
        """
        for tensor in self.inputs:
            parent = getattr(tensor, "_tork_node", None)
            if parent is not None and parent is not self:
                parent.__dict__.setdefault("_tork_consumers", []).append(self)

    # copy.deepcopy and pickle: a node's state holds only links up the graph (its inputs),
    # so copying a layer copies what feeds it, not what it feeds; the links down the graph
    # are made again from the copied inputs.
    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_tork_consumers", None)
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.__dict__.setdefault("_tork_consumers", [])
        self.__dict__.setdefault("_tork_order", next(_NODE_ORDER))
        self._register_with_parents()

    # -- the Keras 2 node API -----------------------------------------------------------
    @property
    def outbound_layer(self):
        """The layer this node is a call of (Keras 2's name for `node.layer`)."""
        return self.layer

    @property
    def is_input(self) -> bool:
        """Whether this is the node of an `InputLayer` (a `keras.Input`)."""
        from tork.keras.models.functional.input_layer import InputLayer

        return isinstance(self.layer, InputLayer) and not self.inputs

    @property
    def call_args(self):
        """The positional arguments of the call, KerasTensors in place (`[]` for an input)."""
        if self.is_input:
            return []
        if not self.args and "inputs" in self.kwargs:
            # Keras 2 passes a layer's inputs positionally, also when given as `inputs=`.
            return (self.kwargs["inputs"],)
        return tuple(self.args)

    @property
    def call_kwargs(self) -> dict:
        """The keyword arguments of the call."""
        if not self.args and "inputs" in self.kwargs:
            return {k: v for k, v in self.kwargs.items() if k != "inputs"}
        return dict(self.kwargs)

    @property
    def keras_inputs(self) -> list:
        """The KerasTensors among the call's arguments, flattened."""
        return list(self.inputs)

    @property
    def input_tensors(self):
        """The first argument of the call (a tensor or a nest of them).

        For an input node, a one-item list holding its tensor, as in Keras 2.
        """
        if self.is_input:
            return [self.output_structure]
        args = self.call_args
        if args:
            return args[0]
        # Called with keyword arguments alone: their tensors.
        return [v for v in flatten(self.kwargs) if isinstance(v, KerasTensor)]

    @property
    def output_tensors(self):
        """The call's outputs as returned (a one-item list for an input node, as Keras 2)."""
        if self.is_input:
            return [self.output_structure]
        return self.output_structure

    @property
    def input_shapes(self):
        """The shapes of `input_tensors` (a lone shape for a single-item list)."""
        tensors = self.input_tensors
        shapes = _map(_int_shape, tensors)
        if not self.is_input and isinstance(tensors, (list, tuple)) and len(tensors) == 1:
            return shapes[0]
        return shapes

    @property
    def output_shapes(self):
        """The shapes of `output_tensors`."""
        return _map(_int_shape, self.output_tensors)

    @property
    def inbound_layers(self):
        """The layers whose outputs this call takes: one layer, or a list of them.

        `[]` for an input node.
        """
        if self.is_input:
            return []
        layers = [history[0] for history, _ in self._histories()]
        return layers[0] if len(layers) == 1 else layers

    @property
    def parent_nodes(self) -> list:
        """The nodes that made this call's input tensors."""
        return [
            tensor._tork_node
            for tensor in self.inputs
            if getattr(tensor, "_tork_node", None) is not None
        ]

    def iterate_inbound(self):
        """Yields `(inbound_layer, node_index, tensor_index, tensor)` per input tensor.

        `node_index` is the index of the producing node in the inbound layer's
        `inbound_nodes`, `tensor_index` the tensor's place among that node's outputs.
        """
        for history, tensor in self._histories():
            yield history[0], history[1], history[2], tensor

    def _histories(self):
        for tensor in self.inputs:
            history = tensor._keras_history
            if history[0] is not None:
                yield history, tensor

    @property
    def flat_input_ids(self) -> list:
        """The ids (as strings) of the input KerasTensors."""
        return [str(id(t)) for t in self.inputs]

    @property
    def flat_output_ids(self) -> list:
        """The ids (as strings) of the output KerasTensors."""
        return [str(id(t)) for t in self.outputs]

    def run(self, values: dict):
        """Runs the operation on real tensors; `values` maps id(KerasTensor) -> tensor."""

        def substitute(v):
            return values[id(v)] if isinstance(v, KerasTensor) else v

        args = _map(substitute, self.args)
        kwargs = _map(substitute, self.kwargs)
        result = self.operation(*args, **kwargs)
        for tensor, value in zip(self.outputs, flatten(result)):
            values[id(tensor)] = value
        return result


def _fake_twin(value, which: int):
    if isinstance(value, KerasTensor):
        return value._fakes[which]
    return value


def _run_twin(run, args, kwargs, mode):
    """Runs `run` on one set of twins: fake tensors, or real ones from shape ops.

    `tf.shape(x)` of a symbolic tensor is a real tensor of its twin's sizes (inside a
    layer's `call` it is a constant fake tensor instead: see tork/_symbolic.py). Ops on such
    values alone run for real (`tf.shape(x)[0] * 2`); a tork op mixing them with fake
    tensors gets them as Python numbers (`tf.reshape(x, [tf.shape(x)[0], -1])`), since a
    fake tensor mode cannot read a real tensor's value.
    """
    from torch._subclasses.fake_tensor import FakeTensor
    from torch.utils._python_dispatch import _disable_current_modes

    if getattr(run, "_tork_reads_shape", False):
        with _disable_current_modes():  # the real sizes of the fake twin
            return run.__wrapped__(*args, **kwargs)
    leaves = [v for v in flatten((args, kwargs)) if isinstance(v, torch.Tensor)]
    if leaves and not any(isinstance(v, FakeTensor) for v in leaves):
        return run(*args, **kwargs)
    if getattr(run, "_tork_api_name", None) and len(leaves) > 1:

        def as_number(v):
            if isinstance(v, torch.Tensor) and not isinstance(v, FakeTensor):
                if not v.dtype.is_floating_point and not v.dtype.is_complex:
                    return v.tolist()
            return v

        args, kwargs = _map(as_number, args), _map(as_number, kwargs)
    with mode:
        return run(*args, **kwargs)


# Sizes for unknown dimensions when shapes must be inferred on real data (see
# `_real_outputs`): small ones first (a position embedding of a few rows), then the fake
# twins' own stand-in sizes (large enough for convolution kernels).
_REAL_STAND_INS = ((3, 5), _STAND_INS)


def _real_outputs(run, args, kwargs, mode, error):
    """Infers outputs by running `run` on real tensors of ones, when fake tensors cannot.

    A fake tensor holds no data, so code that reads a computed value fails on it, e.g. a
    causal mask tiled by `tf.concat([tf.expand_dims(tf.shape(x)[0], -1), [1, 1]], 0)` in
    a layer's `call` (keras.io's seq2seq Transformer). Real inputs whose unknown sizes
    are two different numbers give the same output shapes; ones rather than zeros so
    that data-dependent sizes (`tf.boolean_mask`) still follow the input sizes. Zeros
    come last, after a replay of the graph on real data: a selection by value across
    inputs of independent unknown lengths (Mask R-CNN's RPN box loss packs as many target
    rows as `rpn_match` marks) then selects nothing and the shapes agree. The outputs
    become fake tensors again (masks included).
    """
    from torch._subclasses.fake_tensor import FakeTensor

    def to_fake(v):
        if isinstance(v, torch.Tensor) and not isinstance(v, FakeTensor):
            out = mode.fake_tensor_converter.from_real_tensor(mode, v)
            mask = getattr(v, "_keras_mask", None)
            if mask is not None:
                out._keras_mask = to_fake(mask)
            return out
        return v

    failures: list = []
    # Last, unknown inner sizes set to the known size another input has on that axis (a
    # Transformer decoder whose mask comes from its fixed-length token input, attending
    # to `keras.Input((None, 256))` encoder states): Keras's unknown size matches it.
    matched = _known_inner_sizes(args, kwargs)
    # Then the i-th input of unknown size on an axis takes the size the i-th input of known
    # size has there: `Lambda(yolo_loss)([*model_body.output, *y_true])` with fixed-size
    # heads of 13 and 26 cells and `Input((None, None, 3, 85))` targets pairs each target
    # with its own head, where the first known size alone fits only the first.
    paired = _paired_inner_sizes(args, kwargs)

    # Each attempt: the stand-in sizes, the known inner sizes of an input ({axis: size},
    # by input), and the fill value.
    def none(_value) -> dict:
        return {}

    # First, the second twin has a 2 besides its 0 (see `twin`): a size given by the largest
    # value (`tf.sequence_mask(lengths)`, `tf.math.bincount`) then differs between the
    # twins. A call that cannot take a 2 (a gather from a table of 2 rows) goes on without.
    attempts = [(_REAL_STAND_INS[0], none, 2)] + [(sizes, none, 1) for sizes in _REAL_STAND_INS]
    if matched:
        attempts.append((_REAL_STAND_INS[0], lambda _value: matched, 1))
    if paired:
        attempts.append((_REAL_STAND_INS[0], lambda value: paired.get(id(value), {}), 1))
    for sizes, inner, fill in attempts + [(_REAL_STAND_INS[0], none, 0)]:
        larger = fill == 2
        fill = min(fill, 1)
        if fill == 0:
            outs = _replayed_outputs(run, args, kwargs, contextlib.nullcontext(), real=True)
            if outs is not None:
                return _standard_stand_ins([_map(to_fake, out) for out in outs])
        made: dict = {}

        def twin(value, which, sizes=sizes, inner=inner, made=made, fill=fill, larger=larger):
            if not isinstance(value, KerasTensor) or isinstance(value._fakes[which], StringTensor):
                return _fake_twin(value, which)
            key = (id(value), which)
            if key not in made:
                own = inner(value)
                shape = tuple(
                    (own.get(axis, sizes[which]) if axis else sizes[which]) if d is None else d
                    for axis, d in enumerate(value.shape)
                )
                real = torch.full(shape, fill, dtype=value.dtype, device=value._fakes[which].device)
                if which and real.numel():
                    # Twins differing in one value as well as in their unknown sizes: a
                    # size that depends on the values (`tf.unique`) then differs between
                    # them too, and is left unknown rather than fixed at the ones' size.
                    real.view(-1)[0] = 1 - fill
                    if larger and real.numel() > 1 and real.dtype != torch.bool:
                        real.view(-1)[1] = 2
                mask = getattr(value._fakes[which], "_keras_mask", None)
                if mask is not None:  # masks ride on the twins: give the real one a mask
                    real._keras_mask = torch.ones(
                        shape[: mask.dim()], dtype=mask.dtype, device=mask.device
                    )
                made[key] = real
            return made[key]

        try:
            with torch.no_grad():
                # `contextlib.nullcontext()`: a call whose inputs are all strings (no torch
                # tensor to look at) must run for real here too, e.g. a
                # `StaticVocabularyTable.lookup` in a Lambda reads the ids it computed.
                outs = _run_twins(run, args, kwargs, contextlib.nullcontext(), twin)
        except _captured.CapturedSymbolicError:
            raise
        except Exception as failure:
            failures.append(failure)
            continue
        return _standard_stand_ins([_map(to_fake, out) for out in outs], sizes)
    if not failures:
        raise error
    failure = failures[0]
    raise ValueError(
        "Cannot infer the output shape: the call reads values of its symbolic inputs "
        "(e.g. a size from tf.shape(x) used in tf.range or in a Python condition), which "
        "have none, and running it on real tensors of ones in their place (unknown sizes "
        f"set to {_REAL_STAND_INS[0][0]} and {_REAL_STAND_INS[0][1]}) failed too: "
        f"{type(failure).__name__}: {failure}. Declare the output shape with a "
        "compute_output_shape(input_shape) method on the layer (output_shape= for a "
        "Lambda), or make the sizes of the inputs known (keras.Input(shape=...))."
    ) from error


def _known_inner_sizes(args, kwargs) -> dict:
    """{axis: size} for inner axes where some input is of unknown size and another of a
    known one (the first such size), for `_real_outputs`' last attempt."""
    tensors = [v for v in flatten((args, kwargs)) if isinstance(v, KerasTensor) and v.shape]
    known: dict = {}
    unknown: set = set()
    for tensor in tensors:
        for axis, size in enumerate(tensor.shape[1:], start=1):
            if size is None:
                unknown.add(axis)
            else:
                known.setdefault(axis, size)
    return {axis: size for axis, size in known.items() if axis in unknown}


def _paired_inner_sizes(args, kwargs) -> dict:
    """{id(input): {axis: size}} pairing, axis by axis, the inputs of unknown size in
    order with the inputs of known size in order (cycling over the known ones), for
    `_real_outputs`; empty when that gives nothing `_known_inner_sizes` does not."""
    tensors = [v for v in flatten((args, kwargs)) if isinstance(v, KerasTensor) and v.shape]
    known: dict = {}
    unknown: dict = {}
    for tensor in tensors:
        for axis, size in enumerate(tensor.shape[1:], start=1):
            if size is None:
                unknown.setdefault(axis, []).append(tensor)
            else:
                known.setdefault(axis, []).append(size)
    paired: dict = {}
    for axis, holes in unknown.items():
        sizes = known.get(axis)
        if not sizes or len(set(sizes)) < 2:
            continue
        for i, tensor in enumerate(holes):
            paired.setdefault(id(tensor), {})[axis] = sizes[i % len(sizes)]
    return paired


def _standard_stand_ins(outs, sizes=None):
    """Twin outputs whose differing sizes become `_STAND_INS`, as fake runs give them.

    A real run's unknown sizes are `_REAL_STAND_INS`; a tensor keeping them would not
    meet tensors from the fake runs (`concatenate` of a crossed-column DenseFeatures
    with another: 3 against 61). `sizes`: the unknown sizes the real runs had, when
    known (sizes derived from them are mapped alike, see `_stand_in_size`).
    """
    if sizes == _STAND_INS:
        return outs

    def restandardized(a, b):
        if not (isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor)):
            return a, b
        if a.dim() != b.dim() or a.shape == b.shape:
            return a, b
        fresh = []
        for which, old in enumerate((a, b)):
            shape = tuple(
                _stand_in_size(da, db, which, sizes) if da != db else da
                for da, db in zip(a.shape, b.shape)
            )
            fresh.append(_fake_like(old, shape))
        return fresh[0], fresh[1]

    pairs = [restandardized(a, b) for a, b in zip(flatten(outs[0]), flatten(outs[1]))]
    firsts, seconds = iter([p[0] for p in pairs]), iter([p[1] for p in pairs])
    return [_map(lambda _: next(firsts), outs[0]), _map(lambda _: next(seconds), outs[1])]


def _stand_in_size(da: int, db: int, which: int, small) -> int:
    """The fake-run size for an unknown size that was `da`/`db` in the real twin runs.

    The real runs' unknown sizes were `small` (n = 3 and 5), unknown if None. A size derived
    from them keeps its relation in the fake stand-ins (n = 61 and 97): tf-ranking's
    FlattenList gives `batch_size * list_size` rows (n * n: 9 and 25 -> 61 * 61), which a
    later layer reshapes back to `tf.shape(mask)`. A size of no such form (c * n**k, or
    c * n + d) is just the stand-in.
    """
    stand_in = _STAND_INS
    if small is None:
        return stand_in[which]
    for power in (1, 2, 3):
        ra, rb = small[0] ** power, small[1] ** power
        if da % ra == 0 and db % rb == 0 and da // ra == db // rb:
            return da // ra * stand_in[which] ** power
    slope, rest = divmod(db - da, small[1] - small[0])
    offset = da - slope * small[0]
    if rest == 0 and slope > 0 and slope * stand_in[0] + offset > 0:
        return slope * stand_in[which] + offset
    # A size of no relation to the unknown ones: one the values decide (`tf.boolean_mask`,
    # `tf.where(cond)`, `tf.unique`; the twins differ in a value). Keras knows nothing of
    # it; given the batch's stand-in it would pass for the batch size, and
    # `tf.reshape(rows, [tf.shape(x)[0], -1, C])` would get a fixed size 1 where Keras
    # has None. Multiples of the stand-ins by different factors keep such a reshape
    # possible while its other sizes differ between the twins (unknown); factors with
    # many divisors keep `tf.reshape(rows, [-1, 6])` possible too, as in Keras.
    return _DATA_STAND_IN_FACTORS[which] * stand_in[which]


# Factors of the stand-in sizes for value-dependent sizes, see `_stand_in_size`.
_DATA_STAND_IN_FACTORS = (24, 48)


def _symbolic_outputs(run, args, kwargs):
    """Runs `run(*args, **kwargs)` on both fake twins and builds output KerasTensors."""
    with wanted_during_build() as wanted:
        outputs = _twin_outputs(run, args, kwargs)
    if wanted:
        _mark_gradient_sources(args, kwargs, wanted)
    return outputs


def _mark_gradient_sources(args, kwargs, wanted: list) -> None:
    """Marks the inputs whose twins were the `xs` of a `tf.gradients` call in the layer.

    The functional model runs marked tensors as gradient-recording ones (see
    `Functional.call`). An `xs` computed inside the call from the inputs (or a retried
    twin) is no input's twin: then every float input is marked, which records it too.
    """
    inputs = [v for v in flatten((args, kwargs)) if isinstance(v, KerasTensor)]
    unmatched = False
    for x in wanted:
        owners = [t for t in inputs if any(f is x for f in t._fakes)]
        unmatched = unmatched or not owners
        for t in owners:
            t._tork_grad_source = True
    if unmatched:
        for t in inputs:
            if isinstance(t.dtype, torch.dtype) and (
                t.dtype.is_floating_point or t.dtype.is_complex
            ):
                t._tork_grad_source = True


def _twin_outputs(run, args, kwargs):
    mode = fake_mode()
    CONTEXT.symbolic += 1
    try:
        # An input of fixed batch size (keras.Input(..., batch_size=32)) meeting one of
        # unknown batch size: Keras gives the result the fixed size. The unknown batch's
        # stand-in sizes differ from it, so an op that joins them fails: try again with
        # them set to it.
        twin = _batch_unifier(args, kwargs)
        try:
            # torch logs an op failing on fake tensors with its traceback; the error is
            # raised anyway (with the layer and the symbolic shapes), or a retry follows.
            with _quiet_fake_errors(True):
                outs = _run_twins(run, args, kwargs, mode, _fake_twin)
            if _emptied_by_stand_ins(outs, args, kwargs):
                outs = _rerun_large(run, args, kwargs, mode, outs)
            outs = _uncollapsed(run, args, kwargs, mode, outs)
        except (DataDependentOutputException, DynamicOutputShapeException) as error:
            outs = _real_outputs(run, args, kwargs, mode, error)
        except _captured.CapturedSymbolicError:
            raise  # no other stand-in sizes can help
        except Exception as error:
            if _half_built(error):
                # A build that failed after `super().build()` set `built`: a retry would
                # run the half-built layer and hide the error.
                raise
            if twin is not None:
                try:
                    outs = _run_twins(run, args, kwargs, mode, twin)
                except Exception:
                    pass
                else:
                    return _outputs_of(outs)
            # A size `_uncollapsed` marked unknown meeting a fixed size of 1 (a P7 map
            # concatenated with a (1, 1, C) one): Keras takes the unknown size as
            # compatible with it; run on the sizes the stand-ins had shrunk to.
            collapsed = _collapsed_twin(args, kwargs)
            if collapsed is not None:
                try:
                    with _quiet_fake_errors(True):
                        outs = _run_twins(run, args, kwargs, mode, collapsed)
                except Exception:
                    pass
                else:
                    return _outputs_of(outs)
            # Unknown spatial sizes whose stand-ins shrank to nothing on the way (InceptionV3
            # with input_shape=(None, None, 3): the 61-pixel stand-in is 2x2 by `mixed8`,
            # too small for its 3x3 'valid' convolution). Keras's unknown sizes are no
            # numbers; retry this call with fresh, larger stand-ins for the unknown sizes.
            if _has_unknown_inner_size(args, kwargs):
                # Then small ones: a layer adding a fixed-size table sliced to the input's
                # length (a positional encoding for at most 50 steps) fails on stand-ins
                # longer than the table; Keras's unknown length is no number either.
                for sizes in (None, _REAL_STAND_INS[0]):
                    try:
                        with _quiet_fake_errors(True):
                            outs = _run_twins(run, args, kwargs, mode, _large_twin(sizes))
                    except Exception:
                        continue
                    return _outputs_of(outs)
                outs = _replayed_outputs(run, args, kwargs, mode)
                if outs is not None:
                    return _outputs_of(outs)
            # A layer written for a maximum batch size (keras-transformer-xl's Memory pads
            # its input with `K.tile(x, (self.batch_size - batch, 1, 1))`) cannot take the
            # stand-in batch sizes, larger than its maximum. Keras's unknown batch is no
            # number: retry with two different small batch sizes, so that an output batch
            # following the input's still differs between the twins and stays unknown.
            if _has_unknown_batch(args, kwargs):
                try:
                    try:
                        with _quiet_fake_errors(True):
                            outs = _run_twins(run, args, kwargs, mode, _batch_twin(_SMALL_BATCHES))
                    except (DataDependentOutputException, DynamicOutputShapeException) as read:
                        # It reads a value too (Memory's `memory_length[0][0]`): real
                        # inputs, whose first stand-in sizes are small as well.
                        outs = _real_outputs(run, args, kwargs, mode, read)
                except Exception:
                    pass
                else:
                    return _outputs_of(outs)
            # A reshape to a hard-coded batch size (`tf.reshape(x, [8, 1])`) cannot take
            # the stand-in batch sizes: Keras (whose unknown size is no number) builds it,
            # so try again with the batch size the reshape implies.
            size = _implied_batch(error, args, kwargs)
            if size is None:
                outs = _broadcast_batch(run, args, kwargs, mode)
                if outs is None:
                    outs = _fixed_batch_outputs(run, args, kwargs, mode)
                if outs is None:
                    raise
                return _outputs_of(outs)
            if size:
                try:
                    outs = _run_twins(run, args, kwargs, mode, _batch_twin(size))
                except Exception:
                    pass
                else:
                    return _outputs_of(outs)
            _note_hard_coded_batch(error)
            raise
    finally:
        CONTEXT.symbolic -= 1
    return _outputs_of(outs)


_RESHAPE_ERRORS = (
    # tork's tf.reshape: "... shape (61, 4, 1) (244 elements) to shape (8, 1) (8 elements)."
    re.compile(
        r"Cannot reshape a tensor of shape .*? \((\d+) elements\) to shape .*? \((\d+) elements\)"
    ),
    # torch's reshape/view: "shape '[8, 1]' is invalid for input of size 244"
    re.compile(r"shape '\[([-\d, ]*)\]' is invalid for input of size (\d+)"),
)


def _implied_batch(error: Exception, args, kwargs):
    """The batch size a failed reshape to a fixed size implies (0: none fits), or None.

    None when the error is no reshape's or no input has an unknown batch size. The failed
    run gave the unknown batch size the first stand-in size: a tensor of `n` elements then
    holds `n / stand-in` per batch item, and the target's element count divided by that is
    the batch size the reshape asks for.
    """
    tensors = [v for v in flatten((args, kwargs)) if isinstance(v, KerasTensor) and v.shape]
    if not any(t.shape[0] is None for t in tensors):
        return None
    message = str(error)
    match = _RESHAPE_ERRORS[0].search(message)
    if match:
        size, target = int(match.group(1)), int(match.group(2))
    else:
        match = _RESHAPE_ERRORS[1].search(message)
        if not match:
            return None
        dims = [int(d) for d in match.group(1).split(",") if d.strip()]
        if any(d < 0 for d in dims):
            return None
        target, size = math.prod(dims), int(match.group(2))
    stand_in = _STAND_INS[0]
    if size == 0 or size % stand_in:
        return 0
    per_item = size // stand_in
    if target == 0 or target % per_item:
        return 0
    return target // per_item


def _broadcast_batch(run, args, kwargs, mode):
    """Outputs of a call that broadcasts its inputs against a hard-coded batch size, or None.

    WGAN-GP's `RandomWeightedAverage` mixes two batches with `K.random_uniform((32, 1, 1,
    1))`: Keras broadcasts the unknown batch size to 32, while the stand-in batch sizes
    cannot broadcast against it. A run on inputs of batch size 1 (which broadcasts to
    anything) shows the fixed sizes the outputs take on their batch axis; the call is run
    again with the inputs' batch size set to each, and the first that works is kept, so
    the sizes read are checked rather than guessed from an error message.
    """
    tensors = [v for v in flatten((args, kwargs)) if isinstance(v, KerasTensor) and v.shape]
    if not any(t.shape[0] is None for t in tensors):
        return None
    try:
        with _quiet_fake_errors(True):
            probe = _run_twins(run, args, kwargs, mode, _batch_twin(1))
    except Exception:
        return None
    sizes = []
    for a, b in zip(flatten(probe[0]), flatten(probe[1])):
        if isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor) and a.dim() and b.dim():
            size = int(a.shape[0])
            if size == int(b.shape[0]) and size > 1 and size not in sizes:
                sizes.append(size)
    for size in sizes[:3]:
        try:
            with _quiet_fake_errors(True):
                return _run_twins(run, args, kwargs, mode, _batch_twin(size))
        except Exception:
            continue
    return None


def _fixed_batch_outputs(run, args, kwargs, mode):
    """Outputs of a call whose unknown batch size must equal a fixed inner size, or None.

    spektral's single mode holds one graph of N nodes: features `keras.Input((F,))` and a
    dense adjacency `keras.Input((N,))`, both of unknown batch size (N in the data);
    `tf.matmul(a, x)` meets the adjacency's N with the features' batch size. Keras's
    unknown size is no number and matches it, the stand-in sizes cannot: the call is run
    again with the unknown batch size set to each fixed inner size of the inputs, and an
    output whose batch axis has that size keeps an unknown batch size.
    """
    for size in fixed_inner_sizes(args, kwargs):
        try:
            with _quiet_fake_errors(True):
                outs = _run_twins(run, args, kwargs, mode, _batch_twin(size))
        except Exception:
            continue
        return [
            _map(lambda v, w=which, n=size: _unknown_batch(v, w, n), out)
            for which, out in enumerate(outs)
        ]
    return None


def fixed_inner_sizes(args, kwargs) -> list:
    """The fixed sizes of the inputs' inner axes that an unknown batch size may have to
    equal (see `_fixed_batch_outputs`), smallest first; none without an unknown batch."""
    tensors = [v for v in flatten((args, kwargs)) if isinstance(v, KerasTensor) and v.shape]
    if not any(t.shape[0] is None for t in tensors):
        return []
    sizes = sorted({d for t in tensors for d in t.shape[1:] if d is not None and d > 1})
    return sizes[:_FIXED_BATCH_TRIES]


# How many fixed sizes are tried (a bound: each try is a twin run).
_FIXED_BATCH_TRIES = 4


def _unknown_batch(value, which: int, size: int):
    """`value` with its batch axis of `size` back at twin `which`'s stand-in size."""
    if isinstance(value, torch.Tensor) and value.dim() and value.shape[0] == size:
        return _fake_like(value, (_STAND_INS[which], *value.shape[1:]))
    return value


def _batch_twin(size):
    """A twin function giving inputs of unknown batch size the batch size `size`, or one
    size per twin (a pair)."""
    sizes = size if isinstance(size, tuple) else (size, size)
    replaced: dict = {}

    def twin(value, which):
        if isinstance(value, KerasTensor) and value.shape and value.shape[0] is None:
            fakes = replaced.get(id(value))
            if fakes is None:
                if sizes[0] == sizes[1]:
                    fakes = make_fakes((sizes[0], *value.shape[1:]), value.dtype)
                else:
                    fakes = tuple(
                        make_fakes((n, *value.shape[1:]), value.dtype)[i]
                        for i, n in enumerate(sizes)
                    )
                replaced[id(value)] = fakes
            return fakes[which]
        return _fake_twin(value, which)

    return twin


# Batch sizes of the twins for a layer with a maximum batch size: the smallest two, which
# any such layer takes (see `_symbolic_outputs`).
_SMALL_BATCHES = (1, 2)


def _has_unknown_batch(args, kwargs) -> bool:
    """Whether an input KerasTensor of the call has an unknown batch size."""
    return any(
        isinstance(v, KerasTensor) and bool(v.shape) and v.shape[0] is None
        for v in flatten((args, kwargs))
    )


# Stand-in sizes for the retry of `_large_twin`: large enough for the deepest Keras
# application's downsampling (InceptionV3 needs 75 pixels), two different primes as
# `_STAND_INS` are. Fake tensors hold no data, so the size costs nothing.
_LARGE_STAND_INS = (331, 419)


def _emptied_by_stand_ins(outs, args, kwargs) -> bool:
    """Whether an output has a size 0 in both twins while an input has an unknown inner size.

    Such a size is often the stand-ins' doing, not the layer's: `tf.signal.stft` of an
    unknown number of audio samples with 400-sample frames gives no frame from 61 or 97
    samples, where Keras leaves the number of frames unknown (deep-speaker's fbank Lambda).
    """
    for a, b in zip(flatten(outs[0]), flatten(outs[1])):
        if (
            isinstance(a, torch.Tensor)
            and isinstance(b, torch.Tensor)
            and a.dim() == b.dim()
            and any(da == 0 and db == 0 for da, db in zip(a.shape, b.shape))
        ):
            return _has_unknown_inner_size(args, kwargs)
    return False


def _rerun_large(run, args, kwargs, mode, outs) -> list:
    # Larger stand-ins for the unknown sizes (`_LARGE_STAND_INS`): a size still 0 in both
    # twins is a real 0; one that now differs between them is unknown, as in Keras.
    try:
        with _quiet_fake_errors(True):
            return _run_twins(run, args, kwargs, mode, _large_twin())
    except Exception:
        return outs


# `_uncollapsed` checks calls on inputs whose stand-in sizes shrank to at most this (a
# stride-8 layer makes 1 of up to 8): the sizes strided layers can make agree. Not larger:
# a recurrent layer's fake run costs a step per size unit.
_COLLAPSIBLE_SIZE = 16


def _uncollapsed(run, args, kwargs, mode, outs) -> list:
    """Twin outputs with the sizes that the stand-ins' shrinking made agree marked unknown.

    After seven stride-2 layers both stand-in sizes (61 and 97) are 1 (a RetinaNet's P7 at
    stride 128), so the twins agree and the size would be fixed at 1 where Keras leaves it
    unknown. A size of 1 or 2 in both twins, from inputs whose unknown inner sizes shrank
    to at most `_COLLAPSIBLE_SIZE`, is checked on inputs whose unknown inner sizes are
    `_LARGE_STAND_INS`: where those twins differ, the size is unknown, and the second
    twin's output gets a size one larger there.
    """
    suspect = any(
        isinstance(a, torch.Tensor)
        and isinstance(b, torch.Tensor)
        and a.dim() == b.dim()
        and any(da == db and da <= 2 for da, db in zip(a.shape[1:], b.shape[1:]))
        for a, b in zip(flatten(outs[0]), flatten(outs[1]))
    )
    if not suspect or not _has_shrunk_unknown_size(args, kwargs):
        return outs
    try:
        with _quiet_fake_errors(True):
            huge = _run_twins(run, args, kwargs, mode, _large_twin(_LARGE_STAND_INS, batch=False))
    except Exception:
        return outs
    flat_a, flat_b = flatten(outs[0]), flatten(outs[1])
    flat_ha, flat_hb = flatten(huge[0]), flatten(huge[1])
    if len(flat_ha) != len(flat_a) or len(flat_hb) != len(flat_b):
        return outs
    changed = False
    fresh = []
    for a, b, ha, hb in zip(flat_a, flat_b, flat_ha, flat_hb):
        if not all(isinstance(v, torch.Tensor) for v in (a, b, ha, hb)) or not (
            a.dim() == b.dim() == ha.dim() == hb.dim()
        ):
            fresh.append(b)
            continue
        shape = tuple(
            db + 1 if da == db and hda != hdb else db
            for da, db, hda, hdb in zip(a.shape, b.shape, ha.shape, hb.shape)
        )
        if shape == tuple(b.shape):
            fresh.append(b)
            continue
        changed = True
        fresh.append(_fake_like(b, shape))
        fresh[-1]._tork_collapsed = b  # for `_collapsed_twin`
    if not changed:
        return outs
    seconds = iter(fresh)
    return [outs[0], _map(lambda _: next(seconds), outs[1])]


def _has_shrunk_unknown_size(args, kwargs) -> bool:
    """Whether an input's unknown inner size has stand-ins of at most `_COLLAPSIBLE_SIZE`."""
    for v in flatten((args, kwargs)):
        if type(v) is not KerasTensor or not isinstance(v._fakes[0], torch.Tensor):
            continue  # ragged, sparse and string twins are left as they are
        a, b = v._fakes
        if a.dim() != len(v.shape) or b.dim() != len(v.shape):
            continue
        for d, da, db in zip(v.shape[1:], a.shape[1:], b.shape[1:]):
            if d is None and max(da, db) <= _COLLAPSIBLE_SIZE:
                return True
    return False


def _collapsed_twin(args, kwargs):
    """A twin function giving inputs `_uncollapsed` changed their shrunk twins back, or None."""
    if not any(
        isinstance(v, KerasTensor) and hasattr(v._fakes[1], "_tork_collapsed")
        for v in flatten((args, kwargs))
    ):
        return None

    def twin(value, which):
        if isinstance(value, KerasTensor):
            fake = value._fakes[which]
            return getattr(fake, "_tork_collapsed", fake)
        return _fake_twin(value, which)

    return twin


def _has_unknown_inner_size(args, kwargs) -> bool:
    return any(
        isinstance(v, KerasTensor) and any(d is None for d in v.shape[1:])
        for v in flatten((args, kwargs))
    )


# Stand-in sizes for `_replayed_outputs`: multiples of 2**7, so that a size halved by up to
# seven strided layers and doubled back by upsampling is the size it was (a U-Net or YOLO
# joins them); two different ones, as `_STAND_INS` are.
_EVEN_STAND_INS = (3 * 2**7, 5 * 2**7)

# Beyond this many upstream nodes a replay is not tried (a cost bound, not a limit of Keras).
_REPLAY_LIMIT = 2000


def _replayed_outputs(run, args, kwargs, mode, real: bool = False):
    """Outputs of a call whose inputs' stand-in sizes disagree, from the graph replayed, or None.

    A nested model joining sizes its inputs got from different depths of the outer model
    (YOLOv3 with unknown image size: an inner model upsamples one input 4x and concatenates
    it with the other) runs on stand-in sizes that strided layers made odd (61 -> 31 -> 16
    -> 8, upsampled to 32, against 31). Keras's unknown sizes are no numbers and always
    agree. The outer graph is run again from its keras.Inputs on fake twins whose unknown
    sizes are `_EVEN_STAND_INS`, and the call on the twins it gives its inputs. The replay
    leaves no state on the layers it runs.

    `real=True` replays on real tensors of ones whose unknown sizes are `_REAL_REPLAY_SIZES`
    (and `mode` is a null context): for a call that reads values, see `_real_outputs`.
    """
    targets = [v for v in flatten((args, kwargs)) if isinstance(v, KerasTensor)]
    nodes: dict = {}
    sources: dict = {}
    pending = list(targets)
    while pending:
        tensor = pending.pop()
        if type(tensor) is not KerasTensor or not isinstance(tensor._fakes[0], torch.Tensor):
            return None  # ragged, sparse and string twins are real tensors: not replayed
        node = getattr(tensor, "_tork_node", None)
        if node is None or not node.inputs:
            sources[id(tensor)] = tensor
            continue
        if id(node) in nodes:
            continue
        nodes[id(node)] = node
        if len(nodes) > _REPLAY_LIMIT:
            return None
        pending.extend(node.inputs)
    if not nodes:
        return None
    order = sorted(nodes.values(), key=lambda n: n._tork_order)
    seen: dict = {}  # a layer called more than once is restored once
    for node in order:
        if node.is_layer and hasattr(node.operation, "_flatten_layers"):
            for inner in node.operation._flatten_layers(include_self=True):
                seen.setdefault(id(inner), inner)
    layers = list(seen.values())
    before = [dict(inner.__dict__) for inner in layers]
    # A real replay may leave real tensors on the layers (states, losses): all is put back.
    lists = [{k: list(v) for k, v in old.items() if isinstance(v, list)} for old in before]
    source_twin = _real_source_twin() if real else _large_twin(_EVEN_STAND_INS)
    twins: tuple = ({}, {})
    try:
        with _quiet_fake_errors(True), torch.no_grad() if real else contextlib.nullcontext():
            for which in (0, 1):
                values = twins[which]
                for key, tensor in sources.items():
                    values[key] = source_twin(tensor, which)

                def value_of(v, values=values):
                    return values[id(v)] if isinstance(v, KerasTensor) else v

                for node in order:
                    result = _run_twin(
                        node.operation, _map(value_of, node.args), _map(value_of, node.kwargs), mode
                    )
                    for tensor, value in zip(flatten(node.output_structure), flatten(result)):
                        if isinstance(tensor, KerasTensor):
                            values[id(tensor)] = value
            outs = _run_twins(run, args, kwargs, mode, lambda v, w: _replayed_twin(v, w, twins))
    except Exception:
        return None
    finally:
        _drop_fake_state(layers, before, record_losses=False)
        if real:
            for inner, old, contents in zip(layers, before, lists):
                inner.__dict__.clear()
                inner.__dict__.update(old)
                for key, items in contents.items():
                    old[key][:] = items
    return outs


# A real replay's unknown inner sizes (batch sizes: `_SMALL_BATCHES`): small, as the whole
# upstream graph runs on real data; multiples of 2**4, exact through four halvings.
_REAL_REPLAY_SIZES = (3 * 2**4, 5 * 2**4)


def _real_source_twin():
    """A twin function giving keras.Inputs real tensors of ones (see `_replayed_outputs`)."""
    made: dict = {}

    def twin(value, which):
        key = (id(value), which)
        if key not in made:
            old = value._fakes[which]
            batch = _SMALL_BATCHES[which] if value.shape and value.shape[0] is None else None
            shape = tuple(
                (batch if i == 0 and batch else _REAL_REPLAY_SIZES[which]) if d is None else d
                for i, d in enumerate(value.shape)
            )
            made[key] = torch.ones(shape, dtype=old.dtype, device=old.device)
        return made[key]

    return twin


def _replayed_twin(value, which, twins):
    if isinstance(value, KerasTensor):
        return twins[which][id(value)]
    return value


def _large_twin(sizes=None, batch: bool = True):
    """A twin function giving every unknown size of the inputs `sizes` (`_LARGE_STAND_INS`).

    With `batch=False` the batch size stays the twins' own: only inner sizes are set.
    """
    sizes = _LARGE_STAND_INS if sizes is None else sizes
    made: dict = {}

    def twin(value, which):
        if not isinstance(value, KerasTensor) or not value.shape:
            return _fake_twin(value, which)
        old = value._fakes[which]
        if not isinstance(old, torch.Tensor) or getattr(old, "is_nested", False):
            return _fake_twin(value, which)  # strings and ragged twins keep their own
        key = (id(value), which)
        if key not in made:
            size = sizes[which]
            shape = [size if d is None else d for d in value.shape]
            if not batch:
                shape[0] = old.shape[0]
            made[key] = _fake_like(old, tuple(shape))
        return made[key]

    return twin


def _fake_like(old: torch.Tensor, shape: tuple) -> torch.Tensor:
    """A fake tensor of `shape` with `old`'s dtype and device, and its mask if it has one."""
    with fake_mode():
        new = torch.empty(shape, dtype=old.dtype, device=old.device)
        mask = getattr(old, "_keras_mask", None)
        if mask is not None:
            new._keras_mask = torch.empty(shape[: mask.dim()], dtype=mask.dtype, device=mask.device)
    return new


def _note_hard_coded_batch(error: Exception) -> None:
    if hasattr(error, "add_note"):
        error.add_note(
            "The batch size of keras.Input is unknown (None) here, but this reshape asks "
            "for a fixed one: the layer seems to hard-code a batch size. Declare it with "
            "keras.Input(..., batch_size=N), or reshape with -1 (or tf.shape(x)[0]) for "
            "the batch axis."
        )


@contextlib.contextmanager
def _quiet_fake_errors(quiet: bool):
    """Silences torch's log of an op failing on fake tensors, for a failure we expect."""
    logger = logging.getLogger("torch._subclasses.fake_tensor")
    level = logger.level
    if quiet:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def _run_twins(run, args, kwargs, mode, twin) -> list:
    outs = []
    for which in (0, 1):
        fa = _map(lambda v, w=which: twin(v, w), args)
        fk = _map(lambda v, w=which: twin(v, w), kwargs)
        token = SYMBOLIC_TWIN.set(which)
        try:
            outs.append(_run_twin(run, fa, fk, mode))
        finally:
            SYMBOLIC_TWIN.reset(token)
        # The twins stand for every KerasTensor of the call: one coming out was captured.
        _captured.check_outputs(flatten(outs[-1]))
    return outs


def _batch_unifier(args, kwargs):
    """A twin function giving unknown-batch inputs the one fixed batch size of the others."""
    tensors = [v for v in flatten((args, kwargs)) if isinstance(v, KerasTensor) and v.shape]
    fixed = {t.shape[0] for t in tensors if t.shape[0] is not None}
    if len(fixed) != 1 or all(t.shape[0] is not None for t in tensors):
        return None
    return _batch_twin(fixed.pop())


def _outputs_of(outs):
    flat_a, flat_b = flatten(outs[0]), flatten(outs[1])
    pairs = iter(zip(flat_a, flat_b))

    def make(leaf_a):
        a, b = next(pairs)
        if not isinstance(a, (torch.Tensor, StringTensor)):
            return a
        shape = tuple(da if da == db else None for da, db in zip(a.shape, b.shape))
        return KerasTensor(shape, a.dtype, fakes=(a, b))

    return _map(make, outs[0])


def _model_on_strings(layer, inputs) -> bool:
    """True for a model called on string KerasTensors (e.g. a Sequential starting with
    StringLookup): building it from the shapes alone would run it on float zeros, so it is
    left to build itself on the traced string inputs."""
    from tork.keras.models.model import Model

    if not isinstance(layer, Model):
        return False
    return any(
        isinstance(v, KerasTensor) and isinstance(v._fakes[0], StringTensor)
        for v in flatten(inputs)
    )


def call_symbolic(layer, args, kwargs):
    """Calls a layer on KerasTensors: builds it, infers outputs, records a Node."""
    from tork.keras.layers._build_args import extra_build_shapes
    from tork.keras.layers.layer import _shape_of

    if args and not isinstance(args[0], KerasTensor):
        # NumPy constants among the inputs (`Multiply()([np.array([[0.0]]), x])`, tf-keras'
        # custom-training-loop tutorial test) become tensors, as in an eager call.
        args = (_numpy_as_tensors(layer, args[0]), *args[1:])
    inputs = args[0] if args else None
    kwargs = dict(kwargs)
    _captured.check_operands(f"layer '{layer.name}'", args, kwargs)
    with scratch_names():  # sublayers made here are named as tf.keras names them
        if not layer.built and not _model_on_strings(layer, inputs):
            shapes = _shape_of(inputs)
            CONTEXT.stack.append(layer)
            try:
                # Keras 3's `build(self, x_shape, y_shape)`: the other arguments' shapes.
                layer.__dict__["_tork_extra_build_shapes"] = extra_build_shapes(
                    layer, args, kwargs, _shape_of
                )
                layer._tork_build(shapes)
            finally:
                CONTEXT.stack.pop()
        outputs = _traced_outputs(layer, args, kwargs, inputs)
        if _has_composite_leaf(outputs):
            # A layer making a SparseTensor/RaggedTensor from dense inputs (stellargraph's
            # SqueezedSparseConversion: `tf.SparseTensor(indices, values, shape)` in `call`):
            # fake twins cannot stand for its data, so it runs on real twins, as layers on
            # sparse inputs do, and later calls go there directly.
            from tork.keras.models.functional import composite

            layer.__dict__["_tork_composite_output"] = True
            return composite.call_layer(layer, args, kwargs)
        if getattr(layer, "_tork_size_varies", False) and isinstance(outputs, KerasTensor):
            # A layer whose output size changes per call (RandomHeight): tracing saw one
            # size; its own compute_output_shape says which sizes are unknown.
            declared = layer.compute_output_shape(tuple(inputs.shape))
            outputs = KerasTensor(declared, outputs.dtype)
    Node(layer, args, kwargs, outputs, is_layer=True)
    if layer.__dict__.get("_tork_out_shape") is None:
        shapes = _map(lambda v: v.shape if isinstance(v, KerasTensor) else None, outputs)
        layer.__dict__["_tork_out_shape"] = shapes
    return outputs


def _has_composite_leaf(outputs) -> bool:
    """Whether a traced output nest holds a SparseTensor or RaggedTensor (no KerasTensor)."""
    from tork._backend.ragged_tensor import RaggedTensor
    from tork._backend.sparse_tensor import SparseTensor

    return any(isinstance(v, (SparseTensor, RaggedTensor)) for v in flatten(outputs))


def _numpy_as_tensors(layer, value):
    """`value` (a layer's inputs) with its NumPy arrays as tensors, floats in the layer's
    compute dtype when it autocasts (as its eager call converts them)."""
    if isinstance(value, (np.ndarray, np.generic)):
        from tork.keras.layers.layer import _convert_inputs

        autocast = getattr(layer, "_tork_autocast", None)
        target = layer._tork_compute_dtype if autocast is not None and autocast() else None
        return _convert_inputs(value, target)
    if type(value) in (list, tuple):
        return type(value)(_numpy_as_tensors(layer, v) for v in value)
    if type(value) is dict:
        return {k: _numpy_as_tensors(layer, v) for k, v in value.items()}
    return value


def _traced_outputs(layer, args, kwargs, inputs):
    args = _sizes_fixed_by_model(layer, args) or args
    layers = layer._flatten_layers(include_self=True)
    before = [dict(inner.__dict__) for inner in layers]
    first_order = next(_NODE_ORDER)  # nodes made by the call itself come after it
    try:
        try:
            outputs = _symbolic_outputs(layer.__call__, args, kwargs)
        except _captured.CapturedSymbolicError:
            raise
        except Exception as error:
            # A string op in the layer refusing the empty-string twins of a string Input
            # (`tf.strings.substr(x, 11, 2)` in a Lambda): retry on strings of digits, as
            # ops on string inputs are (see `_call_string_op`).
            filled = _digit_filler()
            digit_args, digit_kwargs = _map(filled, args), _map(filled, kwargs)
            if all(
                a is b for a, b in zip(flatten((args, kwargs)), flatten((digit_args, digit_kwargs)))
            ):
                raise
            try:
                outputs = _symbolic_outputs(layer.__call__, digit_args, digit_kwargs)
            except Exception:
                raise error from None
    except _captured.CapturedSymbolicError as error:
        # Not its declared output shape either: the model could not run it.
        own = [v for v in flatten((args, kwargs)) if isinstance(v, KerasTensor)]
        raise error.for_layer(layer, first_order, own) from None
    except Exception as error:
        _restore_unknown_sizes(error, (args, kwargs))
        try:
            # A sublayer's build that failed after setting `built`: the declared outputs
            # would hide the error, and the half-built sublayer would run without the
            # rest of its build (BiT's StandardizedConv2D replacing its convolution in
            # `build`). tf.keras raises it here.
            declared = (
                None if _half_built(error) else _declared_outputs(layer, args, kwargs, inputs)
            )
        except Exception as fallback:
            # The call's own error says more; the declaration's problem goes in a note.
            declared = None
            if hasattr(error, "add_note"):
                error.add_note(
                    f"(its compute_output_spec/compute_output_shape could not stand in: "
                    f"{type(fallback).__name__}: {fallback})"
                )
        if declared is not None:
            return declared
        if hasattr(error, "add_note") and not getattr(error, "_tork_symbolic_note", False):
            error._tork_symbolic_note = True
            error.add_note(
                f"(while calling layer '{layer.name}' ({type(layer).__name__}) on symbolic "
                f"inputs of shape {_describe(inputs)} in the functional API)"
            )
        raise
    finally:
        _drop_fake_state(layers, before)
    return outputs


def _half_built(error: BaseException) -> bool:
    """Whether `error` came out of a layer's build that left the layer marked built.

    A `build` that calls `super().build()` (which sets `built`) and then fails: a retry
    would skip the rest of that build, so the error must not be retried or replaced.
    A build that failed before `built` was set (a kernel larger than a shrunk stand-in
    size) builds again on the retry.
    """
    from tork.keras.layers.layer import Layer

    code = Layer._tork_maybe_build.__code__
    tb = error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code is code and getattr(tb.tb_frame.f_locals.get("self"), "built", False):
            return True
        tb = tb.tb_next
    return False


def _sizes_fixed_by_model(layer, args):
    """`args` with unknown inner sizes set to the ones a functional model's Inputs fix, or None.

    Keras takes an unknown size as compatible with an Input's fixed one: bert4keras3 calls
    its cache decoder, built for an 8-token context, on an encoder output of unknown length.
    The stand-ins for the unknown size would fail the model's input check, so the call is
    traced with the model's sizes (the recorded node keeps the caller's tensors).
    """
    from tork.keras.models.functional.functional import Functional

    if not isinstance(layer, Functional) or not args or isinstance(args[0], dict):
        return None
    expected = layer.__dict__.get("_tork_flat_inputs") or []
    given = flatten(args[0])
    if len(given) != len(expected):
        return None
    merged = []
    for value, symbol in zip(given, expected):
        if (
            type(value) is KerasTensor
            and len(value.shape) == len(symbol.shape)
            and any(v is None and s is not None for v, s in zip(value.shape[1:], symbol.shape[1:]))
            and all(v is None or s is None or v == s for v, s in zip(value.shape, symbol.shape))
        ):
            shape = (value.shape[0],) + tuple(
                s if v is None else v for v, s in zip(value.shape[1:], symbol.shape[1:])
            )
            mask = getattr(value._fakes[0], "_keras_mask", None)
            value = KerasTensor(shape, value.dtype)
            if isinstance(mask, torch.Tensor):  # the mask rides on the twins: keep it
                for fake, fake_mask in zip(
                    value._fakes, make_fakes(shape[: mask.dim()], mask.dtype)
                ):
                    fake._keras_mask = fake_mask
        merged.append(value)
    if all(a is b for a, b in zip(merged, given)):
        return None
    leaves = iter(merged)
    return (_map(lambda _: next(leaves), args[0]), *args[1:])


def _declared_outputs(layer, args, kwargs, inputs):
    """Outputs a user layer declares by its own `compute_output_spec`/`compute_output_shape`
    (or a Lambda by its `output_shape`).

    Keras 3 builds a functional call from these, when a layer overrides them, without
    running `call`; tork runs `call` on stand-ins (Keras 2 traces it too) and asks them
    only when that fails, e.g. for a `call` whose Python loop reads tensor values
    (`while cond(x): x = body(x)`, bert4keras3's generation layer). None when the layer
    overrides neither (only overrides written outside tork count: tork's own layers'
    errors stay errors). Keras 3 gives every declared output the layer's compute dtype.
    """
    from tork.keras.layers.layer import Layer, _shape_of

    def own(name):
        method = getattr(type(layer), name, None)
        base = getattr(Layer, name)
        return (
            method is not None
            and method is not base
            and not getattr(method, "__module__", "tork").startswith("tork.")
        )

    from tork.keras.layers.core.lambda_layer import Lambda

    # Keras 2's `Lambda(fn, output_shape=...)` declares its output too: yolov4-tf2's loss
    # Lambda joins head outputs of unknown size (Input((None, None, 3))) with targets of
    # fixed size, which no stand-in size satisfies; TensorFlow's symbolic shapes do.
    declared_lambda = isinstance(layer, Lambda) and layer._output_shape is not None
    # tork's own layers whose compute_output_shape reads unknown sizes as Keras does
    # (Reshape((1, 100)) of an Input(batch_shape=(1, None)); Add of (4, None) and (4, 5)):
    # the stand-in sizes fail their call where Keras's unknown sizes are compatible.
    # (Not for user subclasses: their own call may give another shape.)
    declared_builtin = getattr(type(layer), "_tork_declares_output_shape", False) and (
        type(layer).__module__.startswith("tork.")
    )
    if own("compute_output_spec"):
        return layer.compute_output_spec(*args, **kwargs)
    if not (declared_lambda or declared_builtin or own("compute_output_shape")):
        return None
    dtype = layer.compute_dtype

    def spec(shape):
        if _is_shape(shape):
            return KerasTensor(tuple(shape), dtype)
        if isinstance(shape, dict):
            return {k: spec(v) for k, v in shape.items()}
        if isinstance(shape, (list, tuple)):
            specs = [spec(v) for v in shape]
            return tuple(specs) if isinstance(shape, tuple) else specs
        raise TypeError(
            f"{type(layer).__name__}.compute_output_shape returned {shape!r}, which is no "
            "shape (a tuple of ints and None) nor a list/tuple/dict of shapes."
        )

    return spec(layer.compute_output_shape(_shape_of(inputs)))


def _is_shape(value) -> bool:
    return isinstance(value, (tuple, list)) and all(
        d is None or (isinstance(d, (int, np.integer)) and not isinstance(d, bool)) for d in value
    )


_REFUSES: list = []


def _fake_refuses_variables() -> bool:
    """Whether this torch's FakeTensorMode refuses Parameter subclasses such as Variable.

    torch before 2.13 treats any Parameter subclass as an unknown tensor subclass: every op
    mixing a fake input with a Variable then fails ("Multiple dispatch failed").
    """
    if not _REFUSES:
        from torch._subclasses import fake_tensor
        from torch.utils._python_dispatch import _disable_current_modes

        check = getattr(fake_tensor, "_check_for_subclass_arg", None)

        class _Probe(torch.nn.Parameter):
            pass

        with _disable_current_modes():  # a real probe, also when asked inside the fake mode
            _REFUSES.append(check is None or bool(check(_Probe(torch.zeros(())))))
    return _REFUSES[0]


def _swap_variables(layer):
    """Puts plain-tensor views of the layer's Variables where it holds them, until restored."""
    from torch.utils._python_dispatch import _disable_current_modes

    from tork.keras._variable_slots import Swap, model_slots

    swap = Swap()
    views: dict = {}
    # Outside the fake mode: the views must be real tensors sharing the Variables' storage.
    with _disable_current_modes():
        for container, key, tensor, raw in model_slots(layer):
            if type(tensor) in (torch.Tensor, torch.nn.Parameter):
                continue
            view = views.get(id(tensor))
            if view is None:
                view = tensor.detach().requires_grad_(tensor.requires_grad)
                views[id(tensor)] = view
            swap.set(container, key, view, raw)
    return swap


def _is_fake(value) -> bool:
    from torch._subclasses.fake_tensor import FakeTensor

    if isinstance(value, FakeTensor):
        return True
    if isinstance(value, (list, tuple)):
        return any(_is_fake(v) for v in value)
    return False


def _drop_fake_state(layers, before, record_losses: bool = True) -> None:
    """Undoes what a symbolic call cached on layers as fake tensors (e.g. RNN states).

    A layer that caches a tensor during call (a permutation, stateful RNN states)
    would otherwise keep a data-less fake tensor and use it on real data later.
    `record_losses=False` drops losses added in call without listing them as symbolic
    losses (a replay of calls already recorded: see `_replayed_outputs`).
    """
    for inner, old in zip(layers, before):
        for key, value in list(inner.__dict__.items()):
            if not _is_fake(value):
                continue
            if record_losses and key == "_tork_call_losses" and isinstance(value, list):
                # Losses added in call: Keras 2's model.losses lists them as symbolic tensors
                # until the model runs on data (a functional model shows them).
                symbolic = inner.__dict__.setdefault("_tork_symbolic_losses", [])
                for v in value:
                    if _is_fake(v):
                        shape = tuple(None if d in _STAND_INS else d for d in v.shape)
                        symbolic.append(KerasTensor(shape, v.dtype, name=f"{inner.name}/loss"))
            if key in old and old[key] is value and isinstance(value, list):
                value[:] = [v for v in value if not _is_fake(v)]  # e.g. losses added in call
            elif key in old and not _is_fake(old[key]):
                inner.__dict__[key] = old[key]
            else:
                del inner.__dict__[key]


def _on_strings(func, args, kwargs) -> bool:
    """Whether an op call involves strings: tf.strings ops (as_string makes them from
    numbers, which fake twins cannot) and ops on string KerasTensors."""
    if (getattr(func, "_tork_api_name", None) or "").startswith("tf.strings."):
        return True
    return any(
        isinstance(v, KerasTensor) and isinstance(v._fakes[0], StringTensor)
        for v in flatten((args, kwargs))
    )


# The strings standing for string inputs when an op refuses the empty-string twins
# (`tf.strings.to_number`, `tf.strings.substr` past the end): a number, long enough.
_DIGITS = b"0" * 64


def _digit_filler():
    """A function giving string KerasTensors twins of `_DIGITS` (others unchanged)."""
    digits: dict = {}

    def filled(v):
        if not isinstance(v, KerasTensor) or not isinstance(v._fakes[0], StringTensor):
            return v
        if id(v) not in digits:
            fakes = tuple(
                string_tensor.wrap(np.full(f.shape, _DIGITS, dtype=object)) for f in v._fakes
            )
            digits[id(v)] = KerasTensor(v.shape, v.dtype, name=v.name, fakes=fakes)
        return digits[id(v)]

    return filled


def _call_string_op(func, args, kwargs, layer):
    """Records an op involving strings, run on real twins as ragged/sparse ones are: a
    string op may return a RaggedTensor (`tf.strings.split`).

    The twins of string inputs are empty strings (see `make_fakes`); an op that cannot
    take them runs on strings of digits instead, and its string outputs get empty twins
    again, so that layers downstream (TextVectorization) see no made-up text.
    """
    from tork.keras.models.functional import composite

    try:
        return composite.call_op(func, args, kwargs, layer=layer)
    except Exception as error:
        filled = _digit_filler()

        def emptied(v):
            if isinstance(v, StringTensor):
                return string_tensor.wrap(np.full(v.shape, b"", dtype=object))
            return v

        if not any(filled(v) is not v for v in flatten((args, kwargs))):
            raise  # no string inputs (tf.strings.as_string): nothing else to try
        try:
            outs = composite._run(func, _map(filled, args), _map(filled, kwargs))
        except Exception:
            raise error from None
        outputs = composite._outputs([_map(emptied, out) for out in outs])
    Node(func, args, kwargs, outputs, is_layer=False, layer=layer)
    return outputs


def call_torch_op(func, args, kwargs, layer=None):
    """Records a torch function applied to KerasTensors as a graph node.

    Args:
        func: the function (a tork op, a torch function or Tensor method).
        args, kwargs: its arguments, KerasTensors among them.
        layer: the `TFOpLambda` layer of the call (one calling itself again); default a new
            one, named after the function.
    """
    from tork.keras.models.functional import composite

    name = getattr(func, "_tork_api_name", None) or getattr(func, "__name__", repr(func))
    _captured.check_operands(name, args, kwargs)
    if _on_strings(func, args, kwargs):
        return _call_string_op(func, args, kwargs, layer)
    if composite.wants_composite(None, args, kwargs):  # ragged/sparse symbolic tensors
        return composite.call_op(func, args, kwargs, layer=layer)
    if CONTEXT.data_step and not CONTEXT.in_build:
        # A symbolic tensor in code that runs on a batch in fit/evaluate/predict: a loss or
        # metric closing over a keras.Input (old Keras code passing extra data that way).
        raise _captured_symbolic_error(func, args, kwargs, _real_operands(args, kwargs))
    try:
        outputs = _symbolic_outputs(func, args, kwargs)
    except Exception as error:
        _restore_unknown_sizes(error, (args, kwargs))
        if hasattr(error, "add_note") and not getattr(error, "_tork_symbolic_note", False):
            error._tork_symbolic_note = True
            error.add_note(
                f"(while applying {name} to symbolic inputs of shape "
                f"{_describe((args, kwargs))} in the functional API)"
            )
        raise
    Node(func, args, kwargs, outputs, is_layer=False, layer=layer)
    return outputs


def _real_operands(args, kwargs) -> list:
    """The real (not fake, not symbolic) tensors among an op's arguments."""
    from torch._subclasses.fake_tensor import FakeTensor

    return [
        v
        for v in flatten((args, kwargs))
        if isinstance(v, torch.Tensor)
        and not isinstance(v, FakeTensor)
        and not getattr(v, "is_nested", False)
    ]


def _captured_symbolic_error(func, args, kwargs, data) -> TypeError:
    """The error for a symbolic tensor meeting data, e.g. a keras.Input in a loss closure.

    Old Keras code passes extra training data to a loss by closing over a `keras.Input`
    (`def loss(y, p): return K.sum(-K.log(p) * advantages)`); the Input has no value when
    the loss runs on a batch. tf.keras refuses it too.
    """
    from tork.keras.models.functional.input_layer import InputLayer

    described = []
    for tensor in flatten((args, kwargs)):
        if not isinstance(tensor, KerasTensor):
            continue
        layer = tensor._keras_history.layer
        if isinstance(layer, InputLayer):
            described.append(f"the keras.Input '{layer.name}' of shape {tuple(tensor.shape)}")
        elif layer is not None:
            described.append(f"the output of layer '{layer.name}' of shape {tuple(tensor.shape)}")
        else:
            described.append(f"the symbolic tensor '{tensor.name}' of shape {tuple(tensor.shape)}")
    real = ", ".join(str(tuple(v.shape)) for v in data)
    name = getattr(func, "_tork_api_name", None) or getattr(func, "__name__", repr(func))
    met = f" together with real tensors of shape {real}" if real else " while running on data"
    message = (
        f"{name} received {' and '.join(described)}{met}. A symbolic KerasTensor has no "
        "value when code runs on data: it seems "
        "captured by a loss, a metric or other code that runs in a training step "
        "(e.g. `def loss(y_true, y_pred): return K.sum(-K.log(y_pred) * advantages)` with "
        "`advantages = keras.Input(...)`). Pass it as an input of the model and compute the "
        "loss inside the model with `model.add_loss(...)` (or in a layer calling "
        "`self.add_loss`), or write a custom `train_step` that takes it from the data."
    )
    return TypeError(message)


def _restore_unknown_sizes(error: Exception, inputs) -> None:
    """Writes the symbolic shapes into an error's message in place of the stand-in sizes.

    A layer's own check that fails during shape inference describes the fake tensor it
    saw, e.g. `(61, 8, 8, 5)`; the user declared `(None, 8, 8, 5)`.
    """
    if not error.args or not isinstance(error.args[0], str):
        return
    message = error.args[0]
    for tensor in flatten(inputs):
        if not isinstance(tensor, KerasTensor) or None not in tensor.shape:
            continue
        fake = tuple(tensor._fakes[0].shape)
        symbolic = tuple(tensor.shape)
        for stand_in, shown in ((str(fake), str(symbolic)), (str(list(fake)), str(list(symbolic)))):
            message = message.replace(stand_in, shown)
    message = _unknown_sizes_in_other_shapes(message, inputs)
    if message != error.args[0]:
        error.args = (message, *error.args[1:])


# A shape written in a message: `(61, 3)`, `[61, 3]`, `torch.Size([61, 3])`.
_WRITTEN_SHAPE = re.compile(r"[\[(]\s*-?\d+(?:\s*,\s*-?\d+)*\s*,?\s*[\])]")
_ELEMENT_COUNT = re.compile(r"\((\d+) elements\)")


def _unknown_sizes_in_other_shapes(message: str, inputs) -> str:
    """Writes None for the stand-in sizes in shapes met inside a call (not its inputs').

    A Lambda or a custom layer's `call` fails on an intermediate tensor, e.g. "expected
    shape should be broadcastable to [61, 3]": the 61 is the unknown batch size. A stand-in
    equal to one of the inputs' known sizes is left alone (it could be that size).
    """
    stand_ins, known = set(), set()
    for tensor in flatten(inputs):
        if not isinstance(tensor, KerasTensor) or not isinstance(
            getattr(tensor, "_fakes", (None,))[0], torch.Tensor
        ):
            continue
        for size, fake in zip(tensor.shape, tensor._fakes[0].shape):
            (stand_ins if size is None else known).add(int(fake) if size is None else size)
    stand_ins -= known
    if not stand_ins:
        return message

    def unknown(match):
        return re.sub(
            r"-?\d+",
            lambda size: "None" if int(size.group()) in stand_ins else size.group(),
            match.group(),
        )

    message = _WRITTEN_SHAPE.sub(unknown, message)
    if len(stand_ins) == 1:
        # "(610 elements)" of a (None, 10) tensor: 10 per sample.
        (size,) = stand_ins

        def per_sample(match):
            count = int(match.group(1))
            if count and count % size == 0:
                return f"({count // size} elements per sample)"
            return match.group()

        message = _ELEMENT_COUNT.sub(per_sample, message)
    return message


def _describe(value) -> str:
    shapes = [v.shape for v in flatten(value) if isinstance(v, KerasTensor)]
    return ", ".join(str(s) for s in shapes) or "?"
