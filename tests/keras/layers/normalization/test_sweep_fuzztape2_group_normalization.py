"""Forward-over-backward through GroupNormalization (fuzztape2 sweep).

A tape inside a `tf.autodiff.ForwardAccumulator` (Hessian-vector products) raised
"Trying to use forward AD with aten::native_group_norm_backward": torch's kernel has no
forward-mode rule. Expected numbers from TensorFlow 2.21 / tf_keras (TF_USE_LEGACY_KERAS=1).
"""

import numpy as np

import tork as tf


def _layer_and_input():
    gn = tf.keras.layers.GroupNormalization(groups=2)
    x = tf.constant(np.linspace(-1.0, 2.0, 24, dtype=np.float32).reshape(2, 3, 4) ** 2)
    gn(x)
    gn.set_weights(
        [np.array([1.0, -0.5, 2.0, 0.3], np.float32), np.array([0.1, 0.2, -0.3, 0.0], np.float32)]
    )
    return gn, x


def test_hessian_vector_product_wrt_weights():
    gn, x = _layer_and_input()
    tv = gn.trainable_variables
    vec = [tf.constant([0.5, 1.0, -1.0, 2.0]), tf.constant([1.0, 0.0, 0.5, -0.5])]
    with tf.autodiff.ForwardAccumulator(primals=tv, tangents=vec) as acc:
        with tf.GradientTape() as t:
            loss = tf.reduce_sum(gn(x) ** 3)
        g = t.gradient(loss, tv)
    np.testing.assert_allclose(float(loss), 11.759731, rtol=1e-5)
    np.testing.assert_allclose(
        g[0].numpy(), [14.071836, -1.3314637, 21.301512, 0.4357427], rtol=1e-5
    )
    np.testing.assert_allclose(g[1].numpy(), [19.50734, 4.83199, 83.697495, 1.3609728], rtol=1e-5)
    np.testing.assert_allclose(
        acc.jvp(g[0]).numpy(), [50.80986, -1.2668697, 7.334623, 1.2733264], rtol=1e-5, atol=1e-5
    )
    np.testing.assert_allclose(
        acc.jvp(g[1]).numpy(), [22.766567, -16.481808, -88.08411, 18.016315], rtol=1e-5
    )


def test_hessian_vector_product_wrt_input():
    gn, x = _layer_and_input()
    tangent = tf.constant(np.cos(np.arange(24, dtype=np.float32)).reshape(2, 3, 4))
    with tf.autodiff.ForwardAccumulator(primals=x, tangents=tangent) as acc:
        with tf.GradientTape() as t:
            t.watch(x)
            loss = tf.reduce_sum(gn(x) ** 3)
        g = t.gradient(loss, x)
    want = [
        -1.6733118e01, 1.1363592e01, 1.1907529e02, -6.2330011e02, 1.7329065e01,
        -1.2449131e00, -7.1405945e02, 8.4432373e01, -2.0802999e01, 1.0088369e01,
        1.4442391e03, -3.1038699e02, -2.3609173e-01, 1.0581430e00, 5.0803876e00,
        -7.2909722e00, 1.1531502e00, -1.1703607e00, -5.6545272e00, 6.5788059e00,
        3.1453757e00, -3.9502153e00, -9.7660217e00, 1.1052326e01,
    ]  # fmt: skip
    np.testing.assert_allclose(acc.jvp(g).numpy().ravel(), want, rtol=1e-5, atol=1e-5)
