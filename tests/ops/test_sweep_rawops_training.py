"""tf.raw_ops training kernels and `tensorflow.python.training.training_ops` (rawops sweep).

Keras 2's optimizers, TF Addons' (NovoGrad, ProximalAdagrad, LazyAdam) and user OptimizerV2
subclasses copied from them update variables through these kernels with `var.handle`.
"""

import inspect

import numpy as np
import pytest
from tork.python.training import training_ops

import tork as tf

V = np.array([[1.0, -2.0], [0.5, 3.0], [-0.25, 0.75]], np.float32)
G = np.array([[0.1, -0.2], [0.3, 0.4], [-0.5, 0.05]], np.float32)
SLOTS = {
    "accum": 0.1,
    "accum_update": 0.2,
    "m": 0.05,
    "v": 0.3,
    "vhat": 0.4,
    "ms": 0.5,
    "mom": 0.02,
    "mg": 0.1,
    "linear": 0.3,
}
SCALARS = dict(
    lr=0.1,
    alpha=0.1,
    momentum=0.9,
    epsilon=1e-3,
    rho=0.9,
    beta1=0.9,
    beta2=0.99,
    beta1_power=0.9,
    beta2_power=0.99,
    l1=0.05,
    l2=0.02,
    l2_shrinkage=0.1,
    lr_power=-0.5,
    logbase=1.0,
    sign_decay=0.9,
    beta=0.9,
)

# Each op applied twice to V (slots filled with SLOTS) with gradient G (sparse ops: rows
# [2, 0] take G[:2]; "dup": rows [2, 0, 2] take G) under TensorFlow 2.21's tf.raw_ops
# (/tmp/tfenv), values after both applications.
EXPECTED = {
    "ResourceApplyAdaMax": {
        "var": [[0.6137618, -2.092366], [-0.0730896, 2.497506], [-0.1312375, 0.4127406]],
        "m": [[0.05950001, 0.00249999], [0.09750001, 0.1165], [-0.05450002, 0.05]],
        "v": [[0.29403, 0.29403], [0.3, 0.4], [0.5, 0.29403]],
    },
    "ResourceApplyAdadelta": {
        "var": [[0.9704428, -1.941826], [0.4149461, 2.890365], [-0.1183765, 0.7351608]],
        "accum": [[0.0829, 0.08859999], [0.0981, 0.1114], [0.1285, 0.08147499]],
        "accum_update": [[0.1661497, 0.178075], [0.1963618, 0.219094], [0.2442919, 0.1630459]],
    },
    "ResourceApplyAdagrad": {
        "var": [[0.9409813, -1.899407], [0.3744806, 2.859832], [-0.1009349, 0.7189523]],
        "accum": [[0.12, 0.18], [0.28, 0.42], [0.6, 0.105]],
    },
    "ResourceApplyAdagradV2": {
        "var": [[0.9411551, -1.899661], [0.3747451, 2.860081], [-0.1011607, 0.7190484]],
        "accum": [[0.12, 0.18], [0.28, 0.42], [0.6, 0.105]],
    },
    "ResourceApplyAdam": {
        "var": [[0.978979, -2.005036], [0.4683905, 2.963143], [-0.2391394, 0.7316394]],
        "m": [[0.05950001, 0.00249999], [0.09750001, 0.1165], [-0.05450002, 0.05]],
        "v": [[0.294229, 0.294826], [0.295821, 0.297214], [0.299005, 0.2940798]],
    },
    "ResourceApplyAdamWithAmsgrad": {
        "var": [[0.9819245, -2.004341], [0.4727684, 2.96819], [-0.2406071, 0.7342136]],
        "m": [[0.05950001, 0.00249999], [0.09750001, 0.1165], [-0.05450002, 0.05]],
        "v": [[0.294229, 0.294826], [0.295821, 0.297214], [0.299005, 0.2940798]],
        "vhat": [[0.4, 0.4], [0.4, 0.4], [0.4, 0.4]],
    },
    "ResourceApplyAddSign": {
        "var": [[0.98, -2.032], [0.44, 2.92], [-0.15, 0.74]],
        "m": [[0.0595, 0.002499988], [0.09750001, 0.1165], [-0.05450002, 0.05]],
    },
    "ResourceApplyCenteredRMSProp": {
        "var": [[0.9213682, -1.946391], [0.3332154, 2.790182], [-0.07200889, 0.6935916]],
        "mg": [[0.1, 0.04299999], [0.138, 0.157], [-0.01400002, 0.0905]],
        "ms": [[0.4069, 0.4126], [0.4221, 0.4354], [0.4525, 0.405475]],
        "mom": [[0.04559034, -0.04179811], [0.1038429, 0.1321962], [-0.1233976, 0.03088962]],
    },
    "ResourceApplyFtrl": {
        "var": [[-0.08682656, -0.2729374], [-0.04720796, 0.9233249], [-0.009395854, -0.0987009]],
        "accum": [[0.12, 0.18], [0.28, 0.42], [0.6, 0.105]],
        "linear": [[0.3542491, 1.218893], [0.3016894, -6.070763], [0.1231558, 0.3737755]],
    },
    "ResourceApplyFtrlV2": {
        "var": [[-0.1396825, -0.1571762], [-0.06757905, 0.779951], [0.0, -0.1370652]],
        "accum": [[0.12, 0.18], [0.28, 0.42], [0.6, 0.105]],
        "linear": [[0.5394619, 0.723129], [0.4102979, -5.135859], [0.04475045, 0.4996247]],
    },
    "ResourceApplyGradientDescent": {"var": [[0.98, -1.96], [0.44, 2.92], [-0.15, 0.74]]},
    "ResourceApplyKerasMomentum": {
        "var": [[1.142, -1.771], [0.584, 3.055], [0.066, 0.9065]],
        "accum": [[0.062, 0.119], [0.02399999, 0.004999992], [0.176, 0.07149999]],
    },
    "ResourceApplyMomentum": {
        "var": [[0.9539, -1.9591], [0.3959, 2.8669], [-0.1221, 0.7184]],
        "accum": [[0.271, -0.299], [0.651, 0.841], [-0.869, 0.176]],
    },
    "ResourceApplyPowerSign": {
        "var": [[0.9508079, -1.983737], [0.3524238, 2.803232], [-0.004039697, 0.725404]],
        "m": [[0.0595, 0.002499988], [0.09750001, 0.1165], [-0.05450002, 0.05]],
    },
    "ResourceApplyProximalAdagrad": {
        "var": [[0.9005497, -1.855235], [0.3503197, 2.822225], [-0.08527908, 0.6792499]],
        "accum": [[0.12, 0.18], [0.28, 0.42], [0.6, 0.105]],
    },
    "ResourceApplyProximalGradientDescent": {
        "var": [[0.9661018, -1.942174], [0.4282154, 2.898305], [-0.1393321, 0.7270689]]
    },
    "ResourceApplyRMSProp": {
        "var": [[0.9218817, -1.946766], [0.335637, 2.794037], [-0.07225697, 0.6938154]],
        "ms": [[0.4069, 0.4126], [0.4221, 0.4354], [0.4525, 0.405475]],
        "mom": [[0.04524422, -0.0415835], [0.1021304, 0.1294303], [-0.1232717, 0.03074138]],
    },
    "ResourceSparseApplyAdadelta": {
        "var": [[0.9149461, -2.109635], [0.5, 3.0], [-0.2795572, 0.8081745]],
        "accum": [[0.0981, 0.1114], [0.1, 0.1], [0.0829, 0.08859999]],
        "accum_update": [[0.1963618, 0.219094], [0.2, 0.2], [0.1661497, 0.178075]],
    },
    "ResourceSparseApplyAdagrad": {
        "var": [[0.8744806, -2.140168], [0.5, 3.0], [-0.3090186, 0.8505927]],
        "accum": [[0.28, 0.42], [0.1, 0.1], [0.12, 0.18]],
    },
    "ResourceSparseApplyAdagradV2": {
        "var": [[0.8747451, -2.139919], [0.5, 3.0], [-0.3088449, 0.8503394]],
        "accum": [[0.28, 0.42], [0.1, 0.1], [0.12, 0.18]],
    },
    "ResourceSparseApplyCenteredRMSProp": {
        "var": [[0.8332155, -2.209818], [0.5, 3.0], [-0.3286318, 0.803609]],
        "mg": [[0.138, 0.157], [0.1, 0.1], [0.1, 0.04299999]],
        "ms": [[0.4221, 0.4354], [0.5, 0.5], [0.4069, 0.4126]],
        "mom": [[0.1038429, 0.1321962], [0.02, 0.02], [0.04559034, -0.0417981]],
    },
    "ResourceSparseApplyFtrl": {
        "var": [[0.06799388, -0.9415659], [0.5, 3.0], [-0.1443051, 0.1219409]],
        "accum": [[0.28, 0.42], [0.1, 0.1], [0.12, 0.18]],
        "linear": [[-0.4125096, 6.189708], [0.3, 0.3], [0.5556598, -0.5722292]],
    },
    "ResourceSparseApplyFtrlV2": {
        "var": [[0.01957205, -0.8391197], [0.5, 3.0], [-0.1236519, 0.0806144]],
        "accum": [[0.28, 0.42], [0.1, 0.1], [0.12, 0.18]],
        "linear": [[-0.1543484, 5.521683], [0.3, 0.3], [0.4832887, -0.3952425]],
    },
    "ResourceSparseApplyKerasMomentum": {
        "var": [[1.084, -1.945], [0.5, 3.0], [-0.108, 0.979]],
        "accum": [[0.02399999, 0.004999992], [0.1, 0.1], [0.062, 0.119]],
    },
    "ResourceSparseApplyMomentum": {
        "var": [[0.8959, -2.1331], [0.5, 3.0], [-0.2961, 0.7909]],
        "accum": [[0.651, 0.841], [0.1, 0.1], [0.271, -0.299]],
    },
    "ResourceSparseApplyProximalAdagrad": {
        "var": [[0.8461618, -2.108059], [0.5, 3.0], [-0.276325, 0.8173906]],
        "accum": [[0.28, 0.42], [0.1, 0.1], [0.12, 0.18]],
    },
    "ResourceSparseApplyProximalGradientDescent": {
        "var": [[0.9262215, -2.061814], [0.5, 3.0], [-0.2589731, 0.7769192]]
    },
    "ResourceSparseApplyRMSProp": {
        "var": [[0.835637, -2.205963], [0.5, 3.0], [-0.3281183, 0.8032334]],
        "ms": [[0.4221, 0.4354], [0.5, 0.5], [0.4069, 0.4126]],
        "mom": [[0.1021304, 0.1294303], [0.02, 0.02], [0.04524422, -0.0415835]],
    },
    "ResourceApplyMomentum[('use_nesterov', True)]": {
        "var": [[0.93851, -1.92319], [0.34631, 2.80021], [-0.03489001, 0.71156]],
        "accum": [[0.271, -0.299], [0.651, 0.841], [-0.869, 0.176]],
    },
    "ResourceApplyKerasMomentum[('use_nesterov', True)]": {
        "var": [[1.1078, -1.7539], [0.5156, 2.9695], [0.1344, 0.88085]],
        "accum": [[0.062, 0.119], [0.02399999, 0.004999992], [0.176, 0.07149999]],
    },
    "ResourceApplyAdam[('use_nesterov', True)]": {
        "var": [[0.9774097, -1.997195], [0.4605594, 2.952198], [-0.2219786, 0.7316394]],
        "m": [[0.05950001, 0.00249999], [0.09750001, 0.1165], [-0.05450002, 0.05]],
        "v": [[0.294229, 0.294826], [0.295821, 0.297214], [0.299005, 0.2940798]],
    },
    "ResourceApplyFtrl[('multiply_linear_by_lr', True)]": {
        "var": [[-0.891206, -0.98691], [-0.6590769, 0.397933], [-0.4627142, -0.9316326]],
        "accum": [[0.12, 0.18], [0.28, 0.42], [0.6, 0.105]],
        "linear": [[0.3172877, 0.4276581], [0.356387, -0.2644818], [0.3652677, 0.31061]],
    },
    "ResourceApplyFtrlV2[('multiply_linear_by_lr', True)]": {
        "var": [[-0.8981513, -0.8378062], [-0.658344, 0.2706737], [-0.4409996, -0.9192142]],
        "accum": [[0.12, 0.18], [0.28, 0.42], [0.6, 0.105]],
        "linear": [[0.3197213, 0.3638023], [0.3559963, -0.1814993], [0.3483608, 0.3065363]],
    },
    "ResourceApplyAdagrad[('update_slots', False)]": {
        "var": [[0.9367545, -1.873509], [0.3102633, 2.747018], [0.06622776, 0.7183772]],
        "accum": [[0.1, 0.1], [0.1, 0.1], [0.1, 0.1]],
    },
    "ResourceSparseApplyKerasMomentumdup": {
        "var": [[1.084, -1.945], [0.5, 3.0], [0.19162, 1.14774]],
        "accum": [[0.02399999, 0.004999992], [0.1, 0.1], [0.13982, 0.08913999]],
    },
    "ResourceSparseApplyAdagraddup": {
        "var": [[0.8744806, -2.140168], [0.5, 3.0], [-0.1497576, 0.8253986]],
        "accum": [[0.28, 0.42], [0.1, 0.1], [0.62, 0.185]],
    },
}


def _run(key):
    op = key.split("[")[0].removesuffix("dup")
    dup = key.endswith("dup")
    extra = dict(eval(key[len(op) :])) if "[" in key else {}
    params = inspect.signature(getattr(tf.raw_ops, op)).parameters
    var = tf.Variable(V)
    kwargs = {"var": var.handle}
    slots = {}
    for p in params:
        if p in SLOTS:
            slots[p] = tf.Variable(np.full_like(V, SLOTS[p]))
            kwargs[p] = slots[p].handle
        elif p in SCALARS:
            kwargs[p] = tf.constant(SCALARS[p])
    grad = "delta" if "delta" in params else "grad"
    kwargs[grad] = tf.constant(G)
    if "indices" in params:
        kwargs["indices"] = tf.constant([2, 0, 2] if dup else [2, 0])
        kwargs["grad"] = tf.constant(G if dup else G[:2])
    kwargs.update(extra)
    for _ in range(2):
        assert getattr(tf.raw_ops, op)(**kwargs) is None
    return {"var": var.numpy(), **{k: s.numpy() for k, s in slots.items()}}


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_training_kernels_match_tensorflow(key):
    got = _run(key)
    assert set(got) == set(EXPECTED[key])
    for name, expected in EXPECTED[key].items():
        np.testing.assert_allclose(got[name], expected, rtol=1e-5, atol=1e-6, err_msg=name)


def test_variable_handle_is_the_variable_and_raw_ops_take_keywords_only():
    v = tf.Variable([1.0, 2.0])
    assert v.handle is v
    with pytest.raises(TypeError, match="ResourceApplyGradientDescent only takes keyword args"):
        tf.raw_ops.ResourceApplyGradientDescent(v.handle, 0.1, [1.0, 1.0])
    with pytest.raises(TypeError, match=r"missing required arguments: \['delta'\]"):
        tf.raw_ops.ResourceApplyGradientDescent(var=v.handle, alpha=0.1)
    with pytest.raises(ValueError, match=r"`grad` has shape \(3,\) but the variable has shape"):
        tf.raw_ops.ResourceApplyGradientDescent(var=v.handle, alpha=0.1, delta=[1.0, 1.0, 1.0])
    with pytest.raises(TypeError, match="`var` must be a variable's handle"):
        tf.raw_ops.ResourceApplyGradientDescent(var=[1.0, 2.0], alpha=0.1, delta=[1.0, 1.0])
    with pytest.raises(ValueError, match=r"one row of the variable's shape \(\) per index"):
        tf.raw_ops.ResourceSparseApplyAdagrad(
            var=v.handle, accum=tf.Variable([0.1, 0.1]).handle, lr=0.1, grad=[1.0], indices=[0, 1]
        )


def test_unknown_raw_op_names_the_op_and_the_alternative():
    with pytest.raises(NotImplementedError, match=r"`tf.raw_ops.MatMul`.*tf.math, tf.nn"):
        tf.raw_ops.MatMul  # noqa: B018
    with pytest.raises(NotImplementedError, match=r"ResourceApplyAdagradDA`.*keras optimizer"):
        tf.raw_ops.ResourceApplyAdagradDA  # noqa: B018
    assert not hasattr(tf.raw_ops, "NotAnOp")


def test_training_ops_wrappers_take_positional_arguments():
    # Keras 2's Adam: training_ops.resource_apply_adam(var.handle, m.handle, v.handle, ...).
    var, m, v = tf.Variable([1.0, -1.0]), tf.Variable([0.0, 0.0]), tf.Variable([0.0, 0.0])
    training_ops.resource_apply_adam(
        var.handle, m.handle, v.handle, 0.9, 0.999, 0.1, 0.9, 0.999, 1e-7, tf.constant([0.5, -2.0])
    )
    # First Adam step moves each weight by lr against the gradient's sign.
    np.testing.assert_allclose(var.numpy(), [0.9, -0.9], rtol=1e-5)
    np.testing.assert_allclose(m.numpy(), [0.05, -0.2], rtol=1e-6)
    v2 = tf.Variable([1.0, 2.0])
    training_ops.resource_apply_keras_momentum(
        v2.handle, tf.Variable([0.0, 0.0]).handle, 0.5, [1.0, 1.0], 0.9, use_nesterov=False
    )
    np.testing.assert_allclose(v2.numpy(), [0.5, 1.5])
    assert training_ops.resource_apply_centered_rms_prop.__name__ == (
        "resource_apply_centered_rms_prop"
    )
    from tork.python.ops import gen_resource_variable_ops

    table = tf.Variable(np.zeros((3, 2), np.float32))
    gen_resource_variable_ops.resource_scatter_add(table.handle, [0, 2, 0], tf.ones((3, 2)))
    np.testing.assert_allclose(table.numpy(), [[2, 2], [0, 0], [1, 1]])


def test_resource_variable_ops():
    table = tf.Variable(np.arange(6, dtype=np.float32).reshape(3, 2))
    tf.raw_ops.ResourceScatterUpdate(resource=table.handle, indices=[1], updates=[[9.0, 9.0]])
    tf.raw_ops.ResourceScatterSub(resource=table.handle, indices=[0, 0], updates=tf.ones((2, 2)))
    np.testing.assert_allclose(table.numpy(), [[-2, -1], [9, 9], [4, 5]])
    rows = tf.raw_ops.ResourceGather(resource=table.handle, indices=[2, 0], dtype=tf.float32)
    np.testing.assert_allclose(rows.numpy(), [[4, 5], [-2, -1]])
    tf.raw_ops.AssignVariableOp(resource=table.handle, value=tf.zeros((3, 2)))
    tf.raw_ops.AssignAddVariableOp(resource=table.handle, value=tf.ones((3, 2)))
    value = tf.raw_ops.ReadVariableOp(resource=table.handle, dtype=tf.float32)
    tf.raw_ops.AssignSubVariableOp(resource=table.handle, value=tf.ones((3, 2)) * 3)
    np.testing.assert_allclose(value.numpy(), np.ones((3, 2)))
    np.testing.assert_allclose(table.numpy(), -2 * np.ones((3, 2)))


def test_add_slot_takes_a_tensor_initial_values_shape():
    # TF Addons' NovoGrad keeps a scalar "v" slot: add_slot(var, "v", tf.zeros(shape=[])).
    class Scalar(tf.keras.optimizers.legacy.Optimizer):
        def _create_slots(self, var_list):
            for var in var_list:
                self.add_slot(var=var, slot_name="v", initializer=tf.zeros(shape=[]))

        def _resource_apply_dense(self, grad, var, apply_state=None):
            return var.assign_sub(grad)

    opt = Scalar(name="Scalar")
    w = tf.Variable(np.ones((2, 3), np.float32))
    opt.apply_gradients([(tf.ones((2, 3)), w)])
    assert tuple(opt.get_slot(w, "v").shape) == ()
