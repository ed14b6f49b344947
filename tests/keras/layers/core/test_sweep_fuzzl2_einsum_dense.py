"""EinsumDense with a right-elided equation whose output_shape also lists the '...' axes.

tf_keras 2.21 accepts EinsumDense("ab...,bc->ac...", output_shape=(5, None)) (and (5, None,
None), (5, 4, 6), [5, None, 6]) on inputs (2, 3, 4, 6): kernel (3, 5), bias (5, 1, 1) with
bias_axes="c", output (2, 5, 4, 6), the same as output_shape=5. Values are checked against
numpy's einsum. tf_keras silently ignores entries beyond those (and wrong sizes for the
elided axes); tork raises a clear error there instead.
"""

import numpy as np
import pytest

import tork as tf


@pytest.mark.parametrize(
    "output_shape", [5, (5,), (5, None), (5, None, None), (5, 4, 6), [5, None, 6]]
)
def test_right_elided_output_shape_may_list_the_elided_axes(output_shape):
    x = np.random.default_rng(0).standard_normal((2, 3, 4, 6)).astype("float32")
    layer = tf.keras.layers.EinsumDense("ab...,bc->ac...", output_shape=output_shape, bias_axes="c")
    y = layer(x)
    assert tuple(layer.kernel.shape) == (3, 5)
    assert tuple(layer.bias.shape) == (5, 1, 1)
    kernel = np.arange(15, dtype="float32").reshape(3, 5) / 10
    bias = np.arange(5, dtype="float32").reshape(5, 1, 1)
    layer.set_weights([kernel, bias])
    y = layer(x).numpy()
    np.testing.assert_allclose(
        y, np.einsum("abde,bc->acde", x, kernel) + bias, rtol=1e-5, atol=1e-5
    )
    assert layer.compute_output_shape((2, 3, 4, 6)) == (2, 5, 4, 6)


def test_listed_elided_axis_must_match_the_input():
    layer = tf.keras.layers.EinsumDense("ab...,bc->ac...", output_shape=(5, 3))
    with pytest.raises(ValueError, match=r"gives 3 for an axis covered by '\.\.\.'.*has size 4"):
        layer(np.ones((2, 3, 4), "float32"))


def test_too_many_entries_still_rejected():
    layer = tf.keras.layers.EinsumDense("ab...,bc->ac...", output_shape=(5, None, None))
    with pytest.raises(ValueError, match="does not fit the output spec 'ac'"):
        layer(np.ones((2, 3, 4), "float32"))
