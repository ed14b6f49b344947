"""compile/fit/evaluate/predict: convergence, logs, data inputs and bad-input messages."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import tork as tf
from tork import keras


def _blobs(n=512, seed=0):
    rng = np.random.default_rng(seed)
    centers = np.array([[2.0, 2.0], [-2.0, -2.0], [2.0, -2.0]], dtype="float32")
    y = rng.integers(0, 3, size=n)
    x = centers[y] + rng.normal(scale=0.5, size=(n, 2)).astype("float32")
    return x.astype("float32"), y.astype("int64")


class Classifier(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = keras.layers.Dense(16, activation="relu")
        self.out = keras.layers.Dense(3)

    def call(self, x):
        return self.out(self.hidden(x))


def _compile(model, **kwargs):
    model.compile(
        optimizer=keras.optimizers.Adam(0.05),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
        **kwargs,
    )
    return model


@pytest.mark.parametrize("kind", ["subclassed", "sequential", "functional"])
def test_fit_converges_on_blobs(kind):
    torch.manual_seed(0)
    x, y = _blobs()
    if kind == "subclassed":
        model = Classifier()
    elif kind == "sequential":
        model = keras.Sequential(
            [keras.layers.Dense(16, activation="relu", input_shape=(2,)), keras.layers.Dense(3)]
        )
    else:
        inputs = keras.Input(shape=(2,))
        model = keras.Model(
            inputs, keras.layers.Dense(3)(keras.layers.Dense(16, activation="relu")(inputs))
        )
    _compile(model)
    history = model.fit(x, y, epochs=5, batch_size=32, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert history.history["accuracy"][-1] > 0.95
    loss, acc = model.evaluate(x, y, verbose=0)
    assert acc > 0.95
    preds = model.predict(x, verbose=0)
    assert preds.shape == (512, 3) and isinstance(preds, np.ndarray)
    assert (preds.argmax(1) == y).mean() > 0.95


def test_gradient_tape_loop_converges():
    torch.manual_seed(0)
    x, y = _blobs()
    model = Classifier()
    optimizer = keras.optimizers.Adam(0.05)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(512, seed=1).batch(32)
    for _ in range(5):
        for xb, yb in dataset:
            with tf.GradientTape() as tape:
                loss = loss_fn(yb, model(xb, training=True))
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
    assert (model.predict(x, verbose=0).argmax(1) == y).mean() > 0.95


def test_loss_log_is_the_dataset_mean_and_history_fields():
    x = np.ones((10, 1), dtype="float32")
    y = np.zeros((10, 1), dtype="float32")
    model = keras.Sequential([keras.layers.Dense(1, kernel_initializer="ones", input_shape=(1,))])
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")
    history = model.fit(x, y, batch_size=3, epochs=2, verbose=0)
    # Prediction is 1 everywhere, so every batch loss is 1 and so is the mean.
    assert history.history["loss"] == pytest.approx([1.0, 1.0])
    assert history.epoch == [0, 1]
    assert history.params["steps"] == 4 and history.params["epochs"] == 2


def test_validation_split_uses_the_last_samples():
    x = np.concatenate([np.zeros((8, 1)), np.ones((2, 1))]).astype("float32")
    y = np.zeros((10, 1), dtype="float32")
    model = keras.Sequential([keras.layers.Dense(1, kernel_initializer="ones", input_shape=(1,))])
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")
    history = model.fit(x, y, validation_split=0.2, epochs=1, verbose=0, shuffle=False)
    assert history.history["loss"] == pytest.approx([0.0])
    assert history.history["val_loss"] == pytest.approx([1.0])


def test_sample_weight_and_class_weight_scale_the_loss():
    x = np.ones((4, 1), dtype="float32")
    y = np.zeros((4, 1), dtype="float32")
    model = keras.Sequential([keras.layers.Dense(1, kernel_initializer="ones", input_shape=(1,))])
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")
    logs = model.evaluate(x, y, sample_weight=np.array([1.0, 0.0, 0.0, 0.0]), verbose=0)
    # sum_over_batch_size: sum(w * l) / 4
    assert logs == pytest.approx(0.25)
    labels = np.array([0, 1, 1, 1])
    clf = keras.Sequential([keras.layers.Dense(2, kernel_initializer="zeros", input_shape=(1,))])
    clf.compile(
        optimizer=keras.optimizers.SGD(0.0),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    history = clf.fit(x, labels, class_weight={0: 2.0, 1: 0.0}, epochs=1, verbose=0, batch_size=4)
    # Uniform logits: each loss is log 2; weights 2, 0, 0, 0 -> 2 log 2 / 4.
    assert history.history["loss"][0] == pytest.approx(2 * np.log(2) / 4, rel=1e-5)


def test_multi_output_losses_and_log_names():
    inputs = keras.Input(shape=(2,))
    a = keras.layers.Dense(1, name="reg")(inputs)
    b = keras.layers.Dense(3, name="cls")(inputs)
    model = keras.Model(inputs, [a, b])
    model.compile(
        optimizer="adam",
        loss=["mse", keras.losses.SparseCategoricalCrossentropy(from_logits=True)],
        loss_weights=[1.0, 0.5],
        metrics=[[], ["accuracy"]],
    )
    x, y = _blobs(64)
    history = model.fit(x, [y.astype("float32")[:, None], y], epochs=1, verbose=0)
    assert set(history.history) == {"loss", "reg_loss", "cls_loss", "cls_accuracy"}
    total = history.history["loss"][0]
    parts = history.history["reg_loss"][0] + 0.5 * history.history["cls_loss"][0]
    assert total == pytest.approx(parts, rel=1e-4)


def test_custom_train_step_keras2_style():
    class Custom(keras.Model):
        def __init__(self):
            super().__init__()
            self.d = keras.layers.Dense(1)

        def call(self, x):
            return self.d(x)

        def train_step(self, data):
            x, y = data
            with tf.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = self.compiled_loss(y, y_pred, regularization_losses=self.losses)
            grads = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
            self.compiled_metrics.update_state(y, y_pred)
            return {m.name: m.result() for m in self.metrics}

    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 3)).astype("float32")
    y = x @ np.array([[1.0], [-2.0], [0.5]], dtype="float32")
    model = Custom()
    model.compile(optimizer=keras.optimizers.Adam(0.1), loss="mse", metrics=["mae"])
    history = model.fit(x, y, epochs=10, verbose=0)
    assert history.history["loss"][-1] < 0.05 * history.history["loss"][0]
    assert "mae" in history.history


def test_custom_train_step_keras3_style_with_compute_loss():
    class Custom(keras.Model):
        def __init__(self):
            super().__init__()
            self.d = keras.layers.Dense(1)

        def call(self, x):
            return self.d(x)

        def train_step(self, data):
            x, y = data
            with tf.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = self.compute_loss(y=y, y_pred=y_pred)
            grads = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
            for metric in self.metrics:
                if metric.name != "loss":
                    metric.update_state(y, y_pred)
            return {m.name: m.result() for m in self.metrics}

    rng = np.random.default_rng(0)
    x = rng.normal(size=(128, 2)).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    model = Custom()
    model.compile(optimizer=keras.optimizers.Adam(0.1), loss="mse")
    history = model.fit(x, y, epochs=8, verbose=0)
    assert history.history["loss"][-1] < 0.1 * history.history["loss"][0]


def test_optimizer_set_in_init_is_replaced_by_compile():
    class WithOpt(keras.Model):
        def __init__(self):
            super().__init__()
            self.d = keras.layers.Dense(1)
            self.optimizer = keras.optimizers.SGD()

        def call(self, x):
            return self.d(x)

    model = WithOpt()
    assert type(model.optimizer).__name__ == "SGD"
    model.compile(optimizer="adam", loss="mse")
    assert type(model.optimizer).__name__ == "Adam"
    assert len(list(model.parameters())) == 0  # the optimizer adds no parameters


def test_training_true_reaches_sublayers_inside_fit():
    seen = []

    class Probe(keras.layers.Layer):
        def call(self, x, training=None):
            seen.append(training)
            return x

    class M(keras.Model):
        def __init__(self):
            super().__init__()
            self.probe = Probe()
            self.d = keras.layers.Dense(1)

        def call(self, x):
            return self.d(self.probe(x))

    model = M()
    model.compile(optimizer="sgd", loss="mse")
    model.fit(np.ones((4, 2)), np.ones((4, 1)), epochs=1, batch_size=4, verbose=0)
    model.predict(np.ones((4, 2)), verbose=0)
    assert seen[0] is True and seen[-1] is False


def test_inputs_as_dataset_generator_tensors_and_dataloader():
    x, y = _blobs(128)
    model = _compile(Classifier())
    model.fit(tf.data.Dataset.from_tensor_slices((x, y)).batch(32), epochs=1, verbose=0)
    model.fit(torch.from_numpy(x), torch.from_numpy(y), epochs=1, verbose=0)

    def gen():
        for i in range(0, 128, 32):
            yield x[i : i + 32], y[i : i + 32]

    model.fit(gen(), epochs=1, verbose=0)
    loader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(torch.from_numpy(x), torch.from_numpy(y)), batch_size=32
    )
    model.fit(loader, epochs=1, verbose=0)

    class Batches(keras.utils.PyDataset):
        def __len__(self):
            return 4

        def __getitem__(self, i):
            return x[i * 32 : (i + 1) * 32], y[i * 32 : (i + 1) * 32]

    history = model.fit(Batches(), epochs=1, verbose=0)
    assert history.params["steps"] == 4


def test_train_test_predict_on_batch():
    x, y = _blobs(64)
    model = _compile(Classifier())
    logs = model.train_on_batch(x, y, return_dict=True)
    assert set(logs) == {"loss", "accuracy"}
    loss, acc = model.test_on_batch(x, y)
    assert isinstance(loss, float)
    assert model.predict_on_batch(x).shape == (64, 3)
    assert model.metrics_names == ["loss", "accuracy"]


def test_evaluate_return_dict_and_scalar():
    x, y = _blobs(64)
    model = Classifier()
    model.compile(
        optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    )
    assert isinstance(model.evaluate(x, y, verbose=0), float)
    assert set(model.evaluate(x, y, verbose=0, return_dict=True)) == {"loss"}


def test_fit_before_compile_error():
    with pytest.raises(RuntimeError, match=r"You must call compile\(\) before fit\(\)"):
        Classifier().fit(np.ones((2, 2)), np.ones(2), verbose=0)


def test_x_y_length_mismatch_error():
    model = _compile(Classifier())
    with pytest.raises(ValueError, match=r"Data cardinality is ambiguous: x sizes: 10; y sizes: 9"):
        model.fit(np.ones((10, 2)), np.ones(9), verbose=0)


def test_train_step_returning_non_dict_error():
    class Bad(Classifier):
        def train_step(self, data):
            return 3.0

    model = _compile(Bad())
    with pytest.raises(TypeError, match=r"train_step\(\) must return a dict of logs"):
        model.fit(np.ones((4, 2)), np.ones(4), verbose=0)


def test_unbatched_dataset_error():
    model = Classifier()
    model.build((None, 2))
    _compile(model)
    ds = tf.data.Dataset.from_tensor_slices((np.ones((10, 2), "float32"), np.ones(10)))
    with pytest.raises(ValueError, match=r"look unbatched.*\(2,\).*\.batch\(\.\.\.\)"):
        model.fit(ds, verbose=0)


def test_unbatched_array_error():
    model = Classifier()
    model.build((None, 2))
    _compile(model)
    with pytest.raises(ValueError, match=r"received inputs of shape \(2,\).*looks unbatched"):
        model.fit(iter([(np.ones(2, "float32"), np.ones(1))]), verbose=0)


def test_empty_data_error():
    model = _compile(Classifier())
    with pytest.raises(ValueError, match=r"fit\(\) received no data"):
        model.fit(np.zeros((0, 2), "float32"), np.zeros(0), verbose=0)


def test_stop_training_from_a_callback():
    class Stop(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 1:
                self.model.stop_training = True

    x, y = _blobs(64)
    model = _compile(Classifier())
    history = model.fit(x, y, epochs=10, verbose=0, callbacks=[Stop()])
    assert history.epoch == [0, 1]


def test_jit_compile_matches_eager():
    torch.manual_seed(0)
    x, y = _blobs(64)
    eager = _compile(Classifier())
    eager(x[:1])
    jit = _compile(Classifier(), jit_compile=True)
    jit(x[:1])
    jit.set_weights(eager.get_weights())
    h1 = eager.fit(x, y, epochs=1, batch_size=64, verbose=0, shuffle=False)
    h2 = jit.fit(x, y, epochs=1, batch_size=64, verbose=0, shuffle=False)
    assert h1.history["loss"][0] == pytest.approx(h2.history["loss"][0], rel=1e-4)
    for a, b in zip(eager.get_weights(), jit.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


def test_one_hot_labels_with_sparse_loss_error_in_fit():
    x, y = _blobs(64)
    one_hot = np.eye(3, dtype="float32")[y]
    model = _compile(Classifier())
    with pytest.raises(ValueError, match=r"SparseCategoricalCrossentropy.*\(32, 3\).*one-hot"):
        model.fit(x, one_hot, epochs=1, verbose=0)


def test_unknown_strings_in_compile_list_valid_names():
    model = Classifier()
    with pytest.raises(ValueError, match=r"(?s)Unknown.*'adamm'.*adam"):
        model.compile(optimizer="adamm", loss="mse")
    model.compile(optimizer="adam", loss="msee")
    with pytest.raises(ValueError, match=r"(?s)Unknown.*'msee'.*mean_squared_error"):
        model.fit(np.ones((4, 2), "float32"), np.ones((4, 3), "float32"), verbose=0)


def test_terminate_on_nan_stops_fit(capsys):
    x = np.full((64, 2), np.nan, dtype="float32")
    y = np.zeros(64, dtype="int64")
    model = _compile(Classifier())
    history = model.fit(
        x, y, epochs=5, batch_size=16, verbose=0, callbacks=[keras.callbacks.TerminateOnNaN()]
    )
    assert len(history.epoch) == 1
    assert "Invalid loss, terminating training" in capsys.readouterr().out


def test_early_stopping_restores_best_weights_in_fit():
    x, y = _blobs(128)
    model = _compile(Classifier())
    stop = keras.callbacks.EarlyStopping(monitor="loss", patience=0, restore_best_weights=True)
    history = model.fit(x, y, epochs=50, verbose=0, callbacks=[stop])
    assert len(history.epoch) < 50 or history.history["loss"][-1] <= min(history.history["loss"])


def test_backup_and_restore_resumes_a_killed_fit(tmp_path):
    x, y = _blobs(64)

    class Crash(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 1:
                raise RuntimeError("simulated crash")

    torch.manual_seed(0)
    model = _compile(Classifier())
    model(x[:1])  # BackupAndRestore needs a built model, as in Keras 3
    backup = keras.callbacks.BackupAndRestore(str(tmp_path / "backup"))
    with pytest.raises(RuntimeError, match="simulated crash"):
        model.fit(x, y, epochs=4, verbose=0, callbacks=[backup, Crash()])
    saved = [w.copy() for w in model.get_weights()]

    class Capture(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.start = [w.copy() for w in self.model.get_weights()]

    fresh = _compile(Classifier())
    fresh(x[:1])
    capture = Capture()
    restore = keras.callbacks.BackupAndRestore(str(tmp_path / "backup"))
    history = fresh.fit(x, y, epochs=4, verbose=0, callbacks=[restore, capture])
    # BackupAndRestore runs before Crash, so epoch 1 was backed up: resume at epoch 2
    # from exactly the weights the crashed run had.
    assert history.epoch == [2, 3]
    for a, b in zip(saved, capture.start):
        np.testing.assert_array_equal(a, b)


def test_model_checkpoint_writes_keras_files_in_fit(tmp_path):
    x, y = _blobs(64)
    model = _compile(Classifier())
    path = str(tmp_path / "ckpt-{epoch:02d}.weights.h5")
    model.fit(
        x,
        y,
        epochs=2,
        verbose=0,
        callbacks=[keras.callbacks.ModelCheckpoint(path, save_weights_only=True)],
    )
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["ckpt-01.weights.h5", "ckpt-02.weights.h5"]
    clone = _compile(Classifier())
    clone(x[:1])
    clone.load_weights(str(tmp_path / "ckpt-02.weights.h5"))
    for a, b in zip(model.get_weights(), clone.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_keras2_positional_compile_puts_metrics_third():
    x, y = _blobs(64)
    model = Classifier()
    model.compile(
        "adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True), ["accuracy"]
    )
    history = model.fit(x, y, epochs=1, verbose=0)
    assert set(history.history) == {"loss", "accuracy"}


def test_keras3_train_step_updates_compile_metrics():
    class Custom(Classifier):
        def train_step(self, data):
            x, y = data
            with tf.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = self.compute_loss(y=y, y_pred=y_pred)
            grads = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
            for metric in self.metrics:
                if metric.name == "loss":
                    metric.update_state(loss)
                else:
                    metric.update_state(y, y_pred)
            return {m.name: m.result() for m in self.metrics}

    x, y = _blobs(64)
    history = _compile(Custom()).fit(x, y, epochs=2, verbose=0)
    assert "accuracy" in history.history and len(history.history["accuracy"]) == 2


class _SeenBatches(keras.Model):
    """Records what train_step / test_step / predict_step receive."""

    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(2)
        self.seen = []

    def call(self, x):
        return self.dense(x)

    def train_step(self, data):
        self.seen.append(("train", type(data)))
        with tf.GradientTape() as tape:
            # An autoencoder's step, as in the keras.io VAE example: data is the images.
            loss = tf.reduce_mean(tf.square(self(data, training=True) - data))
        grads = tape.gradient(loss, self.trainable_weights)
        self.optimizer.apply_gradients(zip(grads, self.trainable_weights))
        return {"loss": loss}

    def test_step(self, data):
        self.seen.append(("test", type(data)))
        return {"loss": tf.reduce_mean(tf.square(self(data) - data))}

    def predict_step(self, data):
        self.seen.append(("predict", type(data)))
        return self(data)


def test_steps_receive_x_itself_without_labels():
    x = np.random.default_rng(0).normal(size=(8, 2)).astype("float32")
    model = _SeenBatches()
    model.compile(optimizer="sgd")
    history = model.fit(x, epochs=1, batch_size=4, verbose=0)
    assert np.isfinite(history.history["loss"][0])
    model.evaluate(x, batch_size=4, verbose=0)
    assert model.predict(x, batch_size=4, verbose=0).shape == (8, 2)
    model.predict_on_batch(x)
    model.fit(tf.data.Dataset.from_tensor_slices(x).batch(4), epochs=1, verbose=0)
    kinds = {kind for kind, _ in model.seen}
    assert kinds == {"train", "test", "predict"}
    assert all(t is torch.Tensor for _, t in model.seen), model.seen


def test_steps_receive_a_tuple_of_inputs_wrapped_once():
    seen = []

    class TwoInputs(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(1)

        def call(self, inputs):
            a, b = inputs
            return self.dense(tf.concat([a, b], axis=-1))

        def predict_step(self, data):
            seen.append(data)
            return super().predict_step(data)

    a = np.ones((4, 2), "float32")
    b = np.zeros((4, 3), "float32")
    out = TwoInputs().predict((a, b), verbose=0)
    assert out.shape == (4, 1)
    # (x,) with x = (a, b): unpacking gives x, never (a as x, b as y).
    assert isinstance(seen[0], tuple) and len(seen[0]) == 1 and len(seen[0][0]) == 2


def test_keras2_gan_discriminator_trains_after_being_frozen_in_the_combined_model():
    # Keras 2 (tf_keras 2.21) trains the weights trainable at compile(): D still learns from
    # D.train_on_batch after D.trainable = False, and the combined model leaves D alone.
    discriminator = keras.Sequential(
        [keras.Input((4,)), keras.layers.Dense(1, activation="sigmoid")]
    )
    discriminator.compile(optimizer="sgd", loss="binary_crossentropy")
    generator = keras.Sequential([keras.Input((2,)), keras.layers.Dense(4)])
    discriminator.trainable = False
    noise = keras.Input((2,))
    gan = keras.Model(noise, discriminator(generator(noise)))
    gan.compile(optimizer="sgd", loss="binary_crossentropy")
    x, y = np.ones((8, 4), "float32"), np.ones((8, 1), "float32")
    d_before = discriminator.get_weights()[0].copy()
    discriminator.train_on_batch(x, y)
    d_after = discriminator.get_weights()[0].copy()
    assert not np.allclose(d_before, d_after)
    g_before = generator.get_weights()[0].copy()
    gan.train_on_batch(np.ones((8, 2), "float32"), y)
    assert not np.allclose(g_before, generator.get_weights()[0])
    np.testing.assert_array_equal(d_after, discriminator.get_weights()[0])
    assert discriminator.trainable_weights == [] and len(gan.trainable_weights) == 2
    # The frozen flag survives the step.
    assert not any(w.requires_grad for w in discriminator.weights)


def test_fit_with_a_loss_for_one_of_two_outputs_warns_and_trains_that_head():
    inputs = keras.Input((3,))
    trained = keras.layers.Dense(1, name="priority")(inputs)
    untouched = keras.layers.Dense(2, name="department")(inputs)
    model = keras.Model(inputs, {"priority": trained, "department": untouched})
    model.compile(optimizer="sgd", loss={"priority": "mse"})
    before = [w.copy() for w in model.get_weights()]
    x = np.ones((4, 3), "float32")
    with pytest.warns(UserWarning, match="Gradients do not exist for variables"):
        model.fit(x, {"priority": np.zeros((4, 1), "float32")}, verbose=0)
    after = model.get_layer("priority").get_weights()
    assert not np.allclose(before[2], after[0])  # weights: department (2), then priority
    np.testing.assert_array_equal(before[0], model.get_layer("department").get_weights()[0])


def test_fit_without_trainable_weights_warns_and_still_reports_the_loss():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Activation("relu")])
    model.compile(optimizer="sgd", loss="mse")
    with pytest.warns(UserWarning, match="has no trainable weights, so fit\\(\\) computes"):
        history = model.fit(np.ones((4, 3), "float32"), np.zeros((4, 3), "float32"), verbose=0)
    assert history.history["loss"] == [pytest.approx(1.0)]


def test_loss_object_as_metric_logs_under_its_name():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, kernel_initializer="ones")])
    model.compile(optimizer="sgd", loss="mse", metrics=[keras.losses.Huber()])
    logs = model.evaluate(
        np.ones((4, 3), "float32"), np.zeros((4, 1), "float32"), verbose=0, return_dict=True
    )
    # tf_keras 2.21 names it "huber_loss"; prediction 3, label 0: 0.5 + (3 - 1) = 2.5.
    assert logs["huber_loss"] == pytest.approx(2.5)


def test_keras2_generator_methods_warn_and_forward():
    x, y = _blobs(n=64)

    def batches():
        while True:
            for i in range(0, 64, 16):
                yield x[i : i + 16], y[i : i + 16]

    model = Classifier()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    with pytest.warns(UserWarning, match="`Model.fit_generator` is deprecated"):
        history = model.fit_generator(batches(), steps_per_epoch=4, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    with pytest.warns(UserWarning, match="`Model.evaluate_generator` is deprecated"):
        assert np.isfinite(model.evaluate_generator(batches(), steps=2))
    with pytest.warns(UserWarning, match="`Model.predict_generator` is deprecated"):
        assert model.predict_generator((b[0] for b in batches()), steps=2).shape == (32, 3)


def test_sequence_on_epoch_end_is_called_each_epoch():
    calls = []

    class Batches(keras.utils.Sequence):
        def __len__(self):
            return 2

        def __getitem__(self, i):
            return np.ones((4, 2), "float32"), np.zeros((4,), "int64")

        def on_epoch_end(self):
            calls.append(1)

    model = Classifier()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    model.fit(Batches(), epochs=3, verbose=0)
    assert len(calls) == 3  # tf_keras 2.21 calls it once per epoch here too


def test_dataset_of_one_tuples_reaches_train_step_as_a_tuple():
    seen = []

    class Model(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(1)

        def call(self, x):
            return self.dense(x)

        def train_step(self, data):
            seen.append((type(data), tuple(data[0].shape)))
            return {"loss": tf.reduce_mean(self(data[0]))}

    model = Model()
    model.compile(optimizer="sgd")
    dataset = tf.data.Dataset.from_tensor_slices((np.ones((4, 3), "float32"),)).batch(2)
    model.fit(dataset, verbose=0)
    assert seen == [(tuple, (2, 3)), (tuple, (2, 3))]  # (x,) as given, as Keras does


def test_keras2_style_compute_loss_override_evaluates():
    class Model(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(1, kernel_initializer="zeros")

        def call(self, x):
            return self.dense(x)

        def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None):
            return super().compute_loss(x, y, y_pred, sample_weight)

    model = Model()
    model.compile(optimizer="sgd", loss="mse")
    x, y = np.ones((4, 2), "float32"), np.full((4, 1), 2.0, "float32")
    history = model.fit(x, y, validation_data=(x, y), epochs=1, verbose=0)
    assert history.history["loss"][0] == pytest.approx(4.0)  # zeros predict 0: (2 - 0)^2


def test_pandas_columns_and_read_only_arrays_feed_fit(recwarn):
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "c": ["x", "y", "x", "z"]})
    a = keras.Input((1,), name="a")
    c = keras.Input((1,), name="c", dtype="string")
    lookup = keras.layers.StringLookup(vocabulary=["x", "y"], output_mode="one_hot")
    model = keras.Model([a, c], keras.layers.Dense(1)(keras.layers.concatenate([a, lookup(c)])))
    model.compile(optimizer="sgd", loss="mse")
    model.fit(dict(frame), np.zeros(4, "float32"), batch_size=2, verbose=0)
    assert model.predict(dict(frame), verbose=0).shape == (4, 1)
    x = np.arange(16, dtype="float32").reshape(8, 2)
    x.flags.writeable = False
    dense = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    dense.compile(optimizer="sgd", loss="mse")
    dense.fit(x, np.zeros(8, "float32"), verbose=0)
    assert not [w for w in recwarn if "not writable" in str(w.message)]
