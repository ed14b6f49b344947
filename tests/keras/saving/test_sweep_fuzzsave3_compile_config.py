"""A user's Loss subclass in a `.keras` compile config: Keras 3 rejects `reduction: 'auto'`.

`super().get_config()` of a Loss gives Keras 2's `reduction: 'auto'` (tf_keras writes it too).
Keras 3.15 failed loading tork's archive with "Invalid value for argument `reduction`.
Expected one of {... 'sum_over_batch_size' ...}. Received: reduction=auto"; with
'sum_over_batch_size' (what 'auto' means in both Kerases) Keras 3 and tf_keras 2.21 load it
and train on (checked with /tmp/fuzzsave3 side.py / tryload3.py, model dict_io_custom_loss).
"""

import json
import zipfile

import numpy as np

from tork import keras


@keras.saving.register_keras_serializable(package="fuzzsave3")
class ScaledMSE(keras.losses.Loss):
    def __init__(self, factor=2.0, name="scaled_mse", **kwargs):
        super().__init__(name=name, **kwargs)
        self.factor = factor

    def call(self, y_true, y_pred):
        return self.factor * keras.ops.mean(keras.ops.square(y_true - y_pred), axis=-1)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


def test_custom_loss_reduction_is_keras3_spelling(tmp_path):
    inputs = keras.Input((3,), name="x")
    model = keras.Model(inputs, keras.layers.Dense(1, name="o")(inputs))
    model.layers[1].set_weights([np.array([[0.5], [-0.25], [1.0]], "float32"), np.zeros(1, "f")])
    model.compile("sgd", loss=ScaledMSE(3.0))
    assert model.loss.get_config()["reduction"] == "auto"  # tf_keras's get_config value
    path = tmp_path / "m.keras"
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        loss = json.loads(archive.read("config.json"))["compile_config"]["loss"]
    assert loss["registered_name"] == "fuzzsave3>ScaledMSE"
    assert loss["config"]["reduction"] == "sum_over_batch_size"
    assert loss["config"]["factor"] == 3.0
    loaded = keras.models.load_model(path)
    x = np.array([[1.0, 2.0, 3.0], [-1.0, 0.0, 1.0]], "float32")
    y = np.array([[1.0], [0.0]], "float32")
    pred = x @ np.array([[0.5], [-0.25], [1.0]], "float32")
    expected = 3.0 * np.mean((y - pred) ** 2)  # sum_over_batch_size of per-sample losses
    np.testing.assert_allclose(loaded.evaluate(x, y, verbose=0), expected, rtol=1e-6)
