#pragma once
// The ground truth of a scenario (DIR/truth/*.csv), documented in docs/synth.md.
// Day-level tables (present population, trips) are accumulated per thread while
// the days are generated and written as each day ends; month-level tables (home,
// work, usual environment) from per-person counters at each month's end; and
// plan-level tables (migrants, displacement, inbound / outbound, episodes) from
// the persons' plans at the end.
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <unordered_map>
#include <vector>

#include "common/atomic_file.hpp"
#include "synth/diary.hpp"
#include "synth/event_format.hpp"

namespace mpdstat::synth {

// One thread's counts for the current day.
struct DayAcc {
    std::vector<uint32_t> present;          // [hour * communes + commune] devices
    std::vector<uint32_t> present_inbound;  // same, inbound roamers only
    std::unordered_map<uint64_t, uint32_t> od;  // (hour, origin, destination) → trips
    uint64_t events = 0, events_true = 0;
    uint64_t active_devices = 0;
    uint64_t faults[kRowFaultKinds + 2] = {};  // RowFault kinds, then duplicates, jumps
    void reset(size_t communes);
};

// Per-person counters that outlive a day (owned by the task generating that person).
struct PersonState {
    std::vector<std::pair<int32_t, uint16_t>> month_days;  // commune → days present this month
    std::vector<int32_t> visited;                          // roamers: communes with a stay
};

// Records one person's diary of a day into the day counters and the person state.
void record_diary(const DiaryContext& ctx, const Person& p, const std::vector<Segment>& diary, const std::vector<bool>& hour_missing,
                  DayAcc& acc, PersonState& st);

class TruthWriter {
public:
    TruthWriter(const std::filesystem::path& dir, const DiaryContext& ctx);
    void write_day(Day day, const DayAcc& total, const std::vector<bool>& hour_missing);
    // Home, work and usual environment of every device for a month (days first..last of the period).
    void write_month(Day first, Day last, std::vector<PersonState>& states);
    // Plan-level tables; commits every file.
    void finish(const std::vector<PersonState>& states);

private:
    std::filesystem::path dir_;
    const DiaryContext& ctx_;
    std::unique_ptr<AtomicFile> present_, od_, per_day_, home_work_, ue_, commuting_;
    uint64_t fault_totals_[kRowFaultKinds + 2] = {};
    std::vector<std::string> fault_names_;
};

}  // namespace mpdstat::synth
