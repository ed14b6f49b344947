"""`tf.gradients` and `tf.hessians`: TF 1 style symbolic gradients over torch autograd.

TensorFlow computes `tf.gradients(ys, xs)` in a graph: inside a functional model's
`Lambda` or a layer's `call` (a physics-informed net's du/dx, a WGAN-GP gradient
penalty, an input-gradient output) it gives d(sum ys)/d(xs) as a tensor that the
training step differentiates again. tork runs eagerly, so the gradient comes from
torch autograd (`torch.autograd.grad(..., create_graph=True)`), which needs `xs` to be
recorded when `ys` was computed:

- In a functional model, the symbolic build notes which symbolic tensors are the `xs` of
  a `tf.gradients` call (`wanted_during_build`); the model then runs them as
  gradient-recording tensors, in `predict` and `evaluate` too (see
  tork/keras/models/functional/functional.py).
- In a subclassed model or a Sequential, an `xs` that nothing recorded raises
  `InputsNotRecordedError`: `fit`/`evaluate`/`predict` (and `Model.build`) catch it once
  and run again with the model's inputs recorded, from then on for that model (see
  `_in_data_step` in tork/keras/trainers/trainer.py). The first, interrupted step may
  have updated state such as BatchNormalization's moving statistics once more.
- In eager code outside those (TensorFlow raises there too) the error's message names
  `tf.GradientTape` as the way to write it.
"""

from __future__ import annotations

import contextlib
import threading

import torch

from tork._symbolic import symbolic_op
from tork.tape import _wants_zeros

__all__ = ["gradients", "hessians"]  # tork's own helpers are imported by name

_state = threading.local()


@contextlib.contextmanager
def wanted_during_build():
    """Collects the `xs` tensors that `tf.gradients` sees while a symbolic call runs.

    Yields:
        A list that receives those tensors (the fake twins of symbolic tensors).
    """
    outer = getattr(_state, "wanted", None)
    wanted: list = []
    _state.wanted = wanted
    try:
        yield wanted
    finally:
        _state.wanted = outer
        if outer is not None:
            outer.extend(wanted)


def _is_fake(value) -> bool:
    from torch._subclasses.fake_tensor import FakeTensor

    return isinstance(value, FakeTensor)


def _as_list(value, what: str) -> list:
    if isinstance(value, (list, tuple)):
        items = list(value)
    else:
        items = [value]
    for i, item in enumerate(items):
        if not isinstance(item, torch.Tensor):
            raise TypeError(
                f"tf.gradients: `{what}` must be a tensor or a list of tensors; item {i} is "
                f"{type(item).__name__} ({item!r:.60})."
            )
    return items


class InputsNotRecordedError(RuntimeError):
    """tf.gradients met an `xs` tensor that autograd did not record.

    Keras's fit/evaluate/predict catch it once and run the step again with the model's
    inputs recorded (see `run_recording`); elsewhere the user reads its message.
    """


def recorded(value):
    """`value` as a tensor that autograd records (a new leaf unless it is recorded)."""
    if not isinstance(value, torch.Tensor) or value.requires_grad:
        return value
    if not (value.is_floating_point() or value.is_complex()):
        return value
    if value.is_inference():
        value = value.clone()  # inference tensors cannot be recorded
    leaf = value.detach().requires_grad_(True)
    mask = getattr(value, "_keras_mask", None)
    if mask is not None:
        leaf._keras_mask = mask
    return leaf


def detached(value):
    """`value` without its autograd history (keeps a Keras mask)."""
    if not isinstance(value, torch.Tensor) or not value.requires_grad:
        return value
    out = value.detach()
    mask = getattr(value, "_keras_mask", None)
    if mask is not None:
        out._keras_mask = mask
    return out


@contextlib.contextmanager
def recording():
    """Records autograd also under `torch.no_grad()` / `torch.inference_mode()`.

    Yields:
        True when recording was off before (results should then be detached).
    """
    inference = torch.is_inference_mode_enabled()
    was_off = inference or not torch.is_grad_enabled()
    with torch.inference_mode(False) if inference else contextlib.nullcontext():
        with torch.enable_grad():
            yield was_off


def _not_recorded_error(index: int, x: torch.Tensor) -> RuntimeError:
    return InputsNotRecordedError(
        f"tf.gradients(ys, xs): xs[{index}] (shape {tuple(x.shape)}) was not recorded for "
        "differentiation when ys was computed, so its gradient cannot be taken. tork runs "
        "eagerly: it records the xs of tf.gradients for you in functional models and in "
        "Keras's fit/evaluate/predict, where xs is the model's input or computed from it. "
        "Elsewhere (an eager model call, a tensor not computed from the model's input) use "
        "tf.GradientTape instead: compute ys under `with tf.GradientTape() as tape:` after "
        "`tape.watch(x)`, then call `tape.gradient(ys, x)`."
    )


@symbolic_op("tf")
def gradients(
    ys,
    xs,
    grad_ys=None,
    name: str = "gradients",
    gate_gradients: bool = False,
    aggregation_method=None,
    stop_gradients=None,
    unconnected_gradients="none",
    colocate_gradients_with_ops: bool = True,
) -> list:
    """Constructs the symbolic derivatives of the sum of `ys` with respect to each of `xs`.

    The result is differentiable (a Keras training step can take its gradient again), as
    TensorFlow's graph gradients are. Use it in a functional model's `Lambda` layer or
    layer `call` (e.g. the du/dx of a physics-informed network); in eager code prefer
    `tf.GradientTape`.

    Args:
        ys: a tensor or list of tensors to differentiate (summed).
        xs: a tensor or list of tensors to differentiate with respect to.
        grad_ys: optional list of tensors of `ys`' shapes, the weights of `ys` (`None`
            entries mean ones).
        name: unused (graph op names).
        gate_gradients: unused.
        aggregation_method: unused.
        stop_gradients: not supported: use `tf.stop_gradient` on those tensors instead.
        unconnected_gradients: `'none'` (default) gives `None` for an `x` that `ys` does
            not depend on; `'zero'` gives zeros.
        colocate_gradients_with_ops: unused (the `tf.compat.v1` argument).

    Returns:
        A list of `len(xs)` tensors (or `None`), each of its `x`'s shape.

    Raises:
        RuntimeError: when an `x` was never recorded for differentiation (eager code).

    Example:
    >>> x = tf.keras.Input((1,))
    >>> u = tf.keras.layers.Dense(1)(x)
    >>> du_dx = tf.keras.layers.Lambda(lambda z: tf.gradients(z[0], z[1])[0])([u, x])
    """
    del name, gate_gradients, aggregation_method, colocate_gradients_with_ops
    if stop_gradients is not None:
        raise NotImplementedError(
            "tf.gradients(..., stop_gradients=...) is not supported by tork: apply "
            "tf.stop_gradient to those tensors where ys is computed instead."
        )
    ys = _as_list(ys, "ys")
    xs = _as_list(xs, "xs")
    if grad_ys is None:
        weights = [None] * len(ys)
    else:
        weights = list(grad_ys) if isinstance(grad_ys, (list, tuple)) else [grad_ys]
        if len(weights) != len(ys):
            raise ValueError(
                f"tf.gradients: grad_ys has {len(weights)} tensors but ys has {len(ys)}; "
                "pass one weight tensor (or None) per ys tensor."
            )
    zeros = _wants_zeros(unconnected_gradients)
    # A functional model's symbolic build (on fake tensors, nothing recorded yet); fake
    # tensors met elsewhere (a traced jit_compile step) are data.
    wanted = getattr(_state, "wanted", None)
    building = wanted is not None and any(_is_fake(x) for x in xs)
    if building and wanted is not None:
        wanted.extend(x for x in xs if not x.requires_grad)

    outputs, grad_outputs = [], []
    for y, w in zip(ys, weights):
        if not y.requires_grad:
            continue  # a constant: adds nothing
        if not (y.is_floating_point() or y.is_complex()):
            continue
        outputs.append(y)
        grad_outputs.append(torch.ones_like(y) if w is None else torch.as_tensor(w).to(y))
    index = []
    for i, x in enumerate(xs):
        if x.requires_grad:
            index.append(i)
        elif not building and (x.is_floating_point() or x.is_complex()):
            # Not recorded: a graph would still connect it to ys; a None here would be a
            # silently missing gradient.
            raise _not_recorded_error(i, x)
    result: list = [None] * len(xs)
    if outputs and index:
        with torch.enable_grad():
            computed = torch.autograd.grad(
                outputs,
                [xs[i] for i in index],
                grad_outputs,
                retain_graph=True,
                create_graph=True,
                allow_unused=True,
            )
        for i, g in zip(index, computed):
            # The second derivative of abs/sign is a lazy ZeroTensor that numpy refuses.
            result[i] = torch.zeros_like(g) if g is not None and g._is_zerotensor() else g
    for i, x in enumerate(xs):
        # While a functional model is built nothing is recorded yet: the gradient's shape
        # is what the next layers need (the model records xs when it runs).
        if result[i] is None and (zeros or (building and _is_fake(x))):
            result[i] = torch.zeros_like(x)
    return result


@symbolic_op("tf")
def hessians(
    ys,
    xs,
    name: str = "hessians",
    colocate_gradients_with_ops: bool = False,
    gate_gradients: bool = False,
    aggregation_method=None,
) -> list:
    """The Hessian of the sum of `ys` with respect to each of `xs`, as `tf.hessians`.

    Args:
        ys: a tensor or list of tensors (summed).
        xs: a tensor or list of tensors.
        name: unused.
        colocate_gradients_with_ops: unused.
        gate_gradients: unused.
        aggregation_method: unused.

    Returns:
        A list with, for each `x`, a tensor of shape `x.shape + x.shape` (or `None` when
        `ys` does not depend on `x`).
    """
    del name, colocate_gradients_with_ops, gate_gradients, aggregation_method
    xs = _as_list(xs, "xs")
    if getattr(_state, "wanted", None) is not None and any(_is_fake(x) for x in xs):
        # A symbolic build: only the shapes matter (see `gradients`).
        gradients(ys, xs)
        return [torch.zeros(tuple(x.shape) * 2, dtype=x.dtype, device=x.device) for x in xs]
    firsts = gradients(ys, xs)
    result = []
    for x, g in zip(xs, firsts):
        if g is None:
            result.append(None)
            continue
        flat = g.reshape(-1)
        rows = []
        for k in range(flat.numel()):
            (row,) = gradients(flat[k], [x], unconnected_gradients="zero")
            rows.append(row)
        if rows:
            hessian = torch.stack(rows).reshape(tuple(x.shape) + tuple(x.shape))
        else:
            hessian = torch.zeros(tuple(x.shape) * 2, dtype=x.dtype, device=x.device)
        result.append(hessian)
    return result
