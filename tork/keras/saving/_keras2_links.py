"""Links at tf_keras's paths in the weights files tork writes, so tf_keras loads them too.

tork writes weights files (`.weights.h5`, and `model.weights.h5` inside
`.keras`) in Keras 3's layout. tf_keras 2.13+ reads the same format but finds
some objects at other paths:

- subclassed models: tf_keras walks every attribute in reverse-sorted order
  without Keras 3's `layers` list first, so a subclassed model's layers sit at
  `layers/dense`, `layers/block`... where Keras 3 writes `inp`, `blocks/block`;
- MultiHeadAttention: tf_keras's projections are the private attributes
  `_query_dense`, `_key_dense`, `_value_dense`, `_output_dense` (Keras 3:
  `query_dense`...).

Each such object's `vars` group gets an HDF5 soft link at tf_keras's path to
the group Keras 3's path holds, so the data is stored once and both readers
find it. A tf_keras path that the Keras 3 layout already uses for another
object gets no link. Links are invisible to tork's reader (it walks hard
links only) and to Keras 3's, which look up their own paths.
"""

from __future__ import annotations

from tork.keras.saving import _structure

_MHA_PRIVATE = ("query_dense", "key_dense", "value_dense", "output_dense")


def _join(path: str, name: str) -> str:
    return f"{path}/{name}" if path else name


def add_keras2_links(model, f, walked: list) -> None:
    """Adds soft links at tf_keras's paths to the `vars` groups of an open file `f`.

    Args:
        model: the model (or layer) whose weights `f` holds in Keras 3's layout.
        f: the open, writable `h5py.File`.
        walked: `_structure.walk(model)`, the Keras 3 `(path, object)` pairs written.
    """
    keras3 = {}
    for path, obj in walked:
        keras3.setdefault(id(obj), path)
    links = []
    try:
        keras2 = _structure.walk(model, keras2=True)
    except Exception:  # a model tf_keras's order cannot walk: Keras 3's layout only
        keras2 = []
    for path, obj in keras2:
        if _structure._kind(obj) in ("optimizer", "metric"):
            continue
        target = keras3.get(id(obj))
        if target is not None and target != path:
            links.append((path, target))
    for path, obj in walked:
        if type(obj).__name__ == "MultiHeadAttention":
            for name in _MHA_PRIVATE:
                child = _join(path, name)
                if f.get(_join(child, "vars"), getlink=True) is not None:
                    links.append((_join(path, "_" + name), child))
    for alias, target in links:
        _link(f, _join(alias, "vars"), _join(target, "vars"))
        # The sublayers of an aliased layer are reached below the alias too.
        prefix = target + "/"
        for path, _ in walked:
            if path.startswith(prefix):
                _link(f, _join(alias + "/" + path[len(prefix) :], "vars"), _join(path, "vars"))


def _link(f, alias: str, target: str) -> None:
    import h5py

    if target not in f or alias in f:
        return
    parent, _, _ = alias.rpartition("/")
    try:
        if parent:
            f.require_group(parent)
        f[alias] = h5py.SoftLink("/" + target)
    except (TypeError, ValueError, KeyError):
        pass  # a dataset or another object already holds a part of the path
