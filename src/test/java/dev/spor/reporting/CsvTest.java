package dev.spor.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CsvTest {
    @Test
    void cell_startingWithAFormulaCharacter_getsAQuoteMarkInFront() {
        assertThat(Csv.cell("=HYPERLINK(\"http://evil\")")).isEqualTo("\"'=HYPERLINK(\"\"http://evil\"\")\"");
        assertThat(Csv.cell("+1")).isEqualTo("'+1");
        assertThat(Csv.cell("-2-3")).isEqualTo("'-2-3");
        assertThat(Csv.cell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(Csv.cell("\tx")).isEqualTo("'\tx");
        assertThat(Csv.cell("a=b")).isEqualTo("a=b");
    }

    @Test
    void line_quotesCommasQuotesAndLineBreaks_andEndsWithCrLf() {
        StringWriter out = new StringWriter();

        Csv.line(out, Arrays.asList("plain", "a,b", "say \"hi\"", "two\nlines", null, ""));

        assertThat(out.toString()).isEqualTo("plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,\r\n");
    }
}
