"""Pieces shared by the workloads: the two sides of a `fit` job, models, weight copying.

The tork side is written as a tf.keras user writes it (`import tork as tf`, a subclassed
`keras.Model`, `compile` + `fit` on NumPy arrays, `verbose=0`). The PyTorch side is written as a
PyTorch user writes it: an `nn.Module`, the data as tensors (already on the device), and per
epoch one `randperm` gather followed by a plain loop over slices with
`torch.optim.Adam(foreach=True)`. Both use Adam(lr=1e-3, epsilon=1e-7: Keras's default epsilon)
and sparse softmax cross-entropy on logits.
"""

from __future__ import annotations

import contextlib
import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

import tork as tf
from bench._core import Side, Skip, Workload, cross_entropy

keras = tf.keras

LEARNING_RATE = 1e-3
EPSILON = 1e-7
EVAL_SAMPLES = 4096
PROBE_SAMPLES = 8


def require_layers(*names: str) -> None:
    """Raises `Skip` naming the first `tf.keras.layers` class tork does not provide."""
    for name in names:
        try:
            getattr(keras.layers, name)
        except (AttributeError, NotImplementedError):
            raise Skip(
                f"tork has no tf.keras.layers.{name} yet (getattr(tf.keras.layers, {name!r}) "
                "failed); this workload runs once it exists."
            ) from None


def tork_device_scope(device: torch.device):
    """`tf.device` for the tork side, so variables are created where the torch side's are."""
    if device.type == "cuda":
        index = device.index or 0
        return tf.device(f"/GPU:{index}")
    if device.type == "cpu":
        return tf.device("/CPU:0")
    return contextlib.nullcontext()


def copy_dense(linear: nn.Linear, weights: list) -> None:
    """Keras Dense weights `[kernel (in, out), bias (out,)]` into an `nn.Linear`."""
    with torch.no_grad():
        linear.weight.copy_(torch.from_numpy(weights[0]).T)
        linear.bias.copy_(torch.from_numpy(weights[1]))


class FitWorkload(Workload):
    """A classification job trained with `fit` on the tork side.

    Subclasses set the sizes and implement `make_x`, `build_keras`, `build_torch`,
    `keras_layer_weights` and `load_torch`; `torch_layout` converts the Keras-layout inputs to
    the layout the PyTorch model takes.
    """

    batch_size = 32
    full_samples = 1024
    num_classes = 10
    quick_steps = 3

    def __init__(self, cfg):
        super().__init__(cfg)
        self._prepared = False

    # -- to implement ----------------------------------------------------------------------
    def make_x(self, num_samples: int) -> np.ndarray:
        raise NotImplementedError

    def teacher_input(self, x: np.ndarray) -> np.ndarray:
        """The 2-D view of the inputs the linear teacher labels."""
        return x.reshape(x.shape[0], -1)

    def build_keras(self):
        raise NotImplementedError

    def build_torch(self) -> nn.Module:
        raise NotImplementedError

    def keras_layer_weights(self, model) -> list:
        """Per-layer NumPy weights of a built tork model, in the order `load_torch` reads."""
        raise NotImplementedError

    def load_torch(self, module: nn.Module, layer_weights: list) -> None:
        raise NotImplementedError

    def torch_layout(self, x: torch.Tensor) -> torch.Tensor:
        return x

    def required_layers(self) -> tuple:
        return ()

    # -- machinery --------------------------------------------------------------------------
    @property
    def steps_per_epoch(self) -> int | None:
        if self.cfg.steps is not None:
            return self.cfg.steps
        return self.quick_steps if self.cfg.quick else None

    @property
    def num_samples(self) -> int:
        steps = self.steps_per_epoch
        if steps is None:
            return self.full_samples
        return min(self.full_samples, steps * self.batch_size)

    def describe(self) -> str:
        steps = math.ceil(self.num_samples / self.batch_size)
        return (
            f"{self.summary}; {self.num_samples:,} samples, batch {self.batch_size} "
            f"({steps} steps/epoch)"
        )

    def prepare(self) -> None:
        """Generates the data and one tork initialisation that every side starts from."""
        if self._prepared:
            return
        require_layers(*self.required_layers())
        cfg = self.cfg
        self.x = self.make_x(self.num_samples)
        self.y = self.make_y(self.x)
        self.torch_x = self.torch_layout(torch.from_numpy(self.x)).to(self.device)
        self.torch_y = torch.from_numpy(self.y).to(self.device)
        eval_n = min(self.num_samples, EVAL_SAMPLES)
        self.eval_x = torch.from_numpy(self.x[:eval_n]).to(self.device)
        self.eval_torch_x = self.torch_x[:eval_n]
        self.eval_y = self.torch_y[:eval_n]
        with tork_device_scope(self.device):
            keras.utils.set_random_seed(cfg.seed)
            reference = self.build_keras()
            reference(self.eval_x[:PROBE_SAMPLES])
            self.snapshot = reference.get_weights()
            self.layer_weights = self.keras_layer_weights(reference)
            with torch.no_grad():
                self.probe_logits = reference(self.eval_x[:PROBE_SAMPLES], training=False)
                self.probe_logits = self.probe_logits.detach().clone()
        del reference
        self._prepared = True

    def make_y(self, x: np.ndarray) -> np.ndarray:
        from bench._core import teacher_labels

        return teacher_labels(self.teacher_input(x), self.num_classes, self.cfg.seed)

    def new_tork_model(self):
        """A tork model with the shared initial weights (call inside `tork_device_scope`)."""
        model = self.build_keras()
        model(self.eval_x[:PROBE_SAMPLES])
        model.set_weights(self.snapshot)
        return model

    def new_torch_model(self) -> nn.Module:
        """A PyTorch model with the shared initial weights, checked against tork's outputs."""
        torch.manual_seed(self.cfg.seed)
        module = self.build_torch().to(self.device)
        self.load_torch(module, self.layer_weights)
        module.eval()
        with torch.no_grad():
            out = module(self.eval_torch_x[:PROBE_SAMPLES])
        module.train()
        error = float((out - self.probe_logits).abs().max())
        scale = float(self.probe_logits.abs().max()) + 1e-6
        if not error <= 1e-4 * max(1.0, scale):
            raise RuntimeError(
                f"{self.name}: the PyTorch model with tork's initial weights computes different "
                f"outputs (max abs difference {error:.3g}); the weight copy or layout is wrong."
            )
        return module

    def eval_tork(self, model) -> float:
        with tork_device_scope(self.device), torch.no_grad():
            logits = model(self.eval_x, training=False)
        return cross_entropy(logits, self.eval_y)

    def eval_torch(self, module: nn.Module) -> float:
        was_training = module.training
        module.eval()
        with torch.no_grad():
            logits = module(self.eval_torch_x)
        module.train(was_training)
        return cross_entropy(logits, self.eval_y)

    def sides(self) -> list[Side]:
        self.prepare()
        if self.cfg.jit:
            sides = [TorchFitSide(self), TorkFitSide(self, jit=True)]
            if self.cfg.torch_compiled:
                sides.append(TorchFitSide(self, compiled=True))
            return sides
        return [TorchFitSide(self), TorkFitSide(self)]


def token_sequences(seed: int, num_samples: int, vocab: int, seq_len: int) -> np.ndarray:
    """Random token ids `(num_samples, seq_len)` in `[0, vocab)`, from a fixed seed."""
    rng = np.random.default_rng(seed)
    return rng.integers(0, vocab, size=(num_samples, seq_len), dtype=np.int64)


def bag_of_tokens_labels(x: np.ndarray, seed: int, vocab: int, num_classes: int) -> np.ndarray:
    """Labels from a fixed random bag-of-tokens teacher: the argmax of summed token scores."""
    rng = np.random.default_rng(seed)
    scores = rng.standard_normal((vocab, num_classes)).astype(np.float32)
    return scores[x].sum(axis=1).argmax(axis=1).astype(np.int64)


class TorchFitSide(Side):
    """Hand-written PyTorch: randperm gather per epoch, then a loop over slices."""

    def __init__(self, workload: FitWorkload, compiled: bool = False):
        self.workload = workload
        self.compiled = compiled
        self.name = "torch_compiled" if compiled else "torch"
        self.description = (
            "nn.Module, loop over slices of a randperm-gathered copy, "
            "torch.optim.Adam(foreach=True), F.cross_entropy"
            + ("; forward = torch.compile(module)" if compiled else " (eager)")
        )
        self._units = 0

    def setup(self) -> None:
        wl = self.workload
        self.module = wl.new_torch_model()
        self.forward = torch.compile(self.module) if self.compiled else self.module
        self.optimizer = torch.optim.Adam(
            self.module.parameters(), lr=LEARNING_RATE, eps=EPSILON, foreach=True
        )

    def run(self) -> None:
        wl = self.workload
        x, y, batch_size = wl.torch_x, wl.torch_y, wl.batch_size
        module, forward, optimizer = self.module, self.forward, self.optimizer
        module.train()
        n = x.shape[0]
        perm = torch.randperm(n, device=x.device)
        xs, ys = x[perm], y[perm]
        steps = 0
        for start in range(0, n, batch_size):
            xb = xs[start : start + batch_size]
            yb = ys[start : start + batch_size]
            optimizer.zero_grad()
            loss = F.cross_entropy(forward(xb), yb)
            loss.backward()
            optimizer.step()
            steps += 1
        self._units = steps

    def units(self) -> int:
        return self._units

    def check(self) -> float:
        return self.workload.eval_torch(self.module)


class TorkFitSide(Side):
    """tork, tf.keras style: the workload's keras.Model, compile + fit(verbose=0) on NumPy arrays."""

    def __init__(self, workload: FitWorkload, jit: bool = False):
        self.workload = workload
        self.jit = jit
        self.compiled = jit
        self.name = "tork_jit" if jit else "tork"
        self.description = (
            "keras.Model (subclassed or functional, per workload), compile(Adam, "
            "SparseCategoricalCrossentropy(from_logits=True)"
            + (", jit_compile=True)" if jit else ")")
            + ", fit(x, y, batch_size, epochs=1, verbose=0) per timed run"
        )
        self._seen = 0
        self._units = 0

    def setup(self) -> None:
        wl = self.workload
        with tork_device_scope(wl.device):
            self.model = wl.new_tork_model()
            kwargs = {"jit_compile": True} if self.jit else {}
            self.model.compile(
                optimizer=keras.optimizers.Adam(learning_rate=LEARNING_RATE),
                loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                **kwargs,
            )
        self._seen = int(self.model.optimizer.iterations)

    def run(self) -> None:
        wl = self.workload
        with tork_device_scope(wl.device):
            self.model.fit(wl.x, wl.y, batch_size=wl.batch_size, epochs=1, verbose=0)

    def units(self) -> int:
        now = int(self.model.optimizer.iterations)
        done, self._seen = now - self._seen, now
        return done

    def check(self) -> float:
        return self.workload.eval_tork(self.model)


# -- models shared by several workloads ------------------------------------------------------


class KerasMLP(keras.Model):
    """Dense(relu) hidden layers then a Dense logits layer, as a tf.keras user writes it."""

    def __init__(self, hidden: tuple, num_classes: int, **kwargs):
        super().__init__(**kwargs)
        self.hidden_layers = [keras.layers.Dense(units, activation="relu") for units in hidden]
        self.classifier = keras.layers.Dense(num_classes)

    def call(self, inputs):
        x = inputs
        for layer in self.hidden_layers:
            x = layer(x)
        return self.classifier(x)


class TorchMLP(nn.Module):
    """The same MLP as a PyTorch user writes it."""

    def __init__(self, in_features: int, hidden: tuple, num_classes: int):
        super().__init__()
        sizes = (in_features, *hidden)
        self.hidden = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:]))
        self.out = nn.Linear(sizes[-1], num_classes)

    def forward(self, x):
        for layer in self.hidden:
            x = F.relu(layer(x))
        return self.out(x)


class MLPWorkload(FitWorkload):
    """An MLP classifier trained with `fit`."""

    in_features = 100
    hidden: tuple = (64,)

    def make_x(self, num_samples: int) -> np.ndarray:
        from bench._core import normal_data

        return normal_data(num_samples, (self.in_features,), self.cfg.seed)

    def build_keras(self):
        return KerasMLP(self.hidden, self.num_classes)

    def build_torch(self) -> nn.Module:
        return TorchMLP(self.in_features, self.hidden, self.num_classes)

    def keras_layer_weights(self, model) -> list:
        return [layer.get_weights() for layer in [*model.hidden_layers, model.classifier]]

    def load_torch(self, module: nn.Module, layer_weights: list) -> None:
        for linear, weights in zip([*module.hidden, module.out], layer_weights):
            copy_dense(linear, weights)

    def numpy_forward(self, x: np.ndarray) -> np.ndarray:
        """The initial model's logits in float64 NumPy (an independent reference)."""
        h = x.astype(np.float64)
        *hidden, last = self.layer_weights
        for kernel, bias in hidden:
            h = np.maximum(h @ kernel.astype(np.float64) + bias, 0.0)
        return h @ last[0].astype(np.float64) + last[1]


def prime_first_use(device: torch.device) -> None:
    """Runs a tiny training job both ways so that lazy imports happen before a measurement."""
    param = nn.Parameter(torch.ones(4, device=device))
    optimizer = torch.optim.Adam([param], lr=LEARNING_RATE, eps=EPSILON, foreach=True)
    (param * param).sum().backward()
    optimizer.step()
    with tork_device_scope(device):
        model = keras.Sequential([keras.layers.Dense(2)])
        model.compile(
            optimizer=keras.optimizers.Adam(learning_rate=LEARNING_RATE),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        )
        x = np.ones((4, 3), dtype=np.float32)
        y = np.zeros((4,), dtype=np.int64)
        model.fit(x, y, batch_size=2, epochs=1, verbose=0)
        model.predict(x, batch_size=2, verbose=0)
        data = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(4).batch(2)
        for _ in data:
            pass
