#pragma once
// Maps as inline SVG: choropleths of a value per zone and flow maps between
// zone centroids. Each zone is one <path data-zone="ID">; the <svg> carries
// data-map="NAME" so that tests (and readers of the HTML) can find it. Fills
// reference the hatch pattern and arrow marker of svg_defs(), written once per page.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "report/colour_scale.hpp"
#include "report/indicator_table.hpp"
#include "report/zone_layer.hpp"

namespace mpdstat::report {

// The <svg> with the shared hatch pattern and arrow head; put it once in the page.
std::string svg_defs();

struct ChoroplethSpec {
    std::string map_id;  // data-map
    std::string title;
    std::string unit;    // for the legend and tooltips: "devices", "persons (Tier III estimate)"
    uint64_t min_devices = 0;  // threshold of disclosure control, for the legend of suppressed zones
};

// A zone without an entry in `values` is drawn white and listed as "no data".
// `scale` classes the released values; nullopt: quantiles of the values.
std::string render_choropleth(const ProjectedLayer& layer, const std::map<std::string, CellValue>& values,
                              const ChoroplethSpec& spec, const std::optional<ColourScale>& scale = std::nullopt);

// A choropleth whose values change with a slider (one frame per step, e.g. the
// 24 hours of the day): every frame shares one colour scale; the page's script
// recolours the zones, and without a script (print) frame `shown` is drawn.
// Tooltips name the zone only (a value would be stale after a change of frame).
std::string render_choropleth_frames(const ProjectedLayer& layer,
                                     const std::vector<std::map<std::string, CellValue>>& frames,
                                     const std::vector<std::string>& frame_labels, size_t shown,
                                     const ChoroplethSpec& spec);

struct Flow {
    std::string origin, destination;
    double value = 0;
};

struct FlowMapSpec {
    std::string map_id;
    std::string title;
    std::string unit;     // "trips", "devices"
    size_t top_n = 25;    // the largest flows drawn
};

// Curved arrows between zone centroids, width proportional to the value,
// the largest `top_n` flows between different zones, over the zones in grey.
std::string render_flow_map(const ProjectedLayer& layer, std::vector<Flow> flows, const FlowMapSpec& spec);

}  // namespace mpdstat::report
