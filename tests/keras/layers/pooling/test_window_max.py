"""Max pooling over tiling windows as traced into compiled steps (`_window_max`).

The reference is torch's own `max_pool*d` (values and gradients, bit for bit) and, for the
rule on ties, a hand-computed gradient. Traced code is checked through `make_fx` (what the
compiled training step traces) and, once, through inductor.
"""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch.fx.experimental.proxy_tensor import make_fx

import tork as tf
from tork.keras.layers.pooling import _window_max
from tork.keras.layers.pooling._window_max import tiles, window_max

keras = tf.keras
_TORCH_POOL = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}


def _torch_pool(x, pool, channels_last):
    rank = len(pool)
    xt = x.movedim(-1, 1) if channels_last else x
    y = _TORCH_POOL[rank](xt, pool)
    return y.movedim(1, -1) if channels_last else y


def _value_and_grad(fn, x, g):
    x = x.detach().requires_grad_()
    y = fn(x)
    return y, torch.autograd.grad(y, x, g)[0]


CASES = [
    ((2,), (9,)),  # a remainder cell that no window covers
    ((2, 2), (6, 7)),
    ((3, 2), (7, 5)),
    ((1, 1), (3, 3)),
    ((4, 4), (8, 8)),
    ((2, 2, 2), (4, 5, 4)),
]


@pytest.mark.parametrize("pool, spatial", CASES)
@pytest.mark.parametrize("channels_last", [True, False])
@pytest.mark.parametrize("data", ["random", "ties"])
def test_values_and_gradients_equal_torch(pool, spatial, channels_last, data):
    gen = torch.Generator().manual_seed(0)
    shape = (3, *spatial, 4) if channels_last else (3, 4, *spatial)
    x = torch.randn(shape, generator=gen)
    if data == "ties":  # many equal maxima per window, as after a relu
        x = torch.relu(torch.round(x))
    g = torch.randn(_torch_pool(x, pool, channels_last).shape, generator=gen)
    y_ref, g_ref = _value_and_grad(lambda t: _torch_pool(t, pool, channels_last), x, g)

    def mine(x, g):
        return _value_and_grad(lambda t: window_max(t, pool, channels_last), x, g)

    y, grad = mine(x, g)
    assert torch.equal(y, y_ref)
    assert torch.equal(grad, g_ref)
    traced = make_fx(mine)(x, g)
    y, grad = traced(x, g)
    assert torch.equal(y, y_ref)
    assert torch.equal(grad, g_ref)


def test_ties_go_to_the_first_cell_in_row_major_order():
    x = torch.tensor([[3.0, 1.0, 3.0, 3.0], [3.0, 3.0, 2.0, 2.0]]).reshape(1, 2, 4, 1)
    # windows: [[3,1],[3,3]] -> first cell (0,0); [[3,3],[2,2]] -> cell (0,0) of window 2
    _, grad = _value_and_grad(lambda t: window_max(t, (2, 2), True), x, torch.ones(1, 1, 2, 1))
    expected = np.array([[1.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 0.0]]).reshape(1, 2, 4, 1)
    np.testing.assert_array_equal(grad.numpy(), expected)


def test_a_window_holding_nan_pools_to_nan_and_gives_its_first_nan_the_gradient():
    x = torch.tensor([[1.0, float("nan")], [float("nan"), 5.0]]).reshape(1, 2, 2, 1)
    y, grad = _value_and_grad(
        lambda t: window_max(t, (2, 2), True), x, torch.full((1, 1, 1, 1), 2.0)
    )
    assert torch.isnan(y).all()
    np.testing.assert_array_equal(grad.numpy().ravel(), [0.0, 2.0, 0.0, 0.0])


def test_tiles_only_non_overlapping_windows_up_to_sixteen_cells():
    assert tiles((28, 28), (2, 2), (2, 2))
    assert not tiles((28, 28), (3, 3), (2, 2))  # overlapping windows keep torch's kernel
    assert not tiles((28, 28), (5, 5), (5, 5))  # 25 cells
    assert not tiles((1, 28), (2, 2), (2, 2))  # a window larger than the input
    assert not tiles((None, 28), (2, 2), (2, 2))


def test_compiled_step_uses_window_max_and_trains_like_eager(monkeypatch):
    """A jit_compile step of a small CNN (inductor) ends with the eager step's weights."""
    calls = []
    original = _window_max.window_max

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(_window_max, "window_max", counting)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((16, 8, 8, 2)).astype("float32")
    y = rng.integers(0, 3, size=(16,))

    def make(jit):
        keras.utils.set_random_seed(1)
        model = keras.Sequential(
            [
                keras.Input((8, 8, 2)),
                keras.layers.Conv2D(4, 3, activation="relu", padding="same"),
                keras.layers.MaxPooling2D(2),
                keras.layers.Flatten(),
                keras.layers.Dense(3),
            ]
        )
        model.compile(
            optimizer=keras.optimizers.SGD(0.1),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            jit_compile=jit,
        )
        return model

    eager = make(False)
    calls.clear()
    eager.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    assert not calls  # eager steps keep torch's pooling kernel
    compiled = make(True)
    compiled.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    assert calls  # traced into the compiled step
    for a, b in zip(eager.get_weights(), compiled.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
