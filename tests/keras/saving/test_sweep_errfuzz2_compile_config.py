"""errfuzz2: load_model of a legacy .h5 whose custom loss function is not given.

TF 2.21 + tf_keras raises at load time: ValueError "Unknown loss function: 'my_loss'. Please
ensure you are using a `keras.utils.custom_object_scope`...". tork loaded the model and only
failed later in fit() with "Unknown loss 'my_loss'. Valid names: ..." (no custom_objects hint).
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras


def my_loss(y_true, y_pred):
    return tf.reduce_mean(tf.square(y_true - y_pred), axis=-1)


def _saved(tmp_path):
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
    model.compile("sgd", my_loss)
    path = str(tmp_path / "m.h5")
    model.save(path)
    return model, path


def test_load_h5_unknown_loss_raises_at_load(tmp_path):
    _, path = _saved(tmp_path)
    with pytest.raises(
        ValueError, match=r"Unknown loss function: 'my_loss'.*custom_objects=\{'my_loss': my_loss\}"
    ):
        keras.models.load_model(path)


def test_load_h5_custom_loss_given_or_compile_false(tmp_path):
    model, path = _saved(tmp_path)
    x, y = np.ones((2, 4), "float32"), np.zeros((2, 3), "float32")
    loaded = keras.models.load_model(path, custom_objects={"my_loss": my_loss})
    # The loss value with the same weights: mean of squared predictions (numpy reference).
    expected = np.mean(model.predict(x, verbose=0) ** 2)
    np.testing.assert_allclose(loaded.evaluate(x, y, verbose=0), expected, rtol=1e-5)
    assert keras.models.load_model(path, compile=False).optimizer is None
