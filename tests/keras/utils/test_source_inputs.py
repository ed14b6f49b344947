"""keras.utils.get_source_inputs, checked against tf_keras 2.21's results on the same graphs."""

import numpy as np

from tork import keras


def test_walks_back_to_inputs_in_order():
    a = keras.Input((3,), name="a")
    b = keras.Input((3,), name="b")
    x = keras.layers.Dense(2)(a)
    y = keras.layers.Add()([x, keras.layers.Dense(2)(b), keras.layers.Dense(2)(a) + 1.0])
    assert keras.utils.get_source_inputs(a) == [a]
    sources = keras.utils.get_source_inputs(x)
    assert isinstance(sources, list) and len(sources) == 1 and sources[0] is a
    sources = keras.utils.get_source_inputs(y)
    assert len(sources) == 2 and sources[0] is a and sources[1] is b


def test_through_a_nested_model():
    a, b = keras.Input((3,)), keras.Input((3,))
    model = keras.Model([a, b], keras.layers.Add()([a, b]))
    c, d = keras.Input((3,), name="c"), keras.Input((3,), name="d")
    sources = keras.utils.get_source_inputs(model([c, d]))
    assert [t.name for t in sources] == ["c", "d"]


def test_non_symbolic_values_pass_through():
    value = np.ones(2)
    assert keras.utils.get_source_inputs(value) is value
    assert keras.utils.get_source_inputs(5) == 5
