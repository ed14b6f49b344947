"""Model weight order with variables kept in list/dict/tuple attributes (Keras 2).

Expected orders were printed by tf_keras 2 (TF_USE_LEGACY_KERAS=1, /tmp/tfenv) on the same
models: a list/dict/tuple of variables counts as one tracked object where it was assigned,
so its variables come at that place, not with the model's own weights at the end.
"""

import numpy as np

import tork as tf

keras = tf.keras


class _ListsModel(keras.Model):
    def build(self, input_shape):
        self.ws = [self.add_weight(name="w0", shape=(2,)), self.add_weight(name="w1", shape=(2,))]
        b0 = self.add_weight(name="b0", shape=(1,))
        b1 = self.add_weight(name="b1", shape=(1,))
        self.bs = [b0, b1]
        self.last = self.add_weight(name="last", shape=(3,))
        self.dense = keras.layers.Dense(1, name="d")

    def call(self, x):
        return self.dense(x)


def test_model_lists_of_variables_keep_their_place():
    model = _ListsModel(name="m1")
    model(np.ones((1, 2), "float32"))
    # tf_keras: ['m1/w0:0', 'm1/w1:0', 'm1/b0:0', 'm1/b1:0', 'd/kernel:0', 'd/bias:0',
    # 'm1/last:0']
    expected = ["w0:0", "w1:0", "b0:0", "b1:0", "d/kernel:0", "d/bias:0", "last:0"]
    names = [w.name.split("m1/")[-1] for w in model.weights]
    assert names == expected
    assert [w.name.split("m1/")[-1] for w in model.trainable_weights] == expected
    # set_weights in tf_keras's order fills the matching slots.
    values = [np.full(tuple(w.shape), i, "float32") for i, w in enumerate(model.weights)]
    model.set_weights(values)
    np.testing.assert_array_equal(model.ws[1].numpy(), [1.0, 1.0])
    np.testing.assert_array_equal(model.dense.kernel.numpy(), [[4.0], [4.0]])
    np.testing.assert_array_equal(model.last.numpy(), [6.0, 6.0, 6.0])


class _MixedModel(keras.Model):
    def __init__(self):
        super().__init__(name="m2")
        self.dd = {"b": keras.layers.Dense(1, name="db")}
        self.t = (keras.layers.Dense(1, name="dt"),)
        self.v = self.add_weight(name="v", shape=(1,))
        self.vd = {
            "z": self.add_weight(name="vz", shape=(1,)),
            "a": self.add_weight(name="va", shape=(1,)),
        }
        self.vt = (self.add_weight(name="vt", shape=(1,)),)
        self.d1 = keras.layers.Dense(1, name="d1")

    def call(self, x):
        return self.d1(x) + self.dd["b"](x) + self.t[0](x)


def test_model_dict_and_tuple_of_variables_order():
    model = _MixedModel()
    model(np.ones((1, 2), "float32"))
    # tf_keras: ['db/kernel:0', 'db/bias:0', 'dt/kernel:0', 'dt/bias:0', 'vz:0', 'va:0',
    # 'vt:0', 'd1/kernel:0', 'd1/bias:0', 'v:0'] (a dict of variables in insertion order;
    # the directly assigned `v` is an own weight, listed last).
    expected = [
        "db/kernel:0",
        "db/bias:0",
        "dt/kernel:0",
        "dt/bias:0",
        "vz:0",
        "va:0",
        "vt:0",
        "d1/kernel:0",
        "d1/bias:0",
        "v:0",
    ]
    names = [w.name.split("m2/")[-1] for w in model.weights]
    assert names == expected
    assert [w.name.split("m2/")[-1] for w in model.trainable_weights] == expected


class _FrozenModel(keras.Model):
    def build(self, input_shape):
        self.ws = [self.add_weight(name="w0", shape=(2,)), self.add_weight(name="w1", shape=(2,))]
        self.last = self.add_weight(name="last", shape=(3,))
        self.dense = keras.layers.Dense(1, name="d")

    def call(self, x):
        return self.dense(x)


def test_frozen_model_lists_variables_as_non_trainable():
    model = _FrozenModel(name="m3")
    model(np.ones((1, 2), "float32"))
    model.trainable = False
    assert model.trainable_weights == []
    # tf_keras: non_trainable_weights ['m3/w0:0', 'm3/w1:0', 'm3/last:0', 'm3/d/kernel:0',
    # 'm3/d/bias:0']; weights ['m3/w0:0', 'm3/w1:0', 'm3/d/kernel:0', 'm3/d/bias:0',
    # 'm3/last:0']
    assert [w.name.split("m3/")[-1] for w in model.non_trainable_weights] == [
        "w0:0",
        "w1:0",
        "last:0",
        "d/kernel:0",
        "d/bias:0",
    ]
    assert [w.name.split("m3/")[-1] for w in model.weights] == [
        "w0:0",
        "w1:0",
        "d/kernel:0",
        "d/bias:0",
        "last:0",
    ]


class _ListsLayer(keras.layers.Layer):
    def build(self, input_shape):
        self.ws = [self.add_weight(name="w0", shape=(2,)), self.add_weight(name="w1", shape=(2,))]
        self.dense = keras.layers.Dense(1, name="d")
        self.last = self.add_weight(name="last", shape=(3,))

    def call(self, x):
        return self.dense(x)


def test_plain_layer_order_unchanged():
    layer = _ListsLayer(name="l")
    layer(np.ones((1, 2), "float32"))
    # tf_keras: ['l/w0:0', 'l/w1:0', 'l/last:0', 'l/d/kernel:0', 'l/d/bias:0']
    assert [w.name for w in layer.weights] == [
        "l/w0:0",
        "l/w1:0",
        "l/last:0",
        "l/d/kernel:0",
        "l/d/bias:0",
    ]


class _MetricsLayer(keras.layers.Layer):
    def __init__(self):
        super().__init__(name="ll")
        self.m1 = keras.metrics.Mean(name="m1")
        self.ms = {"b": keras.metrics.Sum(name="s1"), "a": keras.metrics.Accuracy(name="acc")}
        self.r = keras.metrics.Mean(name="old")
        self.r = keras.metrics.Mean(name="acc2")

    def call(self, x):
        return x


def test_layer_metrics_keep_every_assigned_metric():
    # tf_keras: ['m1', 'acc', 's1', 'old', 'acc2']: a dict of metrics by sorted key (as
    # tf.nest flattens it), and the replaced `old` stays listed.
    assert [m.name for m in _MetricsLayer().metrics] == ["m1", "acc", "s1", "old", "acc2"]


def test_layer_metrics_of_sublayer_in_a_layer():
    class Outer(keras.layers.Layer):
        def __init__(self):
            super().__init__(name="outer")
            self.inner = _MetricsLayer()
            self.own = [keras.metrics.Mean(name="o1"), keras.metrics.Mean(name="o2")]

        def call(self, x):
            return self.inner(x)

    # tf_keras: the layer's own metrics first, then its sublayers'.
    assert [m.name for m in Outer().metrics] == ["o1", "o2", "m1", "acc", "s1", "old", "acc2"]


def test_model_metrics_list_every_assigned_metric_before_and_after_fit():
    # tf_keras 2.21: ['m1', 's1', 'acc', 'old', 'acc2'] before compile and
    # ['loss', 'mae', 'm1', 's1', 'acc', 'old', 'acc2'] after fit.
    class M(keras.Model):
        def __init__(self):
            super().__init__()
            self.m1 = keras.metrics.Mean("m1")
            self.ms = [keras.metrics.Sum("s1")]
            self.d = keras.layers.Dense(1)
            self.r = keras.metrics.Mean("acc")
            self.r2 = keras.metrics.Mean("old")
            self.r2 = keras.metrics.Mean("acc2")

        def call(self, x):
            return self.d(x)

    model = M()
    assert [m.name for m in model.metrics] == ["m1", "s1", "acc", "old", "acc2"]
    model.compile("sgd", "mse", metrics=["mae"])
    model.fit(np.ones((4, 2)), np.ones((4, 1)), verbose=0)
    assert [m.name for m in model.metrics] == ["loss", "mae", "m1", "s1", "acc", "old", "acc2"]


def test_user_build_calling_super_build_names_sublayer_weights_as_keras_2():
    # tf_keras 2.21: built by its first call ['d1/kernel:0', 'd1/bias:0', 'm3/k:0'];
    # by model.build((None, 3)) ['d1/kernel:0', 'd1/bias:0', 'k:0'].
    class M3(keras.Model):
        def __init__(self):
            super().__init__(name="m3")
            self.d1 = keras.layers.Dense(2, name="d1")

        def build(self, shape):
            self.k = self.add_weight(name="k", shape=(1,))
            super().build(shape)

        def call(self, x):
            return self.d1(x) * self.k

    called = M3()
    out = called(np.ones((1, 3), "float32"))
    assert tuple(out.shape) == (1, 2)
    assert [w.name for w in called.weights] == ["d1/kernel:0", "d1/bias:0", "m3/k:0"]
    built = M3()
    built.build((None, 3))
    assert [w.name for w in built.weights] == ["d1/kernel:0", "d1/bias:0", "k:0"]
