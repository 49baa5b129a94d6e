"""The repository's Markdown files outside docs/ that the site shows (mkdocs hook).

The README (its Quick start and tour), the benchmarks' README and the changelog
live where GitHub shows them, and docs/ links to them there
(``../README.md#quick-start``). mkdocs.yml loads this hook, which adds them to
the site as pages (``readme.md``, ``benchmarks.md``, ``changelog.md``) and
rewrites, at build time only, each relative link between them and docs/ to the
page it becomes. The Markdown sources keep links that work on GitHub.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

# Repository path -> the page's path in the site's docs.
PAGES = {
    "README.md": "readme.md",
    "benchmarks/README.md": "benchmarks.md",
    "CHANGELOG.md": "changelog.md",
}

# [text](target) or [text](target#anchor); absolute URLs and bare anchors are
# left alone by _site_target.
_LINK = re.compile(r"\]\((?P<target>[^)\s#]+)(?P<anchor>#[^)\s]*)?\)")


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    """Adds the pages of PAGES to the site."""
    root = _root(config)
    for source, page in PAGES.items():
        text = (root / source).read_text(encoding="utf-8")
        markdown = _rewrite_links(text, source, page)
        files.append(File.generated(config, page, content=markdown))
    return files


def on_page_markdown(
    markdown: str, *, page: Page, config: MkDocsConfig, files: Files
) -> str:
    """Points the links of a page of docs/ to PAGES at the pages they became."""
    if page.file.generated_by is not None:
        return markdown  # one of PAGES, rewritten when it was read
    return _rewrite_links(markdown, f"docs/{page.file.src_uri}", page.file.src_uri)


def _root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


def _rewrite_links(markdown: str, source: str, page: str) -> str:
    """`markdown`, read at `source` in the repository, as the site's `page`."""

    def replace(match: re.Match[str]) -> str:
        target = _site_target(match["target"], source)
        if target is None:
            return match[0]
        relative = posixpath.relpath(target, posixpath.dirname(page) or ".")
        return f"]({relative}{match['anchor'] or ''})"

    return _LINK.sub(replace, markdown)


def _site_target(target: str, source: str) -> str | None:
    """The docs path of the repository file `target` links to from `source`."""
    if "://" in target or target.startswith(("/", "mailto:")):
        return None
    linked = posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
    if linked in PAGES:
        return PAGES[linked]
    if linked.startswith("docs/") and not source.startswith("docs/"):
        return linked.removeprefix("docs/")
    return None
