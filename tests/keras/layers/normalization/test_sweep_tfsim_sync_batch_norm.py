"""`tf.keras.layers.experimental.SyncBatchNormalization` (Keras 2's synchronized BN)."""

import numpy as np

import tork as tf


def _x():
    return np.random.RandomState(0).randn(4, 3).astype("float32") * 2 + 1


def test_values_weights_and_config_match_keras2():
    layer = tf.keras.layers.experimental.SyncBatchNormalization(momentum=0.9, name="sbn")
    y = layer(_x(), training=True)
    # tf_keras 2.21 with the same input.
    np.testing.assert_allclose(
        np.asarray(y),
        [
            [0.5965, -0.2123, 0.6769],
            [1.2695, 1.6762, -1.39],
            [-0.5523, -0.922, -0.4664],
            [-1.3137, -0.5419, 1.1794],
        ],
        atol=2e-4,
    )
    assert [w.name for w in layer.weights] == [
        "sbn/gamma:0",
        "sbn/beta:0",
        "sbn/moving_mean:0",
        "sbn/moving_variance:0",
    ]
    np.testing.assert_allclose(layer.moving_mean.numpy(), [0.3683, 0.213, 0.1676], atol=2e-4)
    np.testing.assert_allclose(layer.moving_variance.numpy(), [1.1007, 1.1414, 1.2581], atol=2e-4)
    config = layer.get_config()
    assert "synchronized" not in config  # Keras 2's config of this class has none
    assert layer.synchronized
    clone = tf.keras.layers.experimental.SyncBatchNormalization.from_config(config)
    assert type(clone).__name__ == "SyncBatchNormalization" and clone.momentum == 0.9


def test_built_from_a_batch_norm_config():
    # tensorflow_similarity's convert_sync_batchnorm: SyncBatchNormalization(**bn.get_config()),
    # where tork's BatchNormalization config carries `synchronized: False`.
    bn = tf.keras.layers.BatchNormalization(epsilon=1e-5, name="bn")
    sync = tf.keras.layers.experimental.SyncBatchNormalization(**bn.get_config())
    assert sync.synchronized and sync.epsilon == 1e-5 and sync.name == "bn"


def test_saved_model_reloads_the_class(tmp_path):
    inputs = tf.keras.Input((3,))
    outputs = tf.keras.layers.experimental.SyncBatchNormalization(name="sbn")(inputs)
    model = tf.keras.Model(inputs, outputs)
    model(_x(), training=True)
    path = str(tmp_path / "m.keras")
    model.save(path)
    loaded = tf.keras.models.load_model(path)
    assert type(loaded.get_layer("sbn")).__name__ == "SyncBatchNormalization"
    np.testing.assert_allclose(loaded.predict(_x(), verbose=0), model.predict(_x(), verbose=0))
