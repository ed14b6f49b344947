"""TF's `TensorShape` API on eager shapes (`torch.Size`) and on Keras's shape tuples.

Reference values and messages from TensorFlow 2.21 (`tf.ones((2, 3)).shape` and
`tf.TensorShape([2, 3])`): as_list [2, 3], rank/ndims 2, num_elements 6, concatenate([4])
(2, 3, 4), and the ValueError texts checked below.
"""

import warnings

import numpy as np
import pytest
import torch

import tork as tf


def test_eager_shape_answers_tensorshape_methods():
    shape = tf.ones((2, 3)).shape
    assert isinstance(shape, torch.Size)
    assert shape.as_list() == [2, 3]
    assert shape.rank == 2 and shape.ndims == 2
    assert shape.dims == [2, 3]
    assert shape.num_elements() == 6
    assert shape.is_fully_defined()
    assert shape[1:].as_list() == [3]
    assert shape.concatenate([4]).as_list() == [2, 3, 4]
    assert shape.is_compatible_with([None, 3]) and not shape.is_compatible_with([2, 4])
    assert shape.merge_with([None, 3]).as_list() == [2, 3]
    assert shape.with_rank(2) is shape
    assert shape.with_rank_at_least(1) is shape and shape.with_rank_at_most(2) is shape
    shape.assert_has_rank(2)
    shape.assert_same_rank([4, 5])
    shape.assert_is_compatible_with([2, None])


def test_torch_size_keeps_its_own_behaviour():
    shape = torch.Size([2, 3])
    assert shape == (2, 3) and shape.numel() == 6 and shape.index(3) == 1
    assert isinstance(shape[1:], torch.Size)
    assert torch.zeros(shape).shape == shape


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda s: s.with_rank(3), r"^Shape \(2, 3\) must have rank 3$"),
        (lambda s: s.with_rank_at_least(3), r"^Shape \(2, 3\) must have rank at least 3$"),
        (lambda s: s.with_rank_at_most(1), r"^Shape \(2, 3\) must have rank at most 1$"),
        (lambda s: s.assert_has_rank(3), r"^Shape \(2, 3\) must have rank 3$"),
        (
            lambda s: s.assert_same_rank([1]),
            r"^Shapes \(2, 3\) and \(1,\) must have the same rank$",
        ),
        (lambda s: s.merge_with([2, 4]), r"^Shapes \(2, 3\) and \(2, 4\) are not compatible"),
        (lambda s: s.assert_is_compatible_with([2, 4]), r"^Shapes \(2, 3\) and .*are incompatible"),
    ],
)
def test_shape_checks_raise_tf_messages(call, message):
    for shape in (tf.ones((2, 3)).shape, tf.TensorShape([2, 3])):
        with pytest.raises(ValueError, match=message):
            call(shape)


def test_build_shape_has_the_same_methods():
    seen = {}

    class Probe(tf.keras.layers.Layer):
        def build(self, input_shape):
            seen["full"] = input_shape.is_fully_defined()
            seen["count"] = input_shape.num_elements()
            seen["tail"] = input_shape[1:].num_elements()
            seen["more"] = input_shape.concatenate([4]).as_list()

        def call(self, x):
            return x

    inputs = tf.keras.Input((3, 5))
    Probe()(inputs)
    assert seen == {"full": False, "count": None, "tail": 15, "more": [None, 3, 5, 4]}


class _Scaled(tf.keras.layers.Layer):
    """TF-style code: reads the sizes of the eager tensor it is called on."""

    def build(self, input_shape):
        self.w = self.add_weight(name="w", shape=(input_shape[-1],), initializer="ones")

    def call(self, x):
        batch, features = x.shape.as_list()
        return x * self.w * features + x.shape.rank


def test_layer_reading_shape_as_list_runs_in_functional_and_fit():
    inputs = tf.keras.Input((3,))
    model = tf.keras.Model(inputs, _Scaled()(inputs))
    x = np.arange(6, dtype="float32").reshape(2, 3)
    np.testing.assert_allclose(model.predict(x, verbose=0), x * 3 + 2)
    model.compile("sgd", "mse")
    model.fit(x, x, epochs=1, verbose=0)


def test_layer_reading_shape_as_list_compiles_as_one_graph():
    inputs = tf.keras.Input((3,))
    model = tf.keras.Model(inputs, _Scaled()(inputs))
    model.compile(tf.keras.optimizers.SGD(0.01), "mse", jit_compile=True)
    x = np.ones((8, 3), dtype="float32")
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="jit_compile")
        model.fit(x, x, epochs=2, verbose=0)
    # w after 2 SGD steps on the full batch: d/dw mean((3w x + 2 - x)^2) = 2 * (3w + 1) * 3 / 3
    w = 1.0
    for _ in range(2):
        w -= 0.01 * 2 * (3 * w + 1) * 3 / 3
    np.testing.assert_allclose(model.layers[1].w.numpy(), [w] * 3, rtol=1e-6)
