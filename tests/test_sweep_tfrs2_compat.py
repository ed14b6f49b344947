"""`import tensorflow.compat.v2 as tf` and `tf.Operation`, as TF Recommenders imports them.

TF Recommenders' layers start with `import tensorflow.compat.v2 as tf` and annotate
`update_state(...) -> tf.Operation`; both names must exist for the package to import.
"""

import importlib

import pytest

import tork as tf


def test_compat_v2_is_the_top_level_api():
    v2 = importlib.import_module("tork.compat.v2")
    assert v2 is tf
    assert tf.compat.v2 is tf
    from tork.compat import v2 as imported

    assert imported is tf
    assert tf.compat.v2.constant(2.0).numpy() == 2.0


def test_operation_is_a_type_nothing_is_an_instance_of():
    Operation = tf.Operation
    assert not isinstance(tf.constant(1.0), Operation)
    assert not isinstance(tf.Variable(1.0), Operation)
    with pytest.raises(NotImplementedError, match="tf.Operation: tork runs every op eagerly"):
        Operation()
