package io.eventloop.examples.kv;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The command table and the dispatch, after Redis's {@code processCommand}: look the name up
 * (case-insensitively, straight from the request bytes), check the arity, refuse what a RESP2
 * subscriber may not run, then call the handler. The handlers of the data commands are in
 * {@link StringCommands} and {@link ListCommands}; those about the connection and the server are
 * here. Error texts are Redis's own, so clients that match on them keep working.
 */
final class Commands {
    /** What a command does, for the handler table: Redis's {@code redisCommandProc}. */
    @FunctionalInterface
    interface Handler {
        void run(KvConnection c);
    }

    /**
     * One command: its name (lower case, as errors show it), its arity (n exactly, or at least -n,
     * as Redis counts them, the name included), its flags and key positions for COMMAND, and
     * whether a RESP2 client may run it while subscribed.
     */
    record Command(String name, int arity, List<String> flags, int firstKey, int lastKey, int step,
            boolean whileSubscribed, Handler handler) {
        byte[] bytes() {
            return name.getBytes(StandardCharsets.US_ASCII);
        }
    }

    private final List<Command> all = new ArrayList<>();
    /** Open addressing on the hash of the lower-case name. */
    private final Command[] table = new Command[256];

    Commands() {
        add("ping", -1, "fast", 0, 0, 0, true, ServerCommands::ping);
        add("echo", 2, "fast", 0, 0, 0, false, c -> c.reply.bulk(c.buf(1), c.pos(1), c.len(1)));
        add("quit", -1, "fast", 0, 0, 0, true, c -> {
            c.reply.ok();
            c.closeAfterReplies();
        });
        add("hello", -1, "fast", 0, 0, 0, false, ServerCommands::hello);
        add("client", -2, "", 0, 0, 0, false, ServerCommands::client);
        add("command", -1, "", 0, 0, 0, false, c -> ServerCommands.command(c, this));
        add("config", -2, "", 0, 0, 0, false, ServerCommands::config);
        add("select", 2, "fast", 0, 0, 0, false, ServerCommands::select);
        add("dbsize", 1, "readonly fast", 0, 0, 0, false, c -> c.reply.integer(c.server.keyspace.size()));
        add("flushall", -1, "write", 0, 0, 0, false, ServerCommands::flushall);
        add("flushdb", -1, "write", 0, 0, 0, false, ServerCommands::flushall);
        add("keys", 2, "readonly", 0, 0, 0, false, StringCommands::keys);
        add("get", 2, "readonly fast", 1, 1, 1, false, StringCommands::get);
        add("set", -3, "write denyoom", 1, 1, 1, false, StringCommands::set);
        add("del", -2, "write", 1, -1, 1, false, StringCommands::del);
        add("unlink", -2, "write fast", 1, -1, 1, false, StringCommands::del);
        add("exists", -2, "readonly fast", 1, -1, 1, false, StringCommands::exists);
        add("type", 2, "readonly fast", 1, 1, 1, false, StringCommands::type);
        add("incr", 2, "write denyoom fast", 1, 1, 1, false, c -> StringCommands.incrBy(c, 1, false));
        add("decr", 2, "write denyoom fast", 1, 1, 1, false, c -> StringCommands.incrBy(c, -1, false));
        add("incrby", 3, "write denyoom fast", 1, 1, 1, false, c -> StringCommands.incrBy(c, 1, true));
        add("decrby", 3, "write denyoom fast", 1, 1, 1, false, c -> StringCommands.incrBy(c, -1, true));
        add("mget", -2, "readonly fast", 1, -1, 1, false, StringCommands::mget);
        add("mset", -3, "write denyoom", 1, -1, 2, false, StringCommands::mset);
        add("expire", -3, "write fast", 1, 1, 1, false, c -> StringCommands.expire(c, 1000));
        add("pexpire", -3, "write fast", 1, 1, 1, false, c -> StringCommands.expire(c, 1));
        add("ttl", 2, "readonly fast", 1, 1, 1, false, c -> StringCommands.ttl(c, 1000));
        add("pttl", 2, "readonly fast", 1, 1, 1, false, c -> StringCommands.ttl(c, 1));
        add("persist", 2, "write fast", 1, 1, 1, false, StringCommands::persist);
        add("lpush", -3, "write denyoom fast", 1, 1, 1, false, c -> ListCommands.push(c, true));
        add("rpush", -3, "write denyoom fast", 1, 1, 1, false, c -> ListCommands.push(c, false));
        add("lpop", -2, "write fast", 1, 1, 1, false, c -> ListCommands.pop(c, true));
        add("rpop", -2, "write fast", 1, 1, 1, false, c -> ListCommands.pop(c, false));
        add("llen", 2, "readonly fast", 1, 1, 1, false, ListCommands::llen);
        add("lrange", 4, "readonly", 1, 1, 1, false, ListCommands::lrange);
        add("subscribe", -2, "pubsub noscript loading stale", 0, 0, 0, true, c -> c.server.pubsub.subscribe(c, false));
        add("unsubscribe", -1, "pubsub noscript loading stale", 0, 0, 0, true,
                c -> c.server.pubsub.unsubscribe(c, false));
        add("psubscribe", -2, "pubsub noscript loading stale", 0, 0, 0, true, c -> c.server.pubsub.subscribe(c, true));
        add("punsubscribe", -1, "pubsub noscript loading stale", 0, 0, 0, true,
                c -> c.server.pubsub.unsubscribe(c, true));
        add("publish", 3, "pubsub loading stale fast", 0, 0, 0, false, c -> c.server.pubsub.publish(c));
    }

    private void add(String name, int arity, String flags, int first, int last, int step, boolean whileSubscribed,
            Handler handler) {
        Command cmd = new Command(name, arity, flags.isEmpty() ? List.of() : List.of(flags.split(" ")), first, last,
                step, whileSubscribed, handler);
        all.add(cmd);
        byte[] b = cmd.bytes();
        int slot = hash(ByteBuffer.wrap(b), 0, b.length) & (table.length - 1);
        while (table[slot] != null) {
            slot = (slot + 1) & (table.length - 1);
        }
        table[slot] = cmd;
    }

    /** Every command, in table order (COMMAND lists them). */
    List<Command> all() {
        return all;
    }

    /** The hash of a name, ignoring ASCII case. */
    private static int hash(ByteBuffer b, int pos, int len) {
        int h = 0;
        for (int i = pos; i < pos + len; i++) {
            int c = b.get(i);
            h = h * 31 + (c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
        return h ^ (h >>> 7);
    }

    /** The command named by {@code len} bytes of {@code b} from {@code pos}, in any case; null if none. */
    Command find(ByteBuffer b, int pos, int len) {
        if (len > 16) {
            return null;
        }
        int slot = hash(b, pos, len) & (table.length - 1);
        for (Command cmd; (cmd = table[slot]) != null; slot = (slot + 1) & (table.length - 1)) {
            if (sameName(cmd.name, b, pos, len)) {
                return cmd;
            }
        }
        return null;
    }

    private static boolean sameName(String name, ByteBuffer b, int pos, int len) {
        if (name.length() != len) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            int c = b.get(pos + i);
            if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Runs the command the connection's parser holds. */
    void dispatch(KvConnection c) {
        Command cmd = find(c.buf(0), c.pos(0), c.len(0));
        if (cmd == null) {
            c.reply.error(unknownCommand(c));
            return;
        }
        int argc = c.argc();
        if (cmd.arity > 0 ? argc != cmd.arity : argc < -cmd.arity) {
            c.reply.error(wrongArity(cmd.name));
            return;
        }
        if (c.resp == 2 && !cmd.whileSubscribed && c.subscribed()) {
            c.reply.error("ERR Can't execute '" + cmd.name + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING"
                    + " / QUIT / RESET are allowed in this context");
            return;
        }
        cmd.handler.run(c);
    }

    /** Redis's text: the name, then up to 128 characters of arguments, each quoted and followed by a space. */
    private static String unknownCommand(KvConnection c) {
        StringBuilder args = new StringBuilder();
        for (int i = 1; i < c.argc() && args.length() < 128; i++) {
            String a = c.text(i);
            args.append('\'').append(a, 0, Math.min(a.length(), 128 - args.length())).append("' ");
        }
        String name = c.text(0);
        return "ERR unknown command '" + name.substring(0, Math.min(name.length(), 128))
                + "', with args beginning with: " + args;
    }

    static String wrongArity(String name) {
        return "ERR wrong number of arguments for '" + name + "' command";
    }

    static String unknownSubcommand(KvConnection c, String command) {
        return "ERR unknown subcommand '" + c.text(1) + "'. Try " + command.toUpperCase(Locale.ROOT) + " HELP.";
    }
}
