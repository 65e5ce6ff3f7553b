"""`sockettape check-config FILE`: exit 0 with a summary, or exit 2 with one located line per problem."""
from __future__ import annotations

from pathlib import Path

EXAMPLE = (Path(__file__).resolve().parents[2] / "Fixtures" / "policy" / "example.yaml").read_text()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_readme_example_is_ok(h, tmp_path):
    path = write(tmp_path, "sockettape.yaml", EXAMPLE)
    cp = h.cli("check-config", path)
    assert cp.returncode == 0, cp.stderr_text
    assert cp.stdout_text.strip() == f"{path}: ok (1 limit, 1 event rule)"
    assert cp.stderr_text == ""


def test_every_problem_with_line_and_column(h, tmp_path):
    path = write(tmp_path, "bad.yaml", """\
limits:
  - messages: { rate: 20 per second }
    action: dorp
validation:
  events:
    message:
      schema: { type: object, properties: { text: { maxlength: 5, pattern: "a(b" } } }
limts: []
""")
    cp = h.cli("check-config", path)
    assert cp.returncode == 2
    assert cp.stdout_text == ""
    assert cp.stderr_text.splitlines() == [
        f"{path}:2:23: limits[0].messages.rate: expected N/s, N/min or N/h, got '20 per second'",
        f"{path}:3:13: limits[0].action: unknown action 'dorp' (did you mean 'drop'?)",
        f"{path}:7:53: validation.events.message.schema.properties.text: unknown schema keyword 'maxlength' (did you mean 'maxLength'?)",
        f"{path}:7:76: validation.events.message.schema.properties.text.pattern: invalid regular expression 'a(b': expected ')'",
        f"{path}:8:1: unknown key 'limts' (did you mean 'limits'?)",
    ]


def test_yaml_syntax_error(h, tmp_path):
    path = write(tmp_path, "syntax.yaml", "limits: [\n  - a\n")
    cp = h.cli("check-config", path)
    assert cp.returncode == 2
    assert cp.stderr_text.startswith(f"{path}:2:3: YAML syntax: ")


def test_missing_file(h, tmp_path):
    path = tmp_path / "absent.yaml"
    cp = h.cli("check-config", path)
    assert cp.returncode == 2
    assert cp.stderr_text.strip() == f"{path}: cannot read: No such file or directory"


def test_missing_argument_is_usage_error(h):
    cp = h.cli("check-config")
    assert cp.returncode == 2
    assert "FILE" in cp.stderr_text or "<file>" in cp.stderr_text
