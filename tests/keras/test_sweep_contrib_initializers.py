"""keras-team/keras-contrib's ConvolutionAware initializer and Clip constraint on tork.

`keras_contrib/initializers/convaware.py` imports standalone Keras 2.2's private
`keras.initializers._compute_fans` and calls it with a second argument,
`K.image_data_format()`; its test (tests/keras_contrib/initializers_test.py) calls the
initializer on a shape and checks the values lie in (-1, 1). tf_keras 2.21 has no
`_compute_fans` in `keras.initializers` (the import fails there), so the reference for
the fans is Keras 2.2's documented rule: receptive field = product of the window
dimensions; fan_in = in_channels * receptive field, fan_out = out_channels * receptive
field; the kernel is `(*window, in, out)` for 'channels_last' and `(out, in, *window)`
for 'channels_first'.
"""

import numpy as np
import pytest

from tork.keras import backend as K
from tork.keras.constraints import Constraint
from tork.keras.initializers import Initializer, Orthogonal, _compute_fans
from tork.keras.layers import Dense
from tork.keras.models import Sequential


class ConvolutionAware(Initializer):
    # Reduced from keras_contrib/initializers/convaware.py (ranks 2 and 4).
    def __init__(self, eps_std=0.05, seed=None):
        self.eps_std = eps_std
        self.seed = seed
        self.orthogonal = Orthogonal()

    def __call__(self, shape):
        rank = len(shape)
        if self.seed is not None:
            np.random.seed(self.seed)
        fan_in, fan_out = _compute_fans(shape, K.image_data_format())
        variance = 2 / fan_in
        if rank == 4:
            row, column, stack_size, filters_size = shape
            transpose_dimensions = (2, 3, 0, 1)
            kernel_shape = (row, column)
            correct_ifft = np.fft.irfft2
            correct_fft = np.fft.rfft2
        else:
            return K.variable(self.orthogonal(shape), dtype=K.floatx())
        kernel_fourier_shape = correct_fft(np.zeros(kernel_shape)).shape
        init = []
        for _ in range(filters_size):
            basis = self._create_basis(stack_size, np.prod(kernel_fourier_shape))
            basis = basis.reshape((stack_size,) + kernel_fourier_shape)
            filters = [
                correct_ifft(x, kernel_shape) + np.random.normal(0, self.eps_std, kernel_shape)
                for x in basis
            ]
            init.append(filters)
        init = np.array(init)
        init = self._scale_filters(init, variance)
        return init.transpose(transpose_dimensions)

    def _create_basis(self, filters, size):
        if size == 1:
            return np.random.normal(0.0, self.eps_std, (filters, size))
        nbb = filters // size + 1
        li = []
        for _ in range(nbb):
            a = np.random.normal(0.0, 1.0, (size, size))
            a = a + a.T - np.diag(a.diagonal())
            u, _, v = np.linalg.svd(a)
            li.extend(u.T.tolist())
        return np.array(li[:filters], dtype=K.floatx())

    def _scale_filters(self, filters, variance):
        return filters * np.sqrt(variance / np.var(filters))


class Clip(Constraint):
    # keras_contrib/constraints/clip.py
    def __init__(self, c=0.01):
        self.c = c

    def __call__(self, p):
        return K.clip(p, -self.c, self.c)

    def get_config(self):
        return {"name": self.__class__.__name__, "c": self.c}


def test_compute_fans_takes_keras_2_2_data_format():
    assert _compute_fans((3, 3, 2, 4)) == (18, 36)
    assert _compute_fans((3, 3, 2, 4), "channels_last") == (18, 36)
    # (out=3, in=3, 2x4 window): 3 * 8 in, 3 * 8 out.
    assert _compute_fans((3, 3, 2, 4), "channels_first") == (24, 24)
    assert _compute_fans((5, 4, 3), "channels_first") == (12, 15)
    assert _compute_fans((100, 100), "channels_first") == (100, 100)
    with pytest.raises(ValueError, match="_compute_fans: unknown data_format 'tf'"):
        _compute_fans((3, 3, 2, 4), "tf")


@pytest.mark.parametrize("shape", [(100, 100), (9, 9, 2, 2)], ids=["FC", "CONV"])
def test_convolution_aware_values_are_bounded(shape):
    # keras-contrib's test_cai (its conv shape, (25, 25, 2, 2), reduced): "upper and lower
    # bounds are proved in original paper".
    value = ConvolutionAware(seed=0)(shape)
    out = value if isinstance(value, np.ndarray) else K.get_value(value)
    assert out.shape == shape
    assert out.max() < 1 and out.min() > -1


def test_clip_constraint_trains_and_serializes():
    model = Sequential(
        [Dense(3, input_shape=(4,), kernel_constraint=Clip(0.05), kernel_initializer="ones")]
    )
    model.compile("sgd", "mse")
    model.fit(np.ones((2, 4), "float32"), np.zeros((2, 3), "float32"), verbose=0)
    # tf_keras 2.21: every kernel entry clipped to 0.05 after one step.
    np.testing.assert_allclose(model.get_weights()[0], 0.05)
    config = model.layers[0].get_config()["kernel_constraint"]
    assert config["class_name"] == "Clip" and config["config"] == {"name": "Clip", "c": 0.05}
