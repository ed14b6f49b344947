"""Sequential.input_names / output_names, as tf_keras 2.21 gives them."""

import numpy as np

import tork as tf


def test_sequential_names_before_and_after_build():
    # tf_keras 2.21: None / None unbuilt; ['d1_input'] / ['d2'] after build((None, 3)).
    model = tf.keras.Sequential(
        [tf.keras.layers.Dense(2, name="d1"), tf.keras.layers.Dense(1, name="d2")], name="s"
    )
    assert model.output_names is None and model.input_names is None
    model.build((None, 3))
    assert model.input_names == ["d1_input"] and model.output_names == ["d2"]


def test_sequential_names_with_declared_input_and_from_data():
    # tf_keras 2.21: ['d1_input'] / ['d2'] with input_shape=; ['myin'] / ['d3'] after a
    # keras.Input(name='myin'); ['d5_input'] / ['d5'] once called on data or after fit().
    model = tf.keras.Sequential(
        [tf.keras.layers.Dense(2, name="d1", input_shape=(3,)), tf.keras.layers.Dense(1, name="d2")]
    )
    assert model.input_names == ["d1_input"] and model.output_names == ["d2"]
    model = tf.keras.Sequential(
        [tf.keras.Input((3,), name="myin"), tf.keras.layers.Dense(1, name="d3")]
    )
    assert model.input_names == ["myin"] and model.output_names == ["d3"]
    model = tf.keras.Sequential([tf.keras.layers.Dense(1, name="d5")])
    model(np.ones((2, 3), "float32"))
    assert model.input_names == ["d5_input"] and model.output_names == ["d5"]
    model = tf.keras.Sequential([tf.keras.layers.Dense(1, name="d4")])
    model.compile("sgd", "mse")
    assert model.output_names is None  # compiled, not built yet
    model.fit(np.ones((2, 3), "float32"), np.ones((2, 1), "float32"), verbose=0)
    assert model.output_names == ["d4"]


def test_sequential_loss_dict_keyed_by_output_name():
    # tf_keras 2.21: compile(loss={'d3': 'mse'}) with y={'d3': ...} logs ['loss'].
    model = tf.keras.Sequential(
        [tf.keras.Input((3,), name="myin"), tf.keras.layers.Dense(1, name="d3")]
    )
    model.compile("sgd", loss={model.output_names[0]: "mse"})
    hist = model.fit(np.ones((4, 3), "float32"), {"d3": np.ones((4, 1), "float32")}, verbose=0)
    assert sorted(hist.history) == ["loss"]
