#include "synth/truth.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

namespace mpdstat::synth {

namespace fs = std::filesystem;

void DayAcc::reset(size_t communes) {
    present.assign(24 * communes, 0);
    present_inbound.assign(24 * communes, 0);
    od.clear();
    events = events_true = active_devices = 0;
    std::fill(std::begin(faults), std::end(faults), 0);
}

void record_diary(const DiaryContext& ctx, const Person& p, const std::vector<Segment>& diary, const std::vector<bool>& hour_missing,
                  DayAcc& acc, PersonState& st) {
    if (p.kind == PersonKind::iot || diary.empty()) return;
    const size_t nc = ctx.geo.communes().size();
    const uint32_t ndev = p.n_devices;
    const bool inbound = p.kind == PersonKind::inbound;
    for (int h = 0; h < 24; ++h) {
        if (hour_missing[h]) continue;
        Vec2 pos;
        int32_t c = -1;
        if (!where(ctx, diary, h * 3600, pos, c, nullptr) || c < 0) continue;
        acc.present[h * nc + c] += ndev;
        if (inbound) acc.present_inbound[h * nc + c] += ndev;
    }
    int32_t prev = -1, prev_end = 0;
    for (const auto& s : diary) {
        if (s.type == SegType::abroad || s.type == SegType::absent) {
            prev = -1;
            continue;
        }
        if (s.type != SegType::stay || s.commune < 0) continue;
        if (prev >= 0 && s.commune != prev) {
            uint64_t hour = static_cast<uint64_t>(std::min(prev_end, 86399) / 3600);
            acc.od[(hour << 48) | (static_cast<uint64_t>(prev) << 24) | static_cast<uint64_t>(s.commune)] += ndev;
        }
        prev = s.commune;
        prev_end = s.t1;
        if (inbound) {
            if (std::find(st.visited.begin(), st.visited.end(), s.commune) == st.visited.end()) st.visited.push_back(s.commune);
        }
    }
    if (!inbound) {
        std::vector<int32_t> seen;
        for (const auto& s : diary)
            if (s.type == SegType::stay && s.commune >= 0 && std::find(seen.begin(), seen.end(), s.commune) == seen.end())
                seen.push_back(s.commune);
        for (int32_t c : seen) {
            auto it = std::find_if(st.month_days.begin(), st.month_days.end(), [&](const auto& e) { return e.first == c; });
            if (it == st.month_days.end()) st.month_days.push_back({c, 1});
            else ++it->second;
        }
    }
}

namespace {

std::unique_ptr<AtomicFile> open_csv(const fs::path& dir, const char* name, std::string_view header) {
    auto f = std::make_unique<AtomicFile>(dir / "truth" / name);
    f->write(header);
    return f;
}

std::string month_name(Day d) { return format_day(d).substr(0, 7); }

}  // namespace

TruthWriter::TruthWriter(const fs::path& dir, const DiaryContext& ctx) : dir_(dir), ctx_(ctx) {
    present_ = open_csv(dir, "present_population.csv", "day,hour,zone_id,devices,inbound_devices\n");
    od_ = open_csv(dir, "od_trips.csv", "day,hour,origin_zone,destination_zone,trips\n");
    per_day_ = open_csv(dir, "events_per_day.csv", "day,weekday,holiday,events,events_true,active_devices\n");
    home_work_ = open_csv(dir, "home_work.csv", "user_id,month,kind,home_zone,work_zone\n");
    ue_ = open_csv(dir, "usual_environment.csv", "user_id,month,zone_id,role,days\n");
    commuting_ = open_csv(dir, "commuting.csv", "month,home_zone,work_zone,devices\n");
    for (int k = 1; k < kRowFaultKinds; ++k) fault_names_.push_back(std::string(row_fault_name(static_cast<RowFault>(k))));
}

void TruthWriter::write_day(Day day, const DayAcc& t, const std::vector<bool>& hour_missing) {
    const auto& cm = ctx_.geo.communes();
    const size_t nc = cm.size();
    std::string ds = format_day(day), out;
    for (int h = 0; h < 24; ++h) {
        if (hour_missing[h]) continue;
        for (size_t c = 0; c < nc; ++c) {
            uint32_t v = t.present[h * nc + c];
            if (v) out += fmt::format("{},{},{},{},{}\n", ds, h, cm[c].id, v, t.present_inbound[h * nc + c]);
        }
    }
    present_->write(out);
    out.clear();
    std::vector<std::pair<uint64_t, uint32_t>> od(t.od.begin(), t.od.end());
    std::sort(od.begin(), od.end());
    for (const auto& [k, v] : od)
        out += fmt::format("{},{},{},{},{}\n", ds, k >> 48, cm[(k >> 24) & 0xFFFFFF].id, cm[k & 0xFFFFFF].id, v);
    od_->write(out);
    DayKind dk = day_kind(day);
    per_day_->write(fmt::format("{},{},{},{},{},{}\n", ds, dk.weekday + 1, dk.holiday ? 1 : 0, t.events, t.events_true, t.active_devices));
    for (int k = 0; k < kRowFaultKinds + 2; ++k) fault_totals_[k] += t.faults[k];
}

void TruthWriter::write_month(Day first, Day last, std::vector<PersonState>& states) {
    const auto& pop = ctx_.pop;
    const auto& cm = ctx_.geo.communes();
    const int ndays = last - first + 1;
    std::string month = month_name(first), out, ue;
    std::map<std::pair<int32_t, int32_t>, uint32_t> commute;
    for (size_t i = 0; i < pop.persons.size(); ++i) {
        const Person& p = pop.persons[i];
        PersonState& st = states[i];
        int32_t home = -1, work = -1;
        if (p.kind == PersonKind::resident || p.kind == PersonKind::foreign_resident) {
            int n1 = 0;
            for (Day d = first; d <= last; ++d) n1 += p.home_index(d);
            int k = n1 * 2 >= ndays ? 1 : 0;
            home = p.places[p.home[k]].commune;
            if (p.worker) work = p.places[p.work[k]].commune;
        }
        std::sort(st.month_days.begin(), st.month_days.end());
        for (uint8_t k = 0; k < p.n_devices; ++k) {
            std::string_view uid(pop.devices[p.first_device + k].msisdn, 12);
            out += fmt::format("{},{},{},{},{}\n", uid, month, person_kind_name(p.kind), home >= 0 ? cm[home].id : "",
                               work >= 0 ? cm[work].id : "");
            if (home < 0) continue;
            auto days_in = [&](int32_t c) {
                for (const auto& [z, n] : st.month_days)
                    if (z == c) return static_cast<int>(n);
                return 0;
            };
            ue += fmt::format("{},{},{},home,{}\n", uid, month, cm[home].id, days_in(home));
            if (work >= 0 && work != home) ue += fmt::format("{},{},{},work,{}\n", uid, month, cm[work].id, days_in(work));
            for (const auto& [z, n] : st.month_days)
                if (z != home && z != work && n * 7 >= ndays) ue += fmt::format("{},{},{},ue,{}\n", uid, month, cm[z].id, n);
            if (work >= 0) ++commute[{home, work}];
        }
        st.month_days.clear();
    }
    home_work_->write(out);
    ue_->write(ue);
    out.clear();
    for (const auto& [k, v] : commute) out += fmt::format("{},{},{},{}\n", month, cm[k.first].id, cm[k.second].id, v);
    commuting_->write(out);
}

void TruthWriter::finish(const std::vector<PersonState>& states) {
    const auto& pop = ctx_.pop;
    const auto& geo = ctx_.geo;
    const auto& cm = geo.communes();
    const auto& cs = countries();
    const SynthOptions& o = ctx_.opt;
    const Day start = o.start, end = o.end();
    auto uid = [&](uint32_t dev) { return std::string_view(pop.devices[dev].msisdn, 12); };
    auto zone = [&](int32_t c) { return c >= 0 ? std::string_view(cm[c].id) : std::string_view(); };

    // Devices.
    {
        std::string out = "user_id,person,kind,mcc,mnc,sims,home_zone,work_zone,events_per_day\n";
        for (size_t i = 0; i < pop.persons.size(); ++i) {
            const Person& p = pop.persons[i];
            int32_t home = -1, work = -1;
            if (p.kind == PersonKind::resident || p.kind == PersonKind::foreign_resident) {
                home = p.places[p.home[p.home_index(start)]].commune;
                if (p.worker) work = p.places[p.work[p.home_index(start)]].commune;
            } else if (p.kind == PersonKind::iot) {
                home = -1;
            }
            for (uint8_t k = 0; k < p.n_devices; ++k) {
                const Device& d = pop.devices[p.first_device + k];
                out += fmt::format("{},{},{},{},{},{},{},{},{:.2f}\n", uid(p.first_device + k), i, person_kind_name(p.kind), d.mcc,
                                   d.foreign ? cs[d.country].mnc : kLocalMnc, p.n_devices, zone(home), zone(work), d.activity);
            }
        }
        write_file_atomically(dir_ / "truth" / "devices.csv", out);
    }
    // Population per commune: census and this operator's resident subscribers.
    {
        std::vector<uint64_t> persons(cm.size(), 0), devices(cm.size(), 0);
        for (const auto& p : pop.persons) {
            if (p.kind != PersonKind::resident && p.kind != PersonKind::foreign_resident) continue;
            int32_t c = p.places[p.home[p.home_index(start)]].commune;
            if (c < 0) continue;
            ++persons[c];
            devices[c] += p.n_devices;
        }
        std::string out = "zone_id,census_population,resident_persons,resident_devices\n";
        for (size_t c = 0; c < cm.size(); ++c)
            out += fmt::format("{},{},{},{}\n", cm[c].id, static_cast<int64_t>(cm[c].population), persons[c], devices[c]);
        write_file_atomically(dir_ / "truth" / "population.csv", out);
    }
    // Migrants.
    {
        std::string out = "user_id,move_day,old_home_zone,new_home_zone\n";
        for (const auto& p : pop.persons) {
            if (p.move_day > end) continue;
            for (uint8_t k = 0; k < p.n_devices; ++k)
                out += fmt::format("{},{},{},{}\n", uid(p.first_device + k), format_day(p.move_day),
                                   zone(p.places[p.home[0]].commune), zone(p.places[p.home[1]].commune));
        }
        write_file_atomically(dir_ / "truth" / "migrants.csv", out);
    }
    // Displacement: residents of the affected communes by where they sleep each night.
    {
        std::string out = "day,home_zone,present_zone,devices\n";
        if (o.disaster_day >= 0) {
            Day dd = start + o.disaster_day;
            for (Day d = std::max(start, dd - 1); d <= end; ++d) {
                std::map<std::pair<int32_t, int32_t>, uint64_t> m;  // present -2 = abroad
                for (const auto& p : pop.persons) {
                    if (!p.affected) continue;
                    int32_t home = p.places[p.home[p.home_index(dd)]].commune;
                    uint32_t np = p.night_place(d);
                    int32_t at = np == kAbroad ? -2 : np == kAbsent ? -3 : p.places[np].commune;
                    if (at == -3) continue;
                    m[{home, at}] += p.n_devices;
                }
                for (const auto& [k, v] : m)
                    out += fmt::format("{},{},{},{}\n", format_day(d), zone(k.first), k.second == -2 ? std::string_view("abroad") : zone(k.second), v);
            }
        }
        write_file_atomically(dir_ / "truth" / "displaced.csv", out);
    }
    // Inbound roamers and outbound travellers; episodes.
    {
        struct Tot { uint64_t visitors = 0, trips = 0, nights = 0; };
        std::vector<Tot> in(cs.size()), outb(cs.size());
        std::map<std::pair<size_t, int32_t>, Tot> in_zone;
        std::string ep = "user_id,type,first_night,last_night,zone_id,country\n";
        for (size_t i = 0; i < pop.persons.size(); ++i) {
            const Person& p = pop.persons[i];
            const uint64_t nd = p.n_devices;
            if (p.kind == PersonKind::inbound) {
                in[p.country].visitors += nd;
                in[p.country].trips += nd;
                for (int32_t c : states[i].visited) in_zone[{p.country, c}].visitors += nd;
                for (Day d = start; d < end; ++d) {
                    uint32_t np = p.night_place(d);
                    if (np == kAbsent || np == kAbroad) continue;
                    in[p.country].nights += nd;
                    in_zone[{p.country, p.places[np].commune}].nights += nd;
                }
            }
            std::set<uint16_t> travelled;
            for (const auto& e : p.episodes) {
                if (e.last < start || e.first > end) continue;
                for (uint8_t k = 0; k < p.n_devices; ++k)
                    ep += fmt::format("{},{},{},{},{},{}\n", uid(p.first_device + k), episode_type_name(e.type), format_day(e.first),
                                      format_day(e.last), e.place == kAbroad ? std::string_view() : zone(p.places[e.place].commune),
                                      e.type == EpisodeType::abroad ? cs[e.country].iso : (e.type == EpisodeType::visit ? cs[p.country].iso : ""));
                if (e.type != EpisodeType::abroad) continue;
                outb[e.country].trips += nd;
                if (travelled.insert(e.country).second) outb[e.country].visitors += nd;
                for (Day d = std::max(start, e.first); d <= std::min(end - 1, e.last); ++d) outb[e.country].nights += nd;
            }
        }
        std::string a = "country,mcc,visitors,trips,nights\n", b = "country,mcc,zone_id,visitors,nights\n",
                    c = "country,mcc,travellers,trips,nights\n";
        for (size_t k = 0; k < cs.size(); ++k) {
            if (in[k].visitors) a += fmt::format("{},{},{},{},{}\n", cs[k].iso, cs[k].mcc, in[k].visitors, in[k].trips, in[k].nights);
            if (outb[k].trips) c += fmt::format("{},{},{},{},{}\n", cs[k].iso, cs[k].mcc, outb[k].visitors, outb[k].trips, outb[k].nights);
        }
        for (const auto& [k, v] : in_zone)
            b += fmt::format("{},{},{},{},{}\n", cs[k.first].iso, cs[k.first].mcc, zone(k.second), v.visitors, v.nights);
        write_file_atomically(dir_ / "truth" / "inbound.csv", a);
        write_file_atomically(dir_ / "truth" / "inbound_zones.csv", b);
        write_file_atomically(dir_ / "truth" / "outbound.csv", c);
        write_file_atomically(dir_ / "truth" / "episodes.csv", ep);
    }
    // Faults injected.
    {
        std::string out = "fault,rows\n";
        for (int k = 1; k < kRowFaultKinds; ++k) out += fmt::format("{},{}\n", fault_names_[k - 1], fault_totals_[k]);
        out += fmt::format("duplicate,{}\njump,{}\n", fault_totals_[kRowFaultKinds], fault_totals_[kRowFaultKinds + 1]);
        write_file_atomically(dir_ / "truth" / "faults.csv", out);
    }
    for (auto* f : {present_.get(), od_.get(), per_day_.get(), home_work_.get(), ue_.get(), commuting_.get()}) f->commit();
}

}  // namespace mpdstat::synth
