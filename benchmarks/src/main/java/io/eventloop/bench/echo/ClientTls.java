package io.eventloop.bench.echo;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The load generator's side of TLS: client engines for TLS 1.3 that trust exactly the servers'
 * certificate, from BoringSSL ({@code openssl}, netty-tcnative's statically linked build, the
 * default) or from the JDK ({@code jdk}).
 *
 * <p>Why BoringSSL by default: the load generator has one core, as each server has, and must not
 * be the limit. A TLS client does at least the server's work: the same record encryption and
 * decryption, and in a full handshake one more signature check (the server's CertificateVerify)
 * than the server's one signature. The JDK's P-256 arithmetic is plain Java (on the machine of
 * docs/benchmarks.md: about 0.6 ms to sign, 1.5 ms to verify), so a JDK client spends more per
 * handshake than the JDK servers it measures, and every server would show the client's rate.
 * BoringSSL does the client's half in a few tens of microseconds. Both servers see the same
 * client either way: the same ClientHello, the same record sizes, the same cipher suite.
 *
 * <p>Trust is pinned: the server's leaf certificate must equal, byte for byte, the certificate
 * the servers were given. The chain is not built or checked (a PKIX check would verify the
 * self-signed certificate's signature in Java on every handshake, for nothing); the handshake's
 * own CertificateVerify signature is still checked by the engine, as it must be.
 *
 * <p>No session resumption: engines are made without the peer's host and port, and both the JDK
 * and Netty's OpenSSL client look sessions up only by host and port, so every handshake is a
 * full one (no PSK offered), whatever tickets the servers send.
 */
final class ClientTls {
    static final String PROTOCOL = "TLSv1.3";

    private final String provider;
    private final SslContext openSsl;
    private final SSLContext jdk;

    private ClientTls(String provider, SslContext openSsl, SSLContext jdk) {
        this.provider = provider;
        this.openSsl = openSsl;
        this.jdk = jdk;
    }

    /** A client for {@code provider} ({@code openssl} or {@code jdk}) trusting the certificate in {@code certificatePem}. */
    static ClientTls create(String provider, Path certificatePem) throws IOException {
        X509Certificate pinned;
        try (InputStream in = Files.newInputStream(certificatePem)) {
            pinned = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (CertificateException e) {
            throw new IOException("no certificate in " + certificatePem, e);
        }
        TrustManager trust = new Pinned(pinned);
        switch (provider) {
            case "openssl" -> {
                if (!OpenSsl.isAvailable()) {
                    throw new IOException("BoringSSL (netty-tcnative) is not available here: "
                            + OpenSsl.unavailabilityCause() + "; use --client-tls jdk");
                }
                SslContext context = SslContextBuilder.forClient()
                        .sslProvider(SslProvider.OPENSSL_REFCNT)
                        .protocols(PROTOCOL)
                        .trustManager(trust)
                        .endpointIdentificationAlgorithm(null) // pinned: the name is not what identifies it
                        .build();
                return new ClientTls(provider, context, null);
            }
            case "jdk" -> {
                try {
                    SSLContext context = SSLContext.getInstance("TLSv1.3");
                    context.init(null, new TrustManager[] {trust}, null);
                    return new ClientTls(provider, null, context);
                } catch (GeneralSecurityException e) {
                    throw new IOException("the JDK cannot make a TLS 1.3 client context", e);
                }
            }
            default -> throw new IllegalArgumentException("--client-tls is openssl or jdk, not " + provider);
        }
    }

    /** A client engine with no peer host (so no session to resume), TLS 1.3 only. */
    SSLEngine newEngine() {
        SSLEngine engine;
        if (openSsl != null) {
            engine = openSsl.newEngine(ByteBufAllocator.DEFAULT);
        } else {
            engine = jdk.createSSLEngine();
            engine.setUseClientMode(true);
            SSLParameters p = engine.getSSLParameters();
            p.setProtocols(new String[] {PROTOCOL});
            engine.setSSLParameters(p);
        }
        return engine;
    }

    /** Frees what the engine holds outside the heap (BoringSSL's); nothing to do for the JDK's. */
    static void release(SSLEngine engine) {
        if (engine != null) {
            ReferenceCountUtil.release(engine);
        }
    }

    String provider() {
        return provider + (openSsl != null ? " (" + OpenSsl.versionString() + ")" : "");
    }

    /** Trusts exactly one certificate, compared by its encoding. */
    private static final class Pinned extends X509ExtendedTrustManager {
        private final X509Certificate pinned;
        private final byte[] encoded;

        Pinned(X509Certificate pinned) throws IOException {
            this.pinned = pinned;
            try {
                this.encoded = pinned.getEncoded();
            } catch (CertificateException e) {
                throw new IOException(e);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (chain == null || chain.length == 0 || !Arrays.equals(chain[0].getEncoded(), encoded)) {
                throw new CertificateException("the server's certificate is not the benchmark's");
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a client's trust manager checks no clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[] {pinned};
        }
    }
}
