"""A weights checkpoint whose prefix is named 'checkpoint' (keras.io's ViT, ConvMixer, Swin
and ESPCN examples: `ModelCheckpoint("/tmp/checkpoint", save_weights_only=True)` then
`model.load_weights("/tmp/checkpoint")`).

Keras 2 writes `checkpoint.index`, `checkpoint.data-00000-of-00001` and the directory's
state file, which is also called `checkpoint`; `load_weights` must read the checkpoint,
not the state file.
"""

import os

import numpy as np
import pytest

import tork as tf


def _model():
    model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(2)])
    model.compile(optimizer="sgd", loss="mse")
    return model


def _weights():
    kernel = np.arange(6, dtype="float32").reshape(3, 2) / 10.0
    bias = np.array([0.5, -0.25], dtype="float32")
    return kernel, bias


def test_load_weights_from_prefix_named_checkpoint(tmp_path):
    prefix = str(tmp_path / "checkpoint")
    model = _model()
    kernel, bias = _weights()
    model.set_weights([kernel, bias])
    model.save_weights(prefix)
    # The state file and the prefix are the same path.
    assert os.path.isfile(prefix)
    assert os.path.exists(prefix + ".index")

    other = _model()
    other.load_weights(prefix)
    x = np.array([[1.0, 2.0, 3.0]], dtype="float32")
    expected = x @ kernel + bias  # [[2.1, 1.95]]
    np.testing.assert_allclose(other.predict(x, verbose=0), expected, rtol=1e-6)
    np.testing.assert_allclose(expected, [[2.1, 1.95]], rtol=1e-6)


def test_model_checkpoint_callback_then_load_weights(tmp_path):
    prefix = str(tmp_path / "checkpoint")
    model = _model()
    kernel, bias = _weights()
    model.set_weights([kernel, bias])
    x = np.ones((4, 3), dtype="float32")
    y = np.zeros((4, 2), dtype="float32")
    callback = tf.keras.callbacks.ModelCheckpoint(
        prefix, monitor="loss", save_best_only=True, save_weights_only=True
    )
    model.fit(x, y, epochs=1, verbose=0, callbacks=[callback])
    saved = [w.copy() for w in model.get_weights()]

    other = _model()
    other.load_weights(prefix)
    for got, want in zip(other.get_weights(), saved):
        np.testing.assert_array_equal(got, want)


def test_text_file_without_checkpoint_still_rejected(tmp_path):
    path = tmp_path / "checkpoint"
    path.write_text('model_checkpoint_path: "other"\n')
    with pytest.raises(Exception, match="is not a weights file"):
        _model().load_weights(str(path))
