"""Keras 2 (tf_keras 2.21) model behaviours (k2core).

A Sequential built by fit/evaluate/predict has the input `(None, ...)`, and its config
starts with the InputLayer its graph made (as does one built by a call or by build());
`tf.name_scope`s opened in a subclassed model's call nest under the model's name.
Expected values are tf_keras 2.21 results.
"""

import numpy as np

import tork as tf
from tork import keras


def _dense(units, name):
    return keras.layers.Dense(units, name=name)


# -- Sequential built lazily ------------------------------------------------------------------
def test_sequential_built_by_fit_has_a_batch_free_input_and_config_entry():
    model = keras.Sequential([_dense(2, "a"), _dense(1, "b")])
    model.compile("sgd", "mse")
    model.fit(np.ones((4, 3), "float32"), np.ones((4, 1), "float32"), verbose=0)
    # tf_keras 2.21: (None, 3) and (None, 1), the graph traced without a batch size.
    assert tuple(model.input.shape) == (None, 3)
    assert tuple(model.output.shape) == (None, 1)
    config = model.get_config()
    entry = config["layers"][0]
    assert entry["class_name"] == "InputLayer"
    assert entry["config"]["batch_shape"] == [None, 3]
    assert entry["config"]["dtype"] == "float32"
    assert entry["config"]["name"] == "a_input"
    assert entry["config"]["sparse"] is False and entry["config"]["ragged"] is False
    assert [layer["config"]["name"] for layer in config["layers"][1:]] == ["a", "b"]
    rebuilt = keras.Sequential.from_config(config)
    assert [layer.name for layer in rebuilt.layers] == ["a", "b"]
    assert rebuilt.built and tuple(rebuilt.input.shape) == (None, 3)
    assert rebuilt.get_config() == config
    rebuilt.set_weights(model.get_weights())
    x = np.arange(6, dtype="float32").reshape(2, 3)
    np.testing.assert_allclose(rebuilt.predict(x, verbose=0), model.predict(x, verbose=0))


def test_sequential_built_by_predict_or_evaluate_has_no_batch_size():
    model = keras.Sequential([_dense(2, "p")])
    model.predict(np.ones((4, 3), "float32"), verbose=0)
    assert tuple(model.input.shape) == (None, 3)
    model = keras.Sequential([_dense(2, "e")])
    model.compile("sgd", "mse")
    model.evaluate(np.ones((4, 3), "float32"), np.ones((4, 2), "float32"), verbose=0)
    assert tuple(model.input.shape) == (None, 3)


def test_sequential_built_by_a_call_or_build_lists_its_input():
    called = keras.Sequential([_dense(2, "c")])
    called(np.ones((2, 5, 3), "float32"))
    entry = called.get_config()["layers"][0]
    # tf_keras 2.21: a direct first call keeps the call's shape, batch size included.
    assert entry["class_name"] == "InputLayer"
    assert entry["config"]["batch_shape"] == [2, 5, 3]
    assert entry["config"]["name"] == "c_input"
    built = keras.Sequential([_dense(2, "d")])
    built.build((None, 7))
    entry = built.get_config()["layers"][0]
    assert entry["config"]["batch_shape"] == [None, 7]
    assert entry["config"]["name"] == "d_input"
    unbuilt = keras.Sequential([_dense(2, "u")])
    assert [layer["class_name"] for layer in unbuilt.get_config()["layers"]] == ["Dense"]


def test_sequential_with_keras_input_keeps_its_name_in_config():
    model = keras.Sequential([keras.Input((3,), name="features"), _dense(2, "f")])
    config = model.get_config()
    entry = config["layers"][0]
    assert entry["class_name"] == "InputLayer"
    assert entry["config"]["name"] == "features"
    assert entry["config"]["batch_shape"] == [None, 3]
    rebuilt = keras.Sequential.from_config(config)
    assert rebuilt.get_config()["layers"][0]["config"]["name"] == "features"
    assert [layer.name for layer in rebuilt.layers] == ["f"]


def test_from_config_reads_keras2_input_layer_entries():
    config = {
        "name": "sequential",
        "layers": [
            {
                "class_name": "InputLayer",
                "config": {
                    "batch_input_shape": [None, 3],
                    "dtype": "float32",
                    "sparse": False,
                    "ragged": False,
                    "name": "k2_input",
                    "optional": False,
                },
            },
            {"class_name": "Dense", "config": {"name": "k2", "units": 2}},
        ],
    }
    model = keras.Sequential.from_config(config)
    assert model.built and tuple(model.input.shape) == (None, 3)
    assert [layer.name for layer in model.layers] == ["k2"]
    assert model.get_config()["layers"][0]["config"]["name"] == "k2_input"


# -- tf.name_scope in a subclassed model ------------------------------------------------------
def test_name_scopes_in_call_nest_under_the_model():
    class Block(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.d = keras.layers.Dense(2, name="blk_dense")

        def call(self, x):
            return self.d(x)

    class M(keras.Model):
        def __init__(self):
            super().__init__(name="m")
            self.a = keras.layers.Dense(3, name="a")
            self.b = keras.layers.Dense(2, name="b")
            self.c = Block()
            self.e = keras.layers.Dense(1, name="e")

        def call(self, x):
            with tf.name_scope("block"):
                x = self.a(x)
                with tf.name_scope("inner"):
                    x = self.b(x)
            x = self.c(x)
            return self.e(x)

    model = M()
    model(np.ones((1, 4), "float32"))
    block = model.c.name
    # tf_keras 2.21 names.
    assert [w.name for w in model.weights] == [
        "m/block/a/kernel:0",
        "m/block/a/bias:0",
        "m/block/inner/b/kernel:0",
        "m/block/inner/b/bias:0",
        f"m/{block}/blk_dense/kernel:0",
        f"m/{block}/blk_dense/bias:0",
        "m/e/kernel:0",
        "m/e/bias:0",
    ]


def test_name_scopes_around_and_inside_nested_calls():
    class Inner(keras.Model):
        def __init__(self):
            super().__init__(name="inner_m")
            self.a = keras.layers.Dense(3, name="ia")
            self.b = keras.layers.Dense(2, name="ib")

        def call(self, x):
            x = self.a(x)
            with tf.name_scope("s"):
                return self.b(x)

    class Outer(keras.Model):
        def __init__(self):
            super().__init__(name="outer_m")
            self.inner = Inner()

        def call(self, x):
            with tf.name_scope("z"):
                return self.inner(x)

    inner = Inner()
    with tf.name_scope("outer"):
        inner(np.ones((1, 4), "float32"))
    assert [w.name for w in inner.weights] == [
        "outer/inner_m/ia/kernel:0",
        "outer/inner_m/ia/bias:0",
        "outer/inner_m/s/ib/kernel:0",
        "outer/inner_m/s/ib/bias:0",
    ]
    outer = Outer()
    outer(np.ones((1, 4), "float32"))
    assert [w.name for w in outer.weights] == [
        "outer_m/z/inner_m/ia/kernel:0",
        "outer_m/z/inner_m/ia/bias:0",
        "outer_m/z/inner_m/s/ib/kernel:0",
        "outer_m/z/inner_m/s/ib/bias:0",
    ]


# -- Metric attributes ------------------------------------------------------------------------
def test_metric_attributes_count_as_non_trainable_weights():
    class M(keras.Model):
        def __init__(self):
            super().__init__(name="m")
            self.d = keras.layers.Dense(1, name="d")
            self.loss_tracker = keras.metrics.Mean(name="loss")
            self.mae = keras.metrics.MeanAbsoluteError(name="mae")

        def call(self, x):
            return self.d(x)

        @property
        def metrics(self):
            return [self.loss_tracker, self.mae]

    model = M()
    model.build((None, 3))
    # tf_keras 2.21 tracks the metrics as sublayers (Keras 3 leaves them out).
    names = ["d/kernel:0", "d/bias:0", "total:0", "count:0", "total:0", "count:0"]
    assert [w.name for w in model.weights] == names
    assert [w.name for w in model.variables] == names
    assert [w.name for w in model.trainable_weights] == names[:2]
    assert [w.name for w in model.non_trainable_weights] == names[2:]
    assert model.count_params() == 8
    assert [m.name for m in model.metrics] == ["loss", "mae"]
    model.loss_tracker.update_state([2.0, 4.0])
    values = model.get_weights()
    assert len(values) == 6
    np.testing.assert_allclose(values[2:4], [6.0, 2.0])  # Mean's total and count
    values[2] = np.float32(10.0)
    model.set_weights(values)
    np.testing.assert_allclose(float(model.loss_tracker.result()), 5.0)
