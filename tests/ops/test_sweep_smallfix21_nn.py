"""tf.nn.weighted_cross_entropy_with_logits with TensorFlow's formula (helper smallfix21).

Reference numbers: TensorFlow 2.21 (CPU) in the reference env, from
`tf.nn.weighted_cross_entropy_with_logits(z, x, q)` and its tape gradients (values quoted).
"""

import numpy as np
import pytest

import tork as tf

LOGITS = [0.0, 0.0, 0.0, 1.5, -2.0, 1e-3, 30.0, -30.0]
LABELS = [0.0, 1.0, 0.3, 1.0, 0.0, 0.7, 0.2, 0.9]

# pos_weight -> (TF losses, TF gradients with respect to the logits)
TF_NUMBERS = {
    2.0: (
        [0.6931472, 1.3862944, 0.9010913, 0.40282652, 0.12692809, 1.1778004, 24.0, 54.0],
        [1.0, 0.0, 0.7, -0.36485103, 0.11920291, -0.549575, 0.8, -1.8],
    ),
    0.5: (
        [0.6931472, 0.3465736, 0.5891751, 0.10070663, 0.12692809, 0.4505207, 24.0, 13.499999],
        [1.0, 0.0, 0.7, -0.09121276, 0.11920291, -0.02483746, 0.8, -0.45],
    ),
    1.0: (
        [0.6931472, 0.6931472, 0.6931472, 0.20141326, 0.12692809, 0.69294727, 24.0, 27.0],
        [1.0, 0.0, 0.7, -0.18242551, 0.11920291, -0.19974998, 0.8, -0.9],
    ),
}


@pytest.mark.parametrize("pos_weight", sorted(TF_NUMBERS))
def test_values_and_logit_gradients_match_tf(pos_weight):
    # At logits exactly 0 TF's gradient is 1 - labels (its |x| and relu(-x) kinks have
    # gradient 0 there); torch's smooth formula gave 1 - labels - (1 + (q - 1) * labels) / 2.
    x = tf.Variable(LOGITS)
    with tf.GradientTape() as tape:
        loss = tf.nn.weighted_cross_entropy_with_logits(tf.constant(LABELS), x, pos_weight)
    grad = tape.gradient(loss, x)
    tf_loss, tf_grad = TF_NUMBERS[pos_weight]
    np.testing.assert_allclose(loss.numpy(), tf_loss, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(grad.numpy(), tf_grad, rtol=1e-6, atol=1e-7)


def test_label_and_pos_weight_gradients_match_tf():
    x = tf.constant(LOGITS)
    labels = tf.Variable(LABELS)
    pos_weight = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        loss = tf.nn.weighted_cross_entropy_with_logits(labels, x, pos_weight)
    g_labels, g_weight = tape.gradient(loss, [labels, pos_weight])
    tf_g_labels = [0.6931472, 0.6931472, 0.6931472, -1.2985867, 4.1269283, 0.6916473, -30.0, 60.0]
    np.testing.assert_allclose(g_labels.numpy(), tf_g_labels, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(float(g_weight), 28.587358, rtol=1e-6)


def test_pos_weight_broadcasts_per_class():
    out = tf.nn.weighted_cross_entropy_with_logits(
        tf.ones([2, 3]), tf.zeros([2, 3]), tf.constant([1.0, 2.0, 3.0])
    )
    np.testing.assert_allclose(out.numpy(), [[0.6931472, 1.3862944, 2.0794415]] * 2, rtol=1e-6)


def test_compat_v1_targets_spelling_uses_the_same_formula():
    x = tf.Variable([0.0, 0.0])
    with tf.GradientTape() as tape:
        loss = tf.compat.v1.nn.weighted_cross_entropy_with_logits(
            targets=tf.constant([0.25, 1.0]), logits=x, pos_weight=3.0
        )
    np.testing.assert_allclose(tape.gradient(loss, x).numpy(), [0.75, 0.0], atol=1e-7)
