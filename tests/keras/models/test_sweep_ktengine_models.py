"""Model behaviour from the tf_keras engine-test sweep (functional_test, training_test),
checked against what tf_keras 2.21 gives for the same code."""

import warnings

import numpy as np
import pytest

import tork as tf

keras = tf.keras
L = keras.layers


def test_same_input_twice_is_refused():
    a, b = keras.Input((32,), name="input_j"), keras.Input((32,), name="input_k")
    out = L.Add()([a, b])
    keras.Model([a, b], [out, out])  # a repeated output is fine
    with pytest.raises(ValueError, match=r"contains the same input multiple times"):
        keras.Model([a, b, a], out)


def test_input_and_output_layers():
    a = keras.Input((32,), name="input_a")
    b = keras.Input((32,), name="input_b")
    dense = L.Dense(16, name="dense_1")
    c = L.Dense(64, name="dense_2")(L.concatenate([dense(a), dense(b)], name="merge"))
    d = L.Dense(5, name="dense_3")(c)
    model = keras.Model([a, b], [c, d])
    assert [layer.name for layer in model._input_layers] == ["input_a", "input_b"]
    assert [layer.name for layer in model._output_layers] == ["dense_2", "dense_3"]


def test_functional_save_spec_comes_from_the_inputs():
    x = keras.Input(shape=(1,))
    y = keras.Input(shape=(1,), batch_size=5, dtype=tf.int32)
    model = keras.Model({"x": x, "y": y}, L.Add()([x, tf.cast(y, tf.float32)]))
    # tf_keras 2.21: the Inputs' specs, a fixed batch size kept even with dynamic_batch.
    for dynamic in (False, True):
        args, kwargs = model.save_spec(dynamic_batch=dynamic)
        spec = args[0]
        assert kwargs == {} and sorted(spec) == ["x", "y"]
        assert spec["x"].shape.as_list() == [None, 1] and spec["x"].dtype == tf.float32
        assert spec["y"].shape.as_list() == [5, 1] and spec["y"].dtype == tf.int32
    single = keras.Model(x, L.Dense(2)(x))
    args, _ = single.save_spec()
    assert len(args) == 1 and args[0].shape.as_list() == [None, 1]


def test_dict_model_warns_about_extra_keys():
    inputs = {"b": keras.Input((2,), name="b"), "a": keras.Input((2,), name="a")}
    model = keras.Model(inputs, L.Add()([inputs["a"], inputs["b"]]))
    data = {"a": np.ones((2, 2)), "b": np.ones((2, 2)), "label": np.ones((2,))}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = model(data)
    assert np.asarray(out).tolist() == [[2.0, 2.0], [2.0, 2.0]]
    assert any("ignored by the model" in str(w.message) for w in caught)


def test_subclassed_model_with_two_required_inputs_in_a_functional_model():
    class TwoInputs(keras.Model):
        def __init__(self):
            super().__init__(name="two")
            self.d = L.Dense(2, kernel_initializer="ones", name="d")

        def call(self, x, y):
            return self.d(x) + tf.cast(y, tf.float32)

    sub = TwoInputs()
    x = keras.Input(shape=(3,))
    y = keras.Input(shape=(2,), dtype=tf.int32)
    model = keras.Model([x, y], sub(x, y))
    # tf_keras 2.21: the call builds the Dense; its weights are named under the model.
    assert [w.name for w in model.weights] == ["two/d/kernel:0", "two/d/bias:0"]
    out = model.predict([np.ones((2, 3)), np.ones((2, 2), "int32")], verbose=0)
    assert out.tolist() == [[4.0, 4.0], [4.0, 4.0]]
    with pytest.raises(ValueError, match=r"needs the extra argument\(s\) 'y'"):
        TwoInputs().build((None, 3))


def test_build_with_unknown_spatial_sizes():
    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.conv = L.Conv2D(8, 3)
            self.pool = L.GlobalAveragePooling2D()
            self.fc = L.Dense(3)

        def call(self, x):
            return self.fc(self.pool(self.conv(x)))

    class Compound(keras.Model):
        def __init__(self):
            super().__init__()
            self.block = Net()

        def call(self, x):
            return self.block(x)

    for model in (Net(), Compound()):
        model.build(tf.TensorShape((None, None, None, 1)))
        assert model.built and len(model.weights) == 4
        assert tuple(model(tf.ones((1, 10, 10, 1))).shape) == (1, 3)


class _Units(keras.Model):
    def __init__(self, units, act="relu", **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def call(self, x):
        return x


class _NoKwargs(keras.Model):
    def __init__(self, units, name=None):
        super().__init__(name=name)
        self.units = units

    def call(self, x):
        return x


class _Overrides(keras.Model):
    def __init__(self, units):
        super().__init__()
        self.units = units

    def call(self, x):
        return x

    def get_config(self):
        config = {"units": int(self.units)}
        config.update(super().get_config())
        return config


def test_subclassed_model_get_config_from_constructor_arguments():
    # The configs tf_keras 2.21 writes for the same classes.
    config = _Units(3, name="u1").get_config()
    assert config == {"name": "u1", "trainable": True, "dtype": "float32", "units": 3}
    config = _Units(3, name="u2", act="tanh").get_config()
    assert config["act"] == "tanh" and config["units"] == 3
    assert _Units.from_config(config).get_config() == config
    config = _NoKwargs(4, name="nk").get_config()
    assert config == {"name": "nk", "units": 4}
    assert _NoKwargs.from_config(config).get_config() == config
    config = _Overrides(units=np.int32(10)).get_config()
    assert config == {"units": 10}
    assert _Overrides.from_config(config).get_config() == config


def test_subclassed_model_get_config_with_non_plain_arguments_is_empty():
    with pytest.warns(UserWarning, match=r"not plain values, so its get_config\(\) is empty"):
        assert _NoKwargs(units=object()).get_config() == {}


def test_input_from_a_type_spec_or_a_tensor():
    # tf_keras 2.21 (input_layer_test): the spec's or tensor's shape, batch size included.
    x = keras.Input(type_spec=tf.TensorSpec((7, 32), tf.float32))
    assert x.shape.as_list() == [7, 32]
    model = keras.Model(x, x * 2.0)
    assert np.asarray(model(tf.ones((7, 32))))[0, :2].tolist() == [2.0, 2.0]
    model = keras.models.model_from_json(model.to_json())
    assert np.asarray(model(tf.ones((7, 32))))[0, :2].tolist() == [2.0, 2.0]
    t = keras.Input(tensor=tf.zeros((7, 32)))
    assert t.shape.as_list() == [7, 32]
    rt = tf.RaggedTensor.from_row_splits(
        values=[3, 1, 4, 1, 5, 9, 2, 6], row_splits=[0, 4, 4, 7, 8, 8]
    )
    for inp in (
        keras.Input(tensor=rt),
        keras.Input(type_spec=tf.RaggedTensorSpec([None, None], tf.int32)),
    ):
        model = keras.Model(inp, inp * 2)
        assert model(rt).to_list() == [[6, 2, 8, 2], [], [10, 18, 4], [12], []]


def test_input_type_spec_refuses_other_arguments():
    spec = tf.TensorSpec((7, 32), tf.float32)
    for kwargs in (dict(shape=(4, 7)), dict(batch_size=4), dict(dtype=tf.int64), dict(ragged=True)):
        with pytest.raises(ValueError, match=r"all other args except `name` must be None"):
            keras.Input(type_spec=spec, **kwargs)
    with pytest.raises(TypeError, match=r"keras.Input\(type_spec=...\) expects a tf.TensorSpec"):
        keras.Input(type_spec=3)
