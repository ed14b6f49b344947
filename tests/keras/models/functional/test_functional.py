

def test_output_shape_of_functional_models():
    from tork import keras as _keras

    a, b = _keras.Input((4,)), _keras.Input((3,))
    single = _keras.Model(a, _keras.layers.Dense(2)(a))
    assert single.output_shape == (None, 2)
    double = _keras.Model([a, b], [_keras.layers.Dense(2)(a), _keras.layers.Dense(5)(b)])
    assert double.output_shape == [(None, 2), (None, 5)]
    assert double.input_shape == [(None, 4), (None, 3)]
