"""Keras 2 logging of non-scalar `add_loss()` values and `backend.ctc_decode` padding.

The constants were printed by tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) running the same code.
"""

import numpy as np

import tork as tf

keras = tf.keras


class _PerSampleLoss(keras.layers.Layer):
    """Adds a per-sample loss of shape (batch, 1), as the OCR example's CTCLayer does."""

    def call(self, y_true, y_pred):
        self.add_loss(tf.reduce_sum(tf.square(y_true - y_pred), axis=1, keepdims=True))
        return y_pred


def _model():
    x_in = keras.Input((3,))
    y_in = keras.Input((2,))
    dense = keras.layers.Dense(2)
    out = _PerSampleLoss()(y_in, dense(x_in))
    model = keras.Model([x_in, y_in], out)
    dense.set_weights([np.arange(6).reshape(3, 2).astype(np.float32) / 10, np.zeros(2, np.float32)])
    model.compile(optimizer=keras.optimizers.SGD(0.01))
    rng = np.random.RandomState(0)
    x = rng.rand(8, 3).astype(np.float32)
    y = rng.rand(8, 2).astype(np.float32)
    return model, dense, x, y


def test_per_sample_added_loss_is_logged_as_its_mean():
    model, _, x, y = _model()
    per_sample = np.sum((x @ (np.arange(6).reshape(3, 2) / 10) - y) ** 2, axis=1)
    # Keras 2 logs the mean of the values (Keras 3 would log their sum, 1.0971594).
    np.testing.assert_allclose(
        model.evaluate([x, y], verbose=0, batch_size=8), 0.13714492, rtol=1e-5
    )
    np.testing.assert_allclose(per_sample.mean(), 0.13714492, rtol=1e-5)
    np.testing.assert_allclose(
        model.evaluate([x, y], verbose=0, batch_size=4), 0.13714492, rtol=1e-5
    )


def test_per_sample_added_loss_trains_on_its_sum():
    model, dense, x, y = _model()
    history = model.fit([x, y], epochs=2, batch_size=4, verbose=0, shuffle=False)
    np.testing.assert_allclose(history.history["loss"], [0.14094257, 0.13876766], rtol=1e-5)
    # The update is the gradient of the summed loss, as in tf_keras 2.21.
    np.testing.assert_allclose(
        dense.get_weights()[0].ravel(),
        [0.012619, 0.106688, 0.206481, 0.30222, 0.395736, 0.501389],
        atol=2e-6,
    )
    np.testing.assert_allclose(model.train_on_batch([x, y]), 0.13310364, rtol=1e-5)
    np.testing.assert_allclose(model.test_on_batch([x, y]), 0.13169101, rtol=1e-5)


def test_scalar_added_losses_still_add_up():
    inputs = keras.Input((2,))
    layer = keras.layers.Dense(1, kernel_regularizer=keras.regularizers.L2(0.5))
    model = keras.Model(inputs, layer(inputs))
    layer.set_weights([np.array([[1.0], [2.0]], np.float32), np.zeros(1, np.float32)])
    model.add_loss(lambda: tf.constant(0.25))
    model.compile(optimizer="sgd", loss="mse")
    x = np.zeros((4, 2), np.float32)
    y = np.zeros((4, 1), np.float32)
    # mse 0 + L2 0.5 * (1 + 4) + 0.25
    np.testing.assert_allclose(model.evaluate(x, y, verbose=0), 2.75, rtol=1e-6)


def test_backend_ctc_decode_pads_to_time_steps():
    probs = tf.constant([[[0.9, 0.1], [0.2, 0.8], [0.9, 0.1]]])  # blank is class 1
    decoded, log_prob = keras.backend.ctc_decode(probs, [3])
    assert decoded[0].numpy().tolist() == [[0, 0, -1]]  # tf_keras 2.21
    np.testing.assert_allclose(
        log_prob.numpy(), [[-(2 * np.log(0.9 + 1e-7) + np.log(0.8 + 1e-7))]], rtol=1e-6
    )
    # The OCR captcha example slices the first max_length columns.
    assert decoded[0][:, :2].numpy().tolist() == [[0, 0]]
