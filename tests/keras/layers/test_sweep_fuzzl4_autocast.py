"""A user layer's float weights under a mixed policy read as Keras 2's AutoCastVariables.

(Goes with /work/notes/fuzzl4_layer_autocast.patch and tork/keras/layers/_autocast_view.py;
proposed place: tests/keras/layers/test_sweep_fuzzl4_autocast.py.)

tf_keras wraps every float weight of a layer with a mixed policy in an AutoCastVariable: in
`call` it reads in the compute dtype, trainable or not, and `assign`/`assign_add`/`name` work
on it. tork cast only the trainable ones, to plain tensors: non-trainable weights stayed
float32 (the output became float32 instead of float16/bfloat16) and `self.w.assign(...)` in
`call` raised AttributeError. Weights created with `experimental_autocast=False`
(BatchNormalization's) stay in their own dtype. Reference numbers: TF 2.21 / tf_keras 2.21,
/tmp/fuzzl4/probes/ref_autocast.py.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras


def _name(dtype) -> str:
    return str(dtype).replace("torch.", "")


X = np.array([[1.0, 2.0, 3.0], [0.5, -1.0, 0.25]], "float32")


class _Frozen(keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(name="w", shape=(int(input_shape[-1]),), initializer="ones")
        self.scale = self.add_weight(
            name="scale",
            shape=(int(input_shape[-1]),),
            initializer=keras.initializers.Constant(0.1),
            trainable=False,
        )
        self.count = self.add_weight(name="count", shape=(), initializer="zeros", trainable=False)

    def call(self, x):
        self.seen = (self.w.name, self.scale.name, _name(self.count.dtype))
        self.count.assign_add(1.0)
        self.w.assign(self.w * 1.5)
        return x * self.w * self.scale + self.count


# TF: the outputs of two calls, in float32.
_REF = {
    "mixed_float16": (
        "float16",
        [[1.150390625, 1.2998046875, 1.4501953125], [1.0751953125, 0.85009765625, 1.037109375]],
        [[2.224609375, 2.44921875, 2.67578125], [2.11328125, 1.775390625, 2.056640625]],
    ),
    "mixed_bfloat16": (
        "bfloat16",
        [[1.1484375, 1.296875, 1.453125], [1.078125, 0.8515625, 1.0390625]],
        [[2.21875, 2.453125, 2.671875], [2.109375, 1.7734375, 2.0625]],
    ),
}


@pytest.mark.parametrize("policy", sorted(_REF))
def test_non_trainable_weights_autocast_and_assign_in_call(policy):
    dtype, first, second = _REF[policy]
    layer = _Frozen(dtype=policy, name="fr")
    y1 = layer(X)
    y2 = layer(X)
    assert _name(y1.dtype) == dtype
    assert layer.seen == ("fr/w:0", "fr/scale:0", dtype)
    tol = 1e-2 if dtype == "bfloat16" else 2e-3
    np.testing.assert_allclose(np.asarray(tf.cast(y1, "float32")), first, rtol=tol)
    np.testing.assert_allclose(np.asarray(tf.cast(y2, "float32")), second, rtol=tol)
    # The variables stay float32 and hold the assigned values.
    assert [_name(w.dtype) for w in layer.weights] == ["float32"] * 3
    np.testing.assert_allclose(layer.w.numpy(), [2.25, 2.25, 2.25])
    np.testing.assert_allclose(layer.count.numpy(), 2.0)
    # After the call the attributes are the variables again.
    assert layer.w is layer.weights[0]


def test_autocast_weight_gradients_reach_the_variable():
    layer = _Frozen(dtype="mixed_float16", name="g")
    layer(X)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.cast(layer(X), "float32"))
    grad = tape.gradient(loss, layer.trainable_weights)[0]
    # d/dw of sum(x * w * 0.1): the column sums of X times 0.1 (w is read before its assign).
    np.testing.assert_allclose(np.asarray(grad), [0.15, 0.1, 0.325], rtol=2e-3)


class _BNSub(keras.layers.BatchNormalization):
    def call(self, inputs, training=None):
        self.seen = (_name(self.gamma.dtype), _name(self.moving_mean.dtype))
        return super().call(inputs, training)


def test_batch_normalization_subclass_weights_not_autocast():
    layer = _BNSub(dtype="mixed_float16")
    y = layer(X, training=True)
    # TF: experimental_autocast=False keeps gamma and the statistics float32 in call.
    assert layer.seen == ("float32", "float32")
    assert _name(y.dtype) == "float16"
    np.testing.assert_allclose(
        np.asarray(y, "float32"),
        [[0.9921875, 1.0, 0.99951171875], [-0.9921875, -1.0, -0.99951171875]],
        rtol=2e-3,
    )
    np.testing.assert_allclose(layer.moving_mean.numpy(), [0.0075, 0.005, 0.01625], rtol=1e-5)
    np.testing.assert_allclose(
        layer.moving_variance.numpy(), [0.990625, 1.0125, 1.0089062], rtol=1e-5
    )


def test_autocast_false_weight_keeps_its_dtype():
    class _Own(keras.layers.Layer):
        def build(self, input_shape):
            self.a = self.add_weight(name="a", shape=(3,), initializer="ones", autocast=False)
            self.b = self.add_weight(name="b", shape=(3,), initializer="ones")

        def call(self, x):
            self.seen = (_name(self.a.dtype), _name(self.b.dtype))
            return x * self.b

    layer = _Own(dtype="mixed_float16")
    layer(X)
    assert layer.seen == ("float32", "float16")
