"""`tf.keras.layers.experimental.SyncBatchNormalization`: TF 2.x's synchronized batch norm.

Keras 2 kept this class (deprecated) for `BatchNormalization(synchronized=True)`;
library code still builds it, e.g. tensorflow_similarity's `convert_sync_batchnorm`
calls `SyncBatchNormalization(**batch_norm.get_config())`.
"""

from __future__ import annotations

from tork.keras.layers.normalization.batch_normalization import BatchNormalization


class SyncBatchNormalization(BatchNormalization):
    """Batch normalization with `synchronized=True`, as Keras 2's experimental class.

    In one process the statistics are those of the batch, as `BatchNormalization`'s.

    Args:
        axis, momentum, epsilon, center, scale: as in `BatchNormalization`.
        beta_initializer, gamma_initializer, moving_mean_initializer,
        moving_variance_initializer, beta_regularizer, gamma_regularizer,
        beta_constraint, gamma_constraint: as in `BatchNormalization`.
        **kwargs: other layer arguments; a `synchronized` entry (a `BatchNormalization`
            config passed on whole) is ignored, the layer is always synchronized.

    Example:
    >>> bn = tf.keras.layers.experimental.SyncBatchNormalization(momentum=0.9)
    >>> bn(tf.ones((2, 3)), training=True).shape
    TensorShape([2, 3])
    """

    def __init__(
        self,
        axis=-1,
        momentum: float = 0.99,
        epsilon: float = 1e-3,
        center: bool = True,
        scale: bool = True,
        beta_initializer="zeros",
        gamma_initializer="ones",
        moving_mean_initializer="zeros",
        moving_variance_initializer="ones",
        beta_regularizer=None,
        gamma_regularizer=None,
        beta_constraint=None,
        gamma_constraint=None,
        **kwargs,
    ):
        kwargs.pop("synchronized", None)
        super().__init__(
            axis=axis,
            momentum=momentum,
            epsilon=epsilon,
            center=center,
            scale=scale,
            beta_initializer=beta_initializer,
            gamma_initializer=gamma_initializer,
            moving_mean_initializer=moving_mean_initializer,
            moving_variance_initializer=moving_variance_initializer,
            beta_regularizer=beta_regularizer,
            gamma_regularizer=gamma_regularizer,
            beta_constraint=beta_constraint,
            gamma_constraint=gamma_constraint,
            synchronized=True,
            **kwargs,
        )

    def get_config(self) -> dict:
        config = super().get_config()
        # The class implies it; Keras 2's config of this class has no such key.
        config.pop("synchronized", None)
        return config
