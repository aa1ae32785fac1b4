package org.acme.sse.chat;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.acme.sse.chat.Answers.active;
import static org.acme.sse.chat.Answers.awaitActive;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URL;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.acme.sse.testing.Chromium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;


import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The chat page in Chromium, in front of the fake upstream: Stop, hostile model output, and errors. */
@QuarkusTest
@WithTestResource(FakeUpstream.class)
class ChatProxyPageTest {

    @RegisterExtension
    static final Chromium chromium = new Chromium();

    @TestHTTPResource("/")
    URL index;

    private ChatPage open() {
        return ChatPage.open(chromium, index);
    }

    @Test
    void stopEndsTheAnswerHereAndTheUpstreamThere() {
        Answers.awaitNoAnswers(); // count from zero, whatever earlier tests left
        int before = 0;
        int streamsBefore = FakeUpstream.endlessStreams.size();
        ChatPage chat = open();
        chat.ask("endless");
        assertThat(chat.lastAnswer().locator(".answer")).containsText("tick tick tick");
        assertThat(chat.page().locator("#server-active")).hasText(String.valueOf(before + 1));

        chat.button("Stop").click();

        assertThat(chat.lastAnswer("stopped").locator(".meta")).containsText("stopped");
        assertThat(chat.lastAnswer().locator(".answer")).containsText("tick");
        awaitActive(before, Duration.ofSeconds(2));
        CompletableFuture<Void> upstreamConnection = FakeUpstream.endlessStreams.get(streamsBefore);
        await().atMost(Duration.ofSeconds(2)).until(upstreamConnection::isDone);
        assertThat(chat.page().locator("#server-active")).hasText(String.valueOf(before));
    }

    @Test
    void markupInTheAnswerIsShownAsTextAndRunsNothing() {
        ChatPage chat = open();
        chat.ask("xss");

        assertThat(chat.lastAnswer("done")).isVisible();
        assertThat(chat.lastAnswer().locator(".answer")).containsText("<img src=x onerror=\"window.pwned=1\"> and <script>window.pwned=2</script>");
        assertThat(chat.lastAnswer().locator(".answer img")).hasCount(0);
        assertThat(chat.lastAnswer().locator(".answer script")).hasCount(0);
        assertThat(chat.lastAnswer().locator(".answer pre > code")).hasText("<b>not bold</b>");
        assertThat(chat.lastAnswer().locator(".answer b")).hasCount(0);
        assertThat(chat.page().evaluate("() => window.pwned === undefined")).isEqualTo(true);
    }

    @Test
    void anUpstreamErrorBeforeTheAnswerIsShownWithItsMessage() {
        ChatPage chat = open();
        chat.ask("429");

        assertThat(chat.lastAnswer("failed").locator(".meta"))
                .containsText("error: the upstream is rate-limiting this server: Rate limit reached for requests");
        assertThat(chat.button("Send")).isEnabled();
    }

    @Test
    void aFailureMidAnswerKeepsThePartialAnswerAndSaysWhy() {
        ChatPage chat = open();
        chat.ask("error-event");

        assertThat(chat.lastAnswer("failed").locator(".meta"))
                .containsText("error: the upstream failed during the answer: The server had an error");
        assertThat(chat.lastAnswer().locator(".answer")).hasText("half an answer");
    }
}
