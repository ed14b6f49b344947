"""`keras.Model(intermediate_tensor, y)`: model surgery from a tensor inside a graph.

Found by the tf_keras engine-test sweep (functional_utils_test): Keras 2 gives each
intermediate input a fresh `keras.Input` and calls the layers between it and the outputs
again, so the model owns an `InputLayer`, the re-called layer gets a second inbound node,
and the model saves and loads. tork kept the intermediate tensor as the input: no
`InputLayer` in `model.layers` (an IndexError on `model.layers[1]`), and saving raised
"is not produced inside this model". The expected layer lists, node counts and class
counts are what tf_keras 2.21 printed for the same scripts.
"""

import collections

import numpy as np

import tork as tf

keras = tf.keras
L = keras.layers


def test_model_from_intermediate_tensor_gets_an_input_layer(tmp_path):
    inputs = L.Input((8,))
    layer1 = L.Dense(32, name="d1")
    layer2 = L.Dense(16, name="d2")
    x = layer1(inputs)
    y = layer2(x)
    model = keras.Model(x, y)
    assert len(layer2.inbound_nodes) == 2
    assert len(model.layers) == 2
    assert isinstance(model.layers[0], L.InputLayer)
    assert model.layers[1] is layer2
    assert tuple(model.inputs[0].shape) == (None, 32)
    assert model.inputs[0] is not x

    model.compile("rmsprop", "mse")
    model.fit(np.random.randn(4, 32), np.random.randn(4, 16), verbose=0)
    data = np.random.RandomState(0).randn(3, 32).astype("float32")
    kernel, bias = layer2.get_weights()
    np.testing.assert_allclose(
        model.predict(data, verbose=0), data @ kernel + bias, rtol=1e-5, atol=1e-5
    )

    # The original graph still builds the whole model, without a third node.
    whole = keras.Model(inputs, y)
    assert len(layer2.inbound_nodes) == 2
    assert len(whole.layers) == 3
    assert whole.layers[1] is layer1 and whole.layers[2] is layer2

    path = str(tmp_path / "part.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    assert [type(layer).__name__ for layer in loaded.layers] == ["InputLayer", "Dense"]
    np.testing.assert_allclose(
        loaded.predict(data, verbose=0), model.predict(data, verbose=0), rtol=1e-6
    )


def test_intermediate_inputs_mixed_with_real_inputs(tmp_path):
    # input1 -> dense1 -> a;  input2 -> dense1 -> b;  c = a + b;  d = b + c
    # input3 -> dense2 -> e;  output = d + e.  The model takes `b` in place of input2.
    input1 = L.Input((2,))
    input2 = L.Input((2,))
    input3 = L.Input((8,))
    dense1 = L.Dense(8, name="dense1")
    dense2 = L.Dense(8, name="dense2")
    a = dense1(input1)
    b = dense1(input2)
    c = L.Add()([a, b])
    d = L.Add()([b, c])
    e = dense2(input3)
    output = L.Add()([d, e])

    model = keras.Model([input1, b, input3], output)
    counts = collections.Counter(type(layer).__name__ for layer in model.layers)
    assert counts == {"InputLayer": 3, "Dense": 2, "Add": 3}
    assert [tuple(t.shape) for t in model.inputs] == [(None, 2), (None, 8), (None, 8)]

    rng = np.random.RandomState(1)
    x1 = rng.randn(5, 2).astype("float32")
    xb = rng.randn(5, 8).astype("float32")
    x3 = rng.randn(5, 8).astype("float32")
    k1, b1 = dense1.get_weights()
    k2, b2 = dense2.get_weights()
    a_val = x1 @ k1 + b1
    expected = xb + (a_val + xb) + (x3 @ k2 + b2)
    got = model.predict([x1, xb, x3], verbose=0)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)

    part = keras.Model([a, b], d)
    counts = collections.Counter(type(layer).__name__ for layer in part.layers)
    assert counts == {"InputLayer": 2, "Add": 2}

    path = str(tmp_path / "mixed.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(loaded.predict([x1, xb, x3], verbose=0), got, rtol=1e-6)
