package org.biotwin.ebr.internal.signature;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.biotwin.api.audit.SignatureMeaning;
import org.jspecify.annotations.Nullable;

/**
 * The parsed, validated configuration of electronic signatures: users with roles and password hashes, which roles
 * may sign with which meaning, how many people must sign, and the lockout rule. Immutable; {@link #toString()} never
 * shows a password hash.
 */
public final class SignatureConfig {

    /** A user who may sign. */
    public record User(String id, String printedName, Set<String> roles, PasswordHasher.Stored password) {
        @Override
        public String toString() {
            return id + " (" + printedName + ", roles " + roles + ")";
        }
    }

    private final Map<String, User> users;
    private final Map<SignatureMeaning, Set<String>> meaningRoles;
    private final Map<String, Integer> required; // "recordType:MEANING" -> n
    private final int maxFailures;
    private final long lockoutMinutes;
    private final Set<String> unlockRoles;

    /**
     * @param users              entries {@code userId|Printed Name|role1,role2|<PasswordTool hash>}
     * @param meaningRoles       entries {@code MEANING=role1,role2}
     * @param requiredSignatures entries {@code recordType:MEANING=n}
     * @throws IllegalArgumentException naming the faulty entry
     */
    public SignatureConfig(String[] users, String[] meaningRoles, String[] requiredSignatures, int maxFailures,
            long lockoutMinutes, String[] unlockRoles) {
        Map<String, User> u = new LinkedHashMap<>();
        for (int i = 0; i < users.length; i++) {
            String entry = users[i];
            String[] p = entry.split("\\|", -1);
            if (p.length != 4) {
                throw new IllegalArgumentException("users[" + i + "] is not userId|Printed Name|roles|hash ("
                        + p.length + " fields)");
            }
            String id = p[0].trim();
            if (!id.matches("[A-Za-z0-9._@-]{1,64}")) {
                throw new IllegalArgumentException("users[" + i + "]: user id '" + id + "' must be 1-64 of"
                        + " letters, digits and ._@-");
            }
            if (p[1].isBlank()) {
                throw new IllegalArgumentException("users[" + i + "] (" + id + "): printed name is blank");
            }
            Set<String> roles = roles(p[2]);
            if (roles.isEmpty()) {
                throw new IllegalArgumentException("users[" + i + "] (" + id + "): no role");
            }
            PasswordHasher.Stored pw;
            try {
                pw = PasswordHasher.parse(p[3].trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("users[" + i + "] (" + id + "): " + e.getMessage());
            }
            if (u.putIfAbsent(id, new User(id, p[1].trim(), roles, pw)) != null) {
                throw new IllegalArgumentException("users[" + i + "]: user id '" + id
                        + "' appears twice; user ids must be unique (21 CFR 11.100(a), 11.300(a))");
            }
        }
        this.users = Map.copyOf(u);
        Map<SignatureMeaning, Set<String>> m = new EnumMap<>(SignatureMeaning.class);
        for (String entry : meaningRoles) {
            String[] p = entry.split("=", 2);
            if (p.length != 2) {
                throw new IllegalArgumentException("meaningRoles entry '" + entry + "' is not MEANING=role1,role2");
            }
            m.put(meaning(p[0].trim(), "meaningRoles entry '" + entry + "'"), roles(p[1]));
        }
        this.meaningRoles = Map.copyOf(m);
        Map<String, Integer> r = new HashMap<>();
        for (String entry : requiredSignatures) {
            String[] p = entry.split("=", 2);
            String[] k = p[0].split(":", 2);
            if (p.length != 2 || k.length != 2 || k[0].isBlank()) {
                throw new IllegalArgumentException("requiredSignatures entry '" + entry
                        + "' is not recordType:MEANING=n");
            }
            SignatureMeaning sm = meaning(k[1].trim(), "requiredSignatures entry '" + entry + "'");
            int n;
            try {
                n = Integer.parseInt(p[1].trim());
            } catch (NumberFormatException e) {
                n = 0;
            }
            if (n < 1 || n > 10) {
                throw new IllegalArgumentException("requiredSignatures entry '" + entry + "': n must be 1..10");
            }
            r.put(k[0].trim() + ":" + sm, n);
        }
        this.required = Map.copyOf(r);
        if (maxFailures < 1 || maxFailures > 20) {
            throw new IllegalArgumentException("maxFailures must be 1..20, not " + maxFailures);
        }
        if (lockoutMinutes < 0) {
            throw new IllegalArgumentException("lockoutMinutes must not be negative");
        }
        this.maxFailures = maxFailures;
        this.lockoutMinutes = lockoutMinutes;
        this.unlockRoles = roles(String.join(",", unlockRoles));
    }

    private static Set<String> roles(String csv) {
        Set<String> out = new TreeSet<>();
        for (String r : csv.split(",")) {
            if (!r.isBlank()) {
                out.add(r.trim());
            }
        }
        return Set.copyOf(out);
    }

    private static SignatureMeaning meaning(String name, String where) {
        try {
            return SignatureMeaning.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": unknown meaning '" + name + "' (one of "
                    + Arrays.toString(SignatureMeaning.values()) + ")");
        }
    }

    public @Nullable User user(String id) {
        return users.get(id);
    }

    /** Iterations of the configured hashes (the largest), so that an unknown user costs as much as a known one. */
    public int typicalIterations() {
        return users.values().stream().mapToInt(u -> u.password().iterations()).max()
                .orElse(PasswordHasher.DEFAULT_ITERATIONS);
    }

    public List<String> userIds() {
        return users.keySet().stream().sorted().toList();
    }

    /** Roles allowed to sign with a meaning; empty when none is configured (nobody may sign so). */
    public Set<String> rolesFor(SignatureMeaning meaning) {
        return meaningRoles.getOrDefault(meaning, Set.of());
    }

    public int requiredSignatures(String recordType, SignatureMeaning meaning) {
        return required.getOrDefault(recordType + ":" + meaning, 1);
    }

    public int maxFailures() {
        return maxFailures;
    }

    public long lockoutMinutes() {
        return lockoutMinutes;
    }

    public Set<String> unlockRoles() {
        return unlockRoles;
    }

    @Override
    public String toString() {
        return "SignatureConfig[users=" + users.values() + ", meaningRoles=" + meaningRoles + ", required="
                + required + ", maxFailures=" + maxFailures + ", lockoutMinutes=" + lockoutMinutes + "]";
    }
}
