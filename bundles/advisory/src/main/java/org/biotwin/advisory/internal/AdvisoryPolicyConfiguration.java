package org.biotwin.advisory.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Metatype of the advisory policy of one unit (factory PID {@value AdvisoryPolicy#PID}): targets and allowed actions. */
@ObjectClassDefinition(name = "BioTwin advisory policy", description = "Targets, constraints and the actions the "
        + "recipe allows for one bioreactor unit; the advisor proposes only actions within these limits.")
@interface AdvisoryPolicyConfiguration {

    @AttributeDefinition(name = "Unit", description = "ISA-88 unit id.")
    String unit();

    @AttributeDefinition(name = "Product concentration", description = "Observable or state of the product "
            + "concentration, e.g. titre (g/L).")
    String productVariable() default "titre";

    @AttributeDefinition(name = "Volume", description = "Observable or state of the broth volume (L).")
    String volumeVariable() default "volume";

    @AttributeDefinition(name = "Titre target", description = "Product concentration the batch must reach at "
            + "harvest, in the product variable's unit; 0 disables the check.")
    double titreTarget() default 0;

    @AttributeDefinition(name = "Substrate", description = "Observable or state of the limiting substrate, e.g. "
            + "glucose (g/L).")
    String substrateVariable() default "glucose";

    @AttributeDefinition(name = "Substrate minimum", description = "Lowest allowed substrate concentration at any "
            + "time (depletion).")
    double substrateMin() default 0.5;

    @AttributeDefinition(name = "Substrate maximum", description = "Highest allowed substrate concentration at any "
            + "time (overfeeding).")
    double substrateMax() default 8;

    @AttributeDefinition(name = "Volume maximum", description = "Working volume limit of the vessel, L.")
    double volumeMax() default 1e9;

    @AttributeDefinition(name = "Risk limit", description = "A constraint is threatened when the predicted "
            + "probability of violating it exceeds this fraction.")
    double riskLimit() default 0.1;

    @AttributeDefinition(name = "Feed input", description = "Model input of the feed the advisor may change.")
    String feedInput() default "F_feed";

    @AttributeDefinition(name = "Feed minimum", description = "Lowest allowed feed rate, in the input's unit.")
    double feedMin() default 0;

    @AttributeDefinition(name = "Feed maximum", description = "Highest allowed feed rate (pump or recipe limit).")
    double feedMax();

    @AttributeDefinition(name = "Intervals", description = "Piecewise-constant feed intervals from now to harvest.")
    int intervals() default 10;

    @AttributeDefinition(name = "Ensemble size", description = "Paired Monte Carlo members per comparison.")
    int ensembleSize() default 100;

    @AttributeDefinition(name = "Minimum gain", description = "Smallest median gain worth an advisory, relative to "
            + "the current plan's median (0.01 = 1 %).")
    double minimumRelativeGain() default 0.01;

    @AttributeDefinition(name = "Price", description = "Value of one unit of the objective (e.g. per g of "
            + "product); 0 means no business value is shown.")
    double price() default 0;

    @AttributeDefinition(name = "Currency", description = "Currency of the price.")
    String currency() default "EUR";

    @AttributeDefinition(name = "Optimisation time budget (s)", description = "Wall-clock budget of one feed "
            + "optimisation.")
    double optimisationSeconds() default 5;

    @AttributeDefinition(name = "Earliest harvest age (h)", description = "Start of the harvest window the recipe "
            + "allows, batch age in h. With the latest harvest age, the advisor also searches the harvest time; both "
            + "0 = no window, the harvest time is not searched.")
    double harvestEarliestAge() default 0;

    @AttributeDefinition(name = "Latest harvest age (h)", description = "End of the harvest window, batch age in h; "
            + "0 = no window.")
    double harvestLatestAge() default 0;

    @AttributeDefinition(name = "Occupancy cost per hour", description = "Cost of one hour of reactor time, in the "
            + "price's currency. With a price, the harvest search maximises price x product - this cost x batch age; "
            + "without a price it is not used (product is maximised). 0 = none.")
    double occupancyCostPerHour() default 0;

    @AttributeDefinition(name = "Bolus volume (L)", description = "Volume of the bolus the recipe allows (for "
            + "example a glucose shot). With a bolus window, the advisor also searches its time; 0 = no bolus.")
    double bolusVolume() default 0;

    @AttributeDefinition(name = "Bolus content", description = "Content of the bolus per model state, "
            + "state=concentration in the state's unit in the added volume, e.g. GLC=300.", required = false)
    String[] bolusContent() default {};

    @AttributeDefinition(name = "Earliest bolus age (h)", description = "Start of the window in which the recipe "
            + "allows the bolus, batch age in h.")
    double bolusEarliestAge() default 0;

    @AttributeDefinition(name = "Latest bolus age (h)", description = "End of the bolus window, batch age in h; 0 = no "
            + "window (the bolus time is not searched).")
    double bolusLatestAge() default 0;
}
