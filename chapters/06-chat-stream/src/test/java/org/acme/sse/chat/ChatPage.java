package org.acme.sse.chat;

import java.net.URL;

import org.acme.sse.testing.Chromium;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;

/** The chat page as a user sees it: a question box, Send and Stop, and the conversation. */
record ChatPage(Page page) {

    /** The chat page, freshly opened in its own browser context. */
    static ChatPage open(Chromium chromium, URL index) {
        Page page = chromium.newPage();
        page.navigate(index.toString());
        return new ChatPage(page);
    }

    void ask(String question) {
        page.getByLabel("Question").fill(question);
        button("Send").click();
    }

    Locator button(String name) {
        return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
    }

    /** The last answer in the conversation. */
    Locator lastAnswer() {
        return page.locator("#messages > li[data-role=\"assistant\"]").last();
    }

    Locator lastAnswer(String state) {
        return page.locator("#messages > li[data-role=\"assistant\"][data-state=\"" + state + "\"]").last();
    }

    /** Counts, in the page, every change of the last answer's text length: one per DOM update that grew it. */
    void countAnswerUpdates() {
        page.evaluate("""
                () => {
                  window.answerLengths = [];
                  new MutationObserver(() => {
                    const answers = document.querySelectorAll('#messages > li[data-role="assistant"] .answer');
                    const length = answers.length ? answers[answers.length - 1].textContent.length : 0;
                    if (window.answerLengths.at(-1) !== length) window.answerLengths.push(length);
                  }).observe(document.querySelector('#messages'), { childList: true, subtree: true, characterData: true });
                }""");
    }

    int answerUpdates() {
        return ((Number) page.evaluate("() => window.answerLengths.length")).intValue();
    }
}
