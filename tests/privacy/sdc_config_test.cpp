// The [sdc] section of the configuration.
#include <gtest/gtest.h>

#include "common/error.hpp"
#include "config/config.hpp"
#include "config/config_test_util.hpp"

namespace mpdstat {
namespace {

const std::string& kMinimal = test::kMinimalConfig;

std::string error_of(const std::string& text) { return test::config_error_of(text); }

TEST(SdcConfig, Defaults) {
    const SdcConfig s = parse_config(kMinimal, "/base").sdc;
    EXPECT_EQ(s.min_devices, 15u);
    EXPECT_EQ(s.suppressed, SuppressedMode::flag);
    EXPECT_TRUE(s.secondary);
    EXPECT_EQ(s.noise, NoiseMechanism::none);
    EXPECT_EQ(s.epsilon, 1.0);
    EXPECT_EQ(s.delta, 1e-6);
    EXPECT_EQ(s.max_contributions, 1u);
    EXPECT_EQ(s.seed, 0u);
}

TEST(SdcConfig, EveryKey) {
    const SdcConfig s = parse_config(kMinimal + R"(
[sdc]
min_devices = 20
suppressed = "drop"
secondary = false
noise = "gaussian"
epsilon = 0.5
delta = 1e-7
max_contributions = 24
seed = 123456789
)", "/base").sdc;
    EXPECT_EQ(s.min_devices, 20u);
    EXPECT_EQ(s.suppressed, SuppressedMode::drop);
    EXPECT_FALSE(s.secondary);
    EXPECT_EQ(s.noise, NoiseMechanism::gaussian);
    EXPECT_EQ(s.epsilon, 0.5);
    EXPECT_EQ(s.delta, 1e-7);
    EXPECT_EQ(s.max_contributions, 24u);
    EXPECT_EQ(s.seed, 123456789u);
}

TEST(SdcConfig, BadValuesNameTheKey) {
    EXPECT_NE(error_of(kMinimal + "[sdc]\nmin_devices = 0\n").find("'sdc.min_devices' must be in"), std::string::npos);
    EXPECT_NE(error_of(kMinimal + "[sdc]\nmin_devices = 1.5\n").find("'sdc.min_devices' must be an integer"), std::string::npos);
    EXPECT_NE(error_of(kMinimal + "[sdc]\nsuppressed = \"hide\"\n").find("'sdc.suppressed'"), std::string::npos);
    EXPECT_NE(error_of(kMinimal + "[sdc]\nsecondary = \"yes\"\n").find("'sdc.secondary' must be a boolean"), std::string::npos);
    EXPECT_NE(error_of(kMinimal + "[sdc]\nnoise = \"uniform\"\n").find("'sdc.noise'"), std::string::npos);
    EXPECT_NE(error_of(kMinimal + "[sdc]\nepsilon = 0\n").find("'sdc.epsilon'"), std::string::npos);
    EXPECT_NE(error_of(kMinimal + "[sdc]\nnoise = \"gaussian\"\n").find("'sdc.epsilon' must be < 1"), std::string::npos);
    EXPECT_NE(error_of(kMinimal + "[sdc]\ndelta = 1\n").find("'sdc.delta'"), std::string::npos);
    EXPECT_NE(error_of(kMinimal + "[sdc]\nmax_contributions = 0\n").find("'sdc.max_contributions'"), std::string::npos);
    EXPECT_NE(error_of(kMinimal + "[sdc]\nseed = -1\n").find("'sdc.seed'"), std::string::npos);
    const std::string m = error_of(kMinimal + "[sdc]\nmin_device = 10\n");
    EXPECT_NE(m.find("unknown key 'sdc.min_device'"), std::string::npos) << m;
    EXPECT_NE(m.find("did you mean 'sdc.min_devices'"), std::string::npos) << m;
}

TEST(SdcConfig, TheSeedStaysOutOfTheManifest) {
    Config c = parse_config(kMinimal + "[sdc]\nnoise = \"laplace\"\nseed = 987654321987\n", "/base");
    const std::string j = config_to_json(c);
    EXPECT_EQ(j.find("987654321987"), std::string::npos);
    EXPECT_NE(j.find("\"seed_set\": true"), std::string::npos) << j;
    EXPECT_NE(j.find("\"noise\": \"laplace\""), std::string::npos) << j;
}

}  // namespace
}  // namespace mpdstat
