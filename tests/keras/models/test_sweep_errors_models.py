"""Model-level errors for common mistakes (sweep 'errors')."""

import numpy as np
import pytest

from tork import keras


class _Pair(keras.layers.Layer):
    def call(self, x):
        return x, x


def test_sequential_layer_with_two_outputs():
    with pytest.raises(
        ValueError,
        match=r"All layers in a Sequential model should have a single output tensor\. Layer "
        r"'pair' of Sequential model 'seq' returned 2 outputs \(a tuple\), which layer 'head' "
        r"cannot take\. For multi-output layers, use the functional API",
    ):
        keras.Sequential(
            [keras.Input((3,)), _Pair(name="pair"), keras.layers.Dense(2, name="head")],
            name="seq",
        )


def test_sequential_layer_with_two_outputs_eager_call():
    model = keras.Sequential([_Pair(name="pair2"), keras.layers.Dense(2, name="head2")])
    with pytest.raises(ValueError, match=r"Layer 'pair2'.*returned 2 outputs"):
        model(np.zeros((4, 3), "float32"))


def test_sequential_two_outputs_into_merge_layer_still_works():
    model = keras.Sequential([keras.Input((3,)), _Pair(), keras.layers.Add()])
    out = model(np.ones((2, 3), "float32"))
    np.testing.assert_allclose(np.asarray(out), np.full((2, 3), 2.0))


def test_sequential_given_a_dict():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)], name="seqd")
    model.compile("sgd", "mse")
    with pytest.raises(
        ValueError,
        match=r"Missing data for input \"input_\d+\"\. You passed a data dictionary with keys "
        r"\['x'\].*takes a single input: pass the array itself, or key it by its keras.Input",
    ):
        model.fit({"x": np.zeros((4, 3), "float32")}, np.zeros((4, 1), "float32"), verbose=0)
