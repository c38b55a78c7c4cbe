#include "report/report_context.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "common/atomic_file.hpp"
#include "common/error.hpp"

namespace mpdstat::report {

namespace fs = std::filesystem;

namespace {

// The file name spatial_output.cpp gives a level.
std::string level_file_name(const std::string& level) {
    std::string out;
    for (char c : level) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
    return "zones_" + (out.empty() ? std::string("level") : out) + ".geojson";
}

}  // namespace

const ProjectedLayer* ReportContext::layer(const std::string& level) const {
    for (const auto& l : layers)
        if (l.level == level) return &l;
    return nullptr;
}

const nlohmann::json& ReportContext::manifest_value(const std::string& pointer) const {
    static const nlohmann::json null_value;
    nlohmann::json::json_pointer p(pointer);
    return manifest.is_object() && manifest.contains(p) ? manifest.at(p) : null_value;
}

ReportContext load_report_context(const fs::path& out_dir) {
    ReportContext ctx;
    ctx.out_dir = out_dir;
    std::error_code ec;
    if (fs::exists(out_dir / "manifest.json", ec)) {
        try {
            ctx.manifest = nlohmann::json::parse(read_file(out_dir / "manifest.json"));
        } catch (const std::exception& e) {
            ctx.geometry_notes.push_back(fmt::format("manifest.json could not be read: {}", e.what()));
        }
    }
    if (auto k = ctx.manifest_value("/config/sdc/min_devices"); k.is_number_unsigned()) ctx.min_devices = k.get<uint64_t>();

    std::vector<std::pair<std::string, fs::path>> levels;
    if (auto configured = ctx.manifest_value("/config/zones/levels"); configured.is_array()) {
        for (const auto& l : configured)
            if (l.contains("name") && l["name"].is_string()) {
                std::string name = l["name"];
                levels.emplace_back(name, out_dir / "geo" / level_file_name(name));
            }
    } else if (fs::is_directory(out_dir / "geo", ec)) {
        for (const auto& e : fs::directory_iterator(out_dir / "geo")) {
            std::string file = e.path().filename().string();
            if (file.starts_with("zones_") && file.ends_with(".geojson"))
                levels.emplace_back(file.substr(6, file.size() - 6 - 8), e.path());
        }
        std::sort(levels.begin(), levels.end());  // directory order is not deterministic
    }
    std::vector<std::pair<size_t, ProjectedLayer>> loaded;
    for (const auto& [name, path] : levels) {
        if (!fs::exists(path, ec)) {
            ctx.geometry_notes.push_back(fmt::format("geo/{} is missing: no maps of the {} level", path.filename().string(), name));
            continue;
        }
        try {
            auto shapes = read_zone_shapes(path);
            loaded.emplace_back(shapes.size(), project_layer(name, shapes, kMapWidth, kMapMaxHeight));
        } catch (const Error& e) {
            ctx.geometry_notes.push_back(e.what());
        }
    }
    if (!ctx.manifest_value("/config/zones/levels").is_array())
        std::stable_sort(loaded.begin(), loaded.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [count, layer] : loaded) ctx.layers.push_back(std::move(layer));
    return ctx;
}

}  // namespace mpdstat::report
