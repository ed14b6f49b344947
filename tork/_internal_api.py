"""`tf.__internal__`: the few entries of TensorFlow's internal API that libraries use.

TensorFlow exposes `tf.__internal__` for its own packages (tf_keras, TF Addons); library
code written against TensorFlow calls some of it directly, such as TF Addons'
MovingAverage optimizer with `tf.__internal__.train.assign_moving_average`.
"""

from __future__ import annotations

import types

from tork.train.moving_averages import assign_moving_average

# `tf.__internal__.train`
train = types.SimpleNamespace(assign_moving_average=assign_moving_average)

__all__ = ["train"]
