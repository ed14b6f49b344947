"""errfuzz: the Huber loss with delta <= 0 names the loss and the argument.

tf_keras 2.21 computes its formula anyway (`Huber(delta=-1.0)(ones, zeros)` = -1.5, a
negative loss); tork raised torch's bare "huber_loss does not support non-positive values
for delta." It now says which loss and what delta means.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras


@pytest.mark.parametrize(
    "call, owner",
    [
        (lambda: keras.losses.Huber(delta=-1.0)(np.ones((2, 3)), np.zeros((2, 3))), "Huber"),
        (lambda: keras.losses.huber(np.ones((2, 3)), np.zeros((2, 3)), delta=0.0), "huber"),
    ],
)
def test_huber_needs_a_positive_delta(call, owner):
    with pytest.raises(ValueError, match=rf"{owner}: the Huber loss needs delta > 0.*got delta="):
        call()


def test_huber_value_unchanged():
    # |error| = 1 > delta = 0.5: delta * |e| - delta**2 / 2 = 0.5 - 0.125 (Keras' formula).
    loss = keras.losses.Huber(delta=0.5)(np.ones((2, 3)), np.zeros((2, 3)))
    assert float(loss) == pytest.approx(0.375)
    # |error| = 0.5 <= delta = 1: error**2 / 2.
    assert float(keras.losses.Huber()(np.full((1, 2), 0.5), np.zeros((1, 2)))) == pytest.approx(
        0.125
    )
