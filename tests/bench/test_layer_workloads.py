"""The layer-level workloads (`conv_layer`, `lstm_layer`): both sides compute the same thing.

`test_bench_quick.py` runs every workload through the harness in quick mode; these tests run
one step of each side directly and check the values in detail: outputs against float64 NumPy
references, input gradients against each other (and, for the convolution, against a NumPy
backward pass), and the weight gradients of tork's Keras-layout variables against the torch
side's. No speed assertions.
"""

import sys
from pathlib import Path

import numpy as np
import pytest
import torch

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench import _core  # noqa: E402
from bench.workloads import WORKLOADS  # noqa: E402

TOLERANCE = 1e-4


@pytest.fixture(autouse=True)
def _one_thread():
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def _one_step(name: str):
    """Sets up both sides of `name` and runs one forward + backward step of each."""
    cfg = _core.Config(workload=name, quick=True, steps=1, memory=False, threads=1)
    workload = WORKLOADS[name](cfg)
    sides = workload.sides()
    for side in sides:
        side.setup()
    for side in sides:
        side.run()
    assert [side.name for side in sides] == ["torch", "tork"]
    assert all(side.units() == 1 for side in sides)
    return workload, sides


def _check_sides_agree(workload, sides) -> None:
    for side in sides:
        deviations = workload.deviations(side)
        assert len(deviations) == 3, deviations
        for what, value in deviations.items():
            assert value < TOLERANCE, f"{side.name}: {what} = {value:.3g}"
        assert side.check() == max(deviations.values())
        # The backward pass reached the input with non-trivial values.
        assert float(side.x.grad.abs().max()) > 1e-2


def test_conv_layer_sides_agree():
    workload, (torch_side, tork_side) = _one_step("conv_layer")
    _check_sides_agree(workload, [torch_side, tork_side])
    assert tuple(tork_side.output.shape) == (64, 28, 28, 64)
    # Both sides hold the kernel in Keras's (kh, kw, in, out) layout: the gradients compare as is.
    for torch_param, tork_param in zip(torch_side.params, tork_side.params):
        assert torch_param.grad.shape == tork_param.grad.shape
        assert float((torch_param.grad - tork_param.grad).abs().max()) < 1e-3


def test_conv_layer_input_gradient_matches_numpy():
    workload, (_, tork_side) = _one_step("conv_layer")
    n = 4
    kernel = workload.layer_weights[0].astype(np.float64)
    # The ReLU mask of the float32 output: a float64 mask could differ at outputs within
    # rounding of 0, where the gradient is a matter of tie-breaking, not of correctness.
    mask = tork_side.output[:n].numpy() > 0
    upstream = workload.cotangent[:n].numpy().astype(np.float64) * mask
    kh, kw = kernel.shape[:2]
    size = upstream.shape[1]
    grad_padded = np.zeros((n, size + kh - 1, size + kw - 1, kernel.shape[2]))
    for i in range(kh):
        for j in range(kw):
            grad_padded[:, i : i + size, j : j + size, :] += upstream @ kernel[i, j].T
    expected = grad_padded[:, 1:-1, 1:-1, :]
    got = tork_side.x.grad[:n].numpy()
    assert float(np.abs(got - expected).max()) < TOLERANCE


def test_lstm_layer_sides_agree():
    workload, (torch_side, tork_side) = _one_step("lstm_layer")
    _check_sides_agree(workload, [torch_side, tork_side])
    assert tuple(tork_side.output.shape) == (64, 128)
    grads = {name: p.grad for name, p in zip(["ih", "hh", "b_ih", "b_hh"], torch_side.params)}
    kernel, recurrent, bias = (p.grad for p in tork_side.params)
    # Keras (in, 4u) / (u, 4u) kernels are the transposes of torch's; one Keras bias gets the
    # gradient both torch biases get.
    assert float((kernel - grads["ih"].T).abs().max()) < 1e-3
    assert float((recurrent - grads["hh"].T).abs().max()) < 1e-3
    assert float((bias - grads["b_ih"]).abs().max()) < 1e-3
    assert float((bias - grads["b_hh"]).abs().max()) < 1e-3


@pytest.mark.parametrize("name", ["conv_layer", "lstm_layer"])
def test_steps_per_run_follow_quick_and_steps(name):
    cls = WORKLOADS[name]
    assert cls(_core.Config(workload=name, quick=True)).steps == cls.quick_steps
    assert cls(_core.Config(workload=name)).steps == cls.full_steps
    assert cls(_core.Config(workload=name, quick=True, steps=7)).steps == 7
    assert (
        "7 forward+backward steps per timed run"
        in cls(_core.Config(workload=name, steps=7)).describe()
    )


@pytest.mark.parametrize("name", ["conv_layer", "lstm_layer"])
def test_jit_is_skipped_with_a_reason(name):
    workload = WORKLOADS[name](_core.Config(workload=name, quick=True, jit=True))
    with pytest.raises(_core.Skip, match=rf"{name} measures eager layer calls; run it without"):
        workload.sides()
