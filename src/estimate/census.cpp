#include "estimate/census.hpp"

#include <cmath>
#include <numeric>

#include <fmt/format.h>

#include "common/error.hpp"
#include "ingest/csv.hpp"

namespace mpdstat {

namespace fs = std::filesystem;

double Census::total() const { return population.empty() ? 0 : std::accumulate(population[0].begin(), population[0].end(), 0.0); }

Census Census::from_values(const ZoneTree& zones, size_t level, const std::vector<double>& values) {
    Census c;
    c.level = level;
    c.population.resize(level + 1);
    c.population[level] = values;
    for (size_t l = level; l-- > 0;) {
        c.population[l].assign(zones.levels[l].ids.size(), 0.0);
        for (size_t z = 0; z < c.population[l + 1].size(); ++z) c.population[l][zones.levels[l + 1].parent[z]] += c.population[l + 1][z];
    }
    return c;
}

Census Census::load(const EstimateConfig& config, const ZoneTree& zones) {
    const int level = zones.level_index(config.census_level);
    if (level < 0)
        throw config_error(fmt::format("{}: estimate.census_level '{}' is not a zone level of the Tier II folders", config.source.string(),
                                       config.census_level));
    const fs::path& file = config.census;
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) throw data_error(fmt::format("{}: census file not found (estimate.census)", file.string()));
    CsvFileReader reader(file, ',', 0);
    const int id_col = column_index(reader.header(), config.census_id_column);
    const int pop_col = column_index(reader.header(), config.census_population_column);
    for (auto [col, key, name] : {std::tuple{id_col, "census_id_column", &config.census_id_column},
                                  {pop_col, "census_population_column", &config.census_population_column}})
        if (col < 0) throw data_error(fmt::format("{}:1: no column '{}' (estimate.{})", file.string(), *name, key));
    const auto& lvl = zones.levels[static_cast<size_t>(level)];
    std::vector<double> values(lvl.ids.size(), std::nan(""));
    for_each_record(reader, ',', [&](const CsvRecord& rec, uint64_t line, bool ok) {
        if (!ok || rec.size() <= static_cast<size_t>(std::max(id_col, pop_col)))
            throw data_error(fmt::format("{}:{}: a row with too few fields", file.string(), line));
        const std::string id(rec[static_cast<size_t>(id_col)]);
        const uint32_t z = zones.find(static_cast<size_t>(level), id);
        if (z == kNoZoneId)
            throw data_error(fmt::format("{}:{}: zone '{}' is not a zone of level '{}'", file.string(), line, id, lvl.name));
        if (!std::isnan(values[z])) throw data_error(fmt::format("{}:{}: zone '{}' appears twice", file.string(), line, id));
        const std::string text(rec[static_cast<size_t>(pop_col)]);
        char* end = nullptr;
        const double v = std::strtod(text.c_str(), &end);
        if (text.empty() || *end != '\0' || !(v >= 0) || !std::isfinite(v))
            throw data_error(fmt::format("{}:{}: field '{}' must be a number >= 0, not \"{}\"", file.string(), line,
                                         config.census_population_column, text));
        values[z] = v;
    });
    std::vector<std::string> missing;
    for (size_t z = 0; z < values.size(); ++z)
        if (std::isnan(values[z])) {
            values[z] = 0;
            missing.push_back(lvl.ids[z]);
        }
    Census c = from_values(zones, static_cast<size_t>(level), values);
    c.missing_zones = std::move(missing);
    return c;
}

}  // namespace mpdstat
