#pragma once
// The operator's radio network: sites placed where people live (a rural grid
// for coverage plus urban sites drawn from the population density), 1–3
// sectors per site, one or two technologies per sector, and validity dates
// (a few cells switched on or retired during the period).
//
// Serving cell: every cell near a position gets a received-signal score
// (distance path loss, antenna pattern of its sector, technology and range);
// the device is served by one of the three best cells valid that day, drawn
// with weights exp((S - S_best) / 3 dB), which gives the ping-pong between
// neighbouring cells seen in real data.
#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "common/civil_time.hpp"
#include "synth/geography.hpp"

namespace mpdstat::synth {

struct SynthCell {
    std::string id;
    uint32_t site = 0;
    Vec2 pos;
    double azimuth = -1;  // degrees; < 0 = omnidirectional
    double beam_width = 360;
    double range_m = 0;
    int tech = 4;  // 2..5 (G)
    Day valid_from = std::numeric_limits<Day>::min();
    Day valid_to = std::numeric_limits<Day>::max();
    bool valid_on(Day d) const noexcept { return d >= valid_from && d <= valid_to; }
};

// The best cells at a position, strongest first (validity not applied).
struct CellChoice {
    static constexpr int kMax = 6;
    uint32_t cell[kMax];
    float signal[kMax];
    uint8_t n = 0;
};

class Network {
public:
    Network(const Geography& geo, const SynthOptions& o, uint64_t seed);

    const std::vector<SynthCell>& cells() const noexcept { return cells_; }
    size_t site_count() const noexcept { return sites_.size(); }

    CellChoice choose(Vec2 p) const;
    // One serving cell among the valid best three; UINT32_MAX if none is valid.
    uint32_t serve(const CellChoice& c, Day day, Rng& rng) const;
    // The strongest valid cell (machines do not ping-pong).
    uint32_t best(const CellChoice& c, Day day) const;
    // A valid cell at least 50 km from p (an impossible jump).
    uint32_t far_cell(Vec2 p, Day day, Rng& rng) const;

    void write(const std::filesystem::path& dir, const Projection& proj) const;

private:
    std::vector<Vec2> sites_;
    std::vector<std::vector<uint32_t>> site_cells_;
    PointIndex site_index_;
    std::vector<SynthCell> cells_;
};

}  // namespace mpdstat::synth
