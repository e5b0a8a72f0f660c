package io.secrettrail.analytics.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The stored keys must not move: every key the store holds was made by UUID.nameUUIDFromBytes. */
class EventKeysTest {
    @Test
    void event_and_pair_keys_are_the_version_3_uuids_the_store_always_held() {
        for (String id : new String[] {"", "a", "0b6f1d2e-9c4a-4b7e-8f00-1234567890ab", "é\u0000\uD83D\uDE00"}) {
            assertThat(EventIds.eventKey(id)).isEqualTo(UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8)));
            assertThat(EventIds.pairKey(id, "arn:x"))
                    .isEqualTo(UUID.nameUUIDFromBytes((id + "\u0000arn:x").getBytes(StandardCharsets.UTF_8)));
        }
        assertThat(EventIds.eventKey("a").version()).isEqualTo(3);
        assertThat(EventIds.eventKey("a")).isNotEqualTo(EventIds.eventKey("b"));
    }
}
