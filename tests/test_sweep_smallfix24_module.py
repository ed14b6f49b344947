"""A variable assigned to a settable property reaches the setter, as in Python and TF 2.21
(the same `_Holder` there sees both variables); torch alone refuses a parameter under a
class attribute's name."""

import tork as tf


class _Holder(tf.Module):
    def __init__(self):
        super().__init__()
        self.seen = []
        self.scale = tf.Variable(2.0)

    @property
    def scale(self):
        return self.seen[-1] if self.seen else None

    @scale.setter
    def scale(self, value):
        self.seen.append(value)


def test_property_setter_receives_the_variable():
    h = _Holder()
    v = tf.Variable(3.0)
    h.scale = v
    assert h.scale is v and len(h.seen) == 2
    assert float(h.seen[0].numpy()) == 2.0


class _Layer(tf.keras.layers.Layer):
    @property
    def gain(self):
        return self.__dict__.get("_gain")

    @gain.setter
    def gain(self, value):
        self.__dict__["_gain"] = value


def test_layer_property_setter_receives_the_variable():
    layer = _Layer()
    v = tf.Variable(1.5)
    layer.gain = v
    assert layer.gain is v
