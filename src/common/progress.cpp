#include "common/progress.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>

namespace mpdstat {

bool Progress::enabled() {
    static const bool on = ::isatty(STDERR_FILENO) && std::getenv("CI") == nullptr;
    return on;
}

Progress::Progress(std::string label, uint64_t total)
    : label_(std::move(label)), total_(total), start_(std::chrono::steady_clock::now()), last_(start_),
      active_(enabled()) {}

Progress::~Progress() { finish(); }

void Progress::update(uint64_t done) {
    if (!active_) return;
    auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(250)) return;
    last_ = now;
    double secs = std::chrono::duration<double>(now - start_).count();
    std::string line = total_ ? fmt::format("\r{}: {:.1f}% ({} / {}) {:.0f}s", label_, 100.0 * double(done) / double(total_),
                                            done, total_, secs)
                              : fmt::format("\r{}: {} {:.0f}s", label_, done, secs);
    std::fputs(line.c_str(), stderr);
    std::fflush(stderr);
    drawn_ = true;
}

void Progress::finish() {
    if (active_ && drawn_) {
        std::fputs("\r\033[K", stderr);
        std::fflush(stderr);
    }
    drawn_ = false;
    active_ = false;
}

}  // namespace mpdstat
