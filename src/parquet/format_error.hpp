#pragma once
// What the Parquet code throws on a malformed or unsupported file. It names
// what is wrong but not the file: the reader's public entry points add the file
// name and turn it into a data error (exit 1).
#include <stdexcept>
#include <string>

namespace mpdstat::parquet {

class FormatError : public std::runtime_error {
public:
    explicit FormatError(const std::string& what) : std::runtime_error(what) {}
};

}  // namespace mpdstat::parquet
