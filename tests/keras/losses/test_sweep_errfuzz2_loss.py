"""errfuzz2: a custom loss function returning a non-numeric value.

TF 2.21 + tf_keras fails inside fit (the loss is not a float tensor); tork gave numpy's bare
"'StringDType' object has no attribute 'type'". Now: a TypeError naming the loss.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras


def _model():
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])


def test_loss_returning_string_names_the_loss():
    def my_loss(y_true, y_pred):
        return "loss"

    model = _model()
    model.compile("sgd", my_loss)
    with pytest.raises(TypeError, match=r"The loss 'my_loss' returned str 'loss'.*numeric tensor"):
        model.fit(np.ones((8, 4)), np.ones((8, 3)), verbose=0)


def test_loss_returning_python_float_list_still_works():
    # A per-sample list of numbers converts to a tensor (no gradient: evaluate only).
    def my_loss(y_true, y_pred):
        return [1.0, 3.0]

    loss = keras.losses.LossFunctionWrapper(my_loss)
    # sum_over_batch_size of [1, 3] = 2 (hand-computed).
    assert float(loss(np.ones((2, 3), "float32"), np.ones((2, 3), "float32"))) == 2.0
