package io.eventloop.examples.kv;

/**
 * The list commands redis-benchmark's default tests use: LPUSH, RPUSH, LPOP, RPOP (with the
 * optional count), LLEN and LRANGE. A list that becomes empty is removed, as in Redis.
 */
final class ListCommands {
    private ListCommands() {
    }

    /** The list at the key in argument 1, or null if absent; replies WRONGTYPE and returns null if it is a string. */
    private static ByteList list(KvConnection c, int e) {
        Object v = c.server.keyspace.value(e);
        if (v instanceof ByteList l) {
            return l;
        }
        c.reply.error(StringCommands.WRONGTYPE);
        return null;
    }

    static void push(KvConnection c, boolean left) {
        Keyspace ks = c.server.keyspace;
        int e = c.find(1);
        ByteList list;
        if (e < 0) {
            list = new ByteList();
            ks.add(c.copy(1), list);
        } else if ((list = list(c, e)) == null) {
            return;
        }
        for (int i = 2; i < c.argc(); i++) {
            if (left) {
                list.addFirst(c.copy(i));
            } else {
                list.addLast(c.copy(i));
            }
        }
        c.reply.integer(list.size());
    }

    /** LPOP / RPOP key [count]. */
    static void pop(KvConnection c, boolean left) {
        if (c.argc() > 3) {
            c.reply.error(Commands.wrongArity(left ? "lpop" : "rpop"));
            return;
        }
        boolean counted = c.argc() == 3;
        long count = 1;
        if (counted) {
            if (!c.number(2)) {
                c.reply.error(StringCommands.NOT_INTEGER);
                return;
            }
            if (c.number < 0) {
                c.reply.error("ERR value is out of range, must be positive");
                return;
            }
            count = c.number;
        }
        int e = c.find(1);
        if (e < 0) {
            if (counted) {
                c.reply.nilArray();
            } else {
                c.reply.nil();
            }
            return;
        }
        ByteList list = list(c, e);
        if (list == null) {
            return;
        }
        int n = (int) Math.min(count, list.size());
        if (counted) {
            c.reply.array(n);
        }
        for (int i = 0; i < n; i++) {
            c.reply.bulk(left ? list.removeFirst() : list.removeLast());
        }
        if (list.size() == 0) {
            c.server.keyspace.remove(e);
        }
    }

    static void llen(KvConnection c) {
        int e = c.find(1);
        if (e < 0) {
            c.reply.integer(0);
            return;
        }
        ByteList list = list(c, e);
        if (list != null) {
            c.reply.integer(list.size());
        }
    }

    static void lrange(KvConnection c) {
        if (!c.number(2)) {
            c.reply.error(StringCommands.NOT_INTEGER);
            return;
        }
        long start = c.number;
        if (!c.number(3)) {
            c.reply.error(StringCommands.NOT_INTEGER);
            return;
        }
        long stop = c.number;
        int e = c.find(1);
        if (e < 0) {
            c.reply.array(0);
            return;
        }
        ByteList list = list(c, e);
        if (list == null) {
            return;
        }
        int size = list.size();
        if (start < 0) {
            start = Math.max(0, size + start);
        }
        if (stop < 0) {
            stop = size + stop;
        }
        stop = Math.min(stop, size - 1);
        if (start > stop || start >= size) {
            c.reply.array(0);
            return;
        }
        c.reply.array((int) (stop - start + 1));
        for (long i = start; i <= stop; i++) {
            c.reply.bulk(list.get((int) i));
        }
    }
}
