"""Tests for tf.name_scope, tf.init_scope, tf.control_dependencies and tf.no_op."""

import threading

import pytest
import torch

import tork as tf


def test_name_scope_returns_nested_names():
    assert tf.get_current_name_scope() == ""
    with tf.name_scope("outer") as outer:
        assert outer == "outer/"
        assert tf.get_current_name_scope() == "outer"
        with tf.name_scope("inner") as inner:
            assert inner == "outer/inner/"
            assert tf.get_current_name_scope() == "outer/inner"
        assert tf.get_current_name_scope() == "outer"
    assert tf.get_current_name_scope() == ""


def test_name_scope_trailing_slash_and_empty_name_reset():
    with tf.name_scope("a"):
        with tf.name_scope("root/") as absolute:
            assert absolute == "root/"
        with tf.name_scope("") as empty:
            assert empty == ""
            assert tf.get_current_name_scope() == ""
        assert tf.get_current_name_scope() == "a"


def test_name_scope_restored_after_exception_and_reusable():
    scope = tf.name_scope("s")
    assert scope.name == "s"
    with pytest.raises(RuntimeError):
        with scope:
            raise RuntimeError("boom")
    assert tf.get_current_name_scope() == ""
    with scope as again:
        assert again == "s/"


def test_name_scope_is_per_thread():
    seen = []
    with tf.name_scope("main"):
        thread = threading.Thread(target=lambda: seen.append(tf.get_current_name_scope()))
        thread.start()
        thread.join()
    assert seen == [""]


def test_name_scope_rejects_non_string():
    with pytest.raises(ValueError, match="name for name_scope must be a string, got int 3"):
        tf.name_scope(3)


def test_init_scope_pauses_gradient_recording():
    x = torch.ones(2, requires_grad=True)
    with tf.init_scope():
        y = x * 2
    assert not y.requires_grad
    assert (x * 2).requires_grad


def test_control_dependencies_is_noop_and_calls_callables():
    calls = []
    x = tf.constant([1.0, 2.0])
    with tf.control_dependencies([x, lambda: calls.append(1)]) as ctx:
        y = x + 1
    assert ctx is None
    assert calls == [1]
    assert y.tolist() == [2.0, 3.0]
    with tf.control_dependencies(None):
        pass
    with tf.control_dependencies([]):
        pass


def test_no_op_returns_none():
    assert tf.no_op() is None
    assert tf.no_op(name="x") is None


def test_stop_gradient_not_duplicated():
    from tork.ops import array, scopes

    assert "stop_gradient" in array.__all__
    assert "stop_gradient" not in scopes.__all__
