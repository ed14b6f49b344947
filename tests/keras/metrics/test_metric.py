"""Metric base class: state variables, naming, device, no autograd, configs."""

import numpy as np
import pytest
import torch

from tork import _naming
from tork.keras import metrics
from tork.module import Module
from tork.variables import Variable


class Count(metrics.Metric):
    def __init__(self, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.n = self.add_weight(name="n", initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        self.n.assign_add(torch.tensor(float(len(y_true))))

    def result(self):
        return self.n.clone()


def test_metric_is_not_a_module_and_adds_no_parameters():
    assert not isinstance(metrics.Mean(), torch.nn.Module)

    class Holder(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = torch.nn.Linear(2, 2)
            self.acc = metrics.BinaryAccuracy()
            self.auc = metrics.AUC()

    holder = Holder()
    assert len(list(holder.parameters())) == 2
    assert all(k.startswith("lin.") for k in holder.state_dict())

    class TorkHolder(Module):
        def __init__(self):
            super().__init__()
            self.m = metrics.Mean()

    assert list(TorkHolder().parameters()) == []


def test_auto_names_are_unique_but_explicit_defaults_are_not():
    _naming.reset_names()
    assert [metrics.AUC().name, metrics.AUC().name, metrics.AUC().name] == ["auc", "auc_1", "auc_2"]
    assert [Count().name, Count().name] == ["count", "count_1"]
    assert metrics.Precision().name == "precision"
    assert [metrics.Mean().name, metrics.Mean().name] == ["mean", "mean"]
    assert metrics.AUC(name="mine").name == "mine"


def test_state_variables_are_non_trainable_variables():
    m = metrics.Mean()
    assert len(m.variables) == 2
    for v in m.variables:
        assert isinstance(v, Variable)
        assert not v.trainable and not v.requires_grad
    assert m.trainable_weights == [] and m.non_trainable_weights == m.variables == m.weights


def test_add_weight_keras2_and_keras3_signatures():
    class M(metrics.Metric):
        def __init__(self):
            super().__init__()
            self.a = self.add_weight("a", shape=(2,), initializer="ones")  # Keras 2
            self.b = self.add_weight((3,), "zeros", name="b")  # Keras 3
            self.c = self.add_variable(shape=(), initializer=2.5, dtype="float64", name="c")

        def update_state(self, x):
            self.a.assign_add(x)

        def result(self):
            return self.a.sum()

    m = M()
    np.testing.assert_array_equal(m.a.numpy(), [1.0, 1.0])
    assert m.b.shape == (3,) and m.c.dtype == torch.float64 and m.c.item() == 2.5
    assert m.a.name == "a:0"
    m.update_state(torch.tensor([1.0, 2.0]))
    assert m.result().item() == 5.0
    m.reset_state()  # back to the initial values, not zeros
    np.testing.assert_array_equal(m.a.numpy(), [1.0, 1.0])
    assert m.c.item() == 2.5


def test_update_runs_without_autograd():
    m = metrics.MeanSquaredError()
    p = torch.tensor([[0.5, 1.0]], requires_grad=True)
    m.update_state([[0.0, 0.0]], p)
    assert not m.total.requires_grad and m.total.grad_fn is None
    result = m.result()
    assert not result.requires_grad


def test_call_updates_and_returns_result_then_reset():
    m = Count()
    assert m([1, 2, 3], [1, 2, 3]).item() == 3.0
    assert m([1], [1]).item() == 4.0
    m.reset_states()
    assert m.result().item() == 0.0


def test_state_follows_the_device_of_the_inputs():
    m = metrics.Mean()
    m._device = torch.device("meta")  # pretend the state lives elsewhere
    m.update_state(torch.ones(3))
    assert m._device == torch.device("cpu") and m.result().item() == 1.0


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_state_moves_to_cuda_once():
    with __import__("tork").device("/CPU:0"):
        m = metrics.AUC()
        mean = metrics.Mean()
    y = torch.tensor([0.0, 0.0, 1.0, 1.0], device="cuda")
    p = torch.tensor([0.1, 0.4, 0.35, 0.8], device="cuda")
    m.update_state(y, p)
    mean.update_state(p)
    assert m.true_positives.device.type == "cuda" and mean.total.device.type == "cuda"
    np.testing.assert_allclose(m.result().item(), 0.75, rtol=1e-6)


def test_forgetting_super_init_is_explained():
    class Bad(metrics.Metric):
        def __init__(self):
            pass

        def update_state(self, x):
            pass

    with pytest.raises(RuntimeError, match=r"Bad.__init__ must call super\(\).__init__\(\)"):
        Bad().update_state(torch.ones(1))


def test_unknown_constructor_keyword_message():
    with pytest.raises(TypeError, match=r"unexpected keyword argument\(s\) \['nmae'\]"):
        Count(nmae="x")


def test_missing_update_state_and_result_messages():
    class Empty(metrics.Metric):
        pass

    with pytest.raises(NotImplementedError, match=r"Empty must implement update_state"):
        Empty().update_state(1)
    with pytest.raises(NotImplementedError, match=r"Empty must implement result"):
        Empty().result()


def test_config_round_trip_and_dtype():
    m = metrics.Mean(name="loss_mean", dtype="float64")
    assert m.dtype == torch.float64 and m.total.dtype == torch.float64
    config = m.get_config()
    assert config == {"name": "loss_mean", "dtype": "float64"}
    clone = metrics.Mean.from_config(config)
    assert clone.name == "loss_mean" and clone.dtype == torch.float64


def test_nested_metric_variables_and_reset():
    class Outer(metrics.Metric):
        def __init__(self):
            super().__init__(name="outer")
            self.inner = metrics.Mean()
            self.extra = self.add_weight(name="extra")

        def update_state(self, x):
            self.inner.update_state(x)
            self.extra.assign_add(1.0)

        def result(self):
            return self.inner.result() + self.extra

    m = Outer()
    assert len(m.variables) == 3
    m.update_state(torch.tensor([2.0, 4.0]))
    assert m.result().item() == 4.0
    m.reset_state()
    assert m.result().item() == 0.0


def test_deepcopy_keeps_state_and_reset_values():
    import copy

    m = metrics.Mean()
    m.update_state([2.0, 4.0])
    clone = copy.deepcopy(m)
    assert clone.result().item() == 3.0 and clone.total is not m.total
    clone.reset_state()
    assert clone.result().item() == 0.0 and m.result().item() == 3.0


def test_custom_metric_update_state_receives_tensors_for_lists():
    import tork as _tf
    from tork import keras as _k

    class Gap(_k.metrics.Metric):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.total = self.add_weight(name="total", initializer="zeros")

        def update_state(self, y_true, y_pred, sample_weight=None):
            self.total.assign_add(_tf.reduce_sum(_tf.cast(y_true, _tf.float32) - y_pred))

        def result(self):
            return self.total

    metric = Gap()
    metric.update_state([1.0, 2.0], [0.0, 0.5])
    metric.update_state(np.array([1.0]), np.array([0.25], dtype="float32"))
    assert float(metric.result()) == pytest.approx(3.25)


# ------------------------------------------------------------ stateless API (Keras 3)
def test_stateless_update_state_and_result_leave_the_metric_alone():
    from tork import keras

    m = keras.metrics.Mean()
    state = [torch.tensor(0.0), torch.tensor(0.0)]
    state = m.stateless_update_state(state, [1.0, 3.0])
    state = m.stateless_update_state(state, [4.0], sample_weight=[2.0])
    # total = 1 + 3 + 2 * 4, count = 1 + 1 + 2
    assert [float(s) for s in state] == [12.0, 4.0]
    assert float(m.stateless_result(state)) == 3.0
    assert [float(v) for v in m.variables] == [0.0, 0.0] and float(m.result()) == 0.0
    m.update_state([5.0])
    assert [float(s) for s in m.stateless_reset_state()] == [0.0, 0.0]
    assert float(m.result()) == 5.0


def test_stateless_methods_on_confusion_and_lazily_built_metrics():
    from tork import keras

    yt = np.array([[0, 1], [1, 0], [1, 1], [0, 0]], np.float32)
    yp = np.array([[0.2, 0.9], [0.6, 0.3], [0.4, 0.8], [0.1, 0.7]], np.float32)
    p = keras.metrics.Precision()
    state = p.stateless_update_state([torch.zeros(1), torch.zeros(1)], yt, yp)
    # Threshold 0.5: predicted positives 0.9, 0.6, 0.8, 0.7; true among them: 0.9, 0.6, 0.8.
    assert [s.tolist() for s in state] == [[3.0], [1.0]]
    assert float(p.stateless_result(state)) == pytest.approx(0.75)
    assert [v.tolist() for v in p.variables] == [[0.0], [0.0]]
    # F1Score creates its state on its first update; Keras 3.15 returns the 4 new values.
    f1 = keras.metrics.F1Score(threshold=0.5)
    state = f1.stateless_update_state([], yt, yp)
    state = f1.stateless_update_state(state, yt[:2], yp[::-1][:2])
    # Keras 3.15 (TF 2.21): tp, fp, fn, intermediate weights and the result.
    assert [s.tolist() for s in state] == [[1.0, 3.0], [0.0, 2.0], [2.0, 0.0], [3.0, 3.0]]
    np.testing.assert_allclose(f1.stateless_result(state).numpy(), [0.5, 0.75])
    assert all(float(v.sum()) == 0.0 for v in f1.variables)


def test_stateless_result_returning_a_state_variable_is_a_copy():
    from tork import keras

    class Total(keras.metrics.Metric):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.total = self.add_weight(name="total", initializer="zeros")

        def update_state(self, values):
            self.total.assign_add(torch.sum(values))

        def result(self):
            return self.total

    m = Total()
    out = m.stateless_result([torch.tensor(7.0)])
    assert float(out) == 7.0 and float(m.total) == 0.0


def test_stateless_methods_check_the_state_length():
    from tork import keras

    with pytest.raises(
        ValueError,
        match=r"Argument `metric_variables` must be a list of tensors corresponding 1:1 to "
        r"Mean\(\)\.variables\. Received list with length 1, but expected 2 variables\.",
    ):
        keras.metrics.Mean().stateless_update_state([0.0], [1.0])
    with pytest.raises(ValueError, match=r"Received list with length 3, but expected 2"):
        keras.metrics.Mean().stateless_result([0.0, 0.0, 0.0])
