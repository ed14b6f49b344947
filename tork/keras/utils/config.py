"""`keras.utils.Config` (Keras 3): a dict of named values with attribute access and freezing."""

from __future__ import annotations

import json

_FROZEN = "Cannot mutate attribute(s) because the config is frozen."


class Config:
    """A dict-like container of named settings, readable as attributes, that can be frozen.

    Values are set and read as attributes (`config.seed = 1`) or items (`config["seed"]`);
    the usual dict methods work, `as_dict()`/`to_json()` export it, and `freeze()` makes
    every later change raise until `unfreeze()`.

    Args:
        **kwargs: the initial entries.

    Example:
    >>> config = keras.utils.Config(learning_rate=0.1, momentum=0.9)
    >>> config.use_ema = True
    >>> config["seed"] = 123
    >>> config.learning_rate, config["use_ema"]
    (0.1, True)
    >>> config.freeze()
    >>> config.seed = 1  # raises ValueError: the config is frozen
    """

    __attrs__ = None

    def __init__(self, **kwargs) -> None:
        object.__setattr__(self, "_config", dict(kwargs))
        object.__setattr__(self, "_frozen", False)

    @property
    def frozen(self) -> bool:
        """True once `freeze()` was called (and `unfreeze()` was not)."""
        return self._frozen

    def freeze(self) -> None:
        """Makes every later change (set, delete, update, pop) raise a ValueError."""
        object.__setattr__(self, "_frozen", True)

    def unfreeze(self) -> None:
        """Allows changes again after `freeze()`."""
        object.__setattr__(self, "_frozen", False)

    def _check_mutable(self) -> None:
        if self._frozen:
            raise ValueError(_FROZEN)

    def __setattr__(self, name: str, value) -> None:
        self._check_mutable()
        self._config[name] = value

    def __getattr__(self, name: str):
        if name.startswith("__") or name in ("_config", "_frozen"):
            raise AttributeError(name)
        try:
            return self._config[name]
        except KeyError:
            raise AttributeError(f"Unknown attribute: '{name}'.") from None

    def __setitem__(self, key, item) -> None:
        self._check_mutable()
        self._config[key] = item

    def __getitem__(self, key):
        return self._config[key]

    def __delitem__(self, key) -> None:
        self._check_mutable()
        del self._config[key]

    def __contains__(self, item) -> bool:
        return item in self._config

    def __iter__(self):
        return iter(self._config)

    def __len__(self) -> int:
        return len(self._config)

    def __repr__(self) -> str:
        return f"<Config {self._config}>"

    def get(self, keyname, value=None):
        """The value of `keyname`, or `value` when it is absent."""
        return self._config.get(keyname, value)

    def keys(self):
        """The entries' names, as `dict.keys()`."""
        return self._config.keys()

    def values(self):
        """The entries' values, as `dict.values()`."""
        return self._config.values()

    def items(self):
        """The `(name, value)` pairs, as `dict.items()`."""
        return self._config.items()

    def pop(self, *args):
        """Removes an entry and returns its value, as `dict.pop` (raises when frozen)."""
        self._check_mutable()
        return self._config.pop(*args)

    def update(self, *args, **kwargs) -> None:
        """Adds or replaces entries, as `dict.update` (raises when frozen)."""
        self._check_mutable()
        self._config.update(*args, **kwargs)

    def as_dict(self) -> dict:
        """Returns a copy of the entries as a plain dict."""
        return dict(self._config)

    def to_json(self) -> str:
        """Returns the entries as a JSON string."""
        return json.dumps(self._config)
