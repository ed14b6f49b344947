"""Writes the `sm_*` tf.keras 2 SavedModel fixtures of test_sweep_smsweep_tf_saved_model.py.

    TF_USE_LEGACY_KERAS=1 python make_smsweep_fixtures.py OUT_DIR

Run with TensorFlow 2.21 / tf_keras 2.21. As make_tf_saved_models.py, only
`keras_metadata.pb` and `variables/` are kept (tork never reads `saved_model.pb`). The
printed values are the ones the test hard-codes.
"""

import json
import os
import shutil
import sys

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import tf_keras as keras  # noqa: E402

out = sys.argv[1]


def fixed(model):
    rng = np.random.RandomState(1)
    values = []
    for weight, value in zip(model.weights, model.get_weights()):
        name = getattr(weight, "name", "")
        if (
            value.dtype.kind != "f"
            or "summary" in name
            or name.split("/")[-1][:4] in ("mean", "vari", "coun")
        ):
            values.append(value)
        elif "moving_variance" in name:
            values.append(rng.uniform(0.5, 1.0, value.shape).astype(value.dtype))
        else:
            values.append(rng.uniform(-0.5, 0.5, value.shape).astype(value.dtype))
    model.set_weights(values)


def show(name, what, value):
    if isinstance(value, dict):
        value = {k: np.asarray(v).round(7).tolist() for k, v in value.items()}
    elif isinstance(value, (list, tuple)):
        value = [np.asarray(v).round(7).tolist() for v in value]
    else:
        value = np.asarray(value).round(7).tolist()
    print(name, what, json.dumps(value))


def trimmed_graph(file):
    """saved_model.pb less everything tork does not read: the object graph (without
    function signatures and Keras metadata) and the graph's captured constants only."""
    from tensorflow.core.protobuf import saved_model_pb2

    saved = saved_model_pb2.SavedModel()
    with open(file, "rb") as f:
        saved.ParseFromString(f.read())
    meta = saved.meta_graphs[0]
    objects = meta.object_graph_def
    constants = {n.constant.operation for n in objects.nodes if n.WhichOneof("kind") == "constant"}
    nodes = [n for n in meta.graph_def.node if n.name in constants]
    del meta.graph_def.node[:]
    meta.graph_def.node.extend(nodes)
    meta.graph_def.ClearField("library")
    meta.ClearField("signature_def")
    meta.ClearField("meta_info_def")
    objects.ClearField("concrete_functions")
    for node in objects.nodes:
        if node.WhichOneof("kind") == "user_object":
            node.user_object.ClearField("metadata")
    return saved.SerializeToString()


def keep(model, name, x, assets=False, graph=False, **kwargs):
    path = os.path.join(out, name)
    model.save(path, **kwargs)
    signature = tf.saved_model.load(path).signatures["serving_default"]
    print(name, "signature inputs", sorted(signature.structured_input_signature[1]))
    print(name, "signature outputs", sorted(signature.structured_outputs))
    if graph:
        # Kept, trimmed: the adapted vocabularies' constants live only there.
        data = trimmed_graph(os.path.join(path, "saved_model.pb"))
        with open(os.path.join(path, "saved_model_trimmed.pb"), "wb") as f:
            f.write(data)
    os.remove(os.path.join(path, "saved_model.pb"))
    os.remove(os.path.join(path, "fingerprint.pb"))
    if not assets:
        shutil.rmtree(os.path.join(path, "assets"), ignore_errors=True)
    show(name, "predict", model.predict(x, verbose=0))


# Adapted Discretization (num_bins): tf.keras saves `bin_boundaries: null` and the
# quantile summary as a variable.
disc = keras.layers.Discretization(num_bins=3, epsilon=0.01, name="disc")
disc.adapt(np.array([[0.1], [0.5], [0.9], [1.5], [2.5], [3.0]], "float32"))
i = keras.Input((1,), name="x")
o = keras.layers.Dense(1, name="o")(
    keras.layers.Flatten(name="f")(keras.layers.Embedding(3, 2, name="emb")(disc(i)))
)
model = keras.Model(i, o, name="disca")
fixed(model)
x = np.array([[0.0], [0.7], [1.6], [9.0]], "float32")
y = np.array([[1.0], [0.0], [1.0], [0.5]], "float32")
model.compile(keras.optimizers.Adam(0.05), "mse")
model.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
print("sm_disc boundaries", disc.bin_boundaries)
keep(model, "sm_disc", x)
show("sm_disc", "next train_on_batch", model.train_on_batch(x, y))
show("sm_disc", "predict after it", model.predict(x, verbose=0))

# Adapted StringLookup: its vocabulary lives only in saved_model.pb.
sl = keras.layers.StringLookup(name="sl")
sl.adapt(np.array(["a", "b", "c", "a"]))
i = keras.Input((1,), dtype="string", name="s")
model = keras.Model(i, keras.layers.Dense(1, name="o")(tf.cast(sl(i), "float32")), name="strs")
keep(model, "sm_lookup", np.array([["a"], ["z"]]))

# StringLookup with its vocabulary in the config (one_hot) -> Dense: loads.
sl = keras.layers.StringLookup(vocabulary=["x", "y", "z"], output_mode="one_hot", name="sl")
i = keras.Input((1,), dtype="string", name="s")
model = keras.Model(i, keras.layers.Dense(2, name="o")(sl(i)), name="slo")
fixed(model)
keep(model, "sm_vocab", np.array([["x"], ["q"], ["z"]]))

# mixed_float16: compile wraps the optimizer in a LossScaleOptimizerV3.
keras.mixed_precision.set_global_policy("mixed_float16")
i = keras.Input((4,), name="x")
h = keras.layers.Dense(3, activation="relu", name="d")(i)
o = keras.layers.Dense(2, dtype="float32", name="o")(h)
model = keras.Model(i, o, name="mp")
keras.mixed_precision.set_global_policy("float32")
fixed(model)
x4 = np.linspace(-1, 1, 24, dtype="float32").reshape(6, 4)
y2 = np.linspace(0, 1, 12, dtype="float32").reshape(6, 2)
model.compile(keras.optimizers.RMSprop(0.01, clipnorm=1.0), "mse", metrics=["mae"])
model.fit(x4, y2, batch_size=6, epochs=2, shuffle=False, verbose=0)
print("sm_mixed optimizer", type(model.optimizer).__name__, float(model.optimizer.loss_scale))
keep(model, "sm_mixed", x4)
show("sm_mixed", "next train_on_batch", model.train_on_batch(x4, y2))
show("sm_mixed", "predict after it", model.predict(x4, verbose=0))


# Registered custom layers (one nesting a Dense and another custom layer) in a
# functional model, compiled with a custom loss object, metric object and metric function.
@keras.utils.register_keras_serializable(package="sms")
class Scale(keras.layers.Layer):
    def __init__(self, init=2.0, **kwargs):
        super().__init__(**kwargs)
        self.init = init

    def build(self, shape):
        self.s = self.add_weight(
            name="s", shape=(shape[-1],), initializer=keras.initializers.Constant(self.init)
        )

    def call(self, x):
        return x * self.s

    def get_config(self):
        return {**super().get_config(), "init": self.init}


@keras.utils.register_keras_serializable(package="sms")
class Inner(keras.layers.Layer):
    def __init__(self, units=3, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.dense = keras.layers.Dense(units, name="dd")
        self.scale = Scale(0.5, name="sc")

    def call(self, x):
        return self.scale(self.dense(x))

    def get_config(self):
        return {**super().get_config(), "units": self.units}


@keras.utils.register_keras_serializable(package="sms")
class MyLoss(keras.losses.Loss):
    def __init__(self, w=2.0, **kwargs):
        super().__init__(**kwargs)
        self.w = w

    def call(self, y_true, y_pred):
        return self.w * tf.reduce_mean(tf.square(y_true - y_pred), axis=-1)

    def get_config(self):
        return {**super().get_config(), "w": self.w}


@keras.utils.register_keras_serializable(package="sms")
class AbsSum(keras.metrics.Metric):
    def __init__(self, name="abs_sum", **kwargs):
        super().__init__(name=name, **kwargs)
        self.total = self.add_weight(name="total", initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        self.total.assign_add(tf.reduce_sum(tf.abs(y_true - y_pred)))

    def result(self):
        return self.total


@keras.utils.register_keras_serializable(package="sms")
def my_mae(y_true, y_pred):
    return tf.reduce_mean(tf.abs(y_true - y_pred), axis=-1)


i = keras.Input((4,), name="x")
h = Inner(3, name="inner")(i)
h = Scale(1.5, name="scale")(h)
model = keras.Model(i, keras.layers.Dense(2, name="o")(h), name="cl")
fixed(model)
model.compile(keras.optimizers.Adam(0.01), MyLoss(3.0), metrics=[AbsSum(), my_mae])
model.fit(x4, y2, batch_size=6, epochs=2, shuffle=False, verbose=0)
print("sm_custom weights", [w.name for w in model.weights])
show("sm_custom", "evaluate", model.evaluate(x4, y2, verbose=0))
keep(model, "sm_custom", x4)
show("sm_custom", "next train_on_batch", model.train_on_batch(x4, y2))
show("sm_custom", "predict after it", model.predict(x4, verbose=0))

# Dict inputs and outputs with loss/metric dicts: serving_default keys by output name.
a = keras.Input((4,), name="a")
b = keras.Input((3,), name="b")
h = keras.layers.Dense(4, activation="relu", name="h")(keras.layers.Concatenate(name="cat")([a, b]))
model = keras.Model(
    {"a": a, "b": b},
    {
        "reg": keras.layers.Dense(2, name="reg")(h),
        "cls": keras.layers.Dense(1, activation="sigmoid", name="cls")(h),
    },
    name="md",
)
fixed(model)
xd = {"a": x4[:3], "b": np.linspace(-1, 1, 9, dtype="float32").reshape(3, 3)}
yd = {"reg": y2[:3], "cls": np.array([[0.0], [1.0], [1.0]], "float32")}
model.compile(
    keras.optimizers.SGD(0.1, momentum=0.9),
    loss={"reg": "mse", "cls": "binary_crossentropy"},
    metrics={"reg": ["mae"], "cls": ["accuracy"]},
    loss_weights={"reg": 1.0, "cls": 0.5},
)
model.fit(xd, yd, batch_size=3, epochs=2, shuffle=False, verbose=0)
print("sm_dict metrics_names", model.metrics_names)
keep(model, "sm_dict", xd)
show("sm_dict", "next train_on_batch", model.train_on_batch(xd, yd))

# A legacy RMSprop's `rms` slots (tf_keras's legacy slot names).
i = keras.Input((4,), name="x")
model = keras.Model(
    i,
    keras.layers.Dense(2, name="o")(keras.layers.Dense(3, activation="tanh", name="d")(i)),
    name="lrms",
)
fixed(model)
model.compile(keras.optimizers.legacy.RMSprop(0.01), "mse")
model.fit(x4, y2, batch_size=6, epochs=2, shuffle=False, verbose=0)
keep(model, "sm_legacy_rms", x4)
show("sm_legacy_rms", "next train_on_batch", model.train_on_batch(x4, y2))
show("sm_legacy_rms", "predict after it", model.predict(x4, verbose=0))

# Lookup layers created from a vocabulary file: TensorFlow copies it into assets/ (kept
# here) and the config keeps the original path, deleted below.
import tempfile  # noqa: E402

folder = tempfile.mkdtemp()
with open(os.path.join(folder, "colors.txt"), "w") as f:
    f.write("red\ngreen\nblue\n")
sl = keras.layers.StringLookup(vocabulary=os.path.join(folder, "colors.txt"), name="sl")
tv = keras.layers.TextVectorization(
    vocabulary=os.path.join(folder, "colors.txt"), output_sequence_length=3, name="tv"
)
i = keras.Input((1,), dtype="string", name="s")
model = keras.Model(i, keras.layers.Concatenate(name="cat")([sl(i), tv(i)]), name="vf")
keep(model, "sm_vocab_file", np.array([["red"], ["blue green"], ["pink"]]), assets=True)
shutil.rmtree(folder)

# tf.saved_model.save(model, dir) writes no keras_metadata.pb: only graphs and the checkpoint.
i = keras.Input((4,), name="x")
model = keras.Model(
    i, keras.layers.Dense(2, name="o")(keras.layers.Dense(3, name="d")(i)), name="plain"
)
fixed(model)
path = os.path.join(out, "sm_tf_save")
tf.saved_model.save(model, path)
os.remove(os.path.join(path, "saved_model.pb"))
os.remove(os.path.join(path, "fingerprint.pb"))
shutil.rmtree(os.path.join(path, "assets"), ignore_errors=True)
show("sm_tf_save", "predict", model.predict(x4, verbose=0))


# A registered subclassed model called on a dict: `build_input_shape` is a dict of shapes.
@keras.utils.register_keras_serializable(package="sms")
class DictIn(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.da = keras.layers.Dense(3, name="da")
        self.o = keras.layers.Dense(2, name="o")

    def call(self, inputs):
        return self.o(self.da(inputs["a"]) * inputs["w"])

    def get_config(self):
        return {"name": self.name}


model = DictIn(name="dct")
xw = {"a": x4, "w": np.full((6, 1), 2.0, "float32")}
model(xw)
fixed(model)
print("sm_sub_dict weights", [w.name for w in model.weights])
keep(model, "sm_sub_dict", xw)


# An adapted Discretization inside a subclassed model (object-graph edge `disc`).
@keras.utils.register_keras_serializable(package="sms")
class WithDisc(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.disc = keras.layers.Discretization(num_bins=3, epsilon=0.01, name="disc")
        self.emb = keras.layers.Embedding(3, 2, name="emb")

    def call(self, x):
        return self.emb(self.disc(x))

    def get_config(self):
        return {"name": self.name}


model = WithDisc(name="wd")
model.disc.adapt(np.array([[0.1], [0.5], [0.9], [1.5], [2.5], [3.0]], "float32"))
xq = np.array([[0.0], [0.7], [1.6], [9.0]], "float32")
model(xq)
fixed(model)
keep(model, "sm_sub_disc", xq)


# Adapted StringLookup, IntegerLookup and TextVectorization: the vocabularies are only in
# saved_model.pb (kept trimmed, as saved_model_trimmed.pb; the test renames it).
sl = keras.layers.StringLookup(name="sl")
sl.adapt(np.array(["b", "a", "c", "a", "b", "a"]))
il = keras.layers.IntegerLookup(name="il")
il.adapt(np.array([7, 3, 3, 9, 7, 3]))
tv = keras.layers.TextVectorization(max_tokens=10, output_sequence_length=4, name="tv")
tv.adapt(np.array(["the cat sat", "the dog ran", "a cat"]))
s_in = keras.Input((1,), dtype="string", name="s")
n_in = keras.Input((1,), dtype="int64", name="n")
t_in = keras.Input((1,), dtype="string", name="t")
merged = keras.layers.Concatenate(name="cat")([sl(s_in), il(n_in), tv(t_in)])
model = keras.Model([s_in, n_in, t_in], merged, name="lookups")
print("sm_lookups vocabularies", sl.get_vocabulary(), il.get_vocabulary(), tv.get_vocabulary())
xl = [
    np.array([["a"], ["c"], ["z"]]),
    np.array([[3], [9], [4]]),
    np.array([["the cat"], ["dog ran far"], ["x"]]),
]
keep(model, "sm_lookups", xl, graph=True)

# TextVectorization in tf_idf mode: the vocabulary in saved_model.pb, the IDF weights
# (OOV first) a variable of the checkpoint.
tv = keras.layers.TextVectorization(max_tokens=8, output_mode="tf_idf", name="tv")
tv.adapt(np.array(["the cat sat", "the dog ran", "a cat"]))
t_in = keras.Input((1,), dtype="string", name="t")
model = keras.Model(t_in, tv(t_in), name="tfidf")
print("sm_tfidf idf", tv.get_config().get("idf_weights"), model.weights[0].numpy().tolist())
keep(model, "sm_tfidf", np.array([["the cat cat"], ["dog ran far far"]]), graph=True)
