"""StringLookup/IntegerLookup encoded modes give at most rank-2 outputs (helper fuzzsym2).

Found by differential fuzzing of tf ops on functional-API tensors:
`StringLookup(output_mode='one_hot')(x[:, :1])` on `keras.Input((None,), dtype='string')`
(the slice keeps an unknown size). tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) raises "When
output_mode is not `'int'`, maximum supported output rank is 2" for each case below, eagerly
and on symbolic inputs; tork gave a rank-3 static shape (None, None, 4) while the model
returned rank-2 arrays, or rank-3 outputs eagerly.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras


@pytest.mark.parametrize(
    "mode, shape",
    [("one_hot", (3,)), ("one_hot", (2, 1)), ("multi_hot", (2, 3)), ("count", (2, 3))],
)
def test_encoded_output_of_rank_three_raises(mode, shape):
    layer = keras.layers.StringLookup(vocabulary=["a", "b", "c"], output_mode=mode)
    with pytest.raises(ValueError, match=f"maximum supported output rank is 2.*'{mode}'"):
        layer(keras.Input(shape, dtype="string"))
    eager = keras.layers.IntegerLookup(vocabulary=[1, 2, 3], output_mode=mode)
    with pytest.raises(ValueError, match="would result in output rank 3"):
        eager(np.ones((2, *shape), "int64"))


def test_unknown_last_size_raises_with_the_symbolic_shape():
    x = keras.Input((None,), dtype="string")
    layer = keras.layers.StringLookup(vocabulary=["a", "b", "c"], output_mode="one_hot")
    with pytest.raises(ValueError, match=r"input shape \(None, None\), which would result"):
        layer(x[:, :1])


@pytest.mark.parametrize(
    "mode, shape, expected",
    [("one_hot", (1,), (None, 4)), ("one_hot", (), (None, 4)), ("multi_hot", (3,), (None, 4))],
)
def test_rank_two_outputs_still_build(mode, shape, expected):
    # tf_keras 2.21: (None, 4) for each; one_hot rows [0, 1, 0, 0] for 'a', [0, 0, 0, 1] for 'c'.
    x = keras.Input(shape, dtype="string")
    out = keras.layers.StringLookup(vocabulary=["a", "b", "c"], output_mode=mode)(x)
    assert tuple(out.shape) == expected
    if mode == "one_hot" and shape == (1,):
        model = keras.Model(x, out)
        got = model.predict(np.array([["a"], ["c"]], dtype=object), verbose=0)
        np.testing.assert_array_equal(got, [[0, 1, 0, 0], [0, 0, 0, 1]])
