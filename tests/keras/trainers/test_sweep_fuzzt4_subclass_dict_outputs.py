"""Subclassed models whose `call` returns a dict (fuzzt4).

Keras 2 names such a model's outputs by the dict's keys (sorted): compile's loss,
loss_weights and metrics dicts and fit's `y` dict match them by key, and the logs read
`<key>_loss`, `<key>_<metric>`. Expected numbers come from tf_keras 2.21
(TF_USE_LEGACY_KERAS=1, CPU) running the same code (/tmp/fuzzt4/chk_subdict*.py).
"""

import numpy as np
import pytest

from tork import keras

X = (np.arange(18, dtype="float32").reshape(6, 3) - 8) / 10.0
YR = np.linspace(-1, 1, 6, dtype="float32").reshape(6, 1)
YC = np.array([0, 2, 1, 1, 0, 2])


class _TwoHeads(keras.Model):
    def __init__(self):
        super().__init__()
        self.a = keras.layers.Dense(1, kernel_initializer="ones")
        self.b = keras.layers.Dense(3, activation="softmax", kernel_initializer="ones")
        self.h = keras.layers.Dense(
            2,
            kernel_initializer=keras.initializers.Constant([[0.5, -0.5], [0.25, 0.1], [-0.3, 0.2]]),
        )

    def call(self, inputs):
        z = self.h(inputs)
        return {"reg": self.a(z), "cls": self.b(z * z)}


def _rounded(history):
    return {k: [round(float(v), 6) for v in vs] for k, vs in history.items()}


@pytest.mark.parametrize("call_first", [True, False])
def test_dict_losses_metrics_and_weights_by_key(call_first):
    model = _TwoHeads()
    if call_first:
        model(X[:1])
    model.compile(
        keras.optimizers.SGD(0.1),
        {"reg": "mse", "cls": "sparse_categorical_crossentropy"},
        metrics={"reg": "mae", "cls": "accuracy"},
        loss_weights={"reg": 0.3, "cls": 1.0},
    )
    y = {"reg": YR, "cls": YC}
    h = model.fit(X, y, batch_size=4, epochs=2, verbose=0, shuffle=False)
    expected = {
        "cls_accuracy": [0.166667, 0.333333],
        "cls_loss": [1.101411, 1.1014],
        "loss": [1.194817, 1.159468],
        "reg_loss": [0.311354, 0.193561],
        "reg_mae": [0.490938, 0.382395],
    }
    got = _rounded(h.history)
    assert set(got) == set(expected)
    for key, values in expected.items():
        np.testing.assert_allclose(got[key], values, atol=2e-6)
    assert model.metrics_names == ["loss", "cls_loss", "reg_loss", "cls_accuracy", "reg_mae"]
    np.testing.assert_allclose(
        model.evaluate(X, y, verbose=0),
        [1.135116, 1.098445, 0.122236, 0.333333, 0.295292],
        atol=2e-6,
    )
    np.testing.assert_allclose(model.a.get_weights()[0], [[1.03233], [0.99205]], atol=1e-5)


def test_partial_dict_loss_trains_only_that_output():
    model = _TwoHeads()
    model(X[:1])
    model.compile(
        keras.optimizers.SGD(0.1),
        {"cls": "sparse_categorical_crossentropy"},
        metrics={"cls": "accuracy"},
    )
    with pytest.warns(UserWarning, match="Gradients do not exist"):
        h = model.fit(X, {"reg": YR, "cls": YC}, batch_size=4, epochs=2, verbose=0, shuffle=False)
    got = _rounded(h.history)
    assert set(got) == {"loss", "cls_loss", "cls_accuracy"}
    np.testing.assert_allclose(got["loss"], [1.10141, 1.101453], atol=2e-6)
    np.testing.assert_allclose(got["cls_accuracy"], [0.166667, 0.333333], atol=2e-6)
    assert model.metrics_names == ["loss", "cls_loss", "cls_accuracy"]
    np.testing.assert_allclose(model.a.get_weights()[0], [[1.0], [1.0]])


class _OneHead(keras.Model):
    def __init__(self):
        super().__init__()
        self.a = keras.layers.Dense(1, kernel_initializer="ones")

    def call(self, inputs):
        return {"reg": self.a(inputs)}


@pytest.mark.parametrize("kind", ["dict_loss", "dict_y"])
def test_single_dict_output(kind):
    model = _OneHead()
    if kind == "dict_loss":
        model.compile(keras.optimizers.SGD(0.1), {"reg": "mse"}, metrics={"reg": "mae"})
    else:
        model.compile(keras.optimizers.SGD(0.1), "mse", metrics=["mae"])
    h = model.fit(X, {"reg": YR}, batch_size=4, epochs=2, verbose=0, shuffle=False)
    got = _rounded(h.history)
    # tf_keras 2.21: one output, so no `reg_` prefix.
    assert set(got) == {"loss", "mae"}
    np.testing.assert_allclose(got["loss"], [0.720689, 0.283876], atol=2e-6)
    np.testing.assert_allclose(got["mae"], [0.73805, 0.468242], atol=2e-6)
    assert model.metrics_names == ["loss", "mae"]
