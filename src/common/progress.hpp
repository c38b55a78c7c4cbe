#pragma once
// A progress line for long jobs: redrawn in place on a terminal, silent when
// stderr is not a terminal or CI is set, so logs stay clean.
#include <chrono>
#include <cstdint>
#include <string>

namespace mpdstat {

class Progress {
public:
    Progress(std::string label, uint64_t total = 0);
    ~Progress();
    void update(uint64_t done);
    void finish();
    static bool enabled();

private:
    std::string label_;
    uint64_t total_;
    std::chrono::steady_clock::time_point start_, last_;
    bool active_;
    bool drawn_ = false;
};

}  // namespace mpdstat
