#include "common/secret_memory.hpp"

#include <sys/prctl.h>
#include <sys/resource.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "common/error.hpp"

namespace mpdstat {

void keep_secrets_out_of_core_dumps() {
    struct rlimit none {0, 0};
    if (::setrlimit(RLIMIT_CORE, &none) != 0)
        throw runtime_error(fmt::format("cannot disable core dumps before reading the key: {}", std::strerror(errno)));
    if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
        throw runtime_error(fmt::format("cannot make the process non-dumpable before reading the key: {}", std::strerror(errno)));
}

}  // namespace mpdstat
