#pragma once
// The smallest valid config, and the one-line error a broken one gives.
#include <gtest/gtest.h>

#include <string>

#include "common/error.hpp"
#include "config/config.hpp"

namespace mpdstat::test {

inline const std::string kMinimalConfig = R"(
[input]
events = "events/*.csv"
cells = "cells.csv"
timezone = "Africa/Dakar"
local_mcc = 608
period_start = "2024-01-01"
period_end = "2024-01-31"
key_env = "K"
[run]
work_dir = "work"
out_dir = "out"
)";

// The message of the config error `text` raises (exit code 2), or a test failure.
inline std::string config_error_of(const std::string& text) {
    try {
        parse_config(text, "/base", "test.toml");
    } catch (const Error& e) {
        EXPECT_EQ(e.exit_code(), 2);
        return e.what();
    }
    ADD_FAILURE() << "no error for:\n" << text;
    return {};
}

}  // namespace mpdstat::test
