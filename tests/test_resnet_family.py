"""ResNet-family checks the generic contract/parity tests do not cover: dilation, regularisers,
pruned widths, argument errors and the weight table."""
import pytest
import torch
from torch import nn

from imagemodels.layers import DropBlock2d, DropPath, EcaModule, GroupNorm, SEModule
from imagemodels.models import resnet
from imagemodels.models.resnet import BasicBlock, Bottleneck, ResNet

SIZE = 64


def make(name, **kwargs):
    return getattr(resnet, name)(**kwargs).eval()


@pytest.mark.parametrize("output_stride, reductions", [(32, [2, 4, 8, 16, 32]), (16, [2, 4, 8, 16, 16]), (8, [2, 4, 8, 8, 8])])
@pytest.mark.parametrize("name", ["resnet18d", "resnetaa50d", "resnetblur18"])
def test_output_stride(name, output_stride, reductions):
    model = make(name, output_stride=output_stride)
    assert [i["reduction"] for i in model.feature_info] == reductions
    x = torch.randn(1, 3, SIZE, SIZE)
    with torch.no_grad():
        assert model.forward_features(x).shape[-1] == SIZE // output_stride
        maps = model.forward_intermediates(x, intermediates_only=True)
    assert [SIZE // m.shape[-1] for m in maps] == reductions


def test_dilation_replaces_stride():
    model = make("resnet50", output_stride=8)
    assert model.layer3[0].conv2.stride == (1, 1) and model.layer3[0].conv2.dilation == (1, 1)
    assert model.layer3[1].conv2.dilation == (2, 2)
    assert model.layer4[0].conv2.dilation == (2, 2)  # the first block keeps the previous stage's dilation
    assert model.layer4[1].conv2.dilation == (4, 4)


@pytest.mark.parametrize("name", ["resnet26d", "resnetaa34d", "seresnext26t_32x4d"])
@pytest.mark.parametrize("output_stride", [8, 16])
def test_output_stride_parity_with_reference(name, output_stride):
    timm = pytest.importorskip("timm")
    ref = timm.create_model(name, output_stride=output_stride).eval()
    model = make(name, output_stride=output_stride)
    model.load_state_dict(ref.state_dict(), strict=True)
    x = torch.randn(2, 3, SIZE, SIZE)
    with torch.no_grad():
        torch.testing.assert_close(model(x), ref(x), atol=1e-4, rtol=0)


def test_drop_path_rate_grows_linearly():
    model = make("resnet18", drop_path_rate=0.3)
    blocks = [b for stage in (model.layer1, model.layer2, model.layer3, model.layer4) for b in stage]
    assert blocks[0].drop_path is None  # the first block is never dropped
    rates = [b.drop_path.drop_prob for b in blocks[1:]]
    assert all(isinstance(b.drop_path, DropPath) for b in blocks[1:])
    assert rates == sorted(rates) and rates[-1] == pytest.approx(0.3)
    with torch.no_grad():
        x = torch.randn(2, 3, SIZE, SIZE)
        torch.testing.assert_close(model(x), model(x))  # eval: deterministic


def test_drop_block_only_in_last_two_stages():
    model = make("resnet50", drop_block_rate=0.1)
    assert isinstance(model.layer1[0].drop_block, nn.Identity) and isinstance(model.layer2[0].drop_block, nn.Identity)
    assert isinstance(model.layer3[0].drop_block, DropBlock2d) and model.layer3[0].drop_block.block_size == 5
    assert isinstance(model.layer4[0].drop_block, DropBlock2d) and model.layer4[0].drop_block.block_size == 3
    model.train()
    model(torch.randn(2, 3, SIZE, SIZE)).sum().backward()


def test_head_options():
    model = make("resnet18", num_classes=7, global_pool="catavgmax", drop_rate=0.2)
    assert model.fc.in_features == 2 * model.num_features
    assert model(torch.randn(2, 3, SIZE, SIZE)).shape == (2, 7)
    model.reset_classifier(0)
    assert model(torch.randn(2, 3, SIZE, SIZE)).shape == (2, model.num_features)
    model = make("resnet18", num_classes=0, global_pool="")
    assert model(torch.randn(2, 3, SIZE, SIZE)).shape == (2, 512, 2, 2)


def test_in_chans():
    model = make("resnet18d", in_chans=1)
    assert model.conv1[0].in_channels == 1
    assert model(torch.randn(1, 1, SIZE, SIZE)).shape == (1, 1000)


def test_gradient_checkpointing_gives_the_same_result():
    torch.manual_seed(0)
    model = make("resnet26")
    x = torch.randn(2, 3, SIZE, SIZE)
    plain = model(x)
    plain.sum().backward()
    grads = [p.grad.clone() for p in model.parameters()]
    model.zero_grad()
    model.set_grad_checkpointing(True)
    checkpointed = model(x)
    checkpointed.sum().backward()
    torch.testing.assert_close(checkpointed, plain)
    for g, p in zip(grads, model.parameters()):
        torch.testing.assert_close(p.grad, g)


def test_prune_intermediate_layers():
    model = make("resnet18")
    x = torch.randn(1, 3, SIZE, SIZE)
    with torch.no_grad():
        before = model.forward_intermediates(x, indices=[1, 2], intermediates_only=True)
    assert model.prune_intermediate_layers([1, 2]) == [1, 2]
    assert isinstance(model.layer3, nn.Identity) and isinstance(model.layer4, nn.Identity)
    assert isinstance(model.fc, nn.Identity) and model.num_classes == 0
    with torch.no_grad():
        after = model.forward_intermediates(x, indices=[1, 2], intermediates_only=True)
        model.forward_features(x)  # still runs with the stages gone
    for a, b in zip(before, after):
        torch.testing.assert_close(a, b)


def test_stop_early_skips_later_stages():
    model = make("resnet18")
    x = torch.randn(1, 3, SIZE, SIZE)
    with torch.no_grad():
        final, maps = model.forward_intermediates(x, indices=[1, 2], stop_early=True)
    assert len(maps) == 2 and torch.equal(final, maps[-1]) and final.shape[1] == 128


def test_features_only():
    model = make("resnet50", features_only=True, out_indices=(1, 3))
    assert model.feature_info.channels() == [256, 1024] and model.feature_info.reduction() == [4, 16]
    maps = model(torch.randn(1, 3, SIZE, SIZE))
    assert [m.shape[1] for m in maps] == [256, 1024]


def test_pruned_widths_come_from_the_table():
    model = make("ecaresnet50d_pruned")
    assert [i["num_chs"] for i in model.feature_info] == [64, 19, 171, 818, 2022]
    assert model.num_features == 2022 and model.fc.in_features == 2022
    assert (model.layer1[0].conv1.out_channels, model.layer1[0].conv2.out_channels) == (47, 18)
    # the ECA gates kept the unpruned kernel sizes
    assert model.layer1[0].se.conv.kernel_size == (5,) and model.layer4[0].se.conv.kernel_size == (7,)


def test_attention_and_strings_resolve_once():
    by_arg = ResNet(BasicBlock, (1, 1, 1, 1), attn_layer="se", act_layer="silu", norm_layer="groupnorm")
    by_block_args = ResNet(BasicBlock, (1, 1, 1, 1), block_args=dict(attn_layer=SEModule), act_layer=nn.SiLU, norm_layer=GroupNorm)
    assert list(by_arg.state_dict()) == list(by_block_args.state_dict())
    assert isinstance(by_arg.layer1[0].se, SEModule) and isinstance(by_arg.act1, nn.SiLU) and isinstance(by_arg.bn1, GroupNorm)
    assert isinstance(make("ecaresnet26t").layer1[0].se, EcaModule)


def test_bad_arguments_say_what_to_do():
    with pytest.raises(ValueError, match="output_stride must be 8, 16 or 32, got 10"):
        ResNet(Bottleneck, (1, 1, 1, 1), output_stride=10)
    with pytest.raises(ValueError, match="stem_type must be"):
        ResNet(Bottleneck, (1, 1, 1, 1), stem_type="deeper")
    with pytest.raises(ValueError, match="block=Bottleneck"):
        ResNet(BasicBlock, (1, 1, 1, 1), cardinality=32, base_width=4)
    with pytest.raises(ValueError, match="one entry per stage"):
        ResNet(Bottleneck, (1, 1, 1))
    with pytest.raises(ValueError, match="block_widths"):
        ResNet(Bottleneck, (1, 1, 1, 1), block_widths=(((8, 8, 32),),) * 3)
    with pytest.raises(ValueError, match="known"):
        ResNet(Bottleneck, (1, 1, 1, 1), attn_layer="squeeze")
    with pytest.raises(ValueError, match="NCHW"):
        make("resnet18").forward_intermediates(torch.randn(1, 3, SIZE, SIZE), output_fmt="NHWC")


def test_zero_init_last():
    model = make("resnet26")
    assert all(torch.count_nonzero(b.bn3.weight) == 0 for s in (model.layer1, model.layer4) for b in s)
    model = make("resnet18", zero_init_last=False)
    assert torch.count_nonzero(model.layer1[0].bn2.weight) > 0


def test_weight_table():
    assert len(resnet.RESNETS) == 81
    tags = {f"{a}.{t}" for a, dc in resnet.default_cfgs.items() for t in dc.tags if dc.cfgs[t].has_weights}
    assert len(tags) == 150
    cfg = resnet.default_cfgs["resnet50"]
    assert cfg.tags[0] == "a1_in1k"
    assert cfg.cfgs["tv2_in1k"].pool_size == (6, 6) and cfg.cfgs["tv2_in1k"].top1 == pytest.approx(80.858)
    assert resnet.default_cfgs["resnet50d"].default.first_conv == "conv1.0"
    assert resnet.default_cfgs["seresnet18"].tags[0] == "untrained"
    assert not resnet.default_cfgs["seresnet18"].default.has_weights
    model = make("resnet18")
    assert model.pretrained_cfg.tag == "a1_in1k" and model.pretrained_cfg.hf_hub_id == "timm/resnet18.a1_in1k"


def test_untagged_num_classes_follow_the_default_weights():
    # the sw_in12k tags are not the default, so the model keeps 1000 classes
    assert make("resnetaa50d").num_classes == 1000
    assert make("resnetaa50d", pretrained_cfg="sw_in12k").num_classes == 11821


def test_top1_from_published_results():
    # torchvision's figures in the rows plus timm's results-imagenet.csv for the rest (resnet._TOP1)
    assert set(resnet._TOP1) <= set(resnet.RESNET_WEIGHTS), "every _TOP1 key must name a weight tag"
    top1 = {f"{a}.{t}": dc.cfgs[t].top1 for a, dc in resnet.default_cfgs.items() for t in dc.tags}
    filled = {name: value for name, value in top1.items() if value is not None}
    assert all(0 < value < 100 for value in filled.values())
    assert len(filled) >= 139  # 122 from timm's results + 17 torchvision
    assert not any(name.endswith("untrained") for name in filled)
    assert top1["resnet50.a1_in1k"] == pytest.approx(81.214)
    assert top1["seresnextaa101d_32x8d.sw_in12k_ft_in1k_288"] == pytest.approx(86.724)
    # torchvision's own figure wins over timm's re-evaluation of the same weights (83.246 vs 82.992)
    assert top1["resnext101_64x4d.tv_in1k"] == pytest.approx(83.246)
    assert top1["resnetaa50d.sw_in12k"] is None and top1["resnet50d.ra4_e3600_r224_in1k"] is None
