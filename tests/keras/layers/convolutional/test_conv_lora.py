"""LoRA on Conv1D/2D/3D (Keras 3.15's `BaseConv.enable_lora` and `lora_rank`).

Reference numbers from Keras 3.15.1 (TensorFlow backend) running the same script:
/tmp/lead18/conv_lora_k3.py in the eighteenth session.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras


def _data():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 6, 6, 3)).astype("float32")
    y = rng.standard_normal((4, 4, 4, 5)).astype("float32")
    k = (rng.standard_normal((3, 3, 3, 5)) * 0.3).astype("float32")
    b = np.linspace(-0.2, 0.2, 5).astype("float32")
    a0 = (rng.standard_normal((3, 3, 3, 2)) * 0.2).astype("float32")
    b0 = (rng.standard_normal((2, 5)) * 0.2).astype("float32")
    return x, y, k, b, a0, b0


def _lora_model():
    x, y, k, b, a0, b0 = _data()
    inp = keras.Input((6, 6, 3))
    conv = keras.layers.Conv2D(5, 3, name="c")
    model = keras.Model(inp, conv(inp))
    conv.set_weights([k, b])
    conv.enable_lora(2, lora_alpha=4)
    conv.lora_kernel_a.assign(a0)
    conv.lora_kernel_b.assign(b0)
    return model, conv, x, y, k, b, a0, b0


def test_conv2d_lora_weights_and_output_match_keras3():
    model, conv, x, _, k, b, a0, b0 = _lora_model()
    assert [w.path for w in model.weights] == [
        "c/kernel",
        "c/bias",
        "c/lora_kernel_a",
        "c/lora_kernel_b",
    ]
    assert [w.path for w in model.trainable_weights] == [
        "c/bias",
        "c/lora_kernel_a",
        "c/lora_kernel_b",
    ]
    out = model.predict(x, verbose=0)
    # Keras 3.15: out[0, 0, 0]
    np.testing.assert_allclose(
        out[0, 0, 0], [1.1212087, -0.8639153, 1.9933552, -0.34216398, -0.8243609], rtol=1e-5
    )
    # Independent: a 'valid' correlation with the merged kernel, by NumPy.
    merged = k + 2.0 * np.einsum("hwir,ro->hwio", a0, b0)
    ref = np.einsum("hwi,hwio->o", x[0, :3, :3, :], merged) + b
    np.testing.assert_allclose(out[0, 0, 0], ref, rtol=1e-5, atol=1e-6)


def test_conv2d_lora_fit_matches_keras3():
    model, conv, x, y, k, *_ = _lora_model()
    model.compile(keras.optimizers.SGD(0.1), "mse")
    history = model.fit(x, y, batch_size=4, epochs=3, verbose=0)
    np.testing.assert_allclose(
        history.history["loss"],
        [2.8531765937805176, 2.6596193313598633, 2.539752244949341],
        rtol=1e-5,
    )
    np.testing.assert_allclose(
        conv.lora_kernel_a.numpy()[0, 0],
        [[-0.03305406, 0.17755559], [0.04381183, -0.01522714], [-0.04730094, -0.19865237]],
        rtol=1e-4,
        atol=1e-7,
    )
    np.testing.assert_allclose(
        conv.lora_kernel_b.numpy(),
        [
            [-0.18480648, -0.02903619, 0.26308495, 0.15128194, -0.07733603],
            [-0.1270819, 0.03217027, -0.52839917, -0.08476092, -0.0020876],
        ],
        rtol=1e-4,
        atol=1e-7,
    )
    # The frozen kernel did not move.
    np.testing.assert_array_equal(conv._kernel.numpy(), k)


def test_pointwise_conv1d_lora_rank_argument():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 7, 3)).astype("float32")
    layer = keras.layers.Conv1D(4, 1, lora_rank=2, lora_alpha=6, name="p")
    layer(x)
    assert layer.lora_enabled
    assert [tuple(w.shape) for w in layer.weights] == [(1, 3, 4), (4,), (1, 3, 2), (2, 4)]
    config = layer.get_config()
    assert (config["lora_rank"], config["lora_alpha"]) == (2, 6)
    a = rng.standard_normal((1, 3, 2)).astype("float32")
    b = rng.standard_normal((2, 4)).astype("float32")
    layer.lora_kernel_a.assign(a)
    layer.lora_kernel_b.assign(b)
    kernel, bias = layer._kernel.numpy(), layer.bias.numpy()
    # The 1x1 convolution runs as a matrix product: it must use the merged kernel too.
    ref = x @ (kernel[0] + 3.0 * a[0] @ b) + bias
    np.testing.assert_allclose(layer(x).numpy(), ref, rtol=1e-5, atol=1e-6)
    # Keras 3 writes no LoRA entries for a plain conv layer.
    assert "lora_rank" not in keras.layers.Conv1D(4, 1).get_config()


def test_conv_lora_saves_merged_kernel():
    model, conv, x, *_ = _lora_model()
    expected = model.predict(x, verbose=0)
    store = {}
    conv.save_own_variables(store)
    assert sorted(store) == ["0", "1"]
    plain = keras.layers.Conv2D(5, 3)
    plain.build((None, 6, 6, 3))
    plain.load_own_variables(store)
    np.testing.assert_allclose(plain(x).numpy(), expected, rtol=1e-5, atol=1e-6)


def test_conv_lora_errors():
    with pytest.raises(ValueError, match="isn't yet built"):
        keras.layers.Conv2D(2, 3).enable_lora(2)
    layer = keras.layers.Conv2D(2, 3, kernel_constraint="non_neg")
    layer.build((None, 5, 5, 1))
    with pytest.raises(ValueError, match="remove the `kernel_constraint` argument"):
        layer.enable_lora(2)
    layer = keras.layers.Conv3D(2, 1)
    layer.build((None, 2, 2, 2, 1))
    layer.enable_lora(1)
    with pytest.raises(ValueError, match="already enabled"):
        layer.enable_lora(1)
