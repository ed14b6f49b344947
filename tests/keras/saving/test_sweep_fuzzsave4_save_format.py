"""`save_format=` spelled by users, against tf_keras 2.21 (fuzzsave4, /tmp/fuzzsave4/sf/sf.py).

tf_keras (checked in /tmp/tfenv with TF_USE_LEGACY_KERAS=1):
- `model.save('m.h5', save_format='tf')` and `model.save('m.keras', save_format='tf')` write
  an HDF5 model file at that path (its legacy saver checks the suffix first); tork wrote a
  directory there, which tf_keras cannot load.
- `model.save_weights('w.h5', save_format='tf')` raises ValueError 'save_weights got
  save_format="tf"/"tensorflow", but the filepath (...) looks like an HDF5 file'; tork wrote
  checkpoint files `w.h5.index`...
- `model.save_weights('w.weights.h5', save_format='tf' or 'h5')` writes the Keras 3
  `.weights.h5` layout (the suffix wins); tork wrote a checkpoint ('tf') or Keras 2's HDF5
  layout ('h5'), which tf_keras's load_weights cannot read at that path.
- `save_weights(..., save_format='HDF5' / 'keras' / ' H5 ')` is the HDF5 layout.
- `model.save('m', save_format='keras')` and `model.save('m.h5', save_format='keras')` raise
  ValueError "Invalid `filepath` argument: expected a `.keras` extension. Received:
  filepath=..."; tork wrote a zip at 'm' and an HDF5 file at 'm.h5'.
"""

import h5py
import numpy as np
import pytest

from tork import keras


def _model():
    inputs = keras.Input((3,), name="x")
    model = keras.Model(inputs, keras.layers.Dense(2, name="d")(inputs), name="m")
    model.set_weights(
        [np.array([[1.0, -1.0], [0.5, 2.0], [0.0, 0.25]], "float32"), np.array([0.1, -0.2], "f")]
    )
    model.compile("adam", "mse")
    return model


_X = np.array([[1.0, 2.0, 3.0]], "float32")
_WANT = [[2.1, 3.55]]  # x @ kernel + bias, by hand


@pytest.mark.parametrize("name", ["m.h5", "m.keras", "m.hdf5"])
def test_save_format_tf_on_hdf5_path_writes_hdf5_model(tmp_path, name):
    model = _model()
    path = tmp_path / name
    model.save(path, save_format="tf")
    assert path.is_file() and h5py.is_hdf5(path)
    with h5py.File(path, "r") as f:
        assert "model_config" in f.attrs  # Keras 2's HDF5 model layout
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(loaded.predict(_X, verbose=0), _WANT, rtol=1e-6)


def test_save_format_tf_without_suffix_is_still_a_directory(tmp_path):
    model = _model()
    model.save(tmp_path / "sm", save_format="tf")
    assert (tmp_path / "sm").is_dir()


@pytest.mark.parametrize("name", ["w.h5", "w.keras", "w.hdf5"])
def test_save_weights_format_tf_on_hdf5_path_raises(tmp_path, name):
    model = _model()
    with pytest.raises(ValueError, match='save_format="tf"/"tensorflow", but the filepath'):
        model.save_weights(tmp_path / name, save_format="tf")
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("save_format", ["tf", "h5", "tensorflow"])
def test_weights_h5_suffix_wins_over_save_format(tmp_path, save_format):
    model = _model()
    path = tmp_path / "w.weights.h5"
    model.save_weights(path, save_format=save_format)
    with h5py.File(path, "r") as f:
        assert "layer_names" not in f.attrs  # not Keras 2's layout
        assert "layers" in f  # Keras 3's `.weights.h5` layout
    assert not (tmp_path / "w.weights.h5.index").exists()
    other = _model()
    other.set_weights([np.zeros((3, 2), "f"), np.zeros(2, "f")])
    other.load_weights(path)
    np.testing.assert_allclose(other.predict(_X, verbose=0), _WANT, rtol=1e-6)


@pytest.mark.parametrize("save_format", ["HDF5", "keras", " H5 "])
def test_save_weights_keras2_hdf5_spellings(tmp_path, save_format):
    model = _model()
    path = tmp_path / "w"
    model.save_weights(path, save_format=save_format)
    with h5py.File(path, "r") as f:
        assert "layer_names" in f.attrs


def test_save_weights_format_TF_upper_case_is_the_checkpoint(tmp_path):
    model = _model()
    model.save_weights(tmp_path / "ck", save_format="TF")
    assert (tmp_path / "ck.index").exists()


@pytest.mark.parametrize("name", ["m", "m.h5"])
def test_save_format_keras_needs_keras_suffix(tmp_path, name):
    model = _model()
    with pytest.raises(ValueError, match="expected a `.keras` extension. Received: filepath="):
        model.save(tmp_path / name, save_format="keras")
    assert not list(tmp_path.iterdir())
    model.save(tmp_path / "m.keras", save_format="keras")
    assert (tmp_path / "m.keras").is_file()
