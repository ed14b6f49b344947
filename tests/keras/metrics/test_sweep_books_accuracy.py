"""Sparse categorical accuracy compares float labels exactly, as Keras.

Found in PacktPublishing/Tensorflow-2.0-Computer-Vision-Cookbook ch8 (fcn.py): masks
resized with `tf.image.resize` (bilinear) hold fractional labels; Keras casts the argmax
to the labels' dtype and compares, so 1.5 never matches, where tork truncated it to 1 and
reported 33% instead of TF's 1%. Reference values from tf_keras 2.21.
"""

import numpy as np

import tork as tf

Y_TRUE = np.array([[1.5], [1.0], [2.0], [2.7]], "float32")
Y_PRED = np.array([[0.1, 0.7, 0.2]] * 2 + [[0.1, 0.1, 0.8]] * 2, "float32")


def test_fractional_float_labels_do_not_match():
    got = tf.keras.metrics.sparse_categorical_accuracy(Y_TRUE, Y_PRED)
    np.testing.assert_array_equal(np.asarray(got), [0.0, 1.0, 1.0, 0.0])
    metric = tf.keras.metrics.SparseCategoricalAccuracy()
    metric.update_state(Y_TRUE, Y_PRED)
    np.testing.assert_allclose(float(metric.result()), 0.5)


def test_integer_labels_unchanged():
    got = tf.keras.metrics.sparse_categorical_accuracy(Y_TRUE.astype("int32"), Y_PRED)
    np.testing.assert_array_equal(np.asarray(got), [1.0, 1.0, 1.0, 1.0])


def test_compiled_accuracy_with_fractional_labels():
    inputs = tf.keras.Input((3,))
    model = tf.keras.Model(inputs, inputs)
    model.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    loss, accuracy = model.evaluate(Y_PRED, Y_TRUE, verbose=0)
    np.testing.assert_allclose(loss, 0.2899092137813568, rtol=1e-5)
    np.testing.assert_allclose(accuracy, 0.5)
