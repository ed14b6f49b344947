import types

import numpy as np
import pytest
import torch

from tork.keras.callbacks import (
    Callback,
    CallbackList,
    History,
    ModelCheckpoint,
    ProgbarLogger,
    TerminateOnNaN,
)


class Recorder(Callback):
    def __init__(self):
        super().__init__()
        self.batch_logs = []
        self.epoch_logs = []

    def on_train_batch_end(self, batch, logs=None):
        self.batch_logs.append(logs)

    def on_epoch_end(self, epoch, logs=None):
        self.epoch_logs.append(logs)


class RawRecorder(Recorder):
    _supports_tf_logs = True


def test_defaults_are_appended_after_user_callbacks(helpers):
    user = Recorder()
    cbs = CallbackList([user], add_history=True, add_progbar=True, model=helpers.FakeModel())
    assert [type(c) for c in cbs.callbacks] == [Recorder, History, ProgbarLogger]


def test_given_history_and_progbar_are_reused(helpers):
    h, p = History(), ProgbarLogger()
    model = helpers.FakeModel()
    cbs = CallbackList([p, h], add_history=True, add_progbar=True, model=model)
    assert cbs.callbacks == [p, h]
    assert model.history is h


def test_nested_lists_are_flattened_and_params_set(helpers):
    a, b = Recorder(), Recorder()
    model = helpers.FakeModel()
    cbs = CallbackList([[a], (b,)], model=model, verbose=2, epochs=3, steps=7)
    assert cbs.callbacks == [a, b]
    assert a.model is model and b.params == {"verbose": 2, "epochs": 3, "steps": 7}
    c = Recorder()
    cbs.append(c)
    assert c.model is model and c.params["steps"] == 7


def test_batch_logs_are_floats_unless_every_callback_supports_tensors(helpers):
    # Keras 2 (tf_keras 2.21): when any batch-hook callback wants Python values, the logs
    # are converted once and all the callbacks share that dict.
    plain, raw = Recorder(), RawRecorder()
    cbs = CallbackList([plain, raw], model=helpers.FakeModel())
    logs = {"loss": torch.tensor(0.5), "acc": torch.tensor(1, dtype=torch.int32)}
    cbs.on_train_batch_end(0, logs)
    assert plain.batch_logs == [{"loss": 0.5, "acc": 1.0}]
    assert raw.batch_logs[0] is plain.batch_logs[0]
    only_raw = RawRecorder()
    CallbackList([only_raw], model=helpers.FakeModel()).on_train_batch_end(0, logs)
    assert only_raw.batch_logs[0] is logs


def test_epoch_logs_converted_in_place_and_shared(helpers):
    class AddsKey(Callback):
        def on_epoch_end(self, epoch, logs=None):
            logs["extra"] = 1.5

    raw = RawRecorder()
    cbs = CallbackList([AddsKey(), raw], add_history=True, model=helpers.FakeModel())
    logs = {"loss": torch.tensor(0.25)}
    cbs.on_epoch_end(0, logs)
    assert logs == {"loss": 0.25, "extra": 1.5}
    assert raw.epoch_logs[0] is logs
    assert cbs._history.history == {"loss": [0.25], "extra": [1.5]}


def test_batch_hooks_only_reach_callbacks_that_implement_them(helpers):
    class EpochOnly(Callback):
        def on_epoch_end(self, epoch, logs=None):
            pass

    class OldStyle(Callback):
        def on_batch_end(self, batch, logs=None):
            self.seen = batch

    epoch_only, old = EpochOnly(), OldStyle()
    checkpoint = ModelCheckpoint("x.keras")
    cbs = CallbackList([epoch_only, old, checkpoint, TerminateOnNaN()], model=helpers.FakeModel())
    live = [type(cb) for cb, _ in cbs._batch["on_train_batch_end"]]
    assert live == [OldStyle, TerminateOnNaN]
    assert cbs._batch["on_train_batch_begin"] == []
    cbs.on_batch_end(4, {"loss": 1.0})
    assert old.seen == 4


def test_none_logs_become_dicts(helpers):
    got = []

    class C(Callback):
        def on_train_begin(self, logs=None):
            got.append(logs)

        def on_train_batch_begin(self, batch, logs=None):
            got.append(logs)

    cbs = CallbackList([C()], model=helpers.FakeModel())
    cbs.on_train_begin()
    cbs.on_train_batch_begin(0)
    assert got == [{}, {}]


def test_predict_batch_outputs_are_numpy_unless_tf_logs(helpers):
    # tf_keras 2.21 (and Keras 3) give `on_predict_batch_end` the outputs as NumPy
    # arrays; callbacks with `_supports_tf_logs` get the raw tensors when no callback
    # wants NumPy (otherwise all share the converted dict, as in tf_keras 2.21).
    got = []

    class C(Callback):
        def on_predict_batch_end(self, batch, logs=None):
            got.append(logs["outputs"])

    class Raw(C):
        _supports_tf_logs = True

    out = torch.tensor([[1.5], [2.0]])
    CallbackList([C(), Raw()]).on_predict_batch_end(0, {"outputs": out})
    assert isinstance(got[0], np.ndarray)
    np.testing.assert_array_equal(got[0], np.array([[1.5], [2.0]], dtype=np.float32))
    assert got[1] is got[0]
    got.clear()
    CallbackList([Raw()]).on_predict_batch_end(0, {"outputs": out})
    assert got[0] is out
    # Nested outputs (several model outputs) are converted leaf by leaf.
    got.clear()
    nested = {"a": torch.zeros(1), "b": [torch.ones(2), torch.ones(1)]}
    CallbackList([C()]).on_predict_batch_end(0, {"outputs": nested})
    assert isinstance(got[0]["a"], np.ndarray)
    assert [type(v) for v in got[0]["b"]] == [np.ndarray, np.ndarray]


def test_initial_epoch_from_restored_backup(helpers):
    model = helpers.FakeModel()
    cbs = CallbackList(model=model)
    assert cbs._tork_initial_epoch(1) == 1
    model._initial_epoch = 3
    assert cbs._tork_initial_epoch(0) == 3
    assert model._initial_epoch is None


def test_non_callback_raises():
    with pytest.raises(TypeError, match=r"callbacks\[1\] must be a keras.callbacks.Callback"):
        CallbackList([Recorder(), print])


def test_callback_class_instead_of_instance_raises():
    with pytest.raises(TypeError, match=r"callbacks\[0\] is the class History, not an instance"):
        CallbackList([History])


def test_subclass_without_super_init_works(helpers):
    class NoInit(Callback):
        def __init__(self):
            self.n = 0

        def on_epoch_end(self, epoch, logs=None):
            self.n += 1
            assert self.params["epochs"] == 2

    cb = NoInit()
    helpers.run_fit(helpers.FakeModel(), callbacks=[cb], epochs=2, steps=1)
    assert cb.n == 2


def test_stop_training_from_a_callback(helpers):
    class Stop(Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 1:
                self.model.stop_training = True

    history = helpers.run_fit(helpers.FakeModel(), callbacks=[Stop()], epochs=5, steps=1)
    assert history.epoch == [0, 1]


class _Watched(torch.Tensor):
    """A tensor that records every read of its value by the host."""

    reads: list = []

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        name = getattr(func, "__name__", str(func))
        if name in ("item", "tolist", "__float__", "__bool__", "__int__", "numpy", "__format__"):
            _Watched.reads.append(name)
        return super().__torch_function__(func, types, args, kwargs or {})


@pytest.mark.parametrize("verbose", [0, 1, 2])
def test_default_callbacks_read_device_values_once_per_epoch(helpers, clock, not_live, verbose):
    _Watched.reads = []

    def logs(e, s):
        return {
            "accuracy": torch.tensor(0.5).as_subclass(_Watched),
            "loss": torch.tensor(0.25).as_subclass(_Watched),
        }

    model = helpers.FakeModel()
    # The logs are the model's metrics: the bar shows them as logged (Keras 2 averages
    # only the other logs), so it reads nothing itself.
    model.metrics = [types.SimpleNamespace(name="accuracy"), types.SimpleNamespace(name="loss")]
    history = helpers.run_fit(
        model, epochs=2, steps=50, verbose=verbose, clock=clock, train_logs=logs
    )
    # One stacked copy to the host per epoch end, nothing per batch.
    assert _Watched.reads == ["tolist", "tolist"]
    assert history.history == {"accuracy": [0.5, 0.5], "loss": [0.25, 0.25]}


def test_public_namespace():
    import tork as tf

    assert tf.keras.callbacks.EarlyStopping is not None
    assert tf.keras.utils.Progbar.__name__ == "Progbar"
    assert tf.keras.callbacks.RemoteMonitor.__name__ == "RemoteMonitor"
