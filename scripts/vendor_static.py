#!/usr/bin/env python
"""Copy the browser libraries the site serves from node_modules into marketplace/static/vendor/.

The copies are committed, so `make run` needs no npm; `make vendor` (after `npm ci`) redoes
them when package.json pins a new version, and tests/test_maps.py checks that they equal the
installed package's files.
"""

import json
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
VENDOR_DIR = ROOT / "marketplace" / "static" / "vendor"


@dataclass(frozen=True)
class VendoredPackage:
    """An npm package's files the pages load, copied to vendor/<name>/ with the same layout."""

    name: str
    # Path in the package → path under vendor/<name>/.
    files: dict[str, str]

    def source(self, node_modules: Path = NODE_MODULES) -> Path:
        return node_modules / self.name

    def target(self, vendor_dir: Path = VENDOR_DIR) -> Path:
        return vendor_dir / self.name


LEAFLET = VendoredPackage(
    name="leaflet",
    files={
        "LICENSE": "LICENSE",
        "dist/leaflet.js": "leaflet.js",
        # leaflet.js names its source map: the manifest storage of collectstatic needs it.
        "dist/leaflet.js.map": "leaflet.js.map",
        "dist/leaflet.css": "leaflet.css",
        "dist/images/layers.png": "images/layers.png",
        "dist/images/layers-2x.png": "images/layers-2x.png",
        "dist/images/marker-icon.png": "images/marker-icon.png",
        "dist/images/marker-icon-2x.png": "images/marker-icon-2x.png",
        "dist/images/marker-shadow.png": "images/marker-shadow.png",
    },
)
PACKAGES = (LEAFLET,)


def pinned_version(name: str, package_json: Path = ROOT / "package.json") -> str:
    """The exact version package.json pins for `name`."""
    manifest = json.loads(package_json.read_text(encoding="utf-8"))
    return manifest.get("dependencies", {})[name]


def installed_version(package: VendoredPackage, node_modules: Path = NODE_MODULES) -> str:
    manifest = package.source(node_modules) / "package.json"
    return json.loads(manifest.read_text(encoding="utf-8"))["version"]


def vendor(
    package: VendoredPackage, node_modules: Path = NODE_MODULES, vendor_dir: Path = VENDOR_DIR
) -> list[Path]:
    """Replace vendor/<name>/ with fresh copies of the package's files; the paths written."""
    target = package.target(vendor_dir)
    if target.exists():
        shutil.rmtree(target)
    written = []
    for source_name, target_name in package.files.items():
        destination = target / target_name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(package.source(node_modules) / source_name, destination)
        written.append(destination)
    return written


def main() -> int:
    for package in PACKAGES:
        pinned, installed = pinned_version(package.name), installed_version(package)
        if pinned != installed:
            print(
                f"node_modules holds {package.name} {installed}, package.json pins {pinned}: "
                "run npm ci first.",
                file=sys.stderr,
            )
            return 1
        written = vendor(package)
        print(f"{package.name} {installed}: {len(written)} files in {package.target()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
