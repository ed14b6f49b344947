import numpy as np
import pytest
import torch

from tork.keras.optimizers import Adam, AdamW
from tork.variables import Variable


def adam_reference(x, grads, lr=0.001, b1=0.9, b2=0.999, eps=1e-7, amsgrad=False, wd=None):
    m = np.zeros_like(x)
    s = np.zeros_like(x)
    s_max = np.zeros_like(x)
    for t, g in enumerate(grads, start=1):
        if wd is not None:
            x = x - x * wd * lr
        m = m + (g - m) * (1 - b1)
        s = s + (g * g - s) * (1 - b2)
        if amsgrad:
            s_max = np.maximum(s_max, s)
            used = s_max
        else:
            used = s
        x = x - lr * np.sqrt(1 - b2**t) / (1 - b1**t) * m / (np.sqrt(used) + eps)
    return x


def test_default_matches_keras_formula(run, start, grads):
    np.testing.assert_allclose(run(Adam()), adam_reference(start, grads), rtol=1e-6, atol=1e-7)


def test_non_default_arguments(run, start, grads):
    opt = Adam(learning_rate=0.1, beta_1=0.5, beta_2=0.9, epsilon=0.1)
    expected = adam_reference(start, grads, lr=0.1, b1=0.5, b2=0.9, eps=0.1)
    np.testing.assert_allclose(run(opt), expected, rtol=1e-5, atol=1e-6)


def test_epsilon_is_not_bias_corrected(run, start, grads):
    # A large epsilon makes Keras's formula differ clearly from torch.optim.Adam's,
    # whose epsilon is added after bias correction: sqrt(s / (1 - b2**t)) + eps.
    ours = run(Adam(learning_rate=0.1, epsilon=1.0))
    np.testing.assert_allclose(ours, adam_reference(start, grads, lr=0.1, eps=1.0), rtol=1e-5)
    x, m, s = start.copy(), np.zeros_like(start), np.zeros_like(start)
    for t, g in enumerate(grads, start=1):
        m = 0.9 * m + 0.1 * g
        s = 0.999 * s + 0.001 * g * g
        x = x - 0.1 * (m / (1 - 0.9**t)) / (np.sqrt(s / (1 - 0.999**t)) + 1.0)
    assert not np.allclose(ours, x, rtol=1e-3)


def test_amsgrad(run, start, grads):
    opt = Adam(learning_rate=0.1, amsgrad=True)
    expected = adam_reference(start, grads, lr=0.1, amsgrad=True)
    np.testing.assert_allclose(run(opt), expected, rtol=1e-5, atol=1e-6)


def test_slots_interleave_per_variable():
    a = Variable(np.zeros(2, np.float32), name="dense/kernel")
    b = Variable(np.zeros(3, np.float32), name="dense/bias")
    opt = Adam(name="adam", amsgrad=True)
    opt.build([a, b])
    names = [v.name for v in opt.variables]
    assert names == [
        "adam/iteration:0",
        "adam/learning_rate:0",
        "adam/dense_kernel_momentum:0",
        "adam/dense_kernel_velocity:0",
        "adam/dense_bias_momentum:0",
        "adam/dense_bias_velocity:0",
        "adam/dense_kernel_velocity_hat:0",
        "adam/dense_bias_velocity_hat:0",
    ]


def test_adamw_default_weight_decay(run, start, grads):
    opt = AdamW()
    assert opt.weight_decay == 0.004
    expected = adam_reference(start, grads, wd=0.004)
    np.testing.assert_allclose(run(opt), expected, rtol=1e-6, atol=1e-7)


def test_adamw_large_decay(run, start, grads):
    opt = AdamW(learning_rate=0.1, weight_decay=0.5)
    expected = adam_reference(start, grads, lr=0.1, wd=0.5)
    np.testing.assert_allclose(run(opt), expected, rtol=1e-5, atol=1e-6)


def test_adamw_exclude_from_weight_decay(start, grads):
    kernel = Variable(np.float32(start), name="dense/kernel")
    bias = Variable(np.float32(start), name="dense/bias")
    other = Variable(np.float32(start), name="other")
    opt = AdamW(learning_rate=0.1, weight_decay=0.5)
    opt.exclude_from_weight_decay(var_list=[other], var_names=["bias"])
    for g in grads:
        t = torch.tensor(g, dtype=torch.float32)
        opt.apply_gradients([(t, kernel), (t, bias), (t, other)])
    decayed = adam_reference(start, grads, lr=0.1, wd=0.5)
    plain = adam_reference(start, grads, lr=0.1)
    np.testing.assert_allclose(kernel.numpy(), decayed, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(bias.numpy(), plain, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(other.numpy(), plain, rtol=1e-5, atol=1e-6)


def test_adamw_requires_weight_decay():
    with pytest.raises(ValueError, match="`weight_decay` must be a float for AdamW"):
        AdamW(weight_decay=None)


def test_config_keys_and_defaults():
    config = Adam().get_config()
    # tf_keras 2.21's keys and order (Keras 2 wins; its from_config rejects Keras 3's
    # loss_scale_factor / gradient_accumulation_steps, written only when set).
    assert list(config) == [
        "name",
        "weight_decay",
        "clipnorm",
        "global_clipnorm",
        "clipvalue",
        "use_ema",
        "ema_momentum",
        "ema_overwrite_frequency",
        "jit_compile",
        "is_legacy_optimizer",
        "learning_rate",
        "beta_1",
        "beta_2",
        "epsilon",
        "amsgrad",
    ]
    assert config["learning_rate"] == pytest.approx(0.001)
    assert (config["beta_1"], config["beta_2"], config["epsilon"]) == (0.9, 0.999, 1e-7)
    assert config["amsgrad"] is False and config["use_ema"] is False
    assert config["ema_momentum"] == 0.99
    assert AdamW().get_config()["weight_decay"] == 0.004
