"""Optimizers with extra state in TensorFlow's checkpoints, both directions.

tests/train/data/tf_optimizers/<name> were written by TensorFlow 2.21 / tf_keras 2.21
(`make_tf_checkpoints.py optimizers`): `Checkpoint(v=, w=, optimizer=)` after two steps
of `sum(v**2) + sum(sin(w))`; TF_NEXT holds what TensorFlow printed after one more step.
Before this, tork restored legacy RMSprop's `rms`/`mg`, Adadelta's `accum_*`, Adamax's
`v` and Nadam's `momentum_cache` into nothing (training went on from zero state: a
silent difference), and wrote `use_ema`'s averages after the slots where TensorFlow,
which restores `_variables` by position, expects them first.
"""

import os

import numpy as np
import pytest

import tork as tf

keras = tf.keras
K = keras.optimizers
DATA = os.path.join(os.path.dirname(__file__), "data", "tf_optimizers")
MAKERS = {
    "ema": lambda: K.Adam(0.1, use_ema=True, ema_momentum=0.5),
    "adafactor": lambda: K.Adafactor(0.1),
    "legacy_nadam": lambda: K.legacy.Nadam(0.1),
    "legacy_ftrl": lambda: K.legacy.Ftrl(0.1, l1_regularization_strength=0.01),
    "legacy_rmsprop": lambda: K.legacy.RMSprop(0.1, momentum=0.5, centered=True),
    "legacy_adadelta": lambda: K.legacy.Adadelta(0.5),
    "legacy_adamax": lambda: K.legacy.Adamax(0.1),
}
# tf_keras 2.21 after restoring and one more step: [v, w].
TF_NEXT = {
    "ema": [
        [0.7015886306762695, -1.7006256580352783],
        [[-0.7991589307785034, -0.2999098300933838], [0.19967269897460938, 0.6995392441749573]],
    ],
    "adafactor": [
        [0.5987439155578613, -1.5821772813796997],
        [[-0.6556796431541443, -0.1978452205657959], [0.29288774728775024, 0.8568535447120667]],
    ],
    "legacy_nadam": [
        [0.7527292966842651, -1.7475085258483887],
        [[-0.7512071132659912, -0.25646060705184937], [0.23881259560585022, 0.7312895059585571]],
    ],
    "legacy_ftrl": [
        [0.6374378204345703, -1.623499870300293],
        [[-0.5493607521057129, -0.2196008563041687], [0.10410338640213013, 0.2594577372074127]],
    ],
    "legacy_rmsprop": [
        [0.020841002464294434, -0.8969425559043884],
        [[-1.5299981832504272, -1.1397783756256104], [-0.714942216873169, -0.29463666677474976]],
    ],
    "legacy_adadelta": [
        [0.9978554248809814, -1.9978549480438232],
        [[-0.5021449327468872, -0.0021454268135130405], [0.4978541135787964, 0.9978532791137695]],
    ],
    "legacy_adamax": [
        [0.7154995203018188, -1.7076482772827148],
        [[-0.7905149459838867, -0.2991350293159485], [0.20581889152526855, 0.716145396232605]],
    ],
}
# `finalize_variable_values` after that step (the EMA of Adam(use_ema=True, ema_momentum=0.5)).
TF_EMA_AVERAGED = [
    [0.7883979678153992, -1.7878550291061401],
    [[-0.7120270133018494, -0.21245089173316956], [0.2873128652572632, 0.7872405052185059]],
]


def _variables(start=False):
    if start:
        return [
            tf.Variable([1.0, -2.0], name="v"),
            tf.Variable([[-0.5, 0.0], [0.5, 1.0]], name="w"),
        ]
    return [tf.Variable([0.0, 0.0], name="v"), tf.Variable(np.zeros((2, 2), np.float32), name="w")]


def _step(variables, optimizer):
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(variables[0] ** 2) + tf.reduce_sum(tf.sin(variables[1]))
    optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))


def _checkpoint(variables, optimizer):
    return tf.train.Checkpoint(v=variables[0], w=variables[1], optimizer=optimizer)


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_tf_checkpoint_continues_as_tf(name):
    variables, optimizer = _variables(), MAKERS[name]()
    status = _checkpoint(variables, optimizer).read(os.path.join(DATA, name))
    _step(variables, optimizer)
    status.assert_consumed()
    for got, want in zip(variables, TF_NEXT[name]):
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-5, atol=1e-6)
    assert int(optimizer.iterations) == 3
    if name == "ema":
        optimizer.finalize_variable_values(variables)
        for got, want in zip(variables, TF_EMA_AVERAGED):
            np.testing.assert_allclose(got.numpy(), want, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_written_with_tf_keys_and_read_back(tmp_path, name):
    variables, optimizer = _variables(start=True), MAKERS[name]()
    _step(variables, optimizer)
    _step(variables, optimizer)
    prefix = _checkpoint(variables, optimizer).write(str(tmp_path / "ckpt"))
    keys = {key for key, _ in tf.train.list_variables(prefix)}
    assert keys == {key for key, _ in tf.train.list_variables(os.path.join(DATA, name))}
    fresh, again = _variables(), MAKERS[name]()
    status = _checkpoint(fresh, again).read(prefix)
    _step(fresh, again)
    status.assert_consumed()
    for got, want in zip(fresh, TF_NEXT[name]):
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-5, atol=1e-5)


def test_ema_averages_are_written_first_as_tf_keras_builds_them(tmp_path):
    # TensorFlow restores a new optimizer's `_variables` by position: [iterations, the
    # moving averages, then Adam's m and v variable by variable].
    variables, optimizer = _variables(start=True), MAKERS["ema"]()
    _step(variables, optimizer)
    prefix = _checkpoint(variables, optimizer).write(str(tmp_path / "ckpt"))
    reader = tf.train.load_checkpoint(prefix)
    key = "optimizer/_variables/{}/.ATTRIBUTES/VARIABLE_VALUE".format
    average = optimizer._slots["average"]
    np.testing.assert_array_equal(reader.get_tensor(key(1)), average[0].numpy())
    np.testing.assert_array_equal(reader.get_tensor(key(2)), average[1].numpy())
    np.testing.assert_array_equal(
        reader.get_tensor(key(3)), optimizer._slots["momentum"][0].numpy()
    )


def test_legacy_hyperparameter_variables_are_restored():
    # tf_keras keeps legacy Ftrl's l1 strength in a variable that its checkpoint restores
    # over the constructor's value; tork keeps a float and takes the checkpoint's too.
    variables = _variables()
    optimizer = K.legacy.Ftrl(0.1, l1_regularization_strength=0.5)
    _checkpoint(variables, optimizer).read(os.path.join(DATA, "legacy_ftrl")).assert_consumed()
    assert optimizer.l1_regularization_strength == pytest.approx(0.01)


# tf_keras has no gradient accumulation (Keras 3 only), Lamb or Muon: tork's own round
# trip through TensorFlow's format must continue exactly as the uninterrupted run.
ROUND_TRIP = {
    "accumulation": lambda: K.Adam(0.1, gradient_accumulation_steps=3),
    "ema_accumulation": lambda: K.SGD(
        0.1, momentum=0.9, use_ema=True, gradient_accumulation_steps=2
    ),
    "lamb": lambda: K.Lamb(0.1),
    "muon": lambda: K.Muon(0.1),
}


@pytest.mark.parametrize("name", sorted(ROUND_TRIP))
def test_round_trip_mid_accumulation_continues_exactly(tmp_path, name):
    variables, optimizer = _variables(start=True), ROUND_TRIP[name]()
    _step(variables, optimizer)
    _step(variables, optimizer)  # accumulators hold a partial sum here
    prefix = _checkpoint(variables, optimizer).write(str(tmp_path / "ckpt"))
    _step(variables, optimizer)
    fresh, again = _variables(), ROUND_TRIP[name]()
    status = _checkpoint(fresh, again).read(prefix)
    _step(fresh, again)
    status.assert_consumed()
    for got, want in zip(fresh, variables):
        np.testing.assert_array_equal(got.numpy(), want.numpy())
    assert int(again.iterations) == int(optimizer.iterations)


def test_keras3_optimizer_layout_with_ema_is_restored():
    # tests/train/data/tf_keras3/ema: Keras 3's Adam(use_ema=True) pairs its slots with
    # `_trainable_variables` by position (`_momentums/0` is the slot of variable 0).
    path = os.path.join(os.path.dirname(__file__), "data", "tf_keras3", "ema")
    variables, optimizer = _variables(), K.Adam(0.1, use_ema=True, ema_momentum=0.5)
    status = _checkpoint(variables, optimizer).read(path)
    _step(variables, optimizer)
    status.assert_consumed()
    # Every slot (the averages included) got a value of its shape.
    assert all(
        status._restoration.was_restored(slot)
        for slot_list in optimizer._slots.values()
        for slot in slot_list
    )
    # Keras 3.x (TF 2.21) after the same step (as tf_keras's Adam: TF_NEXT["ema"]).
    for got, want in zip(variables, TF_NEXT["ema"]):
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-5, atol=1e-6)
