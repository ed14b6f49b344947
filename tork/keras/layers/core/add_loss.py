"""AddLoss and AddMetric: Keras 2's layers for `model.add_loss`/`model.add_metric` on graph tensors.

In Keras 2, `model.add_loss(kl)` where `kl` is computed from a functional model's tensors
(the classic VAE) inserts an `AddLoss` layer at the end of a branch of the graph; the model runs
that branch at every call and the layer adds its input to the model's losses. Keras 2 saves these
layers in the model's config, so files written by such models name them.
"""

from __future__ import annotations

from tork.keras.layers.layer import Layer


class AddLoss(Layer):
    """Adds its input to the model's losses and passes it through.

    Created by `model.add_loss(tensor)` for a tensor of a functional model; not meant to be
    used directly.

    Args:
        unconditional: Keras 2 records whether the loss depends on the inputs (kept for
            configs; every loss here is recomputed at each call).
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Example:
    >>> x = keras.Input((3,))
    >>> y = keras.layers.Dense(2)(x)
    >>> model = keras.Model(x, y)
    >>> model.add_loss(tf.reduce_mean(tf.square(y)))
    >>> type(model.layers[-1]).__name__
    'AddLoss'
    """

    def __init__(self, unconditional: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.unconditional = unconditional

    def call(self, inputs):
        self.add_loss(inputs)
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        config = super().get_config()
        config["unconditional"] = self.unconditional
        return config


class AddMetric(Layer):
    """Tracks the mean of its input as a named metric and passes it through.

    Created by `model.add_metric(tensor, name=...)` for a tensor of a functional model; not
    meant to be used directly.

    Args:
        aggregation: `'mean'` (or None, the same).
        metric_name: the metric's name in the training logs.
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Example:
    >>> x = keras.Input((3,))
    >>> y = keras.layers.Dense(2)(x)
    >>> model = keras.Model(x, y)
    >>> model.add_metric(tf.reduce_mean(y), name="mean_output")
    >>> model.layers[-1].metric_name
    'mean_output'
    """

    def __init__(self, aggregation: str | None = None, metric_name: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.aggregation = aggregation
        self.metric_name = metric_name

    def call(self, inputs):
        self.add_metric(inputs, name=self.metric_name, aggregation=self.aggregation)
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"aggregation": self.aggregation, "metric_name": self.metric_name})
        return config


__all__ = ["AddLoss", "AddMetric"]
