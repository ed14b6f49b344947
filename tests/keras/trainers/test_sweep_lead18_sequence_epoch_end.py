"""When fit calls a training Sequence's `on_epoch_end`: as tf_keras 2.21.

Keras 2 calls it when fit moves to the next epoch: after validation and the callbacks'
`on_epoch_end` (Atienza's `AccuracyCallback` reads the generator's state there), also
after the last epoch and with `steps_per_epoch`, but not after an epoch that set
`stop_training`. The event lists are tf_keras 2.21's for the same script.
"""

import numpy as np

import tork as tf

keras = tf.keras


def _run(fit_kwargs, extra_callbacks=()):
    events = []

    class Seq(keras.utils.Sequence):
        def __init__(self, n, tag):
            super().__init__()
            self.n, self.tag = n, tag

        def __len__(self):
            return self.n

        def __getitem__(self, i):
            return np.ones((2, 3), "float32") * (i + 1), np.ones((2, 1), "float32")

        def on_epoch_end(self):
            events.append(f"{self.tag}.on_epoch_end")

    class Recorder(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            events.append(f"cb.on_epoch_end{epoch}")

        def on_test_begin(self, logs=None):
            events.append("cb.test_begin")

        def on_train_end(self, logs=None):
            events.append("cb.train_end")

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    kwargs = dict(fit_kwargs)
    if kwargs.pop("validation", False):
        kwargs["validation_data"] = Seq(2, "val")
    callbacks = [Recorder(), *(make(model) for make in extra_callbacks)]
    model.fit(Seq(3, "train"), verbose=0, shuffle=False, callbacks=callbacks, **kwargs)
    return events


def test_after_validation_and_callbacks():
    assert _run({"epochs": 2, "validation": True}) == [
        "cb.test_begin",
        "val.on_epoch_end",
        "cb.on_epoch_end0",
        "train.on_epoch_end",
        "cb.test_begin",
        "val.on_epoch_end",
        "cb.on_epoch_end1",
        "train.on_epoch_end",
        "cb.train_end",
    ]


def test_with_steps_per_epoch():
    assert _run({"epochs": 3, "steps_per_epoch": 2}) == [
        "cb.on_epoch_end0",
        "train.on_epoch_end",
        "cb.on_epoch_end1",
        "train.on_epoch_end",
        "cb.on_epoch_end2",
        "train.on_epoch_end",
        "cb.train_end",
    ]


def test_not_after_the_epoch_that_stopped_training():
    def stopper(model):
        return keras.callbacks.LambdaCallback(
            on_epoch_end=lambda epoch, logs: setattr(model, "stop_training", epoch == 1)
        )

    assert _run({"epochs": 3}, [stopper]) == [
        "cb.on_epoch_end0",
        "train.on_epoch_end",
        "cb.on_epoch_end1",
        "cb.train_end",
    ]
