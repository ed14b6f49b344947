"""Custom Layer subclasses as tf.keras users write them, checked against tf_keras 2.21.

Expected names and orders were printed by tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) running the
same layer definitions.
"""

from __future__ import annotations

import numpy as np
import pytest

from tork import keras


def _names(weights):
    # tf_keras prefixes the outermost layer's name: compare the part after it.
    return [w.name.split("/", 1)[-1] for w in weights]


class AllSpellings(keras.layers.Layer):
    """add_weight in Keras 2 positional, mixed and keyword spellings."""

    def build(self, input_shape):
        # Keras 2: add_weight(name, shape, dtype, initializer, regularizer, trainable)
        self.w = self.add_weight("w", (int(input_shape[-1]), 2), "float32", "ones", None, True)
        self.b = self.add_weight("b", [2], initializer="zeros", trainable=False)
        self.c = self.add_weight(shape=(2,), initializer="zeros", trainable=False)
        self.d = self.add_weight(name="d", shape=(), initializer=keras.initializers.Constant(3.0))

    def call(self, x):
        return x @ self.w + self.b + self.c + self.d


def test_add_weight_keras2_positional_and_keyword_spellings():
    layer = AllSpellings()
    y = layer(np.ones((2, 3), "float32"))
    np.testing.assert_allclose(np.asarray(y), np.full((2, 2), 6.0))  # 3 * 1 + 0 + 0 + 3
    assert [tuple(w.shape) for w in layer.weights] == [(3, 2), (), (2,), (2,)]
    assert _names(layer.trainable_weights) == ["w:0", "d:0"]
    assert len(layer.non_trainable_weights) == 2
    assert layer.b.trainable is False and layer.w.trainable is True
    assert layer.count_params() == 11


def test_add_weight_keras2_trainable_none_means_trainable():
    class L(keras.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight("w", (2,), None, "zeros", None, None)

    layer = L()
    layer.build((None, 2))
    assert layer.w.trainable is True
    np.testing.assert_array_equal(layer.get_weights()[0], np.zeros(2))


def test_add_weight_keras3_positional_order():
    layer = keras.layers.Layer()
    w = layer.add_weight((2, 3), "ones", "float64", False)
    assert tuple(w.shape) == (2, 3) and w.trainable is False
    assert str(w.dtype).endswith("float64")
    np.testing.assert_array_equal(np.asarray(w), np.ones((2, 3)))


def test_add_weight_argument_given_twice_is_a_type_error():
    layer = keras.layers.Layer()
    with pytest.raises(TypeError, match="add_weight got multiple values for argument 'shape'"):
        layer.add_weight("w", (2,), shape=(3,))
    with pytest.raises(TypeError, match="add_weight got unexpected arguments"):
        layer.add_weight(shape=(2,), bogus=1)


class Block(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.d1 = keras.layers.Dense(2, name="d1")
        self.bn = keras.layers.BatchNormalization(name="bn")
        self.d2 = keras.layers.Dense(2, name="d2")

    def build(self, input_shape):
        self.nt = self.add_weight(name="nt", shape=(1,), trainable=False)
        self.t = self.add_weight(name="t", shape=(1,))

    def call(self, x):
        return self.d2(self.bn(self.d1(x))) * self.t + self.nt


# tf_keras 2.21: a layer lists all trainable weights (own, then sublayers') first.
BLOCK_WEIGHTS = [
    "t:0",
    "d1/kernel:0",
    "d1/bias:0",
    "bn/gamma:0",
    "bn/beta:0",
    "d2/kernel:0",
    "d2/bias:0",
    "nt:0",
    "bn/moving_mean:0",
    "bn/moving_variance:0",
]
FROZEN_BLOCK_WEIGHTS = [
    "t:0",
    "nt:0",
    "d1/kernel:0",
    "d1/bias:0",
    "bn/gamma:0",
    "bn/beta:0",
    "bn/moving_mean:0",
    "bn/moving_variance:0",
    "d2/kernel:0",
    "d2/bias:0",
]


def test_layer_with_sublayers_lists_weights_in_keras2_order():
    block = Block(name="blk")
    block(np.ones((2, 3), "float32"))
    assert _names(block.weights) == BLOCK_WEIGHTS
    assert _names(block.trainable_weights) == BLOCK_WEIGHTS[:7]
    assert _names(block.non_trainable_weights) == BLOCK_WEIGHTS[7:]
    # get_weights / set_weights follow the same order.
    assert [a.shape for a in block.get_weights()] == [tuple(w.shape) for w in block.weights]
    arrays = [np.full(tuple(w.shape), i, "float32") for i, w in enumerate(block.weights)]
    block.set_weights(arrays)
    np.testing.assert_array_equal(np.asarray(block.nt), [7.0])
    np.testing.assert_array_equal(np.asarray(block.bn.moving_mean), [8.0, 8.0])


def test_frozen_sublayer_and_frozen_layer_weight_order():
    block = Block(name="blk")
    block(np.ones((2, 3), "float32"))
    block.bn.trainable = False
    assert _names(block.weights) == [
        "t:0",
        "d1/kernel:0",
        "d1/bias:0",
        "d2/kernel:0",
        "d2/bias:0",
        "nt:0",
        "bn/gamma:0",
        "bn/beta:0",
        "bn/moving_mean:0",
        "bn/moving_variance:0",
    ]
    block.bn.trainable = True
    block.trainable = False
    assert _names(block.weights) == FROZEN_BLOCK_WEIGHTS
    assert _names(block.non_trainable_weights) == FROZEN_BLOCK_WEIGHTS
    assert block.trainable_weights == []
    block.trainable = True
    assert _names(block.weights) == BLOCK_WEIGHTS


def test_model_lists_weights_layer_by_layer_then_its_own():
    class M(keras.Model):
        def __init__(self):
            super().__init__(name="m")
            self.blk = Block(name="blk2")
            self.out = keras.layers.Dense(1, name="out")
            self.s = self.add_weight(name="s", shape=(1,), trainable=False)
            self.s2 = self.add_weight(name="s2", shape=(1,))

        def call(self, x):
            return self.out(self.blk(x)) * self.s2 + self.s

    model = M()
    model(np.ones((2, 3), "float32"))
    blk = ["blk2/" + n for n in BLOCK_WEIGHTS]
    assert _names(model.weights) == blk + ["out/kernel:0", "out/bias:0", "s2:0", "s:0"]
    assert _names(model.trainable_weights) == blk[:7] + ["out/kernel:0", "out/bias:0", "s2:0"]
    assert _names(model.non_trainable_weights) == blk[7:] + ["s:0"]


def test_sequential_with_custom_block_weight_order():
    model = keras.Sequential(
        [keras.Input((3,)), Block(name="blk3"), keras.layers.BatchNormalization(name="bn2")]
    )
    names = [n.rsplit("/", 1)[-1] for n in _names(model.weights)]
    # tf_keras 2.21 (last path component of each name).
    assert names == [
        "t:0",
        "kernel:0",
        "bias:0",
        "gamma:0",
        "beta:0",
        "kernel:0",
        "bias:0",
        "nt:0",
        "moving_mean:0",
        "moving_variance:0",
        "gamma:0",
        "beta:0",
        "moving_mean:0",
        "moving_variance:0",
    ]


class _Recorder(keras.layers.Layer):
    """Records what `training` (or the kwargs) its call received."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seen = []


class TakesKwargs(_Recorder):
    def call(self, x, **kwargs):
        self.seen.append(dict(kwargs))
        return x


class RequiresTraining(_Recorder):
    def call(self, x, training):
        self.seen.append(training)
        return x


class Outer(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.a = TakesKwargs()
        self.b = RequiresTraining()

    def call(self, x, training=None):
        return self.b(self.a(x))


def test_training_reaches_kwargs_and_required_training_calls():
    # tf_keras 2.21: "A kwargs ['training']" / "B training True"; a top-level call of a
    # layer whose `training` has no default gets training=None instead of a TypeError.
    outer = Outer()
    outer(np.ones((1, 2), "float32"), training=True)
    assert outer.a.seen == [{"training": True}]
    assert outer.b.seen == [True]
    outer(np.ones((1, 2), "float32"))
    assert outer.a.seen[-1] == {"training": None}
    assert outer.b.seen[-1] is None
    alone = RequiresTraining()
    alone(np.ones((1, 2), "float32"))
    alone(np.ones((1, 2), "float32"), training=False)
    assert alone.seen == [None, False]


class ScaleAndCount(keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(name="w", shape=(input_shape[-1],), initializer="ones")
        self.n = self.add_weight(name="n", shape=(), initializer="zeros", trainable=False)

    def call(self, x):
        self.n.assign_add(1.0)
        return x * self.w


def test_mixed_precision_custom_layer_reads_weights_in_compute_dtype():
    # tf_keras 2.21 (AutoCastVariable): the output is float16, the weight stays float32,
    # a non-trainable variable can still be assigned in call, and training updates `w`.
    layer = ScaleAndCount(dtype="mixed_float16")
    y = layer(np.full((2, 3), 2.0, "float32"))
    assert str(y.dtype) == "torch.float16"
    np.testing.assert_array_equal(np.asarray(y, dtype="float32"), np.full((2, 3), 2.0))
    assert str(layer.w.dtype) == "torch.float32" and layer.w is layer.weights[0]
    assert float(layer.n) == 1.0
    inp = keras.Input((3,))
    out = keras.layers.Dense(1, dtype="float32", kernel_initializer="ones")(layer(inp))
    model = keras.Model(inp, out)
    model.compile("sgd", "mse")
    model.fit(np.ones((4, 3), "float32"), np.zeros((4, 1), "float32"), epochs=1, verbose=0)
    assert str(layer.w.dtype) == "torch.float32"
    assert not np.allclose(np.asarray(layer.w), 1.0)  # the gradient reached the float32 weight
    assert float(layer.n) >= 2.0


def test_supports_masking_defaults_follow_keras2():
    # tf_keras 2.21: overriding compute_mask means supporting masks; taking `mask` in call
    # does not. Lambda and Dot report True (their compute_mask decides the output mask).
    class OwnMask(keras.layers.Layer):
        def compute_mask(self, inputs, mask=None):
            return mask

    class TakesMask(keras.layers.Layer):
        def call(self, x, mask=None):
            return x

    assert OwnMask().supports_masking is True
    assert TakesMask().supports_masking is False
    assert keras.layers.Lambda(lambda x: x).supports_masking is True
    assert keras.layers.Dot(axes=1).supports_masking is True
    assert keras.layers.Dense(2).supports_masking is True
    assert keras.layers.Embedding(3, 2).supports_masking is False
    assert keras.layers.Flatten().supports_masking is False
    # A Lambda without `mask=` still drops the mask (compute_mask returns None).
    emb = keras.layers.Embedding(5, 2, mask_zero=True)
    y = keras.layers.Lambda(lambda x: x * 2.0)(emb(np.array([[1, 0]])))
    assert getattr(y, "_keras_mask", None) is None


def test_model_add_loss_of_a_per_sample_tensor_logs_its_mean():
    inp = keras.Input((2,))
    dense = keras.layers.Dense(1, kernel_initializer="ones", bias_initializer="zeros")
    model = keras.Model(inp, dense(inp))
    # (batch, 1) values: Keras 2 logs their mean (tf_keras 2.21 prints 14.0; Keras 3 would
    # log the sum, 56.0); the gradient is that of their sum in both.
    model.add_loss(model.output * 2.0)
    model.compile("sgd")
    x = np.arange(8, dtype="float32").reshape(4, 2)
    expected = float((2.0 * x.sum(axis=1)).mean())
    assert expected == 14.0
    np.testing.assert_allclose(model.evaluate(x, verbose=0), expected, rtol=1e-6)


def test_add_loss_in_call_reaches_model_losses_and_fit():
    class Penalty(keras.layers.Layer):
        def call(self, x):
            self.add_loss(0.5 * keras.ops.mean(x))
            return x

    inp = keras.Input((2,))
    model = keras.Model(inp, keras.layers.Dense(1)(Penalty()(inp)))
    model(np.full((2, 2), 3.0, "float32"))
    assert [round(float(v), 4) for v in model.losses] == [1.5]
    model(np.full((2, 2), 1.0, "float32"))
    assert [round(float(v), 4) for v in model.losses] == [0.5]  # the last call's only


def test_layers_serialize_and_deserialize_round_trip_a_sublayer():
    from tork import keras

    class Block(keras.layers.Layer):
        def __init__(self, inner=None, **kwargs):
            super().__init__(**kwargs)
            self.inner = inner if inner is not None else keras.layers.Dense(2)

        def call(self, x):
            return self.inner(x)

        def get_config(self):
            config = super().get_config()
            config["inner"] = keras.layers.serialize(self.inner)
            return config

        @classmethod
        def from_config(cls, config):
            config["inner"] = keras.layers.deserialize(config["inner"])
            return cls(**config)

    block = Block(keras.layers.Dense(5, activation="relu", name="proj"))
    copy = Block.from_config(block.get_config())
    assert copy.inner.units == 5 and copy.inner.name == "proj"
    assert copy.inner.activation is keras.activations.relu
    assert keras.layers.deserialize({"class_name": "Dense", "config": {"units": 2}}).units == 2


def test_layer_created_inside_call_during_functional_construction():
    class Lazy(keras.layers.Layer):
        def call(self, x):
            if not hasattr(self, "dense"):  # created on the first (symbolic) call
                self.dense = keras.layers.Dense(3, bias_initializer="ones")
            return self.dense(x)

    inp = keras.Input((4, 8))
    model = keras.Model(inp, Lazy()(inp))
    x = np.random.default_rng(0).normal(size=(2, 4, 8)).astype("float32")
    kernel, bias = model.get_weights()
    np.testing.assert_allclose(model.predict(x, verbose=0), x @ kernel + bias, rtol=1e-5, atol=1e-6)
    assert kernel.shape == (8, 3) and np.abs(kernel).sum() > 0  # drawn, not fake


def test_one_output_from_several_masked_inputs_takes_the_first_mask():
    # tf_keras 2.21: a supports_masking layer joining two masked inputs into one tensor
    # gives that tensor the first input's mask (Keras pairs flat outputs with flat masks).
    class Join(keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.supports_masking = True

        def call(self, inputs):
            return inputs[0] + inputs[1]

    a = keras.Input((3,), dtype="int32")
    b = keras.Input((3,), dtype="int32")
    embed = {"embeddings_initializer": "ones", "mask_zero": True}
    joined = Join()(
        [keras.layers.Embedding(5, 2, **embed)(a), keras.layers.Embedding(5, 2, **embed)(b)]
    )
    model = keras.Model([a, b], joined)
    out = model([np.array([[1, 2, 0]]), np.array([[3, 0, 0]])])
    assert out._keras_mask.tolist() == [[True, True, False]]
    pooled = keras.Model([a, b], keras.layers.GlobalAveragePooling1D()(joined))
    np.testing.assert_allclose(
        pooled([np.array([[1, 2, 0]]), np.array([[3, 0, 0]])]).numpy(), [[2.0, 2.0]]
    )
