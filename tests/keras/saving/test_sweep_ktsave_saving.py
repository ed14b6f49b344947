"""Saving as Keras 2's own unit tests state it (tf_keras saving_lib_test.py).

Expected behaviour from running the same scripts on tf_keras 2.21
(TF_USE_LEGACY_KERAS=1).
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras


def _functional():
    inputs = keras.Input(shape=(4,))
    outputs = keras.layers.Dense(1)(keras.layers.Dense(2)(inputs))
    return keras.Model(inputs, outputs)


def test_save_format_keras_v3_is_the_keras_format(tmp_path):
    model = _functional()
    x = np.random.default_rng(0).random((3, 4)).astype("float32")
    path = str(tmp_path / "m.keras")
    model.save(path, save_format="keras_v3")
    np.testing.assert_allclose(keras.models.load_model(path).predict(x, verbose=0), model(x))


@keras.utils.register_keras_serializable(package="ktsave")
class _GAN(keras.Model):
    # The keras.io GAN pattern: compile() takes its own arguments.
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.generator = keras.layers.Dense(2)
        self.discriminator = keras.layers.Dense(1)

    def call(self, x):
        return self.discriminator(self.generator(x))

    def compile(self, d_optimizer, g_optimizer, loss_fn):
        super().compile()
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.loss_fn = loss_fn


@keras.utils.register_keras_serializable(package="ktsave")
class _PassThroughCompile(keras.Sequential):
    def compile(self, *args, **kwargs):
        super().compile(*args, **kwargs)


def test_model_with_custom_compile_loads_uncompiled_with_keras2_warning(tmp_path):
    model = _GAN()
    x = np.ones((2, 3), "float32")
    model(x)
    model.compile(
        keras.optimizers.Adam(), keras.optimizers.Adam(), keras.losses.BinaryCrossentropy()
    )
    path = str(tmp_path / "gan.keras")
    model.save(path)
    with pytest.warns(UserWarning, match="`compile\\(\\)` was not called as part of model loading"):
        loaded = keras.models.load_model(path)
    # tf_keras 2.21: uncompiled, the weights (and nothing else) restored.
    assert type(loaded) is _GAN and not loaded._is_compiled
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_pass_through_compile_override_also_loads_uncompiled(tmp_path):
    model = _PassThroughCompile([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("rmsprop", "mse")
    path = str(tmp_path / "m.keras")
    model.save(path)
    with pytest.warns(UserWarning, match="the model's `compile\\(\\)` method is custom"):
        loaded = keras.models.load_model(path)
    assert not loaded._is_compiled  # tf_keras 2.21: False


def test_h5_dataset_stored_in_another_file_is_refused(tmp_path):
    # Newer tf_keras refuses HDF5 external storage ("external Dataset"): a downloaded
    # file could otherwise make loading read any file of the machine into the weights.
    import h5py

    secret = tmp_path / "secret.bin"
    secret.write_bytes(b"S" * 64)
    path = str(tmp_path / "malicious.h5")
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(4, use_bias=False)])
    model.save(path)
    kernels = []
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, obj: kernels.append(name) if name.endswith("kernel:0") else None)
    with h5py.File(path, "r+") as f:
        shape, dtype = f[kernels[0]].shape, f[kernels[0]].dtype
        del f[kernels[0]]
        f.create_dataset(
            kernels[0], shape=shape, dtype=dtype, external=[(str(secret), 0, h5py.h5f.UNLIMITED)]
        )
    with pytest.raises(ValueError, match="is an external Dataset"):
        keras.models.load_model(path)
    with pytest.raises(ValueError, match="is an external Dataset"):
        model.load_weights(path)


def test_save_weights_format_tensorflow_is_the_checkpoint(tmp_path):
    model = _functional()
    prefix = str(tmp_path / "ckpt")
    model.save_weights(prefix, save_format="tensorflow")
    assert (tmp_path / "ckpt.index").exists()
    clone = _functional()
    clone.load_weights(prefix)
    for a, b in zip(model.get_weights(), clone.get_weights()):
        np.testing.assert_array_equal(a, b)


class _Other(keras.Model):
    def __init__(self):
        super().__init__()
        self.other = keras.layers.Dense(2)

    def call(self, x):
        return self.other(x)


def test_load_weights_of_a_checkpoint_that_matches_nothing_raises(tmp_path):
    # tf_keras 2.21 raises AssertionError ("Nothing except the root object matched a
    # checkpointed value") instead of loading nothing.
    saved = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="x1")])
    prefix = str(tmp_path / "a")
    saved.save_weights(prefix)
    model = _Other()
    model(np.ones((1, 3), "float32"))
    with pytest.raises(AssertionError, match="nothing except the root object matched"):
        model.load_weights(prefix)
    empty = tf.train.Checkpoint().save(str(tmp_path / "empty"))
    with pytest.raises(AssertionError, match="does not match the Python program"):
        model.load_weights(empty)


def test_keras_2_0_sequential_config_as_a_list_of_layers():
    # A TF 1.2 era config (tf_keras generic_utils_test): the Sequential's config is the
    # list of its layers. tf_keras 2.21 loads it; the output is x @ ones (hand-computed).
    old = {
        "class_name": "Sequential",
        "config": [
            {
                "class_name": "Dense",
                "config": {
                    "name": "dense_1",
                    "trainable": True,
                    "batch_input_shape": [None, 6],
                    "dtype": "float32",
                    "units": 3,
                    "activation": "linear",
                    "use_bias": True,
                    "kernel_initializer": {"class_name": "Ones", "config": {"dtype": "float32"}},
                    "bias_initializer": {"class_name": "Zeros", "config": {"dtype": "float32"}},
                    "kernel_regularizer": None,
                    "bias_regularizer": None,
                    "activity_regularizer": None,
                    "kernel_constraint": None,
                    "bias_constraint": None,
                },
            }
        ],
    }
    x = np.random.default_rng(0).normal(2, 1, (5, 6)).astype("float32")
    for model in (
        keras.saving.deserialize_keras_object(old, module_objects={"Sequential": keras.Sequential}),
        keras.models.model_from_config(old),
    ):
        assert type(model) is keras.Sequential
        assert [layer.name for layer in model.layers] == ["dense_1"]
        np.testing.assert_allclose(
            model.predict(x, verbose=0), np.repeat(x.sum(1, keepdims=True), 3, 1), rtol=1e-5
        )


def test_clone_model_of_a_non_model_names_the_argument():
    # tf_keras 2.21 fails with "'NoneType' object has no attribute 'from_config'".
    with pytest.raises(ValueError, match="clone_model expects a Keras Model .* got NoneType"):
        keras.models.clone_model(None)


def _two_dense():
    inputs = keras.Input(shape=(2,))
    return keras.Model(inputs, keras.layers.Dense(1)(keras.layers.Dense(3)(inputs)))


def test_load_weights_before_compile_restores_the_optimizer_state(tmp_path):
    # tf_keras 2.21 (deferred restoration): load_weights(checkpoint), then compile and
    # train, continues exactly as the saved model does (same predictions, step 2).
    rng = np.random.default_rng(0)
    x = rng.random((3, 2)).astype("float32")
    y = rng.random((3,)).astype("float32")
    prefix = str(tmp_path / "ckpt")
    model = _two_dense()
    model.compile(loss="mse", optimizer=keras.optimizers.Adam(0.1))
    model.train_on_batch(x, y)
    model.save_weights(prefix)
    model.train_on_batch(x, y)
    expected = model.predict(x, verbose=0)

    resumed = _two_dense()
    resumed.load_weights(prefix)
    resumed.compile(loss="mse", optimizer=keras.optimizers.Adam(0.1))
    resumed.train_on_batch(x, y)
    assert int(resumed.optimizer.iterations.numpy()) == 2
    np.testing.assert_allclose(resumed.predict(x, verbose=0), expected, rtol=1e-5, atol=1e-6)
