"""ModelCheckpoint to a model directory (Keras 2's SavedModel spelling) every epoch.

tensorflow_similarity's kaggle_train.py: `ModelCheckpoint('models/%s' % slug)`; tf.keras 2
writes the directory again at each epoch.
"""

import os

import numpy as np
import pytest

import tork as tf

_X = np.arange(12, dtype="float32").reshape(4, 3) / 10
_Y = np.ones((4, 1), "float32")


def _model():
    inputs = tf.keras.Input((3,))
    model = tf.keras.Model(inputs, tf.keras.layers.Dense(1)(inputs))
    model.compile(tf.keras.optimizers.SGD(0.1), "mse")
    return model


def test_model_directory_written_again_each_epoch(tmp_path):
    path = str(tmp_path / "models" / "slug")
    model = _model()
    # TF 2.21 / tf_keras: three epochs save to the same directory; it reloads the last weights.
    model.fit(_X, _Y, epochs=3, verbose=0, callbacks=[tf.keras.callbacks.ModelCheckpoint(path)])
    assert os.path.isdir(path)
    reloaded = tf.keras.models.load_model(path)
    np.testing.assert_allclose(reloaded.get_weights()[0], model.get_weights()[0])


def test_existing_directory_given_as_model_path(tmp_path):
    path = tmp_path / "existing_dir"
    path.mkdir()
    model = _model()
    model.fit(
        _X, _Y, epochs=1, verbose=0, callbacks=[tf.keras.callbacks.ModelCheckpoint(str(path))]
    )
    np.testing.assert_allclose(
        tf.keras.models.load_model(str(path)).get_weights()[0], model.get_weights()[0]
    )


def test_existing_directory_with_a_file_extension_still_raises(tmp_path):
    # TF 2.21: "Please specify a non-directory filepath for ModelCheckpoint. ..." for dir.h5.
    path = tmp_path / "dir.h5"
    path.mkdir()
    with pytest.raises(OSError, match="non-directory filepath for ModelCheckpoint"):
        _model().fit(
            _X, _Y, epochs=1, verbose=0, callbacks=[tf.keras.callbacks.ModelCheckpoint(str(path))]
        )
