package io.secrettrail.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class HeldOutboxTest {
    /** An outbox that keeps the keys of what it is sent, and counts flushes. */
    static final class Recording implements Outbox {
        final List<String> keys = Collections.synchronizedList(new ArrayList<>());
        int flushes;

        @Override
        public void send(ProducerRecord<byte[], byte[]> record, Callback onSent) {
            keys.add(new String(record.key(), StandardCharsets.UTF_8));
        }

        @Override
        public synchronized void flush() {
            flushes++;
        }
    }

    private static ProducerRecord<byte[], byte[]> message(String key, int valueBytes) {
        return new ProducerRecord<>("events", key.getBytes(StandardCharsets.UTF_8), new byte[valueBytes]);
    }

    @Test
    void held_messages_are_passed_on_in_the_order_sent_once_open_and_later_ones_go_straight_on() {
        HeldOutbox held = new HeldOutbox(1 << 20);
        held.send(message("a", 10), null);
        held.send(message("b", 10), null);
        assertThat(held.heldMessages()).isEqualTo(2);
        Recording to = new Recording();
        assertThat(to.keys).isEmpty();
        held.open(to);
        held.send(message("c", 10), null);
        assertThat(to.keys).containsExactly("a", "b", "c");
        assertThat(held.heldMessages()).isZero();
        held.flush();
        assertThat(to.flushes).isEqualTo(1);
    }

    @Test
    void a_sender_past_the_bound_waits_for_open_and_keeps_its_order() throws Exception {
        HeldOutbox held = new HeldOutbox(1000);
        held.send(message("first", 600), null); // one message is held whatever its size
        Thread sender = new Thread(() -> {
            held.send(message("second", 600), null);
            held.send(message("third", 10), null);
        });
        sender.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> sender.getState() == Thread.State.WAITING);
        assertThat(held.heldMessages()).isEqualTo(1);
        Recording to = new Recording();
        held.open(to);
        sender.join(10_000);
        assertThat(sender.isAlive()).isFalse();
        assertThat(to.keys).containsExactly("first", "second", "third");
    }

    @Test
    void within_the_bound_a_sender_does_not_wait() {
        HeldOutbox held = new HeldOutbox(2 * (256 + 1 + 100));
        held.send(message("a", 100), null);
        held.send(message("b", 100), null); // exactly at the bound
        assertThat(held.heldMessages()).isEqualTo(2);
    }

    @Test
    void when_the_broker_never_comes_waiting_senders_and_flushes_fail_with_the_reason() throws Exception {
        HeldOutbox held = new HeldOutbox(100);
        held.send(message("a", 200), null);
        AtomicReference<Throwable> sent = new AtomicReference<>();
        AtomicReference<Throwable> flushed = new AtomicReference<>();
        Thread sender = new Thread(() -> {
            try {
                held.send(message("b", 10), null);
            } catch (RuntimeException e) {
                sent.set(e);
            }
        });
        Thread flusher = new Thread(() -> {
            try {
                held.flush();
            } catch (RuntimeException e) {
                flushed.set(e);
            }
        });
        sender.start();
        flusher.start();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> held.flushWaiting() && sender.getState() == Thread.State.WAITING);
        held.fail(new IllegalStateException("broker did not start"));
        sender.join(10_000);
        flusher.join(10_000);
        assertThat(sent.get()).hasMessage("broker did not start");
        assertThat(flushed.get()).hasMessage("broker did not start");
        assertThat(held.heldMessages()).isZero();
        assertThatThrownBy(() -> held.open(new Recording())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void failing_after_open_changes_nothing() {
        HeldOutbox held = new HeldOutbox(100);
        Recording to = new Recording();
        held.open(to);
        held.fail(new IllegalStateException("too late"));
        held.send(message("a", 10), null);
        held.flush();
        assertThat(to.keys).containsExactly("a");
        assertThat(to.flushes).isEqualTo(1);
    }
}
