"""`isinstance(input_shape, tf.TensorShape)` in a Keras 2 layer's `build`.

tf.keras 2 passes a single input's shape to `build` as a TensorShape and a list input's
as a list; tf-models' TransformerEncoderBlock branches on it:

    if isinstance(input_shape, tf.TensorShape): input_tensor_shape = input_shape
    elif isinstance(input_shape, (list, tuple)): input_tensor_shape = TensorShape(input_shape[0])

tork passed a tuple (KerasShape), so a single input took the list branch and read the
batch size as the hidden size (the block then failed, or with batch == hidden silently
built wrong). Expected behaviour: tf_keras 2.21.
"""

import tork as tf


class _Branching(tf.keras.layers.Layer):
    def build(self, input_shape):
        if isinstance(input_shape, tf.TensorShape):
            self.seen = ("shape", input_shape.as_list())
            hidden = input_shape[-1]
        elif isinstance(input_shape, (list, tuple)):
            self.seen = ("list", [list(s) for s in input_shape])
            hidden = tf.TensorShape(input_shape[0])[-1]
        self.w = self.add_weight(name="w", shape=(hidden,), initializer="ones")

    def call(self, inputs):
        x = inputs[0] if isinstance(inputs, (list, tuple)) else inputs
        return x * self.w


def test_single_input_build_gets_a_tensor_shape():
    layer = _Branching()
    layer(tf.zeros((2, 8, 16)))
    # tf_keras 2.21: ('shape', [2, 8, 16]) and a (16,) weight.
    assert layer.seen == ("shape", [2, 8, 16])
    assert tuple(layer.w.shape) == (16,)


def test_list_input_build_gets_a_list():
    layer = _Branching()
    layer([tf.zeros((2, 8, 16)), tf.zeros((2, 8, 8))])
    assert layer.seen[0] == "list"
    assert tuple(layer.w.shape) == (16,)


def test_symbolic_single_input_too():
    layer = _Branching()
    layer(tf.keras.Input((8, 16)))
    assert layer.seen == ("shape", [None, 8, 16])


def test_plain_tuples_are_not_tensor_shapes():
    assert not isinstance((2, 3), tf.TensorShape)
    assert isinstance(tf.TensorShape([2, 3]), tf.TensorShape)
    shape = tf.TensorShape(tf.keras.Input((3,)).shape)
    assert shape.as_list() == [None, 3] and shape == tf.TensorShape([None, 3])
