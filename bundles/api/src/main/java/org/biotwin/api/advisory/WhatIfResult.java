package org.biotwin.api.advisory;

import java.time.Instant;

/**
 * The comparison of the current plan with an action, from the same estimate and the same ensemble draws, so that
 * the gain is a paired difference. Immutable.
 *
 * @param unitId     the unit
 * @param computedAt when
 * @param batchAge   batch age of the estimate it starts from, h
 * @param action     the action tried
 * @param baseline   outcome of the current plan
 * @param withAction outcome with the action
 * @param gainP05    5 % quantile of the paired gain (with − without), in the objective's unit
 * @param gainP50    median paired gain
 * @param gainP95    95 % quantile of the paired gain
 * @param value      business value of the median gain, in the configured currency, or NaN without a price
 * @param currency   currency of {@code value}, empty without a price
 */
public record WhatIfResult(String unitId, Instant computedAt, double batchAge, ProposedAction action,
        Outcome baseline, Outcome withAction, double gainP05, double gainP50, double gainP95, double value,
        String currency) {
}
