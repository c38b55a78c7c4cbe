// The spatial model on hand-made geometry whose answers are computed by hand.
#include <cmath>

#include <gtest/gtest.h>

#include "common/error.hpp"
#include "spatial_fixture.hpp"
#include "spatial/spatial_model.hpp"

namespace mpdstat::test {
namespace {

double weight_of(const SpatialModel& m, uint32_t cell, size_t level, std::string_view zone) {
    uint32_t z = m.levels()[level].find(zone);
    for (const auto& w : m.weights(cell, level))
        if (w.zone == z) return w.weight;
    return 0.0;
}

double sum(std::span<const ZoneWeight> ws) {
    double s = 0;
    for (const auto& w : ws) s += w.weight;
    return s;
}

bool has_problem(const SpatialModel& m, std::string_view code, std::string_view id = "") {
    for (const auto& p : m.problems())
        if (p.code == code && (id.empty() || p.id == id)) return true;
    return false;
}

uint32_t cell_index(const CellPlan& plan, std::string_view id) {
    bool known;
    return plan.find(id, day_from_civil(2024, 1, 15), known);
}

// Two sites at x = 404 km and 412 km (y = 5805 km): the bisector is x = 408 km.
// A: 8 km x 10 km = 80 km², all in West. B: 12 km x 10 km = 120 km², of which
// x 408..410 (20 km²) is West: 1/6 West, 5/6 East.
TEST(SpatialVoronoi, SquareCountryKnownAreasAndWeights) {
    SpatialFixture f("voronoi");
    write_square_country(f);
    f.write_cells({{"a1", "A", 404000, 5805000}, {"b1", "B", 412000, 5805000}});
    Config cfg = f.config(kTwoLevels, "method = \"voronoi\"\ncrs = \"EPSG:32633\"");
    CellPlan plan = f.cells();
    SpatialModel m = build_spatial_model(cfg, plan);
    EXPECT_EQ(m.crs, "EPSG:32633");
    ASSERT_EQ(m.levels().size(), 2u);
    EXPECT_NEAR(m.levels()[0].zones[0].area_m2, 200e6, 1);
    ASSERT_EQ(m.sites().size(), 2u);
    EXPECT_NEAR(m.sites()[0].voronoi_area_m2, 80e6, 1e3);
    EXPECT_NEAR(m.sites()[1].voronoi_area_m2, 120e6, 1e3);
    uint32_t a = cell_index(plan, "a1"), b = cell_index(plan, "b1");
    EXPECT_NEAR(weight_of(m, a, 1, "W"), 1.0, 1e-9);
    EXPECT_NEAR(weight_of(m, b, 1, "W"), 1.0 / 6.0, 1e-6);
    EXPECT_NEAR(weight_of(m, b, 1, "E"), 5.0 / 6.0, 1e-6);
    EXPECT_NEAR(sum(m.weights(b)), 1.0, 1e-12);
    // the coarser level comes from the hierarchy
    ASSERT_EQ(m.weights(b, 0).size(), 1u);
    EXPECT_NEAR(weight_of(m, b, 0, "C"), 1.0, 1e-12);
    EXPECT_EQ(m.problem_count(Severity::error), 0u);
}

// With a census (West 1,000 people on 100 km², East 3,000): B's West piece
// 20 km² x 10/km² = 200, East piece 100 km² x 30/km² = 3,000 => 1/16 and 15/16.
TEST(SpatialVoronoi, PopulationWeights) {
    SpatialFixture f("population");
    write_square_country(f);
    f.write_cells({{"a1", "A", 404000, 5805000}, {"b1", "B", 412000, 5805000}});
    f.write("census.csv", "zone_id,population\nW,1000\nE,3000\n");
    Config cfg = f.config(std::string(kTwoLevels) + "[zones]\ncensus = \"census.csv\"\n",
                          "method = \"voronoi\"\ncrs = \"EPSG:32633\"\nweight_by = \"population\"");
    CellPlan plan = f.cells();
    SpatialModel m = build_spatial_model(cfg, plan);
    uint32_t b = cell_index(plan, "b1");
    EXPECT_NEAR(weight_of(m, b, 1, "W"), 1.0 / 16.0, 1e-6);
    EXPECT_NEAR(weight_of(m, b, 1, "E"), 15.0 / 16.0, 1e-6);
    EXPECT_DOUBLE_EQ(m.levels()[0].zones[0].population, 4000.0);
}

// One site in the centre (410 km, 5805 km) with sectors at 0, 90, 180, 270
// degrees: the bisectors (45°, 135°, ...) hit the top and bottom edges 5 km
// either side, so north and south are triangles of 25 km², east and west
// trapezoids of 75 km². North straddles the West/East border: 1/2 each; the
// east sector lies all in East. An omni cell at the same site gets the whole
// polygon (1/2 each).
TEST(SpatialVoronoi, SectorSplit) {
    SpatialFixture f("sectors");
    write_square_country(f);
    f.write_cells({{"n", "S", 410000, 5805000, 0},
                   {"e", "S", 410000, 5805000, 90},
                   {"s", "S", 410000, 5805000, 180},
                   {"w", "S", 410000, 5805000, 270},
                   {"o", "S", 410000, 5805000}});
    Config cfg = f.config(kTwoLevels, "crs = \"EPSG:32633\"");
    CellPlan plan = f.cells();
    SpatialModel m = build_spatial_model(cfg, plan);
    ASSERT_EQ(m.sites().size(), 1u);
    EXPECT_NEAR(weight_of(m, cell_index(plan, "n"), 1, "W"), 0.5, 1e-6);
    EXPECT_NEAR(weight_of(m, cell_index(plan, "n"), 1, "E"), 0.5, 1e-6);
    EXPECT_NEAR(weight_of(m, cell_index(plan, "e"), 1, "E"), 1.0, 1e-9);
    EXPECT_EQ(m.weights(cell_index(plan, "e")).size(), 1u);
    EXPECT_NEAR(weight_of(m, cell_index(plan, "w"), 1, "W"), 1.0, 1e-9);
    EXPECT_NEAR(weight_of(m, cell_index(plan, "o"), 1, "W"), 0.5, 1e-6);
    // sector areas from the kept shapes
    ASSERT_EQ(m.cell_shapes().size(), plan.size());
    EXPECT_FALSE(m.cell_shapes()[cell_index(plan, "n")].empty());
}

// Sectors at 30° and 300° only: bisectors at 345° and 165°. Using the grid
// (1 km tiles) checks that sector pieces sum to the site's polygon.
TEST(SpatialVoronoi, TwoSectorsCoverTheWholePolygon) {
    SpatialFixture f("twosectors");
    write_square_country(f);
    f.write_cells({{"x", "S", 406000, 5803000, 30}, {"y", "S", 406000, 5803000, 300}});
    Config cfg = f.config(kTwoLevels, "crs = \"EPSG:32633\"\ngrid_size_m = 1000");
    CellPlan plan = f.cells();
    SpatialModel m = build_spatial_model(cfg, plan);
    for (uint32_t c = 0; c < plan.size(); ++c) {
        EXPECT_NEAR(sum(m.weights(c)), 1.0, 1e-12);
        EXPECT_NEAR(sum(m.grid_weights(c)), 1.0, 1e-12);
    }
    // x (30°, eastwards) reaches East; y (300°) points west: West only.
    EXPECT_GT(weight_of(m, cell_index(plan, "x"), 1, "E"), 0.1);
    EXPECT_NEAR(weight_of(m, cell_index(plan, "y"), 1, "W"), 1.0, 1e-9);
}

// A site exactly on the West/East border. Point method: the first zone in
// file order (West), reported. Voronoi with a second site at 416 km: the
// bisector is x = 413 km: West 100 km² of 130 km², East 30 km².
TEST(SpatialPoint, SiteOnZoneBorder) {
    SpatialFixture f("border");
    write_square_country(f);
    f.write_cells({{"b", "B", 410000, 5805000}, {"k", "K", 416000, 5805000}});
    CellPlan plan = f.cells();
    {
        SpatialModel m = build_spatial_model(f.config(kTwoLevels, "method = \"point\"\ncrs = \"EPSG:32633\""), plan);
        uint32_t b = cell_index(plan, "b");
        ASSERT_EQ(m.weights(b).size(), 1u);
        EXPECT_EQ(m.levels()[1].zones[m.weights(b)[0].zone].id, "W");
        EXPECT_DOUBLE_EQ(m.weights(b)[0].weight, 1.0);
        EXPECT_TRUE(has_problem(m, "site_on_zone_border", "b"));
        EXPECT_EQ(m.levels()[1].zones[m.weights(cell_index(plan, "k"))[0].zone].id, "E");
    }
    {
        SpatialModel m = build_spatial_model(f.config(kTwoLevels, "method = \"voronoi\"\ncrs = \"EPSG:32633\""), plan);
        uint32_t b = cell_index(plan, "b");
        EXPECT_NEAR(weight_of(m, b, 1, "W"), 100.0 / 130.0, 1e-6);
        EXPECT_NEAR(weight_of(m, b, 1, "E"), 30.0 / 130.0, 1e-6);
    }
}

// A cell 10 km east of the country: reported, no weights, and it does not
// take part in the tessellation (the other site keeps the whole country).
TEST(SpatialCells, CellOutsideCountryIsReportedNotUsed) {
    SpatialFixture f("outside");
    write_square_country(f);
    f.write_cells({{"in", "A", 404000, 5805000}, {"out", "Z", 430000, 5805000}, {"old", "O", 415000, 5805000, NAN, "2020-01-01", "2020-12-31"}});
    CellPlan plan = f.cells();
    for (const char* method : {"point", "voronoi"}) {
        SpatialModel m = build_spatial_model(f.config(kTwoLevels, std::string("crs = \"EPSG:32633\"\nmethod = \"") + method + "\""), plan);
        uint32_t out = cell_index(plan, "out"), in = cell_index(plan, "in");
        bool known;
        uint32_t old = plan.find("old", day_from_civil(2020, 6, 1), known);
        EXPECT_EQ(m.status(out), CellStatus::outside_country);
        EXPECT_TRUE(m.weights(out).empty());
        EXPECT_TRUE(m.weights(out, 0).empty());
        EXPECT_TRUE(has_problem(m, "cell_outside_country", "out"));
        EXPECT_EQ(m.status(old), CellStatus::outside_period);
        EXPECT_TRUE(m.weights(old).empty());
        EXPECT_TRUE(has_problem(m, "cells_outside_period"));
        EXPECT_EQ(m.status(in), CellStatus::mapped);
        EXPECT_NEAR(weight_of(m, in, 0, "C"), 1.0, 1e-12);
        if (std::string(method) == "voronoi") {
            ASSERT_EQ(m.sites().size(), 1u);
            EXPECT_NEAR(m.sites()[0].voronoi_area_m2, 200e6, 1e3);
            EXPECT_NEAR(weight_of(m, in, 1, "W"), 0.5, 1e-6);
        }
    }
}

TEST(SpatialFootprint, SignalDominanceMatchesTheFormula) {
    FootprintConfig p;  // 40 dBm, ple 3.75, h 30 m, midpoint -92.5, steepness 0.2
    for (double d : {100.0, 1000.0, 2500.0, 5000.0, 10000.0}) {
        double s = 40.0 - 37.5 * std::log10(std::sqrt(d * d + 900.0));
        EXPECT_NEAR(signal_strength_dbm(p, d, NAN, NAN), s, 1e-9);
        EXPECT_NEAR(signal_dominance(p, s), 1.0 / (1.0 + std::exp(-0.2 * (s + 92.5))), 1e-12);
    }
    // by hand: d = 1 km: S = 40 - 37.5 log10(1000.45) = -72.507 dBm, SD = 0.98198
    EXPECT_NEAR(signal_strength_dbm(p, 1000, NAN, NAN), -72.507, 1e-3);
    EXPECT_NEAR(signal_dominance(p, signal_strength_dbm(p, 1000, NAN, NAN)), 0.98198, 1e-5);
    // d = 5 km: S = -98.71 dBm, SD = 0.2240
    EXPECT_NEAR(signal_dominance(p, signal_strength_dbm(p, 5000, NAN, NAN)), 0.2240, 1e-4);
    EXPECT_NEAR(signal_dominance(p, -92.5), 0.5, 1e-12);
    // antenna pattern: 12 (off / beam)² dB, capped at the back attenuation (30 dB)
    double s0 = signal_strength_dbm(p, 1000, 0, 65);
    EXPECT_NEAR(s0 - signal_strength_dbm(p, 1000, 32.5, 65), 3.0, 1e-9);
    EXPECT_NEAR(s0 - signal_strength_dbm(p, 1000, 180, 65), 30.0, 1e-9);
}

// Footprint on a 1 km grid: weights sum to 1, each cell is mostly where it is.
TEST(SpatialFootprint, WeightsOnTheGrid) {
    SpatialFixture f("footprint");
    write_square_country(f);
    f.write_cells({{"a", "A", 403500, 5805500}, {"b", "B", 416500, 5804500}, {"c", "B", 416500, 5804500, 270}});
    Config cfg = f.config(kTwoLevels, "method = \"footprint\"\ncrs = \"EPSG:32633\"\ngrid_size_m = 1000");
    CellPlan plan = f.cells();
    SpatialModel m = build_spatial_model(cfg, plan);
    EXPECT_EQ(m.grid().tiles.size(), 200u);
    EXPECT_EQ(m.grid().tile_id(0), "1kmN5800E400");
    for (uint32_t c = 0; c < plan.size(); ++c) {
        EXPECT_NEAR(sum(m.weights(c)), 1.0, 1e-12);
        EXPECT_NEAR(sum(m.grid_weights(c)), 1.0, 1e-12);
    }
    EXPECT_GT(weight_of(m, cell_index(plan, "a"), 1, "W"), 0.9);
    EXPECT_GT(weight_of(m, cell_index(plan, "b"), 1, "E"), 0.6);
    // the tile holding site A is served by A only
    uint32_t t = m.grid().find(403500, 5805500);
    ASSERT_NE(t, kNoZone);
    bool a_has_it = false;
    for (const auto& w : m.grid_weights(cell_index(plan, "a"))) a_has_it |= w.zone == t;
    EXPECT_TRUE(a_has_it);
    for (const auto& w : m.grid_weights(cell_index(plan, "b"))) EXPECT_NE(w.zone, t);
}

TEST(SpatialGrid, VoronoiOverTiles) {
    SpatialFixture f("grid");
    write_square_country(f);
    f.write_cells({{"a1", "A", 404000, 5805000}, {"b1", "B", 412000, 5805000}});
    Config cfg = f.config(kTwoLevels, "crs = \"EPSG:32633\"\ngrid_size_m = 1000");
    CellPlan plan = f.cells();
    SpatialModel m = build_spatial_model(cfg, plan);
    ASSERT_EQ(m.grid().tiles.size(), 200u);
    auto gw = m.grid_weights(cell_index(plan, "a1"));
    ASSERT_EQ(gw.size(), 80u);  // 8 km x 10 km
    for (const auto& w : gw) EXPECT_NEAR(w.weight, 1.0 / 80, 1e-9);
    // tile -> zone by centre
    EXPECT_EQ(m.levels()[1].zones[m.grid().tiles[m.grid().find(409500, 5800500)].zone].id, "W");
    EXPECT_EQ(m.levels()[1].zones[m.grid().tiles[m.grid().find(410500, 5800500)].zone].id, "E");
}

// Broken zones: an orphan (unknown parent), a bow-tie polygon, a gap and an
// overlap are all reported; the orphan still gets a parent by geometry.
TEST(SpatialZones, HierarchyAndGeometryProblems) {
    SpatialFixture f("problems");
    f.write_zones("country.geojson", {{"C", "Country", "", {rect(400000, 5800000, 420000, 5810000)}}}, false);
    f.write_zones("district.geojson",
                  {{"W", "West", "C", {rect(400000, 5800000, 410500, 5810000)}},             // overlaps E by 0.5 x 10 km
                   {"E", "East", "X", {rect(410000, 5800000, 420000, 5808000)}},             // orphan; leaves a 2 km gap on top
                   {"B", "Bow", "C", {{410000, 5808000, 412000, 5810000, 412000, 5808000, 410000, 5810000}}}});  // bow-tie
    f.write_cells({{"a", "A", 404000, 5805000}});
    SpatialModel m = build_spatial_model(f.config(kTwoLevels, "crs = \"EPSG:32633\""), f.cells());
    EXPECT_TRUE(has_problem(m, "orphan_zone", "E"));
    EXPECT_TRUE(has_problem(m, "parent_assigned", "E"));
    EXPECT_EQ(m.levels()[1].zones[m.levels()[1].find("E")].parent, 0u);
    EXPECT_TRUE(has_problem(m, "invalid_polygon", "B"));
    EXPECT_TRUE(has_problem(m, "overlap"));
    EXPECT_TRUE(has_problem(m, "gap"));
    EXPECT_GT(m.problem_count(Severity::error), 0u);
    auto j = nlohmann::json::parse(m.qa_json());
    EXPECT_EQ(j["problem_counts"]["error"].get<size_t>(), m.problem_count(Severity::error));
    EXPECT_FALSE(j["problems"].empty());
}

TEST(SpatialZones, ParentFromGeometryAndMissingField) {
    SpatialFixture f("nofield");
    write_square_country(f);
    f.write_cells({{"a", "A", 404000, 5805000}});
    std::string levels = R"(
[[zones.levels]]
name = "country"
path = "country.geojson"
[[zones.levels]]
name = "district"
path = "district.geojson"
)";
    SpatialModel m = build_spatial_model(f.config(levels, "crs = \"EPSG:32633\""), f.cells());
    EXPECT_TRUE(has_problem(m, "parent_from_geometry"));
    EXPECT_EQ(m.levels()[1].zones[0].parent, 0u);
    std::string bad = std::string(kTwoLevels) + "";
    bad.replace(bad.find("parent_field = \"parent\""), 23, "parent_field = \"nope\"");
    try {
        build_spatial_model(f.config(bad, "crs = \"EPSG:32633\""), f.cells());
        FAIL() << "a missing field must stop the build";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::data);
        EXPECT_NE(std::string(e.what()).find("nope"), std::string::npos);
    }
}

TEST(SpatialCrs, AutoPicksLaeaInEuropeAndRejectsGeographic) {
    SpatialFixture f("crs");
    write_square_country(f);
    f.write_cells({{"a", "A", 404000, 5805000}});
    SpatialModel m = build_spatial_model(f.config(kTwoLevels, ""), f.cells());
    EXPECT_EQ(m.crs, "EPSG:3035");
    EXPECT_NEAR(m.levels()[0].zones[0].area_m2, 200e6, 200e6 * 0.002);  // UTM scale factor vs equal-area
    EXPECT_NEAR(m.levels()[0].zones[0].lat, 52.34, 0.05);
    EXPECT_NEAR(m.levels()[0].zones[0].lon, 13.6, 0.1);
    try {
        build_spatial_model(f.config(kTwoLevels, "crs = \"EPSG:4326\""), f.cells());
        FAIL() << "a geographic CRS must be refused";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::config);
    }
}

TEST(SpatialConfig, FootprintNeedsAGridAndPopulationNeedsACensus) {
    SpatialFixture f("cfg");
    EXPECT_THROW(f.config(kTwoLevels, "method = \"footprint\""), Error);
    EXPECT_THROW(f.config(kTwoLevels, "weight_by = \"population\""), Error);
    EXPECT_THROW(f.config(kTwoLevels, "[spatial.footprint]\nsteepnes = 0.3"), Error);
    Config c = f.config(kTwoLevels, "method = \"footprint\"\ngrid_size_m = 500\n[spatial.footprint]\nsteepness = 0.3");
    EXPECT_DOUBLE_EQ(c.spatial.footprint.steepness, 0.3);
}

}  // namespace
}  // namespace mpdstat::test
