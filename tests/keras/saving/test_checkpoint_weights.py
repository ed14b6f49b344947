"""Keras 2's TensorFlow formats: `save_weights("training/cp.ckpt")`, `save("saved_model/m")`.

The flows of TensorFlow's "Save and load models" tutorial: ModelCheckpoint with
`save_weights_only=True` on a `.ckpt` path, `tf.train.latest_checkpoint`, `load_weights`,
and whole models saved where Keras 2 wrote SavedModel directories.
"""

import os

import numpy as np
import pytest

import tork as tf


def _data(seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(64, 5)).astype("float32")
    y = (x @ rng.normal(size=(5, 1))).astype("float32")
    return x, y


def _model():
    model = tf.keras.Sequential(
        [
            tf.keras.Input((5,)),
            tf.keras.layers.Dense(8, activation="relu"),
            tf.keras.layers.Dense(1),
        ]
    )
    model.compile(optimizer="adam", loss="mse")
    return model


def _numpy_forward(weights, x):
    w1, b1, w2, b2 = weights
    return np.maximum(x @ w1 + b1, 0) @ w2 + b2


def test_tutorial_model_checkpoint_then_load_weights(tmp_path):
    checkpoint_path = str(tmp_path / "training_1" / "cp.ckpt")
    checkpoint_dir = os.path.dirname(checkpoint_path)
    callback = tf.keras.callbacks.ModelCheckpoint(
        filepath=checkpoint_path, save_weights_only=True, verbose=0
    )
    x, y = _data()
    model = _model()
    model.fit(x, y, epochs=3, callbacks=[callback], verbose=0)
    assert sorted(os.listdir(checkpoint_dir)) == [
        "checkpoint",
        "cp.ckpt.data-00000-of-00001",
        "cp.ckpt.index",
    ]
    assert tf.train.latest_checkpoint(checkpoint_dir) == checkpoint_path

    fresh = _model()
    before = fresh.predict(x, verbose=0)
    status = fresh.load_weights(checkpoint_path)
    status.expect_partial()
    trained = [w.numpy() for w in model.weights]
    np.testing.assert_allclose(
        fresh.predict(x, verbose=0), _numpy_forward(trained, x), rtol=1e-5, atol=1e-6
    )
    assert not np.allclose(before, fresh.predict(x, verbose=0))


def test_numbered_checkpoints_and_latest_checkpoint(tmp_path):
    checkpoint_path = str(tmp_path / "training_2" / "cp-{epoch:04d}.ckpt")
    checkpoint_dir = os.path.dirname(checkpoint_path)
    x, y = _data()
    model = _model()
    model.save_weights(checkpoint_path.format(epoch=0))
    callback = tf.keras.callbacks.ModelCheckpoint(
        filepath=checkpoint_path, save_weights_only=True, save_freq=2 * 2, verbose=0
    )
    model.fit(x, y, epochs=2, batch_size=16, callbacks=[callback], verbose=0)
    latest = tf.train.latest_checkpoint(checkpoint_dir)
    assert latest == os.path.join(checkpoint_dir, "cp-0002.ckpt")
    assert os.path.exists(os.path.join(checkpoint_dir, "cp-0000.ckpt.index"))

    fresh = _model()
    fresh.load_weights(latest)
    for a, b in zip(model.weights, fresh.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_unbuilt_subclassed_model_gets_its_weights_when_built(tmp_path):
    class Net(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden = tf.keras.layers.Dense(8, activation="relu")
            self.out = tf.keras.layers.Dense(1)

        def call(self, x):
            return self.out(self.hidden(x))

    x, y = _data()
    model = Net()
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, y, epochs=2, verbose=0)
    path = str(tmp_path / "net")
    model.save_weights(path)

    fresh = Net()
    fresh.load_weights(path)  # deferred: nothing is built yet, as in Keras 2
    trained = [w.numpy() for w in model.weights]
    np.testing.assert_allclose(fresh(x).numpy(), _numpy_forward(trained, x), rtol=1e-5, atol=1e-6)


def test_optimizer_state_travels_with_the_weights(tmp_path):
    x, y = _data()
    model = _model()
    model.fit(x, y, epochs=2, batch_size=16, verbose=0)
    path = str(tmp_path / "ckpt")
    model.save_weights(path)
    fresh = _model()
    fresh.load_weights(path)
    # Restored when the optimizer builds its slots (the first step), then both continue alike.
    for m in (model, fresh):
        m.fit(x, y, epochs=1, batch_size=16, shuffle=False, verbose=0)
    assert int(fresh.optimizer.iterations) == int(model.optimizer.iterations) == 12
    for a, b in zip(model.weights, fresh.weights):
        np.testing.assert_allclose(b.numpy(), a.numpy(), rtol=1e-6, atol=1e-7)


def test_overwrite_false_is_refused_and_directory_paths_are_prefixes(tmp_path):
    model = _model()
    path = str(tmp_path / "w.ckpt")
    model.save_weights(path)
    with pytest.raises(FileExistsError, match=r"w\.ckpt\.index' already exists"):
        model.save_weights(path, overwrite=False)
    # tf_keras 2.21: an existing directory without a trailing separator is a prefix like any
    # other, its files written beside it.
    (tmp_path / "sub").mkdir()
    model.save_weights(str(tmp_path / "sub"))
    assert os.path.exists(str(tmp_path / "sub.index"))
    with pytest.raises(ValueError, match="by_name and skip_mismatch apply to '.h5' files"):
        model.load_weights(path, by_name=True)


def test_tutorial_saved_model_path_round_trip(tmp_path):
    x, y = _data()
    model = _model()
    model.fit(x, y, epochs=2, verbose=0)
    path = str(tmp_path / "saved_model" / "my_model")
    model.save(path)
    assert os.path.isdir(path)
    new_model = tf.keras.models.load_model(path)
    trained = [w.numpy() for w in model.weights]
    np.testing.assert_allclose(
        new_model.predict(x, verbose=0), _numpy_forward(trained, x), rtol=1e-5, atol=1e-6
    )
    assert new_model.optimizer is not None and int(new_model.optimizer.iterations) == 4
    model.save(path, save_format="tf")  # saving again replaces it, as in Keras 2


def test_model_checkpoint_without_a_suffix_saves_model_directories(tmp_path):
    x, y = _data()
    model = _model()
    callback = tf.keras.callbacks.ModelCheckpoint(
        str(tmp_path / "mymodel_{epoch}"), save_best_only=True, monitor="loss"
    )
    model.fit(x, y, epochs=2, callbacks=[callback], verbose=0)
    assert sorted(os.listdir(tmp_path)) == ["mymodel_1", "mymodel_2"]
    restored = tf.keras.models.load_model(str(tmp_path / "mymodel_2"))
    for a, b in zip(model.weights, restored.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_load_weights_status_checks_pass_as_in_tf_keras(tmp_path):
    # tf_keras 2.21: model.load_weights(prefix).assert_existing_objects_matched() passes;
    # save_weights writes no save_counter, so none is expected back.
    model = _model()
    model(np.zeros((1, 5), "float32"))
    prefix = str(tmp_path / "ck" / "cp.ckpt")
    model.save_weights(prefix)
    other = _model()
    other(np.zeros((1, 5), "float32"))
    status = other.load_weights(prefix)
    status.assert_existing_objects_matched()
    for got, want in zip(other.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(got, want)
