"""Callbacks see the log names of dict-output models as tf_keras: the output layers' names.

Expected names printed by tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) for the same model
(outputs {'zeta': Dense 'reg_head', 'alpha': Dense 'cls_head'}); TensorBoard tags follow
tf_keras's rule ('epoch_' + name; 'val_' dropped in the validation folder).
"""

import os

import numpy as np

from tork import keras

TF_HISTORY = [
    "loss",
    "cls_head_loss",
    "reg_head_loss",
    "cls_head_accuracy",
    "reg_head_mae",
    "val_loss",
    "val_cls_head_loss",
    "val_reg_head_loss",
    "val_cls_head_accuracy",
    "val_reg_head_mae",
    "lr",
]
TF_CSV_HEADER = (
    "epoch,cls_head_accuracy,cls_head_loss,loss,reg_head_loss,reg_head_mae,"
    "val_cls_head_accuracy,val_cls_head_loss,val_loss,val_reg_head_loss,val_reg_head_mae"
)


def _model():
    inp = keras.Input((3,), name="x")
    hidden = keras.layers.Dense(4, name="hidden")(inp)
    outputs = {
        "zeta": keras.layers.Dense(1, name="reg_head")(hidden),
        "alpha": keras.layers.Dense(2, activation="softmax", name="cls_head")(hidden),
    }
    model = keras.Model(inp, outputs)
    model.compile(
        "sgd",
        loss={"zeta": "mse", "alpha": "sparse_categorical_crossentropy"},
        metrics={"alpha": "accuracy", "zeta": "mae"},
    )
    return model


def test_dict_output_names_reach_checkpoint_csv_and_tensorboard(tmp_path):
    model = _model()
    x = np.random.RandomState(0).rand(16, 3).astype("float32")
    y = {"zeta": np.ones((16, 1), "float32"), "alpha": np.zeros((16,), "int32")}
    checkpoint = str(tmp_path / "ck.weights.h5")
    callbacks = [
        keras.callbacks.ModelCheckpoint(
            checkpoint, monitor="val_cls_head_loss", save_best_only=True, save_weights_only=True
        ),
        keras.callbacks.CSVLogger(str(tmp_path / "log.csv")),
        keras.callbacks.EarlyStopping(monitor="val_reg_head_mae", patience=5),
        keras.callbacks.ReduceLROnPlateau(monitor="val_cls_head_accuracy", patience=5),
        keras.callbacks.TensorBoard(str(tmp_path / "tb")),
    ]
    history = model.fit(
        x, y, validation_data=(x, y), epochs=2, batch_size=8, verbose=0, callbacks=callbacks
    )
    assert list(history.history) == TF_HISTORY
    assert model.metrics_names == TF_HISTORY[:5]
    assert os.path.exists(checkpoint)  # the monitored name exists: the best epoch was saved
    assert (tmp_path / "log.csv").read_text().splitlines()[0] == TF_CSV_HEADER

    def tags(folder):
        (events,) = (tmp_path / "tb" / folder).glob("events*")
        return events.read_bytes()

    train, validation = tags("train"), tags("validation")
    for name in TF_HISTORY[:5]:
        assert b"epoch_" + name.encode() in train
        assert b"epoch_" + name.encode() in validation
    assert b"epoch_val_" not in validation and b"epoch_val_" not in train
