package io.secrettrail.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 12, item 14: invisible and reordering characters are shown, never obeyed. */
class TextTest {
    @Test
    void a_right_to_left_override_cannot_make_an_exe_pose_as_a_txt() {
        assertThat(Text.visible("invoice\u202Etxt.exe")).isEqualTo("invoice\\u202Etxt.exe");
    }

    @ParameterizedTest(name = "U+{0} is escaped")
    @ValueSource(
            strings = {
                "0000", "0001", "0009", "000A", "000D", "001B", "001F", "007F", "0080", "009F", "061C", "200B", "200E",
                "200F", "202A", "202B", "202C", "202D", "202E", "2028", "2029", "2066", "2067", "2068", "2069", "FEFF"
            })
    void every_control_and_bidi_character_is_escaped(String hex) {
        char c = (char) Integer.parseInt(hex, 16);
        assertThat(Text.visible("a" + c + "b")).isEqualTo("a\\u" + hex + "b");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "plain-name_1/x+y=z.w@v",
                "caf\u00e9 \u540d\u524d",
                "emoji \uD83D\uDE00 pair",
                "back\\slash",
                "\u00a0nbsp"
            })
    void printable_text_is_unchanged(String s) {
        assertThat(Text.visible(s)).isSameAs(s);
    }

    @Test
    void lone_surrogates_are_escaped_but_pairs_are_kept() {
        assertThat(Text.visible("x\uD800y")).isEqualTo("x\\uD800y");
        assertThat(Text.visible("x\uDC00")).isEqualTo("x\\uDC00");
        assertThat(Text.visible("\uD83D\uDE00")).isEqualTo("\uD83D\uDE00");
        assertThat(Text.visible(null)).isNull();
    }

    @Test
    void every_other_invisible_format_character_is_escaped_too() {
        // found by review: these made two user agents or ids look identical
        for (char c : new char[] {'\u00AD', '\u200C', '\u200D', '\u2060', '\u2064', '\u180E'}) {
            assertThat(Text.visible("a" + c + "b"))
                    .as("U+%04X", (int) c)
                    .isEqualTo(String.format("a\\u%04Xb", (int) c));
        }
        String tag = new String(Character.toChars(0xE0041)); // TAG LATIN CAPITAL LETTER A
        assertThat(Text.visible("x" + tag)).isEqualTo("x\\uDB40\\uDC41");
        String emoji = new String(Character.toChars(0x1F600));
        assertThat(Text.visible("x" + emoji)).isEqualTo("x" + emoji);
    }
}
