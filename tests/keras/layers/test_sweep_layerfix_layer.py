"""Layer fixes found by the layerfix sweep (values checked against tf_keras 2.21 / TF 2.21)."""

import numpy as np
import pytest

import tork as tf
from tork import keras


class _EarlyRouter(keras.layers.Layer):
    # keras.io's Switch Transformer Router: the sublayer comes before super().__init__().
    def __init__(self, units):
        self.units = units
        self.route = keras.layers.Dense(units)
        super().__init__()

    def call(self, x):
        return self.route(x)


def test_sublayer_assigned_before_super_init_is_tracked():
    router = _EarlyRouter(2)
    out = router(tf.ones((1, 3)))
    assert tuple(out.shape) == (1, 2)
    # tf_keras 2.21: ['early_router/dense/kernel:0', 'early_router/dense/bias:0'] (names
    # depend on the unique-name counters, so only the suffixes are compared).
    names = [w.name for w in router.trainable_weights]
    assert len(names) == 2
    assert names[0].startswith(router.name + "/") and names[0].endswith("/kernel:0")
    assert names[1].endswith("/bias:0")
    assert router.route in router._layers
    assert router.units == 2


def test_variable_and_list_assigned_before_super_init_are_tracked():
    class Early(keras.layers.Layer):
        def __init__(self):
            self.v = tf.Variable(tf.ones((2,)), name="vv")
            self.dense_list = [keras.layers.Dense(3)]
            super().__init__(name="early")

        def call(self, x):
            return self.dense_list[0](x) * tf.reduce_sum(self.v)

    layer = Early()
    assert tuple(layer(tf.ones((1, 3))).shape) == (1, 3)
    # tf_keras 2.21 prints exactly these names.
    names = [w.name for w in layer.weights]
    assert names[0] == "vv:0"
    assert names[1].startswith("early/dense") and names[1].endswith("/kernel:0")
    assert names[2].startswith("early/dense") and names[2].endswith("/bias:0")
    assert len(layer.trainable_weights) == 3


def test_model_sublayers_assigned_before_super_init_train():
    class EarlyModel(keras.Model):
        def __init__(self):
            self.d = keras.layers.Dense(2)
            self.e = keras.layers.Dense(1)
            super().__init__()

        def call(self, x):
            return self.e(self.d(x))

    model = EarlyModel()
    assert tuple(model(tf.ones((1, 3))).shape) == (1, 1)
    assert len(model.trainable_weights) == 4
    assert model.layers == [model.d, model.e]
    model.compile("sgd", "mse")
    history = model.fit(np.ones((4, 3), "float32"), np.ones((4, 1), "float32"), epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2


def test_layer_without_super_init_still_explains():
    class NoInit(keras.layers.Layer):
        def __init__(self):
            self.d = keras.layers.Dense(2)

        def call(self, x):
            return self.d(x)

    with pytest.raises(AttributeError, match=r"subclassing `Layer` and you forgot to call"):
        NoInit()(tf.ones((1, 3)))
    with pytest.raises(AttributeError, match=r"subclassing `Layer` and you forgot to call"):
        _ = NoInit().trainable_weights


class _ScaleK(keras.layers.Layer):
    def build(self, input_shape):
        self.k = self.add_weight("k", (2,))

    def call(self, x):
        return x * self.k


class _OuterB(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.inner = _ScaleK(name="inn")

    def build(self, input_shape):
        self.b = self.add_weight("b", (2,))

    def call(self, x):
        return self.inner(x) * self.b


def test_add_weight_names_take_the_user_name_scope_of_the_call():
    # tf_keras 2.21 prints each of these names.
    with tf.name_scope("scopeA"):
        layer = _ScaleK(name="ll")
        layer(tf.ones((1, 2)))
    assert [w.name for w in layer.weights] == ["scopeA/ll/k:0"]

    layer = _ScaleK(name="ll2")  # created outside, called inside: the call's scope counts
    with tf.name_scope("scopeB"):
        layer(tf.ones((1, 2)))
    assert [w.name for w in layer.weights] == ["scopeB/ll2/k:0"]

    with tf.name_scope("scopeC"):
        dense = keras.layers.Dense(2, name="dd")
        dense(tf.ones((1, 2)))
    assert [w.name for w in dense.weights] == ["scopeC/dd/kernel:0", "scopeC/dd/bias:0"]

    outer = _OuterB(name="out")
    with tf.name_scope("scopeD"):
        with tf.name_scope("sub"):
            outer(tf.ones((1, 2)))
    assert [w.name for w in outer.weights] == ["scopeD/sub/out/b:0", "scopeD/sub/out/inn/k:0"]

    outer = _OuterB(name="out2")
    outer(tf.ones((1, 2)))
    assert [w.name for w in outer.weights] == ["out2/b:0", "out2/inn/k:0"]


def test_functional_builds_ignore_the_user_name_scope():
    # tf_keras builds functional models in a scratch graph: no user scope in the names.
    with tf.name_scope("scopeG"):
        inputs = keras.Input((2,))
        model = keras.Model(inputs, keras.layers.Dense(2, name="d2")(inputs))
    assert [w.name for w in model.weights] == ["d2/kernel:0", "d2/bias:0"]

    class Sub(keras.Model):
        def __init__(self):
            super().__init__(name="mm")
            self.d = keras.layers.Dense(2, name="dd")

        def call(self, x):
            return self.d(x)

    model = Sub()
    with tf.name_scope("S"):
        model(tf.ones((1, 2)))
    assert [w.name for w in model.weights] == ["S/mm/dd/kernel:0", "S/mm/dd/bias:0"]


def test_unnamed_add_weight_is_called_variable():
    class NoName(keras.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(2,))
            self.add_weight(shape=(2,))

        def call(self, x):
            return x

    layer = NoName(name="nn")
    layer(tf.ones((1, 2)))
    # tf_keras 2.21: ['nn/Variable:0', 'nn/Variable:0'].
    assert [w.name for w in layer.weights] == ["nn/Variable:0", "nn/Variable:0"]
    # torch's registry keys stay unique: the attribute name, then `variable`.
    assert list(dict(layer.named_parameters())) == ["w", "variable"]
