package io.eventloop.examples.http;

import io.eventloop.examples.Args;
import io.eventloop.net.TlsConfig;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * The fetch examples' command line: {@code --name value} options, then any number of URLs,
 * {@code http://} or {@code https://}. Every fetch example takes {@code --cacert FILE}: trust the
 * certificates in that PEM file, and only them, for {@code https://} URLs (curl's
 * {@code --cacert}); without it, the JDK's trust store.
 */
final class FetchArgs {
    /** Printed under a certificate failure when no {@code --cacert} was given. */
    static final String CACERT_HINT = "(a server with a certificate of its own, self-signed or from a private CA,"
            + " is trusted with --cacert FILE)";

    private final Args options;
    private final List<String> urls;
    /** From --cacert, or null: the JDK's trust store. */
    private final TlsConfig tls;

    private FetchArgs(Args options, List<String> urls, TlsConfig tls) {
        this.options = options;
        this.urls = urls;
        this.tls = tls;
    }

    static FetchArgs parse(String[] args, String usage, String... defaults) {
        List<String> opts = new ArrayList<>();
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("-")) {
                opts.add(args[i]);
                if (!args[i].contains("=") && i + 1 < args.length && !args[i].equals("-h") && !args[i].equals("--help")) {
                    opts.add(args[++i]);
                }
            } else {
                urls.add(args[i]);
            }
        }
        List<String> all = new ArrayList<>(List.of(defaults));
        all.addAll(List.of("cacert", ""));
        Args a = Args.parse(opts.toArray(new String[0]),
                usage + "\nhttps:// URLs are checked against the JDK's trust store, or with --cacert FILE against"
                        + " the certificates in FILE (PEM) only", all.toArray(new String[0]));
        TlsConfig tls = null;
        String cacert = a.get("cacert");
        if (!cacert.isEmpty()) {
            try {
                tls = TlsConfig.clientTrusting(Path.of(cacert));
            } catch (NoSuchFileException e) {
                a.fail("--cacert " + cacert + ": no such file");
            } catch (AccessDeniedException e) {
                a.fail("--cacert " + cacert + ": permission denied");
            } catch (IOException e) {
                a.fail("--cacert: " + e.getMessage()); // the message names the file
            }
        }
        return new FetchArgs(a, urls, tls);
    }

    List<String> urls() {
        return urls;
    }

    double doubleValue(String name) {
        return options.doubleValue(name);
    }

    int intValue(String name) {
        return options.intValue(name);
    }

    /** The client side of TLS that {@code --cacert} asks for, or null for the JDK's trust store. */
    TlsConfig tls() {
        return tls;
    }

    /** Options for the fetches' {@link HttpClient}: the defaults, with {@code --cacert}'s trust. */
    HttpClient.Options clientOptions() {
        return HttpClient.Options.defaults().tls(tls);
    }

    /** A program body that may throw, as {@code main} may. */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    /**
     * Runs {@code body}; a failure the user can do something about (a server refusing or not
     * answering, a certificate refused, a bad URL) is printed as one line on stderr and the
     * program exits with status 1, as curl does. A certificate failure's message is the
     * library's, naming the host and the reason. Anything else, a bug, keeps its stack trace.
     */
    void reportingFailures(Body body) throws Exception {
        try {
            body.run();
        } catch (CompletionException | IOException | TimeoutException | IllegalArgumentException e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (!(cause instanceof IOException || cause instanceof TimeoutException
                    || cause instanceof IllegalArgumentException)) {
                throw e;
            }
            System.err.println("error: " + (cause instanceof SSLException ? cause.getMessage() : cause.toString()));
            if (cause instanceof SSLException && tls == null) {
                System.err.println(CACERT_HINT);
            }
            System.exit(1);
        }
    }

    /** Seconds as a short path segment: 1 rather than 1.0, 0.6 rather than 0.6000000000000001. */
    static String seconds(double s) {
        return new BigDecimal(s).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }
}
