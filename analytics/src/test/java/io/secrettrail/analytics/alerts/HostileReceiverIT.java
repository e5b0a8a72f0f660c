package io.secrettrail.analytics.alerts;

import static io.secrettrail.analytics.alerts.WebhookDeliveryIT.DB;
import static io.secrettrail.analytics.alerts.WebhookDeliveryIT.SECRET;
import static io.secrettrail.analytics.alerts.WebhookDeliveryIT.T0;
import static io.secrettrail.analytics.alerts.WebhookDeliveryIT.alarm;
import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.rules.RuleCatalog;
import io.secrettrail.analytics.store.EventStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Receivers that answer badly (issue 12, item 16), as raw sockets on loopback where the answer is
 * not valid HTTP: whatever one answers is recorded on that delivery (attempt, status, reason), and
 * the pass goes on with every other delivery.
 */
@Timeout(60) // without the deadline a trickling receiver would hold a pass for hours
class HostileReceiverIT {
    /** Reads one request and answers it; the socket is closed afterwards. */
    interface Behaviour {
        void answer(OutputStream out) throws IOException, InterruptedException;
    }

    /** A receiver on a raw socket: each connection gets the next behaviour; the last one repeats. */
    final class RawReceiver implements AutoCloseable {
        final ServerSocket server;
        final List<Behaviour> script;
        final List<String> deliveries = new CopyOnWriteArrayList<>();
        final AtomicInteger connections = new AtomicInteger();
        final List<Socket> open = new CopyOnWriteArrayList<>();
        final Thread acceptor;

        RawReceiver(Behaviour... script) throws IOException {
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            this.script = List.of(script);
            acceptor = new Thread(this::acceptAll, "raw-receiver");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void acceptAll() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    open.add(s);
                    Behaviour b = script.get(Math.min(connections.getAndIncrement(), script.size() - 1));
                    Thread t = new Thread(() -> serve(s, b), "raw-receiver-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        private void serve(Socket s, Behaviour b) {
            try (s) {
                Map<String, String> headers = readRequest(s.getInputStream());
                deliveries.add(headers.getOrDefault("x-secrettrail-delivery", ""));
                OutputStream out = s.getOutputStream();
                b.answer(out);
                out.flush();
            } catch (IOException e) {
                // the sender hung up: what a deadline or a cap does
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : open) {
                s.close();
            }
        }
    }

    /** Reads the request head and its Content-Length body; returns the headers, lower-cased. */
    static Map<String, String> readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("request ended early");
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(
                        line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).trim());
            }
        }
        in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
        return headers;
    }

    static Behaviour raw(String answer) {
        return out -> out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
    }

    static final Behaviour OK = raw("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

    final List<RawReceiver> receivers = new ArrayList<>();
    EventStore store;
    final WebhookDeliveryIT.MovingClock clock = new WebhookDeliveryIT.MovingClock();

    @BeforeEach
    void open() throws Exception {
        store = EventStore.open(null);
    }

    @AfterEach
    void close() throws Exception {
        for (RawReceiver r : receivers) {
            r.close();
        }
        store.close();
    }

    RawReceiver receiver(Behaviour... script) throws IOException {
        RawReceiver r = new RawReceiver(script);
        receivers.add(r);
        return r;
    }

    /** Generic signed webhooks, name → receiver, each allowed 100 a minute. */
    WebhookSettings hooks(Map<String, RawReceiver> hooks) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        hooks.forEach((name, r) -> {
            m.put("webhook." + name + ".url", "http://127.0.0.1:" + r.port() + "/hook");
            m.put("webhook." + name + ".format", "generic");
            m.put("webhook." + name + ".secret", SECRET);
            m.put("webhook." + name + ".perMinute", "100");
        });
        return WebhookSettings.of(
                m, Set.copyOf(RuleCatalog.load().all().stream().map(r -> r.id()).toList()));
    }

    void twoAlerts(WebhookSettings s) throws Exception {
        new AlertLedger(store, s)
                .record(
                        List.of(alarm("bulk-retrieval", "high", "role/a"), alarm("public-policy", "high", DB)),
                        clock.instant());
    }

    Map<String, Map<String, Object>> byDelivery(String webhook) throws Exception {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (Map<String, Object> row : Deliverer.log(store, webhook, 100)) {
            out.put((String) row.get("delivery"), row);
        }
        return out;
    }

    @Test
    void a_malformed_location_fails_that_delivery_once_and_the_next_one_goes_out() throws Exception {
        RawReceiver r = receiver(
                raw("HTTP/1.1 302 Found\r\nLocation: http://exa mple.example/%zz?token=abc\r\nContent-Length: 5\r\n"
                        + "Connection: close\r\n\r\nmoved"),
                OK);
        WebhookSettings s = hooks(Map.of("soar", r));
        twoAlerts(s);
        Deliverer d = new Deliverer(store, s, clock);
        assertThat(d.deliverDue()).isEqualTo(2);
        Map<String, Map<String, Object>> rows = byDelivery("soar");
        assertThat(rows.get(r.deliveries.get(0)))
                .containsEntry("status", "failed")
                .containsEntry("attempts", 1)
                .containsEntry("lastStatus", 302);
        assertThat((String) rows.get(r.deliveries.get(0)).get("lastError"))
                .startsWith("HTTP 302, redirect to an invalid Location (")
                .endsWith(") not followed: moved")
                .doesNotContain("token=abc");
        assertThat(rows.get(r.deliveries.get(1)))
                .containsEntry("status", "delivered")
                .containsEntry("attempts", 1);
        // a failed delivery is final: later passes send nothing again
        clock.advance(Duration.ofHours(2));
        assertThat(d.deliverDue()).isZero();
        assertThat(r.connections).hasValue(2);
    }

    @Test
    void an_invalid_status_line_is_recorded_escaped_and_retried_later() throws Exception {
        RawReceiver r = receiver(raw("HTTP/1.1 2x0 \u001b[2JOK\r\n\r\n"), OK);
        WebhookSettings s = hooks(Map.of("soar", r));
        twoAlerts(s);
        Deliverer d = new Deliverer(store, s, clock);
        d.deliverDue();
        Map<String, Map<String, Object>> rows = byDelivery("soar");
        Map<String, Object> bad = rows.get(r.deliveries.get(0));
        assertThat(bad)
                .containsEntry("status", "pending")
                .containsEntry("attempts", 1)
                .containsEntry("lastStatus", null);
        assertThat((String) bad.get("lastError"))
                .startsWith("invalid HTTP answer: ")
                .contains("\\u001B[2J")
                .doesNotContain("\u001b");
        assertThat(rows.get(r.deliveries.get(1))).containsEntry("status", "delivered");
        clock.advance(Duration.ofMinutes(2)); // past the first backoff (at most 1.5 s)
        assertThat(d.deliverDue()).isEqualTo(1);
        assertThat(byDelivery("soar").get(r.deliveries.get(0)))
                .containsEntry("status", "delivered")
                .containsEntry("attempts", 2);
    }

    @Test
    void a_huge_body_is_read_only_up_to_the_cap() throws Exception {
        long offered = 1L << 30; // 1 GiB, if anyone read it all
        AtomicLong written = new AtomicLong();
        CountDownLatch finished = new CountDownLatch(1);
        RawReceiver r = receiver(
                out -> {
                    try {
                        out.write(("HTTP/1.1 500 Internal Server Error\r\nContent-Length: " + offered + "\r\n\r\n")
                                .getBytes(StandardCharsets.ISO_8859_1));
                        byte[] chunk = new byte[64 * 1024];
                        Arrays.fill(chunk, (byte) 'x');
                        while (written.get() < offered) {
                            out.write(chunk);
                            written.addAndGet(chunk.length);
                        }
                    } finally {
                        finished.countDown();
                    }
                },
                OK);
        WebhookSettings s = hooks(Map.of("soar", r));
        twoAlerts(s);
        assertThat(new Deliverer(store, s, clock).deliverDue()).isEqualTo(2);
        Map<String, Map<String, Object>> rows = byDelivery("soar");
        Map<String, Object> big = rows.get(r.deliveries.get(0));
        assertThat(big).containsEntry("status", "pending").containsEntry("lastStatus", 500);
        assertThat((String) big.get("lastError"))
                .startsWith("HTTP 500: xxxx")
                .hasSizeLessThan(Sender.SHOWN_BODY_CHARS + 20);
        assertThat(rows.get(r.deliveries.get(1))).containsEntry("status", "delivered");
        // the sender hung up after the cap: the receiver's writes fail long before the gigabyte
        assertThat(finished.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(written.get()).as("bytes the receiver got rid of").isLessThan(64L << 20);
    }

    @Test
    void a_two_hundred_with_an_endless_body_is_delivered_without_reading_it() throws Exception {
        RawReceiver r = receiver(out -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            for (int i = 0; i < 1_000_000; i++) {
                out.write('x');
                out.flush();
                Thread.sleep(200);
            }
        });
        WebhookSettings s = hooks(Map.of("soar", r));
        twoAlerts(s);
        new Deliverer(store, s, clock, Duration.ofSeconds(30)).deliverDue();
        assertThat(byDelivery("soar").values())
                .hasSize(2)
                .allSatisfy(row ->
                        assertThat(row).containsEntry("status", "delivered").containsEntry("lastStatus", 200));
    }

    @Test
    void a_body_that_trickles_is_cut_off_at_the_deadline_and_the_other_webhooks_go_on() throws Exception {
        Duration deadline = Duration.ofSeconds(2); // small, yet ample for a loopback answer on a loaded machine
        CountDownLatch hungUp = new CountDownLatch(1);
        RawReceiver slow = receiver(out -> {
            try {
                out.write("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 100000\r\n\r\nbusy"
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                for (int i = 0; i < 100_000; i++) { // a byte every 200 ms: over five hours for the whole body
                    Thread.sleep(200);
                    out.write('.');
                    out.flush();
                }
            } catch (IOException e) {
                hungUp.countDown();
                throw e;
            }
        });
        RawReceiver fast = receiver(OK);
        WebhookSettings s = hooks(new java.util.TreeMap<>(Map.of("a-slow", slow, "b-fast", fast)));
        twoAlerts(s);
        Deliverer d = new Deliverer(store, s, clock, deadline);
        assertThat(d.deliverDue()).isEqualTo(3);
        Map<String, Map<String, Object>> rows = byDelivery("a-slow");
        Map<String, Object> first = rows.get(slow.deliveries.get(0));
        assertThat(first)
                .containsEntry("status", "pending")
                .containsEntry("attempts", 1)
                .containsEntry("lastStatus", 503);
        assertThat((String) first.get("lastError"))
                .startsWith("HTTP 503: busy")
                .endsWith("(answer cut off at the 2000 ms deadline)");
        // the slow receiver held the pass once: its second delivery waits, untried, for the next pass
        assertThat(slow.deliveries).hasSize(1);
        assertThat(rows.values())
                .filteredOn(row -> !row.get("delivery").equals(slow.deliveries.get(0)))
                .singleElement()
                .satisfies(row ->
                        assertThat(row).containsEntry("status", "pending").containsEntry("attempts", 0));
        assertThat(byDelivery("b-fast").values())
                .hasSize(2)
                .allSatisfy(row -> assertThat(row).containsEntry("status", "delivered"));
        // and the connection was given up, not left to trickle on
        assertThat(hungUp.await(20, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void a_receiver_answering_just_inside_the_deadline_each_time_holds_the_pass_for_one_deadline_at_most()
            throws Exception {
        // found by review: each answer in time, so no attempt ran into the deadline, and perMinute of them held the
        // pass
        Duration deadline = Duration.ofSeconds(2);
        RawReceiver slow = receiver(out -> {
            Thread.sleep(800);
            out.write("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbusy"
                    .getBytes(StandardCharsets.ISO_8859_1));
        });
        RawReceiver fast = receiver(OK);
        WebhookSettings s = hooks(new java.util.TreeMap<>(Map.of("a-slow", slow, "b-fast", fast)));
        List<io.secrettrail.analytics.rules.Finding> alerts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            alerts.add(alarm("bulk-retrieval", "high", "role/r" + i));
        }
        new AlertLedger(store, s).record(alerts, clock.instant());
        Deliverer d = new Deliverer(store, s, clock, deadline);
        d.deliverDue();
        assertThat(slow.deliveries)
                .as("attempts on the slow receiver in one pass")
                .hasSizeBetween(1, 4);
        assertThat(byDelivery("b-fast").values())
                .hasSize(8)
                .allSatisfy(row -> assertThat(row).containsEntry("status", "delivered"));
    }

    @Test
    void headers_that_trickle_time_out_at_the_deadline() throws Exception {
        RawReceiver r = receiver(
                out -> {
                    out.write("HTTP/1.1 200 OK\r\nX-Slow: ".getBytes(StandardCharsets.ISO_8859_1));
                    for (int i = 0; i < 100_000; i++) {
                        out.flush();
                        Thread.sleep(200);
                        out.write('z');
                    }
                },
                OK);
        WebhookSettings s = hooks(Map.of("soar", r));
        twoAlerts(s);
        Deliverer d = new Deliverer(store, s, clock, Duration.ofSeconds(2));
        d.deliverDue();
        Map<String, Object> row = byDelivery("soar").get(r.deliveries.get(0));
        assertThat(row)
                .containsEntry("status", "pending")
                .containsEntry("attempts", 1)
                .containsEntry("lastStatus", null)
                .containsEntry("lastError", "timed out: no answer within 2000 ms");
        clock.advance(Duration.ofMinutes(2));
        assertThat(d.deliverDue()).isEqualTo(2); // the retry and the one that waited
        assertThat(byDelivery("soar").values()).allSatisfy(x -> assertThat(x).containsEntry("status", "delivered"));
    }

    @Test
    void retry_after_as_an_http_date_counts_from_the_clock_not_the_wall() throws Exception {
        // the test clock is in 2026; an HTTP date 90 s after it means 90 s, whatever the wall clock says
        String date = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                T0.plusSeconds(90).atZone(java.time.ZoneOffset.UTC));
        RawReceiver r = receiver(raw(
                "HTTP/1.1 503 Busy\r\nRetry-After: " + date + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
        WebhookSettings s = hooks(Map.of("soar", r));
        new AlertLedger(store, s).record(List.of(alarm("bulk-retrieval", "high", "role/a")), clock.instant());
        new Deliverer(store, s, clock).deliverDue();
        assertThat(Deliverer.log(store, "soar", 10).get(0))
                .containsEntry("nextAttemptAt", "2026-11-21T12:01:30Z")
                .containsEntry("lastStatus", 503);
    }

    @Test
    void a_delivery_whose_payload_cannot_be_read_is_recorded_and_the_others_go_out() throws Exception {
        RawReceiver r = receiver(OK);
        WebhookSettings s = hooks(Map.of("soar", r));
        twoAlerts(s);
        String broken;
        try (var c = store.reader();
                var st = c.createStatement()) {
            var rs = st.executeQuery("SELECT min(delivery_id) FROM webhook_outbox");
            rs.next();
            broken = rs.getString(1);
            st.execute("UPDATE webhook_outbox SET payload = '{not json' WHERE delivery_id = '"
                    + broken.replace("'", "''") + "'");
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
        assertThat(new Deliverer(store, s, clock).deliverDue()).isEqualTo(2);
        Map<String, Map<String, Object>> rows = byDelivery("soar");
        assertThat(rows.get(broken)).containsEntry("status", "pending").containsEntry("attempts", 1);
        assertThat((String) rows.get(broken).get("lastError"))
                .startsWith("not sent: IllegalStateException: unreadable outbox payload");
        assertThat(rows.values())
                .filteredOn(x -> !x.get("delivery").equals(broken))
                .singleElement()
                .satisfies(x -> assertThat(x).containsEntry("status", "delivered"));
        assertThat(r.deliveries).hasSize(1);
    }

    @Test
    void control_characters_in_a_refusal_body_are_escaped_and_the_text_is_bounded() {
        assertThat(Sender.clean("a\u202Eb\u0000c", 100)).isEqualTo("a\\u202Eb\\u0000c");
        assertThat(Sender.clean("x".repeat(1000), 300)).hasSize(303).endsWith("...");
        assertThat(Sender.maskLocation("https://elsewhere.example/a/b/c?token=abc"))
                .isEqualTo("https://elsewhere.example/a/****/****?****");
        assertThat(Sender.maskLocation("/relative/path")).isEqualTo("a relative Location");
        assertThat(Sender.describe(new IllegalStateException(null, new java.io.EOFException())))
                .isEqualTo("IllegalStateException; caused by EOFException");
    }
}
