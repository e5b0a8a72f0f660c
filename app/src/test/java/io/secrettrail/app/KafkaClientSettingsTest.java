package io.secrettrail.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.core.KafkaSettings;
import io.secrettrail.ingest.KafkaClients;
import java.util.Map;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Kafka client settings from KAFKA_* variables and --kafka-property, and the MSK IAM login module on the classpath. */
class KafkaClientSettingsTest {
    @Test
    void environmentVariablesNamingAClientSettingPassThroughAndFlagsWin() {
        KafkaOptions o = new KafkaOptions();
        new CommandLine(new Object() {
                    @CommandLine.Mixin
                    KafkaOptions kafka = o;
                })
                .parseArgs("--kafka-property", "sasl.mechanism=SCRAM-SHA-512");
        Map<String, String> p = o.clientProperties(Map.of(
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_MECHANISM", "PLAIN",
                "KAFKA_SASL_JAAS_CONFIG",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";",
                "KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM", "https",
                "KAFKA_HEAP_OPTS", "-Xmx1g",
                "KAFKA_NODE_ID", "1",
                "PATH", "/usr/bin"));
        assertThat(p)
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("ssl.endpoint.identification.algorithm", "https")
                .containsKey("sasl.jaas.config")
                .doesNotContainKey("heap.opts")
                .doesNotContainKey("node.id")
                .hasSize(4);
    }

    @Test
    void mskIamAuthenticationLoadsItsLoginModuleAndCallbackHandler() {
        // Constructing the producer instantiates the SASL login and callback classes; AWS is asked
        // for credentials only when a broker connection authenticates.
        KafkaSettings s = new KafkaSettings(
                "127.0.0.1:9",
                Map.of(
                        "security.protocol", "SASL_SSL",
                        "sasl.mechanism", "AWS_MSK_IAM",
                        "sasl.jaas.config", "software.amazon.msk.auth.iam.IAMLoginModule required;",
                        "sasl.client.callback.handler.class", "software.amazon.msk.auth.iam.IAMClientCallbackHandler"),
                KafkaSettings.Topics.defaults(),
                1);
        try (Producer<byte[], byte[]> p = KafkaClients.producer(s, "msk-iam-check")) {
            assertThat(p.metrics()).isNotEmpty();
        }
    }
}
