#include <algorithm>
#include <cctype>
#include <set>

#include <fmt/format.h>

#include "audit/rules.hpp"

namespace mpdstat::audit {

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

bool identifier_name(const std::string& column) {
    static const std::set<std::string> exact = {"user", "user_id", "userid", "uid", "device", "device_id", "deviceid",
                                                "subscriber", "subscriber_id", "pseudonym", "imsi", "imei", "msisdn",
                                                "phone", "phone_number", "caller", "callee", "hash"};
    std::string c = lower(column);
    if (exact.count(c)) return true;
    for (const char* part : {"msisdn", "imsi", "imei", "pseudonym", "user_id", "device_id", "subscriber"})
        if (c.find(part) != std::string::npos) return true;
    return false;
}

// 16 or more hex digits in a row, with at least one letter or as a whole
// field: the shape of a hash or of mpdstat's 16-digit pseudonyms.
bool looks_like_hash(std::string_view s) {
    size_t run = 0, best = 0;
    for (char ch : s) {
        run = std::isxdigit(static_cast<unsigned char>(ch)) ? run + 1 : 0;
        best = std::max(best, run);
    }
    return best >= 16;
}

// An MSISDN (E.164: up to 15 digits, usually 9+), IMSI (15) or IMEI (15-16).
bool looks_like_subscriber_number(std::string_view s) {
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    if (s.size() < 9 || s.size() > 16) return false;
    return std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

}  // namespace

void check_identifiers(const ReleasedFile& f, std::vector<Finding>& out) {
    const std::string file = f.label();
    for (const auto& column : f.header)
        if (identifier_name(column))
            out.push_back({"identifier", file, 1, fmt::format("column '{}' is named like a subscriber identifier", column)});
    std::vector<bool> is_value(f.header.size(), false);
    for (size_t c : f.value_cols) is_value[c] = true;
    if (f.support_col >= 0) is_value[size_t(f.support_col)] = true;
    size_t reported = 0;
    for (size_t i = 0; i < f.rows.size() && reported < 20; ++i)
        for (size_t c = 0; c < f.header.size(); ++c) {
            const std::string& v = f.rows[i][c];
            const bool hash = looks_like_hash(v);
            const bool number = !is_value[c] && looks_like_subscriber_number(v);
            if (!hash && !number) continue;
            // The value itself is not repeated: it may be a real identifier.
            out.push_back({"identifier", file, f.lines[i],
                           fmt::format("column '{}' holds a value shaped like {}", f.header[c],
                                       hash ? "a hash or pseudonym" : "a subscriber number")});
            ++reported;
            break;
        }
}

}  // namespace mpdstat::audit
