package org.biotwin.api.kinetics;

import java.util.random.RandomGenerator;

/**
 * A univariate distribution of an uncertain parameter or initial state, in that quantity's unit. Immutable.
 */
public sealed interface Distribution permits Distribution.Normal, Distribution.LogNormal, Distribution.Uniform {

    /** Draws one value. */
    double sample(RandomGenerator rng);

    /** Normal with mean and standard deviation (sd >= 0). */
    record Normal(double mean, double sd) implements Distribution {
        public Normal {
            if (!Double.isFinite(mean) || !(sd >= 0) || !Double.isFinite(sd)) {
                throw new IllegalArgumentException("Normal distribution needs a finite mean and sd >= 0, got mean "
                        + mean + ", sd " + sd);
            }
        }

        @Override
        public double sample(RandomGenerator rng) {
            return mean + sd * rng.nextGaussian();
        }
    }

    /**
     * Log-normal: {@code median * exp(sigma * N(0,1))}; always positive. {@code sigma} is the standard deviation of the
     * natural logarithm (about the coefficient of variation when small).
     */
    record LogNormal(double median, double sigma) implements Distribution {
        public LogNormal {
            if (!(median > 0) || !Double.isFinite(median) || !(sigma >= 0) || !Double.isFinite(sigma)) {
                throw new IllegalArgumentException("Log-normal distribution needs median > 0 and sigma >= 0, got median "
                        + median + ", sigma " + sigma);
            }
        }

        @Override
        public double sample(RandomGenerator rng) {
            return median * Math.exp(sigma * rng.nextGaussian());
        }
    }

    /** Uniform on {@code [lower, upper]}. */
    record Uniform(double lower, double upper) implements Distribution {
        public Uniform {
            if (!Double.isFinite(lower) || !Double.isFinite(upper) || !(lower <= upper)) {
                throw new IllegalArgumentException("Uniform distribution needs finite lower <= upper, got [" + lower
                        + ", " + upper + "]");
            }
        }

        @Override
        public double sample(RandomGenerator rng) {
            return lower + (upper - lower) * rng.nextDouble();
        }
    }
}
