"""tf.Module._TF_MODULE_IGNORED_PROPERTIES (found by fuzztape3; values from TF 2.21)."""

import tork as tf


class _Cached(tf.Module):
    _TF_MODULE_IGNORED_PROPERTIES = frozenset(["cache", "helper"]).union(
        tf.Module._TF_MODULE_IGNORED_PROPERTIES
    )

    def __init__(self):
        super().__init__()
        self.keep = tf.Variable(1.0, name="keep")
        self.cache = [tf.Variable(2.0, name="cached")]
        self.helper = tf.Module(name="helper")
        self.helper.v = tf.Variable(3.0, name="hv")
        self.sub = tf.Module(name="sub")
        self.sub.w = tf.Variable(4.0, name="w")


def test_ignored_properties_are_left_out_of_variables_and_submodules():
    m = _Cached()
    # TF 2.21: ['keep:0', 'w:0'] and ['sub'].
    assert [v.name for v in m.variables] == ["keep:0", "w:0"]
    assert [v.name for v in m.trainable_variables] == ["keep:0", "w:0"]
    assert [s.name for s in m.submodules] == ["sub"]


def test_default_ignored_properties_as_tf():
    assert sorted(tf.Module._TF_MODULE_IGNORED_PROPERTIES) == [
        "_self_unconditional_checkpoint_dependencies",
        "_self_unconditional_dependency_names",
    ]
