"""The dependency direction of ARCHITECTURE.md, enforced with import-linter's contracts."""
import configparser
import shutil
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
LINT = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"


def _config() -> configparser.ConfigParser:
    parser = configparser.ConfigParser()
    parser.read(ROOT / "setup.cfg")
    return parser


def _contracts() -> list[str]:
    return [s for s in _config().sections() if s.startswith("importlinter:contract:")]


def _lint(config: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([LINT, str(config), "--no-cache"], cwd=cwd, capture_output=True, text=True)


def _loops(graph: grimp.ImportGraph) -> list[list[str]]:
    """The module groups that import one another round in a circle (strongly connected, Tarjan)."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    loops: list[list[str]] = []

    def visit(module: str) -> None:
        order[module] = low[module] = len(order)
        stack.append(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in order:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], order[imported])
        if low[module] == order[module]:
            group = stack[stack.index(module):]
            del stack[stack.index(module):]
            if len(group) > 1:
                loops.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in order:
            visit(module)
    return loops


def test_no_import_loop() -> None:
    """Every import counts, also one inside a function or for type checking only: a loop there is still
    two modules that cannot be understood, moved or tested one without the other."""
    packages = _config()["importlinter"]["root_packages"].split()
    sys.path.insert(0, str(ROOT))
    try:
        assert _loops(grimp.build_graph(*packages, cache_dir=None)) == []
    finally:
        sys.path.remove(str(ROOT))


def test_every_contract_is_kept() -> None:
    result = _lint(ROOT / "setup.cfg", ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Contracts: {len(_contracts())} kept, 0 broken." in result.stdout


def test_contracts_cover_the_map() -> None:
    """Every package the project installs has its floor, in the map's order, with the composition
    tools on top; the core, the devices, sync, the screens and the technician pages each have their
    own rules besides."""
    config = _config()
    layers = config["importlinter:contract:layers"]["layers"].split()
    assert layers == ["tooling", "ui", "sync", "devices", "kiosk"]
    installed = [p for p in config["options.packages.find"]["include"].split() if "." not in p]
    assert sorted(installed) == sorted(layers) == sorted(config["importlinter"]["root_packages"].split())
    assert {c.removeprefix("importlinter:contract:") for c in _contracts()} == {
        "layers", "core-is-plain", "devices-are-headless", "sync-is-headless", "screens-ask-the-controller",
        "technician-pages-act-through-operations"}


def test_sync_may_import_the_device_health_model_and_no_other_device_module(tmp_path: Path) -> None:
    """The contract that keeps a card reader out of sync/ (sync/simulate.py once imported one), run on
    a small tree of the same shape: the health model passes, a driver is named."""
    tree = {"sync/__init__.py": "", "sync/report.py": "from devices import health\n",
            "sync/visits.py": "from devices.idcard import reader\n", "devices/__init__.py": "",
            "devices/health.py": "", "devices/idcard/__init__.py": "", "devices/idcard/reader.py": ""}
    for name, text in tree.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    config = configparser.ConfigParser()
    config["importlinter"] = {"root_packages": "sync\ndevices", "include_external_packages": "True"}
    config["importlinter:contract:sync-is-headless"] = dict(_config()["importlinter:contract:sync-is-headless"])
    with open(tmp_path / "contracts.ini", "w") as file:
        config.write(file)
    result = _lint(tmp_path / "contracts.ini", tmp_path)
    assert result.returncode == 1
    assert "sync.visits -> devices.idcard.reader" in result.stdout and "sync.report" not in result.stdout
