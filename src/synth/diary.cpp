#include "synth/diary.hpp"

#include <algorithm>
#include <cmath>

namespace mpdstat::synth {

namespace {

void civil(Day z0, int& y, unsigned& m, unsigned& d) {  // H. Hinnant's civil_from_days
    int64_t z = static_cast<int64_t>(z0) + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = static_cast<unsigned>(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = static_cast<int64_t>(yoe) + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y = static_cast<int>(yy + (m <= 2));
}

Day easter_monday(int y) {  // anonymous Gregorian computus
    int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
    int h = (19 * a + b - d - g + 15) % 30, i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
    int m = (a + 11 * h + 22 * l) / 451;
    int month = (h + l - 7 * m + 114) / 31, day = ((h + l - 7 * m + 114) % 31) + 1;
    return day_from_civil(y, static_cast<unsigned>(month), static_cast<unsigned>(day)) + 1;
}

constexpr int32_t kDay = 86400;

double travel_seconds(double km) {
    double speed = km < 10 ? 20.0 : 45.0;
    return km / speed * 3600.0 + 300.0;
}

class Build {
public:
    Build(const DiaryContext& c, const Person& p, Day day, Rng& rng, std::vector<Segment>& out)
        : c_(c), p_(p), day_(day), rng_(rng), out_(out) {}

    int32_t t = 0;

    void start_at(uint32_t place_or_flag) {
        t = 0;
        if (place_or_flag == kAbroad || place_or_flag == kAbsent) {
            flag_ = place_or_flag;
        } else {
            flag_ = kNoPlace;
            pos_ = p_.places[place_or_flag].pos;
            commune_ = p_.places[place_or_flag].commune;
            cells_ = &p_.places[place_or_flag].cells;
        }
        country_ = abroad_country();
    }
    bool away() const { return flag_ != kNoPlace; }
    Vec2 pos() const { return pos_; }

    // Stays where it is until `until` (clamped to the day).
    void hold(int32_t until) {
        until = std::min(until, kDay);
        if (until <= t) return;
        Segment s;
        s.t0 = t, s.t1 = until;
        if (flag_ == kAbroad) s.type = SegType::abroad, s.country = country_;
        else if (flag_ == kAbsent) s.type = SegType::absent;
        else {
            s.type = SegType::stay;
            s.a = pos_;
            s.commune = commune_;
            fill_cells(s, cells_ ? *cells_ : c_.net.choose(pos_));
        }
        // Merge with a previous identical stay.
        if (!out_.empty() && out_.back().t1 == s.t0 && out_.back().type == s.type && s.type != SegType::move &&
            out_.back().a.x == s.a.x && out_.back().a.y == s.a.y) {
            out_.back().t1 = s.t1;
        } else {
            out_.push_back(s);
        }
        t = until;
    }
    // Moves to a place of the person's list.
    void go_place(uint32_t place) { go(p_.places[place].pos, &p_.places[place].cells, p_.places[place].commune); }
    // Moves to an ad-hoc position.
    void go_pos(Vec2 q) { go(q, nullptr, c_.geo.commune_of(q)); }
    void go(Vec2 q, const CellChoice* cells, int32_t commune) {
        if (commune < 0) commune = c_.geo.commune_of(q);
        if (t >= kDay) { pos_ = q, cells_ = cells, commune_ = commune; return; }
        double d = dist(pos_, q);
        if (d < 0.05) { pos_ = q, cells_ = cells, commune_ = commune; return; }
        int32_t dur = static_cast<int32_t>(travel_seconds(d) * rng_.uniform(0.85, 1.3));
        Segment s;
        s.type = SegType::move;
        s.t0 = t, s.t1 = std::min(kDay, t + dur);
        s.a = pos_, s.b = q;
        s.commune = commune;
        out_.push_back(s);
        t = t + dur;
        pos_ = q, cells_ = cells, commune_ = commune;
    }
    void become(uint32_t flag) {  // leave the country (abroad / absent) or come back
        flag_ = flag;
        country_ = abroad_country();
    }
    void appear_at(Vec2 q) {
        flag_ = kNoPlace;
        pos_ = q, cells_ = nullptr, commune_ = c_.geo.commune_of(q);
    }

    // An outing: go, stay `dur`, nothing else.
    void outing(Vec2 q, const CellChoice* cells, int32_t commune, int32_t dur) {
        go(q, cells, commune);
        hold(t + dur);
    }

private:
    uint16_t abroad_country() const {
        for (const auto& e : p_.episodes)
            if (e.type == EpisodeType::abroad && day_ >= e.first && day_ <= e.last + 1) return e.country;
        return 0;
    }
    void fill_cells(Segment& s, const CellChoice& cc) {
        float top = 0, tot = 0;
        int k = 0;
        for (int i = 0; i < cc.n && k < 3; ++i) {
            if (!c_.net.cells()[cc.cell[i]].valid_on(day_)) continue;
            if (k == 0) top = cc.signal[i];
            s.cell[k] = cc.cell[i];
            tot += std::exp((cc.signal[i] - top) / 3.0f);
            s.cum[k++] = tot;
        }
        s.ncell = static_cast<uint8_t>(k);
    }

    const DiaryContext& c_;
    const Person& p_;
    Day day_;
    Rng& rng_;
    std::vector<Segment>& out_;
    uint32_t flag_ = kNoPlace;
    uint16_t country_ = 0;
    Vec2 pos_;
    int32_t commune_ = -1;
    const CellChoice* cells_ = nullptr;
};

int32_t hours(double h) { return static_cast<int32_t>(h * 3600.0); }

}  // namespace

bool is_holiday(Day d) {
    int y;
    unsigned m, dd;
    civil(d, y, m, dd);
    if ((m == 1 && dd == 1) || (m == 4 && dd == 4) || (m == 5 && dd == 1) || (m == 8 && dd == 15) || (m == 12 && dd == 25)) return true;
    return d == easter_monday(y);
}

DayKind day_kind(Day d) {
    DayKind k;
    k.weekday = weekday(d);
    k.holiday = is_holiday(d);
    k.rest = k.holiday || k.weekday >= 5;
    return k;
}

void make_diary(const DiaryContext& ctx, const Person& p, Day day, Rng& rng, std::vector<Segment>& out) {
    out.clear();
    if (p.kind == PersonKind::iot) return;
    Build b(ctx, p, day, rng, out);
    const uint32_t P = p.night_place(day - 1), Q = p.night_place(day);
    const DayKind dk = day_kind(day);
    b.start_at(P);

    auto near_pos = [&](Vec2 c, double median) {
        for (int attempt = 0; attempt < 8; ++attempt) {
            double r = rng.lognormal(std::log(median), 0.6), th = rng.uniform(0, 6.283185307179586);
            Vec2 q{c.x + r * std::cos(th), c.y + r * std::sin(th)};
            if (ctx.geo.inside(q)) return q;
        }
        return c;
    };
    // Outings around a base between `from` and 21:00, returning to the base.
    auto outings = [&](uint32_t base_place, double mean_n, bool use_regular) {
        uint32_t n = rng.poisson(mean_n);
        std::vector<int32_t> starts;
        for (uint32_t i = 0; i < n; ++i) starts.push_back(hours(rng.uniform(8.0, 20.0)));
        std::sort(starts.begin(), starts.end());
        const Place& base = p.places[base_place];
        int hi = p.home_index(day);
        for (int32_t s : starts) {
            if (s < b.t + 900) s = b.t + 900;
            if (s > hours(21)) break;
            b.hold(s);
            int32_t dur = static_cast<int32_t>(std::clamp(rng.lognormal(std::log(5400.0), 0.5), 1800.0, 4.0 * 3600));
            if (use_regular && p.others_n[hi] > 0 && rng.chance(0.85)) {
                // Regular places: the first ones are the most frequent.
                uint32_t k = static_cast<uint32_t>(std::min<double>(p.others_n[hi] - 1, rng.exponential(1.2)));
                const Place& pl = p.places[p.others_begin[hi] + k];
                b.outing(pl.pos, &pl.cells, pl.commune, dur);
            } else {
                b.outing(near_pos(base.pos, use_regular ? 3.0 : 4.0), nullptr, -1, dur);  // -1: go() finds the commune
            }
            b.go_place(base_place);
        }
    };

    if (P == Q) {
        if (P == kAbroad || P == kAbsent) {
            b.hold(kDay);
            return;
        }
        bool at_home = P == p.home[p.home_index(day)] || P == p.home[0];
        if (!at_home) {
            // Away from home (trip, displacement, visit): outings around the base.
            outings(P, 1.5, false);
            b.hold(kDay);
            return;
        }
        int hi = p.home_index(day);
        bool workday = p.worker && ((!dk.rest && !rng.chance(0.07)) || (dk.weekday == 5 && !dk.holiday && rng.chance(0.2)));
        if (p.affected && ctx.opt.disaster_day >= 0 && day >= ctx.opt.start + ctx.opt.disaster_day &&
            day < ctx.opt.start + ctx.opt.disaster_day + 3)
            workday = false;  // the disaster disrupts work for a few days
        if (workday) {
            bool saturday = dk.weekday == 5;
            b.hold(hours(std::clamp(rng.normal(p.leave_h, 0.35), 5.0, 10.5)));
            b.go_place(p.work[hi]);
            int32_t end = hours(saturday ? rng.uniform(12.0, 14.0) : std::clamp(rng.normal(p.work_end_h, 0.5), 14.0, 21.0));
            end = std::max(end, b.t + 3 * 3600);
            if (!saturday && rng.chance(0.25) && b.t < hours(12)) {
                b.hold(hours(rng.uniform(12.0, 13.5)));
                b.outing(near_pos(p.places[p.work[hi]].pos, 0.8), nullptr, -1, 2700);
                b.go_place(p.work[hi]);
            }
            b.hold(end);
            if (p.others_n[hi] > 0 && rng.chance(0.3)) {
                const Place& pl = p.places[p.others_begin[hi] + rng.below(p.others_n[hi])];
                b.outing(pl.pos, &pl.cells, pl.commune, static_cast<int32_t>(rng.uniform(3600, 7200)));
            }
            b.go_place(p.home[hi]);
            b.hold(kDay);
            return;
        }
        if (dk.rest && rng.chance(0.04)) {
            // A same-day visit far from home.
            Vec2 home = p.places[p.home[hi]].pos;
            Vec2 dest = ctx.geo.attractions()[rng.below(ctx.geo.attractions().size())];
            if (dist(dest, home) < 30) dest = ctx.geo.cities()[rng.below(ctx.geo.cities().size())].centre;
            dest = ctx.geo.jitter_inside(rng, dest, 2.0);
            b.hold(hours(rng.uniform(8.0, 10.5)));
            b.outing(dest, nullptr, -1, static_cast<int32_t>(rng.uniform(3 * 3600, 6 * 3600)));
            b.go_place(p.home[hi]);
            b.hold(kDay);
            return;
        }
        outings(p.home[hi], dk.rest ? 1.6 : (p.worker ? 0.8 : 1.2), true);
        b.hold(kDay);
        return;
    }

    // A day of change: leave P, reach Q.
    double dep_h;
    bool displaced_today = false;
    for (const auto& e : p.episodes)
        if (e.type == EpisodeType::displaced && e.first == day) displaced_today = true;
    if (displaced_today) dep_h = 10.0 + rng.uniform(0.5, 5.0);
    else if (P == kAbsent) dep_h = rng.uniform(7.0, 21.0);
    else if (Q == kAbsent) dep_h = rng.uniform(8.0, 19.0);
    else if (P == kAbroad) dep_h = rng.uniform(9.0, 18.0);
    else if (Q == kAbroad) dep_h = rng.uniform(9.0, 15.0);
    else dep_h = rng.uniform(8.5, 14.0);
    b.hold(hours(dep_h));
    if (P == kAbroad || P == kAbsent) {
        b.become(kNoPlace);
        b.appear_at(ctx.pop.airport);
        b.hold(b.t + 2700);
    }
    if (Q == kAbroad || Q == kAbsent) {
        b.go_pos(ctx.pop.airport);
        b.hold(b.t + 5400);
        b.become(Q);
        b.hold(kDay);
        return;
    }
    b.go_place(Q);
    if (b.t < hours(17) && rng.chance(0.4)) {
        b.hold(b.t + hours(rng.uniform(0.5, 1.5)));
        b.outing(near_pos(p.places[Q].pos, 2.0), nullptr, -1, static_cast<int32_t>(rng.uniform(1800, 5400)));
        b.go_place(Q);
    }
    b.hold(kDay);
}

bool where(const DiaryContext& ctx, const std::vector<Segment>& diary, int32_t t, Vec2& pos, int32_t& commune,
           const Segment** seg) {
    for (const auto& s : diary) {
        if (t >= s.t1) continue;
        if (t < s.t0) break;
        if (seg) *seg = &s;
        if (s.type == SegType::abroad || s.type == SegType::absent) return false;
        if (s.type == SegType::stay) {
            pos = s.a;
            commune = s.commune;
        } else {
            double f = s.t1 > s.t0 ? double(t - s.t0) / double(s.t1 - s.t0) : 1.0;
            pos = s.a + (s.b - s.a) * f;
            commune = ctx.geo.commune_of(pos);
        }
        return true;
    }
    return false;
}

}  // namespace mpdstat::synth
