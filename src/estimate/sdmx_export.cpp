#include "estimate/sdmx_export.hpp"

#include <fmt/format.h>

#include "common/atomic_file.hpp"
#include "common/civil_time.hpp"
#include "privacy/released_csv.hpp"

namespace mpdstat {

namespace fs = std::filesystem;

namespace {

struct Dataflow {
    std::string_view table;
    const char* id;                      // dataflow id
    std::vector<const char*> dimensions; // after ZONE_LEVEL
    const char* unit;
};

std::string obs_status(RowKind k) { return k == RowKind::released ? "A" : k == RowKind::estimated ? "E" : "M"; }

// A period as an SDMX time range: start date and its length, "2024-03-25/P14D".
std::string time_range(const std::string& start, const std::string& end) {
    auto s = parse_day(start), e = parse_day(end);
    if (!s || !e) return start + "/" + end;
    return fmt::format("{}/P{}D", start, *e - *s + 1);
}

}  // namespace

std::vector<fs::path> write_sdmx_exports(const Tier3Result& result, const ZoneTree& zones, const EstimateConfig& cfg,
                                         const fs::path& dir) {
    static const std::vector<Dataflow> flows = {
        {"usual_environment", "MPD_RESIDENTS", {"REF_AREA", "TIME_PERIOD"}, "PERSONS"},
        {"present_population", "MPD_PRESENT_POPULATION", {"REF_AREA", "TIME_PERIOD"}, "PERSONS"},
        {"od_trips", "MPD_OD_TRIPS", {"ORIGIN", "DESTINATION", "TIME_PERIOD", "DEPARTURE_HOUR"}, "TRIPS"},
    };
    std::vector<fs::path> written;
    for (const auto& flow : flows) {
        const Tier3Table* t = result.table(flow.table);
        if (!t) continue;
        fs::create_directories(dir);
        const std::string structure = fmt::format("{}:{}(1.0)", cfg.sdmx_agency, flow.id);
        std::string text = "STRUCTURE,STRUCTURE_ID,ACTION,ZONE_LEVEL";
        for (const char* d : flow.dimensions) text += fmt::format(",{}", d);
        text += ",OBS_VALUE,LOWER_BOUND,UPPER_BOUND,OBS_STATUS,CONF_STATUS,QUALITY,UNIT_MEASURE\n";
        for (const auto& r : t->rows) {
            const auto& f = r.fields;  // zone_level, zones…, keys…
            std::vector<std::string> dims;
            if (flow.table == "usual_environment") {
                if (f[4] != "home") continue;  // residents only
                dims = {f[1], time_range(f[2], f[3])};
            } else if (flow.table == "present_population") {
                dims = {f[1], f[2]};
            } else {
                dims = {f[1], f[2], f[3], f[4]};
            }
            text += fmt::format("dataflow,{},I,{},{},{},{},{},{},{},{},{}\n", structure, zones.levels[r.level].name, fmt::join(dims, ","),
                                format_value(r.estimate), format_value(r.ci_low), format_value(r.ci_high), obs_status(r.kind),
                                r.kind == RowKind::suppressed ? "C" : "F", r.quality, flow.unit);
        }
        const fs::path p = dir / (std::string(flow.table) + ".csv");
        write_file_atomically(p, text);
        written.push_back(p);
    }
    return written;
}

}  // namespace mpdstat
