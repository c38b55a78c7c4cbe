#pragma once
// Which Tier II tables become Tier III estimates, and how: the measure column
// that is scaled to the population, the zone column whose calibration factor
// applies, and whether the scale comes from the census (population) or from
// per-country factors (inbound visitors). Tables describing the operator's own
// network (activity) or per-device averages (mobility) are not scaled.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mpdstat {

enum class Scaling : uint8_t { population, inbound };

struct EstimableTable {
    std::string_view name;                     // file stem in tier2/ and tier3/
    std::vector<std::string_view> zone_columns;
    std::vector<std::string_view> key_columns;
    std::vector<std::string_view> value_columns;
    std::string_view measure;                  // the value column behind `estimate`
    Scaling scaling = Scaling::population;
    size_t calibration_zone = 0;               // index into zone_columns: where the people live (home, origin)
    std::string_view country_column;           // inbound: the roamers' country
    // Values of the last key column whose rows do not add up over sub-zones
    // (a device's usual environment spans several zones): never filled from a parent.
    std::vector<std::string_view> non_additive_labels;

    // zone_level, zones, keys, values, status, support — the Tier II header.
    std::vector<std::string> header() const;
    // Whether a row (by its last key) adds up over sub-zones.
    bool additive(const struct Tier2Row& row) const;
};

const std::vector<EstimableTable>& estimable_tables();
const EstimableTable* find_estimable(std::string_view name);

}  // namespace mpdstat
