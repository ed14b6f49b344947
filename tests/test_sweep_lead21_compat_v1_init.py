"""TF 1's initializer idiom and `get_session` (old Keras scripts, DeepCTR's DIEN)."""

import pytest

import tork as tf


@pytest.mark.parametrize(
    "name",
    [
        "global_variables_initializer",
        "local_variables_initializer",
        "initialize_all_variables",
        "tables_initializer",
    ],
)
def test_initializers_return_none_as_eager_tf2(name):
    # TF 2.21 eager: tf.compat.v1.global_variables_initializer() -> None (and the others).
    assert getattr(tf.compat.v1, name)() is None


def test_variables_initializer_takes_a_list():
    v = tf.Variable([1.0, 2.0])
    assert tf.compat.v1.variables_initializer([v]) is None
    assert v.numpy().tolist() == [1.0, 2.0]  # nothing re-initialized


def test_get_session_says_what_to_write_instead():
    with pytest.raises(NotImplementedError, match=r"no TensorFlow 1 sessions.*x\.numpy\(\)"):
        tf.compat.v1.keras.backend.get_session()
    with pytest.raises(NotImplementedError, match=r"delete .*global_variables_initializer"):
        tf.keras.backend.get_session()
