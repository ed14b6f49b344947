"""tf.summary.trace_on/trace_export: no graph to trace in tork, so they warn and go on."""

import pytest

import tork as tf


def test_trace_on_warns_and_trace_export_writes_nothing():
    # TF tutorials trace a tf.function's graph for TensorBoard: the script must go on.
    with pytest.warns(UserWarning, match=r"trace_on records nothing.*torch\.profiler"):
        tf.summary.trace_on(graph=True, profiler=False)
    assert tf.summary.trace_export("graph", step=0) is None
    assert tf.summary.trace_off() is None
