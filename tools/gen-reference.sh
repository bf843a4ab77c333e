#!/usr/bin/env bash
# Regenerates all the PyTorch reference data (tests/reference/*.json, one generate*.py each) with Debian's python3-torch
# (PyTorch 1.13.1 on Debian 12), float64 on the CPU. Installs the package first if
# /usr/bin/python3 cannot import torch. The output is deterministic: re-running it on the same
# machine leaves the committed files unchanged.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
py=/usr/bin/python3

if ! "$py" -c 'import torch' 2>/dev/null; then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    echo "gen-reference: torch not importable by $py; installing python3-torch" >&2
    $sudo apt-get update
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3-torch
fi

version="$("$py" -c 'import torch; print(torch.__version__)')"
case "$version" in
    1.13.*) ;;
    *) echo "gen-reference: warning: torch $version; the committed data comes from 1.13 (Debian 12)" >&2 ;;
esac

# Every generator: generate.py (the functions), generate_network.py (generator, init, optimisers),
# the network engine's others and generate_formula.py (issue 11's formula language: formula.json);
# each writes its own JSON beside it.
for gen in "$root"/tests/reference/generate*.py; do
    echo "gen-reference: $(basename "$gen")" >&2
    "$py" "$gen"
done
