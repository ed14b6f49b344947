"""Pieces shared by the layer-level workloads (`conv_layer`, `lstm_layer`).

One *step* is a forward pass of a single layer on a fixed input followed by `.backward()` of
a fixed random cotangent, with the input and the weights requiring gradients (their `.grad`
set to None before each step, on both sides alike, so that no side pays for accumulation).
There is no optimizer and the weights do not change, so every step computes the same values.

The tork side calls a built `keras.layers.*` layer (`layer(x)`) as a tf.keras user does; the
`torch` side calls the same torch ops directly on the same data and weights. The ratio (tork
steps/s over torch steps/s) is therefore tork's per-call layer overhead at this size.

The check value of each side is the largest of three deviations (see `deviations`): its
output from a float64 NumPy forward pass (an independent reference, on the first
`reference_samples` samples), and its output and input gradient from the other side's.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

from bench._core import Side, Skip, Workload
from bench.workloads._common import keras, require_layers, tork_device_scope


class LayerStepWorkload(Workload):
    """A single layer's forward + backward per step, tork against the same torch ops.

    Subclasses set the sizes and implement `make_input`, `output_shape`, `build_layer`,
    `torch_forward` and `reference_output`.
    """

    ratio_kind = "speed"
    unit = "steps"
    check_name = "max dev"
    supports_jit = False
    #: the `tf.keras.layers` class the tork side needs
    layer_class = ""
    #: one line each saying how the sides are written
    torch_description = ""
    tork_description = ""
    full_steps = 20
    quick_steps = 2
    #: the float64 reference covers the first samples of the batch (it is slow in NumPy)
    reference_samples = 16

    # -- to implement ----------------------------------------------------------------------
    def make_input(self, rng: np.random.Generator) -> np.ndarray:
        """The float32 input in Keras's layout."""
        raise NotImplementedError

    def output_shape(self) -> tuple:
        """The shape of the layer's output in Keras's layout (for the cotangent)."""
        raise NotImplementedError

    def build_layer(self):
        """A new (unbuilt) tork layer."""
        raise NotImplementedError

    def torch_forward(self, weights: list) -> tuple[Callable, list, Callable]:
        """The torch side from the layer's NumPy weights.

        Returns `(forward, params, to_torch_layout)`: `forward(x)` takes the Keras-layout
        input leaf and returns the output in the layout the torch ops produce, `params` are
        the leaf tensors whose gradients are cleared per step, and `to_torch_layout` maps a
        Keras-layout tensor of the output's shape to that layout (applied to the cotangent,
        and inverted for the check by `from_torch_layout`).
        """
        raise NotImplementedError

    def from_torch_layout(self, y: torch.Tensor) -> torch.Tensor:
        """The torch side's output in Keras's layout (for the check)."""
        return y

    def reference_output(self, x: np.ndarray, weights: list) -> np.ndarray:
        """The layer's output for the samples `x` in float64 NumPy."""
        raise NotImplementedError

    # -- machinery --------------------------------------------------------------------------
    @property
    def steps(self) -> int:
        if self.cfg.steps is not None:
            return self.cfg.steps
        return self.quick_steps if self.cfg.quick else self.full_steps

    def describe(self) -> str:
        return f"{self.summary}; {self.steps} forward+backward steps per timed run"

    def sides(self) -> list[Side]:
        if self.cfg.jit:
            raise Skip(f"{self.name} measures eager layer calls; run it without --jit")
        require_layers(self.layer_class)
        rng = np.random.default_rng(self.cfg.seed)
        self.x_numpy = self.make_input(rng)
        cotangent = rng.standard_normal(self.output_shape(), dtype=np.float32)
        self.input = torch.from_numpy(self.x_numpy).to(self.device)
        self.cotangent = torch.from_numpy(cotangent).to(self.device)
        with tork_device_scope(self.device):
            keras.utils.set_random_seed(self.cfg.seed)
            self.layer = self.build_layer()
            self.layer(self.input)
        self.layer_weights = self.layer.get_weights()
        self.reference = self.reference_output(
            self.x_numpy[: self.reference_samples], self.layer_weights
        )
        self.step_sides = [TorchStepSide(self), TorkStepSide(self)]
        return list(self.step_sides)

    def deviations(self, side: _StepSide) -> dict[str, float]:
        """Max abs deviations of `side`'s last output (and input gradient) from the references."""
        out = side.keras_output()
        head = out[: self.reference_samples].double().numpy()
        result = {"output vs float64": float(np.abs(head - self.reference).max())}
        others = [s for s in self.step_sides if s is not side and s.output is not None]
        for other in others:
            result[f"output vs {other.name}"] = float((out - other.keras_output()).abs().max())
            grad, other_grad = side.x.grad.cpu(), other.x.grad.cpu()
            result[f"input grad vs {other.name}"] = float((grad - other_grad).abs().max())
        return result


class _StepSide(Side):
    def __init__(self, workload: LayerStepWorkload):
        self.workload = workload
        self.output = None

    def setup(self) -> None:
        # Each side owns its input leaf (same values), so the two input gradients can be compared.
        self.x = self.workload.input.clone().requires_grad_(True)

    def run(self) -> None:
        x, cotangent, params, forward = self.x, self.cotangent, self.params, self.forward
        y = None
        for _ in range(self.workload.steps):
            x.grad = None
            for p in params:
                p.grad = None
            y = forward(x)
            y.backward(cotangent)
        self.output = y.detach()

    def units(self) -> int:
        return self.workload.steps

    def keras_output(self) -> torch.Tensor:
        return self.output.cpu()

    def check(self) -> float:
        return max(self.workload.deviations(self).values())


class TorchStepSide(_StepSide):
    name = "torch"

    def setup(self) -> None:
        super().setup()
        wl = self.workload
        self.forward, self.params, to_torch_layout = wl.torch_forward(wl.layer_weights)
        self.cotangent = to_torch_layout(wl.cotangent)
        self.description = wl.torch_description

    def keras_output(self) -> torch.Tensor:
        return self.workload.from_torch_layout(self.output).cpu()


class TorkStepSide(_StepSide):
    name = "tork"

    def setup(self) -> None:
        super().setup()
        wl = self.workload
        self.forward = wl.layer
        self.params = list(wl.layer.trainable_weights)
        self.cotangent = wl.cotangent
        self.description = wl.tork_description

    def run(self) -> None:
        with tork_device_scope(self.workload.device):
            super().run()
