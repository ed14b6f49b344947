"""Keras 3's LoRA (`enable_lora`, `lora_rank`) on Dense, Embedding, EinsumDense and the
attention projections (KerasHub's `backbone.enable_lora(rank=4)` targets those).

Expected numbers come from Keras 3.15.1 (TensorFlow backend) in the reference env, running
the same code with the same fixed weights (plain `import keras`).
"""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest
import torch

import tork as tf

keras = tf.keras
layers = keras.layers


def _np(value) -> np.ndarray:
    return np.asarray(value.detach().cpu() if isinstance(value, torch.Tensor) else value)


def _dense_with_lora(name: str = "lora_dense"):
    # The brief's layer: Dense(2) on (None, 3), rank 2, alpha 4.
    layer = layers.Dense(2, name=name)
    layer.build((None, 3))
    layer.set_weights([np.arange(6.0).reshape(3, 2), np.array([1.0, -1.0])])
    layer.enable_lora(2, lora_alpha=4.0)
    layer.lora_kernel_a.assign([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    layer.lora_kernel_b.assign([[0.5, 0.0], [0.0, -0.5]])
    return layer


def _short(variable) -> str:
    return variable.path.rpartition("/")[2]


def test_dense_enable_lora_weights_kernel_and_output():
    layer = _dense_with_lora()
    # Keras 3: weights in creation order, the kernel frozen.
    assert [_short(w) for w in layer.weights] == [
        "kernel",
        "bias",
        "lora_kernel_a",
        "lora_kernel_b",
    ]
    assert [w.trainable for w in layer.weights] == [False, True, True, True]
    assert [_short(w) for w in layer.trainable_weights] == [
        "bias",
        "lora_kernel_a",
        "lora_kernel_b",
    ]
    assert [_short(w) for w in layer.non_trainable_weights] == ["kernel"]
    # `kernel` is the merged kernel k + alpha/rank * a @ b; `_kernel` the frozen variable.
    np.testing.assert_allclose(_np(layer.kernel), [[1, 1], [2, 2], [5, 4]])
    np.testing.assert_allclose(_np(layer._kernel), np.arange(6.0).reshape(3, 2))
    np.testing.assert_allclose(_np(layer(np.array([[1.0, 2.0, 3.0]]))), [[21, 16]])
    assert [w.tolist() for w in layer.get_weights()] == [
        [[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]],
        [1.0, -1.0],
        [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]],
        [[0.5, 0.0], [0.0, -0.5]],
    ]
    config = layer.get_config()
    assert (config["lora_rank"], config["lora_alpha"]) == (2, 4.0)
    assert "lora_rank" not in layers.Dense(3).get_config()  # Keras 3 leaves it out


def test_dense_lora_save_own_variables_merges_and_load_zeroes_lora():
    store = {}
    _dense_with_lora().save_own_variables(store)
    # Keras 3 saves the merged kernel and the bias only.
    assert sorted(store) == ["0", "1"]
    np.testing.assert_allclose(store["0"], [[1, 1], [2, 2], [5, 4]])
    np.testing.assert_allclose(store["1"], [1, -1])
    other = layers.Dense(2)
    other.build((None, 3))
    other.enable_lora(2)
    assert other.lora_alpha == 2  # default alpha = rank
    assert other.get_config()["lora_alpha"] == 2
    other.load_own_variables(store)
    np.testing.assert_array_equal(_np(other.lora_kernel_a), np.zeros((3, 2)))
    np.testing.assert_array_equal(_np(other.lora_kernel_b), np.zeros((2, 2)))
    np.testing.assert_allclose(_np(other.kernel), [[1, 1], [2, 2], [5, 4]])
    with pytest.raises(ValueError, match=r"expected 2 variables, but received 1"):
        other.load_own_variables({"0": store["0"]})


@pytest.mark.parametrize(
    "make, message",
    [
        (
            lambda: layers.Dense(2),
            r"^Cannot enable lora on a layer that isn't yet built\.",
        ),
        (
            lambda: layers.Dense(2, kernel_constraint="non_neg"),
            r"^Lora is incompatible with kernel constraints\. In order to enable lora on this "
            r"layer, remove the `kernel_constraint` argument\.",
        ),
        (
            lambda: layers.Embedding(3, 2),
            r"^Cannot enable lora on a layer that isn't yet built\.",
        ),
        (
            lambda: _built(layers.Embedding(3, 2, embeddings_constraint="non_neg"), None),
            r"^Lora is incompatible with embedding constraints\. In order to enable lora on this "
            r"layer, remove the `embeddings_constraint` argument\.",
        ),
        (
            lambda: layers.EinsumDense("ab,bc->ac", 2),
            r"^Cannot enable lora on a layer that isn't yet built\.",
        ),
        (
            lambda: _built(
                layers.EinsumDense("ab,bc->ac", 2, kernel_constraint="non_neg"), (None, 3)
            ),
            r"^Lora is incompatible with kernel constraints\.",
        ),
    ],
)
def test_enable_lora_errors(make, message):
    with pytest.raises(ValueError, match=message):
        make().enable_lora(2)


def _built(layer, shape):
    layer.build(shape)
    return layer


def test_enable_lora_twice_raises():
    for layer, shape in [
        (layers.Dense(2), (None, 3)),
        (layers.Embedding(3, 2), None),
        (layers.EinsumDense("ab,bc->ac", 2), (None, 3)),
    ]:
        layer.build(shape)
        layer.enable_lora(1)
        with pytest.raises(
            ValueError, match=r"^lora is already enabled\. This can only be done once per layer\."
        ):
            layer.enable_lora(1)
    with pytest.raises(ValueError, match=r"enable_lora\(rank=\.\.\.\) must be a positive integer"):
        _built(layers.Dense(2), (None, 3)).enable_lora(0)


def test_embedding_enable_lora_matches_keras3():
    layer = layers.Embedding(4, 3)
    layer.build()
    layer.set_weights([np.arange(12.0).reshape(4, 3)])
    layer.enable_lora(2, lora_alpha=1.0)
    assert [_short(w) for w in layer.weights] == [
        "embeddings",
        "lora_embeddings_a",
        "lora_embeddings_b",
    ]
    assert [w.trainable for w in layer.weights] == [False, True, True]
    layer.lora_embeddings_a.assign(np.arange(8.0).reshape(4, 2) / 4)
    layer.lora_embeddings_b.assign([[1.0, 0.0, -1.0], [0.0, 2.0, 1.0]])
    expected = [
        [0.0, 1.25, 2.125],
        [3.25, 4.75, 5.125],
        [6.5, 8.25, 8.125],
        [9.75, 11.75, 11.125],
    ]
    np.testing.assert_allclose(_np(layer.embeddings), expected)
    np.testing.assert_allclose(_np(layer(np.array([[3, 0]]))), [[expected[3], expected[0]]])
    config = layer.get_config()
    assert (config["lora_rank"], config["lora_alpha"]) == (2, 1.0)
    store = {}
    layer.save_own_variables(store)
    assert list(store) == ["0"]
    np.testing.assert_allclose(store["0"], expected)


def test_einsum_dense_enable_lora_matches_keras3():
    layer = layers.EinsumDense("abc,cde->abde", output_shape=(None, 2, 2), bias_axes="e")
    layer.build((None, 5, 3))
    layer.set_weights([np.arange(12.0).reshape(3, 2, 2) / 10, np.array([0.5, -0.5])])
    layer.enable_lora(1, lora_alpha=3.0)
    assert [(_short(w), tuple(w.shape)) for w in layer.weights] == [
        ("kernel", (3, 2, 2)),
        ("bias", (2,)),
        ("lora_kernel_a", (3, 2, 1)),
        ("lora_kernel_b", (1, 2)),
    ]
    assert [w.trainable for w in layer.weights] == [False, True, True, True]
    layer.lora_kernel_a.assign(np.array([[[1.0], [2.0]], [[0.0], [1.0]], [[-1.0], [0.0]]]))
    layer.lora_kernel_b.assign(np.array([[1.0, -2.0]]))
    np.testing.assert_allclose(
        _np(layer.kernel),
        [
            [[3.0, -5.9], [6.2, -11.7]],
            [[0.4, 0.5], [3.6, -5.3]],
            [[-2.2, 6.9], [1.0, 1.1]],
        ],
        rtol=1e-6,
        atol=1e-6,
    )
    x = np.arange(6.0).reshape(1, 2, 3) / 5
    np.testing.assert_allclose(
        _np(layer(x)),
        [[[[-0.3, 2.36], [1.62, -1.12]], [[0.42, 3.26], [8.1, -10.66]]]],
        rtol=1e-5,
        atol=1e-5,
    )
    config = layer.get_config()
    assert (config["lora_rank"], config["lora_alpha"]) == (1, 3.0)
    store = {}
    layer.save_own_variables(store)
    assert [(k, v.shape) for k, v in store.items()] == [("0", (3, 2, 2)), ("1", (2,))]


_W1 = (np.arange(12.0).reshape(3, 4) - 5) / 10
_B1 = np.array([0.1, -0.1, 0.2, 0.0])
_W2 = (np.arange(8.0).reshape(4, 2) - 3) / 5
_B2 = np.array([0.05, -0.05])
_X = np.array([[1.0, 2, 3], [-1, 0, 0.5], [0.3, 0.2, 0.1], [2, -1, 0]])
_Y = np.array([[1.0, 0], [0, 1], [1, 1], [0.5, -0.5]])
# Keras 3.15: predictions after 3 epochs of SGD(0.1) on the LoRA weights only.
_PRED_TRAINED = [
    [1.29063, 1.95249],
    [0.01973, 0.2658],
    [0.18745, -0.01204],
    [0.12608, -0.11458],
]


def _functional_lora_model():
    inp = keras.Input((3,), name="x")
    hidden = layers.Dense(4, activation="relu", name="d1")(inp)
    model = keras.Model(inp, layers.Dense(2, name="d2")(hidden))
    model.get_layer("d1").set_weights([_W1, _B1])
    model.get_layer("d2").set_weights([_W2, _B2])
    # LoRA enabled on layers of an already built functional model.
    for name in ("d1", "d2"):
        layer = model.get_layer(name)
        layer.enable_lora(2, lora_alpha=2.0)
        rows = layer.lora_kernel_a.shape[0]
        layer.lora_kernel_a.assign(np.full((rows, 2), 0.1) * np.arange(1, rows + 1)[:, None] / 3)
        layer.lora_kernel_b.assign(np.full(tuple(layer.lora_kernel_b.shape), 0.05))
    return model


def _trained_model():
    model = _functional_lora_model()
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    history = model.fit(_X, _Y, epochs=3, batch_size=4, verbose=0, shuffle=False)
    return model, history


def test_functional_model_lora_training_updates_only_lora_weights():
    model = _functional_lora_model()
    assert [w.path for w in model.trainable_weights] == [
        "d1/bias",
        "d1/lora_kernel_a",
        "d1/lora_kernel_b",
        "d2/bias",
        "d2/lora_kernel_a",
        "d2/lora_kernel_b",
    ]
    assert [w.path for w in model.non_trainable_weights] == ["d1/kernel", "d2/kernel"]
    np.testing.assert_allclose(
        model.predict(_X, verbose=0),
        [[1.29989, 2.15722], [-0.02994, 0.37139], [0.11508, 0.06041], [0.05, -0.05]],
        atol=1e-5,
    )
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    history = model.fit(_X, _Y, epochs=3, batch_size=4, verbose=0, shuffle=False)
    np.testing.assert_allclose(history.history["loss"], [0.90131, 0.85933, 0.82653], atol=1e-5)
    np.testing.assert_allclose(_np(model.get_layer("d1")._kernel), _W1, atol=1e-7)
    np.testing.assert_allclose(_np(model.get_layer("d2")._kernel), _W2, atol=1e-7)
    np.testing.assert_allclose(
        _np(model.get_layer("d1").lora_kernel_a),
        [[0.03138] * 2, [0.06302] * 2, [0.09429] * 2],
        atol=1e-5,
    )
    np.testing.assert_allclose(
        _np(model.get_layer("d2").lora_kernel_b), [[0.04132, -0.0132]] * 2, atol=1e-5
    )
    np.testing.assert_allclose(model.predict(_X, verbose=0), _PRED_TRAINED, atol=1e-5)


def test_lora_model_keras_file_round_trip(tmp_path):
    model, _ = _trained_model()
    path = str(tmp_path / "m.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    layer = loaded.get_layer("d1")
    assert layer.lora_enabled and layer.lora_rank == 2
    assert [w.path for w in loaded.trainable_weights] == [
        "d1/bias",
        "d1/lora_kernel_a",
        "d1/lora_kernel_b",
        "d2/bias",
        "d2/lora_kernel_a",
        "d2/lora_kernel_b",
    ]
    # The saved kernel is the merged one; the LoRA weights start again from zero.
    assert float(np.abs(_np(layer.lora_kernel_a)).max()) == 0.0
    np.testing.assert_allclose(
        _np(layer._kernel),
        [
            [-0.49483, -0.39676, -0.29865, -0.20051],
            [-0.08962, 0.0065, 0.10271, 0.19897],
            [0.31554, 0.40973, 0.50406, 0.59846],
        ],
        atol=1e-5,
    )
    np.testing.assert_allclose(loaded.predict(_X, verbose=0), _PRED_TRAINED, atol=1e-5)


def test_lora_model_weights_h5_round_trip(tmp_path):
    model, _ = _trained_model()
    path = str(tmp_path / "m.weights.h5")
    model.save_weights(path)
    # A model made from the config has LoRA (lora_rank in the config) ...
    rebuilt = keras.Model.from_config(model.get_config())
    assert rebuilt.get_layer("d2").lora_enabled
    assert [w.path for w in rebuilt.get_layer("d2").weights] == [
        "d2/kernel",
        "d2/bias",
        "d2/lora_kernel_a",
        "d2/lora_kernel_b",
    ]
    rebuilt.load_weights(path)
    np.testing.assert_allclose(rebuilt.predict(_X, verbose=0), _PRED_TRAINED, atol=1e-5)
    assert float(np.abs(_np(rebuilt.get_layer("d2").lora_kernel_b)).max()) == 0.0
    # ... and a plain model takes the merged weights as they are.
    inp = keras.Input((3,))
    hidden = layers.Dense(4, activation="relu", name="d1")(inp)
    plain = keras.Model(inp, layers.Dense(2, name="d2")(hidden))
    plain.load_weights(path)
    np.testing.assert_allclose(plain.predict(_X, verbose=0), _PRED_TRAINED, atol=1e-5)


def test_dense_from_config_with_lora_rank_builds_with_lora():
    layer = layers.Dense.from_config({**layers.Dense(3).get_config(), "lora_rank": 2})
    assert not layer.lora_enabled
    layer.build((None, 5))
    assert layer.lora_enabled and layer.lora_alpha == 2
    assert [tuple(w.shape) for w in layer.weights] == [(5, 3), (3,), (5, 2), (2, 3)]
    # Keras 3.15's Dense.build drops a configured lora_alpha (EinsumDense keeps it);
    # tork keeps it in all three layers: the config is what the user asked for.
    kept = layers.Dense(3, lora_rank=2, lora_alpha=8.0)
    kept.build((None, 4))
    assert kept.lora_alpha == 8.0
    emb = layers.Embedding(4, 3, lora_rank=2, lora_alpha=8.0)
    emb.build()
    assert emb.lora_enabled and emb.lora_alpha == 8.0


def test_embedding_lora_training_in_sequential():
    emb = layers.Embedding(5, 3, name="emb")
    model = keras.Sequential(
        [keras.Input((2,), dtype="int32"), emb, layers.Flatten(), layers.Dense(1, name="o")]
    )
    emb.set_weights([np.arange(15.0).reshape(5, 3) / 10])
    model.get_layer("o").set_weights([np.arange(6.0).reshape(6, 1) / 6, np.zeros(1)])
    emb.enable_lora(1)
    emb.lora_embeddings_a.assign(np.ones((5, 1)) * 0.5)
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
    x = np.array([[0, 1], [2, 3], [4, 0]])
    y = np.array([[1.0], [0], [2]])
    history = model.fit(x, y, epochs=2, batch_size=3, verbose=0, shuffle=False)
    np.testing.assert_allclose(history.history["loss"], [2.34028, 1.98187], atol=1e-4)
    np.testing.assert_allclose(
        _np(emb.lora_embeddings_b), [[-0.01504, -0.02554, -0.03604]], atol=1e-5
    )
    np.testing.assert_allclose(_np(emb._embeddings), np.arange(15.0).reshape(5, 3) / 10)


def test_multi_head_attention_projection_lora():
    # KerasHub enables LoRA on the attention's `query` and `value` projections.
    mha = layers.MultiHeadAttention(2, 4, name="mha")
    q = np.random.default_rng(0).random((1, 3, 5)).astype("float32")
    before = _np(mha(q, q))
    mha._query_dense.enable_lora(2)
    # Keras 3.15's paths and shapes (EinsumDense rule: kernel.shape[:-1] + (rank,)).
    assert [(w.path, tuple(w.shape)) for w in mha.trainable_weights][:4] == [
        ("mha/query/bias", (2, 4)),
        ("mha/query/lora_kernel_a", (5, 2, 2)),
        ("mha/query/lora_kernel_b", (2, 4)),
        ("mha/key/kernel", (5, 2, 4)),
    ]
    np.testing.assert_allclose(_np(mha(q, q)), before, atol=1e-6)  # b starts at zero
    mha._query_dense.lora_kernel_b.assign(np.ones((2, 4)))
    assert not np.allclose(_np(mha(q, q)), before)


def test_lora_layer_copies_keep_lora():
    layer = _dense_with_lora("copied")
    x = np.array([[1.0, 2.0, 3.0]], "float32")
    for other in (copy.deepcopy(layer), pickle.loads(pickle.dumps(layer))):
        assert type(other).__name__ == "Dense" and isinstance(other, layers.Dense)
        assert other.lora_enabled
        np.testing.assert_allclose(_np(other(x)), [[21, 16]])
    inp = keras.Input((3,))
    model = keras.Model(inp, layers.Dense(2, name="q", lora_rank=1)(inp))
    clone = keras.models.clone_model(model)
    assert clone.get_layer("q").lora_enabled and len(clone.weights) == 4


def test_lora_trainable_toggle_and_mixed_precision():
    layer = _dense_with_lora()
    # Keras 3: unfreezing the layer makes every weight trainable again, the kernel too.
    layer.trainable = False
    assert layer.trainable_weights == []
    layer.trainable = True
    assert [_short(w) for w in layer.trainable_weights] == [
        "kernel",
        "bias",
        "lora_kernel_a",
        "lora_kernel_b",
    ]
    keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        half = layers.Dense(2)
        half.build((None, 3))
        half.enable_lora(1)
        assert half(np.ones((1, 3), "float32")).dtype == torch.float16
    finally:
        keras.mixed_precision.set_global_policy("float32")


def test_keras2_lora_dense_subclasses_keep_their_own_lora_rank():
    # Keras 2 code writes its own LoRA Dense (`self.lora_rank` set before super().__init__,
    # or as a class attribute): tork's LoRA must neither overwrite it nor switch on too.
    # Weight names and output from tf_keras 2 (TF_USE_LEGACY_KERAS=1).
    class LoRADense(layers.Dense):
        def __init__(self, *args, lora_rank=4, lora_alpha=1.0, **kwargs):
            self.lora_rank = lora_rank
            super().__init__(*args, **kwargs)
            self.lora_alpha = lora_alpha
            self.scaling = lora_alpha / lora_rank

        def build(self, input_shape):
            super().build(input_shape)
            rows = int(input_shape[-1])
            self.kernel_lora_a = self.add_weight(
                "kernel_lora_a", shape=[rows, self.lora_rank], initializer="ones"
            )
            self.kernel_lora_b = self.add_weight(
                "kernel_lora_b", shape=[self.lora_rank, self.units], initializer="ones"
            )

        def call(self, x):
            update = tf.matmul(tf.matmul(x, self.kernel_lora_a), self.kernel_lora_b)
            return super().call(x) + self.scaling * update

    class ClassLevel(layers.Dense):
        lora_rank = 2

        def build(self, input_shape):
            super().build(input_shape)
            self.extra = self.add_weight("extra", shape=[self.lora_rank], initializer="ones")

    layer = LoRADense(2, lora_rank=3, lora_alpha=1.5, kernel_initializer="ones", name="lo_ra")
    out = layer(np.array([[1.0, 2.0, 3.0]], "float32"))
    assert [w.name for w in layer.weights] == [
        "lo_ra/kernel:0",
        "lo_ra/bias:0",
        "lo_ra/kernel_lora_a:0",
        "lo_ra/kernel_lora_b:0",
    ]
    np.testing.assert_allclose(_np(out), [[15.0, 15.0]])
    assert layer.lora_rank == 3 and not layer.lora_enabled
    assert "lora_rank" not in layer.get_config()
    other = ClassLevel(2, name="class_level")
    other(np.ones((1, 3), "float32"))
    assert [w.name for w in other.weights] == [
        "class_level/kernel:0",
        "class_level/bias:0",
        "class_level/extra:0",
    ]
    assert "lora_rank" not in other.get_config()


def test_lora_regularizer_losses_cover_lora_weights_only():
    # Keras 3.15: the frozen kernel's penalty leaves `losses`; a and b get the kernel's
    # regularizer. Output and losses from Keras 3 with these fixed weights.
    layer = layers.Dense(2, use_bias=False, kernel_regularizer=keras.regularizers.L2(0.5))
    layer.build((None, 3))
    layer.set_weights([np.ones((3, 2))])
    layer.enable_lora(1, a_initializer="ones", b_initializer="ones")
    out = layer(np.ones((1, 3), "float32"))
    np.testing.assert_allclose(_np(out), [[6.0, 6.0]])
    np.testing.assert_allclose([float(_np(loss)) for loss in layer.losses], [1.5, 1.0])
    assert [_short(w) for w in layer.trainable_weights] == ["lora_kernel_a", "lora_kernel_b"]


def test_group_query_attention_projection_lora():
    # Keras 3.15's paths and shapes for LoRA on GroupQueryAttention's query and value.
    gqa = layers.GroupQueryAttention(head_dim=2, num_query_heads=2, num_key_value_heads=1, name="g")
    q = np.ones((1, 3, 4), "float32")
    gqa(q, q)
    gqa._query_dense.enable_lora(1)
    gqa._value_dense.enable_lora(1)
    assert (gqa._query_dense.name, gqa._value_dense.name) == ("query", "value")
    assert [(w.path, tuple(w.shape)) for w in gqa.trainable_weights] == [
        ("g/query/bias", (2, 2)),
        ("g/query/lora_kernel_a", (4, 2, 1)),
        ("g/query/lora_kernel_b", (1, 2)),
        ("g/key/kernel", (4, 1, 2)),
        ("g/key/bias", (1, 2)),
        ("g/value/bias", (1, 2)),
        ("g/value/lora_kernel_a", (4, 1, 1)),
        ("g/value/lora_kernel_b", (1, 2)),
        ("g/attention_output/kernel", (2, 2, 4)),
        ("g/attention_output/bias", (4,)),
    ]
