"""Functional models' public attributes."""

import numpy as np
import pytest

from tork import keras


def test_output_shape_of_functional_models():
    a, b = keras.Input((4,)), keras.Input((3,))
    single = keras.Model(a, keras.layers.Dense(2)(a))
    assert single.output_shape == (None, 2)
    double = keras.Model([a, b], [keras.layers.Dense(2)(a), keras.layers.Dense(5)(b)])
    assert double.output_shape == [(None, 2), (None, 5)]
    assert double.input_shape == [(None, 4), (None, 3)]


def test_keras_tensor_shape_is_a_tuple_with_keras2_methods():
    x = keras.Input(shape=(5, 3))
    y = keras.layers.Dense(4)(x)
    assert y.shape == (None, 5, 4)
    assert isinstance(y.shape, tuple)
    assert y.shape.as_list() == [None, 5, 4]
    assert y.shape.rank == 3 and y.shape[1:].as_list() == [5, 4]
    assert repr(y.shape) == "(None, 5, 4)"
    assert "shape=(None, 5, 4)" in repr(y)


def test_dict_inputs_and_outputs_flatten_in_sorted_key_order():
    # What TF 2.21 and tf_keras 2.21 give for this model: tf.nest sorts dict keys, so the
    # flat inputs/outputs, layer order and weight order follow the keys, not insertion order.
    keras.backend.clear_session()  # the layer names below are automatic
    alpha = keras.Input((3,), name="alpha")
    zeta = keras.Input((2,), name="zeta")
    joined = keras.layers.Concatenate()([zeta, alpha])
    z_head = keras.layers.Dense(1, name="zz")(joined)
    a_head = keras.layers.Dense(2, name="aa")(joined)
    model = keras.Model({"zeta": zeta, "alpha": alpha}, {"z_out": z_head, "a_out": a_head})
    assert [t.name for t in model.inputs] == ["alpha", "zeta"]
    assert model.output_names == ["aa", "zz"]
    assert [layer.name for layer in model.layers] == ["zeta", "alpha", "concatenate", "aa", "zz"]
    assert [tuple(w.shape) for w in model.weights] == [(5, 2), (2,), (5, 1), (1,)]
    a = np.ones((4, 3), "float32")
    z = np.full((4, 2), 2.0, "float32")
    by_key = model({"alpha": a, "zeta": z})
    as_list = model([a, z])  # a list is matched to the sorted inputs: alpha, zeta
    assert list(by_key) == ["z_out", "a_out"]  # the output dict keeps its own key order
    for key in by_key:
        np.testing.assert_allclose(by_key[key].detach().numpy(), as_list[key].detach().numpy())


def test_other_batch_size_than_declared_warns_and_runs():
    inputs = keras.Input((3,), batch_size=1)
    model = keras.Model(inputs, keras.layers.Dense(2, kernel_initializer="ones")(inputs))
    with pytest.warns(UserWarning, match=r"constructed with shape \(1, 3\).*\(5, 3\)"):
        out = model(np.ones((5, 3), "float32"))
    np.testing.assert_allclose(out.detach().numpy(), np.full((5, 2), 3.0))
    with pytest.raises(ValueError, match="expects shape"):
        model(np.ones((5, 4), "float32"))


def test_fixed_batch_input_joined_with_unknown_batch_gets_the_fixed_size():
    # As Keras: Input((4,), batch_size=32) concatenated with Input((6,)) is (32, 10).
    fixed = keras.Input((4,), batch_size=32)
    free = keras.Input((6,))
    joined = keras.layers.Concatenate()([fixed, free])
    assert joined.shape == (32, 10)
    model = keras.Model([fixed, free], keras.layers.Dense(2)(joined))
    assert model.output_shape == (32, 2)
    out = model([np.ones((32, 4), "float32"), np.ones((32, 6), "float32")])
    assert tuple(out.shape) == (32, 2)
    # Shapes that cannot meet still fail, naming the layer and shapes.
    with pytest.raises(ValueError, match=r"cannot concatenate shapes \(8, 4\) and \(None, 5, 3\)"):
        keras.layers.Concatenate()([keras.Input((4,), batch_size=8), keras.Input((5, 3))])


def test_string_batch_of_rank_one_meets_input_of_shape_one():
    # As Keras: data of shape (batch,) for keras.Input(shape=(1,), dtype="string").
    import tork as tf

    inputs = keras.Input(shape=(1,), dtype="string")
    lookup = keras.layers.StringLookup(vocabulary=["a", "b"], output_mode="multi_hot")
    model = keras.Model(inputs, lookup(inputs))
    out = model(tf.constant(["a", "b", "c"]))
    np.testing.assert_array_equal(out.numpy(), [[0, 1, 0], [0, 0, 1], [1, 0, 0]])


def test_dict_data_for_list_inputs_matches_names_and_ignores_extra_keys():
    a = keras.Input((1,), name="a")
    b = keras.Input((1,), name="b")
    model = keras.Model([a, b], keras.layers.Subtract()([a, b]))
    x = {"b": np.full((2, 1), 1.0, "float32"), "a": np.full((2, 1), 5.0, "float32")}
    with pytest.warns(UserWarning, match=r"keys \['target'\] which did not match any model input"):
        out = model({**x, "target": np.zeros((2, 1), "float32")})
    np.testing.assert_array_equal(out.detach().numpy(), np.full((2, 1), 4.0))
    with pytest.raises(ValueError, match=r"Missing data for input 'b'.*keys \['a', 'c'\]"):
        model({"a": x["a"], "c": x["b"]})


def test_sublayers_made_in_a_functional_call_are_named_as_tf_keras():
    # tf_keras 2.21 builds functional calls in a scratch graph with its own name counters:
    # sublayers created there count from zero and leave the session's counters alone.
    keras.backend.clear_session()

    class Block(keras.layers.Layer):
        def build(self, input_shape):
            self.first = keras.layers.Dense(3)
            self.second = keras.layers.Dense(2)

        def call(self, x):
            return self.second(self.first(x))

    inp = keras.Input((4, 8))
    one, two = Block(), Block()
    one(inp)
    two(inp)
    assert [one.name, one.first.name, one.second.name] == ["block", "dense", "dense_1"]
    assert [two.name, two.first.name, two.second.name] == ["block_1", "dense", "dense_1"]
    assert keras.layers.Dense(1).name == "dense"
    assert keras.layers.Dropout(0.1).name == "dropout"
    keras.layers.MultiHeadAttention(2, 4)(inp, inp)  # its softmax and dropout: scratch names
    assert keras.layers.Dropout(0.1).name == "dropout_1"
    assert keras.layers.Softmax().name == "softmax"
