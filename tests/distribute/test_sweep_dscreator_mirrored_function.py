"""`MirroredStrategy.run` of a `tf.function` that was called before (tf_keras benchmarks'
mnist_conv_custom_training: the same `train_step` runs plainly, then under
`strategy.run` with a new model and optimizer).

TensorFlow runs a tf.function given to MirroredStrategy.run through a copy made for the
strategy, so that copy's first call may create variables (the new optimizer's slots).
Expected values from TF 2.21 + tf_keras 2.21 running the same code (reference env).
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras


def _model_and_optimizer():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    model.set_weights([np.ones((3, 2), "float32"), np.zeros(2, "float32")])
    return model, keras.optimizers.Adam(0.1)


def _step_function():
    @tf.function
    def step(x, model, optimizer):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(model(x) ** 2)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    return step


@pytest.mark.parametrize("outer_function", [True, False])
def test_mirrored_run_of_a_called_function_may_create_variables(outer_function):
    step = _step_function()
    x = tf.ones((1, 3))
    step(x, *_model_and_optimizer())  # creates the first optimizer's slots
    strategy = tf.distribute.MirroredStrategy()

    def distributed_step(x, model, optimizer):
        return strategy.run(step, args=(x, model, optimizer))

    if outer_function:
        distributed_step = tf.function(distributed_step)
    with strategy.scope():
        model, optimizer = _model_and_optimizer()
    first = distributed_step(x, model, optimizer)
    second = distributed_step(x, model, optimizer)
    # TF: 18.0, 13.520030975341797, kernel row [0.8006273, 0.8006273]
    assert float(first) == pytest.approx(18.0)
    assert float(second) == pytest.approx(13.520030975341797, rel=1e-5)
    np.testing.assert_allclose(model.get_weights()[0][0], [0.8006273, 0.8006273], rtol=1e-5)


@pytest.mark.parametrize("strategy_kind", ["default", "one_device", "none"])
def test_other_runs_still_refuse_variables_on_a_later_call(strategy_kind):
    # TF raises here too: only MirroredStrategy (and MultiWorkerMirrored) copies the
    # function; the default strategy, OneDeviceStrategy and a plain nested tf.function
    # call it as it is, whose first call is over.
    step = _step_function()
    x = tf.ones((1, 3))
    step(x, *_model_and_optimizer())
    if strategy_kind == "none":
        outer = tf.function(lambda x, m, o: step(x, m, o))
    else:
        strategy = (
            tf.distribute.get_strategy()
            if strategy_kind == "default"
            else tf.distribute.OneDeviceStrategy("/cpu:0")
        )
        outer = tf.function(lambda x, m, o: strategy.run(step, args=(x, m, o)))
    with pytest.raises(ValueError, match="tf.Variable"):
        outer(x, *_model_and_optimizer())
