"""`Lambda(fn, output_shape=...)` whose function cannot run on stand-in sizes (sweep "yolo").

yolov4-tf2 (bubbliiiing) builds its training model as
`Lambda(yolo_loss, output_shape=(1,), arguments={...})([*model_body.output, *y_true])`:
the heads have unknown spatial size (`Input((None, None, 3))`), the targets a fixed one,
and the loss reads sizes with `K.arange(0, stop=tf.shape(x)[1])`. TensorFlow builds it
from symbolic shapes; tork takes the declared `output_shape` when no stand-in size fits.
"""

import numpy as np
import pytest

import tork as tf

K = tf.keras.backend
layers = tf.keras.layers


def _loss(args):
    feats, targets = args
    grid = K.cast(K.arange(0, stop=K.shape(feats)[1]), "float32")  # reads a size
    return K.sum(feats * targets) + K.sum(grid)


def _model(output_shape):
    feats = layers.Input((None, None, 4))
    targets = layers.Input((2, 2, 4))
    out = layers.Lambda(_loss, output_shape=output_shape, name="yolo_loss")([feats, targets])
    return tf.keras.Model([feats, targets], out)


_A = np.arange(16, dtype="float32").reshape(1, 2, 2, 4)
_T = np.full((1, 2, 2, 4), 0.5, "float32")


def test_declared_output_shape_builds_the_model_and_it_runs():
    model = _model((1,))
    assert model.output_shape == (None, 1)  # the declaration (TensorFlow traces: ())
    # numpy: sum(0..15) * 0.5 + (0 + 1) = 61
    assert float(model([_A, _T])) == pytest.approx(61.0)
    model.compile(optimizer="sgd", loss={"yolo_loss": lambda y_true, y_pred: y_pred})
    assert model.evaluate([_A, _T], np.zeros(1), verbose=0) == pytest.approx(61.0)


def test_without_output_shape_the_error_names_the_layer():
    with pytest.raises(Exception, match="while calling layer 'yolo_loss' \\(Lambda\\)"):
        _model(None)
