"""Keras 2's weight order for layers a subclassed model keeps in a list, dict or tuple.

Keras 2 tracks such a container as one object whose weights are all its layers'
trainable weights, then all their non-trainable ones (Hands-On Computer Vision ch. 4
keeps its residual blocks in `self.res_blocks = [...]`). `get_weights`/`set_weights`
follow that order, so arrays taken from tf_keras land in the right variables. Expected
names were printed by tf_keras 2.21.
"""

import numpy as np

import tork as tf

L = tf.keras.layers


class Block(tf.keras.Model):
    def __init__(self, name):
        super().__init__(name=name)
        self.d = L.Dense(2, name=name + "d")
        self.bn = L.BatchNormalization(name=name + "bn")

    def call(self, x):
        return self.bn(self.d(x))


class Net(tf.keras.Model):
    def __init__(self):
        super().__init__(name="net")  # fixed: the expected names do not depend on other tests
        self.first = L.BatchNormalization(name="first")
        self.blocks = [Block("b0"), Block("b1")]
        self.out = L.Dense(1, name="out")

    def call(self, x):
        x = self.first(x)
        for block in self.blocks:
            x = block(x)
        return self.out(x)


def test_list_of_blocks_lists_trainable_then_non_trainable():
    model = Net()
    model(tf.zeros((1, 3)))
    assert [v.name for v in model.weights] == [
        "net/first/gamma:0",
        "net/first/beta:0",
        "net/first/moving_mean:0",
        "net/first/moving_variance:0",
        "net/b0/b0d/kernel:0",
        "net/b0/b0d/bias:0",
        "net/b0/b0bn/gamma:0",
        "net/b0/b0bn/beta:0",
        "net/b1/b1d/kernel:0",
        "net/b1/b1d/bias:0",
        "net/b1/b1bn/gamma:0",
        "net/b1/b1bn/beta:0",
        "net/b0/b0bn/moving_mean:0",
        "net/b0/b0bn/moving_variance:0",
        "net/b1/b1bn/moving_mean:0",
        "net/b1/b1bn/moving_variance:0",
        "net/out/kernel:0",
        "net/out/bias:0",
    ]


def test_set_weights_uses_the_same_order():
    model = Net()
    model(tf.zeros((1, 3)))
    values = [np.full(w.shape, i, "float32") for i, w in enumerate(model.get_weights())]
    model.set_weights(values)
    # Position 12 is b0's moving mean in Keras 2's order.
    assert model.blocks[0].bn.moving_mean.numpy().tolist() == [12.0, 12.0]
    assert model.blocks[1].d.kernel.numpy()[0, 0] == 8.0


class M(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.blocks = {"x": L.BatchNormalization(name="bx"), "y": L.Dense(2, name="dy")}
        self.t = (L.BatchNormalization(name="t0"), L.Dense(2, name="t1"))
        self.inner = tf.keras.Sequential([L.Dense(2, name="sd"), L.BatchNormalization(name="sbn")])

    def call(self, x):
        x = self.blocks["y"](self.blocks["x"](x))
        return self.inner(self.t[1](self.t[0](x)))


def test_dict_and_tuple_containers_and_nested_sequential():
    # The expected names start from a fresh name registry ('m', not 'm_1' after other tests).
    tf.keras.backend.clear_session()
    model = M()
    model(tf.zeros((1, 2)))
    assert [v.name for v in model.weights] == [
        "m/bx/gamma:0",
        "m/bx/beta:0",
        "m/dy/kernel:0",
        "m/dy/bias:0",
        "m/bx/moving_mean:0",
        "m/bx/moving_variance:0",
        "m/t0/gamma:0",
        "m/t0/beta:0",
        "m/t1/kernel:0",
        "m/t1/bias:0",
        "m/t0/moving_mean:0",
        "m/t0/moving_variance:0",
        "sd/kernel:0",
        "sd/bias:0",
        "sbn/gamma:0",
        "sbn/beta:0",
        "sbn/moving_mean:0",
        "sbn/moving_variance:0",
    ]


def test_sequential_and_functional_stay_layer_by_layer():
    seq = tf.keras.Sequential(
        [
            L.Dense(2, input_shape=(3,), name="a"),
            L.BatchNormalization(name="bn"),
            L.Dense(1, name="c"),
        ]
    )
    assert [v.name for v in seq.weights] == [
        "a/kernel:0",
        "a/bias:0",
        "bn/gamma:0",
        "bn/beta:0",
        "bn/moving_mean:0",
        "bn/moving_variance:0",
        "c/kernel:0",
        "c/bias:0",
    ]
