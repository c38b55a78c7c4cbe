#pragma once
// Per-country factors for inbound tourism: how many visitors one roaming
// device of this operator stands for (roaming agreements, border statistics).
// A CSV `country,factor`; the row `*` gives a factor for countries not listed.
// A country with no factor and no `*` row is an error, never a silent default.
#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace mpdstat {

class InboundFactors {
public:
    // Throws a data error naming file:line on a bad row or a duplicate country.
    static InboundFactors load(const std::filesystem::path& file);
    static InboundFactors from_map(std::map<std::string, double> factors) {
        InboundFactors f;
        f.factors_ = std::move(factors);
        return f;
    }

    bool empty() const noexcept { return factors_.empty(); }
    // The factor of a country; throws a data error naming the file and country when there is none.
    double factor(const std::string& country) const;
    const std::filesystem::path& file() const noexcept { return file_; }

private:
    std::filesystem::path file_;
    std::map<std::string, double> factors_;
};

}  // namespace mpdstat
