#pragma once
// Page compression: UNCOMPRESSED, SNAPPY (raw snappy blocks), GZIP (gzip or
// zlib streams) and ZSTD. Other codecs are refused by name.
#include <cstdint>
#include <span>
#include <string>

#include "parquet/metadata.hpp"

namespace mpdstat::parquet {

// Decompresses one page to exactly `uncompressed_size` bytes; FormatError when
// the data is corrupt, decompresses to another size, or the codec is unsupported.
std::string decompress(Codec codec, std::span<const uint8_t> in, size_t uncompressed_size);

// Compresses one page (ZSTD at `level`, or UNCOMPRESSED / SNAPPY / GZIP).
std::string compress(Codec codec, std::string_view in, int level = 3);

}  // namespace mpdstat::parquet
