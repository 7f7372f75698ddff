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
