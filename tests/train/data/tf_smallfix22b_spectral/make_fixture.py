"""Writes this folder's checkpoint with real tf_keras (the reference env).

Run: TF_USE_LEGACY_KERAS=1 /tmp/tfenv/bin/python make_fixture.py
(tf_keras 2.21). A Sequential model with SpectralNormalization(Dense(3)) then Dense(1),
fixed weights, saved with `model.save_weights("ckpt")` (TF's checkpoint format).
"""

import os

import numpy as np
import tf_keras as keras

HERE = os.path.dirname(os.path.abspath(__file__))


def weights():
    return [
        np.arange(6, dtype="float32").reshape(2, 3) / 10,  # sn kernel
        np.array([0.1, 0.2, 0.3], "float32"),  # sn bias
        np.array([[0.5, 0.6, 0.7]], "float32"),  # sn vector_u
        np.array([[1.0], [2.0], [3.0]], "float32"),  # d kernel
        np.array([0.4], "float32"),  # d bias
    ]


def model():
    return keras.Sequential(
        [
            keras.Input((2,)),
            keras.layers.SpectralNormalization(keras.layers.Dense(3), name="sn"),
            keras.layers.Dense(1, name="d"),
        ]
    )


if __name__ == "__main__":
    m = model()
    m.set_weights(weights())
    m.save_weights(os.path.join(HERE, "ckpt"))
    os.remove(os.path.join(HERE, "checkpoint"))  # the bookkeeping file: not needed to load
