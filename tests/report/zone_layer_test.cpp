#include "report/zone_layer.hpp"

#include <algorithm>

#include <gtest/gtest.h>

#include "common/error.hpp"
#include "test_util.hpp"

namespace mpdstat::report {
namespace {

// Two zones: a square (lon −16…−15, lat 14…15) and a multipolygon with a hole.
const char* kWgs84 = R"({"type": "FeatureCollection", "features": [
{"type": "Feature", "properties": {"zone_id": "A", "name": "Alpha", "parent_id": "R1", "lon": -15.5, "lat": 14.5},
 "geometry": {"type": "Polygon", "coordinates": [[[-16, 14], [-15, 14], [-15, 15], [-16, 15], [-16, 14]]]}},
{"type": "Feature", "properties": {"zone_id": "B", "name": "Beta", "parent_id": "R1"},
 "geometry": {"type": "MultiPolygon", "coordinates": [
   [[[-15, 14], [-14, 14], [-14, 15], [-15, 15], [-15, 14]], [[-14.8, 14.2], [-14.2, 14.2], [-14.2, 14.8], [-14.8, 14.2]]],
   [[[-13.5, 14], [-13, 14], [-13, 14.5], [-13.5, 14]]]]}}
]})";

TEST(ZoneLayer, ReadsIdsNamesParentsRingsAndLabelPoints) {
    test::TempDir dir;
    test::spit(dir / "zones.geojson", kWgs84);
    auto shapes = read_zone_shapes(dir / "zones.geojson");
    ASSERT_EQ(shapes.size(), 2u);
    EXPECT_EQ(shapes[0].id, "A");
    EXPECT_EQ(shapes[0].name, "Alpha");
    EXPECT_EQ(shapes[0].parent_id, "R1");
    EXPECT_EQ(shapes[0].rings.size(), 1u);
    EXPECT_DOUBLE_EQ(shapes[0].label_point.lon, -15.5);
    EXPECT_DOUBLE_EQ(shapes[0].rings[0][1].lon, -15);  // lon first, as in GeoJSON
    EXPECT_DOUBLE_EQ(shapes[0].rings[0][1].lat, 14);
    EXPECT_EQ(shapes[1].rings.size(), 3u);  // outer, hole, second polygon
    EXPECT_GT(shapes[1].label_point.lon, -15);  // no lon / lat properties: the centroid
}

TEST(ZoneLayer, ProjectedFilesAreTransformedToLonLat) {
    // The square of zone A in UTM zone 28 N (EPSG:32628), as a GeoJSON with a crs member.
    test::TempDir dir;
    test::spit(dir / "utm.geojson", R"({"type": "FeatureCollection",
"crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32628"}},
"features": [{"type": "Feature", "properties": {"zone_id": "A", "lon": 0, "lat": 0},
 "geometry": {"type": "Polygon", "coordinates": [[[392000, 1548000], [500000, 1548000], [500000, 1658000], [392000, 1658000], [392000, 1548000]]]}}]})");
    auto shapes = read_zone_shapes(dir / "utm.geojson");
    ASSERT_EQ(shapes.size(), 1u);
    EXPECT_NEAR(shapes[0].rings[0][1].lon, -15, 0.01);  // x 500000 is the central meridian, 15° W
    EXPECT_NEAR(shapes[0].rings[0][1].lat, 14, 0.05);
    EXPECT_NEAR(shapes[0].label_point.lon, -15.5, 0.05);  // lon / lat properties in a projected file are not trusted
}

TEST(ZoneLayer, ProjectedLayerHasOnePathPerZoneAndFindsZonesById) {
    test::TempDir dir;
    test::spit(dir / "zones.geojson", kWgs84);
    auto layer = project_layer("commune", read_zone_shapes(dir / "zones.geojson"), 400, 400);
    ASSERT_EQ(layer.zones.size(), 2u);
    EXPECT_EQ(layer.level, "commune");
    EXPECT_EQ(layer.width, 400);
    ASSERT_NE(layer.find("B"), nullptr);
    EXPECT_EQ(layer.find("B")->name, "Beta");
    EXPECT_EQ(layer.find("C"), nullptr);
    // B's path has three subpaths; A (west) lies left of B.
    const std::string& d = layer.find("B")->path_data;
    EXPECT_EQ(std::count(d.begin(), d.end(), 'M'), 3);
    EXPECT_LT(layer.find("A")->label_point.x, layer.find("B")->label_point.x);
}

TEST(ZoneLayer, AnUnreadableFileIsADataErrorNamingIt) {
    test::TempDir dir;
    test::spit(dir / "broken.geojson", "{ not json");
    try {
        read_zone_shapes(dir / "broken.geojson");
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.exit_code(), 1);
        EXPECT_NE(std::string(e.what()).find("broken.geojson"), std::string::npos);
    }
}

}  // namespace
}  // namespace mpdstat::report
