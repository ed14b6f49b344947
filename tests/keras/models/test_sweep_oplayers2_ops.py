"""Op layers Keras 2 records for constants on the left of operators, Keras 2 backend /
activation / loss functions and v1-named tf functions on functional-API tensors.

Expected names and configs were printed by tf_keras 2.21 (`TF_USE_LEGACY_KERAS=1`,
`import tf_keras as keras`) running the same code, and are held here as constants.
"""

import json

import h5py
import numpy as np
import pytest

import tork as tf
from tork import keras

K = keras.backend


def _op_names(model) -> list:
    return [layer.name for layer in model.layers if type(layer).__name__.endswith("OpLambda")]


def _functions(model) -> list:
    return [layer.get_config()["function"] for layer in model.layers if hasattr(layer, "symbol")]


def _h5_layers(path) -> list:
    with h5py.File(path, "r") as f:
        config = f.attrs["model_config"]
    config = json.loads(config.decode() if isinstance(config, bytes) else config)
    return config["config"]["layers"]


# ------------------------------------------------------------ constants left of operators

# tf_keras 2.21: `[(layer.name, layer.function)]` of the model below.
TF_LEFT = [
    ("tf.math.multiply", "math.multiply"),
    ("tf.__operators__.add", "__operators__.add"),
    ("tf.math.subtract", "math.subtract"),
    ("tf.math.truediv", "math.truediv"),
    ("tf.math.pow", "math.pow"),
    ("tf.compat.v1.floor_div", "compat.v1.floor_div"),
    ("tf.math.floormod", "math.floormod"),
    ("tf.math.less", "math.less"),
    ("tf.math.greater_equal", "math.greater_equal"),
    ("tf.compat.v1.floor_div_1", "compat.v1.floor_div"),
    ("tf.math.floormod_1", "math.floormod"),
]


def _left_model():
    x = keras.Input((2,))
    c = tf.constant([[7.0, 8.0]])
    outs = [c * x, c + x, c - x, c / x, c**x, c // x, c % x, c < x, c >= x, 2.0 // x, 2.0 % x]
    return keras.Model(x, outs)


def test_constant_left_of_operator_is_keras2_op(tmp_path):
    keras.backend.clear_session()
    model = _left_model()
    assert list(zip(_op_names(model), _functions(model))) == TF_LEFT
    data = np.array([[1.0, 2.0], [3.0, -1.5]], "float32")
    c = np.array([[7.0, 8.0]], "float32")
    expected = [c * data, c + data, c - data, c / data, c**data, c // data, np.mod(c, data)]
    for got, want in zip(model.predict(data, verbose=0), expected):
        np.testing.assert_allclose(got, want, rtol=1e-6)
    np.testing.assert_allclose(model.predict(data, verbose=0)[9], 2.0 // data)
    np.testing.assert_allclose(model.predict(data, verbose=0)[10], np.mod(2.0, data), rtol=1e-6)

    # The .h5 config holds what tf_keras writes (and reads): the constant as the first
    # argument, the symbolic operand as `y`.
    path = str(tmp_path / "left.h5")
    model.save(path)
    multiply = next(e for e in _h5_layers(path) if e["name"] == "tf.math.multiply")
    assert multiply["class_name"] == "TFOpLambda"
    assert multiply["config"]["function"] == "math.multiply"
    node = multiply["inbound_nodes"][0]
    assert node[:3] == ["_CONSTANT_VALUE", -1, [[7.0, 8.0]]]
    assert node[3]["y"] == ["input_1", 0, 0]
    loaded = keras.models.load_model(path)
    assert _op_names(loaded) == [name for name, _ in TF_LEFT]
    for got, want in zip(loaded.predict(data, verbose=0), model.predict(data, verbose=0)):
        np.testing.assert_allclose(got, want)


def test_tensor_method_with_keyword_stays_a_torch_op():
    # `div(..., rounding_mode=)` is not `/`: it must not become tf.math.truediv.
    keras.backend.clear_session()
    x = keras.Input((2,))
    out = tf.constant([[7.0, 8.0]]).div(x, rounding_mode="floor")
    model = keras.Model(x, out)
    assert _op_names(model) != ["tf.math.truediv"]
    np.testing.assert_allclose(
        model.predict(np.array([[2.0, 3.0]], "float32"), verbose=0), [[3.0, 2.0]]
    )


# ------------------------------------------------ Keras 2 backend / activations / losses

# tf_keras 2.21: the `function` of each op layer of `keras.Model([x, y], case())`, and the
# keyword arguments of the first op's call (its inbound node, `name: None` left out).
TF_BACKEND = {
    "sum": (lambda x, y: K.sum(x, axis=-1), ["math.reduce_sum"]),
    "mean": (lambda x, y: K.mean(x, axis=1, keepdims=True), ["math.reduce_mean"]),
    "max": (lambda x, y: K.max(x, axis=-1), ["math.reduce_max"]),
    "min": (lambda x, y: K.min(x, 1), ["math.reduce_min"]),
    "std": (lambda x, y: K.std(x, axis=-1), ["math.reduce_std"]),
    "var": (lambda x, y: K.var(x, axis=-1), ["math.reduce_variance"]),
    "square": (lambda x, y: K.square(x), ["math.square"]),
    "exp": (lambda x, y: K.exp(x), ["math.exp"]),
    "log": (lambda x, y: K.log(x), ["math.log"]),
    "abs": (lambda x, y: K.abs(x), ["math.abs"]),
    "sqrt": (lambda x, y: K.sqrt(x), ["math.maximum", "math.sqrt"]),
    "pow": (lambda x, y: K.pow(x, 2), ["math.pow"]),
    "concat": (lambda x, y: K.concatenate([x, y]), ["concat"]),
    "reshape": (lambda x, y: K.reshape(x, (-1, 3, 1)), ["reshape"]),
    "expand": (lambda x, y: K.expand_dims(x), ["expand_dims"]),
    "stack": (lambda x, y: K.stack([x, y]), ["stack"]),
    "clip": (lambda x, y: K.clip(x, 0.0, 1.0), ["clip_by_value"]),
    "dot": (lambda x, y: K.dot(x, K.transpose(y)), ["compat.v1.transpose", "linalg.matmul"]),
    "flatten": (lambda x, y: K.flatten(x), ["reshape"]),
    "cast": (lambda x, y: K.cast(x, "int32"), ["cast"]),
    "l2n": (lambda x, y: K.l2_normalize(x, axis=-1), ["math.l2_normalize"]),
    "argmax": (lambda x, y: K.argmax(x), ["math.argmax"]),
    "perm": (lambda x, y: K.permute_dimensions(x, (1, 0)), ["compat.v1.transpose"]),
    "tile": (lambda x, y: K.tile(x, (1, 2)), ["tile"]),
    "repeat": (lambda x, y: K.repeat(x, 2), ["expand_dims", "tile"]),
    "squeeze": (lambda x, y: K.squeeze(K.expand_dims(x), -1), ["expand_dims", "compat.v1.squeeze"]),
    "cumsum": (lambda x, y: K.cumsum(x, 1), ["math.cumsum"]),
    "equal": (lambda x, y: K.equal(x, y), ["math.equal"]),
    "hard_sigmoid": (
        lambda x, y: K.hard_sigmoid(x),
        ["math.multiply", "math.add", "clip_by_value"],
    ),
    "k.relu": (lambda x, y: K.relu(x), ["nn.relu"]),
    "k.sigmoid": (lambda x, y: K.sigmoid(x), ["math.sigmoid"]),
    "k.softmax": (lambda x, y: K.softmax(x), ["nn.softmax"]),
    "k.tanh": (lambda x, y: K.tanh(x), ["math.tanh"]),
    "k.elu": (lambda x, y: K.elu(x), ["nn.elu"]),
    "a.relu": (lambda x, y: keras.activations.relu(x), ["nn.relu"]),
    "a.sigmoid": (lambda x, y: keras.activations.sigmoid(x), ["math.sigmoid"]),
    "a.softmax": (lambda x, y: keras.activations.softmax(x), ["nn.softmax"]),
    "a.gelu": (lambda x, y: keras.activations.gelu(x), ["nn.gelu"]),
    "a.swish": (lambda x, y: keras.activations.swish(x), ["nn.silu"]),
    "a.selu": (lambda x, y: keras.activations.selu(x), ["nn.selu"]),
    "a.exponential": (lambda x, y: keras.activations.exponential(x), ["math.exp"]),
    "k.bce": (
        lambda x, y: K.binary_crossentropy(x, y),
        ["keras.backend.binary_crossentropy"],
    ),
    "l.bce": (
        lambda x, y: keras.losses.binary_crossentropy(x, y),
        ["cast", "convert_to_tensor", "keras.backend.binary_crossentropy", "math.reduce_mean"],
    ),
    "l.mse": (
        lambda x, y: keras.losses.mse(x, y),
        ["convert_to_tensor", "cast", "math.squared_difference", "math.reduce_mean"],
    ),
    "l.mae": (
        lambda x, y: keras.losses.mae(x, y),
        ["convert_to_tensor", "cast", "math.subtract", "math.abs", "math.reduce_mean"],
    ),
    "l.cce": (
        lambda x, y: keras.losses.categorical_crossentropy(x, y),
        ["cast", "convert_to_tensor", "keras.backend.categorical_crossentropy"],
    ),
    "l.kld": (
        lambda x, y: keras.losses.kl_divergence(x, y),
        [
            "cast",
            "convert_to_tensor",
            "clip_by_value",
            "clip_by_value",
            "math.truediv",
            "math.log",
            "math.multiply",
            "math.reduce_sum",
        ],
    ),
}

# tf_keras 2.21's keyword arguments of the first op (inbound node, without `name`).
TF_FIRST_KWARGS = {
    "sum": {"axis": -1, "keepdims": False},
    "mean": {"axis": 1, "keepdims": True},
    "min": {"axis": 1, "keepdims": False},
    "sqrt": {"y": 0.0},
    "pow": {"y": 2},
    "reshape": {"shape": [-1, 3, 1]},
    "clip": {"clip_value_min": 0.0, "clip_value_max": 1.0},
    "perm": {"perm": [1, 0]},
    "tile": {"multiples": [1, 2]},
    "cast": {"dtype": "int32"},
    "a.softmax": {"axis": -1},
    "a.gelu": {"approximate": False},
    "l.bce": {"dtype": "float32"},
}


@pytest.mark.parametrize("case", sorted(TF_BACKEND))
def test_backend_activation_loss_functions_record_keras2_ops(case, tmp_path):
    keras.backend.clear_session()
    build, expected = TF_BACKEND[case]
    x = keras.Input((3,))
    y = keras.Input((3,))
    model = keras.Model([x, y], build(x, y))
    assert _functions(model) == expected
    kwargs = TF_FIRST_KWARGS.get(case)
    if kwargs is not None:
        path = str(tmp_path / "m.h5")
        model.save(path)
        first = [e for e in _h5_layers(path) if e["class_name"] == "TFOpLambda"][0]
        node = first["inbound_nodes"][0]
        assert {k: v for k, v in node[3].items() if k != "name"} == kwargs


def test_keras2_functions_compute_the_same_values():
    keras.backend.clear_session()
    x = keras.Input((3,))
    y = keras.Input((3,))
    outs = [
        K.sqrt(x),
        K.hard_sigmoid(x),
        keras.losses.binary_crossentropy(y, K.sigmoid(x)),
        keras.losses.kl_divergence(y, K.softmax(x)),
        K.concatenate([x, y], axis=-1),
    ]
    model = keras.Model([x, y], outs)
    a = np.array([[0.5, -1.0, 4.0]], "float32")
    b = np.array([[0.2, 0.3, 0.5]], "float32")
    got = model.predict([a, b], verbose=0)
    np.testing.assert_allclose(got[0], np.sqrt(np.maximum(a, 0)), rtol=1e-6)
    np.testing.assert_allclose(got[1], np.clip(a * 0.2 + 0.5, 0, 1), rtol=1e-6)
    p = np.clip(1 / (1 + np.exp(-a)), 1e-7, 1 - 1e-7)
    bce = -(b * np.log(p) + (1 - b) * np.log(1 - p)).mean(-1)
    np.testing.assert_allclose(got[2], bce, rtol=1e-5)
    q = np.clip(np.exp(a) / np.exp(a).sum(-1, keepdims=True), 1e-7, 1)
    np.testing.assert_allclose(got[3], (b * np.log(b / q)).sum(-1), rtol=1e-5)
    np.testing.assert_allclose(got[4], np.concatenate([a, b], -1))


def test_backend_function_with_other_arguments_stays_one_op():
    # K.relu with max_value is several ops in Keras 2; tork keeps it one op node.
    keras.backend.clear_session()
    x = keras.Input((3,))
    model = keras.Model(x, K.relu(x, max_value=1.0))
    assert _op_names(model) == ["keras.backend.relu"]
    np.testing.assert_allclose(
        model.predict(np.array([[-1.0, 0.5, 3.0]], "float32"), verbose=0), [[0.0, 0.5, 1.0]]
    )


# tf_keras 2.21's `[(layer.name, type(layer).__name__)]` of the keras.io VAE with add_loss.
TF_VAE = [
    ("input_1", "InputLayer"),
    ("encoder", "Functional"),
    ("decoder", "Functional"),
    ("dense", "Dense"),
    ("dense_2", "Dense"),
    ("dense_1", "Dense"),
    ("tf.__operators__.add", "TFOpLambda"),
    ("tf.math.square", "TFOpLambda"),
    ("tf.cast", "TFOpLambda"),
    ("tf.convert_to_tensor", "TFOpLambda"),
    ("tf.math.subtract", "TFOpLambda"),
    ("tf.math.exp", "TFOpLambda"),
    ("tf.keras.backend.binary_crossentropy", "TFOpLambda"),
    ("tf.math.subtract_1", "TFOpLambda"),
    ("tf.math.reduce_mean", "TFOpLambda"),
    ("tf.math.reduce_sum", "TFOpLambda"),
    ("tf.math.multiply", "TFOpLambda"),
    ("tf.math.multiply_1", "TFOpLambda"),
    ("tf.__operators__.add_1", "TFOpLambda"),
    ("tf.math.reduce_mean_1", "TFOpLambda"),
    ("add_loss", "AddLoss"),
]


def test_keras_io_vae_with_add_loss_has_keras2_layers():
    keras.backend.clear_session()
    layers = keras.layers
    original_dim, latent_dim = 784, 2
    inputs = keras.Input(shape=(original_dim,))
    h = layers.Dense(64, activation="relu")(inputs)
    z_mean = layers.Dense(latent_dim)(h)
    z_log_sigma = layers.Dense(latent_dim)(h)

    def sampling(args):
        z_mean, z_log_sigma = args
        epsilon = K.random_normal(shape=(K.shape(z_mean)[0], latent_dim), mean=0.0, stddev=0.1)
        return z_mean + K.exp(z_log_sigma) * epsilon

    z = layers.Lambda(sampling)([z_mean, z_log_sigma])
    encoder = keras.Model(inputs, [z_mean, z_log_sigma, z], name="encoder")
    latent_inputs = keras.Input(shape=(latent_dim,), name="z_sampling")
    x = layers.Dense(64, activation="relu")(latent_inputs)
    outputs = layers.Dense(original_dim, activation="sigmoid")(x)
    decoder = keras.Model(latent_inputs, outputs, name="decoder")
    outputs = decoder(encoder(inputs)[2])
    vae = keras.Model(inputs, outputs, name="vae_mlp")
    reconstruction_loss = keras.losses.binary_crossentropy(inputs, outputs)
    reconstruction_loss *= original_dim
    kl_loss = 1 + z_log_sigma - K.square(z_mean) - K.exp(z_log_sigma)
    kl_loss = K.sum(kl_loss, axis=-1)
    kl_loss *= -0.5
    vae.add_loss(K.mean(reconstruction_loss + kl_loss))
    assert [(layer.name, type(layer).__name__) for layer in vae.layers] == TF_VAE


# ----------------------------------------------------------------- compat.v1 op names

# tf_keras 2.21's op layer names (TFOpLambda) of `keras.Model(inputs, case())`.
TF_V1_NAMES = {
    "transpose": (lambda x, i, img: tf.transpose(x), ["tf.compat.v1.transpose"]),
    "norm": (lambda x, i, img: tf.norm(x), ["tf.compat.v1.norm"]),
    "linalg.norm": (lambda x, i, img: tf.linalg.norm(x), ["tf.compat.v1.norm"]),
    "gather": (lambda x, i, img: tf.gather(x, [0, 1], axis=1), ["tf.compat.v1.gather"]),
    "gather_nd": (lambda x, i, img: tf.gather_nd(x, [[0]]), ["tf.compat.v1.gather_nd"]),
    "pad": (lambda x, i, img: tf.pad(x, [[0, 0], [1, 1], [0, 0]]), ["tf.compat.v1.pad"]),
    "boolean_mask": (
        lambda x, i, img: tf.boolean_mask(x, tf.ones((4,), bool), axis=1),
        ["tf.compat.v1.boolean_mask"],
    ),
    "squeeze": (
        lambda x, i, img: tf.squeeze(tf.expand_dims(x, 1), 1),
        ["tf.expand_dims", "tf.compat.v1.squeeze"],
    ),
    "shape": (lambda x, i, img: tf.shape(x), ["tf.compat.v1.shape"]),
    "size": (lambda x, i, img: tf.size(x), ["tf.compat.v1.size"]),
    "floordiv": (lambda x, i, img: tf.math.floordiv(x, 2.0), ["tf.compat.v1.floor_div"]),
    "divide": (lambda x, i, img: tf.divide(x, 2.0), ["tf.math.truediv"]),
    "scalar_mul": (
        lambda x, i, img: tf.math.scalar_mul(2.0, x),
        ["tf.compat.v1.math.scalar_mul"],
    ),
    "clip_by_norm": (lambda x, i, img: tf.clip_by_norm(x, 1.0), ["tf.clip_by_norm"]),
    "clip_by_value": (lambda x, i, img: tf.clip_by_value(x, 0.0, 1.0), ["tf.clip_by_value"]),
    "einsum": (lambda x, i, img: tf.einsum("bij,bkj->bik", x, x), ["tf.einsum"]),
    "tensordot": (lambda x, i, img: tf.tensordot(x, tf.ones((6, 2)), 1), ["tf.tensordot"]),
    "sort": (lambda x, i, img: tf.sort(x), ["tf.sort"]),
    "argsort": (lambda x, i, img: tf.argsort(x), ["tf.argsort"]),
    "matmul": (
        lambda x, i, img: tf.matmul(x, tf.transpose(x, [0, 2, 1])),
        ["tf.compat.v1.transpose", "tf.linalg.matmul"],
    ),
    "conv2d": (
        lambda x, i, img: tf.nn.conv2d(img, tf.ones((3, 3, 3, 2)), 1, "SAME"),
        ["tf.compat.v1.nn.conv2d"],
    ),
    "conv1d": (
        lambda x, i, img: tf.nn.conv1d(x, tf.ones((3, 6, 2)), 1, "SAME"),
        ["tf.compat.v1.nn.conv1d"],
    ),
    "depthwise_conv2d": (
        lambda x, i, img: tf.nn.depthwise_conv2d(img, tf.ones((3, 3, 3, 1)), [1, 1, 1, 1], "SAME"),
        ["tf.compat.v1.nn.depthwise_conv2d"],
    ),
    "pool": (
        lambda x, i, img: tf.nn.pool(img, [2, 2], "MAX", strides=[2, 2]),
        ["tf.compat.v1.nn.pool"],
    ),
    "embedding_lookup": (
        lambda x, i, img: tf.nn.embedding_lookup(tf.ones((5, 2)), i),
        ["tf.compat.v1.nn.embedding_lookup"],
    ),
    "softmax_ce": (
        lambda x, i, img: tf.nn.softmax_cross_entropy_with_logits(labels=x, logits=x),
        ["tf.compat.v1.nn.softmax_cross_entropy_with_logits_v2"],
    ),
    "sufficient_statistics": (
        lambda x, i, img: tf.nn.sufficient_statistics(x, [1])[1],
        ["tf.compat.v1.nn.sufficient_statistics"],
    ),
    "weighted_moments": (
        lambda x, i, img: tf.nn.weighted_moments(x, [1], 1.0)[0],
        ["tf.compat.v1.nn.weighted_moments"],
    ),
    # Not v1: unchanged names.
    "expand_dims": (lambda x, i, img: tf.expand_dims(x, 1), ["tf.expand_dims"]),
    "one_hot": (lambda x, i, img: tf.one_hot(i, 3), ["tf.one_hot"]),
    "argmax": (lambda x, i, img: tf.argmax(x, 1), ["tf.math.argmax"]),
    "cumsum": (lambda x, i, img: tf.cumsum(x, 1), ["tf.math.cumsum"]),
    "reduce_sum": (lambda x, i, img: tf.reduce_sum(x, 1), ["tf.math.reduce_sum"]),
    "where": (lambda x, i, img: tf.where(x > 0, x, 0.0), ["tf.math.greater", "tf.where"]),
    "split": (lambda x, i, img: tf.split(x, 2, axis=-1)[0], ["tf.split"]),
    "image.resize": (lambda x, i, img: tf.image.resize(img, (4, 4)), ["tf.image.resize"]),
    "nn.l2_normalize": (lambda x, i, img: tf.nn.l2_normalize(x, -1), ["tf.math.l2_normalize"]),
}


@pytest.mark.parametrize("case", sorted(TF_V1_NAMES))
def test_op_layers_have_keras2_v1_names(case):
    keras.backend.clear_session()
    build, expected = TF_V1_NAMES[case]
    x = keras.Input((4, 6))
    i = keras.Input((4,), dtype="int32")
    img = keras.Input((8, 8, 3))
    model = keras.Model([x, i, img], build(x, i, img))
    assert _op_names(model) == expected


def test_v1_named_ops_round_trip_through_config_and_h5(tmp_path):
    keras.backend.clear_session()
    x = keras.Input((3,))
    h = keras.layers.Dense(3, kernel_initializer="ones")(x)
    a = tf.transpose(tf.gather(h, [0, 2], axis=1))
    b = tf.squeeze(tf.expand_dims(h, 1), 1) + tf.math.floordiv(h, 2.0)
    c = tf.norm(h, axis=-1) + tf.cast(tf.shape(h)[0], "float32")
    model = keras.Model(x, [tf.transpose(a), b, c, tf.pad(h, [[0, 0], [1, 0]])])
    data = np.array([[1.0, 2.0, 0.5], [3.0, -1.0, 0.2]], "float32")
    want = model.predict(data, verbose=0)
    for loaded in (
        keras.models.model_from_json(model.to_json()),
        keras.Model.from_config(model.get_config()),
    ):
        loaded.set_weights(model.get_weights())
        assert _op_names(loaded) == _op_names(model)
        for got, expected in zip(loaded.predict(data, verbose=0), want):
            np.testing.assert_allclose(got, expected)
    path = str(tmp_path / "v1.h5")
    model.save(path)
    functions = [e["config"]["function"] for e in _h5_layers(path) if "function" in e["config"]]
    assert "compat.v1.transpose" in functions and "compat.v1.shape" in functions
    loaded = keras.models.load_model(path)
    for got, expected in zip(loaded.predict(data, verbose=0), want):
        np.testing.assert_allclose(got, expected)


def test_error_messages_keep_the_called_name():
    # The Keras 2 v1 name is for layers and configs; errors name what the user called.
    x = keras.Input((3,))
    with pytest.raises(Exception) as info:
        tf.transpose(x, perm=[0, 1, 2])
    assert "tf.transpose" in str(info.value) + "".join(getattr(info.value, "__notes__", []))
    assert "compat.v1" not in "".join(getattr(info.value, "__notes__", []))


def test_whole_backend_ops_take_the_names_keras2_drops():
    # tf_keras 2.21 runs K.binary_crossentropy's Python code first: its two
    # tf.convert_to_tensor layers are dropped but their names are taken, so the next loss's
    # layer is tf.convert_to_tensor_3; K.batch_flatten takes a tf.compat.v1.shape name.
    keras.backend.clear_session()
    x = keras.Input((3,))
    y = keras.Input((3,))
    outs = [keras.losses.binary_crossentropy(x, y), keras.losses.mse(x, y)]
    outs.append(tf.shape(K.batch_flatten(x)))
    assert [layer.name for layer in keras.Model([x, y], outs).layers] == [
        "input_1",
        "input_2",
        "tf.cast",
        "tf.convert_to_tensor",
        "tf.convert_to_tensor_3",
        "tf.cast_1",
        "tf.keras.backend.binary_crossentropy",
        "tf.math.squared_difference",
        "tf.keras.backend.batch_flatten",
        "tf.math.reduce_mean",
        "tf.math.reduce_mean_1",
        "tf.compat.v1.shape_1",
    ]
