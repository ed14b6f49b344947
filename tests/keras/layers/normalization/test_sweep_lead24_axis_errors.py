"""Out-of-range `axis` errors of the normalization layers start with tf_keras's sentence."""

import re

import numpy as np
import pytest

import tork as tf

L = tf.keras.layers

# tf_keras 2.21 (TF_USE_LEGACY_KERAS=1), the same calls on np.ones((2, 4), "float32"):
# ValueError: Invalid value for `axis` argument. Expected 0 <= axis < inputs.rank (with
# inputs.rank=2). Received: axis=(3,)   (axis=(1, 3) for LayerNormalization(axis=[1, 3])).
CASES = [
    (lambda: L.BatchNormalization(axis=3, name="bn"), "(3,)", "BatchNormalization layer 'bn'"),
    (lambda: L.LayerNormalization(axis=[1, 3], name="ln"), "(1, 3)", "LayerNormalization"),
    (lambda: L.GroupNormalization(groups=2, axis=3, name="gn"), "(3,)", "GroupNormalization"),
    (lambda: L.UnitNormalization(axis=3, name="un"), "(3,)", "UnitNormalization"),
]


@pytest.mark.parametrize("make, received, owner", CASES)
def test_axis_out_of_range_starts_with_tf_keras_sentence(make, received, owner):
    keras_text = (
        "Invalid value for `axis` argument. Expected 0 <= axis < inputs.rank (with "
        f"inputs.rank=2). Received: axis={received}. "
    )
    with pytest.raises(ValueError) as info:
        make()(np.ones((2, 4), "float32"))
    message = str(info.value)
    assert message.startswith(keras_text)
    # tork's own explanation follows, naming the layer and the valid axes.
    assert owner in message and re.search(r"valid axes are -2\.\.1", message)
