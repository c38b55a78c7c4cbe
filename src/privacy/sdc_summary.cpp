#include "privacy/sdc_summary.hpp"

namespace mpdstat {

nlohmann::ordered_json to_json(const SdcSummary& s) {
    nlohmann::ordered_json j;
    j["table"] = s.table;
    j["rows"] = s.rows;
    j["released"] = s.released;
    j["primary_suppressed"] = s.primary_suppressed;
    j["secondary_suppressed"] = s.secondary_suppressed;
    j["linked_suppressed"] = s.linked_suppressed;
    j["dropped"] = s.dropped;
    j["levels"] = s.levels;
    j["zone_columns"] = s.zone_columns;
    j["key_columns"] = s.key_columns;
    j["value_columns"] = s.value_columns;
    j["additive_values"] = s.additive_values;
    j["hierarchical"] = s.hierarchical;
    j["min_devices"] = s.min_devices;
    j["suppressed"] = std::string(to_string(s.suppressed_mode));
    j["secondary"] = s.secondary;
    auto& n = j["noise"];
    n["mechanism"] = std::string(to_string(s.noise));
    if (s.noise != NoiseMechanism::none) {
        n["epsilon"] = s.epsilon;
        n["delta"] = s.delta;
        n["max_contributions"] = s.max_contributions;
        n["scale"] = s.scale;
        n["columns"] = s.noised_columns;
        n["releases"] = static_cast<uint64_t>(s.levels) * s.noised_columns.size();
        n["epsilon_total"] = s.epsilon_total;
        n["delta_total"] = s.delta_total;
    }
    return j;
}

}  // namespace mpdstat
