"""Keras 2 legacy optimizers on embedding tables: the sparse (`IndexedSlices`) update.

In tf_keras the gradient of an Embedding's `embeddings` is an `IndexedSlices`, and the
legacy (OptimizerV2) optimizers apply their sparse rule: SGD and RMSprop with momentum,
Adadelta, Adamax and Ftrl change only the looked-up rows (and their slots), Nadam moves
only those rows, user subclasses get `_resource_apply_sparse` with the rows summed per
index (TF Addons' LazyAdam). tork's gradients are dense; these tests check that tork
updates the same rows by the same amounts.

The numbers: TF_USE_LEGACY_KERAS=1 with tensorflow 2.21 / tf_keras 2.21, the model and
data below, three steps of a GradientTape loop with `apply_gradients` (tf_keras's `fit`
with batch_size=2, shuffle=False gives the same numbers); the looked-up rows (ids 0, 1,
2, 3, 4, 5, 7, 9, 11) of the embeddings after training, rounded to 6 decimals. The
other rows are unchanged in TF for every optimizer below.
"""

import numpy as np
import pytest

import tork as tf
from tork import keras

L = keras.optimizers.legacy

E0 = (np.arange(80, dtype=np.float32).reshape(20, 4) / 40.0 - 1.0) * 0.5
K0 = np.array([[0.3], [-0.2], [0.5], [0.1]], np.float32)
B0 = np.array([0.05], np.float32)
X = np.array([[1, 3, 3], [5, 1, 7], [2, 3, 9], [9, 9, 4], [1, 2, 0], [11, 3, 5]], np.int32)
Y = np.array([[1.0], [-1.0], [0.5], [2.0], [-0.5], [1.5]], np.float32)
LOOKED_UP = [0, 1, 2, 3, 4, 5, 7, 9, 11]
NOT_LOOKED_UP = [i for i in range(20) if i not in LOOKED_UP]


class LazyAdam(L.Adam):
    """TF Addons' LazyAdam, reduced: Adam on the looked-up rows only."""

    def _resource_apply_sparse(self, grad, var, indices, apply_state=None):
        dt = var.dtype
        lr = self._decayed_lr(dt)
        b1 = self._get_hyper("beta_1", dt)
        b2 = self._get_hyper("beta_2", dt)
        t = tf.cast(self.iterations + 1, dt)
        lr = lr * tf.sqrt(1 - tf.pow(b2, t)) / (1 - tf.pow(b1, t))
        m = self.get_slot(var, "m")
        v = self.get_slot(var, "v")
        m_slice = b1 * tf.gather(m, indices) + (1 - b1) * grad
        m.scatter_update(tf.IndexedSlices(m_slice, indices))
        v_slice = b2 * tf.gather(v, indices) + (1 - b2) * tf.square(grad)
        v.scatter_update(tf.IndexedSlices(v_slice, indices))
        update = lr * m_slice / (tf.sqrt(v_slice) + self.epsilon)
        return var.scatter_sub(tf.IndexedSlices(update, indices))


class RowCounter(L.Optimizer):
    """An OptimizerV2 of its own; its sparse update takes one unit off each row it is
    given, so a repeated index (not summed) would count twice."""

    def __init__(self, learning_rate=0.1, name="RowCounter", **kwargs):
        super().__init__(name, **kwargs)
        self._set_hyper("learning_rate", learning_rate)

    def _create_slots(self, var_list):
        pass

    def _resource_apply_dense(self, grad, var, apply_state=None):
        return var.assign_sub(self._get_hyper("learning_rate", var.dtype) * grad)

    def _resource_apply_sparse(self, grad, var, indices, apply_state=None):
        assert apply_state is not None  # Keras 2 passes it when the method takes it
        return var.scatter_sub(tf.IndexedSlices(0.1 * grad + 1.0, indices))


OPTIMIZERS = {
    "leg_sgd_m": lambda: L.SGD(0.1, momentum=0.9),
    "leg_sgd_nest": lambda: L.SGD(0.1, momentum=0.9, nesterov=True),
    "leg_rms_m": lambda: L.RMSprop(0.01, momentum=0.9),
    "leg_rms_mc": lambda: L.RMSprop(0.01, momentum=0.5, centered=True),
    "leg_adagrad": lambda: L.Adagrad(0.1),
    "leg_adam": lambda: L.Adam(0.01),
    "leg_ftrl_l": lambda: L.Ftrl(
        0.1,
        l1_regularization_strength=0.001,
        l2_regularization_strength=0.01,
        l2_shrinkage_regularization_strength=0.01,
    ),
    "leg_adadelta": lambda: L.Adadelta(1.0),
    "leg_adamax": lambda: L.Adamax(0.01),
    "leg_nadam": lambda: L.Nadam(0.01),
    "lazyadam": lambda: LazyAdam(0.01),
    "duprec": lambda: RowCounter(0.1),
    # Keras 2.11+ optimizers apply an IndexedSlices gradient as a dense one.
    "new_sgd_m": lambda: keras.optimizers.SGD(0.1, momentum=0.9),
    "new_rms_m": lambda: keras.optimizers.RMSprop(0.01, momentum=0.9),
    "new_adam": lambda: keras.optimizers.Adam(0.01),
}

EXPECTED = {
    "leg_sgd_m": [
        [-0.505105, -0.480969, -0.484984, -0.463193],
        [-0.448661, -0.435265, -0.424243, -0.411045],
        [-0.395267, -0.388788, -0.368046, -0.360379],
        [-0.266306, -0.399806, -0.182494, -0.28676],
        [-0.281574, -0.302146, -0.243277, -0.257229],
        [-0.257876, -0.237499, -0.23565, -0.216817],
        [-0.158654, -0.131731, -0.139424, -0.115385],
        [-0.007969, -0.070907, 0.04736, -0.000478],
        [0.058567, 0.051539, 0.091755, 0.088664],
    ],
    "leg_sgd_nest": [
        [-0.51088, -0.466311, -0.499789, -0.461724],
        [-0.451688, -0.422439, -0.43447, -0.40866],
        [-0.399179, -0.377175, -0.378974, -0.358954],
        [-0.24579, -0.422406, -0.144097, -0.282802],
        [-0.268084, -0.317133, -0.218226, -0.254945],
        [-0.263796, -0.240673, -0.242085, -0.221007],
        [-0.166443, -0.126538, -0.152405, -0.117981],
        [0.022035, -0.104383, 0.103141, 0.004551],
        [0.059657, 0.043692, 0.097003, 0.086811],
    ],
    "leg_rms_m": [
        [-0.531611, -0.455884, -0.50662, -0.491352],
        [-0.413534, -0.468554, -0.390063, -0.359057],
        [-0.359282, -0.42311, -0.335596, -0.308423],
        [-0.238778, -0.460438, -0.211494, -0.214437],
        [-0.268378, -0.319122, -0.243377, -0.230885],
        [-0.285728, -0.206727, -0.25928, -0.265645],
        [-0.181621, -0.105882, -0.156622, -0.144104],
        [-0.018377, -0.069123, 0.006623, 0.019121],
        [0.081621, 0.030878, 0.106622, 0.11871],
    ],
    "leg_rms_mc": [
        [-0.533319, -0.454175, -0.508329, -0.494287],
        [-0.423584, -0.458412, -0.400006, -0.372254],
        [-0.369494, -0.41365, -0.345569, -0.32166],
        [-0.266186, -0.433376, -0.238847, -0.241796],
        [-0.266667, -0.320833, -0.241667, -0.229176],
        [-0.275158, -0.217226, -0.248845, -0.251796],
        [-0.183331, -0.104172, -0.158332, -0.145811],
        [-0.016667, -0.070833, 0.008333, 0.020831],
        [0.083332, 0.029168, 0.108333, 0.120636],
    ],
    "leg_adagrad": [
        [-0.511593, -0.466185, -0.499842, -0.461478],
        [-0.450864, -0.423369, -0.431881, -0.407906],
        [-0.399432, -0.379025, -0.377579, -0.359189],
        [-0.261251, -0.430762, -0.202289, -0.287686],
        [-0.255592, -0.333674, -0.207864, -0.253213],
        [-0.254026, -0.259637, -0.22354, -0.223659],
        [-0.176396, -0.119552, -0.166499, -0.121585],
        [0.024384, -0.113487, 0.064741, 0.007999],
        [0.07315, 0.021861, 0.121335, 0.085417],
    ],
    "leg_adam": [
        [-0.506387, -0.481113, -0.481388, -0.468886],
        [-0.43351, -0.453328, -0.408621, -0.3954],
        [-0.390268, -0.396962, -0.365314, -0.352506],
        [-0.323022, -0.364799, -0.297966, -0.285838],
        [-0.286807, -0.300693, -0.261807, -0.249307],
        [-0.263908, -0.224117, -0.238815, -0.226956],
        [-0.171879, -0.115621, -0.14688, -0.134378],
        [-0.036807, -0.050693, -0.011807, 0.000693],
        [0.056388, 0.056112, 0.081388, 0.093888],
    ],
    "leg_ftrl_l": [
        [0.007412, 0.010956, 0.005028, 0.008415],
        [0.015745, 0.005694, 0.015605, 0.012482],
        [0.007261, 0.00968, 0.005518, 0.007286],
        [-0.016504, -0.099568, -0.045521, 0.002849],
        [0.0005, -0.019467, 0.00592, -0.006401],
        [-0.042086, -0.004089, -0.063576, -0.020461],
        [-0.030311, 0.016159, -0.051467, -0.008473],
        [-0.001714, -0.038036, 0.01032, -0.016375],
        [-0.009163, -0.018874, -0.004539, -0.011869],
    ],
    "leg_adadelta": [
        [-0.501412, -0.48609, -0.476413, -0.463894],
        [-0.44981, -0.43767, -0.424813, -0.412294],
        [-0.399369, -0.388121, -0.374371, -0.361862],
        [-0.346964, -0.340562, -0.32196, -0.309486],
        [-0.298586, -0.288914, -0.273586, -0.261086],
        [-0.24966, -0.237851, -0.224658, -0.212168],
        [-0.151414, -0.136086, -0.126414, -0.113913],
        [-0.048586, -0.038914, -0.023586, -0.011086],
        [0.051414, 0.061086, 0.076414, 0.088914],
    ],
    "leg_adamax": [
        [-0.50369, -0.48381, -0.47869, -0.46619],
        [-0.43976, -0.447255, -0.414835, -0.401856],
        [-0.393218, -0.394164, -0.368237, -0.355598],
        [-0.327979, -0.360047, -0.302897, -0.290912],
        [-0.294737, -0.292763, -0.269737, -0.257237],
        [-0.2583, -0.22947, -0.233252, -0.221099],
        [-0.16, -0.1275, -0.135, -0.1225],
        [-0.044737, -0.042763, -0.019737, -0.007237],
        [0.05369, 0.05881, 0.07869, 0.09119],
    ],
    "leg_nadam": [
        [-0.511286, -0.476214, -0.486286, -0.473786],
        [-0.446284, -0.440499, -0.421412, -0.408107],
        [-0.393977, -0.393192, -0.369037, -0.356169],
        [-0.330048, -0.358324, -0.304899, -0.293307],
        [-0.28955, -0.29795, -0.26455, -0.25205],
        [-0.251254, -0.236673, -0.226174, -0.214219],
        [-0.160565, -0.126935, -0.135565, -0.123064],
        [-0.03955, -0.04795, -0.01455, -0.00205],
        [0.061286, 0.051214, 0.086286, 0.098786],
    ],
    "lazyadam": [
        [-0.506387, -0.481113, -0.481388, -0.468886],
        [-0.43974, -0.447068, -0.414856, -0.401603],
        [-0.390243, -0.396989, -0.365288, -0.352482],
        [-0.323024, -0.364798, -0.297967, -0.28584],
        [-0.292559, -0.294941, -0.267559, -0.255059],
        [-0.257511, -0.230549, -0.232412, -0.220594],
        [-0.16, -0.127501, -0.135, -0.122499],
        [-0.042559, -0.044941, -0.017559, -0.005059],
        [0.056388, 0.056112, 0.081388, 0.093888],
    ],
    "duprec": [
        [-1.503312, -1.482845, -1.481647, -1.462786],
        [-2.44992, -2.435107, -2.425994, -2.411655],
        [-2.396229, -2.388475, -2.369453, -2.36076],
        [-3.308229, -3.374084, -3.251386, -3.301528],
        [-1.281574, -1.302146, -1.243277, -1.257229],
        [-2.248058, -2.246624, -2.218156, -2.21447],
        [-1.158654, -1.131731, -1.139424, -1.115385],
        [-1.006064, -1.072421, -0.949361, -0.999933],
        [-0.939403, -0.952394, -0.903732, -0.911585],
    ],
    "new_sgd_m": [
        [-0.505113, -0.480958, -0.485, -0.463194],
        [-0.445922, -0.437086, -0.419681, -0.410131],
        [-0.395275, -0.388778, -0.368063, -0.36038],
        [-0.266285, -0.399833, -0.182453, -0.286757],
        [-0.26499, -0.315327, -0.214727, -0.252486],
        [-0.264864, -0.232853, -0.247292, -0.219151],
        [-0.173453, -0.121865, -0.164088, -0.120318],
        [0.029859, -0.100973, 0.112483, 0.010342],
        [0.058589, 0.051512, 0.091796, 0.088666],
    ],
    "new_rms_m": [
        [-0.531611, -0.455884, -0.50662, -0.491433],
        [-0.388641, -0.493836, -0.365077, -0.333981],
        [-0.359488, -0.422944, -0.335797, -0.308519],
        [-0.238711, -0.460511, -0.211422, -0.21442],
        [-0.239918, -0.347582, -0.214917, -0.202431],
        [-0.31077, -0.181349, -0.284401, -0.290847],
        [-0.235692, -0.051815, -0.210696, -0.198146],
        [0.010083, -0.097583, 0.035083, 0.04758],
        [0.081621, 0.030878, 0.106622, 0.118715],
    ],
    "new_adam": [
        [-0.506387, -0.481113, -0.481388, -0.468886],
        [-0.43351, -0.453328, -0.408621, -0.3954],
        [-0.390268, -0.396962, -0.365314, -0.352506],
        [-0.323022, -0.364799, -0.297966, -0.285838],
        [-0.286807, -0.300693, -0.261807, -0.249307],
        [-0.263908, -0.224118, -0.238815, -0.226956],
        [-0.171879, -0.115621, -0.14688, -0.134378],
        [-0.036807, -0.050693, -0.011807, 0.000693],
        [0.056388, 0.056112, 0.081388, 0.093888],
    ],
    "reg_fit_leg_sgd_m": [
        [-0.499521, -0.475492, -0.479693, -0.458017],
        [-0.440915, -0.432163, -0.414977, -0.405521],
        [-0.390819, -0.38442, -0.363903, -0.356327],
        [-0.262562, -0.395912, -0.179145, -0.283319],
        [-0.261669, -0.312075, -0.211714, -0.249557],
        [-0.261996, -0.23023, -0.244663, -0.216747],
        [-0.19776, -0.1854, -0.17304, -0.16068],
        [-0.171707, -0.120369, -0.162578, -0.119036],
        [-0.09888, -0.08652, -0.07416, -0.0618],
        [0.030324, -0.100478, 0.112601, 0.010455],
        [0.0, 0.01236, 0.02472, 0.03708],
        [0.05803, 0.050818, 0.090955, 0.087689],
        [0.09888, 0.11124, 0.1236, 0.13596],
        [0.14832, 0.16068, 0.17304, 0.1854],
        [0.19776, 0.21012, 0.22248, 0.23484],
        [0.2472, 0.25956, 0.27192, 0.28428],
        [0.29664, 0.309, 0.32136, 0.33372],
        [0.34608, 0.35844, 0.3708, 0.38316],
        [0.39552, 0.40788, 0.42024, 0.4326],
        [0.44496, 0.45732, 0.46968, 0.48204],
    ],
}


def _model(regularizer=None):
    model = keras.Sequential(
        [
            keras.layers.Embedding(20, 4, embeddings_regularizer=regularizer),
            keras.layers.GlobalAveragePooling1D(),
            keras.layers.Dense(1),
        ]
    )
    model.build((None, 3))
    model.set_weights([E0, K0, B0])
    return model


def _train_with_tape(model, optimizer):
    for step in range(3):
        x, y = X[2 * step : 2 * step + 2], Y[2 * step : 2 * step + 2]
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(model(x, training=True) - y))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))


def _check(model, name):
    embeddings = model.get_weights()[0]
    np.testing.assert_allclose(embeddings[LOOKED_UP], EXPECTED[name], atol=2e-6)
    np.testing.assert_array_equal(embeddings[NOT_LOOKED_UP], E0[NOT_LOOKED_UP])


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_gradient_tape_loop_matches_tf_keras(name):
    model = _model()
    _train_with_tape(model, OPTIMIZERS[name]())
    _check(model, name)


@pytest.mark.parametrize("name", ["leg_sgd_m", "leg_ftrl_l", "leg_nadam", "lazyadam", "duprec"])
def test_fit_matches_tf_keras(name):
    model = _model()
    model.compile(OPTIMIZERS[name](), "mse")
    model.fit(X, Y, batch_size=2, epochs=1, shuffle=False, verbose=0)
    _check(model, name)


def test_regularized_embeddings_get_the_dense_rule_in_fit():
    # The regularization loss reads every row: TF's gradient is dense, every row moves.
    model = _model(keras.regularizers.l2(0.01))
    model.compile(L.SGD(0.1, momentum=0.9), "mse")
    model.fit(X, Y, batch_size=2, epochs=1, shuffle=False, verbose=0)
    np.testing.assert_allclose(model.get_weights()[0], EXPECTED["reg_fit_leg_sgd_m"], atol=2e-6)


def test_regularizer_outside_a_tape_loss_keeps_the_sparse_rule():
    # A custom loop that leaves `model.losses` out: the gradient is TF's IndexedSlices.
    model = _model(keras.regularizers.l2(0.01))
    _train_with_tape(model, L.SGD(0.1, momentum=0.9))
    _check(model, "leg_sgd_m")


def _momentum_numpy(var, grads, rows_per_step, lr=0.1, momentum=0.9):
    # Keras 2's momentum rule applied to the given rows of each step (sparse rule).
    var, m = var.copy(), np.zeros_like(var)
    for g, rows in zip(grads, rows_per_step):
        m[rows] = momentum * m[rows] - lr * g[rows]
        var[rows] += m[rows]
    return var


def test_a_gradient_in_every_row_gets_the_dense_rule_then_the_sparse_one():
    # Tied embeddings (the table also multiplied densely) have a gradient in every row:
    # TF's gradient is dense there and every row is updated. A later step with
    # gradients in some rows only (the lookup alone) updates only those rows.
    layer = keras.layers.Embedding(5, 2)
    layer.build()
    start = np.arange(10, dtype="float32").reshape(5, 2)
    layer.set_weights([start])
    grads = [np.full((5, 2), 0.5, "float32"), np.zeros((5, 2), "float32")]
    grads[1][[0, 2]] = [[1.0, 0.0], [-2.0, 3.0]]
    optimizer = L.SGD(0.1, momentum=0.9)
    for g in grads:
        optimizer.apply_gradients([(tf.constant(g), layer.embeddings)])
    expected = _momentum_numpy(start, grads, [np.arange(5), np.array([0, 2])])
    np.testing.assert_allclose(layer.get_weights()[0], expected, rtol=1e-6)
    # The dense rule in step 2 would have moved rows 1, 3 and 4 by their momentum.
    assert not np.allclose(expected, _momentum_numpy(start, grads, [np.arange(5)] * 2))


def test_resource_apply_sparse_of_a_builtin_is_its_sparse_rule():
    # `super()._resource_apply_sparse(grad, var, indices)` from a subclass: the rows of
    # repeated indices are summed, and only those rows and their momentum change.
    class Sub(L.SGD):
        def _resource_apply_dense(self, grad, var):
            return super()._resource_apply_dense(grad, var)

    var = tf.Variable(np.ones((4, 2), "float32"))
    optimizer = Sub(learning_rate=0.5, momentum=0.9)
    optimizer.build([var])
    optimizer.get_slot(var, "momentum").assign(np.full((4, 2), 1.0, "float32"))
    grad = np.array([[1.0, 2.0], [3.0, 4.0], [1.0, 1.0]], "float32")
    optimizer._resource_apply_sparse(grad, var, np.array([2, 2, 0]))
    # m = 0.9 * m - 0.5 * g on rows 0 and 2 (g of row 2 = [4, 6]); var += m there.
    expected_m = np.full((4, 2), 1.0, "float32")
    expected_m[0] = 0.9 - 0.5 * np.array([1.0, 1.0])
    expected_m[2] = 0.9 - 0.5 * np.array([4.0, 6.0])
    expected_var = np.ones((4, 2), "float32")
    expected_var[[0, 2]] += expected_m[[0, 2]]
    np.testing.assert_allclose(optimizer.get_slot(var, "momentum").numpy(), expected_m)
    np.testing.assert_allclose(var.numpy(), expected_var)


def test_optimizer_of_its_own_without_sparse_update_gets_the_dense_one():
    # Keras 2 raises for an OptimizerV2 without `_resource_apply_sparse`; tork applies
    # the gradient with `_resource_apply_dense` instead.
    class DenseOnly(L.Optimizer):
        def __init__(self, name="DenseOnly", **kwargs):
            super().__init__(name, **kwargs)
            self.seen = []

        def _resource_apply_dense(self, grad, var):
            self.seen.append(tuple(grad.shape))
            return var.assign_sub(0.1 * grad)

    model = _model()
    optimizer = DenseOnly()
    _train_with_tape(model, optimizer)
    assert optimizer.seen[0] == (20, 4)


class _Lookup(keras.layers.Layer):
    """A layer's own table read with `tf.nn.embedding_lookup` (a gather in TF)."""

    def build(self, input_shape):
        self.table = self.add_weight(name="table", shape=(20, 4))

    def call(self, ids):
        return tf.reduce_mean(tf.nn.embedding_lookup(self.table, ids), axis=1)


@pytest.mark.parametrize("name", ["leg_sgd_m", "leg_adadelta", "lazyadam"])
def test_gathered_layer_variable_gets_the_sparse_rule(name):
    # tf_keras's fit of this model gives the numbers of the Embedding model (checked).
    model = keras.Sequential([keras.Input((3,), dtype="int32"), _Lookup(), keras.layers.Dense(1)])
    model.set_weights([E0, K0, B0])
    model.compile(OPTIMIZERS[name](), "mse")
    model.fit(X, Y, batch_size=2, epochs=1, shuffle=False, verbose=0)
    _check(model, name)


def test_gather_along_another_axis_keeps_the_dense_rule():
    table = tf.Variable(np.ones((3, 4), "float32"))
    tf.gather(table, [0, 2], axis=1)
    assert getattr(table, "_tork_sparse_grad", False) is False
    tf.gather(table, [0, 2])
    assert table._tork_sparse_grad is True


def test_dense_override_of_a_builtin_is_not_called_for_the_table():
    # Keras 2 calls the built-in's sparse update for the table, not the subclass's
    # `_resource_apply_dense` (which shifts everything it updates by -0.01 here).
    class Shifted(L.SGD):
        def _resource_apply_dense(self, grad, var, apply_state=None):
            super()._resource_apply_dense(grad, var, apply_state)
            return var.assign_sub(0.01 * tf.ones_like(var))

    model = _model()
    _train_with_tape(model, Shifted(0.1, momentum=0.9))
    embeddings, kernel, bias = model.get_weights()
    np.testing.assert_array_equal(embeddings[NOT_LOOKED_UP], E0[NOT_LOOKED_UP])
    # tf_keras 2.21, same loop.
    np.testing.assert_allclose(
        kernel.ravel(), [0.145443, -0.350643, 0.362574, -0.032737], atol=2e-6
    )
    np.testing.assert_allclose(bias, [0.643217], atol=2e-6)


class _AddonsLazyAdam(keras.optimizers.Adam):
    """TF Addons' LazyAdam (tensorflow_addons/optimizers/lazy_adam.py) as written for
    TF <= 2.10, where `tf.keras.optimizers.Adam` was an OptimizerV2."""

    def __init__(self, learning_rate=0.001, name="LazyAdam", **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)

    def _resource_apply_sparse(self, grad, var, indices):
        var_dtype = var.dtype.base_dtype
        lr_t = self._decayed_lr(var_dtype)
        beta_1_t = self._get_hyper("beta_1", var_dtype)
        beta_2_t = self._get_hyper("beta_2", var_dtype)
        local_step = tf.cast(self.iterations + 1, var_dtype)
        beta_1_power = tf.math.pow(beta_1_t, local_step)
        beta_2_power = tf.math.pow(beta_2_t, local_step)
        epsilon_t = tf.convert_to_tensor(self.epsilon, var_dtype)
        lr = lr_t * tf.math.sqrt(1 - beta_2_power) / (1 - beta_1_power)
        m = self.get_slot(var, "m")
        m_t_slice = beta_1_t * tf.gather(m, indices) + (1 - beta_1_t) * grad
        m_update_op = self._resource_scatter_update(m, indices, m_t_slice)
        v = self.get_slot(var, "v")
        v_t_slice = beta_2_t * tf.gather(v, indices) + (1 - beta_2_t) * tf.math.square(grad)
        v_update_op = self._resource_scatter_update(v, indices, v_t_slice)
        var_slice = -lr * m_t_slice / (tf.math.sqrt(v_t_slice) + epsilon_t)
        var_update_op = self._resource_scatter_add(var, indices, var_slice)
        return tf.group(*[var_update_op, m_update_op, v_update_op])


def test_addons_lazy_adam_as_written_updates_the_looked_up_rows():
    # tf_keras 2.21 runs it over `legacy.Adam`: the numbers of the reduced LazyAdam.
    model = _model()
    model.compile(_AddonsLazyAdam(0.01), "mse")
    model.fit(X, Y, batch_size=2, epochs=1, shuffle=False, verbose=0)
    _check(model, "lazyadam")


def test_resource_scatter_add_and_update():
    var = tf.Variable(np.zeros((3, 2), "float32"))
    optimizer = L.SGD(0.1)
    out = optimizer._resource_scatter_add(var, [2, 0, 2], [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    np.testing.assert_array_equal(out.numpy(), [[3, 4], [0, 0], [6, 8]])
    optimizer._resource_scatter_update(var, [1], [[7.0, 8.0]])
    np.testing.assert_array_equal(var.numpy(), [[3, 4], [7, 8], [6, 8]])


def test_embedding_lookup_sparse_table_gets_the_sparse_rule():
    # tf_keras 2.21 (TF_USE_LEGACY_KERAS=1), the same loop over a plain tf.Variable.
    expected = [
        [-0.50045, -0.483875, -0.471501, -0.459081],
        [-0.439894, -0.423715, -0.395904, -0.399713],
        [-0.388432, -0.379883, -0.367706, -0.355483],
        [-0.261597, -0.307047, -0.303767, -0.292108],
        [-0.282222, -0.286493, -0.274097, -0.253368],
        [-0.247442, -0.2235, -0.203823, -0.207434],
        [-0.155972, -0.135243, -0.114514, -0.110451],
        [-0.00812, -0.033385, -0.021197, 0.007658],
        [0.063905, 0.072212, 0.076253, 0.088674],
    ]
    targets = np.zeros((6, 4), "float32")
    targets[:, 0] = Y[:, 0]
    targets[[1, 3, 5], [2, 3, 1]] = 1.0
    table = tf.Variable(E0)
    optimizer = L.SGD(0.1, momentum=0.9)
    for step in range(3):
        rows = slice(2 * step, 2 * step + 2)
        ids = tf.RaggedTensor.from_tensor(tf.constant(X[rows].astype("int64"))).to_sparse()
        with tf.GradientTape() as tape:
            looked_up = tf.nn.embedding_lookup_sparse(table, ids, None, combiner="mean")
            loss = tf.reduce_mean(tf.square(looked_up - targets[rows]))
        optimizer.apply_gradients(zip(tape.gradient(loss, [table]), [table]))
    np.testing.assert_allclose(table.numpy()[LOOKED_UP], expected, atol=2e-6)
    np.testing.assert_array_equal(table.numpy()[NOT_LOOKED_UP], E0[NOT_LOOKED_UP])


def test_gathered_vector_gets_the_sparse_rule_per_element():
    # Matrix-factorization biases: `tf.gather(bias, user_ids)` on a 1-D variable.
    bias = tf.Variable(np.arange(6, dtype="float32"))
    tf.gather(bias, [1, 4])
    grads = [np.array([0, 1, 0, 0, 2, 0], "float32"), np.array([3, 0, 0, 0, 0, 0], "float32")]
    optimizer = L.SGD(0.1, momentum=0.9)
    for g in grads:
        optimizer.apply_gradients([(tf.constant(g), bias)])
    expected = _momentum_numpy(np.arange(6, dtype="float32"), grads, [[1, 4], [0]])
    np.testing.assert_allclose(bias.numpy(), expected, rtol=1e-6)
