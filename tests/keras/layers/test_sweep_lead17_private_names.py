"""Keras's private attribute names that library layers read (tf-models' ReZeroTransformer)."""

import numpy as np

import tork as tf


class _Block(tf.keras.layers.Layer):
    """tf-models style: hands its own activity regularizer to a sublayer."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.inner = tf.keras.layers.Dense(
            2, kernel_initializer="ones", activity_regularizer=self._activity_regularizer
        )

    def call(self, x):
        return self.inner(x)


def test_activity_regularizer_private_name_reads_and_writes_the_public_one():
    block = _Block(activity_regularizer=tf.keras.regularizers.L2(0.5))
    assert block._activity_regularizer is block.activity_regularizer
    x = np.array([[1.0, 2.0]], dtype="float32")
    out = block(x)
    # Both the block and its Dense add 0.5 * sum(out**2) (out = [[3, 3]]): 9 each.
    np.testing.assert_allclose(out.numpy(), [[3.0, 3.0]])
    np.testing.assert_allclose(sorted(float(v) for v in block.losses), [9.0, 9.0])
    block._activity_regularizer = None
    assert block.activity_regularizer is None
