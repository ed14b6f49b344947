"""Top-level-only tf ops on functional-API tensors: tf.complex, tf.py_function,
tf.numpy_function (tork refused the KerasTensor: "Attempt to convert a value").

Found by differential fuzzing against tf_keras (helper fuzzsym); tf_keras 2.21 builds
these as TFOpLambda layers and predicts the values below.
"""

import numpy as np

import tork as tf

keras = tf.keras

_DATA = np.array([[1.0, -2.0, 3.0]], "float32")


def test_complex_of_keras_tensors():
    w = keras.Input((3,))
    out = tf.complex(w, w)
    assert tuple(out.shape) == (None, 3) and out.dtype == tf.complex64  # tf_keras
    model = keras.Model(w, out)
    np.testing.assert_allclose(model.predict(_DATA, verbose=0), [[1 + 1j, -2 - 2j, 3 + 3j]])


def test_py_function_and_numpy_function_of_keras_tensors():
    w = keras.Input((3,))
    doubled = tf.py_function(lambda a: a * 2, [w], tf.float32)
    tripled = tf.numpy_function(lambda a: a * 3, [w], tf.float32)
    model = keras.Model(w, [doubled, tripled])
    got = model.predict(_DATA, verbose=0)
    np.testing.assert_allclose(got[0], [[2.0, -4.0, 6.0]])  # tf_keras
    np.testing.assert_allclose(got[1], [[3.0, -6.0, 9.0]])


def test_top_level_ops_on_tensors_are_unchanged():
    value = tf.complex(tf.constant([1.0]), tf.constant([2.0]))
    assert value.numpy().tolist() == [1 + 2j]
    assert tf.py_function(lambda a: a + 1, [tf.constant([1.0])], tf.float32).numpy().tolist() == [
        2.0
    ]
