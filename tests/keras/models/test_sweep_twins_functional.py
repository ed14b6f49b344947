"""Functional-API shape fidelity: structured model shapes, layers with a maximum batch size.

Expected shapes come from tf_keras 2.x runs of the same code (TF_USE_LEGACY_KERAS=1,
`import tf_keras as keras`) in the reference env.
"""

import collections

import numpy as np
import pytest

import tork as tf

keras = tf.keras
K = keras.backend
L = keras.layers

P = collections.namedtuple("P", "a b")


def _parts():
    a = keras.Input((2,), name="a")
    b = keras.Input((4,), name="b")
    return a, b, L.Dense(3, name="da")(a), L.Dense(5, name="db")(b)


# (inputs, outputs) builders and tf_keras's (input_shape, output_shape) for them.
_CASES = {
    "tuple2": (
        lambda a, b, x, y: ((a, b), (x, y)),
        ((None, 2), (None, 4)),
        ((None, 3), (None, 5)),
    ),
    "list2": (
        lambda a, b, x, y: ([a, b], [x, y]),
        [(None, 2), (None, 4)],
        [(None, 3), (None, 5)],
    ),
    "tuple1": (lambda a, b, x, y: ((a,), (x,)), ((None, 2),), ((None, 3),)),
    "list1": (lambda a, b, x, y: ([a], [x]), (None, 2), (None, 3)),
    "single": (lambda a, b, x, y: (a, x), (None, 2), (None, 3)),
    "dict1": (lambda a, b, x, y: ({"a": a}, {"x": x}), {"a": (None, 2)}, {"x": (None, 3)}),
    "namedtuple": (
        lambda a, b, x, y: (P(a, b), P(x, y)),
        P(a=(None, 2), b=(None, 4)),
        P(a=(None, 3), b=(None, 5)),
    ),
    "nested": (
        lambda a, b, x, y: ((a, [b]), (x, [y])),
        ((None, 2), [(None, 4)]),
        ((None, 3), [(None, 5)]),
    ),
    "dict_of_list": (
        lambda a, b, x, y: ({"a": a, "b": b}, {"x": [x, y]}),
        {"a": (None, 2), "b": (None, 4)},
        {"x": [(None, 3), (None, 5)]},
    ),
}


@pytest.mark.parametrize("case", sorted(_CASES))
def test_model_shapes_keep_the_structure_of_inputs_and_outputs(case):
    build, in_shape, out_shape = _CASES[case]
    a, b, x, y = _parts()
    model = keras.Model(*build(a, b, x, y))
    # == alone would let a list pass for a tuple and a tuple for a namedtuple.
    assert model.input_shape == in_shape
    assert type(model.input_shape) is type(in_shape)
    assert model.output_shape == out_shape
    assert type(model.output_shape) is type(out_shape)
    # The layers' own shapes are unaffected (tf_keras: (None, 3) and (None, 5)).
    assert model.get_layer("da").output_shape == (None, 3)
    if "db" in [layer.name for layer in model.layers]:
        assert model.get_layer("db").output_shape == (None, 5)


def test_nested_model_reports_structured_shapes_as_a_layer():
    a, b, x, y = _parts()
    inner = keras.Model((a, b), (x, y), name="inner")
    c, d = keras.Input((2,)), keras.Input((4,))
    outer = keras.Model([c, d], list(inner((c, d))))
    # tf_keras: the inner model's shapes stay tuples; the outer model's a list.
    assert outer.get_layer("inner").output_shape == ((None, 3), (None, 5))
    assert outer.output_shape == [(None, 3), (None, 5)]


class _Memory(keras.layers.Layer):
    """keras-transformer-xl's Memory (reduced): written for a maximum batch size."""

    def __init__(self, batch_size, memory_len, target_len, output_dim, **kwargs):
        super().__init__(**kwargs)
        self.batch_size = batch_size
        self.memory_len = memory_len
        self.target_len = target_len
        self.output_dim = output_dim

    def build(self, input_shape):
        self.memory = self.add_weight(
            shape=(self.batch_size, self.memory_len + self.target_len, self.output_dim),
            initializer="zeros",
            trainable=False,
            name="memory",
        )
        super().build(input_shape)

    def call(self, inputs):
        inputs, memory_length = inputs
        memory_length = K.cast(memory_length[0][0], "int32")
        batch_size = K.cast(K.shape(inputs)[0], "int32")
        seq_len = K.cast(K.shape(inputs)[1], "int32")
        # Negative repeats for any batch above self.batch_size.
        pad = K.tile(inputs[0:1, ...], (self.batch_size - batch_size, 1, 1))
        padded = K.concatenate([inputs, pad], axis=0)
        new_memory = K.concatenate([self.memory, padded], axis=1)
        new_memory = tf.slice(
            new_memory,
            (0, seq_len, 0),
            (self.batch_size, self.memory_len + self.target_len, self.output_dim),
        )
        return tf.slice(
            new_memory,
            (0, K.maximum(0, self.memory_len + self.target_len - seq_len - memory_length), 0),
            (batch_size, K.minimum(self.memory_len, memory_length), self.output_dim),
        )


def test_layer_with_a_maximum_batch_size_builds_with_unknown_batch():
    x = keras.Input((5, 4), name="x")
    length = keras.Input((1,), name="length")
    y = _Memory(8, 3, 5, 4, name="mem")([x, length])
    # tf_keras: (None, None, 4); predict on 3 samples of memory length 2: (3, 2, 4).
    assert tuple(y.shape) == (None, None, 4)
    model = keras.Model([x, length], y)
    assert model.output_shape == (None, None, 4)
    out = model.predict([np.ones((3, 5, 4), "float32"), np.full((3, 1), 2.0, "float32")], verbose=0)
    assert out.shape == (3, 2, 4)
    # Rows 1..2 of the (zero) memory, as tf_keras gives.
    np.testing.assert_array_equal(out, np.zeros((3, 2, 4), "float32"))


def test_max_batch_layer_slicing_to_the_batch_keeps_it_unknown():
    x = keras.Input((3,), name="x")
    y = L.Lambda(
        lambda t: K.concatenate([t, K.tile(t[:1], (4 - K.shape(t)[0], 1))], axis=0)[
            : K.shape(t)[0]
        ],
        name="pad_to_4",
    )(x)
    # tf_keras: (None, 3)
    assert tuple(y.shape) == (None, 3)
    model = keras.Model(x, y)
    data = np.arange(6, dtype="float32").reshape(2, 3)
    np.testing.assert_array_equal(model.predict(data, verbose=0), data)


def test_layer_failing_on_any_batch_still_names_the_layer():
    x = keras.Input((3,), name="x")
    weight = np.ones((4, 2), "float32")
    with pytest.raises(Exception, match=r"while calling layer 'bad'"):
        L.Lambda(lambda t: tf.matmul(t, weight), name="bad")(x)
