package org.acme.sse.customevents;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;

import org.acme.sse.testing.RawHttpStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** A value with line breaks on the wire: one data: line per line of the value, whatever its line ends were. */
@QuarkusTest
class MultiLineDataWireTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TestHTTPResource("/sse/answer")
    URI answer;

    @TestHTTPResource("/test-only/sse-writer")
    URI writer;

    @Test
    void sendsEachLineOfATokenAsItsOwnDataLine() {
        try (RawHttpStream stream = RawHttpStream.get(URI.create(answer + "?intervalMs=10"))) {
            assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
            // One data: line per line of a token, each after "data: " (the parser removes that one space, so
            // "data:     System" keeps its four). A trailing line break gives a last, empty line: the browser
            // joins the lines with LF, so the value ends with LF. The CRLFs of the tokens are single line breaks.
            assertThat(stream.awaitEnd(TIMEOUT)).isEqualTo("""
                    event:token
                    data: Here is a loop in Java:
                    data:\s
                    data:\s

                    event:token
                    data: ```java
                    data:\s

                    event:token
                    data: for (int i = 0; i < 3; i++) {
                    data:\s

                    event:token
                    data:     System.out.println(i);
                    data:\s

                    event:token
                    data: }
                    data: ```
                    data:\s

                    event:token
                    data:\s
                    data:\s

                    event:token
                    data: It prints 0, 1 and 2.

                    event:done
                    data:

                    """);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "LF         | a%0Ab     | data:a\\ndata:b\\n\\n",
            "CR         | a%0Db     | data:a\\ndata:b\\n\\n",
            // The writer starts a line at the CR and another at the LF: the browser would get "a\n\nb".
            "CRLF       | a%0D%0Ab  | data:a\\ndata:\\ndata:b\\n\\n",
            // Right after the colon: the parser removes one space there, the browser would get " x".
            "indented   | %20%20x   | data:  x\\n\\n",
    })
    void quarkusWriterStartsADataLineAtEveryCrAndEveryLfRightAfterTheColon(String name, String encoded, String expected) {
        try (RawHttpStream stream = RawHttpStream.get(URI.create(writer + "?data=" + encoded))) {
            assertThat(stream.awaitEnd(TIMEOUT)).isEqualTo(expected.replace("\\n", "\n"));
        }
    }
}
