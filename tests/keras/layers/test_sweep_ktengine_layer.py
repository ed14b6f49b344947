"""Base `Layer` behaviour from the tf_keras engine-test sweep (base_layer_test and
functional_test), checked against what tf_keras 2.21 gives for the same code."""

import numpy as np
import pytest

import tork as tf

keras = tf.keras
L = keras.layers


def test_trainable_and_dynamic_must_be_booleans():
    L.Layer(trainable=True)
    L.Layer(trainable=tf.constant(True))
    L.Layer(dynamic=True)
    with pytest.raises(
        TypeError, match=r"Expected `trainable` argument to be a boolean, but got: 0"
    ):
        L.Layer(trainable=0)
    with pytest.raises(TypeError, match=r"Expected `dynamic` argument to be a boolean, but got: 0"):
        L.Layer(dynamic=0)


def test_compute_output_signature():
    class Counter(L.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.builds = 0

        def build(self, input_shape):
            self.builds += 1

        def call(self, inputs):
            return inputs

    layer = Counter(dtype="float64")
    spec = layer.compute_output_signature(tf.TensorSpec(dtype=tf.float64, shape=[None, 10]))
    # tf_keras 2.21: built once, the layer's dtype, the input's shape.
    assert layer.builds == 1
    assert spec.dtype == tf.float64 and spec.shape.as_list() == [None, 10]
    spec = L.Dense(3).compute_output_signature(tf.TensorSpec(shape=(None, 5)))
    assert spec.shape.as_list() == [None, 3] and spec.dtype == tf.float32
    spec = L.Concatenate().compute_output_signature(
        [tf.TensorSpec(shape=(None, 5)), tf.TensorSpec(shape=(None, 2))]
    )
    assert spec.shape.as_list() == [None, 7]
    specs = L.LSTM(3, return_state=True).compute_output_signature(tf.TensorSpec(shape=(None, 4, 5)))
    assert [s.shape.as_list() for s in specs] == [[None, 3]] * 3
    with pytest.raises(TypeError, match=r"compute_output_signature expects tf.TensorSpec"):
        L.Dense(3).compute_output_signature((None, 5))


def test_list_input_holding_constants_and_none_round_trips_through_config():
    class AddAll(L.Layer):
        def call(self, inputs):
            x = inputs[0]
            for item in inputs[1:]:
                if item is not None:
                    x = x + item
            return x

    in1, in2 = keras.Input(10), keras.Input(10)
    model = keras.Model([in1, in2], AddAll()([0.0, in1, None, in2, None]))
    model.compile("sgd", "mse")
    x = [3 * np.ones((10, 10)), 7 * np.ones((10, 10))]
    y = 10 * np.ones((10, 10))
    assert model.fit(x, y, batch_size=2, verbose=0).history["loss"][0] == 0.0
    # The saved build config is [None, [None, 10], None, [None, 10], None]: it rebuilds.
    model = keras.Model.from_config(model.get_config(), custom_objects={"AddAll": AddAll})
    model.compile("sgd", "mse")
    assert model.fit(x, y, batch_size=2, verbose=0).history["loss"][0] == 0.0


def test_callable_updates_do_not_run_in_a_frozen_layer():
    class UpdateLayer(L.Layer):
        def __init__(self):
            super().__init__()
            self.v = tf.Variable(0.0, trainable=False)

        def call(self, x):
            self.add_update(lambda: self.v.assign_add(1.0))
            return x * self.v

    layer = UpdateLayer()
    with_updates = keras.Sequential([layer])
    with_updates.compile("sgd", "mse")
    layer.trainable = False
    without_updates = keras.Sequential([layer])
    without_updates.compile("sgd", "mse")
    x, y = np.ones((10, 1)), np.ones((10, 1))
    # tf_keras 2.21: fit runs with the trainable flags of compile time; only the model
    # compiled while the layer was trainable runs its update.
    with_updates.fit(x, y, batch_size=10, verbose=0)
    assert float(layer.v.numpy()) == 1.0
    without_updates.fit(x, y, batch_size=10, verbose=0)
    assert float(layer.v.numpy()) == 1.0
    layer(np.ones((2, 1)))  # a frozen layer's direct call skips it too
    assert float(layer.v.numpy()) == 1.0
    layer.trainable = True
    layer(np.ones((2, 1)))
    assert float(layer.v.numpy()) == 2.0


def test_non_tensor_input_to_a_layer_with_an_input_spec():
    # tf_keras 2.21 raises this TypeError for Dense; tork failed deep in Dense.build.
    with pytest.raises(TypeError, match=r"Inputs to a layer should be tensors\. Got .* 'dense_x'"):
        L.Dense(3, name="dense_x")(object())

    class Identity(L.Layer):
        def call(self, inputs):
            return inputs

    value = object()
    assert Identity()(value) is value  # a custom layer takes any object, as in Keras 2
