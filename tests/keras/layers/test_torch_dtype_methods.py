"""torch's dtype methods on layers and models: `double()`, `float()`, `half()`, `bfloat16()`,
`to(dtype)`, `to(device, dtype)`, `type(dtype)` (tork/keras/layers/_torch_dtype.py).

The model must really compute in the new dtype: float64 results are compared with NumPy
float64 to 1e-12, which a float32 computation (errors around 1e-7) cannot meet.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import tork as tf
from tork import keras
from tork.keras.trainers import data_adapters

L = keras.layers


@pytest.fixture(autouse=True)
def _float32_policy():
    keras.mixed_precision.set_global_policy(None)
    yield
    keras.mixed_precision.set_global_policy(None)


def _mlp():
    return keras.Sequential([L.Dense(4, input_shape=(3,)), L.Dense(2)])


def _numpy_mlp(model, x):
    w0, b0, w1, b1 = (w.detach().cpu().numpy() for w in model.weights)
    return (x @ w0 + b0) @ w1 + b1


def _policies(model):
    return [
        (layer.dtype, layer.compute_dtype, layer.variable_dtype, layer.dtype_policy.name)
        for layer in model.layers
    ]


def test_double_computes_in_float64():
    model = _mlp()
    assert model.double() is model
    assert _policies(model) == [("float64",) * 4] * 2
    assert model.dtype_policy == "float64"
    assert {w.dtype for w in model.weights} == {torch.float64}
    x = np.random.default_rng(0).random((5, 3))
    out = model(torch.tensor(x))
    assert out.dtype == torch.float64
    np.testing.assert_allclose(out.detach().numpy(), _numpy_mlp(model, x), rtol=0, atol=1e-12)
    # Float32 inputs are autocast to the compute dtype, as Keras does.
    assert model(torch.tensor(x, dtype=torch.float32)).dtype == torch.float64
    assert model.input.dtype == torch.float64 and model.output.dtype == torch.float64


@pytest.mark.parametrize(
    "cast",
    [
        lambda m: m.double(),
        lambda m: m.to(torch.float64),
        lambda m: m.to("cpu", torch.float64),
        lambda m: m.to(dtype=torch.float64),
        lambda m: m.type(torch.float64),
    ],
)
def test_every_spelling_of_the_cast(cast):
    model = _mlp()
    cast(model)
    assert _policies(model) == [("float64",) * 4] * 2
    assert model(np.ones((1, 3))).dtype == torch.float64


def test_to_device_alone_changes_nothing():
    model = _mlp()
    model.to("cpu")
    model.to(torch.device("cpu"))
    assert _policies(model) == [("float32",) * 4] * 2
    assert data_adapters.float_dtype_of(model) is None
    assert model.input.dtype == torch.float32
    assert model(np.ones((1, 3), "float64")).dtype == torch.float32


def test_predict_evaluate_fit_keep_float64_data_and_weights():
    model = keras.Sequential([L.Dense(1, use_bias=False, input_shape=(3,))])
    model.double()
    rng = np.random.default_rng(1)
    x, y = rng.random((8, 3)), rng.random((8, 1))
    w0 = model.weights[0].detach().numpy().copy()
    assert data_adapters.float_dtype_of(model) == torch.float64
    pred = model.predict(x, verbose=0)
    assert pred.dtype == np.float64
    np.testing.assert_allclose(pred, x @ w0, rtol=0, atol=1e-12)
    np.testing.assert_allclose(model.predict_on_batch(x), x @ w0, rtol=0, atol=1e-12)
    dataset = tf.data.Dataset.from_tensor_slices(x).batch(4)
    np.testing.assert_allclose(model.predict(dataset, verbose=0), x @ w0, rtol=0, atol=1e-12)
    batches = (x[i : i + 4] for i in (0, 4))
    np.testing.assert_allclose(
        model.predict(batches, steps=2, verbose=0), x @ w0, rtol=0, atol=1e-12
    )
    model.compile(keras.optimizers.SGD(0.1), "mse")
    loss = model.evaluate(x, y, verbose=0)
    np.testing.assert_allclose(loss, np.mean((x @ w0 - y) ** 2), rtol=1e-6)
    # One full-batch SGD step, computed in float64: w - lr * d(mean squared error)/dw.
    model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    grad = 2 * x.T @ (x @ w0 - y) / len(x)
    assert model.weights[0].dtype == torch.float64
    # The learning rate is a float32 variable, as in Keras (0.1 reads as 0.10000000149), so
    # the step is float64 up to ~1e-8 of the update: an absolute tolerance, not a relative
    # one, which failed for weights near zero (the weights depend on the RNG's state).
    np.testing.assert_allclose(
        model.weights[0].detach().numpy(), w0 - 0.1 * grad, rtol=1e-7, atol=1e-8
    )


def test_float32_data_works_with_a_float64_model():
    model = _mlp().double()
    x = np.random.default_rng(2).random((4, 3)).astype("float32")
    pred = model.predict(x, verbose=0)
    assert pred.dtype == np.float64
    np.testing.assert_allclose(pred, _numpy_mlp(model, x.astype("float64")), atol=1e-12)


def test_cast_back_to_float():
    model = _mlp().double()
    model.float()
    assert _policies(model) == [("float32",) * 4] * 2
    assert {w.dtype for w in model.weights} == {torch.float32}
    assert model.input.dtype == torch.float32
    assert model(np.ones((1, 3))).dtype == torch.float32
    assert data_adapters.float_dtype_of(model) == torch.float32


@pytest.mark.parametrize(
    ("cast", "dtype"),
    [(lambda m: m.half(), torch.float16), (lambda m: m.bfloat16(), torch.bfloat16)],
)
def test_half_and_bfloat16(cast, dtype):
    model = _mlp()
    reference = model(np.ones((2, 3))).detach().numpy()
    cast(model)
    name = str(dtype).replace("torch.", "")
    assert _policies(model) == [(name,) * 4] * 2
    out = model(torch.ones(2, 3))
    assert out.dtype == dtype
    np.testing.assert_allclose(out.float().detach().numpy(), reference, rtol=0.05, atol=0.05)
    # The data stays float32 (as Keras's Inputs under mixed precision); layers cast it.
    assert model.input.dtype == torch.float32
    assert data_adapters.float_dtype_of(model) == torch.float32
    assert model.predict(np.ones((2, 3)), verbose=0).shape == (2, 2)


def test_mixed_precision_policy_gives_way_to_the_cast():
    keras.mixed_precision.set_global_policy("mixed_float16")
    model = keras.Sequential([L.Dense(4, input_shape=(3,)), L.Dense(2, dtype="float32")])
    assert [layer.dtype_policy.name for layer in model.layers] == ["mixed_float16", "float32"]
    model.float()
    assert _policies(model) == [("float32",) * 4] * 2
    assert model.layers[0](torch.ones(1, 3, dtype=torch.float16)).dtype == torch.float32
    assert model.get_config()["layers"][1]["config"]["dtype"] == "float32"
    mixed = keras.Sequential([L.Dense(4, input_shape=(3,))])
    mixed.half()
    assert _policies(mixed) == [("float16",) * 4]


def _functional():
    ids = keras.Input((6,), dtype="int64", name="ids")
    extra = keras.Input((2,), name="extra")
    x = L.Embedding(10, 4)(ids)
    x = L.LSTM(3, return_sequences=True)(x)
    x = L.GRU(2)(x)
    x = L.BatchNormalization()(x)
    x = L.Concatenate()([x, extra])
    out = L.Dense(1)(x)
    return keras.Model([ids, extra], out)


def test_functional_model_graph_and_layers():
    model = _functional()
    rng = np.random.default_rng(3)
    data = [rng.integers(0, 10, (4, 6)), rng.random((4, 2))]
    reference = model(data).detach().numpy()
    model.double()
    assert [t.dtype for t in model.inputs] == [torch.int64, torch.float64]
    assert model.output.dtype == torch.float64
    assert model.layers[0].dtype == "int64"  # the integer InputLayer stays integer
    for layer in model.layers[1:]:
        assert layer.dtype == "float64", layer.name
        assert layer.output.dtype == torch.float64
    batch_norm = model.get_layer(index=4)
    assert batch_norm.moving_mean.dtype == torch.float64
    assert batch_norm.moving_variance.dtype == torch.float64
    out = model(data)
    assert out.dtype == torch.float64
    np.testing.assert_allclose(out.detach().numpy(), reference, atol=1e-5)
    # The Embedding looks up the ids themselves.
    embedding = model.get_layer(index=1)
    ids = torch.tensor(data[0])
    np.testing.assert_array_equal(
        embedding(ids).detach().numpy(), embedding.embeddings.detach().numpy()[data[0]]
    )


def test_functional_graph_constants_follow():
    inputs = keras.Input((3,))
    h = tf.math.sin(inputs) * 2.0 + 1.0
    h = L.Dense(2)(h)
    out = tf.matmul(h, tf.ones((2, 1))) + tf.reduce_sum(h, axis=-1, keepdims=True)
    model = keras.Model(inputs, out)
    model.double()
    assert {layer.dtype for layer in model.layers} == {"float64"}
    x = np.random.default_rng(4).random((5, 3))
    kernel, bias = (w.detach().numpy() for w in model.get_layer(index=4).weights)
    h = (np.sin(x) * 2 + 1) @ kernel + bias
    expected = h @ np.ones((2, 1)) + h.sum(-1, keepdims=True)
    np.testing.assert_allclose(model(x).detach().numpy(), expected, rtol=0, atol=1e-12)


def test_subclassed_model_with_nested_layers_and_integer_state():
    class Block(L.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.dense = L.Dense(3)
            self.calls = tf.Variable(0, dtype=tf.int64, trainable=False)
            self.register_buffer("keep", torch.tensor([True, False]))

        def build(self, input_shape):
            self.scale = self.add_weight(shape=(input_shape[-1],), initializer="ones")
            self.flag = self.add_weight(shape=(), dtype="int32", initializer="zeros")

        def call(self, x):
            self.calls.assign_add(1)
            return self.dense(x * self.scale)

    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.block = Block()
            self.head = L.Dense(1)

        def call(self, x):
            return self.head(self.block(x))

    model = Net()
    model(np.ones((1, 4)))
    for cast in (lambda m: m.half(), lambda m: m.type(torch.float64)):
        cast(model)
        assert model.block.calls.dtype == torch.int64
        assert model.block.flag.dtype == torch.int32
        assert model.block.keep.dtype == torch.bool
    assert model.block.dtype == model.block.dense.dtype == model.head.dtype == "float64"
    x = np.random.default_rng(5).random((2, 4))
    out = model(x)
    assert out.dtype == torch.float64 and int(model.block.calls) == 2
    scale, k0, b0, k1, b1 = (
        w.detach().numpy()
        for w in (model.block.scale, *model.block.dense.weights, *model.head.weights)
    )
    np.testing.assert_allclose(
        out.detach().numpy(), ((x * scale) @ k0 + b0) @ k1 + b1, rtol=0, atol=1e-12
    )


def test_cast_before_build_creates_weights_in_the_new_dtype():
    layer = L.MultiHeadAttention(num_heads=2, key_dim=3)
    layer.double()
    x = torch.rand(2, 4, 5, dtype=torch.float64)
    assert layer(x, x).dtype == torch.float64
    assert {w.dtype for w in layer.weights} == {torch.float64}


def test_rnn_cells_and_stateful_states():
    rnn = L.RNN([L.LSTMCell(3), L.GRUCell(2)])
    rnn(np.ones((2, 4, 5)))
    rnn.double()
    assert [cell.dtype for cell in rnn.cell.cells] == ["float64", "float64"]
    assert rnn(np.ones((2, 4, 5))).dtype == torch.float64
    stateful = keras.Sequential([L.LSTM(2, stateful=True, batch_input_shape=(2, 3, 4))])
    stateful(np.ones((2, 3, 4)))
    stateful.double()
    assert stateful(np.ones((2, 3, 4))).dtype == torch.float64
    assert [s.dtype for s in stateful.layers[0].states] == [torch.float64, torch.float64]


@pytest.mark.parametrize(
    "make",
    [
        lambda: keras.optimizers.Adam(),
        lambda: keras.optimizers.SGD(momentum=0.9),
        lambda: keras.optimizers.legacy.Adam(),
        lambda: keras.mixed_precision.LossScaleOptimizer(keras.optimizers.Adam()),
    ],
)
def test_a_built_optimizer_follows_the_cast(make):
    model = _mlp()
    model.compile(make(), "mse")
    rng = np.random.default_rng(6)
    x, y = rng.random((16, 3)), rng.random((16, 2))
    model.fit(x, y, epochs=1, verbose=0)
    model.double()
    history = model.fit(x, y, epochs=2, verbose=0).history
    assert all(np.isfinite(history["loss"]))
    assert {w.dtype for w in model.weights} == {torch.float64}
    optimizer = model.optimizer
    optimizer = getattr(optimizer, "inner_optimizer", optimizer)
    slots = [
        optimizer.get_slot(v, n)
        for v in model.trainable_weights
        for n in optimizer.get_slot_names()
    ]
    assert slots and {s.dtype for s in slots} == {torch.float64}


def test_config_and_save_round_trip(tmp_path):
    model = _functional()
    model.double()
    config = model.get_config()
    assert [(layer["class_name"], layer["config"]["dtype"]) for layer in config["layers"]] == [
        ("InputLayer", "int64"),
        ("Embedding", "float64"),
        ("LSTM", "float64"),
        ("GRU", "float64"),
        ("BatchNormalization", "float64"),
        ("InputLayer", "float64"),
        ("Concatenate", "float64"),
        ("Dense", "float64"),
    ]
    rng = np.random.default_rng(7)
    data = [torch.tensor(rng.integers(0, 10, (3, 6))), torch.tensor(rng.random((3, 2)))]
    for name in ("m.keras", "m.h5"):
        model.save(tmp_path / name)
        loaded = keras.models.load_model(tmp_path / name)
        assert {w.dtype for w in loaded.weights} == {torch.float64}
        assert loaded.output.dtype == torch.float64
        np.testing.assert_allclose(
            loaded(data).detach().numpy(), model(data).detach().numpy(), rtol=0, atol=1e-12
        )


def test_float_token_ids_stay_exact_under_half():
    inputs = keras.Input((1,))  # float ids, as often fed to an Embedding
    embedding = L.Embedding(5000, 2)
    model = keras.Model(inputs, embedding(inputs))
    table = np.zeros((5000, 2), "float32")
    table[4999] = 1.0
    embedding.set_weights([table])
    model.half()
    assert embedding.dtype == "float16" and model.inputs[0].dtype == torch.float32
    out = model(np.array([[4999.0]], "float32"))  # 4999 is 5000 in float16
    assert out.dtype == torch.float16
    np.testing.assert_array_equal(out.float().numpy(), [[[1.0, 1.0]]])


def test_functional_model_does_not_autocast_its_inputs():
    # Keras 2: a functional model casts inputs to its Inputs' dtypes, not to its policy's.
    keras.mixed_precision.set_global_policy("mixed_float16")
    inputs = keras.Input((1,))
    embedding = L.Embedding(5000, 2)
    model = keras.Model(inputs, embedding(inputs))
    table = np.zeros((5000, 2), "float32")
    table[4999] = 1.0
    embedding.set_weights([table])
    out = model(np.array([[4999.0]], "float32"))
    np.testing.assert_array_equal(out.float().numpy(), [[[1.0, 1.0]]])


def test_custom_loop_optimizer_follows_a_cast_between_steps():
    # The optimizer stepped (its momentum made float32) before model.double(): its next
    # steps convert the slot and go on in float64, matching NumPy's SGD with momentum.
    rng = np.random.default_rng(0)
    x, w0 = rng.normal(size=(8, 4)), rng.normal(size=(4, 1))
    model = keras.Sequential([keras.layers.Dense(1, use_bias=False, input_shape=(4,))])
    model.layers[0].kernel.assign(w0.astype(np.float32))
    optimizer = keras.optimizers.SGD(0.1, momentum=0.9)

    def step():
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(model(x) ** 2)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))

    step()
    model.double()
    step()
    step()
    w, velocity = w0.astype(np.float32).astype(np.float64), np.zeros_like(w0)
    for _ in range(3):  # Keras: v = momentum * v - lr * g; w = w + v
        grad = 2.0 * x.T @ (x @ w) / x.shape[0]
        velocity = 0.9 * velocity - 0.1 * grad
        w = w + velocity
    kernel = model.layers[0].kernel
    assert kernel.dtype == torch.float64
    assert [v.dtype for v in optimizer.variables if v.dim() == 2] == [torch.float64]
    np.testing.assert_allclose(kernel.numpy(), w, rtol=1e-5, atol=1e-6)


def test_custom_loop_optimizer_follows_a_partial_cast():
    model = keras.Sequential(
        [
            keras.layers.Dense(3, use_bias=False, input_shape=(4,)),
            keras.layers.Dense(1, use_bias=False),
        ]
    )
    optimizer = keras.optimizers.Adam(0.1)
    x = np.ones((2, 4), np.float32)

    def step():
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(model(x) ** 2)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))

    step()
    model.layers[1].double()
    step()
    dtypes = [v.dtype for v in model.trainable_variables]
    assert dtypes == [torch.float32, torch.float64]
    slots = [v for v in optimizer.variables if v.dim() == 2]
    # Each variable's momentum and velocity, with the dtype of their variable.
    assert [v.dtype for v in slots] == [torch.float32] * 2 + [torch.float64] * 2
