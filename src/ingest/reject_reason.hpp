#pragma once
// Why a row was not accepted. Every rejected row is counted under exactly one
// reason and written to the quarantine file.
#include <array>
#include <cstdint>
#include <string_view>

namespace mpdstat {

enum class Reject : uint8_t {
    wrong_column_count,
    invalid_utf8,
    missing_user_id,
    missing_timestamp,
    bad_timestamp,
    outside_period,
    missing_cell_id,
    bad_mcc,
    bad_mnc,
    bad_plmn,
    bad_coordinates,
    bad_duration,
    unknown_cell,
    cell_not_valid,
    duplicate,
    duplicate_conflict,
    impossible_jump,
    device_machine,
    device_hyperactive,
    device_too_few_events,
    truncated_file,
    count_  // keep last
};

constexpr size_t kRejectReasons = static_cast<size_t>(Reject::count_);

constexpr std::array<std::string_view, kRejectReasons> kRejectNames{
    "wrong_column_count", "invalid_utf8",   "missing_user_id",   "missing_timestamp",  "bad_timestamp",
    "outside_period",     "missing_cell_id", "bad_mcc",          "bad_mnc",            "bad_plmn",
    "bad_coordinates",    "bad_duration",   "unknown_cell",      "cell_not_valid",     "duplicate",
    "duplicate_conflict", "impossible_jump", "device_machine",   "device_hyperactive", "device_too_few_events",
    "truncated_file"};

inline std::string_view reject_name(Reject r) { return kRejectNames[static_cast<size_t>(r)]; }

// Rules that judge the data's form rather than its content: they feed the
// input error rate that the quality gate checks.
inline bool is_input_error(Reject r) {
    return r <= Reject::cell_not_valid || r == Reject::truncated_file;
}

using RejectCounts = std::array<uint64_t, kRejectReasons>;

}  // namespace mpdstat
