"""TF 1 session recipes in TF 2 scripts (krishnaik06's transfer-learning notebooks and apps).

Scripts open with `session = InteractiveSession(config=config)` or
`set_session(tf.compat.v1.Session(config=config))` to turn on GPU memory growth. In
TensorFlow 2.21 (checked in the reference env) these lines build a session that the
eager code never uses, and the script goes on; tork must run them as written.
"""

import importlib

import numpy as np
import pytest

import tork as tf


def test_interactive_session_recipe_builds_and_training_goes_on():
    from tork.compat.v1 import ConfigProto, InteractiveSession

    config = ConfigProto()
    config.gpu_options.per_process_gpu_memory_fraction = 0.2
    config.gpu_options.allow_growth = True
    session = InteractiveSession(config=config)
    # TF 2.21: type(session).__name__ == 'InteractiveSession' and session._config is config.
    assert type(session).__name__ == "InteractiveSession"
    assert session.config is config
    model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(2,))])
    model.set_weights([np.array([[1.0], [2.0]], np.float32), np.array([0.5], np.float32)])
    np.testing.assert_allclose(model.predict(np.array([[1.0, 1.0]]), verbose=0), [[3.5]])
    session.close()


def test_session_context_manager_and_set_session():
    config = tf.compat.v1.ConfigProto()
    config.gpu_options.allow_growth = True
    with tf.compat.v1.Session(config=config) as sess:
        assert sess.config is config
        with sess.as_default() as default:
            assert default is sess
    assert tf.compat.v1.keras.backend.set_session(tf.compat.v1.Session(config=config)) is None
    assert tf.keras.backend.set_session(sess) is None


def test_compat_v1_keras_module_path_imports():
    # `from tensorflow.compat.v1.keras.backend import set_session` (TF 2 GPU recipes).
    from tork.compat.v1.keras.backend import set_session

    assert set_session is tf.keras.backend.set_session
    module = importlib.import_module("tork.compat.v1.keras.layers")
    assert module is importlib.import_module("tork.keras.layers")
    assert importlib.import_module("tork.compat.v1.keras") is tf.keras


def test_session_graph_members_raise_naming_the_member():
    sess = tf.compat.v1.Session()
    with pytest.raises(NotImplementedError, match=r"`tf\.compat\.v1\.Session\.run`.*\.numpy\(\)"):
        sess.run(tf.constant(1.0))
    with pytest.raises(
        NotImplementedError, match=r"`tf\.compat\.v1\.Session\.graph`: there are no"
    ):
        sess.graph  # noqa: B018
    with pytest.raises(
        NotImplementedError, match=r"`tf\.compat\.v1\.InteractiveSession\.make_callable`"
    ):
        tf.compat.v1.InteractiveSession().make_callable  # noqa: B018
    # The session's get_session counterpart still explains what to write instead.
    with pytest.raises(NotImplementedError, match=r"get_session\(\)"):
        tf.keras.backend.get_session()
