"""`keras.layers.SpectralNormalization`: keeps a layer's kernel at spectral norm about 1."""

from __future__ import annotations

import torch

from tork.keras import initializers
from tork.keras.layers._call_context import where
from tork.keras.layers.core.wrapper import Wrapper
from tork.keras.layers.input_spec import InputSpec
from tork.keras.layers.layer import Layer, _to_keras_shape

_EPSILON = 1e-7


def _normalize(x: torch.Tensor) -> torch.Tensor:
    # Keras's ops.normalize(x, axis=None): x / sqrt(max(sum(x^2), epsilon)).
    return x * torch.rsqrt(torch.clamp((x * x).sum(), min=_EPSILON))


class SpectralNormalization(Wrapper):
    """Performs spectral normalization on the weights of a target layer.

    The wrapped layer's `kernel` (or `embeddings`) is divided by its largest
    singular value, estimated by power iteration on the kernel reshaped to
    `(-1, kernel.shape[-1])`. The left singular vector estimate is kept in the
    non-trainable weight `vector_u` of shape `(1, kernel.shape[-1])`. As in
    Keras 3, a call with `training=True` runs `power_iterations` steps, updates
    `vector_u` and assigns the normalized kernel to the wrapped layer before
    running it; inference runs the wrapped layer with its kernel as it is.

    Args:
        layer: a layer with a `kernel` (or `embeddings`) weight, e.g. Dense or Conv2D.
        power_iterations: number of power iterations per training call (>= 1).

    Example:
    >>> sn = keras.layers.SpectralNormalization(keras.layers.Dense(4))
    >>> sn(tf.ones((2, 3)), training=True).shape
    torch.Size([2, 4])
    """

    def __init__(self, layer, power_iterations: int = 1, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(
                "SpectralNormalization wraps a keras layer, e.g. "
                f"SpectralNormalization(Dense(8)), but received {type(layer).__name__} {layer!r}."
            )
        if isinstance(power_iterations, bool) or int(power_iterations) <= 0:
            raise ValueError(
                "`power_iterations` should be greater than zero. Received: "
                f"`power_iterations={power_iterations}`"
            )
        super().__init__(layer, **kwargs)
        self.power_iterations = int(power_iterations)

    def _target(self) -> torch.Tensor:
        for attribute in ("kernel", "embeddings"):
            value = getattr(self.layer, attribute, None)
            if isinstance(value, torch.Tensor):
                return value
        raise ValueError(
            f"{where(self)}: {type(self.layer).__name__} object has no attribute 'kernel' nor "
            "'embeddings'. SpectralNormalization wraps layers with a kernel, e.g. Dense or "
            "Conv2D."
        )

    def _tork_checkpoint_aliases(self) -> list:
        # tf_keras's build sets `self.kernel = layer.kernel` (or its embeddings), so TF
        # checkpoints key that variable `.../kernel`, not `.../layer/kernel`.
        if not self.built:
            return []
        return [("kernel", self._target())]

    def build(self, input_shape) -> None:
        shape = tuple(input_shape)
        if not self.layer.built:
            # In this layer's name scope (`spectral_normalization/kernel:0`), as Keras 2's
            # Wrapper builds the wrapped layer by calling its build() directly.
            self.layer._tork_build(_to_keras_shape(shape), scoped=False)
        kernel = self._target()
        self.input_spec = InputSpec(min_ndim=1, axes={-1: shape[-1]})
        self.vector_u = self.add_weight(
            name="vector_u",
            shape=(1, kernel.shape[-1]),
            initializer=initializers.TruncatedNormal(stddev=0.02),
            trainable=False,
            dtype=kernel.dtype,
        )
        self.built = True

    def normalized_weights(self) -> tuple:
        """(new vector_u, normalized kernel) after `power_iterations` power-iteration steps."""
        kernel = self._target()
        with torch.no_grad():
            weights = kernel.reshape(-1, kernel.shape[-1])
            u = self.vector_u.detach()
            for _ in range(self.power_iterations):
                v = _normalize(u @ weights.T)
                u = _normalize(v @ weights)
            sigma = (v @ weights) @ u.T
            return u, kernel / sigma

    def call(self, inputs, training=None):
        if training:
            kernel = self._target()
            # An all-zero kernel has no spectral norm: leave it (and u) untouched, as Keras does.
            if bool((kernel != 0).any()):
                new_u, new_kernel = self.normalized_weights()
                with torch.no_grad():
                    self.vector_u.copy_(new_u)
                    kernel.copy_(new_kernel)
        outputs = self.layer(inputs)
        if isinstance(inputs, torch.Tensor) and outputs.dtype != inputs.dtype:
            if inputs.is_floating_point():
                outputs = outputs.to(inputs.dtype)
        return outputs

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()  # with the wrapped layer's config under "layer"
        config["power_iterations"] = self.power_iterations
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None):
        return super().from_config(config, custom_objects)
