package io.eventloop.examples.kv;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Channels and patterns, and who listens to them: SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE,
 * PUNSUBSCRIBE and PUBLISH. A message goes out to each subscriber as it is published, in RESP2 an
 * array and in RESP3 a push; a subscriber that leaves its messages unread passes its output limit
 * and is disconnected ({@link KvConnection#send}), so a slow reader never makes the publisher wait
 * or the server grow without bound. Loop thread only.
 */
final class PubSub {
    private static final byte[] MESSAGE = Reply.ascii("message");
    private static final byte[] PMESSAGE = Reply.ascii("pmessage");

    private final Map<String, Set<KvConnection>> channels = new HashMap<>();
    private final Map<String, Set<KvConnection>> patterns = new HashMap<>();

    /** SUBSCRIBE channel [channel ...] and PSUBSCRIBE pattern [pattern ...]. */
    void subscribe(KvConnection c, boolean pattern) {
        Set<String> mine = pattern ? c.patterns() : c.channels();
        Map<String, Set<KvConnection>> all = pattern ? patterns : channels;
        for (int i = 1; i < c.argc(); i++) {
            String name = c.text(i);
            if (mine.add(name)) {
                all.computeIfAbsent(name, k -> new LinkedHashSet<>()).add(c);
            }
            confirm(c, pattern ? "psubscribe" : "subscribe", name);
        }
    }

    /** UNSUBSCRIBE [channel ...] and PUNSUBSCRIBE [pattern ...]: none named means all. */
    void unsubscribe(KvConnection c, boolean pattern) {
        Set<String> mine = pattern ? c.patterns() : c.channels();
        String kind = pattern ? "punsubscribe" : "unsubscribe";
        List<String> names = new ArrayList<>();
        if (c.argc() == 1) {
            names.addAll(mine);
            if (names.isEmpty()) {
                confirm(c, kind, null);
                return;
            }
        } else {
            for (int i = 1; i < c.argc(); i++) {
                names.add(c.text(i));
            }
        }
        for (String name : names) {
            if (mine.remove(name)) {
                forget(pattern ? patterns : channels, name, c);
            }
            confirm(c, kind, name);
        }
    }

    /** The {@code [kind, name, count]} reply of each (un)subscription. */
    private static void confirm(KvConnection c, String kind, String name) {
        Reply r = c.reply;
        r.push(3);
        r.bulk(kind);
        if (name == null) {
            r.nil();
        } else {
            r.bulk(name);
        }
        r.integer((c.channels == null ? 0 : c.channels.size()) + (c.patterns == null ? 0 : c.patterns.size()));
    }

    private static void forget(Map<String, Set<KvConnection>> all, String name, KvConnection c) {
        Set<KvConnection> set = all.get(name);
        if (set != null && set.remove(c) && set.isEmpty()) {
            all.remove(name);
        }
    }

    /** A client is gone: it listens to nothing any more. */
    void unsubscribeAll(KvConnection c) {
        if (c.channels != null) {
            c.channels.forEach(name -> forget(channels, name, c));
            c.channels.clear();
        }
        if (c.patterns != null) {
            c.patterns.forEach(name -> forget(patterns, name, c));
            c.patterns.clear();
        }
    }

    /** PUBLISH channel message: replies the number of clients that got it. */
    void publish(KvConnection c) {
        Reply r = c.reply;
        String name = c.text(1);
        byte[] channel = name.getBytes(StandardCharsets.UTF_8);
        byte[] message = c.copy(2);
        int receivers = 0;
        r.flush(); // the publisher's earlier replies first, then the shared buffer serves the subscribers
        Set<KvConnection> direct = channels.get(name);
        if (direct != null) {
            for (KvConnection sub : List.copyOf(direct)) {
                r.begin(sub);
                r.push(3);
                r.bulk(MESSAGE);
                r.bulk(channel);
                r.bulk(message);
                r.flush();
                receivers++;
            }
        }
        if (!patterns.isEmpty()) {
            for (Map.Entry<String, Set<KvConnection>> e : List.copyOf(patterns.entrySet())) {
                byte[] pattern = e.getKey().getBytes(StandardCharsets.UTF_8);
                if (!Glob.matches(pattern, channel)) {
                    continue;
                }
                for (KvConnection sub : List.copyOf(e.getValue())) {
                    r.begin(sub);
                    r.push(4);
                    r.bulk(PMESSAGE);
                    r.bulk(pattern);
                    r.bulk(channel);
                    r.bulk(message);
                    r.flush();
                    receivers++;
                }
            }
        }
        r.begin(c);
        r.integer(receivers);
    }
}
