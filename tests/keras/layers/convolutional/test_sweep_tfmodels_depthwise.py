"""DepthwiseConv2D accepts and ignores the Conv base's kernel_* arguments, as tf.keras 2.

tf-models' DepthwiseSeparableConvBlock (and MobileNet-style user code) passes
`kernel_initializer=`/`kernel_regularizer=` to DepthwiseConv2D; tf_keras 2.21 accepts
them and uses only the depthwise_* arguments. tork raised TypeError.
"""

import tork as tf


def test_kernel_arguments_are_ignored_as_tf_keras():
    layer = tf.keras.layers.DepthwiseConv2D(
        3,
        kernel_initializer="ones",
        kernel_regularizer="l2",
        kernel_constraint="non_neg",
        depthwise_initializer="zeros",
        padding="same",
    )
    y = layer(tf.ones((1, 4, 4, 2)))
    # tf_keras 2.21: sum 0.0 (the zeros depthwise kernel), no losses, and a config with
    # depthwise_* but no kernel_* keys.
    assert float(tf.reduce_sum(y)) == 0.0
    assert layer.losses == []
    keys = sorted(k for k in layer.get_config() if "kernel" in k or "depthwise" in k)
    assert keys == [
        "depthwise_constraint",
        "depthwise_initializer",
        "depthwise_regularizer",
        "kernel_size",
    ]


def test_depthwise_1d_too():
    layer = tf.keras.layers.DepthwiseConv1D(3, kernel_initializer="ones")
    assert tuple(layer(tf.ones((1, 5, 2))).shape) == (1, 3, 2)
