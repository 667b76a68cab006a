package io.eventloop.examples.http;

import io.eventloop.examples.Args;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

/** The fetch examples' command line: {@code --name value} options, then any number of URLs. */
final class FetchArgs {
    private final Args options;
    private final List<String> urls;

    private FetchArgs(Args options, List<String> urls) {
        this.options = options;
        this.urls = urls;
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
        return new FetchArgs(Args.parse(opts.toArray(new String[0]), usage, defaults), urls);
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

    /** Seconds as a short path segment: 1 rather than 1.0, 0.6 rather than 0.6000000000000001. */
    static String seconds(double s) {
        return new BigDecimal(s).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }
}
