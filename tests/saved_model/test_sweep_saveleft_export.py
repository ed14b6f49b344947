"""`Model.export` of two-input models holding a nested functional sub-model.

The closing notes of the 19th session reported this export failing in torch.export;
on the current tork it exports and reloads with the same outputs (checked here against
the model's own predictions, which the other tests check against TF). Keras 3 spells the
signature of a model taking one list (or dict) of inputs as one argument holding it,
`input_signature=[[spec_a, spec_b]]` (keras/src/export/export_utils.py wraps the
functional inputs structure in a one-element list): tork gave each spec's shape to
torch.rand and crashed.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras
L = keras.layers

A = np.linspace(-1.0, 1.0, 8, dtype="float32").reshape(2, 4)
B = np.linspace(0.5, -0.5, 8, dtype="float32").reshape(2, 4)


def _spec():
    return tf.TensorSpec((None, 4), tf.float32)


def _two_input_model():
    i = keras.Input((4,))
    sub = keras.Model(i, L.Dense(3)(i), name="sub")
    inp1, inp2 = keras.Input((4,)), keras.Input((4,))
    out = L.Dense(1)(L.Concatenate()([sub(inp1), sub(inp2)]))
    return keras.Model([inp1, inp2], out)


@pytest.mark.parametrize("signature", ["none", "flat", "keras3"])
def test_two_input_model_with_nested_submodel_exports(tmp_path, signature):
    m = _two_input_model()
    sig = {"none": None, "flat": [_spec(), _spec()], "keras3": [[_spec(), _spec()]]}[signature]
    m.export(str(tmp_path / "exp"), verbose=False, input_signature=sig)
    reloaded = tf.saved_model.load(str(tmp_path / "exp"))
    expected = m.predict([A, B], verbose=0)
    np.testing.assert_allclose(np.asarray(reloaded.serve([A, B])), expected, atol=1e-6)
    # The batch size stays free.
    three = [np.concatenate([A, A[:1]]), np.concatenate([B, B[:1]])]
    assert np.asarray(reloaded.serve(three)).shape == (3, 1)


def test_subclassed_two_input_model_keras3_signature(tmp_path):
    class TwoInputs(keras.Model):
        def __init__(self):
            super().__init__()
            self.sub = keras.Sequential([L.Dense(3)])
            self.head = L.Dense(1)

        def call(self, inputs):
            x1, x2 = inputs
            return self.head(tf.concat([self.sub(x1), self.sub(x2)], -1))

    m = TwoInputs()
    m([A, B])
    m.export(str(tmp_path / "exp"), verbose=False, input_signature=[[_spec(), _spec()]])
    reloaded = tf.saved_model.load(str(tmp_path / "exp"))
    expected = m.predict([A, B], verbose=0)
    np.testing.assert_allclose(np.asarray(reloaded.serve([A, B])), expected, atol=1e-6)


def test_dict_input_model_keras3_signature_and_bare_shape(tmp_path):
    p, q = keras.Input((4,), name="p"), keras.Input((4,), name="q")
    m = keras.Model({"p": p, "q": q}, L.Dense(1)(L.Add()([p, q])))
    m.export(str(tmp_path / "d"), verbose=False, input_signature=[{"p": _spec(), "q": _spec()}])
    reloaded = tf.saved_model.load(str(tmp_path / "d"))
    expected = m.predict({"p": A, "q": B}, verbose=0)
    np.testing.assert_allclose(np.asarray(reloaded.serve({"p": A, "q": B})), expected, atol=1e-6)
    # A one-input model's signature given as a bare shape is not unwrapped.
    s = keras.Sequential([L.Dense(2, input_shape=(4,))])
    s.export(str(tmp_path / "s"), verbose=False, input_signature=[(None, 4)])
    reloaded = tf.saved_model.load(str(tmp_path / "s"))
    np.testing.assert_allclose(np.asarray(reloaded.serve(A)), s.predict(A, verbose=0), atol=1e-6)
