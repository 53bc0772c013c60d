"""Model names -> entry points, with wildcard listing that never imports a model module.

Two sources feed the index:

* the generated manifest (``_manifest.py``): every built-in model, its module and its weight tags,
  so ``list_models`` answers without importing any family;
* :func:`register_model`, called when a family module is imported (built-in or third party); it
  adds the callable entry point and the full :class:`PretrainedCfg` of each tag.

Asking for an entry point or a pretrained cfg imports the family module on demand.
"""
from __future__ import annotations

import difflib
import fnmatch
import importlib
import re
import sys
import warnings
from collections import defaultdict
from copy import deepcopy
from dataclasses import replace
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Set, Tuple, Union

from ._pretrained import DefaultCfg, PretrainedCfg, split_model_name_tag

__all__ = [
    "register_model", "register_variants", "list_models", "list_pretrained", "is_model", "is_model_pretrained",
    "model_entrypoint", "list_modules", "is_model_in_modules", "get_pretrained_cfg", "get_pretrained_cfg_value",
    "get_arch_name", "get_arch_pretrained_cfgs", "split_model_name_tag", "UnknownModelError",
    "register_model_deprecations", "get_deprecated_models",
]

_PACKAGE = __name__.rsplit(".", 1)[0]  # 'imagemodels.models'


class UnknownModelError(RuntimeError, KeyError):
    """Raised for a model name no registered family knows. A RuntimeError (as the reference raises)
    and a KeyError (it is a failed lookup), so either ``except`` catches it."""

    def __str__(self) -> str:  # KeyError would otherwise quote the whole message
        return str(self.args[0]) if self.args else ""


class _Index:
    """Everything the listing functions need, as plain sets and dicts."""

    def __init__(self) -> None:
        self.entrypoints: Dict[str, Callable] = {}  # only models whose module has been imported
        self.model_to_module: Dict[str, str] = {}
        self.module_to_models: Dict[str, Set[str]] = defaultdict(set)
        self.with_tags: Dict[str, List[str]] = defaultdict(list)  # arch -> ['arch.tag', ...]
        self.has_pretrained: Set[str] = set()  # 'arch' and 'arch.tag' names that have weights
        self.cfg_names: Set[str] = set()  # every name with a pretrained cfg ('arch' and 'arch.tag')
        self.default_cfgs: Dict[str, DefaultCfg] = {}  # arch -> all its tags (imported modules only)
        self.pretrained_cfgs: Dict[str, PretrainedCfg] = {}  # name -> cfg (imported modules only)
        self.module_file: Dict[str, str] = {}  # module -> import path, for manifest entries
        self.deprecated: Dict[str, Tuple[str, str]] = {}  # old name -> (module, 'arch' or 'arch.tag' it became)

    def add(self, arch: str, module: str, tags: Sequence[str], weighted: Iterable[str], import_path: str) -> None:
        """Index one architecture; ``tags`` are in order, the first being the default."""
        weighted = set(weighted)
        self.model_to_module[arch] = module
        self.module_to_models[module].add(arch)
        self.module_file[module] = import_path
        names = []
        for i, tag in enumerate(tags):
            full = f"{arch}.{tag}" if tag else arch
            if i == 0:
                self.cfg_names.add(arch)
                if tag in weighted:
                    self.has_pretrained.add(arch)
            if tag:
                self.cfg_names.add(full)
                if tag in weighted:
                    self.has_pretrained.add(full)
            names.append(full)
        self.with_tags[arch] = names


_index: Optional[_Index] = None


def _get_index() -> _Index:
    global _index
    if _index is None:
        _index = _Index()
        from . import _manifest  # generated: arch -> (module, tags, tags with weights); old names

        for arch, (module, tags, weighted) in _manifest.MODELS.items():
            _index.add(arch, module, tags, weighted, f"{_PACKAGE}.{module}")
        _index.deprecated.update(getattr(_manifest, "DEPRECATED", {}))  # absent while the manifest is rebuilt
    return _index


def _natural_key(string_: str) -> List[Union[int, str]]:
    return [int(s) if s.isdigit() else s for s in re.split(r"(\d+)", string_.lower())]


# --- registration -------------------------------------------------------------------------------

def register_model(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Register an entry point ``fn(pretrained=False, **kwargs)`` under ``fn.__name__``.

    The weight tags come from a ``default_cfgs`` dict (see ``generate_default_cfgs``) defined in the
    same module before the registration runs.
    """
    index = _get_index()
    mod = sys.modules[fn.__module__]
    module_name = fn.__module__.split(".")[-1]
    model_name = fn.__name__

    if hasattr(mod, "__all__"):
        mod.__all__.append(model_name)
    else:
        mod.__all__ = [model_name]

    default_cfg = getattr(mod, "default_cfgs", {}).get(model_name)
    if default_cfg is None:
        # a model with no declared weights still has a cfg, so preprocessing can be resolved
        default_cfg = DefaultCfg(tags=[""], cfgs={"": PretrainedCfg()})  # type: ignore[arg-type]

    weighted = []
    for tag in default_cfg.tags:
        cfg = default_cfg.cfgs[tag]
        full = f"{model_name}.{tag}" if tag else model_name
        updates: Dict[str, Any] = dict(architecture=model_name, tag=tag or None)
        if cfg.hf_hub_id == "timm/":  # shorthand: the weights live in the repo named after the model
            updates["hf_hub_id"] = "timm/" + full
        cfg = replace(cfg, **updates)
        default_cfg.cfgs[tag] = cfg
        if cfg.has_weights:
            weighted.append(tag)
        index.pretrained_cfgs[full] = cfg
        if tag == default_cfg.tags[0]:
            index.pretrained_cfgs[model_name] = cfg

    index.entrypoints[model_name] = fn
    index.default_cfgs[model_name] = default_cfg
    index.add(model_name, module_name, list(default_cfg.tags), weighted, fn.__module__)
    return fn


def register_variants(
    variants: Dict[str, Dict[str, Any]],
    create_fn: Callable[..., Any],
    namespace: Dict[str, Any],
) -> None:
    """Register one entry point per row of a variant table.

    ``variants`` maps a model name to the keyword arguments that define it; each entry point calls
    ``create_fn(name, pretrained, **variant_kwargs, **user_kwargs)`` (user keywords win). The entry
    points are also set in ``namespace`` (the family module's ``globals()``) so
    ``from imagemodels.models.resnet import resnet50`` works.
    """
    for name, model_args in variants.items():
        def entrypoint(pretrained: bool = False, __name=name, __args=model_args, **kwargs: Any) -> Any:
            return create_fn(__name, pretrained, **dict(__args, **kwargs))

        entrypoint.__name__ = entrypoint.__qualname__ = name
        entrypoint.__module__ = namespace["__name__"]
        entrypoint.__doc__ = f"{name}: {_describe(model_args)}"
        namespace[name] = entrypoint
        register_model(entrypoint)


def register_model_deprecations(module_name: str, deprecations: Dict[str, str]) -> None:
    """Keep old model names working: ``{'old_name': 'arch.tag'}`` (or ``'arch'``).

    ``create_model('old_name')`` builds ``arch`` with that tag's weights and warns once per call;
    ``is_model`` knows the old name, ``list_models`` does not list it. A tag given with the old name
    (``'old_name.other_tag'``) wins over the mapped one. Each family module calls this with its own
    table, as the weights of a renamed model are still published under the new name.
    """
    index = _get_index()
    module = module_name.split(".")[-1]
    namespace = vars(sys.modules[module_name]) if module_name in sys.modules else {}
    for old, current in deprecations.items():
        if get_arch_name(current) not in index.model_to_module:
            raise ValueError(f"deprecated name '{old}' maps to '{current}', which no family registers")
        index.deprecated[old] = (module, current)
        namespace.setdefault(old, _deprecated_entrypoint(old, current))


def get_deprecated_models(module: str = "") -> Dict[str, str]:
    """Old model names and what they map to now (``'arch.tag'`` or ``'arch'``), optionally for one module."""
    return {old: current for old, (mod, current) in sorted(_get_index().deprecated.items())
            if not module or mod == module}


def resolve_deprecated_name(model_name: str) -> str:
    """``model_name`` with an old architecture name replaced by the current one (with a warning)."""
    arch, tag = split_model_name_tag(model_name)
    entry = _get_index().deprecated.get(arch)
    if entry is None:
        return model_name
    current = entry[1]
    current_arch, current_tag = split_model_name_tag(current)
    resolved = f"{current_arch}.{tag}" if tag else current
    warnings.warn(f"'{arch}' is an old name of '{current}'; building '{resolved}'. "
                  f"Use the new name to silence this warning.", UserWarning, stacklevel=3)
    return resolved


def _deprecated_entrypoint(old: str, current: str) -> Callable[..., Any]:
    """An entry point under the old name: builds the current one with the mapped tag."""

    def entrypoint(pretrained: bool = False, **kwargs: Any) -> Any:
        arch, tag = split_model_name_tag(resolve_deprecated_name(old))
        if tag and kwargs.get("pretrained_cfg") is None:
            kwargs["pretrained_cfg"] = tag
        return model_entrypoint(arch)(pretrained=pretrained, **kwargs)

    entrypoint.__name__ = entrypoint.__qualname__ = old
    entrypoint.__doc__ = f"{old}: old name of {current}"
    return entrypoint


def _describe(model_args: Dict[str, Any]) -> str:
    parts = []
    for key, value in model_args.items():
        value = getattr(value, "__name__", value)
        parts.append(f"{key}={value}")
    return ", ".join(parts)


# --- listing (manifest only, no imports) --------------------------------------------------------

def _as_list(filters: Union[str, Sequence[str], None]) -> List[str]:
    if not filters:
        return []
    return [filters] if isinstance(filters, str) else list(filters)


def list_models(
    filter: Union[str, Sequence[str]] = "",
    module: Union[str, Sequence[str]] = "",
    pretrained: bool = False,
    exclude_filters: Union[str, Sequence[str]] = "",
    name_matches_cfg: bool = False,
    include_tags: Optional[bool] = None,
) -> List[str]:
    """Model names matching wildcard filters, in natural sort order.

    ``pretrained=True`` lists only names with weights and, unless ``include_tags=False``, expands
    each architecture into its ``arch.tag`` names.
    """
    index = _get_index()
    include_filters = _as_list(filter)
    exclude = _as_list(exclude_filters)
    if include_tags is None:
        include_tags = pretrained

    if module:
        names: Set[str] = set()
        for m in _as_list(module):
            names |= index.module_to_models.get(m, set())
    else:
        names = set(index.model_to_module)

    if include_tags:
        names = {full for arch in names for full in index.with_tags[arch]}
        # a filter with no tag part also matches architectures: 'resnet50' means every 'resnet50.<tag>',
        # while a wildcard may still reach into the tag ('*_in22k*' matches 'deit3_base_patch16_224.fb_in22k_ft_in1k')
        include_filters = [g for f in include_filters for g in ((f,) if "." in f else (f, f + ".*"))]
        exclude = [g for f in exclude for g in ((f,) if "." in f else (f, f + ".*"))]

    if include_filters:
        matched: Set[str] = set()
        for f in include_filters:
            matched.update(fnmatch.filter(names, f))
        names = matched
    for f in exclude:
        names -= set(fnmatch.filter(names, f))
    if pretrained:
        names &= index.has_pretrained
    if name_matches_cfg:
        names &= index.cfg_names
    return sorted(names, key=_natural_key)


def list_pretrained(filter: Union[str, Sequence[str]] = "", exclude_filters: Union[str, Sequence[str]] = "") -> List[str]:
    """Every ``arch.tag`` name with weights matching the filters."""
    return list_models(filter=filter, pretrained=True, exclude_filters=exclude_filters, include_tags=True)


def get_arch_name(model_name: str) -> str:
    return split_model_name_tag(model_name)[0]


def is_model(model_name: str) -> bool:
    """True if the architecture of ``model_name`` (tag ignored) is known, under its name or an old one."""
    arch = get_arch_name(model_name)
    index = _get_index()
    return arch in index.model_to_module or arch in index.deprecated


def is_model_pretrained(model_name: str) -> bool:
    return model_name in _get_index().has_pretrained


def list_modules() -> List[str]:
    return sorted(_get_index().module_to_models)


def is_model_in_modules(model_name: str, module_names: Iterable[str]) -> bool:
    arch = get_arch_name(model_name)
    return any(arch in _get_index().module_to_models.get(m, ()) for m in module_names)


def suggest(model_name: str, n: int = 5) -> List[str]:
    """The known names closest to a misspelt one."""
    arch = get_arch_name(model_name)
    return difflib.get_close_matches(arch, list(_get_index().model_to_module), n=n, cutoff=0.6)


def unknown_model_error(model_name: str) -> UnknownModelError:
    close = suggest(model_name)
    hint = f"; did you mean: {', '.join(close)}?" if close else "; see imagemodels.list_models() for every name"
    return UnknownModelError(f"unknown model '{model_name}'{hint}")


# --- lookups that import the family module ------------------------------------------------------

def _import_family(arch: str) -> None:
    index = _get_index()
    if arch in index.entrypoints:
        return
    module = index.model_to_module.get(arch)
    if module is None:
        raise unknown_model_error(arch)
    importlib.import_module(index.module_file[module])
    if arch not in index.entrypoints:
        raise RuntimeError(
            f"module '{module}' did not register '{arch}'; the model manifest is stale, "
            f"regenerate it with: python -m imagemodels.models._manifest_build"
        )


def model_entrypoint(model_name: str, module_filter: Optional[str] = None) -> Callable[..., Any]:
    """The callable that builds ``model_name`` (tag ignored); an old name gets one that maps it."""
    arch = get_arch_name(model_name)
    entry = _get_index().deprecated.get(arch)
    if entry is not None:
        if module_filter and entry[0] != module_filter:
            raise RuntimeError(f"model '{arch}' is not in module '{module_filter}'")
        return _deprecated_entrypoint(arch, entry[1])
    if module_filter and arch not in _get_index().module_to_models.get(module_filter, ()):
        raise RuntimeError(f"model '{arch}' is not in module '{module_filter}'")
    _import_family(arch)
    return _get_index().entrypoints[arch]


def get_pretrained_cfg(model_name: str, allow_unregistered: bool = True) -> Optional[PretrainedCfg]:
    """The weight metadata of ``arch.tag`` (or the default tag of ``arch``), as a copy."""
    arch, tag = split_model_name_tag(model_name)
    if not is_model(arch):
        if allow_unregistered:
            return None
        raise unknown_model_error(model_name)
    _import_family(arch)
    index = _get_index()
    if model_name in index.pretrained_cfgs:
        return deepcopy(index.pretrained_cfgs[model_name])
    tags = [t for t in index.default_cfgs[arch].tags if t]
    raise RuntimeError(f"invalid pretrained tag '{tag}' for {arch}; its tags are: {', '.join(tags) or '(none)'}")


def get_pretrained_cfg_value(model_name: str, cfg_key: str) -> Any:
    cfg = get_pretrained_cfg(model_name, allow_unregistered=False)
    return getattr(cfg, cfg_key, None)


def get_arch_pretrained_cfgs(model_name: str) -> Dict[str, PretrainedCfg]:
    arch = get_arch_name(model_name)
    _import_family(arch)
    default_cfg = _get_index().default_cfgs[arch]
    return {f"{arch}.{t}" if t else arch: deepcopy(default_cfg.cfgs[t]) for t in default_cfg.tags}


def registered_default_cfg(arch: str) -> DefaultCfg:
    _import_family(arch)
    return _get_index().default_cfgs[arch]


def manifest_rows() -> Dict[str, Tuple[str, Tuple[str, ...], Tuple[str, ...]]]:
    """The manifest as it would be written from the modules imported now."""
    index = _get_index()
    rows = {}
    for arch in sorted(index.default_cfgs, key=_natural_key):
        default_cfg = index.default_cfgs[arch]
        if not index.module_file[index.model_to_module[arch]].startswith(_PACKAGE + "."):
            continue  # third-party registrations never go into our manifest
        tags = tuple(default_cfg.tags)
        weighted = tuple(t for t in tags if default_cfg.cfgs[t].has_weights)
        rows[arch] = (index.model_to_module[arch], tags, weighted)
    return rows


def manifest_deprecations() -> Dict[str, Tuple[str, str]]:
    """Old name -> (module, current name), as registered by the built-in families imported now."""
    index = _get_index()
    return {old: entry for old, entry in sorted(index.deprecated.items(), key=lambda kv: _natural_key(kv[0]))
            if index.module_file.get(entry[0], "").startswith(_PACKAGE + ".")}
