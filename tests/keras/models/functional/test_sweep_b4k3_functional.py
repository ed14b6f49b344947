"""Functional API patterns of bert4keras3 (Keras 3 code) that tork did not build.

User layers whose `call` cannot run on symbolic stand-ins: Keras 3 builds a functional call of a layer overriding `compute_output_spec` or
`compute_output_shape` from them, without running `call` (bert4keras3's generation
layer loops in Python on token values). tork traces `call` and falls back to them.
Expected shapes, dtypes and predictions from Keras 3.15 (torch backend) in the
reference env; its TensorFlow backend cannot run such a `call` in `predict` (graph mode).
"""

import numpy as np
import pytest
import torch

from tork import keras

ops = keras.ops

# Next id after each id, on the host (a Python table, as a tokenizer's).
NEXT = {5: 7, 7: 9, 9: 0, 3: 4, 4: 0}


class Chain(keras.layers.Layer):
    def call(self, ids):
        rows = []
        for row in ops.convert_to_numpy(ids).tolist():
            while row[-1] != 0:
                row.append(NEXT[row[-1]])
            rows.append(row + [0] * (5 - len(row)))
        return ops.convert_to_tensor(np.array(rows, "int32")), ops.convert_to_tensor(len(rows))

    def compute_output_shape(self, input_shape):
        return (input_shape[0], 5), ()


class ChainSpec(Chain):
    def call(self, ids):
        return super().call(ids)[0]

    def compute_output_spec(self, ids):
        return keras.KerasTensor((ids.shape[0], 5), dtype="int32")


def test_compute_output_shape_declares_outputs_of_a_host_loop():
    inp = keras.Input((1,), dtype="int32")
    out, n = Chain()(inp)
    # Keras 3: declared shapes, every output in the layer's compute dtype.
    assert tuple(out.shape) == (None, 5) and out.dtype == torch.float32
    assert tuple(n.shape) == () and n.dtype == torch.float32
    model = keras.Model(inp, out)
    pred = model.predict(np.array([[5], [3]], "int32"), verbose=0)
    assert np.asarray(pred).tolist() == [[5, 7, 9, 0, 0], [3, 4, 0, 0, 0]]


def test_compute_output_spec_declares_outputs():
    inp = keras.Input((1,), dtype="int32")
    out = ChainSpec()(inp)
    assert tuple(out.shape) == (None, 5) and out.dtype == torch.int32
    model = keras.Model(inp, [out, keras.layers.Lambda(lambda t: t * 2)(out)])
    a, b = model.predict(np.array([[7]], "int32"), verbose=0)
    assert np.asarray(a).tolist() == [[7, 9, 0, 0, 0]]
    assert np.asarray(b).tolist() == [[14, 18, 0, 0, 0]]


def test_a_layer_declaring_nothing_still_raises_with_the_layer_named():
    class NoShape(keras.layers.Layer):
        def call(self, ids):
            return Chain().call(ids)[0]

    with pytest.raises(Exception, match="while calling layer 'no_shape_b4k3'"):
        NoShape(name="no_shape_b4k3")(keras.Input((1,), dtype="int32"))


def test_a_bad_declared_shape_names_the_layer():
    class BadShape(Chain):
        def compute_output_shape(self, input_shape):
            return "five"

    # The call's own error is raised; the declaration's problem is noted.
    with pytest.raises(Exception, match="while calling layer 'bad_shape_b4k3'") as info:
        BadShape(name="bad_shape_b4k3")(keras.Input((1,), dtype="int32"))
    notes = "\n".join(getattr(info.value, "__notes__", []))
    assert "BadShape.compute_output_shape returned 'five', which is no shape" in notes


def _context_decoder():
    # A decoder built for a context of exactly 4 steps (bert4keras3's cache decoder).
    ctx = keras.Input((4, 3), name="ctx")
    q = keras.Input((None, 3), name="q")
    att = keras.layers.Dot(axes=(2, 2))([q, ctx])
    return keras.Model([ctx, q], keras.layers.Dense(2, kernel_initializer="ones")(att))


def test_model_with_fixed_input_size_called_on_unknown_size():
    # Keras 2 and 3 take the unknown length as compatible with the Input's 4 (values from
    # tf_keras 2.21 and Keras 3.15, TF and torch backends: all give these).
    decoder = _context_decoder()
    enc_in = keras.Input((None, 3))
    enc = keras.layers.Dense(3, kernel_initializer="ones")(enc_in)
    q_in = keras.Input((None, 3))
    y = decoder([enc, q_in])
    assert tuple(y.shape) == (None, None, 2)
    model = keras.Model([enc_in, q_in], y)
    x1 = np.arange(24, dtype="float32").reshape(2, 4, 3) / 10
    pred = model.predict([x1, np.ones((2, 2, 3), "float32")], verbose=0)
    np.testing.assert_allclose(pred, [[[19.8, 19.8]] * 2, [[63.0, 63.0]] * 2], rtol=1e-6)


def test_model_with_fixed_input_size_still_refuses_another_known_size():
    decoder = _context_decoder()
    with pytest.raises(ValueError, match=r"Input 'ctx' of model .* expects shape \(None, 4, 3\)"):
        decoder([keras.Input((5, 3)), keras.Input((None, 3))])


class _MaskedMean(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, x, mask=None):
        if mask is None:
            return ops.mean(x, 1)
        m = ops.cast(mask, x.dtype)[..., None]
        return ops.sum(x * m, 1) / ops.sum(m, 1)

    def compute_mask(self, x, mask=None):
        return None


def test_model_with_fixed_input_size_gets_the_callers_mask():
    # Same numbers in tf_keras 2.21 and Keras 3.15 (TF and torch backends).
    ctx = keras.Input((4, 3))
    inner = keras.Model(ctx, _MaskedMean()(ctx))
    tok = keras.Input((None,), dtype="int32")
    embedding = keras.layers.Embedding(10, 3, mask_zero=True)
    x = keras.layers.Dense(3, kernel_initializer="identity")(embedding(tok))
    y = inner(x)
    assert tuple(y.shape) == (None, 3)
    model = keras.Model(tok, y)
    embedding.set_weights([np.arange(30, dtype="float32").reshape(10, 3)])
    pred = model.predict(np.array([[1, 2, 0, 0], [3, 4, 5, 6]]), verbose=0)
    np.testing.assert_allclose(pred, [[4.5, 5.5, 6.5], [13.5, 14.5, 15.5]], rtol=1e-6)
