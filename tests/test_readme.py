"""README.md opens with the two set-up commands, and .ci/run runs the second."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```bash\n(.*?)\n```", text, re.S).group(1)
    return block.splitlines()


def test_readme_opens_with_the_main_job_and_the_tests():
    main_job, tests = _commands()[:2]
    assert main_job.endswith("routesim run scenarios/chancay_vs_callao.yaml") and "pip install -e ." in main_job
    assert tests.endswith("python -m pytest") and 'pip install -e ".[dev]"' in tests


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert _commands()[1] in ci  # named in the script's header
    assert "sed -n 2p" in ci and "README.md" in ci  # and read from the README at run time


def test_every_cli_command_is_documented():
    from routesim.cli import build_parser

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    for name in sub.choices:
        assert f"routesim {name}" in readme, name


def _python_blocks():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)\n```", text, re.S)


def test_the_readme_python_snippets_run_as_pasted(tmp_path):
    """Each Python block of the README runs as a script from a copy of the project folder layout."""
    import os
    import subprocess
    import sys

    blocks = _python_blocks()
    assert len(blocks) >= 2
    (tmp_path / "scenarios").symlink_to(ROOT / "scenarios")
    for i, code in enumerate(blocks):
        script = tmp_path / f"snippet_{i}.py"
        script.write_text(code, encoding="utf-8")
        p = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=600,
                           env={**os.environ, "MPLBACKEND": "Agg"})
        assert p.returncode == 0, f"README Python block {i + 1} failed:\n{p.stderr[-3000:]}"
    assert (tmp_path / "out" / "summary.json").exists() and (tmp_path / "out" / "sweep").is_dir()

