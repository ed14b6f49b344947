"""tf.autograph: do_not_convert returns functions unchanged; set_verbosity is accepted."""

import pytest

import tork as tf
from tork.autograph.experimental import do_not_convert


def _add_one(x):
    return x + 1


def test_do_not_convert_in_every_form():
    assert do_not_convert(_add_one) is _add_one
    assert tf.autograph.experimental.do_not_convert is do_not_convert

    @tf.autograph.experimental.do_not_convert
    def plain(x):
        return x * 2

    @tf.autograph.experimental.do_not_convert()
    def called(x):
        return x * 3

    assert plain(2) == 4 and plain.__name__ == "plain"
    assert called(2) == 6 and called.__name__ == "called"


def test_do_not_convert_inside_tf_function():
    @tf.function
    def f(x):
        return do_not_convert(_add_one)(x)

    assert float(f(tf.constant(1.0))) == 2.0


def test_set_verbosity_and_missing_names():
    assert tf.autograph.set_verbosity(0) is None
    assert tf.autograph.set_verbosity(10, alsologtostdout=True) is None
    with pytest.raises(NotImplementedError, match=r"`tf\.autograph\.trace`"):
        tf.autograph.trace  # noqa: B018
    with pytest.raises(NotImplementedError, match=r"`tf\.autograph\.experimental\.Feature`"):
        tf.autograph.experimental.Feature  # noqa: B018
