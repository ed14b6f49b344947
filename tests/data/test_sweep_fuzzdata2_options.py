"""tf.data.Options fields as TensorFlow has them (fuzzdata2 sweep).

Expected values and messages come from TensorFlow 2.21 (/tmp/tfenv): the sharding
policy starts as AUTO (tork said None, so `int(...)` of it raised), options check
their type when set (tork kept `deterministic = 'yes'` without a word), and
ExternalStatePolicy is a plain enum (`str()` names the member).
"""

import pytest

import tork as tf


def test_auto_shard_policy_starts_as_auto():
    options = tf.data.Dataset.range(3).options()
    policy = options.experimental_distribute.auto_shard_policy
    # TF: <AutoShardPolicy.AUTO: 0>; the other options read None
    assert policy == tf.data.experimental.AutoShardPolicy.AUTO
    assert int(policy) == 0
    assert options.deterministic is None
    assert options.threading.private_threadpool_size is None
    assert options.autotune.enabled is None


def test_merging_keeps_a_set_shard_policy():
    first = tf.data.Options()
    first.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
    second = tf.data.Options()
    second.deterministic = False
    options = tf.data.Dataset.range(3).with_options(first).with_options(second).options()
    assert options.experimental_distribute.auto_shard_policy == (
        tf.data.experimental.AutoShardPolicy.DATA
    )
    assert options.deterministic is False


@pytest.mark.parametrize("value", ["yes", 1])
def test_bool_option_rejects_other_types(value):
    options = tf.data.Options()
    # TF: TypeError: Property "deterministic" must be of type <class 'bool'>, got: yes
    # (type: <class 'str'>)
    with pytest.raises(TypeError, match=r'Property "deterministic" must be of type <class .bool.>'):
        options.deterministic = value


def test_int_and_enum_options_check_their_type():
    options = tf.data.Options()
    options.threading.private_threadpool_size = 4
    options.threading.private_threadpool_size = True  # TF accepts a bool for an int
    with pytest.raises(TypeError, match=r'"private_threadpool_size" must be of type <class .int.>'):
        options.threading.private_threadpool_size = 2.5
    with pytest.raises(TypeError, match=r'"auto_shard_policy" must be of type <enum .AutoShard'):
        options.experimental_distribute.auto_shard_policy = 2
    options.deterministic = None  # unsetting is allowed
    options.experimental_optimization.map_parallelization = True
    assert options.experimental_optimization.map_parallelization is True


def test_external_state_policy_prints_its_name():
    options = tf.data.Options()
    options.experimental_external_state_policy = tf.data.experimental.ExternalStatePolicy.IGNORE
    # TF: str() -> 'ExternalStatePolicy.IGNORE'
    assert str(options.experimental_external_state_policy) == "ExternalStatePolicy.IGNORE"
