#include "store/event.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace mpdstat {

std::string_view domain_name(Domain d) {
    switch (d) {
        case Domain::domestic: return "domestic";
        case Domain::inbound: return "inbound";
        case Domain::outbound: return "outbound";
    }
    return "domestic";
}

std::string_view event_type_name(EventType t) {
    static constexpr std::array<std::string_view, 5> names{"unknown", "call", "sms", "data", "other"};
    return names[static_cast<size_t>(t) < names.size() ? static_cast<size_t>(t) : 0];
}

EventType parse_event_type(std::string_view text) {
    if (text.empty()) return EventType::unknown;
    // Every known name is short: longer text is `other` without a copy.
    char buf[8];
    if (text.size() > sizeof buf) return EventType::other;
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        buf[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    }
    std::string_view s(buf, text.size());
    if (s == "call" || s == "voice" || s == "moc" || s == "mtc" || s == "mo_call" || s == "mt_call") return EventType::call;
    if (s == "sms" || s == "mo_sms" || s == "mt_sms" || s == "text") return EventType::sms;
    if (s == "data" || s == "gprs" || s == "xdr" || s == "session" || s == "ipdr") return EventType::data;
    return EventType::other;
}

}  // namespace mpdstat
