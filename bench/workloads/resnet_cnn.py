"""`resnet_cnn`: a small ResNet on 32x32x3 channels-last images, batch 64, `fit`.

A functional Keras model as users write one (Conv2D without bias -> BatchNormalization ->
relu, two residual blocks joined by `Add`, the second with stride 2 and a 1x1 projection
shortcut, GlobalAveragePooling2D, Dropout, Dense logits). The PyTorch side is the same
network as an `nn.Module` on NCHW tensors (permuted once, before timing), with
`nn.BatchNorm2d(eps=1e-3, momentum=0.01)`: Keras's epsilon, and its momentum 0.99 in torch's
convention (both feed the unbiased batch variance to the moving variance for 4-D inputs).
The stride-2 convolution uses Keras's 'same' padding (the odd row and column at the bottom
and right); PyTorch users write `padding=1`, which pads both sides and samples other
positions, so the PyTorch side pads (0, 1, 0, 1) explicitly to compute the same function.
"""

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from bench._core import normal_data
from bench.workloads._common import FitWorkload, copy_dense, keras

layers = keras.layers


# The (conv, batch norm) pairs by name prefix, in the order `TorchResNet.conv_bn_pairs` has.
_PAIRS = ("stem", "b1c1", "b1c2", "b2c1", "b2c2", "proj")


def _conv_bn(x, filters, kernel, name, strides=1):
    x = layers.Conv2D(
        filters, kernel, strides=strides, padding="same", use_bias=False, name=f"{name}_conv"
    )(x)
    return layers.BatchNormalization(name=f"{name}_bn")(x)


def build_keras_resnet(num_classes: int = 10):
    """The functional model; `keras_layer_weights` finds its layers by name."""
    inputs = keras.Input((32, 32, 3))
    x = layers.Activation("relu")(_conv_bn(inputs, 32, 3, "stem"))
    # Block 1: identity shortcut.
    y = layers.Activation("relu")(_conv_bn(x, 32, 3, "b1c1"))
    y = _conv_bn(y, 32, 3, "b1c2")
    x = layers.Activation("relu")(layers.Add()([y, x]))
    # Block 2: stride 2 with a 1x1 projection shortcut.
    y = layers.Activation("relu")(_conv_bn(x, 64, 3, "b2c1", strides=2))
    y = _conv_bn(y, 64, 3, "b2c2")
    shortcut = _conv_bn(x, 64, 1, "proj", strides=2)
    x = layers.Activation("relu")(layers.Add()([y, shortcut]))
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dropout(0.3)(x)
    outputs = layers.Dense(num_classes, name="classifier")(x)
    return keras.Model(inputs, outputs)


def _bn(channels: int) -> nn.BatchNorm2d:
    return nn.BatchNorm2d(channels, eps=1e-3, momentum=0.01)


class TorchResNet(nn.Module):
    """The same network as a PyTorch user writes it (NCHW)."""

    def __init__(self, num_classes: int = 10):
        super().__init__()
        self.stem, self.stem_bn = nn.Conv2d(3, 32, 3, padding=1, bias=False), _bn(32)
        self.b1c1, self.b1n1 = nn.Conv2d(32, 32, 3, padding=1, bias=False), _bn(32)
        self.b1c2, self.b1n2 = nn.Conv2d(32, 32, 3, padding=1, bias=False), _bn(32)
        self.b2c1, self.b2n1 = nn.Conv2d(32, 64, 3, stride=2, bias=False), _bn(64)
        self.b2c2, self.b2n2 = nn.Conv2d(64, 64, 3, padding=1, bias=False), _bn(64)
        self.proj, self.proj_bn = nn.Conv2d(32, 64, 1, stride=2, bias=False), _bn(64)
        self.dropout = nn.Dropout(0.3)
        self.fc = nn.Linear(64, num_classes)

    def forward(self, x):
        x = F.relu(self.stem_bn(self.stem(x)))
        y = F.relu(self.b1n1(self.b1c1(x)))
        x = F.relu(self.b1n2(self.b1c2(y)) + x)
        # Keras 'same' padding for stride 2: one extra row/column at the bottom/right.
        y = F.relu(self.b2n1(self.b2c1(F.pad(x, (0, 1, 0, 1)))))
        y = self.b2n2(self.b2c2(y))
        x = F.relu(y + self.proj_bn(self.proj(x)))
        return self.fc(self.dropout(x.mean((2, 3))))

    def conv_bn_pairs(self):
        """(conv, bn) pairs in the order the Keras model creates them."""
        return [
            (self.stem, self.stem_bn),
            (self.b1c1, self.b1n1),
            (self.b1c2, self.b1n2),
            (self.b2c1, self.b2n1),
            (self.b2c2, self.b2n2),
            (self.proj, self.proj_bn),
        ]


class ResNetCNN(FitWorkload):
    name = "resnet_cnn"
    summary = (
        "32x32x3 channels-last functional ResNet: Conv2D/BatchNormalization/relu, 2 residual "
        "blocks with Add (one strided, 1x1 projection), GlobalAveragePooling2D, Dropout, "
        "Dense(10); Adam, sparse CE, fit"
    )
    num_classes = 10
    full_samples = 1_024
    batch_size = 64
    # One step per quick epoch: a step takes ~0.3 s on one shared core.
    quick_steps = 1

    def required_layers(self) -> tuple:
        return ("Conv2D", "BatchNormalization", "Add", "GlobalAveragePooling2D", "Dropout")

    def make_x(self, num_samples: int) -> np.ndarray:
        return normal_data(num_samples, (32, 32, 3), self.cfg.seed)

    def teacher_input(self, x: np.ndarray) -> np.ndarray:
        # Per-image channel means over 4x4 patches: a label the network can learn.
        return x.reshape(x.shape[0], 8, 4, 8, 4, 3).mean(axis=(2, 4)).reshape(x.shape[0], -1)

    def torch_layout(self, x: torch.Tensor) -> torch.Tensor:
        return x.permute(0, 3, 1, 2).contiguous()

    def build_keras(self):
        return build_keras_resnet(self.num_classes)

    def build_torch(self) -> nn.Module:
        return TorchResNet(self.num_classes)

    def keras_layer_weights(self, model) -> list:
        pairs = [
            (
                model.get_layer(f"{name}_conv").get_weights(),
                model.get_layer(f"{name}_bn").get_weights(),
            )
            for name in _PAIRS
        ]
        return [pairs, model.get_layer("classifier").get_weights()]

    def load_torch(self, module: nn.Module, layer_weights: list) -> None:
        pairs, classifier = layer_weights
        with torch.no_grad():
            for (conv, bn), ((kernel,), (gamma, beta, mean, var)) in zip(
                module.conv_bn_pairs(), pairs
            ):
                conv.weight.copy_(torch.from_numpy(kernel).permute(3, 2, 0, 1))
                bn.weight.copy_(torch.from_numpy(gamma))
                bn.bias.copy_(torch.from_numpy(beta))
                bn.running_mean.copy_(torch.from_numpy(mean))
                bn.running_var.copy_(torch.from_numpy(var))
        copy_dense(module.fc, classifier)
