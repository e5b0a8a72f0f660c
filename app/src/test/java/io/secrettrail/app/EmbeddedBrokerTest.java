package io.secrettrail.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedBrokerTest {
    @TempDir
    Path dir;

    @Test
    void a_cluster_id_starting_with_a_dash_still_formats_and_starts() throws Exception {
        // One random id in 64 starts with '-': kafka-storage once took "-t -xyz..." for an option.
        Path data = dir.resolve("kafka");
        Files.createDirectories(data);
        Files.writeString(data.resolve("cluster.id"), "-uUyHhVPTzWuPKLYl3Gz4g");
        try (EmbeddedBroker broker = EmbeddedBroker.start(data, EmbeddedBroker.defaultClasspath(), Duration.ofSeconds(90))) {
            assertThat(broker.bootstrapServers()).startsWith("127.0.0.1:");
        }
        assertThat(Files.readString(data.resolve("cluster.id"))).isEqualTo("-uUyHhVPTzWuPKLYl3Gz4g");
    }
}
