"""Keras 2's `keras.utils.layer_utils` module: `count_params`, `print_summary`, ..."""

import numpy as np

import tork as tf
from tork.keras.utils import layer_utils

keras = tf.keras


def test_count_params_counts_each_weight_once():
    dense = keras.layers.Dense(3, name="d")
    dense.build((None, 2))
    norm = keras.layers.BatchNormalization(name="bn")
    norm.build((None, 3))
    # tf_keras 2.21's layer_utils: 21 (int), 84 bytes, 0 for no weights.
    count = layer_utils.count_params(dense.weights + dense.weights + norm.weights)
    assert count == 21 and type(count) is int
    assert layer_utils.weight_memory_size(dense.weights + norm.weights) == 84
    assert layer_utils.count_params([]) == 0


def test_old_import_path_names():
    from tork.keras.utils.layer_utils import count_params, get_source_inputs, to_categorical

    inp = keras.Input((2,), name="src_in")
    out = keras.layers.Dense(1)(inp)
    assert get_source_inputs(out)[0] is inp
    assert count_params(keras.Model(inp, out).trainable_weights) == 3
    # Other `keras.utils` names stay reachable through the old module, as before.
    np.testing.assert_array_equal(to_categorical([1], 3), [[0.0, 1.0, 0.0]])


def test_print_summary_long_names():
    model = keras.Sequential(
        [
            keras.Input((8, 8, 3)),
            keras.layers.Conv2D(4, 3, name="Really-Long-name-test"),
            keras.layers.Conv2D(4, 3, name="Another-long-name-test"),
            keras.layers.Flatten(name="flatten"),
            keras.layers.Dense(2, name="long-name-test-output"),
        ],
        name="sequential",
    )
    lines = []
    layer_utils.print_summary(model, print_fn=lambda text, **kwargs: lines.append(text))
    text = "\n".join(lines).split("\n")
    # tf_keras 2.21, tf_keras.src.utils.layer_utils.print_summary on the same model.
    assert text == [
        'Model: "sequential"',
        "_" * 65,
        " Layer (type)                Output Shape              Param #   ",
        "=" * 65,
        " Really-Long-name-test (Con  (None, 6, 6, 4)           112       ",
        " v2D)                                                            ",
        " " * 65,
        " Another-long-name-test (Co  (None, 4, 4, 4)           148       ",
        " nv2D)                                                           ",
        " " * 65,
        " flatten (Flatten)           (None, 64)                0         ",
        " " * 65,
        " long-name-test-output (Den  (None, 2)                 130       ",
        " se)                                                             ",
        " " * 65,
        "=" * 65,
        "Total params: 390 (1.52 KB)",
        "Trainable params: 390 (1.52 KB)",
        "Non-trainable params: 0 (0.00 Byte)",
        "_" * 65,
    ]
