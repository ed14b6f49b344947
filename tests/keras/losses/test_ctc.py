"""keras.losses.CTC: lookup, serialization and input checks (values: tests/ops/test_ctc.py)."""

import math

import numpy as np
import pytest

from tork import keras


def test_ctc_class_reductions():
    y_true = [[1, 2], [1, 0]]
    y_pred = np.zeros((2, 4, 3), dtype=np.float32)
    # Uniform over 3 classes, 4 steps: 15 of 81 paths give [1, 2]; [1] has 10 of 81.
    per = np.array([-math.log(15 / 81), -math.log(10 / 81)])
    none = keras.losses.CTC(reduction=None)(y_true, y_pred)
    np.testing.assert_allclose(none.numpy(), per, rtol=1e-5)
    total = keras.losses.CTC(reduction="sum")(y_true, y_pred)
    np.testing.assert_allclose(float(total), per.sum(), rtol=1e-5)


def test_ctc_lookup_and_round_trip():
    assert keras.losses.get("ctc") is keras.losses.ctc
    loss = keras.losses.deserialize(keras.losses.serialize(keras.losses.CTC(name="my_ctc")))
    assert isinstance(loss, keras.losses.CTC) and loss.name == "my_ctc"
    assert isinstance(keras.losses.get("CTC"), keras.losses.CTC)


def test_ctc_bad_ranks_raise():
    with pytest.raises(ValueError, match=r"CTC: y_true must be dense labels"):
        keras.losses.CTC()([1, 2], np.zeros((1, 4, 3), dtype=np.float32))
    with pytest.raises(ValueError, match=r"ctc: y_pred must be logits"):
        keras.losses.ctc([[1, 2]], np.zeros((4, 3), dtype=np.float32))
