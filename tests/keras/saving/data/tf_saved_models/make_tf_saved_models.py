"""Writes the tf.keras 2 SavedModel fixtures of test_tf_saved_model.py (run in a TF env).

    TF_USE_LEGACY_KERAS=1 python make_tf_saved_models.py OUT_DIR

Only `keras_metadata.pb` and `variables/` are kept in the repository: tork never reads
the TensorFlow graphs in `saved_model.pb` (the test writes an empty placeholder), so the
~100 KB graph files are left out. The printed values are the ones the test hard-codes.
"""

import os
import shutil
import sys

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
import numpy as np  # noqa: E402
import tf_keras as keras  # noqa: E402

out = sys.argv[1]
x = (np.arange(12, dtype="float32").reshape(3, 4) - 5.0) / 4.0
y = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], "float32")


def fixed(model):
    rng = np.random.RandomState(0)
    values = []
    for weight in model.weights:
        low = 0.5 if "moving_variance" in weight.name else -1.0
        values.append(rng.uniform(low, 1.0, weight.shape).astype("float32"))
    model.set_weights(values)


def keep(model, name):
    path = os.path.join(out, name)
    model.save(path)
    os.remove(os.path.join(path, "saved_model.pb"))
    os.remove(os.path.join(path, "fingerprint.pb"))
    shutil.rmtree(os.path.join(path, "assets"), ignore_errors=True)
    print(name, "predict", model.predict(x, verbose=0).tolist())


inp = keras.Input((4,), name="x")
h = keras.layers.Dense(3, activation="relu", name="d1")(inp)
h = keras.layers.BatchNormalization(name="bn")(h)
out_t = keras.layers.Dense(2, name="d2")(h)
func = keras.Model(inp, out_t, name="func")
fixed(func)
func.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
func.fit(x, y, batch_size=3, epochs=2, shuffle=False, verbose=0)
print("func iterations", int(func.optimizer.iterations))
print("func m(d1/kernel)", func.optimizer.variables[1].numpy().tolist())
keep(func, "func")
print("func next train_on_batch", func.train_on_batch(x, y))
print("func predict after it", func.predict(x, verbose=0).tolist())

seq = keras.Sequential(
    [
        keras.layers.Dense(3, input_shape=(4,), name="a"),
        keras.layers.Dropout(0.1),
        keras.layers.Dense(1, name="b"),
    ],
    name="seq",
)
fixed(seq)
keep(seq, "seq")


@keras.utils.register_keras_serializable(package="demo")
class MyModel(keras.Model):
    def __init__(self, units=3, **kw):
        super().__init__(**kw)
        self.units = units
        self.d1 = keras.layers.Dense(units, activation="relu")
        self.d2 = keras.layers.Dense(1)

    def call(self, x):
        return self.d2(self.d1(x))

    def get_config(self):
        return {"units": self.units, "name": self.name}


sub = MyModel(3, name="mine")
sub(x)
fixed(sub)
sub.compile(keras.optimizers.SGD(0.1, momentum=0.9), "mse")
sub.fit(x, y[:, :1], batch_size=3, verbose=0, shuffle=False)
print("sub momentum(d1/kernel)", sub.optimizer.variables[1].numpy().tolist())
keep(sub, "sub")
print("sub next train_on_batch", sub.train_on_batch(x, y[:, :1]))
print("sub predict after it", sub.predict(x, verbose=0).tolist())


class NoConfig(keras.Model):
    def __init__(self):
        super().__init__()
        self.d = keras.layers.Dense(2)

    def call(self, x):
        return self.d(x)


nocfg = NoConfig()
nocfg(x)
fixed(nocfg)
keep(nocfg, "noconfig")
