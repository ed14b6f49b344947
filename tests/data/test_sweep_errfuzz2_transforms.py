"""errfuzz2: Dataset.padded_batch padding values of the wrong dtype.

TF 2.21 raises TypeError "Invalid `padding_values`. `padding_values` values type float32
does not match type int64 of the corresponding input component" for a float padding value
of an integer component; tork silently truncated it (0.5 padded as 0). A string padding
value on the dynamic path gave torch's bare "full(): argument 'fill_value'" message.
"""

import numpy as np
import pytest

import tork as tf


def _ragged_ints(dtype=None):
    ds = tf.data.Dataset.range(1, 3).map(lambda n: tf.range(n))
    return ds if dtype is None else ds.map(lambda x: tf.cast(x, dtype))


@pytest.mark.parametrize("value", [0.5, np.float32(1.0), tf.constant(1.5)])
def test_float_padding_of_int_component_raises(value):
    with pytest.raises(TypeError, match=r"padding_values.*float .* int64 component.*truncated"):
        list(_ragged_ints().padded_batch(2, padding_values=value))


def test_string_padding_of_int_component_raises_clearly():
    def gen():
        yield np.arange(1)
        yield np.arange(2)

    ds = tf.data.Dataset.from_generator(gen, output_types=tf.int64)
    with pytest.raises(
        TypeError,
        match=r"padded_batch: invalid `padding_values`: a string does not match the int64",
    ):
        list(ds.padded_batch(2, padding_values="x"))


def test_integer_and_float_padding_values_that_fit_still_pad():
    # Expected rows by hand: [0] padded to length 2, then [0, 1].
    out = list(_ragged_ints().padded_batch(2, padding_values=-1))[0]
    assert out.numpy().tolist() == [[0, -1], [0, 1]]
    out = list(_ragged_ints(tf.float32).padded_batch(2, padding_values=0.5))[0]
    np.testing.assert_allclose(out.numpy(), [[0.0, 0.5], [0.0, 1.0]])
