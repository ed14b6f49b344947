import numpy as np
import pytest

from tork.keras import optimizers
from tork.keras.optimizers import Ftrl


def ftrl_reference(
    x, grads, lr=0.001, power=-0.5, initial=0.1, l1=0.0, l2=0.0, shrinkage=0.0, beta=0.0
):
    # Keras's documented FTRL-proximal step, written out in NumPy.
    n = np.full_like(x, initial)
    z = np.zeros_like(x)
    l2_total = l2 + beta / (2.0 * lr)
    for g in grads:
        g_adj = g + 2.0 * shrinkage * x
        n_new = n + g * g
        sigma = (n_new ** (-power) - n ** (-power)) / lr
        z = z + g_adj - sigma * x
        quad = n_new ** (-power) / lr + 2.0 * l2_total
        x = (np.clip(z, -l1, l1) - z) / quad
        n = n_new
    return x


def test_default_matches_keras_formula(run, start, grads):
    np.testing.assert_allclose(run(Ftrl()), ftrl_reference(start, grads), rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(learning_rate=0.1, l1_regularization_strength=0.05),
        dict(learning_rate=0.2, l2_regularization_strength=0.3, beta=0.5),
        dict(learning_rate=0.05, learning_rate_power=-0.3, initial_accumulator_value=0.5),
        dict(learning_rate=0.1, learning_rate_power=0.0, l2_shrinkage_regularization_strength=0.2),
    ],
)
def test_non_default(run, start, grads, kwargs):
    ref_kwargs = {
        "lr": kwargs.get("learning_rate", 0.001),
        "power": kwargs.get("learning_rate_power", -0.5),
        "initial": kwargs.get("initial_accumulator_value", 0.1),
        "l1": kwargs.get("l1_regularization_strength", 0.0),
        "l2": kwargs.get("l2_regularization_strength", 0.0),
        "shrinkage": kwargs.get("l2_shrinkage_regularization_strength", 0.0),
        "beta": kwargs.get("beta", 0.0),
    }
    np.testing.assert_allclose(
        run(Ftrl(**kwargs)), ftrl_reference(start, grads, **ref_kwargs), rtol=1e-5, atol=1e-6
    )


def test_l1_zeroes_small_linear_terms(run, start, grads):
    out = run(Ftrl(learning_rate=0.1, l1_regularization_strength=100.0))
    np.testing.assert_array_equal(out, np.zeros_like(start))


def test_slots_config_and_lookup(run):
    opt = Ftrl(l1_regularization_strength=0.01, beta=0.2)
    run(opt, grads=[np.zeros((2, 3))])
    # iteration, learning_rate, accumulator, linear
    assert len(opt.variables) == 4
    np.testing.assert_allclose(opt.variables[2].numpy(), np.full((2, 3), 0.1), rtol=1e-7)
    cfg = opt.get_config()
    assert cfg["learning_rate_power"] == -0.5 and cfg["l1_regularization_strength"] == 0.01
    assert cfg["beta"] == 0.2 and cfg["l2_shrinkage_regularization_strength"] == 0.0
    clone = Ftrl.from_config(cfg)
    assert clone.beta == 0.2 and clone.l1_regularization_strength == 0.01
    assert isinstance(optimizers.get("ftrl"), Ftrl)
    again = optimizers.deserialize(optimizers.serialize(opt))
    assert isinstance(again, Ftrl) and again.initial_accumulator_value == 0.1


@pytest.mark.parametrize(
    "kwargs,match",
    [
        (dict(initial_accumulator_value=-1.0), r"`initial_accumulator_value` needs to be positive"),
        (dict(learning_rate_power=0.5), r"`learning_rate_power` needs to be negative or zero"),
        (dict(l1_regularization_strength=-0.1), r"`l1_regularization_strength` needs to be"),
        (dict(l2_regularization_strength=-0.1), r"`l2_regularization_strength` needs to be"),
        (
            dict(l2_shrinkage_regularization_strength=-1),
            r"l2_shrinkage_regularization_strength=-1",
        ),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Ftrl(**kwargs)
