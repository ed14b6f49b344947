"""Subclassed models whose build() creates the layers and calls super().build (tf_keras 2.21)."""

import numpy as np

import tork as tf


class _BuildsLayers(tf.keras.Model):
    def build(self, input_shape):
        self.d1 = tf.keras.layers.Dense(4)
        self.d2 = tf.keras.layers.Dense(1)
        super().build(input_shape)

    def call(self, x):
        return self.d2(self.d1(x))


def test_super_build_with_shape_creates_the_weights():
    # tf_keras 2.21: 4 weights, named dense/kernel:0 ... (no model prefix), built True.
    m = _BuildsLayers()
    m.build((None, 3))
    assert m.built
    assert len(m.weights) == 4
    assert [tuple(w.shape) for w in m.weights] == [(3, 4), (4,), (4, 1), (1,)]
    assert [w.name.split("/")[-1] for w in m.weights] == ["kernel:0", "bias:0"] * 2
    assert not m.weights[0].name.startswith(m.name + "/")


def test_fit_after_build_trains():
    m = _BuildsLayers()
    m.build((None, 3))
    m.compile("sgd", "mse")
    before = [w.copy() for w in m.get_weights()]
    x = np.ones((8, 3), "float32")
    y = np.full((8, 1), 5.0, "float32")
    m.fit(x, y, epochs=1, verbose=0)
    after = m.get_weights()
    assert all(np.abs(a - b).sum() > 0 for a, b in zip(after, before))


def test_compile_then_build_then_fit_trains():
    m = _BuildsLayers()
    m.compile("sgd", "mse")
    m.build((None, 3))
    assert len(m.trainable_weights) == 4
    w0 = m.get_weights()[0].copy()
    m.fit(np.ones((8, 3), "float32"), np.full((8, 1), 5.0, "float32"), verbose=0)
    assert np.abs(m.get_weights()[0] - w0).sum() > 0


def test_first_call_still_builds_once():
    m = _BuildsLayers()
    out = m(np.ones((2, 3), "float32"))
    assert tuple(out.shape) == (2, 1)
    assert len(m.weights) == 4


def test_fit_trains_weights_created_after_compile_by_a_first_call():
    # build() creates the layers without calling them: compile and build(shape) see no
    # weight yet; fit's first call creates them and later fits must keep training them.
    class Lazy(tf.keras.Model):
        def build(self, input_shape):
            self.d1 = tf.keras.layers.Dense(4)
            self.d2 = tf.keras.layers.Dense(1)

        def call(self, x):
            return self.d2(self.d1(x))

    model = Lazy()
    model.compile("sgd", "mse")
    model.build((None, 3))
    x, y = np.ones((8, 3), "float32"), np.ones((8, 1), "float32")
    model.fit(x, y, verbose=0)
    before = [w.numpy().copy() for w in model.weights]
    assert len(before) == 4
    model.fit(x, y, verbose=0)
    assert all((b != w.numpy()).any() for b, w in zip(before, model.weights))
