#include "estimate/integrity.hpp"

#include <cmath>
#include <map>

#include <fmt/format.h>

#include "common/civil_time.hpp"

namespace mpdstat {

namespace {

nlohmann::ordered_json check(const char* name, const char* status, const nlohmann::ordered_json& value, const std::string& message) {
    return {{"check", name}, {"status", status}, {"value", value}, {"message", message}};
}

nlohmann::ordered_json unknown(const char* name, const char* file) {
    return check(name, "UNKNOWN", nullptr, fmt::format("{} is missing from the Tier II folder", file));
}

}  // namespace

nlohmann::ordered_json integrity_checks(const Tier2Folder& f, const Tier3Result& result, size_t op) {
    nlohmann::ordered_json checks = nlohmann::ordered_json::array();
    if (f.ingest_qa.is_object()) {
        const std::string gate = f.ingest_qa.value("status", "");
        checks.push_back(check("input_gate", gate == "FAIL" ? "WARN" : "PASS", gate,
                               fmt::format("the operator's input quality gate was {}", gate)));
        const auto missing = f.ingest_qa.value("period_days_without_data", nlohmann::json::array());
        checks.push_back(check("missing_days", missing.empty() ? "PASS" : "WARN", missing.size(),
                               missing.empty() ? "every day of the period has data"
                                               : fmt::format("days without data: {}", missing.dump())));
        std::vector<std::string> anomalous;
        for (const auto& d : f.ingest_qa.value("days", nlohmann::json::array()))
            if (d.value("anomalous_events", false) || d.value("anomalous_devices", false)) anomalous.push_back(d.value("day", ""));
        checks.push_back(check("anomalous_days", anomalous.empty() ? "PASS" : "WARN", anomalous.size(),
                               anomalous.empty() ? "no day with unusual events or devices"
                                                 : fmt::format("days with unusual events or devices: {}", fmt::join(anomalous, ", "))));
    } else {
        checks.push_back(unknown("missing_days", "qa/ingest.json"));
    }
    if (f.spatial_qa.is_object()) {
        const auto cells = f.spatial_qa.value("cells", nlohmann::json::object());
        const uint64_t outside = cells.value("outside_country", uint64_t(0)), total = cells.value("versions", uint64_t(0));
        checks.push_back(check("cells_outside_zones", outside == 0 ? "PASS" : "WARN", outside,
                               fmt::format("{} of {} cells lie outside the zones", outside, total)));
    } else {
        checks.push_back(unknown("cells_outside_zones", "qa/spatial.json"));
    }
    uint64_t incoherent = 0;
    for (const auto& t : result.tables)
        if (op < t.fill.size()) incoherent += t.fill[op].incoherent_groups;
    checks.push_back(check("coherence", incoherent == 0 ? "PASS" : "WARN", incoherent,
                           fmt::format("{} groups of released sub-zones add up to more than their released parent", incoherent)));
    // Weekday / weekend profile: mean top-level present population per day.
    if (const Tier2Table* pp = f.table("present_population")) {
        std::map<Day, std::pair<double, int>> by_day;  // sum over zones and hours, hours
        for (const auto& r : pp->rows) {
            if (r.level != 0 || !r.released) continue;
            auto day = parse_day(r.keys.substr(0, 10));
            if (!day) continue;
            by_day[*day].first += r.measure;
            by_day[*day].second += 1;
        }
        double sum[2] = {0, 0};
        int n[2] = {0, 0};
        std::map<Day, double> mean;
        for (const auto& [d, v] : by_day) {
            mean[d] = v.first / v.second;
            const int weekend = weekday(d) >= 5;
            sum[weekend] += mean[d], n[weekend] += 1;
        }
        if (n[0] && n[1]) {
            const double wd = sum[0] / n[0], we = sum[1] / n[1], ratio = we / wd;
            std::vector<std::string> odd;
            for (const auto& [d, m] : mean) {
                const int weekend = weekday(d) >= 5;
                if (std::abs(m / (sum[weekend] / n[weekend]) - 1) > kProfileTolerance) odd.push_back(format_day(d));
            }
            const bool ok = std::abs(ratio - 1) <= kProfileTolerance && odd.empty();
            checks.push_back(check("weekday_weekend_profile", ok ? "PASS" : "WARN", ratio,
                                   fmt::format("weekend / weekday present population {:.3f}; days far from their day type: {}", ratio,
                                               odd.empty() ? "none" : fmt::format("{}", fmt::join(odd, ", ")))));
        } else {
            checks.push_back(check("weekday_weekend_profile", "UNKNOWN", nullptr, "the period lacks a weekday or a weekend day"));
        }
    } else {
        checks.push_back(unknown("weekday_weekend_profile", "tier2/present_population.csv"));
    }
    return checks;
}

}  // namespace mpdstat
