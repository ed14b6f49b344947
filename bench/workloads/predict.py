"""`predict`: the mnist_mlp model's `predict` on 60,000 samples, batch 1024.

The PyTorch side is `module.eval()`, a loop over slices under `torch.no_grad()`, `torch.cat` and
`.numpy()` (Keras's `predict` returns NumPy). Each side's check value is its largest absolute
deviation from a float64 NumPy forward pass of the shared weights (first 4,096 samples).
"""

import math

import numpy as np
import torch

from bench._core import Side
from bench.workloads._common import EVAL_SAMPLES, keras, tork_device_scope
from bench.workloads.mnist_mlp import MnistMLP


class _PredictSide(Side):
    def __init__(self, workload):
        self.workload = workload
        self.predictions = None

    def units(self) -> int:
        wl = self.workload
        return math.ceil(len(wl.x) / wl.batch_size)

    def check(self) -> float:
        wl = self.workload
        n = min(len(wl.x), EVAL_SAMPLES)
        reference = wl.numpy_forward(wl.x[:n])
        return float(np.abs(self.predictions[:n] - reference).max())


class TorchPredictSide(_PredictSide):
    def __init__(self, workload, compiled: bool = False):
        super().__init__(workload)
        self.compiled = compiled
        self.name = "torch_compiled" if compiled else "torch"
        self.description = (
            "module.eval(), torch.no_grad() loop over slices, torch.cat(...).numpy(); on a GPU "
            "the NumPy input is uploaded in the timed run, as tork's predict must"
            + ("; torch.compile(module)" if compiled else " (eager)")
        )

    def setup(self) -> None:
        self.module = self.workload.new_torch_model()
        self.module.eval()
        self.forward = torch.compile(self.module) if self.compiled else self.module

    def run(self) -> None:
        wl = self.workload
        x, batch_size, forward = wl.torch_x, wl.batch_size, self.forward
        if wl.device.type != "cpu":
            # The same work as the tork side, which gets NumPy input: the upload is timed too
            # (on the CPU, torch.from_numpy shares the array's memory, so there is nothing to do).
            x = wl.torch_layout(torch.from_numpy(wl.x)).to(wl.device)
        with torch.no_grad():
            outputs = [forward(x[i : i + batch_size]) for i in range(0, x.shape[0], batch_size)]
            self.predictions = torch.cat(outputs).cpu().numpy()


class TorkPredictSide(_PredictSide):
    def __init__(self, workload, jit: bool = False):
        super().__init__(workload)
        self.jit = jit
        self.compiled = jit
        self.name = "tork_jit" if jit else "tork"
        self.description = "model.predict(x, batch_size=1024, verbose=0) on NumPy input" + (
            " after compile(jit_compile=True)" if jit else ""
        )

    def setup(self) -> None:
        with tork_device_scope(self.workload.device):
            self.model = self.workload.new_tork_model()
            if self.jit:
                self.model.compile(
                    optimizer="adam",
                    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                    jit_compile=True,
                )

    def run(self) -> None:
        wl = self.workload
        with tork_device_scope(wl.device):
            self.predictions = self.model.predict(wl.x, batch_size=wl.batch_size, verbose=0)


class Predict(MnistMLP):
    name = "predict"
    summary = "mnist_mlp model, predict (inference) over the data"
    check_name = "max dev"
    unit = "batches"
    batch_size = 1024
    quick_steps = 2

    def sides(self) -> list[Side]:
        self.prepare()
        if self.cfg.jit:
            sides = [TorchPredictSide(self), TorkPredictSide(self, jit=True)]
            if self.cfg.torch_compiled:
                sides.append(TorchPredictSide(self, compiled=True))
            return sides
        return [TorchPredictSide(self), TorkPredictSide(self)]

    def describe(self) -> str:
        steps = math.ceil(self.num_samples / self.batch_size)
        return f"{self.summary}; {self.num_samples:,} samples, batch {self.batch_size} ({steps} batches)"
