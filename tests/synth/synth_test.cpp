// Invariants of the synthetic country generator (docs/synth.md), on the tiny
// `test` preset so the whole suite stays fast.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "config/config.hpp"
#include "ingest/csv.hpp"
#include "spatial/cell_plan.hpp"
#include "synth/generator.hpp"
#include "synth/options.hpp"
#include "synth/rng.hpp"
#include "synth/space.hpp"

namespace fs = std::filesystem;
using namespace mpdstat;
using namespace mpdstat::synth;

namespace {

fs::path temp_dir(const std::string& name) {
    fs::path p = fs::temp_directory_path() / fmt::format("mpdstat_synth_{}_{}", name, ::getpid());
    fs::remove_all(p);
    return p;
}

// Rows of a CSV file (any compression) as vectors of fields; the header first.
std::vector<std::vector<std::string>> read_csv(const fs::path& path) {
    std::vector<std::vector<std::string>> rows;
    CsvFileReader reader(path, ',', 0);
    rows.push_back(reader.header());
    for_each_record(reader, ',', [&](const CsvRecord& rec, uint64_t, bool) {
        std::vector<std::string> r;
        for (size_t i = 0; i < rec.size(); ++i) r.emplace_back(rec[i]);
        rows.push_back(std::move(r));
    });
    return rows;
}

std::vector<fs::path> event_files(const fs::path& dir) {
    std::vector<fs::path> v;
    for (const auto& e : fs::directory_iterator(dir / "events")) v.push_back(e.path());
    std::sort(v.begin(), v.end());
    return v;
}

}  // namespace

// Outside the anonymous namespace: the TEST_F classes derived from it are not in one.
class SynthScenario : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new fs::path(temp_dir("scenario"));
        SynthOptions o = preset_options("test");
        o.seed = 7;
        stats_ = generate(o, *dir_);
    }
    static void TearDownTestSuite() {
        fs::remove_all(*dir_);
        delete dir_;
    }
    static fs::path* dir_;
    static GenerateStats stats_;
};
fs::path* SynthScenario::dir_ = nullptr;
GenerateStats SynthScenario::stats_;

namespace {

struct ZoneGeom {
    std::string id, parent;
    std::unique_ptr<OGRGeometry> geom;
    double area = 0;
};

std::vector<ZoneGeom> read_zones(const fs::path& path) {
    GDALAllRegister();
    std::vector<ZoneGeom> out;
    std::unique_ptr<GDALDataset> ds(static_cast<GDALDataset*>(GDALOpenEx(path.c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr)));
    EXPECT_TRUE(ds) << path;
    if (!ds) return out;
    OGRLayer* layer = ds->GetLayer(0);
    for (auto& f : *layer) {
        ZoneGeom z;
        z.id = f->GetFieldAsString("id");
        z.parent = f->GetFieldAsString("parent");
        z.geom.reset(f->GetGeometryRef()->clone());
        z.area = OGR_G_Area(OGRGeometry::ToHandle(z.geom.get()));
        out.push_back(std::move(z));
    }
    return out;
}

double intersection_area(const OGRGeometry& a, const OGRGeometry& b) {
    OGREnvelope ea, eb;
    a.getEnvelope(&ea);
    b.getEnvelope(&eb);
    if (!ea.Intersects(eb)) return 0;
    std::unique_ptr<OGRGeometry> i(a.Intersection(&b));
    return i ? OGR_G_Area(OGRGeometry::ToHandle(i.get())) : 0;
}

}  // namespace

TEST(SynthRng, SplitmixReferenceValues) {
    // Reference outputs of splitmix64 from state 0 (Vigna's reference implementation).
    uint64_t s = 0;
    EXPECT_EQ(splitmix64(s), 0xE220A8397B1DCDAFULL);
    EXPECT_EQ(splitmix64(s), 0x6E789E6AA1B965F4ULL);
    EXPECT_EQ(splitmix64(s), 0x06C45D188009454FULL);
}

TEST(SynthRng, DrawsAreInRangeAndStreamsDiffer) {
    Rng r = Rng::stream(1, 2, 3);
    double sum = 0;
    uint64_t pois = 0;
    for (int i = 0; i < 20000; ++i) {
        double u = r.uniform();
        ASSERT_GE(u, 0.0);
        ASSERT_LT(u, 1.0);
        ASSERT_LT(r.below(7), 7u);
        sum += u;
        pois += r.poisson(4.0);
    }
    EXPECT_NEAR(sum / 20000, 0.5, 0.01);
    EXPECT_NEAR(static_cast<double>(pois) / 20000, 4.0, 0.06);
    EXPECT_NE(Rng::stream(1, 2, 3).next(), Rng::stream(1, 2, 4).next());
    EXPECT_EQ(Rng::stream(1, 2, 3).next(), Rng::stream(1, 2, 3).next());
    // Cumulative picking: weights 1, 0, 3 → index 1 never drawn.
    Rng q(5);
    std::vector<double> cum = {1, 1, 4};
    int hits[3] = {0, 0, 0};
    for (int i = 0; i < 4000; ++i) ++hits[q.pick_cumulative(cum)];
    EXPECT_EQ(hits[1], 0);
    EXPECT_NEAR(hits[2] / 4000.0, 0.75, 0.03);
}

TEST(SynthSpace, PointIndexMatchesBruteForce) {
    // Asymmetric coordinates, so a swapped x / y would be caught.
    std::vector<Vec2> pts = {{0, 0}, {10, 1}, {3, 7}, {-4, 2}, {9, -6}};
    PointIndex idx(pts, 2.5);
    EXPECT_EQ(idx.nearest({9.5, 0.5}), 1);
    EXPECT_EQ(idx.nearest({2.5, 6}), 2);
    EXPECT_EQ(idx.nearest({-100, 3}), 3);  // far outside the grid
    EXPECT_EQ(idx.nearest({8, -5}), 4);
    Rng r(3);
    for (int k = 0; k < 500; ++k) {
        Vec2 p{r.uniform(-20, 20), r.uniform(-20, 20)};
        int best = 0;
        for (size_t i = 1; i < pts.size(); ++i)
            if (dist2(p, pts[i]) < dist2(p, pts[best])) best = static_cast<int>(i);
        ASSERT_EQ(idx.nearest(p), best);
    }
    std::vector<uint32_t> found;
    idx.within({0, 0}, 5, [&](uint32_t i) { found.push_back(i); });
    std::sort(found.begin(), found.end());
    EXPECT_EQ(found, (std::vector<uint32_t>{0, 3}));  // (-4, 2) is 4.47 km away, (3, 7) 7.6 km
}

TEST(SynthOptions, FaultsParseAndReject) {
    Faults f = parse_faults("duplicates=0.01, unknown_cells=0.002,malformed=0.001,jumps=0.003,outage_day=3,outage_hour=2:14");
    EXPECT_DOUBLE_EQ(f.duplicates, 0.01);
    EXPECT_DOUBLE_EQ(f.unknown_cells, 0.002);
    EXPECT_DOUBLE_EQ(f.malformed, 0.001);
    EXPECT_DOUBLE_EQ(f.jumps, 0.003);
    EXPECT_EQ(f.outage_day, 3);
    EXPECT_EQ(f.outage_hour_day, 2);
    EXPECT_EQ(f.outage_hour, 14);
    EXPECT_FALSE(parse_faults("none").any());
    EXPECT_THROW(parse_faults("dupes=0.1"), Error);
    EXPECT_THROW(parse_faults("duplicates=2"), Error);
    EXPECT_THROW(parse_faults("outage_hour=3"), Error);
    EXPECT_THROW(preset_options("huge"), Error);
    for (const char* p : {"test", "demo", "cdr", "xdr", "bench"}) EXPECT_EQ(preset_options(p).preset, p);
    EXPECT_FALSE(preset_options("test").faults.any());
    EXPECT_TRUE(preset_options("demo").faults.any());
}

TEST_F(SynthScenario, ConfigLoadsAndPointsAtTheFiles) {
    Config c = load_config(*dir_ / "mpdstat.toml");
    EXPECT_EQ(c.input.timezone, "Africa/Dakar");
    EXPECT_EQ(c.input.local_mcc, 608);
    EXPECT_EQ(format_day(c.input.period_start), "2024-03-28");
    EXPECT_EQ(format_day(c.input.period_end), "2024-04-01");
    ASSERT_EQ(c.zones.levels.size(), 3u);
    EXPECT_EQ(c.zones.levels[0].name, "region");
    EXPECT_TRUE(c.zones.levels[0].parent_field.empty());
    EXPECT_EQ(c.zones.levels[2].parent_field, "parent");
    for (const auto& l : c.zones.levels) EXPECT_TRUE(fs::exists(l.path)) << l.path;
    EXPECT_TRUE(fs::exists(c.input.cells));
    EXPECT_TRUE(fs::exists(c.zones.census));
    EXPECT_EQ(c.zones.census_level, "commune");
    EXPECT_TRUE(fs::exists(c.input.key_file));
    EXPECT_EQ(c.input.columns.plmn, "plmn");
    EXPECT_EQ(c.input.columns.duration, "duration");
    ASSERT_EQ(c.input.events.size(), 1u);
    EXPECT_EQ(fs::path(c.input.events[0]).filename(), "*.csv.gz");
    EXPECT_EQ(event_files(*dir_).size(), 5u);
}

TEST_F(SynthScenario, KeyFileIsPrivate) {
    struct stat st {};
    ASSERT_EQ(::stat((*dir_ / "pseudonymisation.key").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_EQ(st.st_size, 32);
}

TEST_F(SynthScenario, ZonesTileTheCountry) {
    auto country = read_zones(*dir_ / "zones" / "country.geojson");
    ASSERT_EQ(country.size(), 1u);
    std::vector<std::vector<ZoneGeom>> levels;
    for (const char* l : {"region", "district", "commune"}) levels.push_back(read_zones(*dir_ / "zones" / (std::string(l) + ".geojson")));
    ASSERT_EQ(levels[0].size(), 3u);
    ASSERT_EQ(levels[1].size(), 8u);
    ASSERT_EQ(levels[2].size(), 30u);
    const double total = country[0].area;
    // Roughly 300 x 250 km around lat 14, lon -15 (an ellipse of that size is ~5 square degrees).
    EXPECT_GT(total, 3.5);
    EXPECT_LT(total, 7.0);
    for (size_t l = 0; l < levels.size(); ++l) {
        double sum = 0;
        std::set<std::string> ids;
        for (const auto& z : levels[l]) {
            sum += z.area;
            EXPECT_TRUE(ids.insert(z.id).second) << "duplicate id " << z.id;
            EXPECT_TRUE(z.geom->IsValid()) << z.id;
            if (l == 0) {
                EXPECT_TRUE(z.parent.empty());
            }
        }
        EXPECT_NEAR(sum, total, total * 1e-6) << "level " << l;
        // No overlap between siblings (zones of one level).
        for (size_t i = 0; i < levels[l].size(); ++i)
            for (size_t j = i + 1; j < levels[l].size(); ++j)
                ASSERT_LT(intersection_area(*levels[l][i].geom, *levels[l][j].geom), total * 1e-9)
                    << levels[l][i].id << " overlaps " << levels[l][j].id;
        if (l == 0) continue;
        // Every child lies in its named parent and in no other zone of the parent level.
        std::map<std::string, double> child_sum;
        for (const auto& z : levels[l]) {
            int in_parent = 0;
            for (const auto& p : levels[l - 1]) {
                double a = intersection_area(*z.geom, *p.geom);
                if (p.id == z.parent) {
                    EXPECT_NEAR(a, z.area, z.area * 1e-6) << z.id << " not inside " << p.id;
                    ++in_parent;
                } else {
                    EXPECT_LT(a, z.area * 1e-6) << z.id << " overlaps " << p.id;
                }
            }
            EXPECT_EQ(in_parent, 1) << z.id << " names parent '" << z.parent << "'";
            child_sum[z.parent] += z.area;
        }
        for (const auto& p : levels[l - 1]) EXPECT_NEAR(child_sum[p.id], p.area, p.area * 1e-6) << p.id;
    }
    // Census at the finest level covers every commune.
    auto census = read_csv(*dir_ / "census.csv");
    ASSERT_EQ(census[0], (std::vector<std::string>{"zone_id", "population"}));
    ASSERT_EQ(census.size(), levels[2].size() + 1);
    int64_t pop = 0;
    for (size_t i = 1; i < census.size(); ++i) {
        EXPECT_EQ(census[i][0], levels[2][i - 1].id);
        pop += std::stoll(census[i][1]);
    }
    EXPECT_EQ(pop, 400000);
}

TEST_F(SynthScenario, EveryEventCellExistsAndIsValidThatDay) {
    CellPlan plan = CellPlan::load(*dir_ / "cells.csv", CellColumns{});
    EXPECT_TRUE(plan.problems().empty());
    bool added = false, retired = false;
    for (const auto& c : plan.cells()) {
        added = added || c.valid_from > day_from_civil(2024, 3, 28);
        retired = retired || c.valid_to < day_from_civil(2024, 4, 1);
    }
    EXPECT_TRUE(added && retired) << "some cells must be switched on or retired during the period";
    uint64_t rows = 0, abroad = 0, inbound = 0, with_cell = 0;
    for (const auto& f : event_files(*dir_)) {
        auto csv = read_csv(f);
        ASSERT_EQ(csv[0], (std::vector<std::string>{"user_id", "timestamp", "cell_id", "event_type", "mcc", "mnc", "plmn", "duration"}));
        std::string day_text = f.filename().string().substr(7, 10);
        Day day = *parse_day(day_text);
        std::string prev;
        for (size_t i = 1; i < csv.size(); ++i) {
            const auto& r = csv[i];
            ASSERT_EQ(r.size(), 8u) << f << ":" << i;
            ++rows;
            EXPECT_EQ(r[0].size(), 12u);
            EXPECT_EQ(r[1].substr(0, 10), day_text);
            EXPECT_GE(r[1], prev) << "rows out of time order in " << f;
            prev = r[1];
            EXPECT_TRUE(r[3] == "call" || r[3] == "sms" || r[3] == "data") << r[3];
            EXPECT_EQ(r[4].size(), 3u);
            EXPECT_TRUE(r[6].size() == 5 || r[6].size() == 6) << r[6];
            EXPECT_EQ(r[6].substr(0, 3) == "608", !r[2].empty()) << "cell given iff served at home: " << r[6];
            if (r[2].empty()) {
                ++abroad;
                EXPECT_EQ(r[4], "608") << "only domestic subscribers travel abroad";
                continue;
            }
            ++with_cell;
            if (r[4] != "608") ++inbound;
            bool known = false;
            uint32_t k = plan.find(normalise_cell_id(r[2]), day, known);
            ASSERT_TRUE(known) << "unknown cell " << r[2];
            ASSERT_NE(k, CellPlan::npos) << "cell " << r[2] << " not valid on " << day_text;
        }
    }
    EXPECT_EQ(rows, stats_.events);
    EXPECT_GT(abroad, 0u);
    EXPECT_GT(inbound, 0u);
    EXPECT_GT(with_cell, rows / 2);
}

TEST_F(SynthScenario, TruthAgreesWithEvents) {
    std::map<std::string, uint64_t> events_of;
    std::map<std::string, uint64_t> rows_per_day;
    for (const auto& f : event_files(*dir_)) {
        auto csv = read_csv(f);
        rows_per_day[f.filename().string().substr(7, 10)] = csv.size() - 1;
        for (size_t i = 1; i < csv.size(); ++i) ++events_of[csv[i][0]];
    }
    auto per_day = read_csv(*dir_ / "truth" / "events_per_day.csv");
    ASSERT_EQ(per_day.size(), 6u);
    for (size_t i = 1; i < per_day.size(); ++i) EXPECT_EQ(std::stoull(per_day[i][3]), rows_per_day[per_day[i][0]]) << per_day[i][0];

    auto devices = read_csv(*dir_ / "truth" / "devices.csv");
    std::set<std::string> known;
    std::map<std::string, std::string> kind;
    for (size_t i = 1; i < devices.size(); ++i) known.insert(devices[i][0]), kind[devices[i][0]] = devices[i][2];
    EXPECT_EQ(known.size(), devices.size() - 1) << "user ids must be unique";
    EXPECT_EQ(known.size(), stats_.devices);
    for (const auto& [u, n] : events_of) EXPECT_TRUE(known.count(u)) << u << " has events but is not in the truth";
    std::set<std::string> kinds;
    for (const auto& [u, k] : kind) kinds.insert(k);
    EXPECT_TRUE(kinds.count("resident") && kinds.count("inbound") && kinds.count("iot"));

    auto hw = read_csv(*dir_ / "truth" / "home_work.csv");
    size_t homes = 0;
    for (size_t i = 1; i < hw.size(); ++i) {
        if (hw[i][3].empty()) continue;
        ++homes;
        EXPECT_GT(events_of[hw[i][0]], 0u) << "device " << hw[i][0] << " has a true home but no events";
    }
    EXPECT_GT(homes, 150u);
    // Present population never exceeds the devices present, and is larger at night in residential zones than 0.
    auto present = read_csv(*dir_ / "truth" / "present_population.csv");
    std::map<std::string, uint64_t> per_hour;
    for (size_t i = 1; i < present.size(); ++i) per_hour[present[i][0] + " " + present[i][1]] += std::stoull(present[i][3]);
    EXPECT_EQ(per_hour.size(), 5u * 24);
    for (const auto& [h, n] : per_hour) EXPECT_LE(n, stats_.devices) << h;
    // Census and subscribers per commune.
    auto pop = read_csv(*dir_ / "truth" / "population.csv");
    uint64_t residents = 0;
    for (size_t i = 1; i < pop.size(); ++i) residents += std::stoull(pop[i][3]);
    EXPECT_EQ(residents, homes > 0 ? std::count_if(devices.begin() + 1, devices.end(), [](const auto& r) { return !r[6].empty(); }) : 0);
    // Migrants, displacement, trips exist in this scenario.
    EXPECT_GT(read_csv(*dir_ / "truth" / "migrants.csv").size(), 1u);
    EXPECT_GT(read_csv(*dir_ / "truth" / "displaced.csv").size(), 1u);
    EXPECT_GT(read_csv(*dir_ / "truth" / "od_trips.csv").size(), 50u);
    EXPECT_GT(read_csv(*dir_ / "truth" / "commuting.csv").size(), 5u);
    EXPECT_GT(read_csv(*dir_ / "truth" / "usual_environment.csv").size(), homes);
    EXPECT_GT(read_csv(*dir_ / "truth" / "inbound.csv").size(), 1u);
}

namespace {

std::map<std::string, std::string> all_files(const fs::path& dir) {
    std::map<std::string, std::string> m;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file()) m[fs::relative(e.path(), dir).string()] = read_file(e.path());
    return m;
}

}  // namespace

TEST_F(SynthScenario, SameSeedSameBytes) {
    fs::path again = temp_dir("again");
    SynthOptions o = preset_options("test");
    o.seed = 7;
    o.threads = 1;  // a different thread count must not change a byte
    generate(o, again);
    auto a = all_files(*dir_), b = all_files(again);
    ASSERT_EQ(a.size(), b.size());
    for (const auto& [name, bytes] : a) {
        ASSERT_TRUE(b.count(name)) << name;
        EXPECT_TRUE(bytes == b[name]) << name << " differs";
    }
    fs::path other = temp_dir("other");
    o.seed = 8;
    generate(o, other);
    EXPECT_NE(read_file(other / "events" / "events_2024-03-28.csv.gz"), a["events/events_2024-03-28.csv.gz"]);
    fs::remove_all(again);
    fs::remove_all(other);
}

TEST(SynthFaults, InjectedFaultsAreCountedInTheTruth) {
    fs::path dir = temp_dir("faults");
    SynthOptions o = preset_options("test");
    o.compression = OutCompression::none;
    o.faults = parse_faults("duplicates=0.05,unknown_cells=0.02,malformed=0.05,jumps=0.02,outage_day=1,outage_hour=2:10");
    generate(o, dir);
    Config c = load_config(dir / "mpdstat.toml");
    EXPECT_EQ(fs::path(c.input.events[0]).filename(), "*.csv");
    std::map<std::string, uint64_t> truth;
    for (const auto& r : read_csv(dir / "truth" / "faults.csv"))
        if (r[0] != "fault") truth[r[0]] = std::stoull(r[1]);
    CellPlan plan = CellPlan::load(dir / "cells.csv", CellColumns{});
    uint64_t missing_field = 0, bad_mcc = 0, bad_plmn = 0, empty_user = 0, bad_time = 0, unknown = 0, dups = 0;
    for (const auto& f : event_files(dir)) {
        auto csv = read_csv(f);
        std::string name = f.filename().string();
        if (name == "events_2024-03-29.csv") {
            EXPECT_EQ(csv.size(), 1u) << "the outage day has only the header";
        }
        std::vector<std::string> prev;
        for (size_t i = 1; i < csv.size(); ++i) {
            const auto& r = csv[i];
            if (name == "events_2024-03-30.csv") {
                EXPECT_NE(r[1].substr(11, 2), "10") << "outage hour";
            }
            if (r == prev) ++dups;
            prev = r;
            if (r.size() == 7) { ++missing_field; continue; }
            if (r[0].empty()) ++empty_user;
            if (r[4] == "6O8") ++bad_mcc;
            if (r[6] == "6080") ++bad_plmn;
            if (r[1].substr(11, 2) >= "24") ++bad_time;
            if (!r[2].empty() && !plan.contains(r[2])) ++unknown;
        }
    }
    EXPECT_EQ(missing_field, truth["malformed_missing_field"]);
    EXPECT_EQ(bad_mcc, truth["malformed_mcc"]);
    EXPECT_EQ(bad_plmn, truth["malformed_plmn"]);
    EXPECT_EQ(empty_user, truth["malformed_empty_user"]);
    EXPECT_EQ(bad_time, truth["malformed_timestamp"]);
    EXPECT_EQ(unknown, truth["unknown_cell"]);
    EXPECT_GT(truth["duplicate"], 0u);
    EXPECT_GE(dups, truth["duplicate"]);  // IoT devices can repeat a row by chance only with a duplicate
    EXPECT_GT(truth["jump"], 0u);
    EXPECT_GT(missing_field + bad_mcc + bad_plmn + empty_user + bad_time, 0u);
    fs::remove_all(dir);
}

TEST(SynthTime, DaylightSavingGapHasNoEvents) {
    fs::path dir = temp_dir("dst");
    SynthOptions o = preset_options("test");
    o.timezone = "Europe/Paris";
    o.start = day_from_civil(2024, 3, 30);
    o.days = 2;
    o.disaster_day = -1;
    o.devices = 120;
    generate(o, dir);
    EXPECT_EQ(load_config(dir / "mpdstat.toml").input.timezone, "Europe/Paris");
    auto csv = read_csv(dir / "events" / "events_2024-03-31.csv.gz");
    ASSERT_GT(csv.size(), 100u);
    for (size_t i = 1; i < csv.size(); ++i) ASSERT_NE(csv[i][1].substr(11, 2), "02") << "02:xx does not exist on 31 March in Paris";
    auto present = read_csv(dir / "truth" / "present_population.csv");
    for (size_t i = 1; i < present.size(); ++i) EXPECT_FALSE(present[i][0] == "2024-03-31" && present[i][1] == "2");
    fs::remove_all(dir);
}

TEST(SynthCli, CommandWritesAScenario) {
    fs::path dir = temp_dir("cli");
    std::string cmd = fmt::format("{} synth --out {} --preset test --devices 60 --days 2 --seed 3 --quiet", MPDSTAT_BINARY, dir.string());
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    EXPECT_EQ(event_files(dir).size(), 2u);
    EXPECT_NO_THROW(load_config(dir / "mpdstat.toml"));
    std::string bad = fmt::format("{} synth --out {} --preset nope --quiet 2>/dev/null", MPDSTAT_BINARY, dir.string());
    EXPECT_NE(std::system(bad.c_str()), 0);
    fs::remove_all(dir);
}
