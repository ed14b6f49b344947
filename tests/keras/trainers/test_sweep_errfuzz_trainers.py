"""errfuzz: fit/evaluate/predict mistakes that hung or trained nothing now raise.

References (tf_keras 2.21 under TF_USE_LEGACY_KERAS=1, /tmp/tfenv):
- an infinite dataset (`.repeat()`) without steps_per_epoch / validation_steps / steps:
  ValueError "When providing an infinite dataset, you must specify the number of steps to
  run ..." (tork ran forever);
- `fit(..., epochs=-1)`: ValueError "Expected epochs to be positive. Received is -1." (tork
  returned an empty history without a word);
- `fit([[1, 2, 3, 4], [1, 2]], y)`: ValueError (no data adapter for ragged lists); tork gave
  NumPy's "setting an array element with a sequence".
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras


def _model():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, kernel_initializer="ones")])
    model.compile(keras.optimizers.SGD(0.1), "mse")
    return model


def _repeating():
    data = (np.ones((8, 4), "float32"), np.zeros((8, 3), "float32"))
    return tf.data.Dataset.from_tensor_slices(data).batch(4).repeat()


_INFINITE = "When providing an infinite dataset, you must specify the number of steps"


def test_fit_on_an_infinite_dataset_needs_steps_per_epoch():
    with pytest.raises(ValueError, match=_INFINITE + r".*no `steps_per_epoch`.*\.repeat\(\)"):
        _model().fit(_repeating(), verbose=0)


def test_infinite_validation_data_needs_validation_steps():
    with pytest.raises(ValueError, match=r"fit\(validation_data\).*no `validation_steps`"):
        _model().fit(_repeating(), steps_per_epoch=2, validation_data=_repeating(), verbose=0)


@pytest.mark.parametrize("method", ["evaluate", "predict"])
def test_evaluate_and_predict_on_an_infinite_dataset_need_steps(method):
    with pytest.raises(ValueError, match=_INFINITE + rf".*{method} received.*no `steps`"):
        getattr(_model(), method)(_repeating(), verbose=0)


def test_infinite_dataset_with_steps_still_runs():
    model = _model()
    history = model.fit(
        _repeating(),
        steps_per_epoch=2,
        validation_data=_repeating(),
        validation_steps=1,
        verbose=0,
    )
    # Loss of the first step: ones @ ones-kernel = 4 per unit, target 0 -> mse 16.
    assert history.history["loss"][0] > 0
    assert sorted(history.history) == ["loss", "val_loss"]
    assert model.predict(_repeating(), steps=2, verbose=0).shape == (8, 3)
    # evaluate on 1 batch of ones after no training: each output is 4 -> mse 16.
    assert _model().evaluate(_repeating(), steps=1, verbose=0) == pytest.approx(16.0)


def test_negative_epochs_raise():
    with pytest.raises(ValueError, match=r"fit\(\) expects `epochs` to be at least 0.*epochs=-1"):
        _model().fit(np.ones((4, 4)), np.ones((4, 3)), epochs=-1, verbose=0)


def test_zero_epochs_still_train_nothing():
    model = _model()
    assert model.fit(np.ones((4, 4)), np.ones((4, 3)), epochs=0, verbose=0).history == {}
    np.testing.assert_array_equal(model.layers[0].kernel.numpy(), np.ones((4, 3)))


@pytest.mark.parametrize("method", ["fit", "predict"])
def test_ragged_python_lists_say_pad_sequences(method):
    model = _model()
    args = ([[1, 2, 3, 4], [1, 2]],) + ((np.ones((2, 3)),) if method == "fit" else ())
    with pytest.raises(
        ValueError,
        match=rf"{method} received x as a Python list of rows of different lengths \(2, 4\).*"
        r"pad_sequences",
    ):
        getattr(model, method)(*args, verbose=0)


def _two_outputs():
    i = keras.Input((4,))
    dense = {"kernel_initializer": "ones", "bias_initializer": "zeros"}
    return keras.Model(
        i,
        [
            keras.layers.Dense(2, name="o1", **dense)(i),
            keras.layers.Dense(2, name="o2", **dense)(i),
        ],
    )


def test_loss_weights_dict_with_a_key_that_is_no_output():
    # tf_keras 2.21: ValueError "Found unexpected losses or metrics that do not correspond to
    # any Model output: dict_keys(['o9'])"; tork ignored the key (o2 kept weight 1).
    model = _two_outputs()
    model.compile("sgd", "mse", loss_weights={"o1": 1.0, "o9": 2.0})
    with pytest.raises(
        ValueError,
        match=r"compile\(loss_weights=\.\.\.\) has keys \['o9'\] that are not output names of "
        r"the model; the outputs are \['o1', 'o2'\]",
    ):
        model.fit(np.ones((6, 4)), [np.zeros((6, 2))] * 2, verbose=0)


def test_loss_weights_dict_by_output_name_weighs_the_losses():
    model = _two_outputs()
    model.compile("sgd", "mse", loss_weights={"o1": 1.0, "o2": 2.0})
    # Each output is 4 (ones @ ones-kernel over 4 inputs), labels 0: mse 16 per output;
    # total = 1 * 16 + 2 * 16.
    result = model.evaluate(np.ones((6, 4)), [np.zeros((6, 2))] * 2, verbose=0)
    assert result == pytest.approx([48.0, 16.0, 16.0])
