"""tf.random_normal_initializer / tf.random_uniform_initializer: TF 2.21's draw rules."""

import warnings

import numpy as np

import tork as tf


def test_unseeded_tf_initializers_draw_new_values_at_each_call_without_warning():
    # `init = tf.random_normal_initializer()` called for every weight: TF gives each weight
    # its own values (a Keras initializer instance would repeat them).
    for init in (tf.random_normal_initializer(stddev=0.02), tf.random_uniform_initializer()):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            a, b = init((64,)), init((64,))
        assert not np.array_equal(a.numpy(), b.numpy())


def test_set_seed_makes_unseeded_draws_repeatable_and_seeded_calls_repeat():
    tf.random.set_seed(7)
    first = tf.random_normal_initializer()((5,)).numpy()
    tf.random.set_seed(7)
    np.testing.assert_array_equal(tf.random_normal_initializer()((5,)).numpy(), first)
    seeded = tf.random_uniform_initializer(-1.0, 1.0, seed=3)
    np.testing.assert_array_equal(seeded((4,)).numpy(), seeded((4,)).numpy())


def test_draws_follow_the_distribution():
    tf.random.set_seed(0)
    normal = tf.random_normal_initializer(mean=1.0, stddev=0.5)((20000,)).numpy()
    assert abs(normal.mean() - 1.0) < 0.02 and abs(normal.std() - 0.5) < 0.02
    uniform = tf.random_uniform_initializer(2.0, 3.0)((20000,)).numpy()
    assert uniform.min() >= 2.0 and uniform.max() < 3.0 and abs(uniform.mean() - 2.5) < 0.02


def test_configs_name_keras_classes_so_saved_models_load(tmp_path):
    init = tf.random_normal_initializer(0.0, 0.02)
    assert tf.keras.initializers.serialize(init)["class_name"] == "RandomNormal"
    assert tf.keras.initializers.serialize(init)["module"] == "keras.initializers"
    model = tf.keras.Sequential(
        [tf.keras.layers.Dense(2, input_shape=(3,), kernel_initializer=init)]
    )
    model.save(tmp_path / "m.keras")
    loaded = tf.keras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_array_equal(loaded.get_weights()[0], model.get_weights()[0])
    restored = loaded.layers[0].kernel_initializer
    assert type(restored) is tf.keras.initializers.RandomNormal
    assert restored.get_config() == {"mean": 0.0, "stddev": 0.02, "seed": None}
