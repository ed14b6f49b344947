"""fit's first epoch over data of unknown length counts one more optimizer step, as
tf_keras 2.21 does (keras.io's make_csv_dataset examples: "Structured data learning with
Wide, Deep, and Cross networks"). Expected values from tf_keras 2.21 (/tmp/tfenv,
TF_USE_LEGACY_KERAS=1) on the same data and weights."""

import numpy as np

import tork as tf
from tork import keras


def _data():
    rs = np.random.RandomState(0)
    return rs.rand(80, 3).astype("float32"), rs.rand(80).astype("float32")


def _model(lr=0.1):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.set_weights([np.ones((3, 1), "float32"), np.zeros(1, "float32")])
    model.compile(keras.optimizers.Adam(lr), "mse")
    return model


def test_unknown_cardinality_dataset_matches_tf_keras():
    x, y = _data()
    ds = tf.data.Dataset.from_tensor_slices((x, y)).filter(lambda a, b: True).batch(16)
    model = _model()
    history = model.fit(ds, epochs=3, verbose=0)
    # tf_keras 2.21: 5 batches an epoch, iterations 16 (5 + 1, then 5 and 5).
    assert int(model.optimizer.iterations) == 16
    np.testing.assert_allclose(history.history["loss"], [0.623923, 0.281035, 0.298903], atol=2e-5)
    np.testing.assert_allclose(
        model.get_weights()[0].ravel(), [0.43776897, 0.5391543, 0.45567545], atol=2e-5
    )


def test_counted_once_per_fit_call_and_per_generator():
    x, y = _data()

    def gen():
        for i in range(0, 80, 16):
            yield x[i : i + 16], y[i : i + 16]

    model = _model(0.01)
    model.fit(gen(), epochs=1, verbose=0)
    assert int(model.optimizer.iterations) == 6  # tf_keras 2.21
    ds = tf.data.Dataset.from_tensor_slices((x, y)).filter(lambda a, b: True).batch(16)
    model.fit(ds, epochs=2, verbose=0)
    assert int(model.optimizer.iterations) == 17  # 6 + (5 + 1) + 5
    model.fit(ds, epochs=1, steps_per_epoch=3, verbose=0)
    assert int(model.optimizer.iterations) == 20  # steps_per_epoch: no extra step


def test_known_length_data_counts_only_its_steps():
    x, y = _data()
    ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(16)
    model = _model()
    model.fit(ds, epochs=3, verbose=0)
    assert int(model.optimizer.iterations) == 15  # tf_keras 2.21
    model = _model()
    model.fit(x, y, batch_size=16, epochs=2, verbose=0)
    assert int(model.optimizer.iterations) == 10
