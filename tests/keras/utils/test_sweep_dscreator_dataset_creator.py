"""`tf.keras.utils.experimental.DatasetCreator` in fit/evaluate/predict.

Expected numbers and messages come from tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) running the
same code in the reference env.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras

_STEPS_MESSAGE = (
    "When using a `tf.keras.utils.experimental.DatasetCreator`, `steps_per_epoch`, "
    "`validation_steps`, `steps`, or `pss_evaluation_shards` argument must be provided"
)


def _creator(rows, calls=None):
    def dataset_fn(input_context):
        if calls is not None:
            calls.append(input_context)
        x = np.arange(rows * 2, dtype="float32").reshape(rows, 2)
        y = x.sum(1, keepdims=True)
        return tf.data.Dataset.from_tensor_slices((x, y)).batch(4)

    return keras.utils.experimental.DatasetCreator(dataset_fn)


def _model(learning_rate):
    model = keras.Sequential([keras.layers.Dense(1, input_shape=(2,))])
    model.set_weights([np.array([[0.1], [0.2]], "float32"), np.zeros(1, "float32")])
    model.compile(keras.optimizers.SGD(learning_rate), "mse")
    return model


def test_dataset_fn_must_be_callable():
    with pytest.raises(TypeError, match="`dataset_fn` for `DatasetCreator` must be a `callable`"):
        keras.utils.experimental.DatasetCreator(3)


def test_input_options_type_checked():
    with pytest.raises(TypeError, match="`input_options` for `DatasetCreator` must be a"):
        keras.utils.experimental.DatasetCreator(lambda c: None, input_options=3)


def test_call_returns_the_dataset_and_checks_it():
    calls = []
    creator = _creator(20, calls)
    assert creator.input_options is None
    dataset = creator(tf.distribute.InputContext())
    assert isinstance(dataset, tf.data.Dataset)
    assert isinstance(calls[0], tf.distribute.InputContext)
    bad = keras.utils.experimental.DatasetCreator(lambda c: 3)
    with pytest.raises(TypeError, match='must return a Dataset. It returns "3"'):
        bad(tf.distribute.InputContext())


@pytest.mark.parametrize("method", ["fit", "evaluate", "predict", "validation"])
def test_steps_are_required(method):
    model = _model(0.0001)
    creator = _creator(20)
    with pytest.raises(ValueError, match=_STEPS_MESSAGE.replace("`", ".").replace("(", ".")):
        if method == "fit":
            model.fit(creator, epochs=1, verbose=0)
        elif method == "validation":
            model.fit(creator, epochs=1, steps_per_epoch=2, validation_data=creator, verbose=0)
        else:
            getattr(model, method)(creator, verbose=0)


def test_fit_continues_through_the_dataset_across_epochs():
    # 5 batches, 3 steps per epoch: tf_keras's iterator is not recreated, so the second
    # epoch has 2 batches and training then stops: loss [472.0265, 1247.9531].
    calls = []
    model = _model(0.0001)
    history = model.fit(_creator(20, calls), epochs=3, steps_per_epoch=3, verbose=0)
    assert len(calls) == 1  # dataset_fn called once
    np.testing.assert_allclose(history.history["loss"], [472.0265197753906, 1247.953125], 1e-5)
    kernel, bias = model.get_weights()
    np.testing.assert_allclose(kernel.ravel(), [0.7046577, 0.8299948], rtol=1e-5)
    np.testing.assert_allclose(bias, [0.02533717], rtol=1e-4)


def test_fit_does_not_restart_even_when_steps_match_the_dataset():
    # 4 batches and steps_per_epoch=4 (a plain dataset restarts here in tf_keras; a
    # DatasetCreator does not): the second epoch is empty, logged as 0.0, validation of
    # 3 batches starts afresh each epoch.
    model = _model(0.0001)
    creator = _creator(16)
    history = model.fit(
        creator,
        epochs=3,
        steps_per_epoch=4,
        validation_data=creator,
        validation_steps=3,
        verbose=0,
    )
    np.testing.assert_allclose(history.history["loss"], [699.8345947265625, 0.0], 1e-5)
    np.testing.assert_allclose(
        history.history["val_loss"], [157.2757568359375, 157.2757568359375], 1e-5
    )
    # evaluate with more steps than batches stops where the data ends.
    assert model.evaluate(creator, steps=10, verbose=0) == pytest.approx(285.091064453125, 1e-5)


def test_evaluate_and_predict_with_steps():
    model = _model(0.0001)
    creator = _creator(20)
    model.fit(creator, epochs=3, steps_per_epoch=3, verbose=0)
    assert model.evaluate(creator, steps=2, verbose=0) == pytest.approx(16.121803283691406, 1e-5)
    assert model.predict(creator, steps=2, verbose=0).shape == (8, 1)
