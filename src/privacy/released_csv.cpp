#include "privacy/released_csv.hpp"

#include <cmath>

#include <fmt/format.h>

#include "common/atomic_file.hpp"
#include "common/error.hpp"

namespace mpdstat {

namespace {

void put_field(std::string& out, std::string_view s) {
    if (s.find_first_of(",\"\n\r") == std::string_view::npos) {
        out += s;
        return;
    }
    out += '"';
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
}

}  // namespace

std::string format_value(double v) {
    if (!std::isfinite(v)) return {};
    if (v == std::floor(v) && std::fabs(v) < 9007199254740992.0) {  // 2^53: exactly representable integers
        if (v == 0) return "0";
        return fmt::format("{:.0f}", v);
    }
    std::string s = fmt::format("{:.6f}", v);
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    if (s == "-0") s = "0";
    return s;
}

void write_released_csv(const ReleasedTable& released, const ZoneHierarchyView& h, const std::filesystem::path& path) {
    const AggregateTable& t = released.table();
    std::string buf;
    buf += "zone_level";
    for (const auto* cols : {&t.zone_columns, &t.key_columns, &t.value_columns})
        for (const auto& c : *cols) {
            buf += ',';
            put_field(buf, c);
        }
    buf += ",status,support\n";

    AtomicFile file(path);
    for (size_t i = 0; i < t.rows.size(); ++i) {
        const AggregateRow& row = t.rows[i];
        const bool ok = released.status()[i] == RowStatus::ok;
        if (row.level >= h.level_names.size()) throw runtime_error(fmt::format("table '{}': zone level beyond the hierarchy", t.name));
        put_field(buf, h.level_names[row.level]);
        for (uint32_t z : row.zones) {
            buf += ',';
            put_field(buf, h.zone_ids[row.level].at(z));
        }
        for (const auto& k : row.keys) {
            buf += ',';
            put_field(buf, k);
        }
        for (double v : row.values) {
            buf += ',';
            if (ok) buf += format_value(v);
        }
        buf += ',';
        buf += to_string(released.status()[i]);
        buf += ',';
        if (ok) buf += fmt::format("{}", row.support);
        buf += '\n';
        if (buf.size() >= (1u << 20)) {
            file.write(buf);
            buf.clear();
        }
    }
    file.write(buf);
    file.commit();
}

}  // namespace mpdstat
