"""Keras 2's layout of the legacy optimizers' weights, slot names and `set_weights`.

tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) lists a `keras.optimizers.legacy` optimizer's
weights as [iterations, <slots slot by slot>] (all `m`, then all `v`; Ftrl variable by
variable), without a learning-rate variable, and names the slots `m`, `v`, `rms`, `mg`.
The reference values below were printed by tf_keras for the same model (fixed weights),
data and steps: the optimizer's `get_weights()` after 4 steps (OPT), the model weights
then (MODEL), and the model weights after one more step (NEXT).
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras
L = keras.optimizers.legacy

X = np.arange(12, dtype="float32").reshape(4, 3) / 10
Y = np.array([[0.1], [0.4], [0.8], [0.5]], "float32")
W0 = [
    np.array([[0.3, -0.1], [0.2, 0.5], [-0.4, 0.1]], "float32"),
    np.array([0.0, 0.1], "float32"),
    np.array([[0.7], [-0.3]], "float32"),
    np.array([0.05], "float32"),
]

REFERENCE = {
    "adam": {
        "MODEL": [
            [
                [0.33368274569511414, -0.13413412868976593],
                [0.23436447978019714, 0.4650996923446655],
                [-0.36513474583625793, 0.06454847753047943],
            ],
            [0.03789585083723068, 0.06151454150676727],
            [[0.7052533030509949], [-0.2644503116607666]],
            [0.08784452825784683],
        ],
        "OPT": [
            4,
            [
                [-0.1297881305217743, 0.043245188891887665],
                [-0.1520925611257553, 0.05096900090575218],
                [-0.17439700663089752, 0.058692820370197296],
            ],
            [-0.2230442762374878, 0.07723815739154816],
            [[-0.01616816036403179], [-0.12377770245075226]],
            [-0.3225161135196686],
            [
                [0.0008404399850405753, 9.067999781109393e-05],
                [0.001104000024497509, 0.00011994999658782035],
                [0.0014057500520721078, 0.00015363999409601092],
            ],
            [0.0019090799614787102, 0.0002214700070908293],
            [[2.0220000806148164e-05], [0.0006847800104878843]],
            [0.0040028998628258705],
        ],
        "NEXT": [
            [
                [0.34104084968566895, -0.1416223645210266],
                [0.2419561743736267, 0.45735496282577515],
                [-0.3573703467845917, 0.05661742016673088],
            ],
            [0.046739641577005386, 0.05250636115670204],
            [[0.7114166617393494], [-0.25657781958580017]],
            [0.09666360914707184],
        ],
    },
    "rms": {
        "MODEL": [
            [
                [0.4378018081188202, -0.2361983358860016],
                [0.33805879950523376, 0.36372900009155273],
                [-0.261841744184494, -0.0361943393945694],
            ],
            [0.1361178159713745, -0.03222690150141716],
            [[0.7316413521766663], [-0.172373965382576]],
            [0.1877039670944214],
        ],
        "OPT": [
            4,
            [
                [0.02871268056333065, 0.003287619911134243],
                [0.03808671981096268, 0.004385349806398153],
                [0.04888651892542839, 0.005656910128891468],
            ],
            [0.07128839939832687, 0.008691719733178616],
            [[0.004842150025069714], [0.019282519817352295]],
            [0.1652631014585495],
            [
                [-0.026753779500722885, 0.025430580601096153],
                [-0.026970110833644867, 0.025571180507540703],
                [-0.02710852026939392, 0.02564278058707714],
            ],
            [-0.027324769645929337, 0.02519042044878006],
            [[-0.03480260819196701], [-0.018672000616788864]],
            [-0.028375700116157532],
            [
                [-0.074443519115448, 0.025006279349327087],
                [-0.08773204684257507, 0.029597939923405647],
                [-0.10102056711912155, 0.03418958932161331],
            ],
            [-0.13288523256778717, 0.045916568487882614],
            [[-0.02999592013657093], [-0.05807587876915932]],
            [-0.20285196602344513],
        ],
        "NEXT": [
            [
                [0.451492041349411, -0.2491477131843567],
                [0.3511594831943512, 0.3511984050273895],
                [-0.2492072731256485, -0.04838657006621361],
            ],
            [0.1450190544128418, -0.041556719690561295],
            [[0.7466835379600525], [-0.16294841468334198]],
            [0.1975736767053604],
        ],
    },
    "ftrl": {
        "MODEL": [
            [
                [0.050101060420274734, -0.01177041046321392],
                [0.06558471918106079, -0.008833710104227066],
                [0.005206409841775894, -0.018547559157013893],
            ],
            [0.08687131851911545, -0.034226059913635254],
            [[0.07852058112621307], [-0.02370310015976429]],
            [0.2634578347206116],
        ],
        "OPT": [
            4,
            [
                [0.1101798266172409, 0.1015419065952301],
                [0.12044165283441544, 0.10312096029520035],
                [0.13432417809963226, 0.10526485741138458],
            ],
            [
                [-0.16630220413208008, 0.03750716149806976],
                [-0.2276098132133484, 0.02836720086634159],
                [-0.019081629812717438, 0.06017671898007393],
            ],
            [0.28103578090667725, 0.1282421052455902],
            [-0.4605292081832886, 0.12256661802530289],
            [[0.144447922706604], [0.1362571269273758]],
            [[-0.2984277009963989], [0.08749532699584961]],
            [2.384514570236206],
            [-4.068282127380371],
        ],
        "NEXT": [
            [
                [0.050974078476428986, -0.012048940174281597],
                [0.06631287187337875, -0.009075630456209183],
                [0.005794739816337824, -0.018752900883555412],
            ],
            [0.08617182075977325, -0.03391696885228157],
            [[0.0785437598824501], [-0.02361029013991356]],
            [0.26043906807899475],
        ],
    },
}


OPTIMIZERS = {
    "adam": lambda: L.Adam(0.01),
    "rms": lambda: L.RMSprop(0.01, momentum=0.5, centered=True),
    "ftrl": lambda: L.Ftrl(0.1),
}


def _model(weights):
    m = keras.Sequential(
        [keras.layers.Dense(2, input_shape=(3,), activation="tanh"), keras.layers.Dense(1)]
    )
    m.set_weights([np.asarray(w, "float32") for w in weights])
    return m


def _assert_all_close(actual, expected, atol=2e-6):
    assert len(actual) == len(expected)
    for a, e in zip(actual, expected):
        np.testing.assert_allclose(np.asarray(a, "float64"), np.asarray(e, "float64"), atol=atol)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_get_weights_layout_matches_tf_keras(name):
    m = _model(W0)
    opt = OPTIMIZERS[name]()
    m.compile(opt, "mse")
    m.fit(X, Y, batch_size=2, epochs=2, verbose=0, shuffle=False)
    ref = REFERENCE[name]
    _assert_all_close(m.get_weights(), ref["MODEL"])
    weights = opt.get_weights()
    assert int(weights[0]) == 4
    _assert_all_close(weights[1:], ref["OPT"][1:])
    assert [tuple(np.shape(w)) for w in opt.weights] == [np.shape(w) for w in ref["OPT"]]


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_set_weights_from_tf_keras_restores_the_state(name):
    ref = REFERENCE[name]
    m = _model(ref["MODEL"])
    opt = OPTIMIZERS[name]()
    m.compile(opt, "mse")
    opt.build(m.trainable_variables)
    opt.set_weights([np.asarray(w) for w in ref["OPT"]])
    assert int(opt.iterations) == 4
    m.fit(X[:2], Y[:2], batch_size=2, epochs=1, verbose=0, shuffle=False)
    _assert_all_close(m.get_weights(), ref["NEXT"])


def test_slot_names_and_get_slot_use_keras2_names():
    m = _model(W0)
    adam = L.Adam(0.01, amsgrad=True)
    m.compile(adam, "mse")
    m.fit(X, Y, batch_size=2, epochs=1, verbose=0, shuffle=False)
    assert adam.get_slot_names() == ["m", "v", "vhat"]
    kernel = m.trainable_variables[0]
    # The first slot after the iteration counter is the first variable's `m`.
    assert adam.get_slot(kernel, "m") is adam.weights[1]
    assert adam.get_slot(kernel, "v") is adam.weights[5]
    assert adam.get_slot(kernel, "vhat") is adam.weights[9]
    assert len(adam.weights) == 13  # no learning-rate variable (tf_keras: 13)
    rms = L.RMSprop(0.01, momentum=0.5, centered=True)
    m.compile(rms, "mse")
    m.fit(X, Y, batch_size=2, epochs=1, verbose=0, shuffle=False)
    assert rms.get_slot_names() == ["rms", "momentum", "mg"]
    assert [L.Adagrad().get_slot_names(), L.Adadelta().get_slot_names()] == [[], []]
    for opt, names in [
        (L.SGD(0.1, momentum=0.9), ["momentum"]),
        (L.Adagrad(0.1), ["accumulator"]),
        (L.Adadelta(1.0), ["accum_grad", "accum_var"]),
        (L.Adamax(0.01), ["m", "v"]),
        (L.Nadam(0.01), ["m", "v"]),
        (L.Ftrl(0.1), ["accumulator", "linear"]),
    ]:
        m.compile(opt, "mse")
        m.fit(X, Y, batch_size=2, epochs=1, verbose=0, shuffle=False)
        assert opt.get_slot_names() == names, type(opt).__name__


def test_weight_names_are_keras2s():
    # tf_keras 2.21's names for a legacy Adam / RMSprop on Dense layers 'd1', 'd2'.
    m = keras.Sequential(
        [
            keras.layers.Dense(2, input_shape=(3,), activation="tanh", name="d1"),
            keras.layers.Dense(1, name="d2"),
        ]
    )
    adam = L.Adam(0.01)
    m.compile(adam, "mse")
    m.fit(X, Y, batch_size=2, epochs=1, verbose=0, shuffle=False)
    assert [w.name for w in adam.weights] == [
        "Adam/iter:0",
        "Adam/d1/kernel/m:0",
        "Adam/d1/bias/m:0",
        "Adam/d2/kernel/m:0",
        "Adam/d2/bias/m:0",
        "Adam/d1/kernel/v:0",
        "Adam/d1/bias/v:0",
        "Adam/d2/kernel/v:0",
        "Adam/d2/bias/v:0",
    ]
    rms = L.RMSprop(0.01, centered=True)
    m.compile(rms, "mse")
    m.fit(X, Y, batch_size=2, epochs=1, verbose=0, shuffle=False)
    assert [w.name for w in rms.weights][:2] == ["RMSprop/iter:0", "RMSprop/d1/kernel/rms:0"]
    assert rms.weights[-1].name == "RMSprop/d2/bias/mg:0"
    nadam = L.Nadam(0.01)
    m.compile(nadam, "mse")
    m.fit(X, Y, batch_size=2, epochs=1, verbose=0, shuffle=False)
    assert [w.name for w in nadam.weights][:3] == [
        "Nadam/iter:0",
        "Nadam/momentum_cache:0",
        "Nadam/d1/kernel/m:0",
    ]


def test_new_optimizers_keep_their_layout():
    # tork's non-legacy optimizers keep iteration, learning_rate, then the slots per
    # variable, and Keras 3's slot names.
    m = _model(W0)
    adam = keras.optimizers.Adam(0.01)
    m.compile(adam, "mse")
    m.fit(X, Y, batch_size=2, epochs=1, verbose=0, shuffle=False)
    assert adam.get_slot_names() == ["momentum", "velocity"]
    assert len(adam.variables) == 10


def test_legacy_optimizer_state_round_trips_through_files(tmp_path):
    m = _model(W0)
    opt = L.Adam(0.01)
    m.compile(opt, "mse")
    m.fit(X, Y, batch_size=2, epochs=2, verbose=0, shuffle=False)
    for path in [str(tmp_path / "w.weights.h5"), str(tmp_path / "m.keras"), str(tmp_path / "m.h5")]:
        if path.endswith(".weights.h5"):
            m.save_weights(path)
        else:
            m.save(path)
        m2 = _model(W0)
        opt2 = L.Adam(0.01)
        m2.compile(opt2, "mse")
        if path.endswith(".weights.h5"):
            m2.load_weights(path)
        else:
            m2 = keras.models.load_model(path)
            opt2 = m2.optimizer
        m2.optimizer.build(m2.trainable_variables)
        _assert_all_close(opt2.get_weights(), opt.get_weights(), atol=0)
