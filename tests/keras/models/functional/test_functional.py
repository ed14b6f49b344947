"""Functional models' public attributes."""

from tork import keras


def test_output_shape_of_functional_models():
    a, b = keras.Input((4,)), keras.Input((3,))
    single = keras.Model(a, keras.layers.Dense(2)(a))
    assert single.output_shape == (None, 2)
    double = keras.Model([a, b], [keras.layers.Dense(2)(a), keras.layers.Dense(5)(b)])
    assert double.output_shape == [(None, 2), (None, 5)]
    assert double.input_shape == [(None, 4), (None, 3)]
