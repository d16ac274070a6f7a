package org.biotwin.api.kinetics;

import java.util.Objects;

/**
 * How a constraint is met by a feed profile. Immutable.
 *
 * @param constraint the constraint
 * @param worstValue the value of the variable closest to violating it (or violating it most), in its unit
 * @param worstTime  batch age of {@code worstValue}, h
 * @param violation  amount by which the bound is exceeded, in the variable's unit, 0 when met
 * @param satisfied  whether {@code violation} is within the feasibility tolerance of the problem
 */
public record ConstraintReport(Constraint constraint, double worstValue, double worstTime, double violation,
        boolean satisfied) {
    public ConstraintReport {
        Objects.requireNonNull(constraint, "constraint");
    }
}
