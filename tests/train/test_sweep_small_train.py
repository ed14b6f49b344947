"""tf.train.Int64List refuses booleans, as TF's protobuf does (TF 2.21)."""

import numpy as np
import pytest

import tork as tf


@pytest.mark.parametrize(
    "value",
    [[True], [1, True], np.array([True, False]), [np.bool_(False)]],
)
def test_int64list_rejects_booleans(value):
    # TF 2.21: TypeError "Field tensorflow.Int64List.value: Expected an int, got a
    # boolean." (python bools) / "'numpy.bool' object cannot be interpreted as an integer".
    with pytest.raises(
        TypeError, match="Int64List: expected integers, got a boolean.*int\\(flag\\)"
    ):
        tf.train.Int64List(value=value)


def test_int64list_bool_tensor_rejected_and_integers_kept():
    with pytest.raises(TypeError, match="got a boolean"):
        tf.train.Int64List(value=tf.constant([True, False]))
    # TF 2.21: these give [1, 2], [3], [1, 2], [].
    assert tf.train.Int64List(value=np.array([1, 2])).value == [1, 2]
    assert tf.train.Int64List(value=[np.int64(3)]).value == [3]
    assert tf.train.Int64List(value=np.array([1, 2], np.uint8)).value == [1, 2]
    assert tf.train.Int64List(value=np.array([], bool)).value == []
    # FloatList still takes booleans as 1.0 (TF 2.21: value: 1).
    assert tf.train.FloatList(value=[True]).value == [1.0]
