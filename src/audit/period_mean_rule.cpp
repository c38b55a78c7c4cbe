#include <set>

#include <fmt/format.h>

#include "audit/rules.hpp"
#include "common/civil_time.hpp"
#include "privacy/released_csv.hpp"

namespace mpdstat::audit {

namespace {

bool in_hours(int hour, int from, int to) { return from <= to ? hour >= from && hour < to : hour >= from || hour < to; }

}  // namespace

std::vector<RecoveredCell> check_period_means(const ReleasedFile& pp, const ReleasedFile& dn, const nlohmann::json& anchors,
                                              std::vector<Finding>& out) {
    std::vector<RecoveredCell> recovered;
    const int pp_zone = pp.column("zone_id"), pp_time = pp.column("time"), pp_value = pp.column("devices");
    const int dn_zone = dn.column("zone_id"), dn_label = dn.column("label"), dn_value = dn.column("devices");
    if (pp_zone < 0 || pp_time < 0 || pp_value < 0 || dn_zone < 0 || dn_label < 0 || dn_value < 0 || pp.level_col < 0 ||
        dn.level_col < 0 || pp.noise != "none" || dn.noise != "none" || !anchors.is_object())
        return recovered;
    const int night_from = anchors.value("night_start_hour", 18), night_to = anchors.value("night_end_hour", 8);
    const int work_from = anchors.value("work_start_hour", 8), work_to = anchors.value("work_end_hour", 17);
    std::set<Day> holidays;
    for (const auto& h : anchors.value("holidays", nlohmann::json::array()))
        if (auto d = parse_day(h.get<std::string>())) holidays.insert(*d);

    // Every time point of the period (a time with no row anywhere has no devices anywhere).
    std::set<std::string> times;
    for (const auto& row : pp.rows) times.insert(row[size_t(pp_time)]);
    auto in_window = [&](const std::string& label, const std::string& t) {
        auto day = parse_day(std::string_view(t).substr(0, 10));
        if (!day || t.size() < 13) return false;
        int hour = std::atoi(t.substr(11, 2).c_str());
        if (label == "night") return in_hours(hour, night_from, night_to);
        bool rest = weekday(*day) >= 5 || holidays.count(*day) > 0;
        return label == "day" && !rest && in_hours(hour, work_from, work_to);
    };
    // Present population rows by (level, zone).
    std::map<std::pair<std::string, std::string>, std::vector<size_t>> by_zone;
    for (size_t i = 0; i < pp.rows.size(); ++i)
        by_zone[{pp.rows[i][size_t(pp.level_col)], pp.rows[i][size_t(pp_zone)]}].push_back(i);

    const std::string file = dn.label();
    for (size_t i = 0; i < dn.rows.size(); ++i) {
        if (!dn.released(i)) continue;
        const auto& row = dn.rows[i];
        const std::string& label = row[size_t(dn_label)];
        auto mean = parse_number(row[size_t(dn_value)]);
        auto it = by_zone.find({row[size_t(dn.level_col)], row[size_t(dn_zone)]});
        if (!mean || it == by_zone.end()) continue;
        size_t points = 0;
        for (const auto& t : times) points += in_window(label, t);
        double known = 0;
        std::vector<size_t> unknown;
        for (size_t r : it->second) {
            if (!in_window(label, pp.rows[r][size_t(pp_time)])) continue;
            if (pp.released(r)) known += parse_number(pp.rows[r][size_t(pp_value)]).value_or(0);
            else unknown.push_back(r);
        }
        if (unknown.size() != 1 || points == 0) continue;
        double value = *mean * double(points) - known;
        recovered.push_back({pp.name, unknown[0], value});
        out.push_back({"period_mean", pp.label(), pp.lines[unknown[0]],
                       fmt::format("suppressed devices {} is recoverable from the {} mean in {} line {} ({} time points)",
                                   format_value(value), label, file, dn.lines[i], points)});
    }
    return recovered;
}

}  // namespace mpdstat::audit
