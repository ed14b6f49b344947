"""The Softmax layer keeps its input as logits for crossentropy losses, as tf.keras.

Found in PacktPublishing/Tensorflow-2.0-Computer-Vision-Cookbook ch8 (fcn.py,
unet_pretrained.py): a model ending in `Softmax()` compiled with
`SparseCategoricalCrossentropy(from_logits=True)`. tf.keras's layer calls
`backend.softmax`, which keeps the logits on the output, so the loss uses them (with a
warning) instead of applying softmax twice. Reference values from tf_keras 2.21
(TF_USE_LEGACY_KERAS=1).
"""

import numpy as np
import pytest

import tork as tf

LOGITS = np.array([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0]], "float32")
LABELS = np.array([0, 2])
# SparseCategoricalCrossentropy of LOGITS (tf_keras); softmax applied twice would give
# 0.6610745 (tf_keras on tf.nn.softmax output, which keeps no logits eagerly).
REFERENCE = 0.1754564


@pytest.mark.parametrize("axis", [-1, [-1]])
def test_softmax_layer_output_is_read_as_logits(axis):
    probs = tf.keras.layers.Softmax(axis=axis)(tf.constant(LOGITS))
    with pytest.warns(UserWarning, match="from_logits=True"):
        loss = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)(LABELS, probs)
    np.testing.assert_allclose(float(loss), REFERENCE, rtol=1e-5)
    plain = tf.keras.losses.SparseCategoricalCrossentropy()(LABELS, probs)
    np.testing.assert_allclose(float(plain), REFERENCE, rtol=1e-5)
    onehot = tf.one_hot(LABELS, 3)
    with pytest.warns(UserWarning, match="from_logits=True"):
        cce = tf.keras.losses.CategoricalCrossentropy(from_logits=True)(onehot, probs)
    np.testing.assert_allclose(float(cce), REFERENCE, rtol=1e-5)


def test_softmax_last_layer_with_from_logits_trains_on_logits():
    inputs = tf.keras.Input((3,))
    outputs = tf.keras.layers.Softmax()(tf.keras.layers.Dense(3)(inputs))
    model = tf.keras.Model(inputs, outputs)
    model.layers[1].set_weights([np.eye(3, dtype="float32"), np.zeros(3, "float32")])
    model.compile(
        optimizer=tf.keras.optimizers.SGD(0.5),
        loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    loss = model.train_on_batch(LOGITS, LABELS)
    np.testing.assert_allclose(loss, 0.17545640468597412, rtol=1e-5)
    # tf_keras 2.21's kernel after that SGD step.
    expected = np.array(
        [
            [1.1059687e00, -8.9007631e-02, -1.6961066e-02],
            [2.4334805e-02, 9.7536385e-01, 3.0136664e-04],
            [-9.0584233e-02, 2.9495126e-03, 1.0876347e00],
        ],
        "float32",
    )
    np.testing.assert_allclose(model.layers[1].get_weights()[0], expected, atol=1e-6)


def test_multi_axis_softmax_keeps_no_logits():
    # tf.keras computes a multi-axis softmax with exp/logsumexp: no logits kept.
    probs = tf.keras.layers.Softmax(axis=[1, 2])(tf.constant(LOGITS[None]))
    assert getattr(probs, "_keras_logits", None) is None
    np.testing.assert_allclose(float(tf.reduce_sum(probs)), 1.0, rtol=1e-6)
