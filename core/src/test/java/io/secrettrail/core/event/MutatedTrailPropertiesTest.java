package io.secrettrail.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Issue 12, Tests: bytes of real trail files mutated (flipped, inserted, deleted) inside some
 * records. TrailReader never throws, and every record whose bytes were not touched is accepted
 * exactly once, with its own eventID.
 *
 * <p>What "untouched" means, and why the property is honest: mutations stay in a record's
 * interior (never its opening brace or final byte) and never write or remove a newline.
 * <ul>
 * <li>NDJSON: each line is a record, and after any error the reader resumes at the line after
 * the one the broken record started on, so a neighbour is always read afresh even when the
 * error was detected inside it (a deleted quote makes a string run into the next line).</li>
 * <li>{"Records":[...]}: after an error the reader resumes at the next {"eventVersion" after the
 * broken record's start. CloudTrail writes eventVersion first; the real records are re-serialised
 * with it first (values unchanged), so the next record's start is always found, even when the
 * error is detected inside it. A record whose interior gains a {"eventVersion" of its own could
 * resync into itself; one mutation cannot write that 15-byte marker.</li>
 * </ul>
 * A mutated record may be rejected, accepted as changed, or split into several; none of that is
 * asserted beyond "no exception". The pool's eventIDs are distinct, and a few byte edits cannot
 * turn one UUID into another, so a mutated record never counts as an untouched one.
 */
class MutatedTrailPropertiesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Real Secrets Manager records (Stratus Red Team, AWS docs, Panther) with the eventID TrailReader gives each, unmutated. */
    private static final List<String> POOL = new ArrayList<>();

    private static final List<String> POOL_IDS = new ArrayList<>();

    static {
        List<String> lines = new ArrayList<>();
        lines.addAll(Fixtures.lines("stratus-red-team/events.ndjson"));
        lines.addAll(Fixtures.lines("awsdocs-aws-secrets-manager-docs/events.ndjson"));
        lines.addAll(Fixtures.lines("panther-analysis/events.ndjson"));
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String line : lines) {
            String record = eventVersionFirst(line);
            Collecting alone = read(("{\"Records\":[" + record + "]}").getBytes(StandardCharsets.UTF_8), "one");
            Collecting asLine = read((line + "\n").getBytes(StandardCharsets.UTF_8), "one");
            if (alone.events.size() == 1
                    && asLine.events.size() == 1
                    && seen.add(alone.events.get(0).eventId())
                    && alone.events.get(0).eventId().equals(asLine.events.get(0).eventId())) {
                POOL.add(line);
                POOL_IDS.add(alone.events.get(0).eventId());
            }
        }
    }

    enum Kind {
        FLIP,
        INSERT,
        DELETE
    }

    /** One edit: in record {@code record} of the file, at a fraction of its interior. */
    record Mutation(int record, double at, Kind kind, int value) {}

    record Case(List<Integer> picks, List<Mutation> mutations, boolean gzip) {}

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<List<Integer>> picks = Arbitraries.integers()
                .between(0, POOL.size() - 1)
                .list()
                .ofMinSize(1)
                .ofMaxSize(20)
                .uniqueElements();
        Arbitrary<Mutation> mutation = Combinators.combine(
                        Arbitraries.integers().between(0, 19),
                        Arbitraries.doubles().between(0, 1),
                        Arbitraries.of(Kind.class),
                        Arbitraries.integers().between(0, 255))
                .as(Mutation::new);
        return Combinators.combine(picks, mutation.list().ofMaxSize(6), Arbitraries.of(true, false))
                .as(Case::new);
    }

    @Property(tries = 400)
    void ndjson_untouched_lines_are_each_accepted_once(@ForAll("cases") Case c) {
        check(c, false);
    }

    @Property(tries = 400)
    void records_array_untouched_records_are_each_accepted_once(@ForAll("cases") Case c) {
        check(c, true);
    }

    private static void check(Case c, boolean array) {
        List<byte[]> records = new ArrayList<>();
        for (int p : c.picks()) {
            String text = array ? eventVersionFirst(POOL.get(p)) : POOL.get(p);
            records.add(text.getBytes(StandardCharsets.UTF_8));
        }
        boolean[] touched = new boolean[records.size()];
        for (Mutation m : c.mutations()) {
            if (m.record() >= records.size()) {
                continue;
            }
            records.set(m.record(), mutate(records.get(m.record()), m));
            touched[m.record()] = true;
        }
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        if (array) {
            file.writeBytes("{\"Records\":[".getBytes(StandardCharsets.UTF_8));
        }
        for (int i = 0; i < records.size(); i++) {
            if (array && i > 0) {
                file.write(',');
            }
            file.writeBytes(records.get(i));
            if (!array) {
                file.write('\n');
            }
        }
        if (array) {
            file.writeBytes("]}".getBytes(StandardCharsets.UTF_8));
        }
        byte[] bytes = c.gzip() ? gzip(file.toByteArray()) : file.toByteArray();

        Collecting sink = read(bytes, "mutated");

        Map<String, Integer> accepted = new HashMap<>();
        sink.events.forEach(e -> accepted.merge(e.eventId(), 1, Integer::sum));
        Map<String, Integer> expected = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            if (!touched[i]) {
                expected.put(POOL_IDS.get(c.picks().get(i)), 1);
            }
        }
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            assertThat(accepted.getOrDefault(e.getKey(), 0))
                    .as("untouched record %s", e.getKey())
                    .isEqualTo(1);
        }
        if (!array) {
            assertThat(sink.rejections).allSatisfy(r -> assertThat(r.error()).isNotBlank());
        }
    }

    /** Applies one edit inside the record's interior (never byte 0 or the last), writing no newline. */
    static byte[] mutate(byte[] record, Mutation m) {
        if (record.length < 3) {
            return record;
        }
        int pos = 1 + (int) Math.min(record.length - 3, Math.floor(m.at() * (record.length - 2)));
        byte v = (byte) (m.value() == '\n' ? ' ' : m.value());
        ByteArrayOutputStream out = new ByteArrayOutputStream(record.length + 1);
        switch (m.kind()) {
            case FLIP -> {
                byte[] copy = record.clone();
                copy[pos] = record[pos] == '\n' ? record[pos] : (byte) (record[pos] ^ (v == 0 ? 1 : v));
                if (copy[pos] == '\n') {
                    copy[pos] = record[pos];
                }
                return copy;
            }
            case INSERT -> {
                out.write(record, 0, pos);
                out.write(v);
                out.write(record, pos, record.length - pos);
            }
            case DELETE -> {
                out.write(record, 0, pos);
                out.write(record, pos + 1, record.length - pos - 1);
            }
        }
        return out.toByteArray();
    }

    /** The record with eventVersion first, as CloudTrail writes it; values unchanged. */
    static String eventVersionFirst(String line) {
        try {
            ObjectNode in = (ObjectNode) JSON.readTree(line);
            ObjectNode out = JSON.createObjectNode();
            if (in.has("eventVersion")) {
                out.set("eventVersion", in.get("eventVersion"));
            } else {
                out.put("eventVersion", "1.08");
            }
            for (Iterator<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> it = in.fields();
                    it.hasNext(); ) {
                Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> f = it.next();
                if (!f.getKey().equals("eventVersion")) {
                    out.set(f.getKey(), f.getValue());
                }
            }
            return JSON.writeValueAsString(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Collecting read(byte[] bytes, String name) {
        Collecting sink = new Collecting();
        try {
            new TrailReader().read(bytes, name, sink);
        } catch (IOException e) {
            throw new AssertionError("TrailReader threw on bytes in memory", e);
        }
        return sink;
    }

    static byte[] gzip(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static {
        Collections.unmodifiableList(POOL);
    }
}
