"""Freed host memory kept for reuse during tork's loops (`tork._backend.host_memory`).

The settings are checked through a recording stand-in for glibc; their effect is checked
on the real allocator by counting page faults (`getrusage`), the cost they remove.
"""

import resource
import sys

import numpy as np
import pytest
import torch

import tork as tf
from tork._backend import host_memory


class _RecordingLibc:
    def __init__(self):
        self.calls = []

    def mallopt(self, parameter, value):
        self.calls.append(("mallopt", parameter, value))
        return 1

    def malloc_trim(self, pad):
        self.calls.append(("malloc_trim", pad))
        return 1


@pytest.fixture
def recorder(monkeypatch):
    lib = _RecordingLibc()
    monkeypatch.setattr(host_memory, "_libc", lib)
    monkeypatch.setattr(host_memory, "_keeping", False)
    return lib


def test_retained_raises_the_thresholds_and_restores_them_once_outermost(recorder):
    with host_memory.retained():
        assert host_memory.active()
        with host_memory.retained():  # nested loops (validation inside fit) keep it on
            pass
        assert host_memory.active()
        assert [c[1] for c in recorder.calls] == [-3, -1]
    assert not host_memory.active()
    mmap, trim, restore, release = recorder.calls
    assert mmap == ("mallopt", -3, 32 * 1024 * 1024)
    assert trim[:2] == ("mallopt", -1) and trim[2] >= 2**30
    assert restore == ("mallopt", -1, 64 * 1024 * 1024)
    assert release == ("malloc_trim", 0)


def test_retained_restores_after_an_error(recorder):
    with pytest.raises(RuntimeError), host_memory.retained():
        raise RuntimeError("boom")
    assert not host_memory.active()
    assert recorder.calls[-1] == ("malloc_trim", 0)


@pytest.mark.parametrize(
    "name, value",
    [
        ("MALLOC_TRIM_THRESHOLD_", "1000"),
        ("GLIBC_TUNABLES", "glibc.malloc.trim_threshold=1"),
        ("TORK_KEEP_HOST_MEMORY", "0"),
    ],
)
def test_the_users_own_allocator_settings_are_left_alone(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    monkeypatch.setattr(host_memory, "_libc", None)  # detect again
    assert host_memory._glibc() is None
    with host_memory.retained():
        assert not host_memory.active()


def test_fit_evaluate_and_predict_run_retained(recorder):
    seen = []

    class Probe(tf.keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(("fit", host_memory.active()))

        def on_test_batch_end(self, batch, logs=None):
            seen.append(("evaluate", host_memory.active()))

        def on_predict_batch_end(self, batch, logs=None):
            seen.append(("predict", host_memory.active()))

    model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(2)])
    model.compile("sgd", "mse")
    x, y = np.ones((4, 3), "float32"), np.zeros((4, 2), "float32")
    model.fit(x, y, batch_size=2, verbose=0, callbacks=[Probe()], validation_data=(x, y))
    model.evaluate(x, y, verbose=0, callbacks=[Probe()])
    model.predict(x, verbose=0, callbacks=[Probe()])
    assert {kind for kind, _ in seen} == {"fit", "evaluate", "predict"}
    assert all(on for _, on in seen)
    assert not host_memory.active()


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or host_memory._glibc() is None, reason="glibc only"
)
def test_large_buffers_reuse_their_pages_while_retained():
    def faults_per_round(rounds=20):
        # A step's pattern: several large buffers live at once, all freed at the end.
        start = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        for _ in range(rounds):
            buffers = [torch.ones(5_000_000) for _ in range(4)]  # 4 x 20 MB, touched
            del buffers
        return (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - start) / rounds

    pages = 4 * 20_000_000 // 4096  # ~19,500 pages per round when nothing is reused
    with host_memory.retained():
        faults_per_round(2)  # the first round maps the pages
        retained = faults_per_round()
    assert retained < pages / 20


def test_per_step_scopes_keep_the_memory_after_them_until_a_loop_releases(recorder):
    for _ in range(3):  # a hand-written loop: tape.gradient once per step
        with host_memory.retained(release=False):
            pass
    assert host_memory.active()  # glibc would trim at the next free otherwise
    assert [c[1] for c in recorder.calls] == [-3, -1]  # set once, not per step
    with host_memory.retained():  # then a fit
        pass
    assert not host_memory.active()
    assert recorder.calls[-2:] == [("mallopt", -1, 64 * 1024 * 1024), ("malloc_trim", 0)]


def test_tape_gradient_and_tf_function_calls_run_retained(recorder, monkeypatch):
    seen = []
    w = tf.Variable([1.0, 2.0])

    def square(x):
        seen.append(("function", host_memory.active()))
        return x * x

    original_grad = torch.autograd.grad

    def grad(*args, **kwargs):
        seen.append(("backward", host_memory.active()))
        return original_grad(*args, **kwargs)

    monkeypatch.setattr(torch.autograd, "grad", grad)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.function(square)(w))
    assert tape.gradient(loss, w).tolist() == [2.0, 4.0]
    assert seen == [("function", True), ("backward", True)]
    assert ("malloc_trim", 0) not in recorder.calls
