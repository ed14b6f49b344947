"""Regression tests for review24's findings (expected values: TF 2.21 / tf_keras 2.21 where
noted; the jit-compiled step is checked against tork's eager step, itself checked against TF
in the optimizer tests)."""

import numpy as np
import pytest

import tork as tf


def _dup_steps(jit):
    v = tf.Variable([1.0, 2.0])
    opt = tf.keras.optimizers.Adam(0.1)

    def step():
        with tf.GradientTape() as t:
            loss = tf.reduce_sum(v * v)
        g = t.gradient(loss, v)
        # The same variable twice: one step, two rounds at the same iteration.
        opt.apply_gradients([(g, v), (g * 0.5, v)])

    f = tf.function(step, jit_compile=True) if jit else step
    for _ in range(5):
        f()
    return v.numpy()


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore")
def test_jit_step_with_a_variable_listed_twice_matches_eager():
    np.testing.assert_allclose(_dup_steps(True), _dup_steps(False), rtol=1e-5, atol=1e-6)


def test_moments_axes_none_under_a_tape():
    # TF 2.21: moments(x, axes=None) = (2.75, 2.1875); gradient of sum(m)+sum(v) below.
    x = tf.Variable([[1.0, 2.0], [3.0, 5.0]])
    with tf.GradientTape() as t:
        m, v = tf.nn.moments(x, axes=None)
        s = m + v
    assert m.shape == () and v.shape == ()
    np.testing.assert_allclose([float(m), float(v)], [2.75, 2.1875])
    np.testing.assert_allclose(t.gradient(s, x).numpy(), [[-0.625, -0.125], [0.375, 1.375]])


def test_moments_no_axes_variance_gradient_is_zero():
    # TF 2.21: the gradient of moments(x, axes=[])'s variance is zeros, not None.
    x = tf.Variable([[1.0, 2.0], [3.0, 5.0]])
    with tf.GradientTape() as t:
        _, v = tf.nn.moments(x, axes=[])
    np.testing.assert_array_equal(t.gradient(v, x).numpy(), np.zeros((2, 2)))


def test_time_distributed_class_attribute_supports_masking_drops_mask_as_plain_layer():
    class Declared(tf.keras.layers.Layer):
        supports_masking = True  # a class attribute: masking stays off (tf_keras)

        def call(self, x):
            return x * 2

    inp = tf.keras.Input((2, 3))
    e = tf.keras.layers.TimeDistributed(tf.keras.layers.Embedding(5, 4, mask_zero=True))(inp)
    out = tf.keras.layers.TimeDistributed(Declared())(e)
    model = tf.keras.Model(inp, out)
    assert model(np.array([[[1, 2, 0], [3, 0, 0]]], "float32")).shape == (1, 2, 3, 4)


def test_private_supports_masking_flag_passes_masks_on():
    # tf_keras 2.21: a layer setting `self._supports_masking = True` passes the mask on.
    class P(tf.keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self._supports_masking = True

        def call(self, x):
            return x * 2

    emb = tf.keras.layers.Embedding(5, 3, mask_zero=True)
    layer = P()
    out = layer(emb(np.array([[1, 2, 0]])))
    assert layer.supports_masking is True
    np.testing.assert_array_equal(np.asarray(out._keras_mask), [[True, True, False]])


def test_float_counter_assigned_by_a_keras2_model_counts_batches():
    # tf_keras 2.21: fit increments a float `self._train_counter = tf.Variable(0.0)` (1.0
    # after one batch of 4) and warns that it has no gradient.
    class M(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.d = tf.keras.layers.Dense(1)
            self._train_counter = tf.Variable(0.0)

        def call(self, x):
            return self.d(x)

    m = M()
    m.compile("sgd", "mse")
    m.fit(np.ones((4, 2)), np.ones((4, 1)), verbose=0)
    assert float(m._train_counter.numpy()) == 1.0


def test_from_generator_float_under_a_string_spec_names_the_value():
    # TF 2.21 fails too (an InternalError); tork names the value and the dtype.
    def gen():
        yield 1.5

    ds = tf.data.Dataset.from_generator(gen, output_signature=tf.TensorSpec((), tf.string))
    with pytest.raises(TypeError, match=r"string tensor holds only str or bytes values, got 1\.5"):
        list(ds)
