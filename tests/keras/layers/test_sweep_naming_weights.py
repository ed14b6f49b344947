"""Weight names (`v.name`) of nested models, wrappers and direct builds, as tf_keras 2.21.

Every expected list below is what tf_keras 2.21 (Keras 2) printed for the same program.
"""

import numpy as np

import tork as tf

keras = tf.keras
L = keras.layers


def _names(layer):
    return [w.name for w in layer.weights]


def _ones(*shape):
    return np.ones(shape, "float32")


def test_sequential_inside_sequential_has_no_outer_prefix():
    inner = keras.Sequential([L.Dense(3, name="a"), L.Dense(2, name="b")], name="inner")
    outer = keras.Sequential([keras.Input((4,)), inner, L.Dense(1, name="c")], name="outer")
    assert _names(outer) == [
        "a/kernel:0",
        "a/bias:0",
        "b/kernel:0",
        "b/bias:0",
        "c/kernel:0",
        "c/bias:0",
    ]
    lazy_inner = keras.Sequential([L.Dense(3, name="d")], name="lazy_inner")
    lazy_outer = keras.Sequential([lazy_inner, L.Dense(1, name="e")], name="lazy_outer")
    lazy_outer(_ones(2, 4))
    assert _names(lazy_outer) == ["d/kernel:0", "d/bias:0", "e/kernel:0", "e/bias:0"]


def test_sequential_inside_functional_and_subclassed_models():
    inner = keras.Sequential([L.Dense(3, name="f")], name="inner_f")
    x = keras.Input((4,))
    model = keras.Model(x, L.Dense(2, name="g")(inner(x)))
    assert _names(model) == ["f/kernel:0", "f/bias:0", "g/kernel:0", "g/bias:0"]

    class WithSeq(keras.Model):
        def __init__(self):
            super().__init__(name="with_seq")
            self.seq = keras.Sequential([L.Dense(3, name="h")], name="seq_h")
            self.out = L.Dense(1, name="i")

        def call(self, x):
            return self.out(self.seq(x))

    sub = WithSeq()
    sub(_ones(2, 4))
    # The Sequential builds its own graph (no model prefix); the Dense called in call() has.
    assert _names(sub) == ["h/kernel:0", "h/bias:0", "with_seq/i/kernel:0", "with_seq/i/bias:0"]


def test_layer_holding_a_sequential_and_user_scope():
    class Holder(L.Layer):
        def __init__(self):
            super().__init__(name="holder")
            self.seq = keras.Sequential([L.Dense(2, name="j")], name="seq_j")

        def call(self, x):
            return self.seq(x)

    holder = Holder()
    holder(_ones(1, 3))
    assert _names(holder) == ["j/kernel:0", "j/bias:0"]
    with tf.name_scope("usr"):
        seq = keras.Sequential([L.Dense(2, name="k")])
        seq(_ones(1, 3))
    assert _names(seq) == ["k/kernel:0", "k/bias:0"]


def test_subclassed_models_nested_built_and_called_symbolically():
    class Inner(keras.Model):
        def __init__(self):
            super().__init__(name="mm")
            self.d = L.Dense(2, name="mmd")

        def call(self, x):
            return self.d(x)

    class Outer(keras.Model):
        def __init__(self):
            super().__init__(name="outm")
            self.inner = Inner()
            self.d = L.Dense(1, name="od")

        def call(self, x):
            return self.d(self.inner(x))

    called = Outer()
    called(_ones(1, 3))
    expected = ["outm/mm/mmd/kernel:0", "outm/mm/mmd/bias:0", "outm/od/kernel:0", "outm/od/bias:0"]
    assert _names(called) == expected
    symbolic = Outer()
    symbolic(keras.Input((3,)))
    assert _names(symbolic) == expected  # was outm/outm/... in tork
    built = Outer()
    built.build((None, 3))
    assert _names(built) == ["mm/mmd/kernel:0", "mm/mmd/bias:0", "od/kernel:0", "od/bias:0"]


def test_time_distributed_and_custom_wrapper_build_the_inner_layer_in_their_scope():
    td = L.TimeDistributed(L.Dense(3, name="inner"), name="td")
    keras.Sequential([keras.Input((5, 4)), td])
    assert _names(td) == ["td/kernel:0", "td/bias:0"]
    td_lstm = L.TimeDistributed(L.LSTM(2, name="tl"), name="tdl")
    td_lstm(_ones(2, 3, 4, 5))
    assert _names(td_lstm) == [
        "tdl/lstm_cell/kernel:0",
        "tdl/lstm_cell/recurrent_kernel:0",
        "tdl/lstm_cell/bias:0",
    ]
    td_seq = L.TimeDistributed(keras.Sequential([L.Dense(2, name="sqd")]), name="tds")
    td_seq(_ones(2, 3, 4))
    assert _names(td_seq) == ["sqd/kernel:0", "sqd/bias:0"]

    class Scaled(L.Wrapper):
        def call(self, x):
            return self.layer(x) * 2.0

    scaled = Scaled(L.Dense(3, name="sd"), name="scaled")
    scaled(_ones(2, 4))
    assert _names(scaled) == ["scaled/kernel:0", "scaled/bias:0"]


def test_bidirectional_names_called_and_built_directly():
    bi = L.Bidirectional(L.LSTM(3, name="l1"), name="bi")
    keras.Sequential([keras.Input((5, 4)), bi])
    assert _names(bi) == [
        "bi/forward_l1/lstm_cell/kernel:0",
        "bi/forward_l1/lstm_cell/recurrent_kernel:0",
        "bi/forward_l1/lstm_cell/bias:0",
        "bi/backward_l1/lstm_cell/kernel:0",
        "bi/backward_l1/lstm_cell/recurrent_kernel:0",
        "bi/backward_l1/lstm_cell/bias:0",
    ]
    direct = L.Bidirectional(L.GRU(2, name="g1"))
    direct.build((None, 3, 4))
    assert _names(direct)[:2] == [
        "forward_g1/gru_cell/kernel:0",
        "forward_g1/gru_cell/recurrent_kernel:0",
    ]


def test_direct_build_takes_the_callers_scope_only():
    dense = L.Dense(2, name="da")
    dense.build((None, 3))
    assert _names(dense) == ["kernel:0", "bias:0"]
    with tf.name_scope("sc"):
        scoped = L.Dense(2, name="db")
        scoped.build((None, 3))
        called = L.Dense(2, name="dc")
        called(_ones(1, 3))
    assert _names(scoped) == ["sc/kernel:0", "sc/bias:0"]
    assert _names(called) == ["sc/dc/kernel:0", "sc/dc/bias:0"]
    lstm = L.LSTM(2, name="rl")
    lstm.build((None, 3, 4))
    assert _names(lstm)[0] == "lstm_cell/kernel:0"

    class BuildsChild(L.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.d = L.Dense(2, name="child")

        def build(self, shape):
            self.d.build(shape)

        def call(self, x):
            return self.d(x)

    parent = BuildsChild(name="p2")
    parent(_ones(1, 3))
    assert _names(parent) == ["p2/kernel:0", "p2/bias:0"]

    class BuildsInCall(L.Layer):
        def call(self, x):
            if not hasattr(self, "d"):
                self.d = L.Dense(2, name="lzd")
                self.d.build(x.shape)
            return self.d(x)

    lazy = BuildsInCall(name="lz2")
    lazy(_ones(1, 2))
    assert _names(lazy) == ["lz2/kernel:0", "lz2/bias:0"]


def test_add_weight_under_name_scope_in_build_call_and_init():
    class ScopedBuild(L.Layer):
        def build(self, shape):
            with tf.name_scope("inner_sc"):
                self.w = self.add_weight(name="w", shape=(2,))
            self.v = self.add_weight(name="v", shape=(2,))

        def call(self, x):
            return x

    called = ScopedBuild(name="bl")
    called(_ones(1, 2))
    assert _names(called) == ["bl/inner_sc/w:0", "bl/v:0"]
    direct = ScopedBuild(name="bl2")
    direct.build((None, 2))
    assert _names(direct) == ["inner_sc/w:0", "v:0"]
    with tf.name_scope("outer"):
        in_scope = ScopedBuild(name="bl3")
        in_scope.build((None, 2))
    assert _names(in_scope) == ["outer/inner_sc/w:0", "outer/v:0"]

    class ScopedCall(L.Layer):
        def call(self, x):
            if not hasattr(self, "w"):
                with tf.name_scope("in_call"):
                    self.w = self.add_weight(name="w", shape=(2,))
            return x * self.w

    in_call = ScopedCall(name="cl")
    in_call(_ones(1, 2))
    assert _names(in_call) == ["cl/in_call/w:0"]

    class InInit(L.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.w = self.add_weight("w", (2,), None, "ones")

    assert InInit().w.name == "w:0"
    with tf.name_scope("u"):
        assert InInit().w.name == "u/w:0"


def test_multi_head_attention_weights_under_its_name():
    inputs = keras.Input(shape=(6, 4))
    mha = L.MultiHeadAttention(num_heads=2, key_dim=4, name="mha")
    mha(inputs, inputs)
    assert _names(mha)[:2] == ["mha/query/kernel:0", "mha/query/bias:0"]
    with tf.name_scope("us"):
        eager = L.MultiHeadAttention(num_heads=2, key_dim=4, name="mhs")
        eager(_ones(1, 6, 4), _ones(1, 6, 4))
    assert _names(eager)[:2] == ["us/mhs/query/kernel:0", "us/mhs/query/bias:0"]


def test_wrappers_keep_their_weight_names_through_from_config():
    x = keras.Input((5, 4))
    y = L.Bidirectional(L.LSTM(3, name="lstm"), name="bi_rt")(x)
    y = L.TimeDistributed(L.Dense(2, name="dense_rt"), name="td_rt")(L.Reshape((6, 1))(y))
    model = keras.Model(x, y)
    expected = [
        "bi_rt/forward_lstm/lstm_cell/kernel:0",
        "bi_rt/forward_lstm/lstm_cell/recurrent_kernel:0",
        "bi_rt/forward_lstm/lstm_cell/bias:0",
        "bi_rt/backward_lstm/lstm_cell/kernel:0",
        "bi_rt/backward_lstm/lstm_cell/recurrent_kernel:0",
        "bi_rt/backward_lstm/lstm_cell/bias:0",
        "td_rt/kernel:0",
        "td_rt/bias:0",
    ]
    assert _names(model) == expected
    # The wrapped layer's build_config does not build it outside its wrapper.
    assert _names(keras.Model.from_config(model.get_config())) == expected
    assert _names(keras.models.model_from_json(model.to_json())) == expected


def test_spectral_normalization_and_conv_lstm_build_inner_layers_in_their_scope():
    sn = L.SpectralNormalization(L.Dense(3, name="snd"), name="sn")
    sn(_ones(2, 4))
    assert isinstance(sn, L.Wrapper)
    assert _names(sn) == ["sn/kernel:0", "sn/bias:0", "sn/vector_u:0"]
    again = L.SpectralNormalization.from_config(sn.get_config())
    assert (again.layer.name, again.power_iterations) == ("snd", 1)
    conv_lstm = L.ConvLSTM1D(2, 3, name="cl")
    conv_lstm(_ones(1, 3, 5, 2))
    assert _names(conv_lstm) == ["cl/kernel:0", "cl/recurrent_kernel:0", "cl/bias:0"]
