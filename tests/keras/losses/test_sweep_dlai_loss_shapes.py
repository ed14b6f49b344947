"""Loss shape errors on the DeepLearning.AI time-series mistakes (C4: return_sequences)."""

import numpy as np
import pytest

from tork import keras


def _sequence_model():
    # The last LSTM keeps return_sequences=True: the output is (batch, steps, 1).
    model = keras.Sequential(
        [keras.layers.LSTM(3, return_sequences=True, input_shape=[None, 1]), keras.layers.Dense(1)]
    )
    return model


@pytest.mark.parametrize(
    "loss, owner",
    [
        ("mse", "mean_squared_error"),
        ("mae", "mean_absolute_error"),
        (keras.losses.Huber(), "Huber"),
    ],
)
def test_sequence_output_with_one_label_per_window(loss, owner):
    model = _sequence_model()
    model.compile(loss=loss, optimizer="sgd")
    x = np.ones((8, 5, 1), "float32")
    y = np.ones(8, "float32")
    with pytest.raises(ValueError) as info:
        model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    message = str(info.value)
    assert message.startswith(
        f"{owner}: labels of shape (8,) do not match predictions of shape (8, 5, 1). "
    )
    assert "The model outputs a sequence (batch, steps, features) but the labels have one " in (
        message
    )
    assert "set return_sequences=False on the last recurrent layer" in message


def test_standalone_loss_gets_the_sequence_hint():
    y_pred = np.ones((4, 6, 2), "float32")
    with pytest.raises(ValueError, match=r"\(4, 2\) do not match .* outputs a sequence"):
        keras.losses.MeanSquaredError()(np.ones((4, 2), "float32"), y_pred)


def test_other_mismatches_keep_their_hints():
    y_pred = np.ones((4, 1), "float32")
    with pytest.raises(ValueError, match=r"make the last layer output 3 units"):
        keras.losses.MeanSquaredError()(np.ones((4, 3), "float32"), y_pred)
    with pytest.raises(ValueError, match=r"Make the model's output shape match"):
        keras.losses.MeanSquaredError()(np.ones((4, 5), "float32"), np.ones((4, 6, 7), "float32"))


def test_matching_sequence_labels_give_the_mean_squared_error():
    y_pred = np.arange(12, dtype="float32").reshape(2, 3, 2)
    y_true = np.zeros((2, 3, 2), "float32")
    # mean over everything of i**2 for i in 0..11 = 506 / 12
    value = float(keras.losses.MeanSquaredError()(y_true, y_pred))
    assert value == pytest.approx(506 / 12)
