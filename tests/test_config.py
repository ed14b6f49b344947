"""tf.config: op determinism and the not-implemented names of tf.config.experimental."""

import warnings

import pytest
import torch

import tork as tf


@pytest.fixture
def restore_determinism(monkeypatch):
    monkeypatch.delenv("CUBLAS_WORKSPACE_CONFIG", raising=False)
    enabled = torch.are_deterministic_algorithms_enabled()
    warn_only = torch.is_deterministic_algorithms_warn_only_enabled()
    benchmark = torch.backends.cudnn.benchmark
    yield
    torch.use_deterministic_algorithms(enabled, warn_only=warn_only)
    torch.backends.cudnn.benchmark = benchmark


def test_enable_op_determinism_turns_on_torch_determinism(restore_determinism):
    import os

    torch.backends.cudnn.benchmark = True
    tf.config.experimental.enable_op_determinism()
    assert torch.are_deterministic_algorithms_enabled()
    assert torch.is_deterministic_algorithms_warn_only_enabled()
    assert torch.backends.cudnn.benchmark is False
    assert os.environ["CUBLAS_WORKSPACE_CONFIG"] == ":4096:8"
    # Deterministic kernels give bit-identical results run to run.
    x = torch.arange(12.0).reshape(4, 3)
    index = torch.tensor([0, 1, 0, 1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = torch.zeros(2, 3).index_add_(0, index, x)
        b = torch.zeros(2, 3).index_add_(0, index, x)
    assert torch.equal(a, b)
    assert torch.equal(a, torch.tensor([[6.0, 8.0, 10.0], [12.0, 14.0, 16.0]]))


def test_experimental_keeps_set_memory_growth_and_names_missing_apis():
    assert tf.config.experimental.set_memory_growth(None, True) is None
    with pytest.raises(NotImplementedError, match=r"`tf\.config\.experimental\.get_memory_info`"):
        tf.config.experimental.get_memory_info  # noqa: B018
    assert not hasattr(tf.config.experimental, "no_such_thing")


def test_soft_device_placement_is_accepted():
    assert tf.config.set_soft_device_placement(True) is None
    assert tf.config.get_soft_device_placement() is True


def test_threading_sets_torch_thread_pools():
    before = torch.get_num_threads()
    try:
        tf.config.threading.set_intra_op_parallelism_threads(1)
        assert torch.get_num_threads() == 1
        assert tf.config.threading.get_intra_op_parallelism_threads() == 1
        tf.config.threading.set_intra_op_parallelism_threads(0)  # 0: keep the setting
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)
    assert tf.config.threading.get_inter_op_parallelism_threads() == torch.get_num_interop_threads()
    with pytest.raises(NotImplementedError, match=r"`tf\.config\.threading\.nope`"):
        tf.config.threading.nope  # noqa: B018


@pytest.fixture
def restore_visible():
    from tork import config

    saved = dict(config._visible)
    yield
    config._visible.clear()
    config._visible.update(saved)


def test_visible_devices_default_to_torch_devices(restore_visible):
    assert tf.config.get_visible_devices("CPU") == [
        tf.config.PhysicalDevice("/physical_device:CPU:0", "CPU")
    ]
    assert tf.config.get_visible_devices() == tf.config.list_physical_devices()


def test_set_visible_devices_is_recorded(restore_visible):
    cpus = tf.config.list_physical_devices("CPU")
    tf.config.set_visible_devices([], "GPU")
    assert tf.config.get_visible_devices("GPU") == []
    assert tf.config.get_visible_devices("CPU") == cpus
    tf.config.set_visible_devices(cpus[0])
    assert tf.config.get_visible_devices() == cpus
    with pytest.raises(TypeError, match="expects PhysicalDevice objects .* got str"):
        tf.config.set_visible_devices(["/gpu:0"])


def test_optimizer_settings_are_recorded():
    from tork.config import _Optimizer

    opt = _Optimizer()
    # TF 2.21's defaults.
    assert opt.get_jit() == ""
    assert opt.get_experimental_options() == {
        "disable_model_pruning": False,
        "disable_meta_optimizer": False,
    }
    opt.set_jit(True)
    assert opt.get_jit() == "autoclustering"
    opt.set_jit(False)
    assert opt.get_jit() == ""
    opt.set_experimental_options({"layout_optimizer": False, "constant_folding": True})
    # TF 2.21 prints the options set first, then its two defaults.
    assert list(opt.get_experimental_options().items()) == [
        ("layout_optimizer", False),
        ("constant_folding", True),
        ("disable_model_pruning", False),
        ("disable_meta_optimizer", False),
    ]
    with pytest.raises(TypeError, match="expects a dict of option names to values, got list"):
        opt.set_experimental_options([])
    assert tf.config.optimizer.get_jit() in ("", "autoclustering")


def test_logical_device_configuration_is_recorded():
    # The GPU memory-limit recipe runs unchanged; the repr is TF's.
    config = tf.config.LogicalDeviceConfiguration(memory_limit=1024)
    assert repr(config) == (
        "LogicalDeviceConfiguration(memory_limit=1024, experimental_priority=None, "
        "experimental_device_ordinal=None)"
    )
    assert tf.config.experimental.VirtualDeviceConfiguration is tf.config.LogicalDeviceConfiguration
    cpu = tf.config.list_physical_devices("CPU")[0]
    try:
        tf.config.set_logical_device_configuration(cpu, [config])
        assert tf.config.get_logical_device_configuration(cpu) == [config]
        assert tf.config.experimental.get_virtual_device_configuration(cpu) == [config]
        with pytest.raises(
            ValueError, match="expects a list of tf.config.LogicalDeviceConfiguration"
        ):
            tf.config.set_logical_device_configuration(cpu, [1024])
    finally:
        tf.config.set_logical_device_configuration(cpu, None)
    assert tf.config.get_logical_device_configuration(cpu) is None
