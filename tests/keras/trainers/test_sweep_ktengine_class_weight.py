"""`fit(class_weight=...)` on labels of rank 2 or more weighs each pixel or step (Keras 2).

Found by the tf_keras engine-test sweep (training_test's segmentation class weights): tork
weighed each sample by the class of its first pixel, a silent wrong loss. Keras 2 takes the
class of every entry of all but the labels' last axis (argmax of one-hot rows, else the
squeezed value, rounded) and multiplies those weights with `sample_weight`. The constants
are the losses tf_keras 2.21 printed for the same data and weights (SGD(0.0), one step).
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras
L = keras.layers

# tf_keras 2.21 (TF_USE_LEGACY_KERAS=1), same scripts.
TF_SEGMENTATION_WITH_SAMPLE_WEIGHT = 5.85926628112793
TF_SEGMENTATION_BATCHES_OF_ONE = 2.9296329021453857
TF_SEQUENCE_SPARSE_COLUMN = 1.7165818214416504
TF_SEQUENCE_SPARSE_MATRIX = 0.823959231376648  # Keras 2 takes the argmax over the steps
TF_FLOAT_LABELS_ROUNDED = 1.529555320739746


def _segmentation_model():
    model = keras.Sequential(
        [
            keras.Input((3, 3, 2)),
            L.Conv2D(3, 1, activation="softmax", kernel_initializer="ones"),
        ]
    )
    model.compile(keras.optimizers.SGD(0.0), "categorical_crossentropy")
    x = np.linspace(0, 1, 2 * 3 * 3 * 2).reshape(2, 3, 3, 2).astype("float32")
    y = np.eye(3)[np.arange(18).reshape(2, 3, 3) % 3]
    return model, x, y


def test_segmentation_class_weight_weighs_each_pixel_times_sample_weight():
    model, x, y = _segmentation_model()
    history = model.fit(
        x,
        y,
        class_weight={0: 1.0, 1: 2.0, 2: 5.0},
        sample_weight=np.array([1.0, 3.0]),
        batch_size=2,
        verbose=0,
    )
    assert history.history["loss"][0] == pytest.approx(TF_SEGMENTATION_WITH_SAMPLE_WEIGHT, 1e-5)


def test_segmentation_class_weight_per_pixel_matches_numpy():
    model, x, y = _segmentation_model()
    history = model.fit(
        x, y, class_weight={0: 1.0, 1: 2.0, 2: 5.0}, batch_size=1, shuffle=False, verbose=0
    )
    assert history.history["loss"][0] == pytest.approx(TF_SEGMENTATION_BATCHES_OF_ONE, 1e-5)
    # The same by hand: per-pixel cross-entropy times the pixel's class weight, averaged.
    probs = model.predict(x, verbose=0)
    table = np.array([1.0, 2.0, 5.0])
    per_pixel = -np.log((probs * y).sum(-1)) * table[y.argmax(-1)]
    assert per_pixel.reshape(2, -1).mean(1).mean() == pytest.approx(
        TF_SEGMENTATION_BATCHES_OF_ONE, 1e-5
    )


def _sequence_model():
    model = keras.Sequential(
        [keras.Input((4, 3)), L.Dense(3, activation="softmax", kernel_initializer="ones")]
    )
    model.compile(keras.optimizers.SGD(0.0), "sparse_categorical_crossentropy")
    x = np.linspace(0, 1, 2 * 4 * 3).reshape(2, 4, 3).astype("float32")
    labels = np.array([[0, 1, 2, 1], [2, 2, 0, 1]])
    return model, x, labels


def test_sequence_labels_with_last_axis_one_weigh_each_step():
    model, x, labels = _sequence_model()
    cw = {0: 1.0, 1: 3.0, 2: 0.5}
    history = model.fit(x, labels[..., None], class_weight=cw, batch_size=2, verbose=0)
    assert history.history["loss"][0] == pytest.approx(TF_SEQUENCE_SPARSE_COLUMN, 1e-5)
    # A tf.data Dataset is weighed batch by batch the same way.
    ds = tf.data.Dataset.from_tensor_slices((x, labels[..., None])).batch(2)
    history = model.fit(ds, class_weight=cw, verbose=0)
    assert history.history["loss"][0] == pytest.approx(TF_SEQUENCE_SPARSE_COLUMN, 1e-5)


def test_sequence_label_matrix_follows_keras2_argmax():
    model, x, labels = _sequence_model()
    history = model.fit(x, labels, class_weight={0: 1.0, 1: 3.0, 2: 0.5}, batch_size=2, verbose=0)
    assert history.history["loss"][0] == pytest.approx(TF_SEQUENCE_SPARSE_MATRIX, 1e-5)


def test_float_labels_round_to_the_nearest_class():
    x = np.linspace(0, 1, 24).reshape(2, 4, 3).astype("float32")[0]
    model = keras.Sequential(
        [keras.Input((3,)), L.Dense(1, activation="sigmoid", kernel_initializer="ones")]
    )
    model.compile(keras.optimizers.SGD(0.0), "binary_crossentropy")
    history = model.fit(x, np.array([0.2, 0.7, 1.0, 0.0]), class_weight={0: 1.0, 1: 4.0}, verbose=0)
    assert history.history["loss"][0] == pytest.approx(TF_FLOAT_LABELS_ROUNDED, 1e-5)
