"""tf.Module: variable and submodule tracking on torch.nn.Module."""

from __future__ import annotations

import pytest
import torch

import tork as tf


class Affine(tf.Module):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.w = tf.Variable(torch.ones(2, 2))
        self.frozen = tf.Variable(0.0, trainable=False)
        self.extras = []
        self.extras.append(tf.Variable(1.0))
        self.children_ = {"inner": [Inner()]}


class Inner(tf.Module):
    def __init__(self):
        super().__init__()
        self.v = tf.Variable(2.0)


def test_tracks_attributes_lists_dicts_and_nested_modules():
    m = Affine()
    assert m.name == "affine"
    assert len(m.variables) == 4
    assert len(m.trainable_variables) == 3
    assert len(m.non_trainable_variables) == 1
    assert [type(s).__name__ for s in m.submodules] == ["Inner"]
    assert len(list(m.parameters())) == 4
    assert "children_.inner.0.v" in m.state_dict()


def test_torch_functions_see_tracked_state():
    m = Affine(name="custom")
    assert m.name == "custom"
    m.to(torch.float64)
    assert all(v.dtype == torch.float64 for v in m.variables)
    with m.name_scope:
        pass


def test_attributes_set_before_super_init_still_tracked():
    class Early(tf.Module):
        def __init__(self):
            self.v = tf.Variable(1.0)
            super().__init__()

    assert len(Early().variables) == 1


def test_tracked_dicts_and_lists_behave_like_dicts_and_lists():
    m = tf.Module()
    m.cache = {}
    m.cache["a"] = 1
    m.cache.update(b=2)
    del m.cache["a"]
    m.cache.setdefault("c", 3)
    assert m.cache == {"b": 2, "c": 3} and isinstance(m.cache, dict)
    m.items = [3, 1, 2]
    m.items.sort()
    m.items[0] = 0
    del m.items[1]
    assert m.items == [0, 3]
    m.items.append(tf.Variable(1.0))
    assert len(m.variables) == 1
    m.cache["v"] = tf.Variable(2.0)
    assert len(m.variables) == 2
    del m.cache["v"]
    assert len(m.variables) == 1


def _listed_model():
    keras = tf.keras

    class Listed(keras.Model):
        def __init__(self):
            super().__init__()
            self.blocks = [keras.layers.Dense(3), keras.layers.Dense(2)]
            self.heads = {"extra": keras.layers.Dense(2)}

        def call(self, x):
            for block in self.blocks:
                x = block(x)
            return x + self.heads["extra"](x)

    model = Listed()
    model(torch.ones(1, 4))
    return model


def test_functional_call_reaches_layers_kept_in_lists_and_dicts():
    model = _listed_model()
    params = {name: torch.full_like(p, 0.5) for name, p in model.named_parameters()}
    assert "blocks.0.kernel" in params and "heads.extra.bias" in params
    x = torch.arange(8.0).reshape(2, 4)
    out = torch.func.functional_call(model, params, (x,))
    # Hand-computed: every weight 0.5. h1 = 0.5 * sum(x) + 0.5 per unit (3 units),
    # h2 = 0.5 * 3 * h1 + 0.5, output = h2 + (0.5 * 2 * h2 + 0.5) = 2 * h2 + 0.5.
    h1 = 0.5 * x.sum(1, keepdim=True) + 0.5
    h2 = 1.5 * h1 + 0.5
    torch.testing.assert_close(out.cpu(), (2 * h2 + 0.5).expand(2, 2))
    # The model's own weights were not touched.
    assert not torch.equal(model.blocks[0].kernel, torch.full_like(model.blocks[0].kernel, 0.5))


def test_get_submodule_and_get_parameter_follow_list_paths():
    model = _listed_model()
    assert model.get_submodule("blocks.1") is model.blocks[1]
    assert model.get_parameter("heads.extra.kernel") is model.heads["extra"].kernel
    with pytest.raises(
        AttributeError, match=r"no submodule `blocks.7`: nothing named `7` under `blocks`"
    ):
        model.get_submodule("blocks.7")


class _TFDense(tf.Module):
    def __init__(self, n_in, n_out, name=None):
        super().__init__(name=name)
        self.w = tf.Variable(torch.ones(n_in, n_out), name="w")
        self.b = tf.Variable(torch.zeros(n_out), name="b")


class _TFSequential(tf.Module):
    def __init__(self):
        super().__init__()
        self.zz_dense = _TFDense(3, 3, name="zz")
        self.dense_2 = _TFDense(3, 2, name="d2")
        self.cfg = {"y": tf.Variable(1.0, name="cfg_y"), "x": tf.Variable(1.0, name="cfg_x")}
        self.a_var = tf.Variable(0.0, name="a_var")


def test_variables_follow_tensorflow_module_order():
    # TF 2.21 (the "Introduction to modules" guide's Dense): own attributes sorted by
    # name, nests in tf.nest order, then submodules in the order met, recursively.
    dense = _TFDense(3, 2)
    assert [v.name for v in dense.variables] == ["b:0", "w:0"]
    model = _TFSequential()
    names = [v.name for v in model.trainable_variables]
    # attributes sorted: a_var, cfg (x, y), dense_2, zz_dense
    assert names == ["a_var:0", "cfg_x:0", "cfg_y:0", "b:0", "w:0", "b:0", "w:0"]
    assert model.trainable_variables[3] is model.dense_2.b
    assert model.trainable_variables[5] is model.zz_dense.b


def test_module_variables_include_keras_layers_in_their_own_order():
    m = tf.Module()
    m.layer = tf.keras.layers.Dense(2)
    m.layer.build((None, 3))
    assert [v is w for v, w in zip(m.variables, m.layer.variables)] == [True, True]


def test_name_scope_is_a_tf_name_scope_named_after_the_module():
    m = _TFDense(1, 1, name="simple")
    assert m.name_scope.name == "simple/"
    with m.name_scope as scope:
        assert scope == "simple/"
        assert tf.get_current_name_scope() == "simple"


# -- tf.Module naming and order (expected values printed by TF 2.21) ------------------------------


class _ScopedDense(tf.Module):
    def __init__(self, i, o, name=None):
        super().__init__(name=name)
        with self.name_scope:
            self.w = tf.Variable(torch.ones(i, o), name="w")
            self.b = tf.Variable(torch.zeros(o), name="b")

    @tf.Module.with_name_scope
    def __call__(self, x):
        made = tf.Variable(1.0, name="inner")
        return x @ self.w + self.b, made.name


class _Stack(tf.Module):
    def __init__(self):
        super().__init__()
        self.zeta = _ScopedDense(3, 2)
        self.alpha = _ScopedDense(2, 1, name="alpha_layer")
        self.frozen = tf.Variable(1.0, trainable=False, name="frozen")


def test_variables_in_name_scope_and_with_name_scope_get_the_module_prefix():
    s = _Stack()
    # TF: ['frozen:0', 'alpha_layer/b:0', 'alpha_layer/w:0', '__scoped_dense/b:0',
    # '__scoped_dense/w:0'] (the default name of class _ScopedDense is '__scoped_dense').
    assert [v.name for v in s.variables] == [
        "frozen:0",
        "alpha_layer/b:0",
        "alpha_layer/w:0",
        "__scoped_dense/b:0",
        "__scoped_dense/w:0",
    ]
    out, name = s.alpha(torch.ones(1, 2))
    assert name == "alpha_layer/inner:0"
    assert out.shape == (1, 1)
    assert s.alpha.__call__.__name__ == "__call__"


def test_name_scope_is_taken_under_the_scope_active_at_construction():
    with tf.name_scope("top"):
        d = _ScopedDense(1, 1, name="dd")
    assert d.name_scope.name == "top/dd/"
    assert d.w.name == "top/dd/w:0"
    with d.name_scope:
        assert tf.get_current_name_scope() == "top/dd"


def test_submodules_are_direct_children_by_attribute_name_then_theirs():
    class Leaf(tf.Module):
        pass

    class Branch(tf.Module):
        def __init__(self, name):
            super().__init__(name=name)
            self.leaf = Leaf(name=name + "_leaf")

    class Root(tf.Module):
        def __init__(self):
            super().__init__()
            self.zeta = Branch("zeta")
            self.alpha = Branch("alpha")
            self.mid = [Leaf(name="listed")]

    # TF: ['alpha', 'listed', 'zeta', 'alpha_leaf', 'zeta_leaf']
    assert [m.name for m in Root().submodules] == [
        "alpha",
        "listed",
        "zeta",
        "alpha_leaf",
        "zeta_leaf",
    ]


def test_module_names_must_be_identifiers():
    for bad in ("a b", "1abc"):
        with pytest.raises(ValueError, match=f"'{bad}' is not a valid module name"):
            tf.Module(name=bad)
    assert tf.Module(name="_ok1").name == "_ok1"


def test_default_names_follow_tf_module_not_keras():
    # TF 2.21 tf.Module names for these class names.
    expected = {
        "_ScopedDense": "__scoped_dense",
        "MyModule_X": "my_module_x",
        "HTTPLayer": "http_layer",
        "Conv2D": "conv2_d",
        "ReLU": "re_lu",
    }
    for class_name, name in expected.items():
        assert type(class_name, (tf.Module,), {})().name == name
