"""Activations on RaggedTensors: applied value by value, as tf_keras 2.21 does."""

import pytest

import tork as tf

keras = tf.keras

# tf_keras 2.21 results on [[-1, 2, -3], [4]].
RELU = [[0.0, 2.0, 0.0], [4.0]]
TANH = [[-0.7615941762924194, 0.9640275835990906, -0.9950547218322754], [0.9993292689323425]]
LEAKY = [[-0.30000001192092896, 2.0, -0.9000000357627869], [4.0]]


def _rt():
    return tf.ragged.constant([[-1.0, 2.0, -3.0], [4.0]])


def _check(out, expected):
    assert isinstance(out, tf.RaggedTensor)
    got = out.to_list()
    assert [len(r) for r in got] == [len(r) for r in expected]
    for row, want in zip(got, expected):
        assert row == pytest.approx(want, rel=1e-6)


def test_activation_layer_on_ragged():
    _check(keras.layers.Activation("relu")(_rt()), RELU)
    _check(keras.layers.Activation("tanh")(_rt()), TANH)


def test_relu_function_on_ragged():
    _check(keras.activations.relu(_rt()), RELU)


def test_relu_and_leaky_relu_layers_on_ragged():
    _check(keras.layers.ReLU()(_rt()), RELU)
    _check(keras.layers.LeakyReLU()(_rt()), LEAKY)


def test_activation_in_functional_model_on_ragged():
    inp = keras.Input(shape=(None,), ragged=True)
    out = keras.layers.ReLU()(keras.layers.Activation("relu")(inp))
    _check(keras.Model(inp, out)(_rt()), RELU)


def test_row_wise_activation_normalizes_each_row():
    # Softmax normalizes along the ragged axis, each row on its own (not the flat values);
    # tf_keras 2.21 numbers.
    _check(
        keras.layers.Activation("softmax")(_rt()),
        [[0.047123417258262634, 0.9464991688728333, 0.006377460900694132], [1.0]],
    )


# tf_keras 2.21 `keras.activations.<name>(rt)` on [[-1, 2, -3], [4]].
FUNCTIONS = {
    "linear": [[-1.0, 2.0, -3.0], [4.0]],
    "sigmoid": [
        [0.2689414322376251, 0.8807970881462097, 0.04742587357759476],
        [0.9820137619972229],
    ],
    "elu": [[-0.6321205496788025, 2.0, -0.9502129554748535], [4.0]],
    "gelu": [
        [-0.15865525603294373, 1.9544997215270996, -0.004049695562571287],
        [3.999873399734497],
    ],
    "softplus": [
        [0.3132616877555847, 2.1269280910491943, 0.04858735203742981],
        [4.0181498527526855],
    ],
    "swish": [
        [-0.2689414322376251, 1.7615941762924194, -0.14227762818336487],
        [3.9280550479888916],
    ],
    "selu": [[-1.1113307476043701, 2.1014020442962646, -1.6705687046051025], [4.202804088592529]],
    "exponential": [
        [0.3678794503211975, 7.389056205749512, 0.049787066876888275],
        [54.598148345947266],
    ],
    "hard_sigmoid": [[0.30000001192092896, 0.8999999761581421, 0.0], [1.0]],
    "softsign": [[-0.5, 0.6666666865348816, -0.75], [0.800000011920929]],
}


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_elementwise_activation_functions_on_ragged(name):
    out = getattr(keras.activations, name)(_rt())
    assert isinstance(out, tf.RaggedTensor)
    got = out.to_list()
    for row, want in zip(got, FUNCTIONS[name], strict=True):
        # float32 erf/exp differ from TF's in the last digits (gelu: ~1e-4 relative).
        assert row == pytest.approx(want, rel=2e-4, abs=1e-6)


def test_relu_arguments_on_ragged():
    out = keras.activations.relu(_rt(), alpha=0.5)
    assert out.to_list() == [[-0.5, 2.0, -1.5], [4.0]]  # tf_keras 2.21
