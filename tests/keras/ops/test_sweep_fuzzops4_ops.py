"""keras.ops shifts found by differential fuzzing, round 4 (helper fuzzops4).

Expected values printed by Keras 3.15 with the TensorFlow backend (TF 2.21 CPU) for the
same calls (/tmp/fuzzops4/p4/probe5.py): its shifts are tf.bitwise's, which clamp the
shift amount to [0, bits - 1].
"""

import numpy as np
import pytest

import tork.keras.ops as kops


@pytest.mark.parametrize("op", [kops.left_shift, kops.bitwise_left_shift])
def test_left_shift_clamps_the_shift_amount(op):
    x = np.array([1, -2, 5, 100], "int8")
    # Keras/TF: [1, -2, 5, 32] (torch gave 0 for the negative amounts)
    np.testing.assert_array_equal(op(x, np.array([-3, -1, 0, 3], "int8")), [1, -2, 5, 32])
    # Keras/TF: [-128, 0, -128, 0] (amounts above 7 act as 7)
    np.testing.assert_array_equal(op(x, np.array([7, 8, 9, 70], "int8")), [-128, 0, -128, 0])
    np.testing.assert_array_equal(op(x, -3), [1, -2, 5, 100])
    out = op(np.array([1, 2, -4], "int32"), np.array([1, -1, 33], "int16"))
    assert str(out.dtype) == "torch.int32"
    np.testing.assert_array_equal(out, [2, 2, 0])


@pytest.mark.parametrize("op", [kops.right_shift, kops.bitwise_right_shift])
def test_right_shift_clamps_the_shift_amount(op):
    x = np.array([1, -2, 5, 100], "int32")
    # Keras/TF: [1, -2, 5, 12]
    np.testing.assert_array_equal(op(x, np.array([-3, -1, 0, 3], "int32")), [1, -2, 5, 12])
    np.testing.assert_array_equal(
        op(np.array([1, 2, -4], "int32"), np.array([1, -1, 33], "int16")), [0, 2, -1]
    )
    # Keras/TF uint8: [0, 1, 0, 0] (the amounts clamp to 7)
    u = np.array([1, 254, 5, 100], "uint8")
    np.testing.assert_array_equal(op(u, np.array([7, 8, 9, 70], "uint8")), [0, 1, 0, 0])


def test_shifts_of_uint16_work():
    # Keras/TF: left [32768, 0, 5, 800], right [0, 255, 0, 0] (torch has no uint16 shifts)
    x = np.array([1, 65534, 5, 100], "uint16")
    amounts = np.array([-3, -1, 0, 3]).astype("uint16")
    np.testing.assert_array_equal(kops.left_shift(x, amounts).numpy(), [32768, 0, 5, 800])
    amounts = np.array([7, 8, 9, 70], "uint16")
    np.testing.assert_array_equal(kops.right_shift(x, amounts).numpy(), [0, 255, 0, 0])


def test_shift_of_bool_raises():
    with pytest.raises(TypeError, match="needs integer inputs"):
        kops.left_shift(np.array([True, False]), np.array([True, True]))
