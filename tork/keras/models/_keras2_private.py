"""Private attributes of tf.keras 2 models that user code reads.

Graph utilities (plot/summary helpers, quantization and pruning checks, TensorBoard
callbacks) test `model._is_graph_network`, walk `model._self_tracked_trackables`, or match
`f"{layer.name}_ib-{i}"` keys of `layer._inbound_nodes` against `model._network_nodes`;
legacy data code reads `model._feed_input_names`. Values are tf_keras 2.21's.

`Keras2PrivateModel` is a mixin of `Model`.
"""

from __future__ import annotations

# Where a user's own value of a settable attribute is kept.
_USER_GRAPH_FLAG = "_tork_user_is_graph_network"
_USER_JOINT = "_tork_user_output_and_mask_jointly"


def _graph_nodes(model) -> list | None:
    """The nodes of a functional model's or graph Sequential's graph; None for the others."""
    state = model.__dict__
    if "_tork_input_struct" in state and "_tork_nodes" in state:
        from tork.keras.models.functional.config import ordered_nodes

        return [node for _, node in ordered_nodes(model)[0]]
    graph = state.get("_tork_graph")
    if graph is not None and graph[1] is not None:
        nodes = list(graph[2])
        source = getattr(graph[0], "_keras_history", None)
        if source is not None:
            inbound = source[0].__dict__.get("_tork_inbound_nodes") or []
            nodes = inbound[:1] + nodes  # the InputLayer's node comes first
        return nodes
    return None


class Keras2PrivateModel:
    """tf.keras 2's `_is_graph_network`, `_network_nodes`, `_self_tracked_trackables`..."""

    @property
    def _compute_output_and_mask_jointly(self) -> bool:
        """True for functional and Sequential models (Keras 2 computes their outputs and
        masks in one pass), False for subclassed ones (user code may set it)."""
        if _USER_JOINT in self.__dict__:
            return self.__dict__[_USER_JOINT]
        from tork.keras.models.functional.functional import Functional
        from tork.keras.models.sequential import Sequential

        return isinstance(self, (Functional, Sequential))

    @_compute_output_and_mask_jointly.setter
    def _compute_output_and_mask_jointly(self, value) -> None:
        self.__dict__[_USER_JOINT] = value

    @property
    def _is_graph_network(self) -> bool:
        """True for functional models and Sequential models with a graph (built on an
        input), False for subclassed models (user code may set it)."""
        state = self.__dict__
        if _USER_GRAPH_FLAG in state:
            return state[_USER_GRAPH_FLAG]
        return _graph_nodes(self) is not None

    @_is_graph_network.setter
    def _is_graph_network(self, value) -> None:
        self.__dict__[_USER_GRAPH_FLAG] = value

    @property
    def _self_tracked_trackables(self) -> list:
        """The layers Keras 2 tracks: a functional model's (InputLayers included), a
        Sequential's (its InputLayer first when it has one), a subclassed model's sublayers."""
        layers = list(self._layers)
        declared = self.__dict__.get("_tork_input_layer")
        if declared is not None and all(layer is not declared for layer in layers):
            layers.insert(0, declared)
        return layers

    @property
    def _network_nodes(self) -> set:
        """Keys `f"{layer.name}_ib-{index}"` of the graph's nodes (index in the layer's
        `_inbound_nodes`); only functional and graph Sequential models have them."""
        nodes = _graph_nodes(self)
        if nodes is None:
            raise AttributeError(
                f"'{type(self).__name__}' object has no attribute '_network_nodes': only "
                "functional models and Sequential models built on an input have a graph."
            )
        keys = set()
        for node in nodes:
            layer = node.layer
            inbound = layer.__dict__.get("_tork_inbound_nodes") or []
            for index, candidate in enumerate(inbound):
                if candidate is node:
                    keys.add(f"{layer.name}_ib-{index}")
                    break
        return keys

    @property
    def _feed_input_names(self) -> list:
        """The input names of a functional/Sequential model (`input_names`), else []."""
        return list(self.input_names or []) if _graph_nodes(self) is not None else []

    @property
    def _input_layers(self) -> list:
        """A graph Sequential's InputLayer in a list (functional models define their own)."""
        return [self._tork_k2_graph_layer(0)]

    @property
    def _output_layers(self) -> list:
        """A graph Sequential's last layer in a list (functional models define their own)."""
        return [self._tork_k2_graph_layer(1)]

    def _tork_k2_graph_layer(self, end: int, attribute: str | None = None):
        graph = self.__dict__.get("_tork_graph")
        history = None if graph is None or graph[1] is None else graph[end]._keras_history
        if history is None:
            raise AttributeError(
                f"'{type(self).__name__}' object has no attribute "
                f"'{attribute or ('_input_layers', '_output_layers')[end]}': only functional "
                "models and Sequential models built on an input have a graph."
            )
        return history[0]

    @property
    def _nested_inputs(self):
        """A functional model's inputs in the structure it was given (one-item list: the
        item), as Keras 2's; TF Model Garden code reads it, and `_nested_outputs`."""
        return self._tork_k2_nested(0)

    @property
    def _nested_outputs(self):
        """A functional model's outputs in the structure it was given (see `_nested_inputs`)."""
        return self._tork_k2_nested(1)

    def _tork_k2_nested(self, end: int):
        state = self.__dict__
        key = ("_tork_input_struct", "_tork_output_struct")[end]
        if key in state:
            value = state[key]
        else:
            attribute = ("_nested_inputs", "_nested_outputs")[end]
            value = self._tork_k2_graph_layer(end, attribute) and state["_tork_graph"][end]
        if isinstance(value, list) and len(value) == 1:
            return value[0]
        return value
