import math

import numpy as np
import pytest
import torch

from tork.keras.optimizers import schedules
from tork.keras.optimizers.schedules import (
    CosineDecay,
    CosineDecayRestarts,
    ExponentialDecay,
    InverseTimeDecay,
    LearningRateSchedule,
    PiecewiseConstantDecay,
    PolynomialDecay,
)


def values(schedule, steps):
    return [float(schedule(s)) for s in steps]


def test_exponential_decay():
    s = ExponentialDecay(1.0, decay_steps=10, decay_rate=0.5)
    assert values(s, [0, 5, 10, 20]) == pytest.approx([1.0, 0.5**0.5, 0.5, 0.25])
    s = ExponentialDecay(2.0, decay_steps=10, decay_rate=0.5, staircase=True)
    assert values(s, [0, 9, 10, 15, 20]) == pytest.approx([2.0, 2.0, 1.0, 1.0, 0.5])


def test_piecewise_constant_upper_bound_inclusive():
    s = PiecewiseConstantDecay(boundaries=[10, 20], values=[1.0, 0.5, 0.1])
    steps = [0, 10, 11, 20, 21, 1000]
    assert values(s, steps) == pytest.approx([1.0, 1.0, 0.5, 0.5, 0.1, 0.1])


def test_piecewise_constant_length_error():
    with pytest.raises(ValueError, match="length of boundaries should be 1 less"):
        PiecewiseConstantDecay([10, 20], [1.0, 0.5])


def test_inverse_time_decay():
    s = InverseTimeDecay(1.0, decay_steps=10, decay_rate=0.5)
    assert values(s, [0, 15, 20]) == pytest.approx([1.0, 1 / 1.75, 0.5])
    s = InverseTimeDecay(1.0, decay_steps=10, decay_rate=0.5, staircase=True)
    assert values(s, [9, 15, 20]) == pytest.approx([1.0, 1 / 1.5, 0.5])


def test_polynomial_decay():
    s = PolynomialDecay(1.0, decay_steps=10, end_learning_rate=0.0, power=2.0)
    assert values(s, [0, 5, 10, 20]) == pytest.approx([1.0, 0.25, 0.0, 0.0])
    s = PolynomialDecay(1.0, decay_steps=10)  # end 1e-4, power 1
    assert float(s(5)) == pytest.approx((1 - 1e-4) * 0.5 + 1e-4)


def test_polynomial_decay_cycle():
    s = PolynomialDecay(1.0, decay_steps=10, cycle=True)
    end = 1e-4
    # decay_steps becomes 10 * ceil(step / 10), and stays 10 at step 0.
    expected = [1.0, end, (1 - end) * (1 - 15 / 20) + end, (1 - end) * (1 - 21 / 30) + end]
    assert values(s, [0, 10, 15, 21]) == pytest.approx(expected)


def test_cosine_decay():
    s = CosineDecay(1.0, decay_steps=10)
    assert values(s, [0, 5, 10, 20]) == pytest.approx([1.0, 0.5, 0.0, 0.0], abs=1e-7)
    s = CosineDecay(2.0, decay_steps=10, alpha=0.1)
    expected = [2.0 * (0.9 * 0.5 * (1 + math.cos(math.pi * 0.3)) + 0.1), 2.0 * 0.1]
    assert values(s, [3, 10]) == pytest.approx(expected)


def test_cosine_decay_warmup_example():
    s = CosineDecay(0.0, decay_steps=10, warmup_target=1.0, warmup_steps=5)
    assert values(s, [0, 1, 5, 10, 15]) == pytest.approx([0.0, 0.2, 1.0, 0.5, 0.0], abs=1e-7)
    assert float(s(100)) == pytest.approx(0.0, abs=1e-7)


def test_cosine_decay_restarts():
    s = CosineDecayRestarts(1.0, first_decay_steps=10)  # t_mul 2: periods 10, 20, 40
    assert values(s, [0, 5, 10, 20, 30]) == pytest.approx([1.0, 0.5, 1.0, 0.5, 1.0], abs=1e-7)
    s = CosineDecayRestarts(1.0, first_decay_steps=10, t_mul=1.0, m_mul=0.5, alpha=0.2)
    # step 15: second period (m_mul**1), halfway: 0.5 * 0.5 * (1 + cos(pi / 2)) = 0.25
    assert float(s(15)) == pytest.approx(0.8 * 0.25 + 0.2)
    assert float(s(20)) == pytest.approx(0.8 * 0.25 + 0.2)


def test_decay_steps_must_be_positive():
    with pytest.raises(ValueError, match=r"`decay_steps` must be > 0. Received: decay_steps=0"):
        ExponentialDecay(0.1, decay_steps=0, decay_rate=0.9)
    with pytest.raises(ValueError, match="`first_decay_steps` must be > 0"):
        CosineDecayRestarts(0.1, first_decay_steps=-1)


def test_call_with_tensor_step_returns_float32():
    s = ExponentialDecay(1.0, decay_steps=10, decay_rate=0.5)
    out = s(torch.tensor(10, dtype=torch.int64))
    assert out.dtype == torch.float32 and out.shape == () and float(out) == 0.5
    out = s(torch.tensor([0, 10, 20]))
    assert out.tolist() == pytest.approx([1.0, 0.5, 0.25])


def test_call_with_numpy_array_or_list_keeps_shape():
    # The TF "overfit and underfit" tutorial plots `lr_schedule(np.linspace(0, 100000))`.
    # Values from tf_keras 2.21 (float32).
    s = InverseTimeDecay(0.001, decay_steps=10000, decay_rate=1)
    out = s(np.linspace(0, 100000))
    assert isinstance(out, torch.Tensor) and out.dtype == torch.float32 and out.shape == (50,)
    assert out[[0, 1, 25, 49]].tolist() == pytest.approx(
        [
            0.0010000000474974513,
            0.0008305084775201976,
            0.00016387960931751877,
            9.090909588849172e-05,
        ],
        rel=1e-6,
    )
    out = s([0, 10, 20])
    assert out.shape == (3,)
    assert out.tolist() == pytest.approx(
        [0.0010000000474974513, 0.0009990009712055326, 0.0009980041068047285], rel=1e-6
    )
    out = s(np.array([10]))
    assert out.shape == (1,) and out.tolist() == pytest.approx([0.0009990009712055326], rel=1e-6)
    # 0-d arrays and NumPy scalars give a scalar, as in TF.
    for step in (np.array(10), np.int64(10), np.float32(10.0)):
        out = s(step)
        assert out.shape == () and float(out) == pytest.approx(0.0009990009712055326, rel=1e-6)
    # A 1-element tensor keeps its shape too.
    assert s(torch.tensor([10])).shape == (1,)


@pytest.mark.parametrize(
    "schedule, expected",
    [
        (
            ExponentialDecay(0.1, 7, 0.5),
            [
                [0.10000000149011612, 0.07429971545934677],
                [0.04101676866412163, 0.0069005596451461315],
            ],
        ),
        (
            PolynomialDecay(0.1, 12, 0.01, power=0.5, cycle=True),
            [
                [0.10000000149011612, 0.08794228732585907],
                [0.054999999701976776, 0.054999999701976776],
            ],
        ),
        (
            InverseTimeDecay(0.1, 7, 0.5, staircase=True),
            [
                [0.10000000149011612, 0.10000000149011612],
                [0.06666667014360428, 0.03999999910593033],
            ],
        ),
        (
            CosineDecay(0.1, 12, alpha=0.1),
            [
                [0.10000000149011612, 0.08681981265544891],
                [0.023180196061730385, 0.010000000707805157],
            ],
        ),
        (
            CosineDecayRestarts(0.1, 5, t_mul=2.0, m_mul=0.7, alpha=0.1),
            [
                [0.10000000149011612, 0.04109422490000725],
                [0.051234036684036255, 0.02523617260158062],
            ],
        ),
        # tf_keras raises on non-scalar steps here; these values are Keras 3's.
        (PiecewiseConstantDecay([5, 15], [1.0, 0.5, 0.1]), [[1.0, 1.0], [0.5, 0.1]]),
        # Keras 2 and 3 both raise here (a Python `if` on the step); tork evaluates
        # element-wise: 3/5 of the warmup, then 0.5 * (1 + cos(0.4 * pi)), then the end.
        (
            CosineDecay(0.0, 10, warmup_target=1.0, warmup_steps=5),
            [[0.0, 0.6], [0.5 * (1 + math.cos(0.4 * math.pi)), 0.0]],
        ),
    ],
)
def test_call_with_2d_nested_list(schedule, expected):
    # Values from tf_keras 2.21 on `schedule([[0, 3], [9, 27]])` unless noted.
    out = schedule([[0, 3], [9, 27]])
    assert out.dtype == torch.float32 and out.shape == (2, 2)
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(
        schedule(np.array([[0, 3], [9, 27]])).numpy(), expected, rtol=1e-6, atol=1e-7
    )


def test_serialize_round_trip():
    for s in [
        ExponentialDecay(0.1, 100, 0.96, staircase=True),
        PiecewiseConstantDecay([5, 10], [1.0, 0.5, 0.1]),
        PolynomialDecay(0.1, 100, 0.01, power=0.5, cycle=True),
        InverseTimeDecay(0.1, 10, 0.5),
        CosineDecay(0.0, 100, alpha=0.1, warmup_target=0.1, warmup_steps=10),
        CosineDecayRestarts(0.1, 100, t_mul=1.5, m_mul=0.9, alpha=0.01),
    ]:
        data = schedules.serialize(s)
        assert data["module"] == "keras.optimizers.schedules"
        assert data["class_name"] == type(s).__name__
        clone = schedules.deserialize(data)
        assert type(clone) is type(s) and clone.get_config() == s.get_config()
        assert float(clone(37)) == pytest.approx(float(s(37)))


def test_keras2_config_and_defaults():
    s = schedules.deserialize(
        {
            "class_name": "PolynomialDecay",
            "config": {"initial_learning_rate": 0.1, "decay_steps": 10},
        }
    )
    assert s.get_config() == {
        "initial_learning_rate": 0.1,
        "decay_steps": 10,
        "end_learning_rate": 0.0001,
        "power": 1.0,
        "cycle": False,
        "name": None,  # Keras 2's default (Keras 3 names it "PolynomialDecay")
    }


def test_deserialize_unknown_and_custom():
    with pytest.raises(ValueError, match=r"Unknown learning rate schedule: 'Nope'.*CosineDecay"):
        schedules.deserialize({"class_name": "Nope", "config": {}})

    class Halving(LearningRateSchedule):
        def __init__(self, rate):
            self.rate = rate

        def __call__(self, step):
            return self.rate / (step + 1)

        def get_config(self):
            return {"rate": self.rate}

    data = schedules.serialize(Halving(1.0))
    clone = schedules.deserialize(data, custom_objects={"Halving": Halving})
    assert float(clone(1)) == 0.5


def test_base_class_must_be_overridden():
    with pytest.raises(NotImplementedError, match="must override `__call__"):
        LearningRateSchedule()(0)
    with pytest.raises(NotImplementedError, match="must override `get_config"):
        LearningRateSchedule().get_config()


def test_default_names_are_none_as_in_keras2():
    # tf_keras 2.21: every built-in schedule's get_config()["name"] defaults to None.
    for s in [
        ExponentialDecay(0.1, 100, 0.96),
        PiecewiseConstantDecay([5], [1.0, 0.5]),
        PolynomialDecay(0.1, 100),
        InverseTimeDecay(0.1, 10, 0.5),
        CosineDecay(0.1, 100),
        CosineDecayRestarts(0.1, 100),
    ]:
        assert s.get_config()["name"] is None
    assert ExponentialDecay(0.1, 100, 0.96, name="decay").get_config()["name"] == "decay"
