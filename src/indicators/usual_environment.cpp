#include "indicators/usual_environment.hpp"

#include "common/archive.hpp"

#include <set>

namespace mpdstat {

UsualEnvironment::UsualEnvironment(const ZoneSpace& space, const Config& config) : space_(space), config_(config) {
    for (size_t l : space_.levels()) {
        std::array<std::vector<uint64_t>, 3> per_label;
        for (auto& v : per_label) v.assign(space_.zone_count(l), 0);
        counts_.push_back(std::move(per_label));
    }
    commuting_.resize(space_.levels().size());
}

std::unique_ptr<DeviceHandler> UsualEnvironment::fresh() const { return std::make_unique<UsualEnvironment>(space_, config_); }

void UsualEnvironment::add(const DeviceView& v) {
    const Anchors& a = v.anchors;
    if (!a.observed_enough) return;
    ++judged_;
    with_home_ += a.home != kNoZoneIndex;
    with_work_ += a.work != kNoZoneIndex;
    for (size_t k = 0; k < space_.levels().size(); ++k) {
        size_t level = space_.levels()[k];
        std::set<uint32_t> ue;
        for (uint32_t z : a.usual) ue.insert(space_.roll_up(z, level));
        for (uint32_t z : ue) ++counts_[k][0][z];
        uint32_t home = space_.roll_up(a.home, level), work = space_.roll_up(a.work, level);
        if (home != kNoZoneIndex) ++counts_[k][1][home];
        if (work != kNoZoneIndex) ++counts_[k][2][work];
        if (home != kNoZoneIndex && work != kNoZoneIndex) ++commuting_[k][{home, work}];
    }
}

void UsualEnvironment::merge(const DeviceHandler& other) {
    const auto& o = static_cast<const UsualEnvironment&>(other);
    for (size_t k = 0; k < counts_.size(); ++k) {
        for (size_t label = 0; label < 3; ++label)
            for (size_t z = 0; z < counts_[k][label].size(); ++z) counts_[k][label][z] += o.counts_[k][label][z];
        for (const auto& [key, n] : o.commuting_[k]) commuting_[k][key] += n;
    }
    judged_ += o.judged_;
    with_home_ += o.with_home_;
    with_work_ += o.with_work_;
}

AggregateTable UsualEnvironment::usual_environment_table() const {
    AggregateTable t;
    t.name = "usual_environment";
    t.zone_columns = {"zone_id"};
    t.key_columns = {"period_start", "period_end", "label"};
    t.value_columns = {"devices"};
    const std::string ps = format_day(config_.input.period_start), pe = format_day(config_.input.period_end);
    static const char* labels[3] = {"ue", "home", "work"};
    for (size_t k = 0; k < counts_.size(); ++k)
        for (size_t label = 0; label < 3; ++label)
            for (uint32_t z = 0; z < counts_[k][label].size(); ++z) {
                uint64_t n = counts_[k][label][z];
                if (n == 0) continue;
                t.rows.push_back({static_cast<uint32_t>(space_.levels()[k]), {z}, {ps, pe, labels[label]}, {double(n)}, n});
            }
    return t;
}

AggregateTable UsualEnvironment::commuting_table() const {
    AggregateTable t;
    t.name = "commuting";
    t.zone_columns = {"home_zone", "work_zone"};
    t.key_columns = {"period_start", "period_end"};
    t.value_columns = {"devices"};
    const std::string ps = format_day(config_.input.period_start), pe = format_day(config_.input.period_end);
    for (size_t k = 0; k < commuting_.size(); ++k)
        for (const auto& [key, n] : commuting_[k])
            t.rows.push_back({static_cast<uint32_t>(space_.levels()[k]), {key.first, key.second}, {ps, pe}, {double(n)}, n});
    return t;
}

void UsualEnvironment::save(std::string& out) const { archive_write(out, counts_, commuting_, judged_, with_home_, with_work_); }

void UsualEnvironment::load(std::string_view in) {
    ArchiveReader r(in);
    r.read(counts_, commuting_, judged_, with_home_, with_work_);
}

}  // namespace mpdstat
