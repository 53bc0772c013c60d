"""Drop-in helpers of ``imagemodels.models`` / ``imagemodels.utils`` against the reference's outputs."""
import os

import pytest
import torch
from torch import nn

import imagemodels
import parity


@pytest.fixture(scope="module")
def timm():
    return parity.reference()


def _tiny():
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.ReLU(),
        nn.Sequential(nn.Conv2d(4, 4, 1), nn.BatchNorm2d(4)), nn.Flatten(), nn.Linear(4, 2),
    )


# ---------------------------------------------------------------- walking modules, grouping parameters

@pytest.mark.parametrize("depth_first", [True, False])
@pytest.mark.parametrize("include_root", [True, False])
def test_named_apply_and_named_modules_visit_like_the_reference(timm, depth_first, include_root):
    model = imagemodels.create_model("resnet18")
    seen, want = [], []
    imagemodels.models.named_apply(lambda module, name: seen.append(name), model, depth_first=depth_first,
                                   include_root=include_root)
    timm.models.named_apply(lambda module, name: want.append(name), model, depth_first=depth_first,
                            include_root=include_root)
    assert seen == want
    for fn in ("named_modules", "named_modules_with_params"):
        ours = [n for n, _ in getattr(imagemodels.models, fn)(model, depth_first=depth_first, include_root=include_root)]
        theirs = [n for n, _ in getattr(timm.models, fn)(model, depth_first=depth_first, include_root=include_root)]
        assert ours == theirs, fn


@pytest.mark.parametrize("name", ["resnet18", "vit_tiny_patch16_224", "convnext_atto"])
@pytest.mark.parametrize("coarse", [True, False])
def test_group_parameters_and_modules_match_the_reference(timm, name, coarse):
    model = imagemodels.create_model(name)
    matcher = model.group_matcher(coarse=coarse)
    for fn in ("group_parameters", "group_modules"):
        ours = getattr(imagemodels.models, fn)(model, matcher)
        theirs = getattr(timm.models, fn)(model, matcher)
        assert dict(ours) == dict(theirs), fn
        assert getattr(imagemodels.models, fn)(model, matcher, reverse=True) == \
            getattr(timm.models, fn)(model, matcher, reverse=True)
    values = imagemodels.models.group_parameters(model, matcher, return_values=True)
    assert sum(len(v) for v in values.values()) == len(list(model.parameters()))


def test_group_with_a_callable_matcher_and_bad_combination(timm):
    model = _tiny()
    by_child = lambda n: int(n.split(".")[0])  # noqa: E731
    groups = imagemodels.models.group_parameters(model, by_child)
    assert groups == timm.models.group_parameters(model, by_child)
    assert groups[0] == ["0.weight", "0.bias"] and len(groups) == 4
    with pytest.raises(ValueError, match="reverse"):
        imagemodels.models.group_parameters(model, lambda n: 0, return_values=True, reverse=True)


def test_model_parameters_and_checkpoint(timm):
    model = imagemodels.create_model("resnet18")
    assert len(imagemodels.models.model_parameters(model, exclude_head=True)) == \
        len(timm.models.model_parameters(model, exclude_head=True)) == len(list(model.parameters())) - 2
    layer = nn.Linear(3, 3)
    x = torch.randn(2, 3, requires_grad=True)
    out = imagemodels.models.checkpoint(layer, x)
    assert torch.allclose(out, layer(x))
    out.sum().backward()
    assert x.grad is not None


# ---------------------------------------------------------------- names and cfgs

@pytest.mark.parametrize("name", ["resnet50", "hf-hub:timm/resnet50.a1_in1k", "hf_hub:a/b.c-d", "local-dir:/a/b",
                                  "x_y-z.1"])
@pytest.mark.parametrize("remove_source", [True, False])
def test_safe_model_name(timm, name, remove_source):
    assert imagemodels.models.safe_model_name(name, remove_source) == timm.models.safe_model_name(name, remove_source)


@pytest.mark.parametrize("remove_source", [True, False])
@pytest.mark.parametrize("remove_null", [True, False])
def test_filter_pretrained_cfg(timm, remove_source, remove_null):
    cfg = dict(url="u", file=None, hf_hub_id="x", pool_size=None, first_conv=None, classifier="fc", mean=None,
               crop_pct=0.9, source="s", hf_hub_filename="f", hf_hub_revision="r")
    assert imagemodels.models.filter_pretrained_cfg(cfg, remove_source, remove_null) == \
        timm.models.filter_pretrained_cfg(cfg, remove_source, remove_null)


# ---------------------------------------------------------------- training checkpoints

def _training_checkpoint(tmp_path, version=2):
    model = nn.Linear(3, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    model(torch.randn(4, 3)).sum().backward()
    optimizer.step()
    path = str(tmp_path / f"ckpt_v{version}.pth.tar")
    torch.save({"epoch": 3, "arch": "linear", "version": version, "metric": 0.5, "args": {"lr": 0.1},
                "state_dict": {f"module.{k}": v for k, v in model.state_dict().items()},
                "optimizer": optimizer.state_dict(), "amp_scaler": {"scale": 2.0}}, path)
    return model, optimizer, path


class _Scaler:
    state_dict_key = "amp_scaler"

    def __init__(self):
        self.loaded = None

    def load_state_dict(self, state):
        self.loaded = state


@pytest.mark.parametrize("version", [1, 2])
def test_resume_checkpoint_restores_everything_like_the_reference(timm, tmp_path, version):
    model, optimizer, path = _training_checkpoint(tmp_path, version)
    results = []
    for lib in (imagemodels, timm):
        fresh = nn.Linear(3, 2)
        opt = torch.optim.SGD(fresh.parameters(), lr=0.1, momentum=0.9)
        scaler = _Scaler()
        epoch = lib.models.resume_checkpoint(fresh, path, optimizer=opt, loss_scaler=scaler, log_info=False)
        assert torch.equal(fresh.weight, model.weight)
        assert opt.state_dict()["state"][0]["momentum_buffer"].shape == (2, 3)
        assert scaler.loaded == {"scale": 2.0}
        results.append(epoch)
    assert results[0] == results[1] == (4 if version > 1 else 3)


def test_resume_checkpoint_plain_state_dict_and_missing_file(timm, tmp_path):
    model = nn.Linear(3, 2)
    path = str(tmp_path / "plain.pth")
    torch.save(model.state_dict(), path)
    fresh = nn.Linear(3, 2)
    assert imagemodels.models.resume_checkpoint(fresh, path) is None
    assert torch.equal(fresh.weight, model.weight)
    with pytest.raises(FileNotFoundError):
        imagemodels.models.resume_checkpoint(fresh, str(tmp_path / "missing.pth"))


def test_load_checkpoint_metadata(timm, tmp_path):
    _, _, path = _training_checkpoint(tmp_path)
    ours, theirs = imagemodels.utils.load_checkpoint_metadata(path), timm.utils.load_checkpoint_metadata(path)
    assert ours.keys() == theirs.keys()
    assert {k: ours[k] for k in ("epoch", "arch", "version", "metric", "args")} == \
        {k: theirs[k] for k in ("epoch", "arch", "version", "metric", "args")}
    with pytest.raises(FileNotFoundError):
        imagemodels.utils.load_checkpoint_metadata(str(tmp_path / "missing.pth"))


# ---------------------------------------------------------------- utils

def test_model_ema_v1_matches_the_reference(timm, tmp_path):
    model = imagemodels.create_model("resnet18", num_classes=3)
    ours, theirs = imagemodels.utils.ModelEma(model, decay=0.9), timm.utils.ModelEma(model, decay=0.9)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    for _ in range(2):
        model.train()
        model(torch.randn(2, 3, 32, 32)).sum().backward()
        optimizer.step()
        optimizer.zero_grad()
        ours.update(model)
        theirs.update(model)
    got, want = ours.ema.state_dict(), theirs.ema.state_dict()
    assert got.keys() == want.keys()
    for key in got:
        assert got[key].dtype == want[key].dtype and torch.allclose(got[key], want[key]), key
    assert not any(p.requires_grad for p in ours.ema.parameters()) and not ours.ema.training

    path = str(tmp_path / "ema.pth")
    torch.save({"state_dict": model.state_dict(), "state_dict_ema": got}, path)
    resumed = imagemodels.utils.ModelEma(imagemodels.create_model("resnet18", num_classes=3), resume=path)
    assert torch.equal(resumed.ema.fc.weight, got["fc.weight"])


def test_apex_scaler_says_apex_is_missing():
    import importlib.util

    if importlib.util.find_spec("apex") is not None:
        pytest.skip("apex is installed here")
    with pytest.raises(ImportError, match="apex"):
        imagemodels.utils.ApexScaler()
    assert imagemodels.utils.ApexScaler.state_dict_key == "amp"


@pytest.mark.parametrize("start_epoch", [0, 1, 2, 10])
def test_trim_summary(timm, tmp_path, start_epoch):
    text = "epoch,train_loss,eval_top1\n0,1.0,5\n1,0.9,6\n2,0.8,7\n"
    outputs = []
    for lib in (imagemodels, timm):
        path = tmp_path / f"{lib.__name__}.csv"
        path.write_text(text)
        lib.utils.trim_summary(str(path), start_epoch)
        outputs.append(path.read_text().replace("\r\n", "\n"))
    assert outputs[0] == outputs[1]
    imagemodels.utils.trim_summary(str(tmp_path / "none.csv"), 1)
    assert not (tmp_path / "none.csv").exists()


def _jit_state():
    c = torch._C
    executor = c._jit_set_profiling_executor(True)
    c._jit_set_profiling_executor(executor)
    mode = c._jit_set_profiling_mode(True)
    c._jit_set_profiling_mode(mode)
    return executor, mode, c._jit_can_fuse_on_cpu(), c._jit_can_fuse_on_gpu(), c._jit_texpr_fuser_enabled()


def test_jit_fuser_switches_match_the_reference(timm):
    before = _jit_state()
    try:
        for fuser in ("old", "te", "legacy", "te"):
            timm.utils.set_jit_fuser("nvfuser" if fuser == "te" else "te")  # start from a different state
            timm.utils.set_jit_fuser(fuser)
            want = _jit_state()
            imagemodels.utils.set_jit_fuser("nvfuser" if fuser == "te" else "te")
            imagemodels.utils.set_jit_fuser(fuser)
            assert _jit_state() == want, fuser
        timm.utils.set_jit_fuser("te")
        timm.utils.set_jit_legacy()
        want = _jit_state()
        imagemodels.utils.set_jit_fuser("te")
        imagemodels.utils.set_jit_legacy()
        assert _jit_state() == want
        with pytest.raises(ValueError, match="fuser"):
            imagemodels.utils.set_jit_fuser("fast")
    finally:
        imagemodels.utils.set_jit_fuser("te")
        assert _jit_state()[:2] == before[:2]


# ---------------------------------------------------------------- pretrained loading switches

def test_load_custom_pretrained_hands_the_file_to_the_loader(tmp_path, caplog):
    path = tmp_path / "weights.npz"
    path.write_bytes(b"not a torch file")
    model = nn.Linear(2, 2)
    seen = []
    imagemodels.models.load_custom_pretrained(model, dict(file=str(path)), load_fn=lambda m, p: seen.append((m, p)))
    assert seen == [(model, str(path))]
    model.load_pretrained = lambda p: seen.append(p)
    imagemodels.models.load_custom_pretrained(model, dict(file=str(path)))
    assert seen[-1] == str(path)
    with caplog.at_level("WARNING"):
        imagemodels.models.load_custom_pretrained(nn.Linear(2, 2), dict(architecture="x"))
    assert "random initialisation" in caplog.text


def test_load_custom_pretrained_downloads_a_url_and_checks_its_hash(tmp_path):
    import hashlib

    data = b"weights bytes"
    digest = hashlib.sha256(data).hexdigest()[:8]
    good, bad = tmp_path / f"w-{digest}.npz", tmp_path / "w-deadbeef.npz"
    good.write_bytes(data)
    bad.write_bytes(data)
    seen = []
    try:
        imagemodels.models.set_pretrained_check_hash(True)
        imagemodels.models.load_custom_pretrained(
            nn.Linear(2, 2), dict(url=good.as_uri()), load_fn=lambda m, p: seen.append(p), cache_dir=str(tmp_path / "c"))
        assert open(seen[0], "rb").read() == data and seen[0].startswith(str(tmp_path / "c"))
        with pytest.raises(RuntimeError, match="hash"):
            imagemodels.models.load_custom_pretrained(
                nn.Linear(2, 2), dict(url=bad.as_uri()), load_fn=lambda m, p: None, cache_dir=str(tmp_path / "c"))
    finally:
        imagemodels.models.set_pretrained_check_hash(False)


def test_pretrained_switches_reach_the_url_loader(monkeypatch):
    calls = []
    model = imagemodels.create_model("resnet18", num_classes=3)
    state = model.state_dict()

    def fake_load(url, **kwargs):
        calls.append(kwargs)
        return dict(state)

    monkeypatch.setattr(torch.hub, "load_state_dict_from_url", fake_load)
    cfg = dict(url="https://example.invalid/resnet18-0123abcd.pth", architecture="resnet18", num_classes=3)
    try:
        imagemodels.models.set_pretrained_download_progress(True)
        imagemodels.models.set_pretrained_check_hash(True)
        imagemodels.create_model("resnet18", pretrained=True, pretrained_cfg=cfg, num_classes=3)
        imagemodels.models.set_pretrained_download_progress(False)
        imagemodels.models.set_pretrained_check_hash(False)
        imagemodels.create_model("resnet18", pretrained=True, pretrained_cfg=cfg, num_classes=3)
    finally:
        imagemodels.models.set_pretrained_download_progress(False)
        imagemodels.models.set_pretrained_check_hash(False)
    assert [(c["progress"], c["check_hash"]) for c in calls] == [(True, True), (False, False)]


# ---------------------------------------------------------------- hook-based features

@pytest.mark.parametrize("name,kwargs", [
    ("resnet18", {}), ("resnet18", dict(out_indices=(1, 3))), ("convnext_atto", {}),
    ("vit_tiny_patch16_224", dict(img_size=64)),
])
def test_feature_cls_hook_matches_the_reference(timm, name, kwargs):
    theirs = timm.create_model(name, features_only=True, feature_cls="hook", **kwargs).eval()
    ours = imagemodels.create_model(name, features_only=True, feature_cls="hook", **kwargs).eval()
    assert type(ours).__name__ == type(theirs).__name__ == "FeatureHookNet"
    ours.load_state_dict(theirs.state_dict())  # same weight names (body.* or the flattened children)
    x = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        got, want = ours(x), theirs(x)
    assert len(got) == len(want)
    for a, b in zip(got, want):
        assert a.shape == b.shape and torch.allclose(a, b, atol=1e-5)
    assert ours.feature_info.channels() == theirs.feature_info.channels()
    assert ours.feature_info.reduction() == theirs.feature_info.reduction()


def test_feature_hook_net_options_and_feature_hooks():
    model = imagemodels.create_model("resnet18")
    net = imagemodels.models.FeatureHookNet(model, out_indices=(2, 4), out_map=("mid", "last"), return_dict=True).eval()
    out = net(torch.randn(1, 3, 32, 32))
    assert list(out) == ["mid", "last"] and out["last"].shape[1] == 512
    assert net(torch.randn(1, 3, 32, 32)).keys() == out.keys()  # outputs do not pile up between calls

    layer = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    hooks = imagemodels.models.FeatureHooks(
        ["0", dict(module="2", hook_type="forward_pre")], layer.named_modules())
    x = torch.randn(2, 3)
    layer(x)
    got = hooks.get_output(x.device)
    assert list(got) == ["0", "2"]
    assert torch.allclose(got["0"], layer[0](x)) and torch.allclose(got["2"], layer[1](layer[0](x)))
    with pytest.raises(KeyError, match="no module"):
        imagemodels.models.FeatureHooks(["nope"], layer.named_modules())
    with pytest.raises(ValueError, match="hook_type"):
        imagemodels.models.FeatureHooks([dict(module="0", hook_type="backward")], layer.named_modules())
    with pytest.raises(ValueError, match="no_rewrite"):
        imagemodels.models.FeatureHookNet(model, no_rewrite=True, flatten_sequential=True)


# ---------------------------------------------------------------- graph (fx) features

@pytest.mark.parametrize("name,kwargs", [
    ("resnet18", {}), ("convnext_atto", {}), ("vit_tiny_patch16_224", dict(img_size=64)), ("regnetx_002", {}),
    ("swin_tiny_patch4_window7_224", dict(img_size=64, window_size=2)),
])
def test_feature_cls_fx_matches_the_reference(timm, name, kwargs):
    theirs = timm.create_model(name, features_only=True, feature_cls="fx", **kwargs).eval()
    ours = imagemodels.create_model(name, features_only=True, feature_cls="fx", **kwargs).eval()
    assert type(ours).__name__ == type(theirs).__name__ == "FeatureGraphNet"
    ours.load_state_dict(theirs.state_dict())
    x = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        got, want = ours(x), theirs(x)
    assert len(got) == len(want)
    for a, b in zip(got, want):
        assert a.shape == b.shape and torch.allclose(a, b, atol=1e-4)


def test_graph_extract_net_and_node_names(timm):
    model = imagemodels.create_model("resnet18").eval()
    train_names, eval_names = imagemodels.models.get_graph_node_names(model)
    assert eval_names == timm.models.get_graph_node_names(model)[1]
    assert "layer2.0.conv1" in eval_names
    net = imagemodels.models.GraphExtractNet(model, ["layer2", "layer3"])
    x = torch.randn(1, 3, 64, 64)
    got = net(x)
    assert [t.shape[1] for t in got] == [128, 256]
    assert net.__class__(model, ["layer2"])(x).shape == got[0].shape  # one node: squeezed to a tensor
    named = imagemodels.models.GraphExtractNet(model, {"layer4": "deep"}, return_dict=True)(x)
    assert list(named) == ["deep"]
    extractor = imagemodels.models.create_feature_extractor(model, ["layer1"])
    with torch.no_grad():
        assert torch.allclose(extractor(x)["layer1"], model.layer1(model.maxpool(model.act1(model.bn1(model.conv1(x))))))


def test_notrace_registry_keeps_a_module_whole():
    fx = imagemodels.models

    class Branchy(nn.Module):
        def forward(self, x):
            return x * 2 if x.sum() > 0 else x  # data-dependent: untraceable

    def branchy_fn(x):
        return x + 1 if x.shape[-1] > 2 else x

    model = nn.Sequential(nn.Linear(3, 3), Branchy())
    with pytest.raises(Exception):
        fx.get_graph_node_names(model)
    assert fx.register_notrace_module(Branchy) is Branchy
    assert fx.is_notrace_module(Branchy) and Branchy in fx.get_notrace_modules()
    assert "1" in fx.get_graph_node_names(model)[1]
    assert fx.register_notrace_function(branchy_fn) is branchy_fn
    assert fx.is_notrace_function(branchy_fn) and branchy_fn in fx.get_notrace_functions()
    assert not fx.is_notrace_function(len)


@pytest.mark.parametrize("method,names", [("fx", ["*attn.softmax"]), ("hook", ["*attn.qkv"]),
                                          ("fx", [r"blocks\.1\.attn\.softmax"])])
def test_attention_extract_matches_the_reference(timm, method, names):
    kwargs = dict(img_size=32, depth=2)
    theirs = timm.create_model("vit_tiny_patch16_224", **kwargs)
    ours = imagemodels.create_model("vit_tiny_patch16_224", **kwargs)
    ours.load_state_dict(theirs.state_dict())
    for model in (ours, theirs):
        for block in model.blocks:
            block.attn.fused_attn = False
    use_regex = names[0].startswith("blocks")
    got_ex = imagemodels.utils.AttentionExtract(ours, names=names, method=method, use_regex=use_regex)
    want_ex = timm.utils.AttentionExtract(theirs, names=names, method=method, use_regex=use_regex)
    assert got_ex.names == want_ex.names
    x = torch.randn(2, 3, 32, 32)
    with torch.no_grad():
        got, want = got_ex(x), want_ex(x)
    assert list(got) == list(want)
    for key in got:
        assert torch.allclose(got[key], want[key], atol=1e-5), key
    with pytest.raises(RuntimeError, match="matches"):
        imagemodels.utils.AttentionExtract(ours, names=["nothing*"], method=method)


# ---------------------------------------------------------------- typed configs

def _same_outputs(ours, theirs, size=64):
    ours.eval(), theirs.eval()
    ours.load_state_dict(theirs.state_dict())
    x = torch.randn(2, 3, size, size)
    with torch.no_grad():
        return torch.allclose(ours(x), theirs(x), atol=1e-5)


def test_byob_block_and_model_cfg_build_the_references_network(timm):
    def cfg(lib):
        m = lib.models
        return m.ByoModelCfg(
            blocks=(m.ByoBlockCfg(type="basic", d=1, c=32, s=1, gs=0, br=1.0),
                    m.ByoBlockCfg(type="bottle", d=2, c=64, s=2, gs=16, br=0.25),
                    (m.ByoBlockCfg(type="edge", d=1, c=96, s=2, gs=0, br=0.5),
                     m.ByoBlockCfg(type="dark", d=1, c=96, s=1, br=1.0))),
            stem_chs=24, stem_type="tiered", num_features=128, act_layer="silu", attn_layer="se")

    from imagemodels.models.byobnet import ByobNet
    assert _same_outputs(ByobNet(cfg(imagemodels), num_classes=5), timm.models.byobnet.ByobNet(cfg(timm), num_classes=5))
    block = imagemodels.models.ByoBlockCfg(type="bottle", d=2, c=64)
    assert (block.d, block.c, block.s, block.gs, block.br) == (2, 64, 2, None, 1.0)


def test_nf_and_regnet_cfgs_build_the_references_network(timm):
    from imagemodels.models.nfnet import NormFreeNet
    from imagemodels.models.regnet import RegNet

    nf = dict(depths=(1, 1, 1, 1), channels=(16, 32, 48, 64), stem_chs=16, group_size=8, attn_layer="se", attn_kwargs=dict(rd_ratio=0.5),
              num_features=96, act_layer="silu")
    assert _same_outputs(NormFreeNet(imagemodels.models.NfCfg(**nf), num_classes=3),
                         timm.models.nfnet.NormFreeNet(timm.models.NfCfg(**nf), num_classes=3))
    reg = dict(depth=13, w0=24, wa=36.44, wm=2.49, group_size=8, se_ratio=0.25, stem_width=16)  # regnety_002-like
    assert _same_outputs(RegNet(imagemodels.models.RegNetCfg(**reg), num_classes=3),
                         timm.models.regnet.RegNet(timm.models.RegNetCfg(**reg), num_classes=3))


# ---------------------------------------------------------------- Hub upload (the network call is replaced)

def test_save_for_hf_writes_what_the_reference_writes(timm, tmp_path):
    import json

    model = imagemodels.create_model("resnet18", num_classes=3)
    kwargs = dict(model_config=dict(label_names=["a", "b", "c"]), safe_serialization="both",
                  data_config=dict(input_size=(3, 160, 160), mean=(0.5, 0.5, 0.5), crop_pct=1.0))
    imagemodels.models._hub.save_for_hf(model, str(tmp_path / "ours"), **kwargs)
    twin = timm.create_model("resnet18", num_classes=3)  # the reference wants its own dict pretrained_cfg
    twin.load_state_dict(model.state_dict())
    timm.models._hub.save_for_hf(twin, str(tmp_path / "theirs"), **kwargs)
    assert sorted(os.listdir(tmp_path / "ours")) == sorted(os.listdir(tmp_path / "theirs"))
    ours, theirs = (json.loads((tmp_path / d / "config.json").read_text()) for d in ("ours", "theirs"))
    for key in ("architecture", "num_classes", "num_features", "label_names"):
        assert ours[key] == theirs[key], key
    for key in ("input_size", "mean", "crop_pct", "interpolation", "num_classes"):
        assert ours["pretrained_cfg"][key] == theirs["pretrained_cfg"][key], key
    # the reference's loader reads our folder
    loaded = timm.create_model(f"local-dir:{tmp_path / 'ours'}", pretrained=True)
    assert torch.equal(loaded.fc.weight, model.fc.weight)
    with pytest.raises(ValueError, match="safe_serialization"):
        imagemodels.models._hub.save_for_hf(model, str(tmp_path / "x"), safe_serialization="yes")


def test_push_to_hf_hub_uploads_the_saved_folder(monkeypatch):
    """Everything up to the upload runs; HfApi's network calls are replaced by recorders."""
    import huggingface_hub

    calls = {}

    def create_repo(self, repo_id, **kwargs):
        calls["create_repo"] = (repo_id, kwargs)
        return huggingface_hub.RepoUrl(f"https://huggingface.co/{repo_id}")

    def upload_folder(self, **kwargs):
        folder = kwargs["folder_path"]
        calls["upload"] = (kwargs, sorted(os.listdir(folder)), open(os.path.join(folder, "README.md")).read())
        return "commit-info"

    monkeypatch.setattr(huggingface_hub.HfApi, "create_repo", create_repo)
    monkeypatch.setattr(huggingface_hub.HfApi, "file_exists", lambda self, *a, **k: False)
    monkeypatch.setattr(huggingface_hub.HfApi, "upload_folder", upload_folder)
    model = imagemodels.create_model("resnet18", num_classes=3)
    result = imagemodels.models.push_to_hf_hub(model, "me/tiny", commit_message="hi", private=True, create_pr=True,
                                               model_card=dict(details={"Params (M)": 11.2}))
    assert result == "commit-info"
    assert calls["create_repo"] == ("me/tiny", dict(token=None, private=True, exist_ok=True))
    kwargs, files, readme = calls["upload"]
    assert files == ["README.md", "config.json", "model.safetensors", "pytorch_model.bin"]
    assert kwargs["repo_id"] == "me/tiny" and kwargs["commit_message"] == "hi" and kwargs["create_pr"] is True
    assert "library_name: timm" in readme and "Params (M):** 11.2" in readme


# ---------------------------------------------------------------- reconstruction arguments

@pytest.mark.parametrize("name,kwargs", [
    ("resnet18", {}), ("resnet18", dict(in_chans=1, stem_type="deep", output_stride=16, drop_rate=0.2)),
    ("vit_tiny_patch16_224", dict(img_size=64, drop_path_rate=0.1)), ("resnet18", dict(features_only=True)),
    ("resnet18", dict(features_only=True, out_indices=(1, 2))), ("convnext_atto", dict(num_classes=0)),
    ("efficientnet_b0", dict(global_pool="max")), ("deit_tiny_distilled_patch16_224", {}),
    ("vit_tiny_patch16_224", {}), ("levit_128s", {}), ("swin_tiny_patch4_window7_224", {}),
])
def test_get_model_args_matches_the_reference(timm, name, kwargs):
    ours, theirs = imagemodels.create_model(name, **kwargs), timm.create_model(name, **kwargs)
    assert imagemodels.models.get_model_args(ours) == timm.models.get_model_args(theirs)


def test_get_model_args_follows_reset_classifier_and_overrides(timm):
    results = []
    for lib in (imagemodels, timm):
        model = lib.create_model("resnet18")
        model.reset_classifier(5, "max")
        results.append(lib.models.get_model_args(model, overrides=dict(drop_rate=0.1)))
    assert results[0] == results[1] == dict(in_chans=3, num_classes=5, global_pool="max", drop_rate=0.1)
    assert imagemodels.models.get_model_args(nn.Linear(2, 3)) == {}
