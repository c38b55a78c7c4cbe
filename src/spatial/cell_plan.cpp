#include "spatial/cell_plan.hpp"

#include <charconv>
#include <memory>
#include <optional>

#include <fmt/format.h>

#include "common/error.hpp"
#include "parquet/text_rows.hpp"
#include "ingest/csv.hpp"

namespace mpdstat {

std::string normalise_cell_id(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    size_t dot = s.find('.');
    if (dot != std::string_view::npos && dot > 0) {
        bool integral = true;
        for (size_t i = 0; i < dot; ++i)
            if (!(s[i] >= '0' && s[i] <= '9') && !(i == 0 && s[i] == '-')) integral = false;
        for (size_t i = dot + 1; i < s.size(); ++i)
            if (s[i] != '0') integral = false;
        if (integral) s = s.substr(0, dot);
    }
    return std::string(s);
}

namespace {

std::optional<double> parse_double(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    if (s.empty()) return std::nullopt;
    double v = 0;
    auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec != std::errc() || r.ptr != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

}  // namespace

void CellPlan::add(Cell c) {
    if (c.site_id.empty()) c.site_id = c.id;
    auto [it, fresh] = by_id_.try_emplace(c.id, static_cast<uint32_t>(versions_.size()));
    if (fresh) {
        versions_.emplace_back();
        fast_.insert(c.id, it->second);
    }
    versions_[it->second].push_back(static_cast<uint32_t>(cells_.size()));
    validity_.emplace_back(c.valid_from, c.valid_to);
    if (std::optional<uint64_t> key = pack_decimal_id(c.id)) {
        const auto& v = versions_[it->second];
        DecimalEntry e{it->second, npos, 0, 0};
        if (v.size() == 1) e = {it->second, v[0], c.valid_from, c.valid_to};
        decimal_.insert(*key, e);
    }
    cells_.push_back(std::move(c));
}

uint32_t CellPlan::find(std::string_view id, Day day, bool& known) const {
    uint32_t slot;
    if (std::optional<uint64_t> key = pack_decimal_id(id)) {
        const DecimalEntry* e = decimal_.find(*key);
        known = e != nullptr;
        if (!e) return npos;
        if (e->only_version != npos) return day >= e->valid_from && day <= e->valid_to ? e->only_version : npos;
        slot = e->slot;
    } else if (const uint32_t* hit = fast_.find(id)) {
        slot = *hit;
    } else {
        auto it = id.size() > FlatStringMap<uint32_t>::kMaxKey ? by_id_.find(id) : by_id_.end();
        if (it == by_id_.end()) {
            known = false;
            return npos;
        }
        slot = it->second;
    }
    known = true;
    const auto& versions = versions_[slot];
    if (versions.size() == 1) {  // the usual case: one version of the cell
        uint32_t i = versions[0];
        return day >= validity_[i].first && day <= validity_[i].second ? i : npos;
    }
    for (uint32_t i : versions)
        if (day >= validity_[i].first && day <= validity_[i].second) return i;
    return npos;
}

CellPlan CellPlan::load(const std::filesystem::path& path, const CellColumns& cc, char delimiter) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw data_error(fmt::format("{}: {} (input.cells)", path.string(),
                                     std::filesystem::exists(path, ec) ? "is not a regular file" : "cells file not found"));
    // The cells file is CSV, or Parquet when named *.parquet; both give rows of text fields.
    const bool parquet = path.extension() == ".parquet";
    std::unique_ptr<CsvFileReader> reader;
    std::optional<parquet::FileReader> table;
    std::vector<std::string> header;
    if (parquet) {
        table.emplace(parquet::FileReader::open(path));
        for (const auto& col : table->columns()) header.push_back(col.name);
    } else {
        reader = std::make_unique<CsvFileReader>(path, delimiter, 0);
        header = reader->header();
    }
    auto column = [&](const std::string& name, bool required) -> int {
        if (name.empty()) return -1;
        for (size_t i = 0; i < header.size(); ++i)
            if (header[i] == name) return static_cast<int>(i);
        if (required)
            throw data_error(fmt::format("{}:1: the cells file has no column '{}' (input.cell_columns); its columns are: {}",
                                         path.string(), name, fmt::join(header, ", ")));
        return -1;
    };
    if (parquet ? table->total_rows() == 0 : reader->empty())
        throw data_error(fmt::format("{}: the cells file is empty", path.string()));
    int c_id = column(cc.cell_id, true), c_lat = column(cc.lat, true), c_lon = column(cc.lon, true);
    int c_site = column(cc.site_id, false), c_az = column(cc.azimuth, false), c_bw = column(cc.beam_width, false);
    int c_range = column(cc.range_m, false), c_tech = column(cc.technology, false);
    int c_from = column(cc.valid_from, false), c_to = column(cc.valid_to, false);

    CellPlan plan;
    auto add_row = [&](const CsvRecord& rec, uint64_t line, bool split_ok) {
        auto problem = [&](std::string id, std::string why) { plan.problems_.push_back({line, std::move(id), std::move(why)}); };
        if (!split_ok) { problem("", "unclosed quote"); return; }
        if (rec.size() != header.size()) {
            problem("", fmt::format("{} fields, the header has {}", rec.size(), header.size()));
            return;
        }
        auto field = [&](int i) { return i < 0 ? std::string_view() : rec[static_cast<size_t>(i)]; };
        Cell c;
        c.id = normalise_cell_id(field(c_id));
        if (c.id.empty()) { problem("", "missing cell_id"); return; }
        auto lat = parse_double(field(c_lat)), lon = parse_double(field(c_lon));
        if (!lat || !lon || *lat < -90 || *lat > 90 || *lon < -180 || *lon > 180 || (*lat == 0 && *lon == 0)) {
            problem(c.id, fmt::format("bad coordinates lat='{}' lon='{}'", field(c_lat), field(c_lon)));
            return;
        }
        c.lat = *lat;
        c.lon = *lon;
        c.site_id = normalise_cell_id(field(c_site));
        if (auto v = parse_double(field(c_az))) c.azimuth = std::fmod(std::fmod(*v, 360.0) + 360.0, 360.0);
        if (auto v = parse_double(field(c_bw)); v && *v > 0 && *v <= 360) c.beam_width = *v;
        if (auto v = parse_double(field(c_range)); v && *v > 0) c.range_m = *v;
        c.technology = std::string(field(c_tech));
        bool bad_date = false;
        for (auto [col, out] : {std::pair{c_from, &c.valid_from}, std::pair{c_to, &c.valid_to}}) {
            std::string_view v = field(col);
            if (v.empty()) continue;
            auto d = parse_day(v.substr(0, 10));
            if (!d) {
                problem(c.id, fmt::format("bad validity date '{}'", v));
                bad_date = true;
            } else {
                *out = *d;
            }
        }
        if (bad_date) return;
        if (c.valid_to < c.valid_from) {
            problem(c.id, "valid_to is before valid_from");
            return;
        }
        plan.add(std::move(c));
    };
    if (parquet) {
        std::vector<bool> wanted(header.size(), false);
        for (int col : {c_id, c_lat, c_lon, c_site, c_az, c_bw, c_range, c_tech, c_from, c_to})
            if (col >= 0) wanted[size_t(col)] = true;
        CsvRecord rec;
        // Rows are numbered from 2, as the lines of the same table in CSV with its header.
        parquet::for_each_text_row(*table, wanted, [&](std::span<const std::string_view> fields, uint64_t row) {
            rec.assign(fields);
            add_row(rec, row + 1, true);
        });
    } else {
        for_each_record(*reader, delimiter, add_row);
        if (reader->source().truncated())
            throw data_error(fmt::format("{}: {}", path.string(), reader->source().error()));
    }
    if (plan.cells_.empty())
        throw data_error(fmt::format("{}: no usable cell in the cells file ({} rows rejected)", path.string(),
                                     plan.problems_.size()));
    return plan;
}

}  // namespace mpdstat
