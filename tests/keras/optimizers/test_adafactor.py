import numpy as np
import torch

import tork as tf
from tork.keras.optimizers import Adafactor
from tork.variables import Variable

# Variables of rank 2, 1 and 3 (factored, unfactored, factored over the last two axes).
STARTS = [
    np.array([[1.0, -2.0, 0.5], [3.0, -0.25, 0.0]], "float32"),
    np.array([0.5, -1.0], "float32"),
    np.arange(12, dtype="float32").reshape(2, 3, 2) / 10 - 0.5,
]
GRADS = [
    [
        np.array([[0.1, -0.2, 0.3], [-0.4, 0.5, -0.6]], "float32"),
        np.array([1.0, -0.5], "float32"),
        np.linspace(-1, 1, 12, dtype="float32").reshape(2, 3, 2),
    ],
    [
        np.array([[1.0, 0.5, -2.0], [0.25, -1.5, 0.0]], "float32"),
        np.array([-0.2, 2.0], "float32"),
        np.cos(np.arange(12, dtype="float32")).reshape(2, 3, 2),
    ],
    [
        np.array([[-0.3, 0.8, 0.1], [0.9, -0.05, 2.0]], "float32"),
        np.array([0.3, 0.3], "float32"),
        np.sin(np.arange(12, dtype="float32")).reshape(2, 3, 2),
    ],
]


def adafactor_reference(starts, grads, lr=0.001, decay=-0.8, eps1=1e-30, eps2=1e-3, clip=1.0):
    """The Adafactor update in NumPy (float64), one variable at a time."""
    xs = [s.astype(np.float64) for s in starts]
    rs = [np.zeros(x.shape[:-1]) if x.ndim >= 2 else None for x in xs]
    cs = [np.zeros(x.shape[:-2] + x.shape[-1:]) if x.ndim >= 2 else None for x in xs]
    vs = [np.zeros_like(x) for x in xs]
    rms = lambda a: np.sqrt(np.mean(a**2))  # noqa: E731
    for t, step in enumerate(grads, start=1):
        rho = min(lr, 1 / np.sqrt(t))
        b2 = 1 - t**decay
        for i, g in enumerate(step):
            g = g.astype(np.float64)
            alpha = max(eps2, rms(xs[i])) * rho
            g2 = g**2 + eps1
            if xs[i].ndim >= 2:
                rs[i] = b2 * rs[i] + (1 - b2) * g2.mean(-1)
                cs[i] = b2 * cs[i] + (1 - b2) * g2.mean(-2)
                vs[i] = (rs[i] / rs[i].mean(-1, keepdims=True))[..., None] * cs[i][..., None, :]
            else:
                vs[i] = b2 * vs[i] + (1 - b2) * g2
            u = g / np.sqrt(vs[i])
            u = u / max(1.0, rms(u) / clip)
            xs[i] = xs[i] - alpha * u
    return xs


def run(optimizer):
    variables = [Variable(torch.tensor(s)) for s in STARTS]
    for step in GRADS:
        optimizer.apply_gradients(zip([torch.tensor(g) for g in step], variables))
    return [v.detach().numpy() for v in variables]


def test_default_matches_numpy_formula():
    for got, want in zip(run(Adafactor()), adafactor_reference(STARTS, GRADS)):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-7)


def test_non_default_matches_numpy_formula():
    opt = Adafactor(learning_rate=0.5, clip_threshold=0.5, epsilon_2=0.1, beta_2_decay=-0.5)
    want = adafactor_reference(STARTS, GRADS, lr=0.5, decay=-0.5, eps2=0.1, clip=0.5)
    for got, expected in zip(run(opt), want):
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


def test_matches_tensorflow_2_21():
    # Values printed by TF 2.21 (Keras 3.15) for the same variables and gradients.
    opt = Adafactor(learning_rate=0.5, clip_threshold=0.5, epsilon_2=0.1, beta_2_decay=-0.5)
    got = run(opt)
    np.testing.assert_allclose(
        got[0],
        [[0.50463444, -2.2993178, 0.504203], [2.7412224, 0.03893452, -0.16862482]],
        atol=2e-6,
    )
    np.testing.assert_allclose(got[1], [0.11394671, -1.1034861], atol=2e-6)
    np.testing.assert_allclose(
        got[2][1],
        [[0.0035369, -0.05429612], [0.1208091, 0.3601928], [0.5411986, 0.60921806]],
        atol=2e-6,
    )
    got = run(Adafactor())
    np.testing.assert_allclose(got[1], [0.49901205, -1.0004257], atol=1e-7)
    np.testing.assert_allclose(got[0][1], [2.9989293, -0.24895476, -7.843707e-04], atol=1e-7)


def test_variables_follow_keras_order_and_shapes():
    opt = Adafactor()
    run(opt)
    # iteration, learning_rate, then per variable: r, c (scalar placeholders when rank < 2), v.
    assert [tuple(v.shape) for v in opt.variables] == [
        (),
        (),
        (2,),
        (3,),
        (2, 3),
        (),
        (),
        (2,),
        (2, 3),
        (2, 2),
        (2, 3, 2),
    ]
    assert int(opt.iterations) == 3


def test_config_round_trip_and_lookup():
    opt = Adafactor(learning_rate=0.3, clip_threshold=2.0, relative_step=False)
    config = opt.get_config()
    assert config["beta_2_decay"] == -0.8
    assert config["epsilon_1"] == 1e-30
    assert config["epsilon_2"] == 1e-3
    assert config["clip_threshold"] == 2.0
    assert config["relative_step"] is False
    clone = Adafactor.from_config(config)
    assert clone.clip_threshold == 2.0
    assert isinstance(tf.keras.optimizers.get("adafactor"), Adafactor)
    assert tf.keras.optimizers.experimental.Adafactor is Adafactor


def test_fit_and_keras_file_round_trip(tmp_path):
    x = np.random.RandomState(0).randn(20, 3).astype("float32")
    y = x @ np.array([[1.0], [-1.0], [0.5]], "float32")
    model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(1)])
    model.compile(Adafactor(0.1), "mse")
    history = model.fit(x, y, batch_size=5, epochs=3, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    model.save(tmp_path / "m.keras")
    loaded = tf.keras.models.load_model(tmp_path / "m.keras")
    assert isinstance(loaded.optimizer, Adafactor)
    assert int(loaded.optimizer.iterations) == 12
    assert len(loaded.optimizer.variables) == len(model.optimizer.variables) == 8
    for a, b in zip(loaded.optimizer.variables, model.optimizer.variables):
        np.testing.assert_allclose(np.asarray(a.numpy()), np.asarray(b.numpy()))
