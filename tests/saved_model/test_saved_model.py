"""tf.saved_model round trips: saved in one interpreter, loaded in a fresh one.

The loading interpreter never sees the saved classes, as with a SavedModel handed to
another program. Expected values come from NumPy and from TensorFlow 2.21 / tf_keras
2.21 runs of the same programs (signature keys, structured outputs, input names).
"""

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import tork as tf
from tork import keras

_SAVE = """
import numpy as np
import tork as tf
from tork import keras
root = {root!r}

# The TensorFlow guide's module ("Using the SavedModel format").
class CustomModule(tf.Module):
    def __init__(self):
        super().__init__()
        self.v = tf.Variable(1.)
    @tf.function
    def __call__(self, x):
        return x * self.v
    @tf.function(input_signature=[tf.TensorSpec([], tf.float32)])
    def mutate(self, new_v):
        self.v.assign(new_v)
    @tf.function
    def untraced(self, x):
        return x

module = CustomModule()
module(tf.constant(0.))
tf.saved_model.save(module, root + "/guide")
tf.saved_model.save(
    module, root + "/guide_sig",
    signatures=module.__call__.get_concrete_function(tf.TensorSpec(None, tf.float32)),
)

# Nested modules, a list of variables, one signature function (the default signature).
class Inner(tf.Module):
    def __init__(self):
        super().__init__()
        self.w = tf.Variable([[1., 2.], [3., 4.]], name="w")
class Outer(tf.Module):
    def __init__(self):
        super().__init__()
        self.inner = Inner()
        self.biases = [tf.Variable([0.5, -0.5], name="b"), tf.Variable(2., trainable=False)]
        self.count = tf.Variable(0, trainable=False, name="count")
    @tf.function(input_signature=[tf.TensorSpec([None, 2], tf.float32, name="feats")])
    def apply(self, x):
        self.count.assign_add(1)
        return {{"y": tf.matmul(x, self.inner.w) + self.biases[0], "scale": self.biases[1]}}
tf.saved_model.save(Outer(), root + "/outer")

# A Keras functional model (Keras 2 names its signature after Input and output layers).
inp = keras.Input((4,), name="feat")
out = keras.layers.Dense(2, name="pred")(keras.layers.Dense(3, name="hid")(inp))
model = keras.Model(inp, out)
rng = np.random.default_rng(0)
weights = [rng.normal(size=w.shape).astype("float32") for w in model.get_weights()]
model.set_weights(weights)
np.savez(root + "/weights.npz", *weights)
tf.saved_model.save(model, root + "/keras")
model.export(root + "/export")

seq = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
tf.saved_model.save(seq, root + "/seq")
a = keras.Input((4,), name="a"); b = keras.Input((3,), name="b")
o1 = keras.layers.Dense(1, name="o1")(keras.layers.Concatenate()([a, b]))
o2 = keras.layers.Dense(2, name="o2")(a)
tf.saved_model.save(keras.Model({{"a": a, "b": b}}, {{"x": o1, "y": o2}}), root + "/dict")
print("saved")
"""

_LOAD = """
import json, sys
import numpy as np
import tork as tf
root = {root!r}
result = {{}}
def err(f):
    try:
        f()
    except Exception as e:
        return [type(e).__name__, isinstance(e, TypeError), isinstance(e, ValueError), str(e)]
    return None

imported = tf.saved_model.load(root + "/guide")
result["guide_call"] = float(imported(tf.constant(3.)))
imported.mutate(tf.constant(2.))
result["guide_v"] = float(imported.v.numpy())
result["guide_call_after"] = float(imported(tf.constant(3.)))
result["guide_signatures"] = list(imported.signatures.keys())
result["guide_variables"] = [v.name for v in imported.variables]
result["guide_mismatch"] = err(lambda: imported(tf.constant([3.])))
result["guide_untraced"] = err(lambda: imported.untraced(tf.constant(3.)))
result["guide_class_absent"] = "CustomModule" not in sys.modules["__main__"].__dict__

loaded = tf.saved_model.load(root + "/guide_sig")
f = loaded.signatures["serving_default"]
result["sig_keys"] = list(loaded.signatures.keys())
result["sig_outputs"] = repr(f.structured_outputs)
result["sig_inputs"] = repr(f.structured_input_signature)
result["sig_rank1"] = f(x=tf.constant([1., 2.]))["output_0"].detach().numpy().tolist()
result["sig_rank2"] = f(tf.constant([[1., 2.], [3., 4.]]))["output_0"].detach().numpy().tolist()

outer = tf.saved_model.load(root + "/outer")
x = np.array([[1., 1.], [2., -1.]], np.float32)
y = outer.apply(tf.constant(x))
y = outer.apply(x)
result["outer_y"] = y["y"].detach().numpy().tolist()
result["outer_scale"] = float(y["scale"])
result["outer_count"] = int(outer.count.numpy())
result["outer_w"] = outer.inner.w.numpy().tolist()
result["outer_biases"] = [b.numpy().tolist() for b in outer.biases]
result["outer_trainable"] = sorted(v.name for v in outer.trainable_variables)
result["outer_signatures"] = list(outer.signatures.keys())
result["outer_sig"] = outer.signatures["serving_default"](feats=x)["y"].detach().numpy().tolist()
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(outer.apply(x)["y"])
grad = tape.gradient(loss, outer.inner.w)
result["outer_grad"] = grad.numpy().tolist()

k = tf.saved_model.load(root + "/keras")
s = k.signatures["serving_default"]
xk = np.linspace(-1, 1, 8).reshape(2, 4).astype("float32")
result["keras_sig_outputs"] = repr(s.structured_outputs)
result["keras_sig_inputs"] = repr(s.structured_input_signature)
result["keras_sig"] = s(feat=tf.constant(xk))["pred"].detach().numpy().tolist()
result["keras_call"] = k(xk, training=False).detach().numpy().tolist()
result["keras_call5"] = list(k(np.ones((5, 4), np.float32)).shape)
result["keras_variables"] = [v.name for v in k.variables]
result["keras_bad"] = err(lambda: s(wrong=tf.constant(xk)))

e = tf.saved_model.load(root + "/export")
result["export_signatures"] = list(e.signatures.keys())
result["export_serve"] = e.serve(tf.constant(xk)).detach().numpy().tolist()
result["export_default"] = repr(e.signatures["serving_default"].structured_outputs)
result["export_default_inputs"] = repr(e.signatures["serving_default"].structured_input_signature)
result["export_bad"] = err(lambda: e.serve(tf.constant(np.ones((2, 5), np.float32))))
result["export_trainable"] = len(e.trainable_variables)

result["seq"] = repr(tf.saved_model.load(root + "/seq").signatures["serving_default"].structured_input_signature)
result["seq_out"] = list(tf.saved_model.load(root + "/seq").signatures["serving_default"].structured_outputs)
d = tf.saved_model.load(root + "/dict").signatures["serving_default"]
result["dict_out"] = sorted(d.structured_outputs)
result["dict_in"] = sorted(d.structured_input_signature[1])
print("RESULT" + json.dumps(result))
"""


def _run(code: str) -> str:
    env = dict(os.environ)
    completed = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-5000:]
    return completed.stdout


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    root = str(tmp_path_factory.mktemp("saved_models"))
    assert "saved" in _run(_SAVE.format(root=root))
    out = _run(_LOAD.format(root=root))
    line = next(x for x in out.splitlines() if x.startswith("RESULT"))
    return root, json.loads(line[len("RESULT") :])


def test_guide_module_round_trip(saved):
    _, r = saved
    assert r["guide_class_absent"]
    assert r["guide_call"] == 3.0
    # mutate() writes the loaded variable, and later calls read it.
    assert r["guide_v"] == 2.0
    assert r["guide_call_after"] == 6.0
    # As TF 2.21: no signature without signatures= (two functions, one returning None).
    assert r["guide_signatures"] == []
    assert r["guide_variables"] == ["Variable:0"]


def test_guide_module_errors(saved):
    _, r = saved
    name, is_type, is_value, text = r["guide_mismatch"]
    assert is_type and is_value
    assert text.startswith(
        "Could not find matching concrete function to call loaded from the SavedModel. Got:"
    )
    assert "* <tf.Tensor shape=(1,) dtype=float32>" in text
    assert "* TensorSpec(shape=(), dtype=tf.float32, name='x')" in text
    name, _, is_value, text = r["guide_untraced"]
    assert is_value
    assert "Found zero restored functions for caller function `untraced`" in text
    assert "never called before it was saved" in text


def test_guide_signature_unknown_rank(saved):
    _, r = saved
    assert r["sig_keys"] == ["serving_default"]
    # TF 2.21's structure for signatures=f.get_concrete_function(tf.TensorSpec(None, ...)).
    assert r["sig_outputs"] == (
        "{'output_0': TensorSpec(shape=<unknown>, dtype=tf.float32, name='output_0')}"
    )
    assert r["sig_inputs"] == (
        "((), {'x': TensorSpec(shape=<unknown>, dtype=tf.float32, name='x')})"
    )
    # v is 1 in that directory (saved before any mutate).
    assert r["sig_rank1"] == [1.0, 2.0]
    assert r["sig_rank2"] == [[1.0, 2.0], [3.0, 4.0]]


def test_nested_module_dict_outputs_and_state(saved):
    _, r = saved
    x = np.array([[1.0, 1.0], [2.0, -1.0]])
    w = np.array([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_allclose(r["outer_y"], x @ w + [0.5, -0.5])
    np.testing.assert_allclose(r["outer_sig"], x @ w + [0.5, -0.5])
    assert r["outer_scale"] == 2.0
    # apply() ran twice, the signature once, the tape once: count.assign_add(1) each time.
    assert r["outer_count"] == 2
    assert r["outer_w"] == w.tolist()
    assert r["outer_biases"] == [[0.5, -0.5], 2.0]
    assert r["outer_trainable"] == ["b:0", "w:0"]
    # The only tf.function with an input_signature becomes serving_default (as TF).
    assert r["outer_signatures"] == ["serving_default"]
    # d(sum(x @ w))/dw = column sums of x, for each output column.
    np.testing.assert_allclose(r["outer_grad"], np.repeat(x.sum(0)[:, None], 2, axis=1))


def _keras_reference(root, x):
    weights = np.load(os.path.join(root, "weights.npz"))
    k1, b1, k2, b2 = (weights[f"arr_{i}"] for i in range(4))
    return (x @ k1 + b1) @ k2 + b2


def test_keras_model_signature(saved):
    root, r = saved
    x = np.linspace(-1, 1, 8).reshape(2, 4).astype("float32")
    expected = _keras_reference(root, x)
    # tf_keras 2.21: inputs named after the Input, outputs after the output layer.
    assert r["keras_sig_outputs"] == (
        "{'pred': TensorSpec(shape=(None, 2), dtype=tf.float32, name='pred')}"
    )
    assert r["keras_sig_inputs"] == (
        "((), {'feat': TensorSpec(shape=(None, 4), dtype=tf.float32, name='feat')})"
    )
    np.testing.assert_allclose(r["keras_sig"], expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(r["keras_call"], expected, rtol=1e-5, atol=1e-6)
    assert r["keras_call5"] == [5, 2]
    assert r["keras_variables"] == ["hid/kernel:0", "hid/bias:0", "pred/kernel:0", "pred/bias:0"]
    name, is_type, _, text = r["keras_bad"]
    assert is_type
    assert "signature 'serving_default' takes the inputs ['feat']; missing ['feat']" in text
    # tf_keras 2.21's names for Sequential and dict models.
    assert r["seq"] == (
        "((), {'input_1': TensorSpec(shape=(None, 4), dtype=tf.float32, name='input_1')})"
    )
    assert r["seq_out"] == ["dense"]
    assert r["dict_out"] == ["o1", "o2"]
    assert r["dict_in"] == ["a", "b"]


def test_model_export_default_format(saved):
    root, r = saved
    x = np.linspace(-1, 1, 8).reshape(2, 4).astype("float32")
    np.testing.assert_allclose(r["export_serve"], _keras_reference(root, x), rtol=1e-5, atol=1e-6)
    # Keras 3's model.export: endpoint serve, signatures serve and serving_default.
    assert r["export_signatures"] == ["serve", "serving_default"]
    assert r["export_default"] == (
        "{'output_0': TensorSpec(shape=(None, 2), dtype=tf.float32, name='output_0')}"
    )
    assert r["export_default_inputs"] == (
        "((), {'feat': TensorSpec(shape=(None, 4), dtype=tf.float32, name='feat')})"
    )
    assert r["export_trainable"] == 4
    name, is_type, _, text = r["export_bad"]
    assert is_type and "* <tf.Tensor shape=(2, 5) dtype=float32>" in text
    assert "TensorSpec(shape=(None, 4), dtype=tf.float32, name='feat')" in text


def test_directory_contents_and_contains_saved_model(saved, tmp_path):
    root, _ = saved
    assert sorted(os.listdir(os.path.join(root, "guide"))) == [
        "functions",
        "tork_saved_model.json",
        "variables.pt",
    ]
    assert tf.saved_model.contains_saved_model(os.path.join(root, "guide"))
    assert not tf.saved_model.contains_saved_model(str(tmp_path))
    assert not tf.saved_model.contains_saved_model(str(tmp_path / "missing"))


def test_data_dependent_control_flow_is_refused_at_save(tmp_path):
    class Branchy(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([3], tf.float32)])
        def relu_sum(self, x):
            if tf.reduce_sum(x) > 0:
                return x
            return -x

    with pytest.raises(ValueError) as info:
        tf.saved_model.save(Branchy(), str(tmp_path / "b"))
    text = str(info.value)
    assert "cannot save tf.function `Branchy.relu_sum` for inputs" in text
    assert "TensorSpec(shape=(3,), dtype=float32)" in text
    assert "branches (or loops) in Python on a tensor's value" in text
    assert not (tmp_path / "b").exists()


def test_signature_needs_an_input_signature(tmp_path):
    class M(tf.Module):
        @tf.function
        def f(self, x):
            return x

    m = M()
    with pytest.raises(ValueError, match="Expected a TensorFlow function for which to generate"):
        tf.saved_model.save(m, str(tmp_path / "m"), signatures=m.f)


def test_save_refuses_non_modules(tmp_path):
    with pytest.raises(ValueError, match="Expected an object of type `Trackable`"):
        tf.saved_model.save(object(), str(tmp_path / "o"))


def test_load_errors(tmp_path):
    with pytest.raises(OSError, match="SavedModel file does not exist at"):
        tf.saved_model.load(str(tmp_path / "missing"))
    tf_dir = tmp_path / "tf"
    tf_dir.mkdir()
    (tf_dir / "saved_model.pb").write_bytes(b"\x08\x01")
    assert tf.saved_model.contains_saved_model(str(tf_dir))
    with pytest.raises(ValueError, match=r"is a TensorFlow SavedModel \(saved_model.pb\)"):
        tf.saved_model.load(str(tf_dir))


def test_constants_options_and_tensorflow_only_names():
    assert tf.saved_model.SERVING == "serve"
    assert tf.saved_model.DEFAULT_SERVING_SIGNATURE_DEF_KEY == "serving_default"
    assert tf.saved_model.SaveOptions(function_aliases={"a": None}).function_aliases == {"a": None}
    assert tf.saved_model.LoadOptions(
        experimental_io_device="/job:localhost"
    ).experimental_io_device
    with pytest.raises(NotImplementedError, match=r"`tf.saved_model.builder`.*not TensorFlow's"):
        tf.saved_model.builder  # noqa: B018
    assert not hasattr(tf.saved_model, "experimental")


def test_in_process_round_trip_with_options(tmp_path):
    class Scale(tf.Module):
        def __init__(self):
            super().__init__()
            self.v = tf.Variable(2.0)

        @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
        def __call__(self, x):
            return x * self.v

    path = str(tmp_path / "scale")
    tf.saved_model.save(Scale(), path, options=tf.saved_model.SaveOptions())
    loaded = tf.saved_model.load(path, options=tf.saved_model.LoadOptions())
    np.testing.assert_allclose(loaded(tf.constant([1.0, 2.0, 3.0])).detach().numpy(), [2, 4, 6])
    np.testing.assert_allclose(loaded([1.5]).detach().numpy(), [3.0])
    # A second save replaces the saved files and leaves other files alone.
    (tmp_path / "scale" / "notes.txt").write_text("mine")
    other = Scale()
    other.v.assign(5.0)
    tf.saved_model.save(other, path)
    np.testing.assert_allclose(tf.saved_model.load(path)([1.0]).detach().numpy(), [5.0])
    assert (tmp_path / "scale" / "notes.txt").read_text() == "mine"


def test_export_with_input_signature(tmp_path):
    model = keras.Sequential([keras.layers.Dense(2)])
    model.build((None, 3))
    model.set_weights([np.eye(3, 2, dtype="float32"), np.array([1.0, -1.0], "float32")])
    path = str(tmp_path / "e")
    model.export(path, input_signature=[keras.InputSpec(shape=(None, 3), dtype="float32")])
    loaded = tf.saved_model.load(path)
    x = np.arange(6, dtype="float32").reshape(2, 3)
    np.testing.assert_allclose(loaded.serve(x).detach().numpy(), x @ np.eye(3, 2) + [1, -1])


def test_guide_fine_tuning_of_a_loaded_module(tmp_path):
    class CustomModule(tf.Module):
        def __init__(self):
            super().__init__()
            self.v = tf.Variable(1.0)

        @tf.function
        def __call__(self, x):
            return x * self.v

    module = CustomModule()
    module(tf.constant(0.0))
    tf.saved_model.save(module, str(tmp_path / "m"))
    imported = tf.saved_model.load(str(tmp_path / "m"))
    optimizer = tf.keras.optimizers.SGD(0.05)
    losses, values = [], []
    for _ in range(3):
        with tf.GradientTape() as tape:
            loss = (10.0 - imported(tf.constant(2.0))) ** 2
        variables = tape.watched_variables()
        grads = tape.gradient(loss, variables)
        optimizer.apply_gradients(zip(grads, variables))
        losses.append(float(loss))
        values.append(float(imported.v.numpy()))
    # By hand: loss = (10 - 2v)^2, dloss/dv = 4(2v - 10), v -= 0.05 * dloss/dv from v = 1.
    # (The guide's run starts from v = 2 after mutate: TF 2.21 prints loss=36.00 v=3.20.)
    np.testing.assert_allclose(losses, [64.0, 23.04, 8.2944], rtol=1e-5)
    np.testing.assert_allclose(values, [2.6, 3.56, 4.136], rtol=1e-5)


def test_default_arguments_and_python_constants(tmp_path):
    class Lookup(tf.Module):
        def __init__(self):
            super().__init__()
            self.table = tf.Variable([10, 20, 30])

        @tf.function
        def lookup(self, i, scale=2):
            return tf.gather(self.table, i) * scale

    module = Lookup()
    module.lookup(tf.constant([0, 2]))
    module.lookup(tf.constant([1]), scale=3)
    tf.saved_model.save(module, str(tmp_path / "l"))
    loaded = tf.saved_model.load(str(tmp_path / "l"))
    assert loaded.lookup(tf.constant([0, 2])).tolist() == [20, 60]
    assert loaded.lookup(tf.constant([0, 2]), 2).tolist() == [20, 60]
    assert loaded.lookup(tf.constant([1]), scale=3).tolist() == [60]
    with pytest.raises(ValueError, match=r"Keyword arguments: \{'scale': 4\}"):
        loaded.lookup(tf.constant([1]), scale=4)


def test_keras_model_directory_from_model_save(tmp_path):
    # Keras 2 code: model.save("saved_model/my_model") then tf.saved_model.load on it.
    inp = keras.Input((4,), name="feat")
    model = keras.Model(inp, keras.layers.Dense(2, name="pred")(inp))
    kernel = np.arange(8, dtype="float32").reshape(4, 2)
    model.set_weights([kernel, np.zeros(2, "float32")])
    path = str(tmp_path / "saved_model" / "my_model")
    model.save(path)
    assert tf.saved_model.contains_saved_model(path)
    loaded = tf.saved_model.load(path)
    infer = loaded.signatures["serving_default"]
    assert list(infer.structured_outputs) == ["pred"]
    assert list(infer.structured_input_signature[1]) == ["feat"]
    x = np.ones((3, 4), "float32")
    np.testing.assert_allclose(infer(tf.constant(x))["pred"].detach().numpy(), x @ kernel)
    np.testing.assert_allclose(loaded(x).detach().numpy(), x @ kernel)
    assert len(loaded.variables) == 2
    # The directory still loads as a Keras model.
    assert keras.models.load_model(path).name == model.name


def test_nested_tf_functions_and_submodule_functions(tmp_path):
    class Sub(tf.Module):
        def __init__(self):
            super().__init__()
            self.k = tf.Variable(3.0)

        @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
        def scale(self, x):
            return x * self.k

    class Top(tf.Module):
        def __init__(self):
            super().__init__()
            self.sub = Sub()
            self.step = tf.Variable(0)

        @tf.function
        def helper(self, x):
            return x + 1.0

        @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
        def run(self, x):
            self.step.assign_add(1)
            return self.sub.scale(self.helper(x))

    tf.saved_model.save(Top(), str(tmp_path / "t"))
    loaded = tf.saved_model.load(str(tmp_path / "t"))
    np.testing.assert_allclose(loaded.run(tf.constant([1.0, 2.0])).detach().numpy(), [6.0, 9.0])
    np.testing.assert_allclose(loaded.sub.scale(tf.constant([1.0])).detach().numpy(), [3.0])
    # The functions read the restored variables: an assign is seen by later calls.
    loaded.sub.k.assign(10.0)
    np.testing.assert_allclose(loaded.run([1.0]).detach().numpy(), [20.0])
    assert int(loaded.step.numpy()) == 2


def test_programs_do_not_carry_weight_copies(tmp_path):
    model = keras.Sequential([keras.Input((512,)), keras.layers.Dense(512)])
    path = tmp_path / "big"
    tf.saved_model.save(model, str(path))
    weights = os.path.getsize(path / "variables.pt")
    programs = sum(p.stat().st_size for p in (path / "functions").iterdir())
    assert weights > 512 * 512 * 4
    assert programs < weights / 10
    loaded = tf.saved_model.load(str(path))
    x = np.ones((2, 512), "float32")
    np.testing.assert_allclose(
        loaded(x).detach().numpy(), model.predict(x, verbose=0), rtol=1e-5, atol=1e-5
    )


def test_load_model_on_a_saved_model_directory_points_to_saved_model_load(tmp_path):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    path = str(tmp_path / "exported")
    model.export(path, verbose=False)
    with pytest.raises(ValueError) as info:
        keras.models.load_model(path)
    message = str(info.value)
    assert "is a SavedModel written by tf.saved_model.save or model.export" in message
    assert "tf.saved_model.load(path)" in message
    assert "keras.layers.TFSMLayer(path, call_endpoint='serving_default')" in message
    # The directory itself reloads through tf.saved_model.load.
    x = np.ones((2, 3), "float32")
    expected = x @ model.weights[0].numpy() + model.weights[1].numpy()
    np.testing.assert_allclose(tf.saved_model.load(path).serve(x).numpy(), expected, rtol=1e-6)
