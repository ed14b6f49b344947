"""`loss.graph` on a symbolic tensor: keras-rl2's DDPGAgent.compile (rl/agents/ddpg.py) runs
`with self.loss.graph.as_default(): actor_optimizer.get_updates(...)`, which needs TF1 graph
mode (`tf.compat.v1.disable_eager_execution()`).

Reference (tf_keras 2.21, eager, TF_USE_LEGACY_KERAS=1): `hasattr(loss, "graph")` is False
and `loss.graph` raises AttributeError "'KerasTensor' object has no attribute 'graph'". tork
raises the same AttributeError (so hasattr stays False) and says what to write instead.
"""

import pytest

from tork import keras


def _symbolic_loss():
    inp = keras.Input((3,))
    return -keras.backend.mean(keras.layers.Dense(2)(inp))


def test_graph_attribute_is_missing_like_eager_keras():
    assert not hasattr(_symbolic_loss(), "graph")


def test_graph_attribute_error_explains_graph_mode():
    with pytest.raises(
        AttributeError, match=r"no attribute 'graph'.*no TensorFlow graphs.*GradientTape"
    ):
        with _symbolic_loss().graph.as_default():
            pass
