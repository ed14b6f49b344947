"""A layer returning a dict subclass keeps that type on symbolic inputs (as tf.nest does).

HF transformers' models return `ModelOutput`s (OrderedDict dataclasses); the common
`bert(input_ids)[0]` / `.last_hidden_state` in a functional model raised KeyError: 0.
"""

from collections import OrderedDict

import numpy as np

import tork as tf
from tork import keras


class _Output(OrderedDict):
    """A minimal ModelOutput: integer indexing and attribute access over its values."""

    def __getitem__(self, key):
        if isinstance(key, str):
            return dict(self.items())[key]
        return tuple(self.values())[key]

    def __getattr__(self, name):
        try:
            return dict(self.items())[name]
        except KeyError:
            raise AttributeError(name) from None


class _Encoder(keras.layers.Layer):
    def call(self, x):
        return _Output(last_hidden_state=x * 2.0, pooler_output=tf.reduce_sum(x, axis=1))


def test_symbolic_call_keeps_mapping_type():
    inputs = keras.Input((3,))
    out = _Encoder()(inputs)
    assert type(out) is _Output
    assert list(out.keys()) == ["last_hidden_state", "pooler_output"]
    model = keras.Model(inputs, [out[0], out.pooler_output])
    a, b = model.predict(np.array([[1.0, 2.0, 3.0]], "float32"), verbose=0)
    np.testing.assert_allclose(a, [[2.0, 4.0, 6.0]])
    np.testing.assert_allclose(b, [6.0])


def test_defaultdict_output_stays_usable():
    from collections import defaultdict

    class Layer(keras.layers.Layer):
        def call(self, x):
            d = defaultdict(list)
            d["y"] = x + 1.0
            return d

    inputs = keras.Input((2,))
    out = Layer()(inputs)
    model = keras.Model(inputs, out["y"])
    np.testing.assert_allclose(model.predict(np.zeros((1, 2), "float32"), verbose=0), [[1.0, 1.0]])
