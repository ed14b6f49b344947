"""TF 1's `tf.compat.v1.nn.dynamic_rnn`, `static_rnn` and their bidirectional forms, eager.

Each runs a cell step by step in Python: Keras cells (`tf.keras.layers.LSTMCell`, whose
`call(inputs, states)` returns `(output, new_states)`) and the TF 1 cells of
`tf.compat.v1.nn.rnn_cell`. With `sequence_length`, a sequence's outputs after its length
are zeros and its state stays the one at its last step, as in TensorFlow.
"""

from __future__ import annotations

import torch

from tork._backend.tensor import convert_to_tensor

__all__ = ["bidirectional_dynamic_rnn", "dynamic_rnn", "static_bidirectional_rnn", "static_rnn"]


def _flatten(structure) -> list:
    from tork import nest

    return nest.flatten(structure)


def _pack(structure, flat):
    from tork import nest

    return nest.pack_sequence_as(structure, flat)


def _as_float(value, dtype):
    tensor = convert_to_tensor(value)
    if dtype is not None and tensor.is_floating_point():
        from tork._backend import dtypes

        tensor = tensor.to(dtypes.as_dtype(dtype))
    return tensor


def _zero_state(cell, batch_size: int, dtype, what: str):
    if dtype is None:
        raise ValueError(
            f"{what}: If no initial_state is provided, argument `dtype` must be specified "
            "(e.g. dtype=tf.float32)."
        )
    if hasattr(cell, "zero_state"):
        return cell.zero_state(batch_size, dtype)
    if hasattr(cell, "get_initial_state"):
        return cell.get_initial_state(inputs=None, batch_size=batch_size, dtype=dtype)
    raise TypeError(
        f"{what}: the cell {type(cell).__name__} has neither zero_state nor "
        "get_initial_state; pass initial_state."
    )


def _check_cell(cell, what: str) -> None:
    if not (callable(cell) and hasattr(cell, "state_size")):
        raise TypeError(
            f"{what}: cell must be an RNN cell (tf.keras.layers.LSTMCell, "
            f"tf.compat.v1.nn.rnn_cell.LSTMCell, ...) with a state_size; got {cell!r}."
        )


def _lengths(sequence_length, batch_size: int, device, what: str):
    if sequence_length is None:
        return None
    lengths = convert_to_tensor(sequence_length).to(device=device).reshape(-1)
    if lengths.numel() != batch_size:
        raise ValueError(
            f"{what}: sequence_length has {lengths.numel()} entries but the batch has "
            f"{batch_size} sequences; give one length per sequence."
        )
    return lengths.to(torch.int64)


def _run(cell, steps: list, state, lengths):
    """Runs `cell` over the list of (batch, features) `steps`; returns (outputs, state)."""
    outputs = []
    for t, x_t in enumerate(steps):
        out, new_state = cell(x_t, state)
        if lengths is not None:
            alive = (lengths > t).reshape(-1, 1)
            out = torch.where(alive, out, torch.zeros_like(out))
            flat_new = _flatten(new_state)
            flat_old = _flatten(state)
            kept = [
                torch.where(alive.reshape((-1,) + (1,) * (n.dim() - 1)), n, o)
                for n, o in zip(flat_new, flat_old)
            ]
            new_state = _pack(new_state, kept)
        outputs.append(out)
        state = new_state
    return outputs, state


def dynamic_rnn(
    cell,
    inputs,
    sequence_length=None,
    initial_state=None,
    dtype=None,
    parallel_iterations=None,
    swap_memory=False,
    time_major=False,
    scope=None,
):
    """TF 1's `tf.compat.v1.nn.dynamic_rnn`: runs `cell` over the time axis of `inputs`.

    Args:
        cell: an RNN cell: a Keras cell (`tf.keras.layers.LSTMCell`) or a
            `tf.compat.v1.nn.rnn_cell` cell.
        inputs: a tensor `(batch, time, features)` (`(time, batch, features)` with
            `time_major=True`).
        sequence_length: optional `(batch,)` lengths: outputs past a sequence's length
            are zeros and its state is the one at its last step.
        initial_state: the cell's initial state; default zeros (then `dtype` is needed).
        dtype: the dtype of the initial state and outputs.
        parallel_iterations: unused (TF 1's graph option).
        swap_memory: unused.
        time_major: whether `inputs` and the outputs are time-major.
        scope: unused.

    Returns:
        `(outputs, state)`: outputs `(batch, time, output_size)` (time-major with
        `time_major=True`) and the final state, structured as the cell's state.

    Example:
    >>> cell = tf.keras.layers.LSTMCell(4)
    >>> outputs, (h, c) = tf.compat.v1.nn.dynamic_rnn(
    ...     cell, tf.zeros((2, 5, 3)), dtype=tf.float32)
    >>> outputs.shape
    TensorShape([2, 5, 4])
    """
    del parallel_iterations, swap_memory, scope
    what = "tf.compat.v1.nn.dynamic_rnn"
    _check_cell(cell, what)
    x = _as_float(inputs, dtype)
    if x.dim() < 3:
        raise ValueError(
            f"{what}: inputs must be (batch, time, features) (or time-major with "
            f"time_major=True); got shape {tuple(x.shape)}."
        )
    if time_major:
        x = x.transpose(0, 1)
    batch_size = x.shape[0]
    state = _zero_state(cell, batch_size, dtype, what) if initial_state is None else initial_state
    lengths = _lengths(sequence_length, batch_size, x.device, what)
    outputs, state = _run(cell, list(x.unbind(1)), state, lengths)
    outputs = torch.stack(outputs, 0 if time_major else 1)
    return outputs, state


def static_rnn(cell, inputs, initial_state=None, dtype=None, sequence_length=None, scope=None):
    """TF 1's `tf.compat.v1.nn.static_rnn`: runs `cell` over a list of time steps.

    Args:
        cell: an RNN cell (Keras or `tf.compat.v1.nn.rnn_cell`).
        inputs: a list of `(batch, features)` tensors, one per time step.
        initial_state: the cell's initial state; default zeros (then `dtype` is needed).
        dtype: the dtype of the initial state.
        sequence_length: optional `(batch,)` lengths (see `dynamic_rnn`).
        scope: unused.

    Returns:
        `(outputs, state)`: a list of `(batch, output_size)` outputs, one per step, and
        the final state.
    """
    del scope
    what = "tf.compat.v1.nn.static_rnn"
    _check_cell(cell, what)
    if not isinstance(inputs, (list, tuple)) or not inputs:
        raise TypeError(
            f"{what}: Argument `inputs` must be a sequence: a non-empty list of (batch, "
            "features) tensors, one per time step (tf.unstack(x, axis=1) makes it from a (batch, time, features) "
            "tensor)."
        )
    steps = [_as_float(v, dtype) for v in inputs]
    batch_size = steps[0].shape[0]
    state = _zero_state(cell, batch_size, dtype, what) if initial_state is None else initial_state
    lengths = _lengths(sequence_length, batch_size, steps[0].device, what)
    return _run(cell, steps, state, lengths)


def _reverse(x, lengths, time_axis: int):
    """Reverses each sequence of `x` along time, only its first `lengths` steps."""
    if lengths is None:
        return x.flip(time_axis)
    steps = x.shape[time_axis]
    t = torch.arange(steps, device=x.device).reshape(1, -1)
    n = lengths.reshape(-1, 1)
    index = torch.where(t < n, n - 1 - t, t)  # (batch, time)
    if time_axis == 0:
        index = index.transpose(0, 1)
    shape = index.shape + (1,) * (x.dim() - 2)
    return torch.gather(x, time_axis, index.reshape(shape).expand_as(x))


def bidirectional_dynamic_rnn(
    cell_fw,
    cell_bw,
    inputs,
    sequence_length=None,
    initial_state_fw=None,
    initial_state_bw=None,
    dtype=None,
    parallel_iterations=None,
    swap_memory=False,
    time_major=False,
    scope=None,
):
    """TF 1's `tf.compat.v1.nn.bidirectional_dynamic_rnn`: a forward and a backward RNN.

    The backward cell reads each sequence reversed (within its `sequence_length`); its
    outputs are reversed back, so both outputs line up in time.

    Args:
        cell_fw: the forward cell.
        cell_bw: the backward cell.
        inputs: a tensor `(batch, time, features)` (time-major with `time_major=True`).
        sequence_length: optional `(batch,)` lengths.
        initial_state_fw: the forward cell's initial state (default zeros).
        initial_state_bw: the backward cell's initial state (default zeros).
        dtype: the dtype of the default initial states.
        parallel_iterations: unused.
        swap_memory: unused.
        time_major: whether `inputs` and the outputs are time-major.
        scope: unused.

    Returns:
        `((output_fw, output_bw), (state_fw, state_bw))`.
    """
    del parallel_iterations, swap_memory, scope
    what = "tf.compat.v1.nn.bidirectional_dynamic_rnn"
    _check_cell(cell_fw, what)
    _check_cell(cell_bw, what)
    x = _as_float(inputs, dtype)
    time_axis = 0 if time_major else 1
    output_fw, state_fw = dynamic_rnn(
        cell_fw, x, sequence_length, initial_state_fw, dtype, time_major=time_major
    )
    lengths = _lengths(sequence_length, x.shape[1 - time_axis], x.device, what)
    reversed_x = _reverse(x, lengths, time_axis)
    output_bw, state_bw = dynamic_rnn(
        cell_bw, reversed_x, sequence_length, initial_state_bw, dtype, time_major=time_major
    )
    output_bw = _reverse(output_bw, lengths, time_axis)
    return (output_fw, output_bw), (state_fw, state_bw)


def static_bidirectional_rnn(
    cell_fw,
    cell_bw,
    inputs,
    initial_state_fw=None,
    initial_state_bw=None,
    dtype=None,
    sequence_length=None,
    scope=None,
):
    """TF 1's `tf.compat.v1.nn.static_bidirectional_rnn`: `bidirectional_dynamic_rnn` over
    a list of time steps, the two directions' outputs concatenated.

    Args:
        cell_fw: the forward cell.
        cell_bw: the backward cell.
        inputs: a list of `(batch, features)` tensors, one per time step.
        initial_state_fw: the forward cell's initial state (default zeros).
        initial_state_bw: the backward cell's initial state (default zeros).
        dtype: the dtype of the default initial states.
        sequence_length: optional `(batch,)` lengths; the backward cell reads each
            sequence reversed within its length.
        scope: unused.

    Returns:
        `(outputs, output_state_fw, output_state_bw)`: `outputs` is a list with one
        `(batch, fw_size + bw_size)` tensor per step.
    """
    del scope
    what = "tf.compat.v1.nn.static_bidirectional_rnn"
    if not isinstance(inputs, (list, tuple)) or not inputs:
        raise TypeError(
            f"{what}: Argument `inputs` must be a sequence: a non-empty list of (batch, "
            "features) tensors, one per time step."
        )
    x = torch.stack([_as_float(v, dtype) for v in inputs], 1)
    (out_fw, out_bw), (state_fw, state_bw) = bidirectional_dynamic_rnn(
        cell_fw, cell_bw, x, sequence_length, initial_state_fw, initial_state_bw, dtype
    )
    outputs = torch.cat([out_fw, out_bw], -1)
    return list(outputs.unbind(1)), state_fw, state_bw
