"""`tf.keras.experimental.WideDeepModel`: a linear model and a DNN trained jointly."""

from __future__ import annotations

import torch

from tork.keras import activations
from tork.keras.models.model import Model
from tork.keras.trainers.data_adapters import unpack_x_y_sample_weight


class WideDeepModel(Model):
    """Wide & Deep Model for regression and classification problems.

    The output is `activation(linear_model(linear_inputs) + dnn_model(dnn_inputs))`.
    Called on a list or tuple of two inputs, the first goes to the linear
    model and the second to the DNN; any other input goes to both. Compiled
    with `optimizer=[linear_optimizer, dnn_optimizer]`, each optimizer updates
    its own sub-model. Keras 2 / tf_keras API (`tf.keras.experimental`).

    Args:
        linear_model: a `LinearModel` (its output must match the DNN's).
        dnn_model: a Keras model.
        activation: the activation of the sum (None: linear).
        **kwargs: base `Model` arguments (e.g. `name`).

    Example:
    >>> linear = tf.keras.experimental.LinearModel()
    >>> dnn = tf.keras.Sequential([tf.keras.layers.Dense(1)])
    >>> model = tf.keras.experimental.WideDeepModel(linear, dnn)
    >>> model.compile(optimizer=["sgd", "adam"], loss="mse")
    >>> _ = model.fit([np.ones((4, 2)), np.ones((4, 3))], np.ones((4, 1)), verbose=0)
    """

    def __init__(self, linear_model, dnn_model, activation=None, **kwargs):
        super().__init__(**kwargs)
        self.linear_model = linear_model
        self.dnn_model = dnn_model
        self.activation = activations.get(activation)

    def call(self, inputs, training=None):
        if isinstance(inputs, (list, tuple)) and len(inputs) == 2:
            linear_inputs, dnn_inputs = inputs
        else:
            linear_inputs = dnn_inputs = inputs
        linear_output = self.linear_model(linear_inputs)
        dnn_output = self.dnn_model(dnn_inputs, training=training)
        if isinstance(linear_output, (list, tuple)):
            output = [a + b for a, b in zip(linear_output, dnn_output)]
            if self.activation is not None:
                output = [self.activation(o) for o in output]
            return output
        output = linear_output + dnn_output
        return self.activation(output) if self.activation is not None else output

    def compile(self, optimizer="rmsprop", loss=None, *args, **kwargs) -> None:
        """Configures training; `optimizer` may be `[linear_optimizer, dnn_optimizer]`.

        Args:
            optimizer: one optimizer for all weights, or a list/tuple of two: the first
                trains the linear model, the second the DNN.
            loss: as `Model.compile`.
            *args: the other `Model.compile` arguments.
            **kwargs: the other `Model.compile` arguments.
        """
        if isinstance(optimizer, (list, tuple)):
            from tork.keras import optimizers

            if len(optimizer) != 2:
                raise ValueError(
                    f"WideDeepModel.compile: optimizer must be one optimizer or a list of two "
                    f"(linear, dnn), got a list of {len(optimizer)}."
                )
            pair = [optimizers.get(o) for o in optimizer]
            super().compile(pair[0], loss, *args, **kwargs)
            self.__dict__["_tork_optimizer"] = pair
            return
        super().compile(optimizer, loss, *args, **kwargs)

    def train_step(self, data) -> dict:
        """A training step; with two optimizers, each updates its own sub-model's weights."""
        if not isinstance(self.optimizer, list):
            return super().train_step(data)
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        y_pred = self(x, training=True)
        loss = self.compute_loss(x, y, y_pred, sample_weight)
        groups = [self.linear_model.trainable_weights, self.dnn_model.trainable_weights]
        grads = torch.autograd.grad(loss, groups[0] + groups[1], allow_unused=True)
        split = len(groups[0])
        for optimizer, params, group_grads in zip(
            self.optimizer, groups, (grads[:split], grads[split:])
        ):
            optimizer.apply_gradients(zip(group_grads, params))
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def get_config(self) -> dict:
        from tork.keras.layers.layer import Layer
        from tork.keras.saving.serialization import serialize_keras_object

        config = Layer.get_config(self)
        config.update(
            {
                "linear_model": serialize_keras_object(self.linear_model),
                "dnn_model": serialize_keras_object(self.dnn_model),
                "activation": activations.serialize(self.activation),
            }
        )
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from tork.keras.saving.serialization import deserialize_keras_object

        config = dict(config)
        linear = deserialize_keras_object(config.pop("linear_model"), custom_objects=custom_objects)
        dnn = deserialize_keras_object(config.pop("dnn_model"), custom_objects=custom_objects)
        from tork.keras.saving.object_registration import CustomObjectScope

        with CustomObjectScope(custom_objects or {}):  # a custom activation given by name
            activation = activations.get(config.pop("activation", None))
        return cls(linear_model=linear, dnn_model=dnn, activation=activation, **config)
