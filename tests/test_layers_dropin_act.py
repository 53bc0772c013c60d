"""Drop-in activations and small layer helpers: same outputs as the reference's on small inputs."""
import math

import pytest
import torch
from torch import nn

import imagemodels.layers as L
import parity

ACT_PAIRS = [
    ("gelu", "GELU"), ("gelu_tanh", "GELUTanh"), ("quick_gelu", "QuickGELU"), ("swish", "Swish"), ("mish", "Mish"),
    ("hard_mish", "HardMish"), ("hard_sigmoid", "HardSigmoid"), ("hard_swish", "HardSwish"), ("sigmoid", "Sigmoid"),
    ("tanh", "Tanh"),
]


def _ref():
    return parity.reference().layers


def _x(*shape, seed=0):
    torch.manual_seed(seed)
    return torch.randn(*shape) * 4  # wide enough to hit every piece of the hard variants


@pytest.mark.parametrize("fn_name,cls_name", ACT_PAIRS)
@pytest.mark.parametrize("inplace", [False, True])
def test_activation_matches_reference_and_honours_inplace(fn_name, cls_name, inplace):
    ref = _ref()
    x = _x(3, 17)
    expect_in, expect = x.clone(), getattr(ref, fn_name)(x.clone(), inplace=inplace)
    ref_in = x.clone()
    getattr(ref, fn_name)(ref_in, inplace=inplace)
    ref_modified = not torch.equal(ref_in, x)

    for make in (lambda: getattr(L, fn_name), lambda: getattr(L, cls_name)(inplace=inplace)):
        act = make()
        ours_in = x.clone()
        out = act(ours_in, inplace=inplace) if act is getattr(L, fn_name) else act(ours_in)
        torch.testing.assert_close(out, expect, rtol=1e-6, atol=1e-6)
        assert (not torch.equal(ours_in, expect_in)) == ref_modified, f"{fn_name}: in-place behaviour differs"


def test_modules_are_plain_modules_with_inplace_where_reference_has_it():
    ref = _ref()
    for _, cls_name in ACT_PAIRS:
        ours, theirs = getattr(L, cls_name)(inplace=True), getattr(ref, cls_name)(inplace=True)
        assert hasattr(ours, "inplace") == hasattr(theirs, "inplace"), cls_name
        assert isinstance(ours, nn.Module) and not list(ours.parameters())


def test_prelu_takes_inplace_and_matches():
    ref = _ref()
    kwargs = dict(num_parameters=3, init=0.1, inplace=True)
    ours, theirs = L.PReLU(**kwargs), ref.PReLU(**kwargs)
    assert isinstance(ours, nn.PReLU)
    x = _x(2, 3, 4)
    torch.testing.assert_close(ours(x), theirs(x))


def test_quick_gelu_has_one_home():
    from imagemodels.models import vision_transformer

    assert vision_transformer.QuickGELU is L.QuickGELU
    assert isinstance(L.create_act_layer("quick_gelu"), L.QuickGELU)


@pytest.mark.parametrize("name", ["relu", "relu6", "leaky_relu", "elu", "celu", "selu", "gelu", "gelu_tanh",
                                  "quick_gelu", "silu", "swish", "mish", "sigmoid", "tanh", "hard_sigmoid",
                                  "hard_swish", "hard_mish"])
def test_get_act_fn_matches_reference(name):
    x = _x(4, 9)
    torch.testing.assert_close(L.get_act_fn(name)(x.clone()), _ref().get_act_fn(name)(x.clone()), rtol=1e-6, atol=1e-6)


def test_get_act_fn_edges():
    assert L.get_act_fn(None) is None and L.get_act_fn("") is None
    assert L.get_act_fn(torch.relu) is torch.relu
    with pytest.raises(ValueError, match="unknown activation"):
        L.get_act_fn("nope")


def test_layer_config_lives_in_layers_and_models_reexports():
    from imagemodels.layers import config
    from imagemodels.models import _layer_config

    for name in ("is_scriptable", "is_exportable", "is_no_jit", "set_scriptable", "set_exportable", "set_no_jit",
                 "set_layer_config"):
        assert getattr(_layer_config, name) is getattr(config, name)


@pytest.mark.parametrize("switch,query", [("set_scriptable", "is_scriptable"), ("set_exportable", "is_exportable"),
                                          ("set_no_jit", "is_no_jit")])
def test_switches_apply_at_once_and_restore_on_exit(switch, query):
    before = getattr(L, query)()
    with getattr(L, switch)(not before):
        assert getattr(L, query)() is (not before)
    assert getattr(L, query)() is before


def test_set_layer_config_sets_several_and_restores():
    with L.set_layer_config(scriptable=True, exportable=True, no_jit=True, no_activation_jit=True):
        assert L.is_scriptable() and L.is_exportable() and L.is_no_jit()
    assert not (L.is_scriptable() or L.is_exportable() or L.is_no_jit())
    with L.set_layer_config(exportable=True):
        assert L.is_exportable() and not L.is_scriptable()


def test_reentrant_ckpt_switch():
    assert L.use_reentrant_ckpt() is _ref().use_reentrant_ckpt() is False
    L.set_reentrant_ckpt()
    try:
        assert L.use_reentrant_ckpt() is True
    finally:
        L.set_reentrant_ckpt(False)
    assert L.use_reentrant_ckpt() is False


@pytest.mark.parametrize("x,n", [(3, 2), ((1, 2), 4), ([1, 2, 3], 2), ((5,), 1), ("ab", 3), (None, 2)])
def test_extend_tuple(x, n):
    assert L.extend_tuple(x, n) == _ref().extend_tuple(x, n)


def test_extend_tuple_empty_is_a_clear_error():
    with pytest.raises(ValueError, match="empty"):
        L.extend_tuple((), 2)


def test_grids_match_reference():
    a, b, c = torch.arange(2), torch.arange(3), torch.arange(4)
    for name in ("ndgrid", "meshgrid"):
        for ours, theirs in zip(getattr(L, name)(a, b, c), getattr(_ref(), name)(a, b, c)):
            assert torch.equal(ours, theirs)


@pytest.mark.parametrize("args", [(0.1, 4), (0.2, [2, 3]), (0.2, [2, 3], True), (0.3, [1, 2, 2, 1], True),
                                  (0.0, [1, 2]), (0.1, 1), (0.1, [1], True), (0.1, 0), (0.1, (2, 2), True)])
def test_drop_path_rates_match_reference(args):
    assert L.calculate_drop_path_rates(*args) == _ref().calculate_drop_path_rates(*args)


def test_drop_path_rates_stagewise_int_is_an_error():
    with pytest.raises(ValueError, match="per-stage"):
        L.calculate_drop_path_rates(0.1, 4, stagewise=True)


def _seeded(fn, shape=(16, 8, 3, 3), seed=3):
    torch.manual_seed(seed)
    t = torch.empty(shape)
    fn(t)
    return t


@pytest.mark.parametrize("kwargs", [{}, dict(mean=1.0, std=2.0, a=-1.0, b=1.5)])
def test_trunc_normal_tf_matches_reference(kwargs):
    ours = _seeded(lambda t: L.trunc_normal_tf_(t, **kwargs))
    assert torch.equal(ours, _seeded(lambda t: _ref().trunc_normal_tf_(t, **kwargs)))
    mean, std = kwargs.get("mean", 0.0), kwargs.get("std", 1.0)
    assert ours.min() >= mean + std * kwargs.get("a", -2.0) and ours.max() <= mean + std * kwargs.get("b", 2.0)


@pytest.mark.parametrize("mode", ["fan_in", "fan_out", "fan_avg"])
@pytest.mark.parametrize("distribution", ["normal", "uniform", "truncated_normal"])
def test_variance_scaling_matches_reference(mode, distribution):
    kw = dict(scale=2.0, mode=mode, distribution=distribution)
    assert torch.equal(_seeded(lambda t: L.variance_scaling_(t, **kw)),
                       _seeded(lambda t: _ref().variance_scaling_(t, **kw)))


def test_lecun_normal_matches_reference_and_bad_mode_is_clear():
    assert torch.equal(_seeded(L.lecun_normal_), _seeded(_ref().lecun_normal_))
    with pytest.raises(ValueError, match="mode"):
        L.variance_scaling_(torch.empty(3, 3), mode="fan")
    with pytest.raises(ValueError, match="distribution"):
        L.variance_scaling_(torch.empty(3, 3), distribution="cauchy")


def _init_zoo():
    torch.manual_seed(0)
    zoo = nn.ModuleDict(dict(
        lin=nn.Linear(16, 32), head=nn.Linear(16, 32), mlp=nn.Linear(16, 32), nobias=nn.Linear(4, 4, bias=False),
        conv=nn.Conv2d(4, 8, 3), conv1=nn.Conv1d(4, 8, 3), conv3=nn.Conv3d(2, 2, 3), ln=nn.LayerNorm(8),
        bn=nn.BatchNorm2d(8), emb=nn.Embedding(10, 8),
    ))
    with torch.no_grad():  # non-default values, so a rule that touched norms would show
        for name in ("ln", "bn"):
            zoo[name].weight.fill_(5.0)
            zoo[name].bias.fill_(5.0)
    return zoo


@pytest.mark.parametrize("fn,kwargs", [("init_weight_vit", {}), ("init_weight_vit", dict(init_bias=0.5, head_bias=3.0)),
                                       ("init_weight_jax", dict(head_bias=2.0)),
                                       ("init_weight_vit", dict(classifier_name="lin"))])
def test_vit_inits_match_reference(fn, kwargs):
    results = []
    for lib in (L, _ref()):
        zoo = _init_zoo()
        torch.manual_seed(1)
        for name, module in zoo.items():
            getattr(lib, fn)(module, name if name != "mlp" else "blocks.0.mlp.fc1", **kwargs)
        results.append(zoo.state_dict())
    for key, value in results[0].items():
        assert torch.equal(value, results[1][key]), key


def test_condconv_initializer_matches_reference():
    shape = (6, 2, 3, 3)
    inits = [lib.get_condconv_initializer(nn.init.kaiming_normal_, 4, shape) for lib in (L, _ref())]
    weights = [_seeded(init, shape=(4, math.prod(shape))) for init in inits]
    assert torch.equal(weights[0], weights[1])
    with pytest.raises(ValueError, match="num_experts"):
        inits[0](torch.empty(3, math.prod(shape)))


def test_device_helpers():
    lin = nn.Linear(2, 2)
    for args in [(lin,), (lin, None, torch.float16), (nn.ReLU(),), (nn.ReLU(), "cpu")]:
        assert L.get_device_dtype(*args) == _ref().get_device_dtype(*args)
    for device in (None, "meta", torch.device("meta"), "cpu"):
        assert L.is_meta_device(device) == _ref().is_meta_device(device)
    with torch.device("meta"):
        assert L.is_meta_device(None) and not L.is_meta_device("cpu")
    assert L.is_exporting() is False
    assert L.disable_compiler is torch.compiler.disable


@pytest.mark.parametrize("pool_type", ["token", "avg", "max", "avgmax", ""])
@pytest.mark.parametrize("num_prefix_tokens,include", [(1, False), (1, True), (0, False), (2, False)])
def test_global_pool_nlc_matches_reference(pool_type, num_prefix_tokens, include):
    x = _x(2, 6, 3)
    torch.testing.assert_close(L.global_pool_nlc(x, pool_type, num_prefix_tokens, include),
                               _ref().global_pool_nlc(x, pool_type, num_prefix_tokens, include))


def test_global_pool_nlc_unknown_is_clear():
    with pytest.raises(ValueError, match="pool_type"):
        L.global_pool_nlc(_x(2, 3, 4), "median")


def test_attention_mask_helpers_match_reference():
    ref = _ref()
    scores = _x(2, 4, 3, 3)
    assert L.maybe_add_mask(scores, None) is scores
    add = _x(3, 3, seed=1)
    torch.testing.assert_close(L.maybe_add_mask(scores, add), ref.maybe_add_mask(scores, add))
    bool_mask = torch.tensor([[True, False, True]])
    for attn in (scores, scores.half()):
        for mask, causal in [(None, False), (None, True), (bool_mask, False), (bool_mask, True), (add, False)]:
            ours, theirs = L.resolve_self_attn_mask(3, attn, mask, causal), ref.resolve_self_attn_mask(3, attn, mask, causal)
            if theirs is None:
                assert ours is None
            else:
                assert ours.dtype == theirs.dtype and torch.equal(ours, theirs)


def test_linear_is_nn_linear_and_matches():
    ours, theirs = L.Linear(4, 3), _ref().Linear(4, 3)
    theirs.load_state_dict(ours.state_dict())
    x = _x(2, 4)
    assert isinstance(ours, nn.Linear)
    torch.testing.assert_close(ours(x), theirs(x))


def test_type_aliases_match_reference():
    assert L.LayerType == _ref().LayerType and L.PadType == _ref().PadType


@pytest.mark.parametrize("prob,prefix,ordered", [(0.5, 1, False), (0.5, 1, True), (0.5, 0, False), (0.99, 1, False)])
def test_patch_dropout_forward_matches_reference(prob, prefix, ordered):
    x = _x(2, 9, 4)
    torch.manual_seed(5)
    ours = L.patch_dropout_forward(x, prob, prefix, ordered, True)
    torch.manual_seed(5)
    theirs = _ref().patch_dropout_forward(x, prob, prefix, ordered, True)
    assert torch.equal(ours[0], theirs[0]) and torch.equal(ours[1], theirs[1])
    assert L.patch_dropout_forward(x, prob, prefix, ordered, False)[1] is None


def test_patch_dropout_with_indices():
    x = _x(2, 9, 4)
    ours, theirs = L.PatchDropoutWithIndices(0.5, num_prefix_tokens=1), _ref().PatchDropoutWithIndices(0.5, 1)
    torch.manual_seed(5)
    out, keep = ours(x)
    torch.manual_seed(5)
    ref_out, ref_keep = theirs(x)
    assert torch.equal(out, ref_out) and torch.equal(keep, ref_keep)
    ours.eval()
    out, keep = ours(x)
    assert out is x and keep is None
    with pytest.raises(ValueError, match="prob"):
        L.PatchDropoutWithIndices(1.0)


@pytest.mark.parametrize("shape,has_batch", [((6, 5), False), ((3, 6, 5), False), ((2, 3, 6, 5), False),
                                             ((2, 6, 5), True), ((2, 3, 6, 5), True)])
def test_apply_keep_indices_nlc_matches_reference(shape, has_batch):
    x, keep = _x(2, 6, 4), torch.tensor([[0, 2, 5], [1, 3, 4]])
    pos = _x(*shape, seed=2)
    assert torch.equal(L.apply_keep_indices_nlc(x, pos, keep, has_batch),
                       _ref().apply_keep_indices_nlc(x, pos, keep, has_batch))


def test_relative_position_index_matches_reference():
    ref = _ref()
    for size, cls in [((3, 4), False), ((3, 3), True)]:
        assert torch.equal(L.gen_relative_position_index(size, class_token=cls),
                           ref.gen_relative_position_index(size, class_token=cls))
    assert L.gen_relative_position_index((2, 2), device="meta").device.type == "meta"
    with pytest.raises(ValueError, match="key windows"):
        L.gen_relative_position_index((2, 2), k_size=(3, 3))


def test_split_batchnorm_takes_device_dtype():
    bn = L.SplitBatchNorm2d(4, num_splits=3, dtype=torch.float64)
    assert bn.weight.dtype == torch.float64 and all(m.weight.dtype == torch.float64 for m in bn.aux_bn)


def test_reexports_are_the_existing_layers():
    from imagemodels.layers import patch_dropout, split_batchnorm, test_time_pool, window

    assert L.SplitBatchNorm2d is split_batchnorm.SplitBatchNorm2d
    assert L.convert_splitbn_model is split_batchnorm.convert_splitbn_model
    assert L.TestTimePoolHead is test_time_pool.TestTimePoolHead
    assert L.apply_test_time_pool is test_time_pool.apply_test_time_pool
    assert L.resize_rel_pos_bias_table is window.resize_rel_pos_bias_table
    assert L.patch_dropout_forward is patch_dropout.patch_dropout_forward


def test_checkpoint_seq_follows_reentrant_switch(monkeypatch):
    from imagemodels.models import _manipulate

    seen = []
    def fake_checkpoint(fn, x, use_reentrant):
        seen.append(use_reentrant)
        return fn(x)

    monkeypatch.setattr(_manipulate, "checkpoint", fake_checkpoint)
    seq = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
    x = torch.randn(1, 2)
    _manipulate.checkpoint_seq(seq, x)
    L.set_reentrant_ckpt(True)
    try:
        _manipulate.checkpoint_seq(seq, x)
    finally:
        L.set_reentrant_ckpt(False)
    _manipulate.checkpoint_seq(seq, x, use_reentrant=True)
    assert seen == [False, False, True, True, True, True]  # one call per child, three runs
