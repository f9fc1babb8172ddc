"""Import cycles and upward imports of the code base, for before/after comparisons.

    .venv/bin/python scripts/import_report.py            # this checkout
    .venv/bin/python scripts/import_report.py /tmp/old   # another checkout (e.g. a git worktree)

Prints, from the imports of the code (grimp, import-linter's graph library):
- cycles between apps (an app is `marketplace/<name>/`, `marketplace/office/<name>/` or a
  top-level package such as `products`);
- cycles between modules, marking those that need an import inside a function to close
  (e.g. Wagtail page models calling their app's views and queries from route methods);
- upward imports: an app importing an app of a higher layer. The layers are those of the
  "layers" contract in pyproject.toml (`make lint` enforces them); an app is placed by
  its last name ("marketplace.reports" and "marketplace.office.reports" are both
  "reports"), so that an older checkout with other paths is measured by the same rule.

`lint-imports` is the check; this script counts, for the record.
"""

import argparse
import sys
import tomllib
from collections import defaultdict
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
ROOT_PACKAGES = ("marketplace", "producers", "products", "search")
# Configuration, not layered: settings name apps by string, WSGI/ASGI start the project.
CONFIGURATION = {"marketplace.settings", "marketplace.wsgi", "marketplace.asgi"}


def app_of(module: str) -> str:
    parts = module.split(".")
    if parts[0] != "marketplace" or len(parts) == 1:
        return parts[0]
    if parts[1] == "office" and len(parts) > 2:
        return ".".join(parts[:3])
    return ".".join(parts[:2])


def app_key(app: str) -> str:
    return app.rsplit(".", 1)[-1]


def layer_ranks(pyproject: Path) -> dict[str, int]:
    """App key → layer number, 0 at the bottom."""
    config = tomllib.loads(pyproject.read_text())["tool"]["importlinter"]
    contract = next(c for c in config["contracts"] if c.get("id") == "layers")
    layers = list(reversed(contract["layers"]))
    return {
        app_key(name.strip()): rank
        for rank, layer in enumerate(layers)
        for name in layer.replace(":", "|").split("|")
    }


def strongly_connected(edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative: the components with more than one node."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []
    counter = 0
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(sorted(component))
    return components


def is_top_of_file(checkout: Path, module: str, line_number: int) -> bool:
    path = checkout.joinpath(*module.split("."))
    source = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
    line = source.read_text().splitlines()[line_number - 1]
    return not line[:1].isspace()


def report(checkout: Path) -> None:
    sys.path.insert(0, str(checkout))
    graph = grimp.build_graph(*ROOT_PACKAGES, cache_dir=None, exclude_type_checking_imports=True)
    ranks = layer_ranks(ROOT / "pyproject.toml")

    app_edges: dict[str, set[str]] = defaultdict(set)
    eager: dict[str, set[str]] = defaultdict(set)
    every: dict[str, set[str]] = defaultdict(set)
    upward: dict[tuple[str, str], list[str]] = defaultdict(list)
    unplaced: set[str] = set()
    for importer in graph.modules:
        for imported in graph.find_modules_directly_imported_by(importer):
            every[importer].add(imported)
            details = graph.get_import_details(importer=importer, imported=imported)
            if any(is_top_of_file(checkout, importer, d["line_number"]) for d in details):
                eager[importer].add(imported)
            source, target = app_of(importer), app_of(imported)
            if source == target or {source, target} & CONFIGURATION:
                continue
            app_edges[source].add(target)
            source_rank, target_rank = ranks.get(app_key(source)), ranks.get(app_key(target))
            if source_rank is None or target_rank is None:
                unplaced.update(
                    a for a, r in ((source, source_rank), (target, target_rank)) if r is None
                )
            elif target_rank > source_rank:
                upward[(source, target)].append(f"{importer} -> {imported}")

    app_cycles = strongly_connected(app_edges)
    eager_cycles = strongly_connected(eager)
    module_cycles = strongly_connected(every)

    print(f"Checkout: {checkout}")
    print(f"Modules: {len(graph.modules)}, apps: {len(app_edges)}")
    print(f"\nCycles between apps: {len(app_cycles)}")
    for cycle in app_cycles:
        print("  " + " <-> ".join(cycle))
    print(
        f"\nCycles between modules: {len(module_cycles)}, of which "
        f"{len(eager_cycles)} through top-of-file imports alone"
    )
    for cycle in module_cycles:
        apps = sorted({app_of(m) for m in cycle})
        how = (
            "" if any(set(c) <= set(cycle) for c in eager_cycles) else " [via imports in functions]"
        )
        print(f"  {len(cycle)} modules in {', '.join(apps)}{how}: {', '.join(cycle)}")
    print(
        f"\nUpward imports between apps: {len(upward)} app pairs, "
        f"{sum(len(v) for v in upward.values())} module imports"
    )
    for (source, target), imports in sorted(upward.items()):
        print(f"  {source} -> {target} ({len(imports)}), e.g. {imports[0]}")
    if unplaced:
        print(f"\nApps in no layer of the contract: {', '.join(sorted(unplaced))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("checkout", nargs="?", default=str(ROOT), type=Path)
    report(parser.parse_args().checkout.resolve())


if __name__ == "__main__":
    main()
