"""Gradient clipping of embedding tables when an id repeats in a batch (Keras 2).

TensorFlow gives a looked-up table an `IndexedSlices` gradient, one row per lookup, and
Keras 2 clips those rows: `clipvalue` clips each lookup's row before repeats are summed,
`clipnorm` / `global_clipnorm` measure all the lookup rows. tork's dense gradient sums
the repeats first, so tork clipped differently (a silent wrong result).

Every expected number below was computed with real tf_keras 2.21
(TF_USE_LEGACY_KERAS=1, TensorFlow 2.21 CPU) running the same code.
"""

import numpy as np
import pytest

import tork as tf
from tork.keras.optimizers import optimizer as optimizer_module
from tork.ops import _lookup_rows

keras = tf.keras

TABLE = np.array([[0.1, 0.2], [0.3, -0.4], [0.5, 0.6]], "float32")
KERNEL = np.array([[1.0], [-2.0], [3.0], [0.5], [-1.5], [2.5], [0.7], [-0.2]], "float32")
REPEATED = np.array([[0, 0, 0, 1]], "int32")


def _model(length: int = 4, regularizer=None):
    inputs = keras.Input((length,), dtype="int32")
    looked = keras.layers.Embedding(3, 2, name="emb", embeddings_regularizer=regularizer)(inputs)
    outputs = keras.layers.Dense(1, use_bias=False, name="d")(keras.layers.Flatten()(looked))
    model = keras.Model(inputs, outputs)
    model.get_layer("emb").set_weights([TABLE])
    model.get_layer("d").set_weights([KERNEL[: 2 * length]])
    return model


def _weights(model):
    return (
        model.get_layer("emb").get_weights()[0].ravel(),
        model.get_layer("d").get_weights()[0].ravel(),
    )


# fit(REPEATED, [[0.]], epochs=2, batch_size=1) with SGD(0.1, **clipping); same numbers
# for keras.optimizers and keras.optimizers.legacy (one clipping argument each).
FIT_REPEATED = {
    "clipnorm": (
        [0.048368, 0.179742, 0.285721, -0.396178, 0.5, 0.6],
        [0.985991, -2.031433, 2.985991, 0.468567, -1.514009, 2.468567, 0.652167, -0.135597],
    ),
    "clipvalue": (
        [0.0, 0.104943, 0.2, -0.356032, 0.5, 0.6],
        [0.980411, -2.043967, 2.980411, 0.456032, -1.519589, 2.456033, 0.631654, -0.114522],
    ),
    "global_clipnorm": (
        [0.048632, 0.179503, 0.28564, -0.39593, 0.5, 0.6],
        [0.998208, -2.004006, 2.998208, 0.495994, -1.501792, 2.495994, 0.693906, -0.191797],
    ),
}
SETTINGS = {"clipnorm": 0.5, "clipvalue": 0.5, "global_clipnorm": 0.5}


@pytest.mark.parametrize("legacy", [False, True], ids=["new", "legacy"])
@pytest.mark.parametrize("clipping", sorted(FIT_REPEATED))
def test_fit_clips_per_lookup_rows_of_repeated_ids(clipping, legacy):
    module = keras.optimizers.legacy if legacy else keras.optimizers
    model = _model()
    model.compile(module.SGD(0.1, **{clipping: SETTINGS[clipping]}), "mse")
    model.fit(REPEATED, np.zeros((1, 1), "float32"), epochs=2, batch_size=1, verbose=0)
    table, kernel = _weights(model)
    np.testing.assert_allclose(table, FIT_REPEATED[clipping][0], atol=2e-6)
    np.testing.assert_allclose(kernel, FIT_REPEATED[clipping][1], atol=2e-6)


# Two gathers of one table (tf.gather and tf.nn.embedding_lookup) and another variable,
# two steps of a GradientTape loop with SGD(0.1, **clipping).
TAPE = {
    "clipnorm": (
        [0.009667, 0.23086, 0.276588, -0.352409, 0.491635, 0.591635],
        [0.911218, -1.957408],
    ),
    "clipvalue": ([-0.2, 0.3, 0.2, -0.3, 0.4, 0.5], [0.934528, -1.960264]),
    "global_clipnorm": (
        [0.010388, 0.231238, 0.276197, -0.35231, 0.491774, 0.591774],
        [0.991096, -1.995708],
    ),
}


@pytest.mark.parametrize("legacy", [False, True], ids=["new", "legacy"])
@pytest.mark.parametrize("clipping", sorted(TAPE))
def test_tape_loop_clips_per_lookup_rows(clipping, legacy):
    module = keras.optimizers.legacy if legacy else keras.optimizers
    table = tf.Variable(TABLE)
    w = tf.Variable(np.array([1.0, -2.0], "float32"))
    optimizer = module.SGD(0.1, **{clipping: SETTINGS[clipping]})
    weights = tf.constant([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]])
    for _ in range(2):
        with tf.GradientTape() as tape:
            a = tf.gather(table, [0, 0, 2])
            b = tf.nn.embedding_lookup(table, [0, 1])
            loss = tf.reduce_sum(a * weights) + tf.reduce_sum(b * w) ** 2
        grads = tape.gradient(loss, [table, w])
        optimizer.apply_gradients(zip(grads, [table, w]))
    np.testing.assert_allclose(table.numpy().ravel(), TAPE[clipping][0], atol=2e-6)
    np.testing.assert_allclose(w.numpy(), TAPE[clipping][1], atol=2e-6)


# Legacy optimizers clip by value first, then by norm: fit(3 epochs, batch 1) on
# ids [[0, 0, 0, 1], [2, 0, 1, 1]], labels [[0], [1]], no shuffling.
LEGACY_BOTH = {
    "clipnorm": (
        [0.099595, 0.199595, 0.246562, -0.349939, 0.553033, 0.546967],
        [1.022309, -2.008435, 3.022309, 0.491565, -1.477691, 2.385498, 0.688502, -0.188501],
    ),
    "global_clipnorm": (
        [0.096398, 0.196398, 0.258898, -0.360787, 0.5375, 0.5625],
        [1.018, -2.001713, 3.018, 0.498287, -1.482, 2.423287, 0.696398, -0.196398],
    ),
}
TWO_ROWS = np.array([[0, 0, 0, 1], [2, 0, 1, 1]], "int32")
TWO_LABELS = np.array([[0.0], [1.0]], "float32")


@pytest.mark.parametrize("norm", sorted(LEGACY_BOTH))
def test_legacy_clipvalue_then_norm_on_lookup_rows(norm):
    model = _model()
    optimizer = keras.optimizers.legacy.SGD(0.1, clipvalue=0.3, **{norm: 0.5})
    model.compile(optimizer, "mse")
    model.fit(TWO_ROWS, TWO_LABELS, epochs=3, batch_size=1, verbose=0, shuffle=False)
    table, kernel = _weights(model)
    np.testing.assert_allclose(table, LEGACY_BOTH[norm][0], atol=2e-6)
    np.testing.assert_allclose(kernel, LEGACY_BOTH[norm][1], atol=2e-6)


def test_adam_clipnorm_and_batch_of_two_with_global_clipnorm():
    model = _model()
    model.compile(keras.optimizers.Adam(0.1, clipnorm=0.5), "mse")
    model.fit(TWO_ROWS, TWO_LABELS, epochs=3, batch_size=1, verbose=0, shuffle=False)
    np.testing.assert_allclose(
        _weights(model)[0],
        [0.081931, -0.020579, -0.240877, 0.063139, 0.845281, 0.256259],
        atol=1e-5,
    )
    model = _model()
    model.compile(keras.optimizers.SGD(0.1, global_clipnorm=0.5), "mse")
    model.fit(TWO_ROWS, TWO_LABELS, epochs=3, batch_size=2, verbose=0, shuffle=False)
    np.testing.assert_allclose(
        _weights(model)[0],
        [0.161478, 0.20441, 0.26996, -0.331715, 0.529021, 0.542367],
        atol=2e-6,
    )


def test_regularized_table_is_clipped_densely_as_tensorflow():
    # The regularizer's gradient is dense: TF sums it with the IndexedSlices into a
    # dense gradient, which it clips as a whole.
    model = _model(regularizer=keras.regularizers.l2(0.01))
    model.compile(keras.optimizers.SGD(0.1, clipnorm=0.5), "mse")
    model.fit(TWO_ROWS, TWO_LABELS, epochs=3, batch_size=1, verbose=0, shuffle=False)
    table, kernel = _weights(model)
    np.testing.assert_allclose(
        table, [0.064623, 0.163635, 0.234785, -0.312966, 0.53322, 0.532517], atol=2e-6
    )
    np.testing.assert_allclose(
        kernel,
        [1.052823, -1.96298, 2.983799, 0.477028, -1.483436, 2.39795, 0.667938, -0.159206],
        atol=2e-6,
    )


# ids [[2, 0, 1]] (no repeat), fit(epochs=2, batch_size=1), SGD(0.1, **clipping).
NO_REPEAT = {
    "clipnorm": (
        [0.163078, 0.210614, 0.268654, -0.347702, 0.521283, 0.558316],
        [1.053481, -1.937615, 3.012264, 0.521448, -1.469088, 2.459063],
    ),
    "clipvalue": (
        [0.16, 0.26, 0.24, -0.34, 0.56, 0.54],
        [1.06, -1.94, 3.06, 0.56, -1.44, 2.44],
    ),
    "global_clipnorm": (
        [0.161732, 0.210308, 0.269171, -0.348608, 0.520627, 0.558916],
        [1.010393, -1.987868, 3.002375, 0.504168, -1.493987, 2.492035],
    ),
}


@pytest.mark.parametrize("clipping", sorted(NO_REPEAT))
def test_no_repeated_id_unchanged(clipping):
    model = _model(length=3)
    value = 0.3 if clipping == "clipvalue" else 0.5
    model.compile(keras.optimizers.SGD(0.1, **{clipping: value}), "mse")
    model.fit(np.array([[2, 0, 1]], "int32"), np.zeros((1, 1), "float32"), epochs=2, verbose=0)
    table, kernel = _weights(model)
    np.testing.assert_allclose(table, NO_REPEAT[clipping][0], atol=2e-6)
    np.testing.assert_allclose(kernel, NO_REPEAT[clipping][1], atol=2e-6)


def test_gradient_computed_twice_uses_the_latest_rows():
    table = tf.Variable(TABLE)
    optimizer = keras.optimizers.SGD(0.1, clipnorm=0.5)
    with tf.GradientTape(persistent=True) as tape:
        looked = tf.gather(table, [0, 0, 2])
        loss = tf.reduce_sum(looked * tf.constant([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]]))
    tape.gradient(loss, [table])  # inspected, not applied
    grads = tape.gradient(loss, [table])
    optimizer.apply_gradients(zip(grads, [table]))
    np.testing.assert_allclose(
        table.numpy(), [[0.0492, 0.1873], [0.3, -0.4], [0.49365, 0.59365]], atol=2e-6
    )


def test_hand_made_gradient_is_clipped_densely():
    # Rows kept by a backward pass that does not match the applied gradient are ignored:
    # a dense gradient is clipped as a whole (numpy: scale 0.5 / ||g||).
    table = tf.Variable(TABLE)
    optimizer = keras.optimizers.SGD(1.0, clipnorm=0.5)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.gather(table, [0, 0, 1]))
    tape.gradient(loss, [table])
    grad = np.array([[3.0, 0.0], [0.0, 4.0], [0.0, 0.0]], "float32")
    optimizer.apply_gradients([(tf.constant(grad), table)])
    np.testing.assert_allclose(table.numpy(), TABLE - grad * 0.5 / 5.0, atol=1e-6)


def test_jit_compile_fit_falls_back_with_a_warning():
    model = _model()
    model.compile(keras.optimizers.SGD(0.1, clipvalue=0.3), "mse", jit_compile=True)
    with pytest.warns(UserWarning, match="per-lookup gradient rows"):
        model.fit(TWO_ROWS, TWO_LABELS, epochs=3, batch_size=1, verbose=0, shuffle=False)
    np.testing.assert_allclose(
        _weights(model)[0], [0.1, 0.2, 0.21, -0.315243, 0.59, 0.51], atol=2e-6
    )


def test_tf_function_jit_compile_falls_back_with_a_warning():
    model = _model()
    optimizer = keras.optimizers.SGD(0.1, clipnorm=0.5)

    @tf.function(jit_compile=True)
    def step(x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(model(x) - y))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    with pytest.warns(RuntimeWarning, match="per-lookup gradient rows"):
        for _ in range(3):
            step(tf.constant(REPEATED), tf.constant([[0.0]]))
    table, kernel = _weights(model)
    np.testing.assert_allclose(
        table, [0.022778, 0.170312, 0.278931, -0.394767, 0.5, 0.6], atol=2e-6
    )
    np.testing.assert_allclose(
        kernel,
        [0.981859, -2.046789, 2.981858, 0.453211, -1.518142, 2.453211, 0.627758, -0.101751],
        atol=2e-6,
    )


def test_unclipped_optimizer_does_no_lookup_work(monkeypatch):
    # The fit hot path of an optimizer without clipping never reaches the per-lookup
    # clipping, and its plan lists no tables.
    def refuse(*args, **kwargs):
        raise AssertionError("per-lookup clipping ran without clipping")

    monkeypatch.setattr(optimizer_module._lookup_clip, "clip", refuse)
    model = _model()
    model.compile(keras.optimizers.SGD(0.1), "mse")
    model.fit(REPEATED, np.zeros((1, 1), "float32"), epochs=2, batch_size=1, verbose=0)
    plans = list(model.optimizer._plans.values())
    assert plans and all(plan.lookups == () for plan in plans)
    # Without any clipping optimizer, lookups keep nothing.
    monkeypatch.setattr(_lookup_rows, "_RECORDING", [False])
    table = tf.Variable(TABLE)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.gather(table, [0, 0]))
    tape.gradient(loss, [table])
    assert "_tork_lookup_grads" not in table.__dict__


def test_unmarked_variables_keep_nothing():
    dense = tf.Variable(TABLE)
    optimizer = keras.optimizers.SGD(0.1, clipnorm=0.5)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.matmul(dense, tf.ones((2, 1))))
    grads = tape.gradient(loss, [dense])
    optimizer.apply_gradients(zip(grads, [dense]))
    assert "_tork_lookup_grads" not in dense.__dict__
    assert not getattr(dense, "_tork_sparse_grad", False)
    # Dense clipping: a gradient of ones, norm sqrt(6).
    np.testing.assert_allclose(dense.numpy(), TABLE - 0.1 * 0.5 / np.sqrt(6.0), atol=1e-6)


def test_mixed_precision_loss_scaled_rows_are_unscaled():
    # compile() wraps the optimizer in a LossScaleOptimizer (Keras 2): the kept rows
    # carry the loss scale, which the applied gradients no longer do.
    keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        inputs = keras.Input((4,), dtype="int32")
        looked = keras.layers.Embedding(3, 2, name="emb")(inputs)
        dense = keras.layers.Dense(1, use_bias=False, name="d", dtype="float32")
        model = keras.Model(inputs, dense(keras.layers.Flatten()(looked)))
    finally:
        keras.mixed_precision.set_global_policy("float32")
    model.get_layer("emb").set_weights([TABLE])
    model.get_layer("d").set_weights([KERNEL])
    model.compile(keras.optimizers.SGD(0.1, clipnorm=0.5), "mse")
    model.fit(TWO_ROWS, TWO_LABELS, epochs=3, batch_size=1, verbose=0, shuffle=False)
    np.testing.assert_allclose(
        _weights(model)[0], [0.07946, 0.18461, 0.27675, -0.37189, 0.51027, 0.57885], atol=2e-4
    )


def test_lookup_inside_torch_compile_keeps_its_rows():
    # A user's own torch.compile of the forward pass keeps the rows of the tables that
    # the clipping optimizer updates; the optimizer learns them at its first update, so
    # the first step here runs eagerly. Same numbers as fit (FIT_REPEATED).
    import torch

    model = _model()
    optimizer = keras.optimizers.legacy.SGD(0.1, clipnorm=0.5)
    compiled = torch.compile(lambda x: model(x), backend="eager")
    variables = model.trainable_variables
    for forward in (model, compiled):
        loss = tf.reduce_mean(tf.square(forward(tf.constant(REPEATED))))
        grads = torch.autograd.grad(loss, variables)
        optimizer.apply_gradients(zip(grads, variables))
    table, kernel = _weights(model)
    np.testing.assert_allclose(table, FIT_REPEATED["clipnorm"][0], atol=2e-6)
    np.testing.assert_allclose(kernel, FIT_REPEATED["clipnorm"][1], atol=2e-6)


def test_jit_compile_fit_with_compiled_forward_keeps_rows():
    # A legacy optimizer's step is not one graph: fit(jit_compile=True) compiles the
    # forward pass only (from the second step): the tables keep their rows there.
    model = _model()
    model.compile(keras.optimizers.legacy.SGD(0.1, clipnorm=0.5), "mse", jit_compile=True)
    model.fit(REPEATED, np.zeros((1, 1), "float32"), epochs=2, batch_size=1, verbose=0)
    table, kernel = _weights(model)
    np.testing.assert_allclose(table, FIT_REPEATED["clipnorm"][0], atol=2e-6)
    np.testing.assert_allclose(kernel, FIT_REPEATED["clipnorm"][1], atol=2e-6)


def test_other_lookups_stay_one_graph_while_an_optimizer_clips():
    # Regression: once any optimizer clipped, every lookup under the user's own
    # torch.compile(fullgraph=True) broke the graph at the row recording.
    import torch

    keras.optimizers.SGD(0.1, clipnorm=0.5)  # turns the recording on for the process
    assert _lookup_rows._RECORDING[0]
    table = tf.Variable(TABLE)
    layer = keras.layers.Embedding(3, 2)
    layer.build((None, 4))

    def forward(ids):
        return tf.reduce_sum(tf.gather(table, ids)) + tf.reduce_sum(layer(ids))

    ids = tf.constant(REPEATED)
    compiled = torch.compile(forward, fullgraph=True, backend="eager")
    expected = TABLE[[0, 0, 0, 1]].sum() + layer.get_weights()[0][[0, 0, 0, 1]].sum()
    np.testing.assert_allclose(float(compiled(ids)), expected, rtol=1e-6)
