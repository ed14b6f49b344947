"""Subclassed, Sequential and functional models: building, equivalence, errors."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import tork as tf
from tork import keras


def _weights(seed=0):
    rng = np.random.default_rng(seed)
    return [
        rng.normal(size=(6, 5)).astype("float32"),
        rng.normal(size=(5,)).astype("float32"),
        rng.normal(size=(5, 2)).astype("float32"),
        rng.normal(size=(2,)).astype("float32"),
    ]


def _numpy_forward(x, w):
    h = np.maximum(x @ w[0] + w[1], 0)
    return h @ w[2] + w[3]


class MLP(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = keras.layers.Dense(5, activation="relu")
        self.out = keras.layers.Dense(2)

    def call(self, inputs):
        return self.out(self.hidden(inputs))


def test_three_apis_give_identical_outputs_with_the_same_weights():
    x = np.random.default_rng(1).normal(size=(4, 6)).astype("float32")
    weights = _weights()
    expected = _numpy_forward(x, weights)

    sub = MLP()
    sub.build((None, 6))
    seq = keras.Sequential(
        [keras.layers.Dense(5, activation="relu", input_shape=(6,)), keras.layers.Dense(2)]
    )
    inputs = keras.Input(shape=(6,))
    func = keras.Model(
        inputs, keras.layers.Dense(2)(keras.layers.Dense(5, activation="relu")(inputs))
    )
    for model in (sub, seq, func):
        model.set_weights(weights)
        np.testing.assert_allclose(model(x).detach().numpy(), expected, rtol=1e-5, atol=1e-5)


def test_subclassed_build_with_extra_required_argument_explains():
    class Conditional(keras.Model):
        def __init__(self):
            super().__init__()
            self.d = keras.layers.Dense(2)

        def call(self, inputs, condition):
            return self.d(inputs)

    with pytest.raises(
        ValueError,
        match=r"needs the extra argument\(s\) 'condition', which build "
        r"cannot guess\. Call the model on real inputs instead",
    ):
        Conditional().build((None, 4))


def test_user_assigned_layers_list_is_seen_by_call_and_trained():
    class Dynamic(keras.Model):
        def __init__(self, n):
            super().__init__()
            self.layers = []
            for _ in range(n):
                self.layers.append(keras.layers.Dense(3, activation="relu"))
            self.head = keras.layers.Dense(1)

        def call(self, x):
            for layer in self.layers:
                x = layer(x)
            return self.head(x)

    model = Dynamic(4)
    assert len(model.layers) == 4 and isinstance(model.layers, list)
    model(torch.ones(2, 3))
    assert len(model.trainable_weights) == 10
    assert len(list(model.parameters())) == 10


def test_sequential_deferred_build_add_pop_and_get_layer():
    model = keras.Sequential()
    model.add(keras.layers.Dense(4, name="a"))
    model.add(keras.layers.Dense(2, name="b"))
    assert not model.built
    model(torch.ones(3, 5))
    assert model.built and model.count_params() == (5 * 4 + 4) + (4 * 2 + 2)
    assert model.get_layer("b") is model.layers[1]
    assert model.get_layer(index=0).name == "a"
    popped = model.pop()
    assert popped.name == "b" and len(model.layers) == 1
    with pytest.raises(ValueError, match="No such layer: zzz"):
        model.get_layer("zzz")


def test_sequential_with_input_builds_immediately():
    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2)])
    assert model.built and model.layers[0].kernel.shape == (3, 2)


def test_sequential_rejects_classes_and_duplicate_names():
    with pytest.raises(TypeError, match="instantiate it"):
        keras.Sequential([keras.layers.Dense])
    with pytest.raises(ValueError, match="unique names"):
        keras.Sequential([keras.layers.Dense(1, name="x"), keras.layers.Dense(1, name="x")])


def test_functional_multi_input_multi_output_dicts_and_shared_layers():
    a = keras.Input(shape=(3,), name="a")
    b = keras.Input(shape=(3,), name="b")
    shared = keras.layers.Dense(4, name="shared")
    merged = keras.layers.concatenate([shared(a), shared(b)])
    out1 = keras.layers.Dense(1, name="out1")(merged)
    out2 = keras.layers.Dense(2, name="out2")(merged)
    model = keras.Model(inputs={"a": a, "b": b}, outputs=[out1, out2])
    xa, xb = torch.randn(5, 3), torch.randn(5, 3)
    y1, y2 = model({"a": xa, "b": xb})
    assert tuple(y1.shape) == (5, 1) and tuple(y2.shape) == (5, 2)
    # The shared layer's weights are counted once.
    assert model.count_params() == (3 * 4 + 4) + (8 + 1) + (16 + 2)
    assert model.get_layer("shared") is shared
    assert [t.name for t in model.inputs] == ["a", "b"]


def test_functional_shapes_are_inferred_without_data():
    x = keras.Input(shape=(None, 8))
    y = keras.layers.Dense(3)(x)
    assert y.shape == (None, None, 3)
    z = (y * 2 + 1)[:, 0]
    assert z.shape == (None, 3)
    model = keras.Model(x, z)
    out = model(torch.ones(2, 5, 8))
    assert tuple(out.shape) == (2, 3)


def test_nested_model_used_as_a_layer():
    inner_in = keras.Input(shape=(4,))
    inner = keras.Model(inner_in, keras.layers.Dense(2)(inner_in), name="inner")
    x = keras.Input(shape=(4,))
    outer = keras.Model(x, keras.layers.Dense(1)(inner(x)))
    assert tuple(outer(torch.ones(3, 4)).shape) == (3, 1)
    assert outer.count_params() == (4 * 2 + 2) + (2 + 1)


def test_graph_disconnected_error():
    a = keras.Input(shape=(2,))
    b = keras.Input(shape=(2,))
    out = keras.layers.add([a, b])
    with pytest.raises(ValueError, match="Graph disconnected"):
        keras.Model(a, out)


def test_functional_input_shape_mismatch_error():
    x = keras.Input(shape=(4,), name="features")
    model = keras.Model(x, keras.layers.Dense(1)(x))
    with pytest.raises(
        ValueError, match=r"Input 'features' .* expects shape \(None, 4\).* \(2, 5\)"
    ):
        model(torch.ones(2, 5))


def test_add_of_mismatched_shapes_names_layer_model_and_fix():
    class Skip(keras.Model):
        def __init__(self):
            super().__init__()
            self.d = keras.layers.Dense(128)
            self.add = keras.layers.Add(name="add_skip")

        def call(self, x):
            return self.add([x, self.d(x)])

    with pytest.raises(
        ValueError,
        match=r"Add layer 'add_skip' in Skip\.call: cannot add shapes \(64, 256\) and "
        r"\(64, 128\); the last dimensions differ \(256 vs 128\)\. Make both inputs the same "
        r"size, e\.g\. Dense\(256\) before the Add\.",
    ):
        Skip()(torch.ones(64, 256))


def test_sequential_with_unknown_sizes_builds_symbolically():
    # Input((None,)) text and any-size images: no placeholder size may be guessed.
    import numpy as np

    from tork import keras as _k

    text = _k.Sequential(
        [_k.Input((None,), dtype="int32"), _k.layers.Embedding(50, 8), _k.layers.Conv1D(4, 5)]
    )
    assert text.output_shape == (None, None, 4)
    assert tuple(text(np.ones((2, 9), "int32")).shape) == (2, 5, 4)
    images = _k.Sequential([_k.Input((None, None, 3)), _k.layers.Conv2D(2, 3)])
    assert images.output_shape == (None, None, None, 2)
    assert tuple(images(np.ones((1, 7, 6, 3), "float32")).shape) == (1, 5, 4, 2)
    seq = _k.Sequential([_k.layers.LSTM(2, return_sequences=True, input_shape=(None, 4))])
    assert seq.output_shape == (None, None, 2)


def test_sequential_with_unknown_sizes_and_a_value_dependent_layer_still_builds():
    import numpy as np
    import torch

    from tork import keras as _k

    class Branchy(_k.layers.Layer):
        def call(self, x):
            return x * 2 if torch.sum(x) > 0 else x  # cannot run on symbolic tensors

    model = _k.Sequential([_k.Input((None, 3)), Branchy(), _k.layers.Dense(2)])
    assert model.built
    out = model(np.ones((1, 4, 3), "float32"))
    kernel, bias = model.layers[-1].get_weights()
    np.testing.assert_allclose(
        out.detach().numpy()[0], 2 * np.ones((4, 3)) @ kernel + bias, rtol=1e-5
    )


def test_build_records_the_declared_batch_size_not_the_placeholder_one():
    # tf_keras 2.21: after Net().build((None, 3)) the sublayers' build input shapes are
    # (None, 3) and (None, 4); tork runs call() on placeholders of batch 2 to build.
    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.d1 = keras.layers.Dense(4)
            self.d2 = keras.layers.Dense(2)

        def call(self, x):
            return self.d2(self.d1(x))

    net = Net()
    net.build((None, 3))
    assert net.d1.get_build_config() == {"input_shape": (None, 3)}
    assert net.d2.input_shape == (None, 4)
    fixed = Net()
    fixed.build((2, 3))  # a declared batch size of 2 stays
    assert fixed.d1.input_shape == (2, 3)


def test_model_without_call_trains_by_its_train_step_but_cannot_be_called():
    class Trained(keras.Model):  # the keras.io VAE/GAN pattern: only train_step
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(1)

        def train_step(self, data):
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.square(self.dense(data) - 1.0))
            grads = tape.gradient(loss, self.trainable_weights)
            self.optimizer.apply_gradients(zip(grads, self.trainable_weights))
            return {"loss": loss}

    model = Trained()
    model.compile(optimizer=keras.optimizers.SGD(0.1))
    x = np.ones((8, 2), "float32")
    history = model.fit(x, epochs=3, batch_size=4, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    message = r"Unimplemented `tf.keras.Model.call\(\)` in model '.*' \(Trained\)"
    with pytest.raises(NotImplementedError, match=message):
        model(x)
    with pytest.raises(NotImplementedError, match=message):
        model.predict(x, verbose=0)
