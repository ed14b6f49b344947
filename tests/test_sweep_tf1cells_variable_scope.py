"""TF 1 cells written by users: `RNNCell` subclasses that make their weights with
`tf.compat.v1.get_variable` inside `variable_scope`s (DeepCTR's DIEN attention GRU
cells and `_Linear_` helper), run in a Keras layer's call, eagerly; with the TF 1 names
that code reaches (`tf.compat.v1.where`, `colocate_with`, `nest.is_sequence`).

Expected values: TF 2.21 + tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) running the same code
with the same fixed weights in the reference env. Where TF 2 differs on purpose it is
said: eager TF 2 does not track these variables in the Keras layer (DIEN's attention
GRU weights are in no `trainable_weights` there) and, for a cell run by `dynamic_rnn`,
makes new ones at every step; tork makes them once, as weights of the layer being
called (TF 2's `track_tf1_style_variables` behaviour), so they train.
"""

import numpy as np
import pytest
from tork.python.ops import array_ops, init_ops, math_ops
from tork.python.ops import variable_scope as vs
from tork.python.ops.rnn_cell import RNNCell
from tork.python.util import nest

import tork as tf

v1 = tf.compat.v1
X = np.linspace(-1, 1, 2 * 3 * 3).reshape(2, 3, 3).astype("float32")


class _Linear:
    """DeepCTR's `_Linear_` (contrib/utils.py), reduced: variables from get_variable."""

    def __init__(self, args, output_size, bias_initializer=None):
        assert nest.is_sequence(args)
        total = sum(int(a.get_shape()[1]) for a in args)
        dtype = args[0].dtype
        scope = vs.get_variable_scope()
        with vs.variable_scope(scope) as outer_scope:
            self._weights = vs.get_variable("kernel", [total, output_size], dtype=dtype)
            with vs.variable_scope(outer_scope) as inner_scope:
                inner_scope.set_partitioner(None)
                if bias_initializer is None:
                    bias_initializer = init_ops.constant_initializer(0.0, dtype=dtype)
                self._biases = vs.get_variable(
                    "bias", [output_size], dtype=dtype, initializer=bias_initializer
                )

    def __call__(self, args):
        res = math_ops.matmul(array_ops.concat(args, 1), self._weights)
        return tf.nn.bias_add(res, self._biases)


class VecAttGRUCell(RNNCell):
    """DIEN's AUGRU cell as DeepCTR writes it (own `__call__`, weights made in `call`)."""

    def __init__(self, num_units, reuse=None):
        super().__init__(_reuse=reuse)
        self._num_units = num_units
        self._gate_linear = None
        self._candidate_linear = None

    @property
    def state_size(self):
        return self._num_units

    @property
    def output_size(self):
        return self._num_units

    def __call__(self, inputs, state, att_score):
        return self.call(inputs, state, att_score)

    def call(self, inputs, state, att_score=None):
        if self._gate_linear is None:
            with vs.variable_scope("gates"):
                self._gate_linear = _Linear(
                    [inputs, state],
                    2 * self._num_units,
                    bias_initializer=init_ops.constant_initializer(1.0, dtype=inputs.dtype),
                )
        value = math_ops.sigmoid(self._gate_linear([inputs, state]))
        r, u = array_ops.split(value=value, num_or_size_splits=2, axis=1)
        r_state = r * state
        if self._candidate_linear is None:
            with vs.variable_scope("candidate"):
                self._candidate_linear = _Linear([inputs, r_state], self._num_units)
        c = math_ops.tanh(self._candidate_linear([inputs, r_state]))
        u = (1.0 - att_score) * u
        new_h = u * state + (1 - u) * c
        return new_h, new_h


class AUGRU(tf.keras.layers.Layer):
    def build(self, input_shape):
        self.cell = VecAttGRUCell(2)
        super().build(input_shape)

    def call(self, x):
        state = tf.zeros((x.shape[0], 2))
        outputs = []
        for t in range(x.shape[1]):
            out, state = self.cell(x[:, t], state, tf.fill((x.shape[0], 1), 0.5))
            outputs.append(out)
        return tf.stack(outputs, 1)


def test_dien_attention_gru_cell_weights_made_once_tracked_and_equal_to_tf():
    layer = AUGRU(name="augru")
    first = np.asarray(layer(X))
    np.testing.assert_allclose(np.asarray(layer(X)), first)  # the same variables
    assert [(w.name, tuple(w.shape)) for w in layer.trainable_weights] == [
        ("augru/gates/kernel:0", (5, 4)),
        ("augru/gates/bias:0", (4,)),
        ("augru/candidate/kernel:0", (5, 2)),
        ("augru/candidate/bias:0", (2,)),
    ]
    np.testing.assert_allclose(layer.weights[1].numpy(), np.ones(4))  # constant_initializer
    np.testing.assert_allclose(layer.weights[3].numpy(), np.zeros(2))
    layer.set_weights(
        [
            np.linspace(-0.6 + 0.1 * i, 0.6, int(np.prod(w.shape)))
            .reshape(tuple(w.shape))
            .astype("float32")
            for i, w in enumerate(layer.weights)
        ]
    )
    np.testing.assert_allclose(
        np.asarray(layer(X)),
        [
            [[0.141817, 0.42624], [0.172289, 0.62021], [0.093237, 0.692438]],
            [[-0.239621, 0.37331], [-0.390098, 0.489795], [-0.535361, 0.492579]],
        ],
        rtol=1e-5,
        atol=1e-6,
    )


def test_dien_attention_gru_cell_trains_in_a_model():
    inputs = tf.keras.Input((3, 3), batch_size=2)
    outputs = tf.keras.layers.Dense(1)(tf.keras.layers.Flatten()(AUGRU()(inputs)))
    model = tf.keras.Model(inputs, outputs)
    model.compile("sgd", "mse")
    gru_weights = [w for w in model.trainable_weights if "gates" in w.name]
    assert len(gru_weights) == 2 and len(model.trainable_weights) == 6
    before = [w.numpy().copy() for w in gru_weights]
    model.fit(X, np.ones((2, 1), "float32"), epochs=2, verbose=0)
    assert all(not np.allclose(b, w.numpy()) for b, w in zip(before, gru_weights))


class ScopedCell(v1.nn.rnn_cell.RNNCell):
    def __init__(self, n, reuse=None):
        super().__init__(_reuse=reuse)
        self.n = n

    @property
    def state_size(self):
        return self.n

    @property
    def output_size(self):
        return self.n

    def call(self, inputs, state):
        with v1.variable_scope("lin", reuse=v1.AUTO_REUSE):
            depth = int(inputs.shape[-1]) + self.n
            w = v1.get_variable("w", [depth, self.n], initializer=v1.constant_initializer(0.3))
            b = v1.get_variable("b", [self.n], initializer=v1.zeros_initializer())
        h = tf.tanh(tf.matmul(tf.concat([inputs, state], 1), w) + b)
        return h, h


class Encoder(tf.keras.layers.Layer):
    def build(self, input_shape):
        self.cell = ScopedCell(2)

    def call(self, x, lengths):
        return v1.nn.dynamic_rnn(self.cell, x, sequence_length=lengths, dtype=tf.float32)


def test_rnn_cell_subclass_with_get_variable_under_dynamic_rnn():
    layer = Encoder(name="enc")
    out, state = layer(X, np.array([3, 2]))
    out2, _ = layer(X, np.array([3, 2]))
    np.testing.assert_allclose(np.asarray(out2), np.asarray(out))
    # TF 2 makes new copies at each step (6 after two calls); tork makes them once.
    assert [w.name for w in layer.weights] == ["enc/scoped_cell/lin/w:0", "enc/scoped_cell/lin/b:0"]
    np.testing.assert_allclose(
        np.asarray(out)[:, :, 0],
        [[-0.660735, -0.702851, -0.523053], [0.157501, 0.516072, 0.0]],
        rtol=1e-5,
    )
    np.testing.assert_allclose(np.asarray(state)[:, 1], [-0.523053, 0.516072], rtol=1e-5)


def test_variable_scope_names_reuse_and_defaults():
    with v1.variable_scope("outer", initializer=v1.ones_initializer()) as outer:
        assert outer.name == "outer" and v1.get_variable_scope() is outer
        with v1.variable_scope("inner", reuse=True) as inner:
            assert inner.name == "outer/inner" and inner.reuse is True
            with v1.variable_scope("deeper", reuse=False) as deeper:
                assert deeper.reuse is True  # reuse is inherited
        v = v1.get_variable("v", [2])
        np.testing.assert_allclose(v.numpy(), [1.0, 1.0])  # the scope's initializer
        assert v.name == "outer/v:0"
    with v1.variable_scope(outer):  # a scope object re-enters its own name
        with v1.variable_scope("x") as x:
            assert x.name == "outer/x"
    assert v1.get_variable_scope().name == ""
    with v1.variable_scope(None, default_name="tf1cells_rnn") as a:
        pass
    with v1.variable_scope(None, default_name="tf1cells_rnn") as b:
        pass
    assert (a.name, b.name) == ("tf1cells_rnn", "tf1cells_rnn_1")
    with v1.variable_scope("s", reuse=v1.AUTO_REUSE) as s:
        assert s.reuse is v1.AUTO_REUSE


def test_get_variable_outside_layers_is_a_new_variable_each_time():
    # Eager TF 2 (no variable store outside track_tf1_style_variables): a is not b.
    with v1.variable_scope("tf1cells"):
        a = v1.get_variable("a", [1])
    with v1.variable_scope("tf1cells"):
        b = v1.get_variable("a", [1])
    assert a.name == b.name == "tf1cells/a:0" and a is not b
    c = v1.get_variable("c", initializer=np.array([1.0, 2.0], "float32"))
    assert tuple(c.shape) == (2,) and c.numpy().tolist() == [1.0, 2.0]
    assert v1.get_variable("i", [2], dtype=tf.int32).numpy().tolist() == [0, 0]


def test_get_variable_errors():
    class Bad(tf.keras.layers.Layer):
        def call(self, x):
            v1.get_variable("w", [x.shape[-1]])
            return x * v1.get_variable("w", [5])

    with pytest.raises(ValueError, match=r"Trying to share variable w.*\[5\].*\[3\]"):
        Bad()(np.ones((1, 3), "float32"))
    with pytest.raises(ValueError, match="Shape of a new variable must be fully defined"):
        v1.get_variable("nothing")
    with pytest.raises(ValueError, match=r"initial value has shape \[2\] but shape \[3\]"):
        v1.get_variable("val", [3], initializer=np.zeros(2, "float32"))


def test_layer_rnn_cell_add_variable():
    from tork.python.ops.rnn_cell_impl import LayerRNNCell

    class Cell(LayerRNNCell):
        state_size = output_size = 2

        def build(self, input_shape):
            self.k = self.add_variable("k", shape=(int(input_shape[-1]) + 2, 2))

        def call(self, inputs, state):
            h = tf.matmul(tf.concat([inputs, state], 1), self.k)
            return h, h

    cell = Cell()
    out, _ = v1.nn.dynamic_rnn(cell, X, dtype=tf.float32)
    assert tuple(out.shape) == (2, 3, 2) and [w.name.split("/")[-1] for w in cell.weights] == [
        "k:0"
    ]


def test_v1_where_rank_one_condition_picks_rows():
    # TF 1's where (and tf.compat.v1.where in TF 2) selects whole rows; TF 2's tf.where
    # broadcasts, which for a square x picks columns: [[1, 6], [3, 8]].
    x, y = [[1, 2], [3, 4]], [[5, 6], [7, 8]]
    assert v1.where([True, False], x, y).numpy().tolist() == [[1, 2], [7, 8]]
    assert array_ops.where([True, False], x, y).numpy().tolist() == [[1, 2], [7, 8]]
    cond = [[True, False], [False, True]]
    assert v1.where(cond, x, y).numpy().tolist() == [[1, 6], [7, 4]]
    three = v1.where([True, False, True], [[1, 2], [3, 4], [0, 0]], [[5, 6], [7, 8], [9, 9]])
    assert three.numpy().tolist() == [[1, 2], [7, 8], [0, 0]]
    assert v1.where([True, False, True]).numpy().tolist() == [[0], [2]]
    with pytest.raises(ValueError, match="give both x and y, or neither"):
        v1.where([True, False], x)
    with pytest.raises(ValueError, match="rank-1 condition picks rows"):
        v1.where([True, False], [[1, 2, 3]] * 3, [[5, 6, 7]] * 3)


def test_colocate_with_and_is_sequence():
    from tork.python.framework import ops

    with ops.colocate_with(tf.constant(1.0)):
        pass
    assert nest.is_sequence([1]) and not nest.is_sequence("ab")


def test_track_tf1_style_variables_decorator():
    # TF 2's recipe for TF 1 code in a layer: the decorated call's variables are the
    # layer's, made once (TF 2 names the weight 'att/w:0'; tork prefixes the layer's name).
    class Scaled(tf.keras.layers.Layer):
        @v1.keras.utils.track_tf1_style_variables
        def call(self, x):
            with v1.variable_scope("att"):
                w = v1.get_variable("w", [3, 2], initializer=v1.constant_initializer(0.5))
            return tf.matmul(x, w)

    layer = Scaled(name="scaled")
    layer(np.ones((1, 3), "float32"))
    out = layer(np.ones((1, 3), "float32"))
    assert [w.name for w in layer.weights] == ["scaled/att/w:0"]
    np.testing.assert_allclose(np.asarray(out), [[1.5, 1.5]])


def test_tf1_linear_helper():
    # TF 1.x's rnn_cell_impl._linear (gone from TF 2): numbers by numpy.
    from tork.python.ops.rnn_cell_impl import _linear

    class Gates(tf.keras.layers.Layer):
        def call(self, x, h):
            with vs.variable_scope("gates"):
                return _linear(
                    [x, h],
                    4,
                    True,
                    bias_initializer=init_ops.constant_initializer(1.0),
                    kernel_initializer=v1.constant_initializer(0.1),
                )

    layer = Gates(name="lin")
    x, h = np.ones((2, 3), "float32"), np.full((2, 2), 2.0, "float32")
    out = layer(x, h)
    layer(x, h)
    assert [w.name for w in layer.weights] == ["lin/gates/kernel:0", "lin/gates/bias:0"]
    np.testing.assert_allclose(np.asarray(out), np.full((2, 4), 0.1 * (3 + 4) + 1.0), rtol=1e-6)
    kernel = np.linspace(-1, 1, 20).reshape(5, 4).astype("float32")
    layer.set_weights([kernel, np.arange(4, dtype="float32")])
    expected = np.concatenate([x, h], 1) @ kernel + np.arange(4)
    np.testing.assert_allclose(np.asarray(layer(x, h)), expected, rtol=1e-5)
    with pytest.raises(ValueError, match="expects 2-D arguments"):
        _linear(np.ones((2, 3, 1), "float32"), 4, False)
