"""TensorFlow's private `tensorflow.python.*` modules that library code imports.

Pattern from bojone/bert4keras (bert4keras/backend.py), which starts with

    from tensorflow.python.client import device_lib
    from tensorflow.python.util import nest, tf_inspect
    from tensorflow.python.eager import tape
    from tensorflow.python.ops.custom_gradient import _graph_mode_decorator

and uses `tape` and `_graph_mode_decorator` only on its RECOMPUTE=1 path. Under a
`tensorflow` package that re-exports tork these are `tork.python.*`. Expected values: the
same calls on tensorflow 2.21's `tensorflow.python.util.tf_inspect` and `device_lib`
(reference env).
"""

import functools
import subprocess
import sys
import textwrap

import pytest

import tork


def _f(a, b=2, *args, c, d=4, **kw):
    return a


class _C:
    def __init__(self, x, y=1):
        pass

    def m(self, z):
        return z


def test_nest_is_tork_nest():
    from tork.python.util import nest

    assert nest is tork.nest
    assert nest.flatten([1, (2, {"a": 3})]) == [1, 2, 3]


def test_tf_inspect_specs_as_tensorflow():
    from tork.python.util import tf_inspect

    # tensorflow 2.21: keyword-only arguments follow the positional ones in `getargspec`.
    spec = tf_inspect.getargspec(_f)
    assert tuple(spec) == (["a", "b", "c", "d"], "args", "kw", (2, 4))
    assert spec.keywords == "kw"
    assert tuple(tf_inspect.getargspec(lambda a, b=1: 0)) == (["a", "b"], None, None, (1,))
    full = tf_inspect.getfullargspec(_f)
    assert full.args == ["a", "b"] and full.kwonlyargs == ["c", "d"]
    assert full.kwonlydefaults == {"d": 4}
    assert tf_inspect.getfullargspec(_C).args == ["self", "x", "y"]
    assert tf_inspect.getfullargspec(_C(1).m).args == ["self", "z"]
    partial = tf_inspect.getfullargspec(functools.partial(lambda a, b, c=3: 0, 1))
    assert partial.args == ["b", "c"] and partial.defaults == (3,)
    assert tf_inspect.isfunction(_f) and tf_inspect.isclass(_C)
    assert tf_inspect.isanytargetmethod(_C(1).m) and not tf_inspect.isanytargetmethod(_f)
    assert list(tf_inspect.signature(_f).parameters) == ["a", "b", "args", "c", "d", "kw"]


def test_eager_tape_imports_and_names_the_alternative_when_called():
    from tork.python.eager import tape

    with pytest.raises(NotImplementedError, match=r"eager\.tape\.stop_recording.*GradientTape"):
        with tape.stop_recording():
            pass
    with pytest.raises(
        NotImplementedError, match=r"eager\.tape\.record_operation.*tf\.custom_gradient"
    ):
        tape.record_operation("call", [], [], lambda *g: g)


def test_custom_gradient_module():
    from tork.python.ops import custom_gradient as module
    from tork.python.ops.custom_gradient import _graph_mode_decorator

    assert module.custom_gradient is tork.custom_gradient
    assert module.recompute_grad is tork.recompute_grad
    with pytest.raises(
        NotImplementedError,
        match=r"custom_gradient\._graph_mode_decorator.*no graph mode.*@tf\.custom_gradient",
    ):
        _graph_mode_decorator(lambda x: x, (1.0,), {})


def test_device_lib_lists_the_cpu_first():
    from tork.python.client import device_lib

    devices = device_lib.list_local_devices()
    # tensorflow 2.21 on CPU: name "/device:CPU:0", device_type "CPU", memory_limit 268435456.
    assert (devices[0].name, devices[0].device_type, devices[0].memory_limit) == (
        "/device:CPU:0",
        "CPU",
        268435456,
    )
    gpus = [d.name for d in devices if d.device_type == "GPU"]
    assert len(gpus) == len(tork.config.list_physical_devices("GPU"))


def test_other_private_modules_are_not_found():
    with pytest.raises(ModuleNotFoundError):
        __import__("tork.python.ops.no_such_ops")
    import tork.python.util

    assert "`nest`, `tf_inspect`" in tork.python.util.__doc__


@pytest.mark.slow  # a fresh interpreter imports tork (about 5 s)
def test_through_a_tensorflow_alias_package(tmp_path):
    # A `tensorflow` package that stands for tork (as a user's shim does), then the import
    # block of bert4keras's backend, in a fresh interpreter.
    package = tmp_path / "tensorflow"
    package.mkdir()
    (package / "__init__.py").write_text(
        textwrap.dedent(
            """
            import importlib, importlib.abc, importlib.util, sys
            import tork


            class _Alias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
                def find_spec(self, fullname, path=None, target=None):
                    if not fullname.startswith("tensorflow."):
                        return None
                    if importlib.util.find_spec("tork" + fullname[10:]) is None:
                        return None
                    return importlib.util.spec_from_loader(fullname, self, is_package=True)

                def create_module(self, spec):
                    return importlib.import_module("tork" + spec.name[10:])

                def exec_module(self, module):
                    pass


            sys.meta_path.insert(0, _Alias())
            sys.modules["tensorflow"] = tork
            """
        )
    )
    code = textwrap.dedent(
        """
        import tensorflow as tf
        from tensorflow.python.client import device_lib
        from tensorflow.python.util import nest, tf_inspect
        from tensorflow.python.eager import tape
        from tensorflow.python.ops.custom_gradient import _graph_mode_decorator
        print(tf is __import__("tork"), nest.flatten([[1], 2]),
              tf_inspect.getfullargspec(lambda a, b: 0).args,
              device_lib.list_local_devices()[0].device_type)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert out.stdout.split() == ["True", "[1,", "2]", "['a',", "'b']", "CPU"]


def test_node_at_its_tf1_paths():
    # bert4keras's layers.py on TF < 1.15: `from tensorflow.python.keras.engine import
    # base_layer`, subclasses `base_layer.Node` and assigns the subclass back.
    from tork.python.keras.engine import base_layer
    from tork.python.keras.engine.node import Node as NodeFromNode

    from tork.keras.models.functional.node import Node

    assert base_layer.Node is Node and NodeFromNode is Node

    class PatchedNode(base_layer.Node):
        @property
        def arguments(self):
            return dict(self._arguments)

    base_layer.Node = PatchedNode
    try:
        assert base_layer.Node is PatchedNode
    finally:
        del base_layer.Node
    assert base_layer.Node is Node
