#pragma once
// One clean, pseudonymised event as the store keeps it (Tier I nano data).
#include <cmath>
#include <cstdint>
#include <string_view>

namespace mpdstat {

enum class Domain : uint8_t { domestic = 0, inbound = 1, outbound = 2 };
std::string_view domain_name(Domain d);

// Event types are folded onto a small fixed set; anything else is `other`.
enum class EventType : uint8_t { unknown = 0, call = 1, sms = 2, data = 3, other = 4 };
std::string_view event_type_name(EventType t);
EventType parse_event_type(std::string_view text);

namespace event_flags {
constexpr uint8_t suspicious_jump = 1;     // far and fast from one neighbour only
constexpr uint8_t duplicate_conflict = 2;  // another event at the same time named another cell
}  // namespace event_flags

constexpr uint32_t kNoCell = 0xFFFFFFFFu;

struct Event {
    uint64_t device = 0;     // keyed hash of the subscriber id
    int64_t time_ms = 0;     // UTC milliseconds since the epoch
    uint32_t cell = kNoCell; // index into the cell plan; kNoCell when abroad
    uint32_t duration_s = 0;
    uint16_t mcc = 0, mnc = 0;                 // subscription's home network (0 = not given)
    uint16_t serving_mcc = 0, serving_mnc = 0; // serving network (0 = not given)
    float lat = NAN, lon = NAN;                // event position where the MNO gives one
    EventType type = EventType::unknown;
    Domain domain = Domain::domestic;
    uint8_t flags = 0;
};

}  // namespace mpdstat
