package org.biotwin.softsensor.internal;

import org.biotwin.api.estimation.OffGasReading;
import org.biotwin.api.estimation.RespirationRates;
import org.biotwin.api.estimation.RespirationSettings;
import org.biotwin.api.estimation.RespirationTracker;

/**
 * Cumulative respiration and biomass from the oxygen balance of one batch.
 * <p>
 * Biomass follows Pirt's linear oxygen balance {@code OUR·V = (1/Y_X/O)·d(XV)/dt + m_O·X·V}, integrated over each
 * reading interval with the trapezoidal rule for the uptake and an exact exponential step for the maintenance term
 * (which is linear in XV): {@code (XV)_k+1 = (XV)_k·e^(−a·Δt) + Y·∫OUR·V dt}, {@code a = Y_X/O·m_O}, using the mean
 * uptake over the interval. Source: S.J. Pirt, Proc. R. Soc. B 163 (1965) 224-231; estimator form as in Villadsen et
 * al., <i>Bioreaction Engineering Principles</i>, 3rd ed. 2011. The specific growth rate is
 * {@code μ = Y_X/O·OUR/X − Y_X/O·m_O}, minus dilution by volume change.
 * <p>
 * Not thread-safe; one tracker per batch.
 */
final class OxygenBalanceTracker implements RespirationTracker {

    private final RespirationSettings settings;
    private double lastTime = Double.NaN;
    private double lastOurV; // mmol/h
    private double lastCerV; // mmol/h
    private double cumulativeO2; // mmol
    private double cumulativeCO2; // mmol
    private double biomassAmount = Double.NaN; // g

    OxygenBalanceTracker(RespirationSettings settings) {
        this.settings = settings;
    }

    @Override
    public RespirationRates add(OffGasReading reading) {
        double[] rates = InertGasBalance.rates(reading, settings.molarVolume());
        double our = rates[0];
        double cer = rates[1];
        double ourV = our * reading.volume();
        double cerV = cer * reading.volume();
        if (Double.isNaN(lastTime)) {
            biomassAmount = settings.initialBiomass() * reading.volume();
        } else {
            double dt = reading.time() - lastTime;
            if (!(dt > 0)) {
                throw new IllegalArgumentException("Off-gas reading at " + reading.time()
                        + " h is not later than the previous one at " + lastTime + " h");
            }
            double uptake = 0.5 * (lastOurV + ourV) * dt;
            cumulativeO2 += uptake;
            cumulativeCO2 += 0.5 * (lastCerV + cerV) * dt;
            double decay = Math.exp(-settings.oxygenYield() * settings.oxygenMaintenance() * dt);
            biomassAmount = biomassAmount * decay + settings.oxygenYield() * uptake * relaxation(dt, decay);
        }
        lastTime = reading.time();
        lastOurV = ourV;
        lastCerV = cerV;
        double biomass = biomassAmount / reading.volume();
        double mu = biomass > 0
                ? settings.oxygenYield() * (our / biomass - settings.oxygenMaintenance())
                : Double.NaN;
        return new RespirationRates(reading.time(), our, cer, rq(our, cer), cumulativeO2, cumulativeCO2, biomass, mu);
    }

    /** Exact weight of a constant uptake over an interval under linear decay: (1 − e^(−aΔt))/(aΔt), → 1 as a → 0. */
    private double relaxation(double dt, double decay) {
        double adt = settings.oxygenYield() * settings.oxygenMaintenance() * dt;
        return adt < 1e-12 ? 1.0 : (1.0 - decay) / adt;
    }

    static double rq(double our, double cer) {
        // Below 1e-6 mmol/L/h the quotient is noise; report it as undefined rather than as a huge number.
        return Math.abs(our) < 1e-6 ? Double.NaN : cer / our;
    }
}
