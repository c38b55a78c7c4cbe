#include "estimate/inbound_factors.hpp"

#include <cmath>

#include <fmt/format.h>

#include "common/error.hpp"
#include "ingest/csv.hpp"

namespace mpdstat {

InboundFactors InboundFactors::load(const std::filesystem::path& file) {
    InboundFactors f;
    f.file_ = file;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec))
        throw data_error(fmt::format("{}: inbound factors file not found (estimate.mno.inbound_factors)", file.string()));
    CsvFileReader reader(file, ',', 0);
    const int cc = column_index(reader.header(), "country"), fc = column_index(reader.header(), "factor");
    if (cc < 0 || fc < 0) throw data_error(fmt::format("{}:1: the header must have columns country,factor", file.string()));
    for_each_record(reader, ',', [&](const CsvRecord& rec, uint64_t line, bool ok) {
        if (!ok || rec.size() <= static_cast<size_t>(std::max(cc, fc)))
            throw data_error(fmt::format("{}:{}: a row with too few fields", file.string(), line));
        const std::string country(rec[static_cast<size_t>(cc)]), text(rec[static_cast<size_t>(fc)]);
        char* end = nullptr;
        const double v = std::strtod(text.c_str(), &end);
        if (text.empty() || *end != '\0' || !(v > 0) || !std::isfinite(v))
            throw data_error(fmt::format("{}:{}: field 'factor' must be a number > 0, not \"{}\"", file.string(), line, text));
        if (!f.factors_.emplace(country, v).second)
            throw data_error(fmt::format("{}:{}: country '{}' appears twice", file.string(), line, country));
    });
    return f;
}

double InboundFactors::factor(const std::string& country) const {
    if (auto it = factors_.find(country); it != factors_.end()) return it->second;
    if (auto it = factors_.find("*"); it != factors_.end()) return it->second;
    throw data_error(fmt::format("{}: no factor for country '{}' (add a row for it, or a '*' row for every other country)",
                                 file_.string(), country));
}

}  // namespace mpdstat
