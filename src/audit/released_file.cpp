#include "audit/released_file.hpp"

#include <algorithm>
#include <charconv>
#include <set>

#include <fmt/format.h>

#include "common/error.hpp"
#include "ingest/csv.hpp"

namespace mpdstat::audit {

namespace {

// Zone columns of the engine's tables, for files not described in qa/sdc.json.
const std::set<std::string> kZoneColumnNames = {"zone_id",     "origin",       "destination", "home_zone",
                                                "work_zone",   "present_zone", "origin_zone", "destination_zone"};

std::vector<size_t> indices_of(const ReleasedFile& f, const nlohmann::json& names) {
    std::vector<size_t> out;
    for (const auto& n : names) {
        int c = f.column(n.get<std::string>());
        if (c < 0)
            throw data_error(fmt::format("{}: column '{}' named in qa/sdc.json is not in the file", f.path.string(),
                                         n.get<std::string>()));
        out.push_back(size_t(c));
    }
    return out;
}

}  // namespace

int ReleasedFile::column(std::string_view n) const {
    auto it = std::find(header.begin(), header.end(), n);
    return it == header.end() ? -1 : int(it - header.begin());
}

std::optional<double> parse_number(std::string_view s) {
    if (s.empty()) return std::nullopt;
    double v = 0;
    auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
    return v;
}

ReleasedFile load_released_file(const std::filesystem::path& path, const nlohmann::json* sdc) {
    ReleasedFile f;
    f.path = path;
    f.name = path.stem().string();
    CsvFileReader reader(path, ',', 0);
    if (reader.empty()) throw data_error(fmt::format("{}: empty file", path.string()));
    f.header = reader.header();
    for_each_record(reader, ',', [&](const CsvRecord& r, uint64_t line, bool ok) {
        if (!ok || r.size() != f.header.size())
            throw data_error(fmt::format("{}:{}: the row does not have the header's {} fields", path.string(), line,
                                         f.header.size()));
        f.rows.emplace_back(r.fields().begin(), r.fields().end());
        f.lines.push_back(line);
    });
    f.level_col = f.column("zone_level");
    f.status_col = f.column("status");
    f.support_col = f.column("support");

    if (sdc && sdc->contains("value_columns")) {
        f.layout_known = true;
        f.zone_cols = indices_of(f, sdc->at("zone_columns"));
        f.key_cols = indices_of(f, sdc->at("key_columns"));
        f.value_cols = indices_of(f, sdc->at("value_columns"));
        f.additive_values = sdc->value("additive_values", uint64_t(0));
        f.hierarchical = sdc->value("hierarchical", false);
    } else {
        // Guess: zones by name; values are the fields a suppressed row leaves
        // empty; the rest are keys. Differencing needs the layout, so a guessed
        // file is never treated as hierarchical.
        std::vector<bool> empty_when_suppressed(f.header.size(), true);
        bool any_suppressed = false;
        for (size_t i = 0; i < f.rows.size(); ++i) {
            if (f.status_col < 0 || f.rows[i][size_t(f.status_col)] != "suppressed") continue;
            any_suppressed = true;
            for (size_t c = 0; c < f.header.size(); ++c) empty_when_suppressed[c] = empty_when_suppressed[c] && f.rows[i][c].empty();
        }
        for (size_t c = 0; c < f.header.size(); ++c) {
            if (int(c) == f.level_col || int(c) == f.status_col || int(c) == f.support_col) continue;
            if (kZoneColumnNames.count(f.header[c])) f.zone_cols.push_back(c);
            else if (any_suppressed && empty_when_suppressed[c]) f.value_cols.push_back(c);
            else f.key_cols.push_back(c);
        }
    }
    if (sdc) {
        if (sdc->contains("min_devices")) f.min_devices = sdc->at("min_devices").get<uint64_t>();
        f.suppressed_mode = sdc->value("suppressed", std::string("flag"));
        if (sdc->contains("noise")) f.noise = sdc->at("noise").value("mechanism", std::string("none"));
    }
    return f;
}

}  // namespace mpdstat::audit
