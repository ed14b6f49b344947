"""`tensorflow.python.ops.control_flow_util`: graph-context queries library code makes.

TensorFlowTTS asks `GraphOrParentsInXlaContext(graph)` to choose an XLA-friendly loop;
tork has no graphs or XLA contexts, so the answer is always False.
"""

from __future__ import annotations


def GraphOrParentsInXlaContext(graph) -> bool:  # noqa: N802 (TensorFlow's name)
    """Returns False: no graph is ever inside an XLA context in tork.

    Args:
        graph: a graph (ignored).
    """
    del graph
    return False


def InXlaContext(graph) -> bool:  # noqa: N802 (TensorFlow's name)
    """Returns False (see `GraphOrParentsInXlaContext`).

    Args:
        graph: a graph (ignored).
    """
    del graph
    return False
