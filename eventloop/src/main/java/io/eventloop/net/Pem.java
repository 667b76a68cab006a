package io.eventloop.net;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * PEM files (RFC 7468) in and out, and the two {@link SSLContext}s the TLS layer builds from
 * certificates and keys: a server's, and a client's that trusts given certificates only.
 *
 * <p>Compared with Python's {@code ssl}: {@link #readCertificates} and {@link #readPrivateKey}
 * together do what {@code SSLContext.load_cert_chain(certfile, keyfile)} does, and
 * {@link #trustingContext} what {@code load_verify_locations(cafile)} does on a context that
 * trusts nothing else. Unlike {@code load_cert_chain}, there is no password argument: a key must
 * be stored unencrypted, and the error for an encrypted one says how to decrypt it. The JDK reads
 * only DER PKCS#8 keys ({@link PKCS8EncodedKeySpec}), so the two older OpenSSL formats are
 * rewrapped as PKCS#8 here, by hand, because the library may not use BouncyCastle or
 * {@code sun.security.util}.
 *
 * <p>Text outside {@code -----BEGIN}/{@code -----END} lines is ignored, as RFC 7468 section 2
 * asks, so the output of {@code openssl x509 -text} and PKCS#12 exports with "Bag Attributes"
 * read as well.
 */
final class Pem {
    private static final String CERTIFICATE = "CERTIFICATE";
    private static final String PKCS8_KEY = "PRIVATE KEY";
    private static final String PKCS1_RSA_KEY = "RSA PRIVATE KEY";
    private static final String SEC1_EC_KEY = "EC PRIVATE KEY";
    private static final String ENCRYPTED_PKCS8_KEY = "ENCRYPTED PRIVATE KEY";
    private static final Set<String> KEY_TYPES = Set.of(PKCS8_KEY, PKCS1_RSA_KEY, SEC1_EC_KEY, ENCRYPTED_PKCS8_KEY);
    private static final String ACCEPTED_KEY_TYPES = "-----BEGIN PRIVATE KEY----- (PKCS#8: RSA, EC, Ed25519), "
            + "-----BEGIN RSA PRIVATE KEY----- (PKCS#1) or -----BEGIN EC PRIVATE KEY----- (SEC1)";

    /** The JDK key factories a PKCS#8 key is offered to, in turn; each rejects the others' keys. */
    private static final List<String> PKCS8_ALGORITHMS = List.of("RSA", "EC", "EdDSA", "RSASSA-PSS");

    private static final String OID_RSA_ENCRYPTION = "1.2.840.113549.1.1.1"; // RFC 8017 appendix C
    private static final String OID_EC_PUBLIC_KEY = "1.2.840.10045.2.1"; // RFC 5480 section 2.1.1

    private static final int LINE_LENGTH = 64; // RFC 7468 section 2: generators wrap at exactly 64

    private Pem() {}

    /**
     * Every certificate in {@code file}, in file order: for a chain, the leaf first and then each
     * issuer, as servers send it.
     *
     * @throws IOException if the file cannot be read, holds no certificate, or holds one that is
     *     not valid base64 or X.509
     */
    static List<X509Certificate> readCertificates(Path file) throws IOException {
        List<Block> blocks = blocks(file);
        CertificateFactory factory = x509Factory();
        List<X509Certificate> chain = new ArrayList<>();
        for (Block block : blocks) {
            if (!block.type().equals(CERTIFICATE)) {
                continue;
            }
            byte[] der = block.decode(file);
            try {
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            } catch (CertificateException e) {
                throw new IOException(file + ": " + block + " is not an X.509 certificate: " + e.getMessage(), e);
            }
        }
        if (chain.isEmpty()) {
            throw new IOException(file + ": no certificate found; expected one or more "
                    + "-----BEGIN CERTIFICATE----- blocks" + found(blocks));
        }
        return List.copyOf(chain);
    }

    /**
     * The one private key in {@code file}, which must be unencrypted and in one of three PEM
     * forms: PKCS#8 ({@code PRIVATE KEY}, what {@code openssl genpkey} writes), PKCS#1
     * ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}, what {@code openssl ecparam
     * -genkey} writes). Other blocks in the file, such as certificates or {@code EC PARAMETERS},
     * are skipped.
     *
     * @throws IOException if the file cannot be read, holds no key or several, holds an encrypted
     *     key, or its key is not valid base64, DER or a key of an algorithm the JDK has
     */
    static PrivateKey readPrivateKey(Path file) throws IOException {
        List<Block> blocks = blocks(file);
        List<Block> keys = blocks.stream().filter(b -> KEY_TYPES.contains(b.type())).toList();
        if (keys.isEmpty()) {
            throw new IOException(file + ": no private key found; expected one " + ACCEPTED_KEY_TYPES + found(blocks));
        }
        if (keys.size() > 1) {
            throw new IOException(file + ": " + keys.size() + " private keys found (" + keys + "); expected one");
        }
        Block key = keys.get(0);
        if (key.encrypted() || key.type().equals(ENCRYPTED_PKCS8_KEY)) {
            throw new IOException(file + ": the private key is encrypted; keys must be unencrypted. "
                    + "Decrypt it with: openssl pkey -in " + file + " -out " + file + ".plain");
        }
        byte[] der = key.decode(file);
        byte[] pkcs8 = switch (key.type()) {
            case PKCS1_RSA_KEY -> rsaPkcs1ToPkcs8(der);
            case SEC1_EC_KEY -> ecSec1ToPkcs8(file, key, der);
            default -> der;
        };
        return pkcs8Key(file, key, pkcs8);
    }

    /** The chain as consecutive {@code CERTIFICATE} blocks, in list order. */
    static String certificatesPem(List<X509Certificate> chain) {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("no certificate to write: the chain is empty");
        }
        StringBuilder pem = new StringBuilder();
        for (X509Certificate certificate : chain) {
            try {
                pem.append(encode(CERTIFICATE, certificate.getEncoded()));
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException("cannot encode the certificate of "
                        + certificate.getSubjectX500Principal().getName(), e);
            }
        }
        return pem.toString();
    }

    /** The key as an unencrypted PKCS#8 {@code PRIVATE KEY} block. */
    static String privateKeyPem(PrivateKey key) {
        byte[] der = key.getEncoded();
        if (der == null || !"PKCS#8".equals(key.getFormat())) {
            throw new IllegalArgumentException("the " + key.getAlgorithm() + " private key has no PKCS#8 encoding "
                    + "(its format is " + key.getFormat() + "); a key kept in a token cannot be written out");
        }
        return encode(PKCS8_KEY, der);
    }

    /**
     * A server context that presents {@code chain} (leaf first) and proves it with {@code key}.
     * The key is checked against the leaf's public key first, because a mismatch otherwise shows
     * only later, as a handshake failure on the client, far from its cause.
     *
     * @throws IllegalArgumentException if the chain is empty or the key is not the leaf's
     */
    static SSLContext serverContext(List<X509Certificate> chain, PrivateKey key) {
        Objects.requireNonNull(key, "key");
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("no certificate for the server: the chain is empty");
        }
        X509Certificate leaf = chain.get(0);
        checkKeyMatches(leaf, key);
        // The store never leaves memory; PKCS#12 insists on a password for a key entry all the same.
        char[] password = "eventloop".toCharArray();
        try {
            KeyStore store = emptyStore();
            store.setKeyEntry("server", key, password, chain.toArray(new X509Certificate[0]));
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a server SSLContext for " + subject(leaf), e);
        }
    }

    /**
     * A client context whose PKIX trust manager trusts exactly {@code trusted}: not the JDK's
     * {@code cacerts}, which a client of a development server must not need to change. An expired
     * or not yet valid certificate is refused even when it is one of {@code trusted}
     * ({@link DatedTrustManager} says why the JDK alone would accept it).
     *
     * @throws IllegalArgumentException if {@code trusted} is empty
     */
    static SSLContext trustingContext(List<X509Certificate> trusted) {
        if (trusted.isEmpty()) {
            throw new IllegalArgumentException("no certificate to trust: the list is empty");
        }
        try {
            KeyStore store = emptyStore();
            for (int i = 0; i < trusted.size(); i++) {
                store.setCertificateEntry("trusted-" + i, trusted.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(store);
            TrustManager[] trustManagers = factory.getTrustManagers();
            for (int i = 0; i < trustManagers.length; i++) {
                if (trustManagers[i] instanceof X509ExtendedTrustManager pkix) {
                    trustManagers[i] = new DatedTrustManager(pkix, trusted);
                }
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build an SSLContext trusting " + trusted.size() + " certificates", e);
        }
    }

    private static void checkKeyMatches(X509Certificate leaf, PrivateKey key) {
        PublicKey publicKey = leaf.getPublicKey();
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
            throw mismatch(leaf, key, null);
        }
        if (key instanceof RSAKey rsa && publicKey instanceof RSAKey rsaPublic) {
            if (!rsa.getModulus().equals(rsaPublic.getModulus())) {
                throw mismatch(leaf, key, null);
            }
            return;
        }
        // An EC or EdDSA private key does not hold its public point, and deriving the point takes
        // curve arithmetic the JDK does not expose: sign a probe and verify it instead.
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            default -> throw new IllegalArgumentException("cannot check that the " + key.getAlgorithm()
                    + " private key belongs to the certificate of " + subject(leaf)
                    + "; RSA, EC and EdDSA keys can be checked");
        };
        byte[] probe = "does this key belong to this certificate?".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                throw mismatch(leaf, key, null);
            }
        } catch (InvalidKeyException | SignatureException e) {
            throw mismatch(leaf, key, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no " + algorithm + " signature to check the key of "
                    + subject(leaf) + " with", e);
        }
    }

    private static IllegalArgumentException mismatch(X509Certificate leaf, PrivateKey key, Exception cause) {
        return new IllegalArgumentException("the " + key.getAlgorithm() + " private key does not belong to the certificate of "
                + subject(leaf) + " (whose public key is " + leaf.getPublicKey().getAlgorithm() + ")", cause);
    }

    private static String subject(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName();
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create an empty PKCS12 key store", e); // no stream: no I/O
        }
        return store;
    }

    private static CertificateFactory x509Factory() {
        try {
            return CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("the JDK has no X.509 certificate factory", e);
        }
    }

    /** PKCS#1 {@code RSAPrivateKey} inside a PKCS#8 {@code PrivateKeyInfo} (RFC 5208 section 5). */
    private static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
        return Der.sequence(
                Der.integer(0),
                Der.sequence(Der.oid(OID_RSA_ENCRYPTION), Der.nullValue()),
                Der.octetString(pkcs1));
    }

    /**
     * SEC1 {@code ECPrivateKey} (RFC 5915) inside a PKCS#8 {@code PrivateKeyInfo}, whose algorithm
     * parameters are the curve OID that SEC1 keeps in its {@code [0]} field (RFC 5915 section 3:
     * PKCS#8 carries the curve in the algorithm identifier instead).
     */
    private static byte[] ecSec1ToPkcs8(Path file, Block block, byte[] sec1) throws IOException {
        byte[] curve = null;
        try {
            Der.Element key = Der.read(sec1);
            if (key.tag != Der.SEQUENCE) {
                throw new IOException("an ECPrivateKey is a SEQUENCE, not tag 0x" + Integer.toHexString(key.tag));
            }
            for (Der.Element field : key.children()) {
                if (field.isExplicit(0)) {
                    List<Der.Element> parameters = field.children();
                    if (parameters.size() == 1 && parameters.get(0).tag == Der.OID) {
                        curve = parameters.get(0).encoded();
                    }
                }
            }
        } catch (IOException e) {
            throw new IOException(file + ": " + block + " is not a SEC1 EC private key: " + e.getMessage(), e);
        }
        if (curve == null) {
            throw new IOException(file + ": " + block + " does not name its curve (its parameters are missing "
                    + "or explicit); only keys on a named curve can be read");
        }
        return Der.sequence(
                Der.integer(0),
                Der.sequence(Der.oid(OID_EC_PUBLIC_KEY), curve),
                Der.octetString(sec1));
    }

    private static PrivateKey pkcs8Key(Path file, Block block, byte[] pkcs8) throws IOException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(pkcs8);
        List<GeneralSecurityException> failures = new ArrayList<>();
        for (String algorithm : PKCS8_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                failures.add(e);
            }
        }
        IOException e = new IOException(file + ": " + block + " is not a private key that the JDK reads as any of "
                + PKCS8_ALGORITHMS + " (bad DER, or another algorithm)", failures.get(0));
        failures.subList(1, failures.size()).forEach(e::addSuppressed);
        throw e;
    }

    private static String encode(String type, byte[] der) {
        Base64.Encoder base64 = Base64.getMimeEncoder(LINE_LENGTH, new byte[] {'\n'});
        return "-----BEGIN " + type + "-----\n" + base64.encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static String found(List<Block> blocks) {
        if (blocks.isEmpty()) {
            return " (the file holds no PEM block)";
        }
        return " (the file holds " + blocks.stream().map(Block::type).collect(Collectors.joining(", ")) + ")";
    }

    private static List<Block> blocks(Path file) throws IOException {
        // ISO-8859-1 maps every byte to one char, so a stray byte fails as bad base64, not here.
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            // The JDK's message is the bare path, which does not say what is wrong with it
            throw new java.nio.file.NoSuchFileException(file.toString(), null, "no such file");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new java.nio.file.AccessDeniedException(file.toString(), null, "not readable by this user");
        }
        String[] lines = new String(bytes, StandardCharsets.ISO_8859_1).split("\r?\n|\r", -1);
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.length() < "-----BEGIN -----".length() || !line.startsWith("-----BEGIN ") || !line.endsWith("-----")) {
                continue;
            }
            String type = line.substring("-----BEGIN ".length(), line.length() - "-----".length());
            String end = "-----END " + type + "-----";
            int first = i + 1;
            boolean encrypted = false;
            StringBuilder base64 = new StringBuilder();
            for (i++; ; i++) {
                if (i == lines.length) {
                    throw new IOException(file + ": the " + type + " block on line " + first + " has no " + end + " line");
                }
                String text = lines[i].strip();
                if (text.equals(end)) {
                    break;
                }
                if (text.indexOf(':') >= 0) {
                    // An RFC 1421 header, which only OpenSSL's encrypted traditional keys still write.
                    encrypted |= text.replace(" ", "").equalsIgnoreCase("Proc-Type:4,ENCRYPTED");
                } else {
                    base64.append(text);
                }
            }
            blocks.add(new Block(type, first, encrypted, base64.toString()));
        }
        return blocks;
    }

    /** One {@code -----BEGIN type-----} block, its base64 not yet decoded. */
    private record Block(String type, int line, boolean encrypted, String base64) {
        byte[] decode(Path file) throws IOException {
            try {
                return Base64.getDecoder().decode(base64);
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": " + this + " is not valid base64: " + e.getMessage(), e);
            }
        }

        /** Never the base64: this names blocks in exception messages, and a key's would reach logs. */
        @Override
        public String toString() {
            return "the " + type + " block on line " + line;
        }
    }
}
