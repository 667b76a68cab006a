package io.eventloop.examples.http;

/** Reason phrases of the status codes this package uses or meets; others get a generic one. */
final class Status {
    private static final String[] REASONS = new String[600];

    static {
        String[] pairs = {
            "100", "Continue", "101", "Switching Protocols",
            "200", "OK", "201", "Created", "202", "Accepted", "204", "No Content", "206", "Partial Content",
            "301", "Moved Permanently", "302", "Found", "303", "See Other", "304", "Not Modified",
            "307", "Temporary Redirect", "308", "Permanent Redirect",
            "400", "Bad Request", "401", "Unauthorized", "403", "Forbidden", "404", "Not Found",
            "405", "Method Not Allowed", "408", "Request Timeout", "411", "Length Required",
            "413", "Content Too Large", "414", "URI Too Long", "418", "I'm a teapot",
            "429", "Too Many Requests", "431", "Request Header Fields Too Large",
            "500", "Internal Server Error", "501", "Not Implemented", "502", "Bad Gateway",
            "503", "Service Unavailable", "504", "Gateway Timeout", "505", "HTTP Version Not Supported",
        };
        for (int i = 0; i < pairs.length; i += 2) {
            REASONS[Integer.parseInt(pairs[i])] = pairs[i + 1];
        }
    }

    private Status() {
    }

    static String reason(int status) {
        if (status >= 0 && status < REASONS.length && REASONS[status] != null) {
            return REASONS[status];
        }
        return switch (status / 100) {
            case 1 -> "Informational";
            case 2 -> "Success";
            case 3 -> "Redirection";
            case 4 -> "Client Error";
            default -> "Server Error";
        };
    }

    /** Whether a response with this status never has a body (RFC 9110 §6.4.1). */
    static boolean bodiless(int status) {
        return status < 200 || status == 204 || status == 304;
    }
}
