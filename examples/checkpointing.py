"""Checkpoints in a custom training loop: `tf.train.Checkpoint` + `CheckpointManager`.

The pattern from TensorFlow's "Training checkpoints" guide:

1. a `tf.GradientTape` train step under `@tf.function(jit_compile=True)` (in tork the whole
   step, backward pass and Adam update included, becomes one compiled graph);
2. `tf.train.Checkpoint(model=..., optimizer=..., epoch=...)` and a `CheckpointManager`
   keeping the last three checkpoints, saved after every epoch;
3. an "interrupted" run: a fresh model and optimizer restore the latest checkpoint (the
   model is restored before it is built: the values wait until its weights exist) and
   finish the training, ending exactly where an uninterrupted run ends.

Run: python examples/checkpointing.py   (TORK_EXAMPLES_QUICK=1 for a short run)
"""

import os
import tempfile

import numpy as np
from sklearn.datasets import load_digits

import tork as tf

keras = tf.keras
QUICK = os.environ.get("TORK_EXAMPLES_QUICK") == "1"
EPOCHS = 3 if QUICK else 8
BATCH_SIZE = 64

digits = load_digits()
x = (digits.data / 16.0).astype("float32")
y = digits.target.astype("int64")
if QUICK:
    x, y = x[:512], y[:512]


def batches():
    # The same order every epoch and every run, so that runs can be compared exactly.
    return tf.data.Dataset.from_tensor_slices((x, y)).batch(BATCH_SIZE)


def make_training():
    """A model, an optimizer and a compiled train step (a fresh set per run)."""
    model = keras.Sequential([keras.layers.Dense(32, activation="relu"), keras.layers.Dense(10)])
    optimizer = keras.optimizers.Adam(learning_rate=3e-3)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

    @tf.function(jit_compile=True)
    def train_step(xb, yb):
        with tf.GradientTape() as tape:
            loss = loss_fn(yb, model(xb, training=True))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    return model, optimizer, train_step


def train(model, train_step, epoch_counter, manager, until):
    """Trains from `epoch_counter` to `until`, saving a checkpoint after each epoch."""
    loss = None
    while int(epoch_counter) < until:
        for xb, yb in batches():
            loss = train_step(xb, yb)
        epoch_counter.assign_add(1)
        path = manager.save()
        print(f"epoch {int(epoch_counter)}: loss {float(loss):.4f}, saved {os.path.basename(path)}")


with tempfile.TemporaryDirectory() as directory:
    # -- run 1: uninterrupted ----------------------------------------------------------------
    keras.utils.set_random_seed(0)
    model, optimizer, train_step = make_training()
    epoch = tf.Variable(0, dtype=tf.int64)
    ckpt = tf.train.Checkpoint(model=model, optimizer=optimizer, epoch=epoch)
    manager = tf.train.CheckpointManager(ckpt, os.path.join(directory, "full"), max_to_keep=3)
    train(model, train_step, epoch, manager, until=EPOCHS)
    reference = model.get_weights()
    assert len(manager.checkpoints) == 3, manager.checkpoints  # older ones were deleted

    # -- run 2: stopped after the first epoch ... --------------------------------------------
    keras.utils.set_random_seed(0)
    model, optimizer, train_step = make_training()
    epoch = tf.Variable(0, dtype=tf.int64)
    ckpt = tf.train.Checkpoint(model=model, optimizer=optimizer, epoch=epoch)
    resumable = os.path.join(directory, "resumable")
    manager = tf.train.CheckpointManager(ckpt, resumable, max_to_keep=3)
    train(model, train_step, epoch, manager, until=1)

    # -- ... and resumed by a new process (here: new objects) --------------------------------
    model, optimizer, train_step = make_training()  # not built yet, no optimizer slots yet
    epoch = tf.Variable(0, dtype=tf.int64)
    ckpt = tf.train.Checkpoint(model=model, optimizer=optimizer, epoch=epoch)
    manager = tf.train.CheckpointManager(ckpt, resumable, max_to_keep=3)
    print("restoring", os.path.basename(manager.latest_checkpoint))
    ckpt.restore(manager.latest_checkpoint)
    assert int(epoch) == 1
    train(model, train_step, epoch, manager, until=EPOCHS)

for resumed, uninterrupted in zip(model.get_weights(), reference):
    np.testing.assert_allclose(resumed, uninterrupted, rtol=1e-5, atol=1e-6)
print("resumed training ends where uninterrupted training ends")
