// libFuzzer target: an event store partition file decoded from bytes. A
// corrupt or forged file must be refused with a data error naming it, without
// reading out of bounds or allocating what its header claims before the data
// backs it; a crash, a sanitizer report, an out-of-memory or another exception
// is a finding.
#include <cstdint>
#include <string_view>

#include "common/error.hpp"
#include "spatial/cell_plan.hpp"
#include "store/partition_file.hpp"

namespace {

const mpdstat::CellPlan& plan() {
    static const mpdstat::CellPlan p = [] {
        mpdstat::CellPlan cells;
        for (const char* id : {"C1", "C2", "1001", "1002"}) {
            mpdstat::Cell c;
            c.id = id;
            c.lat = 14.5;
            c.lon = -15.5;
            cells.add(c);
        }
        return cells;
    }();
    return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    try {
        mpdstat::PartitionInfo info;
        auto events = mpdstat::decode_partition(bytes, "fuzz.mpds", plan(), &info);
        (void)events;
    } catch (const mpdstat::Error&) {
    }
    return 0;
}
