package org.biotwin.lifecycle.internal;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The host's trust configuration, parsed and validated once. Immutable.
 *
 * @param trustedApprovers user ids whose REVIEWED/APPROVED signatures count for releasing a model
 * @param autoActivate     {@code NONE} (explicit commands only) or {@code HIGHEST_APPROVED}
 * @param parameterTolerance relative tolerance when comparing the report's parameters with the model's nominal ones;
 *                           negative disables the comparison
 * @param recheckMinutes   period of the re-evaluation that catches an expired validity period
 */
public record GatePolicy(Set<String> trustedApprovers, String autoActivate, double parameterTolerance,
        long recheckMinutes) {

    private static final Pattern USER = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    public GatePolicy {
        trustedApprovers = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(trustedApprovers));
    }

    /**
     * @throws IllegalArgumentException naming the faulty property
     */
    public static GatePolicy from(String[] trustedApprovers, String autoActivate, double parameterTolerance,
            long recheckMinutes) {
        Set<String> users = new TreeSet<>();
        for (String u : trustedApprovers) {
            String t = u.trim();
            if (t.isEmpty()) {
                continue;
            }
            if (!USER.matcher(t).matches()) {
                throw new IllegalArgumentException("trustedApprovers: '" + t + "' is not a user id (1-64 of letters,"
                        + " digits and ._@-)");
            }
            users.add(t);
        }
        String mode = autoActivate.trim().toUpperCase(java.util.Locale.ROOT);
        if (!mode.equals("NONE") && !mode.equals("HIGHEST_APPROVED")) {
            throw new IllegalArgumentException("autoActivate must be NONE or HIGHEST_APPROVED, not '" + autoActivate
                    + "'");
        }
        if (Double.isNaN(parameterTolerance) || parameterTolerance > 0.1) {
            throw new IllegalArgumentException("parameterTolerance must be <= 0.1 (negative disables), not "
                    + parameterTolerance);
        }
        if (recheckMinutes < 1 || recheckMinutes > 1440) {
            throw new IllegalArgumentException("recheckMinutes must be 1..1440, not " + recheckMinutes);
        }
        return new GatePolicy(users, mode, parameterTolerance, recheckMinutes);
    }

    public boolean autoActivateHighest() {
        return autoActivate.equals("HIGHEST_APPROVED");
    }
}
