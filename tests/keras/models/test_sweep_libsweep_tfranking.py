"""tf-ranking's listwise Keras layers in a functional model (libsweep sweep).

tensorflow/ranking's FlattenList turns `[batch, list, ...]` example features into
`[batch * list, ...]` rows with `tf.repeat(..., repeats=[list_size])` and
`tf.reshape(x, tf.concat([[batch * list], tf.shape(x)[2:]], 0))`; RestoreList reshapes
the scores back with `tf.reshape(logits, tf.shape(mask))`. The inferred shapes of the
unknown `batch * list` size must stay consistent with `batch` and `list` (it was traced
as one plain unknown size, and RestoreList failed: "Cannot reshape (61, 1) to (61, 61)").
Expected numbers are NumPy formulas.
"""

import numpy as np

import tork as tf


class _FlattenList(tf.keras.layers.Layer):
    """tf-ranking's FlattenList (circular_padding=False), reduced."""

    def call(self, inputs):
        context, examples, mask = inputs
        batch_size = tf.shape(mask)[0]
        list_size = tf.shape(mask)[1]
        expanded = tf.repeat(tf.expand_dims(context, axis=1), repeats=[list_size], axis=1)
        new_shape = tf.concat([[batch_size * list_size], tf.shape(expanded)[2:]], 0)
        flat_context = tf.reshape(expanded, new_shape)
        new_shape = tf.concat([[batch_size * list_size], tf.shape(examples)[2:]], 0)
        return flat_context, tf.reshape(examples, new_shape)


class _RestoreList(tf.keras.layers.Layer):
    def call(self, inputs):
        logits, mask = inputs
        try:  # as tf-ranking writes it: any reshape failure becomes this error
            logits = tf.reshape(logits, shape=tf.shape(mask))
        except Exception:
            raise ValueError("`flattened_logits` needs to be 1D or 2D") from None
        return tf.where(mask, logits, tf.math.log(1e-10))


def test_flatten_then_restore_list():
    context = tf.keras.Input(shape=(1,))
    examples = tf.keras.Input(shape=(None, 2))
    mask = tf.keras.Input(shape=(None,), dtype=tf.bool)
    flat_context, flat_examples = _FlattenList()((context, examples, mask))
    assert flat_context.shape.as_list() == [None, 1]
    x = tf.concat([flat_context, flat_examples], axis=1)
    tower = tf.keras.Sequential([tf.keras.layers.Dense(1, use_bias=False)])
    logits = tower(x)
    scores = _RestoreList()((logits, mask))
    model = tf.keras.Model([context, examples, mask], scores)
    assert model.output_shape == (None, None)
    w = np.array([[1.0], [2.0], [-1.0]], "float32")
    model.set_weights([w])

    rng = np.random.RandomState(0)
    c = rng.rand(2, 1).astype("float32")
    e = rng.rand(2, 3, 2).astype("float32")
    m = np.array([[True, True, False], [True, False, False]])
    got = model.predict([c, e, m], verbose=0)
    raw = c[:, None, 0] * w[0, 0] + e @ w[1:, 0]
    want = np.where(m, raw, np.log(np.float32(1e-10)))
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
