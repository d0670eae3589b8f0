//! Small statistics for the report: mean, median, quantiles, percentile bootstrap confidence
//! intervals with a fixed seed (so a report is reproducible byte for byte), Cohen's d and Cliff's
//! delta. Every function returns `None` where the statistic is undefined (too few values).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Resamples drawn for a bootstrap interval.
pub const BOOTSTRAP_RESAMPLES: usize = 2000;
/// The seed of every bootstrap, so the same data gives the same interval.
pub const BOOTSTRAP_SEED: u64 = 0x00C1_71C5_CA27;

/// The arithmetic mean.
pub fn mean(xs: &[f64]) -> Option<f64> {
    (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
}

/// The `q` quantile (0–1) with linear interpolation between order statistics (R's type 7).
pub fn quantile(xs: &[f64], q: f64) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    let h = (v.len() - 1) as f64 * q.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    Some(v[lo] + (h - lo as f64) * (v[hi] - v[lo]))
}

/// The median.
pub fn median(xs: &[f64]) -> Option<f64> {
    quantile(xs, 0.5)
}

/// The sample standard deviation (n − 1).
pub fn sd(xs: &[f64]) -> Option<f64> {
    if xs.len() < 2 {
        return None;
    }
    let m = mean(xs)?;
    let ss: f64 = xs.iter().map(|x| (x - m).powi(2)).sum();
    Some((ss / (xs.len() - 1) as f64).sqrt())
}

fn resample_mean(xs: &[f64], rng: &mut ChaCha8Rng) -> f64 {
    let sum: f64 = (0..xs.len())
        .map(|_| xs[rng.random_range(0..xs.len())])
        .sum();
    sum / xs.len() as f64
}

/// A 95 % percentile bootstrap interval for the mean.
pub fn bootstrap_mean_ci(xs: &[f64]) -> Option<(f64, f64)> {
    if xs.is_empty() {
        return None;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(BOOTSTRAP_SEED);
    let means: Vec<f64> = (0..BOOTSTRAP_RESAMPLES)
        .map(|_| resample_mean(xs, &mut rng))
        .collect();
    Some((quantile(&means, 0.025)?, quantile(&means, 0.975)?))
}

/// A 95 % percentile bootstrap interval for mean(a) − mean(b), resampling each group on its own.
pub fn bootstrap_diff_ci(a: &[f64], b: &[f64]) -> Option<(f64, f64)> {
    if a.is_empty() || b.is_empty() {
        return None;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(BOOTSTRAP_SEED);
    let diffs: Vec<f64> = (0..BOOTSTRAP_RESAMPLES)
        .map(|_| resample_mean(a, &mut rng) - resample_mean(b, &mut rng))
        .collect();
    Some((quantile(&diffs, 0.025)?, quantile(&diffs, 0.975)?))
}

/// Cohen's d: the difference of means over the pooled sample standard deviation.
pub fn cohens_d(a: &[f64], b: &[f64]) -> Option<f64> {
    let (na, nb) = (a.len() as f64, b.len() as f64);
    let (sa, sb) = (sd(a)?, sd(b)?);
    let pooled = (((na - 1.0) * sa * sa + (nb - 1.0) * sb * sb) / (na + nb - 2.0)).sqrt();
    (pooled > 0.0).then(|| (mean(a).unwrap_or(0.0) - mean(b).unwrap_or(0.0)) / pooled)
}

/// Cliff's delta: P(a > b) − P(a < b) over all pairs, from −1 to 1. Robust to the coarse,
/// bounded scores we compare.
pub fn cliffs_delta(a: &[f64], b: &[f64]) -> Option<f64> {
    if a.is_empty() || b.is_empty() {
        return None;
    }
    let mut net = 0i64;
    for x in a {
        for y in b {
            net += match x.partial_cmp(y) {
                Some(std::cmp::Ordering::Greater) => 1,
                Some(std::cmp::Ordering::Less) => -1,
                _ => 0,
            };
        }
    }
    Some(net as f64 / (a.len() * b.len()) as f64)
}

/// Vargha and Delaney's reading of |Cliff's delta| (negligible < 0.147 ≤ small < 0.33 ≤
/// medium < 0.474 ≤ large; Romano et al. 2006).
pub fn cliffs_magnitude(delta: f64) -> &'static str {
    let d = delta.abs();
    if d < 0.147 {
        "negligible"
    } else if d < 0.33 {
        "small"
    } else if d < 0.474 {
        "medium"
    } else {
        "large"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn mean_and_median_match_hand_computation() {
        assert_eq!(mean(&[1.0, 2.0, 6.0]), Some(3.0));
        assert_eq!(median(&[6.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(mean(&[]), None);
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn quantile_interpolates_between_order_statistics() {
        // h = 3 × 0.25 = 0.75 → 10 + 0.75 × (20 − 10)
        assert!(close(
            quantile(&[10.0, 20.0, 30.0, 40.0], 0.25).unwrap(),
            17.5
        ));
    }

    #[test]
    fn sample_sd_divides_by_n_minus_one() {
        // mean 5; squares 9+1+1+9 = 20; 20/3
        assert!(close(
            sd(&[2.0, 4.0, 6.0, 8.0]).unwrap(),
            (20.0f64 / 3.0).sqrt()
        ));
        assert_eq!(sd(&[1.0]), None);
    }

    #[test]
    fn cohens_d_uses_the_pooled_sd() {
        // a: mean 2, var 1; b: mean 4, var 1 → pooled 1, d = −2
        assert!(close(
            cohens_d(&[1.0, 2.0, 3.0], &[3.0, 4.0, 5.0]).unwrap(),
            -2.0
        ));
        assert_eq!(cohens_d(&[1.0, 1.0], &[1.0, 1.0]), None);
    }

    #[test]
    fn cliffs_delta_counts_pairs() {
        // pairs (a,b): 1v2 <, 1v3 <, 4v2 >, 4v3 > → 0
        assert!(close(cliffs_delta(&[1.0, 4.0], &[2.0, 3.0]).unwrap(), 0.0));
        // 3 vs 1,2: both > → 1
        assert!(close(cliffs_delta(&[3.0], &[1.0, 2.0]).unwrap(), 1.0));
        // 2 vs 2 tie, 2 vs 3 < → −0.5
        assert!(close(cliffs_delta(&[2.0], &[2.0, 3.0]).unwrap(), -0.5));
        assert_eq!(cliffs_magnitude(-0.5), "large");
        assert_eq!(cliffs_magnitude(0.1), "negligible");
    }

    #[test]
    fn bootstrap_is_reproducible_and_brackets_the_mean() {
        let xs = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0];
        let (lo, hi) = bootstrap_mean_ci(&xs).unwrap();
        assert_eq!(bootstrap_mean_ci(&xs), Some((lo, hi)));
        assert!(lo < 4.5 && 4.5 < hi, "{lo}..{hi}");
        assert!(lo >= 1.0 && hi <= 8.0);
        // A constant sample has no spread.
        assert_eq!(bootstrap_mean_ci(&[3.0, 3.0, 3.0]), Some((3.0, 3.0)));
        let (dlo, dhi) = bootstrap_diff_ci(&[10.0, 11.0, 12.0], &[1.0, 2.0, 3.0]).unwrap();
        assert!(dlo > 7.0 && dhi < 11.0 && dlo <= 9.0 && 9.0 <= dhi);
        assert_eq!(bootstrap_diff_ci(&[], &[1.0]), None);
    }
}
