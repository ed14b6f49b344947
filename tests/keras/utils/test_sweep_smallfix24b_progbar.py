"""fit, evaluate and predict draw their verbose=1 / 'auto' bars in one style per stdout.

A watched stdout (terminal) gets Keras 3's coloured bar for all three; a file or pipe gets
tf_keras 2.21's text bar (`2/2 [==============================] - ...`) for all three; with
interactive logging off the lines go to the Python log, as plain text.
"""

import contextlib
import io
import logging

import numpy as np
import pytest

import tork as tf

keras = tf.keras


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _model():
    model = keras.Sequential([keras.layers.Dense(1, input_shape=(3,))], name="m")
    model.compile("sgd", "mse")
    return model


X = np.ones((64, 3), "float32")
Y = np.ones((64, 1), "float32")


def _outputs(stream, verbose):
    model = _model()
    texts = []
    for run in (
        lambda: model.fit(X, Y, epochs=1, verbose=verbose),
        lambda: model.evaluate(X, Y, verbose=verbose),
        lambda: model.predict(X, verbose=verbose),
        lambda: model.predict(tf.data.Dataset.from_tensor_slices(X).batch(16), verbose=verbose),
    ):
        stream.seek(0)
        stream.truncate()
        with contextlib.redirect_stdout(stream):
            run()
        texts.append(stream.getvalue())
    return texts


@pytest.mark.parametrize("verbose", [1, "auto"])
def test_terminal_gets_the_coloured_bar_everywhere(verbose):
    for text in _outputs(_Terminal(), verbose):
        assert "\u2501" in text and "\x1b[" in text
        assert "[====" not in text


@pytest.mark.parametrize("verbose", [1, "auto"])
def test_pipe_gets_the_tf_keras_text_everywhere(verbose):
    for text in _outputs(io.StringIO(), verbose):
        assert "[==============================]" in text
        assert "\u2501" not in text and "\x1b[" not in text


def test_disabled_interactive_logging_logs_plain_text(caplog):
    model = _model()
    keras.utils.disable_interactive_logging()
    try:
        with caplog.at_level(logging.INFO), contextlib.redirect_stdout(_Terminal()):
            model.evaluate(X, Y, verbose=1)
            model.predict(X, verbose=1)
    finally:
        keras.utils.enable_interactive_logging()
    logged = "".join(record.getMessage() for record in caplog.records)
    assert logged.count("2/2 [==============================]") == 2
    assert "\x1b[" not in logged and "\u2501" not in logged
