"""Patterns from Keras 2's integration-test models (tf-keras integration_test/models).

Reference values come from TensorFlow 2.21 with tf_keras 2.21 (TF_USE_LEGACY_KERAS=1),
running the same code.
"""

from __future__ import annotations

import numpy as np

import tork as tf
from tork import keras


class _Block(keras.Model):
    """A functional model subclass whose constructor builds its own graph."""

    def __init__(self, units=3, **kwargs):
        inputs = keras.Input((4,))
        super().__init__(inputs, keras.layers.Dense(units)(inputs), **kwargs)
        self.units = units


class _BlockWithConfig(_Block):
    def get_config(self):
        config = super().get_config()
        config["units"] = self.units
        return config


class _NoKwargsName(keras.Model):
    """edge_case_model.py's FunctionalSubclassModel: `**kw`, not spelled `**kwargs`."""

    def __init__(self, **kw):
        inputs = keras.Input((4,))
        super().__init__(inputs, keras.layers.Dense(2)(inputs), **kw)


class _TakesInputs(keras.Model):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)


def test_subclass_building_its_own_graph_saves_its_constructor_arguments(tmp_path):
    # tf_keras: {'name': 'kk', 'trainable': True, 'units': 5} for both classes, and
    # load_model calls the class with that config.
    for cls in (_Block, _BlockWithConfig):
        model = cls(units=5, name="kk")
        assert model.get_config() == {"name": "kk", "trainable": True, "units": 5}
        model.set_weights([np.arange(20, dtype="float32").reshape(4, 5), np.ones(5, "float32")])
        path = str(tmp_path / f"{cls.__name__}.keras")
        model.save(path)
        restored = keras.models.load_model(path, custom_objects={cls.__name__: cls})
        assert isinstance(restored, cls) and restored.name == "kk"
        assert type(restored) is type(model)
        assert [tuple(w.shape) for w in restored.weights] == [(4, 5), (5,)]
        x = np.ones((2, 4), "float32")
        np.testing.assert_allclose(
            restored.predict(x, verbose=0),
            np.full((2, 5), 1.0) + np.arange(20).reshape(4, 5).sum(0),
        )


def test_subclass_with_kw_not_named_kwargs_has_an_empty_config(tmp_path):
    # tf_keras keeps name/trainable only for a `**kwargs` spelled so: config {}.
    model = _NoKwargsName(name="mine")
    assert model.get_config() == {}
    path = str(tmp_path / "m.keras")
    model.save(path)
    restored = keras.models.load_model(path, custom_objects={"_NoKwargsName": _NoKwargsName})
    assert isinstance(restored, _NoKwargsName)
    np.testing.assert_array_equal(restored.get_weights()[0], model.get_weights()[0])


def test_subclass_taking_inputs_and_outputs_keeps_the_functional_config():
    inputs = keras.Input((3,))
    model = _TakesInputs(inputs, keras.layers.Dense(2)(inputs), name="mm")
    assert {"layers", "input_layers", "output_layers"} <= set(model.get_config())


class _CausalDecoder(keras.layers.Layer):
    """translation.py's TransformerDecoder in small: a causal mask tiled from tf.shape."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.att = keras.layers.MultiHeadAttention(num_heads=1, key_dim=2)

    def call(self, inputs, states):
        s = tf.shape(inputs)
        i = tf.range(s[1])[:, tf.newaxis]
        j = tf.range(s[1])
        causal = tf.cast(i >= j, "int32")[tf.newaxis]
        causal = tf.tile(causal, tf.concat([tf.expand_dims(s[0], -1), tf.constant([1, 1])], 0))
        return self.att(query=inputs, value=states, key=states, attention_mask=causal)


def test_fixed_length_query_attending_to_states_of_unknown_length():
    # The mask's key length comes from the fixed-length query; the states' unknown length
    # must match it (tf_keras builds this, keras.Input((None, 2)) states).
    tokens = keras.Input((3, 2))
    states = keras.Input((None, 2))
    out = _CausalDecoder()(tokens, states)
    assert tuple(out.shape) == (None, 3, 2)
    model = keras.Model([tokens, states], out)
    model.set_weights(
        [
            np.arange(w.size, dtype="float32").reshape(w.shape) / 10 - 0.3
            for w in model.get_weights()
        ]
    )
    x = np.linspace(-1, 1, 12, dtype="float32").reshape(2, 3, 2)
    y = np.linspace(1, -0.5, 12, dtype="float32").reshape(2, 3, 2)
    expected = [  # tf_keras 2.21
        [[-0.05409, -0.06273], [-0.07311, -0.07359], [-0.09172, -0.08423]],
        [[-0.16864, -0.12818], [-0.18725, -0.13882], [-0.20519, -0.14907]],
    ]
    np.testing.assert_allclose(model.predict([x, y], verbose=0), expected, atol=2e-5)


def test_numpy_constants_among_merge_inputs_in_a_functional_model():
    # ctl_tutorial_test.py multiplies by np.array([[0.0]], np.float32) in its model; tork
    # failed building the merge ('NoneType' object is not iterable).
    x = keras.Input((1,))
    product = keras.layers.Multiply()([np.array([[2.0]], np.float32), x])
    out = keras.layers.Add()([product, np.array([[0.5]])])  # float64: cast as eagerly
    assert tuple(product.shape) == (None, 1) and tuple(out.shape) == (None, 1)  # TF
    assert out.dtype == tf.float32
    model = keras.Model(x, out)
    assert [type(layer).__name__ for layer in model.layers] == ["InputLayer", "Multiply", "Add"]
    np.testing.assert_allclose(model.predict(np.array([[1.0], [3.0]]), verbose=0), [[2.5], [6.5]])


def test_ctl_tutorial_model_fit_weights_each_example_as_tf_keras():
    # ctl_tutorial_test.py's model and data: one batch of 2 one-hot rows, then one of 1.
    inputs = keras.Input(shape=(3,), name="inputs")
    predicting = keras.layers.Dense(1, use_bias=False, kernel_initializer="ones")
    activity = keras.layers.Dense(
        1,
        use_bias=False,
        kernel_initializer="ones",
        activity_regularizer=keras.regularizers.L1(l1=1.0),
    )
    weight = keras.layers.Dense(
        1,
        kernel_initializer="zeros",
        bias_initializer="ones",
        bias_regularizer=keras.regularizers.L1(l1=1.0),
    )
    zero = np.array([[0.0]], np.float32)
    outputs = keras.layers.Add()(
        [
            predicting(inputs),
            keras.layers.Multiply()([zero, activity(inputs)]),
            keras.layers.Multiply()([zero, weight(inputs)]),
        ]
    )
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.SGD(0.01), loss=keras.losses.MeanAbsoluteError())
    ds = tf.data.Dataset.from_tensor_slices((tf.eye(3), tf.zeros([3, 1]))).batch(2)
    model.fit(ds, epochs=1, steps_per_epoch=2, verbose=0)
    # tf_keras 2.21: the singleton batch's example gets twice the weight of the others.
    np.testing.assert_allclose(predicting.kernel.numpy().ravel(), [0.995, 0.995, 0.99], rtol=1e-6)
    np.testing.assert_allclose(activity.kernel.numpy().ravel(), [0.995, 0.995, 0.99], rtol=1e-6)
    np.testing.assert_allclose(weight.bias.numpy(), [0.98], rtol=1e-6)
