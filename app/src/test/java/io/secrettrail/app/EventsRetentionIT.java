package io.secrettrail.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.secrettrail.core.KafkaSettings;
import io.secrettrail.ingest.KafkaClients;
import io.secrettrail.ingest.TopicSetup;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 16: the store keeps columns and each event's partition and offset, not its raw record, so the events
 * topic is the one copy of the raw records. It is created kept forever, and a finite one is refused with the
 * topic, the setting and the command that changes it.
 */
class EventsRetentionIT {
    @RegisterExtension
    static final TestBroker KAFKA = new TestBroker();

    private static Config config(Admin admin, String topic) throws Exception {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(r)).all().get().get(r);
    }

    @Test
    void a_new_events_topic_is_created_kept_forever() throws Exception {
        KafkaSettings kafka = TestKafka.isolated(KAFKA.broker());
        try (Admin admin = KafkaClients.admin(kafka)) {
            // analytics started before any ingest: no topic yet, nothing to refuse
            TopicSetup.requireKeptForever(admin, kafka);
            TopicSetup.ensure(admin, kafka, (short) 1, Duration.ofSeconds(60));
            Config c = config(admin, kafka.topics().events());
            assertThat(c.get("retention.ms").value()).isEqualTo("-1");
            assertThat(c.get("retention.bytes").value()).isEqualTo("-1");
            // the other topics keep what they had: the inventory is compacted, dead letters Kafka's default
            assertThat(config(admin, kafka.topics().inventory())
                            .get("cleanup.policy")
                            .value())
                    .isEqualTo("compact");
            TopicSetup.ensure(admin, kafka, (short) 1, Duration.ofSeconds(60)); // again: accepted
            TopicSetup.requireKeptForever(admin, kafka);
        }
    }

    @Test
    void on_the_embedded_broker_a_topic_an_earlier_release_created_is_kept_forever_without_a_step() throws Exception {
        KafkaSettings kafka = TestKafka.isolated(KAFKA.broker());
        String events = kafka.topics().events();
        try (Admin admin = KafkaClients.admin(kafka)) {
            // no retention of its own, as releases before issue 16 created it: the broker's default applies
            admin.createTopics(List.of(new NewTopic(events, Optional.of(1), Optional.empty())))
                    .all()
                    .get();
            TopicSetup.ensure(admin, kafka, (short) 1, Duration.ofSeconds(60));
            Config c = config(admin, events);
            assertThat(c.get("retention.ms").value()).isEqualTo("-1");
            assertThat(c.get("retention.ms").source())
                    .isEqualTo(org.apache.kafka.clients.admin.ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG);
        }
    }

    @Test
    void an_events_topic_with_kafkas_default_retention_is_refused_until_it_keeps_records_forever() throws Exception {
        KafkaSettings kafka = TestKafka.isolated(KAFKA.broker());
        String events = kafka.topics().events();
        try (Admin admin = KafkaClients.admin(kafka)) {
            // as an earlier version created it on a cluster with Kafka's default retention.ms, 7 days (the embedded
            // broker keeps everything by default, see below)
            admin.createTopics(List.of(new NewTopic(events, Optional.of(1), Optional.empty())
                            .configs(Map.of("retention.ms", "604800000"))))
                    .all()
                    .get();
            assertThatThrownBy(() -> TopicSetup.ensure(admin, kafka, (short) 1, Duration.ofSeconds(60)))
                    .isInstanceOf(TopicSetup.RetentionException.class)
                    // retention.bytes is Kafka's default -1: only the time is named
                    .hasMessageContaining("the events topic " + events + " has retention.ms=604800000: it is")
                    .hasMessageContaining("kafka-configs.sh --bootstrap-server " + kafka.bootstrapServers()
                            + " --alter --entity-type topics --entity-name " + events
                            + " --add-config retention.ms=-1,retention.bytes=-1");
            assertThatThrownBy(() -> TopicSetup.requireKeptForever(admin, kafka))
                    .isInstanceOf(TopicSetup.RetentionException.class);

            // one millisecond short of forever is still finite; a size limit too
            alter(admin, events, Map.of("retention.ms", "9223372036854775807", "retention.bytes", "1073741824"));
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThatThrownBy(() -> TopicSetup.requireKeptForever(admin, kafka))
                            .hasMessageContaining("retention.ms=9223372036854775807, retention.bytes=1073741824"));

            alter(admin, events, Map.of("retention.ms", "-1", "retention.bytes", "-1"));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> TopicSetup.requireKeptForever(admin, kafka));
            TopicSetup.ensure(admin, kafka, (short) 1, Duration.ofSeconds(60));
        }
    }

    @Test
    void a_compacted_events_topic_is_refused_it_would_keep_one_record_per_secret() throws Exception {
        KafkaSettings kafka = TestKafka.isolated(KAFKA.broker());
        String events = kafka.topics().events();
        try (Admin admin = KafkaClients.admin(kafka)) {
            admin.createTopics(List.of(new NewTopic(events, Optional.of(1), Optional.empty())
                            .configs(Map.of("cleanup.policy", "compact", "retention.ms", "-1"))))
                    .all()
                    .get();
            // a topic just created may not be described yet (CI saw it pass as absent once): as the others, awaited
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThatThrownBy(() -> TopicSetup.requireKeptForever(admin, kafka))
                            .isInstanceOf(TopicSetup.RetentionException.class)
                            .hasMessageContaining("has cleanup.policy=compact")
                            .hasMessageContaining(
                                    "--add-config retention.ms=-1,retention.bytes=-1,cleanup.policy=delete"));
        }
    }

    /** A clock the test moves. */
    private static final class Moving extends java.time.Clock {
        private java.time.Instant now;

        Moving(java.time.Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return now;
        }
    }

    @Test
    void a_retention_made_finite_while_running_fails_readiness_within_the_check_period_until_it_is_restored()
            throws Exception {
        KafkaSettings kafka = TestKafka.isolated(KAFKA.broker());
        String events = kafka.topics().events();
        try (Admin admin = KafkaClients.admin(kafka)) {
            TopicSetup.ensure(admin, kafka, (short) 1, Duration.ofSeconds(60));
            Moving clock = new Moving(java.time.Instant.parse("2026-12-02T00:00:00Z"));
            RetentionWatch watch = new RetentionWatch(admin, kafka, clock);
            assertThat(watch.keptForever()).isTrue();
            assertThat(watch.problem()).isNull();

            // someone gives the running service's events topic a day of retention
            alter(admin, events, Map.of("retention.ms", "86400000"));
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThatThrownBy(() -> TopicSetup.requireKeptForever(admin, kafka))
                            .isInstanceOf(TopicSetup.RetentionException.class));
            // the broker is asked once per period: until it ends, the last answer stands
            clock.advance(RetentionWatch.CHECK_EVERY.minusSeconds(1));
            assertThat(watch.keptForever()).isTrue();
            clock.advance(Duration.ofSeconds(1));
            assertThat(watch.keptForever()).isFalse();
            assertThat(watch.problem())
                    .contains("the events topic " + events + " has retention.ms=86400000")
                    .contains("--add-config retention.ms=-1,retention.bytes=-1");

            alter(admin, events, Map.of("retention.ms", "-1"));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> TopicSetup.requireKeptForever(admin, kafka));
            assertThat(watch.keptForever()).as("the same period").isFalse();
            clock.advance(RetentionWatch.CHECK_EVERY);
            assertThat(watch.keptForever()).isTrue();
            assertThat(watch.problem()).isNull();
        }
    }

    private static void alter(Admin admin, String topic, Map<String, String> settings) throws Exception {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        admin.incrementalAlterConfigs(Map.of(
                        r,
                        settings.entrySet().stream()
                                .map(e -> new AlterConfigOp(
                                        new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET))
                                .toList()))
                .all()
                .get();
    }
}
