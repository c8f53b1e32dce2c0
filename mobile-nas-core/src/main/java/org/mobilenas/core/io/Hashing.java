package org.mobilenas.core.io;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 identities and checksums of text, shared by every journal and job key.
 *
 * <pre>{@code
 * String key = Hashing.sha256Hex("spec json + seed + settings", 24);
 * }</pre>
 */
public final class Hashing {
    private Hashing() {}

    /** The first {@code hexDigits} (1..64) hexadecimal digits of the SHA-256 of {@code text} in UTF-8. */
    public static String sha256Hex(String text, int hexDigits) {
        return sha256Hex(text.getBytes(StandardCharsets.UTF_8), hexDigits);
    }

    /** The first {@code hexDigits} (1..64) hexadecimal digits of the SHA-256 of {@code bytes}. */
    public static String sha256Hex(byte[] bytes, int hexDigits) {
        if (hexDigits < 1 || hexDigits > 64) {
            throw new IllegalArgumentException("hexDigits " + hexDigits + ": expected 1..64");
        }
        return HexFormat.of().formatHex(digest().digest(bytes)).substring(0, hexDigits);
    }

    /** A fresh SHA-256 digest. */
    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
