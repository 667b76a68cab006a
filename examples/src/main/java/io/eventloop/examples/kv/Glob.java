package io.eventloop.examples.kv;

/**
 * Redis's glob patterns, for KEYS and PSUBSCRIBE: {@code *} any run of bytes, {@code ?} one
 * byte, {@code [abc]} one of a set, {@code [^a]} not in it, {@code [a-z]} a range, and
 * {@code \} to take the next byte as it is. Matched without recursion, going back only to the
 * last star (the classic greedy algorithm), so a pattern of many stars costs at most
 * pattern × string steps rather than the exponential time of a recursive matcher.
 */
final class Glob {
    private Glob() {
    }

    /** Whether all of {@code s} matches all of {@code p}. */
    static boolean matches(byte[] p, byte[] s) {
        int pi = 0;
        int si = 0;
        int starP = -1;
        int starS = 0;
        while (si < s.length) {
            if (pi < p.length && p[pi] == '*') {
                starP = pi++;
                starS = si;
                continue;
            }
            int next = pi < p.length ? one(p, pi, s[si]) : -1;
            if (next >= 0) {
                pi = next;
                si++;
            } else if (starP >= 0) {
                pi = starP + 1;
                si = ++starS;
            } else {
                return false;
            }
        }
        while (pi < p.length && p[pi] == '*') {
            pi++;
        }
        return pi == p.length;
    }

    /** Where the pattern goes on if the element at {@code pi} (not a star) matches byte {@code b}; -1 if not. */
    private static int one(byte[] p, int pi, byte b) {
        switch (p[pi]) {
            case '?':
                return pi + 1;
            case '\\':
                if (pi + 1 < p.length) {
                    pi++;
                }
                return p[pi] == b ? pi + 1 : -1;
            case '[': {
                pi++;
                boolean not = pi < p.length && p[pi] == '^';
                if (not) {
                    pi++;
                }
                boolean hit = false;
                int c = b & 0xff;
                while (pi < p.length && p[pi] != ']') {
                    if (p[pi] == '\\' && pi + 1 < p.length) {
                        hit |= p[pi + 1] == b;
                        pi += 2;
                    } else if (pi + 2 < p.length && p[pi + 1] == '-') {
                        int lo = p[pi] & 0xff;
                        int hi = p[pi + 2] & 0xff;
                        hit |= c >= Math.min(lo, hi) && c <= Math.max(lo, hi);
                        pi += 3;
                    } else {
                        hit |= p[pi] == b;
                        pi++;
                    }
                }
                return hit != not ? Math.min(pi + 1, p.length) : -1;
            }
            default:
                return p[pi] == b ? pi + 1 : -1;
        }
    }
}
