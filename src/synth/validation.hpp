#pragma once
// The accuracy study (issue 5): runs the per-device pass on a synthetic
// scenario with each anchor rule set and compares the results with the
// generator's truth — home and work detection, residents, present population
// and origin–destination trips.
#include <filesystem>
#include <string>
#include <tuple>
#include <vector>

namespace mpdstat::synth {

struct RuleAccuracy {
    std::string rules;
    uint64_t devices_with_true_home = 0;
    double home_detected = 0;                        // share of devices with a true home
    double home_right_district = 0, home_right_finest = 0;  // of those detected
    double work_detected = 0;                        // of devices working outside their home zone
    double work_right_district = 0, work_right_finest = 0;
    double work_false = 0;                           // share of the others (no work, or work at home) given one
    double residents_r2 = 0;              // district level, after scaling to the true total
    double residents_median_ape = 0;      // median absolute % error, district level
};

struct CountryAccuracy {
    std::string country;
    double visitors = 0, visitors_true = 0, trips = 0, trips_true = 0, nights = 0, nights_true = 0;
    double visitors_estimated = -1;  // outbound: travellers_estimated (those never seen added); -1: none
};

// Tier III residents (mpdstat estimate with the scenario's estimate.toml)
// against the census population, at one zone level.
struct Tier3Accuracy {
    std::string level;
    uint64_t rows = 0, released = 0, estimated = 0, suppressed = 0;
    double median_ape = 0;           // median absolute % error of rows with an estimate
    double median_ape_released = 0;  // of released rows only
    double ci_coverage = 0;          // share of rows with an estimate whose interval holds the census
    double ci_coverage_released = 0;
};

struct ValidationReport {
    std::string scenario;
    std::vector<RuleAccuracy> rules;
    double present_population_r = 0;   // Pearson r, district × hour
    double od_cpc = 0;                  // common part of commuters, district × day
    double od_cpc_scaled = 0;           // the same after scaling measured trips to the true total
    double od_trips_ours = 0, od_trips_truth = 0;  // between districts, whole period
    double present_ours = 0, present_truth = 0;    // device-hours, district level
    std::vector<CountryAccuracy> inbound;           // roamers by country of origin
    std::vector<CountryAccuracy> outbound;          // travellers by destination country
    double migrants_recall = 0, migrants_precision = 0;  // home changed between the two halves of the period
    uint64_t migrants_detected = 0, migrants_true = 0;
    // The same against each resident's true most-night district per half (moves, displacement, trips).
    double modal_migrants_recall = 0, modal_migrants_precision = 0;
    uint64_t modal_migrants_true = 0;
    // Domestic overnight trips and their nights, whole period; nights by destination district (CPC).
    double domestic_trips = 0, domestic_trips_true = 0, domestic_nights = 0, domestic_nights_true = 0;
    double domestic_nights_cpc = 0;
    std::vector<std::tuple<std::string, double, double>> displaced;  // night, measured, true (residents away)
    std::vector<double> displaced_scaled;  // per night: share away among located residents × true residents
    double affected_residents = 0, affected_residents_true = 0;
    std::string tier3_calibration;      // e.g. "zone at region"; empty: Tier III not run
    double tier3_confidence = 0;        // of the intervals
    std::string tier3_note;             // why Tier III was not run
    std::vector<Tier3Accuracy> tier3;   // residents by level (finest two levels)
    std::string table() const;          // Markdown
    std::string json() const;
};

// Runs ingest first when the scenario has no event store yet. Runs `estimate`
// with DIR/estimate.toml when `mpdstat run` has written the Tier II tables.
ValidationReport validate_scenario(const std::filesystem::path& scenario_dir);

}  // namespace mpdstat::synth
