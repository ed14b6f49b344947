"""`tf.keras.layers.experimental.RandomFourierFeatures` (Keras 2): random features whose
inner products approximate a shift-invariant kernel (Rahimi & Recht, 2007)."""

from __future__ import annotations

import math

import torch

from tork.keras import constraints, initializers
from tork.keras.layers._call_context import where
from tork.keras.layers.input_spec import InputSpec
from tork.keras.layers.layer import Layer

_KERNELS = ("gaussian", "laplacian")


class _Cauchy(initializers.RandomUniform):
    """Standard Cauchy samples: `tan(pi * u)` for `u ~ U[-0.5, 0.5)`.

    The Fourier transform of the Laplacian kernel `exp(-|x - y|_1)` is a product of
    Cauchy densities, so its random features draw their frequencies from it.
    """

    def __init__(self, seed: int | None = None):
        super().__init__(minval=-0.5, maxval=0.5, seed=seed)

    def __call__(self, shape, dtype=None, **kwargs) -> torch.Tensor:
        return torch.tan(math.pi * super().__call__(shape, dtype=dtype, **kwargs))


def _unscaled_initializer(kernel_initializer):
    if kernel_initializer == "gaussian":
        return initializers.RandomNormal(mean=0.0, stddev=1.0)
    if kernel_initializer == "laplacian":
        return _Cauchy()
    return kernel_initializer


class RandomFourierFeatures(Layer):
    """Maps its input through random Fourier features: `cos(x W + b)`.

    `W = unscaled_kernel / kernel_scale`: the entries of `unscaled_kernel` are drawn once from
    the Fourier transform of the kernel (standard normal for `'gaussian'`, standard Cauchy for
    `'laplacian'`), `b` uniformly from `[0, 2*pi)`; neither is trained. The inner product of
    two outputs, times `2 / output_dim`, approximates `exp(-|x - y|^2 / (2 * scale^2))`
    (gaussian) or `exp(-|x - y|_1 / scale)` (laplacian). (tf_keras's docs write the output as
    `sqrt(2 / output_dim) * cos(...)`, but its layer leaves the factor out; tork computes what
    tf_keras computes.) Followed by a linear layer and a hinge loss, this gives a kernel
    SVM.

    Args:
        output_dim: number of random features (the output's last dimension).
        kernel_initializer: `'gaussian'`, `'laplacian'` or an initializer instance for
            `unscaled_kernel`.
        scale: positive float dividing the kernel; None: `sqrt(input_dim / 2)` for
            `'gaussian'`, 1.0 otherwise.
        trainable: whether `kernel_scale` is trained (default False, as in Keras 2).
        name: the layer's name.

    Input shape: `(batch, input_dim)`. Output shape: `(batch, output_dim)`.

    Example:
    >>> layer = keras.layers.experimental.RandomFourierFeatures(output_dim=8)
    >>> layer(tf.ones((2, 3))).shape
    torch.Size([2, 8])
    """

    def __init__(
        self,
        output_dim: int,
        kernel_initializer="gaussian",
        scale: float | None = None,
        trainable: bool = False,
        name: str | None = None,
        **kwargs,
    ):
        if not isinstance(output_dim, int) or isinstance(output_dim, bool) or output_dim <= 0:
            raise ValueError(
                "RandomFourierFeatures: `output_dim` should be a positive integer. "
                f"Received: {output_dim!r}"
            )
        if isinstance(kernel_initializer, str) and kernel_initializer not in _KERNELS:
            raise ValueError(
                f"RandomFourierFeatures: unsupported `kernel_initializer`: {kernel_initializer!r}."
                f" Expected one of: {list(_KERNELS)}, or an initializer instance."
            )
        if isinstance(kernel_initializer, dict):
            # A config written by Keras 2 serializes an initializer instance as a dict.
            kernel_initializer = initializers.get(kernel_initializer)
        if scale is not None and scale <= 0.0:
            raise ValueError(
                "RandomFourierFeatures: when provided, `scale` should be a positive float. "
                f"Received: {scale}"
            )
        super().__init__(trainable=trainable, name=name, **kwargs)
        self.output_dim = output_dim
        self.kernel_initializer = kernel_initializer
        self.scale = scale
        self.input_spec = InputSpec(ndim=2)

    def _check_input_shape(self, input_shape) -> int:
        input_shape = tuple(input_shape)
        if len(input_shape) != 2:
            raise ValueError(
                f"{where(self)}: the rank of the input tensor should be 2. Received input with "
                f"rank {len(input_shape)} instead. Full input shape received: {input_shape}. "
                "Flatten the features first, e.g. with keras.layers.Flatten()."
            )
        if input_shape[-1] is None:
            raise ValueError(
                f"{where(self)}: the last dimension of the input tensor should be defined. "
                f"Found `None`. Full input shape received: {input_shape}."
            )
        return int(input_shape[-1])

    def build(self, input_shape) -> None:
        input_dim = self._check_input_shape(input_shape)
        self.input_spec = InputSpec(ndim=2, axes={1: input_dim})
        self.unscaled_kernel = self.add_weight(
            name="unscaled_kernel",
            shape=(input_dim, self.output_dim),
            initializer=_unscaled_initializer(self.kernel_initializer),
            trainable=False,
        )
        self.bias = self.add_weight(
            name="bias",
            shape=(self.output_dim,),
            initializer=initializers.RandomUniform(minval=0.0, maxval=2 * math.pi),
            trainable=False,
        )
        if self.scale is None:
            # Keras 2's defaults; the chosen value is written back, so get_config saves it.
            self.scale = (
                math.sqrt(input_dim / 2.0) if self.kernel_initializer == "gaussian" else 1.0
            )
        self.kernel_scale = self.add_weight(
            name="kernel_scale",
            shape=(1,),
            initializer=initializers.Constant(self.scale),
            trainable=True,
            constraint=constraints.NonNeg(),
        )
        self.built = True

    def call(self, inputs):
        if not inputs.is_floating_point():
            inputs = inputs.to(self.unscaled_kernel.dtype)
        kernel = self.unscaled_kernel / self.kernel_scale
        return torch.cos(torch.matmul(inputs, kernel.to(inputs.dtype)) + self.bias)

    def compute_output_shape(self, input_shape):
        self._check_input_shape(input_shape)
        return (tuple(input_shape)[0], self.output_dim)

    def get_config(self) -> dict:
        kernel_initializer = self.kernel_initializer
        if not isinstance(kernel_initializer, str):
            kernel_initializer = initializers.serialize(kernel_initializer)
        config = super().get_config()
        config.update(
            {
                "output_dim": self.output_dim,
                "kernel_initializer": kernel_initializer,
                "scale": self.scale,
            }
        )
        return config
