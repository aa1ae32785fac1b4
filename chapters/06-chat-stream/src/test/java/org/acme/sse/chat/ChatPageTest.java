package org.acme.sse.chat;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.file.Paths;
import java.util.regex.Pattern;

import org.acme.sse.testing.Chromium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.Request;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The chat page in Chromium, answered by the embedded generator. */
@QuarkusTest
class ChatPageTest {

    private static final String QUESTION = "How does the parser split lines?";

    @RegisterExtension
    static final Chromium chromium = new Chromium();

    @TestHTTPResource("/")
    URL index;

    private ChatPage open() {
        return ChatPage.open(chromium, index);
    }

    @Test
    void theAnswerGrowsOverManyUpdatesAndNamesItsGuide() {
        ChatPage chat = open();
        chat.countAnswerUpdates();
        chat.ask(QUESTION);

        assertThat(chat.lastAnswer("streaming")).isVisible();
        assertThat(chat.button("Stop")).isEnabled();
        assertThat(chat.lastAnswer("done")).isVisible(new com.microsoft.playwright.assertions.LocatorAssertions
                .IsVisibleOptions().setTimeout(30_000));
        // Not one update at the end: the text grew many times while the tokens arrived.
        assertThat(chat.answerUpdates()).isGreaterThan(20);
        assertThat(chat.lastAnswer().locator(".answer")).containsText("Source: chapters/03-fetch-streaming/README.md");
        assertThat(chat.lastAnswer().locator(".meta"))
                .hasText(Pattern.compile("first token after \\d+ ms · [\\d.]+ tokens/s · \\d+ tokens"));
        assertThat(chat.button("Send")).isEnabled();
        chat.page().screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target/screenshots/06-chat-stream.png"))
                .setFullPage(true));
    }

    @Test
    void aCodeBlockInTheAnswerRendersAsACodeBlock() {
        ChatPage chat = open();
        chat.ask(QUESTION);

        assertThat(chat.lastAnswer("done")).isVisible(new com.microsoft.playwright.assertions.LocatorAssertions
                .IsVisibleOptions().setTimeout(30_000));
        assertThat(chat.lastAnswer().locator(".answer pre > code[data-language=\"js\"]").last()).containsText("processLine(");
        assertThat(chat.lastAnswer().locator(".answer strong").first()).containsText("Chapter 03");
        assertThat(chat.lastAnswer().locator(".answer")).not().containsText("```");
    }

    @Test
    void theHistoryGoesWithTheNextQuestion() {
        ChatPage chat = open();
        chat.ask("What does Last-Event-ID do?");
        assertThat(chat.lastAnswer("done")).isVisible(new com.microsoft.playwright.assertions.LocatorAssertions
                .IsVisibleOptions().setTimeout(30_000));
        String firstAnswer = chat.lastAnswer().locator(".answer").textContent();

        Request second = chat.page().waitForRequest("**/v1/chat/completions", () -> chat.ask("And how do I abort a stream?"));

        JsonArray messages = new JsonObject(second.postData()).getJsonArray("messages");
        assertThat(messages.size()).isEqualTo(3);
        assertThat(messages.getJsonObject(0).getString("content")).isEqualTo("What does Last-Event-ID do?");
        assertThat(messages.getJsonObject(1).getString("role")).isEqualTo("assistant");
        assertThat(messages.getJsonObject(1).getString("content")).startsWith("From **");
        assertThat(firstAnswer).startsWith("From ");
        assertThat(messages.getJsonObject(2).getString("content")).isEqualTo("And how do I abort a stream?");
    }
}
