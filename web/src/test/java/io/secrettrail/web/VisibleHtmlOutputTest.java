package io.secrettrail.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gg.jte.output.StringOutput;
import org.junit.jupiter.api.Test;

/** The templates' escaping: hidden characters shown in text, attribute values exact, nothing into scripts. */
class VisibleHtmlOutputTest {
    @Test
    void text_shows_hidden_characters_and_attributes_keep_the_value() {
        StringOutput s = new StringOutput();
        VisibleHtmlOutput out = new VisibleHtmlOutput(s);
        out.setContext("td", null);
        out.writeUserContent("invoice\u202Etxt.exe <b>");
        out.setContext("input", "value");
        out.writeUserContent("invoice\u202Etxt.exe \"x\"");
        assertThat(s.toString()).isEqualTo("invoice\\u202Etxt.exe &lt;b&gt;" + "invoice\u202Etxt.exe &quot;x&quot;");
    }

    @Test
    void nothing_is_written_into_a_script_or_an_event_handler() {
        VisibleHtmlOutput out = new VisibleHtmlOutput(new StringOutput());
        out.setContext("script", null);
        assertThatThrownBy(() -> out.writeUserContent("x")).isInstanceOf(IllegalStateException.class);
        out.setContext("a", "onclick");
        assertThatThrownBy(() -> out.writeUserContent("x")).isInstanceOf(IllegalStateException.class);
    }
}
