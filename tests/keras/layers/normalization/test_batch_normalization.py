"""Tests for keras.layers.BatchNormalization against NumPy formulas."""

import numpy as np
import pytest
import torch

from tork._backend.device import current_device
from tork.keras.layers.normalization.batch_normalization import BatchNormalization

EPS = 1e-3
MOMENTUM = 0.99


def _constant(value):
    from tork.keras import initializers

    return initializers.Constant(value)


def _np(t):
    return t.detach().cpu().numpy()


def _names(weights):
    """Short weight names: 'moving_mean' from 'batch_normalization/moving_mean:0'."""
    return [w.name.rsplit("/", 1)[-1].split(":")[0] for w in weights]


def _reference_train(x, axes, gamma=None, beta=None, eps=EPS):
    """NumPy training output: batch mean and biased variance over all axes but `axes`."""
    reduce = tuple(i for i in range(x.ndim) if i not in axes)
    mean = x.mean(axis=reduce, keepdims=True)
    var = x.var(axis=reduce, keepdims=True)  # biased (ddof=0)
    out = (x - mean) / np.sqrt(var + eps)
    shape = [x.shape[i] if i in axes else 1 for i in range(x.ndim)]
    if gamma is not None:
        out = out * gamma.reshape(shape)
    if beta is not None:
        out = out + beta.reshape(shape)
    n = np.prod([x.shape[i] for i in reduce])
    return out, mean.reshape(-1), var.reshape(-1), n


def _reference_inference(x, axes, mean, var, gamma, beta, eps=EPS):
    shape = [x.shape[i] if i in axes else 1 for i in range(x.ndim)]
    r = lambda v: np.asarray(v).reshape(shape)  # noqa: E731
    return r(gamma) * (x - r(mean)) / np.sqrt(r(var) + eps) + r(beta)


def _random_params(bn, rng):
    """Non-trivial gamma/beta/moving stats so the references exercise all four weights."""
    shapes = [w.shape for w in bn.get_weights()]
    gamma = rng.uniform(0.5, 2.0, shapes[0]).astype(np.float32)
    beta = rng.normal(size=shapes[1]).astype(np.float32)
    mean = rng.normal(size=shapes[2]).astype(np.float32)
    var = rng.uniform(0.5, 2.0, shapes[3]).astype(np.float32)
    bn.set_weights([gamma, beta, mean, var])
    return gamma, beta, mean, var


# (input shape, axis, keep axes, whether tf.keras 2 feeds the unbiased variance)
CASES = [
    ((16, 5), -1, (1,), False),
    ((6, 7, 4), -1, (2,), False),
    ((6, 4, 7), 1, (1,), False),
    ((4, 5, 6, 3), -1, (3,), True),
    ((4, 3, 5, 6), 1, (1,), True),
    ((2, 3, 4, 5, 3), -1, (4,), True),
    ((2, 3, 3, 4, 5), 1, (1,), True),
    ((4, 5, 6, 3), 2, (2,), False),
]


@pytest.mark.parametrize("shape, axis, axes, unbiased", CASES)
def test_training_output_and_two_moving_updates(shape, axis, axes, unbiased):
    rng = np.random.default_rng(0)
    bn = BatchNormalization(axis=axis)
    bn.build(shape)
    gamma, beta, mean0, var0 = _random_params(bn, rng)
    moving_mean, moving_var = mean0.astype(np.float64), var0.astype(np.float64)
    for step in range(2):
        x = rng.normal(loc=step + 1.0, scale=2.0, size=shape).astype(np.float32)
        out = bn(torch.from_numpy(x), training=True)
        expected, mean, var, n = _reference_train(x.astype(np.float64), axes, gamma, beta)
        np.testing.assert_allclose(_np(out), expected, rtol=1e-4, atol=1e-4)
        fed_var = var * n / (n - 1) if unbiased else var
        moving_mean = moving_mean * MOMENTUM + mean * (1 - MOMENTUM)
        moving_var = moving_var * MOMENTUM + fed_var * (1 - MOMENTUM)
        np.testing.assert_allclose(_np(bn.moving_mean), moving_mean, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(_np(bn.moving_variance), moving_var, rtol=1e-5, atol=1e-6)


def test_unbiased_rule_differs_from_biased_by_n_over_n_minus_1():
    # A rank-4 batch of n = 2 values per channel: the fed variance is twice the biased one.
    x = np.array([[[[0.0]], [[2.0]]]], dtype=np.float32).reshape(1, 2, 1, 1)
    bn = BatchNormalization(axis=-1, momentum=0.0)
    bn(torch.from_numpy(x), training=True)
    np.testing.assert_allclose(_np(bn.moving_variance), [2.0], rtol=1e-6)
    bn2 = BatchNormalization(axis=-1, momentum=0.0)
    bn2(torch.from_numpy(x.reshape(2, 1)), training=True)
    np.testing.assert_allclose(_np(bn2.moving_variance), [1.0], rtol=1e-6)


def test_multi_axis_keeps_weights_of_input_rank():
    rng = np.random.default_rng(1)
    bn = BatchNormalization(axis=[1, 2], momentum=0.5)
    x = rng.normal(size=(8, 3, 4)).astype(np.float32)
    out = bn(torch.from_numpy(x), training=True)
    assert [w.shape for w in bn.get_weights()] == [(1, 3, 4)] * 4
    expected, mean, var, _ = _reference_train(x.astype(np.float64), (1, 2))
    np.testing.assert_allclose(_np(out), expected, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(_np(bn.moving_mean).reshape(-1), 0.5 * mean, atol=1e-6)
    np.testing.assert_allclose(_np(bn.moving_variance).reshape(-1), 0.5 + 0.5 * var, atol=1e-6)


@pytest.mark.parametrize("shape, axis, axes, unbiased", CASES[:5])
@pytest.mark.parametrize("training", [None, False])
def test_inference_uses_moving_statistics(shape, axis, axes, unbiased, training):
    rng = np.random.default_rng(2)
    bn = BatchNormalization(axis=axis)
    bn.build(shape)
    gamma, beta, mean, var = _random_params(bn, rng)
    x = rng.normal(size=shape).astype(np.float32)
    out = bn(torch.from_numpy(x), training=training)
    expected = _reference_inference(x.astype(np.float64), axes, mean, var, gamma, beta)
    np.testing.assert_allclose(_np(out), expected, rtol=1e-5, atol=1e-5)
    # Inference leaves the moving statistics alone.
    np.testing.assert_array_equal(_np(bn.moving_mean), mean)
    np.testing.assert_array_equal(_np(bn.moving_variance), var)


def test_trainable_false_forces_inference_and_freezes_statistics():
    rng = np.random.default_rng(3)
    bn = BatchNormalization()
    bn.build((10, 4))
    gamma, beta, mean, var = _random_params(bn, rng)
    bn.trainable = False
    x = rng.normal(size=(10, 4)).astype(np.float32)
    out = bn(torch.from_numpy(x), training=True)
    expected = _reference_inference(x.astype(np.float64), (1,), mean, var, gamma, beta)
    np.testing.assert_allclose(_np(out), expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(_np(bn.moving_mean), mean)
    np.testing.assert_array_equal(_np(bn.moving_variance), var)
    assert bn.trainable_weights == []
    assert len(bn.non_trainable_weights) == 4
    # Unfreezing brings batch statistics back.
    bn.trainable = True
    out = bn(torch.from_numpy(x), training=True)
    expected, *_ = _reference_train(x.astype(np.float64), (1,), gamma, beta)
    np.testing.assert_allclose(_np(out), expected, rtol=1e-4, atol=1e-4)
    assert _names(bn.trainable_weights) == ["gamma", "beta"]


def test_weights_order_names_and_defaults():
    bn = BatchNormalization()
    bn.build((None, 3))
    assert _names(bn.weights) == ["gamma", "beta", "moving_mean", "moving_variance"]
    assert [w.trainable for w in bn.weights] == [True, True, False, False]
    values = bn.get_weights()
    for got, want in zip(values, [1.0, 0.0, 0.0, 1.0]):
        np.testing.assert_array_equal(got, np.full((3,), want, np.float32))


def test_center_and_scale_off_create_only_moving_statistics():
    bn = BatchNormalization(center=False, scale=False)
    x = np.random.default_rng(4).normal(size=(6, 2)).astype(np.float32)
    out = bn(torch.from_numpy(x), training=True)
    assert _names(bn.weights) == ["moving_mean", "moving_variance"]
    expected, *_ = _reference_train(x.astype(np.float64), (1,))
    np.testing.assert_allclose(_np(out), expected, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("shape, axis", [((4, 3), -1), ((2, 2, 2, 2), -1), ((2, 2, 3), 1)])
def test_training_gradients_match_finite_differences(shape, axis):
    rng = np.random.default_rng(5)
    bn = BatchNormalization(axis=axis, dtype="float64")
    bn.build(shape)
    bn.set_weights(
        [w + rng.uniform(0.5, 1.5, w.shape) if i < 2 else w for i, w in enumerate(bn.get_weights())]
    )
    x0 = rng.normal(size=shape)
    probe = torch.tensor(rng.normal(size=shape), device=current_device())

    def loss(x):
        return float((bn(torch.from_numpy(x), training=True) * probe).sum())

    x = torch.from_numpy(x0).requires_grad_()
    (bn(x, training=True) * probe).sum().backward()
    numeric = np.zeros_like(x0)
    h = 1e-6
    for index in np.ndindex(*shape):
        plus, minus = x0.copy(), x0.copy()
        plus[index] += h
        minus[index] -= h
        numeric[index] = (loss(plus) - loss(minus)) / (2 * h)
    np.testing.assert_allclose(_np(x.grad), numeric, rtol=1e-5, atol=1e-6)
    # gamma and beta gradients against their closed forms.
    channel_axis = axis % len(shape)
    xn, *_ = _reference_train(x0, (channel_axis,))
    reduce = tuple(i for i in range(len(shape)) if i != channel_axis)
    np.testing.assert_allclose(_np(bn.gamma.grad), (xn * _np(probe)).sum(axis=reduce), rtol=1e-6)
    np.testing.assert_allclose(_np(bn.beta.grad), _np(probe).sum(axis=reduce), rtol=1e-6)


def test_moving_update_does_not_break_autograd_of_earlier_outputs():
    bn = BatchNormalization()
    x1 = torch.randn(8, 3, requires_grad=True)
    x2 = torch.randn(8, 3, requires_grad=True)
    y1 = bn(x1, training=True)
    y2 = bn(x2, training=True)  # updates the moving statistics in place after y1 exists
    (y1.square().sum() + y2.square().sum()).backward()
    assert x1.grad is not None and x2.grad is not None
    assert bn.moving_mean.grad is None and not bn.moving_mean.requires_grad


def test_masked_training_statistics_skip_masked_steps():
    rng = np.random.default_rng(6)
    x = rng.normal(size=(3, 5, 2)).astype(np.float32)
    mask = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1], [1, 0, 0, 0, 0]], dtype=bool)
    bn = BatchNormalization(momentum=0.0)
    out = bn(torch.from_numpy(x), training=True, mask=torch.from_numpy(mask))
    kept = x[mask]  # (valid steps, channels)
    mean, var = kept.mean(axis=0), kept.var(axis=0)
    np.testing.assert_allclose(_np(out), (x - mean) / np.sqrt(var + EPS), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(_np(bn.moving_mean), mean, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(_np(bn.moving_variance), var, rtol=1e-5, atol=1e-6)


def test_batch_of_one_gives_beta_and_zero_variance_update():
    bn = BatchNormalization(momentum=0.5)
    bn.build((1, 3))
    bn.set_weights([np.full(3, 2.0), np.array([1.0, 2.0, 3.0]), np.zeros(3), np.ones(3)])
    out = bn(torch.tensor([[4.0, 5.0, 6.0]]), training=True)
    np.testing.assert_allclose(_np(out), [[1.0, 2.0, 3.0]], atol=1e-6)
    np.testing.assert_allclose(_np(bn.moving_mean), [2.0, 2.5, 3.0], atol=1e-6)
    np.testing.assert_allclose(_np(bn.moving_variance), [0.5, 0.5, 0.5], atol=1e-6)


def test_float16_inputs_are_normalized_in_float32():
    rng = np.random.default_rng(7)
    x = rng.normal(scale=50.0, size=(64, 4)).astype(np.float16)
    bn = BatchNormalization(dtype="mixed_float16")
    out = bn(torch.from_numpy(x), training=True)
    assert out.dtype == torch.float16
    assert bn.moving_mean.dtype == torch.float32
    expected, *_ = _reference_train(x.astype(np.float64), (1,))
    np.testing.assert_allclose(_np(out).astype(np.float64), expected, atol=5e-3)


def test_fit_updates_moving_statistics_and_predict_uses_them():
    from tork import keras

    rng = np.random.default_rng(8)
    x = rng.normal(loc=3.0, scale=2.0, size=(32, 3)).astype(np.float32)
    y = rng.normal(size=(32, 1)).astype(np.float32)
    dense = keras.layers.Dense(4)
    bn = BatchNormalization()
    model = keras.Sequential([keras.Input((3,)), dense, bn, keras.layers.Dense(1)])
    # A zero learning rate keeps the Dense kernel fixed, so NumPy can replay the statistics.
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0), loss="mse")
    kernel, bias = dense.get_weights()
    model.fit(x, y, epochs=2, batch_size=8, shuffle=False, verbose=0)
    mean, var = np.zeros(4), np.ones(4)
    for _ in range(2):
        for start in range(0, 32, 8):
            h = x[start : start + 8].astype(np.float64) @ kernel + bias
            mean = mean * MOMENTUM + h.mean(axis=0) * (1 - MOMENTUM)
            var = var * MOMENTUM + h.var(axis=0) * (1 - MOMENTUM)
    np.testing.assert_allclose(_np(bn.moving_mean), mean, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(_np(bn.moving_variance), var, rtol=1e-4, atol=1e-5)
    # predict normalizes with the moving statistics.
    gamma, beta, moving_mean, moving_var = bn.get_weights()
    k2, b2 = model.layers[-1].get_weights()
    h = x.astype(np.float64) @ kernel + bias
    expected = ((h - moving_mean) / np.sqrt(moving_var + EPS) * gamma + beta) @ k2 + b2
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-4, atol=1e-4)


def test_symbolic_call_with_training_true_leaves_statistics_alone():
    from tork import keras

    inputs = keras.Input((3,))
    bn = BatchNormalization()
    outputs = bn(inputs, training=True)
    model = keras.Model(inputs, outputs)
    np.testing.assert_array_equal(_np(bn.moving_mean), np.zeros(3))
    x = np.array([[1.0, 2.0, 3.0], [3.0, 4.0, 5.0]], dtype=np.float32)
    model(x)  # the call recorded training=True, so this updates the statistics
    np.testing.assert_allclose(_np(bn.moving_mean), [0.02, 0.03, 0.04], rtol=1e-5)


def test_config_round_trip_and_output_shape():
    bn = BatchNormalization(
        axis=1,
        momentum=0.9,
        epsilon=1e-5,
        center=False,
        gamma_initializer="random_normal",
        gamma_regularizer="l2",
        gamma_constraint="non_neg",
        name="bn",
    )
    config = bn.get_config()
    assert config["axis"] == 1 and config["momentum"] == 0.9 and config["epsilon"] == 1e-5
    assert config["center"] is False and config["synchronized"] is False
    assert config["gamma_regularizer"]["class_name"] == "L2"
    clone = BatchNormalization.from_config(config)
    assert clone.get_config() == config
    assert bn.compute_output_shape((None, 3, 8, 8)) == (None, 3, 8, 8)


def test_keras2_defaults_accepted():
    bn = BatchNormalization(fused=True, renorm=False, virtual_batch_size=None, adjustment=None)
    config = bn.get_config()
    assert "renorm" not in config and "virtual_batch_size" not in config


# -- tf.keras 2's renorm, virtual_batch_size and adjustment --------------------------------
# Constants from tf_keras 2.21 (TF_USE_LEGACY_KERAS=1), rounded to 5 decimals.
_X = np.array(
    [
        [0.5, -1.0, 2.0],
        [1.5, 0.0, -0.5],
        [-0.7, 2.2, 1.0],
        [2.0, 1.0, 0.3],
        [0.1, -0.4, -1.2],
        [1.1, 0.6, 0.8],
    ],
    np.float32,
)
RENORM_OUT = [
    [-0.0341, -1.32631, 2.15],
    [1.30231, -0.16466, -0.74062],
    [-1.63779, 2.39098, 0.99375],
    [1.97051, 0.99699, 0.18438],
    [-0.56866, -0.62932, -1.55],
    [0.76774, 0.53233, 0.7625],
]
RENORM_GRAD_X_1E4 = [
    [-7048.527, -23095.4885, 6148.4283],
    [-890.2901, 11397.6908, -1270.4521],
    [9082.3603, -21757.8101, -2600.3641],
    [8870.8651, 14913.4564, -4138.0683],
    [-4522.568, 1317.7085, 5285.5814],
    [-5491.8373, 17224.4418, -3425.1243],
]
RENORM_GRAD_GAMMA = [10.92446, -22.6679, 3.84059]
RENORM_GRAD_BETA = [8.21, -14.72, 3.71]
RENORM_WEIGHTS = [
    [0.425, 0.264, 0.264],
    [1.10801, 1.24273, 1.24769],
    [1.0531, 1.11523, 1.11745],
    [0.22, 0.136, 0.136],
    [1.02553, 1.05795, 1.05911],
]
RENORM_INFER = [
    [0.07122, -1.1334, 1.55354],
    [1.0208, -0.23672, -0.6837],
    [-1.06828, 1.73597, 0.65864],
    [1.49559, 0.65995, 0.03222],
    [-0.30861, -0.59539, -1.31013],
    [0.64097, 0.30128, 0.47966],
]
VBS_OUT = [
    [1.60036, -1.36769, 1.57064],
    [-0.13531, -1.94092, -1.95769],
    [-2.00044, 2.08753, 0.44875],
    [1.89428, 1.6983, 0.27967],
    [0.40009, -0.71984, -2.01939],
    [-1.75897, 0.24261, 1.67802],
]
VBS_WEIGHTS = [[[[0.27, 0.144, 0.144]]], [[[0.7092, 1.0176, 1.0132]]]]
VBS_INFER = [
    [0.40938, -1.70026, 2.76444],
    [2.1893, -0.21402, -0.95921],
    [-1.72652, 3.05571, 1.27498],
    [3.07926, 1.27222, 0.23236],
    [-0.30259, -0.80852, -2.00184],
    [1.47734, 0.67773, 0.97709],
]
ADJ_OUT = [
    [-0.06748, -0.62745, 3.63253],
    [1.60245, -0.14356, -1.18392],
    [-2.0714, 0.92101, 1.70595],
    [2.43742, 0.34034, 0.35734],
    [-0.73546, -0.33712, -2.53253],
    [0.93448, 0.14678, 1.32063],
]
ADJ_WEIGHTS = [[0.15, 0.08, 0.08], [0.96117, 1.01333, 1.01533]]
ADJ_INFER = [
    [0.60681, -0.82234, 2.15451],
    [1.62629, 0.17057, -0.32532],
    [-0.61655, 2.35497, 1.16258],
    [2.13602, 1.16348, 0.46823],
    [0.19903, -0.2266, -1.01967],
    [1.2185, 0.76631, 0.96419],
]


def _np_moments(x, axis=0):
    return x.mean(axis=axis, keepdims=True), x.var(axis=axis, keepdims=True)


def test_renorm_matches_tf_keras():
    bn = BatchNormalization(
        renorm=True,
        renorm_clipping={"rmax": 1.2, "rmin": 0.8, "dmax": 0.3},
        renorm_momentum=0.9,
        momentum=0.8,
    )
    bn(torch.tensor(_X), training=True)
    assert _names(bn.weights) == [
        "gamma",
        "beta",
        "moving_mean",
        "moving_variance",
        "moving_stddev",
        "renorm_mean",
        "renorm_stddev",
    ]
    assert _names(bn.trainable_weights) == ["gamma", "beta"]
    x = torch.tensor(_X * 1.5 + 0.4, requires_grad=True)
    y = bn(x, training=True)
    loss = (y * torch.tensor([1.0, -2.0, 0.5]) * torch.tensor(_X) ** 2).sum()
    loss.backward()
    np.testing.assert_allclose(_np(y), RENORM_OUT, atol=2e-5)
    np.testing.assert_allclose(_np(x.grad) * 1e4, RENORM_GRAD_X_1E4, rtol=1e-4, atol=1e-2)
    np.testing.assert_allclose(_np(bn.gamma.grad), RENORM_GRAD_GAMMA, atol=2e-5)
    np.testing.assert_allclose(_np(bn.beta.grad), RENORM_GRAD_BETA, atol=2e-5)
    for weight, expected in zip(bn.weights[2:], RENORM_WEIGHTS):
        np.testing.assert_allclose(_np(weight), expected, atol=2e-5)
    np.testing.assert_allclose(_np(bn(torch.tensor(_X), training=False)), RENORM_INFER, atol=2e-5)


def test_renorm_numpy_formula_one_step():
    # One step from fresh averages (renorm_mean 0, renorm_stddev 1), no clipping, no gamma.
    x = _X * 2.0 - 0.5
    bn = BatchNormalization(renorm=True, renorm_momentum=0.7, momentum=0.6, scale=False)
    out = _np(bn(torch.tensor(x), training=True))
    mean, var = _np_moments(x)
    std = np.sqrt(var + EPS)
    r, d = std / 1.0, (mean - 0.0) / 1.0
    np.testing.assert_allclose(out, ((x - mean) / std) * r + d, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(_np(bn.renorm_mean), 0.3 * mean[0], rtol=1e-5)
    np.testing.assert_allclose(_np(bn.renorm_stddev), 0.7 + 0.3 * std[0], rtol=1e-5)
    moving_std = 0.6 + 0.4 * std[0]
    np.testing.assert_allclose(_np(bn.moving_stddev), moving_std, rtol=1e-5)
    np.testing.assert_allclose(_np(bn.moving_variance), moving_std**2 - EPS, rtol=1e-5)
    np.testing.assert_allclose(_np(bn.moving_mean), 0.4 * mean[0], rtol=1e-5, atol=1e-7)
    assert [w.shape for w in bn.get_weights()] == [(3,)] * 6


def test_renorm_config_round_trip():
    bn = BatchNormalization(renorm=True, renorm_clipping={"dmax": 2.0}, renorm_momentum=0.9)
    config = bn.get_config()
    assert config["renorm"] is True
    assert config["renorm_clipping"] == {"dmax": 2.0}
    assert config["renorm_momentum"] == 0.9
    assert BatchNormalization.from_config(config).get_config() == config


def test_virtual_batch_size_matches_tf_keras():
    bn = BatchNormalization(virtual_batch_size=3, momentum=0.8, gamma_initializer=_constant(1.5))
    bn(torch.tensor(_X), training=True)
    out = _np(bn(torch.tensor(_X), training=True))
    np.testing.assert_allclose(out, VBS_OUT, atol=2e-5)
    assert [w.shape for w in bn.get_weights()] == [(1, 1, 3)] * 4
    for weight, expected in zip(bn.weights[2:], VBS_WEIGHTS):
        np.testing.assert_allclose(_np(weight), expected, atol=2e-5)
    np.testing.assert_allclose(_np(bn(torch.tensor(_X), training=False)), VBS_INFER, atol=2e-5)


def test_virtual_batch_size_numpy_formula_channels_first():
    x = np.random.default_rng(3).normal(size=(4, 2, 3, 2)).astype(np.float32)
    bn = BatchNormalization(axis=1, virtual_batch_size=2, momentum=0.5)
    out = _np(bn(torch.tensor(x), training=True))
    # Virtual batch j holds samples j and j + 2 (tf.keras 2's reshape to (2, 2, ...)).
    xv = x.reshape(2, 2, 2, 3, 2)
    mean = xv.mean(axis=(0, 3, 4), keepdims=True)
    var = xv.var(axis=(0, 3, 4), keepdims=True)
    ref = ((xv - mean) / np.sqrt(var + EPS)).reshape(x.shape)
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-5)
    assert bn.moving_mean.shape == (1, 1, 2, 1, 1)
    np.testing.assert_allclose(_np(bn.moving_mean).ravel(), 0.5 * mean.mean(axis=1).ravel(), 1e-5)
    np.testing.assert_allclose(
        _np(bn.moving_variance).ravel(), 0.5 + 0.5 * var.mean(axis=1).ravel(), 1e-5
    )


def test_virtual_batch_size_config_axis_as_tf_keras():
    # A built tf_keras 2.21 layer saves its axis shifted by one ([2] for axis=[1]).
    bn = BatchNormalization(axis=[1], virtual_batch_size=2)
    config = bn.get_config()
    assert config["axis"] == [2] and config["virtual_batch_size"] == 2
    clone = BatchNormalization.from_config(config)
    assert clone.axis == [1]
    out = clone(torch.tensor(_X[:4]), training=True)
    assert tuple(out.shape) == (4, 3)
    assert BatchNormalization(virtual_batch_size=2).get_config()["axis"] == -1


def test_adjustment_matches_tf_keras():
    seen = []

    def adjustment(shape):
        seen.append(shape.tolist())
        return torch.tensor([1.5, 0.5, 2.0]), torch.tensor([0.1, -0.2, 0.3])

    bn = BatchNormalization(adjustment=adjustment, momentum=0.8, beta_initializer=_constant(0.25))
    np.testing.assert_allclose(_np(bn(torch.tensor(_X), training=True)), ADJ_OUT, atol=2e-5)
    assert seen == [[6, 3]]
    for weight, expected in zip(bn.weights[2:], ADJ_WEIGHTS):
        np.testing.assert_allclose(_np(weight), expected, atol=2e-5)
    # No adjustment at inference.
    np.testing.assert_allclose(_np(bn(torch.tensor(_X), training=False)), ADJ_INFER, atol=2e-5)
    assert seen == [[6, 3]]


def test_adjustment_left_out_of_config_with_warning(caplog):
    bn = BatchNormalization(adjustment=lambda shape: (1.0, 0.0))
    with caplog.at_level("WARNING"):
        config = bn.get_config()
    assert "adjustment" not in config
    assert "The `adjustment` function of this `BatchNormalization` layer cannot be serialized" in (
        caplog.text
    )


def test_keras2_feature_errors():
    with pytest.raises(ValueError) as info:
        BatchNormalization(renorm=True, renorm_clipping={"rmax": 2.0, "bad": 1})
    assert str(info.value) == (
        "Received invalid keys for `renorm_clipping` argument: {'rmax': 2.0, 'bad': 1}. "
        "Supported values: ['rmax', 'rmin', 'dmax']."
    )
    with pytest.raises(ValueError) as info:
        BatchNormalization(renorm=True, fused=True)
    assert str(info.value) == "Passing both `fused=True` and `renorm=True` is not supported"
    with pytest.raises(ValueError) as info:
        BatchNormalization(virtual_batch_size=2, fused=True)
    assert str(info.value) == (
        "Passing `fused=True` is not supported when `virtual_batch_size` is specified."
    )
    with pytest.raises(ValueError) as info:
        BatchNormalization(adjustment=lambda s: (1.0, 0.0), fused=True)
    assert str(info.value) == (
        "Passing `fused=True` is not supported when `adjustment` is specified."
    )
    with pytest.raises(ValueError) as info:
        BatchNormalization(virtual_batch_size=0)(torch.ones(4, 3))
    assert str(info.value) == (
        "`virtual_batch_size` must be a positive integer that divides the true batch size of "
        "the input tensor. Received: virtual_batch_size=0"
    )
    with pytest.raises(ValueError) as info:
        BatchNormalization(virtual_batch_size=2, adjustment=lambda s: (1.0, 0.0))(torch.ones(4, 3))
    assert str(info.value) == "When using `virtual_batch_size`, adjustment cannot be specified"
    with pytest.raises(
        ValueError, match="batch dimension must be 0 and thus axis cannot include 0"
    ):
        BatchNormalization(axis=0, virtual_batch_size=2)(torch.ones(4, 3))
    bn = BatchNormalization(virtual_batch_size=4, name="ghost")
    with pytest.raises(ValueError, match=r"'ghost'.*virtual_batch_size=4 must divide the batch"):
        bn(torch.ones(6, 3), training=True)


def test_error_axis_out_of_range():
    with pytest.raises(ValueError, match=r"axis 3 is out of range for an input of rank 3"):
        BatchNormalization(axis=3)(torch.ones(2, 3, 4))


def test_error_channel_size_changes_after_build():
    bn = BatchNormalization(name="bn_size")
    bn(torch.ones(2, 4))
    with pytest.raises(ValueError, match=r"'bn_size'.*axis 1 of the input to have size 4"):
        bn(torch.ones(2, 5))


def test_error_unknown_channel_size():
    with pytest.raises(ValueError, match=r"size of axis \[1\] must be known"):
        BatchNormalization().build((None, None))


def test_error_mask_rank():
    bn = BatchNormalization()
    with pytest.raises(ValueError, match=r"mask must have one dimension less.*\(2, 3\)"):
        bn(torch.ones(2, 3), training=True, mask=torch.ones(2, 3, dtype=torch.bool))


def test_error_bad_arguments():
    with pytest.raises(ValueError, match=r"momentum=...\) must be a float in \[0, 1\]"):
        BatchNormalization(momentum=1.5)
    with pytest.raises(TypeError, match=r"axis=...\) must be an int"):
        BatchNormalization(axis="channels")
    with pytest.raises(ValueError, match="leaves none to compute batch statistics"):
        BatchNormalization(axis=[0, 1]).build((4, 3))


# tf.keras 2.21, momentum=0 after one training call on x = arange(8).reshape(2, 2, 1, 2) ** 1.5:
# its fused kernel (the default on rank 4) feeds the unbiased variance, its other path the
# biased one (fused=False, synchronized=True, float64).
_FUSED_X = np.arange(8, dtype=np.float32).reshape(2, 2, 1, 2) ** 1.5
_K2_UNBIASED = [41.70463943481445, 57.95191955566406]
_K2_BIASED = [31.278480529785156, 43.46393966674805]


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        ({}, _K2_UNBIASED),
        ({"fused": None}, _K2_UNBIASED),
        ({"fused": True}, _K2_UNBIASED),
        ({"fused": False}, _K2_BIASED),
        ({"synchronized": True}, _K2_BIASED),
        ({"dtype": "float64"}, _K2_BIASED),
        ({"axis": 1, "fused": False}, [22.047119140625, 42.194740295410156]),
    ],
)
def test_fused_argument_selects_the_moving_variance_rule_as_keras2(kwargs, expected):
    bn = BatchNormalization(momentum=0.0, **kwargs)
    x = torch.from_numpy(_FUSED_X).to(torch.float64 if "dtype" in kwargs else torch.float32)
    bn(x, training=True)
    np.testing.assert_allclose(_np(bn.moving_variance), expected, rtol=1e-5)
    # The formula behind the constants: n = 4 values per channel.
    reduce = (0, 1, 2) if kwargs.get("axis", -1) == -1 else (0, 2, 3)
    var = _FUSED_X.astype(np.float64).var(axis=reduce)
    n = _FUSED_X.size // var.size
    fed = var * n / (n - 1) if expected is _K2_UNBIASED else var
    np.testing.assert_allclose(fed, expected, rtol=1e-5)


def test_fused_true_errors_as_keras2():
    with pytest.raises(ValueError, match=r"`fused=True` is only supported when axis is 1 or 3"):
        BatchNormalization(fused=True, axis=2)
    with pytest.raises(ValueError, match=r"`fused=True` is only supported when axis is 1 or 3"):
        BatchNormalization(fused=True, axis=[1, 2])
    with pytest.raises(ValueError, match=r"`fused=True` is not supported when `synchronized"):
        BatchNormalization(fused=True, synchronized=True)
    with pytest.raises(ValueError, match=r"'bn_f': fused=True supports only 4D or 5D inputs"):
        BatchNormalization(fused=True, name="bn_f")(torch.ones(3, 4), training=True)
    with pytest.raises(ValueError, match=r"fused=True supports only axis=1 or axis=3 for 4D"):
        BatchNormalization(fused=True, axis=-4)(torch.ones(2, 3, 4, 5))
    # Rank 5 with another axis: tf.keras 2 quietly takes its unfused (biased) path.
    bn = BatchNormalization(fused=True, axis=3, momentum=0.0)
    x = np.arange(2 * 1 * 1 * 2 * 1, dtype=np.float32).reshape(2, 1, 1, 2, 1) ** 2
    bn(torch.from_numpy(x), training=True)
    np.testing.assert_allclose(_np(bn.moving_variance), x.var(axis=(0, 1, 2, 4)), rtol=1e-6)
    assert "fused" not in BatchNormalization(fused=False).get_config()  # as tf.keras 2


def test_mask_may_be_a_numpy_array():
    x = np.arange(24, dtype=np.float32).reshape(2, 4, 3)
    mask = np.array([[1, 1, 0, 0], [1, 1, 1, 0]], bool)
    bn = BatchNormalization(momentum=0.0)
    out = bn(torch.from_numpy(x), training=True, mask=mask)
    valid = x[mask]  # (5, 3): the statistics use the unmasked steps only
    mean, var = valid.mean(0), valid.var(0)
    np.testing.assert_allclose(_np(out), (x - mean) / np.sqrt(var + EPS), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(_np(bn.moving_mean), mean, rtol=1e-5)


def _keras2_bn_config(name, axis, **extra):
    init = {"module": "keras.initializers", "config": {}, "registered_name": None}
    config = {
        "name": name,
        "trainable": True,
        "dtype": "float32",
        "axis": axis,
        "momentum": 0.5,
        "epsilon": 0.001,
        "center": True,
        "scale": True,
        "beta_initializer": {**init, "class_name": "Zeros"},
        "gamma_initializer": {**init, "class_name": "Ones"},
        "moving_mean_initializer": {**init, "class_name": "Zeros"},
        "moving_variance_initializer": {**init, "class_name": "Ones"},
        "beta_regularizer": None,
        "gamma_regularizer": None,
        "beta_constraint": None,
        "gamma_constraint": None,
        **extra,
    }
    return {"class_name": "BatchNormalization", "config": config}


def test_loads_tf_keras_h5_with_renorm_and_virtual_batches(tmp_path):
    """The layout (config, weight names and order) of a tf_keras 2.21 `model.save('m.h5')`."""
    import json

    import h5py

    from tork import keras

    rng = np.random.default_rng(7)
    kernel = rng.normal(size=(4, 3)).astype(np.float32)
    bias = rng.normal(size=(3,)).astype(np.float32)
    renorm = [rng.uniform(0.5, 1.5, size=(3,)).astype(np.float32) for _ in range(7)]
    ghost = [rng.uniform(0.5, 1.5, size=(1, 1, 3)).astype(np.float32) for _ in range(4)]
    dense = {
        "class_name": "Dense",
        "config": {"name": "dense", "batch_input_shape": [None, 4], "units": 3},
    }
    layers = [
        {
            "class_name": "InputLayer",
            "config": {"batch_input_shape": [None, 4], "dtype": "float32", "name": "dense_input"},
        },
        dense,
        _keras2_bn_config(
            "batch_normalization",
            [1],
            renorm=True,
            renorm_clipping={"rmax": 2.0},
            renorm_momentum=0.99,
        ),
        # A built tf_keras layer saves axis [2] here (its build shifted [1]).
        _keras2_bn_config("batch_normalization_1", [2], virtual_batch_size=4),
    ]
    config = {"class_name": "Sequential", "config": {"name": "sequential", "layers": layers}}
    bn_names = ["gamma", "beta", "moving_mean", "moving_variance"]
    weights = [
        ("dense", [("dense/kernel:0", kernel), ("dense/bias:0", bias)]),
        (
            "batch_normalization",
            [
                (f"batch_normalization/{n}:0", v)
                for n, v in zip(
                    [*bn_names, "moving_stddev", "renorm_mean", "renorm_stddev"], renorm
                )
            ],
        ),
        (
            "batch_normalization_1",
            [(f"batch_normalization_1/{n}:0", v) for n, v in zip(bn_names, ghost)],
        ),
    ]
    path = tmp_path / "bn.h5"
    with h5py.File(path, "w") as f:
        f.attrs["backend"] = b"tensorflow"
        f.attrs["keras_version"] = b"2.21.0"
        f.attrs["model_config"] = json.dumps(config).encode()
        group = f.create_group("model_weights")
        group.attrs["backend"] = b"tensorflow"
        group.attrs["keras_version"] = b"2.21.0"
        group.attrs["layer_names"] = np.array([n.encode() for n, _ in weights])
        for name, values in weights:
            layer_group = group.create_group(name)
            layer_group.attrs["weight_names"] = np.array([w.encode() for w, _ in values])
            for weight_name, value in values:
                layer_group.create_dataset(weight_name, data=value)
    model = keras.models.load_model(path)
    first, second = model.layers[1], model.layers[2]
    assert first.renorm and first.renorm_clipping == {"rmax": 2.0}
    assert second.virtual_batch_size == 4 and second.axis == [1]
    for weight, value in zip(first.weights, renorm):
        np.testing.assert_array_equal(_np(weight), value)
    for weight, value in zip(second.weights, ghost):
        np.testing.assert_array_equal(_np(weight), value)
    x = rng.normal(size=(8, 4)).astype(np.float32)
    h = x @ kernel + bias
    g, b, m, v = renorm[:4]
    h = (h - m) / np.sqrt(v + EPS) * g + b
    g, b, m, v = (a.reshape(3) for a in ghost)
    expected = (h - m) / np.sqrt(v + EPS) * g + b
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-5, atol=1e-5)
    model.compile("sgd", "mse")
    model.fit(x, np.zeros((8, 3), np.float32), batch_size=8, epochs=1, verbose=0)
    assert not np.allclose(_np(first.renorm_mean), renorm[5])
