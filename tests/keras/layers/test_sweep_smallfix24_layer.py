"""`supports_masking` declared as a class attribute reads as declared (tf_keras 2.21).

tf_keras keeps its own flag (`_supports_masking`, set in `Layer.__init__` from whether
compute_mask is overridden) for propagation, and the public `supports_masking` is a property
a subclass's class attribute shadows: `supports_masking = True` on the class reads True but
does not pass masks on; `supports_masking = False` with an overridden compute_mask reads
False and passes them on. Probe outputs are tf_keras 2.21's (a mask [1, 1, 0, 0] from
Embedding(mask_zero=True) on [[1, 2, 0, 0]]; -1 where the probe got no mask).
Goes to tests/keras/layers/test_sweep_smallfix24_layer.py once the layer.py patch is in.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras


class _On(keras.layers.Layer):
    supports_masking = True

    def call(self, inputs):
        return inputs * 2


class _OffOverridden(keras.layers.Layer):
    supports_masking = False

    def call(self, inputs):
        return inputs * 2

    def compute_mask(self, inputs, mask=None):
        return mask


class _SetInInit(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs):
        return inputs * 2


class _Probe(keras.layers.Layer):
    def call(self, inputs, mask=None):
        if mask is None:
            return tf.zeros_like(inputs[..., 0]) - 1.0
        return tf.cast(mask, "float32")


@pytest.mark.parametrize(
    "layer, reads, probe",
    [
        (_On, True, [-1, -1, -1, -1]),
        (_OffOverridden, False, [1, 1, 0, 0]),
        (_SetInInit, True, [1, 1, 0, 0]),
    ],
)
def test_class_attribute_reads_as_declared(layer, reads, probe):
    assert layer().supports_masking is reads
    x = np.array([[1, 2, 0, 0]])
    inp = keras.Input((4,))
    out = _Probe()(layer()(keras.layers.Embedding(5, 2, mask_zero=True)(inp)))
    np.testing.assert_array_equal(np.asarray(keras.Model(inp, out)(x)).ravel(), probe)
    eager = _Probe()(layer()(keras.layers.Embedding(5, 2, mask_zero=True)(x)))
    np.testing.assert_array_equal(np.asarray(eager).ravel(), probe)
