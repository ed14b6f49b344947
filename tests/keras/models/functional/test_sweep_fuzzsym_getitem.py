"""`x[...]` on functional-API tensors: symbolic slice bounds and sliced unknown sizes.

Found by differential fuzzing of tf ops on KerasTensors against tf_keras (helper fuzzsym).
Expected shapes were printed by tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) for the same code.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras


def _crop_model():
    # A U-Net style skip connection cropped to another tensor's length.
    x = keras.Input((None, 3), name="x")
    y = keras.Input((4, 3), name="y")
    w = keras.Input((8, 3), name="w")
    outputs = [
        x[:, : tf.shape(y)[1]],
        w[:, : tf.shape(y)[1]],
        w[:, tf.shape(y)[1] :],
        w[:, 1 : tf.shape(x)[1]],
    ]
    return keras.Model([x, y, w], outputs)


def test_slice_bounds_from_tf_shape_build_with_tf_keras_shapes():
    model = _crop_model()
    # tf_keras: (None, None, 3), (None, 4, 3), (None, 4, 3), (None, None, 3)
    assert model.output_shape == [(None, None, 3), (None, 4, 3), (None, 4, 3), (None, None, 3)]


def test_slice_bounds_from_tf_shape_run_on_data():
    model = _crop_model()
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 6, 3)).astype("float32")
    y = rng.standard_normal((2, 4, 3)).astype("float32")
    w = rng.standard_normal((2, 8, 3)).astype("float32")
    out = model.predict([x, y, w], verbose=0)
    for got, want in zip(out, [x[:, :4], w[:, :4], w[:, 4:], w[:, 1:6]]):
        np.testing.assert_allclose(got, want)


@pytest.mark.parametrize("ext", [".keras", ".h5"])
def test_slice_bounds_from_tf_shape_survive_save_and_load(tmp_path, ext):
    model = _crop_model()
    path = str(tmp_path / f"crop{ext}")
    model.save(path)
    loaded = keras.models.load_model(path)
    assert loaded.output_shape == model.output_shape
    rng = np.random.default_rng(1)
    data = [rng.standard_normal(s).astype("float32") for s in ((2, 5, 3), (2, 4, 3), (2, 8, 3))]
    for got, want in zip(loaded.predict(data, verbose=0), model.predict(data, verbose=0)):
        np.testing.assert_allclose(got, want)


@pytest.mark.parametrize(
    "key, expected",
    [
        # tf_keras's shapes for x = keras.Input((None, 3)): a slice of an unknown size
        # stays unknown (the data may be shorter than the bound).
        ((slice(None), slice(None, 4)), (None, None, 3)),
        ((slice(None), slice(2, 4)), (None, None, 3)),
        ((slice(None), slice(-4, None)), (None, None, 3)),
        ((slice(None), slice(1, None)), (None, None, 3)),
        ((slice(None), slice(None, None, 2)), (None, None, 3)),
        ((slice(None), -1), (None, 3)),
        ((Ellipsis, slice(None, 2)), (None, None, 2)),
        ((slice(None), None, slice(None, 2)), (None, 1, None, 3)),
    ],
)
def test_slices_of_an_unknown_size_stay_unknown(key, expected):
    # Before: x[:, :4] was (None, 4, 3), a size the data need not have.
    x = keras.Input((None, 3))
    assert tuple(x[key].shape) == expected


def test_slices_of_known_sizes_keep_them():
    w = keras.Input((8, 3))
    # tf_keras: (None, 5, 3), (None, 4, 2), (1, None, 8)
    assert tuple(w[:, 3:20].shape) == (None, 5, 3)
    assert tuple(w[:, ::-2, ::2].shape) == (None, 4, 2)
    assert tuple(w[tf.newaxis, ..., 0].shape) == (1, None, 8)


def test_a_sliced_unknown_size_meets_known_ones_downstream():
    # The unknown size is no stand-in number: it meets a known size as Keras's None does.
    x = keras.Input((None, 3))
    y = keras.Input((4, 3))
    # tf_keras: (None, 4, 6), (None, None, 3), (None, 4, 3)
    assert tuple(tf.concat([x[:, :4], y], axis=-1).shape) == (None, 4, 6)
    assert tuple(tf.concat([x[:, :4], y], axis=1).shape) == (None, None, 3)
    added = x[:, :4] + y
    assert tuple(added.shape) == (None, 4, 3)
    model = keras.Model([x, y], added)
    out = model.predict([np.ones((2, 7, 3), "float32"), np.zeros((2, 4, 3), "float32")], verbose=0)
    np.testing.assert_allclose(out, np.ones((2, 4, 3)))


def test_keras_backend_shape_is_tf_shape_with_known_sizes():
    # tf_keras: K.shape(y) is a `tf.compat.v1.shape` layer and w[:, :K.shape(y)[1]] is
    # (None, 4, 6); tork recorded keras.backend.shape, whose sizes it did not know (None).
    y = keras.Input((4, 2))
    w = keras.Input((8, 6))
    shape = keras.backend.shape(y)
    assert shape._keras_history.layer.name.startswith("tf.compat.v1.shape")
    cropped = w[:, : shape[1]]
    assert tuple(cropped.shape) == (None, 4, 6)
    model = keras.Model([y, w], cropped)
    data = np.arange(96, dtype="float32").reshape(2, 8, 6)
    np.testing.assert_allclose(model.predict([np.zeros((2, 4, 2)), data], verbose=0), data[:, :4])
