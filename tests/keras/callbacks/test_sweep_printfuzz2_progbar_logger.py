"""fit/evaluate/predict(verbose=1) into a file or pipe end with tf_keras 2.21's lines (printfuzz2).

tf_keras 2.21 was run on the same model with `time.time` in its progress bar replaced by a
constant clock and stdout a StringIO. Its output also holds the redraws made while an epoch
runs (`\\r1/3 [=========>....] - ETA: 0s ...` followed by backspaces), which depend on
timing; tork writes only each bar's final line into files and pipes, and those final
lines are tf_keras's byte for byte.
"""

import contextlib
import io

import numpy as np
import pytest

import tork as tf
from tork.keras.utils import progbar as progbar_module

keras = tf.keras
X = np.linspace(-1, 1, 30).reshape(10, 3).astype("float32")
Y = (np.arange(10) % 2).astype("int64")
BAR = "\r3/3 [==============================] - 0s 0s/step"


@pytest.fixture(autouse=True)
def _constant_clock(monkeypatch):
    monkeypatch.setattr(progbar_module, "_clock", lambda: 1000.0)


def _model():
    model = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(2, activation="softmax", name="d")], name="m"
    )
    model.set_weights(
        [
            np.linspace(-0.5, 0.5, w.size).reshape(w.shape).astype("float32")
            for w in model.get_weights()
        ]
    )
    model.compile(
        optimizer=keras.optimizers.SGD(0.1),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def _printed(fn) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        fn()
    return out.getvalue()


def test_multi_epoch_fit_with_validation():
    text = _printed(
        lambda: _model().fit(
            X, Y, batch_size=4, epochs=3, shuffle=False, verbose=1, validation_data=(X, Y)
        )
    )
    expected = ""
    for epoch, (loss, val_loss) in enumerate([(0.79, 0.7646), (0.7611, 0.7415), (0.7389, 0.7241)]):
        expected += f"Epoch {epoch + 1}/3\n{BAR} - loss: {loss:.4f} - accuracy: 0.5000"
        expected += f" - val_loss: {val_loss:.4f} - val_accuracy: 0.5000\n"
    assert text == expected


def test_evaluate_and_predict():
    model = _model()
    text = _printed(lambda: model.evaluate(X, Y, batch_size=4, verbose=1))
    assert text == f"{BAR} - loss: 0.7947 - accuracy: 0.5000\n"
    assert _printed(lambda: model.predict(X, batch_size=4, verbose=1)) == f"{BAR}\n"
    one = "\r1/1 [==============================] - 0s 0s/step\n"
    assert _printed(lambda: model.predict(X, batch_size=32, verbose=1)) == one


def test_dataset_of_unknown_size_ends_with_the_counted_bar():
    # The first epoch counts steps as `1/Unknown`; its final line shows the count found.
    ds = tf.data.Dataset.from_tensor_slices((X, Y)).batch(4).filter(lambda a, b: True)
    text = _printed(lambda: _model().fit(ds, epochs=2, verbose=1))
    expected = f"Epoch 1/2\n{BAR} - loss: 0.7900 - accuracy: 0.5000\n"
    expected += f"Epoch 2/2\n{BAR} - loss: 0.7611 - accuracy: 0.5000\n"
    assert text == expected
