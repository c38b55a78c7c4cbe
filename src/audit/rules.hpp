#pragma once
// The disclosure rules `mpdstat audit` checks on one released file
// (docs/audit.md). Each appends what it finds; none changes the file.
#include <cstdint>
#include <vector>

#include "audit/finding.hpp"
#include "audit/released_file.hpp"
#include "audit/zone_tree.hpp"

namespace mpdstat::audit {

// Every row is `ok` or `suppressed`; an ok row's support is a whole number
// >= k; a suppressed row shows no value and no support; a released count of
// distinct devices (a "devices" / "visitors" / "travellers" column of whole
// numbers) is 0 or >= k, whatever the row's support.   (threshold_rule.cpp)
void check_threshold(const ReleasedFile& file, uint64_t k, std::vector<Finding>& out);

// No column named like a subscriber identifier, and no field that looks like
// one: a hex string of 16+ digits (a hash or pseudonym), or 9-15 digits in a
// key column (an MSISDN / IMSI / IMEI).   (identifier_rule.cpp)
void check_identifiers(const ReleasedFile& file, std::vector<Finding>& out);

// The attacker who knows that a parent zone's row is the sum of its
// children's (and that the top level adds up to a known total) solves every
// group with exactly one unknown, repeatedly. Each suppressed row recovered
// this way is a finding; the recovered values are returned for the attacks.
// Noisy releases are skipped (their sums do not hold).   (differencing_rule.cpp)
std::vector<RecoveredCell> check_differencing(const ReleasedFile& file, const ZoneTree& zones, std::vector<Finding>& out);

// Counts over overlapping time windows (a column "<name>_<N>d", e.g.
// active_devices_90d, published for consecutive dates): the difference of two
// released neighbours counts the devices in one window only; between 1 and
// k - 1 it discloses a small group.   (window_rule.cpp)
void check_overlapping_windows(const ReleasedFile& file, uint64_t k, std::vector<Finding>& out);

// Day / night population is the mean of present population over the day
// (work hours of working days) or night hours of the period (`anchors`, read
// from the run's manifest). A released mean with exactly one suppressed
// present-population row of its zone inside its window gives that row away:
// mean × time points − the released rows. Each such row is a finding and
// its recovered value is returned.   (period_mean_rule.cpp)
std::vector<RecoveredCell> check_period_means(const ReleasedFile& present, const ReleasedFile& day_night,
                                              const nlohmann::json& anchors, std::vector<Finding>& out);

}  // namespace mpdstat::audit
