"""Tests for the merging layers and their functional forms against NumPy."""

import numpy as np
import pytest
import torch

from tork._backend.device import current_device
from tork.keras.layers.layer import Layer
from tork.keras.layers.merging import (
    Add,
    Average,
    Concatenate,
    Dot,
    Maximum,
    Minimum,
    Multiply,
    Subtract,
    add,
    average,
    concatenate,
    dot,
    maximum,
    minimum,
    multiply,
    subtract,
)

RNG = np.random.default_rng(3)


def _np(t):
    return t.detach().cpu().numpy()


def _arrays(*shapes):
    return [RNG.normal(size=s).astype(np.float32) for s in shapes]


def _tensors(arrays):
    return [torch.tensor(a) for a in arrays]


def _masked(x, mask):
    x = torch.as_tensor(x)
    x._keras_mask = torch.as_tensor(mask)
    return x


class SkipConnectionModel(Layer):
    def __init__(self, merge, **kwargs):
        super().__init__(**kwargs)
        self.merge = merge

    def call(self, inputs):
        return self.merge(inputs)


ELEMENTWISE = [
    (Add, add, lambda xs: xs[0] + xs[1] + xs[2]),
    (Multiply, multiply, lambda xs: xs[0] * xs[1] * xs[2]),
    (Average, average, lambda xs: (xs[0] + xs[1] + xs[2]) / 3.0),
    (Maximum, maximum, lambda xs: np.maximum(np.maximum(xs[0], xs[1]), xs[2])),
    (Minimum, minimum, lambda xs: np.minimum(np.minimum(xs[0], xs[1]), xs[2])),
]


@pytest.mark.parametrize("cls, fn, reference", ELEMENTWISE)
def test_elementwise_merges_match_numpy(cls, fn, reference):
    xs = _arrays((4, 5), (4, 5), (4, 5))
    layer = cls()
    out = layer(_tensors(xs))
    np.testing.assert_allclose(_np(out), reference(xs), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(_np(fn(_tensors(xs))), reference(xs), rtol=1e-6, atol=1e-6)
    assert layer.compute_output_shape([(4, 5)] * 3) == tuple(out.shape)
    assert layer.compute_output_shape([(None, 5)] * 3) == (None, 5)


@pytest.mark.parametrize("cls, fn, reference", ELEMENTWISE)
def test_elementwise_merges_broadcast_size_one(cls, fn, reference):
    xs = _arrays((3, 4), (3, 1), (3, 4))
    layer = cls()
    out = layer(_tensors(xs))
    np.testing.assert_allclose(_np(out), reference(xs), rtol=1e-6, atol=1e-6)
    assert layer.compute_output_shape([(None, 4), (None, 1), (None, 4)]) == (None, 4)


def test_subtract_matches_numpy():
    a, b = _arrays((3, 2, 4), (3, 2, 4))
    np.testing.assert_allclose(_np(Subtract()(_tensors([a, b]))), a - b, rtol=1e-6)
    np.testing.assert_allclose(_np(subtract(_tensors([a, b]))), a - b, rtol=1e-6)


def test_subtract_needs_exactly_two_inputs():
    with pytest.raises(ValueError, match="Subtract layer .*expects exactly 2 inputs, received 3"):
        Subtract()(_tensors(_arrays((2, 3), (2, 3), (2, 3))))


def test_add_shape_mismatch_names_both_shapes_and_the_model():
    layer = Add(name="add")
    with pytest.raises(
        ValueError,
        match=r"Add layer 'add' in SkipConnectionModel\.call: cannot add shapes \(64, 256\) and "
        r"\(64, 128\); the last dimensions differ \(256 vs 128\)\. Make both inputs the same size, "
        r"e\.g\. Dense\(256\) before the Add\.",
    ):
        SkipConnectionModel(layer)([torch.zeros(64, 256), torch.zeros(64, 128)])


def test_merge_shape_mismatch_on_a_later_call():
    layer = Multiply()
    layer([torch.zeros(2, 3), torch.zeros(2, 3)])
    with pytest.raises(
        ValueError, match=r"cannot multiply shapes \(2, 3\) and \(2, 4\); the last dimensions"
    ):
        layer([torch.zeros(2, 3), torch.zeros(2, 4)])


def test_merge_mismatch_on_inner_axis():
    with pytest.raises(ValueError, match=r"shapes \(2, 3, 4\) and \(2, 5, 4\); the dimensions at "):
        Maximum()([torch.zeros(2, 3, 4), torch.zeros(2, 5, 4)])


def test_merge_needs_at_least_one_input():
    with pytest.raises(ValueError, match="expects at least 1 inputs, received 0"):
        Add()([])


def test_merge_of_a_one_element_list_is_that_tensor():
    # Keras 2 and 3 (checked with tf_keras 2.21 and Keras 3.15): Add/Concatenate/... of
    # [x] give x; Subtract and Dot still need exactly two inputs.
    x = torch.arange(6.0).reshape(2, 3)
    for layer in (Add(), Multiply(), Average(), Maximum(), Minimum(), Concatenate()):
        assert torch.equal(layer([x]).cpu(), x)
    with pytest.raises(ValueError, match="expects exactly 2 inputs, received 1"):
        Subtract()([x])
    with pytest.raises(ValueError, match="expects exactly 2 inputs, received 1"):
        Dot(axes=1)([x])


def test_merge_on_a_single_tensor_says_it_needs_a_list():
    with pytest.raises(ValueError, match=r"expects a list of tensors.*single Tensor"):
        Add()(torch.zeros(2, 3))


def test_elementwise_merge_mask_is_and_of_input_masks():
    # On the current device, where the layer's output masks are.
    device = current_device()
    m1 = torch.tensor([[True, True, False]], device=device)
    m2 = torch.tensor([[True, False, True]], device=device)
    a, b, c, d = (torch.ones(1, 3, 2, device=device) for _ in range(4))
    out = Add()([_masked(a, m1), _masked(b, m2)])
    np.testing.assert_array_equal(_np(out._keras_mask), [[True, False, False]])
    one = Add()([_masked(c, m1), d])
    assert torch.equal(one._keras_mask, m1)
    assert not hasattr(Add()([torch.ones(1, 3), torch.ones(1, 3)]), "_keras_mask")


@pytest.mark.parametrize("cls", [Add, Subtract, Multiply, Average, Maximum, Minimum])
def test_elementwise_config_round_trip(cls):
    layer = cls(name=f"m_{cls.__name__.lower()}")
    config = layer.get_config()
    assert config["name"] == layer.name
    assert cls.from_config(config).get_config() == config


# -- Concatenate ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "axis, shapes",
    [(-1, [(2, 3), (2, 4)]), (1, [(2, 2, 5), (2, 3, 5)]), (2, [(2, 3, 1), (2, 3, 4), (2, 3, 2)])],
)
def test_concatenate_matches_numpy(axis, shapes):
    xs = _arrays(*shapes)
    layer = Concatenate(axis=axis)
    out = layer(_tensors(xs))
    np.testing.assert_array_equal(_np(out), np.concatenate(xs, axis=axis))
    np.testing.assert_array_equal(
        _np(concatenate(_tensors(xs), axis=axis)), np.concatenate(xs, axis)
    )
    assert layer.compute_output_shape(shapes) == tuple(out.shape)
    unknown = [(None,) + s[1:] for s in shapes]
    assert layer.compute_output_shape(unknown) == (None,) + tuple(out.shape[1:])


def test_concatenate_mismatch_names_axis_and_shapes():
    with pytest.raises(
        ValueError,
        match=r"Concatenate layer 'cat' in SkipConnectionModel\.call: cannot concatenate shapes "
        r"\(2, 3, 4\) and \(2, 5, 4\) on axis -1: .*axis 1 differs \(3 vs 5\)",
    ):
        SkipConnectionModel(Concatenate(name="cat"))([torch.zeros(2, 3, 4), torch.zeros(2, 5, 4)])


def test_concatenate_rank_mismatch():
    with pytest.raises(ValueError, match=r"cannot concatenate shapes \(2, 3\) and \(2, 3, 1\)"):
        Concatenate()([torch.zeros(2, 3), torch.zeros(2, 3, 1)])


def test_concatenate_config_round_trip():
    layer = Concatenate(axis=1, name="cat2")
    config = layer.get_config()
    assert config["axis"] == 1
    assert Concatenate.from_config(config).get_config() == config


def test_concatenate_last_axis_mask_is_all_like_keras2():
    # tf.keras 2.21 gives [[True, False, False]] (the AND); Keras 3 would give the OR.
    m1 = torch.tensor([[True, False, False]])
    m2 = torch.tensor([[True, True, False]])
    out = Concatenate()([_masked(torch.ones(1, 3, 2), m1), _masked(torch.ones(1, 3, 4), m2)])
    np.testing.assert_array_equal(_np(out._keras_mask), [[True, False, False]])


def test_concatenate_last_axis_mask_with_one_unmasked_input():
    # tf.keras 2.21: the unmasked input counts as all True, so the mask is kept.
    m = torch.tensor([[True, False, True]])
    out = Concatenate()([_masked(torch.ones(1, 3, 2), m), torch.ones(1, 3, 4)])
    np.testing.assert_array_equal(_np(out._keras_mask), [[True, False, True]])


def test_concatenate_time_axis_concatenates_masks_like_keras():
    m1 = torch.tensor([[True, False]])
    m2 = torch.tensor([[False, True, True]])
    out = Concatenate(axis=1)([_masked(torch.ones(1, 2, 4), m1), _masked(torch.ones(1, 3, 4), m2)])
    np.testing.assert_array_equal(_np(out._keras_mask), [[True, False, False, True, True]])


# -- Dot -----------------------------------------------------------------------------------


def test_dot_vectors():
    a, b = _arrays((4, 3), (4, 3))
    layer = Dot(axes=1)
    out = layer(_tensors([a, b]))
    np.testing.assert_allclose(_np(out), np.sum(a * b, axis=1, keepdims=True), rtol=1e-5)
    assert layer.compute_output_shape([(4, 3), (4, 3)]) == tuple(out.shape) == (4, 1)
    np.testing.assert_allclose(_np(dot(_tensors([a, b]), axes=-1)), _np(out), rtol=1e-6)


@pytest.mark.parametrize(
    "axes, shapes, reference",
    [
        ((2, 2), [(2, 3, 4), (2, 5, 4)], lambda a, b: np.einsum("bik,bjk->bij", a, b)),
        ((1, 1), [(2, 3, 4), (2, 3, 5)], lambda a, b: np.einsum("bki,bkj->bij", a, b)),
        ((2, 1), [(2, 3, 4), (2, 4, 5)], lambda a, b: a @ b),
        ((1, 2), [(2, 4), (2, 3, 4)], lambda a, b: np.einsum("bk,bjk->bj", a, b)),
    ],
)
def test_dot_batched_matches_einsum(axes, shapes, reference):
    a, b = _arrays(*shapes)
    layer = Dot(axes=axes)
    out = layer(_tensors([a, b]))
    np.testing.assert_allclose(_np(out), reference(a, b), rtol=1e-5, atol=1e-6)
    assert layer.compute_output_shape(shapes) == tuple(out.shape)


def test_dot_normalize_is_cosine_similarity():
    a, b = _arrays((5, 6), (5, 6))
    out = Dot(axes=1, normalize=True)(_tensors([a, b]))
    cos = np.sum(a * b, 1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
    np.testing.assert_allclose(_np(out)[:, 0], cos, rtol=1e-5)


def test_dot_errors():
    with pytest.raises(
        ValueError,
        match=r"Dot layer .*cannot take the dot product of shapes \(2, 3\) and \(2, 4\) over "
        r"axes \(1, 1\): the sizes differ \(3 vs 4\)",
    ):
        Dot(axes=1)([torch.zeros(2, 3), torch.zeros(2, 4)])
    with pytest.raises(ValueError, match="Dot layer .*expects exactly 2 inputs, received 3"):
        Dot(axes=1)([torch.zeros(2, 3)] * 3)


def test_dot_config_round_trip():
    layer = Dot(axes=(1, 2), normalize=True, name="d")
    config = layer.get_config()
    assert config["axes"] == (1, 2) and config["normalize"] is True
    assert Dot.from_config(config).get_config() == config


def test_dot_outputs_no_mask():
    m = torch.tensor([[True, False, True]])
    out = Dot(axes=(2, 2))([_masked(torch.ones(1, 3, 4), m), _masked(torch.ones(1, 3, 4), m)])
    assert getattr(out, "_keras_mask", None) is None


def test_add_of_different_ranks_expands_after_batch_like_keras():
    a, b = _arrays((5, 3, 4), (5, 4))
    out = Add()(_tensors([a, b]))
    np.testing.assert_allclose(_np(out), a + b[:, None, :], rtol=1e-6)
