package org.biotwin.api.audit;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Checks a user's id and password against the same user base, password hashes and lockout rules as the
 * {@link SignatureService}, for logging in to a user interface (21 CFR 11.10(d), 11.300). A login is not a signature:
 * a user interface that signs must still re-ask the password through {@link SignatureService#sign}.
 * <p>
 * A wrong password counts towards the account's lockout exactly as a failed signature does, and every refusal is
 * audited ({@code user} / {@code signature.refused} with the purpose). Implementations are thread-safe.
 */
@ProviderType
public interface Authenticator {

    /**
     * Authenticates a user.
     *
     * @param password wiped before this method returns
     * @param purpose  what the authentication is for, recorded with a refusal, for example {@code login to web panel}
     * @return who the user is and the roles they hold
     * @throws SecurityException unknown user, wrong password or locked account (the message says which)
     */
    AuthenticatedUser authenticate(String userId, char[] password, String purpose);
}
