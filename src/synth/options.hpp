#pragma once
// Everything that defines a synthetic scenario: the preset's defaults and the
// command-line overrides. One struct, so a scenario is reproducible from it.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "common/civil_time.hpp"

namespace mpdstat::synth {

enum class OutCompression { none, gzip, zstd };

// Faults injected on purpose, so the quality gate has something to find.
struct Faults {
    double duplicates = 0;     // share of events written twice
    double unknown_cells = 0;  // share of events naming a cell absent from cells.csv
    double malformed = 0;      // share of rows broken (bad timestamp, missing field, bad MCC / PLMN)
    double jumps = 0;          // share of events served by a far-away cell (impossible jump)
    int outage_day = -1;       // day index (0 = first day) with no events at all; -1 = none
    int outage_hour_day = -1;  // day index of a one-hour outage; -1 = none
    int outage_hour = 0;       // local hour of that outage
    bool any() const noexcept {
        return duplicates > 0 || unknown_cells > 0 || malformed > 0 || jumps > 0 || outage_day >= 0 || outage_hour_day >= 0;
    }
};

// "duplicates=0.01,unknown_cells=0.001,malformed=0.001,jumps=0.001,outage_day=3,outage_hour=2:14"
// or "none"; throws usage_error on unknown keys or bad values.
Faults parse_faults(std::string_view text);
std::string format_faults(const Faults& f);

struct SynthOptions {
    std::string preset = "demo";
    uint64_t seed = 1;
    uint64_t devices = 5000;       // SIM cards (devices) to generate, all kinds together
    int days = 14;
    Day start = 0;                 // first local day
    std::string timezone = "Africa/Dakar";
    OutCompression compression = OutCompression::gzip;
    int compression_level = 1;
    int threads = 0;               // 0 = all cores

    // Geography: zones per level, coarsest first.
    int regions = 4, districts = 30, communes = 150;
    double population = 3'000'000;  // true population of the country (census)
    double site_spacing_km = 10;    // rural site grid
    int urban_sites = 450;

    // Behaviour.
    double events_median = 12;     // median of the devices' mean events per day
    double events_sigma = 1.0;     // log-sd across devices (heavy tail)
    double data_share = 0.2;       // share of data events (rest: calls and SMS)
    double share_dual_sim = 0.08;  // persons with two SIMs of this operator
    double share_iot = 0.015;      // machine devices among all devices
    double share_inbound = 0.03;   // inbound roamers among all devices
    double share_worker = 0.55;
    double trips_per_week = 0.04;  // domestic overnight trips per person and week
    double outbound_per_week = 0.01;
    double share_migrants = 0.01;  // persons who move home during the period
    int disaster_day = -1;         // day index of the disaster; -1 = none
    double disaster_radius_km = 15;
    double disaster_share = 0.4;   // share of affected residents displaced
    Faults faults;

    Day end() const noexcept { return start + days - 1; }
};

// The preset's defaults; throws usage_error for an unknown name.
SynthOptions preset_options(std::string_view name);
std::string_view compression_suffix(OutCompression c);  // "", ".gz", ".zst"

}  // namespace mpdstat::synth
