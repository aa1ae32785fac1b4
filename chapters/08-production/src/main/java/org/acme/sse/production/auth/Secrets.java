package org.acme.sse.production.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** Random values that stand for a user (tickets, bearer tokens), and the key under which the server keeps them. */
final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    /** 256 random bits, base64url without padding: 43 characters that need no escaping in a URL. */
    static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * The server stores and looks up a SHA-256 of the secret, never the secret itself: a map lookup compares keys
     * byte by byte and stops at the first difference, and how long that takes must not tell an attacker how much
     * of a guessed secret is right. On a hash it tells nothing about the secret. A heap dump or a debug log of the
     * map shows no usable secret either.
     */
    static String key(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
