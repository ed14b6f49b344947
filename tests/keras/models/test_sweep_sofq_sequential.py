"""Sequential input-shape errors from Stack Overflow threads (sweep sofq).

tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) refuses both cases with 'Input 0 of layer
"sequential" is incompatible with the layer: expected shape=..., found shape=...'.
"""

import numpy as np
import pytest

from tork import keras

L = keras.layers


def test_input_shape_holding_the_batch_size_names_the_fix():
    # SO "expected ndim=5, found ndim=4": input_shape=(n, 8, 8, 1) for images of shape
    # (n, 8, 8, 1). tork added a trailing axis (Input((1,)) style) and Conv2D failed on
    # (12, 8, 8, 1, 1) with a spatial-size error that did not say what was wrong.
    model = keras.Sequential(
        [L.Conv2D(4, 3, input_shape=(10, 8, 8, 1)), L.Flatten(), L.Dense(1)], name="seq"
    )
    data = np.zeros((12, 8, 8, 1), "float32")
    with pytest.raises(
        ValueError,
        match=r'layer "seq" is incompatible.*expected shape=\(None, 10, 8, 8, 1\), found '
        r"shape=\(12, 8, 8, 1\).*excludes the batch axis.*input_shape=\(8, 8, 1\)",
    ):
        model.predict(data, verbose=0)


def test_single_image_without_batch_axis_names_the_fix():
    # SO "predict on one image": TF's error is Conv2D's negative dimension size on (8, 1, 1).
    model = keras.Sequential([L.Conv2D(4, 3, input_shape=(8, 8, 1)), L.Flatten()], name="one")
    with pytest.raises(
        ValueError,
        match=r"expected shape=\(None, 8, 8, 1\), found shape=\(8, 8, 1\).*single sample "
        r"without its batch axis.*x\[None\]",
    ):
        model(np.zeros((8, 8, 1), "float32"))
    assert tuple(model(np.zeros((1, 8, 8, 1), "float32")).shape) == (1, 144)


def test_trailing_unit_axis_still_added_when_it_fits():
    # Keras 2: a model declared with input_shape=(1,) takes a batch of scalars (batch,).
    model = keras.Sequential([L.Dense(1, input_shape=(1,), kernel_initializer="ones")])
    out = model.predict(np.array([1.0, 2.0, 3.0], "float32"), verbose=0)
    np.testing.assert_allclose(out, [[1.0], [2.0], [3.0]])
    # ... and (batch, 4) for input_shape=(4, 1) too.
    model = keras.Sequential([L.Flatten(input_shape=(4, 1))])
    assert tuple(model(np.ones((2, 4), "float32")).shape) == (2, 4)
