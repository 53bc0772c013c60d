"""Fetching weights: Hugging Face Hub repos (``timm/<arch>.<tag>``), URLs and local folders.

The Hub goes through ``huggingface_hub`` so its cache, ``HF_HOME``/``HF_HUB_CACHE`` and
``HF_HUB_OFFLINE=1`` behave as users expect. A local folder of weights set in
``IMAGEMODELS_WEIGHTS_DIR`` is looked at first, so a machine with no network still loads by name.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Callable, Dict, Optional, Tuple, Union

import torch

from ._helpers import load_state_dict

__all__ = [
    "load_state_dict_from_hf", "load_state_dict_from_url", "find_local_weights", "load_model_config_from_hf",
    "load_model_config_from_path", "save_for_hf", "WEIGHT_FILES", "download_cached_file", "push_to_hf_hub",
    "generate_readme",
]

WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")  # preferred first
CONFIG_FILE = "config.json"
WEIGHTS_DIR_ENV = "IMAGEMODELS_WEIGHTS_DIR"


def _hf_download(repo_id: str, filename: str, revision: Optional[str] = None, cache_dir: Optional[str] = None) -> str:
    from huggingface_hub import hf_hub_download

    return hf_hub_download(repo_id, filename, revision=revision, cache_dir=cache_dir)


def _split_repo(hf_hub_id: str) -> Tuple[str, Optional[str]]:
    """``'timm/resnet50.a1_in1k@rev'`` -> repo and revision."""
    repo, _, revision = hf_hub_id.partition("@")
    return repo, revision or None


def load_state_dict_from_hf(
    hf_hub_id: str,
    filename: Optional[str] = None,
    weights_only: bool = True,
    cache_dir: Optional[str] = None,
    revision: Optional[str] = None,
) -> Dict[str, Any]:
    """Download (or find in the cache) a repo's weights: safetensors first, then ``pytorch_model.bin``."""
    from huggingface_hub.utils import EntryNotFoundError, LocalEntryNotFoundError

    repo, rev = _split_repo(hf_hub_id)
    revision = revision or rev
    candidates = (filename,) if filename else WEIGHT_FILES
    errors = []
    for name in candidates:
        try:
            path = _hf_download(repo, name, revision=revision, cache_dir=cache_dir)
        except (EntryNotFoundError, LocalEntryNotFoundError) as err:
            errors.append(f"{name}: {type(err).__name__}")
            continue
        return load_state_dict(path, use_ema=False, weights_only=weights_only)
    offline = os.environ.get("HF_HUB_OFFLINE", "0").lower() in ("1", "true", "yes")
    hint = (
        "HF_HUB_OFFLINE is set and the file is not in the local cache: download it once with network access, "
        f"or point {WEIGHTS_DIR_ENV} / pretrained_cfg_overlay=dict(file=...) at a local copy"
        if offline else "check the repo name and your network"
    )
    raise FileNotFoundError(f"no weights found in Hugging Face Hub repo '{repo}' ({'; '.join(errors)}); {hint}")


def load_state_dict_from_url(url: str, cache_dir: Optional[str] = None, progress: bool = False, check_hash: bool = False) -> Dict[str, Any]:
    """Weights at ``url`` through torch.hub's cache; ``check_hash`` verifies the hash prefix torch.hub
    reads from the file name (``name-<sha256 prefix>.pth``)."""
    model_dir = os.path.join(cache_dir, "checkpoints") if cache_dir else None
    return torch.hub.load_state_dict_from_url(
        url, model_dir=model_dir, map_location="cpu", weights_only=True, check_hash=check_hash, progress=progress)


def download_cached_file(url: str, check_hash: bool = False, progress: bool = False, cache_dir: Optional[str] = None) -> str:
    """The local path of ``url`` in torch.hub's checkpoint cache, downloading it the first time."""
    from urllib.parse import urlparse

    model_dir = os.path.join(cache_dir, "checkpoints") if cache_dir else os.path.join(torch.hub.get_dir(), "checkpoints")
    os.makedirs(model_dir, exist_ok=True)
    path = os.path.join(model_dir, os.path.basename(urlparse(url).path))
    if not os.path.exists(path):
        digest = None
        if check_hash:
            found = torch.hub.HASH_REGEX.search(os.path.basename(path))
            digest = found.group(1) if found else None
        torch.hub.download_url_to_file(url, path, digest, progress=progress)
    return path


def weights_in_folder(folder: str) -> Optional[str]:
    """The weight file inside a folder (``model.safetensors`` preferred), or None."""
    for name in WEIGHT_FILES:
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            return path
    return None


def find_local_weights(model_name_with_tag: str) -> Optional[str]:
    """Weights for ``arch.tag`` in ``$IMAGEMODELS_WEIGHTS_DIR``, as ``<dir>/<arch.tag>/model.safetensors``
    (the layout of a downloaded Hub repo) or ``<dir>/<arch.tag>.safetensors``."""
    root = os.environ.get(WEIGHTS_DIR_ENV)
    if not root:
        return None
    folder = os.path.join(root, model_name_with_tag)
    if os.path.isdir(folder):
        found = weights_in_folder(folder)
        if found:
            return found
    for ext in (".safetensors", ".bin", ".pth"):
        path = os.path.join(root, model_name_with_tag + ext)
        if os.path.isfile(path):
            return path
    return None


def _read_config(path: str) -> Tuple[Dict[str, Any], str, Dict[str, Any]]:
    with open(path, encoding="utf-8") as f:
        config = json.load(f)
    if "architecture" not in config:
        raise ValueError(f"{path} has no 'architecture' entry; it is not a model config written by imagemodels or timm")
    pretrained_cfg = dict(config.get("pretrained_cfg", {}))
    for key in ("num_classes", "label_names", "label_descriptions"):
        if key in config:
            pretrained_cfg[key] = config[key]
    model_args = dict(config.get("model_args", {}))
    if "num_classes" in config:
        model_args.setdefault("num_classes", config["num_classes"])
    return pretrained_cfg, config["architecture"], model_args


def load_model_config_from_hf(hf_hub_id: str, cache_dir: Optional[str] = None) -> Tuple[Dict[str, Any], str, Dict[str, Any]]:
    """(pretrained cfg, architecture, model args) from a Hub repo's ``config.json``; the cfg points at the repo."""
    repo, revision = _split_repo(hf_hub_id)
    path = _hf_download(repo, CONFIG_FILE, revision=revision, cache_dir=cache_dir)
    pretrained_cfg, arch, model_args = _read_config(path)
    pretrained_cfg["hf_hub_id"] = hf_hub_id
    pretrained_cfg["source"] = "hf-hub"
    return pretrained_cfg, arch, model_args


def load_model_config_from_path(folder: str) -> Tuple[Dict[str, Any], str, Dict[str, Any]]:
    """Same as :func:`load_model_config_from_hf` for a local folder holding config.json and weights."""
    config_path = os.path.join(folder, CONFIG_FILE)
    if not os.path.isfile(config_path):
        raise FileNotFoundError(f"'{folder}' has no {CONFIG_FILE}; write one with imagemodels.models.save_for_hf(model, folder)")
    pretrained_cfg, arch, model_args = _read_config(config_path)
    weights = weights_in_folder(folder)
    if weights is None:
        raise FileNotFoundError(f"'{folder}' has no {' or '.join(WEIGHT_FILES)}")
    pretrained_cfg["file"] = weights
    pretrained_cfg["source"] = "file"
    return pretrained_cfg, arch, model_args


def save_for_hf(
    model: torch.nn.Module,
    save_directory: str,
    model_config: Optional[Dict[str, Any]] = None,
    model_args: Optional[Dict[str, Any]] = None,
    safe_serialization: Union[bool, str] = True,
    data_config: Optional[Dict[str, Any]] = None,
) -> None:
    """Write ``config.json`` and the weights in the Hub repo layout the reference uses.

    ``model_config`` entries (e.g. ``label_names``) go to the top level of config.json; ``data_config``
    (``input_size``, ``mean``, ``crop_pct``, ...) overrides the preprocessing in its ``pretrained_cfg``.
    ``safe_serialization``: True writes ``model.safetensors``, False ``pytorch_model.bin``, ``'both'`` both.
    Safetensors is the default here (the reference defaults to the pickle-based ``.bin``).
    """
    if safe_serialization not in (True, False, "both"):
        raise ValueError(f"safe_serialization must be True, False or 'both', got {safe_serialization!r}")
    folder = Path(save_directory)
    folder.mkdir(parents=True, exist_ok=True)
    tensors = {k: v.detach().contiguous() for k, v in model.state_dict().items()}
    if safe_serialization in (True, "both"):
        from safetensors.torch import save_file

        _atomic_write(folder / "model.safetensors", lambda tmp: save_file(tensors, str(tmp)))
    if safe_serialization in (False, "both"):
        _atomic_write(folder / "pytorch_model.bin", lambda tmp: torch.save(tensors, str(tmp)))
    config = _hf_config(model, model_config, model_args, data_config)
    _atomic_write(folder / CONFIG_FILE,
                  lambda tmp: tmp.write_text(json.dumps(config, indent=2, default=list), encoding="utf-8"))


def _atomic_write(path: Path, write: Callable[[Path], Any]) -> None:
    """Write through a temporary file and rename: a crash never leaves half a file under ``path``."""
    tmp = path.with_name(path.name + ".tmp")
    write(tmp)
    os.replace(tmp, path)


_OWN_CFG_KEYS = ("top1", "hf_hub_revision")  # our PretrainedCfg fields the reference does not have


def _hf_config(model: torch.nn.Module, model_config: Optional[Dict[str, Any]], model_args: Optional[Dict[str, Any]],
               data_config: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    cfg = getattr(model, "pretrained_cfg", None)
    cfg_dict = cfg.to_dict(remove_source=True) if hasattr(cfg, "to_dict") else dict(cfg or {})
    arch = cfg_dict.pop("architecture", None) or type(model).__name__.lower()
    cfg_dict.pop("tag", None)
    for key in _OWN_CFG_KEYS:  # the reference's PretrainedCfg rejects keys it does not know
        cfg_dict.pop(key, None)
    num_classes = getattr(model, "num_classes", cfg_dict.get("num_classes"))
    cfg_dict["num_classes"] = num_classes
    cfg_dict.update(data_config or {})
    config = {"architecture": arch, "num_classes": num_classes, "num_features": getattr(model, "num_features", None),
              "pretrained_cfg": cfg_dict}
    if model_args:
        config["model_args"] = model_args
    config.update(model_config or {})
    return config


def generate_readme(model_card: Dict[str, Any], model_name: str, task_name: str = "image-classification") -> str:
    """A Hub model card: YAML front matter (tags, license) then the ``details`` as a list."""
    lines = ["---", "tags:", f"- {task_name}", "- timm", f"pipeline_tag: {task_name}", "library_name: timm",
             f"license: {model_card.get('license', 'apache-2.0')}", "---", f"# Model card for {model_name}"]
    if model_card.get("description"):
        lines += ["", model_card["description"]]
    if model_card.get("details"):
        lines += ["", "## Model Details"] + [f"- **{k}:** {v}" for k, v in model_card["details"].items()]
    if model_card.get("citation"):
        lines += ["", "## Citation", "```bibtex", str(model_card["citation"]), "```"]
    return "\n".join(lines) + "\n"


def push_to_hf_hub(
    model: torch.nn.Module,
    repo_id: str,
    commit_message: str = "Add model",
    token: Optional[str] = None,
    revision: Optional[str] = None,
    private: bool = False,
    create_pr: bool = False,
    model_config: Optional[dict] = None,
    model_card: Optional[dict] = None,
    model_args: Optional[dict] = None,
    task_name: str = "image-classification",
    safe_serialization: Union[bool, str] = "both",
    data_config: Optional[dict] = None,
):
    """Upload what :func:`save_for_hf` writes (plus a README model card when the repo has none) to a
    Hugging Face Hub model repo, creating the repo if needed; returns ``HfApi.upload_folder``'s result."""
    from tempfile import TemporaryDirectory

    from huggingface_hub import HfApi

    api = HfApi(token=token)
    repo_url = api.create_repo(repo_id, token=token, private=private, exist_ok=True)
    repo_id = getattr(repo_url, "repo_id", None) or repo_id
    has_readme = _repo_has_file(api, repo_id, "README.md", revision)
    with TemporaryDirectory() as tmp_dir:
        save_for_hf(model, tmp_dir, model_config=model_config, model_args=model_args,
                    safe_serialization=safe_serialization, data_config=data_config)
        if not has_readme:
            card = dict(model_card or {})
            card.setdefault("details", {"Params (M)": round(sum(p.numel() for p in model.parameters()) / 1e6, 1)})
            Path(tmp_dir, "README.md").write_text(generate_readme(card, repo_id, task_name), encoding="utf-8")
        return api.upload_folder(repo_id=repo_id, folder_path=tmp_dir, revision=revision, create_pr=create_pr,
                                 commit_message=commit_message, token=token)


def _repo_has_file(api: Any, repo_id: str, filename: str, revision: Optional[str]) -> bool:
    from huggingface_hub.utils import EntryNotFoundError, RepositoryNotFoundError

    try:
        return api.file_exists(repo_id, filename, revision=revision)
    except (EntryNotFoundError, RepositoryNotFoundError):
        return False
