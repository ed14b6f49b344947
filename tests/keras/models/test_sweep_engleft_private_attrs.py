"""tf.keras 2 private model/layer attributes that user code reads.

Expected values: tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) on the same models. Found read in
public code: `model._is_graph_network` (TensorBoard graph writers, quantization/pruning
checks), `model._network_nodes` with `f"{layer.name}_ib-{i}"` keys (plot helpers),
`model._self_tracked_trackables`, `model._feed_input_names`, `layer._expects_training_arg`
(wide&deep style models), `layer._build_input_shape`.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras


def _functional():
    inp = keras.Input((3,), name="eng_inp")
    h = keras.layers.Dense(4, name="eng_d1")(inp)
    return keras.Model(inp, keras.layers.Dense(2, name="eng_d2")(h))


class _Sub(keras.Model):
    def __init__(self):
        super().__init__()
        self.d = keras.layers.Dense(2, name="eng_md")

    def call(self, x):
        return self.d(x)


def _names(items):
    return [item.name for item in items]


def test_functional_model():
    f = _functional()
    assert f._is_graph_network is True
    assert _names(f._self_tracked_trackables) == ["eng_inp", "eng_d1", "eng_d2"]
    assert f._network_nodes == {"eng_inp_ib-0", "eng_d1_ib-0", "eng_d2_ib-0"}
    assert f._compute_output_and_mask_jointly is True
    assert f._feed_input_names == ["eng_inp"]
    assert f._expects_training_arg is True and f._expects_mask_arg is True


def test_network_nodes_match_inbound_node_keys():
    # Code that walks a graph: keys of nodes from other models are not in this one's.
    shared = keras.layers.Dense(3, name="eng_shared")
    a = keras.Input((3,), name="eng_a")
    b = keras.Input((3,), name="eng_b")
    first = keras.Model(a, shared(a))
    second = keras.Model(b, shared(b))
    assert "eng_shared_ib-0" in first._network_nodes
    assert "eng_shared_ib-1" not in first._network_nodes
    assert "eng_shared_ib-1" in second._network_nodes
    keys = [f"eng_shared_ib-{i}" for i in range(len(shared._inbound_nodes))]
    assert [k in second._network_nodes for k in keys] == [False, True]


def test_sequential_models():
    s = keras.Sequential([keras.Input((3,), name="eng_sin"), keras.layers.Dense(2, name="eng_sd")])
    assert s._is_graph_network is True
    assert _names(s._self_tracked_trackables) == ["eng_sin", "eng_sd"]
    assert _names(s._input_layers) == ["eng_sin"] and _names(s._output_layers) == ["eng_sd"]
    assert s._network_nodes == {"eng_sin_ib-0", "eng_sd_ib-0"}
    assert s._compute_output_and_mask_jointly is True
    deferred = keras.Sequential([keras.layers.Dense(2, name="eng_sd2")])
    assert deferred._is_graph_network is False
    assert deferred._compute_output_and_mask_jointly is True
    assert _names(deferred._self_tracked_trackables) == ["eng_sd2"]
    with pytest.raises(AttributeError, match="_network_nodes"):
        _ = deferred._network_nodes


def test_subclassed_model():
    m = _Sub()
    m(np.ones((1, 3), "float32"))
    assert m._is_graph_network is False
    assert _names(m._self_tracked_trackables) == ["eng_md"]
    assert m._compute_output_and_mask_jointly is False
    assert not hasattr(m, "_input_layers") and not hasattr(m, "_network_nodes")
    assert m._expects_training_arg is False
    m._is_graph_network = True  # user code sets it (DeepCTR's models): theirs to read
    assert m._is_graph_network is True
    m._compute_output_and_mask_jointly = True
    assert m._compute_output_and_mask_jointly is True


def test_layer_attributes():
    d = keras.layers.Dense(2)
    assert d._build_input_shape is None
    d(np.ones((1, 3), "float32"))
    assert tuple(d._build_input_shape) == (1, 3)  # tf_keras: the eager call's (1, 3)
    assert d._dtype == "float32"
    assert d._expects_training_arg is False and d._expects_mask_arg is False
    drop = keras.layers.Dropout(0.5)
    assert drop._expects_training_arg is True

    class Custom(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self._build_input_shape = None  # user layers keep their own

        def build(self, input_shape):
            self._build_input_shape = input_shape

        def call(self, x, **kwargs):
            return x

    c = Custom()
    assert c._build_input_shape is None
    c(np.ones((2, 5), "float32"))
    assert tuple(c._build_input_shape) == (2, 5)
    assert c._expects_training_arg is True and c._expects_mask_arg is True  # **kwargs


def test_nested_inputs_and_outputs():
    # tf_keras 2.21: the structures as given, a one-item list unwrapped (TF Model Garden
    # reads `model._nested_outputs["pooled_output"]`).
    a = keras.Input((3,), name="eng_na")
    b = keras.Input((2,), name="eng_nb")
    d = keras.layers.Dense(2, name="eng_nd")(a)
    model = keras.Model([a, b], {"x": d, "y": b})
    assert [t.name for t in model._nested_inputs] == ["eng_na", "eng_nb"]
    assert model._nested_outputs["x"] is d and model._nested_outputs["y"] is b
    single = keras.Model([a], [d])
    assert single._nested_inputs is a and single._nested_outputs is d
    with pytest.raises(AttributeError, match="_nested_inputs"):
        _ = _Sub()._nested_inputs
