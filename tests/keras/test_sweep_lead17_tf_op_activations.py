"""`Dense(activation=tf.nn.softmax)` trains as in Keras on TF.

tf_keras reads the logits back from a Softmax/Sigmoid op's output in `fit` and `evaluate`
(graph mode), whichever function made it: a saturated softmax is then not clipped to
1e-7, and `from_logits=True` on it does not apply softmax twice. Reference losses from
tf_keras 2.21 (`evaluate` of the models below).
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras
X = np.array([[1.0, 2.0], [3.0, -1.0]], dtype="float32")


@pytest.mark.parametrize("activation", [tf.nn.softmax, tf.math.softmax, "softmax"])
@pytest.mark.parametrize("from_logits", [False, True])
def test_softmax_op_as_activation_keeps_logits(activation, from_logits):
    kernel = keras.initializers.Constant([[10.0, -10.0, 0.0], [5.0, 20.0, -3.0]])
    model = keras.Sequential(
        [keras.Input((2,)), keras.layers.Dense(3, activation=activation, kernel_initializer=kernel)]
    )
    model.compile("sgd", keras.losses.SparseCategoricalCrossentropy(from_logits=from_logits))
    with np.testing.suppress_warnings() as sup:
        sup.filter(UserWarning)
        loss = model.evaluate(X, np.array([2, 1]), verbose=0)
    np.testing.assert_allclose(loss, 55.500022888183594, rtol=1e-6)
    assert model.layers[0].get_config()["activation"] == "softmax"


@pytest.mark.parametrize("activation", [tf.nn.sigmoid, tf.math.sigmoid, tf.sigmoid])
def test_sigmoid_op_as_activation_keeps_logits(activation):
    kernel = keras.initializers.Constant([[10.0], [12.0]])
    model = keras.Sequential(
        [keras.Input((2,)), keras.layers.Dense(1, activation=activation, kernel_initializer=kernel)]
    )
    model.compile("sgd", keras.losses.BinaryCrossentropy())
    loss = model.evaluate(X, np.array([[0.0], [1.0]]), verbose=0)
    np.testing.assert_allclose(loss, 17.0, rtol=1e-6)


def test_other_callables_are_returned_as_they_are():
    def mine(x):
        return x * 2.0

    assert keras.activations.get(mine) is mine
    assert keras.activations.get(tf.nn.relu) is tf.nn.relu
