#include <gtest/gtest.h>

#include "spatial/cell_plan.hpp"

namespace mpdstat {
namespace {

Cell version(const char* id, Day from, Day to) {
    Cell c;
    c.id = id;
    c.lat = 14.0;
    c.lon = -17.0;
    c.valid_from = from;
    c.valid_to = to;
    return c;
}

// Decimal ids take the packed table; the answers are those of the text ids.
TEST(CellPlanLookup, DecimalAndTextIdsWithOneOrSeveralVersions) {
    CellPlan plan;
    plan.add(version("104511", 0, 100));   // 0: one version
    plan.add(version("0104511", 0, 100));  // 1: another id (leading zero)
    plan.add(version("2367", 0, 49));      // 2: two versions of one id
    plan.add(version("2367", 50, 100));    // 3
    plan.add(version("A-17", 0, 100));     // 4: not decimal
    plan.add(version("777", 10, 20));      // 5: one version, limited validity
    bool known = false;
    EXPECT_EQ(plan.find("104511", 5, known), 0u);
    EXPECT_TRUE(known);
    EXPECT_EQ(plan.find("0104511", 5, known), 1u);
    EXPECT_EQ(plan.find("2367", 49, known), 2u);
    EXPECT_EQ(plan.find("2367", 50, known), 3u);
    EXPECT_EQ(plan.find("2367", 101, known), CellPlan::npos);
    EXPECT_TRUE(known);
    EXPECT_EQ(plan.find("A-17", 1, known), 4u);
    EXPECT_EQ(plan.find("777", 9, known), CellPlan::npos);
    EXPECT_TRUE(known) << "known, but not valid that day";
    EXPECT_EQ(plan.find("777", 20, known), 5u);
    EXPECT_EQ(plan.find("104512", 5, known), CellPlan::npos);
    EXPECT_FALSE(known);
    EXPECT_EQ(plan.find("A-18", 5, known), CellPlan::npos);
    EXPECT_FALSE(known);
}

}  // namespace
}  // namespace mpdstat
