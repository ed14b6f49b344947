"""ReduceLROnPlateau with a NumPy float64 factor (`factor=np.sqrt(0.1)`, Atienza's books).

Keras 2 multiplies the optimizer's float32 rate by the factor with NumPy's promotion, so
a float64 factor gives a float64 product, which its message prints. Numbers from
tf_keras 2.21 on the same flat loss.
"""

import numpy as np

import tork as tf


def _fit_flat(factor, epochs=4):
    # Zero inputs and no bias: the gradient is zero and the loss stays flat.
    model = tf.keras.Sequential([tf.keras.layers.Dense(1, use_bias=False, input_shape=(2,))])
    model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=1e-3), loss="mse")
    x = np.zeros((4, 2), "float32")
    y = np.ones((4, 1), "float32")
    callback = tf.keras.callbacks.ReduceLROnPlateau(
        factor=factor, patience=1, cooldown=0, min_lr=0.5e-6, verbose=1
    )
    return model.fit(x, y, validation_data=(x, y), epochs=epochs, verbose=0, callbacks=[callback])


def test_float64_factor_message_shows_float64_product(capsys):
    _fit_flat(np.sqrt(0.1))
    out = capsys.readouterr().out
    assert "Epoch 2: ReduceLROnPlateau reducing learning rate to 0.00031622778103685084." in out
    assert "Epoch 3: ReduceLROnPlateau reducing learning rate to 0.00010000000639606199." in out
    assert "Epoch 4: ReduceLROnPlateau reducing learning rate to 3.1622778103685084e-05." in out
    # The independent reference: float32(0.001) times the float64 factor.
    assert float(np.float32(1e-3)) * np.sqrt(0.1) == 0.00031622778103685084


def test_python_float_factor_still_multiplies_in_float32(capsys):
    history = _fit_flat(0.5, epochs=3)
    out = capsys.readouterr().out
    expected = float(np.float32(1e-3) * np.float32(0.5))
    assert f"Epoch 2: ReduceLROnPlateau reducing learning rate to {expected}." in out
    np.testing.assert_allclose(history.history["lr"][2], 5e-4, rtol=1e-6)
