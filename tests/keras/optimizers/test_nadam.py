import numpy as np

from tork.keras.optimizers import Nadam


def nadam_reference(x, grads, lr=0.001, b1=0.9, b2=0.999, eps=1e-7):
    m = np.zeros_like(x)
    s = np.zeros_like(x)
    product = 1.0
    for t, g in enumerate(grads, start=1):
        mu_t = b1 * (1 - 0.5 * 0.96**t)
        mu_next = b1 * (1 - 0.5 * 0.96 ** (t + 1))
        product = product * mu_t
        m = m + (g - m) * (1 - b1)
        s = s + (g * g - s) * (1 - b2)
        m_hat = mu_next * m / (1 - product * mu_next) + (1 - mu_t) * g / (1 - product)
        s_hat = s / (1 - b2**t)
        x = x - lr * m_hat / (np.sqrt(s_hat) + eps)
    return x


def test_default_matches_keras_formula(run, start, grads):
    np.testing.assert_allclose(run(Nadam()), nadam_reference(start, grads), rtol=1e-6, atol=1e-7)


def test_non_default(run, start, grads):
    opt = Nadam(learning_rate=0.1, beta_1=0.7, beta_2=0.9, epsilon=0.01)
    expected = nadam_reference(start, grads, lr=0.1, b1=0.7, b2=0.9, eps=0.01)
    np.testing.assert_allclose(run(opt), expected, rtol=1e-5, atol=1e-6)


def test_momentum_product_is_an_optimizer_variable(run):
    opt = Nadam(name="nadam")
    run(opt, grads=[np.ones((2, 3))] * 2)
    names = [v.name for v in opt.variables]
    # Last, after the slots, as Keras 3's Nadam lists it (and stores it in .keras files).
    assert names[-1] == "nadam/u_product:0"
    assert names[:2] == ["nadam/iteration:0", "nadam/learning_rate:0"]
    mu = [0.9 * (1 - 0.5 * 0.96**t) for t in (1, 2)]
    np.testing.assert_allclose(float(opt.variables[-1]), mu[0] * mu[1], rtol=1e-6)
