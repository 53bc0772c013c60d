"""Print the VISION_TRANSFORMERS variant table by reading the reference's built models (developer tool).

The architecture of each registered name is read off the reference model built on the meta device
(module types, widths, flags), never from its source. Usage: python tools/vit_variants.py [module]
"""
import sys

import torch
from torch import nn

import timm

DEFAULTS = dict(img_size=224, patch_size=16, embed_dim=768, depth=12, num_heads=12, mlp_ratio=4.0, qkv_bias=True,
                qk_norm=False, scale_attn_norm=False, scale_mlp_norm=False, proj_bias=True, init_values=None,
                class_token=True, pos_embed="learn", no_embed_class=False, reg_tokens=0, pre_norm=False,
                final_norm=True, fc_norm=None, pool_include_prefix=False, dynamic_img_size=False,
                dynamic_img_pad=False, global_pool="token", patch_bias=None)


def _norm(mod):
    name = type(mod).__name__
    eps = getattr(mod, "eps", 1e-6)
    key = {"LayerNorm": "ln", "RmsNorm": "rms"}[name]
    return key if eps == 1e-6 else f"{key}{eps:g}"


def _act(mod):
    name = type(mod).__name__
    if name == "GELU":
        return "gelu_tanh" if mod.approximate == "tanh" else "gelu"
    return {"GELUTanh": "gelu_tanh", "QuickGELU": "quick_gelu", "SiLU": "silu"}[name]


def derive(name):
    with torch.device("meta"):
        m = timm.create_model(name)
    pe = m.patch_embed
    b = m.blocks[0]
    bname = type(b).__name__
    a = dict(img_size=pe.img_size[0] if pe.img_size[0] == pe.img_size[1] else pe.img_size,
             patch_size=pe.patch_size[0], embed_dim=m.embed_dim, depth=len(m.blocks))
    if bname in ("Block", "ResPostBlock"):
        attn, mlp = b.attn, b.mlp
        a["num_heads"] = attn.num_heads
        norm1 = b.norm1
        a["qkv_bias"] = attn.qkv.bias is not None
        a["qk_norm"] = not isinstance(attn.q_norm, nn.Identity)
        a["scale_attn_norm"] = not isinstance(attn.norm, nn.Identity)
        a["scale_mlp_norm"] = not isinstance(mlp.norm, nn.Identity)
        a["proj_bias"] = attn.proj.bias is not None
        hidden = (mlp.fc1_g if hasattr(mlp, "fc1_g") else mlp.fc1).out_features
        act = _act(mlp.act)
        mlp_kind = type(mlp).__name__
        if mlp_kind == "GluMlp":
            mlp_kind = "swiglu_packed" if not mlp.gate_last and act == "silu" else "glu"
        if bname == "ResPostBlock":
            a["block_fn"] = "res_post"
        if type(attn).__name__ == "DiffAttention":
            a["attn_layer"] = "diff"
        ls = getattr(b, "ls1", None)
        a["init_values"] = (ls.init_values if isinstance(ls, nn.Module) and hasattr(ls, "gamma") else None)
    elif bname in ("ParallelScalingBlock", "DiffParallelScalingBlock"):
        a["num_heads"] = b.num_heads
        norm1 = b.in_norm
        a["qkv_bias"] = b.in_proj.bias is not None
        a["qk_norm"] = not isinstance(b.q_norm, nn.Identity)
        hidden = b.in_split[0]
        act = _act(b.mlp_act)
        mlp_kind = "Mlp"
        a["proj_bias"] = (b.attn_out_proj if hasattr(b, "attn_out_proj") else b.out_proj).bias is not None
        a["block_fn"] = "parallel_scaling" if bname == "ParallelScalingBlock" else "diff_parallel_scaling"
        a["init_values"] = b.ls.init_values if hasattr(b.ls, "gamma") else None
    elif bname == "ParallelThingsBlock":
        attn = b.attns[0].attn
        a["num_heads"] = attn.num_heads
        norm1 = b.attns[0].norm
        a["qkv_bias"] = attn.qkv.bias is not None
        hidden = b.ffns[0].mlp.fc1.out_features
        act = _act(b.ffns[0].mlp.act)
        mlp_kind = "Mlp"
        a["block_fn"] = f"parallel_things{len(b.attns)}"
        ls = b.attns[0].ls
        a["init_values"] = ls.init_values if hasattr(ls, "gamma") else None
    else:
        raise NotImplementedError(bname)
    ratio = hidden / m.embed_dim
    if mlp_kind == "SwiGLU" or int(m.embed_dim * ratio) != hidden:
        pass
    a["mlp_ratio"] = ratio if int(m.embed_dim * ratio) == hidden else (hidden + 0.5) / m.embed_dim
    assert int(m.embed_dim * a["mlp_ratio"]) == hidden, name
    if mlp_kind != "Mlp":
        a["mlp_layer"] = {"SwiGLU": "swiglu", "swiglu_packed": "swiglu_packed", "glu": "glu"}[mlp_kind]
    if act != "gelu":
        a["act_layer"] = act
    norm = _norm(norm1)
    if norm != "ln":
        a["norm_layer"] = norm
    a["class_token"] = m.has_class_token
    a["reg_tokens"] = m.num_reg_tokens
    a["no_embed_class"] = m.no_embed_class
    a["pos_embed"] = "none" if m.pos_embed is None else "learn"
    a["pre_norm"] = not isinstance(m.norm_pre, nn.Identity)
    a["global_pool"] = m.global_pool
    a["pool_include_prefix"] = m.pool_include_prefix
    a["dynamic_img_size"] = m.dynamic_img_size
    a["dynamic_img_pad"] = pe.dynamic_img_pad
    has_norm = not isinstance(m.norm, nn.Identity)
    has_fc_norm = not isinstance(m.fc_norm, nn.Identity)
    default_fc = m.global_pool in ("avg", "avgmax", "max")
    if has_fc_norm:
        a["fc_norm"] = None if default_fc else True
    else:
        a["fc_norm"] = None if not default_fc else False
        if not has_norm and not default_fc:
            a["final_norm"] = False
    if default_fc and not has_fc_norm and not has_norm:
        a["final_norm"] = False
    patch_bias = pe.proj.bias is not None
    a["patch_bias"] = None if patch_bias == (not a["pre_norm"]) else patch_bias
    if not isinstance(pe.norm, nn.Identity):
        a["embed_norm_layer"] = _norm(pe.norm)
    if m.attn_pool is not None:
        ap = m.attn_pool
        a["attn_pool_num_heads"] = ap.num_heads
        a["attn_pool_mlp_ratio"] = ap.mlp.fc1.out_features / ap.mlp.fc1.in_features
        assert int(ap.mlp.fc1.in_features * a["attn_pool_mlp_ratio"]) == ap.mlp.fc1.out_features, name
        assert _act(ap.mlp.act) == act, name
    out = {k: v for k, v in a.items() if k not in DEFAULTS or DEFAULTS[k] != v}
    return out


def main():
    module = sys.argv[1] if len(sys.argv) > 1 else "vision_transformer"
    for name in timm.list_models(module=module):
        row = derive(name)
        args = ", ".join(f"{k}={v!r}" for k, v in row.items())
        print(f'    "{name}": dict({args}),')


if __name__ == "__main__":
    main()
