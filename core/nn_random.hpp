// Design note: PyTorch's CPU generator, reproduced draw for draw, because issue 9 promises that
// `seed` means torch.manual_seed(seed) and the initial weights then agree with PyTorch bit for bit.
// What has to match (ATen's CPUGeneratorImpl and cpu/DistributionTemplates.h, torch 1.13):
//   * the engine is the standard 32-bit mt19937, seeded with the low 32 bits of the seed
//     (torch.manual_seed(-1) is 2^64 − 1, i.e. 0xffffffff here); manual_seed also forgets the
//     cached second normal sample;
//   * a float64 uniform_ takes TWO 32-bit draws, the first as the high word, keeps the low 53
//     bits, multiplies by 2^-53, and scales with a fused multiply-add: fma(x, to − from, from)
//     (PyTorch's AVX2 build contracts `x * (to - from) + from`; we write the fma, since this
//     project compiles with -ffp-contract=off);
//   * normal_ on a contiguous tensor of 16 or more elements first fills the whole tensor with
//     uniforms, then turns each block of 16 into normals by Box–Muller (u1 = 1 − data[j],
//     u2 = data[j+8], j < 8); a tail that is not a whole block redraws the LAST 16 elements' uniforms
//     and transforms them again (so the earlier values there are overwritten). Fewer than 16
//     elements: one serial Box–Muller per element that returns r·cos θ and caches r·sin θ for the
//     next call — the cache outlives the tensor, so a later 1-element normal_ uses it.
//   * every `a * std + mean` of both normal paths is fused as well.
// Checked against torch 1.13 (tests/reference/network_init.json, generate_network.py): bit for bit
// natively, where std::log/sin/cos are glibc's, the libm torch itself calls. uniform_ calls no libm
// function, so it is exact in WebAssembly too; normal_ there goes through musl's log/sin/cos, which
// round differently for ~3% of sin/cos arguments (~0.01% for log): in a wasm build a normal_ value
// can differ from PyTorch's in its last bits (measured on the reference: 133 of its 4800 normal values,
// relative error < 1e-14; up to 32 ulps where `z * std + mean` cancels). Correctly rounded
// replacements would not fix it (glibc itself misrounds ~0.1% of them) and cost ~20x the time.
// Speed (the depth view draws 3.3 million weights per new network): the engine is our own
// mt19937 that regenerates its 624-word state a block at a time (as the reference MT19937 and
// PyTorch's own mt19937 do) instead of libc++'s one word per draw with two modulo operations —
// the output sequence is MT19937's by definition, and the tests hold it to std::mt19937 — and
// uniform_ splits `to - from` for the exact product once per tensor, not once per value.
// Shortcuts that are the same bits, each proven where it is written (nn_random.cpp): uniform_ with
// from = −to (every bound of nn.Linear and of the kaiming/xavier/siren inits) is ONE product
// to·(2x − 1), with from = ±0 one product x·to; `z * std + mean` with mean = ±0 is the plain product
// unless that is 0. discard(n) moves the engine past n draws without tempering them (init_linears
// skips the default weights an init overwrites); Box–Muller's sin θ and cos θ come from one sincos,
// which gives both libms' separate sin and cos bits there. The unit draws (uniform_units_,
// normal_units_) are what nn_init keeps to rescale when only a bound or a std changes.
#pragma once

#include <cstdint>
#include <optional>
#include <array>
#include <span>

namespace lab::nn {

class Generator {
public:
    // torch's default_rng_seed_val, the seed of a generator nobody seeded.
    static constexpr std::uint64_t kDefaultSeed = 67280421310721ULL;

    explicit Generator(std::uint64_t seed = kDefaultSeed) { manual_seed(seed); }

    // torch.manual_seed(seed) (a negative Python seed arrives here as its 64-bit two's complement).
    void manual_seed(std::uint64_t seed);

    std::uint32_t random();    // one engine draw
    std::uint64_t random64();  // two draws: (first << 32) | second
    // Exactly what n random() calls would leave behind (the twists run, the tempering does not).
    void discard(std::uint64_t n);

    // One value of uniform_(from, to) on float64: the 53-bit fraction, scaled with a fused multiply-add.
    double uniform(double from, double to);
    // One value of the serial normal path (at::normal_distribution<double>), with the cached sample.
    double normal(double mean, double std);

    // Tensor.uniform_(from, to) / Tensor.normal_(mean, std) on a contiguous float64 tensor, with
    // PyTorch's argument checks (lab::Error in its words: "normal expects std >= 0.0, but found std -1").
    void uniform_(std::span<double> t, double from, double to);
    void normal_(std::span<double> t, double mean, double std);
    // uniform_'s and normal_'s argument checks alone (the same errors), for callers that scale
    // kept unit draws instead of drawing.
    static void check_uniform(double from, double to);
    static void check_normal(double std);

    // The unit draws the two fills scale, drawn as they would be (the same engine steps):
    //   uniform_units_: 2x − 1 per value, exact; uniform_(t, −b, b) is b·(2x − 1) per value and
    //                   uniform_(t, a, b) is fma(x, b − a, a) with x = ((2x − 1) + 1)·0.5, exact;
    //   normal_units_:  Box–Muller's z per value (tail block and cached sample included), so that
    //                   normal_(t, mean, std) is normal_scale of them.
    void uniform_units_(std::span<double> t);
    void normal_units_(std::span<double> t);
    // The 53-bit m of two draws is (hi & (2^21 − 1))·2^32 + lo, and both conversions here are exact
    // sums of exact terms (every partial value is an integer below 2^53 times a power of two), so
    // no 64-bit integer conversion is needed (WebAssembly SIMD has none; it has i32/u32 → f64):
    //   fraction: x = m·2^-53, transformation::uniform_real's value (uniform(0, 1));
    //   unit:     2x − 1 = (m − 2^52)·2^-52 = ((hi21 − 2^20)·2^32 + lo)·2^-52, |m − 2^52| ≤ 2^52.
    static double fraction(std::uint32_t hi, std::uint32_t lo) {
        return (static_cast<double>(static_cast<std::int32_t>(hi & 0x1fffffu)) * 0x1p32 + static_cast<double>(lo)) * 0x1p-53;
    }
    static double unit(std::uint32_t hi, std::uint32_t lo) {
        return ((static_cast<double>(static_cast<std::int32_t>(hi & 0x1fffffu)) - 0x1p20) * 0x1p32 + static_cast<double>(lo)) *
               0x1p-52;
    }
    // out[i] = uniform_(from, to)'s value for the unit draw y[i] = 2x − 1 (y may be out.data()).
    static void uniform_scale(const double* y, std::span<double> out, double from, double to);
    // out[i] = fma(z[i], std, mean) rounded once, `a * std + mean` of both normal_ paths (z may be
    // out.data() itself).
    static void normal_scale(const double* z, std::span<double> out, double std, double mean);

private:
    void twist();  // the next 624 state words, all at once
    void draws(std::uint32_t* out, std::size_t count);  // `count` draws of random(), in order
    // Two draws per value, f(first, second) → double, in chunks (the fills' one loop shape).
    template <class F>
    void fill_pairs(std::span<double> t, F f);
    double normal_unit();  // the serial path's z (the cached sample first)
    static constexpr std::size_t kN = 624;
    std::array<std::uint32_t, kN> state_{};
    std::size_t next_ = kN;  // the state word the next draw tempers
    std::optional<double> next_normal_;
};

}  // namespace lab::nn
