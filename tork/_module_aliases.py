"""`from tork.nn import relu`: TensorFlow's op namespaces importable as modules.

TensorFlow registers `tf.nn`, `tf.math`, `tf.image`... as modules, so library code
writes `from tensorflow.nn import depth_to_space` or `import tensorflow.math as tfm`
(keras-unet-collection's transformer layers do). In tork those namespaces are
attributes of `tork` backed by modules with other names (`tork.ops.nn`), which the
import system cannot find under `tork.nn`. This finder answers `tork.<namespace>` with
the module that `tork.<namespace>` already is, loading lazy ones the way attribute
access does (so their ops also accept symbolic tensors).
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import sys


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, attribute: str):
        self._attribute = attribute

    def create_module(self, spec):
        import tork

        module = getattr(tork, self._attribute)
        self._saved = {k: module.__dict__.get(k) for k in ("__spec__", "__loader__", "__package__")}
        return module

    def exec_module(self, module) -> None:
        # Nothing to run (the module is loaded); the import system replaced its spec with
        # the alias's, so give the module back its own.
        module.__dict__.update(self._saved)


class _AliasFinder(importlib.abc.MetaPathFinder):
    def __init__(self, names):
        self._names = frozenset(names)

    def find_spec(self, fullname, path=None, target=None):
        package, _, attribute = fullname.partition(".")
        if package != "tork" or attribute not in self._names:
            return None
        return importlib.util.spec_from_loader(fullname, _AliasLoader(attribute))


def install(eager: dict, lazy: dict) -> None:
    """Makes `tork.<name>` importable for the namespaces held under other module names.

    Args:
        eager: `{name: module}` of namespaces already imported into `tork`.
        lazy: `{name: module path}` of the namespaces `tork.__getattr__` loads on use.
    """
    names = {n for n, m in eager.items() if m.__name__ != f"tork.{n}"}
    names |= {n for n, target in lazy.items() if target != f"tork.{n}"}
    if not any(isinstance(f, _AliasFinder) for f in sys.meta_path):
        sys.meta_path.append(_AliasFinder(names))
