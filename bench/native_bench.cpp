// Native timings for the benchmark: `lab_bench [points] [reps] [name]` prints JSON rows;
// `lab_bench networks [reps] [name]` times the network engine instead.
#include <malloc.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "bench_core.hpp"

int main(int argc, char** argv) {
    // glibc hands multi-megabyte blocks back to the OS after every call, so each timed run would
    // page-fault its buffers in again; WebAssembly's heap keeps them. Keep them here too, so the
    // comparison is of the code, not of the allocator.
    mallopt(M_MMAP_THRESHOLD, 1 << 30);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    if (argc > 1 && std::string(argv[1]) == "networks") {
        std::fputs(labbench::run_networks(argc > 2 ? std::atoi(argv[2]) : 7, argc > 3 ? argv[3] : "").c_str(), stdout);
        return 0;
    }
    const std::size_t points = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
    const int reps = argc > 2 ? std::atoi(argv[2]) : 7;
    const std::string only = argc > 3 ? argv[3] : "";
    std::fputs(labbench::run(points, reps, only).c_str(), stdout);
}
