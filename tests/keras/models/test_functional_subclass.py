"""A `keras.Model` subclass built like a functional model: `CustomModel(inputs, outputs)`.

The pattern of Keras's "Customizing what happens in fit()" guide: the subclass only
overrides `train_step` (or `test_step`) and is constructed from `keras.Input` tensors.
"""

from __future__ import annotations

import numpy as np

import tork as tf
from tork import keras


class CustomModel(keras.Model):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.steps_seen = 0

    def train_step(self, data):
        x, y = data
        self.steps_seen += 1
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = tf.reduce_mean(tf.square(y_pred - y))
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        return {"loss": loss}


class NoInit(keras.Model):
    def test_step(self, data):
        return {"answer": tf.constant(42.0)}


def test_subclass_built_from_inputs_and_outputs_uses_its_train_step():
    inputs = keras.Input(shape=(3,))
    outputs = keras.layers.Dense(1, kernel_initializer="zeros")(inputs)
    model = CustomModel(inputs, outputs)
    assert isinstance(model, CustomModel) and isinstance(model, keras.Model)
    assert type(model).__name__ == "CustomModel"
    assert model.name.startswith("custom_model")
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 3)).astype("float32")
    y = (x @ np.array([[1.0], [-1.0], [0.5]])).astype("float32")
    model.compile(optimizer=keras.optimizers.SGD(0.1))
    history = model.fit(x, y, batch_size=64, epochs=40, verbose=0)
    assert model.steps_seen == 40
    assert history.history["loss"][-1] < 0.01 * history.history["loss"][0]
    # The functional graph is there too: layers, summary and shapes.
    assert [type(layer).__name__ for layer in model.layers] == ["InputLayer", "Dense"]
    np.testing.assert_allclose(
        model.predict(x[:4], verbose=0),
        x[:4] @ model.get_weights()[0] + model.get_weights()[1],
        rtol=1e-5,
        atol=1e-6,
    )


def test_subclass_without_init_and_keyword_arguments():
    inputs = keras.Input(shape=(2,))
    model = NoInit(inputs=inputs, outputs=keras.layers.Dense(2)(inputs), name="mine")
    assert model.name == "mine"
    model.compile(loss="mse")
    logs = model.evaluate(np.ones((4, 2)), np.ones((4, 2)), verbose=0, return_dict=True)
    assert logs == {"answer": 42.0}


def test_subclass_taking_two_positional_arguments_stays_a_subclassed_model():
    class Two(keras.Model):
        def __init__(self, units, classes):
            super().__init__()
            self.hidden = keras.layers.Dense(units)
            self.out = keras.layers.Dense(classes)

        def call(self, x):
            return self.out(self.hidden(x))

    model = Two(4, 3)
    assert model(np.ones((2, 5), "float32")).shape == (2, 3)
    from tork.keras.models.functional.functional import Functional

    assert not isinstance(model, Functional)


def test_subclass_built_from_inputs_and_outputs_saves_and_loads(tmp_path):
    inputs = keras.Input(shape=(3,))
    model = CustomModel(inputs, keras.layers.Dense(2)(inputs))
    x = np.random.default_rng(1).normal(size=(5, 3)).astype("float32")
    path = str(tmp_path / "custom.keras")
    model.save(path)
    restored = keras.models.load_model(path, custom_objects={"CustomModel": CustomModel})
    assert isinstance(restored, CustomModel) and restored.steps_seen == 0
    np.testing.assert_array_equal(restored.predict(x, verbose=0), model.predict(x, verbose=0))
