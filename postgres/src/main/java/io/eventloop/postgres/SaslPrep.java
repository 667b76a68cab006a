package io.eventloop.postgres;

import java.text.Normalizer;

/**
 * SASLprep (RFC 4013) of a SCRAM password, the way PostgreSQL applies it on both sides: the
 * server when it stores a password's SCRAM verifier, the client before it salts the password.
 * Both must agree, or a password such as {@code "I\u00ADX"} (with a soft hyphen) set by
 * {@code ALTER ROLE ... PASSWORD} would never match what the user types.
 *
 * <ol>
 *   <li>An ASCII password is used as it is (its own normal form, as PostgreSQL decides).</li>
 *   <li>Non-ASCII spaces become a space; characters "commonly mapped to nothing" (soft hyphen,
 *       zero-width joiners, variation selectors ...) are removed.</li>
 *   <li>The result is normalised to Unicode NFKC.</li>
 *   <li>If it then holds a prohibited character (controls, private use, non-characters,
 *       surrogates, unassigned code points, tagging and display-changing characters) or breaks
 *       the bidirectional rule, the password is used as it was given, unprepared: PostgreSQL
 *       falls back the same way, so such passwords still work byte for byte.</li>
 * </ol>
 *
 * <p>One approximation: RFC 4013 means "unassigned in Unicode 3.2"; this uses the JDK's Unicode
 * version, so a password with a character assigned after 3.2 (an emoji) and also something the
 * mapping changes is prepared here where PostgreSQL would use it unprepared. Such a password
 * fails to log in with a clear SQLSTATE 28P01; its raw bytes never change meaning otherwise.
 */
final class SaslPrep {
    private SaslPrep() {
    }

    /** The password to salt: prepared, or {@code password} itself where PostgreSQL would not prepare it. */
    static String prepare(String password) {
        if (password.chars().allMatch(c -> c < 0x80)) {
            return password;
        }
        StringBuilder mapped = new StringBuilder(password.length());
        for (int i = 0; i < password.length(); ) {
            int c = password.codePointAt(i);
            i += Character.charCount(c);
            if (nonAsciiSpace(c)) {
                mapped.append(' ');
            } else if (!mappedToNothing(c)) {
                mapped.appendCodePoint(c);
            }
        }
        String normal = Normalizer.normalize(mapped, Normalizer.Form.NFKC);
        boolean randAL = false;
        boolean l = false;
        for (int i = 0; i < normal.length(); ) {
            int c = normal.codePointAt(i);
            i += Character.charCount(c);
            if (prohibited(c)) {
                return password;
            }
            byte d = Character.getDirectionality(c);
            randAL |= d == Character.DIRECTIONALITY_RIGHT_TO_LEFT || d == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC;
            l |= d == Character.DIRECTIONALITY_LEFT_TO_RIGHT;
        }
        if (randAL && (l || !rightToLeft(normal.codePointAt(0))
                || !rightToLeft(normal.codePointBefore(normal.length())))) {
            return password;
        }
        return normal;
    }

    private static boolean rightToLeft(int c) {
        byte d = Character.getDirectionality(c);
        return d == Character.DIRECTIONALITY_RIGHT_TO_LEFT || d == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC;
    }

    /** RFC 3454 table C.1.2. */
    private static boolean nonAsciiSpace(int c) {
        return c == 0x00A0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200B) || c == 0x202F || c == 0x205F || c == 0x3000;
    }

    /** RFC 3454 table B.1. */
    private static boolean mappedToNothing(int c) {
        return c == 0x00AD || c == 0x034F || c == 0x1806 || (c >= 0x180B && c <= 0x180D) || (c >= 0x200B && c <= 0x200D)
                || c == 0x2060 || (c >= 0xFE00 && c <= 0xFE0F) || c == 0xFEFF;
    }

    /** RFC 3454 tables C.1.2 to C.9, and A.1 approximated by the JDK's unassigned code points. */
    private static boolean prohibited(int c) {
        if (nonAsciiSpace(c) || c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
            return true; // C.1.2, C.2.1, C.2.2 (first part)
        }
        int type = Character.getType(c);
        if (type == Character.UNASSIGNED || type == Character.PRIVATE_USE || type == Character.SURROGATE) {
            return true; // A.1, C.3, C.5 (non-characters are unassigned too: C.4)
        }
        return c == 0x06DD || c == 0x070F || c == 0x180E || c == 0x200C || c == 0x200D || c == 0x2028 || c == 0x2029
                || (c >= 0x2060 && c <= 0x2063) || (c >= 0x206A && c <= 0x206F) || c == 0xFEFF
                || (c >= 0xFFF9 && c <= 0xFFFD) || (c >= 0x1D173 && c <= 0x1D17A)     // C.2.2, C.6
                || (c >= 0x2FF0 && c <= 0x2FFB)                                       // C.7
                || c == 0x0340 || c == 0x0341 || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) // C.8
                || c == 0xE0001 || (c >= 0xE0020 && c <= 0xE007F)                     // C.9
                || (c & 0xFFFE) == 0xFFFE || (c >= 0xFDD0 && c <= 0xFDEF);            // C.4
    }
}
