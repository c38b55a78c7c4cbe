#pragma once
// A small synthetic country for the incremental tests: 120 devices over 4 days,
// one uncompressed event file per day (so that a test can edit a day), and
// its config over the first N of those files.
#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "synth/generator.hpp"
#include "synth/options.hpp"
#include "test_util.hpp"

namespace mpdstat::test {

struct DayFilesCountry {
    TempDir dir;
    std::string toml;
    std::vector<std::string> day_files;  // "events/…", in date order
    explicit DayFilesCountry(const std::string& faults = "") {
        auto o = synth::preset_options("test");
        o.devices = 120;
        o.days = 4;
        o.compression = synth::OutCompression::none;
        if (!faults.empty()) o.faults = synth::parse_faults(faults);
        synth::generate(o, dir.path());
        toml = slurp(dir / "mpdstat.toml");
        for (const auto& e : std::filesystem::directory_iterator(dir / "events"))
            day_files.push_back("events/" + e.path().filename().string());
        std::sort(day_files.begin(), day_files.end());
    }
    // The generated config with input.events listing the first `days` files.
    std::string toml_over(size_t days) const {
        std::string events = "events = [";
        for (size_t i = 0; i < days; ++i) events += (i ? ", \"" : "\"") + day_files[i] + "\"";
        std::string t = toml;
        const auto at = t.find("events = [");
        t.replace(at, t.find('\n', at) - at, events + "]");
        return t;
    }
};

}  // namespace mpdstat::test
