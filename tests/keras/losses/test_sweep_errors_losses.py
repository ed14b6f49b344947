"""Loss results and messages for common label mistakes (sweep 'errors')."""

import numpy as np
import pytest

import tork as tf
from tork import keras

# Predictions that are not a distribution: a Dense layer without softmax fed to a
# from_logits=False loss.
RAW = np.array([[2.0, -1.0, 0.5], [0.1, 3.0, -2.0]], "float32")


def _keras_scce(labels, probs, eps=1e-7):
    # Keras (TF backend): clip to [eps, 1 - eps], take the log, then a softmax
    # crossentropy on it, i.e. log(sum(clip(p))) - log(clip(p_label)).
    clipped = np.clip(probs.astype("float64"), eps, 1 - eps)
    picked = clipped[np.arange(len(labels)), labels]
    return np.log(clipped.sum(-1)) - np.log(picked)


def test_scce_on_unnormalised_probabilities_matches_keras():
    labels = np.array([0, 1])
    got = keras.losses.sparse_categorical_crossentropy(labels, RAW).numpy()
    np.testing.assert_allclose(got, _keras_scce(labels, RAW), rtol=1e-6)
    # Values from TF 2.21 (tf_keras and Keras 3 agree).
    np.testing.assert_allclose(got, [0.4054652750492096, 0.09531030803918839], rtol=1e-6)
    mean = keras.losses.SparseCategoricalCrossentropy()(labels, RAW)
    assert float(mean) == pytest.approx(0.2503877878189087, rel=1e-6)
    other = keras.losses.sparse_categorical_crossentropy(np.array([2, 0]), RAW).numpy()
    np.testing.assert_allclose(other, [1.0986123085021973, 2.397895336151123], rtol=1e-6)


def test_scce_on_probabilities_unchanged():
    probs = np.array([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1]], "float32")
    got = keras.losses.sparse_categorical_crossentropy(np.array([0, 1]), probs).numpy()
    np.testing.assert_allclose(got, -np.log([0.7, 0.8]), rtol=1e-5)


def test_scce_gradient_on_unnormalised_probabilities():
    # d/dp [log(sum p) - log(p_label)] = 1/sum - [label]/p_label inside the clip range.
    p = tf.Variable(np.array([[0.5, 0.25, 0.125]], "float32"))
    with tf.GradientTape() as tape:
        loss = keras.losses.sparse_categorical_crossentropy(np.array([1]), p)
    grad = tape.gradient(loss, p).numpy()
    total = 0.875
    np.testing.assert_allclose(grad, [[1 / total, 1 / total - 4.0, 1 / total]], rtol=1e-5)


@pytest.mark.parametrize(
    "loss, units, owner",
    [
        ("sparse_categorical_crossentropy", 3, "sparse_categorical_crossentropy"),
        ("mse", 1, "mean_squared_error"),
        ("binary_crossentropy", 1, "binary_crossentropy"),
    ],
)
def test_string_labels_raise_a_clear_error(loss, units, owner):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(units)])
    model.compile("sgd", loss)
    labels = np.array(["cat", "cat", "cat", "cat"])
    with pytest.raises(ValueError, match=r"got labels of dtype string \(e\.g\. 'cat'\)") as info:
        model.fit(np.zeros((4, 3), "float32"), labels, verbose=0)
    assert "StringLookup" in str(info.value)
    assert str(info.value).startswith(owner)


def test_standalone_scce_string_labels():
    with pytest.raises(ValueError, match="SparseCategoricalCrossentropy got labels of dtype"):
        keras.losses.SparseCategoricalCrossentropy()(tf.constant(["a", "b"]), RAW)


def test_custom_loss_returning_none():
    def my_loss(y_true, y_pred):
        tf.reduce_mean(tf.square(y_true - y_pred))  # forgot `return`

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    model.compile("sgd", my_loss)
    with pytest.raises(ValueError, match="The loss 'my_loss' returned None.*`return`"):
        model.fit(np.ones((4, 3), "float32"), np.ones((4, 2), "float32"), verbose=0)


def test_custom_loss_reduced_over_batch_axis_with_sample_weight():
    def batch_mean(y_true, y_pred):
        return tf.reduce_mean(tf.square(y_true - y_pred), axis=0)

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    model.compile("sgd", batch_mean)
    x, y = np.ones((4, 3), "float32"), np.ones((4, 2), "float32")
    with pytest.raises(
        ValueError,
        match=r"returned 2 values for a batch of 4 samples.*\(axis=-1\), not the batch axis",
    ):
        model.fit(x, y, sample_weight=np.ones(4), batch_size=4, verbose=0)


def _sigmoid_model():
    return keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(1, activation="sigmoid", kernel_initializer="ones")]
    )


X4 = np.arange(12, dtype="float32").reshape(4, 3) / 12.0


def test_from_logits_true_on_sigmoid_output_uses_the_logits_and_warns():
    # TF Keras recovers the logits of a sigmoid output even with from_logits=True (the
    # sigmoid is not applied twice) and warns. Value from TF 2.21 (tf_keras and Keras 3).
    model = _sigmoid_model()
    model.compile(keras.optimizers.SGD(0.0), keras.losses.BinaryCrossentropy(from_logits=True))
    with pytest.warns(
        UserWarning,
        match=r"`binary_crossentropy` received `from_logits=True`, but the `output` argument "
        r"was produced by a Sigmoid activation",
    ):
        history = model.fit(X4, np.array([1, 0, 1, 0], "float32"), batch_size=4, verbose=0)
    assert history.history["loss"][0] == pytest.approx(1.1571, abs=1e-4)
    # The NumPy formula on the logits z = row sums: mean of softplus(-z) / softplus(z).
    z = X4.sum(1)
    y = np.array([1, 0, 1, 0])
    expected = np.mean(np.where(y == 1, np.log1p(np.exp(-z)), np.log1p(np.exp(z))))
    assert history.history["loss"][0] == pytest.approx(expected, rel=1e-5)


def test_from_logits_true_on_softmax_output_warns():
    probs = keras.activations.softmax(tf.constant([[2.0, 1.0, 0.1]]))
    with pytest.warns(UserWarning, match=r"produced by a Softmax activation"):
        loss = keras.losses.sparse_categorical_crossentropy([0], probs, from_logits=True)
    # The logits are used once: -log softmax([2, 1, 0.1])[0].
    logits = np.array([2.0, 1.0, 0.1])
    expected = -(logits[0] - np.log(np.exp(logits).sum()))
    assert float(loss[0]) == pytest.approx(expected, rel=1e-5)
    with pytest.warns(UserWarning, match=r"`categorical_crossentropy` received"):
        keras.losses.categorical_crossentropy([[1.0, 0.0, 0.0]], probs, from_logits=True)


def test_from_logits_true_on_plain_tensor_no_warning():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = keras.losses.binary_crossentropy([[1.0]], tf.constant([[0.5]]), from_logits=True)
    assert float(loss[0]) == pytest.approx(np.log1p(np.exp(-0.5)), rel=1e-6)
