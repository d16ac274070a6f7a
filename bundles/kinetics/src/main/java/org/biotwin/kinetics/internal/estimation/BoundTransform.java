package org.biotwin.kinetics.internal.estimation;

/**
 * Maps a bounded parameter {@code p} in {@code (lo, hi)} to an unbounded search coordinate {@code theta}, so that an
 * unconstrained Levenberg-Marquardt never leaves the bounds:
 * <ul>
 * <li>both bounds finite: scaled logit, {@code p = lo + (hi - lo) / (1 + exp(-theta))};</li>
 * <li>only the lower bound: {@code p = lo + exp(theta)} (log transform; for {@code lo = 0} a plain log);</li>
 * <li>only the upper bound: {@code p = hi - exp(theta)};</li>
 * <li>no bound: identity.</li>
 * </ul>
 * Near a lower bound of 0 both the logit and the log give steps relative to {@code p}, which suits rate constants that
 * span decades. Bounds are open: a start or optimum exactly on a bound maps to an infinite {@code theta}, so starts
 * must be strictly inside. Immutable, thread-safe.
 */
public record BoundTransform(double lower, double upper) {

    public BoundTransform {
        if (Double.isNaN(lower) || Double.isNaN(upper) || !(lower < upper)) {
            throw new IllegalArgumentException("bounds [" + lower + ", " + upper + "] are empty");
        }
    }

    /** Search coordinate of a parameter value strictly inside the bounds. */
    public double toSearch(double p) {
        boolean lo = lower > Double.NEGATIVE_INFINITY;
        boolean hi = upper < Double.POSITIVE_INFINITY;
        if (lo && hi) {
            return Math.log((p - lower) / (upper - p));
        } else if (lo) {
            return Math.log(p - lower);
        } else if (hi) {
            return Math.log(upper - p);
        }
        return p;
    }

    /** Parameter value of a search coordinate; always within the bounds (on a bound only by rounding). */
    public double toParameter(double theta) {
        boolean lo = lower > Double.NEGATIVE_INFINITY;
        boolean hi = upper < Double.POSITIVE_INFINITY;
        if (lo && hi) {
            // Evaluate the logistic on the side where exp does not overflow.
            double s = theta >= 0 ? 1 / (1 + Math.exp(-theta)) : Math.exp(theta) / (1 + Math.exp(theta));
            return Math.min(upper, Math.max(lower, lower + (upper - lower) * s));
        } else if (lo) {
            return lower + Math.exp(theta);
        } else if (hi) {
            return upper - Math.exp(theta);
        }
        return theta;
    }
}
