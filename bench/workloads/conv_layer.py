"""`conv_layer`: one `Conv2D(64, 3, padding='same', activation='relu')`, forward + backward.

The input is a channels-last (64, 28, 28, 32) float32 batch; each step calls the layer and
back-propagates a fixed random cotangent into the input and the weights. The `torch` side calls
the ops tork runs, directly: `torch.relu(F.conv2d(x.permute(0, 3, 1, 2), kernel.permute(3, 2,
0, 1), bias, padding=1))`, where `x` is the same NHWC tensor (so the permuted view is an NCHW
tensor in torch's `channels_last` memory format, the layout tork hands to torch) and `kernel`
holds the same weights in Keras's (kh, kw, in, out) layout, viewed as torch's (out, in, kh, kw).
The cotangent is the same tensor, viewed the same way. The ratio is tork's layer overhead.

Check value: the largest of the output's deviation from a float64 NumPy convolution (on the
first 16 samples), and the deviations of the output and of the input gradient from the other
side's. On CUDA, cuDNN convolutions use TF32 by default (`torch.backends.cudnn.allow_tf32`),
which puts the float64 deviation near 1e-3 on both sides alike.
"""

import numpy as np
import torch
import torch.nn.functional as F

from bench.workloads._common import keras
from bench.workloads._layer_step import LayerStepWorkload

BATCH = 64
SIZE = 28
IN_CHANNELS = 32
FILTERS = 64
KERNEL = 3


class ConvLayer(LayerStepWorkload):
    name = "conv_layer"
    summary = (
        f"Conv2D({FILTERS}, {KERNEL}, padding='same', activation='relu') on channels-last "
        f"({BATCH}, {SIZE}, {SIZE}, {IN_CHANNELS}) float32, forward + backward, vs F.conv2d + "
        "relu on the same channels_last data"
    )
    layer_class = "Conv2D"
    full_steps = 10
    quick_steps = 2
    torch_description = (
        "torch.relu(F.conv2d(x.permute(0, 3, 1, 2), kernel.permute(3, 2, 0, 1), bias, "
        "padding=1)); x NHWC (a channels_last NCHW view), kernel in Keras layout; "
        "y.backward(cotangent)"
    )
    tork_description = (
        f"keras.layers.Conv2D({FILTERS}, {KERNEL}, padding='same', activation='relu'), "
        "layer(x) on NHWC x; y.backward(cotangent)"
    )

    def make_input(self, rng: np.random.Generator) -> np.ndarray:
        return rng.standard_normal((BATCH, SIZE, SIZE, IN_CHANNELS), dtype=np.float32)

    def output_shape(self) -> tuple:
        return (BATCH, SIZE, SIZE, FILTERS)

    def build_layer(self):
        return keras.layers.Conv2D(FILTERS, KERNEL, padding="same", activation="relu")

    def torch_forward(self, weights: list):
        kernel = torch.tensor(weights[0], device=self.device, requires_grad=True)
        bias = torch.tensor(weights[1], device=self.device, requires_grad=True)
        # 'same' padding of an odd kernel at stride 1 is symmetric: torch pads it itself.
        padding = ((KERNEL - 1) // 2,) * 2

        def forward(x):
            y = F.conv2d(x.permute(0, 3, 1, 2), kernel.permute(3, 2, 0, 1), bias, 1, padding)
            return torch.relu(y)

        return forward, [kernel, bias], _nhwc_to_nchw

    def from_torch_layout(self, y: torch.Tensor) -> torch.Tensor:
        return y.permute(0, 2, 3, 1)

    def reference_output(self, x: np.ndarray, weights: list) -> np.ndarray:
        kernel, bias = (w.astype(np.float64) for w in weights)
        pad = (KERNEL - 1) // 2
        padded = np.pad(x.astype(np.float64), ((0, 0), (pad, pad), (pad, pad), (0, 0)))
        samples = x.shape[0]
        out = np.zeros((samples * SIZE * SIZE, FILTERS))
        # A cross-correlation as a sum over the kernel's taps of shifted-input matmuls.
        for i in range(KERNEL):
            for j in range(KERNEL):
                window = padded[:, i : i + SIZE, j : j + SIZE, :].reshape(-1, IN_CHANNELS)
                out += window @ kernel[i, j]
        return np.maximum(out + bias, 0.0).reshape(samples, SIZE, SIZE, FILTERS)


def _nhwc_to_nchw(t: torch.Tensor) -> torch.Tensor:
    return t.permute(0, 3, 1, 2)
