package io.eventloop.examples.kv;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The commands about the connection and the server: PING, HELLO, CLIENT, COMMAND, CONFIG GET,
 * SELECT and FLUSHALL, with what redis-cli and redis-benchmark expect of them.
 */
final class ServerCommands {
    /** The version HELLO reports: the protocol and command set this server follows. */
    static final String VERSION = "7.0.0";
    private static final byte[] PONG = Reply.ascii("+PONG\r\n");
    private static final byte[] AUTH = Reply.ascii("AUTH");
    private static final byte[] SETNAME = Reply.ascii("SETNAME");
    private static final byte[] GETNAME = Reply.ascii("GETNAME");
    private static final byte[] ID = Reply.ascii("ID");
    private static final byte[] SETINFO = Reply.ascii("SETINFO");
    private static final byte[] COUNT = Reply.ascii("COUNT");
    private static final byte[] INFO = Reply.ascii("INFO");
    private static final byte[] DOCS = Reply.ascii("DOCS");
    private static final byte[] LIST = Reply.ascii("LIST");
    private static final byte[] GET = Reply.ascii("GET");
    private static final byte[] ASYNC = Reply.ascii("ASYNC");
    private static final byte[] SYNC = Reply.ascii("SYNC");

    private ServerCommands() {
    }

    /** PING [message]; a RESP2 subscriber gets {@code ["pong", message]}, as Redis answers it. */
    static void ping(KvConnection c) {
        if (c.argc() > 2) {
            c.reply.error(Commands.wrongArity("ping"));
            return;
        }
        if (c.resp == 2 && c.subscribed()) {
            c.reply.array(2);
            c.reply.bulk("pong");
            if (c.argc() == 2) {
                c.reply.bulk(c.buf(1), c.pos(1), c.len(1));
            } else {
                c.reply.bulk("");
            }
        } else if (c.argc() == 2) {
            c.reply.bulk(c.buf(1), c.pos(1), c.len(1));
        } else {
            c.reply.raw(PONG);
        }
    }

    /** HELLO [protover [AUTH username password] [SETNAME clientname]]. */
    static void hello(KvConnection c) {
        int version = c.resp;
        if (c.argc() >= 2) {
            if (!c.number(1)) {
                c.reply.error("ERR Protocol version is not an integer or out of range");
                return;
            }
            if (c.number < 2 || c.number > 3) {
                c.reply.error("NOPROTO unsupported protocol version");
                return;
            }
            version = (int) c.number;
        }
        String name = null;
        for (int i = 2; i < c.argc(); i++) {
            if (c.is(i, AUTH) && i + 2 < c.argc()) {
                if (!c.text(i + 1).equals("default")) { // the one user, without a password, as Redis's default
                    c.reply.error("WRONGPASS invalid username-password pair or user is disabled.");
                    return;
                }
                i += 2;
            } else if (c.is(i, SETNAME) && i + 1 < c.argc()) {
                name = c.text(i + 1);
                if (!validName(name)) {
                    c.reply.error("ERR Client names cannot contain spaces, newlines or special characters.");
                    return;
                }
                i++;
            } else {
                c.reply.error("ERR Syntax error in HELLO option '" + c.text(i) + "'");
                return;
            }
        }
        if (name != null) {
            c.name = name;
        }
        c.resp = version;
        c.reply.begin(c); // the reply itself is in the new protocol
        Reply r = c.reply;
        r.map(7);
        r.bulk("server");
        r.bulk("kv-server");
        r.bulk("version");
        r.bulk(VERSION);
        r.bulk("proto");
        r.integer(version);
        r.bulk("id");
        r.integer(c.id);
        r.bulk("mode");
        r.bulk("standalone");
        r.bulk("role");
        r.bulk("master");
        r.bulk("modules");
        r.array(0);
    }

    private static boolean validName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch < '!' || ch > '~') {
                return false;
            }
        }
        return true;
    }

    /** CLIENT SETNAME / GETNAME / ID / SETINFO. */
    static void client(KvConnection c) {
        if (c.is(1, SETNAME)) {
            if (c.argc() != 3) {
                c.reply.error(Commands.wrongArity("client|setname"));
                return;
            }
            String name = c.text(2);
            if (!validName(name)) {
                c.reply.error("ERR Client names cannot contain spaces, newlines or special characters.");
                return;
            }
            c.name = name;
            c.reply.ok();
        } else if (c.is(1, GETNAME) && c.argc() == 2) {
            if (c.name.isEmpty()) {
                c.reply.nil();
            } else {
                c.reply.bulk(c.name);
            }
        } else if (c.is(1, ID) && c.argc() == 2) {
            c.reply.integer(c.id);
        } else if (c.is(1, SETINFO) && c.argc() == 4) {
            c.reply.ok(); // library name and version: accepted, not kept
        } else {
            c.reply.error(Commands.unknownSubcommand(c, "client"));
        }
    }

    /** COMMAND, COMMAND COUNT, COMMAND INFO name..., COMMAND LIST, COMMAND DOCS (empty: no docs kept). */
    static void command(KvConnection c, Commands table) {
        List<Commands.Command> all = table.all();
        Reply r = c.reply;
        if (c.argc() == 1) {
            r.array(all.size());
            all.forEach(cmd -> describe(r, cmd));
        } else if (c.is(1, COUNT) && c.argc() == 2) {
            r.integer(all.size());
        } else if (c.is(1, LIST) && c.argc() == 2) {
            r.array(all.size());
            all.forEach(cmd -> r.bulk(cmd.name()));
        } else if (c.is(1, INFO)) {
            r.array(c.argc() - 2);
            for (int i = 2; i < c.argc(); i++) {
                Commands.Command cmd = table.find(c.buf(i), c.pos(i), c.len(i));
                if (cmd == null) {
                    r.nilArray();
                } else {
                    describe(r, cmd);
                }
            }
        } else if (c.is(1, DOCS)) {
            r.map(0);
        } else {
            r.error(Commands.unknownSubcommand(c, "command"));
        }
    }

    /** One command as Redis 7 describes it: name, arity, flags, first/last key, step, ACL categories, tips, key specs, subcommands. */
    private static void describe(Reply r, Commands.Command cmd) {
        r.array(10);
        r.bulk(cmd.name());
        r.integer(cmd.arity());
        r.array(cmd.flags().size());
        cmd.flags().forEach(r::simple);
        r.integer(cmd.firstKey());
        r.integer(cmd.lastKey());
        r.integer(cmd.step());
        r.array(0);
        r.array(0);
        r.array(0);
        r.array(0);
    }

    /** CONFIG GET pattern...: the settings this server has; redis-benchmark asks for save and appendonly. */
    static void config(KvConnection c) {
        if (!c.is(1, GET) || c.argc() < 3) {
            c.reply.error(c.is(1, GET) ? Commands.wrongArity("config|get") : Commands.unknownSubcommand(c, "config"));
            return;
        }
        KvServer.Limits l = c.server.limits();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("save", "");
        settings.put("appendonly", "no");
        settings.put("databases", "1");
        settings.put("maxclients", String.valueOf(l.maxClients()));
        settings.put("proto-max-bulk-len", String.valueOf(l.maxBulkLength()));
        settings.put("client-query-buffer-limit", String.valueOf(l.queryBufferLimit()));
        settings.put("client-output-buffer-limit", "normal " + l.outputBufferLimit() + " 0 0 slave 0 0 0 pubsub "
                + l.pubsubOutputBufferLimit() + " 0 0");
        settings.put("hz", String.valueOf(l.hz()));
        List<String> found = new ArrayList<>();
        settings.forEach((k, v) -> {
            for (int i = 2; i < c.argc(); i++) {
                if (Glob.matches(c.copy(i), k.getBytes(StandardCharsets.US_ASCII))) {
                    found.add(k);
                    found.add(v);
                    break;
                }
            }
        });
        c.reply.map(found.size() / 2);
        found.forEach(c.reply::bulk);
    }

    static void select(KvConnection c) {
        if (!c.number(1)) {
            c.reply.error(StringCommands.NOT_INTEGER);
        } else if (c.number != 0) {
            c.reply.error("ERR DB index is out of range");
        } else {
            c.reply.ok();
        }
    }

    /** FLUSHALL [ASYNC | SYNC] (and FLUSHDB: there is one database). */
    static void flushall(KvConnection c) {
        if (c.argc() > 2 || (c.argc() == 2 && !c.is(1, ASYNC) && !c.is(1, SYNC))) {
            c.reply.error(StringCommands.SYNTAX);
            return;
        }
        c.server.keyspace.clear();
        c.reply.ok();
    }
}
