"""errfuzz: assigning strings to a numeric Variable names the variable and the fix.

Reference (tf 2.21, /tmp/tfenv): `tf.Variable(np.ones((2, 3), 'float32')).assign(strings)`
raises ValueError "could not convert string to float"; tork raised AttributeError
"'StringTensor' object has no attribute 'to'".
"""

import numpy as np
import pytest

import tork as tf


@pytest.mark.parametrize(
    "value", [np.array(["a"] * 6).reshape(2, 3), [["a", "b", "c"]] * 2], ids=["array", "list"]
)
def test_assign_strings_to_a_float_variable(value):
    v = tf.Variable(np.ones((2, 3), "float32"), name="w")
    with pytest.raises(
        ValueError,
        match=r"Cannot assign a value of dtype string to variable 'w' of dtype float32.*"
        r"tf\.strings\.to_number",
    ):
        v.assign(value)
    np.testing.assert_array_equal(v.numpy(), np.ones((2, 3)))


def test_assign_numbers_from_lists_unchanged():
    v = tf.Variable(np.zeros((2, 3), "float32"))
    v.assign([[1, 2, 3], [4, 5, 6]])
    np.testing.assert_array_equal(v.numpy(), [[1, 2, 3], [4, 5, 6]])
