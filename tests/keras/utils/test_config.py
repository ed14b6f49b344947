"""keras.utils.Config (Keras 3.15): attribute/item access, dict methods, freezing.

Expected reprs and error texts are Keras 3.15's.
"""

from __future__ import annotations

import json
import pickle

import pytest

from tork import keras


def test_attribute_and_item_access_and_dict_methods():
    config = keras.utils.Config(learning_rate=0.1, momentum=0.9)
    config.use_ema = True
    config["seed"] = 123
    assert config.learning_rate == 0.1 and config["use_ema"] is True
    assert list(config) == ["learning_rate", "momentum", "use_ema", "seed"]
    assert len(config) == 4 and "seed" in config
    assert config.get("missing", 5) == 5
    assert repr(config) == (
        "<Config {'learning_rate': 0.1, 'momentum': 0.9, 'use_ema': True, 'seed': 123}>"
    )
    assert json.loads(config.to_json()) == config.as_dict()
    assert config.pop("use_ema") is True
    config.update({"a": 1}, b=2)
    assert dict(config.items()) == {
        "learning_rate": 0.1,
        "momentum": 0.9,
        "seed": 123,
        "a": 1,
        "b": 2,
    }
    assert pickle.loads(pickle.dumps(config)).as_dict() == config.as_dict()


def test_freezing_refuses_every_change_until_unfrozen():
    config = keras.utils.Config(seed=1)
    config.freeze()
    assert config.frozen
    changes = (
        lambda: setattr(config, "seed", 2),
        lambda: config.__setitem__("seed", 2),
        lambda: config.__delitem__("seed"),
        lambda: config.update(seed=2),
        lambda: config.pop("seed"),
    )
    for change in changes:
        with pytest.raises(
            ValueError, match="Cannot mutate attribute\\(s\\) because the config is frozen."
        ):
            change()
    config.unfreeze()
    config.seed = 2
    assert config.seed == 2


def test_unknown_names_raise_keras3_errors():
    config = keras.utils.Config()
    with pytest.raises(AttributeError, match="Unknown attribute: 'missing'."):
        _ = config.missing
    with pytest.raises(KeyError, match="missing"):
        config["missing"]
