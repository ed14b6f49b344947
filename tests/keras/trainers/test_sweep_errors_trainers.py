"""fit/predict errors and conversions for common data mistakes (sweep 'errors')."""

import numpy as np
import pytest

from tork import keras


def _model(units=3):
    return keras.Sequential(
        [keras.Input((4,)), keras.layers.Dense(units, kernel_initializer="ones")]
    )


def test_fit_without_targets_names_the_loss():
    model = _model()
    model.compile("sgd", "mse")
    with pytest.raises(
        ValueError,
        match=r"Target data is missing\. Your model was compiled with loss=mse, and therefore "
        r"expects target data to be provided in `fit\(\)`",
    ):
        model.fit(np.zeros((4, 4), "float32"), verbose=0)


def test_generator_yielding_only_x_names_the_loss():
    def batches():
        while True:
            yield np.zeros((2, 4), "float32")

    model = _model()
    model.compile("sgd", "mean_absolute_error")
    with pytest.raises(ValueError, match=r"Target data is missing.*loss=mean_absolute_error"):
        model.fit(batches(), steps_per_epoch=2, verbose=0)


def test_evaluate_without_targets_is_zero_as_keras():
    model = _model()
    model.compile("sgd", "mse")
    assert model.evaluate(np.zeros((4, 4), "float32"), verbose=0) == 0.0


def test_add_loss_model_trains_without_targets():
    class Penalised(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(1)

        def call(self, x):
            y = self.dense(x)
            self.add_loss(keras.ops.mean(y**2))
            return y

    model = Penalised()
    model.compile("sgd")
    history = model.fit(np.ones((4, 4), "float32"), verbose=0)
    assert np.isfinite(history.history["loss"][0])


def test_predict_on_nested_python_lists_is_one_array():
    # Keras 2 reads a list of equal-length lists of numbers as one array (the iris idiom
    # `model.predict([[5.1, 3.5, 1.4, 0.2]])`).
    model = _model()
    out = model.predict([[5.1, 3.5, 1.4, 0.2]], verbose=0)
    np.testing.assert_allclose(out, [[10.2, 10.2, 10.2]], rtol=1e-6)
    out = model.predict([[1.0, 2.0, 3.0, 4.0], [1, 1, 1, 1]], verbose=0)
    np.testing.assert_allclose(out, [[10.0] * 3, [4.0] * 3], rtol=1e-6)


def test_evaluate_on_nested_python_lists():
    model = _model()
    model.compile("sgd", "mse")
    # Predictions 10 and 4 against labels 1 and 0: ((9^2) * 3 + (4^2) * 3) / 6 = 48.5.
    loss = model.evaluate([[1.0, 2.0, 3.0, 4.0], [1, 1, 1, 1]], [[1.0, 1, 1], [0, 0, 0]], verbose=0)
    assert loss == pytest.approx(48.5)


def test_multi_input_list_of_arrays_unchanged():
    a, b = keras.Input((1,)), keras.Input((1,))
    model = keras.Model([a, b], keras.layers.Add()([a, b]))
    out = model.predict([np.array([[1.0], [2.0]]), np.array([[3.0], [4.0]])], verbose=0)
    np.testing.assert_allclose(out, [[4.0], [6.0]])
