package org.biotwin.ebr.internal.signature;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted, slow password hashes: PBKDF2 with HMAC-SHA-256 (RFC 8018), a 16-byte random salt per user and a 32-byte
 * derived key.
 * <p>
 * Stored form: {@code PBKDF2WithHmacSHA256$<iterations>$<salt base64>$<hash base64>}. New hashes use
 * {@value #DEFAULT_ITERATIONS} iterations (the OWASP Password Storage Cheat Sheet figure for PBKDF2-HMAC-SHA256);
 * hashes with fewer than {@value #MIN_ITERATIONS} are refused. Verification compares in constant time. Cost: one
 * verification is {@code iterations} HMAC-SHA-256 pairs, about 0.2-0.5 s at the default on a current server core, which
 * is the point. Stateless and thread-safe.
 */
public final class PasswordHasher {

    public static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    public static final int DEFAULT_ITERATIONS = 600_000;
    public static final int MIN_ITERATIONS = 210_000;
    private static final int SALT_BYTES = 16;
    private static final int KEY_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHasher() {
    }

    /** A parsed stored hash. */
    public record Stored(int iterations, byte[] salt, byte[] hash) {
    }

    /** Hashes a password with a fresh salt. The caller wipes {@code password}. */
    public static String hash(char[] password, int iterations) {
        if (iterations < MIN_ITERATIONS) {
            throw new IllegalArgumentException("At least " + MIN_ITERATIONS + " PBKDF2 iterations are required, not "
                    + iterations);
        }
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] h = derive(password, salt, iterations);
        Base64.Encoder b64 = Base64.getEncoder();
        return ALGORITHM + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(h);
    }

    /**
     * Parses a stored hash.
     *
     * @throws IllegalArgumentException naming what is wrong (never echoing the hash)
     */
    public static Stored parse(String stored) {
        String[] p = stored.split("\\$");
        if (p.length != 4 || !p[0].equals(ALGORITHM)) {
            throw new IllegalArgumentException("password hash is not of the form " + ALGORITHM
                    + "$<iterations>$<salt>$<hash> (use the PasswordTool to make one)");
        }
        int it;
        try {
            it = Integer.parseInt(p[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("password hash iterations '" + p[1] + "' is not a number");
        }
        if (it < MIN_ITERATIONS) {
            throw new IllegalArgumentException("password hash has " + it + " iterations; at least " + MIN_ITERATIONS
                    + " are required");
        }
        try {
            byte[] salt = Base64.getDecoder().decode(p[2]);
            byte[] hash = Base64.getDecoder().decode(p[3]);
            if (salt.length < 16 || hash.length != KEY_BITS / 8) {
                throw new IllegalArgumentException("password hash needs a salt of at least 16 bytes and a 32-byte hash");
            }
            return new Stored(it, salt, hash);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("password hash salt or hash is not valid base64 of the right length");
        }
    }

    /** Whether the password matches. */
    public static boolean verify(char[] password, Stored stored) {
        return MessageDigest.isEqual(derive(password, stored.salt(), stored.iterations()), stored.hash());
    }

    static byte[] derive(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, KEY_BITS);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new IllegalStateException(ALGORITHM + " is not available in this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }
}
