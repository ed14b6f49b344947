"""tf.data.experimental.AutotuneAlgorithm (fuzzdata4): missing in tork; TF 2.21 values
(/tmp/fuzzdata4/p_opt4.py): members DEFAULT=0 .. STAGE_BASED=4, a plain Enum whose str()
is 'AutotuneAlgorithm.HILL_CLIMB', accepted by Options().autotune.autotune_algorithm."""

import tork as tf


def test_autotune_algorithm_enum():
    algo = tf.data.experimental.AutotuneAlgorithm
    assert [(m.name, m.value) for m in algo] == [
        ("DEFAULT", 0),
        ("HILL_CLIMB", 1),
        ("GRADIENT_DESCENT", 2),
        ("MAX_PARALLELISM", 3),
        ("STAGE_BASED", 4),
    ]
    assert str(algo.HILL_CLIMB) == "AutotuneAlgorithm.HILL_CLIMB"
    assert tf.data.Options().autotune.autotune_algorithm is None


def test_autotune_algorithm_option_round_trip():
    options = tf.data.Options()
    options.autotune.autotune_algorithm = tf.data.experimental.AutotuneAlgorithm.GRADIENT_DESCENT
    ds = tf.data.Dataset.range(3).with_options(options)
    got = ds.options().autotune.autotune_algorithm
    assert str(got) == "AutotuneAlgorithm.GRADIENT_DESCENT"
    assert [int(x) for x in ds] == [0, 1, 2]
