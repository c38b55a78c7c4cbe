#pragma once
// What disclosure control did to one table: for out_dir/qa/sdc.json and the
// manifest (the privacy budget of a noisy release is reported here).
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "privacy/sdc_config.hpp"

namespace mpdstat {

struct SdcSummary {
    std::string table;
    uint64_t rows = 0;                  // rows handed to release()
    uint64_t released = 0;              // status ok
    uint64_t primary_suppressed = 0;    // support below min_devices
    uint64_t secondary_suppressed = 0;  // suppressed so that another cannot be recovered by subtraction
    uint64_t linked_suppressed = 0;     // computed from cells suppressed in another table (e.g. a mean over them)
    uint64_t dropped = 0;               // suppressed rows omitted (suppressed = "drop")
    uint32_t levels = 0;                // zone levels present in the table
    // The table's layout, so that a reader (mpdstat audit) can tell keys from
    // values without knowing every indicator.
    std::vector<std::string> zone_columns, key_columns, value_columns;
    uint64_t additive_values = 0;       // how many of value_columns (from the first) add up across zones
    bool hierarchical = false;          // parent zone rows are sums of their children's rows
    // The rules applied.
    uint64_t min_devices = 0;
    SuppressedMode suppressed_mode = SuppressedMode::flag;
    bool secondary = false;             // whether secondary suppression ran (configured and table hierarchical)
    // Noise and its budget. Each (zone level, noised column) pair is one
    // release with (epsilon, delta); epsilon_total / delta_total are their sum
    // (basic sequential composition) over the whole table.
    NoiseMechanism noise = NoiseMechanism::none;
    double epsilon = 0;
    double delta = 0;                   // 0 for Laplace
    uint32_t max_contributions = 0;
    double scale = 0;                   // Laplace b or Gaussian sigma
    std::vector<std::string> noised_columns;  // additive value columns, and "support"
    double epsilon_total = 0;
    double delta_total = 0;
};

nlohmann::ordered_json to_json(const SdcSummary& s);

}  // namespace mpdstat
