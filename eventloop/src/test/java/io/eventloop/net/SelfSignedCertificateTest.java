package io.eventloop.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(NoLeaks.class)
class SelfSignedCertificateTest {
    @TempDir
    Path dir;

    @Test
    void noNamesMeansLocalhostAndBothLoopbackAddresses() throws Exception {
        SelfSignedCertificate generated = SelfSignedCertificate.generate();

        assertEquals(List.of("localhost", "127.0.0.1", "::1"), generated.names());
        assertEquals(List.of(List.of(2, "localhost"), List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1")),
                List.copyOf(generated.certificate().getSubjectAlternativeNames()));
        assertEquals("CN=localhost", generated.certificate().getSubjectX500Principal().getName());
    }

    @Test
    void certificateIsAVersion3CaThatSignedItselfWithEcdsa() throws Exception {
        X509Certificate cert = SelfSignedCertificate.generate("a.test", "b.test").certificate();

        assertEquals(3, cert.getVersion());
        assertEquals(cert.getSubjectX500Principal(), cert.getIssuerX500Principal());
        assertEquals("CN=a.test", cert.getSubjectX500Principal().getName());
        assertEquals("SHA256withECDSA", cert.getSigAlgName());
        cert.verify(cert.getPublicKey());
        assertEquals(256, ((ECPublicKey) cert.getPublicKey()).getParams().getCurve().getField().getFieldSize());
        assertEquals(Integer.MAX_VALUE, cert.getBasicConstraints(), "cA=TRUE without a path length limit");
        assertTrue(cert.getCriticalExtensionOIDs().containsAll(List.of("2.5.29.19", "2.5.29.15")));
        boolean[] keyUsage = cert.getKeyUsage();
        assertTrue(keyUsage[0], "digitalSignature");
        assertTrue(keyUsage[5], "keyCertSign");
        assertEquals(2, countTrue(keyUsage));
        assertEquals(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"), cert.getExtendedKeyUsage());
        assertEquals(List.of(List.of(2, "a.test"), List.of(2, "b.test")), List.copyOf(cert.getSubjectAlternativeNames()));
    }

    @Test
    void serialNumbersArePositiveRandomAndOfAtLeast64Bits() {
        BigInteger first = SelfSignedCertificate.generate().certificate().getSerialNumber();
        BigInteger second = SelfSignedCertificate.generate().certificate().getSerialNumber();

        assertEquals(1, first.signum());
        assertTrue(first.bitLength() > 64, first.toString(16));
        assertFalse(first.equals(second));
    }

    @Test
    void defaultValidityIsFromAnHourAgoToThirtyDaysAhead() {
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        X509Certificate cert = SelfSignedCertificate.generate().certificate();
        Instant after = Instant.now();

        Instant notBefore = cert.getNotBefore().toInstant();
        Instant notAfter = cert.getNotAfter().toInstant();
        assertFalse(notBefore.isBefore(before.minus(Duration.ofHours(1))), notBefore.toString());
        assertFalse(notBefore.isAfter(after.minus(Duration.ofHours(1))), notBefore.toString());
        assertEquals(Duration.ofDays(30).plusHours(1), Duration.between(notBefore, notAfter));
    }

    @Test
    void validityIsKeptToTheSecondOnBothSidesOf2050() {
        // UTCTime up to 2049, GeneralizedTime from 2050 (RFC 5280 4.1.2.5)
        Instant notBefore = Instant.parse("2049-12-31T23:59:59.750Z");
        Instant notAfter = Instant.parse("2050-01-01T00:00:01Z");

        X509Certificate cert = SelfSignedCertificate.generate(List.of("localhost"), notBefore, notAfter).certificate();

        assertEquals(Instant.parse("2049-12-31T23:59:59Z"), cert.getNotBefore().toInstant());
        assertEquals(notAfter, cert.getNotAfter().toInstant());
    }

    @Test
    void opensslShowsEveryNameAndTheExtensions() throws Exception {
        SelfSignedCertificate.generate().writeTo(dir.resolve("cert.pem"), dir.resolve("key.pem"));

        String text = Openssl.run(dir, "x509", "-noout", "-text", "-in", "cert.pem");

        assertTrue(text.contains("DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1"), text);
        assertTrue(text.contains("X509v3 Basic Constraints: critical\n                CA:TRUE"), text);
        assertTrue(text.contains("X509v3 Key Usage: critical\n                Digital Signature, Certificate Sign"), text);
        assertTrue(text.contains("TLS Web Server Authentication, TLS Web Client Authentication"), text);
        assertTrue(text.contains("Subject: CN = localhost"), text);
    }

    @Test
    void opensslVerifiesItAsItsOwnRoot() throws Exception {
        SelfSignedCertificate.generate().writeTo(dir.resolve("cert.pem"), dir.resolve("key.pem"));

        assertEquals("cert.pem: OK\n", Openssl.run(dir, "verify", "-CAfile", "cert.pem", "cert.pem"));
    }

    @Test
    void opensslFindsTheKeyToMatchTheCertificate() throws Exception {
        SelfSignedCertificate.generate().writeTo(dir.resolve("cert.pem"), dir.resolve("key.pem"));

        String fromKey = Openssl.run(dir, "pkey", "-in", "key.pem", "-pubout");
        String fromCertificate = Openssl.run(dir, "x509", "-in", "cert.pem", "-noout", "-pubkey");

        assertEquals(fromCertificate, fromKey);
    }

    @Test
    void jdkHandshakeSucceedsForEachName() throws Exception {
        SelfSignedCertificate generated = SelfSignedCertificate.generate();

        Handshake.between(generated.serverContext(), generated.trustingContext(), "localhost");
        Handshake.between(generated.serverContext(), generated.trustingContext(), "127.0.0.1");
    }

    @Test
    void jdkHandshakeFailsHostnameVerificationForAnotherName() {
        SelfSignedCertificate generated = SelfSignedCertificate.generate("example.com");

        SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                () -> Handshake.between(generated.serverContext(), generated.trustingContext(), "localhost"));

        assertTrue(causes(e).contains("No subject alternative DNS name matching localhost found"), causes(e));
    }

    @Test
    void expiredCertificateIsRejected() {
        Instant now = Instant.now();
        SelfSignedCertificate expired = SelfSignedCertificate.generate(
                List.of("localhost"), now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1)));

        SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                () -> Handshake.between(expired.serverContext(), expired.trustingContext(), "localhost"));

        assertTrue(hasCause(e, CertificateExpiredException.class), causes(e));
    }

    @Test
    void certificateNotYetValidIsRejected() {
        Instant now = Instant.now();
        SelfSignedCertificate future = SelfSignedCertificate.generate(
                List.of("localhost"), now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(2)));

        SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                () -> Handshake.between(future.serverContext(), future.trustingContext(), "localhost"));

        assertTrue(hasCause(e, CertificateNotYetValidException.class), causes(e));
    }

    @Test
    void keyFileIsReadableAndWritableByItsOwnerOnly() throws Exception {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "needs POSIX permissions");
        SelfSignedCertificate generated = SelfSignedCertificate.generate();
        Path key = dir.resolve("key.pem");

        generated.writeTo(dir.resolve("cert.pem"), key);

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertEquals(generated.privateKeyPem(), Files.readString(key));
        assertEquals(generated.certificatePem(), Files.readString(dir.resolve("cert.pem")));
    }

    @Test
    void existingKeyFileIsReplacedNotLeftReadableByOthers() throws Exception {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "needs POSIX permissions");
        Path key = Files.writeString(dir.resolve("key.pem"), "an older, longer key file than the new one\n".repeat(20));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        SelfSignedCertificate generated = SelfSignedCertificate.generate();

        generated.writeTo(dir.resolve("cert.pem"), key);

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertEquals(generated.privateKeyPem(), Files.readString(key));
    }

    @Test
    void writtenFilesReadBackThroughPem() throws Exception {
        SelfSignedCertificate generated = SelfSignedCertificate.generate("localhost");
        generated.writeTo(dir.resolve("cert.pem"), dir.resolve("key.pem"));

        assertEquals(List.of(generated.certificate()), Pem.readCertificates(dir.resolve("cert.pem")));
        assertArrayEquals(generated.privateKey().getEncoded(), Pem.readPrivateKey(dir.resolve("key.pem")).getEncoded());
    }

    @Test
    void keyOfAnotherCertificateIsRefusedNamingTheSubject() {
        SelfSignedCertificate alpha = SelfSignedCertificate.generate("alpha.test");
        SelfSignedCertificate beta = SelfSignedCertificate.generate("beta.test");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Pem.serverContext(List.of(alpha.certificate()), beta.privateKey()));

        assertEquals("the EC private key does not belong to the certificate of CN=alpha.test (whose public key is EC)",
                e.getMessage());
    }

    @Test
    void emptyNamesAreRefused() {
        Instant now = Instant.now();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SelfSignedCertificate.generate(List.of(), now, now.plusSeconds(60)));

        assertEquals("names is empty: a certificate needs at least one name", e.getMessage());
    }

    @Test
    void validityThatEndsBeforeItBeginsIsRefusedNamingBothInstants() {
        Instant notBefore = Instant.parse("2030-01-02T00:00:00Z");
        Instant notAfter = Instant.parse("2030-01-01T00:00:00Z");

        IllegalArgumentException backwards = assertThrows(IllegalArgumentException.class,
                () -> SelfSignedCertificate.generate(List.of("localhost"), notBefore, notAfter));
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> SelfSignedCertificate.generate(List.of("localhost"), notBefore, notBefore));

        assertEquals("notBefore 2030-01-02T00:00:00Z is not before notAfter 2030-01-01T00:00:00Z", backwards.getMessage());
        assertEquals("notBefore 2030-01-02T00:00:00Z is not before notAfter 2030-01-02T00:00:00Z", empty.getMessage());
    }

    @Test
    void validityBeyondTheYear9999IsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SelfSignedCertificate.generate(
                List.of("localhost"), Instant.parse("2030-01-01T00:00:00Z"), Instant.parse("+10000-01-01T00:00:00Z")));

        assertTrue(e.getMessage().contains("+10000-01-01T00:00:00Z"), e.getMessage());
    }

    @Test
    void malformedNamesAreRefusedNamingThem() {
        assertEquals("names [localhost,  ] holds a null or blank name",
                assertThrows(IllegalArgumentException.class, () -> SelfSignedCertificate.generate("localhost", " ")).getMessage());
        assertEquals("names [null] holds a null or blank name",
                assertThrows(IllegalArgumentException.class, () -> SelfSignedCertificate.generate((String) null)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SelfSignedCertificate.generate("bücher.example"))
                .getMessage().startsWith("name \"bücher.example\" is not an ASCII host name"));
        assertEquals("name \"::g\" is not a valid IP address",
                assertThrows(IllegalArgumentException.class, () -> SelfSignedCertificate.generate("::g")).getMessage());
        assertEquals("name \"fe80::1%lo\" has a scope, which a certificate cannot hold",
                assertThrows(IllegalArgumentException.class, () -> SelfSignedCertificate.generate("fe80::1%lo")).getMessage());
    }

    @Test
    void bracketedIpv6LiteralIsAnAddress() throws Exception {
        X509Certificate cert = SelfSignedCertificate.generate("[::1]").certificate();

        assertEquals(List.of(List.of(7, "0:0:0:0:0:0:0:1")), List.copyOf(cert.getSubjectAlternativeNames()));
    }

    @Test
    void pemAccessorsGiveOneBlockEach() {
        SelfSignedCertificate generated = SelfSignedCertificate.generate();

        assertTrue(generated.certificatePem().startsWith("-----BEGIN CERTIFICATE-----\n"));
        assertTrue(generated.certificatePem().endsWith("-----END CERTIFICATE-----\n"));
        assertTrue(generated.privateKeyPem().startsWith("-----BEGIN PRIVATE KEY-----\n"));
        assertFalse(generated.toString().contains(generated.privateKeyPem().substring(28, 60)), "no key in toString");
        assertNotNull(generated.toString());
    }

    private static int countTrue(boolean[] bits) {
        int n = 0;
        for (boolean b : bits) {
            n += b ? 1 : 0;
        }
        return n;
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String causes(Throwable t) {
        StringBuilder out = new StringBuilder();
        for (; t != null; t = t.getCause()) {
            out.append(t).append('\n');
        }
        return out.toString();
    }
}
