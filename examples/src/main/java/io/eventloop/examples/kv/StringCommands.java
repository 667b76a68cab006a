package io.eventloop.examples.kv;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The commands on keys and string values: GET, SET, DEL, EXISTS, TYPE, INCR and its kin, MGET,
 * MSET, EXPIRE, PEXPIRE, TTL, PTTL, PERSIST and KEYS, with Redis's options and error texts.
 *
 * <p>GET and SET of an existing key allocate nothing: the key is found from the request bytes,
 * a GET copies the value straight into the reply buffer, and a SET whose value has the length of
 * the old one overwrites the old array in place (no reply or other value ever holds a stored
 * array, so this is safe).
 */
final class StringCommands {
    static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
    static final String NOT_INTEGER = "ERR value is not an integer or out of range";
    static final String SYNTAX = "ERR syntax error";

    private static final byte[] NX = Reply.ascii("NX");
    private static final byte[] XX = Reply.ascii("XX");
    private static final byte[] GT = Reply.ascii("GT");
    private static final byte[] LT = Reply.ascii("LT");
    private static final byte[] GET = Reply.ascii("GET");
    private static final byte[] EX = Reply.ascii("EX");
    private static final byte[] PX = Reply.ascii("PX");
    private static final byte[] EXAT = Reply.ascii("EXAT");
    private static final byte[] PXAT = Reply.ascii("PXAT");
    private static final byte[] KEEPTTL = Reply.ascii("KEEPTTL");

    private StringCommands() {
    }

    static void get(KvConnection c) {
        int e = c.find(1);
        if (e < 0) {
            c.reply.nil();
        } else if (c.server.keyspace.value(e) instanceof byte[] v) {
            c.reply.bulk(v);
        } else {
            c.reply.error(WRONGTYPE);
        }
    }

    /** SET key value [NX | XX] [GET] [EX s | PX ms | EXAT s | PXAT ms | KEEPTTL]. */
    static void set(KvConnection c) {
        boolean nx = false;
        boolean xx = false;
        boolean get = false;
        boolean keepTtl = false;
        long deadline = Keyspace.NO_DEADLINE;
        boolean expires = false;
        for (int i = 3; i < c.argc(); i++) {
            if (c.is(i, NX) && !xx) {
                nx = true;
            } else if (c.is(i, XX) && !nx) {
                xx = true;
            } else if (c.is(i, GET)) {
                get = true;
            } else if (c.is(i, KEEPTTL) && !expires) {
                keepTtl = true;
            } else if ((c.is(i, EX) || c.is(i, PX) || c.is(i, EXAT) || c.is(i, PXAT)) && !expires && !keepTtl
                    && i + 1 < c.argc()) {
                boolean seconds = c.is(i, EX) || c.is(i, EXAT);
                boolean absolute = c.is(i, EXAT) || c.is(i, PXAT);
                if (!c.number(i + 1)) {
                    c.reply.error(NOT_INTEGER);
                    return;
                }
                deadline = deadline(c, c.number, seconds ? 1000 : 1, absolute);
                if (deadline == Long.MIN_VALUE) {
                    c.reply.error("ERR invalid expire time in 'set' command");
                    return;
                }
                expires = true;
                i++;
            } else {
                c.reply.error(SYNTAX);
                return;
            }
        }
        Keyspace ks = c.server.keyspace;
        int e = c.find(1);
        Object old = e < 0 ? null : ks.value(e);
        if (get && old != null && !(old instanceof byte[])) {
            c.reply.error(WRONGTYPE);
            return;
        }
        boolean write = nx ? e < 0 : !xx || e >= 0;
        if (get) {
            if (old == null) {
                c.reply.nil();
            } else {
                c.reply.bulk((byte[]) old); // before an in-place overwrite below
            }
        } else if (write) {
            c.reply.ok();
        } else {
            c.reply.nil();
        }
        if (!write) {
            return;
        }
        if (e < 0) {
            e = ks.add(c.copy(1), c.copy(2));
        } else if (old instanceof byte[] v && v.length == c.len(2)) {
            c.copyInto(2, v);
        } else {
            ks.setValue(e, c.copy(2));
        }
        if (expires) {
            ks.setDeadline(e, deadline);
        } else if (!keepTtl) {
            ks.setDeadline(e, Keyspace.NO_DEADLINE);
        }
    }

    /**
     * The deadline, in loop milliseconds, {@code amount} units from now (or at the Unix time
     * {@code amount} units if {@code absolute}); {@code Long.MIN_VALUE} if not positive or if it
     * overflows, which Redis calls an invalid expire time.
     */
    private static long deadline(KvConnection c, long amount, long unit, boolean absolute) {
        if (amount <= 0 || amount > Long.MAX_VALUE / unit) {
            return Long.MIN_VALUE;
        }
        long ms = amount * unit;
        if (absolute) {
            ms -= System.currentTimeMillis(); // Unix time to the loop's clock
        }
        long now = c.server.now;
        if (ms > 0 && now > Long.MAX_VALUE - ms) {
            return Long.MIN_VALUE;
        }
        return now + ms;
    }

    static void del(KvConnection c) {
        int removed = 0;
        for (int i = 1; i < c.argc(); i++) {
            int e = c.find(i);
            if (e >= 0) {
                c.server.keyspace.remove(e);
                removed++;
            }
        }
        c.reply.integer(removed);
    }

    static void exists(KvConnection c) {
        int found = 0;
        for (int i = 1; i < c.argc(); i++) {
            if (c.find(i) >= 0) {
                found++;
            }
        }
        c.reply.integer(found);
    }

    static void type(KvConnection c) {
        int e = c.find(1);
        c.reply.simple(e < 0 ? "none" : c.server.keyspace.value(e) instanceof byte[] ? "string" : "list");
    }

    /** INCR, DECR ({@code sign} 1 or -1, no argument), INCRBY and DECRBY ({@code byArgument}). */
    static void incrBy(KvConnection c, int sign, boolean byArgument) {
        long delta = sign;
        if (byArgument) {
            if (!c.number(2)) {
                c.reply.error(NOT_INTEGER);
                return;
            }
            delta = c.number;
            if (sign < 0) {
                if (delta == Long.MIN_VALUE) {
                    c.reply.error("ERR decrement would overflow");
                    return;
                }
                delta = -delta;
            }
        }
        Keyspace ks = c.server.keyspace;
        int e = c.find(1);
        long current = 0;
        if (e >= 0) {
            if (!(ks.value(e) instanceof byte[] v)) {
                c.reply.error(WRONGTYPE);
                return;
            }
            current = RequestParser.number(ByteBuffer.wrap(v), 0, v.length);
            if (RequestParser.isBad(current)) {
                c.reply.error(NOT_INTEGER);
                return;
            }
        }
        long next = current + delta;
        if (((current ^ next) & (delta ^ next)) < 0) {
            c.reply.error("ERR increment or decrement would overflow");
            return;
        }
        byte[] digits = Long.toString(next).getBytes(StandardCharsets.US_ASCII);
        if (e < 0) {
            ks.add(c.copy(1), digits);
        } else {
            ks.setValue(e, digits); // the deadline stays, as in Redis
        }
        c.reply.integer(next);
    }

    static void mget(KvConnection c) {
        c.reply.array(c.argc() - 1);
        for (int i = 1; i < c.argc(); i++) {
            int e = c.find(i);
            if (e >= 0 && c.server.keyspace.value(e) instanceof byte[] v) {
                c.reply.bulk(v);
            } else {
                c.reply.nil();
            }
        }
    }

    static void mset(KvConnection c) {
        if (c.argc() % 2 == 0) {
            c.reply.error(Commands.wrongArity("mset"));
            return;
        }
        Keyspace ks = c.server.keyspace;
        for (int i = 1; i < c.argc(); i += 2) {
            int e = c.find(i);
            if (e < 0) {
                ks.add(c.copy(i), c.copy(i + 1));
                continue;
            }
            if (ks.value(e) instanceof byte[] v && v.length == c.len(i + 1)) {
                c.copyInto(i + 1, v);
            } else {
                ks.setValue(e, c.copy(i + 1));
            }
            ks.setDeadline(e, Keyspace.NO_DEADLINE);
        }
        c.reply.ok();
    }

    /** EXPIRE key seconds / PEXPIRE key ms ({@code unit} ms each), [NX | XX | GT | LT]. */
    static void expire(KvConnection c, long unit) {
        String name = unit == 1 ? "pexpire" : "expire";
        boolean nx = false;
        boolean xx = false;
        boolean gt = false;
        boolean lt = false;
        for (int i = 3; i < c.argc(); i++) {
            if (c.is(i, NX)) {
                nx = true;
            } else if (c.is(i, XX)) {
                xx = true;
            } else if (c.is(i, GT)) {
                gt = true;
            } else if (c.is(i, LT)) {
                lt = true;
            } else {
                c.reply.error("ERR Unsupported option " + c.text(i));
                return;
            }
        }
        if (nx && (xx || gt || lt)) {
            c.reply.error("ERR NX and XX, GT or LT options at the same time are not compatible");
            return;
        }
        if (gt && lt) {
            c.reply.error("ERR GT and LT options at the same time are not compatible");
            return;
        }
        if (!c.number(2)) {
            c.reply.error(NOT_INTEGER);
            return;
        }
        long amount = c.number;
        long now = c.server.now;
        long when;
        if (amount > Long.MAX_VALUE / unit || amount < Long.MIN_VALUE / unit
                || (amount > 0 && now > Long.MAX_VALUE - amount * unit)) {
            c.reply.error("ERR invalid expire time in '" + name + "' command");
            return;
        }
        when = now + amount * unit;
        Keyspace ks = c.server.keyspace;
        int e = c.find(1);
        if (e < 0) {
            c.reply.integer(0);
            return;
        }
        long current = ks.deadline(e);
        boolean has = current != Keyspace.NO_DEADLINE;
        if ((nx && has) || (xx && !has) || (gt && (!has || when <= current)) || (lt && has && when >= current)) {
            c.reply.integer(0);
            return;
        }
        if (when <= now) {
            ks.remove(e);
        } else {
            ks.setDeadline(e, when);
        }
        c.reply.integer(1);
    }

    /** TTL (seconds, {@code unit} 1000) and PTTL: -2 if the key is absent, -1 if it has no deadline. */
    static void ttl(KvConnection c, long unit) {
        int e = c.find(1);
        if (e < 0) {
            c.reply.integer(-2);
            return;
        }
        long deadline = c.server.keyspace.deadline(e);
        if (deadline == Keyspace.NO_DEADLINE) {
            c.reply.integer(-1);
            return;
        }
        long ms = Math.max(0, deadline - c.server.now);
        c.reply.integer(unit == 1 ? ms : (ms + 500) / 1000);
    }

    static void persist(KvConnection c) {
        int e = c.find(1);
        if (e < 0 || c.server.keyspace.deadline(e) == Keyspace.NO_DEADLINE) {
            c.reply.integer(0);
            return;
        }
        c.server.keyspace.setDeadline(e, Keyspace.NO_DEADLINE);
        c.reply.integer(1);
    }

    /** KEYS pattern: every key that matches and is not past its deadline, in no particular order. */
    static void keys(KvConnection c) {
        byte[] pattern = c.copy(1);
        Keyspace ks = c.server.keyspace;
        boolean all = pattern.length == 1 && pattern[0] == '*';
        List<byte[]> found = new ArrayList<>();
        for (int e = 0; e < ks.size(); e++) {
            if (ks.deadline(e) > c.server.now && (all || Glob.matches(pattern, ks.key(e)))) {
                found.add(ks.key(e));
            }
        }
        c.reply.array(found.size());
        for (byte[] key : found) {
            c.reply.bulk(key);
        }
    }
}
