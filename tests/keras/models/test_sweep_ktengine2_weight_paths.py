"""`Model.get_weight_paths()` (Keras 2): each variable under the path that reaches it.

Found by the tf_keras engine-test sweep (training_test's variable-path mapping): tork had
no `get_weight_paths`. The expected paths are what tf_keras 2.21 printed for the same
models: attribute paths for a subclassed model (list items by index, dict items by key, a
nested Sequential's layers as `layer_with_weights-N`), layer names for functional and
Sequential models, `{}` before the model is built.
"""

import numpy as np

import tork as tf

keras = tf.keras
L = keras.layers


class _Blocks(keras.Model):
    def __init__(self, inner):
        super().__init__()
        self.blocks = [L.Dense(2), L.Dense(2)]
        self.heads = {"k": L.Dense(1)}
        self.scale = tf.Variable(1.0)
        self.w = self.add_weight(name="w", shape=(1,))
        self.inner = inner

    def call(self, x):
        y = self.heads["k"](self.blocks[1](self.blocks[0](x)))
        return y * self.scale * self.w + self.inner(x)


def test_subclassed_model_paths_follow_attributes():
    inner = keras.Sequential([L.Dense(2, input_shape=(3,)), L.Dense(1)])
    model = _Blocks(inner)
    model(np.ones((1, 3), "float32"))
    paths = model.get_weight_paths()
    assert sorted(paths) == [
        "blocks.0.bias",
        "blocks.0.kernel",
        "blocks.1.bias",
        "blocks.1.kernel",
        "heads.k.bias",
        "heads.k.kernel",
        "inner.layer_with_weights-0.bias",
        "inner.layer_with_weights-0.kernel",
        "inner.layer_with_weights-1.bias",
        "inner.layer_with_weights-1.kernel",
        "scale",
        "w",
    ]
    assert paths["blocks.1.kernel"] is model.blocks[1].kernel
    assert paths["inner.layer_with_weights-1.bias"] is inner.layers[1].bias
    assert paths["scale"] is model.scale


def test_functional_and_sequential_paths_use_layer_names():
    inputs = L.Input((3,))
    x = L.Dense(2, name="a")(inputs)
    x = L.BatchNormalization(name="bn")(x)
    model = keras.Model(inputs, x)
    paths = model.get_weight_paths()
    assert list(paths) == [
        "a.kernel",
        "a.bias",
        "bn.gamma",
        "bn.beta",
        "bn.moving_mean",
        "bn.moving_variance",
    ]
    assert paths["bn.moving_mean"] is model.get_layer("bn").moving_mean
    assert tuple(paths["a.kernel"].shape) == (3, 2)

    seq = keras.Sequential([L.Dense(2, name="d0", input_shape=(3,)), L.Dense(1, name="d1")])
    assert list(seq.get_weight_paths()) == ["d0.kernel", "d0.bias", "d1.kernel", "d1.bias"]


def test_shared_layer_keeps_one_path():
    shared = L.Dense(2, name="shared")
    a = L.Input((2,))
    model = keras.Model(a, shared(shared(a)))
    assert list(model.get_weight_paths()) == ["shared.kernel", "shared.bias"]


class _TwoDense(keras.Model):
    def __init__(self):
        super().__init__()
        self.d1 = L.Dense(4)
        self.d2 = L.Dense(1)

    def call(self, x):
        return self.d2(self.d1(x))


def test_unbuilt_model_has_no_paths():
    model = _TwoDense()
    assert model.get_weight_paths() == {}
    model(np.zeros((2, 3), "float32"))
    assert sorted(model.get_weight_paths()) == ["d1.bias", "d1.kernel", "d2.bias", "d2.kernel"]
