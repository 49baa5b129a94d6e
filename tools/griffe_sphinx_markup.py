"""Reads kamcore's docstrings and attrs classes for the mkdocs site.

kamcore's docstrings are Google/Napoleon style with Sphinx roles, as in attrs
(STYLE.md): ``:class:`~kamcore.kernel.Money```, ``.. versionadded:: 0.2``,
``Example:`` sections of doctests. mkdocstrings reads Markdown, where that
markup would show verbatim. This Griffe extension (mkdocs.yml loads it) rewrites
the docstrings of the loaded package before they are rendered, the sources
untouched:

* a role becomes a link to the object's entry in the API reference, found the
  way Sphinx finds it (a full path, or a name in the scope of the docstring's
  object); an object the reference does not show (private, not exported) is
  written as code, without a link and without a warning;
* ``.. versionadded::`` and ``.. versionchanged::`` become a line in italics;
* a literal block (a paragraph ending in ``::``, then an indented block)
  becomes a fenced code block after a paragraph ending in ``:``, as Sphinx
  shows it;
* ``Example:`` is read as Napoleon reads it, the same section as ``Examples:``
  (Griffe would take it for a note, and the doctest output ``['a', 'b']`` for
  Markdown links).

And an attrs class gets the ``__init__`` attrs generates, so the reference shows
its constructor (``PriceList(*, id, name, currency, kind, items=(), version=0)``)
and Griffe checks the ``Args:`` of its docstring against it. Griffe reads
source, where that method is not written; it is read from the class imported
from the sources being documented (importing kamcore has no side effects:
STYLE.md). A class whose module cannot be imported, for want of an extra, keeps
no signature.
"""

from __future__ import annotations

import ast
import html
import inspect
import re
import sys
import textwrap
from pathlib import Path
from typing import Any

import attrs
import griffe

# :role:`target`, :role:`~target`, :role:`!target`, :role:`title <target>`.
_ROLE = re.compile(
    r":(?P<role>class|func|meth|attr|data|exc|obj|const|mod):"
    r"`(?:(?P<title>[^`<]+?)\s*<(?P<titled>[^`>]+)>|(?P<target>[^`\s]+))`"
)
_CALLABLE_ROLES = frozenset({"func", "meth"})
_VERSION_DIRECTIVE = re.compile(
    r"^(?P<indent>[ \t]*)\.\. version(?P<kind>added|changed)::[ \t]*(?P<version>.*)$"
    r"(?P<body>(?:\n(?P=indent)[ \t]+\S.*)*)",
    re.MULTILINE,
)
_EXAMPLE_SECTION = re.compile(r"^(?P<indent>[ \t]*)Example:[ \t]*$", re.MULTILINE)


class SphinxMarkup(griffe.Extension):
    """Rewrites the docstrings and completes the attrs classes of a package."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        """Rewrites `pkg` and everything it holds."""
        # Classes are imported from the sources being documented (src/), not
        # from a copy of kamcore installed earlier.
        init = pkg.filepath if isinstance(pkg.filepath, Path) else None
        sources = [init.parent.parent] if init is not None else []
        _rewrite_tree(pkg, [*sources, *sys.path])


def _rewrite_tree(obj: griffe.Object, import_paths: list[str | Path]) -> None:
    if obj.docstring is not None:
        obj.docstring.value = rewrite(obj.docstring.value, obj)
    if isinstance(obj, griffe.Class) and "__init__" not in obj.members:
        _add_attrs_init(obj, import_paths)
    # An alias's docstring is its target's, rewritten where it is defined.
    for member in list(obj.members.values()):
        if isinstance(member, griffe.Object):
            _rewrite_tree(member, import_paths)


def rewrite(text: str, scope: griffe.Object) -> str:
    """The docstring `text` of `scope`, its Sphinx markup written as Markdown."""
    text = _EXAMPLE_SECTION.sub(r"\g<indent>Examples:", text)
    text = _VERSION_DIRECTIVE.sub(_version_note, text)
    text = _fence_literal_blocks(text)
    return _ROLE.sub(lambda match: _role_link(match, scope), text)


def _fence_literal_blocks(text: str) -> str:
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.rstrip()
        if not (
            stripped.endswith("::")
            and not stripped.endswith(":::")
            and i + 2 < len(lines)
            and not lines[i + 1].strip()
        ):
            out.append(line)
            i += 1
            continue
        indent = _indent(line)
        end = i + 2
        block: list[str] = []
        while end < len(lines) and (
            not lines[end].strip() or len(_indent(lines[end])) > len(indent)
        ):
            block.append(lines[end])
            end += 1
        while block and not block[-1].strip():
            block.pop()
            end -= 1
        if not block:
            out.append(line)
            i += 1
            continue
        paragraph = stripped[:-2].rstrip()
        if paragraph.strip():
            out.extend([f"{paragraph}:", ""])
        body = textwrap.dedent("\n".join(block)).split("\n")
        out.append(f"{indent}```{_language(body)}")
        out.extend(f"{indent}{code}" if code else "" for code in body)
        out.append(f"{indent}```")
        i = end
    return "\n".join(out)


def _language(code: list[str]) -> str:
    """How to highlight a literal block: JSON, Python, or as plain text."""
    if code[0].startswith(("{", "[")):
        return "json"
    try:
        ast.parse("\n".join(code))
    except SyntaxError:
        return "text"
    return "python"


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def _version_note(match: re.Match[str]) -> str:
    kind = "Added" if match["kind"] == "added" else "Changed"
    body = " ".join(line.strip() for line in match["body"].splitlines() if line.strip())
    note = f"*{kind} in version {match['version'].strip()}.*"
    return f"{match['indent']}{note} {body}".rstrip()


def _role_link(match: re.Match[str], scope: griffe.Object) -> str:
    target = match["titled"] or match["target"]
    linked = not target.startswith("!")
    target = target.lstrip("!")
    short = target.startswith("~")
    target = target.lstrip("~.")
    if match["title"]:
        title = match["title"]
    elif short:
        title = target.rsplit(".", 1)[-1]
    else:
        title = target
    if match["role"] in _CALLABLE_ROLES and not match["title"]:
        title += "()"
    code = f"<code>{html.escape(title)}</code>"
    path = _resolve(target, scope) if linked else None
    if path is None:
        return code
    # An optional cross-reference (the form mkdocstrings itself writes for
    # annotations): a link if the reference shows the object, else plain code.
    return f'<autoref identifier="{html.escape(path)}" optional>{code}</autoref>'


def _resolve(target: str, scope: griffe.Object) -> str | None:
    """The full path `target` names in `scope`'s docstring, or None."""
    if target.startswith("kamcore."):
        return target
    first, _, rest = target.partition(".")
    try:
        path = scope.resolve(first)
    except griffe.NameResolutionError:
        return None
    return f"{path}.{rest}" if rest else path


_KINDS = {
    inspect.Parameter.POSITIONAL_ONLY: griffe.ParameterKind.positional_only,
    inspect.Parameter.POSITIONAL_OR_KEYWORD: griffe.ParameterKind.positional_or_keyword,
    inspect.Parameter.VAR_POSITIONAL: griffe.ParameterKind.var_positional,
    inspect.Parameter.KEYWORD_ONLY: griffe.ParameterKind.keyword_only,
    inspect.Parameter.VAR_KEYWORD: griffe.ParameterKind.var_keyword,
}


def _add_attrs_init(cls: griffe.Class, import_paths: list[str | Path]) -> None:
    """Gives `cls`, if an attrs class, the ``__init__`` attrs wrote for it."""
    try:
        runtime = griffe.dynamic_import(cls.path, import_paths)
    except ImportError:
        return
    if not (inspect.isclass(runtime) and attrs.has(runtime)):
        return
    fields = {field.alias: field for field in attrs.fields(runtime)}
    parameters = [
        griffe.Parameter("self", kind=griffe.ParameterKind.positional_or_keyword)
    ]
    for parameter in inspect.signature(runtime).parameters.values():
        parameters.append(
            griffe.Parameter(
                parameter.name,
                annotation=_annotation(parameter.annotation, cls),
                kind=_KINDS[parameter.kind],
                default=_default(parameter, fields.get(parameter.name)),
            )
        )
    init = griffe.Function(
        "__init__",
        lineno=cls.lineno,
        endlineno=cls.lineno,
        parameters=griffe.Parameters(*parameters),
        returns="None",
    )
    cls.set_member("__init__", init)


def _annotation(annotation: object, cls: griffe.Class) -> str | griffe.Expr | None:
    if annotation is inspect.Parameter.empty:
        return None
    # kamcore's modules postpone annotations: each is the text written in the
    # source, read here in the class's scope so that its names link.
    text = (
        annotation
        if isinstance(annotation, str)
        else inspect.formatannotation(annotation)
    )
    try:
        node = ast.parse(text, mode="eval").body
    except SyntaxError:
        return text
    return griffe.safe_get_annotation(node, cls) or text


def _default(
    parameter: inspect.Parameter, field: attrs.Attribute[Any] | None
) -> str | None:
    if parameter.default is inspect.Parameter.empty:
        return None
    # A default made by a factory: attrs.Factory(tuple), or factory=tuple.
    factory = getattr(field.default, "factory", None) if field is not None else None
    if callable(factory):
        name = getattr(factory, "__name__", "<lambda>")
        return "<factory>" if name == "<lambda>" else f"{name}()"
    return repr(parameter.default)
