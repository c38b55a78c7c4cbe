#pragma once
// One person's day: a sequence of segments covering local wall time
// [0, 86400) seconds — stays at places, moves between them (straight lines at
// road speed), time abroad, or time out of the country (roamers). The diary is
// a pure function of the person's plan, the day and the person's random stream
// for that day.
#include <cstdint>
#include <vector>

#include "synth/population.hpp"

namespace mpdstat::synth {

enum class SegType : uint8_t { stay, move, abroad, absent };

struct Segment {
    int32_t t0 = 0, t1 = 0;  // seconds of the local day
    SegType type = SegType::stay;
    int32_t commune = -1;    // stays: the commune; moves: of the destination
    Vec2 a, b;               // stay: a; move: a → b
    uint16_t country = 0;    // abroad: countries() index
    // Stays: the serving cells of that day (valid ones), cumulative weights.
    uint32_t cell[3] = {0, 0, 0};
    float cum[3] = {0, 0, 0};
    uint8_t ncell = 0;
};

struct DayKind {
    bool rest = false;      // weekend or holiday
    bool holiday = false;
    int weekday = 0;        // 0 = Monday
};

struct DiaryContext {
    const Geography& geo;
    const Network& net;
    const SynthOptions& opt;
    const Population& pop;
};

bool is_holiday(Day d);
DayKind day_kind(Day d);

// Fills `out` with the person's diary of `day`; empty for machines.
void make_diary(const DiaryContext& ctx, const Person& p, Day day, Rng& rng, std::vector<Segment>& out);

// Position and commune at a time (seconds of day); false when abroad / absent.
bool where(const DiaryContext& ctx, const std::vector<Segment>& diary, int32_t t, Vec2& pos, int32_t& commune, const Segment** seg);

}  // namespace mpdstat::synth
