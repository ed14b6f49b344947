"""Gradient penalties through attention: a tape nested in a tape (fuzztape2 sweep).

torch's fused attention kernels have no double backward: a WGAN-GP penalty over a
MultiHeadAttention critic raised "derivative for
aten::_scaled_dot_product_flash_attention_for_cpu_backward is not implemented". Under a
nested tape the layers now take the explicit formula. Expected numbers from TensorFlow
2.21 / tf_keras (TF_USE_LEGACY_KERAS=1), same weights.
"""

import numpy as np

import tork as tf
from tork.keras.layers.attention.grouped_query_attention import GroupedQueryAttention

# d(gp)/d(weight) from TF, flattened.
TF_GRADS = {
    "query/kernel": [
        2.8274129e-03, -1.4315468e-03, 1.5559932e-03, -3.0569616e-03, 3.9414721e-04,
        -1.6656455e-04, 8.4675503e-06, 1.9271097e-04, -1.9989489e-03, 1.0769719e-03,
        -1.4734353e-03, 3.3001166e-03, -1.9146298e-04, 7.7877601e-05, -1.5477679e-04,
        3.3605483e-04,
    ],
    "query/bias": [0.00073702, -0.00078568, 0.00152697, -0.00452112],
    "key/kernel": [
        2.06420058e-03, 1.03236300e-04, 6.28612982e-03, 4.36272472e-03, 2.80691078e-03,
        1.03194536e-04, 7.44130602e-03, 4.99406923e-03, 2.36789300e-03, 8.23935261e-05,
        6.73412392e-03, 4.70198924e-03, 2.23145122e-03, 8.99921579e-05, 6.53084600e-03,
        4.55648126e-03,
    ],
    "value/kernel": [
        0.4362557, 0.8426892, 0.79144365, 0.32911116, -0.17267404, -0.09298275, 0.02797483,
        0.15246111, -0.7540397, -1.0052458, -0.7232319, -0.03642865, -0.19007233, -0.26697618,
        -0.20647116, -0.01973306,
    ],
    "value/bias": [0.884963, 0.5307739, -0.10856216, -0.6895746],
    "attention_output/kernel": [
        1.5578008, 0.8644478, -0.07227364, -0.5869753, -1.3031344, -0.8389766, -0.10025209,
        0.5161609, 0.7022838, 0.7453333, 0.45924494, -0.3427671, -0.20493567, -0.5170139,
        -0.54872024, 0.16553871,
    ],
    "attention_output/bias": [0.85379785, -0.16135116, -0.91398585, -0.17958903],
}  # fmt: skip


def _mha(x):
    mha = tf.keras.layers.MultiHeadAttention(num_heads=2, key_dim=2, name="mha")
    mha(x, x)
    mha.set_weights(
        [
            np.cos(np.arange(np.prod(w.shape), dtype=np.float32) * (i + 1) * 0.7).reshape(w.shape)
            * 0.5
            for i, w in enumerate(mha.get_weights())
        ]
    )
    return mha


def test_gradient_penalty_through_multi_head_attention():
    x = tf.constant(np.linspace(-1.0, 1.0, 24, dtype=np.float32).reshape(2, 3, 4))
    mha = _mha(x)
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = tf.reduce_sum(mha(x, x) ** 2)
        g = inner.gradient(y, x)
        gp = tf.reduce_sum(g**2)
    grads = outer.gradient(gp, mha.trainable_variables)
    np.testing.assert_allclose(float(y), 2.4911237, rtol=1e-5)
    np.testing.assert_allclose(float(gp), 0.14162432, rtol=1e-5)
    by_name = {
        v.name.split("/", 1)[1].rsplit(":", 1)[0]: gr
        for v, gr in zip(mha.trainable_variables, grads)
    }
    for name, want in TF_GRADS.items():
        np.testing.assert_allclose(
            by_name[name].numpy().ravel(), want, rtol=1e-4, atol=1e-6, err_msg=name
        )
    # key/bias: TF gives ~1e-9 (softmax is invariant to a shift of the keys).
    np.testing.assert_allclose(by_name["key/bias"].numpy(), 0.0, atol=1e-6)


def test_gradient_penalty_through_grouped_query_attention_matches_finite_differences():
    layer = GroupedQueryAttention(head_dim=2, num_query_heads=2, num_key_value_heads=1)
    x = tf.constant(np.linspace(-1.0, 1.0, 24, dtype=np.float32).reshape(2, 3, 4))
    layer(x, x)
    layer.set_weights(
        [
            np.cos(np.arange(w.size, dtype=np.float32) * 0.9 + i).reshape(w.shape) * 0.5
            for i, w in enumerate(layer.get_weights())
        ]
    )

    def penalty():
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = tf.reduce_sum(layer(x, x) ** 3)
        return tf.reduce_sum(inner.gradient(y, x) ** 2)

    with tf.GradientTape() as outer:
        gp = penalty()
    kernel = layer.trainable_variables[0]
    got = outer.gradient(gp, kernel).numpy().ravel()
    base = kernel.numpy()
    eps = 1e-2
    for i in (0, 3, 5):
        step = np.zeros(base.size, np.float32)
        step[i] = eps
        kernel.assign(base + step.reshape(base.shape))
        up = float(penalty())
        kernel.assign(base - step.reshape(base.shape))
        down = float(penalty())
        kernel.assign(base)
        np.testing.assert_allclose(got[i], (up - down) / (2 * eps), rtol=2e-2, atol=1e-3)


def test_multi_head_attention_jvp():
    # ForwardAccumulator through MultiHeadAttention: torch's fused attention has no
    # forward-mode rule. TF 2.21 / tf_keras numbers, same weights.
    q = tf.constant(np.linspace(-1.0, 1.0, 24, dtype=np.float32).reshape(2, 3, 4))
    tangent = tf.constant(np.cos(np.arange(24, dtype=np.float32)).reshape(2, 3, 4))
    mha = _mha(q)
    with tf.autodiff.ForwardAccumulator(primals=q, tangents=tangent) as acc:
        y = mha(q, q)
    want_jvp = [
        0.0283349, -0.00531558, -0.03031774, -0.00599371, 0.02630583, -0.0056321,
        -0.02840674, -0.00496434, 0.02529066, -0.00473637, -0.02705745, -0.00535676,
        0.02351284, -0.00425361, -0.02509953, -0.00510915, 0.02206607, -0.00536446,
        -0.02406713, -0.0036132, 0.02161353, -0.00525023, -0.02357198, -0.00354272,
    ]  # fmt: skip
    np.testing.assert_allclose(
        y.numpy()[0, 0], [0.50333744, 0.35552165, 0.08613085, -0.2038123], rtol=1e-5
    )
    np.testing.assert_allclose(acc.jvp(y).numpy().ravel(), want_jvp, rtol=1e-4, atol=1e-7)
