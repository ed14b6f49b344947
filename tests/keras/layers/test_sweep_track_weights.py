"""Weight tracking of subclassed layers and models, against tf_keras (Keras 2).

Every expected list below was printed by the same code run with TF_USE_LEGACY_KERAS=1 on
tensorflow 2.x + tf_keras (the reference env), `[w.name for w in layer.weights]` etc.
Covered: Keras 2's own-weight lists `_trainable_weights`/`_non_trainable_weights` that user
code appends to or assigns (keras-unet-collection's Snake, BERT-hub layers, bert4keras's
`reuse`), metric attributes (among a model's layers; no weights of a plain layer),
sublayers re-assigned in build (keras-tcn), dict attributes (tracked by sorted key).
"""

import copy

import numpy as np
import pytest

import tork as tf
from tork import keras

L = keras.layers
K = keras.backend
X = np.arange(8, dtype="float32").reshape(2, 4) / 8


def names(weights):
    return [w.name for w in weights]


# -- _trainable_weights / _non_trainable_weights ------------------------------------------
class Snake(L.Layer):
    """keras-unet-collection's Snake activation, as written (K.variable + append)."""

    def __init__(self, beta=0.5, trainable=False, **kwargs):
        super().__init__(**kwargs)
        self.beta = beta
        self.trainable = trainable

    def build(self, input_shape):
        self.beta_factor = K.variable(self.beta, dtype=K.floatx(), name="beta_factor")
        if self.trainable:
            self._trainable_weights.append(self.beta_factor)
        super().build(input_shape)

    def call(self, inputs):
        return inputs + K.sin(self.beta_factor * inputs) ** 2 / self.beta_factor


def test_snake_appends_its_variable():
    frozen = Snake(name="snake")
    frozen(X)
    assert names(frozen.weights) == ["snake/beta_factor:0"]
    assert frozen.trainable_weights == []
    assert names(frozen.non_trainable_weights) == ["snake/beta_factor:0"]
    layer = Snake(trainable=True, name="snake2")
    layer(X)
    assert names(layer.weights) == ["snake2/beta_factor:0"]
    assert names(layer.trainable_weights) == ["snake2/beta_factor:0"]
    assert layer.non_trainable_weights == []
    # tf_keras's raw list holds it twice (attribute + append); its properties list it once.
    assert layer._trainable_weights[0] is layer.beta_factor
    assert layer._non_trainable_weights == []


class Loc(L.Layer):
    """Variables kept only in the own-weight lists (no attribute)."""

    def build(self, input_shape):
        self.k = self.add_weight(name="k", shape=(4,), initializer="ones")
        self._trainable_weights.append(tf.Variable(np.full((4,), 2.0, "float32"), name="loc_v"))
        self._non_trainable_weights.append(tf.Variable(np.full((4,), 3.0, "float32"), name="loc_n"))
        self.built = True

    def call(self, x):
        return x * self.k * self._trainable_weights[1] + self._non_trainable_weights[0]


def test_appended_variables_are_weights_and_train():
    layer = Loc(name="loc")
    layer(X)
    assert names(layer.weights) == ["loc/k:0", "loc/loc_v:0", "loc/loc_n:0"]
    assert names(layer.trainable_weights) == ["loc/k:0", "loc/loc_v:0"]
    assert names(layer.non_trainable_weights) == ["loc/loc_n:0"]
    assert names(layer._trainable_weights) == ["loc/k:0", "loc/loc_v:0"]
    assert names(layer._non_trainable_weights) == ["loc/loc_n:0"]
    # torch sees them too (state_dict, .to(device)).
    assert {id(p) for p in layer.parameters()} == {id(w) for w in layer.weights}

    model = keras.Sequential(
        [L.Dense(4, name="dd", kernel_initializer="ones"), Loc(name="loc2")], name="seq"
    )
    model.compile(keras.optimizers.SGD(0.1), "mse")
    model.fit(X, np.ones((2, 4), "float32"), epochs=2, batch_size=2, verbose=0, shuffle=False)
    assert names(model.weights) == [
        "dd/kernel:0",
        "dd/bias:0",
        "loc2/k:0",
        "loc2/loc_v:0",
        "loc2/loc_n:0",
    ]
    # tf_keras after the same two SGD steps (every column equal).
    expected = {
        "dd/kernel:0": [0.817362, 0.751278, 0.685194, 0.619111],
        "dd/bias:0": -0.528669,
        "loc2/k:0": -0.239391,
        "loc2/loc_v:0": 1.427557,
        "loc2/loc_n:0": 3.0,
    }
    for w in model.weights:
        value = w.detach().numpy()
        want = expected[w.name]
        if w.name == "dd/kernel:0":
            np.testing.assert_allclose(value[:, 0], want, rtol=1e-5)
        else:
            np.testing.assert_allclose(value, np.full(value.shape, want), rtol=1e-5)


class Assign(L.Layer):
    """Older Keras code assigns the list: `b` is then no weight of the layer."""

    def build(self, input_shape):
        self.W = self.add_weight(name="W", shape=(4, 2))
        self.b = self.add_weight(name="b", shape=(2,))
        self.extra = tf.Variable(np.ones((2,), "float32"), name="extra", trainable=False)
        self._trainable_weights = [self.W]
        self._trainable_weights += [tf.Variable(np.ones((2,), "float32"), name="plus")]
        self.built = True

    def call(self, x):
        return K.dot(x, self.W) + self.b


def test_assigned_own_lists():
    layer = Assign(name="asg")
    layer(X)
    assert names(layer.weights) == ["asg/W:0", "asg/plus:0", "asg/extra:0"]
    assert names(layer.trainable_weights) == ["asg/W:0", "asg/plus:0"]
    assert names(layer.non_trainable_weights) == ["asg/extra:0"]
    assert [a.shape for a in layer.get_weights()] == [(4, 2), (2,), (2,)]
    # A deep copy keeps the choice (and holds the copied variables).
    clone = copy.deepcopy(layer)
    assert [w.name for w in clone.weights] == names(layer.weights)
    assert all(c is not w for c, w in zip(clone.weights, layer.weights))
    assert clone._trainable_weights[0] is clone.W


class Both(L.Layer):
    def build(self, input_shape):
        self.v = tf.Variable(np.ones((4,), "float32"), name="v")
        self._non_trainable_weights.append(self.v)
        self.w = self.add_weight(name="w", shape=(4,))
        self.built = True

    def call(self, x):
        return x * self.v * self.w


def test_variable_in_both_lists_is_listed_twice_as_in_keras2():
    layer = Both(name="nt")
    layer(X)
    assert names(layer.weights) == ["nt/v:0", "nt/w:0", "nt/v:0"]
    assert names(layer.trainable_weights) == ["nt/v:0", "nt/w:0"]
    assert names(layer.non_trainable_weights) == ["nt/v:0"]
    assert len(layer.get_weights()) == 3 and layer.count_params() == 8
    # `in`/`remove` compare by identity (TF's `==` is elementwise and raises here).
    assert layer.w in layer._trainable_weights and layer.w not in layer._non_trainable_weights
    layer._trainable_weights.remove(layer.w)
    assert names(layer.weights) == ["nt/v:0", "nt/v:0"]


class Reusing(L.Layer):
    """bert4keras's OurLayer.reuse: a borrowed layer's weights become this layer's own."""

    def __init__(self, borrowed, **kwargs):
        super().__init__(**kwargs)
        object.__setattr__(self, "_plain", borrowed)  # untracked: only the lists hold it

    def build(self, input_shape):
        self.k = self.add_weight(name="k", shape=(4,))
        self.built = True

    def call(self, x):
        layer = self._plain
        if not layer.built:
            layer.build(K.int_shape(x))
        out = layer.call(x * self.k)
        for w in layer.trainable_weights:
            if w not in self._trainable_weights:
                self._trainable_weights.append(w)
        return out


def test_borrowed_layer_weights_become_own():
    layer = Reusing(L.Dense(3, name="reused"), name="ur")
    layer(X)
    assert names(layer.weights) == ["ur/k:0", "ur/kernel:0", "ur/bias:0"]
    assert names(layer.trainable_weights) == ["ur/k:0", "ur/kernel:0", "ur/bias:0"]


def test_own_lists_take_only_variables():
    layer = Loc(name="bad")
    layer(X)
    with pytest.raises(TypeError, match=r"layer 'bad': `_trainable_weights` holds variables"):
        layer._trainable_weights.append(np.ones(3))
    with pytest.raises(TypeError, match=r"`_non_trainable_weights` must be a list of variables"):
        layer._non_trainable_weights = tf.Variable(1.0)
    assert names(layer.weights) == ["bad/k:0", "bad/loc_v:0", "bad/loc_n:0"]


# -- metric attributes ------------------------------------------------------------------------
def test_model_lists_metric_state_where_the_metric_was_assigned():
    class C2(keras.Model):
        def __init__(self, **kw):
            super().__init__(**kw)
            self.trackers = [keras.metrics.Mean(name="m1"), keras.metrics.Sum(name="s1")]
            self.d1 = L.Dense(2, name="d1")
            self.acc = keras.metrics.Mean(name="acc")
            self.bn = L.BatchNormalization(name="bn")
            self.acc = keras.metrics.Mean(name="acc2")  # re-assigned: tracked last

        def call(self, x):
            return self.bn(self.d1(x))

    model = C2(name="c2")
    model(X)
    expected = ["total:0", "count:0", "total:0", "c2/d1/kernel:0", "c2/d1/bias:0"]
    expected += ["c2/bn/gamma:0", "c2/bn/beta:0", "c2/bn/moving_mean:0"]
    expected += ["c2/bn/moving_variance:0", "total:0", "count:0"]
    assert names(model.weights) == expected
    assert names(model.variables) == expected
    assert names(model.trainable_weights) == [
        "c2/d1/kernel:0",
        "c2/d1/bias:0",
        "c2/bn/gamma:0",
        "c2/bn/beta:0",
    ]
    assert names(model.non_trainable_weights) == [
        "total:0",
        "count:0",
        "total:0",
        "c2/bn/moving_mean:0",
        "c2/bn/moving_variance:0",
        "total:0",
        "count:0",
    ]
    assert model.weights[-2] is model.acc.variables[0]


def test_plain_layer_metric_holds_no_weights():
    class Inner(L.Layer):
        def __init__(self, **kw):
            super().__init__(**kw)
            self.d1 = L.Dense(2, name="d1")
            self.tracker = keras.metrics.Mean(name="tr")
            self.bn = L.BatchNormalization(name="bn")

        def call(self, x):
            return self.bn(self.d1(x))

    class Outer(keras.Model):
        def __init__(self, **kw):
            super().__init__(**kw)
            self.inner = Inner(name="inner")
            self.m2 = keras.metrics.Sum(name="s")

        def call(self, x):
            return self.inner(x)

    model = Outer(name="outer")
    model(X)
    inner = ["outer/inner/d1/kernel:0", "outer/inner/d1/bias:0", "outer/inner/bn/gamma:0"]
    inner += ["outer/inner/bn/beta:0", "outer/inner/bn/moving_mean:0"]
    inner += ["outer/inner/bn/moving_variance:0"]
    assert names(model.inner.weights) == inner
    assert names(model.inner.non_trainable_weights) == inner[-2:]
    assert names(model.weights) == inner + ["total:0"]
    assert [a.shape for a in model.get_weights()][-1] == ()


# -- re-assigned sublayers, None, dicts ------------------------------------------------------
class Residual(L.Layer):
    """keras-tcn's pattern: placeholders in __init__, the real norm layers made in build."""

    def __init__(self, **kw):
        super().__init__(**kw)
        self.n1 = None
        self.d1 = L.Dense(2, name="d1")
        self.n2 = L.Dense(5, name="placeholder")
        self.d2 = L.Dense(3, name="d2")

    def build(self, input_shape):
        self.n1 = L.BatchNormalization(name="bnA")
        self.n2 = L.LayerNormalization(name="lnB")
        super().build(input_shape)

    def call(self, x):
        return self.d2(self.n2(self.n1(self.d1(x))))


def test_sublayer_reassigned_in_build_moves_last():
    layer = Residual(name="c3")
    layer(X)
    assert names(layer.weights) == [
        "c3/d1/kernel:0",
        "c3/d1/bias:0",
        "c3/d2/kernel:0",
        "c3/d2/bias:0",
        "c3/bnA/gamma:0",
        "c3/bnA/beta:0",
        "c3/lnB/gamma:0",
        "c3/lnB/beta:0",
        "c3/bnA/moving_mean:0",
        "c3/bnA/moving_variance:0",
    ]
    assert [sub.name for sub in layer.submodules] == ["d1", "d2", "bnA", "lnB"]
    assert [a.shape for a in layer.get_weights()][:4] == [(4, 2), (2,), (2, 3), (3,)]


def test_same_object_keeps_its_place_and_none_untracks():
    class R1(L.Layer):
        def __init__(self, **kw):
            super().__init__(**kw)
            self.a = L.Dense(2, name="a")
            self.b = L.Dense(2, name="b")
            self.c = L.Dense(2, name="c")
            self.b = self.b
            self.a = L.Dense(2, name="a2")

        def build(self, input_shape):
            self.v1 = tf.Variable(np.ones((2,), "float32"), name="v1")
            self.v2 = tf.Variable(np.ones((2,), "float32"), name="v2")
            self.v1 = tf.Variable(np.ones((2,), "float32"), name="v1b")
            self.c = None

        def call(self, x):
            return self.b(self.a(x)) * self.v1 * self.v2

    layer = R1(name="r1")
    layer(X)
    assert names(layer.weights) == [
        "r1/v1b:0",
        "r1/v2:0",
        "r1/b/kernel:0",
        "r1/b/bias:0",
        "r1/a2/kernel:0",
        "r1/a2/bias:0",
    ]
    assert [sub.name for sub in layer.submodules] == ["b", "a2"]


def test_dict_attributes_are_tracked_by_sorted_key():
    class DK(keras.Model):
        def __init__(self, **kw):
            super().__init__(**kw)
            self.h = {
                2: L.Dense(1, name="two"),
                1: L.Dense(1, name="one"),
                10: L.Dense(1, name="ten"),
            }
            self.s = {
                "b": [L.Dense(1, name="b0")],
                "a": {"y": L.Dense(1, name="ay"), "x": L.Dense(1, name="ax")},
            }

        def call(self, x):
            out = sum(layer(x) for layer in self.h.values())
            return out + self.s["b"][0](x) + self.s["a"]["y"](x) + self.s["a"]["x"](x)

    model = DK(name="dk")
    model(X)
    order = ["one", "two", "ten", "ax", "ay", "b0"]
    assert names(model.weights) == [f"dk/{n}/{w}:0" for n in order for w in ("kernel", "bias")]
    assert [layer.name for layer in model.layers] == order
    assert [sub.name for sub in model.submodules] == order
    model.h[0] = L.Dense(1, name="zero")
    model.h[0](X)
    assert [layer.name for layer in model.layers] == ["zero"] + order
    assert names(model.weights)[:2] == ["zero/kernel:0", "zero/bias:0"]


def test_layers_property_of_tracked_dicts_and_lists():
    class DK(L.Layer):
        def __init__(self, **kw):
            super().__init__(**kw)
            self.h = {"b": L.Dense(1, name="hb"), "a": L.Dense(1, name="ha")}
            self.l = [
                L.Dense(1, name="l0"),
                {"z": L.Dense(1, name="lz"), "c": L.Dense(1, name="lc")},
            ]

    layer = DK(name="dk")
    assert [sub.name for sub in layer.h.layers] == ["ha", "hb"]
    assert [sub.name for sub in layer.l.layers] == ["l0", "lc", "lz"]


def test_layer_with_nested_structures_lists_trainable_first():
    class C4L(L.Layer):
        def __init__(self, **kw):
            super().__init__(**kw)
            self.a = L.Dense(2, name="a")
            self.blocks = [
                L.Dense(2, name="b0"),
                [L.BatchNormalization(name="b1bn"), L.Dense(2, name="b1d")],
            ]
            self.heads = {"z": L.Dense(1, name="hz"), "y": L.Dense(1, name="hy")}
            self.c = L.Dense(2, name="c")

        def call(self, x):
            x = self.a(x)
            x = self.blocks[1][1](self.blocks[1][0](self.blocks[0](x)))
            x = self.c(x)
            return self.heads["z"](x) + self.heads["y"](x)

    layer = C4L(name="c4l")
    layer(X)
    order = ["a", "b0", "b1bn/gamma", "b1bn/beta", "b1d", "hy", "hz", "c"]
    expected = []
    for n in order:
        expected += [f"c4l/{n}:0"] if "/" in n else [f"c4l/{n}/kernel:0", f"c4l/{n}/bias:0"]
    expected += ["c4l/b1bn/moving_mean:0", "c4l/b1bn/moving_variance:0"]
    assert names(layer.weights) == expected


# -- lists filled after assignment, attributes set before super().__init__() -----------------
def test_list_filled_in_build_keeps_its_assignment_place():
    class E(L.Layer):
        def __init__(self, **kw):
            super().__init__(**kw)
            self.convs = []
            self.dense = L.Dense(2, name="dense")
            self.extra = {}
            self.ints = [1, 2]
            self.tail = L.Dense(2, name="tail")

        def build(self, input_shape):
            for i in range(2):
                self.convs.append(L.Dense(4, name=f"c{i}"))
            self.extra["k"] = L.Dense(4, name="ek")

        def call(self, x):
            for conv in self.convs:
                x = conv(x)
            return self.tail(self.dense(self.extra["k"](x)))

    layer = E(name="e")
    layer(X)
    order = ["c0", "c1", "dense", "ek", "tail"]
    assert names(layer.weights) == [f"e/{n}/{w}:0" for n in order for w in ("kernel", "bias")]
    assert [sub.name for sub in layer.submodules] == order


def test_model_lists_filled_in_call_and_metrics_keep_assignment_order():
    class EM(keras.Model):
        def __init__(self, **kw):
            super().__init__(**kw)
            self.convs = []
            self.dense = L.Dense(2, name="dense")
            self.later = []
            self.tail = L.Dense(2, name="tail")
            self.later2 = []

        def call(self, x):
            if not self.convs:
                self.later2.append(L.Dense(4, name="l2"))
                self.convs.append(L.Dense(4, name="c0"))
                self.later.append(L.Dense(4, name="l1"))
            x = self.later2[0](self.later[0](self.convs[0](x)))
            return self.tail(self.dense(x))

    model = EM(name="em")
    model(X)
    order = ["c0", "dense", "l1", "tail", "l2"]
    assert names(model.weights) == [f"em/{n}/{w}:0" for n in order for w in ("kernel", "bias")]
    assert [layer.name for layer in model.layers] == order

    class Q(keras.Model):
        def __init__(self, **kw):
            super().__init__(**kw)
            self.heads = []
            self.tracker = keras.metrics.Mean(name="trk")
            self.d = L.Dense(2, name="d")

        def call(self, x):
            if not self.heads:
                self.heads.append(L.Dense(4, name="h"))
            return self.d(self.heads[0](x))

    model = Q(name="q")
    model(X)
    expected = ["q/h/kernel:0", "q/h/bias:0", "total:0", "count:0", "q/d/kernel:0", "q/d/bias:0"]
    assert names(model.weights) == expected
    assert names(model.non_trainable_weights) == ["total:0", "count:0"]


def test_attributes_set_before_super_init_keep_their_order():
    class P(L.Layer):
        def __init__(self, **kw):
            self.first = L.Dense(2, name="first")
            self.blocks = []
            self.mid = L.Dense(2, name="mid")
            super().__init__(**kw)
            self.last = L.Dense(2, name="last")

        def build(self, input_shape):
            self.blocks.append(L.Dense(4, name="blk"))

        def call(self, x):
            return self.last(self.mid(self.first(self.blocks[0](x))))

    layer = P(name="p")
    layer(X)
    order = ["first", "blk", "mid", "last"]
    assert names(layer.weights) == [f"p/{n}/{w}:0" for n in order for w in ("kernel", "bias")]


def test_residual_block_pattern_of_keras_tcn():
    # keras-tcn's ResidualBlock, reduced: lists assigned before super().__init__(), the
    # layer list re-assigned and filled in build(), a None placeholder, and the same
    # layers set again as attributes under their names.
    class Block(L.Layer):
        def __init__(self, **kw):
            self.layers = []
            self.match = None
            self.norms = []
            super().__init__(**kw)

        def _add(self, layer, shape):
            self.layers.append(layer)
            layer.build(shape)
            return layer.compute_output_shape(shape)

        def build(self, input_shape):
            self.layers = []
            shape = input_shape
            for k in range(2):
                shape = self._add(L.Conv1D(4, 2, padding="causal", name=f"conv_{k}"), shape)
                norm = L.BatchNormalization(name=f"norm_{k}")
                self.norms.append(norm)
                shape = self._add(norm, shape)
            self.match = L.Conv1D(4, 1, name="match")
            self.match.build(input_shape)
            for layer in self.layers:
                setattr(self, layer.name, layer)
            super().build(input_shape)

        def call(self, x):
            y = x
            for layer in self.layers:
                y = layer(y)
            return y + self.match(x)

    block = Block(name="blk")
    block(np.ones((2, 5, 3), "float32"))
    conv0, norm0, conv1, norm1 = block.layers
    # tf_keras: the norms list (assigned in __init__) before the re-assigned layer list.
    expected = [norm0.gamma, norm0.beta, norm1.gamma, norm1.beta]
    expected += [conv0.kernel, conv0.bias, conv1.kernel, conv1.bias]
    expected += [block.match.kernel, block.match.bias]
    expected += [norm0.moving_mean, norm0.moving_variance, norm1.moving_mean]
    expected += [norm1.moving_variance]
    assert [id(w) for w in block.weights] == [id(w) for w in expected]
    assert [sub.name for sub in block.submodules] == [
        "norm_0",
        "norm_1",
        "conv_0",
        "conv_1",
        "match",
    ]


def test_order_and_own_lists_survive_pickling():
    import io

    import torch

    layer = Loc(name="pk")
    layer.first = L.Dense(2, name="first")
    layer(X)
    buffer = io.BytesIO()
    torch.save(layer, buffer)
    buffer.seek(0)
    loaded = torch.load(buffer, weights_only=False)
    assert names(loaded.weights) == ["pk/k:0", "pk/loc_v:0", "pk/loc_n:0"]
    # A list assigned after loading, filled later, comes after the earlier sublayers.
    loaded.late = []
    loaded.late.append(L.Dense(2, name="late"))
    assert [sub.name for sub in loaded._layers] == ["first", "late"]
