"""The whole-step compiled training step: same results as the eager step, one graph, fallbacks.

Most tests run the traced graph op by op (`_COMPILER = "aten"`), which checks everything the
trace does (the swapped weights, the backward pass, the optimizer formulas, metrics) in a
second; the inductor-compiled tests are marked slow where they take long.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import tork as tf
from tork import keras
from tork.keras.trainers import compiled_step
from tork.keras.trainers.compiled_step import make_compiled_train_step


@pytest.fixture
def aten(monkeypatch):
    monkeypatch.setattr(compiled_step, "_COMPILER", "aten")


class MLP(keras.Model):
    def __init__(self, hidden=8, classes=3, **dense_kwargs):
        super().__init__()
        self.hidden = keras.layers.Dense(hidden, activation="relu", **dense_kwargs)
        self.out = keras.layers.Dense(classes, **dense_kwargs)

    def call(self, x):
        return self.out(self.hidden(x))


def _data(n=48, features=5, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, features)).astype("float32")
    y = rng.integers(0, classes, size=n).astype("int64")
    return torch.from_numpy(x), torch.from_numpy(y)


def _pair(make_model, make_optimizer, loss=None, metrics=None, sample=None):
    """Two models with the same initial weights, compiled alike."""
    models = []
    for _ in range(2):
        tf.keras.utils.set_random_seed(1)
        model = make_model()
        model(torch.zeros(2, 5) if sample is None else sample)
        model.compile(
            optimizer=make_optimizer(),
            loss=loss or keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            metrics=metrics,
        )
        models.append(model)
    models[1].set_weights(models[0].get_weights())
    return models


def _run(eager, compiled, batches):
    step = make_compiled_train_step(compiled)
    assert step is not None
    logs_eager = logs_compiled = None
    for batch in batches:
        logs_eager = eager.train_step(batch)
        logs_compiled = step(batch)
    return step, logs_eager, logs_compiled


def _assert_same_state(eager, compiled, rtol=1e-4, atol=1e-6):
    for a, b in zip(eager.weights, compiled.weights):
        np.testing.assert_allclose(b.numpy(), a.numpy(), rtol=rtol, atol=atol)
    for a, b in zip(eager.optimizer.variables, compiled.optimizer.variables):
        np.testing.assert_allclose(b.numpy(), a.numpy(), rtol=rtol, atol=atol)


def _batches(x, y, size=16):
    return [(x[i : i + size], y[i : i + size]) for i in range(0, len(x), size)]


OPTIMIZERS = {
    "adam": lambda: keras.optimizers.Adam(0.01),
    "adam_amsgrad": lambda: keras.optimizers.Adam(0.01, amsgrad=True),
    "adamw": lambda: keras.optimizers.AdamW(0.01, weight_decay=0.1),
    "sgd": lambda: keras.optimizers.SGD(0.1),
    "sgd_momentum": lambda: keras.optimizers.SGD(0.1, momentum=0.9),
    "sgd_nesterov": lambda: keras.optimizers.SGD(0.1, momentum=0.9, nesterov=True),
    "rmsprop": lambda: keras.optimizers.RMSprop(0.01),
    "rmsprop_centered_momentum": lambda: keras.optimizers.RMSprop(
        0.01, momentum=0.5, centered=True
    ),
    "adam_clipnorm": lambda: keras.optimizers.Adam(0.01, clipnorm=0.1),
    "sgd_global_clipnorm": lambda: keras.optimizers.SGD(0.1, global_clipnorm=0.1),
    "sgd_clipvalue": lambda: keras.optimizers.SGD(0.1, clipvalue=0.01),
    "sgd_weight_decay": lambda: keras.optimizers.SGD(0.1, weight_decay=0.5),
}


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_matches_eager_steps(aten, name):
    eager, compiled = _pair(MLP, OPTIMIZERS[name])
    x, y = _data()
    step, logs_eager, logs_compiled = _run(eager, compiled, _batches(x, y) * 2)
    assert step.reason is None
    assert len(step._graphs) == 1
    _assert_same_state(eager, compiled)
    assert int(compiled.optimizer.iterations) == 6
    np.testing.assert_allclose(float(logs_compiled["loss"]), float(logs_eager["loss"]), rtol=1e-5)


def test_sgd_matches_hand_computed_linear_regression(aten):
    # One Dense(1) without bias, MSE, SGD: w <- w - lr * 2/n * X^T (Xw - y).
    tf.keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.layers.Dense(1, use_bias=False, input_shape=(3,))])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    rng = np.random.default_rng(0)
    x = rng.normal(size=(8, 3)).astype("float32")
    y = rng.normal(size=(8, 1)).astype("float32")
    w = model.get_weights()[0].astype(np.float64)
    step = make_compiled_train_step(model)
    losses = []
    for _ in range(4):
        logs = step((torch.from_numpy(x), torch.from_numpy(y)))
        losses.append(float(logs["loss"]))
    expected_losses = []
    for _ in range(4):
        residual = x @ w - y
        expected_losses.append(float(np.mean(residual**2)))
        w = w - 0.1 * 2.0 / 8 * x.T @ residual
    np.testing.assert_allclose(model.get_weights()[0], w, rtol=1e-5, atol=1e-6)
    # The logged loss is the running mean of the batch losses, as in Keras.
    np.testing.assert_allclose(losses[-1], np.mean(expected_losses), rtol=1e-5)
    assert len(step._graphs) == 1


def test_adamw_respects_excluded_variables(aten):
    def optimizer():
        opt = keras.optimizers.AdamW(0.01, weight_decay=0.5)
        opt.exclude_from_weight_decay(var_names=["bias"])
        return opt

    eager, compiled = _pair(MLP, optimizer)
    x, y = _data()
    _run(eager, compiled, _batches(x, y))
    _assert_same_state(eager, compiled)


def test_learning_rate_changes_and_schedules_apply_without_retracing(aten):
    schedule = keras.optimizers.schedules.ExponentialDecay(0.1, decay_steps=1, decay_rate=0.5)
    eager, compiled = _pair(MLP, lambda: keras.optimizers.SGD(schedule))
    x, y = _data()
    step, _, _ = _run(eager, compiled, _batches(x, y))
    _assert_same_state(eager, compiled)

    eager, compiled = _pair(MLP, lambda: keras.optimizers.Adam(0.01))
    step = make_compiled_train_step(compiled)
    for i, batch in enumerate(_batches(x, y) * 2):
        if i == 3:
            eager.optimizer.learning_rate = 0.5
            compiled.optimizer.learning_rate = 0.5
        eager.train_step(batch)
        step(batch)
    _assert_same_state(eager, compiled)
    assert len(step._graphs) == 1


def test_metrics_and_sample_weights_match_eager(aten):
    eager, compiled = _pair(MLP, OPTIMIZERS["adam"], metrics=["accuracy"])
    x, y = _data()
    weights = torch.linspace(0.0, 2.0, len(x))
    batches = [(x[i : i + 16], y[i : i + 16], weights[i : i + 16]) for i in range(0, 48, 16)]
    step, logs_eager, logs_compiled = _run(eager, compiled, batches)
    assert step.reason is None
    assert set(logs_compiled) == {"loss", "accuracy"}
    for key in logs_eager:
        np.testing.assert_allclose(float(logs_compiled[key]), float(logs_eager[key]), rtol=1e-5)
    _assert_same_state(eager, compiled)
    # The metric objects hold the compiled steps' state, so evaluate and reset keep working.
    assert float(compiled.metrics[1].count) == float(eager.metrics[1].count) == 48


def test_batch_normalization_and_regularizers_match_eager(aten):
    def make():
        return keras.Sequential(
            [
                keras.layers.Dense(8, kernel_regularizer=keras.regularizers.L2(0.1)),
                keras.layers.BatchNormalization(),
                keras.layers.Activation("relu"),
                keras.layers.Dense(3, activity_regularizer=keras.regularizers.L1(0.01)),
            ]
        )

    eager, compiled = _pair(make, OPTIMIZERS["adam"])
    x, y = _data()
    step, logs_eager, logs_compiled = _run(eager, compiled, _batches(x, y))
    assert step.reason is None
    # The first Dense's bias feeds BatchNormalization, which removes it: its true gradient
    # is zero, so both runs move it by rounding noise (Adam turns any sign into a step of
    # ~lr). Its values (~1e-5) are compared with an absolute tolerance of that size.
    _assert_same_state(eager, compiled, atol=5e-5)
    assert np.abs(compiled.layers[0].bias.numpy()).max() < 1e-3
    moving_mean = compiled.layers[1].moving_mean.numpy()
    assert np.abs(moving_mean).max() > 0  # the moving statistics did move
    np.testing.assert_allclose(float(logs_compiled["loss"]), float(logs_eager["loss"]), rtol=1e-5)
    # The traced step left no fake tensors behind in the layers' losses.
    assert np.isfinite(float(sum(compiled.losses)))


def test_dropout_trains_in_the_graph(aten):
    def make():
        return keras.Sequential(
            [
                keras.layers.Dense(16, activation="relu"),
                keras.layers.Dropout(0.5),
                keras.layers.Dense(3),
            ]
        )

    tf.keras.utils.set_random_seed(0)
    model = make()
    model(torch.zeros(2, 5))
    model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(True))
    step = make_compiled_train_step(model)
    x, y = _data()
    before = [w.copy() for w in model.get_weights()]
    for batch in _batches(x, y):
        step(batch)
    assert step.reason is None and len(step._graphs) == 1
    assert not np.allclose(before[0], model.get_weights()[0])


def test_other_batch_shapes_run_eagerly_until_frequent(aten, monkeypatch):
    monkeypatch.setattr(compiled_step, "_COMPILE_AFTER", 3)
    eager, compiled = _pair(MLP, OPTIMIZERS["adam"])
    x, y = _data(n=40)  # batches of 16, 16 and a partial 8
    step = make_compiled_train_step(compiled)
    for epoch in range(4):
        for batch in _batches(x, y):
            eager.train_step(batch)
            step(batch)
        # The partial batch gets its own graph only on its third occurrence.
        assert len(step._graphs) == (1 if epoch < 2 else 2)
    _assert_same_state(eager, compiled)
    assert int(compiled.optimizer.iterations) == 12


def test_fit_uses_the_step_and_stays_consistent_with_eager(aten):
    eager, compiled = _pair(MLP, OPTIMIZERS["adam"], metrics=["accuracy"])
    x, y = _data()
    step = make_compiled_train_step(compiled)
    compiled.__dict__["_tork_train_fn"] = step
    history = compiled.fit(x.numpy(), y.numpy(), batch_size=16, epochs=2, shuffle=False, verbose=0)
    eager.fit(x.numpy(), y.numpy(), batch_size=16, epochs=2, shuffle=False, verbose=0)
    assert step.reason is None
    _assert_same_state(eager, compiled)
    assert set(history.history) == {"loss", "accuracy"}
    # Another fit() call reuses the graph (fit drops the trainable-weights cache at its start).
    compiled.fit(x.numpy(), y.numpy(), batch_size=16, epochs=1, shuffle=False, verbose=0)
    eager.fit(x.numpy(), y.numpy(), batch_size=16, epochs=1, shuffle=False, verbose=0)
    assert step.compile_count == 1
    _assert_same_state(eager, compiled)
    # Eager steps after compiled ones continue from the same optimizer state.
    compiled.__dict__["_tork_train_fn"] = None
    compiled.fit(x.numpy(), y.numpy(), batch_size=16, epochs=1, shuffle=False, verbose=0)
    eager.fit(x.numpy(), y.numpy(), batch_size=16, epochs=1, shuffle=False, verbose=0)
    _assert_same_state(eager, compiled)


def test_weights_set_between_steps_are_used(aten):
    eager, compiled = _pair(MLP, OPTIMIZERS["sgd"])
    x, y = _data()
    step = make_compiled_train_step(compiled)
    batches = _batches(x, y)
    for batch in batches:
        eager.train_step(batch)
        step(batch)
    new = [w * 0.5 for w in eager.get_weights()]
    eager.set_weights(new)
    compiled.set_weights(new)
    for batch in batches:
        eager.train_step(batch)
        step(batch)
    _assert_same_state(eager, compiled)
    assert len(step._graphs) == 1


class HostMetric(keras.metrics.Metric):
    """A metric reading a value on the host: it cannot be traced into the graph."""

    def __init__(self, name="host_mean", **kwargs):
        super().__init__(name=name, **kwargs)
        self.total = self.add_weight(name="total")

    def update_state(self, y_true, y_pred, sample_weight=None):
        self.total.assign_add(float(y_pred.mean()))

    def result(self):
        return self.total


def test_untraceable_metrics_run_eagerly_on_the_compiled_predictions(aten):
    eager, compiled = _pair(MLP, OPTIMIZERS["adam"], metrics=[HostMetric()])
    x, y = _data()
    step, logs_eager, logs_compiled = _run(eager, compiled, _batches(x, y))
    assert step.reason is None and len(step._graphs) == 1
    assert set(logs_compiled) == {"loss", "host_mean"}
    for key in logs_eager:
        np.testing.assert_allclose(float(logs_compiled[key]), float(logs_eager[key]), rtol=1e-5)
    _assert_same_state(eager, compiled)


def test_functional_model_with_two_outputs_matches_eager(aten):
    def make():
        inputs = keras.Input((5,))
        hidden = keras.layers.Dense(8, activation="tanh")(inputs)
        first = keras.layers.Dense(3, name="first")(hidden)
        second = keras.layers.Dense(1, name="second")(hidden)
        return keras.Model(inputs, [first, second])

    models = []
    for _ in range(2):
        tf.keras.utils.set_random_seed(3)
        model = make()
        model.compile(
            optimizer=keras.optimizers.Adam(0.01),
            loss=[keras.losses.SparseCategoricalCrossentropy(from_logits=True), "mse"],
            loss_weights=[1.0, 0.5],
            metrics=[["accuracy"], ["mae"]],
        )
        models.append(model)
    eager, compiled = models
    compiled.set_weights(eager.get_weights())
    x, y = _data()
    target = x.sum(dim=1, keepdim=True)
    batches = [(x[i : i + 16], (y[i : i + 16], target[i : i + 16])) for i in range(0, 48, 16)]
    step, logs_eager, logs_compiled = _run(eager, compiled, batches)
    assert step.reason is None and len(step._graphs) == 1
    assert set(logs_compiled) == set(logs_eager)
    for key in logs_eager:
        np.testing.assert_allclose(float(logs_compiled[key]), float(logs_eager[key]), rtol=1e-5)
    _assert_same_state(eager, compiled)


class AliasedWeights(keras.layers.Layer):
    """Weights read through other attribute names and through a list, as custom layers do."""

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], 4), name="kernel")
        self.scales = [
            self.add_weight(shape=(4,), initializer="ones", name=f"s{i}") for i in range(2)
        ]

    def call(self, x):
        return (x @ self.w) * self.scales[0] + self.scales[1]


def test_weights_held_under_other_names_and_in_lists_are_traced(aten):
    def make():
        return keras.Sequential([AliasedWeights(), keras.layers.Dense(3)])

    eager, compiled = _pair(make, OPTIMIZERS["adam"])
    x, y = _data()
    step, logs_eager, logs_compiled = _run(eager, compiled, _batches(x, y))
    assert step.reason is None and len(step._graphs) == 1
    _assert_same_state(eager, compiled)


class TupleWeights(keras.layers.Layer):
    """A weight reachable only through a tuple: it cannot be swapped for a placeholder."""

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], 3), name="kernel")
        self.frozen = (self.w,)

    def call(self, x):
        return x @ self.frozen[0]


def test_weights_hidden_from_the_trace_fall_back_with_a_warning(aten):
    eager, compiled = _pair(lambda: keras.Sequential([TupleWeights()]), OPTIMIZERS["sgd"])
    x, y = _data()
    step = make_compiled_train_step(compiled)
    with pytest.warns(UserWarning, match="runs the regular step instead"):
        _run_all(eager, compiled, step, _batches(x, y))
    assert step.reason is not None
    _assert_same_state(eager, compiled)


@pytest.fixture
def two_threads():
    previous = torch.get_num_threads()
    torch.set_num_threads(2)
    yield
    torch.set_num_threads(previous)


def test_small_steps_run_on_one_thread_and_restore_the_setting(aten, two_threads):
    eager, compiled = _pair(MLP, OPTIMIZERS["adam"])
    x, y = _data()
    step, _, _ = _run(eager, compiled, _batches(x, y))
    assert list(step._serial.values()) == [True]
    assert torch.get_num_threads() == 2
    _assert_same_state(eager, compiled)

    # About 50 MFLOP per step: the matrix products keep their threads.
    tf.keras.utils.set_random_seed(0)
    big = MLP(hidden=256, classes=256)
    big(torch.zeros(2, 256))
    big.compile(optimizer="sgd", loss="mse")
    step = make_compiled_train_step(big)
    batch = (torch.randn(64, 256), torch.randn(64, 256))
    step(batch)
    step(batch)
    assert list(step._serial.values()) == [False]


def test_a_graph_failing_at_run_time_leaves_the_state_to_the_eager_step(monkeypatch):
    import torch._inductor.compile_fx as inductor

    def broken_compiler(gm, inputs, **kwargs):
        def run(*args):
            args[0].add_(1.0)  # a partial update before failing must not reach the model
            raise RuntimeError("generated code failed")

        return run

    monkeypatch.setattr(inductor, "compile_fx", broken_compiler)
    eager, compiled = _pair(MLP, OPTIMIZERS["adam"])
    x, y = _data()
    step = make_compiled_train_step(compiled)
    with pytest.warns(UserWarning, match="the compiled graph failed with RuntimeError"):
        _run_all(eager, compiled, step, _batches(x, y))
    _assert_same_state(eager, compiled)


class CustomStep(MLP):
    def train_step(self, data):
        return super().train_step(data)


@pytest.mark.parametrize(
    "make_model, make_optimizer",
    [
        (CustomStep, lambda: keras.optimizers.Adam()),
        (MLP, lambda: keras.optimizers.Adagrad()),
        (MLP, lambda: keras.optimizers.Adam(use_ema=True)),
        (MLP, lambda: keras.optimizers.Adam(gradient_accumulation_steps=2)),
        (MLP, lambda: keras.optimizers.Adam(loss_scale_factor=128.0)),
    ],
)
def test_unsupported_setups_return_none(make_model, make_optimizer):
    model = make_model()
    model(torch.zeros(2, 5))
    model.compile(optimizer=make_optimizer(), loss="mse")
    assert make_compiled_train_step(model) is None


def test_uncompiled_model_returns_none():
    assert make_compiled_train_step(MLP()) is None


class DataDependent(MLP):
    def call(self, x):
        out = super().call(x)
        if float(out.sum()) > 1e9:  # a host read of a value: cannot be traced
            out = out * 0
        return out


def test_untraceable_model_warns_and_runs_eagerly(aten):
    eager, compiled = _pair(DataDependent, OPTIMIZERS["adam"])
    x, y = _data()
    step = make_compiled_train_step(compiled)
    with pytest.warns(UserWarning, match="cannot be compiled as one graph"):
        _run_all(eager, compiled, step, _batches(x, y))
    assert step.reason is not None and "tracing failed" in step.reason
    _assert_same_state(eager, compiled)


def _run_all(eager, compiled, step, batches):
    for batch in batches:
        eager.train_step(batch)
        step(batch)


class Unused(MLP):
    def __init__(self):
        super().__init__()
        self.spare = keras.layers.Dense(2)
        self.spare.build((None, 5))

    def call(self, x):
        return super().call(x)


def test_weights_without_gradient_fall_back_to_the_eager_warning(aten):
    tf.keras.utils.set_random_seed(0)
    model = Unused()
    model(torch.zeros(2, 5))
    model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(True))
    step = make_compiled_train_step(model)
    x, y = _data()
    # As Keras: the weights the loss does not reach are left alone, with a warning.
    with pytest.warns(UserWarning, match="Gradients do not exist for variables"):
        logs = step((x[:16], y[:16]))
    assert torch.isfinite(torch.as_tensor(logs["loss"]))


@pytest.mark.slow
def test_inductor_fit_matches_eager_and_compiles_once():
    eager, compiled = _pair(MLP, OPTIMIZERS["adam"], metrics=["accuracy"])
    x, y = _data(n=40)
    step = make_compiled_train_step(compiled)
    compiled.__dict__["_tork_train_fn"] = step
    for model in (compiled, eager):
        model.fit(x.numpy(), y.numpy(), batch_size=16, epochs=3, shuffle=False, verbose=0)
    assert step.reason is None
    assert len(step._graphs) == 1  # the partial batch ran eagerly, never recompiling
    _assert_same_state(eager, compiled)
    assert step.compile_seconds > 0


@pytest.mark.slow
def test_inductor_compiles_recurrent_layers():
    # Traced with oneDNN's fused recurrent kernel, the graph would fail in inductor.
    def make():
        return keras.Sequential(
            [keras.layers.Embedding(50, 8), keras.layers.LSTM(8), keras.layers.Dense(2)]
        )

    rng = np.random.default_rng(0)
    x = torch.from_numpy(rng.integers(0, 50, size=(48, 6)))
    eager, compiled = _pair(make, OPTIMIZERS["adam"], sample=x[:2])
    y = torch.from_numpy(rng.integers(0, 2, size=48))
    step, _, _ = _run(eager, compiled, _batches(x, y))
    assert step.reason is None and len(step._graphs) == 1
    _assert_same_state(eager, compiled)
