"""Batch callback hooks with `steps_per_execution` (Keras 2 calls them once per group)."""

import numpy as np
import pytest

import tork as tf

keras = tf.keras


class _Recorder(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.rec = []

    def on_train_batch_begin(self, batch, logs=None):
        self.rec.append(("tb", batch))

    def on_train_batch_end(self, batch, logs=None):
        self.rec.append(("te", batch, round(float(logs["loss"]), 6)))

    def on_test_batch_begin(self, batch, logs=None):
        self.rec.append(("vb", batch))

    def on_test_batch_end(self, batch, logs=None):
        self.rec.append(("ve", batch, round(float(logs["loss"]), 6)))

    def on_predict_batch_begin(self, batch, logs=None):
        self.rec.append(("pb", batch))

    def on_predict_batch_end(self, batch, logs=None):
        out = np.asarray(logs["outputs"])
        self.rec.append(("pe", batch, out.shape, round(float(out.sum()), 6)))

    def on_epoch_end(self, epoch, logs=None):
        self.rec.append(("ee", epoch))


def _model(steps_per_execution):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)], name="spe_hooks")
    model.set_weights([np.array([[0.5], [-0.3], [0.2]], "float32"), np.array([0.1], "float32")])
    model.compile(keras.optimizers.SGD(0.1), "mse", steps_per_execution=steps_per_execution)
    return model


X = np.linspace(-1, 1, 30, dtype="float32").reshape(10, 3)
Y = np.linspace(0, 1, 10, dtype="float32").reshape(10, 1)


def test_steps_per_execution_groups_batch_hooks_like_keras2():
    # Reference: tf_keras 2.21 (TF_USE_LEGACY_KERAS=1), same script. Hooks run once per
    # execution: begin with the group's first step, end with its last step and the logs
    # after it; predict's end gets the group's outputs joined (6 rows, then 4).
    expected = [
        ("tb", 0), ("te", 1, 0.141113), ("tb", 2), ("te", 2, 0.150914),
        ("vb", 0), ("ve", 1, 0.036399), ("ee", 0),
        ("tb", 0), ("te", 1, 0.031014), ("tb", 2), ("te", 2, 0.028738),
        ("vb", 0), ("ve", 1, 0.009997), ("ee", 1),
        ("vb", 0), ("ve", 1, 0.009997), ("vb", 2), ("ve", 3, 0.007543),
        ("pb", 0), ("pe", 1, (6, 1), 1.071714), ("pb", 2), ("pe", 3, (4, 1), 3.087034),
    ]  # fmt: skip
    model = _model(2)
    rec = _Recorder()
    model.fit(X, Y, batch_size=4, epochs=2, verbose=0, shuffle=False, callbacks=[rec],
              validation_data=(X[:6], Y[:6]))  # fmt: skip
    model.evaluate(X, Y, batch_size=3, verbose=0, callbacks=[rec])
    model.predict(X, batch_size=3, verbose=0, callbacks=[rec])
    assert [r[:2] for r in rec.rec] == [r[:2] for r in expected]
    for got, want in zip(rec.rec, expected):
        if want[0] == "pe":
            assert got[2] == want[2]
            np.testing.assert_allclose(got[3], want[3], rtol=1e-5)
        elif len(want) == 3:
            np.testing.assert_allclose(got[2], want[2], rtol=1e-4)
    weights = [w.ravel() for w in model.get_weights()]
    np.testing.assert_allclose(weights[0], [0.5347968, -0.24221064, 0.28078204], rtol=1e-5)
    np.testing.assert_allclose(weights[1], [0.43339303], rtol=1e-5)


def test_default_steps_per_execution_calls_hooks_every_step():
    model = _model(1)
    rec = _Recorder()
    model.fit(X, Y, batch_size=4, epochs=1, verbose=0, shuffle=False, callbacks=[rec])
    assert [r[:2] for r in rec.rec] == [
        ("tb", 0), ("te", 0), ("tb", 1), ("te", 1), ("tb", 2), ("te", 2), ("ee", 0)
    ]  # fmt: skip


@pytest.mark.parametrize(
    "steps_per_execution, expected",
    [
        (1, ["w-1-2.weights.h5", "w-2-1.weights.h5", "w-2-3.weights.h5"]),
        (2, ["w-1-2.weights.h5", "w-2-2.weights.h5"]),
        (3, ["w-1-3.weights.h5", "w-2-3.weights.h5"]),
    ],
)
def test_steps_per_execution_checkpoint_save_freq(tmp_path, steps_per_execution, expected):
    # Reference: tf_keras 2.21, same fit (3 steps per epoch, 2 epochs, save_freq=2). The
    # checkpoint counts steps from the hook's batch index, so the first group's end at
    # batch 1 already counts 2 steps (tork counted 1 and saved a batch late).
    model = _model(steps_per_execution)
    path = str(tmp_path / "w-{epoch}-{batch}.weights.h5")
    ckpt = keras.callbacks.ModelCheckpoint(path, save_weights_only=True, save_freq=2)
    model.fit(X, Y, batch_size=4, epochs=2, verbose=0, shuffle=False, callbacks=[ckpt])
    assert sorted(p.name for p in tmp_path.iterdir()) == expected
