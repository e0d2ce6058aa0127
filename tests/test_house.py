"""The house rules that no linter checks: small files and functions in the product code."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = ("bot", "handlers", "storage")
MAX_FILE_LINES = 600
MAX_FUNCTION_LINES = 60


def product_files() -> list[Path]:
    files = [p for top in PRODUCT for p in sorted((ROOT / top).rglob("*.py"))]
    return [p for p in files if "migrations" not in p.parts]


def too_long(path: Path, root: Path = ROOT) -> list[str]:
    source = path.read_text(encoding="utf-8")
    where = path.relative_to(root)
    found = []
    if len(source.splitlines()) > MAX_FILE_LINES:
        found.append(f"{where}: {len(source.splitlines())} lines")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            start = node.decorator_list[0].lineno if node.decorator_list else node.lineno
            length = (node.end_lineno or start) - start + 1
            if length > MAX_FUNCTION_LINES:
                found.append(f"{where}:{node.lineno} {node.name}: {length} lines")
    return found


def test_the_product_code_is_found() -> None:
    assert len(product_files()) > 50  # a moved tree must not make this test vacuous


def test_no_file_or_function_is_too_long() -> None:
    found = [problem for path in product_files() for problem in too_long(path)]
    assert found == [], "\n".join(found)


def test_the_checker_sees_a_long_function_and_file(tmp_path: Path) -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    (tmp_path / "long.py").write_text(f"def probe() -> None:\n{body}\n", encoding="utf-8")
    (tmp_path / "big.py").write_text("x = 1\n" * (MAX_FILE_LINES + 1), encoding="utf-8")
    assert [p.split(" ")[-3] for p in too_long(tmp_path / "long.py", tmp_path)] == ["probe:"]
    assert too_long(tmp_path / "big.py", tmp_path) == [f"big.py: {MAX_FILE_LINES + 1} lines"]
