#!/bin/bash
# Design note: an A/B of the network engine's hot kernels (core/nn_linalg.cpp, nn_act_simd.cpp,
# nn_random.*) between a git revision and the working tree, in ONE WebAssembly module run by Node,
# so both sides see the same machine state. The old sources are taken with `git show`, their
# namespaces renamed (lab::nn::linalg → linalg_old, simd → simd_old, lab::nn → nn_old for the
# generator), and compiled with the same flags as the engine (-O3 -msimd128 -ffp-contract=off).
# bench/ab_kernels.mjs first checks that both sides give the same bits, then times them in
# alternation with CPU time (process.cpuUsage): on this shared 2-core machine wall time moved
# ±30% between identical runs at load 10, CPU time a few percent.
#   bash bench/ab_kernels.sh [rev]     (default HEAD~1; needs Debian's emscripten)
set -euo pipefail
rev=${1:-HEAD~1}
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d /tmp/ab_kernels.XXXXXX)
git -C "$root" show "$rev:core/nn_linalg.cpp" | sed 's/namespace lab::nn::linalg {/namespace lab::nn::linalg_old {/' > "$out/linalg_old.cpp"
# the revision's own header for the activations (its declarations, whatever they are), renamed too
git -C "$root" show "$rev:core/nn_act_simd.hpp" | sed 's/namespace lab::nn::simd {/namespace lab::nn::simd_old {/; s/#pragma once//' > "$out/act_old.hpp"
git -C "$root" show "$rev:core/nn_act_simd.cpp" |
  sed 's/namespace lab::nn::simd {/namespace lab::nn::simd_old {/; s/&simd::/\&simd_old::/g; s/#include "nn_act_simd.hpp"/#include "act_old.hpp"/' > "$out/act_old.cpp"
git -C "$root" show "$rev:core/nn_random.hpp" | sed 's/namespace lab::nn {/namespace lab::nn_old {/; s/#pragma once//' > "$out/random_old.hpp"
# the two-lane musl kernels (nn_random_musl.cpp) are shared: the old generator calls today's, by name
git -C "$root" show "$rev:core/nn_random.cpp" |
  sed 's/namespace lab::nn {/namespace lab::nn_old { namespace musl = lab::nn::musl; }\nnamespace lab::nn_old {/; s/#include "nn_random.hpp"/#include "random_old.hpp"/' > "$out/random_old.cpp"
NODE_PATH=/usr/share/nodejs em++ -std=c++20 -O3 -ffp-contract=off -msimd128 -sENVIRONMENT=node -sALLOW_MEMORY_GROWTH=1 \
  -I"$root/core" -I"$out" "$root/bench/ab_kernels.cpp" "$root/core/nn_linalg.cpp" "$root/core/nn_act_simd.cpp" \
  "$root/core/nn_random.cpp" "$root/core/nn_random_musl.cpp" "$out/linalg_old.cpp" "$out/act_old.cpp" "$out/random_old.cpp" -o "$out/ab.js"
echo "A = $rev ($(git -C "$root" rev-parse --short "$rev")), B = working tree"
node --no-experimental-fetch "$root/bench/ab_kernels.mjs" "$out/ab.js"
