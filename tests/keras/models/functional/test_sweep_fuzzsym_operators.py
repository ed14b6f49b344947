"""Python operators on functional-API tensors: `==`, `!=`, `^` and `//`.

Found by differential fuzzing against tf_keras (helper fuzzsym); layer names and values
were printed by tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) for the same code.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras


def _mask_model():
    ids = keras.Input((4,), dtype="int32", name="ids")
    mask = tf.cast(ids != 0, tf.float32)
    twos = tf.cast(ids == 2, "float32")
    flipped = (ids > 1) ^ True
    out = mask + twos + tf.cast(flipped, tf.float32)
    return keras.Model(ids, out)


_IDS = np.array([[0, 1, 2, 3], [2, 2, 0, 5]], "int32")
# tf_keras's predictions for _IDS.
_EXPECTED = [[1.0, 2.0, 2.0, 1.0], [2.0, 2.0, 1.0, 1.0]]


def test_equality_with_a_number_is_an_elementwise_op():
    # Before: `ids != 0` was the Python bool True (a silently wrong padding mask).
    ids = keras.Input((4,), dtype="int32")
    ne = ids != 0
    eq = ids == 2
    assert tuple(ne.shape) == (None, 4) and tuple(eq.shape) == (None, 4)
    assert ne.dtype == tf.bool and eq.dtype == tf.bool


def test_equality_between_symbolic_tensors_stays_identity():
    a = keras.Input((3,))
    b = keras.Input((3,))
    assert (a == a) is True and (a == b) is False and (a != b) is True
    assert a in [b, a]
    assert (a == None) is False  # noqa: E711 - the operator itself is under test


def test_mask_model_names_and_values_match_tf_keras():
    model = _mask_model()
    names = [layer.name for layer in model.layers]
    # tf_keras's layer names, counters aside (this test may not run first).
    bare = [n.rstrip("0123456789").rstrip("_") if n[-1].isdigit() else n for n in names]
    assert bare == [
        "ids",
        "tf.math.greater",
        "tf.math.logical_and",
        "tf.__operators__.ne",
        "tf.__operators__.eq",
        "tf.math.logical_or",
        "tf.math.logical_not",
        "tf.cast",
        "tf.cast",
        "tf.math.logical_and",
        "tf.__operators__.add",
        "tf.cast",
        "tf.__operators__.add",
    ]
    np.testing.assert_allclose(model.predict(_IDS, verbose=0), _EXPECTED)


@pytest.mark.parametrize("ext", [".keras", ".h5"])
def test_mask_model_round_trips(tmp_path, ext):
    model = _mask_model()
    path = str(tmp_path / f"mask{ext}")
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(loaded.predict(_IDS, verbose=0), _EXPECTED)


def test_xor_of_two_symbolic_tensors():
    x = keras.Input((3,))
    out = tf.cast((x > 0) ^ (x < 1), "float32")
    model = keras.Model(x, out)
    data = np.array([[-1.0, 0.5, 2.0]], "float32")
    np.testing.assert_allclose(model.predict(data, verbose=0), [[1.0, 0.0, 1.0]])


def test_floordiv_in_a_model_has_no_gradient_as_tf():
    # tf_keras: gradient of sum(x // 0.5 + 2x + 3 // (x + 10) + c // x) is 2 everywhere
    # (floordiv has no gradient); tork's graph ran torch.floor_divide, whose backward fails.
    x = keras.Input((3,), name="x")
    y = x // 0.5 + x * 2.0 + 3.0 // (x + 10.0) + tf.constant([1.0, 2.0, 3.0]) // x
    model = keras.Model(x, y)
    names = [layer.name for layer in model.layers]
    assert sum(n.startswith("tf.compat.v1.floor_div") for n in names) == 3
    value = tf.constant(np.array([[1.3, -2.2, 0.7]], "float32"))
    with tf.GradientTape() as tape:
        tape.watch(value)
        loss = tf.reduce_sum(model(value))
    np.testing.assert_allclose(model(value).numpy(), [[4.6, -10.4, 6.4]], rtol=1e-6)
    np.testing.assert_allclose(tape.gradient(loss, value).numpy(), [[2.0, 2.0, 2.0]])


def test_equality_with_strings_and_lists():
    # tf_keras: `text != ""` on a string Input and `x == [1.0, 2.0, 3.0]` are bool
    # KerasTensors of shapes (None,) and (None, 3).
    text = keras.Input((), dtype="string")
    x = keras.Input((3,))
    nonempty = text != ""
    matches = x == [1.0, 2.0, 3.0]
    assert tuple(nonempty.shape) == (None,) and nonempty.dtype == tf.bool
    assert tuple(matches.shape) == (None, 3) and matches.dtype == tf.bool
    model = keras.Model([text, x], [tf.cast(nonempty, "int32"), tf.cast(matches, "int32")])
    got = model.predict(
        [np.array([b"a", b""]), np.array([[1, 0, 3], [0, 2, 0]], "float32")], verbose=0
    )
    np.testing.assert_array_equal(got[0], [1, 0])
    np.testing.assert_array_equal(got[1], [[1, 0, 1], [0, 1, 0]])


def test_not_equal_of_a_ragged_input():
    # tf_keras: `r != 0` of keras.Input((None,), ragged=True) is a ragged bool tensor of
    # shape (None, None); the row sums below are tf_keras's [2, 0].
    ragged = keras.Input((None,), ragged=True, dtype="int32")
    nonzero = ragged != 0
    assert nonzero.ragged and tuple(nonzero.shape) == (None, None)
    model = keras.Model(ragged, tf.reduce_sum(tf.cast(nonzero, "int32"), axis=1))
    np.testing.assert_array_equal(
        model.predict(tf.ragged.constant([[1, 0, 2], [0]]), verbose=0), [2, 0]
    )
