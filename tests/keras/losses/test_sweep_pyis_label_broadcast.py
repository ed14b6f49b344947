"""PyImageSearch sweep: one sample's label vector against a batch-of-one prediction.

PyImageSearch's FGSM tutorial computes `MSE(label, model(image))` with `label` a one-hot
vector of shape (C,) and a prediction of shape (1, C). TensorFlow's loss functions
broadcast the label (the result has shape (1,)); tork raised "labels of shape (3,) do
not match predictions of shape (1, 3)".

`prepare` accepts labels whose shape is the predictions' shape without leading size-1
axes. The values are tf_keras 2.21's (TF_USE_LEGACY_KERAS=1) and match the NumPy formulas
below.
"""

import numpy as np
import pytest

import tork as tf
from tork import keras

LABEL = np.array([0.0, 1.0, 0.0], dtype=np.float32)
PRED = np.array([[0.2, 0.5, 0.3]], dtype=np.float32)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("MSE", ((PRED - LABEL) ** 2).mean(axis=-1)),  # TF: [0.126667]
        ("MAE", np.abs(PRED - LABEL).mean(axis=-1)),  # TF: [0.333333]
        ("binary_crossentropy", [0.424322]),
        ("huber", [0.063333]),
        ("cosine_similarity", [-0.811107]),
    ],
)
def test_loss_function_broadcasts_a_label_vector(name, expected):
    got = getattr(keras.losses, name)(LABEL, tf.constant(PRED))
    assert tuple(got.shape) == (1,)
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-5)


def test_loss_class_broadcasts_a_label_vector():
    np.testing.assert_allclose(
        float(keras.losses.MeanSquaredError()(LABEL, tf.constant(PRED))), 0.126667, rtol=1e-5
    )


def test_fgsm_gradient_with_a_label_vector():
    # generate_image_adversary: the gradient of MSE(label, softmax(image @ W)) w.r.t. image.
    image = tf.constant([[0.1, 0.2]])
    weights = tf.constant([[1.0, 2.0, 0.5], [0.3, -1.0, 2.0]])
    with tf.GradientTape() as tape:
        tape.watch(image)
        pred = tf.nn.softmax(tf.matmul(image, weights))
        loss = keras.losses.MSE(LABEL, pred)
    grad = tape.gradient(loss, image)
    np.testing.assert_allclose(loss.numpy(), [0.270317], rtol=1e-5)  # TF 2.21
    np.testing.assert_allclose(grad.numpy(), [[-0.192116, 0.349776]], rtol=1e-4)  # TF 2.21


def test_categorical_crossentropy_still_rejects_a_label_vector():
    # TF raises too ("Shapes (3,) and (1, 3) are incompatible").
    with pytest.raises(ValueError, match="categorical_crossentropy"):
        keras.losses.categorical_crossentropy(LABEL, tf.constant(PRED))
