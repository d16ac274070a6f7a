package org.biotwin.api.audit;

import java.util.Objects;
import java.util.Set;

/**
 * A user whose id and password were just checked by an {@link Authenticator}. Immutable.
 *
 * @param userId      user id
 * @param printedName full printed name (as on an electronic signature)
 * @param roles       roles the user holds in the user base, for example {@code operator}, {@code qa}
 */
public record AuthenticatedUser(String userId, String printedName, Set<String> roles) {
    public AuthenticatedUser {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(printedName, "printedName");
        roles = Set.copyOf(roles);
    }
}
