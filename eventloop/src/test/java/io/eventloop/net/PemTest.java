package io.eventloop.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(NoLeaks.class)
class PemTest {
    @TempDir
    Path dir;

    @Test
    void certificateAndKeyReadBackAsWritten() throws Exception {
        SelfSignedCertificate generated = SelfSignedCertificate.generate();
        Path cert = Files.writeString(dir.resolve("cert.pem"), Pem.certificatesPem(List.of(generated.certificate())));
        Path key = Files.writeString(dir.resolve("key.pem"), Pem.privateKeyPem(generated.privateKey()));

        List<X509Certificate> read = Pem.readCertificates(cert);
        assertEquals(1, read.size());
        assertArrayEquals(generated.certificate().getEncoded(), read.get(0).getEncoded());
        assertArrayEquals(generated.privateKey().getEncoded(), Pem.readPrivateKey(key).getEncoded());
    }

    @Test
    void chainIsReadInFileOrder() throws Exception {
        X509Certificate leaf = SelfSignedCertificate.generate("leaf.test").certificate();
        X509Certificate issuer = SelfSignedCertificate.generate("issuer.test").certificate();
        Path file = Files.writeString(dir.resolve("chain.pem"), Pem.certificatesPem(List.of(leaf, issuer)));

        assertEquals(List.of(leaf, issuer), Pem.readCertificates(file));
    }

    @Test
    void writtenPemHasLinesOf64CharactersEndedByNewline() {
        String pem = Pem.privateKeyPem(SelfSignedCertificate.generate().privateKey());

        assertTrue(pem.startsWith("-----BEGIN PRIVATE KEY-----\n"), pem);
        assertTrue(pem.endsWith("\n-----END PRIVATE KEY-----\n"), pem);
        assertTrue(pem.indexOf('\r') < 0, "no carriage return");
        String[] lines = pem.split("\n");
        for (int i = 1; i < lines.length - 2; i++) {
            assertEquals(64, lines[i].length(), "line " + (i + 1) + " of\n" + pem);
        }
        assertTrue(lines[lines.length - 2].length() <= 64);
    }

    @Test
    void textAroundBlocksIsIgnored() throws Exception {
        SelfSignedCertificate generated = SelfSignedCertificate.generate();
        Path file = Files.writeString(dir.resolve("both.pem"), "Bag Attributes\n    friendlyName: server\r\n"
                + generated.certificatePem().replace("\n", "\r\n") + "subject=CN = localhost\n" + generated.privateKeyPem());

        assertEquals(List.of(generated.certificate()), Pem.readCertificates(file));
        assertArrayEquals(generated.privateKey().getEncoded(), Pem.readPrivateKey(file).getEncoded());
    }

    @Test
    void rsaPkcs8KeyFromOpensslIsRead() throws Exception {
        Openssl.run(dir, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "rsa.pem");
        assertTrue(Files.readString(dir.resolve("rsa.pem")).startsWith("-----BEGIN PRIVATE KEY-----"));

        PrivateKey key = Pem.readPrivateKey(dir.resolve("rsa.pem"));

        assertEquals(2048, assertInstanceOf(RSAPrivateCrtKey.class, key).getModulus().bitLength());
    }

    @Test
    void rsaPkcs1KeyFromOpensslReadsAsTheSameKeyInPkcs8() throws Exception {
        Openssl.run(dir, "genrsa", "-traditional", "-out", "rsa1.pem", "2048");
        Openssl.run(dir, "pkcs8", "-topk8", "-nocrypt", "-in", "rsa1.pem", "-out", "rsa8.pem");
        assertTrue(Files.readString(dir.resolve("rsa1.pem")).startsWith("-----BEGIN RSA PRIVATE KEY-----"));

        PrivateKey fromPkcs1 = Pem.readPrivateKey(dir.resolve("rsa1.pem"));
        PrivateKey fromPkcs8 = Pem.readPrivateKey(dir.resolve("rsa8.pem"));

        assertEquals("RSA", fromPkcs1.getAlgorithm());
        assertEquals(fromPkcs8, fromPkcs1);
    }

    @Test
    void ecPkcs8KeyFromOpensslIsRead() throws Exception {
        Openssl.run(dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "ec.pem");
        assertTrue(Files.readString(dir.resolve("ec.pem")).startsWith("-----BEGIN PRIVATE KEY-----"));

        PrivateKey key = Pem.readPrivateKey(dir.resolve("ec.pem"));

        assertEquals(256, assertInstanceOf(ECPrivateKey.class, key).getParams().getCurve().getField().getFieldSize());
    }

    @Test
    void ecSec1KeyFromOpensslReadsAsTheSameKeyInPkcs8() throws Exception {
        Openssl.run(dir, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "sec1.pem");
        Openssl.run(dir, "pkcs8", "-topk8", "-nocrypt", "-in", "sec1.pem", "-out", "ec8.pem");
        assertTrue(Files.readString(dir.resolve("sec1.pem")).startsWith("-----BEGIN EC PRIVATE KEY-----"));

        ECPrivateKey fromSec1 = assertInstanceOf(ECPrivateKey.class, Pem.readPrivateKey(dir.resolve("sec1.pem")));
        ECPrivateKey fromPkcs8 = (ECPrivateKey) Pem.readPrivateKey(dir.resolve("ec8.pem"));

        assertEquals(fromPkcs8.getS(), fromSec1.getS());
        assertEquals(fromPkcs8.getParams().toString(), fromSec1.getParams().toString());
    }

    @Test
    void ecSec1KeyAfterItsParametersBlockIsRead() throws Exception {
        // without -noout, openssl writes an EC PARAMETERS block before the key
        Openssl.run(dir, "ecparam", "-name", "prime256v1", "-genkey", "-out", "sec1.pem");

        assertInstanceOf(ECPrivateKey.class, Pem.readPrivateKey(dir.resolve("sec1.pem")));
    }

    @Test
    void ecSec1KeyWithExplicitCurveParametersIsRefused() throws Exception {
        Openssl.run(dir, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-param_enc", "explicit", "-out", "sec1.pem");
        Path file = dir.resolve("sec1.pem");

        IOException e = assertThrows(IOException.class, () -> Pem.readPrivateKey(file));

        assertEquals(file + ": the EC PRIVATE KEY block on line 1 does not name its curve (its parameters are missing "
                + "or explicit); only keys on a named curve can be read", e.getMessage());
    }

    @Test
    void ed25519KeyFromOpensslIsRead() throws Exception {
        Openssl.run(dir, "genpkey", "-algorithm", "ed25519", "-out", "ed.pem");

        assertEquals("EdDSA", Pem.readPrivateKey(dir.resolve("ed.pem")).getAlgorithm());
    }

    @Test
    void encryptedPkcs8KeyIsRefusedWithTheCommandThatDecryptsIt() throws Exception {
        Openssl.run(dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-aes-128-cbc", "-pass", "pass:secret", "-out", "enc.pem");
        Path file = dir.resolve("enc.pem");
        assertTrue(Files.readString(file).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));

        IOException e = assertThrows(IOException.class, () -> Pem.readPrivateKey(file));

        assertEquals(file + ": the private key is encrypted; keys must be unencrypted. "
                + "Decrypt it with: openssl pkey -in " + file + " -out " + file + ".plain", e.getMessage());
    }

    @Test
    void encryptedTraditionalKeyIsRefusedWithTheCommandThatDecryptsIt() throws Exception {
        Openssl.run(dir, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "sec1.pem");
        Openssl.run(dir, "ec", "-in", "sec1.pem", "-aes128", "-passout", "pass:secret", "-out", "enc.pem");
        Path file = dir.resolve("enc.pem");
        assertTrue(Files.readString(file).contains("Proc-Type: 4,ENCRYPTED"));

        IOException e = assertThrows(IOException.class, () -> Pem.readPrivateKey(file));

        assertTrue(e.getMessage().startsWith(file + ": the private key is encrypted; keys must be unencrypted"), e.getMessage());
        assertTrue(e.getMessage().contains("openssl pkey -in " + file + " -out " + file + ".plain"), e.getMessage());
    }

    @Test
    void fileWithoutKeyNamesTheFileAndTheAcceptedTypes() throws Exception {
        Path file = Files.writeString(dir.resolve("cert-only.pem"), SelfSignedCertificate.generate().certificatePem());

        IOException e = assertThrows(IOException.class, () -> Pem.readPrivateKey(file));

        assertEquals(file + ": no private key found; expected one -----BEGIN PRIVATE KEY----- (PKCS#8: RSA, EC, Ed25519), "
                + "-----BEGIN RSA PRIVATE KEY----- (PKCS#1) or -----BEGIN EC PRIVATE KEY----- (SEC1) "
                + "(the file holds CERTIFICATE)", e.getMessage());
    }

    @Test
    void keyOfAnUnsupportedTypeIsRefusedNamingTheAcceptedTypes() throws Exception {
        Path file = Files.writeString(dir.resolve("id_ed25519"),
                "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n");

        IOException e = assertThrows(IOException.class, () -> Pem.readPrivateKey(file));

        assertTrue(e.getMessage().startsWith(file + ": no private key found; expected one -----BEGIN PRIVATE KEY-----"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("(the file holds OPENSSH PRIVATE KEY)"), e.getMessage());
    }

    @Test
    void fileWithoutCertificateNamesTheFileAndWhatWasExpected() throws Exception {
        Path file = Files.writeString(dir.resolve("key-only.pem"), SelfSignedCertificate.generate().privateKeyPem());

        IOException e = assertThrows(IOException.class, () -> Pem.readCertificates(file));

        assertEquals(file + ": no certificate found; expected one or more -----BEGIN CERTIFICATE----- blocks "
                + "(the file holds PRIVATE KEY)", e.getMessage());
    }

    @Test
    void emptyFileHoldsNoPemBlock() throws Exception {
        Path file = Files.writeString(dir.resolve("empty.pem"), "");

        IOException e = assertThrows(IOException.class, () -> Pem.readCertificates(file));

        assertTrue(e.getMessage().endsWith("(the file holds no PEM block)"), e.getMessage());
    }

    @Test
    void blockWithoutEndLineIsRefusedNamingItsLine() throws Exception {
        Path file = Files.writeString(dir.resolve("cut.pem"), "\n-----BEGIN PRIVATE KEY-----\nMIIB\n");

        IOException e = assertThrows(IOException.class, () -> Pem.readPrivateKey(file));

        assertEquals(file + ": the PRIVATE KEY block on line 2 has no -----END PRIVATE KEY----- line", e.getMessage());
    }

    @Test
    void badBase64IsRefusedNamingTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.pem"), "-----BEGIN PRIVATE KEY-----\nMII*B\n-----END PRIVATE KEY-----\n");

        IOException e = assertThrows(IOException.class, () -> Pem.readPrivateKey(file));

        assertTrue(e.getMessage().startsWith(file + ": the PRIVATE KEY block on line 1 is not valid base64"), e.getMessage());
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
    }

    @Test
    void badDerIsRefusedNamingTheFile() throws Exception {
        String garbage = Base64.getEncoder().encodeToString(new byte[] {0x30, 0x05, 1, 2, 3});
        Path pkcs8 = Files.writeString(dir.resolve("pkcs8.pem"), pem("PRIVATE KEY", garbage));
        Path sec1 = Files.writeString(dir.resolve("sec1.pem"), pem("EC PRIVATE KEY", garbage));
        Path pkcs1 = Files.writeString(dir.resolve("pkcs1.pem"), pem("RSA PRIVATE KEY", garbage));
        Path cert = Files.writeString(dir.resolve("cert.pem"), pem("CERTIFICATE", garbage));

        for (Path file : List.of(pkcs8, sec1, pkcs1)) {
            IOException e = assertThrows(IOException.class, () -> Pem.readPrivateKey(file));
            assertTrue(e.getMessage().startsWith(file + ": the "), e.getMessage());
            assertNotNull(e.getCause(), "the parser's own exception");
        }
        IOException e = assertThrows(IOException.class, () -> Pem.readCertificates(cert));
        assertTrue(e.getMessage().startsWith(cert + ": the CERTIFICATE block on line 1 is not an X.509 certificate"),
                e.getMessage());
        assertNotNull(e.getCause());
    }

    @Test
    void severalKeysInOneFileAreRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("two.pem"), SelfSignedCertificate.generate().privateKeyPem()
                + SelfSignedCertificate.generate().privateKeyPem());

        IOException e = assertThrows(IOException.class, () -> Pem.readPrivateKey(file));

        assertTrue(e.getMessage().startsWith(file + ": 2 private keys found"), e.getMessage());
    }

    @Test
    void opensslCertificateAndKeyServeTls() throws Exception {
        Openssl.run(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-subj", "/CN=localhost", "-days", "1", "-keyout", "key.pem", "-out", "cert.pem");
        List<X509Certificate> chain = Pem.readCertificates(dir.resolve("cert.pem"));
        PrivateKey key = Pem.readPrivateKey(dir.resolve("key.pem"));

        // no subjectAltName in this certificate: the JDK matches "localhost" against its CN
        Handshake.between(Pem.serverContext(chain, key), Pem.trustingContext(chain), "localhost");
    }

    @Test
    void rsaKeyOfAnotherCertificateIsRefusedNamingTheSubject() throws Exception {
        Openssl.run(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=rsa.test", "-days", "1",
                "-keyout", "key.pem", "-out", "cert.pem");
        Openssl.run(dir, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "other.pem");
        List<X509Certificate> chain = Pem.readCertificates(dir.resolve("cert.pem"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Pem.serverContext(chain, Pem.readPrivateKey(dir.resolve("other.pem"))));

        assertTrue(e.getMessage().contains("CN=rsa.test"), e.getMessage());
        assertNotNull(Pem.serverContext(chain, Pem.readPrivateKey(dir.resolve("key.pem"))));
    }

    @Test
    void ed25519KeyIsCheckedAgainstItsCertificate() throws Exception {
        Openssl.run(dir, "req", "-x509", "-newkey", "ed25519", "-nodes", "-subj", "/CN=ed.test", "-days", "1",
                "-keyout", "key.pem", "-out", "cert.pem");
        Openssl.run(dir, "genpkey", "-algorithm", "ed25519", "-out", "other.pem");
        List<X509Certificate> chain = Pem.readCertificates(dir.resolve("cert.pem"));

        assertNotNull(Pem.serverContext(chain, Pem.readPrivateKey(dir.resolve("key.pem"))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Pem.serverContext(chain, Pem.readPrivateKey(dir.resolve("other.pem"))));
        assertEquals("the EdDSA private key does not belong to the certificate of CN=ed.test (whose public key is EdDSA)",
                e.getMessage());
    }

    @Test
    void keyOfAnotherAlgorithmIsRefusedNamingTheSubject() throws Exception {
        SelfSignedCertificate ec = SelfSignedCertificate.generate("ec.test");
        PrivateKey ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Pem.serverContext(List.of(ec.certificate()), ed25519));

        assertEquals("the EdDSA private key does not belong to the certificate of CN=ec.test (whose public key is EC)",
                e.getMessage());
    }

    @Test
    void trustingContextTrustsNoOtherCertificate() {
        SelfSignedCertificate server = SelfSignedCertificate.generate();
        SelfSignedCertificate other = SelfSignedCertificate.generate();

        SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                () -> Handshake.between(server.serverContext(), Pem.trustingContext(List.of(other.certificate())), "localhost"));

        assertTrue(String.valueOf(e.getMessage()).contains("PKIX path"), e.getMessage());
    }

    @Test
    void emptyListsAreRefused() {
        PrivateKey key = SelfSignedCertificate.generate().privateKey();
        assertEquals("no certificate for the server: the chain is empty",
                assertThrows(IllegalArgumentException.class, () -> Pem.serverContext(List.of(), key)).getMessage());
        assertEquals("no certificate to trust: the list is empty",
                assertThrows(IllegalArgumentException.class, () -> Pem.trustingContext(List.of())).getMessage());
        assertEquals("no certificate to write: the chain is empty",
                assertThrows(IllegalArgumentException.class, () -> Pem.certificatesPem(List.of())).getMessage());
    }

    private static String pem(String type, String base64) {
        return "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
    }
}
