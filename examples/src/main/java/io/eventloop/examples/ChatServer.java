package io.eventloop.examples;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.net.LimitOverrunException;
import io.eventloop.net.Net;
import io.eventloop.net.Server;
import io.eventloop.net.StreamReader;
import io.eventloop.net.StreamWriter;
import io.eventloop.net.TlsConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A chat server for {@code nc} and {@code telnet} users: pick a nickname, and every line you send
 * reaches everyone else. {@code ./run chat}, then {@code nc 127.0.0.1 6667} in a few terminals.
 * {@code ./run chat --tls} serves the same chat over TLS ({@link ServerTls}); {@code nc} and
 * {@code telnet} cannot speak it, so users connect with the command it prints,
 * {@code openssl s_client -quiet -CAfile CERT -connect localhost:6667}.
 *
 * <p>Commands: {@code /nick NAME}, {@code /who}, {@code /me ACTION}, {@code /quit [MESSAGE]},
 * {@code /help}. Built to survive real users:
 * <ul>
 *   <li>control characters are shown, never obeyed: a client cannot clear the others' screens,
 *       set their window titles, ring their bells or forge a line with a carriage return. Each
 *       C0 control but TAB, and DEL, arrives in caret notation, as {@code cat -v}, {@code less}
 *       and IRC clients show them (ESC as {@code ^[}, BEL {@code ^G}, a bare CR {@code ^M}, NUL
 *       {@code ^@}, DEL {@code ^?}); a C1 control (U+0080 to U+009F, such as U+009B, the one-byte
 *       CSI) becomes U+FFFD, as a byte that is not UTF-8 does. Shown rather than dropped, so the
 *       others see that something was sent and nothing a user typed silently changes. The CR of
 *       a CRLF line end (telnet's) is part of the line end, not of the line;</li>
 *   <li>a line longer than {@code --max-line} bytes gets a clear message and is dropped, and the
 *       server never buffers more than about twice that per client (the reader's limit);</li>
 *   <li>at most {@code --max-clients} connections; the next one is told the server is full (one
 *       warning per stretch of being full, not one per refused connect);</li>
 *   <li>a burst of connects waits in the kernel's listen queue of {@code --backlog} (default: the
 *       kernel's own ceiling, {@code somaxconn}) until the loop accepts it, so every client is
 *       greeted or told the server is full (with asyncio's 100, a burst of 1,100 connects left
 *       hundreds of clients connected on their side and never greeted);</li>
 *   <li>a client that resets its connection just leaves: the others are told, the reset is
 *       logged at DEBUG, and nothing reaches the loop's exception handler;</li>
 *   <li>a client silent for {@code --idle-minutes} is disconnected;</li>
 *   <li>a client that does not read what it is sent is cut off once more than
 *       {@code --max-pending-kib} wait for it, instead of growing the server's memory; the others
 *       keep receiving;</li>
 *   <li>Ctrl-C (SIGINT) or SIGTERM shuts down gracefully: clients are told, buffers flushed,
 *       sockets closed, through the loop's signal handlers.</li>
 * </ul>
 *
 * <p>The asyncio version of the core, for comparison:
 * <pre>
 * async def handle(reader, writer):
 *     writer.write(b"nickname? "); nick = (await reader.readline()).decode().strip()
 *     clients[nick] = writer
 *     try:
 *         while line := await asyncio.wait_for(reader.readline(), IDLE):
 *             for other, w in clients.items():
 *                 if other != nick:
 *                     w.write(f"&lt;{nick}&gt; {line.decode()}".encode())
 *                     if w.transport.get_write_buffer_size() &gt; MAX_PENDING:
 *                         w.transport.abort()          # a slow reader is cut off
 *     finally:
 *         del clients[nick]
 * </pre>
 * Broadcasting never waits for {@code drain()}: one slow reader must not hold the others back, so
 * the bound on its pending output is what keeps memory in check.
 */
public final class ChatServer {
    private static final Logger log = LoggerFactory.getLogger(ChatServer.class);
    private static final Pattern NICK = Pattern.compile("[A-Za-z0-9_-]{1,20}");
    private static final String HELP = String.join("\n",
            "* commands:",
            "*   /nick NAME      change your nickname",
            "*   /who            list who is here",
            "*   /me ACTION      say what you do",
            "*   /quit [MESSAGE] leave",
            "*   /help           this list");

    /** Settings; the command line sets the same ones. */
    static final class Config {
        String host = "127.0.0.1";
        int port = 6667;
        int maxClients = 1000;
        /** The longest line accepted, in bytes, without its newline. */
        int maxLineBytes = 2048;
        Duration idleTimeout = Duration.ofMinutes(10);
        /** Output waiting for one client beyond which it is cut off. */
        int maxPendingBytes = 256 * 1024;
        /** How long a shutdown waits for buffers to flush before aborting what is left. */
        Duration shutdownGrace = Duration.ofSeconds(5);
        /** Connects the kernel queues for the loop to accept (the kernel caps it at somaxconn). */
        int backlog = Server.DEFAULT_BACKLOG;
        /** The server side of TLS, or null for plain TCP. */
        TlsConfig tls;
        /** A Unix domain socket to listen on instead of host and port, or null. */
        Path unix;
    }

    private final EventLoop loop;
    private final Config config;
    private Server server;
    /** Clients that picked a nickname, by nickname (sorted, for /who). Loop thread only. */
    private final Map<String, Client> byNick = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    /** Every connection, nickname or not. Loop thread only. */
    private final Set<Client> clients = new LinkedHashSet<>();
    private boolean shuttingDown;
    /** Whether connections are being refused, so that a burst of them is logged once. Loop thread only. */
    private boolean full;
    /** During a shutdown: completed once every handler has run its leave(). */
    private Future<Void> allLeft;
    private final Future<Void> finished;

    private ChatServer(EventLoop loop, Config config) {
        this.loop = loop;
        this.config = config;
        this.finished = loop.createFuture();
    }

    /** A chat room on {@code loop} that listens nowhere: connections reach it through {@link #handle}. */
    static ChatServer room(EventLoop loop, Config config) {
        return new ChatServer(loop, config);
    }

    /** Starts a chat server on {@code loop}. */
    static Future<ChatServer> start(EventLoop loop, Config config) {
        ChatServer chat = new ChatServer(loop, config);
        Future<Server> listening = config.unix != null
                ? Net.startUnixServer(loop, chat::handle, config.unix, config.maxLineBytes, config.backlog, config.tls)
                : Net.startServer(loop, chat::handle, config.host, config.port, config.maxLineBytes, config.backlog,
                        config.tls);
        return listening
                .map(s -> {
                    chat.server = s;
                    log.info("chat server on {}{} (max {} clients, lines up to {} bytes, idle timeout {}, backlog {})",
                            chat.where(), config.tls != null ? " over TLS" : "",
                            config.maxClients, config.maxLineBytes, config.idleTimeout, config.backlog);
                    return chat;
                });
    }

    int port() {
        return server.port();
    }

    /** {@code HOST:PORT}, or the socket file's path. */
    String where() {
        return server.path() != null ? server.path().toString() : Args.hostPort(config.host, server.port());
    }

    /** Completes once {@link #shutdown()} is over. */
    Future<Void> finished() {
        return finished;
    }

    /** Connections now (nickname picked or not). */
    int clientCount() {
        return clients.size();
    }

    /** One connection. */
    private final class Client {
        final StreamReader reader;
        final StreamWriter writer;
        String nick;
        /** Why the client left, for the others' notice; null for a plain disconnect. */
        String leaveReason;
        /** Dropping the rest of an over-long line. */
        boolean discarding;

        Client(StreamReader reader, StreamWriter writer) {
            this.reader = reader;
            this.writer = writer;
        }

        void send(String line) {
            sendBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
        }

        void sendBytes(byte[] bytes) {
            if (writer.isClosing()) {
                return;
            }
            writer.write(bytes);
            if (writer.transport().writeBufferSize() > config.maxPendingBytes) {
                // It does not read: cutting it off is what keeps the server's memory bounded.
                log.warn("{} ({}) cut off: {} bytes wait for it", nick, writer.remoteAddress(),
                        writer.transport().writeBufferSize());
                leaveReason = "too slow to read";
                writer.transport().abort();
            }
        }

        @Override
        public String toString() {
            return (nick != null ? nick : "?") + "@" + writer.remoteAddress();
        }
    }

    // ------------------------------------------------------------------ one connection

    /**
     * Serves one connection, from the greeting to its leaving: what {@link #start} gives the
     * listening server, and what a test gives in-memory connections.
     */
    Future<Void> handle(StreamReader reader, StreamWriter writer) {
        if (shuttingDown) {
            writer.write("* the server is shutting down\n");
            return Async.completed(null); // the connection closes once that is flushed
        }
        if (clients.size() >= config.maxClients) {
            refuse(writer);
            return Async.completed(null);
        }
        Client c = new Client(reader, writer);
        clients.add(c);
        c.send("* welcome to eventloop chat! pick a nickname:");
        return pickNick(c).then(joined -> joined ? converse(c) : Async.<Void>completed(null))
                .ensure(() -> leave(c));
    }

    /** Tells a connection the server is full; warns once per stretch of being full, not once per connect. */
    private void refuse(StreamWriter writer) {
        if (!full) {
            full = true;
            log.warn("full: {} clients; refusing connections until one leaves", clients.size());
        }
        log.debug("refused {}", writer.remoteAddress());
        writer.write("* the server is full (" + config.maxClients + " clients), try again later\n");
    }

    /** Asks until the client gives a free, valid nickname; false if it left meanwhile. */
    private Future<Boolean> pickNick(Client c) {
        return Async.repeat(() -> nextLine(c).map(line -> {
            if (line == null) {
                return false; // gone
            }
            String nick = line.strip();
            if (nick.isEmpty()) {
                return true;
            }
            if (!NICK.matcher(nick).matches()) {
                c.send("* a nickname is 1 to 20 letters, digits, '_' or '-'; try again:");
                return true;
            }
            if (byNick.containsKey(nick)) {
                c.send("* " + nick + " is taken; try another:");
                return true;
            }
            c.nick = nick;
            byNick.put(nick, c);
            c.send("* hello " + nick + "! " + byNick.size() + " online: " + String.join(", ", byNick.keySet())
                    + ". /help lists the commands.");
            broadcast(c, "* " + nick + " joined");
            log.info("{} joined", c);
            return false;
        })).map(v -> c.nick != null);
    }

    /** Reads and acts on lines until the client leaves. */
    private Future<Void> converse(Client c) {
        return Async.repeat(() -> nextLine(c).map(line -> line != null && onLine(c, line)));
    }

    /**
     * The next line of {@code c}, made {@linkplain #visible visible}: the one door through which
     * a client's text enters the server. Null once it is gone (EOF, error, idle). An over-long
     * line is answered with a message and comes back as "" (ignored), and so does the rest of it.
     * The reader has already decoded it (a byte that is not UTF-8 became U+FFFD) and taken off
     * its {@code \n} or {@code \r\n}.
     */
    private Future<String> nextLine(Client c) {
        return Async.waitFor(c.reader.readLine(), config.idleTimeout)
                .map(line -> {
                    if (line != null && c.discarding) {
                        c.discarding = false; // the tail of an over-long line
                        return "";
                    }
                    return line == null ? null : visible(line);
                })
                .recover(LimitOverrunException.class, e -> {
                    if (!c.discarding) {
                        c.send("* line too long (the limit is " + config.maxLineBytes + " bytes); it was dropped");
                    }
                    c.discarding = !e.separatorFound();
                    return Async.completed("");
                })
                .recover(TimeoutException.class, e -> {
                    c.leaveReason = "idle";
                    c.send("* idle for " + describe(config.idleTimeout) + ", bye");
                    return Async.completed(null);
                })
                .recover(IOException.class, e -> {
                    log.debug("{}: {}", c, e.toString());
                    return Async.completed(null);
                });
    }

    /**
     * {@code line} with its control characters shown instead of obeyed: a C0 control other than
     * TAB, or DEL, in caret notation ({@code ESC} as {@code ^[}, a CR as {@code ^M}, DEL as
     * {@code ^?}); a C1 control as U+FFFD, since caret notation has no form for it.
     */
    static String visible(String line) {
        StringBuilder out = new StringBuilder(line.length() + 8);
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == '\t' || (ch >= ' ' && ch < 0x7F) || ch > 0x9F) {
                out.append(ch);
            } else if (ch <= 0x7F) {
                out.append('^').append((char) (ch ^ 0x40)); // 0x1B -> '[', 0x7F -> '?'
            } else {
                out.append('\uFFFD');
            }
        }
        return out.toString();
    }

    /** Acts on one line; false when the client is leaving. */
    private boolean onLine(Client c, String line) {
        if (line.isBlank()) {
            return true;
        }
        if (!line.startsWith("/")) {
            broadcast(c, "<" + c.nick + "> " + line);
            return true;
        }
        String[] parts = line.split("\\s+", 2);
        String argument = parts.length > 1 ? parts[1].strip() : "";
        switch (parts[0]) {
            case "/nick" -> rename(c, argument);
            case "/who" -> c.send("* " + byNick.size() + " online: " + String.join(", ", byNick.keySet()));
            case "/me" -> {
                if (argument.isEmpty()) {
                    c.send("* usage: /me ACTION");
                } else {
                    broadcast(c, "* " + c.nick + " " + argument);
                }
            }
            case "/quit" -> {
                c.leaveReason = argument.isEmpty() ? null : argument;
                c.send("* bye");
                return false;
            }
            case "/help" -> c.send(HELP);
            default -> c.send("* unknown command " + parts[0] + "; /help lists them");
        }
        return true;
    }

    private void rename(Client c, String nick) {
        if (!NICK.matcher(nick).matches()) {
            c.send("* usage: /nick NAME, with 1 to 20 letters, digits, '_' or '-'");
        } else if (byNick.containsKey(nick) && byNick.get(nick) != c) {
            c.send("* " + nick + " is taken");
        } else if (!nick.equals(c.nick)) {
            String old = c.nick;
            byNick.remove(old);
            c.nick = nick;
            byNick.put(nick, c);
            broadcast(null, "* " + old + " is now known as " + nick);
            log.info("{} is now {}", old, nick);
        }
    }

    /** Sends {@code text} to every client with a nickname except {@code from}. */
    private void broadcast(Client from, String text) {
        byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
        for (Client other : byNick.values()) {
            if (other != from) {
                other.sendBytes(bytes); // may cut a slow reader off; it leaves later, in its own handler
            }
        }
    }

    private void leave(Client c) {
        clients.remove(c);
        if (clients.size() < config.maxClients) {
            full = false;
        }
        if (allLeft != null && clients.isEmpty()) {
            allLeft.complete(null);
        }
        if (c.nick != null && byNick.get(c.nick) == c) {
            byNick.remove(c.nick);
            broadcast(c, "* " + c.nick + " left" + (c.leaveReason != null ? " (" + c.leaveReason + ")" : ""));
            log.info("{} left{}", c, c.leaveReason != null ? " (" + c.leaveReason + ")" : "");
        }
    }

    private static String describe(Duration d) {
        long minutes = d.toMinutes();
        return minutes > 0 && d.equals(Duration.ofMinutes(minutes)) ? minutes + " minute" + (minutes == 1 ? "" : "s")
                : d.toMillis() + " ms";
    }

    // ------------------------------------------------------------------ shutdown

    /**
     * Stops accepting, tells every client, closes every connection once its buffer is flushed
     * (aborting what is still open after the grace period), then completes {@link #finished()}.
     * Idempotent.
     */
    Future<Void> shutdown() {
        if (shuttingDown) {
            return finished;
        }
        shuttingDown = true;
        allLeft = loop.createFuture();
        if (clients.isEmpty()) {
            allLeft.complete(null);
        }
        log.info("shutting down: telling {} client(s)", clients.size());
        server.close();
        byte[] bye = "* the server is shutting down, bye\n".getBytes(StandardCharsets.UTF_8);
        for (Client c : new ArrayList<>(clients)) {
            c.leaveReason = "server shutdown";
            if (!c.writer.isClosing()) {
                c.writer.write(bye);
                c.writer.close(); // flushes first
            }
        }
        Async.waitFor(server.waitClosed(), config.shutdownGrace)
                .recover(TimeoutException.class, e -> {
                    log.warn("connections still open after {}: aborting them", config.shutdownGrace);
                    server.abortClients();
                    return server.waitClosed();
                })
                .then(v -> allLeft) // every handler has said goodbye to the others
                .onDone(f -> {
                    log.info("chat server stopped");
                    finished.complete(null);
                });
        return finished;
    }

    /**
     * Runs the chat server: {@code ./run chat [--host H] [--port P] [--max-clients N] [--max-line BYTES]
     * [--idle-minutes M] [--max-pending-kib K] [--backlog N] [--tls [--cert FILE --key FILE]]}.
     */
    public static void main(String[] args) {
        Args a = Args.parse(args, "./run chat [options]\n"
                + "then, in a few terminals: nc 127.0.0.1 6667 (or telnet 127.0.0.1 6667);\n"
                + "with --tls, which nc and telnet cannot speak: openssl s_client -quiet -CAfile CERT -connect localhost:6667\n"
                + "(CERT: the file --tls prints, or your --cert)\n"
                + Args.UNIX_USAGE + "\n"
                + ServerTls.USAGE,
                ServerTls.options("host", "127.0.0.1", "port", "6667", "unix", "",
                        "max-clients", "1000", "max-line", "2048", "idle-minutes", "10", "max-pending-kib", "256",
                        "backlog", String.valueOf(Server.DEFAULT_BACKLOG)));
        Config config = new Config();
        config.host = a.get("host");
        config.port = a.intValue("port");
        config.maxClients = a.intValue("max-clients");
        config.maxLineBytes = a.intValue("max-line");
        config.idleTimeout = Duration.ofMinutes(a.intValue("idle-minutes"));
        config.maxPendingBytes = a.intValue("max-pending-kib") * 1024;
        config.backlog = a.intValue("backlog");
        ServerTls tls = ServerTls.parse(a, ServerTls.Client.OPENSSL);
        config.tls = tls.config();
        config.unix = a.unixPath();
        EventLoop.run(() -> {
            EventLoop loop = EventLoop.current();
            return start(loop, config).then(chat -> {
                if (config.unix == null) {
                    tls.announce(chat.port());
                }
                Shutdown.onExit(loop, chat::shutdown, 10); // SIGINT / SIGTERM: tell the clients, close
                System.out.println("listening on " + chat.where()); // after the handlers: a TERM right after it is handled
                return chat.finished();
            });
        });
    }
}
