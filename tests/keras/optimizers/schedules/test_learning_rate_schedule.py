import math

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
