"""Keras 2 records a model's save spec at its first call (`_get_save_spec()`/`save_spec()`).

Expected specs are tf_keras 2.21's (TF_USE_LEGACY_KERAS=1, same calls); tork returned None
for every subclassed model and Sequential before.
"""

import numpy as np

import tork as tf

keras = tf.keras


class _M(keras.Model):
    def __init__(self):
        super().__init__()
        self.d = keras.layers.Dense(2)

    def call(self, x, training=None):
        return self.d(x)


def _check(spec, shape, dtype, name):
    assert spec.shape.as_list() == shape and spec.dtype == dtype and spec.name == name


def test_first_call_records_the_inputs_spec():
    m = _M()
    assert m._get_save_spec() is None and m.save_spec() is None
    m(np.ones((4, 3), "float32"), training=False)
    # ([TensorSpec(shape=(None, 3), dtype=tf.float32, name='input_1')], {}); training left out
    args, kwargs = m.save_spec()
    assert kwargs == {} and len(args) == 1
    _check(args[0], [None, 3], tf.float32, "input_1")
    _check(m._get_save_spec(dynamic_batch=False), [4, 3], tf.float32, "input_1")
    m(np.ones((9, 5), "float32")[:, :3])  # later calls change nothing
    _check(m._get_save_spec(dynamic_batch=False), [4, 3], tf.float32, "input_1")


def test_dtypes_after_the_input_cast():
    m = _M()
    m(np.ones((2, 3), "int32"))
    _check(m._get_save_spec(), [None, 3], tf.int32, "input_1")
    m = _M()
    m(tf.constant([[1.0, 2.0, 3.0]], dtype=tf.float64))  # autocast to float32 first
    _check(m._get_save_spec(), [None, 3], tf.float32, "input_1")


def test_fit_predict_and_symbolic_calls_record_an_unknown_batch():
    x, y = np.ones((4, 3), "float32"), np.ones((4, 2), "float32")
    m = _M()
    m.compile("sgd", "mse")
    m.fit(x, y, batch_size=2, verbose=0)
    # tf_keras: (None, 3); with dynamic_batch=False (2, 3) here (batches of one size),
    # tork keeps None for any step of fit/evaluate/predict.
    _check(m._get_save_spec(), [None, 3], tf.float32, "input_1")
    m = _M()
    m.predict(x, verbose=0)
    _check(m._get_save_spec(dynamic_batch=False), [None, 3], tf.float32, "input_1")
    m = _M()
    m(keras.Input((3,)))
    _check(m._get_save_spec(dynamic_batch=False), [None, 3], tf.float32, "input_1")


def test_structures_and_extra_arguments():
    class Pair(keras.Model):
        def __init__(self):
            super().__init__()
            self.d = keras.layers.Dense(2)

        def call(self, inputs):
            return self.d(inputs[0]) + inputs[1]

    p = Pair()
    p((np.ones((5, 3), "float32"), np.ones((5, 2), "float32")))
    first, second = p._get_save_spec()  # a tuple, pseudo names input_1, input_2
    _check(first, [None, 3], tf.float32, "input_1")
    _check(second, [None, 2], tf.float32, "input_2")

    class Keyed(keras.Model):
        def __init__(self):
            super().__init__()
            self.d = keras.layers.Dense(2)

        def call(self, inputs):
            return self.d(inputs["a"]) + inputs["b"]

    k = Keyed()
    k({"a": np.ones((1, 3), "float32"), "b": np.ones((1, 2), "float32")})
    spec = k._get_save_spec()
    _check(spec["a"], [None, 3], tf.float32, "a")
    _check(spec["b"], [None, 2], tf.float32, "b")

    class Extra(keras.Model):
        def __init__(self):
            super().__init__()
            self.d = keras.layers.Dense(2)

        def call(self, x, y=None, scale=1.0):
            return self.d(x) * scale + y

    e = Extra()
    e(np.ones((5, 3), "float32"), y=np.ones((5, 2), "float32"), scale=2.0)
    # ([TensorSpec((5, 3), name='input_1')], {'y': TensorSpec((5, 2), name=None)})
    args, kwargs = e.save_spec(dynamic_batch=False)
    _check(args[0], [5, 3], tf.float32, "input_1")
    assert list(kwargs) == ["y"]
    _check(kwargs["y"], [5, 2], tf.float32, None)
    e2 = Extra()
    e2(np.ones((5, 3), "float32"), np.ones((5, 2), "float32"))
    args, kwargs = e2.save_spec(dynamic_batch=False)
    assert kwargs == {} and len(args) == 2
    _check(args[1], [5, 2], tf.float32, None)


def test_build_then_explicit_set_save_spec():
    m = _M()
    m.build((None, 3))
    # tork records build()'s shape; tf_keras records nothing in build() and the first call's
    # spec after it: (None, 3) with the default dynamic_batch, as here.
    _check(m._get_save_spec(), [None, 3], tf.float32, "input_1")
    m._set_save_spec(tf.TensorSpec([None, 3], tf.int32, name="ids"))  # replaces build's
    _check(m._get_save_spec(), [None, 3], tf.int32, "ids")


def test_sequential_spec_is_its_input():
    s = keras.Sequential([keras.layers.Dense(2, name="eng_d1")])
    s(np.ones((5, 3), "float32"))
    _check(s._get_save_spec(dynamic_batch=False), [5, 3], tf.float32, "eng_d1_input")
    _check(s.save_spec()[0][0], [None, 3], tf.float32, "eng_d1_input")
    s = keras.Sequential([keras.layers.Dense(2, input_shape=(3,), name="eng_d3")])
    _check(s._get_save_spec(dynamic_batch=False), [None, 3], tf.float32, "eng_d3_input")
    s = keras.Sequential([keras.Input((3,), name="eng_in"), keras.layers.Dense(2)])
    _check(s._get_save_spec(), [None, 3], tf.float32, "eng_in")
    s = keras.Sequential([keras.layers.Dense(2, name="eng_d5")])
    s.compile("sgd", "mse")
    s.fit(np.ones((4, 3), "float32"), np.ones((4, 2), "float32"), verbose=0)
    _check(s._get_save_spec(dynamic_batch=False), [None, 3], tf.float32, "eng_d5_input")
