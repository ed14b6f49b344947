"""tork.compat: the TF 1 calls Keras 2 era scripts make (seeding, logging, eager switches)."""

import logging

import pytest
import torch

from tork import compat


def test_set_random_seed_seeds_the_random_ops():
    import tork as tf

    compat.v1.set_random_seed(7)
    a = tf.random.uniform((3,))
    compat.v1.set_random_seed(7)
    b = tf.random.uniform((3,))
    assert torch.equal(a, b)


def test_logging_levels_are_pythons_and_set_the_tensorflow_logger():
    v1 = compat.v1
    assert (v1.logging.DEBUG, v1.logging.INFO, v1.logging.WARN) == (10, 20, 30)
    assert (v1.logging.ERROR, v1.logging.FATAL) == (40, 50)
    logger = logging.getLogger("tensorflow")
    old = logger.level
    try:
        v1.logging.set_verbosity(v1.logging.ERROR)
        assert logger.level == logging.ERROR
        assert v1.logging.get_verbosity() == 40
        assert v1.logging.get_logger() is logger
    finally:
        logger.setLevel(old)


def test_logging_calls_reach_the_tensorflow_logger(caplog):
    with caplog.at_level(logging.INFO, logger="tensorflow"):
        compat.v1.logging.info("epoch %d", 3)
        compat.v1.logging.warn("careful")
    assert [(r.name, r.levelname, r.getMessage()) for r in caplog.records] == [
        ("tensorflow", "INFO", "epoch 3"),
        ("tensorflow", "WARNING", "careful"),
    ]


def test_eager_switches():
    assert compat.v1.enable_eager_execution() is None
    assert compat.v1.enable_v2_behavior() is None
    assert compat.v1.executing_eagerly() is True
    assert compat.v1.reset_default_graph() is None
    with pytest.warns(UserWarning, match=r"disable_eager_execution\(\) is ignored: tork always"):
        compat.v1.disable_eager_execution()
    with pytest.warns(UserWarning, match=r"disable_v2_behavior\(\) is ignored"):
        compat.v1.disable_v2_behavior()


def test_gpu_memory_growth_recipe_builds_config_and_session_explains_run():
    config = compat.v1.ConfigProto(allow_soft_placement=True)
    config.gpu_options.allow_growth = True
    config.gpu_options.per_process_gpu_memory_fraction = 0.5
    assert config.allow_soft_placement is True
    assert config.gpu_options.allow_growth is True
    # As in TF 2, the recipe's session is built (and unused); running a graph raises.
    session = compat.v1.Session(config=config)
    assert session.config is config
    with pytest.raises(NotImplementedError) as info:
        session.run(1.0)
    message = str(info.value)
    assert "tork does not implement `tf.compat.v1.Session.run`" in message
    assert "instead of session.run()" in message
    with pytest.raises(NotImplementedError, match=r"`tf.compat.v1.InteractiveSession.run`"):
        compat.v1.InteractiveSession().run(1.0)


def test_graph_apis_are_named_as_missing():
    with pytest.raises(NotImplementedError, match=r"`tf.compat.v1.placeholder`"):
        compat.v1.placeholder  # noqa: B018
    # get_variable/variable_scope exist eagerly (tests/test_sweep_tf1cells_variable_scope.py).
    with pytest.raises(NotImplementedError, match=r"`tf.compat.forward_compatible`"):
        compat.forward_compatible  # noqa: B018
    # `tf.compat.v2` is TensorFlow 2's API itself (tests/test_sweep_tfrs2_compat.py).


def test_string_helpers():
    assert compat.as_bytes("héllo") == "héllo".encode()
    assert compat.as_bytes(bytearray(b"ab")) == b"ab"
    assert compat.as_str(b"h\xc3\xa9") == "hé"
    assert compat.as_text("x") == "x"
    with pytest.raises(TypeError, match="Expected binary or unicode string, got 3"):
        compat.as_bytes(3)
