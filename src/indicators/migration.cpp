#include "indicators/migration.hpp"

#include "common/archive.hpp"

namespace mpdstat {

namespace {

AnchorRules migration_rules(const Config& config) {
    AnchorRules r = AnchorRules::from_config(config);
    if (!config.migration.rules.empty()) r.c.rules = config.migration.rules;
    return r;
}

}  // namespace

Migration::Migration(const ZoneSpace& space, const Config& config)
    : space_(space), config_(config), rules_(migration_rules(config)), clock_(config.input.timezone) {
    rules_.location = space.places().location.get();
}

std::unique_ptr<DeviceHandler> Migration::fresh() const { return std::make_unique<Migration>(space_, config_); }

double Migration::night_share(const DeviceView& v, uint32_t zone, Day from, Day to) const {
    uint64_t nights = 0, there = 0;
    for (const DeviceDay& d : v.days) {
        if (d.day < from || d.day > to || d.daily_location == kNoCell) continue;
        const uint32_t z = space_.places().zone[d.daily_location];
        if (z == kNoZoneIndex) continue;
        ++nights;
        there += z == zone;
    }
    return nights ? double(there) / double(nights) : 0.0;
}

void Migration::add(const DeviceView& v) {
    const auto& m = config_.migration;
    auto anchors_in = [&](Day from, Day to) { return anchors_between(v, from, to, rules_, space_.places().zone, clock_); };
    if (v.domain == Domain::inbound) return;
    const Anchors before = anchors_in(m.previous_start, m.previous_end);
    uint32_t prev = before.home;
    if (prev == kNoZoneIndex) return;
    const Anchors after = anchors_in(m.new_start, m.new_end);
    uint32_t next = after.home;
    if (next == kNoZoneIndex) return;
    ++both_;
    // Homes that differ but overlap — the device spends a good share of each
    // period's nights in the other period's home (a home on a border between
    // two zones, a second home) — are not a move: migrants are devices whose
    // shares of nights at the new home before and at the old home after add up
    // to less than migration.max_overlap. Nights are located by their cells'
    // dominant zones, so the shares are of the homes as those zones see them.
    if (prev != next && night_share(v, after.home_seen, m.previous_start, m.previous_end) +
                                night_share(v, before.home_seen, m.new_start, m.new_end) <
                            m.max_overlap)
        migrants_[v.device] = {prev, next};
    else
        next = prev;
    for (size_t l = 0; l < space_.levels().size(); ++l) {
        size_t level = space_.levels()[l];
        ++flows_[{l, space_.roll_up(prev, level), space_.roll_up(next, level)}];
    }
}

void Migration::merge(const DeviceHandler& other) {
    const auto& o = static_cast<const Migration&>(other);
    for (const auto& [k, n] : o.flows_) flows_[k] += n;
    migrants_.insert(o.migrants_.begin(), o.migrants_.end());
    both_ += o.both_;
}

AggregateTable Migration::table() const {
    AggregateTable t;
    t.name = "migration";
    t.zone_columns = {"from_zone", "to_zone"};
    t.key_columns = {"period_prev_start", "period_prev_end", "period_new_start", "period_new_end"};
    t.value_columns = {"devices"};
    const auto& m = config_.migration;
    std::vector<std::string> keys{format_day(m.previous_start), format_day(m.previous_end), format_day(m.new_start),
                                  format_day(m.new_end)};
    for (const auto& [k, n] : flows_) {
        auto [l, from, to] = k;
        t.rows.push_back({static_cast<uint32_t>(space_.levels()[l]), {from, to}, keys, {double(n)}, n});
    }
    return t;
}

void Migration::save(std::string& out) const { archive_write(out, flows_, migrants_, both_); }

void Migration::load(std::string_view in) {
    ArchiveReader r(in);
    r.read(flows_, migrants_, both_);
}

}  // namespace mpdstat
