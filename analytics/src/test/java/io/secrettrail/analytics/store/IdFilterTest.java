package io.secrettrail.analytics.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IdFilterTest {
    @Test
    void every_id_added_is_a_possible_hit_and_few_others_are_at_capacity() {
        IdFilter f = IdFilter.forCapacity(20_000);
        SplittableRandom added = new SplittableRandom(16);
        for (int i = 0; i < 20_000; i++) {
            f.add(EventIds.idHash(EventIds.eventKey("added-" + added.nextLong())));
        }
        SplittableRandom again = new SplittableRandom(16);
        for (int i = 0; i < 20_000; i++) {
            assertThat(f.mightContain(EventIds.idHash(EventIds.eventKey("added-" + again.nextLong()))))
                    .as("id %d", i)
                    .isTrue();
        }
        int hits = 0;
        for (int i = 0; i < 20_000; i++) {
            hits += f.mightContain(EventIds.idHash(EventIds.eventKey("other-" + i))) ? 1 : 0;
        }
        // about 1% at ten bits per id; the table decides on each, so this is cost, not correctness
        assertThat(hits).isBetween(1, 20_000 / 40);
        assertThat(f.full()).isFalse();
    }

    @Test
    void it_is_full_one_id_past_its_capacity_and_sized_in_whole_words() {
        IdFilter f = IdFilter.forCapacity(3);
        assertThat(f.bytes()).isEqualTo(Long.BYTES); // 30 bits round up to one 64-bit word
        for (long h = 0; h < 3; h++) {
            f.add(h);
        }
        assertThat(f.full()).isFalse();
        f.add(3);
        assertThat(f.full()).isTrue();
        // ten bits for each of 2^20 ids round up to 2^24 bits: 2 MiB
        assertThat(IdFilter.forCapacity(1L << 20).bytes()).isEqualTo(2L << 20);
    }

    @Test
    void the_everything_filter_calls_each_id_a_possible_hit_and_never_fills() {
        IdFilter f = IdFilter.everything();
        for (long h = -500; h < 500; h++) {
            assertThat(f.mightContain(h)).isTrue();
            f.add(h);
        }
        assertThat(f.full()).isFalse();
    }

    @Test
    void an_empty_filter_holds_nothing() {
        IdFilter f = IdFilter.forCapacity(1000);
        for (long h = -500; h < 500; h++) {
            assertThat(f.mightContain(h)).isFalse();
        }
    }
}
