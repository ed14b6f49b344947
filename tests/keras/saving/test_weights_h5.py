import h5py
import numpy as np
import pytest
import torch

from tork import keras
from tork.keras.saving import KerasFileError


def _tree(path) -> dict:
    """{dataset path: array} and {group path: attrs} of an HDF5 file."""
    datasets, groups = {}, {}

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            datasets[name] = obj[()]
        else:
            groups[name] = dict(obj.attrs)

    with h5py.File(path, "r") as f:
        f.visititems(visit)
        groups[""] = dict(f.attrs)
    return datasets, groups


def test_paths_follow_structure_not_names(tmp_path):
    model = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(4, name="d1"), keras.layers.Dense(2, name="d2")],
        name="net",
    )
    path = tmp_path / "w.weights.h5"
    model.save_weights(path)
    datasets, groups = _tree(path)
    kernel, bias = model.layers[0].get_weights()
    np.testing.assert_array_equal(datasets["layers/dense/vars/0"], kernel)
    np.testing.assert_array_equal(datasets["layers/dense/vars/1"], bias)
    np.testing.assert_array_equal(
        datasets["layers/dense_1/vars/0"], model.layers[1].get_weights()[0]
    )
    assert groups["layers/dense/vars"]["name"] == "d1"
    assert groups["layers/dense_1/vars"]["name"] == "d2"
    assert groups["vars"]["name"] == "net"
    assert set(datasets) == {
        "layers/dense/vars/0",
        "layers/dense/vars/1",
        "layers/dense_1/vars/0",
        "layers/dense_1/vars/1",
    }


def test_nested_model_and_optimizer_paths(tmp_path):
    inner = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4)])
    inputs = keras.Input((3,))
    outputs = keras.layers.Dense(1)(inner(inputs))
    model = keras.Model(inputs, outputs)
    model.compile(keras.optimizers.Adam(learning_rate=0.5), "mse")
    model.fit(np.ones((4, 3), "float32"), np.ones((4, 1), "float32"), verbose=0, epochs=1)
    path = tmp_path / "w.weights.h5"
    model.save_weights(path)
    datasets, groups = _tree(path)
    assert "layers/sequential/layers/dense/vars/1" in datasets
    assert "layers/dense/vars/0" in datasets  # the outer Dense: first Dense in `layers`
    assert "layers/input_layer/vars" in groups  # layers without weights get an empty group
    assert datasets["optimizer/vars/0"] == 1  # iteration
    assert datasets["optimizer/vars/1"] == pytest.approx(0.5)  # learning rate
    # Then the slots: Adam's momentum and velocity per variable (4 variables).
    slots = [k for k in datasets if k.startswith("optimizer/vars/")]
    assert len(slots) == 2 + 2 * 4
    assert groups["optimizer/vars"]["name"] == model.optimizer.name


class _Blocks(keras.Model):
    def __init__(self):
        super().__init__()
        self.shared = keras.layers.Dense(3)
        self.blocks = [keras.layers.Dense(3), self.shared, keras.layers.Dense(3)]
        self.alpha = keras.layers.Dense(3)
        self._private_head = keras.layers.Dense(1)

    def call(self, x):
        for block in self.blocks:
            x = block(x)
        return self._private_head(self.alpha(x))


def test_subclassed_attribute_paths(tmp_path):
    model = _Blocks()
    model(np.ones((2, 3), "float32"))
    path = tmp_path / "w.weights.h5"
    model.save_weights(path)
    datasets, _ = _tree(path)
    kernels = sorted(k for k in datasets if k.endswith("/vars/0"))
    # Sorted attributes: `blocks` comes before `shared`, so the shared layer is saved inside the
    # list (named by its class); `layers` (every sublayer) comes before the private attribute,
    # so `_private_head` is saved as the fifth Dense of `layers`.
    assert kernels == [
        "alpha/vars/0",
        "blocks/dense/vars/0",
        "blocks/dense_1/vars/0",
        "blocks/dense_2/vars/0",
        "layers/dense_4/vars/0",
    ]
    np.testing.assert_array_equal(datasets["blocks/dense_1/vars/0"], model.shared.get_weights()[0])
    np.testing.assert_array_equal(
        datasets["layers/dense_4/vars/0"], model._private_head.get_weights()[0]
    )


def test_frozen_layer_keeps_creation_order(tmp_path):
    model = keras.Sequential([keras.Input((3,)), keras.layers.BatchNormalization()])
    bn = model.layers[0]
    with torch.no_grad():
        for i, w in enumerate(bn.weights):
            w.fill_(float(i + 1))
    bn.trainable = False
    path = tmp_path / "w.weights.h5"
    model.save_weights(path)
    datasets, _ = _tree(path)
    # gamma, beta, moving_mean, moving_variance whatever the trainable flag is now.
    assert [float(datasets[f"layers/batch_normalization/vars/{i}"][0]) for i in range(4)] == [
        1.0,
        2.0,
        3.0,
        4.0,
    ]


def _dense_model(units=4):
    return keras.Sequential([keras.Input((3,)), keras.layers.Dense(units), keras.layers.Dense(2)])


def test_round_trip_weights_and_optimizer(tmp_path, same_weights):
    keras.utils.set_random_seed(3)
    model = _dense_model()
    model.compile("adam", "mse")
    x = np.random.default_rng(0).normal(size=(8, 3)).astype("float32")
    y = np.zeros((8, 2), "float32")
    model.fit(x, y, verbose=0, epochs=2, batch_size=4)
    model.save_weights(tmp_path / "w.weights.h5")
    other = _dense_model()
    other.compile("adam", "mse")
    other.load_weights(tmp_path / "w.weights.h5")
    assert same_weights(model, other)
    assert int(other.optimizer.iterations) == 4
    model.fit(x, y, verbose=0, epochs=1, batch_size=4, shuffle=False)
    other.fit(x, y, verbose=0, epochs=1, batch_size=4, shuffle=False)
    assert same_weights(model, other)


def test_wrong_architecture_names_layer_and_shapes(tmp_path):
    _dense_model(4).save_weights(tmp_path / "w.weights.h5")
    target = _dense_model(5)
    before = target.get_weights()
    with pytest.raises(
        KerasFileError,
        match=r"Dense layer 'dense_\d+' at 'layers/dense': weight .*kernel.* has shape "
        r"\(3, 5\) in the model but \(3, 4\) in the file",
    ):
        target.load_weights(tmp_path / "w.weights.h5")
    # Nothing half-loaded: the second layer matched, but nothing was written.
    assert all(np.array_equal(a, b) for a, b in zip(before, target.get_weights()))


def test_extra_layers_in_file(tmp_path):
    bigger = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(4), keras.layers.Dense(2), keras.layers.Dense(2)]
    )
    bigger.save_weights(tmp_path / "w.weights.h5")
    with pytest.raises(KerasFileError, match=r"weights at \['layers/dense_2/vars'\].*different"):
        _dense_model().load_weights(tmp_path / "w.weights.h5")


def test_count_mismatch_and_skip_mismatch(tmp_path):
    with_bias = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2), keras.layers.Dense(2)])
    with_bias.save_weights(tmp_path / "w.weights.h5")
    target = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(2, use_bias=False), keras.layers.Dense(2)]
    )
    with pytest.raises(KerasFileError, match=r"expects 1 weight\(s\).*file has 2 with shapes"):
        target.load_weights(tmp_path / "w.weights.h5")
    with pytest.warns(UserWarning, match="Skipping loading weights"):
        target.load_weights(tmp_path / "w.weights.h5", skip_mismatch=True)
    np.testing.assert_array_equal(
        target.layers[1].get_weights()[0], with_bias.layers[1].get_weights()[0]
    )


def test_unbuilt_model_explains(tmp_path):
    _dense_model().save_weights(tmp_path / "w.weights.h5")
    unbuilt = keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(2)])
    with pytest.raises(KerasFileError, match=r"never built.*model\.build\(input_shape\)"):
        unbuilt.load_weights(tmp_path / "w.weights.h5")


def test_truncated_weights_file(tmp_path):
    path = tmp_path / "w.weights.h5"
    _dense_model().save_weights(path)
    payload = path.read_bytes()
    path.write_bytes(payload[: len(payload) // 3])
    target = _dense_model()
    before = target.get_weights()
    with pytest.raises(KerasFileError, match="truncated or corrupted"):
        target.load_weights(path)
    assert all(np.array_equal(a, b) for a, b in zip(before, target.get_weights()))


def test_optimizer_mismatch_warns_and_keeps_layers(tmp_path, same_weights):
    model = _dense_model()
    model.compile("adam", "mse")
    model.fit(np.ones((4, 3), "float32"), np.ones((4, 2), "float32"), verbose=0)
    model.save_weights(tmp_path / "w.weights.h5")
    other = _dense_model()
    other.compile("sgd", "mse")
    with pytest.warns(UserWarning, match="Skipping loading the state of optimizer"):
        other.load_weights(tmp_path / "w.weights.h5")
    assert same_weights(model, other)


def test_keras2_optimizer_layout_without_learning_rate(tmp_path):
    # Keras 2 files hold iteration then the slots (momentum/velocity interleaved), no lr.
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, use_bias=False)])
    model.compile(keras.optimizers.Adam(learning_rate=0.25), "mse")
    path = tmp_path / "w.weights.h5"
    with h5py.File(path, "w") as f:
        f.create_dataset("layers/dense/vars/0", data=np.full((2, 1), 0.5, "float32"))
        f.create_dataset("optimizer/vars/0", data=np.array(7, "int64"))
        f.create_dataset("optimizer/vars/1", data=np.full((2, 1), 0.1, "float32"))
        f.create_dataset("optimizer/vars/2", data=np.full((2, 1), 0.2, "float32"))
    model.load_weights(path)
    assert int(model.optimizer.iterations) == 7
    assert float(model.optimizer.learning_rate) == pytest.approx(0.25)
    momentum = model.optimizer.get_slot(model.layers[0].kernel, "momentum")
    velocity = model.optimizer.get_slot(model.layers[0].kernel, "velocity")
    np.testing.assert_allclose(momentum.detach().numpy(), 0.1)
    np.testing.assert_allclose(velocity.detach().numpy(), 0.2)


def test_bfloat16_datasets(tmp_path):
    # Keras marks bfloat16 data with the attribute dtype="bfloat16" (2-byte values).
    values = torch.tensor([[1.5], [-2.25]], dtype=torch.bfloat16)
    bits = values.view(torch.int16).numpy().view("V2")
    path = tmp_path / "w.weights.h5"
    with h5py.File(path, "w") as f:
        dataset = f.create_dataset("layers/dense/vars/0", data=bits)
        dataset.attrs["dtype"] = "bfloat16"
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, use_bias=False)])
    model.load_weights(path)
    np.testing.assert_array_equal(model.layers[0].get_weights()[0], [[1.5], [-2.25]])


def test_save_format_h5_forces_the_keras2_layout_on_any_suffix(tmp_path, same_weights):
    model = _dense_model()
    model.save_weights(tmp_path / "weights.bin", save_format="h5")
    with h5py.File(tmp_path / "weights.bin", "r") as f:
        assert "layer_names" in f.attrs  # Keras 2's HDF5 layout
    other = _dense_model()
    other.load_weights(tmp_path / "weights.bin")
    assert same_weights(model, other)
    # tf_keras 2.21 takes 'keras' (and 'hdf5', any case) for its HDF5 layout here.
    model.save_weights(tmp_path / "w", save_format="keras")
    with h5py.File(tmp_path / "w", "r") as f:
        assert "layer_names" in f.attrs
    with pytest.raises(ValueError, match="save_format must be 'h5' or 'tf'"):
        model.save_weights(tmp_path / "w2", save_format="onnx")


def test_unreadable_checkpoint_index_is_named(tmp_path):
    (tmp_path / "ckpt.index").write_bytes(b"")
    with pytest.raises(KerasFileError, match=r"ckpt.index is not a checkpoint index tork can read"):
        _dense_model().load_weights(tmp_path / "ckpt")
    with pytest.raises(KerasFileError, match="is a checkpoint prefix .* weights only"):
        keras.models.load_model(tmp_path / "ckpt")


def test_plain_torch_module_inside_a_model_is_saved(tmp_path):
    class WithTorch(keras.Model):
        def __init__(self):
            super().__init__()
            self.linear = torch.nn.Linear(3, 2)
            self.norm = torch.nn.BatchNorm1d(2)

        def call(self, x):
            return self.norm(self.linear(x))

    model = WithTorch()
    model(torch.ones(4, 3))
    model.save_weights(tmp_path / "w.weights.h5")
    datasets, _ = _tree(tmp_path / "w.weights.h5")
    np.testing.assert_array_equal(datasets["linear/vars/0"], model.linear.weight.detach().numpy())
    other = WithTorch()
    other(torch.ones(4, 3))
    other.load_weights(tmp_path / "w.weights.h5")
    for a, b in zip(model.state_dict().values(), other.state_dict().values()):
        assert torch.equal(a, b)


def test_tf_keras_private_sublayer_group_names_load(tmp_path):
    # tf.keras 2.21 writes MultiHeadAttention's sublayers under their attribute names
    # (`layers/multi_head_attention/_query_dense/vars`); tork's paths have no underscore.
    def build():
        inputs = keras.Input((4, 6))
        attention = keras.layers.MultiHeadAttention(2, 3, name="multi_head_attention")
        return keras.Model(inputs, attention(inputs, inputs))

    source = build()
    path = tmp_path / "k2.weights.h5"
    source.save_weights(path)
    with h5py.File(path, "r+") as f:
        group = f["layers/multi_head_attention"]
        for name in ("query_dense", "key_dense", "value_dense", "output_dense"):
            # tork also writes the private names (soft links, for tf_keras); a tf_keras file
            # holds only them.
            if "_" + name in group:
                del group["_" + name]
            group.move(name, "_" + name)
    target = build()
    target.load_weights(path)
    for got, want in zip(target.get_weights(), source.get_weights()):
        np.testing.assert_array_equal(got, want)


def test_tf_keras_subclassed_attribute_order_loads(tmp_path):
    # tf_keras 2.21 saves `_Blocks` walking `sorted(dir(model), reverse=True)`: `shared` first,
    # then `layers` (where `shared`, already saved, uses up no name), as printed by
    # `model.save_weights` there: layers/dense, layers/dense_1, layers/dense_2, layers/dense_3,
    # shared. tork writes the Keras 3 order; the file is rewritten into the tf_keras paths.
    keras3_to_tf_keras = {
        "blocks/dense": "layers/dense",
        "blocks/dense_2": "layers/dense_1",
        "alpha": "layers/dense_2",
        "layers/dense_4": "layers/dense_3",
        "blocks/dense_1": "shared",
    }
    source = _Blocks()
    source(np.ones((2, 3), "float32"))
    path = tmp_path / "k3.weights.h5"
    source.save_weights(path)
    k2_path = tmp_path / "k2.weights.h5"
    with h5py.File(path, "r") as f, h5py.File(k2_path, "w") as g:
        g.create_group("vars")
        for old, new in keras3_to_tf_keras.items():
            group = g.create_group(f"{new}/vars")
            for index in ("0", "1"):
                group[index] = f[f"{old}/vars/{index}"][()]
    target = _Blocks()
    target(np.ones((2, 3), "float32"))
    target.load_weights(k2_path)
    for layer in ("shared", "alpha", "_private_head"):
        for got, want in zip(
            getattr(target, layer).get_weights(), getattr(source, layer).get_weights()
        ):
            np.testing.assert_array_equal(got, want)
    for got, want in zip(target.get_weights(), source.get_weights()):
        np.testing.assert_array_equal(got, want)


def test_tf_keras_order_fallback_keeps_the_keras3_error(tmp_path):
    # A file that fits neither order reports the Keras 3 paths (the format tork writes).
    model = _Blocks()
    model(np.ones((2, 3), "float32"))
    path = tmp_path / "bad.weights.h5"
    with h5py.File(path, "w") as f:
        f.create_group("vars")
        f["shared/vars/0"] = np.zeros((3, 3), "float32")
    with pytest.raises(KerasFileError, match="at 'alpha' expects 2 weight"):
        model.load_weights(path)
