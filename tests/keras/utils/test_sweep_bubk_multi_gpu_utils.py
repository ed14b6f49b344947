"""`multi_gpu_model` (sweep "bubk": bubbliiiing's Keras 2 training scripts).

yolo3-keras, yolov4-keras, faster-rcnn-keras... import it at the top of train.py
(`from keras.utils.multi_gpu_utils import multi_gpu_model`) and call it only when given
several GPUs (`if ngpus_per_node > 1: model = multi_gpu_model(model_body, gpus=n)`).
Keras 2.2's checks: fewer than 2 GPUs, or more than the machine has, is a ValueError.
"""

import numpy as np
import pytest

import tork as tf
from tork.keras.utils import multi_gpu_utils


def _model():
    return tf.keras.Sequential([tf.keras.layers.Input((3,)), tf.keras.layers.Dense(2)])


def test_import_paths():
    from tork.keras.utils import multi_gpu_model
    from tork.keras.utils.multi_gpu_utils import multi_gpu_model as old_path

    assert old_path is multi_gpu_model is tf.keras.utils.multi_gpu_model


@pytest.mark.parametrize("gpus", [1, [0]])
def test_fewer_than_two_gpus_is_refused(gpus):
    with pytest.raises(ValueError, match="gpus >= 2"):
        tf.keras.utils.multi_gpu_model(_model(), gpus=gpus)


def test_no_gpu_machine_is_refused():
    if multi_gpu_utils._visible_gpus() >= 2:
        pytest.skip("this machine has several GPUs")
    with pytest.raises(ValueError, match="Try reducing `gpus`"):
        tf.keras.utils.multi_gpu_model(_model(), gpus=2)


def test_more_gpus_than_the_machine_has_is_refused(monkeypatch):
    monkeypatch.setattr(multi_gpu_utils, "_visible_gpus", lambda: 1)
    with pytest.raises(ValueError, match="only has 1. Try reducing `gpus`"):
        tf.keras.utils.multi_gpu_model(_model(), gpus=2)


def test_enough_gpus_returns_the_same_model_with_a_warning(monkeypatch):
    monkeypatch.setattr(multi_gpu_utils, "_visible_gpus", lambda: 4)
    model = _model()
    with pytest.warns(UserWarning, match="MirroredStrategy"):
        parallel = tf.keras.utils.multi_gpu_model(model, gpus=[0, 1])
    assert parallel is model
    x = np.ones((2, 3), "float32")
    np.testing.assert_allclose(parallel.predict(x, verbose=0), model.predict(x, verbose=0))
