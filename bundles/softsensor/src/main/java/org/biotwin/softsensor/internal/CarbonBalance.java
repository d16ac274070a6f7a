package org.biotwin.softsensor.internal;

import org.biotwin.api.estimation.CarbonBalanceReading;
import org.biotwin.api.estimation.CarbonBalanceSettings;
import org.biotwin.api.estimation.CarbonBalanceTracker;

/**
 * Biomass from the carbon balance of the vessel: carbon in the biomass is the carbon fed, less the carbon that left as
 * CO2, less the carbon still in substrate and products:
 * <pre>
 *   σ_X·X·V = σ_X·X₀·V₀ + (S_C,0 + P_C,0)·V₀ + ∫ F·c_F dt − ∫ CER·V dt − (S_C + P_C)·V
 * </pre>
 * integrated with the trapezoidal rule between readings. Source: Villadsen, Nielsen, Lidén, <i>Bioreaction
 * Engineering Principles</i>, 3rd ed., Springer 2011, §3 (elemental balances). Limits: carbon removed by sampling and
 * dissolved CO2/bicarbonate are not counted; substrate and product carbon are held at their last measured values
 * between measurements, which is where most of the error comes from in practice.
 * <p>
 * Not thread-safe.
 */
final class CarbonBalance implements CarbonBalanceTracker {

    private final CarbonBalanceSettings settings;
    private double lastTime = Double.NaN;
    private double lastFeedCarbonRate; // C-mmol/h
    private double lastCo2Rate; // mmol/h
    private double carbonInBrothAndBiomass; // C-mmol: everything not yet gone as CO2
    private double substrateCarbon;
    private double productCarbon;

    CarbonBalance(CarbonBalanceSettings settings) {
        this.settings = settings;
        this.substrateCarbon = settings.initialSubstrateCarbon();
        this.productCarbon = settings.initialProductCarbon();
    }

    @Override
    public double add(CarbonBalanceReading r) {
        double feedRate = r.feedRate() * r.feedCarbon();
        double co2Rate = r.cer() * r.volume();
        if (Double.isNaN(lastTime)) {
            carbonInBrothAndBiomass = (settings.biomassCarbon() * settings.initialBiomass()
                    + settings.initialSubstrateCarbon() + settings.initialProductCarbon()) * r.volume();
        } else {
            double dt = r.time() - lastTime;
            if (!(dt > 0)) {
                throw new IllegalArgumentException("Carbon balance reading at " + r.time()
                        + " h is not later than the previous one at " + lastTime + " h");
            }
            carbonInBrothAndBiomass += 0.5 * (lastFeedCarbonRate + feedRate) * dt - 0.5 * (lastCo2Rate + co2Rate) * dt;
        }
        lastTime = r.time();
        lastFeedCarbonRate = feedRate;
        lastCo2Rate = co2Rate;
        if (!Double.isNaN(r.substrateCarbon())) {
            substrateCarbon = r.substrateCarbon();
        }
        if (!Double.isNaN(r.productCarbon())) {
            productCarbon = r.productCarbon();
        }
        double biomassCarbon = carbonInBrothAndBiomass - (substrateCarbon + productCarbon) * r.volume();
        return Math.max(0, biomassCarbon / r.volume() / settings.biomassCarbon());
    }
}
