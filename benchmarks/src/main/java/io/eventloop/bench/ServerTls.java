package io.eventloop.bench;

import io.eventloop.net.SelfSignedCertificate;
import io.eventloop.net.TlsConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * The server side of TLS for the benchmark servers, from {@code --tls CERT.pem KEY.pem} on their
 * command line: the same certificate and key files for this library's servers and Netty's, and
 * the same TLS underneath, the JDK's {@code SSLEngine}. See docs/benchmarks.md, "TLS".
 */
public final class ServerTls {
    private ServerTls() {
    }

    /**
     * This library's server configuration, {@code TlsConfig.server(cert, key)}: the JDK's
     * defaults for everything else (TLS 1.3 and 1.2, the JDK's cipher suites in its order). Null
     * without {@code --tls}.
     */
    public static TlsConfig eventloop(String[] args) throws IOException {
        int i = index(args);
        return i < 0 ? null : TlsConfig.server(Path.of(args[i + 1]), Path.of(args[i + 2]));
    }

    /**
     * Netty's server context as Netty's documentation builds one,
     * {@code SslContextBuilder.forServer(cert, key)} on the JDK's TLS ({@code SslProvider.JDK},
     * not OpenSSL: the same engine as this library's), Netty's defaults otherwise (TLS 1.3 and
     * 1.2, its allocator), but for the cipher suites: the JDK's defaults in the JDK's order, which
     * is what this library's server has. With Netty's own list a TLS 1.3 client gets
     * {@code TLS_AES_128_GCM_SHA256} from Netty and {@code TLS_AES_256_GCM_SHA384} from the JDK's
     * defaults: not the same work. {@code newHandler(alloc)} then runs the engine's delegated
     * tasks on the event loop (Netty's default, {@code ImmediateExecutor}). Null without
     * {@code --tls}.
     */
    public static SslContext netty(String[] args) throws SSLException {
        int i = index(args);
        if (i < 0) {
            return null;
        }
        return SslContextBuilder.forServer(new File(args[i + 1]), new File(args[i + 2]))
                .sslProvider(SslProvider.JDK)
                .ciphers(jdkDefaultCipherSuites())
                .build();
    }

    /**
     * Writes a new {@link SelfSignedCertificate} (EC P-256, for localhost, 127.0.0.1 and ::1) and
     * its key as PEM: {@code ServerTls CERT.pem KEY.pem}, for {@code benchmarks/run-tls.sh}.
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: ServerTls CERT.pem KEY.pem");
        }
        SelfSignedCertificate.generate().writeTo(Path.of(args[0]), Path.of(args[1]));
    }

    /** The port: the first argument unless it is an option; 0 (a free port) by default. */
    public static int port(String[] args) {
        return args.length > 0 && !args[0].startsWith("--") ? Integer.parseInt(args[0]) : 0;
    }

    private static List<String> jdkDefaultCipherSuites() throws SSLException {
        try {
            return List.of(SSLContext.getDefault().getDefaultSSLParameters().getCipherSuites());
        } catch (NoSuchAlgorithmException e) {
            throw new SSLException("this JDK has no default TLS context", e);
        }
    }

    private static int index(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--tls")) {
                if (i + 2 >= args.length) {
                    throw new IllegalArgumentException("--tls takes the certificate and the key: --tls CERT.pem KEY.pem");
                }
                return i;
            }
        }
        return -1;
    }
}
