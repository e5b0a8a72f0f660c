package io.secrettrail.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 12, item 15: every cell safe whatever separator the spreadsheet assumes. */
class CsvTest {
    /** A spreadsheet's reading: RFC 4180 quotes honoured, cells split on {@code sep}. */
    static List<List<String>> read(String csv, char sep) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < csv.length(); i++) {
            char c = csv.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == sep) {
                row.add(cell.toString());
                cell.setLength(0);
            } else if (c == '\r' && i + 1 < csv.length() && csv.charAt(i + 1) == '\n') {
                row.add(cell.toString());
                cell.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++;
            } else {
                cell.append(c);
            }
        }
        return rows;
    }

    static boolean runsAsFormula(String cell) {
        String t = cell.stripLeading();
        return !t.isEmpty() && "=+-@".indexOf(t.charAt(0)) >= 0 && !t.matches("-?\\d+(\\.\\d+)?")
                || cell.startsWith("\t")
                || cell.startsWith("\r");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "=1+1",
                "+1",
                "-1+2",
                "@SUM(A1)",
                " =1+1",
                "  @x",
                "\t=1",
                "\r=1",
                "\t",
                "=HYPERLINK(\"http://x\",\"y\")",
                "x;=1+1",
                "x,=1+1",
                "a\"b",
                "line\nbreak",
                "cr\rhere",
                "=1;=2",
                "; =cmd|' /C calc'!A0",
                "\u202E=1"
            })
    void no_cell_runs_as_a_formula_with_comma_or_semicolon_separators(String value) throws Exception {
        StringWriter w = new StringWriter();
        Csv.row(w, List.of("x", value, "y"));
        for (char sep : new char[] {',', ';'}) {
            List<List<String>> rows = read(w.toString(), sep);
            assertThat(rows).as("one row with %s", sep).hasSize(1);
            assertThat(rows.get(0)).as("cells read with %s from %s", sep, w).noneMatch(CsvTest::runsAsFormula);
        }
        assertThat(read(w.toString(), ',').get(0))
                .as("comma reading gives the three cells")
                .hasSize(3);
    }

    @Test
    void a_semicolon_spreadsheet_reads_x_semicolon_formula_as_one_text_cell() throws Exception {
        StringWriter w = new StringWriter();
        Csv.row(w, List.of("x;=1+1", "plain"));
        assertThat(w.toString()).isEqualTo("\"x;=1+1\",plain\r\n");
        assertThat(read(w.toString(), ';').get(0)).containsExactly("x;=1+1,plain");
        assertThat(read(w.toString(), ',').get(0)).containsExactly("x;=1+1", "plain");
    }

    @Test
    void cells_are_quoted_only_when_they_hold_a_separator_quote_or_line_break() {
        assertThat(Csv.cell("plain")).isEqualTo("plain");
        assertThat(Csv.cell("a,b")).isEqualTo("\"a,b\"");
        assertThat(Csv.cell("a;b")).isEqualTo("\"a;b\"");
        assertThat(Csv.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(Csv.cell("-42")).isEqualTo("-42");
        assertThat(Csv.cell("-4.5")).isEqualTo("-4.5");
        assertThat(Csv.cell("-cmd")).isEqualTo("'-cmd");
        assertThat(Csv.cell(" =1")).isEqualTo("' =1");
        assertThat(Csv.cell(null)).isEmpty();
    }

    @Test
    void control_and_bidi_characters_are_visible_in_cells() {
        assertThat(Csv.cell("invoice\u202Etxt.exe")).isEqualTo("invoice\\u202Etxt.exe");
        assertThat(Csv.cell("nul\u0000tab\tnl\n")).isEqualTo("nul\\u0000tab\\u0009nl\\u000A");
        assertThat(Csv.cell("\t=1")).isEqualTo("\\u0009=1");
    }
}
