"""Keras 2's `model.add_loss` / `model.add_metric` on a functional model's tensors.

Expected values are NumPy formulas, or the outputs of tf_keras 2.21 (Keras 2) on the same
weights and data, held here as constants.
"""

import json
import pathlib

import h5py
import numpy as np
import pytest

import tork as tf
from tork import keras
from tork.keras import backend as K

W = np.array([[0.5, -1.0], [0.25, 0.75], [-0.5, 1.5]], "float32")
B = np.array([0.1, -0.2], "float32")
X = np.array([[0.1, 0.9, 0.4], [0.7, 0.2, 0.5], [0.3, 0.6, 0.8], [0.9, 0.1, 0.2]], "float32")

# tf_keras 2.21 on the model of `keras2_add_loss_model.json` with W, B and X: `model.losses`
# after a call, and `evaluate` ([loss, mean_out]).
TF_LOSS = 0.8652224540710449
TF_EVALUATE = [0.8652224540710449, 0.566787600517273]

TF_SUMMARY_LINES = [
    'Model: "m"',
    "__________________________________________________________________________________________________",
    " Layer (type)                Output Shape                 Param #   Connected to                  ",
    "==================================================================================================",
    " x (InputLayer)              [(None, 3)]                  0         []                            ",
    "                                                                                                  ",
    " dec (Dense)                 (None, 2)                    8         ['x[0][0]']                   ",
    "                                                                                                  ",
    " tf.math.square (TFOpLambda  (None, 2)                    0         ['dec[0][0]']                 ",
    " )                                                                                                ",
    "                                                                                                  ",
    " tf.math.reduce_mean (TFOpL  ()                           0         ['tf.math.square[0][0]']      ",
    " ambda)                                                                                           ",
    "                                                                                                  ",
    " add_loss (AddLoss)          ()                           0         ['tf.math.reduce_mean[0][0]'] ",
    "                                                                                                  ",
    " tf.math.reduce_max (TFOpLa  ()                           0         ['dec[0][0]']                 ",
    " mbda)                                                                                            ",
    "                                                                                                  ",
    " add_metric (AddMetric)      ()                           0         ['tf.math.reduce_max[0][0]']  ",
    "                                                                                                  ",
    "==================================================================================================",
    "Total params: 8 (32.00 Byte)",
    "Trainable params: 8 (32.00 Byte)",
    "Non-trainable params: 0 (0.00 Byte)",
    "__________________________________________________________________________________________________",
]


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _numpy_loss_and_metric(x):
    """The loss and metric of `_vae_like` (and of the tf_keras model in the JSON file)."""
    out = _sigmoid(x @ W + B)
    eps = 1e-7
    p = np.clip(out, eps, 1 - eps)
    target = x[:, :2]
    rec = -(target * np.log(p) + (1 - target) * np.log(1 - p)).mean(axis=-1)
    extra = (1 + out - out**2).sum(axis=-1)
    return float((rec + 0.1 * extra).mean()), float(out.mean())


def _vae_like():
    inp = keras.Input(shape=(3,), name="x")
    out = keras.layers.Dense(2, activation="sigmoid", name="dec")(inp)
    rec = keras.losses.binary_crossentropy(inp[:, :2], out)
    extra = K.sum(1 + out - K.square(out), axis=-1)
    model = keras.Model(inp, out, name="m")
    model.add_loss(K.mean(rec + 0.1 * extra))
    model.add_metric(K.mean(out), name="mean_out", aggregation="mean")
    model.get_layer("dec").set_weights([W, B])
    return model


def test_symbolic_loss_and_metric_run_at_every_call():
    model = _vae_like()
    # Besides these, model.layers holds the op layers (TFOpLambda) of the ops, as in Keras 2.
    assert [
        type(layer).__name__ for layer in model.layers if "OpLambda" not in type(layer).__name__
    ] == [
        "InputLayer",
        "Dense",
        "AddLoss",
        "AddMetric",
    ]
    loss, metric = _numpy_loss_and_metric(X)
    model(X)
    assert len(model.losses) == 1
    np.testing.assert_allclose(float(model.losses[0]), loss, rtol=1e-5)
    np.testing.assert_allclose(loss, TF_LOSS, rtol=1e-5)  # the formula is tf_keras's
    model(X[:2])  # the losses are those of the last call
    np.testing.assert_allclose(float(model.losses[0]), _numpy_loss_and_metric(X[:2])[0], rtol=1e-5)


def test_compile_without_loss_logs_the_added_loss_and_metric():
    model = _vae_like()
    model.compile(optimizer="sgd")
    result = model.evaluate(X, batch_size=4, verbose=0)
    np.testing.assert_allclose(result, TF_EVALUATE, rtol=1e-5)
    assert model.metrics_names == ["loss", "mean_out"]
    history = model.fit(X, epochs=3, batch_size=4, verbose=0)
    assert sorted(history.history) == ["loss", "mean_out"]
    losses = history.history["loss"]
    np.testing.assert_allclose(losses[0], TF_LOSS, rtol=1e-5)
    assert losses[2] < losses[0]  # the added loss is what the optimizer minimizes


def test_added_loss_adds_to_a_compiled_loss():
    inp = keras.Input(shape=(3,))
    out = keras.layers.Dense(2, name="d")(inp)
    model = keras.Model(inp, out)
    model.add_loss(0.5 * tf.reduce_mean(tf.square(out)))
    model.get_layer("d").set_weights([W, B])
    model.compile(optimizer="sgd", loss="mse")
    y = np.ones((4, 2), "float32")
    pred = X @ W + B
    expected = ((pred - y) ** 2).mean() + 0.5 * (pred**2).mean()
    np.testing.assert_allclose(model.evaluate(X, y, verbose=0), expected, rtol=1e-5)


def test_summary_lists_the_branches_as_tf_keras(capsys):
    keras.backend.clear_session()  # automatic names count from zero, as in a new TF process
    inp = keras.Input(shape=(3,), name="x")
    out = keras.layers.Dense(2, name="dec")(inp)
    model = keras.Model(inp, out, name="m")
    model.add_loss(tf.reduce_mean(tf.square(out)))
    model.add_metric(tf.reduce_max(out), name="peak")
    model.summary()
    assert capsys.readouterr().out.split("\n")[:-1] == TF_SUMMARY_LINES


def test_layers_only_used_by_the_loss_are_trained():
    # Seeded: about one random start in twenty begins near the optimum (a flaky ratio).
    keras.utils.set_random_seed(0)
    inp = keras.Input(shape=(3,))
    out = keras.layers.Dense(2, name="head")(inp)
    side = keras.layers.Dense(1, name="side")(inp)
    model = keras.Model(inp, out)
    model.add_loss(tf.reduce_mean(tf.square(side - 1.0)))
    assert "side" in [layer.name for layer in model.layers]
    assert len(model.trainable_weights) == 4
    model.compile(optimizer=keras.optimizers.SGD(0.1))
    with pytest.warns(UserWarning, match="Gradients do not exist for variables"):
        history = model.fit(X, epochs=20, batch_size=4, verbose=0)  # `head` gets no gradient
    assert history.history["loss"][-1] < 0.3 * history.history["loss"][0]


def test_config_save_and_clone_keep_the_branches(tmp_path):
    model = _vae_like()
    loss, metric = _numpy_loss_and_metric(X)
    rebuilt = keras.Model.from_config(model.get_config())
    rebuilt.set_weights(model.get_weights())
    copies = [rebuilt, keras.models.clone_model(model)]
    copies[1].set_weights(model.get_weights())
    for suffix in (".keras", ".h5"):
        path = tmp_path / f"m{suffix}"
        model.save(path)
        copies.append(keras.models.load_model(path))
    for copy in copies:
        kinds = [type(layer).__name__ for layer in copy.layers]
        # As tf_keras 2.21 lists them: the metric's op comes between the AddLoss and AddMetric.
        assert kinds[-3:] == ["AddLoss", "TFOpLambda", "AddMetric"]
        copy.compile(optimizer="sgd")
        np.testing.assert_allclose(copy.evaluate(X, verbose=0), [loss, metric], rtol=1e-5)


def test_keras2_h5_with_add_loss_and_tf_op_layers_loads(tmp_path):
    # The config tf_keras 2.21 wrote for the `_vae_like` model: TFOpLambda layers (with a
    # constant first argument, `_CONSTANT_VALUE`, and tf.convert_to_tensor from the loss
    # function), SlicingOpLambda, AddLoss and AddMetric.
    config = json.loads((pathlib.Path(__file__).parent / "keras2_add_loss_model.json").read_text())
    path = tmp_path / "keras2.h5"
    with h5py.File(path, "w") as f:
        f.attrs["model_config"] = json.dumps({"class_name": "Functional", "config": config})
        weights = f.create_group("model_weights")
        weights.attrs["layer_names"] = np.array([b"x", b"dec"])
        weights.attrs["backend"] = b"tensorflow"
        weights.attrs["keras_version"] = b"2.21.0"
        weights.create_group("x").attrs["weight_names"] = np.array([], dtype=np.float64)
        dec = weights.create_group("dec")
        dec.attrs["weight_names"] = np.array([b"dec/kernel:0", b"dec/bias:0"])
        dec.create_dataset("dec/kernel:0", data=W)
        dec.create_dataset("dec/bias:0", data=B)
    model = keras.models.load_model(path)
    model(X)
    np.testing.assert_allclose(float(model.losses[0]), TF_LOSS, rtol=1e-5)
    model.compile(optimizer="sgd")
    np.testing.assert_allclose(model.evaluate(X, verbose=0), TF_EVALUATE, rtol=1e-5)


def test_loss_from_another_input_is_refused():
    a = keras.Input(shape=(3,), name="a")
    b = keras.Input(shape=(3,), name="b")
    model = keras.Model(a, keras.layers.Dense(2)(a))
    with pytest.raises(
        ValueError,
        match=r"model.add_loss\(\) on model .* computed from the model's inputs only.*Graph disconnected",
    ):
        model.add_loss(tf.reduce_mean(b))


def test_symbolic_loss_on_a_plain_layer_is_refused():
    inp = keras.Input(shape=(3,))
    layer = keras.layers.Dense(2, name="plain")
    out = layer(inp)
    with pytest.raises(
        ValueError,
        match=r"Dense layer 'plain'.add_loss\(\) received a symbolic tensor.*Only a functional model",
    ):
        layer.add_loss(tf.reduce_mean(out))
    with pytest.raises(ValueError, match=r"add_metric\(\) received a symbolic tensor"):
        layer.add_metric(tf.reduce_mean(out), name="m")


def test_keras2_inputs_keyword_is_accepted():
    class Penalty(keras.layers.Layer):
        def call(self, x):
            self.add_loss(tf.reduce_sum(x), inputs=True)  # Keras 2's old signature
            return x

    layer = Penalty()
    layer(np.ones((2, 3), "float32"))
    np.testing.assert_allclose(float(layer.losses[0]), 6.0)
    with pytest.raises(
        TypeError, match=r"add_loss\(\) got unexpected keyword arguments \['weight'\]"
    ):
        layer.add_loss(1.0, weight=2)


def test_several_added_losses_and_metrics_get_their_own_layers():
    keras.backend.clear_session()  # automatic names count from zero, as in a new TF process
    inp = keras.Input((3,))
    hidden = keras.layers.Dense(2, kernel_initializer="ones", name="h")(inp)
    out = keras.layers.Dense(1, kernel_initializer="ones", name="o")(hidden)
    model = keras.Model(inp, out)
    model.add_loss(tf.reduce_mean(hidden))
    model.add_loss(tf.reduce_mean(out))
    model.add_metric(tf.reduce_max(hidden), name="peak_h")
    model.add_metric(tf.reduce_max(out), name="peak_o")
    # tf_keras 2.21's model.layers[3:]: each branch's op layer, then its AddLoss/AddMetric.
    names = [(layer.name, type(layer).__name__) for layer in model.layers[3:]]
    assert names == [
        ("tf.math.reduce_mean", "TFOpLambda"),
        ("add_loss", "AddLoss"),
        ("tf.math.reduce_mean_1", "TFOpLambda"),
        ("add_loss_1", "AddLoss"),
        ("tf.math.reduce_max", "TFOpLambda"),
        ("add_metric", "AddMetric"),
        ("tf.math.reduce_max_1", "TFOpLambda"),
        ("add_metric_1", "AddMetric"),
    ]
    assert len({layer.name for layer in model.layers}) == len(model.layers)
    model.compile(optimizer="sgd")
    x = np.ones((2, 3), "float32")  # hidden = 3 per unit, out = 6
    logs = model.evaluate(x, verbose=0, return_dict=True)
    assert logs == pytest.approx({"loss": 3.0 + 6.0, "peak_h": 3.0, "peak_o": 6.0})


def test_loss_in_call_from_captured_functional_tensors_says_to_pass_them_as_inputs():
    inp = keras.Input((4,))
    z_mean = keras.layers.Dense(2)(inp)
    decoded = keras.layers.Dense(4)(z_mean)

    class OldVaeLayer(keras.layers.Layer):  # Keras 2's example read the outer z_mean
        def call(self, inputs):
            x, x_decoded = inputs
            self.add_loss(K.mean(K.square(x - x_decoded)) + K.mean(K.square(z_mean)))
            return x

    # The loss mixes the call's own tensors with the captured z_mean: the op doing so
    # names the layer and the captured tensor (tf_keras builds it and fails in fit).
    with pytest.raises(
        TypeError,
        match=r"Layer 'old_vae_layer' \(OldVaeLayer\) uses the output of layer 'dense(_\d+)?' "
        r"of shape \(None, 2\), which is not one of its inputs.*Pass it as an input",
    ):
        OldVaeLayer(name="old_vae_layer")([inp, decoded])
