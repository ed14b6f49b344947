"""`.keras` files write keras.ops calls on symbolic tensors as Keras 3 Operation entries.

The expected entries are what Keras 3.15 writes for the same model (its config.json).
"""

import importlib.util
import json
import os
import subprocess
import sys
import zipfile

import numpy as np
import pytest
import torch

import tork as tf
from tork.keras import ops

keras = tf.keras
pytest.importorskip("h5py")

X = np.linspace(-1, 1, 16, dtype="float32").reshape(2, 8)


def _model():
    x = keras.Input((8,))
    h = keras.layers.Dense(8, name="d")(x)
    a = ops.add(h, 1.0)
    b = ops.mean(a, axis=1, keepdims=True)
    c = ops.concatenate([a, b], axis=-1)
    d = c[:, :6]
    e = ops.reshape(d, (-1, 2, 3))
    f = ops.transpose(e, (0, 2, 1))
    g = ops.squeeze(ops.expand_dims(f, 1), 1)
    m = ops.matmul(e, g)
    r = ops.nn.relu(m)
    s = ops.stack([r, r], axis=1)
    w = ops.where(ops.greater(s, 0.5), s, 0.0)
    w = ops.sum(ops.cast(w, "float32"), axis=(1,))
    w = w * 2.0 - (1 - w) / 3.0
    out = ops.nn.softmax(ops.max(w, axis=-1))
    model = keras.Model(x, out)
    kernel = np.arange(64, dtype="float32").reshape(8, 8) / 64 - 0.5
    model.get_layer("d").set_weights([kernel, np.zeros(8, "float32")])
    return model


def _entries(path):
    with zipfile.ZipFile(path) as archive:
        config = json.loads(archive.read("config.json"))
    return {e["name"]: e for e in config["config"]["layers"]}


def _reference(xs):
    # The same computation in NumPy.
    kernel = np.arange(64, dtype="float32").reshape(8, 8) / 64 - 0.5
    a = xs @ kernel + 1.0
    c = np.concatenate([a, a.mean(axis=1, keepdims=True)], axis=-1)
    e = c[:, :6].reshape(-1, 2, 3)
    r = np.maximum(e @ e.transpose(0, 2, 1), 0)
    s = np.stack([r, r], axis=1)
    w = np.where(s > 0.5, s, 0.0).sum(axis=1)
    w = w * 2.0 - (1 - w) / 3.0
    z = w.max(axis=-1)
    z = np.exp(z - z.max(axis=-1, keepdims=True))
    return z / z.sum(axis=-1, keepdims=True)


def test_keras_file_writes_keras3_op_entries(tmp_path):
    path = str(tmp_path / "m.keras")
    _model().save(path)
    entries = _entries(path)
    by_class = {e["class_name"]: e for e in entries.values()}
    assert "__torch_op__" not in by_class
    # Module, class and constructor config as Keras 3.15 writes them.
    expected = {
        "Add": ("numpy", {}),
        "Mean": ("numpy", {"axis": 1, "keepdims": True}),
        "Concatenate": ("numpy", {"axis": -1}),
        "GetItem": ("numpy", {}),
        "Reshape": ("numpy", {"newshape": [-1, 2, 3]}),
        "Transpose": ("numpy", {"axes": [0, 2, 1]}),
        "ExpandDims": ("numpy", {"axis": 1}),
        "Squeeze": ("numpy", {"axis": 1}),
        "Matmul": ("numpy", {}),
        "Relu": ("nn", {}),
        "Stack": ("numpy", {"axis": 1}),
        "Greater": ("numpy", {}),
        "Where": ("numpy", {}),
        "Cast": ("core", {"dtype": "float32"}),
        "Sum": ("numpy", {"axis": [1], "keepdims": False}),
        "Multiply": ("numpy", {}),
        "Subtract": ("numpy", {}),
        "TrueDivide": ("numpy", {}),
        "Max": ("numpy", {"axis": -1, "keepdims": False, "initial": None}),
        "Softmax": ("nn", {"axis": -1}),
    }
    for class_name, (module, config) in expected.items():
        entry = by_class[class_name]
        assert entry["module"] == f"keras.src.ops.{module}", class_name
        assert entry["registered_name"] == class_name
        assert entry["config"] == {"name": entry["name"], **config}, class_name
        assert all(node["kwargs"] == {} for node in entry["inbound_nodes"]), class_name
    # Bound arguments live in the config; the call keeps the tensors (and constants).
    mean_args = by_class["Mean"]["inbound_nodes"][0]["args"]
    assert len(mean_args) == 1 and mean_args[0]["class_name"] == "__keras_tensor__"
    assert by_class["Add"]["inbound_nodes"][0]["args"][1] == 1.0
    assert len(by_class["Concatenate"]["inbound_nodes"][0]["args"][0]) == 2
    where_args = by_class["Where"]["inbound_nodes"][0]["args"]
    assert len(where_args) == 3 and where_args[2] == 0.0
    # `x[:, :6]`: the key is a list of slices, as Keras 3 writes it.
    key = by_class["GetItem"]["inbound_nodes"][0]["args"][1]
    assert key == [
        {"class_name": "__slice__", "config": {"start": None, "stop": None, "step": None}},
        {"class_name": "__slice__", "config": {"start": None, "stop": 6, "step": None}},
    ]
    # `1 - w`: the operands in order.
    rsub = [
        e
        for e in entries.values()
        if e["class_name"] == "Subtract" and e["inbound_nodes"][0]["args"][0] == 1
    ]
    assert len(rsub) == 1


def test_keras_file_round_trip_computes_the_same(tmp_path):
    model = _model()
    np.testing.assert_allclose(np.asarray(model(X)), _reference(X), rtol=1e-5, atol=1e-6)
    path = str(tmp_path / "m.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(np.asarray(loaded(X)), _reference(X), rtol=1e-5, atol=1e-6)
    # Saving the loaded model writes the same entries again.
    path2 = str(tmp_path / "m2.keras")
    loaded.save(path2)

    def summary(entries):
        return sorted(
            (e["class_name"], json.dumps({k: v for k, v in e["config"].items() if k != "name"}))
            for e in entries.values()
            if e["class_name"] not in ("InputLayer", "Dense")
        )

    assert summary(_entries(path)) == summary(_entries(path2))
    assert "__torch_op__" not in json.dumps(summary(_entries(path2)))


def test_h5_and_tf_ops_keep_their_entries(tmp_path):
    x = keras.Input((4,))
    y = tf.nn.relu(x)
    z = ops.sum(y, axis=1)
    model = keras.Model(x, z)
    path = str(tmp_path / "m.keras")
    model.save(path)
    entries = _entries(path)
    classes = sorted(e["class_name"] for e in entries.values())
    assert classes == ["InputLayer", "Sum", "__torch_op__"]
    tf_op = [e for e in entries.values() if e["class_name"] == "__torch_op__"][0]
    assert tf_op["config"] == {"function": "tf.nn.relu"}
    xs = np.array([[-1.0, 2.0, -3.0, 4.0]], "float32")
    np.testing.assert_allclose(np.asarray(keras.models.load_model(path)(xs)), [6.0])
    # .h5 (Keras 2): op layers, no Keras 3 Operation entries.
    h5 = str(tmp_path / "m.h5")
    model.save(h5)
    import h5py

    with h5py.File(h5, "r") as f:
        text = f.attrs["model_config"]
    text = text.decode() if isinstance(text, bytes) else text
    assert "keras.src.ops" not in text and "TFOpLambda" in text
    np.testing.assert_allclose(np.asarray(keras.models.load_model(h5)(xs)), [6.0])


def test_calls_keras3_writes_otherwise_stay_tork_entries(tmp_path):
    # An op called with a tensor where Keras 3 binds a constant (Clip's x_min), and a
    # torch function: tork's own entries, which tork reads back.
    x = keras.Input((4,))
    a = x[:, [0, 2]]
    b = ops.clip(x, ops.min(x), 1.0)
    model = keras.Model(x, [a, b, torch.sin(x)])
    path = str(tmp_path / "m.keras")
    model.save(path)
    entries = _entries(path)
    functions = sorted(
        e["config"]["function"] for e in entries.values() if e["class_name"] == "__torch_op__"
    )
    assert functions == ["keras.ops.clip", "torch.sin"]
    classes = {e["class_name"] for e in entries.values()}
    assert {"Min", "GetItem"} <= classes
    xs = np.array([[-1.0, 2.0, -3.0, 4.0]], "float32")
    got = keras.models.load_model(path)(xs)
    np.testing.assert_allclose(np.asarray(got[0]), [[-1.0, -3.0]])
    np.testing.assert_allclose(np.asarray(got[1]), [[-1.0, 1.0, -3.0, 1.0]])
    np.testing.assert_allclose(np.asarray(got[2]), np.sin(xs), rtol=1e-6)


_KERAS3_SCRIPT = """
import os, sys
os.environ["KERAS_BACKEND"] = "torch"
import numpy as np, keras
x = np.linspace(-1, 1, 16, dtype="float32").reshape(2, 8)
if sys.argv[2] == "more_ops":
    x = np.sin(np.arange(48, dtype="float32")).reshape(2, 4, 6)
model = keras.models.load_model(sys.argv[1])
y = model(x)
y = [y] if sys.argv[2] == "model" else y
print(repr([keras.ops.convert_to_numpy(v).astype("float64").tolist() for v in y]))
"""


@pytest.mark.skipif(importlib.util.find_spec("keras") is None, reason="needs real Keras 3")
@pytest.mark.parametrize("which", ["model", "more_ops"])
def test_real_keras3_loads_the_file(tmp_path, which):
    path = str(tmp_path / "m.keras")
    (_model if which == "model" else _more_ops_model)().save(path)
    env = {**os.environ, "KERAS_BACKEND": "torch"}
    done = subprocess.run(
        [sys.executable, "-c", _KERAS3_SCRIPT, path, which],
        capture_output=True,
        text=True,
        env=env,
        cwd=str(tmp_path),
        timeout=300,
    )
    if done.returncode and "No module named 'keras'" in done.stderr:
        pytest.skip("real Keras 3 is not importable")
    assert done.returncode == 0, done.stderr[-2000:]
    got = eval(done.stdout.strip().splitlines()[-1])
    if which == "model":
        want = [_reference(X)]
    else:
        want = _more_ops_reference(np.sin(np.arange(48, dtype="float32")).reshape(2, 4, 6))
    assert len(got) == len(want)
    for g, w in zip(got, want):
        np.testing.assert_allclose(np.array(g), w, rtol=1e-5, atol=1e-6)


# Keras 3.15's `model.to_json()` of `_model()` (KERAS_BACKEND=torch).
_KERAS3_JSON = (
    '{"module":"keras.src.models.functional","class_name":"Functional","config":{"name":"func'
    'tional","trainable":true,"layers":[{"module":"keras.layers","class_name":"InputLayer","c'
    'onfig":{"batch_shape":[null,8],"dtype":"float32","sparse":false,"ragged":false,"name":"i'
    'nput_layer","optional":false},"registered_name":null,"name":"input_layer","inbound_nodes'
    '":[]},{"module":"keras.layers","class_name":"Dense","config":{"name":"d","trainable":tru'
    'e,"dtype":{"module":"keras","class_name":"DTypePolicy","config":{"name":"float32"},"regi'
    'stered_name":null},"units":8,"activation":"linear","use_bias":true,"kernel_initializer":'
    '{"module":"keras.initializers","class_name":"GlorotUniform","config":{"seed":null,"input'
    '_axes":null,"output_axes":null},"registered_name":null},"bias_initializer":{"module":"ke'
    'ras.initializers","class_name":"Zeros","config":{},"registered_name":null},"kernel_regul'
    'arizer":null,"bias_regularizer":null,"kernel_constraint":null,"bias_constraint":null,"qu'
    'antization_config":null},"registered_name":null,"build_config":{"input_shape":[null,8]},'
    '"name":"d","inbound_nodes":[{"args":[{"class_name":"__keras_tensor__","config":{"shape":'
    '[null,8],"dtype":"float32","keras_history":["input_layer",0,0]}}],"kwargs":{}}]},{"modul'
    'e":"keras.src.ops.numpy","class_name":"Add","config":{"name":"add"},"registered_name":"A'
    'dd","name":"add","inbound_nodes":[{"args":[{"class_name":"__keras_tensor__","config":{"s'
    'hape":[null,8],"dtype":"float32","keras_history":["d",0,0]}},1.0],"kwargs":{}}]},{"modul'
    'e":"keras.src.ops.numpy","class_name":"Mean","config":{"name":"mean","axis":1,"keepdims"'
    ':true},"registered_name":"Mean","name":"mean","inbound_nodes":[{"args":[{"class_name":"_'
    '_keras_tensor__","config":{"shape":[null,8],"dtype":"float32","keras_history":["add",0,0'
    ']}}],"kwargs":{}}]},{"module":"keras.src.ops.numpy","class_name":"Concatenate","config":'
    '{"name":"concatenate","axis":-1},"registered_name":"Concatenate","name":"concatenate","i'
    'nbound_nodes":[{"args":[[{"class_name":"__keras_tensor__","config":{"shape":[null,8],"dt'
    'ype":"float32","keras_history":["add",0,0]}},{"class_name":"__keras_tensor__","config":{'
    '"shape":[null,1],"dtype":"float32","keras_history":["mean",0,0]}}]],"kwargs":{}}]},{"mod'
    'ule":"keras.src.ops.numpy","class_name":"GetItem","config":{"name":"get_item"},"register'
    'ed_name":"GetItem","name":"get_item","inbound_nodes":[{"args":[{"class_name":"__keras_te'
    'nsor__","config":{"shape":[null,9],"dtype":"float32","keras_history":["concatenate",0,0]'
    '}},[{"class_name":"__slice__","config":{"start":null,"stop":null,"step":null}},{"class_n'
    'ame":"__slice__","config":{"start":null,"stop":6,"step":null}}]],"kwargs":{}}]},{"module'
    '":"keras.src.ops.numpy","class_name":"Reshape","config":{"name":"reshape","newshape":[-1'
    ',2,3]},"registered_name":"Reshape","name":"reshape","inbound_nodes":[{"args":[{"class_na'
    'me":"__keras_tensor__","config":{"shape":[null,6],"dtype":"float32","keras_history":["ge'
    't_item",0,0]}}],"kwargs":{}}]},{"module":"keras.src.ops.numpy","class_name":"Transpose",'
    '"config":{"name":"transpose","axes":[0,2,1]},"registered_name":"Transpose","name":"trans'
    'pose","inbound_nodes":[{"args":[{"class_name":"__keras_tensor__","config":{"shape":[null'
    ',2,3],"dtype":"float32","keras_history":["reshape",0,0]}}],"kwargs":{}}]},{"module":"ker'
    'as.src.ops.numpy","class_name":"ExpandDims","config":{"name":"expand_dims","axis":1},"re'
    'gistered_name":"ExpandDims","name":"expand_dims","inbound_nodes":[{"args":[{"class_name"'
    ':"__keras_tensor__","config":{"shape":[null,3,2],"dtype":"float32","keras_history":["tra'
    'nspose",0,0]}}],"kwargs":{}}]},{"module":"keras.src.ops.numpy","class_name":"Squeeze","c'
    'onfig":{"name":"squeeze","axis":1},"registered_name":"Squeeze","name":"squeeze","inbound'
    '_nodes":[{"args":[{"class_name":"__keras_tensor__","config":{"shape":[null,1,3,2],"dtype'
    '":"float32","keras_history":["expand_dims",0,0]}}],"kwargs":{}}]},{"module":"keras.src.o'
    'ps.numpy","class_name":"Matmul","config":{"name":"matmul"},"registered_name":"Matmul","n'
    'ame":"matmul","inbound_nodes":[{"args":[{"class_name":"__keras_tensor__","config":{"shap'
    'e":[null,2,3],"dtype":"float32","keras_history":["reshape",0,0]}},{"class_name":"__keras'
    '_tensor__","config":{"shape":[null,3,2],"dtype":"float32","keras_history":["squeeze",0,0'
    ']}}],"kwargs":{}}]},{"module":"keras.src.ops.nn","class_name":"Relu","config":{"name":"r'
    'elu"},"registered_name":"Relu","name":"relu","inbound_nodes":[{"args":[{"class_name":"__'
    'keras_tensor__","config":{"shape":[null,2,2],"dtype":"float32","keras_history":["matmul"'
    ',0,0]}}],"kwargs":{}}]},{"module":"keras.src.ops.numpy","class_name":"Stack","config":{"'
    'name":"stack","axis":1},"registered_name":"Stack","name":"stack","inbound_nodes":[{"args'
    '":[[{"class_name":"__keras_tensor__","config":{"shape":[null,2,2],"dtype":"float32","ker'
    'as_history":["relu",0,0]}},{"class_name":"__keras_tensor__","config":{"shape":[null,2,2]'
    ',"dtype":"float32","keras_history":["relu",0,0]}}]],"kwargs":{}}]},{"module":"keras.src.'
    'ops.numpy","class_name":"Greater","config":{"name":"greater"},"registered_name":"Greater'
    '","name":"greater","inbound_nodes":[{"args":[{"class_name":"__keras_tensor__","config":{'
    '"shape":[null,2,2,2],"dtype":"float32","keras_history":["stack",0,0]}},0.5],"kwargs":{}}'
    ']},{"module":"keras.src.ops.numpy","class_name":"Where","config":{"name":"where"},"regis'
    'tered_name":"Where","name":"where","inbound_nodes":[{"args":[{"class_name":"__keras_tens'
    'or__","config":{"shape":[null,2,2,2],"dtype":"bool","keras_history":["greater",0,0]}},{"'
    'class_name":"__keras_tensor__","config":{"shape":[null,2,2,2],"dtype":"float32","keras_h'
    'istory":["stack",0,0]}},0.0],"kwargs":{}}]},{"module":"keras.src.ops.core","class_name":'
    '"Cast","config":{"name":"cast","dtype":"float32"},"registered_name":"Cast","name":"cast"'
    ',"inbound_nodes":[{"args":[{"class_name":"__keras_tensor__","config":{"shape":[null,2,2,'
    '2],"dtype":"float32","keras_history":["where",0,0]}}],"kwargs":{}}]},{"module":"keras.sr'
    'c.ops.numpy","class_name":"Sum","config":{"name":"sum","axis":[1],"keepdims":false},"reg'
    'istered_name":"Sum","name":"sum","inbound_nodes":[{"args":[{"class_name":"__keras_tensor'
    '__","config":{"shape":[null,2,2,2],"dtype":"float32","keras_history":["cast",0,0]}}],"kw'
    'args":{}}]},{"module":"keras.src.ops.numpy","class_name":"Subtract","config":{"name":"su'
    'btract"},"registered_name":"Subtract","name":"subtract","inbound_nodes":[{"args":[1,{"cl'
    'ass_name":"__keras_tensor__","config":{"shape":[null,2,2],"dtype":"float32","keras_histo'
    'ry":["sum",0,0]}}],"kwargs":{}}]},{"module":"keras.src.ops.numpy","class_name":"Multiply'
    '","config":{"name":"multiply"},"registered_name":"Multiply","name":"multiply","inbound_n'
    'odes":[{"args":[{"class_name":"__keras_tensor__","config":{"shape":[null,2,2],"dtype":"f'
    'loat32","keras_history":["sum",0,0]}},2.0],"kwargs":{}}]},{"module":"keras.src.ops.numpy'
    '","class_name":"TrueDivide","config":{"name":"true_divide"},"registered_name":"TrueDivid'
    'e","name":"true_divide","inbound_nodes":[{"args":[{"class_name":"__keras_tensor__","conf'
    'ig":{"shape":[null,2,2],"dtype":"float32","keras_history":["subtract",0,0]}},3.0],"kwarg'
    's":{}}]},{"module":"keras.src.ops.numpy","class_name":"Subtract","config":{"name":"subtr'
    'act_1"},"registered_name":"Subtract","name":"subtract_1","inbound_nodes":[{"args":[{"cla'
    'ss_name":"__keras_tensor__","config":{"shape":[null,2,2],"dtype":"float32","keras_histor'
    'y":["multiply",0,0]}},{"class_name":"__keras_tensor__","config":{"shape":[null,2,2],"dty'
    'pe":"float32","keras_history":["true_divide",0,0]}}],"kwargs":{}}]},{"module":"keras.src'
    '.ops.numpy","class_name":"Max","config":{"name":"max","axis":-1,"keepdims":false,"initia'
    'l":null},"registered_name":"Max","name":"max","inbound_nodes":[{"args":[{"class_name":"_'
    '_keras_tensor__","config":{"shape":[null,2,2],"dtype":"float32","keras_history":["subtra'
    'ct_1",0,0]}}],"kwargs":{}}]},{"module":"keras.src.ops.nn","class_name":"Softmax","config'
    '":{"name":"softmax","axis":-1},"registered_name":"Softmax","name":"softmax","inbound_nod'
    'es":[{"args":[{"class_name":"__keras_tensor__","config":{"shape":[null,2],"dtype":"float'
    '32","keras_history":["max",0,0]}}],"kwargs":{}}]}],"input_layers":["input_layer",0,0],"o'
    'utput_layers":["softmax",0,0]},"registered_name":"Functional","build_config":{"input_sha'
    'pe":null},"compile_config":{}}'
)


def test_reads_keras3_json_of_the_same_model():
    model = keras.models.model_from_json(_KERAS3_JSON)
    kernel = np.arange(64, dtype="float32").reshape(8, 8) / 64 - 0.5
    model.get_layer("d").set_weights([kernel, np.zeros(8, "float32")])
    np.testing.assert_allclose(np.asarray(model(X)), _reference(X), rtol=1e-5, atol=1e-6)


def test_keras3_json_and_tork_file_hold_the_same_op_entries(tmp_path):
    # tork writes each op as Keras 3 does: module, class, config and call arguments.
    path = str(tmp_path / "m.keras")
    _model().save(path)

    def ops_of(layers):
        found = []
        for e in layers:
            if not e["module"].startswith("keras.src.ops."):
                continue
            nodes = json.dumps([n["args"] for n in e["inbound_nodes"]])
            for name in names_of(layers):
                nodes = nodes.replace(json.dumps(name), '"?"')
            config = {k: v for k, v in e["config"].items() if k != "name"}
            found.append((e["module"], e["class_name"], json.dumps(config), nodes))
        return sorted(found)

    def names_of(layers):
        return [e["name"] for e in layers]

    keras3 = json.loads(_KERAS3_JSON)["config"]["layers"]
    with zipfile.ZipFile(path) as archive:
        ours = json.loads(archive.read("config.json"))["config"]["layers"]
    assert len(ops_of(keras3)) == 21
    assert ops_of(ours) == ops_of(keras3)


def _more_ops_model():
    x = keras.Input((4, 6))
    outputs = [
        ops.pad(x, ((0, 0), (1, 1), (0, 0)), constant_values=2.0),
        ops.cumsum(x, axis=1),
        ops.moveaxis(x, 1, 2),
        ops.logsumexp(x, axis=-1),
        ops.top_k(x, 2)[0],
        ops.one_hot(ops.argmax(x, axis=-1), 6),
        ops.take(x, [0, 2], axis=1),
        ops.split(x, 2, axis=-1)[1],
        ops.log1p(ops.abs(x)),
    ]
    return keras.Model(x, outputs)


def _more_ops_reference(xs):
    e = np.exp(xs)
    onehot = np.eye(6, dtype="float32")[xs.argmax(axis=-1)]
    return [
        np.pad(xs, ((0, 0), (1, 1), (0, 0)), constant_values=2.0),
        np.cumsum(xs, axis=1),
        np.moveaxis(xs, 1, 2),
        np.log(e.sum(axis=-1)),
        -np.sort(-xs, axis=-1)[..., :2],
        onehot,
        xs[:, [0, 2]],
        xs[..., 3:],
        np.log1p(np.abs(xs)),
    ]


def test_more_ops_round_trip(tmp_path):
    xs = np.sin(np.arange(48, dtype="float32")).reshape(2, 4, 6)
    path = str(tmp_path / "more.keras")
    _more_ops_model().save(path)
    classes = sorted(e["class_name"] for e in _entries(path).values())
    assert classes == sorted(
        ["InputLayer", "Pad", "Cumsum", "Moveaxis", "Logsumexp", "TopK", "OneHot"]
        + ["Argmax", "Take", "Split", "Log1p", "Abs"]
    )
    pad = [e for e in _entries(path).values() if e["class_name"] == "Pad"][0]
    assert pad["config"]["pad_width"] == [[0, 0], [1, 1], [0, 0]]
    assert pad["config"]["mode"] == "constant"
    # Pad.call(x, constant_values): the constant is a call argument, after the tensor.
    assert pad["inbound_nodes"][0]["args"][1] == 2.0
    loaded = keras.models.load_model(path)
    for got, want in zip(loaded(xs), _more_ops_reference(xs)):
        np.testing.assert_allclose(np.asarray(got, dtype="float64"), want, rtol=1e-5, atol=1e-6)


# Keras 3.15's `to_json()` of `ops.pad(x, ((0, 0), (1, 0), (0, 0)), constant_values=5.0)`.
_KERAS3_PAD_JSON = (
    '{"module":"keras.src.models.functional","class_name":"Functional","config":{"name":"func'
    'tional","trainable":true,"layers":[{"module":"keras.layers","class_name":"InputLayer","c'
    'onfig":{"batch_shape":[null,2,3],"dtype":"float32","sparse":false,"ragged":false,"name":'
    '"input_layer","optional":false},"registered_name":null,"name":"input_layer","inbound_nod'
    'es":[]},{"module":"keras.src.ops.numpy","class_name":"Pad","config":{"name":"pad","pad_w'
    'idth":[[0,0],[1,0],[0,0]],"mode":"constant"},"registered_name":"Pad","name":"pad","inbou'
    'nd_nodes":[{"args":[{"class_name":"__keras_tensor__","config":{"shape":[null,2,3],"dtype'
    '":"float32","keras_history":["input_layer",0,0]}}],"kwargs":{"constant_values":5.0}}]}],'
    '"input_layers":["input_layer",0,0],"output_layers":["pad",0,0]},"registered_name":"Funct'
    'ional","build_config":{"input_shape":null},"compile_config":{}}'
)


def test_reads_keras3_pad_entry():
    # Pad.call(x, constant_values) passes the constant second; keras.ops.pad takes it last.
    model = keras.models.model_from_json(_KERAS3_PAD_JSON)
    xs = np.arange(12, dtype="float32").reshape(2, 2, 3)
    want = np.pad(xs, ((0, 0), (1, 0), (0, 0)), constant_values=5.0)
    np.testing.assert_allclose(np.asarray(model(xs)), want)
