"""`tf.function(jit_compile=True)` on GradientTape training steps: one compiled graph.

The reference for the compiled steps is the same Python step run eagerly from the same
weights (whose numbers the optimizer and layer tests check against NumPy formulas), plus
a closed-form least-squares fit; the compiled graph runs through inductor, so the tests
that compile are marked slow.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import tork as tf
from tork import keras


def _data(n=64, features=6, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, features)).astype("float32")
    y = (x @ rng.normal(size=(features, classes))).argmax(1)
    return torch.from_numpy(x), torch.from_numpy(y)


def _setup(optimizer, seed=4):
    tf.keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [keras.Input((6,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(3)]
    )
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    accuracy = keras.metrics.SparseCategoricalAccuracy()

    def train_step(x, y):
        with tf.GradientTape() as tape:
            logits = model(x, training=True)
            loss = loss_fn(y, logits)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        accuracy.update_state(y, logits)
        return {"loss": loss, "logits": logits}

    return model, accuracy, train_step


def _train(optimizer_factory, jit, steps=6, lr_change=None, cuda=False):
    x, y = _data()
    if cuda:
        x, y = x.cuda(), y.cuda()
    optimizer = optimizer_factory()
    model, accuracy, step = _setup(optimizer)
    fn = tf.function(step, jit_compile=jit)
    losses = []
    for i in range(steps):
        if lr_change is not None and i == lr_change:
            optimizer.learning_rate = 0.5
        batch = slice(16 * (i % 4), 16 * (i % 4) + 16)
        out = fn(x[batch], y[batch])
        losses.append(out["loss"])  # read after all steps: a replay must not overwrite it
    return model, optimizer, accuracy, fn, [float(v) for v in losses]


def _same(a, b):
    for u, v in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_allclose(v, u, rtol=2e-5, atol=1e-6)


@pytest.mark.slow
@pytest.mark.parametrize(
    "factory",
    [
        lambda: keras.optimizers.Adam(0.01),
        lambda: keras.optimizers.SGD(0.1, momentum=0.9, global_clipnorm=0.5),
        lambda: keras.optimizers.AdamW(0.01, weight_decay=0.1),
    ],
    ids=["adam", "sgd_momentum_clip", "adamw"],
)
def test_compiled_tape_step_matches_eager(factory):
    eager = _train(factory, jit=False)
    jit = _train(factory, jit=True)
    whole = jit[3]._whole
    assert whole.reason is None and len(whole._graphs) == 1
    _same(eager[0], jit[0])
    np.testing.assert_allclose(jit[4], eager[4], rtol=1e-5)
    assert int(jit[1].iterations) == int(eager[1].iterations) == 6
    for a, b in zip(eager[1].variables, jit[1].variables):
        np.testing.assert_allclose(b.numpy(), a.numpy(), rtol=2e-5, atol=1e-6)
    # The metric's state lives in the graph too.
    assert float(jit[2].result()) == pytest.approx(float(eager[2].result()))


@pytest.mark.slow
def test_learning_rate_changes_reach_the_graph():
    eager = _train(lambda: keras.optimizers.SGD(0.01), jit=False, lr_change=4)
    jit = _train(lambda: keras.optimizers.SGD(0.01), jit=True, lr_change=4)
    assert len(jit[3]._whole._graphs) == 1
    _same(eager[0], jit[0])


@pytest.mark.slow
def test_compiled_step_fits_least_squares():
    # Independent reference: numpy's least-squares solution.
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 3)).astype("float32")
    y = (x @ np.array([[1.5], [-2.0], [0.5]]) + 0.25).astype("float32")
    layer = keras.layers.Dense(1)
    layer.build((None, 3))
    optimizer = keras.optimizers.SGD(0.1)

    @tf.function(jit_compile=True)
    def step(xb, yb):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(layer(xb) - yb))
        grads = tape.gradient(loss, layer.trainable_variables)
        optimizer.apply_gradients(zip(grads, layer.trainable_variables))
        return loss

    xt, yt = tf.constant(x), tf.constant(y)
    for _ in range(300):
        step(xt, yt)
    design = np.hstack([x, np.ones((64, 1), "float32")])
    solution = np.linalg.lstsq(design, y, rcond=None)[0]
    np.testing.assert_allclose(layer.kernel.numpy()[:, 0], solution[:3, 0], atol=1e-4)
    np.testing.assert_allclose(layer.bias.numpy(), solution[3], atol=1e-4)
    assert step._whole.reason is None and len(step._whole._graphs) == 1
    assert int(optimizer.iterations) == 300


def test_host_reads_fall_back_to_eager_with_a_warning():
    x, y = _data()
    optimizer = keras.optimizers.SGD(0.1)
    model, _, train_step = _setup(optimizer)
    eager_model, _, eager_step = _setup(keras.optimizers.SGD(0.1))

    def step(xb, yb):
        out = train_step(xb, yb)
        if out["loss"] > 100.0:  # data-dependent Python: TF would need tf.cond
            raise AssertionError("diverged")
        return out

    def eager(xb, yb):
        return eager_step(xb, yb)

    fn = tf.function(step, jit_compile=True)
    with pytest.warns(RuntimeWarning, match=r"reads tensor values on the host.*__bool__"):
        for _ in range(4):
            fn(x[:16], y[:16])
    for _ in range(4):
        eager(x[:16], y[:16])
    assert "host" in fn._whole.reason
    _same(eager_model, model)


def test_optimizers_without_a_graph_rule_run_eagerly_with_a_warning():
    with pytest.warns(RuntimeWarning, match=r"Nadam has no in-graph update rule"):
        model, optimizer, *_ = _train(lambda: keras.optimizers.Nadam(0.01), jit=True)
    eager = _train(lambda: keras.optimizers.Nadam(0.01), jit=False)
    _same(eager[0], model)
    assert int(optimizer.iterations) == 6


def test_functions_applying_no_gradients_are_left_to_torch_compile(monkeypatch):
    compiled = []

    def fake_compile(fn, *args, **kwargs):
        compiled.append(fn)
        return fn

    monkeypatch.setattr(torch, "compile", fake_compile)

    @tf.function(jit_compile=True)
    def forward(x):
        return x * 2 + 1

    assert forward(torch.tensor(1.0)).item() == 3.0
    assert forward(torch.tensor(2.0)).item() == 5.0
    assert forward._whole.delegate and len(compiled) == 1


@pytest.mark.slow
def test_dropout_draws_new_masks_in_the_compiled_step():
    layer = keras.layers.Dense(64, kernel_initializer="ones", use_bias=False)
    dropout = keras.layers.Dropout(0.5)
    layer.build((None, 4))
    optimizer = keras.optimizers.SGD(0.0)  # the update changes nothing: only the masks vary

    @tf.function(jit_compile=True)
    def step(x):
        with tf.GradientTape() as tape:
            out = dropout(layer(x), training=True)
            loss = tf.reduce_sum(out)
        grads = tape.gradient(loss, layer.trainable_variables)
        optimizer.apply_gradients(zip(grads, layer.trainable_variables))
        return out

    x = torch.ones(8, 4)
    masks = [step(x).numpy() != 0 for _ in range(5)]
    assert step._whole.reason is None and len(step._whole._graphs) == 1
    # Kept units are scaled by 1 / (1 - rate) = 2: 4 inputs of 1 times weights of 1, times 2.
    kept = step(x).numpy()
    assert set(np.unique(kept)) <= {0.0, 8.0}
    compiled_masks = masks[2:]  # calls 3-5 ran the compiled graph
    assert not np.array_equal(compiled_masks[0], compiled_masks[1])
    assert 0.3 < np.mean(compiled_masks) < 0.7


def test_tf_print_in_a_compiled_step_keeps_printing(capsys):
    import sys

    layer = keras.layers.Dense(1)
    layer.build((None, 2))
    optimizer = keras.optimizers.SGD(0.1)

    @tf.function(jit_compile=True)
    def step(x):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(layer(x))
        grads = tape.gradient(loss, layer.trainable_variables)
        optimizer.apply_gradients(zip(grads, layer.trainable_variables))
        tf.print("step", optimizer.iterations, output_stream=sys.stdout)

    with pytest.warns(RuntimeWarning, match="calls tf.print, which must print at every call"):
        for _ in range(3):
            step(torch.ones(1, 2))
    assert capsys.readouterr().out.split() == ["step", "1", "step", "2", "step", "3"]


def test_discovery_keeps_variables_created_at_a_dead_temporary_address():
    from tork._whole_function import _Discovery

    discovery = _Discovery()
    temporary = torch.zeros(3)
    discovery._note(temporary, written=True)
    stale_id = id(temporary)
    del temporary

    # Force the id collision the garbage collector may produce by chance.
    variable = tf.Variable([1.0, 2.0, 3.0])
    discovery.seen[id(variable)] = discovery.seen.pop(stale_id)
    discovery._note(variable, written=False)
    assert any(t is variable for t in discovery.state())


@pytest.mark.slow
def test_restored_optimizer_slots_are_used_by_the_compiled_step(tmp_path):
    rng = np.random.default_rng(0)
    x = torch.from_numpy(rng.normal(size=(32, 8)).astype("float32"))
    y = torch.from_numpy(np.arange(32) % 3)

    def make(jit):
        tf.keras.utils.set_random_seed(2)
        optimizer = keras.optimizers.Adam(0.01)
        model, _, train_step = _setup(optimizer)
        model.build((None, 6))
        return model, optimizer, tf.function(train_step, jit_compile=jit)

    model, optimizer, step = make(False)
    x6 = x[:, :6]
    for _ in range(3):
        step(x6, y)
    path = tf.train.Checkpoint(model=model, optimizer=optimizer).save(str(tmp_path / "c"))
    for _ in range(3):
        step(x6, y)
    expected = model.get_weights()
    model, optimizer, step = make(True)
    tf.train.Checkpoint(model=model, optimizer=optimizer).restore(path)
    for _ in range(3):
        step(x6, y)
    assert step._whole.reason is None
    for got, want in zip(model.get_weights(), expected):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


@pytest.mark.slow
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_compiled_steps_on_a_gpu_never_wait_for_it():
    # The optimizers' per-step scalars reach the graph by an asynchronous copy from pinned
    # memory: a copy inside the graph made every step wait for the GPU (a pageable copy).
    x, y = _data()
    x, y = x.cuda(), y.cuda()
    optimizer = keras.optimizers.Adam(0.01)
    model, _, step = _setup(optimizer)
    fn = tf.function(step, jit_compile=True)
    batches = [(x[16 * i : 16 * i + 16], y[16 * i : 16 * i + 16]) for i in range(4)]
    for xb, yb in batches * 2:  # discovered, traced, compiled
        fn(xb, yb)
    assert fn._whole.reason is None and len(fn._whole._graphs) == 1
    (graph,) = fn._whole._graphs.values()
    assert graph.replay is not None, fn._whole.cuda_graph_error
    torch.cuda.synchronize()
    torch.cuda.set_sync_debug_mode("error")
    try:
        for xb, yb in batches * 3:
            fn(xb, yb)
    finally:
        torch.cuda.set_sync_debug_mode(0)
    assert int(optimizer.iterations) == 20


@pytest.mark.slow
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
@pytest.mark.parametrize("lr_change", [None, 4])
def test_cuda_graph_replays_match_eager_steps(lr_change):
    # Arguments on the GPU: the compiled step replays as one CUDA graph. Same weights, slots
    # and per-step losses as the eager steps, a learning rate changed mid-way included.
    factory = lambda: keras.optimizers.Adam(0.01)  # noqa: E731
    eager = _train(factory, jit=False, steps=10, lr_change=lr_change, cuda=True)
    jit = _train(factory, jit=True, steps=10, lr_change=lr_change, cuda=True)
    (graph,) = jit[3]._whole._graphs.values()
    assert graph.replay is not None, jit[3]._whole.cuda_graph_error
    _same(eager[0], jit[0])
    np.testing.assert_allclose(jit[4], eager[4], rtol=1e-5)
    for a, b in zip(eager[1].variables, jit[1].variables):
        np.testing.assert_allclose(b.numpy(), a.numpy(), rtol=2e-5, atol=1e-6)
    assert float(jit[2].result()) == pytest.approx(float(eager[2].result()))
