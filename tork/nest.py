"""`tf.nest`: utilities for nested structures of lists, tuples and dicts.

A structure is a (nested) list, tuple, namedtuple or dict (any `Mapping`); everything else
is an atom, including `None`, strings, NumPy arrays and tensors. Dicts are walked in sorted
key order (also OrderedDicts, as TensorFlow does), so that a structure flattens the same way
whatever order its keys were inserted in; `pack_sequence_as` restores each dict's own order.
"""

from __future__ import annotations

import collections.abc
from collections.abc import Callable
from typing import Any

__all__ = ["assert_same_structure", "flatten", "is_nested", "map_structure", "pack_sequence_as"]


def _is_namedtuple(value) -> bool:
    return isinstance(value, tuple) and hasattr(type(value), "_fields")


def is_nested(seq) -> bool:
    """Whether `seq` is a structure (list, tuple, dict) rather than an atom.

    Args:
        seq: any value.

    Returns:
        True for lists, tuples (incl. namedtuples) and dicts (any `Mapping`).

    Example:
    >>> tf.nest.is_nested([1, 2]), tf.nest.is_nested("ab"), tf.nest.is_nested(None)
    (True, False, False)
    """
    return isinstance(seq, (list, tuple, collections.abc.Mapping))


# TF 1's name of `is_nested` (`tensorflow.python.util.nest.is_sequence`, called by
# DeepCTR's attention GRU cells and TF 1 RNN helpers).
is_sequence = is_nested


def _sorted_keys(mapping) -> list:
    try:
        return sorted(mapping)
    except TypeError as error:
        raise TypeError(
            f"nest only handles dicts whose keys can be sorted (it walks them in sorted order), "
            f"but got keys {list(mapping)!r}: {error}"
        ) from None


def _children(structure) -> list:
    """The direct children of a structure, in nest order."""
    if isinstance(structure, collections.abc.Mapping):
        return [structure[key] for key in _sorted_keys(structure)]
    return list(structure)


def _paths_and_children(structure) -> list:
    if isinstance(structure, collections.abc.Mapping):
        return [(key, structure[key]) for key in _sorted_keys(structure)]
    return list(enumerate(structure))


def _rebuild(instance, children: list):
    """A structure like `instance` holding `children` (in nest order)."""
    if isinstance(instance, collections.abc.Mapping):
        by_key = dict(zip(_sorted_keys(instance), children))
        items = [(key, by_key[key]) for key in instance]  # the instance's own key order
        if isinstance(instance, collections.defaultdict):
            result = type(instance)(instance.default_factory)
            result.update(items)
            return result
        try:
            return type(instance)(items)
        except TypeError:
            return dict(items)
    if _is_namedtuple(instance):
        return type(instance)(*children)
    if isinstance(instance, tuple):
        return tuple(children)
    return list(children)


def flatten(structure, expand_composites: bool = False) -> list:
    """Returns the atoms of a nested structure as a flat list.

    Args:
        structure: a nested structure, or an atom (which gives `[structure]`).
        expand_composites: accepted for compatibility (tork has no composite tensors).

    Returns:
        A list of atoms, dicts walked in sorted key order.

    Example:
    >>> tf.nest.flatten({"b": (1, 2), "a": [3]})
    [3, 1, 2]
    """
    if not is_nested(structure):
        return [structure]
    result: list = []
    stack = [structure]
    while stack:
        item = stack.pop()
        if is_nested(item):
            stack.extend(reversed(_children(item)))
        else:
            result.append(item)
    return result


def _count(structure) -> int:
    return len(flatten(structure))


def pack_sequence_as(structure, flat_sequence, expand_composites: bool = False):
    """Packs a flat sequence into the shape of `structure` (the inverse of `flatten`).

    Args:
        structure: the nested structure to follow (its atoms are ignored).
        flat_sequence: a flat list/tuple with one item per atom of `structure`.
        expand_composites: accepted for compatibility (tork has no composite tensors).

    Returns:
        `flat_sequence` packed into a structure like `structure`.

    Raises:
        TypeError: `flat_sequence` is not a list or tuple.
        ValueError: the number of items differs from the number of atoms.

    Example:
    >>> tf.nest.pack_sequence_as({"b": (0, 0), "a": 0}, [1, 2, 3])
    {'b': (2, 3), 'a': 1}
    """
    if not isinstance(flat_sequence, (list, tuple)):
        raise TypeError(
            "pack_sequence_as: flat_sequence must be a list or tuple, but got "
            f"{type(flat_sequence).__name__}."
        )
    expected = _count(structure)
    if len(flat_sequence) != expected:
        raise ValueError(
            f"Could not pack sequence: the structure has {expected} atom(s), but flat_sequence "
            f"has {len(flat_sequence)} item(s). Structure: {structure!r}."
        )
    if not is_nested(structure):
        return flat_sequence[0]
    items = iter(flat_sequence)

    def pack(node):
        if not is_nested(node):
            return next(items)
        return _rebuild(node, [pack(child) for child in _children(node)])

    return pack(structure)


def _same_type(a, b) -> bool:
    if isinstance(a, collections.abc.Mapping) and isinstance(b, collections.abc.Mapping):
        return True  # dicts and OrderedDicts repack into each other
    if isinstance(a, list) and isinstance(b, list):
        return True  # list subclasses (tracked lists) count as lists
    if _is_namedtuple(a) and _is_namedtuple(b):
        return type(a).__name__ == type(b).__name__ and a._fields == b._fields
    return type(a) is type(b)


def _check_same(a, b, check_types: bool, path: str) -> None:
    nested_a, nested_b = is_nested(a), is_nested(b)
    if nested_a != nested_b:
        raise ValueError(
            f"The two structures don't have the same nested structure at {path or 'the top'}: "
            f"{a!r} is {'a structure' if nested_a else 'an atom'}, {b!r} is "
            f"{'a structure' if nested_b else 'an atom'}."
        )
    if not nested_a:
        return
    if check_types and not _same_type(a, b):
        raise TypeError(
            f"The two structures don't have the same sequence type at {path or 'the top'}: "
            f"{type(a).__name__} vs {type(b).__name__}. Pass check_types=False to compare only "
            "the nesting."
        )
    if isinstance(a, collections.abc.Mapping) and isinstance(b, collections.abc.Mapping):
        if set(a) != set(b):
            raise ValueError(
                f"The two structures don't have the same keys at {path or 'the top'}: "
                f"{sorted(map(repr, a))} vs {sorted(map(repr, b))}."
            )
    elif len(a) != len(b):
        raise ValueError(
            f"The two structures don't have the same number of elements at "
            f"{path or 'the top'}: {len(a)} vs {len(b)} ({a!r} vs {b!r})."
        )
    for (key, child_a), child_b in zip(_paths_and_children(a), _children(b)):
        _check_same(child_a, child_b, check_types, f"{path}[{key!r}]")


def assert_same_structure(nest1, nest2, check_types: bool = True, expand_composites: bool = False):
    """Checks that two structures nest the same way.

    Args:
        nest1: a nested structure.
        nest2: another nested structure.
        check_types: also require the same sequence types (a list is not a tuple; dicts
            of any kind and namedtuples of the same name and fields match).
        expand_composites: accepted for compatibility.

    Raises:
        ValueError: the nesting, the number of elements or the dict keys differ.
        TypeError: `check_types` and the sequence types differ.

    Example:
    >>> tf.nest.assert_same_structure((1, [2]), ("a", ["b"]))
    """
    _check_same(nest1, nest2, check_types, "")


def map_structure(func: Callable[..., Any], *structure, **kwargs):
    """Applies `func` to the atoms of one or more structures of the same shape.

    Args:
        func: called as `func(atom_1, atom_2, ...)`, one atom from each structure.
        *structure: structures of the same nesting.
        **kwargs: `check_types` (default True) and `expand_composites`.

    Returns:
        A structure like the first one, holding `func`'s results.

    Example:
    >>> tf.nest.map_structure(lambda a, b: a + b, (1, [2]), (10, [20]))
    (11, [22])
    """
    check_types = kwargs.pop("check_types", True)
    kwargs.pop("expand_composites", None)
    if kwargs:
        raise ValueError(
            f"map_structure only takes check_types and expand_composites as keyword arguments, "
            f"got {sorted(kwargs)}."
        )
    if not structure:
        raise ValueError("map_structure needs at least one structure to map over.")
    if not callable(func):
        raise TypeError(f"map_structure: func must be callable, got {func!r}.")
    for other in structure[1:]:
        assert_same_structure(structure[0], other, check_types=check_types)
    flats = [flatten(s) for s in structure]
    return pack_sequence_as(structure[0], [func(*atoms) for atoms in zip(*flats)])
