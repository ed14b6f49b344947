"""A training loop from scratch: `tf.data` pipeline + `tf.GradientTape` + an optimizer.

No `compile`/`fit`: every step is written out, the way the TensorFlow guide "Writing a
training loop from scratch" does it:

1. a `tf.data.Dataset` pipeline: `from_tensor_slices` -> `map` -> `shuffle` -> `batch`
   -> `prefetch`;
2. a `train_step` under `@tf.function` that records the forward pass on a
   `tf.GradientTape`, takes the gradients of the loss and applies them;
3. metric objects updated by hand and reset at each epoch;
4. a validation pass after every epoch.

With tork, `tf.function` runs eagerly by default (PyTorch is eager); with
`jit_compile=True` the training step becomes one compiled graph (see checkpointing.py).

Run: python examples/gradient_tape_loop.py   (TORK_EXAMPLES_QUICK=1 for a short run)
"""

import os

import numpy as np
from sklearn.datasets import load_digits

import tork as tf

keras = tf.keras
QUICK = os.environ.get("TORK_EXAMPLES_QUICK") == "1"
EPOCHS = 1 if QUICK else 8
BATCH_SIZE = 32

keras.utils.set_random_seed(0)

# -- data pipeline ---------------------------------------------------------------------------
digits = load_digits()
images = digits.images.astype("float32")  # (1797, 8, 8), values 0..16
labels = digits.target.astype("int64")
order = np.random.default_rng(0).permutation(len(images))  # mix writers before splitting
images, labels = images[order], labels[order]
if QUICK:
    images, labels = images[:400], labels[:400]
split = int(0.8 * len(images))


def preprocess(image, label):
    # Runs on every element: scale to [0, 1] and flatten the 8x8 image.
    return tf.reshape(image / 16.0, (64,)), label


train_ds = (
    tf.data.Dataset.from_tensor_slices((images[:split], labels[:split]))
    .map(preprocess)
    .shuffle(buffer_size=1024, seed=0)
    .batch(BATCH_SIZE)
    .prefetch(tf.data.AUTOTUNE)
)
val_ds = (
    tf.data.Dataset.from_tensor_slices((images[split:], labels[split:]))
    .map(preprocess)
    .batch(BATCH_SIZE)
)

# -- model, loss, optimizer, metrics ---------------------------------------------------------
model = keras.Sequential(
    [
        keras.Input(shape=(64,)),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(10),
    ]
)
loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
optimizer = keras.optimizers.Adam(learning_rate=3e-3)
train_loss = keras.metrics.Mean(name="loss")
train_acc = keras.metrics.SparseCategoricalAccuracy(name="accuracy")
val_acc = keras.metrics.SparseCategoricalAccuracy(name="val_accuracy")


@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        logits = model(x, training=True)
        loss = loss_fn(y, logits)
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    train_loss.update_state(loss)
    train_acc.update_state(y, logits)
    return loss


@tf.function
def test_step(x, y):
    val_acc.update_state(y, model(x, training=False))


# -- the loop --------------------------------------------------------------------------------
losses = []
for epoch in range(EPOCHS):
    for metric in (train_loss, train_acc, val_acc):
        metric.reset_state()
    steps = 0
    for x_batch, y_batch in train_ds:
        train_step(x_batch, y_batch)
        steps += 1
    for x_batch, y_batch in val_ds:
        test_step(x_batch, y_batch)
    losses.append(float(train_loss.result()))
    print(
        f"epoch {epoch + 1}/{EPOCHS}: {steps} steps, loss {train_loss.result():.4f}, "
        f"accuracy {train_acc.result():.4f}, val_accuracy {val_acc.result():.4f}"
    )

print("optimizer steps taken:", int(optimizer.iterations))
assert int(optimizer.iterations) == EPOCHS * int(np.ceil(split / BATCH_SIZE))
if not QUICK:
    assert losses[-1] < losses[0] and float(val_acc.result()) > 0.9
