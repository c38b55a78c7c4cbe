// libFuzzer target: the config loader (TOML parsing and every key's check) on
// arbitrary text. A bad config must be refused with mpdstat::Error (exit 2 in
// the CLI); a crash, a sanitizer report or another exception is a finding.
#include <cstdint>
#include <string_view>

#include "common/error.hpp"
#include "config/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        mpdstat::Config c = mpdstat::parse_config(text, "/nonexistent/mpdstat-fuzz", "fuzz.toml");
        (void)mpdstat::config_to_json(c);
    } catch (const mpdstat::Error&) {
    }
    return 0;
}
