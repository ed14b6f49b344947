"""`tf.device` soft placement, as in TF 2 (found by the aymericdamien/TensorFlow-Examples sweep).

TF 2.21 on a machine without a GPU runs `with tf.device('/gpu:%i' % i): ...` on the CPU
(soft placement is on by default), and raises InvalidArgumentError only after
`tf.config.set_soft_device_placement(False)`. The multi-GPU notebook relies on this.
"""

import importlib
import warnings

import numpy as np
import pytest
import torch

import tork as tf

_device = importlib.import_module("tork._backend.device")

pytestmark = pytest.mark.skipif(torch.cuda.is_available(), reason="checks the no-GPU fallback")


@pytest.fixture(autouse=True)
def _restore_soft_placement():
    yield
    tf.config.set_soft_device_placement(True)


@pytest.mark.parametrize(
    "name",
    [
        "/gpu:0",
        "/GPU:3",
        "/device:GPU:0",
        "GPU",
        "/job:localhost/replica:0/task:0/device:GPU:1",
        "/tpu:0",
    ],
)
def test_missing_gpu_falls_back_to_cpu(name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with tf.device(name):
            x = tf.constant([1.0, 2.0]) * 2
            v = tf.Variable([1.0, 2.0])
    assert x.device.type == "cpu" and v.device.type == "cpu"
    np.testing.assert_array_equal(x.numpy(), [2.0, 4.0])


def test_fallback_warns_once(monkeypatch):
    monkeypatch.setattr(_device, "_warned_fallback", False)
    with pytest.warns(
        UserWarning, match=r"'/GPU:0' was requested but no CUDA GPU.*running on the CPU"
    ):
        with tf.device("/GPU:0"):
            pass
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with tf.device("/GPU:1"):
            pass


def test_hard_placement_raises():
    tf.config.set_soft_device_placement(False)
    assert tf.config.get_soft_device_placement() is False
    with pytest.raises(RuntimeError, match="'/gpu:0' was requested but no CUDA GPU is available"):
        with tf.device("/gpu:0"):
            pass
    tf.config.set_soft_device_placement(True)
    assert tf.config.get_soft_device_placement() is True


def test_torch_cuda_name_still_raises():
    # 'cuda:0' is a torch name: the user asked torch for CUDA explicitly.
    with pytest.raises(RuntimeError, match="no CUDA GPU is available"):
        with tf.device("cuda:0"):
            pass


def test_unknown_device_type_still_raises():
    with pytest.raises(ValueError, match="Unknown device type 'xyz'"):
        with tf.device("/xyz:0"):
            pass
