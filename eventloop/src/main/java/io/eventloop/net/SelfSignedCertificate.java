package io.eventloop.net;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * A certificate that signs itself, and its private key, made in memory in milliseconds: the
 * identity of a development server or of a test's TLS server. <b>For development and tests only,
 * never for production</b>: nobody vouches for it, so a client trusts it only when told to trust
 * this very certificate ({@link #trustingContext()}, or the PEM from {@link #certificatePem()}
 * handed to another client), and the key is as safe as wherever the program puts it.
 *
 * <pre>{@code
 * SelfSignedCertificate cert = SelfSignedCertificate.generate();  // localhost, 127.0.0.1, ::1
 * SSLContext server = cert.serverContext();
 * SSLContext client = cert.trustingContext();                       // trusts this certificate only
 * cert.writeTo(Path.of("cert.pem"), Path.of("key.pem"));            // for curl --cacert cert.pem
 * }</pre>
 *
 * <p>The certificate is X.509 v3 with an EC P-256 key and an ECDSA-SHA256 signature; its subject
 * and issuer are {@code CN=} the first name. Every name goes into the subjectAltName extension,
 * an IP address literal as an IP address and anything else as a DNS name, because that extension
 * is what clients match the host against (RFC 6125, RFC 2818), not the common name. It is marked
 * as a CA (basicConstraints {@code cA=TRUE}, critical; keyUsage {@code keyCertSign}) so that
 * OpenSSL accepts it as its own trust anchor ({@code openssl verify -CAfile cert.pem cert.pem},
 * {@code curl --cacert}), and for both TLS server and client authentication.
 *
 * <p>Compared with Netty's {@code SelfSignedCertificate}: that one makes an RSA 2048 key by
 * default and a certificate for one name, valid from a year ago to the year 9999, writes both to
 * temporary files at once, and builds the certificate with the JDK's internal
 * {@code sun.security.x509}, or BouncyCastle when that fails. This one always makes an EC key
 * (about 1 ms once warm on a 2-core machine, against some 200 ms for RSA 2048), takes any number
 * of host names and IP addresses, is valid for 30 days by default, writes files only when asked,
 * and encodes the certificate itself ({@code Der}) with public JDK APIs only. Compared with Python,
 * where the standard {@code ssl} module cannot make a certificate and tests use {@code trustme}:
 * trustme makes a CA and issues a separate server certificate from it
 * ({@code ca.issue_cert("localhost")}), and its {@code configure_cert} / {@code configure_trust}
 * correspond to {@link #serverContext()} / {@link #trustingContext()} here. A certificate that is
 * its own CA, as here, is accepted by the JDK and OpenSSL; Firefox refuses a CA certificate as a
 * server's own, so for browsers use a tool that makes a local CA, such as {@code mkcert}.
 *
 * <p>Instances are immutable and may be shared between threads.
 */
public final class SelfSignedCertificate {
    private static final List<String> DEFAULT_NAMES = List.of("localhost", "127.0.0.1", "::1");
    /** Backdated, so that a client whose clock runs a little behind accepts a fresh certificate. */
    private static final Duration DEFAULT_BACKDATE = Duration.ofHours(1);
    /** Short, so that a development key that leaks stops working soon. */
    private static final Duration DEFAULT_LIFETIME = Duration.ofDays(30);

    private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
    private static final String OID_ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2"; // RFC 5758 section 3.2
    private static final String OID_COMMON_NAME = "2.5.4.3";
    private static final String OID_SUBJECT_ALT_NAME = "2.5.29.17";
    private static final String OID_KEY_USAGE = "2.5.29.15";
    private static final String OID_BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String OID_EXTENDED_KEY_USAGE = "2.5.29.37";
    private static final String OID_SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String OID_CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    /** GeneralName tags (RFC 5280 section 4.2.1.6). */
    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;
    /**
     * keyUsage bits digitalSignature (0) and keyCertSign (5), the first bit the most significant:
     * 1000 0100. DER drops trailing zero bits of a named bit list, so 2 bits are unused.
     */
    private static final byte[] KEY_USAGE_BITS = {(byte) 0x84};
    private static final int KEY_USAGE_UNUSED_BITS = 2;

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    /** Serial numbers; {@code SecureRandom} is safe for concurrent use. */
    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate certificate;
    private final PrivateKey privateKey;
    private final List<String> names;

    private SelfSignedCertificate(X509Certificate certificate, PrivateKey privateKey, List<String> names) {
        this.certificate = certificate;
        this.privateKey = privateKey;
        this.names = names;
    }

    /**
     * A certificate for {@code names} (host names and IP address literals), valid from one hour
     * ago to 30 days from now. With no names, the names are {@code localhost}, {@code 127.0.0.1}
     * and {@code ::1}: what a client on the same machine connects to.
     *
     * @param names the host names and addresses the certificate is for, the common name first
     * @return a new key pair and certificate
     * @throws IllegalArgumentException if a name is null, blank, not ASCII or a malformed address
     */
    public static SelfSignedCertificate generate(String... names) {
        Instant now = Instant.now();
        List<String> list = names.length == 0 ? DEFAULT_NAMES : Arrays.asList(names);
        return generate(list, now.minus(DEFAULT_BACKDATE), now.plus(DEFAULT_LIFETIME));
    }

    /**
     * A certificate for {@code names} (host names and IP address literals; the first is also the
     * common name), valid from {@code notBefore} to {@code notAfter}. X.509 keeps whole seconds,
     * so both are truncated to the second. A validity in the past makes an expired certificate,
     * which tests of certificate checking need.
     *
     * @param names the host names and addresses the certificate is for, the common name first
     * @param notBefore the start of its validity
     * @param notAfter the end of its validity
     * @return a new key pair and certificate
     * @throws IllegalArgumentException if {@code names} is empty, a name is null, blank, not ASCII
     *     (give an internationalised name in its {@code xn--} form) or a malformed address, if
     *     {@code notBefore} is not before {@code notAfter}, or if either lies outside the years 0
     *     to 9999
     */
    public static SelfSignedCertificate generate(List<String> names, Instant notBefore, Instant notAfter) {
        Objects.requireNonNull(names, "names");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        if (names.isEmpty()) {
            throw new IllegalArgumentException("names is empty: a certificate needs at least one name");
        }
        if (!notBefore.isBefore(notAfter)) {
            throw new IllegalArgumentException("notBefore " + notBefore + " is not before notAfter " + notAfter);
        }
        byte[][] generalNames = new byte[names.size()][];
        for (int i = 0; i < generalNames.length; i++) {
            generalNames[i] = generalName(names.get(i), names);
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();

            byte[] subject = Der.sequence(Der.set(Der.sequence(Der.oid(OID_COMMON_NAME), Der.utf8String(names.get(0)))));
            byte[] signatureAlgorithm = Der.sequence(Der.oid(OID_ECDSA_WITH_SHA256)); // no parameters: RFC 5758 3.2
            byte[] extensions = Der.sequence(
                    extension(OID_SUBJECT_ALT_NAME, false, Der.sequence(generalNames)),
                    extension(OID_BASIC_CONSTRAINTS, true, Der.sequence(Der.bool(true))),
                    extension(OID_KEY_USAGE, true, Der.bitString(KEY_USAGE_BITS, KEY_USAGE_UNUSED_BITS)),
                    extension(OID_EXTENDED_KEY_USAGE, false, Der.sequence(Der.oid(OID_SERVER_AUTH), Der.oid(OID_CLIENT_AUTH))));
            byte[] tbsCertificate = Der.sequence(
                    Der.explicit(0, Der.integer(2)), // version v3
                    Der.integer(serialNumber()),
                    signatureAlgorithm,
                    subject, // issuer
                    Der.sequence(Der.time(notBefore), Der.time(notAfter)),
                    subject,
                    keys.getPublic().getEncoded(), // already a SubjectPublicKeyInfo
                    Der.explicit(3, extensions));

            Signature signer = Signature.getInstance(SIGNATURE_ALGORITHM);
            signer.initSign(keys.getPrivate());
            signer.update(tbsCertificate);
            byte[] der = Der.sequence(tbsCertificate, signatureAlgorithm, Der.bitString(signer.sign(), 0));

            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
            return new SelfSignedCertificate(certificate, keys.getPrivate(), List.copyOf(names));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a self-signed certificate for " + names, e);
        }
    }

    /**
     * The certificate, parsed by the JDK's X.509 certificate factory.
     *
     * @return the certificate
     */
    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * The EC P-256 private key of the certificate.
     *
     * @return the private key
     */
    public PrivateKey privateKey() {
        return privateKey;
    }

    /**
     * The names the certificate is for, as given (or the defaults), the common name first.
     *
     * @return the names, the common name first
     */
    public List<String> names() {
        return names;
    }

    /**
     * The certificate as one PEM {@code CERTIFICATE} block, what clients take as a CA file.
     *
     * @return the PEM text of the certificate
     */
    public String certificatePem() {
        return Pem.certificatesPem(List.of(certificate));
    }

    /**
     * The private key as an unencrypted PKCS#8 PEM {@code PRIVATE KEY} block.
     *
     * @return the PEM text of the key
     */
    public String privateKeyPem() {
        return Pem.privateKeyPem(privateKey);
    }

    /**
     * Writes the certificate PEM to {@code certificateFile} and the private key PEM to
     * {@code keyFile}, for a server or client outside this JVM ({@code openssl s_server -cert
     * -key}, {@code curl --cacert}). Where the file system has POSIX permissions, the key file is
     * created readable and writable by its owner only ({@code rw-------}, as {@code ssh} and
     * PostgreSQL require of a key file) from the start, so the key is never readable by others, not even
     * for a moment. An existing key file is therefore deleted and made anew rather than
     * overwritten: it would keep its old permissions. An existing certificate file is overwritten.
     *
     * @param certificateFile where to write the certificate
     * @param keyFile where to write the private key
     * @throws IOException if either file cannot be written
     */
    public void writeTo(Path certificateFile, Path keyFile) throws IOException {
        Files.writeString(certificateFile, certificatePem(), StandardCharsets.US_ASCII);
        FileAttribute<?>[] ownerOnly = keyFile.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
        Files.deleteIfExists(keyFile);
        ByteBuffer pem = ByteBuffer.wrap(privateKeyPem().getBytes(StandardCharsets.US_ASCII));
        try (SeekableByteChannel out = Files.newByteChannel(
                keyFile, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), ownerOnly)) {
            while (pem.hasRemaining()) {
                out.write(pem);
            }
        }
    }

    /**
     * An {@code SSLContext} for a server that presents this certificate.
     *
     * @return a new context with this key and certificate
     */
    public SSLContext serverContext() {
        return Pem.serverContext(List.of(certificate), privateKey);
    }

    /**
     * An {@code SSLContext} for a client that trusts this certificate and no other (not the JDK's
     * {@code cacerts}). Host names are checked only if the client turns endpoint identification
     * on ({@code SSLParameters.setEndpointIdentificationAlgorithm("HTTPS")}), as it should.
     *
     * @return a new context trusting this certificate
     */
    public SSLContext trustingContext() {
        return Pem.trustingContext(List.of(certificate));
    }

    /** The subject, names and expiry; never the key. */
    @Override
    public String toString() {
        return "SelfSignedCertificate[" + certificate.getSubjectX500Principal().getName() + ", names=" + names
                + ", notAfter=" + certificate.getNotAfter().toInstant() + "]";
    }

    private static byte[] extension(String oid, boolean critical, byte[] value) {
        // critical is BOOLEAN DEFAULT FALSE, and DER leaves out a field that has its default value
        return critical
                ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octetString(value))
                : Der.sequence(Der.oid(oid), Der.octetString(value));
    }

    private static byte[] generalName(String name, List<String> names) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("names " + names + " holds a null or blank name");
        }
        if (Resolver.isLiteral(name)) {
            return Der.implicit(IP_ADDRESS, address(name).getAddress());
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c > '~') {
                throw new IllegalArgumentException("name \"" + name + "\" is not an ASCII host name"
                        + " (give an internationalised name in its xn-- form: java.net.IDN.toASCII)");
            }
        }
        return Der.implicit(DNS_NAME, name.getBytes(StandardCharsets.US_ASCII)); // an IA5String
    }

    private static InetAddress address(String literal) {
        String bare = literal.startsWith("[") && literal.endsWith("]") ? literal.substring(1, literal.length() - 1) : literal;
        if (bare.indexOf('%') >= 0) {
            throw new IllegalArgumentException("name \"" + literal + "\" has a scope, which a certificate cannot hold");
        }
        try {
            // Brackets make getByName parse an IPv6 literal or fail; without them, a string that
            // fails to parse as one could go to DNS.
            return InetAddress.getByName(bare.indexOf(':') >= 0 ? "[" + bare + "]" : bare);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("name \"" + literal + "\" is not a valid IP address", e);
        }
    }

    /** Positive and random: RFC 5280 section 4.1.2.2 allows up to 20 octets; this takes 16. */
    private static BigInteger serialNumber() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }
}
