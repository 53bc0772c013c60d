"""The parity harness: our model against the reference library's model of the same name.

A family gets covered by registering its models; nothing here names a family except
``FAST_TIER`` (which variants run on every push) — one line per reference module.

For a name both libraries know, :func:`check_parity` builds both, loads the reference
``state_dict`` into ours with ``strict=True`` (after randomising the norm statistics so that
eps or momentum mistakes show), and compares parameter counts, ``forward``,
``forward_features``, ``forward_intermediates`` and ``features_only`` outputs.
Models over ``META_ONLY_PARAMS`` parameters are compared by key names and shapes built on
the meta device, since a forward pass does not fit this machine.
"""
from __future__ import annotations

import fnmatch
import functools
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

import torch

import imagemodels

ATOL = 1e-4
META_ONLY_PARAMS = 1_000_000_000
FAST_SIZE = 64
# Reference modules whose 'valid'-padded stride-2 reductions run out of map below FAST_SIZE: their fast
# tier uses this (their smallest workable) size instead. Every other module keeps FAST_SIZE.
MIN_FAST_SIZE: Dict[str, int] = {"inception_v3": 75, "inception_v4": 75, "inception_resnet_v2": 75}

# Variants run on every push: per reference module, the cheapest names that together touch every
# structural option of the family. Modules not listed run their smallest variant.
FAST_TIER: Dict[str, List[str]] = {
    "resnet": [
        "resnet10t", "resnet18", "resnet18d", "resnet26t", "resnet50", "resnet50c", "resnet50s",
        "resnet50_gn", "resnetaa34d", "resnetblur18", "seresnet18", "ecaresnet26t", "ecaresnetlight",
        "ecaresnet50d_pruned", "resnext50_32x4d", "seresnext26d_32x4d", "resnetrs50", "test_resnet",
    ],
    "densenet": ["densenet121", "densenetblur121d"],
    "vgg": ["vgg11", "vgg11_bn"],
    "inception_v3": ["inception_v3"],
    "inception_v4": ["inception_v4"],
    "inception_resnet_v2": ["inception_resnet_v2"],
    "xception": ["legacy_xception"],
    "res2net": ["res2net50_48w_2s", "res2next50", "res2net50d"],
    "resnest": ["resnest14d", "resnest50d_1s4x24d", "resnest50d_4s2x40d"],
    "sknet": ["skresnet18", "skresnext50_32x4d"],
    "resnetv2": ["resnetv2_18", "resnetv2_18d", "resnetv2_50x1_bit", "resnetv2_50d_evos", "resnetv2_50d_frn"],
    "nfnet": ["test_nfnet", "nf_regnet_b0", "nf_resnet26", "eca_nfnet_l0", "dm_nfnet_f0"],
    "regnet": ["regnetx_002", "regnety_002", "regnetx_004_tv", "regnetz_005", "regnetv_040", "regnety_040_sgn"],
    "efficientnet": [
        "test_efficientnet", "test_efficientnet_gn", "test_efficientnet_ln", "test_efficientnet_evos", "tf_mixnet_s",
        "efficientnet_cc_b0_4e", "efficientnet_blur_b0", "mobilenetv2_035", "mobilenet_edgetpu_v2_xs",
        "mobilenetv1_100h",
        "efficientnet_el_pruned",  # a pruned stage keeps its no-residual flag (the slow tier found it)
    ],
    "mobilenetv3": [
        "mobilenetv3_small_050", "tf_mobilenetv3_small_minimal_100", "lcnet_035", "mobilenetv4_conv_small_035",
        "mobilenetv4_hybrid_medium_075", "mobilenetv4_conv_aa_medium",
    ],
    "hardcorenas": ["hardcorenas_a"],
    "vision_transformer": [
        "test_vit", "test_vit2", "test_vit3", "test_vit4", "vit_xsmall_patch16_clip_224", "vit_pwee_patch16_reg1_gap_256",
        "vit_dwee_patch16_reg1_gap_256", "vit_dpwee_patch16_reg1_gap_256", "vit_small_patch16_18x2_224",
        "vit_base_patch16_rpn_224",
    ],
    "deit": ["deit_tiny_patch16_224", "deit_tiny_distilled_patch16_224", "deit3_small_patch16_224"],
    "vision_transformer_relpos": [
        "test_vit_relpos", "vit_relpos_small_patch16_rpn_224", "vit_srelpos_small_patch16_224",
        "vit_relpos_medium_patch16_cls_224",
    ],
    "vision_transformer_hybrid": [
        "vit_tiny_r_s16_p8_224", "vit_small_r26_s32_224", "vit_small_resnet26d_224", "vit_base_mci_224",
    ],
    "convnext": [
        "convnext_zepto_rms_ols", "convnext_atto_ols", "convnext_atto_rms", "convnextv2_atto", "test_convnext",
        "test_convnext3",
    ],
    "convmixer": ["convmixer_768_32"],
    "senet": ["legacy_seresnet18", "legacy_seresnet50", "legacy_seresnext26_32x4d"],
    "rexnet": ["rexnet_100", "rexnetr_100"],
    "vovnet": ["ese_vovnet19b_slim_dw", "ese_vovnet19b_slim", "vovnet39a", "eca_vovnet39b", "ese_vovnet39b_evos"],
    "dla": ["dla34", "dla46x_c", "dla60_res2next", "dla102"],
    "xception_aligned": ["xception41", "xception41p"],
    "beit": ["beit_base_patch16_224"],
    "eva": ["vit_small_patch16_dinov3", "eva02_tiny_patch14_336", "vit_pe_core_tiny_patch16_384", "vit_small_patch16_rope_mixed_ape_224"],
    "mlp_mixer": ["mixer_s32_224", "gmixer_12_224", "resmlp_12_224", "gmlp_ti16_224"],
    "swin_transformer": ["swin_tiny_patch4_window7_224", "swin_s3_tiny_224"],
    "ghostnet": ["ghostnet_050", "ghostnetv2_100", "ghostnetv3_050"],
    "cspnet": [
        # darknetaa53 (avg-pool downsampling) and cs3edgenet_x (edge block) are 36-48M params: slow tier only
        "cs3darknet_focus_s", "sedarknet21", "cspresnet50d", "cspdarknet53", "cs3sedarknet_xdw",
    ],
    "nasnet": ["nasnetalarge"],
    "pnasnet": ["pnasnet5large"],
    "swin_transformer_v2": ["swinv2_tiny_window8_256", "swinv2_tiny_window16_256"],
    "swin_transformer_v2_cr": ["swinv2_cr_tiny_ns_224"],
    "cait": ["cait_xxs24_224"],
    "pit": ["pit_ti_224", "pit_ti_distilled_224"],
    "convit": ["convit_tiny"],
    "tnt": ["tnt_s_patch16_224", "tnt_s_legacy_patch16_224"],
    "visformer": ["visformer_tiny"],
    "twins": ["twins_svt_small", "twins_pcpvt_small"],
    "levit": ["levit_128s", "levit_conv_128s", "levit_256d"],
    "xcit": ["xcit_nano_12_p16_224", "xcit_tiny_12_p8_224"],
    "nest": ["nest_tiny", "nest_tiny_jx"],
    "dpn": ["dpn48b", "dpn68"],
    "selecsls": ["selecsls42b"],
    "tresnet": ["tresnet_m", "tresnet_v2_l"],
    "coat": ["coat_lite_tiny", "coat_tiny"],
    "hrnet": ["hrnet_w18_small", "hrnet_w18_ssld"],
    # bat_resnext26ts needs >= 256px (its 8x8 bilinear blocks): checked at the default size only
    "byobnet": [
        # CI time: MobileOne, grouped RepVGG and RegNetZ-d8 are 15-40 s each here; their blocks are covered by
        # tests/test_byobnet.py (reparameterization) and the slow tier
        "test_byobnet", "gernet_s", "repvgg_a0", "resnext26ts", "gcresnext26ts",
        "resnet33ts", "regnetz_b16_evos", "resnet61q", "resnet50_clip",
    ],
    "crossvit": ["crossvit_tiny_240", "crossvit_9_dagger_240"],
    # HaloNet needs 256 px (8x8 blocks down to stride 32): its layers are checked against the reference's in
    # tests/test_byoanet.py and its models in the slow tier
    "byoanet": ["botnet26t_256", "lambda_resnet26t"],
}


def reference():
    import timm  # the oracle; only tests import it

    return timm


@functools.lru_cache(maxsize=None)
def shared_names() -> Tuple[str, ...]:
    """Names both libraries register, in our natural order."""
    timm = reference()
    theirs = set(timm.list_models())
    return tuple(n for n in imagemodels.list_models() if n in theirs)


@functools.lru_cache(maxsize=None)
def meta_param_count(name: str) -> int:
    with torch.device("meta"):
        model = reference().create_model(name)
    return sum(p.numel() for p in model.parameters())


def fast_names() -> List[str]:
    """The fast tier: FAST_TIER rows, plus the smallest variant of every other shared module."""
    ours = set(shared_names())
    picked: List[str] = []
    for module in imagemodels.list_modules():
        names = [n for n in imagemodels.list_models(module=module) if n in ours]
        if not names:
            continue
        if module in FAST_TIER:
            picked += [n for n in FAST_TIER[module] if n in ours]
        else:
            picked.append(min(names, key=meta_param_count))
    return picked


def randomise_norm_stats(state_dict: Dict[str, torch.Tensor], seed: int = 0) -> Dict[str, torch.Tensor]:
    """Give every norm layer non-trivial statistics and affine values, so eps/momentum/affine
    mistakes change the outputs instead of hiding behind mean 0 / var 1 / weight 1 / bias 0."""
    gen = torch.Generator().manual_seed(seed)
    out = {}
    for key, value in state_dict.items():
        if not value.is_floating_point():
            out[key] = value
        elif key.endswith("running_var"):
            out[key] = torch.rand(value.shape, generator=gen) + 0.5
        elif key.endswith("running_mean"):
            out[key] = torch.randn(value.shape, generator=gen) * 0.1
        elif value.numel() and bool((value == value.flatten()[0]).all()):
            # constant-initialised tensors (norm weights/biases, zero biases, layer-scale gammas,
            # zero-init post-norms, logit scales): at their init values whole branches add nothing
            # or a wrong eps/bias hides, so both models get the same noisy values instead
            scale = max(float(value.flatten()[0].abs()), 1.0) * 0.1
            out[key] = value + torch.randn(value.shape, generator=gen) * scale
        else:
            out[key] = value
    return out


# Reference modules whose models fix their token grid at construction (learned position embeddings,
# fixed_input_size weights): the fast tier builds both models with img_size=FAST_SIZE, so they are
# compared at the fast size too. Other families (ResNets) are built and fed exactly as before.
BUILD_AT_FAST_SIZE = {"vision_transformer", "deit", "vision_transformer_hybrid", "vision_transformer_relpos",
                      "beit", "eva", "cait", "pit", "convit", "tnt", "byoanet"}


# Names that cannot run at any small size: HaloNet's 8x8 attention blocks must tile every feature
# map down to stride 32, so 256 px is the least they take (the reference refuses less as well).
DEFAULT_SIZE_ONLY = ("*halo*",)


def _default_size_only(name: str) -> bool:
    return any(fnmatch.fnmatch(name.split(".")[0], pattern) for pattern in DEFAULT_SIZE_ONLY)


def build_kwargs_for(name: str, fast: bool) -> Dict[str, int]:
    """Extra constructor arguments for both models (the same for ours and the reference's)."""
    if _default_size_only(name):
        return {}
    if fast and imagemodels.models.is_model_in_modules(name.split(".")[0], BUILD_AT_FAST_SIZE):
        return dict(img_size=FAST_SIZE)
    return {}


def input_size_for(name: str, fast: bool) -> Tuple[int, int, int]:
    cfg = imagemodels.get_pretrained_cfg(name)
    size = tuple(cfg.input_size)
    if _default_size_only(name):
        return size
    if fast and build_kwargs_for(name, fast):
        return (size[0], FAST_SIZE, FAST_SIZE)
    if fast and not cfg.fixed_input_size:
        fast_size = FAST_SIZE
        for module, min_size in MIN_FAST_SIZE.items():
            if name.split(".")[0] in imagemodels.list_models(module=module):
                fast_size = max(fast_size, min_size)
        return (size[0], fast_size, fast_size)
    return size


@dataclass
class ParityReport:
    name: str
    params: int
    max_diff: Dict[str, float]

    def worst(self) -> float:
        return max(self.max_diff.values(), default=0.0)


def _max_diff(a, b, what: str) -> float:
    if isinstance(a, (list, tuple)):
        if len(a) != len(b):
            raise AssertionError(f"{what}: {len(a)} outputs vs reference {len(b)}")
        return max((_max_diff(x, y, f"{what}[{i}]") for i, (x, y) in enumerate(zip(a, b))), default=0.0)
    if a.shape != b.shape:
        raise AssertionError(f"{what}: shape {tuple(a.shape)} vs reference {tuple(b.shape)}")
    return (a.float() - b.float()).abs().max().item()


def check_meta(name: str) -> ParityReport:
    """Key names and shapes only, both models built on the meta device."""
    with torch.device("meta"):
        ref = reference().create_model(name)
        ours = imagemodels.create_model(name)
    ref_shapes = {k: tuple(v.shape) for k, v in ref.state_dict().items()}
    our_shapes = {k: tuple(v.shape) for k, v in ours.state_dict().items()}
    if ref_shapes != our_shapes:
        missing = sorted(set(ref_shapes) - set(our_shapes))[:10]
        extra = sorted(set(our_shapes) - set(ref_shapes))[:10]
        bad = [k for k in ref_shapes if k in our_shapes and ref_shapes[k] != our_shapes[k]][:10]
        raise AssertionError(f"{name}: state_dict differs; missing {missing}, unexpected {extra}, shapes {bad}")
    return ParityReport(name, sum(p.numel() for p in ours.parameters()), {})


@torch.no_grad()
def check_parity(name: str, fast: bool = True, batch: int = 2, seed: int = 0) -> ParityReport:
    """Raise AssertionError naming what differs; return the measured differences."""
    if meta_param_count(name) > META_ONLY_PARAMS:
        return check_meta(name)
    timm = reference()
    torch.manual_seed(seed)
    kwargs = build_kwargs_for(name, fast)
    ref = timm.create_model(name, **kwargs).eval()
    ours = imagemodels.create_model(name, **kwargs).eval()

    ref_params = sum(p.numel() for p in ref.parameters())
    our_params = sum(p.numel() for p in ours.parameters())
    if ref_params != our_params:
        raise AssertionError(f"{name}: {our_params} parameters vs reference {ref_params}")

    state = randomise_norm_stats(ref.state_dict(), seed)
    ref.load_state_dict(state, strict=True)
    ours.load_state_dict(state, strict=True)  # the checkpoint-compatibility promise

    x = torch.randn((batch, *input_size_for(name, fast)), generator=torch.Generator().manual_seed(seed))
    diffs = {
        "forward": _max_diff(ours(x), ref(x), f"{name} forward"),
        "forward_features": _max_diff(ours.forward_features(x), ref.forward_features(x), f"{name} forward_features"),
    }
    if hasattr(ref, "forward_intermediates"):
        ref_final, ref_maps = ref.forward_intermediates(x)
        our_final, our_maps = ours.forward_intermediates(x)
        diffs["forward_intermediates"] = max(_max_diff(our_final, ref_final, f"{name} intermediates final"),
                                             _max_diff(our_maps, ref_maps, f"{name} intermediates"))
    del ref, ours

    ref_f = timm.create_model(name, features_only=True, **kwargs).eval()
    our_f = imagemodels.create_model(name, features_only=True, **kwargs).eval()
    if list(our_f.feature_info.channels()) != list(ref_f.feature_info.channels()):
        raise AssertionError(f"{name}: feature channels {our_f.feature_info.channels()} vs reference {ref_f.feature_info.channels()}")
    if list(our_f.feature_info.reduction()) != list(ref_f.feature_info.reduction()):
        raise AssertionError(f"{name}: feature reductions {our_f.feature_info.reduction()} vs reference {ref_f.feature_info.reduction()}")
    state = randomise_norm_stats(ref_f.state_dict(), seed)
    ref_f.load_state_dict(state, strict=True)
    our_f.load_state_dict(state, strict=True)
    diffs["features_only"] = _max_diff(our_f(x), ref_f(x), f"{name} features_only")

    report = ParityReport(name, our_params, diffs)
    bad = {k: v for k, v in diffs.items() if not v <= ATOL}
    if bad:
        raise AssertionError(f"{name}: outputs differ from the reference by {bad} (tolerance {ATOL})")
    return report


def main(argv: Optional[List[str]] = None) -> int:
    """``python tests/parity.py [--full] [--module M ...] [NAME ...]``: a table of the measured differences."""
    import argparse
    import time

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("names", nargs="*", help="model names (default: the fast tier, or every shared name with --full)")
    parser.add_argument("--full", action="store_true", help="default input sizes and every shared name")
    parser.add_argument("--module", action="append", default=[],
                        help="every shared name of this reference module (repeatable), e.g. --full --module nfnet")
    args = parser.parse_args(argv)
    names = list(args.names)
    if args.module:
        shared = set(shared_names())
        names += [n for n in imagemodels.list_models(module=args.module) if n in shared]
    names = names or (list(shared_names()) if args.full else fast_names())
    failed = 0
    print("| model | params | worst max abs diff | seconds |\n|---|---:|---:|---:|")
    for name in names:
        start = time.perf_counter()
        try:
            report = check_parity(name, fast=not args.full, batch=1 if args.full else 2)
            print(f"| {name} | {report.params / 1e6:.2f} M | {report.worst():.2e} | {time.perf_counter() - start:.1f} |",
                  flush=True)
        except Exception as err:  # a crash in one model is that model's failure, not the table's
            failed += 1
            message = str(err).replace("\n", " ")[:400]
            print(f"| {name} | FAILED | {type(err).__name__}: {message} | {time.perf_counter() - start:.1f} |", flush=True)
    print(f"\n{len(names) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
