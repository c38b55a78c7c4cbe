#pragma once
// Errors a user can act on. The CLI maps each kind to an exit code:
// usage and configuration problems exit 2, data and runtime problems exit 1.
#include <stdexcept>
#include <string>

namespace mpdstat {

enum class ErrorKind { usage, config, data, runtime };

class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, std::string message) : std::runtime_error(std::move(message)), kind_(kind) {}
    ErrorKind kind() const noexcept { return kind_; }
    int exit_code() const noexcept { return kind_ == ErrorKind::usage || kind_ == ErrorKind::config ? 2 : 1; }

private:
    ErrorKind kind_;
};

inline Error usage_error(std::string m) { return Error(ErrorKind::usage, std::move(m)); }
inline Error config_error(std::string m) { return Error(ErrorKind::config, std::move(m)); }
inline Error data_error(std::string m) { return Error(ErrorKind::data, std::move(m)); }
inline Error runtime_error(std::string m) { return Error(ErrorKind::runtime, std::move(m)); }

}  // namespace mpdstat
