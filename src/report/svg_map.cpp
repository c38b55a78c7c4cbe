#include "report/svg_map.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "report/html.hpp"

namespace mpdstat::report {

namespace {

constexpr const char* kHatch = "url(#suppressed-hatch)";
constexpr const char* kNoData = "#ffffff";

std::string zone_label(const ProjectedZone& z) {
    return z.name.empty() || z.name == z.id ? z.id : z.name + " (" + z.id + ")";
}

std::string value_text(const CellValue& v, const std::string& unit) {
    std::string s = format_value(v.value) + " " + unit;
    if (v.low && v.high) s += " (" + format_value(*v.low) + " – " + format_value(*v.high) + ")";
    return s;
}

std::string swatch(const std::string& fill) {
    return fmt::format(R"(<svg class="swatch" width="14" height="14" aria-hidden="true"><rect x="0.5" y="0.5" width="13" height="13" fill="{}" stroke="#666" stroke-width="0.5"/></svg>)",
                       fill);
}

std::string suppressed_label(uint64_t min_devices) {
    return min_devices > 0 ? fmt::format("suppressed (&lt; {} devices)", min_devices) : "suppressed";
}

std::string legend(const ColourScale& scale, const ChoroplethSpec& spec, bool any_values, bool any_missing) {
    std::string out = fmt::format(R"(<div class="legend"><span class="legend-title">{}</span>)", html_escape(spec.unit));
    if (any_values)
        for (int c = 0; c < scale.classes(); ++c)
            out += fmt::format(R"(<span class="legend-item">{}{}</span>)", swatch(scale.colour(c)),
                               html_escape(scale.label(c)));
    out += fmt::format(R"(<span class="legend-item">{}{}</span>)", swatch(kHatch), suppressed_label(spec.min_devices));
    if (any_missing) out += fmt::format(R"(<span class="legend-item">{}no data</span>)", swatch(kNoData));
    return out + "</div>";
}

std::string svg_open(const ProjectedLayer& layer, const std::string& map_id, const std::string& title,
                     const std::string& extra = "") {
    return fmt::format(R"(<svg data-map="{}" viewBox="0 0 {} {}" width="{}" height="{}" role="img" aria-label="{}"{}>)",
                       html_escape(map_id), svg_number(layer.width), svg_number(layer.height), svg_number(layer.width),
                       svg_number(layer.height), html_escape(title), extra);
}

ColourScale scale_of(const std::vector<std::map<std::string, CellValue>>& frames) {
    std::vector<double> released;
    for (const auto& values : frames)
        for (const auto& [id, v] : values)
            if (v.released) released.push_back(v.value);
    return ColourScale::quantiles(std::move(released));
}

// The fill of a zone and its class code for the frame script: a digit, s (suppressed) or n (no data).
std::pair<std::string, char> fill_of(const std::map<std::string, CellValue>& values, const std::string& id,
                                     const ColourScale& scale) {
    auto it = values.find(id);
    if (it == values.end()) return {kNoData, 'n'};
    if (!it->second.released) return {kHatch, 's'};
    int c = scale.class_of(it->second.value);
    return {scale.colour(c), static_cast<char>('0' + c)};
}

std::string tooltip(const std::map<std::string, CellValue>& values, const ProjectedZone& z, const ChoroplethSpec& spec) {
    auto it = values.find(z.id);
    std::string text = zone_label(z) + ": ";
    if (it == values.end()) text += "no data";
    else if (!it->second.released) text += "suppressed";
    else text += value_text(it->second, spec.unit);
    return html_escape(text);
}

}  // namespace

std::string svg_defs() {
    // Width and height 0 rather than display:none, which would disable the pattern in some browsers.
    return R"(<svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs>)"
           R"~(<pattern id="suppressed-hatch" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">)~"
           R"(<rect width="6" height="6" fill="#e4e4e4"/><line x1="0" y1="0" x2="0" y2="6" stroke="#8a8a8a" stroke-width="2"/></pattern>)"
           R"(<marker id="flow-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="12" markerHeight="12" orient="auto">)"
           R"(<path d="M0 0 L10 5 L0 10 Z" fill="#08306b"/></marker>)"
           R"(</defs></svg>)";
}

std::string render_choropleth(const ProjectedLayer& layer, const std::map<std::string, CellValue>& values,
                              const ChoroplethSpec& spec, const std::optional<ColourScale>& given_scale) {
    ColourScale scale = given_scale ? *given_scale : scale_of({values});
    bool any_values = false, any_missing = false;
    std::string out = fmt::format(R"(<figure class="map"><figcaption>{}</figcaption>)", html_escape(spec.title));
    out += svg_open(layer, spec.map_id, spec.title);
    for (const auto& z : layer.zones) {
        auto [fill, code] = fill_of(values, z.id, scale);
        any_values |= code != 's' && code != 'n';
        any_missing |= code == 'n';
        out += fmt::format(R"(<path data-zone="{}" fill="{}" d="{}"><title>{}</title></path>)", html_escape(z.id), fill,
                           z.path_data, tooltip(values, z, spec));
    }
    out += "</svg>" + legend(scale, spec, any_values, any_missing) + "</figure>";
    return out;
}

std::string render_choropleth_frames(const ProjectedLayer& layer,
                                     const std::vector<std::map<std::string, CellValue>>& frames,
                                     const std::vector<std::string>& frame_labels, size_t shown,
                                     const ChoroplethSpec& spec) {
    ColourScale scale = scale_of(frames);
    std::string colours;
    for (int c = 0; c < scale.classes(); ++c) {
        if (c) colours += ',';
        colours += scale.colour(c);
    }
    std::string labels;
    for (size_t i = 0; i < frame_labels.size(); ++i) {
        if (i) labels += '|';
        labels += html_escape(frame_labels[i]);
    }
    bool any_values = false, any_missing = false;
    std::string out = fmt::format(R"(<figure class="map"><figcaption>{} <span class="frame-label">{}</span></figcaption>)",
                                  html_escape(spec.title), html_escape(frame_labels.at(shown)));
    out += svg_open(layer, spec.map_id, spec.title,
                    fmt::format(R"( data-colours="{}" data-frames="{}")", colours, labels));
    for (const auto& z : layer.zones) {
        std::string codes;
        std::string fill;
        for (size_t f = 0; f < frames.size(); ++f) {
            auto [frame_fill, code] = fill_of(frames[f], z.id, scale);
            codes += code;
            any_values |= code != 's' && code != 'n';
            any_missing |= code == 'n';
            if (f == shown) fill = frame_fill;
        }
        out += fmt::format(R"(<path data-zone="{}" data-classes="{}" fill="{}" d="{}"><title>{}</title></path>)",
                           html_escape(z.id), codes, fill, z.path_data, html_escape(zone_label(z)));
    }
    out += "</svg>" + legend(scale, spec, any_values, any_missing) + "</figure>";
    return out;
}

std::string render_flow_map(const ProjectedLayer& layer, std::vector<Flow> flows, const FlowMapSpec& spec) {
    std::erase_if(flows, [&](const Flow& f) {
        return f.origin == f.destination || f.value <= 0 || !layer.find(f.origin) || !layer.find(f.destination);
    });
    // Largest first; ties in zone order so that the same input always draws the same flows.
    std::sort(flows.begin(), flows.end(), [](const Flow& a, const Flow& b) {
        return a.value != b.value ? a.value > b.value
                                  : std::tie(a.origin, a.destination) < std::tie(b.origin, b.destination);
    });
    if (flows.size() > spec.top_n) flows.resize(spec.top_n);
    const double largest = flows.empty() ? 1 : flows.front().value;
    auto width_of = [&](double v) { return 1 + 6 * v / largest; };

    std::string out = fmt::format(R"(<figure class="map"><figcaption>{}</figcaption>)", html_escape(spec.title));
    out += svg_open(layer, spec.map_id, spec.title);
    out += R"(<g fill="#f2f2f2" stroke="#9a9a9a" stroke-width="0.6">)";
    for (const auto& z : layer.zones)
        out += fmt::format(R"(<path data-zone="{}" d="{}"><title>{}</title></path>)", html_escape(z.id), z.path_data,
                           html_escape(zone_label(z)));
    out += R"(</g><g fill="none" stroke="#08306b" stroke-opacity="0.75" stroke-linecap="round">)";
    // Smallest drawn last would hide under the big ones: draw the largest first.
    for (const auto& f : flows) {
        const auto* a = layer.find(f.origin);
        const auto* b = layer.find(f.destination);
        const Point p = a->label_point, q = b->label_point;
        // Bend each arrow to its right, so that A → B and B → A do not overlap.
        const double dx = q.x - p.x, dy = q.y - p.y;
        const Point control{(p.x + q.x) / 2 - dy * 0.18, (p.y + q.y) / 2 + dx * 0.18};
        out += fmt::format(
            R"~(<path class="flow" data-flow="{}&gt;{}" d="M{} {} Q{} {} {} {}" stroke-width="{}" marker-end="url(#flow-arrow)"><title>{} → {}: {} {}</title></path>)~",
            html_escape(f.origin), html_escape(f.destination), svg_number(p.x), svg_number(p.y), svg_number(control.x),
            svg_number(control.y), svg_number(q.x), svg_number(q.y), svg_number(width_of(f.value)),
            html_escape(zone_label(*a)), html_escape(zone_label(*b)), format_value(f.value), html_escape(spec.unit));
    }
    out += "</g></svg>";
    out += fmt::format(R"(<div class="legend"><span class="legend-title">{}</span>)", html_escape(spec.unit));
    if (flows.empty()) {
        out += R"(<span class="legend-item">no released flow between different zones</span>)";
    } else {
        for (double share : {1.0, 0.5, 0.1}) {
            double v = largest * share;
            out += fmt::format(
                R"(<span class="legend-item"><svg class="swatch" width="34" height="14" aria-hidden="true"><line x1="2" y1="7" x2="32" y2="7" stroke="#08306b" stroke-opacity="0.75" stroke-width="{}"/></svg>{}</span>)",
                svg_number(std::min(width_of(v), 12.0)), format_value(v));
        }
        out += fmt::format(R"(<span class="legend-item">the {} largest flows shown</span>)", flows.size());
    }
    return out + "</div></figure>";
}

}  // namespace mpdstat::report
