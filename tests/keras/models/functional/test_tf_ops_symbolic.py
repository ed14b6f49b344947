"""tf / keras ops applied to functional-API symbolic tensors (Keras 2's TFOpLambda)."""

import numpy as np
import pytest
import torch

import tork as tf

keras = tf.keras


def _relu(x):
    return np.maximum(x, 0.0)


def _gelu(x):
    from math import erf, sqrt

    return 0.5 * x * (1.0 + np.vectorize(erf)(x / sqrt(2.0)))


def _model():
    inputs = keras.Input((4,), name="x")
    h = keras.layers.Dense(6, name="d")(inputs)
    h = tf.nn.relu(h)
    mean = tf.reduce_mean(h, axis=1, keepdims=True)
    joined = tf.concat([h, mean], axis=-1)
    reshaped = tf.reshape(joined, [tf.shape(joined)[0], 7, 1])
    outputs = keras.ops.sum(reshaped, axis=-1) + keras.activations.gelu(mean)
    return keras.Model(inputs, outputs)


def _expected(model, x):
    kernel, bias = model.get_weights()
    h = _relu(x @ kernel + bias)
    mean = h.mean(axis=1, keepdims=True)
    return np.concatenate([h, mean], axis=-1) + _gelu(mean)


def test_symbolic_shapes_of_tf_ops():
    x = keras.Input((4,))
    assert tf.nn.relu(x).shape == (None, 4)
    assert tf.reduce_sum(x, axis=-1, keepdims=True).shape == (None, 1)
    assert tf.math.reduce_mean(x, axis=1).shape == (None,)
    assert tf.concat([x, x], axis=-1).shape == (None, 8)
    assert tf.stack([x, x], axis=1).shape == (None, 2, 4)
    assert tf.matmul(x, tf.ones((4, 3))).shape == (None, 3)
    assert tf.transpose(x).shape == (4, None)
    assert [t.shape for t in tf.split(x, 2, axis=1)] == [(None, 2), (None, 2)]
    assert tf.one_hot(tf.cast(x, tf.int32), 3).shape == (None, 4, 3)
    assert tf.cast(x, tf.int32).dtype == torch.int32
    assert tf.argmax(x, axis=-1).dtype == torch.int64
    assert tf.image.resize(tf.reshape(x, (-1, 2, 2, 1)), (4, 4)).shape == (None, 4, 4, 1)
    assert keras.ops.mean(x, axis=-1).shape == (None,)
    assert keras.ops.numpy.sum(x).shape == ()
    assert keras.activations.relu(x).shape == (None, 4)
    # keras.ops.shape / ndim give the static facts of a symbolic tensor, as Keras 3 does.
    assert keras.ops.shape(x) == (None, 4)
    assert keras.ops.ndim(x) == 2
    # tf.shape is an op: its value is known when data arrives.
    assert tf.shape(x).shape == (2,)
    assert tf.reshape(x, [tf.shape(x)[0], 2, 2]).shape == (None, 2, 2)
    assert tf.random.normal(tf.shape(x)).shape == (None, 4)


def test_model_of_tf_ops_computes_the_formula():
    keras.utils.set_random_seed(1)
    model = _model()
    x = np.random.default_rng(0).normal(size=(5, 4)).astype("float32")
    np.testing.assert_allclose(
        model.predict(x, verbose=0), _expected(model, x), rtol=1e-5, atol=1e-6
    )
    np.testing.assert_allclose(model(x).detach().numpy(), _expected(model, x), rtol=1e-5, atol=1e-6)


def test_shape_ops_follow_the_batch_size():
    inputs = keras.Input((4,))
    scaled = inputs / tf.cast(tf.shape(inputs)[1], tf.float32)
    noise = tf.zeros(tf.shape(inputs))
    model = keras.Model(
        inputs, [tf.reshape(inputs, (-1, tf.shape(inputs)[1] // 2, 2)), scaled + noise]
    )
    x = np.arange(12, dtype="float32").reshape(3, 4)
    folded, divided = model(x)
    np.testing.assert_array_equal(folded.numpy(), x.reshape(3, 2, 2))
    np.testing.assert_allclose(divided.numpy(), x / 4.0)
    assert model.predict(np.ones((7, 4), "float32"), verbose=0)[0].shape == (7, 2, 2)


def test_gradients_flow_through_tf_op_nodes():
    keras.utils.set_random_seed(2)
    model = _model()
    x = np.random.default_rng(1).normal(size=(8, 4)).astype("float32")
    # The gradient of sum(outputs) w.r.t. the Dense bias, by central differences.
    kernel, bias = model.get_weights()

    def total(b):
        h = _relu(x.astype("float64") @ kernel + b)
        mean = h.mean(axis=1, keepdims=True)
        return (np.concatenate([h, mean], axis=-1) + _gelu(mean)).sum()

    eps = 1e-4
    numeric = np.array(
        [(total(bias + eps * e) - total(bias - eps * e)) / (2 * eps) for e in np.eye(6)]
    )
    with tf.GradientTape() as tape:
        out = tf.reduce_sum(model(x))
    grad = tape.gradient(out, model.trainable_variables[1])
    np.testing.assert_allclose(grad.numpy(), numeric, rtol=1e-3, atol=1e-3)

    model.compile(optimizer="adam", loss="mse")
    before = model.get_weights()[0].copy()
    model.fit(x, np.zeros((8, 7), "float32"), epochs=1, verbose=0)
    assert not np.allclose(before, model.get_weights()[0])


def test_config_and_keras_file_round_trip(tmp_path):
    model = _model()
    names = [
        entry["config"].get("function")
        for entry in model.get_config()["layers"]
        if entry["class_name"] == "__torch_op__"
    ]
    assert "tf.nn.relu" in names and "tf.math.reduce_mean" in names and "keras.ops.sum" in names
    x = np.random.default_rng(2).normal(size=(3, 4)).astype("float32")
    rebuilt = keras.Model.from_config(model.get_config())
    rebuilt.set_weights(model.get_weights())
    np.testing.assert_allclose(rebuilt.predict(x, verbose=0), _expected(model, x), rtol=1e-5)
    path = str(tmp_path / "ops.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), _expected(model, x), rtol=1e-5)


def test_config_naming_an_unknown_op_is_refused():
    config = _model().get_config()
    for entry in config["layers"]:
        if entry["config"].get("function") == "tf.nn.relu":
            entry["config"]["function"] = "tf.io.write_file"
    with pytest.raises(Exception, match="tork only revives tf / keras ops"):
        keras.Model.from_config(config)


def test_bad_op_on_symbolic_tensor_names_op_and_shapes():
    inputs = keras.Input((4,))
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.reshape(inputs, (-1, 3))
    text = str(info.value) + "".join(getattr(info.value, "__notes__", []))
    assert "shape (None, 4)" in text
    assert "while applying tf.reshape to symbolic inputs of shape (None, 4)" in text


def test_ops_on_real_tensors_unchanged_and_identities_kept():
    x = torch.tensor([[1.0, -2.0], [3.0, 4.0]])
    assert tf.reduce_sum(x).item() == 6.0
    np.testing.assert_array_equal(tf.nn.relu(x).numpy(), [[1.0, 0.0], [3.0, 4.0]])
    assert tf.reduce_sum is tf.math.reduce_sum
    assert keras.ops.sum is keras.ops.numpy.sum
    assert keras.activations.get("tanh") is keras.activations.tanh
    assert keras.activations.serialize(keras.activations.gelu) == "gelu"
    assert tf.reduce_sum.__name__ == "reduce_sum" and "Args" in tf.reduce_sum.__doc__


_IN_LAYER_PATTERNS = {
    "tf.random.normal(tf.shape(z))": lambda z: z + 0 * tf.random.normal(tf.shape(z)),
    "tf.zeros(tf.shape(z))": lambda z: z + tf.zeros(tf.shape(z)),
    "tf.fill": lambda z: z * tf.fill(tf.shape(z), 1.0),
    "tf.broadcast_to": lambda z: tf.broadcast_to(z[:, :1], tf.shape(z)) * 0 + z,
    "tf.range(tf.shape(z)[-1])": lambda z: z + 0 * tf.cast(tf.range(tf.shape(z)[-1]), tf.float32),
    "K.random_normal(K.shape(z))": lambda z: (
        z + 0 * keras.backend.random_normal(shape=keras.backend.shape(z))
    ),
    "K.random_normal((K.shape(z)[0], 2))": lambda z: (
        z + 0 * keras.backend.random_normal(shape=(keras.backend.shape(z)[0], 2))
    ),
    "keras.random.normal(keras.ops.shape(z))": lambda z: (
        z + 0 * keras.random.normal(keras.ops.shape(z))
    ),
}


@pytest.mark.parametrize("name", sorted(_IN_LAYER_PATTERNS))
def test_shape_values_inside_a_layer_call_during_shape_inference(name):
    # Shapes read inside call() (the VAE Sampling layer, keras.io's positional embeddings)
    # while the functional API infers the output shape on fake tensors.
    pattern = _IN_LAYER_PATTERNS[name]

    class Noise(keras.layers.Layer):
        def call(self, z):
            return pattern(z)

    inputs = keras.Input((2,))
    outputs = Noise()(inputs)
    assert outputs.shape == (None, 2)
    x = np.arange(10, dtype="float32").reshape(5, 2)
    np.testing.assert_allclose(keras.Model(inputs, outputs)(x).detach().numpy(), x)
