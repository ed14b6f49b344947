"""Keras 3's Model.get_state_tree/set_state_tree and hand-made KerasTensor specs."""

import numpy as np
import pytest
import torch

from tork import keras

layers = keras.layers


def _model():
    inp = keras.Input((3,), name="x")
    h = layers.Dense(2, name="d1")(inp)
    h = layers.BatchNormalization(name="bn")(h)
    out = layers.Dense(1, name="d2")(h)
    m = keras.Model(inp, out)
    m.compile(optimizer=keras.optimizers.SGD(0.1, momentum=0.9), loss="mse", metrics=["mae"])
    x = np.arange(12, dtype="float32").reshape(4, 3)
    m.fit(x, np.ones((4, 1), "float32"), epochs=1, verbose=0, batch_size=4)
    return m


def _leaves(tree, prefix=""):
    out = {}
    for k, v in tree.items():
        if isinstance(v, dict):
            out.update(_leaves(v, f"{prefix}{k}/"))
        else:
            out[prefix + k] = v
    return out


def test_get_state_tree_groups_and_paths():
    m = _model()
    tree = m.get_state_tree()
    assert sorted(tree) == [
        "metrics_variables",
        "non_trainable_variables",
        "optimizer_variables",
        "trainable_variables",
    ]
    # Paths as Keras 3.15 writes them for this model (metric named as compiled: "mae").
    assert sorted(_leaves(tree["trainable_variables"])) == [
        "bn/beta",
        "bn/gamma",
        "d1/bias",
        "d1/kernel",
        "d2/bias",
        "d2/kernel",
    ]
    assert sorted(_leaves(tree["non_trainable_variables"])) == [
        "bn/moving_mean",
        "bn/moving_variance",
    ]
    (opt_name,) = tree["optimizer_variables"]
    opt = tree["optimizer_variables"][opt_name]
    assert opt_name == "SGD"  # the optimizer's name: Keras 2 names it after its class
    assert tuple(opt["d1_kernel_momentum"].shape) == (3, 2)
    assert float(opt["iteration"]) == 1.0
    assert sorted(_leaves(tree["metrics_variables"])) == [
        "loss/count",
        "loss/total",
        "mae/count",
        "mae/total",
    ]
    kernel = tree["trainable_variables"]["d1"]["kernel"]
    assert isinstance(kernel, torch.Tensor)
    np.testing.assert_allclose(kernel.numpy(), m.get_layer("d1").get_weights()[0])
    np_tree = m.get_state_tree(value_format="numpy_array")
    assert isinstance(np_tree["trainable_variables"]["d1"]["kernel"], np.ndarray)
    with pytest.raises(ValueError, match="Invalid `value_format` argument"):
        m.get_state_tree(value_format="list")


def test_set_state_tree_assigns_by_path():
    m = _model()
    tree = m.get_state_tree(value_format="numpy_array")
    tree["trainable_variables"]["d1"]["kernel"] = np.full((3, 2), 0.5, "float32")
    tree["non_trainable_variables"]["bn"]["moving_mean"] = np.array([1.0, 2.0], "float32")
    (opt_name,) = tree["optimizer_variables"]  # "sgd", "sgd_1"... (unique per session)
    tree["optimizer_variables"][opt_name]["iteration"] = np.array(7)
    m.set_state_tree(tree)
    np.testing.assert_allclose(m.get_layer("d1").kernel.numpy(), np.full((3, 2), 0.5))
    np.testing.assert_allclose(m.get_layer("bn").moving_mean.numpy(), [1.0, 2.0])
    assert int(m.optimizer.iterations.numpy()) == 7
    assert len(m.metrics_variables) == 4
    with pytest.raises(ValueError, match="Unknown variable name: weights"):
        m.set_state_tree({"weights": {}})


def test_keras_tensor_accepts_dtype_names():
    kt = keras.KerasTensor((None, 4), dtype="int32")
    assert kt.dtype == torch.int32 and tuple(kt.shape) == (None, 4)
    assert keras.KerasTensor((2,), dtype=None).dtype == torch.float32
    out = keras.ops.take_along_axis(
        keras.KerasTensor((None, 3)), keras.KerasTensor((None, 2), dtype="int32"), axis=1
    )
    assert tuple(out.shape) == (None, 2)
