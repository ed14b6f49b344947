"""Keras 2's node API of layers in functional graphs (inbound/outbound nodes, get_*_at).

Expected values and messages were printed by tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) running
the same code.
"""

import copy
import pickle

import numpy as np
import pytest

import tork as tf

keras = tf.keras


def _shape(t):
    return tuple(t.shape)


def _simple():
    x = keras.Input((4,), name="x")
    dense = keras.layers.Dense(3, name="dense")
    h = dense(x)
    out = keras.layers.Dense(2, name="d2")(h)
    return x, dense, h, out, keras.Model(x, out)


def test_inbound_and_outbound_nodes_of_a_layer():
    x, dense, h, out, model = _simple()
    assert len(dense.inbound_nodes) == 1 and dense._inbound_nodes is dense.inbound_nodes
    assert [n.layer.name for n in dense.outbound_nodes] == ["d2"]
    assert [n.layer.name for n in dense._outbound_nodes] == ["d2"]
    assert [n.layer.name for n in model.layers[0].outbound_nodes] == ["dense"]
    assert model.get_layer("d2").outbound_nodes == []
    node = dense.inbound_nodes[0]
    assert type(node).__name__ == "Node"
    assert node.layer is dense and node.outbound_layer is dense
    assert node.inbound_layers is model.layers[0]
    assert node.input_tensors is x and node.output_tensors is h
    assert node.call_args == (x,) and node.call_kwargs == {}
    assert node.keras_inputs == [x]
    assert node.is_input is False
    assert node.input_shapes == (None, 4) and node.output_shapes == (None, 3)
    assert node.parent_nodes == [model.layers[0].inbound_nodes[0]]
    assert [(la.name, ni, ti, t) for la, ni, ti, t in node.iterate_inbound()] == [("x", 0, 0, x)]
    assert node.flat_input_ids == [str(id(x))] and node.flat_output_ids == [str(id(h))]


def test_input_layer_node():
    x, _, _, _, model = _simple()
    node = model.layers[0].inbound_nodes[0]
    assert node.is_input is True
    assert node.inbound_layers == [] and node.parent_nodes == []
    assert list(node.iterate_inbound()) == []
    assert node.call_args == [] and node.input_tensors == [x]
    # Keras 2: an InputLayer's shapes are one-item lists.
    assert model.layers[0].input_shape == [(None, 4)]
    assert model.layers[0].output_shape == [(None, 4)]
    assert model.layers[0].input is x and model.layers[0].output is x


def test_get_at_node_index():
    x, dense, h, _, _ = _simple()
    assert dense.get_input_at(0) is x and dense.get_output_at(0) is h
    assert dense.get_input_shape_at(0) == (None, 4)
    assert dense.get_output_shape_at(0) == (None, 3)
    assert dense.get_input_mask_at(0) is None and dense.get_output_mask_at(0) is None
    assert dense.input_shape == (None, 4) and dense.output_shape == (None, 3)
    assert dense.input is x and dense.output is h
    assert dense.input_mask is None and dense.output_mask is None
    for method, what in [
        (dense.get_input_at, "input"),
        (dense.get_output_at, "output"),
        (dense.get_input_shape_at, "input shape"),
        (dense.get_output_shape_at, "output shape"),
        (dense.get_output_mask_at, "output"),  # Keras 2 reads the output for the mask
    ]:
        with pytest.raises(ValueError) as info:
            method(1)
        assert str(info.value) == (
            f"Asked to get {what} at node 1, but the layer has only 1 inbound nodes."
        )


def test_shared_layer():
    a = keras.Input((4,), name="a")
    b = keras.Input((4,), name="b")
    shared = keras.layers.Dense(3, name="shared")
    sa, sb = shared(a), shared(b)
    assert len(shared.inbound_nodes) == 2
    # tf_keras 2.21 gives the first call's tensors (no error) and the common shapes.
    assert shared.output is sa and shared.input is a
    assert shared.output_shape == (None, 3) and shared.input_shape == (None, 4)
    assert shared.get_output_at(1) is sb and shared.get_input_at(1) is b
    with pytest.raises(ValueError, match="^Asked to get output at node 2, but the layer has"):
        shared.get_output_at(2)

    c = keras.Input((5,), name="c")
    act = keras.layers.Activation("relu", name="act")
    first = act(a)
    act(c)
    assert act.output is first
    assert act.get_input_shape_at(1) == (None, 5)
    with pytest.raises(AttributeError) as info:
        act.input_shape  # noqa: B018
    assert str(info.value) == (
        'The layer "act" has multiple inbound nodes, with different input shapes. Hence the '
        'notion of "input shape" is ill-defined for the layer. Use '
        "`get_input_shape_at(node_index)` instead."
    )
    with pytest.raises(AttributeError) as info:
        act.output_shape  # noqa: B018
    assert str(info.value) == (
        'The layer "act" has multiple inbound nodes, with different output shapes. Hence the '
        'notion of "output shape" is ill-defined for the layer. Use '
        "`get_output_shape_at(node_index)` instead."
    )


def test_never_called_layer_errors():
    layer = keras.layers.Dense(2, name="nc")
    assert layer.inbound_nodes == [] and layer.outbound_nodes == []
    with pytest.raises(AttributeError, match="^Layer nc has no inbound nodes."):
        layer.output  # noqa: B018
    with pytest.raises(AttributeError, match="^Layer nc has no inbound nodes."):
        layer.output_mask  # noqa: B018
    with pytest.raises(AttributeError, match="^Layer nc is not connected, no input to return."):
        layer.input  # noqa: B018
    with pytest.raises(AttributeError, match="^Layer nc is not connected, no input to return."):
        layer.input_mask  # noqa: B018
    with pytest.raises(AttributeError) as info:
        layer.input_shape  # noqa: B018
    assert str(info.value) == (
        'The layer "nc" has never been called and thus has no defined input shape. Note that '
        "the `input_shape` property is only available for Functional and Sequential models."
    )
    with pytest.raises(AttributeError) as info:
        layer.output_shape  # noqa: B018
    assert str(info.value) == (
        'The layer "nc" has never been called and thus has no defined output shape.'
    )
    with pytest.raises(RuntimeError) as info:
        layer.get_output_at(0)
    assert str(info.value) == "The layer nc has never been called and thus has no defined output."
    with pytest.raises(RuntimeError) as info:
        layer.get_input_shape_at(0)
    assert str(info.value) == (
        "The layer nc has never been called and thus has no defined input shape."
    )


def test_masks_multiple_outputs_and_several_inputs():
    tok = keras.Input((5,), dtype="int32", name="tok")
    emb = keras.layers.Embedding(10, 4, mask_zero=True, name="emb")
    lstm = keras.layers.LSTM(3, return_state=True, return_sequences=True, name="lstm")
    seq, h, c = lstm(emb(tok))
    a = keras.layers.Dense(1, name="da")(h)
    b = keras.layers.Dense(2, name="db")(c)
    cat = keras.layers.Concatenate(name="cat")
    cat([a, b])
    mha = keras.layers.MultiHeadAttention(2, 2, name="mha")
    mha(seq, seq)

    assert _shape(emb.output_mask) == (None, 5)
    assert _shape(lstm.input_mask) == (None, 5)
    mask, h_mask, c_mask = lstm.output_mask
    assert _shape(mask) == (None, 5) and h_mask is None and c_mask is None
    assert [_shape(t) for t in lstm.output] == [(None, 5, 3), (None, 3), (None, 3)]
    assert lstm.output_shape == [(None, 5, 3), (None, 3), (None, 3)]
    assert lstm.inbound_nodes[0].output_shapes == [(None, 5, 3), (None, 3), (None, 3)]
    assert cat.input == [a, b] and cat.input_shape == [(None, 1), (None, 2)]
    assert cat.input_mask == [None, None]
    assert [la.name for la in cat.inbound_nodes[0].inbound_layers] == ["da", "db"]
    # A layer called with several positional tensors: its input is the first.
    assert mha.input is seq and mha.input_shape == (None, 5, 3)
    assert mha.inbound_nodes[0].call_args == (seq, seq)
    assert [la.name for la in mha.inbound_nodes[0].inbound_layers] == ["lstm", "lstm"]
    triples = [(la.name, ni, ti) for la, ni, ti, _ in mha.inbound_nodes[0].iterate_inbound()]
    assert triples == [("lstm", 0, 0), ("lstm", 0, 0)]
    # One outbound node per input tensor taken, as Keras 2 records them.
    assert [n.layer.name for n in lstm.outbound_nodes] == ["da", "db", "mha", "mha"]


def test_op_layer_nodes_and_graph_walk():
    x = keras.Input((5, 3), name="x")
    cc = keras.layers.Dense(3, name="d")(keras.layers.Flatten(name="f")(x))
    t = tf.reduce_sum(x, axis=1)
    out = keras.layers.Add(name="add")([cc, t, t])
    model = keras.Model(x, out)
    assert [la.name for la in model.layers] == ["x", "f", "d", "tf.math.reduce_sum", "add"]
    op = model.layers[3]
    node = op.inbound_nodes[0]
    assert node.call_args == (x,) and node.call_kwargs == {"axis": 1}
    assert op.input is x and op.input_shape == (None, 5, 3) and op.output_shape == (None, 3)
    assert [n.layer.name for n in op.outbound_nodes] == ["add", "add"]
    add = model.get_layer("add")
    assert [p.layer.name for p in add.inbound_nodes[0].parent_nodes] == [
        "d",
        "tf.math.reduce_sum",
        "tf.math.reduce_sum",
    ]
    assert add.input_shape == [(None, 3), (None, 3), (None, 3)]
    walk = {}
    for layer in model.layers:
        for n in layer.inbound_nodes:
            inbound = n.inbound_layers if isinstance(n.inbound_layers, list) else [n.inbound_layers]
            walk[layer.name] = [la.name for la in inbound]
    assert walk == {
        "x": [],
        "f": ["x"],
        "tf.math.reduce_sum": ["x"],
        "d": ["f"],
        "add": ["d", "tf.math.reduce_sum", "tf.math.reduce_sum"],
    }


def test_feature_extractor_from_get_output_at():
    x = keras.Input((4,), name="x")
    h = keras.layers.Dense(3, name="h", kernel_initializer="ones")(x)
    out = keras.layers.Dense(1, name="o")(h)
    model = keras.Model(x, out)
    features = keras.Model(model.input, model.layers[1].get_output_at(0))
    assert [la.name for la in features.layers] == ["x", "h"]
    assert features.output_shape == (None, 3)
    np.testing.assert_allclose(features(np.ones((2, 4), "float32")).numpy(), np.full((2, 3), 4.0))


def test_nested_models_get_a_node_per_call():
    base = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, name="bd")], name="base")
    i1, i2 = keras.Input((4,), name="i1"), keras.Input((4,), name="i2")
    o1, o2 = base(i1), base(i2)
    siam = keras.Model([i1, i2], keras.layers.Subtract(name="sub")([o1, o2]))
    # tf_keras 2.21: a model gets no node of its own; one per call in another model.
    assert len(base.inbound_nodes) == 2
    assert base.get_output_at(0) is o1 and base.get_output_at(1) is o2
    assert base.get_input_at(1) is i2 and base.get_input_shape_at(1) == (None, 4)
    # A model's own input/output, not those of its calls.
    assert base.output is not o1 and _shape(base.output) == (None, 2)
    assert base.input_shape == (None, 4) and base.output_shape == (None, 2)
    assert len(base.layers[0].inbound_nodes) == 1
    assert [n.layer.name for n in base.outbound_nodes] == ["sub", "sub"]
    sub_node = siam.get_layer("sub").inbound_nodes[0]
    assert [(la.name, ni, ti) for la, ni, ti, _ in sub_node.iterate_inbound()] == [
        ("base", 0, 0),
        ("base", 1, 0),
    ]
    assert [n.layer.name for n in siam.layers[0].outbound_nodes] == ["base"]
    assert siam.input_shape == [(None, 4), (None, 4)]

    x = keras.Input((4,), name="x")
    inner = keras.Model(x, keras.layers.Dense(2, name="d")(x), name="inner")
    assert inner.inbound_nodes == []
    with pytest.raises(RuntimeError, match="^The layer inner has never been called"):
        inner.get_output_at(0)
    y = inner(keras.Input((4,), name="x2"))
    assert inner.get_output_at(0) is y


def test_keyword_inputs_and_one_item_list():
    x = keras.Input((4,), name="x")
    dense = keras.layers.Dense(2, name="kd")
    dense(inputs=x)
    node = dense.inbound_nodes[0]
    assert node.call_args == (x,) and node.call_kwargs == {}
    assert dense.input is x and dense.input_shape == (None, 4)
    lam = keras.layers.Lambda(lambda xs: xs[0] * 2, name="ld")
    lam([x])
    assert lam.inbound_nodes[0].input_tensors == [x]
    assert lam.input is x and lam.input_shape == (None, 4)
    assert lam.inbound_nodes[0].input_shapes == (None, 4)


def test_sequential_graph_nodes_follow_rebuilds():
    model = keras.Sequential([keras.layers.Dense(3, name="a"), keras.layers.Dense(2, name="b")])
    model(np.ones((1, 4), "float32"))
    first = model.layers[0]
    assert len(first.inbound_nodes) == 1 and first.input_shape == (1, 4)
    model(np.ones((5, 4), "float32"))  # relaxed to (None, 4): a new graph
    assert len(first.inbound_nodes) == 1 and first.input_shape == (None, 4)
    assert [n.layer.name for n in first.outbound_nodes] == ["b"]
    graph_input = first.inbound_nodes[0].parent_nodes[0].layer
    assert [n.layer.name for n in graph_input.outbound_nodes] == ["a"]
    model.add(keras.layers.Dense(1, name="c"))
    assert [n.layer.name for n in model.layers[1].outbound_nodes] == ["c"]
    model.pop()
    assert model.layers[1].outbound_nodes == []

    declared = keras.Sequential([keras.Input((4,), name="in"), keras.layers.Dense(3, name="a2")])
    declared.add(keras.layers.Dense(2, name="b2"))
    a2 = declared.get_layer("a2")
    assert [n.layer.name for n in a2.outbound_nodes] == ["b2"]
    declared.pop()
    assert a2.outbound_nodes == [] and len(a2.inbound_nodes) == 1
    in_layer = a2.inbound_nodes[0].parent_nodes[0].layer
    assert [n.layer.name for n in in_layer.outbound_nodes] == ["a2"]


def test_copied_and_cloned_models_keep_their_nodes():
    _, _, _, _, model = _simple()
    copies = (copy.deepcopy(model), pickle.loads(pickle.dumps(model)))
    for other in (*copies, keras.models.clone_model(model)):
        assert len(other.layers[1].inbound_nodes) == 1
        assert [n.layer.name for n in other.layers[0].outbound_nodes] == ["dense"]
    assert len(model.layers[1].inbound_nodes) == 1


def test_models_report_their_own_shapes_after_calls_on_other_shapes():
    x = keras.Input((None, 3))
    base = keras.Model(x, keras.layers.Dense(2)(x), name="base")
    base(keras.Input((5, 3)))
    base(keras.Input((7, 3)))
    assert base.input_shape == (None, None, 3) and base.output_shape == (None, None, 2)
    assert base.get_input_shape_at(1) == (None, 7, 3)
    assert base.get_output_shape_at(0) == (None, 5, 2)
    seq = keras.Sequential([keras.Input((None, 3)), keras.layers.Dense(2)])
    seq(keras.Input((5, 3)))
    assert seq.input_shape == (None, None, 3) and seq.output_shape == (None, None, 2)
    assert seq.get_input_shape_at(0) == (None, 5, 3)


def test_a_node_taking_one_tensor_twice_after_copy():
    x = keras.Input((4,), name="x")
    h = keras.layers.Dense(3, name="a")(x)
    model = keras.Model(x, keras.layers.Add(name="add")([h, h]))
    for other in (model, copy.deepcopy(model), pickle.loads(pickle.dumps(model))):
        layer = other.get_layer("a")
        assert [n.layer.name for n in layer.outbound_nodes] == ["add", "add"]
        assert layer.outbound_nodes[0] is other.get_layer("add").inbound_nodes[0]
