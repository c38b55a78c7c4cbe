// libFuzzer target: a Parquet file decoded from bytes — footer, thrift
// metadata, page headers, every encoding and codec the reader supports. A
// corrupt or unsupported file must be refused with a data error naming it; a
// crash, a sanitizer report, an out-of-memory or another exception is a finding.
#include <cstddef>
#include <cstdint>
#include <span>

#include "common/error.hpp"
#include "parquet/file_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        (void)mpdstat::parquet::read_all_for_fuzz(std::span<const uint8_t>(data, size));
    } catch (const mpdstat::Error&) {
        // refused with a clear error: the expected outcome for a broken file
    }
    return 0;
}
