"""`lstm_layer`: one `LSTM(128)` on (64, 50, 64) float32 sequences, forward + backward.

Each step calls the layer (its output is the last hidden state) and back-propagates a fixed
random cotangent into the input and the weights. The `torch` side is `nn.LSTM(64, 128,
batch_first=True)` holding the same weights, called as a PyTorch user calls it, taking the last
hidden state `h_n[-1]`. Keras's gate order (i, f, c, o) is torch's (i, f, g, o), so
`weight_ih = kernel.T`, `weight_hh = recurrent_kernel.T`, `bias_ih = bias` and `bias_hh = 0`
(Keras has one bias). The ratio is tork's layer overhead, including the per-call assembly of
torch-layout weights from the Keras-layout variables.

Check value: the largest of the output's deviation from a float64 NumPy LSTM (on the first
16 samples), and the deviations of the output and of the input gradient from the other side's.
"""

import numpy as np
import torch
from torch import nn

from bench.workloads._common import keras
from bench.workloads._layer_step import LayerStepWorkload

BATCH = 64
TIMESTEPS = 50
FEATURES = 64
UNITS = 128


class LSTMLayer(LayerStepWorkload):
    name = "lstm_layer"
    summary = (
        f"LSTM({UNITS}) on ({BATCH}, {TIMESTEPS}, {FEATURES}) float32, forward + backward, "
        f"vs nn.LSTM({FEATURES}, {UNITS}, batch_first=True) with the same weights"
    )
    layer_class = "LSTM"
    full_steps = 20
    quick_steps = 2
    torch_description = (
        f"nn.LSTM({FEATURES}, {UNITS}, batch_first=True), _, (h, _) = lstm(x); "
        "h[-1].backward(cotangent)"
    )
    tork_description = f"keras.layers.LSTM({UNITS}), layer(x); y.backward(cotangent)"

    def make_input(self, rng: np.random.Generator) -> np.ndarray:
        return rng.standard_normal((BATCH, TIMESTEPS, FEATURES), dtype=np.float32)

    def output_shape(self) -> tuple:
        return (BATCH, UNITS)

    def build_layer(self):
        return keras.layers.LSTM(UNITS)

    def torch_forward(self, weights: list):
        kernel, recurrent, bias = (torch.from_numpy(w) for w in weights)
        lstm = nn.LSTM(FEATURES, UNITS, batch_first=True)
        with torch.no_grad():
            lstm.weight_ih_l0.copy_(kernel.T)
            lstm.weight_hh_l0.copy_(recurrent.T)
            lstm.bias_ih_l0.copy_(bias)
            lstm.bias_hh_l0.zero_()
        lstm.to(self.device)

        def forward(x):
            _, (h, _) = lstm(x)
            return h[-1]

        return forward, list(lstm.parameters()), _identity

    def reference_output(self, x: np.ndarray, weights: list) -> np.ndarray:
        kernel, recurrent, bias = (w.astype(np.float64) for w in weights)
        projected = x.astype(np.float64) @ kernel + bias
        h = np.zeros((x.shape[0], UNITS))
        c = np.zeros_like(h)
        for t in range(TIMESTEPS):
            z = projected[:, t] + h @ recurrent
            i, f, g, o = np.split(z, 4, axis=1)
            c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
            h = _sigmoid(o) * np.tanh(c)
        return h


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def _identity(t: torch.Tensor) -> torch.Tensor:
    return t
