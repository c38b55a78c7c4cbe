#include "synth/population.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include <fmt/format.h>
#include <tbb/parallel_for.h>

namespace mpdstat::synth {

const std::vector<Country>& countries() {
    // MCC / MNC of a network in each country; the US entry has a 3-digit MNC
    // (6-digit PLMN), which naive validators wrongly reject.
    static const std::vector<Country> list = {
        {"FR", 208, "01", "10", "33", 0.20, 0.28}, {"ES", 214, "07", "01", "34", 0.07, 0.08},
        {"IT", 222, "10", "01", "39", 0.05, 0.05}, {"GB", 234, "15", "10", "44", 0.05, 0.04},
        {"DE", 262, "02", "01", "49", 0.05, 0.03}, {"US", 310, "260", "410", "1", 0.05, 0.05},
        {"GM", 607, "01", "02", "220", 0.13, 0.14}, {"MR", 609, "10", "01", "222", 0.09, 0.09},
        {"ML", 610, "02", "01", "223", 0.12, 0.12}, {"GN", 611, "02", "01", "224", 0.10, 0.06},
        {"CI", 612, "03", "05", "225", 0.09, 0.06},
    };
    return list;
}

std::string_view person_kind_name(PersonKind k) {
    switch (k) {
        case PersonKind::resident: return "resident";
        case PersonKind::foreign_resident: return "foreign_resident";
        case PersonKind::inbound: return "inbound";
        case PersonKind::iot: return "iot";
    }
    return "?";
}

std::string_view episode_type_name(EpisodeType t) {
    switch (t) {
        case EpisodeType::trip: return "trip";
        case EpisodeType::abroad: return "abroad";
        case EpisodeType::displaced: return "displaced";
        case EpisodeType::visit: return "visit";
    }
    return "?";
}

uint32_t Person::night_place(Day day) const {
    if (kind == PersonKind::inbound && (day < arrive || day >= depart)) return kAbsent;
    for (const auto& e : episodes)
        if (day >= e.first && day <= e.last) return e.place;
    if (kind == PersonKind::inbound) return kAbsent;
    return home[home_index(day)];
}

namespace {

size_t pick_weighted(Rng& rng, bool inbound) {
    const auto& cs = countries();
    double tot = 0;
    for (const auto& c : cs) tot += inbound ? c.inbound_weight : c.outbound_weight;
    double r = rng.uniform() * tot;
    for (size_t i = 0; i < cs.size(); ++i) {
        r -= inbound ? cs[i].inbound_weight : cs[i].outbound_weight;
        if (r < 0) return i;
    }
    return cs.size() - 1;
}

struct Builder {
    const Geography& geo;
    const Network& net;
    const SynthOptions& o;
    Person& p;
    Rng& rng;

    uint32_t add_place(Vec2 pos) {
        Place pl;
        pl.pos = pos;
        pl.commune = geo.commune_of(pos);
        pl.cells = net.choose(pos);
        p.places.push_back(pl);
        return static_cast<uint32_t>(p.places.size() - 1);
    }
    Vec2 near(Vec2 c, double median_km) {
        for (int attempt = 0; attempt < 16; ++attempt) {
            double r = rng.lognormal(std::log(median_km), 0.7);
            double th = rng.uniform(0, 6.283185307179586);
            Vec2 q{c.x + r * std::cos(th), c.y + r * std::sin(th)};
            if (geo.inside(q)) return q;
        }
        return c;
    }
    Vec2 far_from(Vec2 c, double min_km) {
        Vec2 q = geo.sample_home(rng);
        for (int attempt = 0; attempt < 32 && dist(q, c) < min_km; ++attempt) q = geo.sample_home(rng);
        return q;
    }
    // A home set: home, work (workers), regular places.
    void make_home_set(int k, Vec2 home) {
        p.home[k] = add_place(home);
        bool urban = geo.urbanity(home) > 0.5;
        if (p.worker) {
            double dc = 0;
            int city = geo.nearest_city(home, dc);
            const City& ci = geo.cities()[city];
            double p_city = urban ? 0.7 : 0.7 * std::exp(-dc / 25.0);
            Vec2 w = rng.chance(p_city) ? geo.jitter_inside(rng, ci.centre, ci.sigma_km * 0.8) : near(home, urban ? 3.0 : 2.0);
            p.work[k] = add_place(w);
        }
        p.others_begin[k] = static_cast<uint32_t>(p.places.size());
        p.others_n[k] = 2 + static_cast<uint32_t>(rng.below(4));
        for (uint32_t i = 0; i < p.others_n[k]; ++i) add_place(near(home, urban ? 1.5 : 3.0));
    }
    bool free_nights(Day first, Day last) const {
        for (const auto& e : p.episodes)
            if (!(last + 1 < e.first || first > e.last + 1)) return false;
        if (p.move_day != std::numeric_limits<Day>::max() && first <= p.move_day + 1 && last >= p.move_day - 1) return false;
        return true;
    }
    Vec2 destination(Vec2 from) {
        double u = rng.uniform();
        if (u < 0.5) {
            Vec2 a = geo.attractions()[rng.below(geo.attractions().size())];
            if (dist(a, from) > 30) return geo.jitter_inside(rng, a, 2.0);
        }
        if (u < 0.8) {
            const City& c = geo.cities()[rng.below(geo.cities().size())];
            if (dist(c.centre, from) > 30) return geo.jitter_inside(rng, c.centre, c.sigma_km);
        }
        return far_from(from, 40);
    }
};

}  // namespace

Population build_population(const Geography& geo, const Network& net, const SynthOptions& o, uint64_t seed) {
    Population pop;
    Rng g = Rng::stream(seed, 0x909);
    const City& capital = geo.cities()[0];
    pop.airport = geo.jitter_inside(g, capital.centre, 6.0);
    // The disaster strikes the second town: the communes within the radius.
    pop.disaster_centre = geo.cities().size() > 1 ? geo.cities()[1].centre : capital.centre;
    if (o.disaster_day >= 0) {
        for (size_t c = 0; c < geo.communes().size(); ++c)
            if (dist(geo.communes()[c].centroid, pop.disaster_centre) < o.disaster_radius_km) pop.affected_communes.push_back(static_cast<int>(c));
        int c0 = geo.commune_of(pop.disaster_centre);
        if (c0 >= 0 && !std::binary_search(pop.affected_communes.begin(), pop.affected_communes.end(), c0)) {
            pop.affected_communes.push_back(c0);
            std::sort(pop.affected_communes.begin(), pop.affected_communes.end());
        }
    }
    const Day start = o.start, end = o.end();
    const Day disaster = o.disaster_day >= 0 ? start + o.disaster_day : std::numeric_limits<Day>::max();
    double sims_per_person = 1.0 + o.share_dual_sim * (1.0 - o.share_iot - o.share_inbound);
    size_t n_persons = std::max<size_t>(1, static_cast<size_t>(std::llround(static_cast<double>(o.devices) / sims_per_person)));
    pop.persons.resize(n_persons);
    const double weeks = o.days / 7.0;

    tbb::parallel_for(size_t(0), n_persons, [&](size_t i) {
        Person& p = pop.persons[i];
        Rng rng = Rng::stream(seed, 0x9E5, i);
        Builder b{geo, net, o, p, rng};
        double u = rng.uniform();
        if (u < o.share_iot) {
            p.kind = PersonKind::iot;
            Vec2 pos = geo.sample_density(rng, true);
            p.home[0] = p.home[1] = b.add_place(pos);
            static const uint32_t periods[] = {300, 600, 900, 1800, 3600};
            p.iot_period_s = periods[rng.below(5)];
            p.iot_phase_s = static_cast<uint32_t>(rng.below(p.iot_period_s));
            return;
        }
        if (u < o.share_iot + o.share_inbound) {
            p.kind = PersonKind::inbound;
            p.country = static_cast<uint16_t>(pick_weighted(rng, true));
            Day nights = 1 + static_cast<Day>(std::min<uint32_t>(rng.geometric(0.2), 20));
            p.arrive = start - nights + 1 + static_cast<Day>(rng.below(static_cast<uint64_t>(o.days + nights - 1)));
            p.depart = p.arrive + nights;
            int n_dest = 1 + static_cast<int>(rng.below(std::min<Day>(3, nights)));
            Day first = p.arrive;
            Vec2 at = pop.airport;
            for (int k = 0; k < n_dest; ++k) {
                Vec2 dest = (k == 0 && rng.chance(0.6)) ? geo.jitter_inside(rng, capital.centre, capital.sigma_km) : b.destination(at);
                Day last = k + 1 == n_dest ? p.depart - 1 : first + nights / n_dest - 1;
                p.episodes.push_back({EpisodeType::visit, first, last, b.add_place(dest), 0});
                first = last + 1;
                at = dest;
            }
            return;
        }
        p.kind = rng.chance(0.01) ? PersonKind::foreign_resident : PersonKind::resident;
        if (p.kind == PersonKind::foreign_resident) p.country = static_cast<uint16_t>(pick_weighted(rng, true));
        else if (rng.chance(o.share_dual_sim)) p.n_devices = 2;
        p.worker = rng.chance(o.share_worker);
        p.leave_h = static_cast<float>(std::clamp(rng.normal(7.3, 0.5), 5.5, 9.5));
        p.work_end_h = static_cast<float>(std::clamp(rng.normal(17.3, 0.7), 15.0, 20.0));
        Vec2 home = geo.sample_home(rng);
        b.make_home_set(0, home);
        p.home[1] = p.home[0], p.work[1] = p.work[0], p.others_begin[1] = p.others_begin[0], p.others_n[1] = p.others_n[0];
        // Internal migration: a new home from a night inside the period, often in a city.
        if (o.days >= 4 && rng.chance(o.share_migrants)) {
            p.move_day = start + 2 + static_cast<Day>(rng.below(static_cast<uint64_t>(o.days - 3)));
            Vec2 h2 = rng.chance(0.6) ? geo.jitter_inside(rng, geo.cities()[rng.below(geo.cities().size())].centre, 4.0)
                                      : b.far_from(home, 30);
            if (dist(h2, home) < 20) h2 = b.far_from(home, 30);
            b.make_home_set(1, h2);
        }
        // Displacement after the disaster.
        int hc = p.places[p.home[p.home_index(disaster)]].commune;
        if (disaster <= end && std::binary_search(pop.affected_communes.begin(), pop.affected_communes.end(), hc)) {
            p.affected = true;
            if (rng.chance(o.disaster_share) && b.free_nights(disaster, disaster)) {
                Day nights = static_cast<Day>(std::clamp(rng.lognormal(std::log(10.0), 0.7), 2.0, 90.0));
                Vec2 from = p.places[p.home[p.home_index(disaster)]].pos;
                Vec2 host;
                if (rng.chance(0.6)) {
                    const City* best = nullptr;
                    for (const auto& c : geo.cities())
                        if (dist(c.centre, from) > 30 && (!best || dist(c.centre, from) < dist(best->centre, from))) best = &c;
                    host = best ? geo.jitter_inside(rng, best->centre, best->sigma_km) : b.far_from(from, 30);
                } else {
                    host = b.far_from(from, 30);
                }
                Day last = disaster + nights - 1;
                if (p.move_day > disaster && p.move_day <= last + 1) p.move_day = std::numeric_limits<Day>::max(), p.home[1] = p.home[0],
                                                                   p.work[1] = p.work[0], p.others_begin[1] = p.others_begin[0],
                                                                   p.others_n[1] = p.others_n[0];
                p.episodes.push_back({EpisodeType::displaced, disaster, last, b.add_place(host), 0});
            }
        }
        // Domestic overnight trips, mostly starting on Fridays and Saturdays.
        uint32_t n_trips = rng.poisson(o.trips_per_week * (weeks + 1));
        for (uint32_t t = 0; t < n_trips; ++t) {
            Day d = start - 5;
            for (int attempt = 0; attempt < 4; ++attempt) {
                d = start - 5 + static_cast<Day>(rng.below(static_cast<uint64_t>(o.days + 5)));
                int wd = weekday(d);
                if (wd == 4 || wd == 5 || rng.chance(0.3)) break;
            }
            Day nights = 1 + static_cast<Day>(std::min<uint32_t>(rng.geometric(0.45), 6));
            if (!b.free_nights(d, d + nights - 1)) continue;
            Vec2 from = p.places[p.home[p.home_index(d)]].pos;
            p.episodes.push_back({EpisodeType::trip, d, d + nights - 1, b.add_place(b.destination(from)), 0});
        }
        // Journeys abroad.
        uint32_t n_abroad = rng.poisson(o.outbound_per_week * (weeks + 1));
        for (uint32_t t = 0; t < n_abroad; ++t) {
            Day d = start - 8 + static_cast<Day>(rng.below(static_cast<uint64_t>(o.days + 8)));
            Day nights = 2 + static_cast<Day>(std::min<uint32_t>(rng.geometric(0.2), 20));
            if (!b.free_nights(d, d + nights - 1)) continue;
            p.episodes.push_back({EpisodeType::abroad, d, d + nights - 1, kAbroad, static_cast<uint16_t>(pick_weighted(rng, false))});
        }
        std::sort(p.episodes.begin(), p.episodes.end(), [](const Episode& a, const Episode& c) { return a.first < c.first; });
    });

    // Devices: one per person, two for dual-SIM users; MSISDN-like ids that are
    // unique by construction (a bijection of the device index modulo 10^k).
    uint32_t next = 0;
    for (auto& p : pop.persons) {
        p.first_device = next;
        next += p.n_devices;
    }
    pop.devices.resize(next);
    tbb::parallel_for(size_t(0), pop.persons.size(), [&](size_t i) {
        const Person& p = pop.persons[i];
        Rng rng = Rng::stream(seed, 0xDE7, i);
        for (uint8_t k = 0; k < p.n_devices; ++k) {
            uint32_t di = p.first_device + k;
            Device& d = pop.devices[di];
            d.person = static_cast<uint32_t>(i);
            d.index_in_person = k;
            std::string prefix = "2217";
            if (p.kind == PersonKind::iot) prefix = "2219";
            if (p.kind == PersonKind::inbound || p.kind == PersonKind::foreign_resident) {
                d.foreign = true;
                d.country = p.country;
                d.mcc = countries()[p.country].mcc;
                prefix = countries()[p.country].calling_code;
            }
            int digits = 12 - static_cast<int>(prefix.size());
            uint64_t mod = 1;
            for (int j = 0; j < digits; ++j) mod *= 10;
            uint64_t v = (static_cast<uint64_t>(di) * 48271ULL + (seed % mod) * 7 + 1234567ULL) % mod;
            std::string id = fmt::format("{}{:0{}}", prefix, v, digits);
            std::memcpy(d.msisdn, id.data(), std::min<size_t>(id.size(), 15));
            double median = o.events_median;
            d.activity = static_cast<float>(rng.lognormal(std::log(median), o.events_sigma));
            if (k == 1) d.activity *= 0.4f;
            if (p.kind == PersonKind::inbound) d.activity *= 0.7f;
            if (p.kind == PersonKind::iot) d.activity = static_cast<float>(86400.0 / p.iot_period_s);
        }
    });
    return pop;
}

}  // namespace mpdstat::synth
