#include "audit/linkage_attack.hpp"

#include <algorithm>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "common/error.hpp"
#include "ingest/csv.hpp"

namespace mpdstat::audit {

namespace {

// Where a table places a device by what the attacker knows of it.
enum class Place { home_work, home, work };

struct TableSpec {
    const char* table;
    const char* attack;
    std::vector<const char*> zone_columns;  // one or two
    Place place;
    const char* label_column = nullptr;     // when set, only rows whose label is `label`
    const char* label = nullptr;
};

const std::vector<TableSpec>& specs() {
    static const std::vector<TableSpec> s = {
        {"commuting", "home_work_pair", {"home_zone", "work_zone"}, Place::home_work},
        {"od_trips", "od_commute", {"origin", "destination"}, Place::home_work},
        {"od_daily_locations", "od_commute", {"origin", "destination"}, Place::home_work},
        {"usual_environment", "usual_environment", {"zone_id"}, Place::home, "label", "home"},
        {"usual_environment", "usual_environment", {"zone_id"}, Place::work, "label", "work"},
        {"mobility", "home_zone_tables", {"home_zone"}, Place::home},
        {"displacement", "home_zone_tables", {"home_zone"}, Place::home},
        {"tourism_outbound", "home_zone_tables", {"origin_zone"}, Place::home},
    };
    return s;
}

std::string cell_key(const std::string& attack, const std::string& level, const std::string& a, const std::string& b) {
    return attack + '\x1f' + level + '\x1f' + a + '\x1f' + b;
}

struct TruthDevice {
    std::string home, work;
};

std::vector<TruthDevice> read_truth(const std::filesystem::path& dir) {
    auto path = dir / "home_work.csv";
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        throw data_error(fmt::format("{}: no such file; --truth must be the truth folder of 'mpdstat synth'", path.string()));
    CsvFileReader reader(path, ',', 0);
    int user = column_index(reader.header(), "user_id"), home = column_index(reader.header(), "home_zone"),
        work = column_index(reader.header(), "work_zone");
    if (user < 0 || home < 0 || work < 0)
        throw data_error(fmt::format("{}: expected columns user_id, home_zone, work_zone", path.string()));
    std::map<std::string, TruthDevice> by_user;  // the first month's anchors per device
    for_each_record(reader, ',', [&](const CsvRecord& r, uint64_t line, bool ok) {
        if (!ok || r.size() != reader.header().size()) throw data_error(fmt::format("{}:{}: malformed row", path.string(), line));
        if (r[size_t(home)].empty()) return;
        by_user.try_emplace(std::string(r[size_t(user)]), TruthDevice{std::string(r[size_t(home)]), std::string(r[size_t(work)])});
    });
    std::vector<TruthDevice> out;
    for (auto& [u, d] : by_user) out.push_back(std::move(d));
    return out;
}

}  // namespace

nlohmann::ordered_json AttackResult::to_json() const {
    nlohmann::ordered_json j;
    j["devices"] = devices;
    j["singled_out"] = singled_out;
    j["singled_out_share"] = share();
    j["by_attack"] = by_attack;
    j["unique_home_work_in_truth"] = unique_home_work;
    return j;
}

AttackResult run_linkage_attacks(const std::map<std::string, ReleasedFile>& files,
                                 const std::vector<RecoveredCell>& recovered, const ZoneTree& zones,
                                 const std::filesystem::path& truth_dir, uint64_t k) {
    std::vector<TruthDevice> truth = read_truth(truth_dir);
    AttackResult result;
    result.devices = truth.size();
    for (const auto& spec : specs()) result.by_attack[spec.attack] = 0;

    // Small cells: released with a support in [1, k - 1], or recovered by
    // differencing with a value in (0, k).
    std::map<std::pair<std::string, size_t>, double> recovered_value;
    for (const auto& r : recovered) recovered_value[{r.table, r.row}] = r.value;
    std::set<std::string> small;
    for (const auto& spec : specs()) {
        auto it = files.find(spec.table);
        if (it == files.end()) continue;
        const ReleasedFile& f = it->second;
        std::vector<int> cols;
        for (const char* c : spec.zone_columns) cols.push_back(f.column(c));
        const int label = spec.label_column ? f.column(spec.label_column) : -1;
        if (f.level_col < 0 || std::find(cols.begin(), cols.end(), -1) != cols.end() || (spec.label_column && label < 0))
            continue;
        for (size_t i = 0; i < f.rows.size(); ++i) {
            const auto& row = f.rows[i];
            if (label >= 0 && row[size_t(label)] != spec.label) continue;
            std::optional<double> count;
            if (f.released(i) && f.support_col >= 0) count = parse_number(row[size_t(f.support_col)]);
            else if (auto rv = recovered_value.find({f.name, i}); rv != recovered_value.end()) count = rv->second;
            if (!count || *count <= 1e-9 || *count >= double(k)) continue;
            small.insert(cell_key(spec.attack + std::string(spec.label ? spec.label : ""), row[size_t(f.level_col)],
                                  row[size_t(cols[0])], cols.size() > 1 ? row[size_t(cols[1])] : ""));
        }
    }

    std::map<std::pair<std::string, std::string>, uint64_t> pair_count;
    for (const auto& d : truth) ++pair_count[{d.home, d.work}];
    for (const auto& d : truth) {
        if (pair_count[{d.home, d.work}] == 1) ++result.unique_home_work;
        constexpr size_t kNone = ~size_t(0);
        const size_t home_level = zones.level_of(d.home).value_or(kNone);
        const size_t work_level = d.work.empty() ? kNone : zones.level_of(d.work).value_or(kNone);
        std::set<std::string> attacks;
        for (const auto& spec : specs()) {
            bool hit = false;
            for (size_t l = 0; l < zones.levels().size() && !hit; ++l) {
                std::string h = home_level != kNone && l <= home_level ? zones.ancestor(home_level, d.home, l) : "";
                std::string w = work_level != kNone && l <= work_level ? zones.ancestor(work_level, d.work, l) : "";
                std::string a, b;
                if (spec.place == Place::home_work) {
                    if (h.empty() || w.empty()) continue;
                    a = h;
                    b = w;
                } else {
                    a = spec.place == Place::home ? h : w;
                    if (a.empty()) continue;
                }
                hit = small.count(cell_key(spec.attack + std::string(spec.label ? spec.label : ""), zones.levels()[l], a, b)) > 0;
            }
            if (hit) attacks.insert(spec.attack);
        }
        for (const auto& a : attacks) ++result.by_attack[a];
        if (!attacks.empty()) ++result.singled_out;
    }
    return result;
}

}  // namespace mpdstat::audit
