"""`tf.GradientTape` inside a layer's `call` (physics-informed nets, gradient penalties).

Reference numbers: TensorFlow 2.21 with tf_keras (TF_USE_LEGACY_KERAS=1), same fixed
weights and data. TF's fit records the forward pass on its own tape, so a tape used in
`call` gives a gradient the weights' update differentiates again.
"""

import warnings

import numpy as np
import pytest

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


class _PDE(keras.layers.Layer):
    """u(x, t) with its first and second derivatives from nested tapes in call."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.d1 = keras.layers.Dense(8, activation="tanh")
        self.d2 = keras.layers.Dense(1)

    def call(self, x):
        with tf.GradientTape() as t2:
            t2.watch(x)
            with tf.GradientTape() as t1:
                t1.watch(x)
                u = self.d2(self.d1(x))
            ux = t1.gradient(u, x)
        uxx = t2.gradient(ux, x)
        return tf.concat([u, ux, uxx], -1)


@pytest.mark.parametrize("jit_compile", [False, pytest.param(True, marks=pytest.mark.slow)])
def test_nested_tapes_in_call_fit_matches_tf(jit_compile):
    inp = keras.Input((2,))
    out = _PDE()(inp)
    res = keras.layers.Lambda(lambda z: tf.stack([z[:, 0], z[:, 2] + z[:, 0]], -1))(out)
    model = keras.Model(inp, res)
    _fixed(model)
    # TF 2.21: [u, ux, ut, uxx, utt] of the first sample
    np.testing.assert_allclose(
        keras.Model(inp, out).predict(XT[:1], verbose=0)[0],
        [-0.8568785, -0.4149812, -0.8049577, 0.3209459, 0.3872643],
        atol=1e-6,
    )
    model.compile(keras.optimizers.SGD(0.1), loss="mse", jit_compile=jit_compile)
    y = np.concatenate([np.sin(X), np.zeros_like(X)], 1)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # no fallback from the compiled step
        history = model.fit(XT, y, batch_size=8, epochs=3, shuffle=False, verbose=0)
    np.testing.assert_allclose(
        history.history["loss"], [1.3595510, 0.0772397, 0.0667853], rtol=2e-5
    )
    np.testing.assert_allclose(
        model.get_weights()[0].ravel()[:6],
        [0.4250017, 0.4877632, 0.3114865, -0.0116774, -0.3183541, -0.4865931],
        atol=2e-6,
    )
    assert model.evaluate(XT, y, verbose=0) == pytest.approx(0.0634724, rel=2e-5)


class _GradientPenalty(keras.Model):
    """A WGAN-GP critic step: the penalty's tape nested in the step's tape."""

    def __init__(self, critic):
        super().__init__()
        self.critic = critic

    def train_step(self, data):
        real, fake = data
        alpha = tf.constant(np.linspace(0, 1, 8).reshape(8, 1).astype("float32"))
        with tf.GradientTape() as tape:
            interp = alpha * real + (1 - alpha) * fake
            with tf.GradientTape() as gp_tape:
                gp_tape.watch(interp)
                pred = self.critic(interp, training=True)
            grads = gp_tape.gradient(pred, [interp])[0]
            norm = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=[1]))
            gp = tf.reduce_mean((norm - 1.0) ** 2)
            loss = tf.reduce_mean(self.critic(fake)) - tf.reduce_mean(self.critic(real)) + 10.0 * gp
        g = tape.gradient(loss, self.critic.trainable_variables)
        self.optimizer.apply_gradients(zip(g, self.critic.trainable_variables))
        return {"loss": loss, "gp": gp}


def test_wgan_gp_train_step_matches_tf():
    critic = keras.Sequential(
        [keras.layers.Dense(8, activation="tanh", input_shape=(2,)), keras.layers.Dense(1)]
    )
    _fixed(critic)
    model = _GradientPenalty(critic)
    model.compile(keras.optimizers.SGD(0.01))
    data = tf.data.Dataset.from_tensor_slices((XT, XT[::-1] * 0.5)).batch(8)
    history = model.fit(data, epochs=3, verbose=0)
    np.testing.assert_allclose(
        history.history["loss"], [0.2957084, 0.2939188, 0.2933374], rtol=2e-5
    )
    np.testing.assert_allclose(
        history.history["gp"], [0.00155527, 0.00156639, 0.00161067], rtol=1e-4
    )
    np.testing.assert_allclose(
        critic.get_weights()[0].ravel()[:6],
        [0.4208972, 0.4949223, 0.3365335, 0.0205602, -0.3062864, -0.4884481],
        atol=2e-6,
    )


@tf.custom_gradient
def _clipped(x):
    def grad(dy):
        return tf.clip_by_value(dy, -0.1, 0.1)

    return tf.identity(x), grad


class _Probe(keras.layers.Layer):
    """batch_jacobian, jacobian, stop_gradient and custom_gradient inside call."""

    def build(self, shape):
        self.w = self.add_weight(name="w", shape=(2, 3), initializer="ones")

    def call(self, x):
        with tf.GradientTape(persistent=True) as t:
            t.watch(x)
            y = tf.tanh(tf.matmul(x, self.w))
            s = tf.reduce_sum(y * tf.stop_gradient(y), axis=1)
            c = _clipped(y) * 3.0
        bj = t.batch_jacobian(y, x)
        j = t.jacobian(s, x)
        gs = t.gradient(s, x)
        gc = t.gradient(c, x)
        del t
        return tf.concat([tf.reshape(bj, (-1, 6)), tf.reduce_sum(j, axis=1), gs, gc], 1)


def test_jacobians_stop_and_custom_gradient_in_call_match_tf():
    inp = keras.Input((2,))
    model = keras.Model(inp, _Probe()(inp))
    model.set_weights([np.array([[0.5, -0.3, 0.2], [0.1, 0.4, -0.6]], "float32")])
    # TF 2.21 tf_keras
    expected = [
        [4.8960775e-01, 9.7921550e-02, -2.6494318e-01, 3.5325757e-01, 1.4859189e-01,
         -4.4577569e-01, -9.5317684e-02, 3.6088011e-01, -9.5317684e-02, 3.6088011e-01,
         3.7325650e-02, 5.4034591e-04],
        [4.6918911e-01, 9.3837820e-02, -2.9982346e-01, 3.9976463e-01, 1.9591008e-01,
         -5.8773023e-01, 8.1181474e-02, 1.1703838e-01, 8.1181474e-02, 1.1703838e-01,
         3.6527567e-02, -9.4127804e-03],
    ]  # fmt: skip
    np.testing.assert_allclose(model.predict(XT[:2], verbose=0), expected, atol=1e-6)
    model.compile(keras.optimizers.SGD(0.1), loss="mse")
    history = model.fit(XT, np.zeros((8, 12), "float32"), batch_size=8, epochs=3, verbose=0)
    np.testing.assert_allclose(
        history.history["loss"], [0.0784509, 0.0761868, 0.0739762], rtol=2e-5
    )
    np.testing.assert_allclose(
        model.get_weights()[0].ravel(),
        [0.4779327, -0.2850937, 0.1891751, 0.0951687, 0.3808114, -0.5775893],
        atol=2e-6,
    )


def test_plain_training_loop_tape_keeps_no_graph():
    # Outside fit, a lone tape's gradient is not differentiable (nothing records it).
    w = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(w * w)
    (g,) = tape.gradient(loss, [w])
    assert not g.requires_grad
    np.testing.assert_allclose(g.numpy(), [2.0, 4.0])


class _BurgersGradientLayer(keras.layers.Layer):
    """okada39/pinn_burgers' GradientLayer: nested tapes with batch_jacobian in call."""

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(**kwargs)

    def call(self, x):
        with tf.GradientTape() as g:
            g.watch(x)
            with tf.GradientTape() as gg:
                gg.watch(x)
                u = self.model(x)
            du_dtx = gg.batch_jacobian(u, x)
            du_dt = du_dtx[..., 0]
            du_dx = du_dtx[..., 1]
        d2u_dx2 = g.batch_jacobian(du_dx, x)[..., 1]
        return u, du_dt, du_dx, d2u_dx2


def test_pinn_burgers_tape_evaluation_and_fit_match_tf():
    inputs = keras.layers.Input(shape=(2,))
    h = keras.layers.Dense(8, activation="tanh")(inputs)
    h = keras.layers.Dense(8, activation="tanh")(h)
    network = keras.models.Model(inputs, keras.layers.Dense(1)(h))
    _fixed(network)
    nu = 0.01 / np.pi
    tx_eqn, tx_ini, tx_bnd = (keras.layers.Input(shape=(2,)) for _ in range(3))
    u, du_dt, du_dx, d2u_dx2 = _BurgersGradientLayer(network)(tx_eqn)
    u_eqn = du_dt + u * du_dx - nu * d2u_dx2
    pinn = keras.models.Model([tx_eqn, tx_ini, tx_bnd], [u_eqn, network(tx_ini), network(tx_bnd)])
    rng = np.random.RandomState(1)
    n = 16
    a = rng.rand(n, 2)
    a[..., 1] = 2 * a[..., 1] - 1
    b = 2 * rng.rand(n, 2) - 1
    b[..., 0] = 0
    c = rng.rand(n, 2)
    c[..., 1] = 2 * np.round(c[..., 1]) - 1
    x_train = [tf.constant(v, dtype=tf.float32) for v in (a, b, c)]
    targets = (np.zeros((n, 1)), np.sin(-np.pi * b[..., 1, None]), np.zeros((n, 1)))
    y_train = [tf.constant(v, dtype=tf.float32) for v in targets]

    @tf.function
    def evaluate(x, y):  # the repository's L-BFGS-B loss and gradients
        with tf.GradientTape() as g:
            loss = tf.reduce_mean(keras.losses.mse(pinn(x), y))
        return loss, g.gradient(loss, pinn.trainable_variables)

    loss, grads = evaluate(x_train, y_train)
    # TF 2.21 tf_keras, same weights and data
    assert float(loss) == pytest.approx(0.8697734, rel=1e-5)
    np.testing.assert_allclose(
        [float(np.abs(np.asarray(g)).sum()) for g in grads],
        [3.2921114, 1.6237453, 4.9178495, 0.9183592, 5.2296324, 0.4087912],
        rtol=1e-5,
    )
    np.testing.assert_allclose(
        pinn.predict(x_train, verbose=0)[0][:4, 0],
        [-0.10383283, -1.7810866, -1.6279359, -1.6251681],
        atol=1e-6,
    )
    pinn.compile(keras.optimizers.Adam(0.01), loss="mse")
    history = pinn.fit(x_train, y_train, batch_size=8, epochs=2, shuffle=False, verbose=0)
    np.testing.assert_allclose(history.history["loss"], [2.3854375, 1.6669241], rtol=2e-5)
    np.testing.assert_allclose(
        network.get_weights()[0].ravel()[:4],
        [0.38167146, 0.45657837, 0.29847646, -0.01845216],
        atol=2e-6,
    )


class _DerivativeLayer(keras.layers.Layer):
    """joshuamills98/Convection-Diffusion-PINN: a persistent tape, gradients taken inside it."""

    def __init__(self, model):
        self.model = model
        super().__init__()

    def call(self, inputs):
        t = tf.convert_to_tensor(inputs[:, 0], dtype="float32")
        x = tf.convert_to_tensor(inputs[:, 1], dtype="float32")
        pe = tf.convert_to_tensor(inputs[:, 2], dtype="float32")
        with tf.GradientTape(persistent=True) as gg:
            gg.watch(t)
            gg.watch(x)
            c = self.model(tf.stack([t, x, pe], axis=1))
            dc_dt = gg.gradient(c, t)
            dc_dx = gg.gradient(c, x)
        d2c_dt2 = gg.gradient(dc_dt, t)
        d2c_dx2 = gg.gradient(dc_dx, x)
        return c, dc_dt, dc_dx, d2c_dt2, d2c_dx2


def test_persistent_tape_derivative_layer_matches_tf():
    data = np.random.RandomState(2).rand(8, 3).astype("float32")
    net = keras.Sequential(
        [keras.layers.Dense(6, activation="tanh", input_shape=(3,)), keras.layers.Dense(1)]
    )
    _fixed(net)
    inp = keras.Input((3,))
    c, ct, cx, ctt, cxx = _DerivativeLayer(net)(inp)
    f = keras.layers.Lambda(lambda z: z[0] - 0.5 * z[1] + z[2])([ct, cxx, cx])
    model = keras.Model(inp, [c, f])
    c_pred, f_pred = model.predict(data, verbose=0)
    # TF 2.21 tf_keras
    np.testing.assert_allclose(c_pred[:3, 0], [0.06443825, -0.1478186, -0.16440462], atol=1e-6)
    np.testing.assert_allclose(f_pred[:3], [-0.42665488, -0.4965578, -0.5247758], atol=1e-6)
    model.compile(keras.optimizers.Adam(0.01), loss="mse")
    targets = [data[:, :1], np.zeros((8,), "float32")]
    history = model.fit(data, targets, epochs=3, batch_size=8, verbose=0)
    np.testing.assert_allclose(
        history.history["loss"], [0.6023456, 0.5041787, 0.4166914], rtol=2e-5
    )
    np.testing.assert_allclose(
        net.get_weights()[0].ravel()[:4],
        [0.45074525, 0.46599165, 0.30788952, -0.00909647],
        atol=2e-6,
    )


class _InputGradientPenalty(keras.layers.Layer):
    """An input-gradient regularizer: a tape in call feeding add_loss and add_metric."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.d = keras.layers.Dense(3, activation="tanh")

    def call(self, x, training=None):
        with tf.GradientTape() as t:
            t.watch(x)
            y = self.d(x)
        g = t.gradient(y, x)
        self.add_loss(0.1 * tf.reduce_mean(tf.square(g)))
        self.add_metric(tf.reduce_mean(tf.square(g)), name="gnorm")
        return y


def test_input_gradient_penalty_add_loss_matches_tf():
    inp = keras.Input((4,))
    model = keras.Model(inp, keras.layers.Dense(1)(_InputGradientPenalty()(inp)))
    _fixed(model)
    data = np.linspace(-1, 1, 32).reshape(8, 4).astype("float32")
    target = data[:, :1] * 2
    model.compile(keras.optimizers.SGD(0.1), loss="mse")
    history = model.fit(data, target, batch_size=4, epochs=2, shuffle=False, verbose=0)
    # TF 2.21 tf_keras, same weights
    np.testing.assert_allclose(history.history["loss"], [2.1038926, 1.4671731], rtol=2e-5)
    np.testing.assert_allclose(history.history["gnorm"], [0.758578, 0.6941193], rtol=2e-5)
    np.testing.assert_allclose(
        model.get_weights()[0].ravel()[:4],
        [0.4675396, 0.38259283, 0.08511296, 0.09610595],
        atol=2e-6,
    )
    np.testing.assert_allclose(
        model.evaluate(data, target, verbose=0), [0.91944766, 0.62506765], rtol=2e-5
    )
