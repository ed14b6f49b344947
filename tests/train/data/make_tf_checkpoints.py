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


def _scaled_steps(variable, optimizer, steps):
    # A Keras 2 custom loop with loss scaling: get_scaled_loss / get_unscaled_gradients.
    for _ in range(steps):
        with tf.GradientTape() as tape:
            loss = optimizer.get_scaled_loss(tf.reduce_sum(variable**2))
        grads = optimizer.get_unscaled_gradients(tape.gradient(loss, [variable]))
        optimizer.apply_gradients(zip(grads, [variable]))


def loss_scale():
    # LossScaleOptimizer as tf_keras checkpoints it (its node holds the inner optimizer's
    # edges and `loss_scale/{current_loss_scale,good_steps}`), then one more step's values.
    path = fresh("tf_loss_scale")
    keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="d")])
        model.set_weights([ramp((3, 2)), ramp((2,))])
        model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")  # wrapped
        model.fit(X, Y, batch_size=4, epochs=1, shuffle=False, verbose=0)
        model.save_weights(os.path.join(path, "compiled"))
        model.train_on_batch(X[:4], Y[:4])
        print("compiled next", [w.tolist() for w in model.get_weights()])
        print(
            "compiled next state",
            model.optimizer.loss_scale.numpy(),
            model.optimizer.dynamic_counter.numpy(),
            model.optimizer.iterations.numpy(),
        )
    finally:
        keras.mixed_precision.set_global_policy("float32")
    for name, inner in [
        ("explicit", keras.optimizers.Adam(0.1)),
        ("legacy", keras.optimizers.legacy.Adam(0.1)),
    ]:
        variable = tf.Variable([1.0, -2.0], name="v")
        optimizer = keras.mixed_precision.LossScaleOptimizer(
            inner, initial_scale=8.0, dynamic_growth_steps=1
        )
        _scaled_steps(variable, optimizer, 2)
        tf.train.Checkpoint(v=variable, optimizer=optimizer).write(os.path.join(path, name))
        _scaled_steps(variable, optimizer, 1)
        print(
            name,
            "next",
            variable.numpy().tolist(),
            optimizer.loss_scale.numpy(),
            optimizer.dynamic_counter.numpy(),
            optimizer.iterations.numpy(),
        )


def _optimizer_makers():
    K = keras.optimizers
    return {
        "ema": lambda: K.Adam(0.1, use_ema=True, ema_momentum=0.5),
        "adafactor": lambda: K.Adafactor(0.1),
        "legacy_nadam": lambda: K.legacy.Nadam(0.1),
        "legacy_ftrl": lambda: K.legacy.Ftrl(0.1, l1_regularization_strength=0.01),
        "legacy_rmsprop": lambda: K.legacy.RMSprop(0.1, momentum=0.5, centered=True),
        "legacy_adadelta": lambda: K.legacy.Adadelta(0.5),
        "legacy_adamax": lambda: K.legacy.Adamax(0.1),
    }


def _optimizer_step(variables, optimizer):
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(variables[0] ** 2) + tf.reduce_sum(tf.sin(variables[1]))
    optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))


def optimizers():
    # Optimizers with extra state: `Checkpoint(v=, w=, optimizer=)` after 2 steps on a
    # rank-1 and a rank-2 variable, then the values after one more step.
    path = fresh("tf_optimizers")
    for name, make in _optimizer_makers().items():
        variables = [tf.Variable([1.0, -2.0], name="v"), tf.Variable(ramp((2, 2), 0.5), name="w")]
        optimizer = make()
        _optimizer_step(variables, optimizer)
        _optimizer_step(variables, optimizer)
        checkpoint = tf.train.Checkpoint(v=variables[0], w=variables[1], optimizer=optimizer)
        checkpoint.write(os.path.join(path, name))
        _optimizer_step(variables, optimizer)
        print(name, "next", [v.numpy().tolist() for v in variables])
        if name == "ema":
            optimizer.finalize_variable_values(variables)
            print(name, "averaged", [v.numpy().tolist() for v in variables])


class _Leaf(tf.Module):
    def __init__(self, scale):
        super().__init__()
        self.w = tf.Variable(np.full((2,), scale, np.float32))
        self.count = tf.Variable(3, dtype=tf.int64, trainable=False)


class _Tree(tf.Module):
    def __init__(self, shared):
        super().__init__()
        self.items = [tf.Variable(1.0), _Leaf(0.5)]
        self.table = {"a": tf.Variable([1, 2], dtype=tf.int32), "b": _Leaf(1.5)}
        self.pair = (tf.Variable(True),)
        self.shared = shared
        self.nested = [[tf.Variable(7.0)], {"k": (tf.Variable(8.0),)}]


class _Other(tf.Module):
    def __init__(self, shared):
        super().__init__()
        self.shared = shared


def modules():
    # tf.Module trees: lists, dicts, tuples, nesting, int/bool/non-trainable variables and
    # a variable shared by two modules, in `tf.train.Checkpoint(step=, tree=, other=)`.
    shared = tf.Variable([9.0, 10.0])
    tree, other = _Tree(shared), _Other(shared)
    tree.items[0].assign(2.0)
    tree.items[1].w.assign([0.25, 0.75])
    tree.items[1].count.assign(11)
    tree.table["a"].assign([5, 6])
    tree.table["b"].w.assign([3.0, 4.0])
    tree.pair[0].assign(False)
    shared.assign([-1.0, -2.0])
    tree.nested[0][0].assign(70.0)
    tree.nested[1]["k"][0].assign(80.0)
    checkpoint = tf.train.Checkpoint(step=tf.Variable(4, dtype=tf.int64), tree=tree, other=other)
    checkpoint.write(os.path.join(fresh("tf_modules"), "ckpt"))


def _ramp_like(weights, offset=0):
    # Deterministic weights of the given shapes, different per array.
    return [
        ((np.arange(w.size, dtype=np.float32) % 7 - 3) * 0.05 + 0.01 * (i + offset)).reshape(
            w.shape
        )
        for i, w in enumerate(weights)
    ]


LAYER_TOKENS = np.array([[1, 2, 3, 4, 5], [6, 7, 8, 9, 10]], np.int32)
LAYER_SEQ = np.linspace(-1, 1, 30, dtype=np.float32).reshape(2, 5, 3)
LAYER_FEATURES = np.linspace(-1, 1, 8, dtype=np.float32).reshape(2, 4)


def _layers_model():
    L = keras.layers
    tokens = keras.Input((5,), dtype="int32", name="tokens")
    seq = keras.Input((5, 3), name="seq")
    emb = L.Embedding(11, 4, name="emb")(tokens)
    bi = L.Bidirectional(L.LSTM(3, return_sequences=True), name="bi")(emb)
    td = L.TimeDistributed(L.Dense(2), name="td")(seq)
    cells = L.RNN(L.StackedRNNCells([L.GRUCell(3), L.SimpleRNNCell(2)]), name="stacked")(td)
    mha = L.MultiHeadAttention(num_heads=2, key_dim=2, name="mha")(bi, bi)
    pooled = L.GlobalAveragePooling1D()(mha)
    normed = L.BatchNormalization(name="bn")(pooled)
    inner = keras.Sequential([L.Dense(3, name="in1"), L.Dense(1, name="in2")], name="inner")
    return keras.Model([tokens, seq], inner(L.Concatenate()([normed, cells])), name="f")


class _Blocks(keras.Model):
    # Layers in a list and a dict, an LSTMCell and an adapted Normalization.
    def __init__(self):
        super().__init__()
        self.blocks = [keras.layers.Dense(3, name="b0"), keras.layers.Dense(3, name="b1")]
        self.heads = {"x": keras.layers.Dense(1, name="hx"), "y": keras.layers.Dense(2, name="hy")}
        self.cell = keras.layers.LSTMCell(2)
        self.norm = keras.layers.Normalization(axis=-1)

    def call(self, x):
        h = self.norm(x)
        for block in self.blocks:
            h = block(h)
        out, _ = self.cell(h, [h[:, :2] * 0, h[:, :2] * 0])
        return self.heads["x"](out), self.heads["y"](h)


def layers():
    # Keras layers whose checkpoint keys are unusual: Bidirectional's forward_layer /
    # backward_layer, TimeDistributed's layer, RNN's cell / cells, MultiHeadAttention's
    # _query_dense..., BatchNormalization's moving statistics, a nested Sequential, lists
    # and dicts of layers, Normalization's mean/variance/count, lookup layers' token_counts.
    path = fresh("tf_layers")
    model = _layers_model()
    model.set_weights(_ramp_like(model.get_weights()))
    model([LAYER_TOKENS, LAYER_SEQ], training=True)  # moves BatchNormalization's statistics
    model.save_weights(os.path.join(path, "functional"))
    print("functional out", model([LAYER_TOKENS, LAYER_SEQ]).numpy().tolist())
    print("functional sums", [float(w.sum()) for w in model.get_weights()])
    blocks = _Blocks()
    blocks.norm.adapt(LAYER_FEATURES * 3 + 1)
    blocks(LAYER_FEATURES)
    for offset, layer in enumerate([*blocks.blocks, blocks.heads["x"], blocks.heads["y"]]):
        layer.set_weights(_ramp_like(layer.get_weights(), offset))
    blocks.cell.set_weights(_ramp_like(blocks.cell.get_weights(), 5))
    blocks.save_weights(os.path.join(path, "subclassed"))
    print("subclassed out", [t.numpy().tolist() for t in blocks(LAYER_FEATURES)])
    lookup = keras.layers.StringLookup(name="sl")
    lookup.adapt(np.array(["b", "a", "b"]))
    vectorizer = keras.layers.TextVectorization(max_tokens=6, output_sequence_length=3)
    vectorizer.adapt(np.array(["x y z", "y z", "z"]))
    integers = keras.layers.IntegerLookup()
    integers.adapt(np.array([5, 7, 7]))
    checkpoint = tf.train.Checkpoint(sl=lookup, tv=vectorizer, il=integers)
    checkpoint.write(os.path.join(path, "lookup"))


def keras3():
    # Keras 3 (TF backend) optimizers in tf.train.Checkpoint: their own layout
    # (`_trainable_variables`, per-slot lists by position; a LossScaleOptimizer keeps
    # `inner_optimizer`, `step_counter`, `dynamic_scale`).
    import keras as keras_3

    path = fresh("tf_keras3")
    makers = {
        "lso": lambda: keras_3.optimizers.LossScaleOptimizer(
            keras_3.optimizers.Adam(0.1), initial_scale=8.0, dynamic_growth_steps=1
        ),
        "ema": lambda: keras_3.optimizers.Adam(0.1, use_ema=True, ema_momentum=0.5),
    }
    for name, make in makers.items():
        variables = [tf.Variable([1.0, -2.0], name="v"), tf.Variable(ramp((2, 2), 0.5), name="w")]
        optimizer = make()
        for step in range(3):
            if step == 2:
                checkpoint = tf.train.Checkpoint(
                    v=variables[0], w=variables[1], optimizer=optimizer
                )
                checkpoint.write(os.path.join(path, name))
            with tf.GradientTape() as tape:
                loss = tf.reduce_sum(variables[0] ** 2) + tf.reduce_sum(tf.sin(variables[1]))
                if name == "lso":
                    loss = optimizer.scale_loss(loss)
            optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
        print("keras3", name, "next", [v.numpy().tolist() for v in variables])
        if name == "lso":
            print("keras3 lso state", float(optimizer.dynamic_scale), int(optimizer.step_counter))


if __name__ == "__main__":
    import sys

    # `python make_tf_checkpoints.py loss_scale` writes only the directories named.
    for maker in sys.argv[1:] or [
        "sequential",
        "functional",
        "subclassed_with_manager",
        "legacy_optimizer",
        "rmsprop_and_nadam",
        "backup_and_restore",
        "tf1_saver",
        "dtypes",
        "loss_scale",
        "optimizers",
        "modules",
        "layers",
        "keras3",
    ]:
        globals()[maker]()
