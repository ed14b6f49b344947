"""Model rules as in tf_keras 2.21: Sequential dicts keyed by the Input's name, no autocast,
build() of a model built from its Input, nested Sequentials in model.build(), deepcopy."""

import numpy as np
import pytest

import tork as tf
from tork import keras


def test_data_keyed_by_the_inputs_name():
    model = keras.Sequential(
        [keras.Input(shape=(2,), name="input-features"), keras.layers.Dense(1)]
    )
    model.layers[0].set_weights([np.ones((2, 1), np.float32), np.zeros(1, np.float32)])
    x = np.array([[1.0, 2.0], [3.0, 4.0]], np.float32)
    np.testing.assert_allclose(model({"input-features": x}).numpy().ravel(), [3.0, 7.0])
    model.compile("sgd", "mse")
    logs = model.fit({"input-features": x}, np.zeros((2, 1)), verbose=0, epochs=1)
    assert logs.history["loss"][0] == pytest.approx((9.0 + 49.0) / 2)
    with pytest.raises(
        ValueError,
        match=r'Missing data for input "input-features"\. You passed a data dictionary with '
        r"keys \['other'\]\. Expected the following keys: \['input-features'\]",
    ):
        model({"other": x})


def test_sequential_does_not_autocast_float_ids_under_mixed_precision():
    # float16 rounds 4999 to 5000: the Embedding must get the float32 ids (tf_keras does).
    keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        model = keras.Sequential([keras.layers.Embedding(5000, 2, input_shape=(1,))])
        table = model.layers[0].embeddings.numpy()
        out = model(np.array([[4999.0]]))
    finally:
        keras.mixed_precision.set_global_policy("float32")
    np.testing.assert_allclose(out.numpy()[0, 0], table[4999].astype(np.float16))


def test_build_with_another_shape_keeps_the_graph_of_the_input():
    model = keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            keras.layers.Conv2D(2, 3),
            keras.layers.Flatten(),
            keras.layers.Dense(1),
        ]
    )
    model.build((None, 784))  # Keras 2 ignores it
    assert model.built
    assert model.output_shape == (None, 1)
    assert model.layers[0].output_shape == (None, 26, 26, 2)


def test_nested_sequential_built_by_a_subclassed_models_build_has_batch_none():
    class Outer(keras.Model):
        def __init__(self):
            super().__init__()
            self.inner = keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(3)])
            self.head = keras.layers.Dense(2)

        def call(self, x):
            return self.head(self.inner(x))

    model = Outer()
    model.build((None, 5))
    assert model.inner.output_shape == (None, 3)
    assert model.inner.layers[0].output_shape == (None, 4)
    assert tuple(model(tf.ones((7, 5))).shape) == (7, 2)


def test_deepcopy_of_a_deep_functional_model():
    # About a dozen frames per layer: 150 chained layers pass Python's default limit.
    import copy

    x = inputs = keras.Input((4,))
    for _ in range(150):
        x = keras.layers.Dense(4)(x)
    model = keras.Model(inputs, x)
    clone = copy.deepcopy(model)
    data = np.random.default_rng(0).normal(size=(2, 4)).astype(np.float32)
    np.testing.assert_allclose(clone(data).numpy(), model(data).numpy(), rtol=1e-6)
    assert clone.layers[1].kernel is not model.layers[1].kernel


def test_sequential_refuses_data_of_a_higher_rank_than_declared():
    # tf_keras raises (expected shape=(None, 8), found shape=(4, 1, 8)); Dense would give
    # (4, 1, 2), which a loss may broadcast against (4,) labels.
    model = keras.Sequential([keras.layers.Dense(2, input_dim=8)], name="seq8")
    with pytest.raises(
        ValueError,
        match=r"Sequential model 'seq8' expects inputs of shape \(None, 8\) \(None = any "
        r"size\), but received shape \(4, 1, 8\).*a Flatten or Reshape layer may be missing",
    ):
        model(np.ones((4, 1, 8), np.float32))
    assert tuple(model(np.ones((4, 8), np.float32)).shape) == (4, 2)
