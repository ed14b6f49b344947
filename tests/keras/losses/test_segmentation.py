"""Dice and Tversky losses against NumPy formulas and Keras's documented examples."""

import numpy as np
import pytest

from tork.keras import losses

EPS = 1e-7
Y_DOC = np.array(
    [[[[1.0], [1.0]], [[0.0], [0.0]]], [[[1.0], [1.0]], [[0.0], [0.0]]]], dtype=np.float32
)
P_DOC = np.array(
    [[[[0.0], [1.0]], [[0.0], [1.0]]], [[[0.4], [0.0]], [[0.0], [0.9]]]], dtype=np.float32
)
rng = np.random.default_rng(3)
Y = (rng.uniform(size=(4, 3, 5)) > 0.5).astype(np.float32)
P = rng.uniform(size=(4, 3, 5)).astype(np.float32)


def np_dice(y, p, axis=None):
    return 1 - 2 * (y * p).sum(axis) / (y.sum(axis) + p.sum(axis) + EPS)


def np_tversky(y, p, alpha=0.5, beta=0.5, axis=None):
    tp = (y * p).sum(axis)
    a = ((1 - p) * y).sum(axis)
    b = (p * (1 - y)).sum(axis)
    return 1 - tp / (tp + alpha * a + beta * b + EPS)


def test_dice_documented_example():
    np.testing.assert_allclose(
        losses.dice(Y_DOC, P_DOC, axis=(1, 2, 3)).numpy(), [0.5, 0.75757575], rtol=1e-6
    )
    out = losses.dice(Y_DOC, P_DOC)
    assert tuple(out.shape) == ()
    np.testing.assert_allclose(out.numpy(), 0.6164384, rtol=1e-6)
    per = losses.Dice(axis=(1, 2, 3), reduction=None)(Y_DOC, P_DOC)
    np.testing.assert_allclose(per.numpy(), [0.5, 0.75757575], rtol=1e-6)


@pytest.mark.parametrize("axis", [None, -1, (1, 2), [1, 2]])
def test_dice_against_numpy(axis):
    np_axis = tuple(axis) if isinstance(axis, list) else axis
    expected = np_dice(Y.astype(np.float64), P.astype(np.float64), np_axis)
    np.testing.assert_allclose(losses.dice(Y, P, axis=axis).numpy(), expected, rtol=1e-5)
    np.testing.assert_allclose(losses.Dice(axis=axis)(Y, P).numpy(), np.mean(expected), rtol=1e-5)


def test_dice_empty_masks_is_one_not_nan():
    z = np.zeros((2, 3), np.float32)
    np.testing.assert_allclose(losses.dice(z, z, axis=1).numpy(), [1.0, 1.0])


@pytest.mark.parametrize("alpha,beta", [(0.5, 0.5), (0.3, 0.7), (0.9, 0.1)])
@pytest.mark.parametrize("axis", [None, (1, 2)])
def test_tversky_against_numpy(alpha, beta, axis):
    expected = np_tversky(Y.astype(np.float64), P.astype(np.float64), alpha, beta, axis)
    got = losses.tversky(Y, P, alpha=alpha, beta=beta, axis=axis).numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-5)
    w = np.array([1.0, 0.0, 2.0, 0.5], np.float32)
    if axis is not None:
        loss = losses.Tversky(alpha=alpha, beta=beta, axis=axis)
        np.testing.assert_allclose(
            loss(Y, P, sample_weight=w).numpy(), (expected * w).sum() / 4, rtol=1e-5
        )


def test_tversky_alpha_weights_missed_positives():
    # y = 1 where p = 0 (missed positive) is weighted by alpha in Keras's formula.
    y = np.array([1.0, 1.0, 0.0], np.float32)
    p = np.array([1.0, 0.0, 0.0], np.float32)
    np.testing.assert_allclose(losses.tversky(y, p, alpha=1.0, beta=0.0).numpy(), 0.5, rtol=1e-6)
    np.testing.assert_allclose(losses.tversky(y, p, alpha=0.0, beta=1.0).numpy(), 0.0, atol=1e-6)


def test_tversky_half_half_equals_dice():
    np.testing.assert_allclose(
        losses.tversky(Y, P).numpy(), np_dice(Y.astype(np.float64), P.astype(np.float64)), rtol=1e-5
    )


def test_defaults_config_round_trip_and_lookup():
    d = losses.Dice()
    assert d.name == "dice" and d.axis is None
    t = losses.Tversky(alpha=0.2, beta=0.8, axis=(1, 2), name="tv")
    cfg = t.get_config()
    assert cfg["alpha"] == 0.2 and cfg["beta"] == 0.8 and tuple(cfg["axis"]) == (1, 2)
    clone = losses.Tversky.from_config(cfg)
    assert (clone.alpha, clone.beta, clone.name) == (0.2, 0.8, "tv")
    np.testing.assert_allclose(clone(Y, P).numpy(), t(Y, P).numpy(), rtol=1e-6)
    again = losses.deserialize(losses.serialize(losses.Dice(axis=-1)))
    assert isinstance(again, losses.Dice) and again.axis == -1
    assert losses.get("dice") is losses.dice
    assert losses.get("tversky") is losses.tversky
    assert isinstance(losses.get("Dice"), losses.Dice)
    assert isinstance(losses.get("Tversky"), losses.Tversky)


def test_bad_axis_message():
    with pytest.raises(ValueError, match=r"dice: axis=5 is out of range .*\(4, 3, 5\)"):
        losses.dice(Y, P, axis=5)
    with pytest.raises(ValueError, match=r"Tversky: axis=\(1, 7\) is out of range"):
        losses.Tversky(axis=(1, 7))(Y, P)


def test_shape_mismatch_message():
    with pytest.raises(ValueError, match=r"Dice: labels of shape \(4, 3, 5\) do not match"):
        losses.Dice()(Y, P[:, :, :2])


def test_hand_computed_non_binary_values():
    # tp = 14, sum(y * (1 - p)) = -8, sum(p * (1 - y)) = -2, sum(y) + sum(p) = 18.
    y = np.array([[1.0, 2.0], [1.0, 2.0]], np.float32)
    p = np.array([[4.0, 1.0], [6.0, 1.0]], np.float32)
    np.testing.assert_allclose(losses.Dice()(y, p).numpy(), 1 - 28 / 18, rtol=1e-5)
    np.testing.assert_allclose(losses.Tversky()(y, p).numpy(), 1 - 14 / 9, rtol=1e-5)
    np.testing.assert_allclose(
        losses.Tversky(alpha=0.2, beta=0.8)(y, p).numpy(), 1 - 14 / 10.8, rtol=1e-5
    )
