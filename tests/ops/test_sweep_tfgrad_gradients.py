"""`tf.gradients` / `tf.hessians` inside Keras models (physics-informed nets, WGAN-GP).

Reference numbers come from TensorFlow 2.21 with tf_keras (TF_USE_LEGACY_KERAS=1), same
fixed weights: TF 2 runs fit/predict in graphs, where tf.gradients works inside a layer's
call or a Lambda that computes ys itself. tf.gradients between layers of a functional model
(`Lambda(...)([u, x])`) only works in TF 1 graph mode (tf_keras builds each Lambda in its
own scratch graph otherwise): its predictions were taken with
`tf.compat.v1.disable_eager_execution()`, its training numbers from the same network
written with nested GradientTapes in TF 2.
"""

import copy

import numpy as np
import pytest
import torch

import tork as tf

keras = tf.keras

_RNG = np.random.RandomState(0)
X = _RNG.uniform(-1, 1, (8, 1)).astype("float32")
T = _RNG.uniform(0, 1, (8, 1)).astype("float32")
XT = np.concatenate([X, T], 1)


def _fixed(model):
    weights = []
    for i, w in enumerate(model.get_weights()):
        n = int(np.prod(w.shape))
        weights.append((np.sin(np.arange(n) * 0.7 + i + 1) * 0.5).reshape(w.shape))
    model.set_weights([w.astype("float32") for w in weights])


def _pinn_between_layers():
    x = keras.Input((1,), name="x")
    t = keras.Input((1,), name="t")
    h = keras.layers.Concatenate()([x, t])
    h = keras.layers.Dense(8, activation="tanh")(h)
    u = keras.layers.Dense(1)(h)
    ux = keras.layers.Lambda(lambda z: tf.gradients(z[0], z[1])[0])([u, x])
    uxx = keras.layers.Lambda(lambda z: tf.gradients(z[0], z[1])[0])([ux, x])
    res = keras.layers.Lambda(lambda z: z[0] - z[1])([uxx, u])
    model = keras.Model([x, t], [u, res])
    _fixed(model)
    return model, keras.Model([x, t], [u, ux, uxx])


# TF 1 graph mode (tf_keras): u, du/dx, d2u/dx2 of the first three samples.
_U = [-0.8568785, -0.5222211, -0.7627324]
_UX = [-0.4149812, -0.4642047, -0.4299286]
_UXX = [0.1418968, 0.1146091, 0.1355648]


def test_gradients_between_functional_layers_predict():
    model, probe = _pinn_between_layers()
    assert probe.outputs[1].shape == (None, 1)
    u, ux, uxx = probe.predict([X, T], verbose=0)
    np.testing.assert_allclose(u[:3, 0], _U, atol=1e-6)
    np.testing.assert_allclose(ux[:3, 0], _UX, atol=1e-6)
    np.testing.assert_allclose(uxx[:3, 0], _UXX, atol=1e-6)
    # Eager calls and calls under torch.no_grad / inference_mode differentiate too.
    for context in (torch.enable_grad, torch.no_grad, torch.inference_mode):
        with context():
            out = probe([X, T])
        np.testing.assert_allclose(np.asarray(out[2])[:3, 0], _UXX, atol=1e-6)
    assert not out[2].requires_grad  # recorded only for the gradients, as in predict
    # Nested in another functional model.
    x, t = keras.Input((1,)), keras.Input((1,))
    outer = keras.Model([x, t], probe([x, t])[2])
    np.testing.assert_allclose(outer.predict([X, T], verbose=0)[:3, 0], _UXX, atol=1e-6)


def test_gradients_between_functional_layers_fit_matches_tf():
    model, _ = _pinn_between_layers()
    model.compile(keras.optimizers.SGD(0.1), loss=["mse", "mse"])
    y = [np.sin(X), np.zeros_like(X)]
    history = model.fit([X, T], y, batch_size=8, epochs=3, shuffle=False, verbose=0)
    # TF 2.21 (the same PDE with nested GradientTapes in a layer, fit 3 steps)
    np.testing.assert_allclose(
        history.history["loss"], [1.2582800, 0.4898195, 0.2337780], rtol=2e-5
    )
    w = model.get_weights()
    np.testing.assert_allclose(
        w[0].ravel()[:6],
        [0.4159164, 0.4564046, 0.2716001, -0.0171377, -0.3168818, -0.4666319],
        atol=2e-6,
    )
    np.testing.assert_allclose(w[3], [-0.2031374], atol=2e-6)
    evaluated = model.evaluate([X, T], y, verbose=0)
    np.testing.assert_allclose(evaluated, [0.1686585, 0.1004090, 0.0682495], rtol=2e-5)


def test_gradients_called_on_keras_tensors():
    # `tf.gradients(u, x)` directly between layers (a TFOpLambda in tf_keras, TF 1 graph).
    x = keras.Input((1,))
    u = keras.layers.Dense(4, activation="tanh")(x)
    u = keras.layers.Dense(1)(u)
    grads = tf.gradients(u, x)
    assert isinstance(grads, list) and len(grads) == 1
    model = keras.Model(x, [u, grads[0]])
    _fixed(model)
    np.testing.assert_allclose(
        model.predict(X, verbose=0)[1][:3, 0], [-0.2667373, -0.2585998, -0.2649979], atol=1e-6
    )


class _PDEGrad(keras.layers.Layer):
    """A physics-informed layer taking du/dx and d2u/dx2 with tf.gradients in call."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.d1 = keras.layers.Dense(8, activation="tanh")
        self.d2 = keras.layers.Dense(1)

    def call(self, z):
        u = self.d2(self.d1(z))
        g = tf.gradients(u, z)[0]
        ux = g[:, :1]
        gxx = tf.gradients(ux, z)[0]
        return tf.concat([u, ux, gxx[:, :1], g[:, 1:]], -1)


def _pde_loss(y, p):
    residual = tf.reduce_mean(tf.square(p[:, 3] - 0.1 * p[:, 2]))
    return residual + tf.reduce_mean(tf.square(p[:, 0] - y[:, 0]))


def test_gradients_in_layer_call_fit_matches_tf():
    inp = keras.Input((2,))
    model = keras.Model(inp, _PDEGrad()(inp))
    _fixed(model)
    np.testing.assert_allclose(
        model.predict(XT, verbose=0)[:2].ravel(),
        [-0.8568785, -0.4149812, 0.1418968, -0.8049577, -0.5222211, -0.4642047, 0.1146091,
         -0.8481221],
        atol=1e-6,
    )  # fmt: skip
    model.compile(keras.optimizers.SGD(0.1), loss=_pde_loss)
    history = model.fit(XT, np.sin(X), batch_size=4, epochs=3, shuffle=False, verbose=0)
    # TF 2.21 tf_keras, same weights
    np.testing.assert_allclose(
        history.history["loss"], [0.9207596, 0.1619349, 0.1087172], rtol=2e-5
    )
    w = model.get_weights()
    np.testing.assert_allclose(
        w[0].ravel()[:6],
        [0.4349088, 0.4841403, 0.3000858, -0.0267704, -0.3335431, -0.4892965],
        atol=2e-6,
    )
    np.testing.assert_allclose(w[3], [-0.2649962], atol=2e-6)
    assert model.evaluate(XT, np.sin(X), verbose=0) == pytest.approx(0.0880933, rel=2e-5)


def test_wgan_gp_penalty_in_lambda_matches_tf():
    critic = keras.Sequential(
        [keras.layers.Dense(8, activation="tanh", input_shape=(2,)), keras.layers.Dense(1)]
    )
    _fixed(critic)
    real = keras.Input((2,))
    fake = keras.Input((2,))
    interp = keras.layers.Lambda(lambda z: 0.3 * z[0] + 0.7 * z[1])([real, fake])

    def penalty(z):
        g = tf.gradients(critic(z), [z])[0]
        norm = tf.sqrt(tf.reduce_sum(tf.square(g), axis=1, keepdims=True))
        return tf.reduce_mean(tf.square(norm - 1.0), axis=1, keepdims=True)

    gp = keras.layers.Lambda(penalty)(interp)
    score = keras.layers.Subtract()([critic(fake), critic(real)])
    total = keras.layers.Lambda(lambda z: z[0] + 10.0 * z[1])([score, gp])
    model = keras.Model([real, fake], [total, gp])
    data = [XT, XT[::-1] * 0.5]
    predicted = model.predict(data, verbose=0)
    # TF 2.21 tf_keras
    np.testing.assert_allclose(predicted[0][:3, 0], [0.6476056, 0.5632002, 0.3102409], atol=1e-6)
    np.testing.assert_allclose(
        predicted[1][:3, 0], [1.1431255e-05, 9.7063341e-04, 3.1121357e-04], rtol=1e-4, atol=1e-8
    )
    model.compile(keras.optimizers.SGD(0.01), loss=[lambda y, p: tf.reduce_mean(p), None])
    history = model.fit(data, np.zeros((8, 1), "float32"), batch_size=8, epochs=3, verbose=0)
    np.testing.assert_allclose(
        history.history["loss"], [0.2856897, 0.2814152, 0.2801973], rtol=2e-5
    )
    np.testing.assert_allclose(
        critic.get_weights()[0].ravel()[:6],
        [0.4208843, 0.4951797, 0.336193, 0.019415, -0.3064445, -0.4885314],
        atol=2e-6,
    )


def test_hessians_in_lambda_matches_tf():
    w = np.array([[0.5, -0.3], [0.2, 0.1]], "float32")

    def f(z):
        y = tf.reduce_sum(tf.sin(tf.matmul(z, tf.constant(w))) ** 2)
        return tf.reshape(tf.hessians(y, z)[0], (-1, 4))[:4]

    inp = keras.Input((2,), batch_size=2)
    model = keras.Model(inp, keras.layers.Lambda(f)(inp))
    out = model.predict(XT[:2], batch_size=2, verbose=0).ravel()
    # TF 2.21 tf_keras: the (2, 2, 2, 2) Hessian, reshaped
    expected = [0.6211641, 0.1176517, 0, 0, 0.1176517, 0.0906653, 0, 0, 0, 0, 0.5942414,
                0.1078657, 0, 0, 0.1078657, 0.0864232]  # fmt: skip
    np.testing.assert_allclose(out, expected, atol=1e-6)
    # Unknown batch size: TF's static shape of the Hessian is (None, 2, None, 2).
    free = keras.Input((2,))
    hessian = keras.layers.Lambda(lambda z: tf.hessians(tf.reduce_sum(z**3), z)[0])(free)
    assert tuple(hessian.shape) == (None, 2, None, 2)
    value = keras.Model(free, hessian).predict(XT[:2], verbose=0)
    np.testing.assert_allclose(value[0, :, 0, :], np.diag(6 * XT[0]), atol=1e-6)


def test_gradients_eager_values_grad_ys_and_unconnected():
    x = tf.Variable([1.0, 2.0])
    z = tf.Variable(3.0)
    y = x * x
    gx, gz = tf.gradients(y, [x, z])
    np.testing.assert_allclose(gx.numpy(), [2.0, 4.0])
    assert gz is None
    (weighted,) = tf.gradients([y], [x], grad_ys=[tf.constant([1.0, 10.0])])
    np.testing.assert_allclose(weighted.numpy(), [2.0, 40.0])
    (zero,) = tf.gradients(y, [z], unconnected_gradients="zero")
    assert zero.numpy() == 0.0
    # The result is differentiable again: d2(x^3)/dx2 = 6x.
    (g,) = tf.gradients(x**3, x)
    (gg,) = tf.gradients(g, x)
    np.testing.assert_allclose(gg.numpy(), [6.0, 12.0])
    assert tf.compat.v1.gradients is tf.gradients
    h = tf.hessians(tf.reduce_sum(x**3), x)[0]
    np.testing.assert_allclose(h.numpy(), [[6.0, 0.0], [0.0, 12.0]])


def test_gradients_of_unrecorded_tensor_raises():
    x = tf.constant([[1.0, 2.0]])
    y = x * 2.0
    with pytest.raises(RuntimeError, match=r"xs\[0\] \(shape \(1, 2\)\) was not recorded"):
        tf.gradients(y, x)
    with pytest.raises(RuntimeError, match=r"tape\.watch\(x\)"):
        tf.gradients(y, [x])
    with pytest.raises(NotImplementedError, match="stop_gradients"):
        tf.gradients(y, x, stop_gradients=[y])
    with pytest.raises(ValueError, match="grad_ys has 2 tensors but ys has 1"):
        tf.gradients(y, x, grad_ys=[None, None])
    with pytest.raises(TypeError, match=r"`xs` must be a tensor or a list of tensors"):
        tf.gradients(y, "x")


class _SubclassedPINN(keras.Model):
    def __init__(self):
        super().__init__()
        self.d1 = keras.layers.Dense(6, activation="tanh")
        self.d2 = keras.layers.Dense(1)

    def call(self, x):
        u = self.d2(self.d1(x))
        g = tf.gradients(u, x)[0]
        gxx = tf.gradients(g[:, 0], x)[0][:, 0:1]
        return tf.concat([u, g, gxx], 1)


def test_gradients_in_subclassed_model_build_predict_fit_match_tf():
    # TF runs build/fit/predict in graphs; tork records the model's inputs for them.
    data = np.linspace(-1, 1, 16).reshape(8, 2).astype("float32")
    model = _SubclassedPINN()
    model.build((None, 2))
    _fixed(model)
    # TF 2.21 tf_keras
    np.testing.assert_allclose(
        model.predict(data, verbose=0)[:2].ravel(),
        [0.3557893, -0.2260311, -0.1855717, -0.0744470, 0.2401042, -0.2406985, -0.2149588,
         -0.0587151],
        atol=1e-6,
    )  # fmt: skip
    model.compile(keras.optimizers.SGD(0.05), loss="mse")
    target = np.zeros((8, 4), "float32")
    history = model.fit(data, target, batch_size=4, epochs=2, shuffle=False, verbose=0)
    np.testing.assert_allclose(history.history["loss"], [0.06232545, 0.05566839], rtol=2e-5)
    np.testing.assert_allclose(
        model.get_weights()[0].ravel()[:4],
        [0.4233007, 0.48539874, 0.3210666, 0.00575108],
        atol=2e-6,
    )
    assert model.evaluate(data, target, verbose=0) == pytest.approx(0.05049399, rel=2e-5)
    # An eager call outside fit/predict does not record the inputs (TF raises there too).
    with pytest.raises(RuntimeError, match="was not recorded"):
        model(data)


def test_gradients_in_sequential_lambda_matches_tf():
    data = np.linspace(-1, 1, 16).reshape(8, 2).astype("float32")
    model = keras.Sequential(
        [
            keras.layers.Dense(2, activation="tanh", input_shape=(2,)),
            keras.layers.Lambda(lambda x: tf.gradients(tf.sin(x) * x, x)[0]),
        ]
    )
    _fixed(model)
    np.testing.assert_allclose(
        model.predict(data, verbose=0)[:2].ravel(),
        [-0.4955572, -0.56651825, -0.11281893, -0.31918827],
        atol=1e-6,
    )


class _Gradient(keras.layers.Layer):
    """Keras 2.2-era layer: `Gradient()([f(x), x])` with K.gradients between layers."""

    def call(self, ins):
        fx, x = ins
        return keras.backend.gradients(fx, x)[0]


def test_k_gradients_layer_between_layers_and_copies():
    data = np.random.RandomState(2).rand(8, 3).astype("float32")
    inp = keras.Input((3,))
    h = keras.layers.Dense(4, activation="tanh")(inp)
    fx = keras.layers.Dense(1)(h)
    model = keras.Model(inp, [fx, _Gradient()([fx, inp])])
    _fixed(model)
    # TF 2.21 tf_keras
    expected = [-0.22774155, 0.35054302, -0.43283737, -0.2624395, 0.38359565, -0.46042526]
    np.testing.assert_allclose(model.predict(data, verbose=0)[1][:2].ravel(), expected, atol=1e-6)
    clone = keras.models.clone_model(model)
    clone.set_weights(model.get_weights())
    copied = copy.deepcopy(model)
    for other in (clone, copied):
        np.testing.assert_allclose(
            other.predict(data, verbose=0)[1][:2].ravel(), expected, atol=1e-6
        )
