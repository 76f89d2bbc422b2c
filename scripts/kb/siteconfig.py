"""The site's configuration: ``mkdocs.yml`` (and an edition's file that ``INHERIT``s it), read as
MkDocs reads it, and the engine configuration the docs tree carries for each edition.

The files at the repository's root are the *source* configuration, written by hand. The engine
configuration (``build/tree/<edition>/mkdocs.yml``) is generated from it: flat (no ``INHERIT``),
every ``!ENV`` resolved, the edition's address and interface strings filled in, so that any
engine that reads MkDocs' format (MkDocs, ProperDocs, Zensical) builds the same site from it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from kb.i18n import EDITIONS, Edition

SOURCE_CONFIGS: dict[str, str] = {"en": "mkdocs.yml", "ja": "mkdocs.ja.yml"}
"""The hand-written configuration of each edition; the English one is the site root."""

ENGINE_CONFIG = "mkdocs.yml"
"""The engine configuration's name in each edition's folder of the tree."""

# Keys of the source configuration that only make sense at the repository's root: the tree
# replaces them (docs_dir, the hook), or has no use for them (serving is ours: watch).
_SOURCE_ONLY = ("INHERIT", "docs_dir", "hooks", "watch", "exclude_docs")


class ConfigError(Exception):
    """A source configuration that cannot be read; the message says where (``file:line:col``)."""


class _Loader(yaml.SafeLoader):
    """MkDocs' YAML: ``!ENV`` resolved from the environment; Python tags refused (the engine
    configuration is plain YAML, which Zensical reads too)."""


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    """``!ENV NAME`` or ``!ENV [NAME, OTHER, default]``: the first variable set, else the default.

    The semantics of pyyaml_env_tag, which MkDocs uses for the same tag.
    """
    default: object = None
    if isinstance(node, yaml.ScalarNode):
        names = [node]
    elif isinstance(node, yaml.SequenceNode):
        names = node.value
        if len(names) > 1:
            default, names = loader.construct_object(names[-1]), names[:-1]
    else:
        raise yaml.constructor.ConstructorError(
            None, None, "!ENV expects a name or a list of names", node.start_mark
        )
    for name in (str(loader.construct_scalar(n)) for n in names):
        if name in os.environ:
            value = os.environ[name]  # typed like any YAML scalar, as MkDocs does
            tag = loader.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
            return loader.construct_object(yaml.ScalarNode(tag, value))
    return default


def _refuse(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> object:
    raise yaml.constructor.ConstructorError(
        None, None, f"unsupported tag {node.tag!r}: write the value itself", node.start_mark
    )


_Loader.add_constructor("!ENV", _env_tag)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _refuse)


def merge(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """``child`` over ``parent`` as MkDocs' ``INHERIT`` merges them: mappings key by key, any
    other value (a list too) replaced whole."""
    merged = dict(parent)
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def read_config(root: Path, name: str) -> dict[str, Any]:
    """The source configuration ``root/name``, with its ``INHERIT`` chain merged in."""
    chain: list[dict[str, Any]] = []
    current: str | None = name
    while current:
        path = root / current
        try:
            layer = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) or {}
        except OSError as exc:
            raise ConfigError(
                f"{current}: cannot read the configuration ({exc.strerror})"
            ) from None
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            where = f"{current}:{mark.line + 1}:{mark.column + 1}" if mark else current
            raise ConfigError(f"{where}: {exc.problem or exc.context}") from None
        if not isinstance(layer, dict):
            raise ConfigError(f"{current}:1:1: expected a mapping of settings")
        chain.append(layer)
        inherit = layer.get("INHERIT")
        current = str(Path(current).parent / inherit) if inherit else None
    config: dict[str, Any] = {}
    for layer in reversed(chain):
        config = merge(config, layer)
    config.pop("INHERIT", None)
    return config


def edition_of(config: dict[str, Any]) -> Edition:
    """The edition a configuration builds: its theme's language (mkdocs.ja.yml sets ``ja``)."""
    language = (config.get("theme") or {}).get("language", "en")
    return EDITIONS.get(language, EDITIONS["en"])


def root_url(config: dict[str, Any]) -> str:
    """The site's root address (where the English edition lives), from ``site_url``."""
    url = str(config.get("site_url") or "/")
    return url if url.endswith("/") else url + "/"


def edit_url(config: dict[str, Any], path: str) -> str:
    """The "edit" link of a file of the repository, as MkDocs joins ``repo_url`` and ``edit_uri``
    (an empty text when the site has no repository)."""
    repo = str(config.get("repo_url") or "")
    uri = config.get("edit_uri")
    if not repo or uri == "":
        return ""
    if uri is None:  # MkDocs' default for GitHub and GitLab repositories
        uri = "edit/master/" if "github.com" in repo or "gitlab.com" in repo else ""
        if not uri:
            return ""
    repo = repo if repo.endswith("/") else repo + "/"
    return repo + str(uri).lstrip("/") + path


def engine_config(source: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """The engine configuration of an edition, from its source configuration.

    The edition's own address is the root's plus its prefix (``…/ja/``). ``extra`` joins the
    theme's ``extra`` settings (interface strings, the editions, the feed). Edit links come from
    each page's front matter (``kb_edit``), so the engine's own ``edit_uri`` is switched off.
    """
    edition = edition_of(source)
    config = {k: v for k, v in source.items() if k not in _SOURCE_ONLY}
    config["site_url"] = root_url(source) + edition.prefix
    config["docs_dir"] = "docs"
    config["edit_uri"] = ""
    theme = dict(config.get("theme") or {})
    if theme.get("custom_dir"):
        theme["custom_dir"] = "../overrides"
    config["theme"] = theme
    config["extra"] = {**(config.get("extra") or {}), **extra}
    return config


def dump_config(config: dict[str, Any], header: str) -> str:
    """The engine configuration as YAML text, after a comment saying where it comes from."""
    body = yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=100)
    return "".join(f"# {line}\n" for line in header.splitlines()) + body
