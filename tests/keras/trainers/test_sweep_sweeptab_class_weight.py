"""`fit(class_weight=...)` on a tf.data Dataset or a generator weighs each batch (Keras 2).

Found by the timeseries/tabular sweep: with a dataset, tork dropped `class_weight` silently
(the TF imbalanced-data tutorial passes class weights with dataset inputs). The constants
are the histories tf_keras 2.21 printed for the same data and starting weights.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras

CLASS_WEIGHT = {0: 1.0, 1: 3.0, 2: 0.5}
# tf_keras 2.21, SGD(0.1), batches of 16, two epochs.
TF_LOSS = [1.69883, 1.48683]
TF_ACCURACY = [0.45312, 0.40625]
TF_WEIGHTED_ACCURACY = [0.46829, 0.67805]
# tf_keras 2.21: arrays with sample_weight = sw * class_weight[y] (tf_keras itself fails to
# trace a dataset of (x, y, sw) together with class_weight; the weights must multiply).
TF_LOSS_SW = [0.9073, 0.83501]
TF_WEIGHTED_ACCURACY_SW = [0.36055, 0.6525]


def _data():
    rng = np.random.RandomState(0)
    x = rng.randn(64, 3).astype("float32")
    labels = rng.randint(0, 3, 64)
    sample_weight = rng.rand(64).astype("float32")
    return x, labels, sample_weight


def _model():
    model = keras.Sequential([keras.layers.Dense(3, activation="softmax", input_shape=(3,))])
    kernel = 0.1 * np.arange(9, dtype="float32").reshape(3, 3)
    model.set_weights([kernel, np.zeros(3, "float32")])
    return model


def _compile(model, loss):
    model.compile(
        optimizer=keras.optimizers.SGD(0.1),
        loss=loss,
        metrics=["accuracy"],
        weighted_metrics=["accuracy"],
    )


@pytest.mark.parametrize("one_hot", [False, True])
def test_class_weight_weighs_dataset_batches(one_hot):
    x, labels, _ = _data()
    y = np.eye(3, dtype="float32")[labels] if one_hot else labels
    model = _model()
    _compile(model, "categorical_crossentropy" if one_hot else "sparse_categorical_crossentropy")
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(16)
    history = model.fit(dataset, epochs=2, verbose=0, class_weight=CLASS_WEIGHT)
    np.testing.assert_allclose(history.history["loss"], TF_LOSS, atol=1e-4)
    np.testing.assert_allclose(history.history["accuracy"], TF_ACCURACY, atol=1e-4)
    np.testing.assert_allclose(
        history.history["weighted_accuracy"], TF_WEIGHTED_ACCURACY, atol=1e-4
    )


def test_class_weight_weighs_mapped_dataset_and_generator_batches():
    x, labels, _ = _data()
    column = labels.reshape(-1, 1)
    model = _model()
    _compile(model, "sparse_categorical_crossentropy")
    mapped = tf.data.Dataset.from_tensor_slices((x, column)).map(lambda a, b: (a, b)).batch(16)
    history = model.fit(mapped, epochs=2, verbose=0, class_weight=CLASS_WEIGHT)
    np.testing.assert_allclose(history.history["loss"], TF_LOSS, atol=1e-4)

    def batches():
        while True:
            for start in range(0, 64, 16):
                yield x[start : start + 16], column[start : start + 16]

    model = _model()
    _compile(model, "sparse_categorical_crossentropy")
    history = model.fit(
        batches(), steps_per_epoch=4, epochs=2, verbose=0, class_weight=CLASS_WEIGHT
    )
    np.testing.assert_allclose(history.history["loss"], TF_LOSS, atol=1e-4)
    np.testing.assert_allclose(
        history.history["weighted_accuracy"], TF_WEIGHTED_ACCURACY, atol=1e-4
    )


def test_class_weight_multiplies_dataset_sample_weights():
    x, labels, sample_weight = _data()
    model = _model()
    _compile(model, "sparse_categorical_crossentropy")
    dataset = tf.data.Dataset.from_tensor_slices((x, labels, sample_weight)).batch(16)
    history = model.fit(dataset, epochs=2, verbose=0, class_weight=CLASS_WEIGHT)
    np.testing.assert_allclose(history.history["loss"], TF_LOSS_SW, atol=1e-4)
    np.testing.assert_allclose(
        history.history["weighted_accuracy"], TF_WEIGHTED_ACCURACY_SW, atol=1e-4
    )


def test_evaluate_of_a_dataset_keeps_its_sample_weights():
    # evaluate takes no class_weight: a dataset's own sample weights still count.
    x, labels, sample_weight = _data()
    model = _model()
    _compile(model, "sparse_categorical_crossentropy")
    dataset = tf.data.Dataset.from_tensor_slices((x, labels, sample_weight)).batch(16)
    from_dataset = model.evaluate(dataset, verbose=0)
    from_arrays = model.evaluate(x, labels, sample_weight=sample_weight, verbose=0, batch_size=16)
    np.testing.assert_allclose(from_dataset, from_arrays, rtol=1e-6)


@pytest.mark.parametrize("class_weight", [{1: 2.0}, {"0": 1.0, "1": 2.0}])
@pytest.mark.parametrize("as_dataset", [False, True])
def test_class_weight_keys_must_be_the_classes(class_weight, as_dataset):
    # tf_keras 2.21 raises this ValueError for both, with arrays and with datasets.
    x, labels, _ = _data()
    model = _model()
    _compile(model, "sparse_categorical_crossentropy")
    data = (
        (tf.data.Dataset.from_tensor_slices((x, labels)).batch(16),) if as_dataset else (x, labels)
    )
    with pytest.raises(ValueError) as info:
        model.fit(*data, class_weight=class_weight, verbose=0)
    assert str(info.value) == (
        "Expected `class_weight` to be a dict with keys from 0 to one less than the number "
        f"of classes, found {class_weight}. Give every class an integer key and a weight, "
        "e.g. class_weight={0: 1.0, 1: 5.0} for two classes."
    )


def test_class_weight_accepts_numpy_integer_keys():
    x, labels, _ = _data()
    model = _model()
    _compile(model, "sparse_categorical_crossentropy")
    class_weight = {np.int64(k): np.float64(v) for k, v in CLASS_WEIGHT.items()}
    history = model.fit(
        x, labels, batch_size=16, epochs=2, verbose=0, shuffle=False, class_weight=class_weight
    )
    np.testing.assert_allclose(history.history["loss"], TF_LOSS, atol=1e-4)
