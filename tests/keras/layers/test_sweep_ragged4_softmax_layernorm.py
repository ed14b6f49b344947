"""softmax / log_softmax, the Softmax layer and LayerNormalization on RaggedTensors.

Expected numbers are tf_keras 2.21 / TF 2.21 outputs (written in as constants) or NumPy.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras

SOFTMAX = [[0.09003057330846786, 0.2447284758090973, 0.6652409434318542], [], [0.8175744414329529, 0.18242551386356354]]  # fmt: skip
MASKED = [[0.11920291930437088, 0.0, 0.8807970285415649], [], [0.8175744414329529, 0.18242551386356354]]  # fmt: skip
INNER_AXIS1 = [
    [[0.339243620634079, 0.339243620634079], [0.6607564091682434, 0.6607563495635986]],
    [],
    [
        [0.14833709597587585, 0.14833709597587585],
        [0.28892117738723755, 0.28892117738723755],
        [0.5627416968345642, 0.5627416968345642],
    ],
]
INNER_LAST = [
    [[0.41742977499961853, 0.5825701951980591]] * 2,
    [],
    [[0.4174298346042633, 0.5825701951980591]] * 3,
]
NESTED = [[[0.2689414322376251, 0.7310585975646973], []], [[0.09003057330846786, 0.2447284758090973, 0.6652409434318542]]]  # fmt: skip
LN_TWO_AXES = [
    [
        [
            [-0.4940932095050812, -0.6015686988830566],
            [-0.37326887249946594, 0.25650155544281006],
            [1.3508590459823608, 2.966104030609131],
        ]
    ],  # fmt: skip
    [
        [
            [-0.6001977324485779, -0.5664470195770264],
            [-0.23880109190940857, 0.40815573930740356],
            [1.398012399673462, 2.7528719902038574],
        ],  # fmt: skip
        [
            [-0.613703191280365, -0.5630922317504883],
            [-0.21952074766159058, 0.4320295751094818],
            [1.4059196710586548, 2.715928554534912],
        ],  # fmt: skip
        [
            [-0.6191348433494568, -0.5617759823799133],
            [-0.21163803339004517, 0.4419308304786682],
            [1.4092464447021484, 2.7003207206726074],
        ],  # fmt: skip
    ],
]
LN_LAST = [
    [
        [
            [-0.953462541103363, 0.953462541103363],
            [-0.9911988377571106, 0.9911988377571106],
            [-0.9950932264328003, 0.9950928092002869],
        ]
    ],  # fmt: skip
    [
        [
            [-0.9965968728065491, 0.9965968728065491],
            [-0.9973956346511841, 0.9973945617675781],
            [-0.9978898763656616, 0.9978898763656616],
        ],  # fmt: skip
        [
            [-0.9982267022132874, 0.9982267022132874],
            [-0.9984707832336426, 0.9984707832336426],
            [-0.9986557364463806, 0.9986557364463806],
        ],  # fmt: skip
        [
            [-0.9988008141517639, 0.9988008141517639],
            [-0.9989163279533386, 0.9989191293716431],
            [-0.9990138411521912, 0.9990138411521912],
        ],  # fmt: skip
    ],
]


def _rt():
    return tf.ragged.constant([[1.0, 2.0, 3.0], [], [0.5, -1.0]])


def _inner():
    values = tf.constant(np.arange(10, dtype="float32").reshape(5, 2) / 3)
    return tf.RaggedTensor.from_row_lengths(values, [2, 0, 3])


def _check(out, expected, abs_tol=1e-6):
    assert isinstance(out, tf.RaggedTensor)
    got = np.asarray(out.flat_values, dtype=np.float64).ravel()
    want = np.concatenate([np.ravel(np.asarray(r, np.float64)) for r in _leaves(expected)])
    assert out.to_list() == _shape_like(out.to_list(), expected)
    np.testing.assert_allclose(got, want, atol=abs_tol, rtol=0)


def _leaves(nested):
    if nested and isinstance(nested[0], list):
        return [leaf for row in nested for leaf in _leaves(row)]
    return [nested] if nested else []


def _shape_like(got, expected):
    # The structure must match exactly (row lengths, nesting); values are compared apart.
    if isinstance(expected, list):
        assert isinstance(got, list) and len(got) == len(expected)
        return [_shape_like(g, e) for g, e in zip(got, expected)]
    return got


@pytest.mark.parametrize(
    "fn",
    [tf.nn.softmax, tf.math.softmax, keras.activations.softmax, keras.layers.Softmax()],
)
def test_softmax_normalizes_each_row(fn):
    _check(fn(_rt()), SOFTMAX)


def test_log_softmax_is_the_log_of_the_row_softmax():
    # TF 2.21 has no ragged log_softmax; tork gives log(softmax) row by row.
    expected = [np.log(np.asarray(r)).tolist() for r in SOFTMAX]
    _check(tf.nn.log_softmax(_rt()), expected, abs_tol=1e-5)
    _check(keras.activations.log_softmax(_rt()), expected, abs_tol=1e-5)


def test_softmax_along_inner_axes_and_nested_rows():
    _check(tf.nn.softmax(_inner(), axis=1), INNER_AXIS1)
    _check(tf.nn.softmax(_inner()), INNER_LAST)
    _check(keras.layers.Softmax()(_inner()), INNER_LAST)
    nested = tf.RaggedTensor.from_nested_row_lengths([1.0, 2.0, 3.0, 4.0, 5.0], [[2, 1], [2, 0, 3]])
    _check(tf.nn.softmax(nested), NESTED)
    _check(keras.activations.softmax(nested), NESTED)


def test_softmax_of_large_logits_does_not_overflow():
    out = tf.nn.softmax(tf.ragged.constant([[1000.0, 999.0], [1.0]]))
    e = np.exp(np.array([1.0, 0.0]))
    _check(out, [(e / e.sum()).tolist(), [1.0]])


def test_softmax_layer_with_a_ragged_mask():
    mask = tf.ragged.constant([[True, False, True], [], [True, True]])
    _check(keras.layers.Softmax()(_rt(), mask=mask), MASKED)


def test_softmax_layer_mask_of_the_wrong_size():
    with pytest.raises(ValueError, match="a mask of a RaggedTensor must have its row lengths"):
        keras.layers.Softmax()(_rt(), mask=tf.ragged.constant([[True], [True]]))


def test_softmax_along_an_outer_ragged_axis_is_refused():
    # TF 2.21 fails too (an InvalidArgumentError from broadcasting the sums back).
    with pytest.raises(tf.errors.InvalidArgumentError, match="only the innermost ragged axis"):
        tf.nn.softmax(_rt(), axis=0)


def test_softmax_of_integers_is_refused():
    with pytest.raises(TypeError, match="softmax expects a floating point"):
        tf.nn.softmax(tf.ragged.constant([[1, 2], [3]]))
    with pytest.raises(TypeError, match="softmax expects a floating point RaggedTensor, got int32"):
        keras.activations.softmax(tf.ragged.constant([[1, 2], [3]]))


def test_softmax_gradient_flows_to_the_values():
    values = tf.Variable([1.0, 2.0, 3.0, 0.5])
    with tf.GradientTape() as tape:
        rt = tf.RaggedTensor.from_row_lengths(values, [3, 1])
        out = tf.nn.softmax(rt)
        loss = tf.reduce_sum(out.flat_values * tf.constant([1.0, 0.0, 0.0, 1.0]))
    grad = np.asarray(tape.gradient(loss, values))
    p = np.asarray(SOFTMAX[0])
    # d p0 / d x = p0 * (onehot0 - p); the single-value row has a zero gradient.
    np.testing.assert_allclose(grad[:3], p[0] * (np.eye(3)[0] - p), atol=1e-6)
    assert grad[3] == pytest.approx(0.0, abs=1e-7)


def _rt4():
    values = tf.constant(np.arange(24, dtype="float32").reshape(4, 3, 2) ** 1.5 / 5)
    return tf.RaggedTensor.from_row_lengths(values, [1, 3])


def test_layer_normalization_over_uniform_inner_axes():
    ln = keras.layers.LayerNormalization(axis=[-2, -1], epsilon=0.01)
    ln.build([None, None, 3, 2])
    gamma = np.arange(6, dtype="float32").reshape(3, 2) / 4 + 0.5
    ln.set_weights([gamma, np.ones((3, 2), "float32") * 0.1])
    _check(ln(_rt4()), LN_TWO_AXES, abs_tol=2e-5)
    _check(keras.layers.LayerNormalization()(_rt4()), LN_LAST, abs_tol=2e-5)


def test_layer_normalization_in_a_functional_model_trains():
    inp = keras.Input(shape=(None,), dtype="int64", ragged=True)
    x = keras.layers.Embedding(10, 4)(inp)
    x = keras.layers.LayerNormalization()(x)
    out = keras.layers.Dense(1)(tf.reduce_mean(x, axis=1))
    model = keras.Model(inp, out)
    model.compile(keras.optimizers.SGD(0.1), "mse")
    ids = tf.ragged.constant([[1, 2, 3], [4], [5, 6]], dtype="int64")
    history = model.fit(ids, np.array([[1.0], [0.0], [1.0]]), epochs=5, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_layer_normalization_over_a_ragged_axis_is_refused():
    with pytest.raises(ValueError, match="the size of axis"):
        keras.layers.LayerNormalization()(_rt())
    ln = keras.layers.LayerNormalization(axis=[1, 2, 3])
    ln.build([None, 2, 3, 2])  # built for a dense input; a ragged axis 1 cannot be normalized
    with pytest.raises(ValueError, match="includes the batch or a ragged axis"):
        ln(_rt4())


def test_activation_arguments_reach_ragged_and_array_inputs():
    # One shared path for non-tensor inputs: arguments must arrive for both kinds.
    rt = tf.ragged.constant([[-2.0, 3.0, 8.0], [0.5]])
    out = keras.activations.relu(rt, max_value=6.0, alpha=0.5)
    assert out.to_list() == [[-1.0, 3.0, 6.0], [0.5]]
    assert np.asarray(keras.activations.relu(np.array([-2.0, 8.0]), max_value=6.0)).tolist() == [0.0, 6.0]  # fmt: skip
    elu = keras.activations.elu([[-1.0, 2.0]], alpha=2.0)
    np.testing.assert_allclose(np.asarray(elu), [[2.0 * (np.exp(-1.0) - 1.0), 2.0]], rtol=1e-6)
    leaky = keras.activations.leaky_relu(rt, negative_slope=0.1).to_list()
    assert leaky[0][0] == pytest.approx(-0.2) and leaky[1] == [0.5]
