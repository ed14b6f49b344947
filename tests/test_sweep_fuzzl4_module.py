"""A layer's own variables in list/dict attributes keep Keras 2's assignment order.

Keras 2 appends a variable to a layer's weights when an attribute takes it, also inside a
list or dict (`self.vs = [tf.Variable(...)]`); tork listed a later `add_weight` before the
list's variables, so `get_weights()`/`set_weights()` used another order than TF and a
weight list taken from TF loaded silently into the wrong variables. Reference values:
TF 2.21 / tf_keras 2.21 (/tmp/fuzzl4/probes/ref_order.py, p_order.py, p_tfmodule.py).
"""

import numpy as np

import tork as tf

keras = tf.keras


class _Mixed(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.v = tf.Variable(np.zeros(3, "float32"), name="v")
        self.vs = [
            tf.Variable(np.zeros(3, "float32"), name="a"),
            tf.Variable(np.zeros(3, "float32"), trainable=False, name="b"),
        ]
        self.vd = {"z": tf.Variable(np.zeros(3, "float32"), name="z")}

    def build(self, input_shape):
        self.own = self.add_weight(name="own", shape=(3,), initializer="zeros")

    def call(self, x):
        return (
            x * self.v
            + self.vs[0] * 10.0
            + self.vs[1] * 100.0
            + self.vd["z"] * 1000.0
            + self.own * 10000.0
        )


def test_variables_in_containers_keep_assignment_order():
    layer = _Mixed(name="m")
    x = np.ones((1, 3), "float32")
    layer(x)
    # TF: ['v:0', 'a:0', 'z:0', 'm/own:0', 'b:0']
    assert [w.name for w in layer.weights] == ["v:0", "a:0", "z:0", "m/own:0", "b:0"]
    assert [w.name for w in layer.trainable_weights] == ["v:0", "a:0", "z:0", "m/own:0"]
    layer.set_weights([np.full(3, i + 1.0, "float32") for i in range(5)])
    # TF: v=1, a=2, z=3, own=4, b=5 -> 1 + 20 + 500 + 3000 + 40000
    np.testing.assert_allclose(np.asarray(layer(x)), [[43521.0] * 3])


class _Composite(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.v = tf.Variable(np.ones((3,), "float32"), name="v")
        self.vs = [tf.Variable(1.0, name="a"), tf.Variable(2.0, trainable=False, name="b")]
        self.vd = {"z": tf.Variable(np.zeros((3,), "float32"), name="zz")}
        self.pair = (keras.layers.Dense(3, name="t0"), keras.layers.Dense(3, name="t1"))

    def build(self, input_shape):
        self.late = keras.layers.Dense(3, name="late")
        self.own = self.add_weight(name="own", shape=(3,), initializer="ones")

    def call(self, x):
        h = self.pair[1](self.pair[0](x)) * self.v * self.vs[0] + self.vs[1] + self.vd["z"]
        return self.late(h) * self.own


def test_container_variables_before_sublayers():
    layer = _Composite(name="l")
    layer(np.ones((2, 3), "float32"))
    # TF (tf_keras 2.21): own variables in assignment order, then the sublayers' weights,
    # then the non-trainable ones.
    assert [w.name for w in layer.weights] == [
        "v:0",
        "a:0",
        "zz:0",
        "l/own:0",
        "l/t0/kernel:0",
        "l/t0/bias:0",
        "l/t1/kernel:0",
        "l/t1/bias:0",
        "l/late/kernel:0",
        "l/late/bias:0",
        "b:0",
    ]


def test_tf_module_order_unchanged():
    class _M(tf.Module):
        def __init__(self):
            super().__init__(name="mm")
            self.z = tf.Variable(1.0, name="z")
            self.lst = [tf.Variable(2.0, name="l0")]
            self.a = tf.Variable(3.0, name="a")

    # TF: tf.Module lists variables by attribute name.
    assert [v.name for v in _M().trainable_variables] == ["a:0", "l0:0", "z:0"]
