"""LinearModel's `dense_layers` and WideDeepModel's attributes as in tf_keras 2.21.

Expected values printed by tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) on the same calls:
LinearModel builds one Dense (no bias) per input, named by the dict keys for dict inputs,
whose kernels are `linear_model/kernel:0`; `model.layers` lists them. tork kept bare
kernels (no `dense_layers`, `model.layers == []`).
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras


def test_dense_layers_single_input():
    lm = keras.experimental.LinearModel(units=2, name="eng_lm")
    with pytest.raises(AttributeError, match="dense_layers"):
        _ = lm.dense_layers
    lm(np.ones((4, 3), "float32"))
    (dense,) = lm.dense_layers
    assert isinstance(dense, keras.layers.Dense)
    assert (dense.units, dense.use_bias, tuple(dense.kernel.shape)) == (2, False, (3, 2))
    assert lm.layers == [dense]
    assert [w.name for w in lm.weights] == ["eng_lm/kernel:0", "eng_lm/bias:0"]
    assert type(dense.kernel_initializer).__name__ == "Zeros"


def test_dense_layers_list_and_dict_inputs():
    lm = keras.experimental.LinearModel(units=1, name="eng_lm2", kernel_initializer="ones")
    lm([np.ones((4, 3), "float32"), np.ones((4, 2), "float32")])
    shapes = [tuple(layer.kernel.shape) for layer in lm.dense_layers]
    assert shapes == [(3, 1), (2, 1)]
    assert [w.name for w in lm.weights] == ["eng_lm2/kernel:0"] * 2 + ["eng_lm2/bias:0"]
    lm3 = keras.experimental.LinearModel(units=1, kernel_initializer="ones")
    out = lm3({"b": np.ones((2, 2), "float32"), "a": np.full((2, 3), 2.0, "float32")})
    assert [layer.name for layer in lm3.dense_layers] == ["a", "b"]  # sorted keys
    np.testing.assert_allclose(np.asarray(out), [[8.0], [8.0]])  # 3*2 + 2*1 + bias 0


def test_weights_interchange_with_keras2_order():
    # tf_keras: set_weights([kernel_a (3, 2), kernel_b (2, 2), bias]) on this model gives
    # [[3.5, 2.8], [5.3, 5.5]] for these inputs.
    lm = keras.experimental.LinearModel(units=2)
    x = {"a": np.arange(6, dtype="float32").reshape(2, 3), "b": np.ones((2, 2), "float32")}
    lm(x)
    lm.set_weights(
        [
            np.arange(6, dtype="float32").reshape(3, 2) / 10,
            np.ones((2, 2), "float32"),
            np.array([0.5, -0.5], "float32"),
        ]
    )
    np.testing.assert_allclose(np.asarray(lm(x)), [[3.5, 2.8], [5.3, 5.5]], rtol=1e-6)


def test_wide_deep_attributes():
    lin = keras.experimental.LinearModel()
    dnn = keras.Sequential([keras.layers.Dense(1)])
    wd = keras.experimental.WideDeepModel(lin, dnn, activation="sigmoid")
    assert wd.linear_model is lin and wd.dnn_model is dnn
    assert wd.activation.__name__ == "sigmoid"
    wd([np.ones((4, 3), "float32"), np.ones((4, 5), "float32")])
    assert wd.layers == [lin, dnn]
    assert sorted(wd.get_config()) == [
        "activation",
        "dnn_model",
        "dtype",
        "linear_model",
        "name",
        "trainable",
    ]
