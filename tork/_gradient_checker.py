"""`tf.test.compute_gradient`: autodiff Jacobians next to finite-difference ones."""

from __future__ import annotations

import numpy as np
import torch

from tork._backend.tensor import convert_to_tensor

# TensorFlow's default perturbation: a power of two, exact in every float dtype.
_DEFAULT_DELTA = 1.0 / 1024


def _as_input(value, index: int) -> torch.Tensor:
    tensor = convert_to_tensor(value)
    if not (tensor.is_floating_point() or tensor.is_complex()):
        raise TypeError(
            f"tf.test.compute_gradient: cannot compute the gradient for argument {index} of "
            f"dtype {str(tensor.dtype).replace('torch.', '')}: gradients need float inputs. "
            "Cast it first, e.g. tf.cast(x, tf.float32)."
        )
    return tensor.detach().clone()


def _output(f, xs) -> torch.Tensor:
    y = f(*xs)
    if not isinstance(y, torch.Tensor):
        y = convert_to_tensor(y)
    return y


def _theoretical(f, xs: list) -> list:
    from tork.tape import GradientTape

    xs = [x.clone() for x in xs]
    # Through a tork tape: a tape inside `f` (a gradient function, for second-order
    # checks) then records its own gradient for this one, as nested TF tapes do.
    with GradientTape(persistent=True) as tape:
        tape.watch(xs)
        y = _output(f, xs)
        rows = [y.reshape(-1)[row] for row in range(y.numel())]
    jacobians = [np.zeros((len(rows), x.numel()), dtype=_np_dtype(x)) for x in xs]
    for row, value in enumerate(rows):
        grads = tape.gradient(value, xs)
        for jacobian, grad in zip(jacobians, grads):
            if grad is not None:
                jacobian[row] = np.asarray(grad.detach().reshape(-1).cpu().numpy())
    return jacobians


def _numerical(f, xs: list, delta: float) -> list:
    jacobians = []
    with torch.no_grad():
        for index, x in enumerate(xs):
            flat = x.reshape(-1)
            columns = []
            for column in range(flat.numel()):
                values = []
                for sign in (1.0, -1.0):
                    shifted = flat.clone()
                    shifted[column] += sign * delta
                    args = list(xs)
                    args[index] = shifted.reshape(x.shape)
                    values.append(_output(f, args).reshape(-1).to(torch.float64))
                columns.append(((values[0] - values[1]) / (2 * delta)).cpu().numpy())
            jacobian = np.stack(columns, axis=1) if columns else np.zeros((0, 0))
            jacobians.append(jacobian.astype(_np_dtype(x)))
    return jacobians


def _np_dtype(x: torch.Tensor):
    return np.dtype(str(x.dtype).replace("torch.", ""))


def compute_gradient(f, x, delta=None) -> tuple:
    """Computes the theoretical and numerical Jacobians of `f` at the points `x`.

    Args:
        f: a function of `len(x)` tensors returning one tensor (a Keras model works).
        x: a list of the points (tensors or arrays) to differentiate at.
        delta: the finite-difference step; default 1/1024, as TensorFlow.

    Returns:
        `(theoretical, numerical)`: two tuples with one array per element of `x`, of
        shape `(y.size, x_i.size)` (row i: the gradient of the i-th output element) in
        `x_i`'s dtype.

    Example:
    >>> theoretical, numerical = tf.test.compute_gradient(tf.square, [tf.constant([3.0])])
    >>> theoretical[0]
    array([[6.]], dtype=float32)
    """
    if not isinstance(x, (list, tuple)):
        raise TypeError(
            f"tf.test.compute_gradient: `x` must be a list of the function's arguments, got "
            f"{type(x).__name__}. Wrap a single input in a list: compute_gradient(f, [x])."
        )
    xs = [_as_input(value, index) for index, value in enumerate(x)]
    step = _DEFAULT_DELTA if delta is None else float(delta)
    return tuple(_theoretical(f, xs)), tuple(_numerical(f, xs, step))
