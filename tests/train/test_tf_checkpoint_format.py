"""Reading (and writing) TensorFlow's checkpoint format: the tensor bundle and its object graph.

The checkpoints under tests/train/data/ were written by real TensorFlow 2.21 / tf_keras
(tests/train/data/make_tf_checkpoints.py); the expected values below are the ones that
script printed from TensorFlow's own models after training.
"""

import os
import shutil
import struct

import numpy as np
import pytest
import torch

import tork as tf
from tork._backend.errors import DataLossError, NotFoundError
from tork.ops import _tfrecord
from tork.train import _leveldb_table, _object_graph_proto, _tensor_bundle

keras = tf.keras
DATA = os.path.join(os.path.dirname(__file__), "data")
X = np.linspace(-1, 1, 24, dtype=np.float32).reshape(8, 3)


def _data(*parts):
    return os.path.join(DATA, *parts)


def _copy(tmp_path, name):
    target = tmp_path / name
    shutil.copytree(_data(name), target)
    return target


# -- the table and the bundle ------------------------------------------------------------
def test_table_round_trip_with_several_blocks_and_restarts():
    entries = [(b"", b"header")] + [
        (f"key/{i:04d}".encode(), bytes([i % 251]) * i) for i in range(300)
    ]
    data = _leveldb_table.write_table(entries)
    assert struct.unpack("<Q", data[-8:])[0] == 0xDB4775248B80FB57
    assert _leveldb_table.read_table(data) == entries


def test_table_checksum_and_truncation_errors():
    data = bytearray(_leveldb_table.write_table([(b"a", b"1"), (b"b", b"2")]))
    data[3] ^= 0x01
    with pytest.raises(DataLossError, match="checksum of the block at byte 0 does not match"):
        _leveldb_table.read_table(bytes(data), "The index x.index")
    with pytest.raises(DataLossError, match="shorter than a table's footer"):
        _leveldb_table.read_table(b"\x00" * 10)
    with pytest.raises(DataLossError, match="not a table file"):
        _leveldb_table.read_table(b"\x00" * 64)


def test_snappy_blocks_are_decoded():
    # LevelDB's default compression: a varint length, a literal "abcd", then a copy of
    # 8 bytes from 4 back (overlapping its own output): "abcdabcdabcd".
    block = bytes([12, (4 - 1) << 2]) + b"abcd" + bytes([1 | ((8 - 4) << 2), 4])
    assert _leveldb_table._snappy_decompress(block, "x") == b"abcdabcdabcd"
    with pytest.raises(DataLossError, match="Snappy-compressed block"):
        _leveldb_table._snappy_decompress(bytes([12, 1 | (4 << 2), 9]), "x")


def test_tensorflow_dtypes_are_read_with_their_values():
    values = _tensor_bundle.read_tensor_bundle(_data("tf_dtypes", "ckpt"))
    suffix = "/.ATTRIBUTES/VARIABLE_VALUE"
    assert values["text" + suffix] == b"hello"
    assert values["texts" + suffix].tolist() == [b"a", b"", b"bc\xff"]
    np.testing.assert_array_equal(values["i64" + suffix], np.array([-3, 2**40], np.int64))
    assert values["i64" + suffix].dtype == np.int64
    np.testing.assert_array_equal(values["flags" + suffix], [True, False, True])
    assert values["half" + suffix].dtype == np.float16
    np.testing.assert_array_equal(values["half" + suffix], [1.5, -2.25])
    assert values["bf" + suffix].dtype == torch.bfloat16
    assert values["bf" + suffix].float().tolist() == [1.5, -3.0]
    assert values["f64" + suffix].dtype == np.float64 and values["f64" + suffix].shape == (1, 2)
    assert int(values["i32" + suffix]) == -7 and values["i32" + suffix].dtype == np.int32
    graph = _object_graph_proto.parse(values[_object_graph_proto.GRAPH_KEY])
    assert [name for _, name in graph[0].children] == [
        "bf", "f64", "flags", "half", "i32", "i64", "text", "texts"
    ]  # fmt: skip


def test_written_bundle_reads_back_identically_including_strings(tmp_path):
    source = _tensor_bundle.read_tensor_bundle(_data("tf_dtypes", "ckpt"))
    _tensor_bundle.write_tensor_bundle(str(tmp_path / "copy"), source)
    # Byte for byte the index TensorFlow wrote: same entries, checksums and layout.
    with open(_data("tf_dtypes", "ckpt.index"), "rb") as f:
        theirs = _leveldb_table.read_table(f.read())
    with open(tmp_path / "copy.index", "rb") as f:
        ours = _leveldb_table.read_table(f.read())
    assert [k for k, _ in ours] == [k for k, _ in theirs]
    crcs = {k: _tensor_bundle.BundleEntry(v).crc32c for k, v in theirs[1:]}
    assert {k: _tensor_bundle.BundleEntry(v).crc32c for k, v in ours[1:]} == crcs
    back = _tensor_bundle.read_tensor_bundle(str(tmp_path / "copy"))
    assert back.keys() == source.keys()
    assert back["texts/.ATTRIBUTES/VARIABLE_VALUE"].tolist() == [b"a", b"", b"bc\xff"]


def test_corrupt_tensor_names_its_key(tmp_path):
    directory = _copy(tmp_path, "tf_functional")
    reader = _tensor_bundle.BundleReader(str(directory / "ckpt"))
    entry = reader.entries["layer_with_weights-1/gamma/.ATTRIBUTES/VARIABLE_VALUE"]
    data = directory / "ckpt.data-00000-of-00001"
    raw = bytearray(data.read_bytes())
    raw[entry.offset] ^= 0x10
    data.write_bytes(bytes(raw))
    model = _functional()
    with pytest.raises(
        DataLossError, match="checksum of 'layer_with_weights-1/gamma/.ATTRIBUTES/VARIABLE_VALUE'"
    ):
        model.load_weights(str(directory / "ckpt"))
    data.write_bytes(bytes(raw[: entry.offset]))
    with pytest.raises(DataLossError, match="truncated"):
        tf.train.load_variable(
            str(directory / "ckpt"), "layer_with_weights-1/gamma/.ATTRIBUTES/VARIABLE_VALUE"
        )


def test_missing_shard_and_corrupt_index(tmp_path):
    directory = _copy(tmp_path, "tf_functional")
    index = directory / "ckpt.index"
    raw = bytearray(index.read_bytes())
    raw[5] ^= 0x01
    index.write_bytes(bytes(raw))
    with pytest.raises(DataLossError, match="ckpt.index is corrupt: the checksum"):
        tf.train.list_variables(str(directory / "ckpt"))
    shutil.copy(_data("tf_functional", "ckpt.index"), index)
    os.remove(directory / "ckpt.data-00000-of-00001")
    with pytest.raises(
        NotFoundError, match=r"missing its data file\(s\) .*ckpt.data-00000-of-00001"
    ):
        _functional().load_weights(str(directory / "ckpt"))


def test_a_dtype_tork_lacks_is_named(tmp_path):
    prefix = str(tmp_path / "q")
    _tensor_bundle.write_tensor_bundle(prefix, {"q": np.zeros(2, np.int8)})
    with open(prefix + ".index", "rb") as f:
        entries = _leveldb_table.read_table(f.read())
    entry = entries[1][1].replace(b"\x08\x06", b"\x08\x0b", 1)  # DT_INT8 -> DT_QINT8
    with open(prefix + ".index", "wb") as f:
        f.write(_leveldb_table.write_table([entries[0], (b"q", entry)]))
    reader = tf.train.load_checkpoint(prefix)
    assert reader.get_variable_to_dtype_map()["q"] == "qint8"
    with pytest.raises(TypeError, match="'q' with dtype qint8, which tork has no tensor type"):
        reader.get_tensor("q")


# -- restoring TensorFlow's checkpoints into tork objects -------------------------------------
# Printed by make_tf_checkpoints.py from the tf_keras model after model.fit (2 steps).
SEQ_D2_BIAS = [-0.08379893749952316, 0.013411515392363071]
SEQ_D1_KERNEL_ROW0 = [
    -0.0818394273519516,
    -0.018599718809127808,
    0.08144991099834442,
    0.1814640462398529,
]
SEQ_M_D1_BIAS = [
    0.006411484442651272,
    -0.017487164586782455,
    -0.041385821998119354,
    -0.06528447568416595,
]
SEQ_V_D2_BIAS = [0.0006817668327130377, 0.0012221427168697119]


def _sequential(with_input=True):
    layers = [keras.layers.Dense(4, name="d1"), keras.layers.Dense(2, name="d2")]
    if with_input:
        layers.insert(0, keras.Input((3,)))
    model = keras.Sequential(layers)
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    return model


def test_sequential_load_weights_restores_layers_and_adam_state():
    model = _sequential()
    status = model.load_weights(_data("tf_sequential", "cp.ckpt"))
    status.assert_consumed()
    weights = model.get_weights()
    np.testing.assert_allclose(weights[0][0], SEQ_D1_KERNEL_ROW0, rtol=1e-6)
    np.testing.assert_allclose(weights[3], SEQ_D2_BIAS, rtol=1e-6)
    optimizer = model.optimizer
    assert int(optimizer.iterations.numpy()) == 2
    np.testing.assert_allclose(
        optimizer.get_slot(model.layers[0].bias, "m"), SEQ_M_D1_BIAS, rtol=1e-6
    )
    np.testing.assert_allclose(
        optimizer.get_slot(model.layers[1].bias, "v"), SEQ_V_D2_BIAS, rtol=1e-6
    )


def test_sequential_restore_is_deferred_until_the_model_is_built():
    model = _sequential(with_input=False)
    status = model.load_weights(_data("tf_sequential", "cp.ckpt"))
    with pytest.raises(AssertionError, match="not restored into any object"):
        status.assert_consumed()
    status.assert_existing_objects_matched()
    model.build((None, 3))
    np.testing.assert_allclose(model.get_weights()[3], SEQ_D2_BIAS, rtol=1e-6)
    status.assert_consumed()


def _functional():
    inputs = keras.Input((3,), name="x")
    hidden = keras.layers.Dense(2, name="fd")(inputs)
    return keras.Model(inputs, keras.layers.BatchNormalization(name="bn")(hidden))


def test_functional_model_with_batch_norm_statistics():
    model = _functional()
    model.load_weights(_data("tf_functional", "ckpt")).assert_consumed()
    expected = [
        [[-0.1, 0.0], [0.1, 0.2], [0.3, 0.4]],
        [-0.1, 0.0], [0.9, 1.0], [-0.1, 0.0], [-0.1, 0.0], [1.9, 2.0],
    ]  # fmt: skip
    for got, want in zip(model.get_weights(), expected):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7)


def test_shape_mismatch_names_the_variable_and_both_shapes():
    inputs = keras.Input((3,), name="x")
    hidden = keras.layers.Dense(5, name="fd")(inputs)
    model = keras.Model(inputs, keras.layers.BatchNormalization(name="bn")(hidden))
    before = [w.copy() for w in model.get_weights()]
    with pytest.raises(
        ValueError,
        match=r"'layer-1/kernel'.*holds shape \(3, 2\) but the variable has shape \(3, 5\)",
    ):
        model.load_weights(_data("tf_functional", "ckpt"))
    for got, want in zip(model.get_weights(), before):
        np.testing.assert_array_equal(got, want)


class _Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = keras.layers.Dense(3, activation="relu")
        self.out = keras.layers.Dense(1)

    def call(self, x):
        return self.out(self.hidden(x))


SUB_OUT_KERNEL = [[-0.004300110042095184], [0.09935519844293594], [0.19985853135585785]]
SUB_M_HIDDEN_BIAS = [0.009533707052469254, -0.0031429980881512165, -0.018140170723199844]
SUB_V_OUT_KERNEL = [[6.345644942484796e-05], [0.0003179479972459376], [0.0007946145487949252]]


def test_checkpoint_manager_directory_of_a_subclassed_model_with_adam():
    net, optimizer = _Net(), keras.optimizers.Adam(0.05)
    checkpoint = tf.train.Checkpoint(model=net, optimizer=optimizer, step=tf.Variable(0))
    manager = tf.train.CheckpointManager(checkpoint, _data("tf_manager"), max_to_keep=2)
    assert manager.latest_checkpoint == _data("tf_manager", "ckpt-2")
    assert manager.checkpoints == [_data("tf_manager", "ckpt-1"), _data("tf_manager", "ckpt-2")]
    assert tf.train.latest_checkpoint(_data("tf_manager")) == _data("tf_manager", "ckpt-2")
    status = checkpoint.restore(manager.latest_checkpoint)
    net(X[:1])  # builds the model: its weights, then Adam's slots, are restored
    status.assert_consumed()
    assert int(checkpoint.step) == 2 and int(checkpoint.save_counter) == 2
    assert int(optimizer.iterations) == 2
    np.testing.assert_allclose(net.out.kernel.numpy(), SUB_OUT_KERNEL, rtol=1e-6)
    np.testing.assert_allclose(
        optimizer.get_slot(net.hidden.bias, "m"), SUB_M_HIDDEN_BIAS, rtol=1e-6
    )
    np.testing.assert_allclose(optimizer.get_slot(net.out.kernel, "v"), SUB_V_OUT_KERNEL, rtol=1e-6)


def test_partial_restore_of_a_tensorflow_checkpoint():
    net = _Net()
    net(X[:1])
    status = tf.train.Checkpoint(model=net).restore(_data("tf_manager", "ckpt-1"))
    status.assert_existing_objects_matched()
    status.expect_partial()
    with pytest.raises(AssertionError, match="optimizer"):
        status.assert_consumed()


def test_legacy_optimizer_slots_and_hyperparameters():
    model = keras.Sequential([keras.layers.Dense(2, name="dl", input_shape=(3,))])
    model.compile(optimizer=keras.optimizers.legacy.Adam(0.01), loss="mse")
    checkpoint = tf.train.Checkpoint(model=model, optimizer=model.optimizer)
    checkpoint.read(_data("tf_legacy", "ckpt")).assert_consumed()
    np.testing.assert_allclose(
        model.get_weights()[1], [-0.08010833710432053, 0.019917232915759087], rtol=1e-6
    )
    variables = [v.numpy() for v in model.optimizer.variables()]
    assert int(variables[0]) == 2
    np.testing.assert_allclose(variables[2], [-0.10272464156150818, -0.0948260948061943], rtol=1e-6)
    np.testing.assert_allclose(
        variables[4], [0.0005971690407022834, 0.0005062471609562635], rtol=1e-6
    )


def test_checkpoint_utils_give_tensorflows_names_shapes_and_dtypes():
    path = _data("tf_sequential", "cp.ckpt")
    listed = dict(tf.train.list_variables(path))
    assert listed["_CHECKPOINTABLE_OBJECT_GRAPH"] == []
    assert listed["layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE"] == [3, 4]
    assert listed["optimizer/_variables/8/.ATTRIBUTES/VARIABLE_VALUE"] == [2]
    assert len(listed) == 15
    reader = tf.train.load_checkpoint(_data("tf_sequential"))
    dtypes = reader.get_variable_to_dtype_map()
    assert dtypes["optimizer/_iterations/.ATTRIBUTES/VARIABLE_VALUE"] == tf.int64
    assert dtypes["_CHECKPOINTABLE_OBJECT_GRAPH"] == tf.string
    assert isinstance(reader.get_tensor("_CHECKPOINTABLE_OBJECT_GRAPH"), bytes)
    np.testing.assert_allclose(
        reader.get_tensor("layer_with_weights-1/bias/.ATTRIBUTES/VARIABLE_VALUE"),
        SEQ_D2_BIAS,
        rtol=1e-6,
    )
    with pytest.raises(ValueError, match="has no variable 'nope'"):
        reader.get_tensor("nope")


def test_tf1_name_based_saver_checkpoint():
    directory = _data("tf1_saver")
    assert tf.train.latest_checkpoint(directory) == os.path.join(directory, "model.ckpt-7")
    assert tf.train.list_variables(directory) == [
        ("dense/bias", [2]), ("dense/kernel", [3, 2]), ("global_step", [])
    ]  # fmt: skip
    np.testing.assert_allclose(
        tf.train.load_variable(directory, "dense/kernel"),
        [[-0.1, 0.0], [0.1, 0.2], [0.3, 0.4]],
        rtol=1e-6,
    )
    assert tf.train.load_variable(directory, "global_step:0") == 0
    with pytest.raises(ValueError, match="name-based .* no object graph"):
        tf.train.Checkpoint(v=tf.Variable(0.0)).restore(os.path.join(directory, "model.ckpt-7"))


# -- writing: what tork writes is what TensorFlow writes for the same code ----------------------
# Checked in the reference env as well: TensorFlow 2.21 / tf_keras restores these files
# (`load_weights`, `Checkpoint.restore(...).assert_consumed()` once its optimizer is built,
# `CheckpointManager`, `tf.train.load_variable`) with the values tork saved.
def _ramp(shape, scale=0.1):
    return (np.arange(np.prod(shape), dtype=np.float32).reshape(shape) - 1) * scale


Y = np.linspace(0, 1, 16, dtype=np.float32).reshape(8, 2)


def _structure(prefix):
    """Keys with shapes and dtypes, and the object graph as path -> (children, slots)."""
    reader = _tensor_bundle.BundleReader(prefix)
    keys = {
        key: (tuple(entry.shape), entry.dtype)
        for key, entry in reader.entries.items()
        if key != _object_graph_proto.GRAPH_KEY
    }
    nodes = _object_graph_proto.parse(reader.get(_object_graph_proto.GRAPH_KEY).item())
    paths, queue, graph = {0: ""}, [0], {}
    while queue:
        position = queue.pop(0)
        node = nodes[position]
        if not node.has_checkpoint_values:
            continue
        edges = sorted(n for t, n in node.children if nodes[t].has_checkpoint_values and t)
        slots = sorted(
            (paths.get(s.original_variable_node_id), s.slot_name) for s in node.slot_variables
        )
        graph[paths[position]] = (edges, slots, [a.checkpoint_key for a in node.attributes])
        for target, name in node.children:
            if target not in paths:
                paths[target] = f"{paths[position]}/{name}" if paths[position] else name
                queue.append(target)
    return keys, graph


def _assert_same_structure(ours, theirs):
    our_keys, our_graph = _structure(ours)
    their_keys, their_graph = _structure(theirs)
    assert our_keys == their_keys
    assert our_graph == their_graph


def test_sequential_save_weights_writes_tensorflows_keys_and_graph(tmp_path):
    model = _sequential()
    model.set_weights([_ramp((3, 4)), _ramp((4,)), _ramp((4, 2)), _ramp((2,))])
    model.fit(X, Y, batch_size=4, epochs=1, shuffle=False, verbose=0)
    model.save_weights(str(tmp_path / "cp.ckpt"))
    _assert_same_structure(str(tmp_path / "cp.ckpt"), _data("tf_sequential", "cp.ckpt"))
    assert (tmp_path / "checkpoint").read_text().startswith('model_checkpoint_path: "cp.ckpt"')
    fresh = _sequential()
    fresh.load_weights(str(tmp_path / "cp.ckpt")).assert_consumed()
    for a, b in zip(fresh.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(fresh.optimizer.variables, model.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_functional_model_writes_tensorflows_keys_and_graph(tmp_path):
    model = _functional()
    model.save_weights(str(tmp_path / "ckpt"))
    _assert_same_structure(str(tmp_path / "ckpt"), _data("tf_functional", "ckpt"))


def test_checkpoint_manager_writes_tensorflows_keys_graph_and_state_file(tmp_path):
    net, optimizer = _Net(), keras.optimizers.Adam(0.05)
    net(X[:1])
    checkpoint = tf.train.Checkpoint(model=net, optimizer=optimizer, step=tf.Variable(0))
    manager = tf.train.CheckpointManager(checkpoint, str(tmp_path), max_to_keep=2)
    for _ in range(2):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean((net(X) - Y[:, :1]) ** 2)
        grads = tape.gradient(loss, net.trainable_variables)
        optimizer.apply_gradients(zip(grads, net.trainable_variables))
        checkpoint.step.assign_add(1)
        manager.save()
    _assert_same_structure(str(tmp_path / "ckpt-2"), _data("tf_manager", "ckpt-2"))
    state = (tmp_path / "checkpoint").read_text().splitlines()
    assert state[:3] == [
        'model_checkpoint_path: "ckpt-2"',
        'all_model_checkpoint_paths: "ckpt-1"',
        'all_model_checkpoint_paths: "ckpt-2"',
    ]


def test_legacy_optimizer_writes_slot_variables(tmp_path):
    model = keras.Sequential([keras.layers.Dense(2, name="dl", input_shape=(3,))])
    model.compile(optimizer=keras.optimizers.legacy.Adam(0.01), loss="mse")
    model.fit(X, Y, batch_size=4, epochs=1, shuffle=False, verbose=0)
    prefix = str(tmp_path / "ckpt")
    tf.train.Checkpoint(model=model, optimizer=model.optimizer).write(prefix)
    _assert_same_structure(prefix, _data("tf_legacy", "ckpt"))


def test_torch_optimizer_state_goes_in_an_extra_entry(tmp_path):
    net = torch.nn.Linear(3, 2)
    optimizer = torch.optim.Adam(net.parameters(), lr=0.1)
    net(torch.ones(1, 3)).sum().backward()
    optimizer.step()
    prefix = tf.train.Checkpoint(net=net, opt=optimizer).write(str(tmp_path / "c"))
    assert "opt/.ATTRIBUTES/TORK_TORCH_STATE" in dict(tf.train.list_variables(prefix))
    fresh_net = torch.nn.Linear(3, 2)
    fresh = torch.optim.Adam(fresh_net.parameters(), lr=0.1)
    tf.train.Checkpoint(net=fresh_net, opt=fresh).read(prefix).assert_consumed()
    torch.testing.assert_close(fresh_net.weight, net.weight)
    state = fresh.state_dict()["state"][0]
    torch.testing.assert_close(state["exp_avg"], optimizer.state_dict()["state"][0]["exp_avg"])


def test_reading_the_graph_entry_gives_its_bytes(tmp_path):
    # TensorFlow's reader returns the serialized TrackableObjectGraph as bytes.
    variable = tf.Variable([1.0, 2.0])
    prefix = tf.train.Checkpoint(v=variable).write(str(tmp_path / "c"))
    graph = tf.train.load_variable(prefix, "_CHECKPOINTABLE_OBJECT_GRAPH")
    nodes = _object_graph_proto.parse(graph)
    assert nodes[0].children == [(1, "v")]
    assert nodes[1].attributes[0].checkpoint_key == "v/.ATTRIBUTES/VARIABLE_VALUE"


def test_numpy_checksums_agree_with_tensorflows(tmp_path, monkeypatch):
    # Without the optional `crc32c` package tork checksums with NumPy: TensorFlow's files
    # must still verify, and what tork writes must carry TensorFlow's checksums.
    monkeypatch.setattr(_tfrecord, "_fast_crc32c", None)
    values = _tensor_bundle.read_tensor_bundle(_data("tf_sequential", "cp.ckpt"))
    _tensor_bundle.write_tensor_bundle(str(tmp_path / "copy"), values)
    with open(_data("tf_sequential", "cp.ckpt.index"), "rb") as f:
        theirs = {
            k: _tensor_bundle.BundleEntry(v).crc32c
            for k, v in _leveldb_table.read_table(f.read())[1:]
        }
    with open(tmp_path / "copy.index", "rb") as f:
        ours = {
            k: _tensor_bundle.BundleEntry(v).crc32c
            for k, v in _leveldb_table.read_table(f.read())[1:]
        }
    assert ours == theirs
    big = np.arange(300_000, dtype=np.float32)  # the lane-parallel path
    _tensor_bundle.write_tensor_bundle(str(tmp_path / "big"), {"x": big})
    np.testing.assert_array_equal(
        _tensor_bundle.read_tensor_bundle(str(tmp_path / "big"))["x"], big
    )


def test_failed_save_leaves_the_checkpoint_at_that_prefix_whole(tmp_path, monkeypatch):
    variable = tf.Variable([1.0, 2.0])
    checkpoint = tf.train.Checkpoint(v=variable)
    prefix = checkpoint.write(str(tmp_path / "c"))
    variable.assign([5.0, 6.0])

    def crash(*args):
        raise OSError("disk full")

    monkeypatch.setattr(_leveldb_table, "write_table", crash)
    with pytest.raises(OSError, match="disk full"):
        checkpoint.write(prefix)  # the same prefix: the old files must survive
    monkeypatch.undo()
    assert sorted(os.listdir(tmp_path)) == ["c.data-00000-of-00001", "c.index"]
    restored = tf.Variable([0.0, 0.0])
    tf.train.Checkpoint(v=restored).read(prefix).assert_consumed()
    np.testing.assert_array_equal(restored.numpy(), [1.0, 2.0])


def test_dataset_iterator_position_round_trips(tmp_path):
    iterator = iter(tf.data.Dataset.range(10))
    next(iterator), next(iterator)
    prefix = tf.train.Checkpoint(it=iterator).write(str(tmp_path / "c"))
    # TensorFlow has no slot for tork's position: an extra entry that TensorFlow's
    # restore leaves alone (reported by assert_consumed, silenced by expect_partial).
    assert tf.train.load_variable(prefix, "it/.ATTRIBUTES/ITERATOR_STATE") == 2
    fresh = iter(tf.data.Dataset.range(10))
    tf.train.Checkpoint(it=fresh).read(prefix).assert_consumed()
    assert int(next(fresh)) == 2


# Printed by make_tf_checkpoints.py (rmsprop_and_nadam): two models both with a layer `d`,
# so TensorFlow's full names `d/kernel` repeat; each optimizer's slots belong to the model
# that tracks it.
RMS_VELOCITY_BIAS = [0.05968251824378967, 0.048910580575466156]
RMS_AVERAGE_GRADIENT_BIAS = [-0.10404340922832489, -0.096144899725914]
NADAM_MOMENTUM_BIAS = [-0.10308743268251419, -0.09518888592720032]


def _two_models():
    out = {}
    for name, optimizer in [
        ("rms", keras.optimizers.RMSprop(0.01, momentum=0.5, centered=True)),
        ("nadam", keras.optimizers.Nadam(0.01)),
    ]:
        model = keras.Sequential([keras.layers.Dense(2, name="d", input_shape=(3,))])
        model.compile(optimizer=optimizer, loss="mse")
        out[f"{name}_model"], out[name] = model, optimizer
    return out


def test_rmsprop_and_nadam_layouts_and_repeated_variable_names():
    objects = _two_models()
    tf.train.Checkpoint(**objects).read(_data("tf_rmsprop_nadam", "ckpt")).assert_consumed()
    rms, nadam = objects["rms"], objects["nadam"]
    assert rms._trainable_variables[0] is objects["rms_model"].layers[0].kernel
    assert nadam._trainable_variables[0] is objects["nadam_model"].layers[0].kernel
    bias = objects["rms_model"].layers[0].bias
    np.testing.assert_allclose(rms.get_slot(bias, "rms"), RMS_VELOCITY_BIAS, rtol=1e-6)
    np.testing.assert_allclose(rms.get_slot(bias, "mg"), RMS_AVERAGE_GRADIENT_BIAS, rtol=1e-6)
    bias = objects["nadam_model"].layers[0].bias
    np.testing.assert_allclose(nadam.get_slot(bias, "m"), NADAM_MOMENTUM_BIAS, rtol=1e-6)
    assert int(rms.iterations) == int(nadam.iterations) == 2


def test_rmsprop_and_nadam_write_tensorflows_layout(tmp_path):
    objects = _two_models()
    for name in ("rms", "nadam"):
        objects[f"{name}_model"].fit(X, Y, batch_size=4, epochs=1, shuffle=False, verbose=0)
    prefix = tf.train.Checkpoint(**objects).write(str(tmp_path / "ckpt"))
    _assert_same_structure(prefix, _data("tf_rmsprop_nadam", "ckpt"))
    fresh = _two_models()
    tf.train.Checkpoint(**fresh).read(prefix).assert_consumed()
    for name in ("rms", "nadam"):
        for a, b in zip(fresh[name].variables, objects[name].variables):
            np.testing.assert_array_equal(a.numpy(), b.numpy())


def _index_entries(prefix):
    with open(prefix + ".index", "rb") as f:
        return _leveldb_table.read_table(f.read())


def _write_index(prefix, entries):
    with open(prefix + ".index", "wb") as f:
        f.write(_leveldb_table.write_table(entries))


def test_several_data_shards_are_read(tmp_path):
    # TensorFlow writes one shard per device; make a two-shard bundle from two bundles.
    a, b = str(tmp_path / "a"), str(tmp_path / "b")
    _tensor_bundle.write_tensor_bundle(a, {"x": np.arange(3, dtype=np.float32)})
    _tensor_bundle.write_tensor_bundle(b, {"y": np.array([7, 8], np.int64)})
    prefix = str(tmp_path / "p")
    os.rename(a + ".data-00000-of-00001", prefix + ".data-00000-of-00002")
    os.rename(b + ".data-00000-of-00001", prefix + ".data-00001-of-00002")
    header = b"\x08\x02\x1a\x02\x08\x01"  # num_shards 2, version 1
    y_entry = _index_entries(b)[1][1] + b"\x18\x01"  # + shard_id 1
    _write_index(prefix, [(b"", header), _index_entries(a)[1], (b"y", y_entry)])
    values = _tensor_bundle.read_tensor_bundle(prefix)
    np.testing.assert_array_equal(values["x"], [0.0, 1.0, 2.0])
    np.testing.assert_array_equal(values["y"], [7, 8])
    os.remove(prefix + ".data-00001-of-00002")
    with pytest.raises(NotFoundError, match=r"missing its data file\(s\) .*p.data-00001-of-00002"):
        tf.train.list_variables(prefix)


def test_partitioned_variable_slices_are_named(tmp_path):
    prefix = str(tmp_path / "s")
    _tensor_bundle.write_tensor_bundle(prefix, {"w": np.zeros(4, np.float32)})
    entries = _index_entries(prefix)
    sliced = entries[1][1] + b"\x3a\x00"  # + an (empty) TensorSliceProto in `slices`
    _write_index(prefix, [entries[0], (b"w", sliced)])
    with pytest.raises(NotImplementedError, match="'w' as slices of a partitioned variable"):
        tf.train.load_variable(prefix, "w")


def test_sgd_without_momentum_keeps_tf_keras_zero_slots(tmp_path):
    # tf_keras's SGD always creates momentum slots `m` (zero without momentum); tork's has
    # none. TensorFlow's restore wants them (assert_consumed: "Python objects ... not
    # bound"), so tork writes zeros; reading TensorFlow's, tork consumes and drops them.
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="d")])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    status = tf.train.Checkpoint(
        model=model,
        ckpt_saved_epoch=tf.Variable(0, dtype=tf.int64),
        ckpt_saved_batch=tf.Variable(0, dtype=tf.int64),
        train_counter=tf.Variable(0, dtype=tf.int64),
    ).restore(_data("tf_backup", "chief", "ckpt-2"))
    status.assert_consumed()
    assert int(model.optimizer.iterations) == 4 and not model.optimizer._slots
    prefix = str(tmp_path / "ckpt")
    model.save_weights(prefix)
    listed = dict(tf.train.list_variables(prefix))
    assert listed["optimizer/_variables/1/.ATTRIBUTES/VARIABLE_VALUE"] == [3, 2]
    np.testing.assert_array_equal(
        tf.train.load_variable(prefix, "optimizer/_variables/2/.ATTRIBUTES/VARIABLE_VALUE"), [0, 0]
    )
