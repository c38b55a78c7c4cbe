#pragma once
// `mpdstat synth`: writes a complete synthetic scenario into a folder — event
// files per local day, cells, zones, census, a pseudonymisation key, a ready
// mpdstat.toml and the ground truth (docs/synth.md).
#include <array>
#include <cstdint>
#include <string>
#include <filesystem>
#include <vector>

#include "synth/options.hpp"

namespace mpdstat::synth {

struct GenerateStats {
    uint64_t persons = 0, devices = 0, sites = 0, cells = 0, zones = 0;
    uint64_t events = 0;  // rows written to the event files (faults included)
    uint64_t event_bytes = 0;
    double seconds = 0;
};

GenerateStats generate(const SynthOptions& o, const std::filesystem::path& out_dir, bool show_progress = false);

// The mpdstat.toml text for a scenario (relative paths).
// `affected` are the zone ids of the disaster area (empty without a disaster).
std::string scenario_toml(const SynthOptions& o, const std::array<double, 4>& bbox,
                          const std::vector<std::string>& affected = {});
// The estimate config written next to it (estimate.toml): zone calibration at
// region level, the operator's market share and SIM cards per subscriber.
std::string estimate_toml(const SynthOptions& o, double market_share, double devices_per_subscriber);

}  // namespace mpdstat::synth
