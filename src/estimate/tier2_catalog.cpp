#include "estimate/tier2_catalog.hpp"

#include <algorithm>

#include "estimate/tier2_table.hpp"

namespace mpdstat {

std::vector<std::string> EstimableTable::header() const {
    std::vector<std::string> h{"zone_level"};
    for (auto group : {&zone_columns, &key_columns, &value_columns})
        for (auto c : *group) h.emplace_back(c);
    h.emplace_back("status");
    h.emplace_back("support");
    return h;
}

bool EstimableTable::additive(const Tier2Row& row) const {
    if (non_additive_labels.empty()) return true;
    const std::string_view label = std::string_view(row.keys).substr(row.keys.rfind('\x1f') + 1);
    return std::find(non_additive_labels.begin(), non_additive_labels.end(), label) == non_additive_labels.end();
}

const std::vector<EstimableTable>& estimable_tables() {
    static const std::vector<EstimableTable> tables = {
        {"usual_environment", {"zone_id"}, {"period_start", "period_end", "label"}, {"devices"}, "devices", Scaling::population, 0, "", {"ue"}},
        {"present_population", {"zone_id"}, {"time"}, {"devices"}, "devices", Scaling::population, 0, "", {}},
        {"day_night_population", {"zone_id"}, {"period_start", "period_end", "label"}, {"devices"}, "devices", Scaling::population, 0, "", {}},
        {"commuting", {"home_zone", "work_zone"}, {"period_start", "period_end"}, {"devices"}, "devices", Scaling::population, 0, "", {}},
        {"od_trips", {"origin", "destination"}, {"date", "departure_hour"}, {"trips", "devices"}, "trips", Scaling::population, 0, "", {}},
        {"od_daily_locations", {"origin", "destination"}, {"date"}, {"devices"}, "devices", Scaling::population, 0, "", {}},
        {"displacement", {"home_zone", "present_zone"}, {"date"}, {"devices"}, "devices", Scaling::population, 0, "", {}},
        {"tourism_outbound", {"origin_zone"}, {"month", "country"}, {"travellers", "trips", "nights", "travellers_estimated"}, "travellers", Scaling::population, 0, "", {}},
        {"tourism_inbound", {"zone_id"}, {"month", "country"}, {"visitors", "trips", "nights"}, "visitors", Scaling::inbound, 0, "country", {}},
    };
    return tables;
}

const EstimableTable* find_estimable(std::string_view name) {
    for (const auto& t : estimable_tables())
        if (t.name == name) return &t;
    return nullptr;
}

}  // namespace mpdstat
