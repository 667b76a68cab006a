package io.eventloop.examples;

import static io.eventloop.await.Await.async;
import static io.eventloop.await.Await.await;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.net.LimitOverrunException;
import io.eventloop.net.Net;
import io.eventloop.net.Server;
import io.eventloop.net.StreamReader;
import io.eventloop.net.StreamWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat server of {@link ChatServer} with its connection handler in straight-line form: the
 * same commands ({@code /nick /who /me /quit /help}), limits ({@code --max-clients},
 * {@code --max-line}, {@code --idle-minutes}, {@code --max-pending-kib}) and control characters
 * shown rather than obeyed; on INT or TERM it stops accepting and closes the connections once
 * flushed. Python:
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
 * {@code ./run chat --await [--host H] [--port 6667] [--max-clients N] [--max-line BYTES]
 * [--idle-minutes M] [--max-pending-kib K] [--grace SECONDS] [--backlog N] [--tls [--cert FILE --key FILE]]}.
 */
public final class ChatAwait {
    private static final Logger log = LoggerFactory.getLogger(ChatAwait.class);
    private static final Pattern NICK = Pattern.compile("[A-Za-z0-9_-]{1,20}");
    private static final String HELP = "* /nick NAME, /who, /me ACTION, /quit [MESSAGE], /help";

    private final ChatServer.Config config;
    /** Clients that picked a nickname, by nickname (sorted, for /who). Loop thread only. */
    private final Map<String, Client> byNick = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    /** Every connection, nickname or not. Loop thread only. */
    private final Set<Client> clients = new LinkedHashSet<>();

    ChatAwait(ChatServer.Config config) {
        this.config = config;
    }

    /** One connection. */
    private final class Client {
        final StreamReader reader;
        final StreamWriter writer;
        String nick;
        /** Why the client left, for the others' notice; null for a plain disconnect. */
        String leaveReason;

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
                log.warn("{} cut off: {} bytes wait for it", nick, writer.transport().writeBufferSize());
                leaveReason = "too slow to read";
                writer.transport().abort(); // it does not read: cutting it off bounds the server's memory
            }
        }
    }

    /** Serves one connection, from the greeting to its leaving. */
    Future<Void> handle(StreamReader reader, StreamWriter writer) {
        if (clients.size() >= config.maxClients) {
            writer.write("* the server is full (" + config.maxClients + " clients), try again later\n");
            return Async.completed(null);
        }
        return async(() -> {
            Client c = new Client(reader, writer);
            clients.add(c);
            try {
                c.send("* welcome to eventloop chat! pick a nickname:");
                if (!pickNick(c)) {
                    return null;
                }
                String line;
                while ((line = nextLine(c)) != null && onLine(c, line)) {
                    // each line acted on
                }
                return null;
            } finally {
                leave(c);
            }
        });
    }

    /** Asks until the client gives a free, valid nickname; false if it left meanwhile. */
    private boolean pickNick(Client c) throws Exception {
        while (true) {
            String line = nextLine(c);
            if (line == null) {
                return false;
            }
            String nick = line.strip();
            if (nick.isEmpty()) {
                continue;
            }
            if (!NICK.matcher(nick).matches()) {
                c.send("* a nickname is 1 to 20 letters, digits, '_' or '-'; try again:");
            } else if (byNick.containsKey(nick)) {
                c.send("* " + nick + " is taken; try another:");
            } else {
                c.nick = nick;
                byNick.put(nick, c);
                c.send("* hello " + nick + "! " + byNick.size() + " online: " + String.join(", ", byNick.keySet())
                        + ". /help lists the commands.");
                broadcast(c, "* " + nick + " joined");
                return true;
            }
        }
    }

    /**
     * The next line of {@code c}, control characters shown; null once it is gone (EOF, error,
     * idle). An over-long line is answered with a message, and it and its rest come back as "".
     */
    private String nextLine(Client c) throws Exception {
        try {
            String line = await(Async.waitFor(c.reader.readLine(), config.idleTimeout));
            return line == null ? null : ChatServer.visible(line);
        } catch (Exception e) {
            // await throws what the future failed with, checked or not, so the catch names Exception
            switch (e) {
                case LimitOverrunException over -> {
                    c.send("* line too long (the limit is " + config.maxLineBytes + " bytes); it was dropped");
                    if (!over.separatorFound()) {
                        skipRestOfLine(c);
                    }
                    return "";
                }
                case TimeoutException idle -> {
                    c.leaveReason = "idle";
                    c.send("* idle for " + config.idleTimeout.toMinutes() + " minutes, bye");
                    return null;
                }
                case IOException gone -> {
                    log.debug("{}: {}", c.nick, gone.toString());
                    return null;
                }
                default -> throw e;
            }
        }
    }

    /** Drops what is left of an over-long line, up to and including its newline. */
    private void skipRestOfLine(Client c) throws Exception {
        while (true) {
            try {
                await(c.reader.readLine()); // the tail, with its newline (or EOF)
                return;
            } catch (Exception e) {
                if (!(e instanceof LimitOverrunException more)) {
                    throw e;
                }
                if (more.separatorFound()) {
                    return;
                }
            }
        }
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
        }
    }

    /** Sends {@code text} to every client with a nickname except {@code from}; never waits. */
    private void broadcast(Client from, String text) {
        byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
        for (Client other : byNick.values().toArray(new Client[0])) {
            if (other != from) {
                other.sendBytes(bytes);
            }
        }
    }

    private void leave(Client c) {
        clients.remove(c);
        if (c.nick != null && byNick.get(c.nick) == c) {
            byNick.remove(c.nick);
            broadcast(c, "* " + c.nick + " left" + (c.leaveReason != null ? " (" + c.leaveReason + ")" : ""));
        }
    }

    /** Tells every client the server is going away and closes its connection once flushed. */
    private void closeClients() {
        for (Client c : clients) {
            c.leaveReason = "server shutdown";
            if (!c.writer.isClosing()) {
                c.writer.write("* the server is shutting down, bye\n");
                c.writer.close();
            }
        }
    }

    /** Runs the server: {@code ./run chat --await [options]}. */
    public static void main(String[] args) {
        Args a = Args.parse(args, "./run chat --await [options]\nthen, in a few terminals: nc 127.0.0.1 6667\n"
                + ServerTls.USAGE, ServerTls.options(
                "host", "127.0.0.1", "port", "6667", "max-clients", "1000", "max-line", "2048", "idle-minutes", "10",
                "max-pending-kib", "256", "grace", "5", "backlog", String.valueOf(Server.DEFAULT_BACKLOG)));
        ChatServer.Config config = new ChatServer.Config();
        config.host = a.get("host");
        config.port = a.intValue("port");
        config.maxClients = a.intValue("max-clients");
        config.maxLineBytes = a.intValue("max-line");
        config.idleTimeout = Duration.ofMinutes(a.intValue("idle-minutes"));
        config.maxPendingBytes = a.intValue("max-pending-kib") * 1024;
        config.backlog = a.intValue("backlog");
        Duration grace = a.seconds("grace");
        ServerTls tls = ServerTls.parse(a, ServerTls.Client.OPENSSL);
        config.tls = tls.config();
        ChatAwait chat = new ChatAwait(config);
        EventLoop.run(() -> async(() -> {
            EventLoop loop = EventLoop.current();
            Server server = await(Net.startServer(loop, chat::handle, config.host, config.port, config.maxLineBytes,
                    config.backlog, config.tls));
            tls.announce(server.port());
            return await(Shutdown.serveUntilExit(loop, config.host, server, grace, chat::closeClients));
        }));
    }
}
