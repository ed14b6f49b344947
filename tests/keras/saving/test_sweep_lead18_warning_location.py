"""load_weights' skip warnings point at the user's line (they pointed inside tork)."""

import warnings

import tork as tf

keras = tf.keras


def _model(units):
    inputs = keras.Input((3,))
    hidden = keras.layers.Dense(4, name="a")(inputs)
    return keras.Model(inputs, keras.layers.Dense(units, name="b")(hidden))


def _skip_warnings(path, **kwargs):
    model = _model(3)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.load_weights(path, skip_mismatch=True, **kwargs)
    return [w for w in caught if "Skipping loading" in str(w.message)]


def test_legacy_h5_skip_warning_points_at_the_caller(tmp_path):
    path = str(tmp_path / "w.h5")
    _model(2).save_weights(path)
    caught = _skip_warnings(path, by_name=True)
    assert caught and all(w.filename == __file__ for w in caught)


def test_weights_h5_skip_warning_points_at_the_caller(tmp_path):
    path = str(tmp_path / "m.weights.h5")
    _model(2).save_weights(path)
    caught = _skip_warnings(path)
    assert caught and all(w.filename == __file__ for w in caught)
