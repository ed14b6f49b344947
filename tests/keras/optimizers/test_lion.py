import numpy as np
import pytest

from tork.keras.optimizers import Lion


def lion_reference(x, grads, lr=1e-4, b1=0.9, b2=0.99):
    m = np.zeros_like(x)
    for g in grads:
        x = x - lr * np.sign(b1 * m + (1 - b1) * g)
        m = b2 * m + (1 - b2) * g
    return x


def test_default_matches_keras_formula(run, start, grads):
    np.testing.assert_allclose(run(Lion()), lion_reference(start, grads), rtol=1e-6, atol=1e-7)


def test_non_default(run, start, grads):
    opt = Lion(learning_rate=0.1, beta_1=0.5, beta_2=0.8)
    expected = lion_reference(start, grads, lr=0.1, b1=0.5, b2=0.8)
    np.testing.assert_allclose(run(opt), expected, rtol=1e-6, atol=1e-6)


def test_default_learning_rate_is_keras2():
    # tf_keras 2.21: Lion().get_config()["learning_rate"] == 1e-4 (Keras 3 uses 1e-3).
    assert Lion().get_config()["learning_rate"] == pytest.approx(1e-4)


def test_beta_1_range():
    with pytest.raises(ValueError, match=r"`beta_1` must be in the \[0, 1\] range"):
        Lion(beta_1=0.0)
