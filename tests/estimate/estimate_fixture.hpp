#pragma once
// A hand-made world for the estimate tests: two regions, four districts,
//   R1 ⊃ D1, D2, D4     R2 ⊃ D3
// census per district D1 6000, D2 3000, D4 1000, D3 5000 (R1 10000, R2 5000),
// and Tier II folders written as `mpdstat run` writes them (geo/, tier2/),
// with the values each test chooses.
#include <string>
#include <vector>

#include <fmt/format.h>

#include "test_util.hpp"

namespace mpdstat::test {

inline std::string square_feature(const std::string& id, const std::string& parent, const std::string& level, double x0, double x1) {
    return fmt::format(R"({{"type":"Feature","properties":{{"zone_id":"{}","name":"{}","parent_id":{},"level":"{}","lon":{},"lat":0.5}},)"
                       R"("geometry":{{"type":"Polygon","coordinates":[[[{},0],[{},0],[{},1],[{},1],[{},0]]]}}}})",
                       id, id, parent.empty() ? "null" : "\"" + parent + "\"", level, (x0 + x1) / 2, x0, x1, x1, x0, x0);
}

// geo/zones_region.geojson and geo/zones_district.geojson of the test world.
inline void write_test_zones(const fs::path& dir) {
    auto collection = [](const std::vector<std::string>& f) {
        std::string s = R"({"type":"FeatureCollection","features":[)";
        for (size_t i = 0; i < f.size(); ++i) s += (i ? "," : "") + f[i];
        return s + "]}";
    };
    spit(dir / "geo" / "zones_region.geojson",
         collection({square_feature("R1", "", "region", 0, 3), square_feature("R2", "", "region", 3, 4)}));
    spit(dir / "geo" / "zones_district.geojson",
         collection({square_feature("D1", "R1", "district", 0, 1), square_feature("D2", "R1", "district", 1, 2),
                     square_feature("D4", "R1", "district", 2, 3), square_feature("D3", "R2", "district", 3, 4)}));
}

inline void write_test_census(const fs::path& file) { spit(file, "zone_id,population\nD1,6000\nD2,3000\nD4,1000\nD3,5000\n"); }

// One released row of a one-zone table ("" value = suppressed).
struct ZoneValue {
    std::string level, zone, value;
};

// usual_environment.csv with `home` rows (support = devices).
inline void write_residents(const fs::path& dir, const std::vector<ZoneValue>& rows) {
    std::string s = "zone_level,zone_id,period_start,period_end,label,devices,status,support\n";
    for (const auto& r : rows)
        s += r.value.empty() ? fmt::format("{},{},2024-01-01,2024-01-31,home,,suppressed,\n", r.level, r.zone)
                             : fmt::format("{},{},2024-01-01,2024-01-31,home,{},ok,{}\n", r.level, r.zone, r.value, r.value);
    spit(dir / "tier2" / "usual_environment.csv", s);
}

// present_population.csv at one time point (support = devices).
inline void write_present(const fs::path& dir, const std::vector<ZoneValue>& rows) {
    std::string s = "zone_level,zone_id,time,devices,status,support\n";
    for (const auto& r : rows)
        s += r.value.empty() ? fmt::format("{},{},2024-01-10T12:00:00+00:00,,suppressed,\n", r.level, r.zone)
                             : fmt::format("{},{},2024-01-10T12:00:00+00:00,{},ok,{}\n", r.level, r.zone, r.value, r.value);
    spit(dir / "tier2" / "present_population.csv", s);
}

// Operator A: residents R1 100 (D1 55, D2 35, D4 10), R2 40 (D3 40);
// present population R1 80 (D1 50, D2 and D4 suppressed), R2 40 (D3 40).
inline fs::path write_operator_a(const fs::path& dir) {
    write_test_zones(dir);
    write_residents(dir, {{"region", "R1", "100"}, {"region", "R2", "40"}, {"district", "D1", "55"}, {"district", "D2", "35"},
                          {"district", "D4", "10"}, {"district", "D3", "40"}});
    write_present(dir, {{"region", "R1", "80"}, {"region", "R2", "40"}, {"district", "D1", "50"}, {"district", "D2", ""},
                        {"district", "D4", ""}, {"district", "D3", "40"}});
    return dir;
}

// Operator B: residents R1 200 (D1 120, D2 50, D4 30), R2 100 (D3 100);
// present population everywhere released: R1 160 (D1 100, D2 40, D4 20), R2 90 (D3 90).
inline fs::path write_operator_b(const fs::path& dir) {
    write_test_zones(dir);
    write_residents(dir, {{"region", "R1", "200"}, {"region", "R2", "100"}, {"district", "D1", "120"}, {"district", "D2", "50"},
                          {"district", "D4", "30"}, {"district", "D3", "100"}});
    write_present(dir, {{"region", "R1", "160"}, {"region", "R2", "90"}, {"district", "D1", "100"}, {"district", "D2", "40"},
                        {"district", "D4", "20"}, {"district", "D3", "90"}});
    return dir;
}

// The Tier III rows of a file as maps column → value, keyed by "level,zone,label-or-time".
inline std::map<std::string, std::map<std::string, std::string>> read_tier3(const fs::path& file) {
    std::istringstream in(slurp(file));
    std::string line;
    std::getline(in, line);
    std::vector<std::string> header;
    for (std::istringstream h(line); std::getline(h, line, ',');) header.push_back(line);
    std::map<std::string, std::map<std::string, std::string>> rows;
    while (std::getline(in, line)) {
        std::vector<std::string> f;
        std::string cell;
        std::istringstream ls(line);
        while (std::getline(ls, cell, ',')) f.push_back(cell);
        if (!line.empty() && line.back() == ',') f.push_back("");
        std::map<std::string, std::string> row;
        for (size_t i = 0; i < header.size() && i < f.size(); ++i) row[header[i]] = f[i];
        rows[row["zone_level"] + "," + row["zone_id"]] = row;
    }
    return rows;
}

}  // namespace mpdstat::test
