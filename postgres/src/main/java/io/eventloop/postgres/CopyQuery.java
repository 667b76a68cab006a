package io.eventloop.postgres;

import io.eventloop.Future;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Arguments for {@code COPY (query) TO STDOUT}, which takes no parameters: the query's parameter
 * types come from its description, the server writes each argument as a literal of its type
 * ({@code quote_nullable($1::type)}, the argument sent in the binary format as for any query), and
 * the literals replace the placeholders in the text. The server does the quoting, so no value is
 * ever pasted into SQL by the client. asyncpg does the same ({@code utils._mogrify}).
 */
final class CopyQuery {
    private CopyQuery() {
    }

    /** The literal of each argument, as the server writes it; {@code NULL} for null. */
    static Future<List<String>> literals(PgConnection conn, String sql, Object[] args) {
        return conn.parameterTypes(sql).then(types -> {
            if (types.length != args.length) {
                throw new IllegalArgumentException(MessageWriter.abbreviate(sql.strip()) + " has " + types.length
                        + " parameters and was given " + args.length + " arguments");
            }
            List<Long> oids = new ArrayList<>();
            for (int t : types) {
                oids.add(t & 0xFFFFFFFFL);
            }
            return conn.fetchVal("SELECT array_agg(format_type(t, NULL) ORDER BY i) FROM unnest($1::oid[]) WITH ORDINALITY u(t, i)",
                    oids);
        }).then(names -> {
            StringBuilder q = new StringBuilder("SELECT ");
            List<?> typeNames = (List<?>) names;
            for (int i = 0; i < typeNames.size(); i++) {
                q.append(i == 0 ? "" : ", ").append("quote_nullable($").append(i + 1).append("::").append(typeNames.get(i))
                        .append(")");
            }
            return conn.fetchRow(q.toString(), args);
        }).map(row -> {
            List<String> literals = new ArrayList<>();
            for (int i = 0; i < row.size(); i++) {
                literals.add((String) row.get(i));
            }
            return literals;
        });
    }

    /**
     * {@code sql} with {@code $n} replaced by {@code literals.get(n - 1)}, except inside string
     * constants ({@code '...'}, {@code E'...'}, {@code $tag$...$tag$}), quoted identifiers and
     * comments, where a {@code $1} is text.
     */
    static String substitute(String sql, List<String> literals) {
        StringBuilder b = new StringBuilder(sql.length() + 16);
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            int end;
            if (c == '\'') {
                boolean escapes = i > 0 && (sql.charAt(i - 1) == 'E' || sql.charAt(i - 1) == 'e')
                        && (i < 2 || !identifierPart(sql.charAt(i - 2)));
                end = i + 1;
                while (end < n && sql.charAt(end) != '\'') {
                    end += escapes && sql.charAt(end) == '\\' ? 2 : 1;
                }
                end = Math.min(end + 1, n); // '' inside is two constants back to back: the same text
            } else if (c == '"') {
                end = sql.indexOf('"', i + 1);
                end = end < 0 ? n : end + 1;
            } else if (c == '-' && sql.startsWith("--", i)) {
                end = sql.indexOf('\n', i);
                end = end < 0 ? n : end;
            } else if (c == '/' && sql.startsWith("/*", i)) {
                int depth = 0;
                end = i;
                do {
                    if (sql.startsWith("/*", end)) {
                        depth++;
                        end += 2;
                    } else if (sql.startsWith("*/", end)) {
                        depth--;
                        end += 2;
                    } else {
                        end++;
                    }
                } while (depth > 0 && end < n);
            } else if (c == '$' && (i == 0 || !identifierPart(sql.charAt(i - 1)))) {
                int j = i + 1;
                while (j < n && Character.isDigit(sql.charAt(j))) {
                    j++;
                }
                if (j > i + 1) {
                    int index = Integer.parseInt(sql, i + 1, j, 10);
                    if (index < 1 || index > literals.size()) {
                        throw new IllegalArgumentException("$" + index + " in " + MessageWriter.abbreviate(sql)
                                + " has no argument");
                    }
                    b.append(literals.get(index - 1));
                    i = j;
                    continue;
                }
                while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
                    j++;
                }
                if (j < n && sql.charAt(j) == '$') { // $tag$ ... $tag$
                    String tag = sql.substring(i, j + 1);
                    int close = sql.indexOf(tag, j + 1);
                    end = close < 0 ? n : close + tag.length();
                } else {
                    end = i + 1;
                }
            } else {
                end = i + 1;
            }
            b.append(sql, i, end);
            i = end;
        }
        return b.toString();
    }

    private static boolean identifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    /** An exchange that only has its text prepared (described), for its parameter types. */
    static final class Describe extends Bulk {
        private final String sql;

        Describe(String sql) {
            super(true);
            this.sql = sql;
        }

        @Override
        Step encode(MessageWriter out, Statement st, int chunk) {
            out.begin((byte) 'S');
            out.end();
            return Step.DONE;
        }

        @Override
        void abort(MessageWriter out, String why) {
            throw new IllegalStateException("a Sync alone is written whole");
        }

        @Override
        void message(byte type, ByteBuffer body) {
            throw Exchange.unexpected(type, query);
        }

        @Override
        Object result() {
            return query.statement.parameterTypes.clone();
        }

        @Override
        String describe() {
            return "describing " + MessageWriter.abbreviate(sql.strip());
        }
    }
}
