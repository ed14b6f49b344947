"""Tests for tork.keras.regularizers against NumPy formulas."""

import numpy as np
import pytest
import torch

from tork.keras import regularizers

W = np.random.default_rng(0).normal(size=(6, 4))


def _np_orthogonal(w, factor, mode):
    if mode == "columns":
        w = w.T
    unit = w / np.maximum(np.linalg.norm(w, axis=1, keepdims=True), 1e-7)
    gram = unit @ unit.T
    n = gram.shape[0]
    off = np.abs(gram[~np.eye(n, dtype=bool)])
    return factor * off.mean()


def test_l1_l2_l1l2_match_numpy():
    x = torch.tensor(W)
    np.testing.assert_allclose(regularizers.L1(0.3)(x).item(), 0.3 * np.abs(W).sum(), rtol=1e-12)
    np.testing.assert_allclose(regularizers.L2(0.2)(x).item(), 0.2 * (W**2).sum(), rtol=1e-12)
    both = regularizers.L1L2(l1=0.3, l2=0.2)(x).item()
    np.testing.assert_allclose(both, 0.3 * np.abs(W).sum() + 0.2 * (W**2).sum(), rtol=1e-12)
    only_l2 = regularizers.L1L2(l2=0.2)(x).item()
    np.testing.assert_allclose(only_l2, 0.2 * (W**2).sum(), rtol=1e-12)


def test_penalties_are_scalar_tensors_of_the_input_dtype():
    for reg in (regularizers.L1(), regularizers.L2(), regularizers.L1L2()):
        out = reg(torch.tensor(W, dtype=torch.float32))
        assert out.shape == () and out.dtype == torch.float32
    assert regularizers.L1L2()(torch.tensor(W)).item() == 0.0
    assert regularizers.L2()(np.ones((2, 2), dtype=np.float32)).item() == pytest.approx(0.04)


def test_defaults():
    assert regularizers.L1().l1 == 0.01
    assert regularizers.L2().l2 == 0.01
    assert regularizers.L1L2().get_config() == {"l1": 0.0, "l2": 0.0}
    # The function and the string use 0.01 for both factors.
    assert regularizers.l1_l2().get_config() == {"l1": 0.01, "l2": 0.01}
    assert regularizers.get("l1_l2").get_config() == {"l1": 0.01, "l2": 0.01}
    assert regularizers.l2(0.5).get_config() == {"l2": 0.5}
    assert regularizers.l2(l=0.25).get_config() == {"l2": 0.25}  # tf.keras 1/2 spelling
    assert regularizers.OrthogonalRegularizer().get_config() == {"factor": 0.01, "mode": "rows"}


def test_l2_gradient():
    x = torch.tensor(W, requires_grad=True)
    regularizers.L2(0.1)(x).backward()
    np.testing.assert_allclose(x.grad.numpy(), 0.2 * W, rtol=1e-12)


@pytest.mark.parametrize("mode", ["rows", "columns"])
def test_orthogonal_regularizer_matches_numpy(mode):
    out = regularizers.OrthogonalRegularizer(factor=0.5, mode=mode)(torch.tensor(W))
    np.testing.assert_allclose(out.item(), _np_orthogonal(W, 0.5, mode), rtol=1e-10)


def test_orthogonal_regularizer_hand_values():
    reg = regularizers.OrthogonalRegularizer(factor=1.0)
    assert reg(torch.eye(3)).item() == pytest.approx(0.0)
    # Parallel rows: |cos| = 1 for every pair.
    assert reg(torch.tensor([[1.0, 0.0], [2.0, 0.0]])).item() == pytest.approx(1.0)
    # An all-zero row stays finite.
    assert np.isfinite(reg(torch.tensor([[0.0, 0.0], [1.0, 1.0]])).item())


def test_orthogonal_regularizer_errors():
    with pytest.raises(ValueError, match=r"works on 2-D weights; got shape \(2, 3, 4\)"):
        regularizers.OrthogonalRegularizer()(torch.zeros(2, 3, 4))
    with pytest.raises(ValueError, match=r"invalid mode='diag'\. Valid modes: 'rows', 'columns'"):
        regularizers.OrthogonalRegularizer(mode="diag")


@pytest.mark.parametrize("bad", [-0.1, float("nan"), float("inf"), "0.1"])
def test_invalid_penalties(bad):
    with pytest.raises(ValueError, match=r"L2: `l2` must be a non-negative finite float; got l2="):
        regularizers.L2(bad)


def test_unexpected_argument():
    with pytest.raises(TypeError, match="L1 got unexpected argument"):
        regularizers.L1(l3=0.1)


EXPECTED = {
    "l1": "L1", "L1": "L1", "l2": "L2", "L2": "L2", "l1_l2": "L1L2", "L1L2": "L1L2",
    "orthogonal_regularizer": "OrthogonalRegularizer",
    "OrthogonalRegularizer": "OrthogonalRegularizer",
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_names_round_trip(name):
    reg = regularizers.get(name)
    assert type(reg).__name__ == EXPECTED[name]
    config = regularizers.serialize(reg)
    assert config == {
        "module": "keras.regularizers",
        "class_name": EXPECTED[name],
        "config": reg.get_config(),
        "registered_name": None,
    }
    restored = regularizers.deserialize(config)
    assert type(restored) is type(reg) and restored.get_config() == reg.get_config()
    keras2 = regularizers.get({"class_name": EXPECTED[name], "config": reg.get_config()})
    assert keras2.get_config() == reg.get_config()


def test_get_passthrough_and_custom():
    reg = regularizers.L2(0.3)
    assert regularizers.get(reg) is reg
    assert regularizers.get(None) is None
    assert isinstance(regularizers.get(regularizers.L1), regularizers.L1)

    def my_reg(w):
        return 0.1 * w.sum()

    assert regularizers.get(my_reg) is my_reg
    config = regularizers.serialize(my_reg)
    assert config["class_name"] == "function" and config["config"] == "my_reg"
    assert regularizers.deserialize(config, custom_objects={"my_reg": my_reg}) is my_reg
    assert regularizers.deserialize("my_reg", custom_objects={"my_reg": my_reg}) is my_reg


def test_base_class():
    assert regularizers.Regularizer()(torch.ones(3)).item() == 0.0
    with pytest.raises(NotImplementedError, match="Regularizer does not implement get_config"):
        regularizers.Regularizer().get_config()


def test_unknown_names():
    with pytest.raises(
        ValueError, match=r"Unknown regularizer 'l_2'\. Valid names: .*l1_l2.*Did you mean 'l2'\?"
    ):
        regularizers.get("l_2")
    with pytest.raises(ValueError, match="Could not interpret regularizer identifier: 0.1"):
        regularizers.get(0.1)


def test_l1_l2_name_builds_with_both_factors():
    # The string resolves to the l1_l2 function: both factors 0.01, unlike L1L2().
    assert regularizers.get("l1_l2").get_config() == {"l1": 0.01, "l2": 0.01}
    reg = regularizers.deserialize({"class_name": "l1_l2", "config": {"l1": 0.2}})
    assert isinstance(reg, regularizers.L1L2) and reg.get_config() == {"l1": 0.2, "l2": 0.01}
