"""Guards over the project's code as a whole (docs/quality.md, Code health).

- a status or a money (`*_yen`) field of a model is written only in services (docs/house-style.md R5, R7);
- no import circle between modules of the project (docs/house-style.md R1);
- every document a comment cites is in the repository;
- tests never write under var/ (the media fixture applies to every test).
"""

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PACKAGES = ["platform_portal", "members", "meetings", "subsidies", "supporters"]
# Where writes of status and money belong, and the loaders that build the demo through services or
# set up sample rows in bulk (their figures are the reference's, recorded as data).
WRITERS = re.compile(
    r"(^|/)services(/|\.py$)|^platform_portal/mail\.py$|(^|/)demo(_\w+)?\.py$|/management/commands/\w+_bench_data\.py$|(^|/)migrations/"
)


def _project_files(*, suffixes=(".py",)) -> list[Path]:
    found = []
    for package in PROJECT_PACKAGES:
        found += [p for p in (ROOT / package).rglob("*") if p.suffix in suffixes and "migrations" not in p.parts]
    return sorted(found)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_guarded(name: str | None) -> bool:
    return bool(name) and (name == "status" or name.endswith("_yen"))


def _model_names() -> set[str]:
    return {model.__name__ for model in apps.get_models() if model._meta.app_label in PROJECT_PACKAGES}


def guarded_writes(source: str, *, model_names: set[str]) -> list[tuple[int, str]]:
    """(line, what) for each write of a status or *_yen field in the source."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for sub in ast.walk(target):
                    if isinstance(sub, ast.Attribute) and _is_guarded(sub.attr):
                        found.append((node.lineno, f".{sub.attr} ="))
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            writes = name in ("update", "create", "get_or_create", "update_or_create") or name in model_names
            for keyword in node.keywords if writes else []:
                if _is_guarded(keyword.arg):
                    found.append((node.lineno, f"{name}({keyword.arg}=…)"))
                if keyword.arg == "defaults" and isinstance(keyword.value, ast.Dict):
                    for key in keyword.value.keys:
                        if isinstance(key, ast.Constant) and _is_guarded(key.value):
                            found.append((node.lineno, f"{name}(defaults={{{key.value!r}: …}})"))
            if name == "setattr" and len(node.args) > 1:
                key = node.args[1]
                if isinstance(key, ast.Constant) and _is_guarded(key.value):
                    found.append((node.lineno, f"setattr(…, {key.value!r})"))
    return found


@pytest.mark.parametrize(
    ("source", "caught"),
    [
        ("application.status = 'paid'", True),
        ("obj.final_yen += 1", True),
        ("Application.objects.filter(pk=1).update(status='paid')", True),
        ("Organization(name='x', status='approved')", True),
        ("Decision.objects.update_or_create(pk=1, defaults={'amount_yen': 5})", True),
        ("setattr(application, 'decided_yen', 5)", True),
        ("Application.objects.filter(status='paid')", False),
        ("HttpResponse(status=429)", False),
        ("result = SubsidyResult(amount_yen=5)", False),
    ],
)
def test_the_write_guard_sees_writes_and_only_writes(source, caught):
    names = {"Application", "Organization", "Decision"}
    assert bool(guarded_writes(source, model_names=names)) is caught


@pytest.mark.django_db(databases=[])
def test_status_and_money_fields_are_written_only_in_services():
    model_names = _model_names()
    offenders = []
    for path in _project_files():
        relative = path.relative_to(ROOT).as_posix()
        if WRITERS.search(relative):
            continue
        for line, what in guarded_writes(path.read_text(encoding="utf-8"), model_names=model_names):
            offenders.append(f"{relative}:{line}: {what}")
    assert offenders == [], "status or *_yen written outside services (docs/house-style.md R5):\n" + "\n".join(
        offenders
    )


def _imports(path: Path, module: str, known: set[str]) -> set[str]:
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in found if name in known and name != module}


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def test_cycle_finder_finds_a_circle():
    assert import_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert import_cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_circle_between_project_modules():
    # Imports inside functions count too: a deferred import hides a circle, it does not remove it.
    files = {_module_name(path): path for path in _project_files()}
    graph = {module: _imports(path, module, set(files)) for module, path in files.items()}
    assert import_cycles(graph) == []


CITED_DOCUMENT = re.compile(r"\b((?:docs/)[\w./-]+\.md|[A-Z][A-Z_]+\.md)\b")
SHORT_CODES = {"QUALITY": "docs/quality.md", "HOUSE_STYLE": "docs/house-style.md"}
SHORT_CITATION = re.compile(r"\b(QUALITY|HOUSE_STYLE) ([A-Z]{1,2}\d+)")


def _code_and_template_files() -> list[Path]:
    files = _project_files(suffixes=(".py", ".html", ".txt", ".js", ".css"))
    for extra in ("templates", "static", "tests", "bench", ".ci"):
        if (ROOT / extra).exists():
            files += [
                p
                for p in (ROOT / extra).rglob("*")
                if p.is_file() and p.suffix in (".py", ".html", ".txt", ".js", ".css", ".sh", "") and p.stat().st_size
            ]
    return [p for p in files if "vendor" not in p.parts and "node_modules" not in p.parts]


def _item_codes(document: Path) -> set[str]:
    return set(re.findall(r"\*\*([A-Z]{1,2}\d+)\b", document.read_text(encoding="utf-8")))


def test_every_document_a_comment_cites_is_in_the_repository():
    missing = []
    codes = {short: _item_codes(ROOT / path) for short, path in SHORT_CODES.items()}
    for path in _code_and_template_files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        relative = path.relative_to(ROOT).as_posix()
        for cited in CITED_DOCUMENT.findall(text):
            if cited in ("README.md",) or (ROOT / cited).exists():
                continue
            missing.append(f"{relative}: {cited}")
        for short, code in SHORT_CITATION.findall(text):
            if code not in codes[short]:
                missing.append(f"{relative}: {short} {code} (not an item of {SHORT_CODES[short]})")
        if "/work/" in text and relative != "tests/test_guards.py":
            missing.append(f"{relative}: a path outside the repository")
    assert missing == []


def test_house_docs_define_the_codes_comments_use():
    assert {"R5", "R21", "R26"} <= _item_codes(ROOT / "docs/house-style.md")
    assert {"D1", "S1", "AC1", "IO3", "IE5", "P2", "L1", "A3", "R6"} <= _item_codes(ROOT / "docs/quality.md")


def test_tests_keep_media_out_of_var():
    media = Path(settings.MEDIA_ROOT).resolve()
    assert not media.is_relative_to((ROOT / "var").resolve())
    assert not media.is_relative_to(ROOT.resolve())


def test_every_service_types_its_actor():
    untyped = []
    for path in _project_files():
        relative = path.relative_to(ROOT).as_posix()
        if not re.search(r"(^|/)services(/|\.py$)", relative):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                arguments = [*node.args.args, *node.args.kwonlyargs]
                if any(arg.arg == "actor" and arg.annotation is None for arg in arguments):
                    untyped.append(f"{relative}:{node.lineno} {node.name}")
    assert untyped == []
