#pragma once
// Confidence intervals of Tier III estimates. The variance model is analytic
// (docs/estimate.md): counts are totals over `support` devices, the residents
// a Poisson / binomial sample of the census population, factors and counts
// combined by the delta method. The interval is log-normal — estimates of
// counts are skewed and never negative — with the variance's coefficient of
// variation: [E / k, E · k], k = exp(z · sqrt(ln(1 + cv²))).
namespace mpdstat {

// The standard normal quantile (Acklam's approximation refined by one Halley step).
double normal_quantile(double p);

struct Interval {
    double low = 0, high = 0;
};

// Two-sided interval at `confidence` for an estimate with this variance.
// E = 0 gives [0, 0]; a zero variance gives [E, E].
Interval confidence_interval(double estimate, double variance, double confidence);

// Outward rounding to multiples of `base`: the estimate to the nearest
// multiple, the interval's bounds away from it (floor / ceiling).
double round_to(double v, double base);
Interval round_outward(Interval i, double base);

}  // namespace mpdstat
