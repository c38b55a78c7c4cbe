#pragma once
// What every section of the report needs: the output folder, its manifest,
// and the zone levels projected once for all maps.
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/zone_layer.hpp"

namespace mpdstat::report {

struct ReportContext {
    std::filesystem::path out_dir;
    nlohmann::json manifest;               // null when OUT_DIR/manifest.json is missing or unreadable
    std::vector<ProjectedLayer> layers;    // zone levels with geometry, coarsest first
    std::vector<std::string> geometry_notes;  // levels that could not be drawn, and why
    uint64_t min_devices = 0;              // the disclosure threshold (0: unknown)

    const ProjectedLayer* layer(const std::string& level) const;
    // A value of the manifest by JSON pointer ("/config/anchors/rules"); null when absent.
    const nlohmann::json& manifest_value(const std::string& pointer) const;
};

// Map sizes in SVG units: three maps side by side on a page.
constexpr double kMapWidth = 400;
constexpr double kMapMaxHeight = 440;

// Reads the manifest and the zone files under OUT_DIR/geo. Levels come in the
// order of the config recorded in the manifest, else by ascending zone count.
ReportContext load_report_context(const std::filesystem::path& out_dir);

}  // namespace mpdstat::report
