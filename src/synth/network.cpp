#include "synth/network.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "common/atomic_file.hpp"

namespace mpdstat::synth {

Network::Network(const Geography& geo, const SynthOptions& o, uint64_t seed) {
    Rng rng = Rng::stream(seed, 0x7E7);
    // Rural coverage: a jittered grid.
    const double s = o.site_spacing_km;
    std::vector<uint8_t> urban;
    for (double y = -160; y <= 160; y += s)
        for (double x = -190; x <= 190; x += s) {
            Vec2 p{x + rng.uniform(-0.35, 0.35) * s, y + rng.uniform(-0.35, 0.35) * s};
            if (!geo.inside(p)) continue;
            sites_.push_back(p);
            urban.push_back(geo.urbanity(p) > 0.5);
        }
    // Urban capacity: sites drawn from the population density, ≥ 300 m apart.
    for (int i = 0, tries = 0; i < o.urban_sites && tries < o.urban_sites * 20; ++tries) {
        Vec2 p = geo.sample_home(rng);
        bool ok = true;
        for (size_t k = sites_.size() > 400 ? sites_.size() - 400 : 0; k < sites_.size() && ok; ++k)
            ok = dist2(sites_[k], p) > 0.09;
        if (!ok) continue;
        sites_.push_back(p);
        urban.push_back(1);
        ++i;
    }
    site_index_ = PointIndex(sites_, 5);
    site_cells_.resize(sites_.size());

    Day start = o.start;
    uint64_t next_id = 10001;
    for (uint32_t si = 0; si < sites_.size(); ++si) {
        bool is_urban = urban[si];
        int sectors = is_urban ? 3 : (rng.chance(0.5) ? 1 : 3);
        double phase = std::floor(rng.uniform(0, 120));
        for (int sec = 0; sec < sectors; ++sec) {
            std::vector<int> techs;
            if (is_urban) techs = {4, rng.chance(0.4) ? 5 : 3};
            else techs = {2, rng.chance(0.5) ? 3 : 4};
            for (int t : techs) {
                SynthCell c;
                c.id = std::to_string(next_id);
                next_id += 1 + rng.below(3);
                c.site = si;
                c.pos = sites_[si];
                c.tech = t;
                if (sectors > 1) {
                    c.azimuth = std::fmod(phase + 120.0 * sec, 360.0);
                    c.beam_width = 65;
                }
                double base = is_urban ? 2000 : 12000;
                double f = t == 2 ? 1.3 : t == 3 ? 1.0 : t == 4 ? 0.8 : 0.3;
                c.range_m = std::round(base * f * rng.uniform(0.8, 1.2) / 50) * 50;
                double u = rng.uniform();
                if (u < 0.6) c.valid_from = start - 30 - static_cast<Day>(rng.below(2000));
                // A few cells switched on or retired during the period (never the
                // site's first cell, so every site keeps coverage).
                if (!site_cells_[si].empty() && o.days > 2) {
                    double v = rng.uniform();
                    if (v < 0.015) c.valid_from = start + 1 + static_cast<Day>(rng.below(static_cast<uint64_t>(o.days - 1)));
                    else if (v < 0.03) c.valid_to = start + static_cast<Day>(rng.below(static_cast<uint64_t>(o.days - 1)));
                }
                site_cells_[si].push_back(static_cast<uint32_t>(cells_.size()));
                cells_.push_back(std::move(c));
            }
        }
    }
}

CellChoice Network::choose(Vec2 p) const {
    CellChoice out;
    thread_local std::vector<std::pair<float, uint32_t>> cand;
    // Growing search radius: in a city the nearest sites are within 2 km.
    for (double r : {2.0, 5.0, 12.0, 30.0, 400.0}) {
        cand.clear();
        site_index_.within(p, r, [&](uint32_t si) {
            // Distance and bearing once per site; each of its cells adds its antenna pattern.
            const double d = dist(p, sites_[si]);
            const double base = -35.0 * std::log10(d + 0.03);
            double bearing = -1;
            for (uint32_t ci : site_cells_[si]) {
                const SynthCell& c = cells_[ci];
                double sgl = base;
                if (c.azimuth >= 0) {
                    if (d >= 0.05) {
                        if (bearing < 0) bearing = std::atan2(p.x - c.pos.x, p.y - c.pos.y) * (180.0 / 3.14159265358979323846) + 360.0;
                        double delta = std::fabs(std::fmod(bearing - c.azimuth + 540.0, 360.0) - 180.0);
                        sgl -= std::min(12.0 * (delta / c.beam_width) * (delta / c.beam_width), 20.0);
                    }
                } else {
                    sgl -= 3;
                }
                sgl += c.tech == 4 ? 2 : c.tech == 5 ? 3 : 0;
                double km = c.range_m / 1000.0;
                if (d > km) sgl -= 15.0 * (d / km - 1.0);
                cand.push_back({static_cast<float>(sgl), ci});
            }
        });
        if (cand.size() >= 9) break;
    }
    out.n = static_cast<uint8_t>(std::min<size_t>(cand.size(), CellChoice::kMax));
    std::partial_sort(cand.begin(), cand.begin() + out.n, cand.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    for (int i = 0; i < out.n; ++i) out.cell[i] = cand[i].second, out.signal[i] = cand[i].first;
    return out;
}

uint32_t Network::best(const CellChoice& c, Day day) const {
    for (int i = 0; i < c.n; ++i)
        if (cells_[c.cell[i]].valid_on(day)) return c.cell[i];
    return UINT32_MAX;
}

uint32_t Network::serve(const CellChoice& c, Day day, Rng& rng) const {
    uint32_t idx[3];
    double w[3], tot = 0;
    int k = 0;
    float top = 0;
    for (int i = 0; i < c.n && k < 3; ++i) {
        if (!cells_[c.cell[i]].valid_on(day)) continue;
        if (k == 0) top = c.signal[i];
        idx[k] = c.cell[i];
        w[k] = std::exp((c.signal[i] - top) / 3.0);
        tot += w[k++];
    }
    if (k == 0) return UINT32_MAX;
    double r = rng.uniform() * tot;
    for (int i = 0; i < k; ++i) {
        if (r < w[i]) return idx[i];
        r -= w[i];
    }
    return idx[k - 1];
}

uint32_t Network::far_cell(Vec2 p, Day day, Rng& rng) const {
    for (int attempt = 0; attempt < 64; ++attempt) {
        uint32_t ci = static_cast<uint32_t>(rng.below(cells_.size()));
        if (cells_[ci].valid_on(day) && dist(cells_[ci].pos, p) > 50) return ci;
    }
    return UINT32_MAX;
}

void Network::write(const std::filesystem::path& dir, const Projection& proj) const {
    std::string out = "cell_id,site_id,lat,lon,azimuth,beam_width,range_m,technology,valid_from,valid_to\n";
    for (const auto& c : cells_) {
        out += fmt::format("{},S{:05},{:.6f},{:.6f},{},{},{},{}G,{},{}\n", c.id, c.site + 1, proj.lat(c.pos), proj.lon(c.pos),
                           c.azimuth >= 0 ? fmt::format("{:.0f}", c.azimuth) : std::string(),
                           static_cast<int>(c.beam_width), static_cast<int>(c.range_m), c.tech,
                           c.valid_from == std::numeric_limits<Day>::min() ? std::string() : format_day(c.valid_from),
                           c.valid_to == std::numeric_limits<Day>::max() ? std::string() : format_day(c.valid_to));
    }
    write_file_atomically(dir / "cells.csv", out);
}

}  // namespace mpdstat::synth
