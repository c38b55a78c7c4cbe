#pragma once
// Event rows as an operator dumps them, and their compression. A day file is
// written as independent chunks (gzip members / zstd frames, both valid when
// concatenated) so chunks can be formatted and compressed in parallel while the
// file's bytes stay the same whatever the thread count.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "synth/options.hpp"
#include "synth/population.hpp"

namespace mpdstat::synth {

enum class EvType : uint8_t { call = 0, sms = 1, data = 2 };

// Faults carried by one event row.
enum class RowFault : uint8_t {
    none = 0,
    unknown_cell,
    bad_timestamp,
    missing_field,
    bad_mcc,
    bad_plmn,
    empty_user,
};
constexpr int kRowFaultKinds = 7;
std::string_view row_fault_name(RowFault f);

struct Ev {
    uint32_t sec = 0;       // seconds of the local day
    uint32_t device = 0;
    uint32_t cell = UINT32_MAX;  // UINT32_MAX: no cell (abroad)
    uint32_t duration = 0;
    EvType type = EvType::call;
    RowFault fault = RowFault::none;
    uint16_t plmn = 0;      // 0: the local network; k + 1: countries()[k]'s network (abroad)
};

inline constexpr std::string_view kEventsHeader = "user_id,timestamp,cell_id,event_type,mcc,mnc,plmn,duration\n";

// Appends the rows of `evs` (already in time order) for local day `day_text` ("YYYY-MM-DD").
void format_rows(const Ev* begin, const Ev* end, std::string_view day_text, const Population& pop,
                 const std::vector<std::string>& cell_ids, std::string& out);

// One independent compressed member of `raw`.
std::string compress_chunk(std::string_view raw, OutCompression c, int level);

}  // namespace mpdstat::synth
