"""`tensorflow.python.util.tf_inspect`: Python's `inspect`, as TensorFlow wraps it.

TensorFlow's version also sees through its own decorators; tork has none, so these are
Python's functions, plus `getargspec` (gone from Python 3.11's `inspect`).
"""

from __future__ import annotations

import collections
import inspect as _inspect
from inspect import (  # noqa: F401  (re-exported, as tf_inspect's names)
    FullArgSpec,
    Parameter,
    Signature,
    currentframe,
    getcallargs,
    getdoc,
    getfile,
    getframeinfo,
    getfullargspec,
    getmembers,
    getmodule,
    getmro,
    getsource,
    getsourcefile,
    getsourcelines,
    isbuiltin,
    isclass,
    isframe,
    isfunction,
    isgenerator,
    isgeneratorfunction,
    ismethod,
    ismodule,
    isroutine,
    signature,
    stack,
)

ArgSpec = collections.namedtuple("ArgSpec", ["args", "varargs", "keywords", "defaults"])


def getargspec(obj) -> ArgSpec:
    """The Python 2 style argument spec of a callable: `(args, varargs, keywords, defaults)`.

    As TensorFlow's: keyword-only arguments are listed after the positional ones and
    their defaults after the positional defaults.

    Args:
        obj: a function, method, class or `functools.partial`.

    Returns:
        An `ArgSpec`.

    Example:
    >>> getargspec(lambda a, b=1: None)
    ArgSpec(args=['a', 'b'], varargs=None, keywords=None, defaults=(1,))
    """
    spec = _inspect.getfullargspec(obj)
    defaults = tuple(spec.defaults or ())
    kwonly = spec.kwonlydefaults or {}
    defaults += tuple(kwonly[name] for name in spec.kwonlyargs if name in kwonly)
    return ArgSpec(
        args=list(spec.args) + list(spec.kwonlyargs),
        varargs=spec.varargs,
        keywords=spec.varkw,
        defaults=defaults or None,
    )


def isanytargetmethod(obj) -> bool:
    """Whether `obj` is a bound method (TensorFlow also unwraps its decorators first)."""
    return _inspect.ismethod(obj)
