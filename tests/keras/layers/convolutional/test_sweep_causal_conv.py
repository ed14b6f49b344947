"""Keras 2's causal-padding hooks on convolutions (tf-models' video Conv2D/Conv3D pattern).

tf-models (official/vision/modeling/layers/nn_layers.py) subclasses tf.keras's Conv2D,
DepthwiseConv2D and Conv3D with `padding='causal'`, overriding `_compute_causal_padding`
(a `tf.pad` list), `_validate_init` and `_spatial_output_shape`. The classes below
reproduce that pattern in a few lines. Expected numbers: the same script run with
tf_keras 2.21 (TF_USE_LEGACY_KERAS=1, TensorFlow 2.21, CPU), weights from `_w`.
"""

import numpy as np
import pytest
import torch

import tork as tf

keras = tf.keras


@pytest.fixture(autouse=True)
def _keep_global_rng():
    # The weights are set from `_w`: leave the global RNG as found, so that tests after
    # these draw the same initial weights as without them.
    state = torch.random.get_rng_state()
    yield
    torch.random.set_rng_state(state)


class _CausalMixin:
    def _buffered_pads(self, inputs, use_buffered_input=False):
        input_shape = tf.shape(inputs)[1:-1]
        span = [
            self.kernel_size[i] + (self.kernel_size[i] - 1) * (self.dilation_rate[i] - 1)
            for i in range(self.rank)
        ]
        total = [span[0] - 1]
        for i in range(1, self.rank):
            overlap = (input_shape[i] - 1) % self.strides[i] + 1
            total.append(tf.maximum(span[i] - overlap, 0))
        beg = [t // 2 for t in total]
        pads = [[0, 0]] + [[beg[i], total[i] - beg[i]] for i in range(self.rank)] + [[0, 0]]
        pads[1] = [0, 0] if use_buffered_input else [pads[1][0] + pads[1][1], 0]
        return pads

    def _validate_init(self):
        pass

    def _buffered_shape(self, shape):
        if self._use_buffered_input and shape[0] is not None:
            shape[0] -= sum(self._buffered_pads(tf.zeros([1] + shape + [1]))[1])
        return shape


class _CConv2D(_CausalMixin, keras.layers.Conv2D):
    def __init__(self, *args, use_buffered_input=False, **kwargs):
        super().__init__(*args, **kwargs)
        self._use_buffered_input = use_buffered_input

    def _compute_causal_padding(self, inputs):
        return self._buffered_pads(inputs, self._use_buffered_input)

    def _spatial_output_shape(self, shape):
        return self._buffered_shape(super()._spatial_output_shape(shape))


class _CConv3D(_CausalMixin, keras.layers.Conv3D):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._use_buffered_input = False

    def _compute_causal_padding(self, inputs):
        return self._buffered_pads(inputs)


class _CDepthwiseConv2D(_CausalMixin, keras.layers.DepthwiseConv2D):
    # tf-models switches to 'valid' after the constructor and pads in its own call.
    def __init__(self, *args, use_buffered_input=False, **kwargs):
        super().__init__(*args, **kwargs)
        self._use_buffered_input = use_buffered_input
        if self.padding == "causal":
            self.padding = "valid"

    def call(self, inputs):
        if self._is_causal:
            inputs = tf.pad(inputs, self._compute_causal_padding(inputs))
        return super().call(inputs)

    def _compute_causal_padding(self, inputs):
        return self._buffered_pads(inputs, self._use_buffered_input)


def _w(shape, seed):
    return np.random.RandomState(seed).uniform(-1, 1, shape).astype("float32")


def _run(layer, x):
    layer(x)
    layer.set_weights([_w(v.shape, i + 1) for i, v in enumerate(layer.get_weights())])
    return np.asarray(layer(x))


# name: (layer factory, output shape, sum, first 4 values, compute_output_shape[1:]) from TF.
_CASES_2D = {
    "conv2d": (
        lambda: _CConv2D(4, (3, 3), padding="causal"),
        (2, 5, 6, 4),
        -74.35546875,
        [0.31093264, -0.65692139, -0.77375221, 0.55543983],
        (5, 6, 4),
    ),
    "conv2d_strided": (
        lambda: _CConv2D(4, (3, 2), strides=(1, 2), padding="causal"),
        (2, 5, 3, 4),
        -38.18608093,
        [-0.06170329, -1.34328723, 0.25523264, -0.62828767],
        (5, 3, 4),
    ),
    "conv2d_dilated": (
        lambda: _CConv2D(2, (2, 3), dilation_rate=(2, 1), padding="causal"),
        (2, 5, 6, 2),
        -81.60020447,
        [-0.64737797, -1.24437678, 1.15925729, -0.36318177],
        (5, 6, 2),
    ),
    "conv2d_buffered": (
        lambda: _CConv2D(4, (3, 3), padding="causal", use_buffered_input=True),
        (2, 3, 6, 4),
        -65.31257629,
        [0.04594913, -1.72193956, -0.76725078, -1.0254848],
        (3, 6, 4),
    ),
    # compute_output_shape follows the 'valid' padding the subclass switched to (as TF).
    "depthwise": (
        lambda: _CDepthwiseConv2D((3, 3), depth_multiplier=2, padding="causal"),
        (2, 5, 6, 6),
        -96.62229156,
        [-0.20898066, -0.95808655, -0.09542513, -0.2288192],
        (3, 4, 6),
    ),
    "depthwise_buffered": (
        lambda: _CDepthwiseConv2D((3, 3), padding="causal", use_buffered_input=True),
        (2, 3, 6, 3),
        -44.97226715,
        [0.13592197, -0.94169289, -0.52154988, -0.19527707],
        (3, 4, 3),
    ),
}


@pytest.mark.parametrize("name", sorted(_CASES_2D))
def test_causal_hook_2d_matches_tf_keras(name):
    make, shape, total, first, out_shape = _CASES_2D[name]
    layer = make()
    y = _run(layer, _w((2, 5, 6, 3), 0))
    assert y.shape == shape
    np.testing.assert_allclose(y.sum(), total, rtol=1e-4)
    np.testing.assert_allclose(y.ravel()[:4], first, rtol=1e-4, atol=1e-5)
    assert tuple(layer.compute_output_shape((2, 5, 6, 3))[1:]) == out_shape


def test_causal_hook_conv3d_matches_tf_keras():
    y = _run(_CConv3D(3, (2, 3, 3), padding="causal"), _w((1, 4, 3, 3, 2), 7))
    assert y.shape == (1, 4, 3, 3, 3)
    np.testing.assert_allclose(y.sum(), -32.13419724, rtol=1e-4)
    np.testing.assert_allclose(
        y.ravel()[:4], [-0.49867684, -0.5721159, -1.02013075, -0.29394788], rtol=1e-4
    )


def test_causal_hook_functional_shape_uses_spatial_output_shape():
    inp = keras.Input((5, 6, 3))
    out = _CConv2D(4, 3, padding="causal", use_buffered_input=True)(inp)
    model = keras.Model(inp, out)
    assert tuple(model.output_shape) == (None, 3, 6, 4)  # TF: (None, 3, 6, 4)
    assert tuple(model(_w((2, 5, 6, 3), 0)).shape) == (2, 3, 6, 4)


def test_causal_hook_channels_first_pad_order():
    # tf.pad pairs are in input-axis order: time (axis 2) left by 1, width (axis 3) right.
    class FirstConv2D(keras.layers.Conv2D):
        def _compute_causal_padding(self, inputs):
            return [[0, 0], [0, 0], [self.kernel_size[0] - 1, 0], [0, 1]]

    layer = FirstConv2D(2, (2, 2), padding="causal", data_format="channels_first")
    y = _run(layer, _w((2, 3, 4, 5), 9))
    # TF (its CPU conv lacks NCHW): the channels_last layer with pads [[0,0],[1,0],[0,1],[0,0]]
    # on the transposed input, its output transposed back.
    assert y.shape == (2, 2, 4, 5)
    np.testing.assert_allclose(y.sum(), -38.23635101, rtol=1e-4)
    np.testing.assert_allclose(
        y.ravel()[:4], [0.86285043, -0.08324285, -0.19636506, 1.15940285], rtol=1e-4
    )


def test_conv1d_causal_unchanged_and_its_keras2_pads():
    layer = keras.layers.Conv1D(2, 3, dilation_rate=2, padding="causal")
    x = _w((2, 7, 3), 3)
    y = _run(layer, x)
    assert y.shape == (2, 7, 2)
    np.testing.assert_allclose(y.sum(), -15.26832581, rtol=1e-4)
    np.testing.assert_allclose(
        y.ravel()[:4], [-0.51239133, -0.77847457, -1.01474309, -0.57079887], rtol=1e-4
    )
    # tf_keras's Conv1D._compute_causal_padding for this layer: [[0, 0], [4, 0], [0, 0]].
    assert layer._compute_causal_padding(x) == [[0, 0], [4, 0], [0, 0]]
    first = keras.layers.Conv1D(2, 3, padding="causal", data_format="channels_first")
    assert first._compute_causal_padding(np.zeros((1, 3, 7), "float32")) == [
        [0, 0],
        [0, 0],
        [2, 0],
    ]


def test_causal_without_hook_still_refused_for_2d():
    with pytest.raises(ValueError, match=r"Conv2D\(padding=...\) must be one of"):
        keras.layers.Conv2D(2, 3, padding="causal")
    with pytest.raises(ValueError, match=r"DepthwiseConv2D\(padding=...\) must be one of"):
        keras.layers.DepthwiseConv2D(3, padding="causal")


def test_causal_hook_bad_pad_list_is_explained():
    class Bad(keras.layers.Conv2D):
        def _compute_causal_padding(self, inputs):
            return [[0, 0], [2, 0]]

    layer = Bad(2, 3, padding="causal", name="bad_causal")
    with pytest.raises(ValueError, match=r"_compute_causal_padding` must return one"):
        layer(_w((1, 4, 4, 1), 0))


def test_padding_set_after_constructor_takes_effect():
    # A built-in layer whose padding a subclass or user changes later uses the new value.
    layer = keras.layers.Conv2D(1, 3, padding="same", use_bias=False)
    layer.padding = "valid"
    assert tuple(layer(_w((1, 5, 5, 1), 0)).shape) == (1, 3, 3, 1)
    layer.padding = "same"
    y = np.asarray(layer(_w((1, 1, 1, 1), 0)))  # the 1x1 'same' tap fast path
    k = np.asarray(layer.kernel)
    np.testing.assert_allclose(y.ravel(), _w((1, 1, 1, 1), 0).ravel() * k[1, 1, 0, 0], rtol=1e-6)
