"""`save_weights` / `ModelCheckpoint(save_weights_only=True)` on a '.keras' path, as Keras 2.

The Hvass-Labs time-series tutorial (#23) checkpoints with
`ModelCheckpoint(filepath='23_checkpoint.keras', save_weights_only=True, ...)` and later
calls `model.load_weights(path_checkpoint)`. tf_keras 2.21 treats '.keras' like '.h5' in
`save_weights` (its `is_hdf5_filepath`), writing the Keras 2 HDF5 weights layout.
"""

import h5py
import numpy as np

from tork import keras


def _model():
    model = keras.Sequential([keras.layers.Dense(2, input_shape=(3,), name="dense")])
    model.set_weights(
        [np.arange(6, dtype=np.float32).reshape(3, 2), np.array([0.5, -0.5], np.float32)]
    )
    return model


def test_save_weights_keras_suffix_writes_keras2_hdf5_layout(tmp_path):
    path = tmp_path / "w.keras"
    model = _model()
    model.save_weights(path)
    names = []
    with h5py.File(path, "r") as f:
        f.visit(names.append)
        kernel = f["dense/dense/kernel:0"][()]
        layer_names = [n.decode() if isinstance(n, bytes) else n for n in f.attrs["layer_names"]]
    # The structure tf_keras 2.21 writes for this model with save_weights('w.keras').
    assert sorted(names) == [
        "dense",
        "dense/dense",
        "dense/dense/bias:0",
        "dense/dense/kernel:0",
        "top_level_model_weights",
    ]
    assert layer_names == ["dense"]
    np.testing.assert_array_equal(kernel, np.arange(6).reshape(3, 2))
    other = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])
    other.load_weights(path)
    np.testing.assert_array_equal(other.get_weights()[0], np.arange(6).reshape(3, 2))
    np.testing.assert_array_equal(other.get_weights()[1], [0.5, -0.5])


def test_model_checkpoint_weights_only_keras_path_round_trips(tmp_path, capsys):
    path = str(tmp_path / "23_checkpoint.keras")
    x = np.linspace(-1, 1, 24, dtype=np.float32).reshape(8, 3)
    y = x @ np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], np.float32)
    model = _model()
    model.compile(optimizer=keras.optimizers.SGD(0.01), loss="mse")
    checkpoint = keras.callbacks.ModelCheckpoint(
        filepath=path, monitor="val_loss", verbose=1, save_weights_only=True, save_best_only=True
    )
    model.fit(x, y, epochs=2, validation_data=(x, y), callbacks=[checkpoint], verbose=0)
    out = capsys.readouterr().out
    assert "Epoch 1: val_loss improved from inf to" in out
    assert "Epoch 2: val_loss improved from" in out  # so the file holds the final weights
    assert h5py.is_hdf5(path)
    saved = [w.copy() for w in model.get_weights()]
    model.set_weights([np.zeros_like(w) for w in saved])
    model.load_weights(path)
    for got, want in zip(model.get_weights(), saved):
        np.testing.assert_array_equal(got, want)
