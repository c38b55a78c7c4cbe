#include <gtest/gtest.h>

#include "common/error.hpp"
#include "config/estimate_config.hpp"

namespace mpdstat {
namespace {

const std::string kMinimalEstimate = R"(
[estimate]
census = "census.csv"
census_level = "commune"
calibration_level = "region"
out_dir = "est"
[[estimate.mno]]
name = "A"
tier2_dir = "out"
)";

std::string error_of(const std::string& text) {
    try {
        parse_estimate_config(text, "/base", "estimate.toml");
    } catch (const Error& e) {
        EXPECT_EQ(e.exit_code(), 2);
        return e.what();
    }
    ADD_FAILURE() << "no error for:\n" << text;
    return {};
}

TEST(EstimateConfig, DefaultsAndPaths) {
    auto c = parse_estimate_config(kMinimalEstimate, "/base", "estimate.toml");
    EXPECT_EQ(c.calibration, Calibration::zone);
    EXPECT_EQ(c.suppressed, SuppressedHandling::parent);
    EXPECT_EQ(c.confidence, 0.95);
    EXPECT_EQ(c.multi_sim_factor, 1);
    EXPECT_EQ(c.rounding, 10);
    EXPECT_EQ(c.calibration_prior_devices, 0) << "each zone's own factor unless asked";
    EXPECT_EQ(c.census, "/base/census.csv");
    EXPECT_EQ(c.out_dir, "/base/est");
    ASSERT_EQ(c.mnos.size(), 1u);
    EXPECT_EQ(c.mnos[0].tier2_dir, "/base/out");
    EXPECT_EQ(c.mnos[0].devices_per_subscriber, 1);
}

TEST(EstimateConfig, UnknownKeysAndBadValuesNameTheKey) {
    EXPECT_NE(error_of(kMinimalEstimate + "calibraton = \"zone\"\n").find("estimate.toml:10:1: unknown key 'estimate.mno.calibraton'"),
              std::string::npos);
    EXPECT_NE(error_of(std::string(kMinimalEstimate).replace(kMinimalEstimate.find("out_dir"), 7, "outdir")).find("did you mean 'estimate.out_dir'"),
              std::string::npos);
    EXPECT_NE(error_of(kMinimalEstimate + "market_share = 1.5\n").find("'estimate.mno.market_share' must be in (0, 1]"), std::string::npos);
    EXPECT_NE(error_of(std::string(kMinimalEstimate).replace(kMinimalEstimate.find("census_level"), 12, "confidence = 1.0\ncensus_level"))
                  .find("'estimate.confidence' must be in (0, 1)"),
              std::string::npos);
    const auto with_prior = [](const std::string& v) {
        return std::string(kMinimalEstimate).replace(kMinimalEstimate.find("out_dir"), 7, "calibration_prior_devices = " + v + "\nout_dir");
    };
    EXPECT_NE(error_of(with_prior("-1")).find("'estimate.calibration_prior_devices' must be a finite number >= 0"), std::string::npos);
    EXPECT_EQ(parse_estimate_config(with_prior("20"), "/base", "estimate.toml").calibration_prior_devices, 20);
}

TEST(EstimateConfig, SharesAreRequiredToCombineOrForGlobalFactors) {
    const std::string two = kMinimalEstimate + "market_share = 0.3\n[[estimate.mno]]\nname = \"B\"\ntier2_dir = \"b\"\n";
    EXPECT_NE(error_of(two).find("estimate.mno 'B' needs market_share"), std::string::npos);
    std::string global = kMinimalEstimate;
    global.replace(global.find("calibration_level = \"region\""), 28, "calibration = \"global\"");
    EXPECT_NE(error_of(global).find("calibration = \"global\" divides by it"), std::string::npos);
    std::string no_level = kMinimalEstimate;
    no_level.erase(no_level.find("calibration_level = \"region\""), 28);
    EXPECT_NE(error_of(no_level).find("'estimate.calibration_level' is required"), std::string::npos);
}

}  // namespace
}  // namespace mpdstat
