import numpy as np
import pytest
import torch

from tork.keras import optimizers
from tork.keras.optimizers import Lamb
from tork.variables import Variable


def lamb_reference(x, grads, lr=0.001, b1=0.9, b2=0.999, eps=1e-7, wd=None):
    m = np.zeros_like(x)
    v = np.zeros_like(x)
    for t, g in enumerate(grads, start=1):
        if wd:
            x = x - x * wd * lr
        m = m + (g - m) * (1 - b1)
        v = v + (g * g - v) * (1 - b2)
        update = (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
        w_norm = np.sqrt((x * x).sum())
        u_norm = np.sqrt((update * update).sum())
        ratio = w_norm / u_norm if w_norm > 0 and u_norm > 0 else 1.0
        x = x - ratio * lr * update
    return x


def test_default_matches_keras_formula(run, start, grads):
    np.testing.assert_allclose(run(Lamb()), lamb_reference(start, grads), rtol=1e-5, atol=1e-7)


def test_non_default(run, start, grads):
    opt = Lamb(learning_rate=0.05, beta_1=0.8, beta_2=0.9, epsilon=0.01, weight_decay=0.1)
    expected = lamb_reference(start, grads, lr=0.05, b1=0.8, b2=0.9, eps=0.01, wd=0.1)
    np.testing.assert_allclose(run(opt), expected, rtol=1e-5, atol=1e-6)


def test_trust_ratio_is_per_variable_and_one_for_zero_weights(grads):
    opt = Lamb(learning_rate=0.1)
    a = Variable(torch.zeros(2, 3), name="a")  # zero norm: ratio 1
    b = Variable(torch.tensor([3.0, -4.0]), name="b")
    gb = [np.array([0.5, 0.25]), np.array([-1.0, 2.0])]
    for ga, g2 in zip(grads[:2], gb):
        opt.apply_gradients(
            [(torch.tensor(ga, dtype=torch.float32), a), (torch.tensor(g2, dtype=torch.float32), b)]
        )
    np.testing.assert_allclose(
        a.detach().numpy(), lamb_reference(np.zeros((2, 3)), grads[:2], lr=0.1), rtol=1e-5
    )
    np.testing.assert_allclose(
        b.detach().numpy(), lamb_reference(np.array([3.0, -4.0]), gb, lr=0.1), rtol=1e-5
    )


def test_config_and_lookup():
    opt = Lamb(learning_rate=0.01, beta_1=0.85)
    cfg = opt.get_config()
    assert (cfg["beta_1"], cfg["beta_2"], cfg["epsilon"]) == (0.85, 0.999, 1e-7)
    assert Lamb.from_config(cfg).beta_1 == 0.85
    assert isinstance(optimizers.get("lamb"), Lamb)
    assert isinstance(optimizers.deserialize(optimizers.serialize(opt)), Lamb)


def test_unknown_argument_message():
    with pytest.raises(ValueError, match=r"Argument\(s\) not recognized by Lamb: \{'beta_3'"):
        Lamb(beta_3=0.1)
