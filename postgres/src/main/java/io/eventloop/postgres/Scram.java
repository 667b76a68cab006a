package io.eventloop.postgres;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client side of SCRAM-SHA-256 (RFC 5802 and 7677) as PostgreSQL uses it, without channel
 * binding ({@code n,,}), and the MD5 password hash. Built on {@code javax.crypto}'s HMAC; the
 * salted password is RFC 5802's {@code Hi()} written out, over the UTF-8 of the password after
 * {@link SaslPrep} (as PostgreSQL prepares it when it stores the verifier). {@link #clientFinal}
 * runs the {@code Hi()} iterations (4,096 by default, a few milliseconds), so {@link Login} calls
 * it off the loop thread.
 *
 * <pre>
 *   client-first   n,,n=,r=CLIENT_NONCE                       (SASLInitialResponse)
 *   server-first   r=CLIENT_NONCE+SERVER_NONCE,s=SALT,i=ITER   (AuthenticationSASLContinue)
 *   client-final   c=biws,r=NONCE,p=PROOF                      (SASLResponse)
 *   server-final   v=SERVER_SIGNATURE                          (AuthenticationSASLFinal), checked
 * </pre>
 * The user name is empty in the exchange: PostgreSQL takes the one of the startup message.
 */
final class Scram {
    static final String MECHANISM = "SCRAM-SHA-256";

    private final byte[] password;
    private final String clientNonce;
    private final String clientFirstBare;
    private String authMessage;
    private byte[] saltedPassword;

    Scram(String password) {
        this.password = SaslPrep.prepare(password).getBytes(UTF_8);
        byte[] nonce = new byte[18];
        new SecureRandom().nextBytes(nonce);
        this.clientNonce = Base64.getEncoder().encodeToString(nonce);
        this.clientFirstBare = "n=,r=" + clientNonce;
    }

    byte[] clientFirst() {
        return ("n,," + clientFirstBare).getBytes(UTF_8);
    }

    /** The client-final message for the server-first one; fails naming what is wrong with it. */
    byte[] clientFinal(String serverFirst) throws PgConnectionException {
        String nonce = null;
        String salt = null;
        int iterations = -1;
        for (String part : serverFirst.split(",")) {
            if (part.startsWith("r=")) {
                nonce = part.substring(2);
            } else if (part.startsWith("s=")) {
                salt = part.substring(2);
            } else if (part.startsWith("i=")) {
                try {
                    iterations = Integer.parseInt(part.substring(2));
                } catch (NumberFormatException e) {
                    iterations = -1;
                }
            }
        }
        if (nonce == null || salt == null || iterations < 1 || !nonce.startsWith(clientNonce)
                || nonce.length() == clientNonce.length()) {
            throw new PgConnectionException("malformed SCRAM server-first message: " + MessageWriter.abbreviate(serverFirst));
        }
        byte[] saltBytes;
        try {
            saltBytes = Base64.getDecoder().decode(salt);
        } catch (IllegalArgumentException e) {
            throw new PgConnectionException("malformed SCRAM salt: " + salt, e);
        }
        String withoutProof = "c=biws,r=" + nonce;
        authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        saltedPassword = hi(password, saltBytes, iterations);
        byte[] clientKey = hmac(saltedPassword, "Client Key".getBytes(UTF_8));
        byte[] storedKey = sha256(clientKey);
        byte[] signature = hmac(storedKey, authMessage.getBytes(UTF_8));
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ signature[i]);
        }
        return (withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)).getBytes(UTF_8);
    }

    /** Checks the server's signature: a server that does not know the password cannot make it. */
    void checkServerFinal(String serverFinal) throws PgConnectionException {
        if (authMessage == null || !serverFinal.startsWith("v=")) {
            throw new PgConnectionException("malformed SCRAM server-final message: " + MessageWriter.abbreviate(serverFinal));
        }
        byte[] serverKey = hmac(saltedPassword, "Server Key".getBytes(UTF_8));
        byte[] expected = hmac(serverKey, authMessage.getBytes(UTF_8));
        byte[] got;
        try {
            got = Base64.getDecoder().decode(serverFinal.substring(2).split(",")[0]);
        } catch (IllegalArgumentException e) {
            throw new PgConnectionException("malformed SCRAM server signature: " + serverFinal, e);
        }
        if (!MessageDigest.isEqual(expected, got)) {
            throw new PgConnectionException("the server's SCRAM signature is wrong: it does not know the password"
                    + " (a server in the middle?)");
        }
    }

    /** RFC 5802's Hi(): PBKDF2 with HMAC-SHA-256, one block. */
    private static byte[] hi(byte[] password, byte[] salt, int iterations) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(password.length == 0 ? new byte[1] : password, "HmacSHA256"));
            mac.update(salt);
            mac.update(new byte[] {0, 0, 0, 1});
            byte[] u = mac.doFinal();
            byte[] result = u.clone();
            for (int i = 1; i < iterations; i++) {
                u = mac.doFinal(u);
                for (int j = 0; j < result.length; j++) {
                    result[j] ^= u[j];
                }
            }
            return result;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** PostgreSQL's MD5 answer: "md5" + md5hex(md5hex(password + user) + salt). */
    static String md5(String user, String password, byte[] salt) {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            md.update(password.getBytes(UTF_8));
            md.update(user.getBytes(UTF_8));
            String inner = HexFormat.of().formatHex(md.digest());
            md.update(inner.getBytes(UTF_8));
            md.update(salt);
            return "md5" + HexFormat.of().formatHex(md.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("MD5 is missing from this JDK", e);
        }
    }
}
