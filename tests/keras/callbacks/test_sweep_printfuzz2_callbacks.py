"""Callbacks' unknown-mode warnings start with tf_keras 2.21's sentences (printfuzz2).

tf_keras 2.21 logs exactly the quoted sentences (`mode="bogus"`); tork adds the valid modes.
"""

import pytest

import tork as tf

callbacks = tf.keras.callbacks


@pytest.mark.parametrize(
    "make, sentence",
    [
        (
            lambda: callbacks.EarlyStopping(mode="bogus"),
            "EarlyStopping mode bogus is unknown, fallback to auto mode.",
        ),
        (
            lambda: callbacks.ModelCheckpoint("/tmp/unused_printfuzz2.h5", mode="bogus"),
            "ModelCheckpoint mode bogus is unknown, fallback to auto mode.",
        ),
        (
            lambda: callbacks.ReduceLROnPlateau(mode="bogus"),
            "Learning rate reduction mode bogus is unknown, fallback to auto mode.",
        ),
    ],
)
def test_unknown_mode_warning_text(make, sentence):
    with pytest.warns(UserWarning) as record:
        callback = make()
    texts = [str(w.message) for w in record]
    assert any(t.startswith(sentence) for t in texts), texts
    assert callback.mode == "auto"
