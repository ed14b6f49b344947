"""`keras.tree`: Keras 3's utilities for nested structures.

The same structures as `tf.nest` (lists, tuples, namedtuples and dicts; `None` and
everything else are leaves; dicts walked in sorted key order), with Keras 3's extra
functions: paths, partial mapping, shape tuples and traversal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tork import nest as _nest
from tork.nest import flatten, is_nested, pack_sequence_as

__all__ = [
    "MAP_TO_NONE",
    "assert_same_paths",
    "assert_same_structure",
    "flatten",
    "flatten_with_path",
    "is_nested",
    "lists_to_tuples",
    "map_shape_structure",
    "map_structure",
    "map_structure_up_to",
    "pack_sequence_as",
    "traverse",
]


class MAP_TO_NONE:  # noqa: N801 - Keras's public name
    """Special value for use with `traverse()`: the node becomes `None`."""


def assert_same_structure(a, b, check_types=None) -> None:
    """Asserts that two structures are nested in the same way.

    Args:
        a: a nested structure.
        b: another nested structure.
        check_types: when True (the default), the sequence types must match too.

    Raises:
        ValueError: the nesting, lengths or dict keys differ.
        TypeError: the sequence types differ.

    Example:
    >>> keras.tree.assert_same_structure([(0, 1)], [(2, 3)])
    """
    _nest.assert_same_structure(a, b, check_types=True if check_types is None else check_types)


def flatten_with_path(structure) -> list:
    """Flattens a structure into `(path, leaf)` pairs.

    A path is a tuple of indices (sequences, namedtuples included) and keys (dicts).

    Args:
        structure: a nested structure.

    Returns:
        A list of `(path, leaf)` in `flatten` order.

    Example:
    >>> keras.tree.flatten_with_path({"b": [5, 6], "a": 4})
    [(('a',), 4), (('b', 0), 5), (('b', 1), 6)]
    """
    result: list = []

    def visit(node, path):
        if not is_nested(node):
            result.append((path, node))
            return
        for key, child in _nest._paths_and_children(node):
            visit(child, (*path, key))

    visit(structure, ())
    return result


def assert_same_paths(a, b) -> None:
    """Asserts that two structures have the same leaf paths (collection types ignored).

    Args:
        a: a nested structure.
        b: another nested structure.

    Raises:
        ValueError: the paths differ; the message lists them.

    Example:
    >>> keras.tree.assert_same_paths([0, 1], (2, 3))
    """
    paths_a = {path for path, _ in flatten_with_path(a)}
    paths_b = {path for path, _ in flatten_with_path(b)}
    if paths_a != paths_b:
        raise ValueError(
            "The two structures don't have the same paths. Only in the first: "
            f"{sorted(paths_a - paths_b, key=repr)}; only in the second: "
            f"{sorted(paths_b - paths_a, key=repr)}."
        )


def map_structure(func: Callable[..., Any], *structures):
    """Maps `func` over the leaves of structures of the same nesting.

    Args:
        func: called with one leaf from each structure.
        *structures: structures nested the same way.

    Returns:
        A structure like the first one holding `func`'s results.

    Example:
    >>> keras.tree.map_structure(lambda x: x * 2, {"a": 1, "b": (2, 3)})
    {'a': 2, 'b': (4, 6)}
    """
    if not callable(func):
        raise TypeError(f"map_structure: func must be callable, got {func!r}.")
    if not structures:
        raise TypeError("map_structure needs at least one structure to map over.")
    return _nest.map_structure(func, *structures)


def map_structure_up_to(shallow_structure, func: Callable[..., Any], *structures):
    """Maps `func` over structures down to the leaves of `shallow_structure` only.

    Deeper parts of `structures` are passed to `func` whole.

    Args:
        shallow_structure: a structure whose layout all `structures` share at the top.
        func: called with one (sub)structure from each of `structures`.
        *structures: structures at least as deep as `shallow_structure`.

    Returns:
        A structure like `shallow_structure` holding `func`'s results.

    Example:
    >>> keras.tree.map_structure_up_to([None, None], len, [[1, 1], [2, 2, 2]])
    [2, 3]
    """
    if not callable(func):
        raise TypeError(f"map_structure_up_to: func must be callable, got {func!r}.")
    if not structures:
        raise TypeError("map_structure_up_to needs at least one structure to map over.")

    def upto(shallow, node, path):
        if not is_nested(shallow):
            return [node]
        if not is_nested(node):
            raise ValueError(
                f"map_structure_up_to: the structure is shallower than shallow_structure at "
                f"{path or 'the top'}: got the leaf {node!r} where {shallow!r} is nested."
            )
        if len(_nest._children(shallow)) != len(_nest._children(node)):
            raise ValueError(
                f"map_structure_up_to: the structure has {len(_nest._children(node))} "
                f"element(s) at {path or 'the top'} but shallow_structure has "
                f"{len(_nest._children(shallow))}: {node!r} vs {shallow!r}."
            )
        result = []
        for (key, sub), child in zip(_nest._paths_and_children(shallow), _nest._children(node)):
            result.extend(upto(sub, child, f"{path}[{key!r}]"))
        return result

    columns = [upto(shallow_structure, s, "") for s in structures]
    return pack_sequence_as(shallow_structure, [func(*args) for args in zip(*columns)])


def lists_to_tuples(structure):
    """Returns the structure with every list turned into a tuple.

    Example:
    >>> keras.tree.lists_to_tuples([1, {"a": [2]}])
    (1, {'a': (2,)})
    """
    if not is_nested(structure):
        return structure
    children = [lists_to_tuples(child) for child in _nest._children(structure)]
    if isinstance(structure, list):
        return tuple(children)
    return _nest._rebuild(structure, children)


def _is_shape(value) -> bool:
    return isinstance(value, (tuple, list)) and all(
        d is None or (isinstance(d, int) and not isinstance(d, bool)) for d in value
    )


def map_shape_structure(func: Callable[[Any], Any], structure):
    """`map_structure` where tuples/lists of ints and Nones count as leaves (shapes).

    Example:
    >>> keras.tree.map_shape_structure(len, {"x": (None, 3), "y": [(2, 4, 5)]})
    {'x': 2, 'y': [3]}
    """
    if _is_shape(structure) or not is_nested(structure):
        return func(structure)
    children = [map_shape_structure(func, child) for child in _nest._children(structure)]
    return _nest._rebuild(structure, children)


def traverse(func: Callable[[Any], Any], structure, top_down: bool = True):
    """Applies `func` to every node of a structure (subtrees and leaves).

    Top down (default): a node for which `func` returns a value other than None is
    replaced by it and not visited further; None means "keep going" (a leaf is kept).
    Bottom up: `func` sees each node after its children were traversed; None keeps the
    node. `MAP_TO_NONE` as a result makes the node `None`.

    Args:
        func: called with each node.
        structure: the nested structure.
        top_down: the order described above.

    Returns:
        The transformed structure.

    Example:
    >>> keras.tree.traverse(lambda x: x + 1 if isinstance(x, int) else None, [1, (2,)])
    [2, (3,)]
    """

    def result_of(value, node):
        if value is MAP_TO_NONE or isinstance(value, MAP_TO_NONE):
            return None
        return node if value is None else value

    def down(node):
        value = func(node)
        if value is not None:
            return result_of(value, node)
        if not is_nested(node):
            return node
        return _nest._rebuild(node, [down(child) for child in _nest._children(node)])

    def up(node):
        if is_nested(node):
            node = _nest._rebuild(node, [up(child) for child in _nest._children(node)])
        return result_of(func(node), node)

    return down(structure) if top_down else up(structure)
