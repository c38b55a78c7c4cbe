#include "privacy/tier2_release.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include <oneapi/tbb/parallel_for.h>

#include "common/atomic_file.hpp"
#include "common/day_night_window.hpp"
#include "privacy/released_csv.hpp"
#include "privacy/released_parquet.hpp"
#include "privacy/released_table.hpp"
#include "privacy/sdc_summary.hpp"

namespace mpdstat {

namespace {

// What releasing one table leaves for the summary, and for the tables released after it.
struct TableRelease {
    nlohmann::ordered_json json;
    std::string line;
    // present_population's rows not released, as (level, zone) → (day, hour) points
    std::map<std::pair<uint32_t, uint32_t>, std::vector<std::pair<Day, int>>> withheld_points;
};

TableRelease release_one(AggregateTable t, const ZoneHierarchyView& zones, const Config& config, const RowFilter& withhold) {
    TableRelease out;
    std::vector<std::tuple<uint32_t, uint32_t, std::string>> present_rows;
    if (t.name == "present_population" && t.zone_columns.size() == 1 && t.key_columns.size() == 1)
        for (const auto& row : t.rows) present_rows.emplace_back(row.level, row.zones[0], row.keys[0]);
    ReleasedTable r = release(std::move(t), zones, config.sdc, withhold);
    if (!present_rows.empty()) {
        std::set<std::tuple<uint32_t, uint32_t, std::string>> released;
        for (size_t i = 0; i < r.size(); ++i)
            if (r.status()[i] == RowStatus::ok)
                released.emplace(r.table().rows[i].level, r.table().rows[i].zones[0], r.table().rows[i].keys[0]);
        for (const auto& p : present_rows)
            if (!released.count(p))
                if (auto dh = local_day_hour(std::get<2>(p))) out.withheld_points[{std::get<0>(p), std::get<1>(p)}].push_back(*dh);
    }
    // outputs.formats: CSV and / or Parquet, the same released rows in each;
    // written under output_root() (staged), recorded under out_dir.
    const std::string name = r.table().name;
    std::vector<std::string> files;
    if (config.outputs.csv()) {
        write_released_csv(r, zones, config.run.output_root() / "tier2" / (name + ".csv"));
        files.push_back((config.run.out_dir / "tier2" / (name + ".csv")).string());
    }
    if (config.outputs.parquet()) {
        write_released_parquet(r, zones, config.run.output_root() / "tier2" / (name + ".parquet"));
        files.push_back((config.run.out_dir / "tier2" / (name + ".parquet")).string());
    }
    const SdcSummary& m = r.summary();
    out.json = to_json(m);
    out.json["file"] = files.front();
    if (files.size() > 1) out.json["files"] = files;
    out.line = fmt::format("  {:<26} {:>9} rows  {:>9} released  {:>8} suppressed ({} secondary{})\n",
                           m.table + (config.outputs.csv() ? ".csv" : ".parquet"), m.rows, m.released,
                           m.primary_suppressed + m.secondary_suppressed + m.linked_suppressed, m.secondary_suppressed,
                           m.linked_suppressed ? fmt::format(", {} linked", m.linked_suppressed) : std::string());
    return out;
}

}  // namespace

Tier2Summary release_tier2(std::vector<AggregateTable> tables, const ZoneHierarchyView& zones, const Config& config) {
    Tier2Summary s;
    s.json = nlohmann::ordered_json::array();
    s.text = fmt::format("Disclosure control: values released only on >= {} devices ({} suppressed rows{})\n",
                         config.sdc.min_devices, config.sdc.suppressed == SuppressedMode::drop ? "dropping" : "flagging",
                         config.sdc.noise == NoiseMechanism::none ? "" : ", " + std::string(to_string(config.sdc.noise)) + " noise");
    // Tables are released independently, in parallel (noise is drawn from each
    // cell's identity, not from a shared stream, so the order does not matter),
    // but for one dependency: day / night population is a mean over present
    // population's time points. With one of them suppressed, a released mean
    // would give it away (mean × points − the released ones), so a mean is
    // released only when every time point of its zone in its window is (mpdstat
    // audit, rule period_mean): that table goes after present population.
    std::vector<TableRelease> done(tables.size());
    std::vector<size_t> first, after;
    for (size_t i = 0; i < tables.size(); ++i) (tables[i].name == "day_night_population" ? after : first).push_back(i);
    tbb::parallel_for(size_t(0), first.size(), [&](size_t k) {
        const size_t i = first[k];
        done[i] = release_one(std::move(tables[i]), zones, config, {});
    });
    std::map<std::pair<uint32_t, uint32_t>, std::vector<std::pair<Day, int>>> withheld_points;  // (level, zone) →
    for (size_t i : first)
        for (auto& [zone, points] : done[i].withheld_points) {
            auto& all = withheld_points[zone];
            all.insert(all.end(), points.begin(), points.end());
        }
    for (size_t i : after) {
        AggregateTable& t = tables[i];
        RowFilter withhold;
        if (!withheld_points.empty()) {
            auto label = std::find(t.key_columns.begin(), t.key_columns.end(), "label") - t.key_columns.begin();
            withhold = [&withheld_points, &config, label](const AggregateRow& row) {
                auto it = withheld_points.find({row.level, row.zones.at(0)});
                if (it == withheld_points.end() || size_t(label) >= row.keys.size()) return false;
                for (const auto& [day, hour] : it->second)
                    if (in_window(row.keys[size_t(label)], day, hour, config.anchors)) return true;
                return false;
            };
        }
        done[i] = release_one(std::move(t), zones, config, withhold);
    }
    for (auto& d : done) {
        s.json.push_back(std::move(d.json));
        s.text += d.line;
    }
    write_file_atomically(config.run.output_root() / "qa" / "sdc.json", s.json.dump(2) + "\n");
    return s;
}

}  // namespace mpdstat
