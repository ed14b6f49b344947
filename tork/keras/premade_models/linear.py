"""`tf.keras.experimental.LinearModel`: Keras 2's premade linear model."""

from __future__ import annotations

import torch

from tork._backend.sparse_tensor import SparseTensor
from tork.keras import activations, initializers, regularizers
from tork.keras.layers.core.dense import Dense
from tork.keras.models.model import Model


class LinearModel(Model):
    """Linear Model for regression and classification problems.

    Computes `activation(bias + sum_i inputs_i @ kernel_i)`: one kernel per
    input. The input is a tensor, a list of tensors, or a dict of tensors (one
    kernel per key, in sorted key order; the dict must have the same keys at
    every call). Keras 2 / tf_keras API (`tf.keras.experimental.LinearModel`).

    Args:
        units: the output size.
        activation: the activation of the output (None: linear).
        use_bias: whether to add a bias.
        kernel_initializer: initializer of the kernels (default zeros).
        bias_initializer: initializer of the bias (default zeros).
        kernel_regularizer: regularizer of the kernels.
        bias_regularizer: regularizer of the bias.
        **kwargs: base `Model` arguments (e.g. `name`).

    Example:
    >>> model = tf.keras.experimental.LinearModel()
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> _ = model.fit(np.ones((4, 2)), np.ones((4, 1)), verbose=0)
    >>> [w.name for w in model.weights]
    ['linear_model/kernel:0', 'linear_model/bias:0']
    """

    def __init__(
        self,
        units=1,
        activation=None,
        use_bias=True,
        kernel_initializer="zeros",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.units = int(units)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)

    def build(self, input_shape):
        if isinstance(input_shape, dict):
            # One kernel per input, in sorted key order.
            names = sorted(input_shape)
            shapes = [input_shape[name] for name in names]
        elif isinstance(input_shape, list) or (
            isinstance(input_shape, tuple) and input_shape and isinstance(input_shape[0], tuple)
        ):
            names, shapes = None, list(input_shape)
        else:
            names, shapes = None, [input_shape]
        self._input_names = names
        # One Dense (no bias) per input, as Keras 2's `dense_layers` (named by the dict keys);
        # built here, inside the model's scope, their kernels are named as in Keras 2
        # (`linear_model/kernel:0`, one per input).
        layers = []
        for index, shape in enumerate(shapes):
            layer = Dense(
                self.units,
                use_bias=False,
                kernel_initializer=self.kernel_initializer,
                kernel_regularizer=self.kernel_regularizer,
                name=names[index] if names is not None else None,
            )
            layer.build(tuple(shape))
            layers.append(layer)
        self.dense_layers = layers
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias",
                shape=(self.units,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                trainable=True,
            )
        else:
            self.bias = None
        self._build_shapes = input_shape
        self.built = True

    def _tork_maybe_build(self, inputs, args, kwargs) -> None:
        from tork.keras.layers.layer import Layer

        # The kernels need the input shapes (Model's default builds without them).
        Layer._tork_maybe_build(self, inputs, args, kwargs)

    @property
    def kernels(self) -> list:
        """The kernels of `dense_layers`, one per input."""
        return [layer.kernel for layer in self.dense_layers]

    def call(self, inputs):
        kernels = self.kernels
        names = self._input_names
        if isinstance(inputs, dict):
            missing = set(names or ()) - set(inputs)
            if names is None or missing:
                raise ValueError(
                    "The `inputs` dictionary does not match the structure expected by the "
                    f"model.\n\tExpected keys: {set(names or ())}\n\tReceived keys: "
                    f"{set(inputs)}\n\tMissing keys: {missing}"
                )
            inputs = [inputs[name] for name in names]
        elif not isinstance(inputs, (list, tuple)):
            inputs = [inputs]
        if len(inputs) != len(kernels):
            raise ValueError(
                f"LinearModel '{self.name}' was built for {len(kernels)} input(s) but got "
                f"{len(inputs)}. Call it with the same inputs as at its first call."
            )
        result = None
        for value, layer in zip(inputs, self.dense_layers):
            if isinstance(value, SparseTensor):
                out = _sparse_matmul(value, layer.kernel)
            else:
                out = layer(value)
            result = out if result is None else result + out
        if self.bias is not None:
            result = result + self.bias
        if self.activation is not None:
            result = self.activation(result)
        return result

    def get_config(self) -> dict:
        from tork.keras.layers.layer import Layer

        config = Layer.get_config(self)
        config.update(
            {
                "units": self.units,
                "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            }
        )
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        del custom_objects
        return cls(**config)


def _sparse_matmul(sparse: SparseTensor, kernel: torch.Tensor) -> torch.Tensor:
    """`sparse @ kernel` for a 2-D SparseTensor (Keras 2's sparse_dense_matmul): a missing
    entry counts as 0, repeated entries add up."""
    indices = torch.as_tensor(sparse.indices, device=kernel.device).long()
    values = torch.as_tensor(sparse.values, device=kernel.device).to(kernel.dtype)
    batch = int(sparse.dense_shape[0])
    rows, cols = indices[:, 0], indices[:, -1]
    out = torch.zeros(batch, kernel.shape[-1], dtype=kernel.dtype, device=kernel.device)
    return out.index_add(0, rows, values[:, None] * kernel[cols])
