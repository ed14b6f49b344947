"""Writes the TensorFlow checkpoints under tests/train/data/tf_* (not run by pytest).

Run with real TensorFlow and tf_keras (Keras 2), from this directory:

    TF_USE_LEGACY_KERAS=1 python make_tf_checkpoints.py

Every weight is set from NumPy and the data is fixed, so the files are the same on
every run (up to TensorFlow's version); the tests hard-code the values printed here.
"""

import os
import shutil

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import tf_keras as keras  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def fresh(name):
    path = os.path.join(HERE, name)
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def ramp(shape, scale=0.1):
    return (np.arange(np.prod(shape), dtype=np.float32).reshape(shape) - 1) * scale


X = np.linspace(-1, 1, 24, dtype=np.float32).reshape(8, 3)
Y = np.linspace(0, 1, 16, dtype=np.float32).reshape(8, 2)


def sequential():
    # model.save_weights('training/cp.ckpt') after model.fit: layers and new Adam (2 steps).
    model = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(4, name="d1"), keras.layers.Dense(2, name="d2")]
    )
    model.set_weights([ramp((3, 4)), ramp((4,)), ramp((4, 2)), ramp((2,))])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    model.fit(X, Y, batch_size=4, epochs=1, shuffle=False, verbose=0)
    model.save_weights(os.path.join(fresh("tf_sequential"), "cp.ckpt"))
    print("sequential", [w.tolist() for w in model.get_weights()])
    print("sequential optimizer", [v.numpy().tolist() for v in model.optimizer.variables])


def functional():
    # A functional model (InputLayer is layer-0) with BatchNormalization's moving statistics.
    inputs = keras.Input((3,), name="x")
    hidden = keras.layers.Dense(2, name="fd")(inputs)
    outputs = keras.layers.BatchNormalization(name="bn")(hidden)
    model = keras.Model(inputs, outputs, name="func")
    model.set_weights(
        [ramp((3, 2)), ramp((2,)), ramp((2,)) + 1, ramp((2,)), ramp((2,)), ramp((2,)) + 2]
    )
    model.save_weights(os.path.join(fresh("tf_functional"), "ckpt"))
    print("functional", [w.tolist() for w in model.get_weights()])


class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = keras.layers.Dense(3, activation="relu")
        self.out = keras.layers.Dense(1)

    def call(self, x):
        return self.out(self.hidden(x))


def subclassed_with_manager():
    # tf.train.Checkpoint(model=, optimizer=) + CheckpointManager, a custom loop, Adam slots.
    net = Net()
    net(X[:1])
    net.set_weights([ramp((3, 3)), ramp((3,)), ramp((3, 1)), ramp((1,))])
    optimizer = keras.optimizers.Adam(0.05)
    checkpoint = tf.train.Checkpoint(model=net, optimizer=optimizer, step=tf.Variable(0))
    directory = fresh("tf_manager")
    manager = tf.train.CheckpointManager(checkpoint, directory, max_to_keep=2)
    for _ in range(2):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean((net(X) - Y[:, :1]) ** 2)
        grads = tape.gradient(loss, net.trainable_variables)
        optimizer.apply_gradients(zip(grads, net.trainable_variables))
        checkpoint.step.assign_add(1)
        manager.save()
    print("subclassed", [w.tolist() for w in net.get_weights()])
    print("subclassed optimizer", [v.numpy().tolist() for v in optimizer.variables])


def legacy_optimizer():
    # A Keras 2 legacy optimizer: iter/hyperparameters and slot_variables in the graph.
    model = keras.Sequential([keras.layers.Dense(2, name="dl", input_shape=(3,))])
    model.set_weights([ramp((3, 2)), ramp((2,))])
    model.compile(optimizer=keras.optimizers.legacy.Adam(0.01), loss="mse")
    model.fit(X, Y, batch_size=4, epochs=1, shuffle=False, verbose=0)
    checkpoint = tf.train.Checkpoint(model=model, optimizer=model.optimizer)
    checkpoint.write(os.path.join(fresh("tf_legacy"), "ckpt"))
    print("legacy", [w.tolist() for w in model.get_weights()])
    print("legacy optimizer", [v.numpy().tolist() for v in model.optimizer.variables()])


def rmsprop_and_nadam():
    # Optimizers whose layout differs from Adam's: RMSprop's slots loop by loop, Nadam's
    # `_u_product` outside `_variables`.
    checkpoint = {}
    for name, optimizer in [
        ("rms", keras.optimizers.RMSprop(0.01, momentum=0.5, centered=True)),
        ("nadam", keras.optimizers.Nadam(0.01)),
    ]:
        model = keras.Sequential([keras.layers.Dense(2, name="d", input_shape=(3,))])
        model.set_weights([ramp((3, 2)), ramp((2,))])
        model.compile(optimizer=optimizer, loss="mse")
        model.fit(X, Y, batch_size=4, epochs=1, shuffle=False, verbose=0)
        checkpoint[f"{name}_model"] = model
        checkpoint[name] = optimizer
        print(name, [v.numpy().tolist() for v in optimizer.variables])
    tf.train.Checkpoint(**checkpoint).write(os.path.join(fresh("tf_rmsprop_nadam"), "ckpt"))


def backup_and_restore():
    # keras.callbacks.BackupAndRestore: fit interrupted at the start of epoch 2 leaves the
    # backup of epoch 1's end in tf_backup/chief.
    directory = fresh("tf_backup")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="d")])
    model.set_weights([np.full((3, 2), 0.1, np.float32), np.zeros(2, np.float32)])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")

    class Interrupt(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            if epoch == 2:
                print("backup", [w.tolist() for w in model.get_weights()])
                raise RuntimeError("interrupted")

    try:
        model.fit(
            X,
            Y,
            batch_size=4,
            epochs=4,
            shuffle=False,
            verbose=0,
            callbacks=[keras.callbacks.BackupAndRestore(directory), Interrupt()],
        )
    except RuntimeError:
        pass


def tf1_saver():
    # A TF1 name-based checkpoint (no object graph): tf.compat.v1.train.Saver.
    directory = fresh("tf1_saver")
    graph = tf.Graph()
    with graph.as_default():
        with tf.compat.v1.variable_scope("dense"):
            tf.compat.v1.get_variable("kernel", initializer=ramp((3, 2)))
            tf.compat.v1.get_variable("bias", initializer=ramp((2,)))
        tf.compat.v1.train.get_or_create_global_step()
        saver = tf.compat.v1.train.Saver()
        with tf.compat.v1.Session(graph=graph) as session:
            session.run(tf.compat.v1.global_variables_initializer())
            saver.save(
                session,
                os.path.join(directory, "model.ckpt"),
                global_step=7,
                write_meta_graph=False,
            )
    # Saver records absolute paths; keep them relative so the files work from any checkout.
    state = os.path.join(directory, "checkpoint")
    with open(state) as f:
        text = f.read().replace(directory + os.sep, "")
    with open(state, "w") as f:
        f.write(text)


def dtypes():
    checkpoint = tf.train.Checkpoint(
        text=tf.Variable("hello"),
        texts=tf.Variable([b"a", b"", b"bc\xff"]),
        i64=tf.Variable(np.array([-3, 2**40], np.int64)),
        flags=tf.Variable([True, False, True]),
        half=tf.Variable(np.array([1.5, -2.25], np.float16)),
        bf=tf.Variable(tf.constant([1.5, -3.0], tf.bfloat16)),
        f64=tf.Variable(np.array([[0.1, 0.2]], np.float64)),
        i32=tf.Variable(np.int32(-7)),
    )
    checkpoint.write(os.path.join(fresh("tf_dtypes"), "ckpt"))


if __name__ == "__main__":
    sequential()
    functional()
    subclassed_with_manager()
    legacy_optimizer()
    rmsprop_and_nadam()
    backup_and_restore()
    tf1_saver()
    dtypes()
