"""Progbar written to a file or pipe: tf_keras 2.21's plain text, no colour codes.

The expected strings are tf_keras 2.21's output (`keras.utils.Progbar` with `time.time`
replaced by the same fake clock, stdout redirected to a StringIO), byte for byte.
"""

import io
import sys

import numpy as np
import pytest

import tork as tf
from tork.keras.utils import Progbar
from tork.keras.utils import progbar as progbar_module

BS = "\b"


@pytest.fixture
def clock(monkeypatch):
    now = [100.0]
    monkeypatch.setattr(progbar_module, "_clock", lambda: now[0])
    return now


@pytest.fixture
def piped(monkeypatch):
    monkeypatch.setattr(progbar_module, "_live_output", lambda: False)


def test_plain_bar_matches_tf_keras_bytes(clock, piped, capsys):
    bar = Progbar(10)
    for i, (dt, v) in enumerate([(2, 1.0), (1, 4.0), (1, 0.0005)]):
        clock[0] += dt
        bar.update(i + 1, [("loss", v)])
    clock[0] += 3
    bar.update(10, [("loss", -2.0)], finalize=True)
    expected = (
        "\r 1/10 [==>...........................] - ETA: 18s - loss: 1.0000"
        + BS * 64
        + "\r 2/10 [=====>........................] - ETA: 8s - loss: 2.5000 "
        + BS * 63
        + "\r 3/10 [========>.....................] - ETA: 7s - loss: 1.6668"
        + BS * 63
        + "\r10/10 [==============================] - 7s 556ms/step - loss: -0.9000\n"
    )
    assert capsys.readouterr().out == expected


def test_plain_unknown_target_and_width(clock, piped, capsys):
    bar = Progbar(None)
    clock[0] += 0.5
    bar.update(1, [("a", 2e-4)])
    clock[0] += 0.5
    bar.update(2, [("a", 2e-4)], finalize=True)
    bar = Progbar(200, width=10)
    clock[0] += 1
    bar.update(150, [("acc", 0.5)])
    expected = (
        "\r      1/Unknown - 0s 500ms/step - a: 2.0000e-04"
        + BS * 47
        + "\r      2/Unknown - 1s 500ms/step - a: 2.0000e-04\n"
        + "\r150/200 [======>...] - ETA: 0s - acc: 0.5000"
    )
    assert capsys.readouterr().out == expected


def test_watched_stdout_keeps_keras3_bar(clock, monkeypatch, capsys):
    monkeypatch.setattr(progbar_module, "_live_output", lambda: True)
    bar = Progbar(2)
    bar.update(2, [("loss", 0.5)])
    out = capsys.readouterr().out
    assert "\x1b[1m2/2\x1b[0m" in out and "\u2501" * 20 in out
    assert bar.width == 20


def test_fit_into_a_pipe_writes_plain_text(clock):
    # capsys is not a terminal; a real fit writes tf_keras's plain line (no ANSI codes).
    model = tf.keras.Sequential([tf.keras.Input((2,)), tf.keras.layers.Dense(1)])
    model.set_weights([np.array([[0.5], [-0.25]], np.float32), np.array([0.1], np.float32)])
    model.compile("sgd", "mse", metrics=["mae"])
    out, saved = io.StringIO(), sys.stdout
    sys.stdout = out
    try:
        model.fit(np.ones((8, 2)), np.ones((8, 1)), batch_size=2, epochs=2, verbose=1)
    finally:
        sys.stdout = saved
    text = out.getvalue()
    assert "\x1b" not in text and "\u2501" not in text
    # tf_keras 2.21's final lines with these weights (its times differ: the clock is fake).
    line = "\r4/4 [==============================] - 0s 0s/step - loss: {} - mae: {}\n"
    expected = "Epoch 1/2\n" + line.format("0.3543", "0.5938")
    expected += "Epoch 2/2\n" + line.format("0.2160", "0.4636")
    assert text == expected
