#pragma once
// The people and machines of the synthetic country, with their plans.
//
// A person has a home, for workers a work place, a few regular places, habits,
// and a plan of episodes fixed in advance: domestic overnight trips, journeys
// abroad, a displacement after the disaster, a migration (new home from a
// given night), or for an inbound roamer the nights spent at each destination.
// Because the plan is fixed up front, where a person sleeps on any night is a
// pure function of the plan, and each day's diary can be drawn independently
// (in parallel, in any order) from the person's own random stream.
// A person owns one device (SIM), or two for dual-SIM users.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "synth/network.hpp"

namespace mpdstat::synth {

constexpr uint32_t kNoPlace = std::numeric_limits<uint32_t>::max();
constexpr uint32_t kAbroad = kNoPlace - 1;  // night place: outside the country (domestic traveller)
constexpr uint32_t kAbsent = kNoPlace - 2;  // night place: not in the country (roamer before / after the visit)

struct Country {
    const char* iso;
    uint16_t mcc;
    const char* mnc;            // the roamers' home network
    const char* serving_mnc;    // the network serving our travellers there
    const char* calling_code;   // prefix of the MSISDN
    double inbound_weight, outbound_weight;
};
const std::vector<Country>& countries();

constexpr uint16_t kLocalMcc = 608;
constexpr const char* kLocalMnc = "01";

struct Place {
    Vec2 pos;
    int32_t commune = -1;
    CellChoice cells;
};

enum class PersonKind : uint8_t { resident, foreign_resident, inbound, iot };
std::string_view person_kind_name(PersonKind k);

enum class EpisodeType : uint8_t { trip, abroad, displaced, visit };
std::string_view episode_type_name(EpisodeType t);

struct Episode {
    EpisodeType type;
    Day first = 0, last = 0;   // nights first..last (inclusive) spent away
    uint32_t place = kNoPlace;  // index in the person's places; kAbroad abroad
    uint16_t country = 0;       // countries() index for abroad
};

struct Person {
    PersonKind kind = PersonKind::resident;
    bool worker = false;
    bool affected = false;      // home in the disaster area on the disaster day
    uint8_t n_devices = 1;
    uint16_t country = 0;       // roamers and foreign residents: countries() index
    uint32_t first_device = 0;
    uint32_t home[2] = {kNoPlace, kNoPlace}, work[2] = {kNoPlace, kNoPlace};
    uint32_t others_begin[2] = {0, 0}, others_n[2] = {0, 0};
    Day move_day = std::numeric_limits<Day>::max();  // first night at home[1]
    Day arrive = 0, depart = 0;  // roamers: in the country from `arrive` to `depart` (days)
    float leave_h = 7.5f, work_end_h = 17.5f;
    uint32_t iot_period_s = 0, iot_phase_s = 0;
    std::vector<Place> places;
    std::vector<Episode> episodes;

    int home_index(Day night) const { return night >= move_day ? 1 : 0; }
    // Where the person sleeps the night from `day` to `day + 1`: a place index, kAbroad or kAbsent.
    uint32_t night_place(Day day) const;
};

struct Device {
    uint32_t person = 0;
    uint8_t index_in_person = 0;
    uint16_t mcc = kLocalMcc;
    uint16_t country = 0;   // countries() index of the subscription (foreign SIMs)
    bool foreign = false;
    float activity = 1;     // mean events per day
    char msisdn[16] = {0};  // 12 digits
};

struct Population {
    std::vector<Person> persons;
    std::vector<Device> devices;
    Vec2 airport;
    Vec2 disaster_centre;
    std::vector<int> affected_communes;  // sorted
};

Population build_population(const Geography& geo, const Network& net, const SynthOptions& o, uint64_t seed);

}  // namespace mpdstat::synth
