"""printfuzz: summary() of an unbuilt model raises with tf_keras 2.21's message.

The expected sentence was printed by tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) for
`Sequential([Dense(3)]).summary()` and for an unbuilt subclassed model's summary().
"""

import re

import pytest

import tork as tf

# tf_keras 2.21's text, verbatim.
TF_KERAS_UNBUILT = (
    "This model has not yet been built. Build the model first by calling `build()` or by "
    "calling the model on a batch of data."
)


def test_unbuilt_sequential_summary_starts_with_tf_keras_message():
    m = tf.keras.Sequential([tf.keras.layers.Dense(3, name="d1")], name="s2")
    with pytest.raises(ValueError, match=re.escape(TF_KERAS_UNBUILT)) as info:
        m.summary()
    # tork's own hint names the model and the fix.
    assert "'s2'" in str(info.value)
    assert "model.build((None, 32))" in str(info.value)


def test_unbuilt_subclassed_summary_starts_with_tf_keras_message():
    class Sub(tf.keras.Model):
        def __init__(self):
            super().__init__(name="sub")
            self.d1 = tf.keras.layers.Dense(3, name="d1")

        def call(self, x):
            return self.d1(x)

    with pytest.raises(ValueError, match="^" + re.escape(TF_KERAS_UNBUILT)):
        Sub().summary()
