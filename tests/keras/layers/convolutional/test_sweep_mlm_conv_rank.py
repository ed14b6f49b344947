"""Conv layers in a Sequential built from `input_shape=` without the channel axis
(machinelearningmastery's CNN time-series tutorials: `Conv1D(..., input_shape=(n_steps,))`).

tf_keras 2.21 reports `expected min_ndim=3, found ndim=2. Full shape received: (None, 3)`;
tork's message must show that same shape, with None as batch, and suggest the channel axis,
not the "single sample" hint meant for `model.build((28, 28, 1))`.
"""

import numpy as np
import pytest

from tork import keras

L = keras.layers


def test_sequential_conv1d_input_shape_without_channels_names_the_users_shape():
    with pytest.raises(ValueError, match=r"shape \(None, 3\) \(2D\).*Reshape\(\(3, 1\)\)") as info:
        keras.Sequential([L.Conv1D(2, 2, input_shape=(3,))])
    assert "single sample" not in str(info.value)


def test_sequential_with_input_conv2d_missing_channel_axis():
    with pytest.raises(ValueError, match=r"shape \(None, 28, 28\) \(3D\).*x\[\.\.\., None\]"):
        keras.Sequential([keras.Input((28, 28)), L.Conv2D(2, 2)])


def test_known_batch_size_is_kept_in_the_message():
    with pytest.raises(ValueError, match=r"shape \(4, 28, 28\) \(3D\)"):
        keras.Sequential([L.Conv2D(2, 2, batch_input_shape=(4, 28, 28))])


def test_single_sample_hint_still_given_for_an_unbatched_image():
    with pytest.raises(ValueError, match=r"single sample, add the batch axis"):
        L.Conv2D(2, 2)(np.zeros((28, 28, 3), "float32"))


def test_model_still_builds_after_the_error():
    # The placeholder-batch flag is restored after the failed build.
    model = keras.Sequential([L.Conv1D(2, 2, input_shape=(3, 1))])
    assert model.output_shape == (None, 2, 2)
    with pytest.raises(ValueError, match=r"single sample"):
        L.Conv1D(2, 2)(np.zeros((3, 1), "float32"))
