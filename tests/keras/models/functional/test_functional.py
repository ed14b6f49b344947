"""Functional models' public attributes."""

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
