package io.eventloop.examples;

import io.eventloop.net.SelfSignedCertificate;
import io.eventloop.net.TlsConfig;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The TLS options every example server takes, parsed in one place:
 * <ul>
 * <li>none: plain TCP;
 * <li>{@code --tls}: a certificate made for this run ({@link SelfSignedCertificate}) for
 *     {@code localhost}, {@code 127.0.0.1}, {@code ::1} and the {@code --host} if it is another
 *     name. Its PEM files go to a fresh directory ({@code /tmp/eventloop-tls-...}, owner-only,
 *     the key file {@code rw-------}), deleted when the server exits; one line on stdout, before
 *     {@code listening on}, says where the certificate is and how a client trusts it;
 * <li>{@code --tls --cert FILE --key FILE}: the certificate chain and key of your own, PEM, as
 *     {@code openssl} and certbot write them ({@link TlsConfig#server(Path, Path)}).
 * </ul>
 * A bad combination, a missing file or a file that is not what it should be prints a message
 * naming the flag and the file, then the usage, and exits with status 2, as any bad option does.
 *
 * <p>Python's {@code ssl.create_default_context(Purpose.CLIENT_AUTH)} with
 * {@code load_cert_chain(cert, key)} is the {@code --cert/--key} case; the stdlib has no way to
 * make a certificate (its tests use {@code trustme}), hence {@link SelfSignedCertificate}.
 */
public final class ServerTls {
    /** How a user reaches the server, for the line that says how to trust the certificate. */
    public enum Client {
        /** An HTTP server: {@code curl --cacert CERT https://localhost:PORT/}. */
        CURL,
        /** A line-based server: {@code openssl s_client -quiet -CAfile CERT -connect localhost:PORT}. */
        OPENSSL
    }

    /** One line for a server's usage text. */
    public static final String USAGE = "TLS: --tls serves with a certificate made for this run (its PEM file is printed);"
            + " --tls --cert FILE --key FILE with yours (PEM)";

    private static final List<String> OPTIONS = List.of("tls", "false", "cert", "", "key", "");
    private static final List<String> LOCAL_NAMES = List.of("localhost", "127.0.0.1", "::1");

    private final TlsConfig config;
    private final Path selfSigned;
    private final String host;
    private final Client client;

    private ServerTls(TlsConfig config, Path selfSigned, String host, Client client) {
        this.config = config;
        this.selfSigned = selfSigned;
        this.host = host;
        this.client = client;
    }

    /** {@code defaults} (name, value, ...) followed by the TLS options, for {@link Args#parse}. */
    public static String[] options(String... defaults) {
        List<String> all = new ArrayList<>(Arrays.asList(defaults));
        all.addAll(OPTIONS);
        return all.toArray(new String[0]);
    }

    /**
     * The TLS setting {@code a} asks for; with {@code --tls} alone, the certificate is made and
     * written now. Exits with status 2 and a message if the options or files are wrong.
     *
     * @param client how users reach this server: chooses the command in the certificate line
     */
    public static ServerTls parse(Args a, Client client) {
        String host = a.get("host");
        boolean tls = a.flag("tls");
        String cert = a.get("cert");
        String key = a.get("key");
        if (!tls) {
            if (!cert.isEmpty() || !key.isEmpty()) {
                a.fail("--cert and --key go with --tls: --tls --cert FILE --key FILE");
                return null;
            }
            return new ServerTls(null, null, host, client);
        }
        if (cert.isEmpty() != key.isEmpty()) {
            a.fail(cert.isEmpty() ? "--key " + key + " needs --cert FILE too (the certificate chain, PEM)"
                    : "--cert " + cert + " needs --key FILE too (its private key, PEM)");
            return null;
        }
        if (!cert.isEmpty()) {
            try {
                return new ServerTls(TlsConfig.server(Path.of(cert), Path.of(key)), null, host, client);
            } catch (IOException | IllegalArgumentException e) {
                a.fail("--tls --cert " + cert + " --key " + key + ": " + describe(e));
                return null;
            }
        }
        SelfSignedCertificate made;
        try {
            made = SelfSignedCertificate.generate(names(host).toArray(new String[0]));
        } catch (IllegalArgumentException e) {
            a.fail("--tls: no certificate can be made for --host " + host + ": " + e.getMessage());
            return null;
        }
        Path file;
        try {
            file = write(made);
        } catch (IOException e) {
            System.err.println("--tls: cannot write the certificate for this run: " + describe(e));
            System.exit(1);
            return null;
        }
        return new ServerTls(TlsConfig.server(made.serverContext()), file, host, client);
    }

    /** The names a certificate made for {@code host} is for: the loopback names, and the host if it is another. */
    static List<String> names(String host) {
        List<String> names = new ArrayList<>(LOCAL_NAMES);
        if (host != null && !isWildcard(host) && !names.contains(host.toLowerCase(Locale.ROOT))) {
            names.add(host);
        }
        return names;
    }

    private static boolean isWildcard(String host) {
        return host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0");
    }

    /**
     * Writes the PEM files into a fresh owner-only directory, all three deleted when the JVM exits
     * normally (a TERM or Ctrl-C ends the servers that way); returns the certificate file.
     */
    private static Path write(SelfSignedCertificate made) throws IOException {
        Path dir = Files.createTempDirectory("eventloop-tls-"); // rwx------ where POSIX permissions exist
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        dir.toFile().deleteOnExit(); // run last: deleteOnExit deletes in reverse order of registration
        cert.toFile().deleteOnExit();
        key.toFile().deleteOnExit();
        made.writeTo(cert, key);
        return cert;
    }

    /** An I/O failure in words: the JDK's missing-file exceptions carry only the path. */
    private static String describe(Exception e) {
        if (e instanceof NoSuchFileException n) {
            return n.getFile() + ": no such file";
        }
        if (e instanceof AccessDeniedException d) {
            return d.getFile() + ": permission denied";
        }
        return e.getMessage();
    }

    /** The server side of TLS to serve with, or null for plain TCP. */
    public TlsConfig config() {
        return config;
    }

    /** The certificate made for this run, or null (plain TCP, or {@code --cert}). */
    public Path selfSignedCertificate() {
        return selfSigned;
    }

    /**
     * Prints, for a certificate made for this run, where it is and how a client trusts it; call
     * once listening, just before the {@code listening on} line. Nothing otherwise.
     */
    public void announce(int port) {
        if (selfSigned == null) {
            return;
        }
        String where = Args.hostPort(isWildcard(host) || LOCAL_NAMES.contains(host) ? "localhost" : host, port);
        String use = switch (client) {
            case CURL -> "curl --cacert " + selfSigned + " https://" + where + "/";
            case OPENSSL -> "openssl s_client -quiet -CAfile " + selfSigned + " -connect " + where;
        };
        System.out.println("TLS certificate (self-signed for this run): " + selfSigned + "  (" + use + ")");
    }

    @Override
    public String toString() {
        return config == null ? "plain TCP" : selfSigned != null ? "TLS, self-signed " + selfSigned : "TLS";
    }
}
