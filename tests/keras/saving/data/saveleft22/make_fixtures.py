"""Writes the tf_keras 2.21 files the saveleft22 saving tests read.

Run with the reference environment (real TensorFlow + tf_keras + Keras 3):
    TF_USE_LEGACY_KERAS=1 python make_fixtures.py        # the tf_keras files
    python make_fixtures.py k3                           # the Keras 3 files
Each builder writes small files next to this script; the values the tests compare with are
printed and hard-coded in the tests.
"""

import os
import sys

K3 = sys.argv[1:] == ["k3"]
if not K3:
    os.environ["TF_USE_LEGACY_KERAS"] = "1"

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

if K3:
    import keras  # noqa: E402
else:
    import tf_keras as keras  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def seq_branches():
    # A Sequential with add_loss/add_metric on its tensors: tf_keras lists the branch
    # layers in the Sequential config and cannot load the file itself.
    m = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="d")], name="s")
    m.add_loss(tf.reduce_mean(m.output) * 0.5)
    m.add_metric(tf.reduce_sum(m.output), name="sm")
    m.set_weights([np.ones((3, 2), "float32"), np.zeros(2, "float32")])
    m.compile("sgd", "mse")
    x, y = np.ones((2, 3), "float32"), np.zeros((2, 2), "float32")
    print("seq_branches evaluate", m.evaluate(x, y, verbose=0, return_dict=True))
    m.save(os.path.join(HERE, "seq_branches.h5"))


X4 = np.linspace(-1, 1, 12).reshape(4, 3).astype("float32")
Y4 = np.linspace(0, 1, 8).reshape(4, 2).astype("float32")


def _dense_model():
    m = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="d")])
    m.set_weights(
        [np.linspace(-0.5, 0.5, 6).reshape(3, 2).astype("float32"), np.array([0.1, -0.1], "f4")]
    )
    return m


def k3_nadam():
    # Keras 3 stores Nadam's `u_product` after the slots (and a learning-rate variable).
    m = _dense_model()
    m.compile(keras.optimizers.Nadam(0.01), "mse")
    for _ in range(3):
        m.train_on_batch(X4, Y4)
    m.save(os.path.join(HERE, "k3_nadam.keras"))
    m.train_on_batch(X4, Y4)
    print("k3_nadam next step", [w.tolist() for w in m.get_weights()])


def k3_nested_two():
    # A nested functional model called three times, its last call an output: Keras 3 writes
    # output_layers ['inner', 3, 0] (numbered from 1) and the nodes' references from 0.
    ii = keras.Input((2,), name="inner_in")
    inner = keras.Model(
        ii, keras.layers.Dense(2, activation="tanh", name="inner_d")(ii), name="inner"
    )
    a, b = keras.Input((2,), name="a"), keras.Input((2,), name="b")
    s = keras.layers.Add(name="add")([inner(a), inner(b)])
    m = keras.Model([a, b], [s, inner(s)], name="outer")
    m.set_weights([np.array([[0.5, -0.3], [0.2, 0.8]], "f4"), np.array([0.1, -0.2], "f4")])
    m.save(os.path.join(HERE, "k3_nested_two.keras"))
    xa = np.array([[1.0, 2.0], [-1.0, 0.5]], "f4")
    print(
        "k3_nested_two predict", [p.tolist() for p in m.predict([xa, xa[::-1].copy()], verbose=0)]
    )


BUILDERS = [seq_branches]
K3_BUILDERS = [k3_nadam, k3_nested_two]

if __name__ == "__main__":
    for build in K3_BUILDERS if K3 else BUILDERS:
        build()
